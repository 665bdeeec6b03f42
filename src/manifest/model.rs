//! The typed view of a manifest: the parts ldhook acts on (form variables, OAuth, the audit-log
//! hook). Read leniently from the parsed JSON: the schema check reports shape problems with
//! their places; this model only has to make sense of what is there.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Manifest {
    pub name: String,
    pub form_variables: Vec<FormVariable>,
    #[serde(rename = "requiresOAuth")]
    pub requires_oauth: bool,
    pub oauth_integration_key: Option<String>,
    pub capabilities: Capabilities,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Capabilities {
    pub audit_log_events_hook: Option<AuditLogEventsHook>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditLogEventsHook {
    pub endpoint: Option<Endpoint>,
    pub templates: BTreeMap<String, String>,
    pub default_policy: Option<Value>,
    pub include_error_response_body: bool,
    pub delivery_method: Option<String>,
    pub use_standard_webhook_payload: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Endpoint {
    pub url: String,
    pub method: String,
    pub headers: Vec<Header>,
    pub hmac_signature: Option<HmacSignature>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Header {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HmacSignature {
    pub header_name: Option<String>,
    pub hmac_secret_form_variable_key: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormVariable {
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FormVariableKind,
    pub description: String,
    pub placeholder: Option<String>,
    pub is_secret: bool,
    pub is_optional: bool,
    pub default_value: Option<Value>,
    pub allowed_values: Vec<String>,
}

/// A form variable's `type`. The model is lenient (the schema judges), so a type the framework
/// does not define is kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormVariableKind {
    String,
    Boolean,
    Uri,
    Enum,
    DynamicEnum,
    Multiselect,
    EnvironmentSelector,
    Generated,
    Other(String),
}

impl FormVariableKind {
    const NAMED: [(FormVariableKind, &'static str); 8] = [
        (FormVariableKind::String, "string"),
        (FormVariableKind::Boolean, "boolean"),
        (FormVariableKind::Uri, "uri"),
        (FormVariableKind::Enum, "enum"),
        (FormVariableKind::DynamicEnum, "dynamicEnum"),
        (FormVariableKind::Multiselect, "multiselect"),
        (FormVariableKind::EnvironmentSelector, "environmentSelector"),
        (FormVariableKind::Generated, "generated"),
    ];

    pub(crate) fn from_name(name: &str) -> FormVariableKind {
        Self::NAMED
            .iter()
            .find(|(_, named)| *named == name)
            .map_or_else(
                || FormVariableKind::Other(name.to_string()),
                |(kind, _)| kind.clone(),
            )
    }

    /// The name as the manifest writes it.
    pub fn name(&self) -> &str {
        match self {
            FormVariableKind::Other(name) => name,
            known => Self::NAMED
                .iter()
                .find(|(kind, _)| kind == known)
                .map_or("", |(_, name)| name),
        }
    }

    /// Whether its value is a string (and so its `defaultValue` must be one).
    pub(crate) fn holds_a_string(&self) -> bool {
        matches!(
            self,
            FormVariableKind::String
                | FormVariableKind::Uri
                | FormVariableKind::Enum
                | FormVariableKind::DynamicEnum
        )
    }
}

impl Default for FormVariableKind {
    fn default() -> Self {
        FormVariableKind::Other(String::new())
    }
}

impl std::fmt::Display for FormVariableKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl<'de> Deserialize<'de> for FormVariableKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| FormVariableKind::from_name(&name))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the manifest cannot be read as an integration: {0}")]
pub struct ModelError(#[from] serde_json::Error);

impl Manifest {
    pub(crate) fn from_value(value: &Value) -> Result<Manifest, ModelError> {
        Ok(Manifest::deserialize(value)?)
    }

    pub fn hook(&self) -> Option<&AuditLogEventsHook> {
        self.capabilities.audit_log_events_hook.as_ref()
    }

    pub(crate) fn form_variable(&self, key: &str) -> Option<&FormVariable> {
        self.form_variables.iter().find(|v| v.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_hook_and_form_variables() {
        let manifest = Manifest::from_value(&json!({
            "name": "X",
            "formVariables": [{"key": "token", "name": "T", "type": "string", "isSecret": true, "description": "d"}],
            "capabilities": {"auditLogEventsHook": {
                "endpoint": {"url": "https://x", "method": "POST", "headers": [{"name": "A", "value": "b"}]},
                "templates": {"flag": "templates/flag.json.hbs"}
            }},
            "unknown": 1
        }))
        .expect("readable");
        let hook = manifest.hook().expect("hook");
        assert_eq!(hook.templates["flag"], "templates/flag.json.hbs");
        assert_eq!(
            hook.endpoint.as_ref().expect("endpoint").headers[0].name,
            "A"
        );
        assert!(manifest.form_variable("token").expect("variable").is_secret);
    }

    #[test]
    fn a_wrongly_typed_field_is_an_error() {
        assert!(Manifest::from_value(&json!({"formVariables": {"key": "x"}})).is_err());
        assert!(Manifest::from_value(&json!({"requiresOAuth": "yes"})).is_err());
    }

    #[test]
    fn reads_the_oauth_flags_by_their_manifest_names() {
        let manifest =
            Manifest::from_value(&json!({"requiresOAuth": true, "oauthIntegrationKey": "svc"}))
                .expect("readable");
        assert!(manifest.requires_oauth);
        assert_eq!(manifest.oauth_integration_key.as_deref(), Some("svc"));
    }
}

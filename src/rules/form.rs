//! Form variables: the framework's rules on their fields, the HMAC secret, and ldhook's checks
//! that templates use what the manifest defines and nothing else.

use std::collections::BTreeSet;

use serde_json::Value;

use super::hook::LoadedTemplate;
use super::subject::{Subject, hook};
use super::*;
use crate::diagnostics::{Diagnostic, suggest};
use crate::engine::Template;
use crate::manifest::model::FormVariableKind;
use crate::pointer::Pointer;

pub(super) fn check(s: &Subject, out: &mut Vec<Diagnostic>) {
    let variables = s
        .integration
        .document
        .value
        .get("formVariables")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, variable) in variables.iter().enumerate() {
        fields(
            s,
            &Pointer::root().child("formVariables").index(i),
            variable,
            out,
        );
    }
    hmac(s, out);
}

fn fields(s: &Subject, at: &Pointer, v: &Value, out: &mut Vec<Diagnostic>) {
    let key = v["key"].as_str().unwrap_or("?");
    let kind = FormVariableKind::from_name(v["type"].as_str().unwrap_or(""));
    let has = |field: &str| v.get(field).is_some();
    let optional = v["isOptional"] == Value::Bool(true);
    let secret = v["isSecret"] == Value::Bool(true);
    let field = |name: &str| at.child(name);

    if has("defaultValue") && !optional {
        out.push(s.at_key(
            &DEFAULT_VALUE,
            &field("defaultValue"),
            format!("form variable `{key}` has a `defaultValue` but is not `isOptional: true`; use `placeholder` to suggest a value"),
        ));
    }
    if let Some(default) = v.get("defaultValue") {
        let expected = match &kind {
            string if string.holds_a_string() => Some(("a string", default.is_string())),
            FormVariableKind::Boolean => Some(("a boolean", default.is_boolean())),
            _ => None,
        };
        if let Some((what, false)) = expected {
            out.push(s.at(
                &DEFAULT_VALUE,
                &field("defaultValue"),
                format!("the `defaultValue` of {kind} form variable `{key}` must be {what}"),
            ));
        }
    }
    if optional
        && !has("defaultValue")
        && !matches!(
            kind,
            FormVariableKind::Multiselect | FormVariableKind::EnvironmentSelector
        )
    {
        out.push(s.at(
            &OPTIONAL_WITHOUT_DEFAULT,
            &field("isOptional"),
            format!("optional form variable `{key}` needs a `defaultValue`"),
        ));
    }
    let forbidden: &[&str] = match kind {
        FormVariableKind::Multiselect => &[
            "defaultValue",
            "dynamicOptions",
            "allowedValues",
            "isSecret",
        ],
        FormVariableKind::EnvironmentSelector => &[
            "multiselectOptions",
            "multiselectDefaultOptions",
            "defaultValue",
            "dynamicOptions",
            "allowedValues",
            "isSecret",
        ],
        _ => &[],
    };
    for name in forbidden.iter().filter(|name| has(name)) {
        out.push(s.at_key(
            &MULTISELECT_FIELDS,
            &field(name),
            format!("{kind} form variable `{key}` may not have `{name}`"),
        ));
    }
    if kind == FormVariableKind::Multiselect && !has("multiselectOptions") {
        out.push(s.at(
            &MULTISELECT_FIELDS,
            at,
            format!("multiselect form variable `{key}` needs `multiselectOptions`"),
        ));
    }
    if secret && kind != FormVariableKind::String {
        out.push(s.at(&SECRET_NOT_STRING, &field("isSecret"), format!("form variable `{key}` is secret but of type `{kind}`; only string variables may be secret")));
    }
    match (kind == FormVariableKind::DynamicEnum, has("dynamicOptions")) {
        (true, false) => out.push(s.at(&DYNAMIC_ENUM_OPTIONS, &field("type"), format!("dynamicEnum form variable `{key}` needs `dynamicOptions`"))),
        (false, true) => out.push(s.at_key(&DYNAMIC_ENUM_OPTIONS, &field("dynamicOptions"), format!("form variable `{key}` has `dynamicOptions` but is of type `{kind}`, not dynamicEnum"))),
        _ => {}
    }
}

fn hmac(s: &Subject, out: &mut Vec<Diagnostic>) {
    let at = hook().child("endpoint").child("hmacSignature");
    let Some(signature) = s
        .integration
        .manifest
        .hook()
        .and_then(|h| h.endpoint.as_ref())
        .and_then(|e| e.hmac_signature.as_ref())
    else {
        return;
    };
    let Some(key) = signature.hmac_secret_form_variable_key.as_deref() else {
        out.push(s.at(
            &HMAC_SECRET_VARIABLE,
            &at,
            "`hmacSignature` must name the secret's form variable in `hmacSecretFormVariableKey`",
        ));
        return;
    };
    let key_at = at.child("hmacSecretFormVariableKey");
    let problem = match s.integration.manifest.form_variable(key) {
        None => Some(format!(
            "`hmacSecretFormVariableKey` names `{key}`, which is not a form variable"
        )),
        Some(v) if v.kind != FormVariableKind::String => Some(format!(
            "the HMAC secret `{key}` must be a string form variable, not {}",
            v.kind
        )),
        Some(v) if !v.is_secret => {
            Some(format!("the HMAC secret `{key}` must be `isSecret: true`"))
        }
        Some(_) => None,
    };
    if let Some(message) = problem {
        out.push(s.at(&HMAC_SECRET_VARIABLE, &key_at, message));
    }
}

/// Where form variables are read: body templates as `formVariables.<key>`, the endpoint URL,
/// headers and any other template string in the manifest by their bare key. One that names
/// none is a finding, and so is one that nothing reads.
/// `templates`: none when they could not be looked for, and then no variable is called unused.
pub(super) fn usage(s: &Subject, templates: Option<&[LoadedTemplate]>, out: &mut Vec<Diagnostic>) {
    let manifest = &s.integration.manifest;
    let defined: BTreeSet<&str> = manifest
        .form_variables
        .iter()
        .map(|v| v.key.as_str())
        .collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    if let Some(templates) = templates {
        used_by_body_templates(s, templates, &defined, &mut used, out);
    }
    used_by_manifest_strings(s, &defined, &mut used, out);
    if templates.is_none() {
        return;
    }
    if let Some(key) = manifest
        .hook()
        .and_then(|h| h.endpoint.as_ref())
        .and_then(|e| e.hmac_signature.as_ref())
        .and_then(|h| h.hmac_secret_form_variable_key.clone())
    {
        used.insert(key);
    }
    unused(s, &used, out);
}

fn used_by_body_templates(
    s: &Subject,
    templates: &[LoadedTemplate],
    defined: &BTreeSet<&str>,
    used: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    for loaded in templates {
        let references = loaded.template.references();
        for reference in references.iter().filter(|r| r.absolute) {
            let [first, key, ..] = reference.parts.as_slice() else {
                continue;
            };
            if first != "formVariables" {
                continue;
            }
            used.insert(key.clone());
            if !defined.contains(key.as_str()) && key != "oauth" {
                let mut message = format!(
                    "`formVariables.{key}` names no form variable (defined: {})",
                    list(defined)
                );
                if let Some(near) = suggest::closest(key, defined.iter().copied()) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                    used.insert(near.to_string());
                }
                out.push(s.in_template(
                    &UNDEFINED_FORM_VARIABLE,
                    &loaded.name,
                    &loaded.file,
                    reference.span.clone(),
                    message,
                ));
            }
        }
    }
}

/// The manifest's own template strings (URL, headers, others): they name variables bare.
fn used_by_manifest_strings(
    s: &Subject,
    defined: &BTreeSet<&str>,
    used: &mut BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let endpoint_at = hook().child("endpoint");
    for (at, text) in manifest_templates(&s.integration.document.value, Pointer::root()) {
        let Ok(template) = Template::compile(&text) else {
            continue;
        };
        let endpoint = at.is_within(&endpoint_at) && at != endpoint_at;
        for reference in template.references().into_iter().filter(|r| r.absolute) {
            let Some(first) = reference.parts.first() else {
                continue;
            };
            used.insert(first.clone());
            if let Some(key) = reference.parts.get(1).filter(|_| first == "formVariables") {
                used.insert(key.clone());
            }
            if endpoint && !names_a_value(first, defined) {
                let mut message = format!(
                    "`{first}` at {}:{} names no form variable (defined: {}; the event is under `context`)",
                    reference.position.line,
                    reference.position.column,
                    list(defined)
                );
                // The variable a typo meant is read, in intent: it is not reported unused.
                if let Some(near) = suggest::closest(first, defined.iter().copied()) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                    used.insert(near.to_string());
                }
                out.push(s.at(&UNDEFINED_FORM_VARIABLE, &at, message));
            }
        }
    }
}

/// Whether a bare name in an endpoint URL or header is something the endpoint context holds:
/// a form variable, the event (`context`), `oauth` or `formVariables`.
pub(super) fn names_a_value(first: &str, defined: &BTreeSet<&str>) -> bool {
    defined.contains(first) || matches!(first, "context" | "oauth" | "formVariables")
}

fn unused(s: &Subject, used: &BTreeSet<String>, out: &mut Vec<Diagnostic>) {
    let manifest = &s.integration.manifest;
    let only_the_hook = s
        .integration
        .document
        .value
        .get("capabilities")
        .and_then(Value::as_object)
        .is_some_and(|c| c.len() == 1 && c.contains_key("auditLogEventsHook"));
    let custom_delivery = manifest.hook().is_some_and(|h| h.delivery_method.is_some());
    if !only_the_hook || custom_delivery {
        // Other capabilities, and LaunchDarkly's custom deliveries, read form variables in ways
        // templates do not show.
        return;
    }
    for (i, variable) in manifest.form_variables.iter().enumerate() {
        if !used.contains(&variable.key)
            && !depended_on(&s.integration.document.value, &variable.key)
        {
            out.push(s.at(
                &UNUSED_FORM_VARIABLE,
                &Pointer::root().child("formVariables").index(i).child("key"),
                format!(
                    "form variable `{}` is used by no template, URL or header",
                    variable.key
                ),
            ));
        }
    }
}

/// Every string in the manifest that holds a mustache, with its pointer.
fn manifest_templates(value: &Value, at: Pointer) -> Vec<(Pointer, String)> {
    match value {
        Value::String(text) if text.contains("{{") => vec![(at, text.clone())],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| manifest_templates(v, at.index(i)))
            .collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| manifest_templates(v, at.child(k)))
            .collect(),
        _ => Vec::new(),
    }
}

fn depended_on(manifest: &Value, key: &str) -> bool {
    manifest["formVariables"].as_array().is_some_and(|vars| {
        vars.iter().any(|v| {
            v["dependsOn"]
                .as_array()
                .is_some_and(|deps| deps.iter().any(|d| d["variableKey"] == key))
        })
    })
}

fn list(keys: &BTreeSet<&str>) -> String {
    if keys.is_empty() {
        "none".to_string()
    } else {
        keys.iter().copied().collect::<Vec<_>>().join(", ")
    }
}

//! The HTTP request LaunchDarkly would send for one event: method, URL, headers and body, each
//! rendered exactly as the framework's reference renderer renders them.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::context::{self, ContextError, FormValues, ValueSource};
use crate::engine::{EngineError, Template, is_json_template};
use crate::integration::{FileError, Integration};
use crate::routing::Route;

/// What a secret's value shows as unless `--show-secrets`.
pub const MASK: &str = "********";

#[derive(Debug, Clone, serde::Serialize)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<HeaderLine>,
    pub body: String,
    /// Things the reader should know about how this request was made.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct HeaderLine {
    pub name: String,
    pub value: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("the integration has no auditLogEventsHook capability")]
    NoHook,
    #[error("the integration makes no outbound request: its auditLogEventsHook has no endpoint{}", delivery.as_ref().map(|d| format!(" (deliveryMethod `{d}`: LaunchDarkly delivers it its own way)")).unwrap_or_default())]
    NoEndpoint { delivery: Option<String> },
    #[error(transparent)]
    Values(#[from] ContextError),
    #[error("{file}: {error}")]
    TemplateFile { file: String, error: FileError },
    #[error("{file}:{error}")]
    Template {
        file: String,
        error: Box<EngineError>,
    },
    #[error("{file}: endpoint URL template, {error}")]
    Url {
        file: String,
        error: Box<EngineError>,
    },
    #[error("{file}: value of header `{name}`, {error}")]
    Header {
        file: String,
        name: String,
        error: Box<EngineError>,
    },
    #[error(
        "{file}: the rendered body is not valid JSON: {message} at line {line}, column {column}:\n{excerpt}"
    )]
    InvalidJson {
        file: String,
        message: String,
        line: usize,
        column: usize,
        excerpt: String,
    },
}

#[derive(Debug, Clone)]
pub struct RequestOptions {
    pub vars: Vec<(String, String)>,
    pub source: ValueSource,
    pub show_secrets: bool,
}

/// Compiles each template file once, however many events it renders.
#[derive(Default)]
pub struct TemplateCache {
    compiled: HashMap<String, Result<Template, EngineError>>,
}

impl TemplateCache {
    pub fn get(
        &mut self,
        integration: &Integration,
        path: &str,
    ) -> Result<&Template, RequestError> {
        if !self.compiled.contains_key(path) {
            let source =
                integration
                    .read_template(path)
                    .map_err(|error| RequestError::TemplateFile {
                        file: display(integration, path),
                        error,
                    })?;
            self.compiled
                .insert(path.to_string(), Template::compile(&source));
        }
        match self.compiled.get(path) {
            Some(Ok(template)) => Ok(template),
            Some(Err(error)) => Err(RequestError::Template {
                file: display(integration, path),
                error: Box::new(error.clone()),
            }),
            None => unreachable!("inserted above"),
        }
    }
}

pub fn display(integration: &Integration, path: &str) -> String {
    integration.dir.join(path).display().to_string()
}

/// Renders the request for `event` with the template `route` chose.
pub fn build(
    integration: &Integration,
    event: &Value,
    route: Option<&Route>,
    options: &RequestOptions,
    templates: &mut TemplateCache,
) -> Result<Request, RequestError> {
    let manifest = &integration.manifest;
    let hook = manifest.hook().ok_or(RequestError::NoHook)?;
    let endpoint = hook
        .endpoint
        .as_ref()
        .ok_or_else(|| RequestError::NoEndpoint {
            delivery: hook.delivery_method.clone(),
        })?;
    let real_values = context::form_values(manifest, &options.vars, options.source)?;
    let (values, masked) = masked_values(integration, &real_values, options);
    let oauth = context::oauth(manifest);
    let manifest_file = integration.document.name().to_string();

    let endpoint_context = context::endpoint_context(event, &values, &oauth);
    let url = Template::compile(&endpoint.url)
        .and_then(|t| t.render(&endpoint_context))
        .map_err(|error| RequestError::Url {
            file: manifest_file.clone(),
            error: Box::new(error),
        })?;
    let mut headers = Vec::new();
    for header in &endpoint.headers {
        let value = Template::compile(&header.value)
            .and_then(|t| t.render(&endpoint_context))
            .map_err(|error| RequestError::Header {
                file: manifest_file.clone(),
                name: header.name.clone(),
                error: Box::new(error),
            })?;
        headers.push(HeaderLine {
            name: header.name.clone(),
            value,
        });
    }

    let mut notes = Vec::new();
    let body = match route {
        Some(route) => render_body(integration, event, route, &values, &oauth, templates)?,
        None => {
            notes.push(
                "useStandardWebhookPayload: the body is LaunchDarkly's standard audit-log webhook payload, which no template shapes"
                    .to_string(),
            );
            String::new()
        }
    };
    if !masked.is_empty() {
        notes.push(format!(
            "secret form variables shown as {MASK}: {} (--show-secrets shows them)",
            masked.join(", ")
        ));
    }
    if let Some(signature) = endpoint.hmac_signature.as_ref().filter(|_| route.is_some()) {
        sign(signature, &real_values, &body, &mut headers, &mut notes);
    }
    Ok(Request {
        method: endpoint.method.clone(),
        url,
        headers,
        body,
        notes,
    })
}

fn render_body(
    integration: &Integration,
    event: &Value,
    route: &Route,
    values: &FormValues,
    oauth: &Value,
    templates: &mut TemplateCache,
) -> Result<String, RequestError> {
    let json = is_json_template(&route.path);
    let template = templates.get(integration, &route.path)?;
    let body = template
        .render(&context::body_context(event, values, oauth, json))
        .map_err(|error| RequestError::Template {
            file: display(integration, &route.path),
            error: Box::new(error),
        })?;
    if json {
        check_json(&body).map_err(|(message, line, column, excerpt)| {
            RequestError::InvalidJson {
                file: display(integration, &route.path),
                message,
                line,
                column,
                excerpt,
            }
        })?;
    }
    Ok(body)
}

/// Secret values given on the command line are replaced by [`MASK`] unless asked to show them;
/// test values and placeholders are not secrets and show as they are.
fn masked_values(
    integration: &Integration,
    values: &FormValues,
    options: &RequestOptions,
) -> (FormValues, Vec<String>) {
    let mut shown = values.clone();
    let mut masked = Vec::new();
    if options.show_secrets {
        return (shown, masked);
    }
    for variable in integration
        .manifest
        .form_variables
        .iter()
        .filter(|v| v.is_secret)
    {
        if options.vars.iter().any(|(k, _)| *k == variable.key) {
            shown.insert(variable.key.clone(), Value::String(MASK.to_string()));
            masked.push(variable.key.clone());
        }
    }
    (shown, masked)
}

fn sign(
    signature: &crate::manifest::model::HmacSignature,
    values: &FormValues,
    body: &str,
    headers: &mut Vec<HeaderLine>,
    notes: &mut Vec<String>,
) {
    let Some(header) = signature.header_name.clone() else {
        notes
            .push("hmacSignature names no headerName, so no signature header is shown".to_string());
        return;
    };
    let secret = signature
        .hmac_secret_form_variable_key
        .as_ref()
        .and_then(|key| values.get(key))
        .and_then(Value::as_str);
    let Some(secret) = secret else {
        notes.push(format!(
            "hmacSignature: no secret value, so `{header}` is not shown"
        ));
        return;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return;
    };
    mac.update(body.as_bytes());
    let digest: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    headers.push(HeaderLine {
        name: header.clone(),
        value: digest,
    });
    notes.push(format!(
        "`{header}` is the hex HMAC-SHA256 of the body keyed by the secret, as LaunchDarkly signs webhooks; the framework does not document the scheme for this capability"
    ));
}

/// `Ok` when `text` is JSON; else the parser's message, the place, and the lines around it.
fn check_json(text: &str) -> Result<(), (String, usize, usize, String)> {
    let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) else {
        return Ok(());
    };
    let line = error.line().max(1);
    let column = error.column().max(1);
    let lines: Vec<&str> = text.lines().collect();
    let first = line.saturating_sub(2).max(1);
    let last = (line + 1).min(lines.len().max(1));
    let mut excerpt = String::new();
    for number in first..=last {
        let content = lines.get(number - 1).copied().unwrap_or("");
        excerpt.push_str(&format!("{number:>5} | {content}\n"));
        if number == line {
            excerpt.push_str(&format!(
                "      | {}^\n",
                " ".repeat(column.saturating_sub(1))
            ));
        }
    }
    let message = error.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    Err((message, line, column, excerpt.trim_end().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_shows_the_line() {
        let (message, line, column, excerpt) =
            check_json("{\n  \"a\": \"x\",\n}").expect_err("trailing comma");
        assert_eq!((line, column), (3, 1));
        assert!(!message.is_empty());
        assert!(excerpt.contains("    3 | }"), "{excerpt}");
        assert!(check_json("{\"a\": 1}").is_ok());
    }
}

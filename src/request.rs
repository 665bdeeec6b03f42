//! The HTTP request LaunchDarkly would send for one event: method, URL, headers and body, each
//! rendered exactly as the framework's reference renderer renders them.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::context::{self, ContextError, FormValues, ValueSource};
use crate::engine::{EngineError, Template, is_json_template};
use crate::integration::{FileError, Integration};
use crate::manifest::model::{Endpoint, HmacSignature};
use crate::routing::Route;

/// What a secret's value shows as unless `--show-secrets`.
pub(crate) const MASK: &str = "********";
/// How the note that says which secrets are masked begins.
pub(crate) const MASKED_NOTE: &str = "secret form variables shown as";

/// What a part of the request derived from a secret shows as when the mask does not show in
/// it: the base64 of a masked credential would pass for a real one.
pub(crate) const DERIVED: &str = "<masked: derived from a secret form variable>";

#[derive(Debug, Clone, serde::Serialize)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<HeaderLine>,
    pub body: String,
    /// Things the reader should know about how this request was made.
    pub notes: Vec<String>,
    /// Whether anything shown differs from what would be sent, because secrets are masked.
    #[serde(skip)]
    pub masked: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    #[error(
        "{place}: {failure} with the value given for {secrets} (the details would quote it; --show-secrets shows them)"
    )]
    FailsWithSecret {
        place: String,
        failure: String,
        secrets: String,
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
    /// `--set path=value`: changes to the chosen event, made before routing and policy.
    pub sets: Vec<String>,
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
        let compiled = match self.compiled.entry(path.to_string()) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                let source = integration.read_template(path).map_err(|error| {
                    RequestError::TemplateFile {
                        file: integration.shown_path(path),
                        error,
                    }
                })?;
                entry.insert(Template::compile(&source))
            }
        };
        compiled.as_ref().map_err(|error| RequestError::Template {
            file: integration.shown_path(path),
            error: Box::new(error.clone()),
        })
    }
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
    let secrets = secrets_to_mask(integration, options);
    let target = Target {
        integration,
        endpoint,
        event,
        route,
    };
    let real = target.render(&real_values, templates);
    let shown = if secrets.is_empty() {
        Shown::unmasked(real)?
    } else {
        let masked = target.render(&mask(&real_values, &secrets), templates);
        Shown::masked(real, masked, &secrets)?
    };

    let mut notes = Vec::new();
    if route.is_none() {
        notes.push(
            "useStandardWebhookPayload: the body is LaunchDarkly's standard audit-log webhook payload, which no template shapes"
                .to_string(),
        );
    }
    if !secrets.is_empty() {
        notes.push(format!(
            "{MASKED_NOTE} {MASK}: {} (--show-secrets shows them)",
            secrets.join(", ")
        ));
    }
    let Shown {
        url,
        mut headers,
        body,
        mut masked,
        body_is_real,
    } = shown;
    if let Some(signature) = endpoint.hmac_signature.as_ref().filter(|_| route.is_some()) {
        let signing = Signing {
            values: &real_values,
            body: &body,
            body_is_real,
            secrets: &secrets,
        };
        masked |= sign(signature, &signing, &mut headers, &mut notes);
    }
    Ok(Request {
        method: endpoint.method.clone(),
        url,
        headers,
        body,
        notes,
        masked,
    })
}

/// What a request is rendered from, apart from the form variable values.
struct Target<'a> {
    integration: &'a Integration,
    endpoint: &'a Endpoint,
    event: &'a Value,
    route: Option<&'a Route>,
}

/// One rendering of each part of a request, kept apart so that a part that fails, or that a
/// secret changes, can be told from the others.
struct Rendering {
    url: Result<String, RequestError>,
    headers: Vec<(String, Result<String, RequestError>)>,
    body: Result<String, RequestError>,
}

impl Target<'_> {
    fn render(&self, values: &FormValues, templates: &mut TemplateCache) -> Rendering {
        let manifest_file = self.integration.document.name().to_string();
        let oauth = context::oauth(&self.integration.manifest);
        let endpoint_context = context::endpoint_context(self.event, values, &oauth);
        let url = Template::compile(&self.endpoint.url)
            .and_then(|t| t.render(&endpoint_context))
            .map_err(|error| RequestError::Url {
                file: manifest_file.clone(),
                error: Box::new(error),
            });
        let headers = self
            .endpoint
            .headers
            .iter()
            .map(|header| {
                let value = Template::compile(&header.value)
                    .and_then(|t| t.render(&endpoint_context))
                    .map_err(|error| RequestError::Header {
                        file: manifest_file.clone(),
                        name: header.name.clone(),
                        error: Box::new(error),
                    });
                (header.name.clone(), value)
            })
            .collect();
        let body = match self.route {
            Some(route) => render_body(
                self.integration,
                self.event,
                route,
                values,
                &oauth,
                templates,
            ),
            None => Ok(String::new()),
        };
        Rendering { url, headers, body }
    }
}

/// The parts of the request as shown.
struct Shown {
    url: String,
    headers: Vec<HeaderLine>,
    body: String,
    /// Whether any part shown differs from what would be sent.
    masked: bool,
    /// Whether the body shown is the body that would be sent (and signed).
    body_is_real: bool,
}

impl Shown {
    /// The request as rendered; its first failing part, in the order it is sent, is the error.
    fn unmasked(real: Rendering) -> Result<Shown, RequestError> {
        let url = real.url?;
        let headers = real
            .headers
            .into_iter()
            .map(|(name, value)| {
                Ok(HeaderLine {
                    name,
                    value: value?,
                })
            })
            .collect::<Result<Vec<_>, RequestError>>()?;
        Ok(Shown {
            url,
            headers,
            body: real.body?,
            masked: false,
            body_is_real: true,
        })
    }

    /// Each part from the rendering with secrets masked, unless it is the same as the real one.
    /// The masked rendering never saw a secret, so nothing taken from it can reveal one.
    fn masked(
        real: Rendering,
        masked: Rendering,
        secrets: &[String],
    ) -> Result<Shown, RequestError> {
        let url = conceal(real.url, masked.url, secrets)?;
        let headers = real
            .headers
            .into_iter()
            .zip(masked.headers)
            .map(|((name, real), (_, masked))| Ok((name, conceal(real, masked, secrets)?)))
            .collect::<Result<Vec<_>, RequestError>>()?;
        let body = conceal(real.body, masked.body, secrets)?;
        let any_concealed =
            url.concealed || body.concealed || headers.iter().any(|(_, v)| v.concealed);
        Ok(Shown {
            url: url.text,
            headers: headers
                .into_iter()
                .map(|(name, value)| HeaderLine {
                    name,
                    value: value.text,
                })
                .collect(),
            body_is_real: !body.concealed,
            body: body.text,
            masked: any_concealed,
        })
    }
}

/// One part of the request as shown when secrets are masked.
struct Concealed {
    text: String,
    /// Whether `text` differs from what would be sent.
    concealed: bool,
}

/// A part rendered with secrets masked and without a visible mask (a base64 credential, a
/// branch taken on a secret's value) would pass for the real thing, so it shows as [`DERIVED`].
/// A failure of the real rendering alone is the secret's doing, and its details would quote it.
fn conceal(
    real: Result<String, RequestError>,
    masked: Result<String, RequestError>,
    secrets: &[String],
) -> Result<Concealed, RequestError> {
    match (real, masked) {
        (Ok(real), Ok(masked)) if real == masked => Ok(Concealed {
            text: masked,
            concealed: false,
        }),
        (Ok(_), Ok(masked)) if masked.contains(MASK) => Ok(Concealed {
            text: masked,
            concealed: true,
        }),
        (Ok(_), _) => Ok(Concealed {
            text: DERIVED.to_string(),
            concealed: true,
        }),
        (Err(_), Err(masked)) => Err(masked),
        (Err(real), Ok(_)) => Err(hide_details(real, secrets)),
    }
}

/// The error of a part that renders with secrets masked but not with their real values, told
/// without the engine's or the JSON parser's details, which may quote the secret.
fn hide_details(error: RequestError, secrets: &[String]) -> RequestError {
    let (place, failure) = match &error {
        RequestError::Url { file, .. } => (
            format!("{file}: endpoint URL template"),
            "it does not render",
        ),
        RequestError::Header { file, name, .. } => (
            format!("{file}: value of header `{name}`"),
            "it does not render",
        ),
        RequestError::Template { file, .. } => (file.clone(), "the template does not render"),
        RequestError::InvalidJson { file, .. } => {
            (file.clone(), "the rendered body is not valid JSON")
        }
        // The others come before any value is used, so the masked rendering fails the same way.
        _ => return error,
    };
    let keys: Vec<String> = secrets.iter().map(|k| format!("`{k}`")).collect();
    RequestError::FailsWithSecret {
        place,
        failure: failure.to_string(),
        secrets: format!(
            "{} {}",
            if keys.len() == 1 { "secret" } else { "secrets" },
            keys.join(", ")
        ),
    }
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
    let context = context::body_context(event, values, oauth, json);
    let rendered = if json {
        template.render_json_escaped(&context)
    } else {
        template.render(&context)
    };
    let body = rendered.map_err(|error| RequestError::Template {
        file: integration.shown_path(&route.path),
        error: Box::new(error),
    })?;
    if json {
        check_json(&body).map_err(|(message, line, column, excerpt)| {
            RequestError::InvalidJson {
                file: integration.shown_path(&route.path),
                message,
                line,
                column,
                excerpt,
            }
        })?;
    }
    Ok(body)
}

/// The form variables shown masked: secret ones given with `--var` (test values and
/// placeholders are not secrets), the HMAC key among them whatever its `isSecret` says, since
/// the signature would reveal it. None with `--show-secrets`.
fn secrets_to_mask(integration: &Integration, options: &RequestOptions) -> Vec<String> {
    if options.show_secrets {
        return Vec::new();
    }
    secret_keys(integration)
        .into_iter()
        .filter(|key| options.vars.iter().any(|(k, _)| k == key))
        .collect()
}

/// `options` with every secret variable not given set to its test (or placeholder) value as if
/// given, so that it is masked too: what is shown in its place then does not depend on what a
/// test value happens to be (snapshots, the pull request's preview).
pub fn masking_every_secret(
    integration: &Integration,
    mut options: RequestOptions,
) -> Result<RequestOptions, RequestError> {
    let values = context::form_values(&integration.manifest, &options.vars, options.source)?;
    for key in secret_keys(integration) {
        if options.vars.iter().any(|(k, _)| *k == key) {
            continue;
        }
        if let Some(value) = values.get(&key).and_then(serde_json::Value::as_str) {
            options.vars.push((key, value.to_string()));
        }
    }
    Ok(options)
}

/// The form variables whose values are masked when given: the secret ones and the HMAC key.
pub(crate) fn secret_keys(integration: &Integration) -> Vec<String> {
    let manifest = &integration.manifest;
    let hmac_key = manifest
        .hook()
        .and_then(|hook| hook.endpoint.as_ref())
        .and_then(|endpoint| endpoint.hmac_signature.as_ref())
        .and_then(|signature| signature.hmac_secret_form_variable_key.as_deref());
    manifest
        .form_variables
        .iter()
        .filter(|v| v.is_secret || Some(v.key.as_str()) == hmac_key)
        .map(|v| v.key.clone())
        .collect()
}

fn mask(values: &FormValues, secrets: &[String]) -> FormValues {
    let mut masked = values.clone();
    for key in secrets {
        masked.insert(key.clone(), Value::String(MASK.to_string()));
    }
    masked
}

/// What the signature is computed from, and whether it may be shown.
struct Signing<'a> {
    values: &'a FormValues,
    body: &'a str,
    body_is_real: bool,
    secrets: &'a [String],
}

/// Adds the signature header; returns whether it is masked. A signature shown is computed
/// only from a key that is not masked over the body that is shown: a signature keyed by a
/// secret, or over a body that holds one, would let anyone test guesses of it offline.
fn sign(
    signature: &HmacSignature,
    signing: &Signing,
    headers: &mut Vec<HeaderLine>,
    notes: &mut Vec<String>,
) -> bool {
    let Some(header) = signature.header_name.clone() else {
        notes
            .push("hmacSignature names no headerName, so no signature header is shown".to_string());
        return false;
    };
    let key = signature.hmac_secret_form_variable_key.as_deref();
    let secret = key
        .and_then(|key| signing.values.get(key))
        .and_then(Value::as_str);
    let Some(secret) = secret else {
        notes.push(format!(
            "hmacSignature: no secret value, so `{header}` is not shown"
        ));
        return false;
    };
    let masked = match key.filter(|key| signing.secrets.iter().any(|s| s == key)) {
        Some(key) => Some(format!(
            "<masked: HMAC of the body keyed by secret `{key}`>"
        )),
        None if !signing.body_is_real => {
            Some("<masked: HMAC of a body that holds a secret>".to_string())
        }
        None => None,
    };
    if let Some(value) = masked {
        headers.push(HeaderLine {
            name: header,
            value,
        });
        return true;
    }
    let digest = self::signature(secret.as_bytes(), signing.body.as_bytes());
    headers.push(HeaderLine {
        name: header.clone(),
        value: digest,
    });
    notes.push(format!(
        "`{header}` is the hex HMAC-SHA256 of the body keyed by the secret, as LaunchDarkly signs webhooks; the framework does not document the scheme for this capability"
    ));
    false
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

/// Bytes as lowercase hexadecimal, two digits each, as signature headers carry a digest.
/// Hex HMAC-SHA256 of `body` keyed by `secret`: how `hmacSignature` signs, the scheme
/// LaunchDarkly documents for its generic webhooks. The one signing function: `render`
/// shows it, `send` sends it, `receive` checks it.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(body);
    lowercase_hex(&mac.finalize().into_bytes())
}

pub(crate) fn lowercase_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .flat_map(|byte| [byte >> 4, byte & 0x0f])
        .filter_map(|nibble| char::from_digit(u32::from(nibble), 16))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid_json() -> RequestError {
        RequestError::InvalidJson {
            file: "t.json.hbs".to_string(),
            message: "m".to_string(),
            line: 1,
            column: 1,
            excerpt: "secret".to_string(),
        }
    }

    #[test]
    fn each_part_shows_the_masked_rendering_or_says_it_is_derived() {
        let secrets = ["apiKey".to_string()];
        let shown = |real: &str, masked: &str| {
            let part =
                conceal(Ok(real.to_string()), Ok(masked.to_string()), &secrets).expect("renders");
            (part.text, part.concealed)
        };
        assert_eq!(shown("same", "same"), ("same".to_string(), false));
        assert_eq!(
            shown("Bearer s3cret", "Bearer ********"),
            ("Bearer ********".to_string(), true)
        );
        assert_eq!(
            shown("Basic dTpzM2NyZXQ=", "Basic dToqKioqKioqKg=="),
            (DERIVED.to_string(), true)
        );
        let broken_by_mask = conceal(Ok("1".to_string()), Err(invalid_json()), &secrets);
        assert_eq!(broken_by_mask.expect("real renders").text, DERIVED);
    }

    #[test]
    fn a_failure_of_the_real_rendering_alone_hides_its_details() {
        let secrets = ["apiKey".to_string()];
        let error = conceal(Err(invalid_json()), Ok("{}".to_string()), &secrets)
            .err()
            .expect("fails");
        assert_eq!(
            error.to_string(),
            "t.json.hbs: the rendered body is not valid JSON with the value given for secret `apiKey` (the details would quote it; --show-secrets shows them)"
        );
        let both = conceal(Err(invalid_json()), Err(invalid_json()), &secrets)
            .err()
            .expect("fails");
        assert!(matches!(both, RequestError::InvalidJson { .. }));
    }

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

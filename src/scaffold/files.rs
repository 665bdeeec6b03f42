//! The files `init` writes, built in memory from the answers.

use serde_json::{Map, Value, json};

use super::answers::Answers;
use super::choices::{Auth, BodyFormat, Method, PolicyPreset};
use super::{icons, reach, readme, templates};
use crate::format;

/// One file of the integration: its path relative to the integration directory, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub path: String,
    pub contents: String,
}

pub(super) const SQUARE_ICON: &str = "assets/square.svg";
pub(super) const HORIZONTAL_ICON: &str = "assets/horizontal.svg";
/// The header LaunchDarkly's signed webhooks use, which every framework integration with
/// `hmacSignature` names too.
pub(super) const SIGNATURE_HEADER: &str = "X-LD-Signature";

/// Every file of the integration, manifest first.
pub fn plan(answers: &Answers) -> Vec<PlannedFile> {
    let file = |path: &str, contents: String| PlannedFile {
        path: path.to_string(),
        contents,
    };
    let mut files = vec![
        file("manifest.json", format::format_value(&manifest(answers))),
        file(SQUARE_ICON, icons::square(&answers.name, &answers.key)),
        file(
            HORIZONTAL_ICON,
            icons::horizontal(&answers.name, &answers.key),
        ),
    ];
    for (kind, path) in template_paths(answers) {
        files.push(file(&path, templates::source(kind, answers.body)));
    }
    files.push(file("README.md", readme::text(answers)));
    files
}

/// The template kinds `init` writes and where: those the policy can reach.
fn template_paths(answers: &Answers) -> Vec<(&'static str, String)> {
    reach::template_kinds(answers.policy)
        .into_iter()
        .map(|kind| (kind.as_str(), template_path(kind.as_str(), answers.body)))
        .collect()
}

pub(super) fn template_path(kind: &str, body: BodyFormat) -> String {
    format!("templates/{kind}.{}", body.extension())
}

/// The endpoint URL template: the URL as typed, or for OAuth its path on the connection's base
/// URI. Triple braces, because the base URI must not be HTML-escaped.
pub(super) fn endpoint_url(text: &str, auth: Option<Auth>) -> String {
    let text = text.trim();
    if auth != Some(Auth::Oauth) {
        return text.to_string();
    }
    let path = match text.strip_prefix("https://") {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => text,
    };
    format!("{{{{{{oauth.baseURI}}}}}}{path}")
}

pub(super) fn manifest(answers: &Answers) -> Value {
    let mut links = Map::new();
    links.insert("site".into(), answers.site.clone().into());
    links.insert(
        "privacyPolicy".into(),
        answers.privacy_policy.clone().into(),
    );
    if let Some(docs) = &answers.docs {
        links.insert("launchdarklyDocs".into(), docs.clone().into());
    }
    let mut manifest = json!({
        "name": answers.name,
        "version": "1.0.0",
        "overview": answers.overview,
        "description": answers.description,
        "author": answers.author,
        "supportEmail": answers.email,
        "links": links,
        "categories": answers.categories,
        "icons": {"square": SQUARE_ICON, "horizontal": HORIZONTAL_ICON},
    });
    let Some(object) = manifest.as_object_mut() else {
        return manifest;
    };
    let variables = form_variables(answers.auth);
    if !variables.is_empty() {
        object.insert("formVariables".into(), Value::Array(variables));
    }
    if answers.auth == Auth::Oauth {
        object.insert("requiresOAuth".into(), true.into());
        object.insert("oauthIntegrationKey".into(), answers.key.clone().into());
    }
    object.insert(
        "capabilities".into(),
        json!({"auditLogEventsHook": hook(answers)}),
    );
    manifest
}

fn hook(answers: &Answers) -> Value {
    let mut endpoint = Map::new();
    endpoint.insert(
        "url".into(),
        endpoint_url(&answers.endpoint_url, Some(answers.auth)).into(),
    );
    endpoint.insert("method".into(), answers.method.as_str().into());
    endpoint.insert("headers".into(), Value::Array(headers(answers)));
    if answers.auth == Auth::Hmac {
        endpoint.insert(
            "hmacSignature".into(),
            json!({"headerName": SIGNATURE_HEADER, "hmacSecretFormVariableKey": "signingSecret"}),
        );
    }
    let templates: Map<String, Value> = template_paths(answers)
        .into_iter()
        .map(|(kind, path)| (kind.to_string(), path.into()))
        .collect();
    let mut hook = json!({
        "endpoint": endpoint,
        "templates": templates,
        "defaultPolicy": [reach::policy_statement(answers.policy)],
    });
    // A fixed host is what lets LaunchDarkly show the endpoint's error responses (rule LDH106);
    // an OAuth base URI is not fixed.
    if answers.auth != Auth::Oauth
        && let Some(hook) = hook.as_object_mut()
    {
        hook.insert("includeErrorResponseBody".into(), true.into());
    }
    hook
}

fn header(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

/// Credentials print with triple braces: HTML escaping would turn a base64 `=` into `&#x3D;`.
fn headers(answers: &Answers) -> Vec<Value> {
    let mut headers = vec![header("Content-Type", answers.body.content_type())];
    match answers.auth {
        Auth::None | Auth::Hmac => {}
        Auth::Bearer => headers.push(header("Authorization", "Bearer {{{apiToken}}}")),
        Auth::Basic => headers.push(header(
            "Authorization",
            "{{{basicAuthHeaderValue username password}}}",
        )),
        Auth::Header => headers.push(header(&answers.auth_header, "{{{apiKey}}}")),
        Auth::Oauth => headers.push(header("Authorization", "Bearer {{{oauth.accessToken}}}")),
    }
    headers
}

fn variable(key: &str, name: &str, description: &str, secret: bool) -> Value {
    let mut variable =
        json!({"key": key, "name": name, "type": "string", "description": description});
    if secret && let Some(object) = variable.as_object_mut() {
        object.insert("isSecret".into(), true.into());
    }
    variable
}

fn form_variables(auth: Auth) -> Vec<Value> {
    match auth {
        Auth::None | Auth::Oauth => vec![],
        Auth::Bearer => vec![variable(
            "apiToken",
            "API token",
            "The API token LaunchDarkly sends as a bearer token with every request.",
            true,
        )],
        Auth::Basic => vec![
            variable(
                "username",
                "Username",
                "The user name LaunchDarkly signs in with (HTTP basic authentication).",
                false,
            ),
            variable(
                "password",
                "Password",
                "The password LaunchDarkly signs in with (HTTP basic authentication).",
                true,
            ),
        ],
        Auth::Header => vec![variable(
            "apiKey",
            "API key",
            "The API key LaunchDarkly sends in a header with every request.",
            true,
        )],
        Auth::Hmac => vec![variable(
            "signingSecret",
            "Signing secret",
            "A shared secret. LaunchDarkly signs every request with it in the `X-LD-Signature` header, so that you can check where requests come from.",
            true,
        )],
    }
}

/// Answers that pass every check, for checking one answer at a time in a complete manifest.
pub(super) fn example_answers() -> Answers {
    Answers {
        name: "Example".into(),
        key: "example".into(),
        author: "Example Inc.".into(),
        email: "support@example.com".into(),
        site: "https://example.com".into(),
        privacy_policy: "https://example.com/privacy".into(),
        docs: Some("https://example.com/docs".into()),
        categories: vec!["notifications".into()],
        overview: "Send LaunchDarkly flag changes to Example.".into(),
        description:
            "Send LaunchDarkly flag changes to Example as they happen, with who made them and why."
                .into(),
        endpoint_url: "https://api.example.com/events".into(),
        method: Method::Post,
        auth: Auth::Header,
        auth_header: "X-API-Key".into(),
        policy: PolicyPreset::ProductionFlags,
        body: BodyFormat::Json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_endpoints_live_on_the_base_uri() {
        assert_eq!(
            endpoint_url("https://api.acme.example/v1/events?x=1", Some(Auth::Oauth)),
            "{{{oauth.baseURI}}}/v1/events?x=1"
        );
        assert_eq!(
            endpoint_url("/hook", Some(Auth::Oauth)),
            "{{{oauth.baseURI}}}/hook"
        );
        assert_eq!(
            endpoint_url("https://api.acme.example", Some(Auth::Oauth)),
            "{{{oauth.baseURI}}}/"
        );
        assert_eq!(
            endpoint_url("https://api.acme.example/x", Some(Auth::Bearer)),
            "https://api.acme.example/x"
        );
    }

    #[test]
    fn the_plan_wires_every_file_the_manifest_names() {
        let files = plan(&example_answers());
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "manifest.json",
                "assets/square.svg",
                "assets/horizontal.svg",
                "templates/flag.json.hbs",
                "templates/validation.json.hbs",
                "README.md"
            ]
        );
        let manifest = manifest(&example_answers());
        assert_eq!(
            manifest["capabilities"]["auditLogEventsHook"]["templates"]["flag"],
            "templates/flag.json.hbs"
        );
        assert_eq!(
            manifest["capabilities"]["auditLogEventsHook"]["endpoint"]["headers"][1]["name"],
            "X-API-Key"
        );
    }
}

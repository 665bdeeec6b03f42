//! Checking one answer as it is typed, with the rules `validate` applies to the manifest value it
//! becomes: the answer is put into a complete manifest and the embedded schema judges it, so a
//! prompt says no to exactly what the schema would (lengths, URL forms, e-mail, categories).
//! The checks the schema cannot express come from the rules that make them.

use std::sync::OnceLock;

use serde_json::Value;

use super::answers::{Draft, split_categories};
use super::choices::Auth;
use super::files;
use super::questions::{Field, Question};
use crate::manifest::Document;
use crate::pointer::Pointer;
use crate::schema::Schema;

/// `Ok` when `text` is an acceptable answer to `field`, else what is wrong, in a sentence.
pub fn check(field: Field, text: &str, draft: &Draft) -> Result<(), String> {
    let Some(question) = field.question() else {
        return Err(format!(
            "ldhook has no question for {field:?}; this is a bug in ldhook"
        ));
    };
    let text = text.trim();
    let verdict = match ((question.check)(text, draft), question.pointer) {
        (Ok(Some(value)), Some(pointer)) => schema_verdict(pointer, value),
        (verdict, _) => verdict.map(|_| ()),
    };
    verdict.map_err(|problem| without_scheme(question, text, draft).unwrap_or(problem))
}

/// A refused address typed without its scheme (`acme.com`) is the usual slip at a URL
/// question, and the schema's words (`must be an http:// or https:// URL`) do not say what to
/// type instead, so the refusal shows the answer as it should be.
fn without_scheme(question: &Question, text: &str, draft: &Draft) -> Option<String> {
    let oauth_path = question.field == Field::EndpointUrl && draft.auth == Some(Auth::Oauth);
    let wants_url = question.value_name == "URL" && !oauth_path;
    let bare = !text.is_empty() && !text.contains("://") && !text.contains(char::is_whitespace);
    (wants_url && bare)
        .then(|| format!("`{text}` is not a full URL; type a full URL such as https://{text}"))
}

/// An answer the schema judges as it is typed.
pub(super) fn text(text: &str, _: &Draft) -> Result<Option<Value>, String> {
    Ok(Some(Value::from(text)))
}

/// Empty is the answer "none"; anything else the schema judges.
pub(super) fn optional_text(text: &str, _: &Draft) -> Result<Option<Value>, String> {
    Ok((!text.is_empty()).then(|| Value::from(text)))
}

/// A word from a closed list: [`Draft::set`] parses it, and the refusal lists the words.
pub(super) fn choice(_: &str, _: &Draft) -> Result<Option<Value>, String> {
    Ok(None)
}

pub(super) fn categories(text: &str, _: &Draft) -> Result<Option<Value>, String> {
    Ok(Some(Value::from(split_categories(text))))
}

pub(super) fn overview(text: &str, _: &Draft) -> Result<Option<Value>, String> {
    if !text.ends_with('.') {
        return Err("the overview must end with a period (rule LDH102)".to_string());
    }
    Ok(Some(Value::from(text)))
}

pub(super) fn auth_header(text: &str, _: &Draft) -> Result<Option<Value>, String> {
    if text.eq_ignore_ascii_case("content-type") {
        return Err(
            "`Content-Type` is set already; name the header that carries the key (rule LDH209)"
                .to_string(),
        );
    }
    Ok(Some(Value::from(text)))
}

/// The URL as typed is checked here; the schema judges the template it becomes.
pub(super) fn endpoint_url(text: &str, draft: &Draft) -> Result<Option<Value>, String> {
    endpoint(text, draft.auth == Some(Auth::Oauth))?;
    Ok(Some(Value::from(files::endpoint_url(text, draft.auth))))
}

/// The key names the integration's directory; the framework's directories are kebab-case.
pub(super) fn key(text: &str, _: &Draft) -> Result<Option<Value>, String> {
    let kebab = !text.is_empty()
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !kebab {
        return Err(format!(
            "`{text}` is not a key: use lower-case letters and digits in words joined by hyphens, like acme-ops"
        ));
    }
    if !(3..=100).contains(&text.len()) {
        return Err(format!(
            "the key must be 3 to 100 characters long; `{text}` has {}",
            text.len()
        ));
    }
    Ok(None)
}

/// A fixed http(s) endpoint, or for OAuth a path on the base URI the OAuth connection
/// provides. `http://` is accepted because local testing needs `http://localhost:…`; rule LDH205
/// warns on it, and `init` shows that warning as `validate` reports it. Braces are refused
/// because the URL is a template.
fn endpoint(text: &str, oauth: bool) -> Result<(), String> {
    if text.contains("{{") || text.contains("}}") {
        return Err("type the URL itself; ldhook writes the template parts".to_string());
    }
    if text.chars().any(char::is_whitespace) {
        return Err("a URL cannot contain white space".to_string());
    }
    if oauth && text.starts_with('/') {
        return Ok(());
    }
    let after_scheme = if oauth {
        // The base URI comes from the OAuth connection; only the path of a full URL is kept.
        text.strip_prefix("https://").ok_or_else(|| {
            "with OAuth, give the path LaunchDarkly appends to the OAuth base URI, like /v1/events"
                .to_string()
        })?
    } else {
        text.strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| {
                "the endpoint must be a full URL such as https://hooks.example.com/v1/events \
                 (http:// only for local testing: rule LDH205 warns on it)"
                    .to_string()
            })?
    };
    let host = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') || host.contains('@') {
        return Err(format!("`{text}` names no host"));
    }
    Ok(())
}

/// What the embedded schema says of `value` placed at `pointer` in a manifest that is otherwise
/// valid.
fn schema_verdict(pointer: &str, value: Value) -> Result<(), String> {
    let Some((schema, example)) = reference() else {
        return Err("ldhook's embedded schema does not compile; this is a bug in ldhook".into());
    };
    let place = Pointer::from_encoded(pointer);
    let mut manifest = example.clone();
    let Some(slot) = manifest.pointer_mut(pointer) else {
        return Err(format!(
            "ldhook's example manifest has no {pointer}; this is a bug in ldhook"
        ));
    };
    *slot = value;
    let text = serde_json::to_string(&manifest).map_err(|e| e.to_string())?;
    let document =
        Document::parse("manifest.json", text.as_bytes()).map_err(|syntax| syntax.error.message)?;
    let problems: Vec<String> = schema
        .check(&document)
        .into_iter()
        .filter(|d| d.pointer.as_ref().is_some_and(|p| p.is_within(&place)))
        .map(|d| d.message)
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The embedded schema and a manifest it accepts, built once.
fn reference() -> Option<&'static (Schema, Value)> {
    static REFERENCE: OnceLock<Option<(Schema, Value)>> = OnceLock::new();
    REFERENCE
        .get_or_init(|| {
            let schema = Schema::embedded().ok()?;
            Some((schema, files::manifest(&files::example_answers())))
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(field: Field, text: &str) -> Result<(), String> {
        check(field, text, &Draft::default())
    }

    #[test]
    fn the_schema_judges_each_answer() {
        assert!(verdict(Field::Name, "Acme").is_ok());
        let short = verdict(Field::Name, "Ac").unwrap_err();
        assert!(short.contains("at least 3"), "{short}");
        assert!(verdict(Field::Email, "help@localhost").is_ok());
        assert!(verdict(Field::Email, "not an address").is_err());
        assert!(verdict(Field::Site, "ftp://acme.example").is_err());
        for field in [
            Field::Site,
            Field::PrivacyPolicy,
            Field::Docs,
            Field::EndpointUrl,
        ] {
            assert_eq!(
                verdict(field, " acme.com "),
                Err(
                    "`acme.com` is not a full URL; type a full URL such as https://acme.com".into()
                ),
                "{field:?}"
            );
        }
        assert!(verdict(Field::Categories, "monitoring, notifications").is_ok());
        let unknown = verdict(Field::Categories, "monitoring, weather").unwrap_err();
        assert!(unknown.contains("weather"), "{unknown}");
        assert!(verdict(Field::Categories, "ai, data, import, automation").is_err());
        assert!(verdict(Field::Description, "Too short.").is_err());
    }

    #[test]
    fn rules_beyond_the_schema() {
        assert!(verdict(Field::Overview, "Send flag changes to Acme").is_err());
        assert!(verdict(Field::Overview, "Send flag changes to Acme.").is_ok());
        assert!(verdict(Field::Key, "acme-ops").is_ok());
        assert!(verdict(Field::Key, "Acme_Ops").is_err());
        assert!(verdict(Field::Key, "ab").is_err());
        assert!(verdict(Field::EndpointUrl, "http://localhost:8080/hook").is_ok());
        assert!(verdict(Field::EndpointUrl, "ftp://acme.example/hook").is_err());
        assert!(verdict(Field::EndpointUrl, "http:///hook").is_err());
        assert!(verdict(Field::EndpointUrl, "https://acme.example/{{x}}").is_err());
        assert!(verdict(Field::EndpointUrl, "https:///path").is_err());
        assert!(verdict(Field::EndpointUrl, "https://acme.example/v1/events?src=ld").is_ok());
        assert!(verdict(Field::AuthHeader, "content-type").is_err());
        assert!(verdict(Field::AuthHeader, "X Key").is_err());
        let oauth = Draft {
            auth: Some(Auth::Oauth),
            ..Draft::default()
        };
        assert!(check(Field::EndpointUrl, "/v1/events", &oauth).is_ok());
        assert!(check(Field::EndpointUrl, "v1/events", &oauth).is_err());
    }
}

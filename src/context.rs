//! The data templates are rendered with, built as the framework's test suite builds it.
//!
//! Body templates see the event with `formVariables` beside it (which also carries `oauth`, a
//! quirk of the framework's suite); the endpoint URL and header values see the form variables
//! at the top level, the event under `context`, and `oauth`.

use serde_json::{Map, Value, json};

use crate::engine::json_escape_value;
use crate::events::SampleEvent;
use crate::manifest::model::{FormVariableKind, Manifest};

/// Where form variable values come from when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// The framework's test values: the key for text types, `true`, `https://<key>.com`.
    TestValues,
    /// `$KEY` placeholders, as the framework's preview shows them.
    Placeholders,
}

/// Errors name a `--var` by its position, never by its text: a value may be a secret, and a
/// `--var` that is not `KEY=VALUE` may be nothing but a secret.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContextError {
    #[error(
        "the {} --var is not of the form `--var KEY=VALUE` (its text is not repeated, as it may hold a secret)",
        ordinal(*position)
    )]
    Malformed { position: usize },
    #[error("no form variable `{key}`{}; the manifest defines: {defined}", near.as_ref().map_or(String::new(), |near| format!(" (did you mean `{near}`?)")))]
    Unknown {
        key: String,
        /// The defined variable the key most likely meant.
        near: Option<String>,
        defined: String,
    },
    #[error(
        "the {} --var names no form variable (its text is not repeated, as it may hold a secret; the form is `--var KEY=VALUE`); the manifest defines: {defined}",
        ordinal(*position)
    )]
    UnknownUnnamed { position: usize, defined: String },
}

/// `1st`, `2nd`, `3rd`, `4th`, …, `11th`, `12th`, `13th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Form variable values by key, in manifest order.
pub(crate) type FormValues = Map<String, Value>;

/// Parses `key=value` pairs as given on the command line.
pub fn parse_vars(pairs: &[String]) -> Result<Vec<(String, String)>, ContextError> {
    pairs
        .iter()
        .zip(1..)
        .map(|(pair, position)| match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            _ => Err(ContextError::Malformed { position }),
        })
        .collect()
}

/// The values templates see: given ones (in command-line order, as errors count them) win,
/// others come from `source`.
pub fn form_values(
    manifest: &Manifest,
    given: &[(String, String)],
    source: ValueSource,
) -> Result<FormValues, ContextError> {
    for ((key, value), position) in given.iter().zip(1..) {
        if manifest.form_variable(key).is_none() {
            let defined: Vec<&str> = manifest
                .form_variables
                .iter()
                .map(|v| v.key.as_str())
                .collect();
            let defined = if defined.is_empty() {
                "none".to_string()
            } else {
                defined.join(", ")
            };
            return Err(if could_be_a_key(key, value) {
                let keys = manifest.form_variables.iter().map(|v| v.key.as_str());
                ContextError::Unknown {
                    key: key.clone(),
                    near: crate::diagnostics::suggest::closest(key, keys).map(str::to_string),
                    defined,
                }
            } else {
                ContextError::UnknownUnnamed { position, defined }
            });
        }
    }
    let mut values = Map::new();
    for variable in &manifest.form_variables {
        let given = given
            .iter()
            .rev()
            .find(|(k, _)| *k == variable.key)
            .map(|(_, v)| v);
        let value = match given {
            Some(text) if variable.kind == FormVariableKind::Boolean => match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_string()),
            },
            Some(text) => Value::String(text.clone()),
            None => match default_value(&variable.key, &variable.kind, source) {
                Some(value) => value,
                None => continue,
            },
        };
        values.insert(variable.key.clone(), value);
    }
    Ok(values)
}

/// Whether the text before the first `=` of a `--var` for no form variable can be named in
/// the error. A wrong separator before a value with `=` in it (`apiKey:dGVzdA==`) or a base64
/// token pasted without its key (`c2VjcmV0=`) splits into something that looks like KEY=VALUE,
/// so only what looks like a key (at most 20 characters, as the schema allows, of letters,
/// digits, `_`, `-` and `.`) before a value that is more than `=` padding is named.
fn could_be_a_key(key: &str, value: &str) -> bool {
    key.chars().count() <= 20
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !value.chars().all(|c| c == '=')
}

fn default_value(key: &str, kind: &FormVariableKind, source: ValueSource) -> Option<Value> {
    use FormVariableKind as Kind;
    match (source, kind) {
        (_, Kind::Boolean) => Some(Value::Bool(true)),
        (
            ValueSource::TestValues,
            Kind::String | Kind::Enum | Kind::DynamicEnum | Kind::Generated,
        ) => Some(Value::String(key.to_string())),
        (ValueSource::TestValues, Kind::Uri) => Some(Value::String(format!("https://{key}.com"))),
        (ValueSource::TestValues, _) => None,
        (ValueSource::Placeholders, _) => Some(Value::String(format!("${}", key.to_uppercase()))),
    }
}

/// `oauth` as templates see it: placeholders when the integration uses OAuth, else null.
pub fn oauth(manifest: &Manifest) -> Value {
    if manifest.requires_oauth {
        json!({"baseURI": "$OAUTH_BASE_URI", "accessToken": "$OAUTH_ACCESS_TOKEN"})
    } else {
        Value::Null
    }
}

/// The context of a body template; `json` escapes the event's strings first, as the
/// framework does for `.json` and `.json.hbs` templates (form variables stay as they are).
pub fn body_context(event: &Value, values: &FormValues, oauth: &Value, json: bool) -> Value {
    let event = if json {
        json_escape_value(event)
    } else {
        event.clone()
    };
    with_form_variables(event, form_variables(values, oauth))
}

/// `formVariables` as body templates see it: the values, and `oauth` among them.
pub fn form_variables(values: &FormValues, oauth: &Value) -> Value {
    let mut form = values.clone();
    form.insert("oauth".to_string(), oauth.clone());
    Value::Object(form)
}

/// The member of a body context that holds the form variables.
const FORM_VARIABLES: &str = "formVariables";
/// The member of an endpoint context that holds the event.
const EVENT: &str = "context";

fn with_form_variables(mut event: Value, form: Value) -> Value {
    if let Value::Object(map) = &mut event {
        map.insert(FORM_VARIABLES.to_string(), form);
    }
    event
}

/// The context of the endpoint URL and header values.
pub fn endpoint_context(event: &Value, values: &FormValues, oauth: &Value) -> Value {
    endpoint_with(values, event.clone(), oauth)
}

fn endpoint_with(values: &FormValues, event: Value, oauth: &Value) -> Value {
    let mut context = values.clone();
    context.insert(EVENT.to_string(), event);
    context.insert("oauth".to_string(), oauth.clone());
    Value::Object(context)
}

/// One worker's own copy of a set of sample events, lent to an integration's renders with its
/// form variables put in for the call and taken out after, so that checking a checkout copies
/// each event once per worker rather than once per integration. What a template sees is what
/// `body_context` and `endpoint_context` build, member for member and in the same order.
pub(crate) struct EventContexts {
    /// By event index: as it is, and JSON-escaped; each copied on first use.
    raw: Vec<Option<Value>>,
    escaped: Vec<Option<Value>>,
}

impl EventContexts {
    pub(crate) fn new(events: &[SampleEvent]) -> EventContexts {
        EventContexts {
            raw: vec![None; events.len()],
            escaped: vec![None; events.len()],
        }
    }

    fn copy(&mut self, events: &[SampleEvent], index: usize, json: bool) -> Option<&mut Value> {
        let event = events.get(index)?;
        let slots = if json {
            &mut self.escaped
        } else {
            &mut self.raw
        };
        Some(slots.get_mut(index)?.get_or_insert_with(|| {
            if json {
                event.json_escaped().clone()
            } else {
                event.value().clone()
            }
        }))
    }

    /// Calls `f` with the body context of `events[index]`; `None` for an index outside the set.
    pub(crate) fn with_body<R>(
        &mut self,
        events: &[SampleEvent],
        index: usize,
        json: bool,
        form: &mut Value,
        f: impl FnOnce(&Value) -> R,
    ) -> Option<R> {
        let context = self.copy(events, index, json)?;
        let Value::Object(map) = context else {
            return Some(f(context));
        };
        let previous = map.insert(FORM_VARIABLES.to_string(), std::mem::take(form));
        let result = f(context);
        if let Value::Object(map) = context {
            // Put back what was there; a new key is the last one, and removing the last key of
            // an ordered map leaves the others in place.
            let lent = match previous {
                Some(previous) => map.insert(FORM_VARIABLES.to_string(), previous),
                None => map.remove(FORM_VARIABLES),
            };
            *form = lent.unwrap_or_default();
        }
        Some(result)
    }

    /// Calls `f` with the endpoint context of `events[index]`; `None` for an index outside the
    /// set.
    pub(crate) fn with_endpoint<R>(
        &mut self,
        events: &[SampleEvent],
        index: usize,
        values: &FormValues,
        oauth: &Value,
        f: impl FnOnce(&Value) -> R,
    ) -> Option<R> {
        let event = self.copy(events, index, false)?;
        let context = endpoint_with(values, std::mem::take(event), oauth);
        let result = f(&context);
        if let Value::Object(mut context) = context {
            *event = context.remove(EVENT).unwrap_or_default();
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::from_value(&json!({"formVariables": [
            {"key": "apiKey", "type": "string", "isSecret": true},
            {"key": "host", "type": "uri"},
            {"key": "region", "type": "enum"},
            {"key": "verbose", "type": "boolean"},
            {"key": "env", "type": "environmentSelector"}
        ]}))
        .expect("manifest")
    }

    /// Serialized, so that key order counts: `#each` walks members in order.
    fn text(value: &Value) -> String {
        serde_json::to_string(value).expect("serializes")
    }

    #[test]
    fn lent_contexts_are_the_built_ones_and_come_back_unchanged() {
        let mut events = crate::events::EventSet::embedded().events;
        // An event that already has the members the contexts add, and one that is no object.
        events.push(SampleEvent::new(
            "odd/members".to_string(),
            json!({"formVariables": {"x": 1}, "kind": "flag", "context": "c", "oauth": "o"}),
        ));
        events.push(SampleEvent::new("odd/array".to_string(), json!(["\"q\""])));
        let values = form_values(&manifest(), &[], ValueSource::TestValues).expect("values");
        let oauth = json!({"accessToken": "t"});
        let mut form = form_variables(&values, &oauth);
        let mut lender = EventContexts::new(&events);
        for round in 0..2 {
            for (index, event) in events.iter().enumerate() {
                for json in [false, true] {
                    let lent = lender
                        .with_body(&events, index, json, &mut form, text)
                        .expect("in the set");
                    let built = text(&body_context(event.value(), &values, &oauth, json));
                    assert_eq!(lent, built, "round {round}, {}, json {json}", event.name);
                }
                let lent = lender
                    .with_endpoint(&events, index, &values, &oauth, text)
                    .expect("in the set");
                assert_eq!(
                    lent,
                    text(&endpoint_context(event.value(), &values, &oauth))
                );
            }
        }
        assert_eq!(form, form_variables(&values, &oauth));
        assert!(
            lender
                .with_endpoint(&events, events.len(), &values, &oauth, text)
                .is_none()
        );
    }

    #[test]
    fn test_values_follow_the_framework() {
        let values = form_values(&manifest(), &[], ValueSource::TestValues).expect("values");
        assert_eq!(
            Value::Object(values),
            json!({"apiKey": "apiKey", "host": "https://host.com", "region": "region", "verbose": true})
        );
    }

    #[test]
    fn placeholders_and_given_values() {
        let given =
            parse_vars(&["apiKey=s3cret".to_string(), "verbose=false".to_string()]).expect("pairs");
        let values = form_values(&manifest(), &given, ValueSource::Placeholders).expect("values");
        assert_eq!(values["apiKey"], "s3cret");
        assert_eq!(values["verbose"], false);
        assert_eq!(values["host"], "$HOST");
        assert_eq!(values["env"], "$ENV");
    }

    #[test]
    fn unknown_and_malformed_vars_are_errors() {
        assert_eq!(
            parse_vars(&["a=1".to_string(), "novalue".to_string()]),
            Err(ContextError::Malformed { position: 2 })
        );
        let error = form_values(
            &manifest(),
            &[("nope".to_string(), "x".to_string())],
            ValueSource::TestValues,
        );
        assert!(matches!(error, Err(ContextError::Unknown { .. })));
        let typo = form_values(
            &manifest(),
            &[("apiKy".to_string(), "x".to_string())],
            ValueSource::TestValues,
        )
        .expect_err("no such variable");
        assert_eq!(
            typo.to_string(),
            "no form variable `apiKy` (did you mean `apiKey`?); the manifest defines: apiKey, \
             host, region, verbose, env"
        );
    }

    #[test]
    fn an_unknown_key_that_may_be_a_secret_is_not_named() {
        for (key, value) in [("apiKey:dGVzdA", "="), ("c2VjcmV0", ""), ("api key", "x")] {
            let error = form_values(
                &manifest(),
                &[
                    ("host".to_string(), "h".to_string()),
                    (key.to_string(), value.to_string()),
                ],
                ValueSource::TestValues,
            );
            assert!(
                matches!(error, Err(ContextError::UnknownUnnamed { position: 2, .. })),
                "{key}"
            );
        }
    }

    #[test]
    fn ordinals_read_as_english() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            words,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn contexts_have_the_framework_s_shape() {
        let event = json!({"kind": "flag", "title": {"plainText": "a \"b\""}});
        let values = form_values(&manifest(), &[], ValueSource::TestValues).expect("values");
        let body = body_context(&event, &values, &Value::Null, true);
        assert_eq!(body["title"]["plainText"], "a \\\"b\\\"");
        assert_eq!(body["formVariables"]["apiKey"], "apiKey");
        assert!(body["formVariables"]["oauth"].is_null());
        let endpoint = endpoint_context(&event, &values, &Value::Null);
        assert_eq!(endpoint["context"]["kind"], "flag");
        assert_eq!(endpoint["host"], "https://host.com");
    }
}

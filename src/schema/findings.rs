//! Turning a schema violation into findings a person can act on: the right rule, the offending
//! value's place in the file, and a message in the manifest's own terms.

use serde_json::Value;

use super::violation::{Violation, ViolationKind as Kind};
use crate::diagnostics::{Diagnostic, Edit, Fix, suggest};
use crate::manifest::{Document, Mark};
use crate::pointer::{self, Pointer};
use crate::registry::{self, Rule};

pub(super) fn from_violation(document: &Document, violation: &Violation<'_>) -> Vec<Diagnostic> {
    let at = violation.instance_path.as_str();
    let place = Pointer::from_encoded(at);
    let instance = violation.instance.as_ref();
    match &violation.kind {
        Kind::PropertyNames(inner) => {
            let allowed = allowed_names(&inner.kind);
            match inner.instance.as_ref() {
                Value::String(name) => vec![unknown_property(document, &place, name, &allowed)],
                // Object keys are strings, so no engine reports another instance here.
                other => {
                    let (_, message) = describe(at, other, None, &inner.kind);
                    vec![document.finding(
                        &registry::UNKNOWN_PROPERTY,
                        &place,
                        Mark::Value,
                        message,
                    )]
                }
            }
        }
        Kind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| unknown_property(document, &place, name, &[]))
            .collect(),
        Kind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            let message = format!("missing required property `{name}`{}", inside(at));
            vec![document.finding(&registry::MISSING_PROPERTY, &place, Mark::Object, message)]
        }
        kind => {
            // Numbers are quoted as written: `-0`, `1e-400` and long integers do not survive a
            // round trip through a float.
            let written = document
                .value_span(at)
                .and_then(|span| document.source.text().get(span))
                .filter(|_| instance.is_number());
            let (rule, message) = describe(at, instance, written, kind);
            vec![document.finding(rule, &place, Mark::Value, message)]
        }
    }
}

fn unknown_property(
    document: &Document,
    place: &Pointer,
    name: &str,
    allowed: &[String],
) -> Diagnostic {
    let mut message = format!("unknown property `{name}`{}", inside(place.as_str()));
    if !allowed.is_empty() {
        message.push_str(&format!("; expected one of {}", allowed.join(", ")));
    }
    // The pointer names the object, as ajv's `dataPath` does, while the span marks the key.
    let mut diagnostic = document.finding(
        &registry::UNKNOWN_PROPERTY,
        place,
        Mark::MemberKey(name),
        message,
    );
    if let Some(near) = suggest::closest(name, allowed.iter().map(String::as_str)) {
        diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
    }
    match rename(document, place, name, allowed) {
        Some(fix) => diagnostic.with_fix(fix),
        None => diagnostic,
    }
}

/// Renames a misspelt key when exactly one allowed name is the likely one and the object does
/// not have that member already (the rename would make a duplicate key).
fn rename(document: &Document, place: &Pointer, name: &str, allowed: &[String]) -> Option<Fix> {
    let near = suggest::unambiguous(name, allowed.iter().map(String::as_str))?;
    let object = document.value.pointer(place.as_str())?.as_object()?;
    if object.contains_key(near) {
        return None;
    }
    let span = document.key_span(place.child(name).as_str())?;
    let replacement = serde_json::to_string(near).ok()?;
    Some(Fix {
        message: format!("rename `{name}` to `{near}`"),
        edits: vec![Edit { span, replacement }],
    })
}

fn allowed_names(kind: &Kind) -> Vec<String> {
    match kind {
        Kind::Enum { options } => options
            .as_array()
            .map(|items| items.iter().map(plain).collect())
            .unwrap_or_default(),
        Kind::Const { expected } => vec![plain(expected)],
        _ => Vec::new(),
    }
}

fn describe(
    at: &str,
    instance: &Value,
    written: Option<&str>,
    kind: &Kind,
) -> (&'static Rule, String) {
    let subject = subject(at);
    match kind {
        Kind::Type { expected } => (
            &registry::WRONG_TYPE,
            format!(
                "{subject} must be {}, found {}",
                expected_types(expected),
                type_of(instance, written)
            ),
        ),
        Kind::Enum { options } => (
            &registry::INVALID_VALUE,
            enum_message(&subject, instance, options),
        ),
        Kind::Const { expected } => (
            &registry::INVALID_VALUE,
            format!(
                "{subject} must be {}, found {}",
                shown(expected),
                shown_as(instance, written)
            ),
        ),
        Kind::Pattern { pattern } => (
            &registry::PATTERN_MISMATCH,
            pattern_message(&subject, instance, pattern),
        ),
        Kind::Format { format } => (
            &registry::INVALID_FORMAT,
            format_message(&subject, instance, format),
        ),
        Kind::MinLength { .. }
        | Kind::MaxLength { .. }
        | Kind::MinItems { .. }
        | Kind::MaxItems { .. }
        | Kind::MinProperties { .. }
        | Kind::MaxProperties { .. }
        | Kind::Minimum { .. }
        | Kind::Maximum { .. }
        | Kind::ExclusiveMinimum { .. }
        | Kind::ExclusiveMaximum { .. }
        | Kind::MultipleOf { .. } => (
            &registry::OUT_OF_RANGE,
            range_message(&subject, instance, written, kind),
        ),
        Kind::UniqueItems => (
            &registry::DUPLICATE_ITEMS,
            unique_message(&subject, instance),
        ),
        _ => (&registry::SCHEMA_MISMATCH, shape_message(&subject, kind)),
    }
}

/// How messages name a value: `` `links.site` ``, or "the manifest" for the root.
/// A size or numeric bound the value is outside of.
fn range_message(subject: &str, instance: &Value, written: Option<&str>, kind: &Kind) -> String {
    match kind {
        Kind::MinLength { limit } => length_message(subject, instance, "at least", *limit),
        Kind::MaxLength { limit } => length_message(subject, instance, "at most", *limit),
        Kind::MinItems { limit } => count_message(subject, instance, "at least", *limit, "item"),
        Kind::MaxItems { limit } => count_message(subject, instance, "at most", *limit, "item"),
        Kind::MinProperties { limit } => {
            count_message(subject, instance, "at least", *limit, "property")
        }
        Kind::MaxProperties { limit } => {
            count_message(subject, instance, "at most", *limit, "property")
        }
        Kind::Minimum { limit } => bound_message(subject, "at least", limit, instance, written),
        Kind::Maximum { limit } => bound_message(subject, "at most", limit, instance, written),
        Kind::ExclusiveMinimum { limit } => {
            bound_message(subject, "more than", limit, instance, written)
        }
        Kind::ExclusiveMaximum { limit } => {
            bound_message(subject, "less than", limit, instance, written)
        }
        Kind::MultipleOf { multiple_of } => {
            bound_message(subject, "a multiple of", multiple_of, instance, written)
        }
        _ => format!("{subject} is out of the range the schema allows"),
    }
}

fn bound_message(
    subject: &str,
    relation: &str,
    limit: &impl std::fmt::Display,
    instance: &Value,
    written: Option<&str>,
) -> String {
    format!(
        "{subject} must be {relation} {limit}, found {}",
        number(instance, written)
    )
}

/// A shape the value does not have: a combinator, a forbidden or missing form.
fn shape_message(subject: &str, kind: &Kind) -> String {
    match kind {
        Kind::AnyOf { count } | Kind::OneOfNotValid { count } => {
            format!("{subject} matches none of the {count} shapes allowed here")
        }
        Kind::OneOfMultipleValid => format!(
            "{subject} matches more than one of the shapes allowed here, and must match exactly one"
        ),
        Kind::Not => format!("{subject} has a form the schema forbids here"),
        Kind::FalseSchema => format!("{subject} is not allowed here"),
        Kind::Contains => format!("{subject} has no item of the required form"),
        Kind::Other { keyword } => format!("{subject} fails the schema's `{keyword}` rule"),
        Kind::PropertyNames(_) | Kind::AdditionalProperties { .. } | Kind::Required { .. } => {
            format!("{subject} fails the schema")
        }
        _ => format!("{subject} fails the schema"),
    }
}

fn subject(at: &str) -> String {
    if at.is_empty() {
        "the manifest".to_string()
    } else {
        format!("`{}`", pointer::display_path(at))
    }
}

fn inside(at: &str) -> String {
    if at.is_empty() {
        " at the top level".to_string()
    } else {
        format!(" in `{}`", pointer::display_path(at))
    }
}

fn expected_types(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| with_article(name))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn with_article(name: &str) -> String {
    match name {
        "null" => "null".to_string(),
        "array" | "object" | "integer" => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

fn type_of(value: &Value, written: Option<&str>) -> String {
    let name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match value {
        Value::Array(_) | Value::Object(_) => with_article(name),
        _ => format!("{} {}", with_article(name), shown_as(value, written)),
    }
}

fn enum_message(subject: &str, instance: &Value, options: &Value) -> String {
    let choices: Vec<String> = options
        .as_array()
        .map(|items| items.iter().map(plain).collect())
        .unwrap_or_default();
    let mut message = format!(
        "{subject} must be one of {}; found {}",
        choices.join(", "),
        shown(instance)
    );
    if let Some(near) = instance
        .as_str()
        .and_then(|text| suggest::closest(text, choices.iter().map(String::as_str)))
    {
        message.push_str(&format!(" (did you mean `{near}`?)"));
    }
    message
}

/// The patterns the framework's schema uses, said in words; any other pattern is quoted.
fn pattern_message(subject: &str, instance: &Value, pattern: &str) -> String {
    let found = shown(instance);
    match pattern {
        p if p.starts_with("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)") => {
            format!("{subject} must be semver like 1.0.0; found {found}")
        }
        "^[Hh][Tt][Tt][Pp][Ss]?://" => {
            format!("{subject} must be an http:// or https:// URL; found {found}")
        }
        "\\.svg$" => format!("{subject} must name an .svg file; found {found}"),
        "^[^\\s]*$" => format!("{subject} must not contain white space; found {found}"),
        "^(.*)$" => format!("{subject} must be a single line, without line breaks"),
        p if p.contains("(?:\\?[^\\s]*)?$") => {
            format!("{subject} must be a URL path such as /api/items?limit=10; found {found}")
        }
        _ => format!("{subject} must match the pattern `{pattern}`; found {found}"),
    }
}

fn format_message(subject: &str, instance: &Value, format: &str) -> String {
    match format {
        "email" => format!(
            "{subject} must be an email address like support@example.com; found {}",
            shown(instance)
        ),
        _ => format!(
            "{subject} must be in `{format}` format; found {}",
            shown(instance)
        ),
    }
}

fn length_message(subject: &str, instance: &Value, bound: &str, limit: u64) -> String {
    let length = instance.as_str().map_or(0, |s| s.chars().count());
    format!(
        "{subject} must have {bound} {limit} {}; it has {length}",
        plural(limit, "character")
    )
}

fn count_message(subject: &str, instance: &Value, bound: &str, limit: u64, noun: &str) -> String {
    let count = match instance {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    };
    format!(
        "{subject} must have {bound} {limit} {}; it has {count}",
        plural(limit, noun)
    )
}

fn unique_message(subject: &str, instance: &Value) -> String {
    let repeated = instance.as_array().and_then(|items| {
        items
            .iter()
            .enumerate()
            .find(|(i, item)| items.get(..*i).is_some_and(|before| before.contains(item)))
            .map(|(_, item)| shown(item))
    });
    match repeated {
        Some(item) => format!("{subject} must not repeat items; {item} appears more than once"),
        None => format!("{subject} must not repeat items"),
    }
}

fn plural(count: u64, noun: &str) -> String {
    match (count, noun) {
        (1, _) => noun.to_string(),
        (_, "property") => "properties".to_string(),
        _ => format!("{noun}s"),
    }
}

/// A value as it appears in messages: strings in backticks, long ones shortened.
/// A number as the manifest wrote it, where the source text is known.
fn number(value: &Value, written: Option<&str>) -> String {
    written.map_or_else(|| value.to_string(), str::to_string)
}

fn shown_as(value: &Value, written: Option<&str>) -> String {
    match written {
        Some(text) => shown(&Value::String(text.to_string())),
        None => shown(value),
    }
}

/// Characters of a value a message quotes: enough to recognise it, short enough that a long
/// string (a pasted template, a token) does not take over the line.
const QUOTED_CHARACTERS: usize = 60;

fn shown(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut short: String = text.chars().take(QUOTED_CHARACTERS).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("`{}`", short.replace('\n', "\\n"))
}

fn plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_speak_the_manifest_s_language() {
        assert_eq!(
            subject("/capabilities/auditLogEventsHook/endpoint/url"),
            "`capabilities.auditLogEventsHook.endpoint.url`"
        );
        assert_eq!(subject(""), "the manifest");
        assert_eq!(inside(""), " at the top level");
    }

    #[test]
    fn shortens_long_values() {
        let long = json!("x".repeat(100));
        assert!(shown(&long).ends_with("…`"));
        assert_eq!(shown(&json!("a\nb")), "`a\\nb`");
        assert_eq!(shown(&json!(12)), "`12`");
    }

    #[test]
    fn unique_message_names_the_repeated_item() {
        let message = unique_message("`categories`", &json!(["a", "b", "a"]));
        assert!(message.contains("`a` appears more than once"), "{message}");
    }

    #[test]
    fn semver_pattern_has_a_friendly_message() {
        let semver = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-x)?$";
        let message = pattern_message("`version`", &json!("1.0"), semver);
        assert_eq!(message, "`version` must be semver like 1.0.0; found `1.0`");
    }
}

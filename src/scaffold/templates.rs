//! The body templates `init` writes. They read only fields every sample event of their kind
//! has, test the optional ones (`comment`, `key`, an empty project) with `{{#if}}`, and print
//! with triple braces: JSON templates get event strings JSON-escaped by the framework, and HTML
//! escaping on top would put `&#x27;` into the receiver's data.
//!
//! The text templates print an optional line only when it has content, and put the details
//! last: LaunchDarkly's details may end with a line break of their own, and `{{~/if}}` drops
//! the template's, so that no event leaves a run of blank lines.

use super::choices::BodyFormat;

/// The template of `kind` (`flag`, `default` or `validation`) for the body format.
pub(super) fn source(kind: &str, body: BodyFormat) -> String {
    let text = match (kind, body) {
        ("flag", BodyFormat::Json) => include_str!("templates/flag.json.hbs"),
        ("default", BodyFormat::Json) => include_str!("templates/default.json.hbs"),
        ("validation", BodyFormat::Json) => include_str!("templates/validation.json.hbs"),
        ("flag", BodyFormat::Text) => include_str!("templates/flag.txt.hbs"),
        ("default", BodyFormat::Text) => include_str!("templates/default.txt.hbs"),
        (_, BodyFormat::Text) => include_str!("templates/validation.txt.hbs"),
        (_, BodyFormat::Json) => include_str!("templates/validation.json.hbs"),
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context;
    use crate::engine::Template;
    use crate::events::EventSet;
    use crate::manifest::model::AuditLogEventsHook;
    use crate::routing::{self, Routing, TemplateKind};
    use serde_json::Value;

    #[test]
    fn every_template_compiles() {
        for body in BodyFormat::ALL {
            for kind in ["flag", "default", "validation"] {
                let source = source(kind, *body);
                assert!(Template::compile(&source).is_ok(), "{kind} {body}");
            }
        }
    }

    /// What is untidy in a plain-text body: a run of blank lines, or white space ending a line.
    fn untidy(text: &str) -> Option<String> {
        if text.starts_with('\n') {
            return Some("it starts with a blank line".to_string());
        }
        let lines: Vec<&str> = text.lines().collect();
        for (number, pair) in (1..).zip(lines.windows(2)) {
            if pair.iter().all(|line| line.is_empty()) {
                return Some(format!("lines {number} and {} are both blank", number + 1));
            }
        }
        for (number, line) in (1..).zip(&lines) {
            if line.ends_with(char::is_whitespace) {
                return Some(format!("line {number} ends with white space: {line:?}"));
            }
        }
        None
    }

    /// The event with the white space that ends a line of its own text removed: LaunchDarkly's
    /// details have some (`Added the rule \n`), and only what the template adds is judged.
    fn without_trailing_blanks(value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(
                text.split('\n')
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Value::Array(items) => {
                Value::Array(items.iter().map(without_trailing_blanks).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, item)| (key.clone(), without_trailing_blanks(item)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Each text template renders tidy text for every embedded event: `flag` and `default` for
    /// the events routed to them when both are written (which is every event), `validation`
    /// (the "test connection" button) for any.
    #[test]
    fn every_text_template_renders_tidy_text_for_every_embedded_event() {
        let hook = AuditLogEventsHook {
            templates: ["flag", "default", "validation"]
                .into_iter()
                .map(|kind| (kind.to_string(), kind.to_string()))
                .collect(),
            ..AuditLogEventsHook::default()
        };
        let events = EventSet::embedded().events;
        let mut rendered = 0;
        for event in &events {
            let Routing::Template(route) = routing::route(&hook, event.kind()) else {
                panic!("{} is routed to no template", event.name);
            };
            for kind in [route.kind, TemplateKind::Validation] {
                let template =
                    Template::compile(&source(kind.as_str(), BodyFormat::Text)).expect("compiles");
                let context = context::body_context(
                    &without_trailing_blanks(event.value()),
                    &serde_json::Map::new(),
                    &Value::Null,
                    false,
                );
                let text = template.render(&context).expect("renders");
                if let Some(problem) = untidy(&text) {
                    panic!("{kind:?} with {}: {problem}:\n{text}", event.name);
                }
                rendered += 1;
            }
        }
        assert_eq!(rendered, 2 * events.len());
        assert!(events.len() >= 17, "{} embedded events", events.len());
    }
}

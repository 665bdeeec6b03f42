//! The body templates `init` writes. They read only fields every sample event of their kind
//! has, test the optional ones (`comment`, `key`, an empty project) with `{{#if}}`, and print
//! with triple braces: JSON templates get event strings JSON-escaped by the framework, and HTML
//! escaping on top would put `&#x27;` into the receiver's data.

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
    use crate::engine::Template;

    #[test]
    fn every_template_compiles() {
        for body in BodyFormat::ALL {
            for kind in ["flag", "default", "validation"] {
                let source = source(kind, *body);
                assert!(Template::compile(&source).is_ok(), "{kind} {body}");
            }
        }
    }
}

//! Property tests over every parser and the validate pipeline: random and mutated input must
//! never panic, hang or overflow, and what is accepted must mean what it says. Case counts are
//! bounded so that `cargo test` stays quick; `PROPTEST_CASES=100000 cargo test --test fuzz`
//! runs a longer campaign with the same properties.

mod common;

use std::path::PathBuf;

use ldhook::diagnostics::render::{self, Format};
use ldhook::engine::Template;
use ldhook::manifest::Document;
use ldhook::registry::RuleSelection;
use ldhook::schema::SchemaChoice;
use ldhook::validate::{self, Input, Options};
use proptest::prelude::*;
use serde_json::{Value, json};

use common::proptest_config as config;

/// Any JSON value, a few levels deep, with the strings people get wrong.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z]{0,8}".prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop::collection::vec(0u32..0x250, 0..6).prop_map(|codes| Value::from(
            codes
                .into_iter()
                .filter_map(char::from_u32)
                .collect::<String>()
        )),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z]{0,6}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// JSON text with a few bytes changed, inserted or removed: mostly almost-JSON.
fn mutated_json() -> impl Strategy<Value = Vec<u8>> {
    (
        json_value(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..4),
    )
        .prop_map(|(value, edits)| {
            let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
            for (at, byte, how) in edits {
                let at = at.index(bytes.len() + 1);
                match how {
                    0 => bytes.insert(at, byte),
                    1 if at < bytes.len() => bytes[at] = byte,
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {}
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(config(3000))]

    /// What the strict reader accepts, `JSON.parse`-like readers accept with the same value.
    #[test]
    fn the_json_reader_never_panics_and_agrees_with_serde(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        mutated_json(),
    ]) {
        if let Ok(document) = Document::parse("fuzz.json", &bytes) {
            let theirs: Value = serde_json::from_slice(&bytes)
                .map_err(|e| TestCaseError::fail(format!("accepted what serde rejects: {e}")))?;
            prop_assert_eq!(document.value, theirs);
        }
    }

    /// Reading without spans is the same reader: the same value, or the same error.
    #[test]
    fn the_plain_reader_agrees_with_the_span_reader(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        mutated_json(),
    ]) {
        if let Ok(text) = ldhook::manifest::json::decode(&bytes) {
            let with_spans = ldhook::manifest::json::parse(text).map(|(value, _)| value);
            prop_assert_eq!(ldhook::manifest::json::parse_plain(text), with_spans);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow(depth in 1usize..5000, open in prop_oneof![Just("["), Just("{\"a\":")]) {
        let text = open.repeat(depth);
        let result = Document::parse("deep.json", text.as_bytes());
        prop_assert!(result.is_err());
    }
}

/// Template text built from the pieces of Handlebars syntax, in any order.
fn template_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{{"),
        Just("}}"),
        Just("{{{"),
        Just("}}}"),
        Just("{{~"),
        Just("~}}"),
        Just("{{#if a}}"),
        Just("{{else}}"),
        Just("{{else if b}}"),
        Just("{{/if}}"),
        Just("{{#each items}}"),
        Just("{{/each}}"),
        Just("{{#each @root}}"),
        Just("{{#with a}}"),
        Just("{{/with}}"),
        Just("{{#unless a}}"),
        Just("{{/unless}}"),
        Just("{{^}}"),
        Just("{{^a}}"),
        Just("{{#a}}"),
        Just("{{/a}}"),
        Just("{{!--"),
        Just("--}}"),
        Just("{{! c }}"),
        Just("{{> p}}"),
        Just("{{a}}"),
        Just("{{a.b}}"),
        Just("{{items.[0]}}"),
        Just("{{../a}}"),
        Just("{{this}}"),
        Just("{{@index}}"),
        Just("{{@key}}"),
        Just("{{lookup . 'a'}}"),
        Just("{{queryEncode a}}"),
        Just("{{pathEncode (lookup items 0)}}"),
        Just("{{#equal a 1}}"),
        Just("{{/equal}}"),
        Just("{{formatWithOffset 0 0 'simple'}}"),
        Just("{{basicAuthHeaderValue a b}}"),
        Just("("),
        Just(")"),
        Just("\""),
        Just("'"),
        Just("="),
        Just(" as |x|"),
        Just(" "),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just("\t"),
        Just("x"),
        Just("é"),
        Just("\\{{"),
        Just("[a b]"),
        Just("@root"),
        Just("../"),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn render_context() -> Value {
    json!({
        "a": {"b": "<&>\"'`="},
        "b": 0,
        "items": [1, "two", {"a": null}, [3]],
        "formVariables": {"x": "y"},
    })
}

proptest! {
    #![proptest_config(config(3000))]

    /// Any template either fails with a place inside it, or renders; neither panics or hangs.
    #[test]
    fn templates_compile_and_render_or_fail_in_place(source in template_soup()) {
        let lines = source.split(['\n', '\r']).count();
        match Template::compile(&source) {
            Ok(template) => {
                let _ = template.references();
                if let Err(error) = template.render(&render_context())
                    && let Some(at) = error.position
                {
                    prop_assert!(at.line <= lines, "{error:?} in {source:?}");
                }
            }
            Err(error) => {
                let at = error.position.ok_or_else(|| TestCaseError::fail("no position"))?;
                prop_assert!(at.line >= 1 && at.line <= lines, "{error:?} in {source:?}");
            }
        }
    }

    #[test]
    fn arbitrary_text_never_breaks_the_engine(source in "\\PC{0,80}") {
        if let Ok(template) = Template::compile(&source) {
            let _ = template.render(&render_context());
        }
    }
}

/// Whether `range` of `source` is one whole tag.
fn is_whole_tag(source: &str, range: std::ops::Range<usize>) -> bool {
    source
        .get(range)
        .is_some_and(|tag| tag.starts_with("{{") && tag.ends_with("}}"))
}

proptest! {
    #![proptest_config(config(3000))]

    /// Whatever a template is, the places the engine reports are whole tags of it, and a
    /// traced render is the render with every output byte attributed once.
    #[test]
    fn template_places_are_whole_tags_and_traces_cover_renders(source in template_soup()) {
        let Ok(template) = Template::compile(&source) else {
            return Ok(());
        };
        for reference in template.references() {
            prop_assert!(is_whole_tag(&source, reference.span.clone()), "{reference:?} in {source:?}");
        }
        for block in template.blocks() {
            let else_tag = block.else_tag.clone().unwrap_or_else(|| block.tag.clone());
            prop_assert!(
                is_whole_tag(&source, block.tag.clone()) && is_whole_tag(&source, else_tag),
                "{block:?} in {source:?}"
            );
        }
        for comment in template.comments() {
            prop_assert!(is_whole_tag(&source, comment.tag.clone()), "{comment:?} in {source:?}");
            prop_assert!(
                comment.tag.start < comment.body.start && comment.body.end < comment.tag.end,
                "{comment:?} in {source:?}"
            );
        }
        common::traced_render_problem(&template, &render_context())
            .map_err(|problem| TestCaseError::fail(format!("{problem} in {source:?}")))?;
    }
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pulseboard");

fn example_manifest() -> Value {
    let text = std::fs::read_to_string(PathBuf::from(EXAMPLE).join("manifest.json"))
        .expect("example manifest");
    serde_json::from_str(&text).expect("example JSON")
}

/// Every pointer into a value, so a mutation can land anywhere in the manifest.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// The example manifest with a few values replaced, removed or added.
fn mutated_manifest() -> impl Strategy<Value = Value> {
    let edits = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            json_value(),
            0u8..3,
            "\\PC{0,10}",
        ),
        1..4,
    );
    edits.prop_map(|edits| {
        let mut manifest = example_manifest();
        for (index, replacement, how, key) in edits {
            let mut all = Vec::new();
            pointers(&manifest, String::new(), &mut all);
            let pointer = index.get(&all).clone();
            let Some(target) = manifest.pointer_mut(&pointer) else {
                continue;
            };
            match (how, target) {
                (0, Value::Object(map)) => {
                    map.insert(key, replacement);
                }
                (1, Value::Object(map)) => {
                    let first = map.keys().next().cloned();
                    if let Some(first) = first {
                        map.remove(&first);
                    }
                }
                (_, target) => *target = replacement,
            }
        }
        manifest
    })
}

proptest! {
    #![proptest_config(config(300))]

    /// The whole pipeline over a mutated manifest: no panic, no raw control character on a
    /// terminal or in a workflow command, and machine output that stays JSON.
    #[test]
    fn validate_never_panics_and_never_prints_raw_controls(
        manifest in mutated_manifest(),
        minified in any::<bool>(),
    ) {
        let bytes = if minified {
            serde_json::to_vec(&manifest)
        } else {
            serde_json::to_vec_pretty(&manifest)
        }.unwrap_or_default();
        let inputs = [Input::Stdin {
            name: Some(PathBuf::from(EXAMPLE).join("manifest.json")),
            bytes,
        }];
        let options = Options {
            schema: SchemaChoice::Embedded,
            selection: RuleSelection::new(&[], &[]).expect("no selection"),
            events: None,
            per_integration: ldhook::config::IntegrationIgnores::default(),
        };
        let report = validate::validate(&inputs, &options)
            .map_err(|e| TestCaseError::fail(format!("could not run: {e}")))?;
        for format in [Format::Human, Format::Github] {
            let out = render::render(&report, format, false);
            let raw = out.chars().find(|&c| c.is_control() && c != '\n');
            prop_assert_eq!(raw, None, "{:?}: {}", format, out);
        }
        // JSON escapes what it must by construction; it only has to stay JSON.
        for format in [Format::Json, Format::Sarif] {
            let out = render::render(&report, format, false);
            prop_assert!(serde_json::from_str::<Value>(&out).is_ok(), "{:?}: {}", format, out);
        }
    }
}

/// Text shaped like an ldhook.toml, right or wrong: known and unknown keys, rule ids real and
/// not, tables, globs, broken quoting.
fn config_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("select = [\"LDH1\"]\n".to_string()),
        Just("ignore = [\"LDH217\", \"html-escape-in-json\"]\n".to_string()),
        Just("ignore = [\"LDH999\"]\n".to_string()),
        Just("deny-warnings = true\n".to_string()),
        Just("deny-warnings = 1\n".to_string()),
        Just("events = \"my-events\"\n".to_string()),
        Just("schema = \"embedded\"\n".to_string()),
        Just("[per-integration.\"acme-*\"]\n".to_string()),
        Just("[per-integration.\"!a[\"]\n".to_string()),
        Just("[per-integration.x]\nignore = []\n".to_string()),
        Just("colour = \"blue\"\n".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("é\r\n".to_string()),
        "\\PC{0,12}",
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config(400))]

    /// Whatever ldhook.toml holds, reading it gives settings or an error at a place inside
    /// the file; it never panics.
    #[test]
    fn configuration_files_are_read_or_refused_at_a_place_in_them(text in config_soup()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ldhook.toml");
        std::fs::write(&path, &text).expect("write");
        let lines = text.split('\n').count();
        let source = ldhook::config::Source::File(path);
        match ldhook::config::Settings::resolve(&source, &[], &ldhook::config::Flags::default()) {
            Ok(settings) => prop_assert!(!settings.describe().is_empty()),
            Err(ldhook::config::ConfigError::Invalid { place, message }) => {
                prop_assert!(place.line >= 1 && place.line <= lines, "{place} {message} in {text:?}");
                prop_assert!(!message.is_empty());
            }
            Err(other) => prop_assert!(false, "{other} in {text:?}"),
        }
    }
}

/// A value's JSON text in one of the layouts people write: minified, pretty, or pretty with a
/// blank line after every line (which the formatter keeps between members).
fn json_layout() -> impl Strategy<Value = (Value, String)> {
    (json_value(), 0u8..3).prop_map(|(value, layout)| {
        let text = match layout {
            0 => serde_json::to_string(&value).unwrap_or_default(),
            1 => serde_json::to_string_pretty(&value).unwrap_or_default(),
            _ => serde_json::to_string_pretty(&value)
                .unwrap_or_default()
                .replace(",\n", ",\n\n"),
        };
        (value, text)
    })
}

proptest! {
    #![proptest_config(config(2000))]

    /// Formatting keeps the value, and formatting the result changes nothing.
    #[test]
    fn formatting_keeps_the_value_and_is_idempotent((value, text) in json_layout()) {
        let formatted = ldhook::format::format(&text).expect("valid JSON formats");
        let reread: Value = serde_json::from_str(&formatted).expect("formatted text is JSON");
        prop_assert_eq!(&reread, &value);
        let again = ldhook::format::format(&formatted);
        prop_assert_eq!(again.as_deref(), Ok(formatted.as_str()));
    }

    /// Whatever the bytes, the formatter answers without panicking, and what it formats it
    /// formats to a fixed point.
    #[test]
    fn the_formatter_never_panics_on_near_json(bytes in mutated_json()) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(formatted) = ldhook::format::format(&text) {
            let again = ldhook::format::format(&formatted);
        prop_assert_eq!(again.as_deref(), Ok(formatted.as_str()));
        }
    }
}

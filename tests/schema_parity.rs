//! The draft-07 interpreter and `jsonschema` give identical diagnostics, with the embedded
//! schema and the framework's, on every manifest of the conformance corpus and on random
//! mutations of them. `PROPTEST_CASES=5000 cargo test --test schema_parity` runs longer.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use ldhook::diagnostics::Diagnostic;
use ldhook::manifest::Document;
use ldhook::schema::{Schema, SchemaEngine};
use proptest::prelude::*;
use serde_json::{Value, json};

use common::proptest_config as config;

/// Each schema under both engines: `(interpreted, compiled)`.
struct Engines {
    embedded: (Schema, Schema),
    framework: (Schema, Schema),
}

fn engines(conformance: &Path) -> &'static Engines {
    static ENGINES: OnceLock<Engines> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let file = conformance.join("framework/manifest.schema.json");
        let load = |engine| Schema::from_file_with(&file, engine).expect("framework schema");
        Engines {
            embedded: (
                Schema::embedded_with(SchemaEngine::Auto).expect("embedded"),
                Schema::embedded_with(SchemaEngine::Jsonschema).expect("embedded"),
            ),
            framework: (load(SchemaEngine::Auto), load(SchemaEngine::Jsonschema)),
        }
    })
}

/// Everything a renderer reads from a schema finding.
fn shown(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {:?} {} {:?}",
                d.rule.id, d.span, d.pointer, d.message, d.help
            )
        })
        .collect()
}

/// Both engines of both schemas on one manifest text; returns the findings' count.
fn assert_parity(engines: &Engines, name: &str, text: &str) -> usize {
    let Ok(document) = Document::parse(name, text.as_bytes()) else {
        return 0;
    };
    let mut total = 0;
    for (label, (interpreted, compiled)) in [
        ("embedded", &engines.embedded),
        ("framework", &engines.framework),
    ] {
        let got = shown(&interpreted.check(&document));
        let want = shown(&compiled.check(&document));
        assert_eq!(got, want, "{label} schema, {name}:\n{text}");
        total += got.len();
    }
    total
}

/// The corpus: every framework integration's manifest and every validate case's manifest.
fn corpus(conformance: &Path) -> &'static [(String, String)] {
    static CORPUS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut manifests = Vec::new();
        let integrations = conformance.join("framework/integrations");
        for dir in std::fs::read_dir(&integrations).expect("integrations") {
            let path = dir.expect("entry").path().join("manifest.json");
            if let Ok(text) = std::fs::read_to_string(&path) {
                manifests.push((path.display().to_string(), text));
            }
        }
        for path in common::sorted_files(&conformance.join("cases/validate"), "json") {
            let case = common::read_json(&path);
            let text = match case["manifest_file"].as_str() {
                Some(file) => std::fs::read_to_string(conformance.join(file)).expect("manifest"),
                None => serde_json::to_string_pretty(&case["manifest"]).expect("manifest"),
            };
            manifests.push((path.display().to_string(), text));
        }
        manifests.sort();
        manifests
    })
}

#[test]
fn both_schemas_take_the_interpreter() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let engines = engines(&conformance);
    assert_eq!(engines.embedded.0.engine_name(), "interpreter");
    assert_eq!(engines.framework.0.engine_name(), "interpreter");
    assert_eq!(engines.embedded.1.engine_name(), "jsonschema");
    assert_eq!(engines.framework.1.engine_name(), "jsonschema");
}

#[test]
fn every_corpus_manifest_gets_the_same_diagnostics() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let engines = engines(&conformance);
    let manifests = corpus(&conformance);
    assert!(
        manifests.len() >= 123 + 187,
        "{} manifests",
        manifests.len()
    );
    let findings: usize = manifests
        .iter()
        .map(|(name, text)| assert_parity(engines, name, text))
        .sum();
    assert!(findings > 0, "the corpus has invalid manifests");
}

/// One change at one place in a manifest.
#[derive(Debug, Clone)]
enum Mutation {
    Delete,
    Replace(Value),
    AddUnknownKey,
    Empty,
    DuplicateItem,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let other_value = prop_oneof![
        Just(Value::Null),
        Just(json!(true)),
        Just(json!(0)),
        Just(json!(-1.5)),
        Just(json!(1e300)),
        Just(json!(12345678901234567890_u64)),
        Just(json!("")),
        Just(json!("two words")),
        Just(json!("déjà vu ✓ 🦀")),
        Just(json!("line\nbreak")),
        Just(json!("x".repeat(300))),
        Just(json!("https://example.com/a b")),
        Just(json!("a@b")),
        Just(json!("1.0.0")),
        Just(json!([])),
        Just(json!([1, 1])),
        Just(json!({})),
        Just(json!({"unknown": 1})),
        "[a-zA-Z0-9 ._/:@-]{0,12}".prop_map(Value::from),
    ];
    prop_oneof![
        2 => Just(Mutation::Delete),
        4 => other_value.prop_map(Mutation::Replace),
        1 => Just(Mutation::AddUnknownKey),
        1 => Just(Mutation::Empty),
        1 => Just(Mutation::DuplicateItem),
    ]
}

fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn apply(manifest: &mut Value, at: &str, mutation: &Mutation) {
    match mutation {
        Mutation::Delete => {
            let (parent, last) = at.rsplit_once('/').unwrap_or(("", ""));
            match manifest.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = last.parse::<usize>()
                        && index < items.len()
                    {
                        items.remove(index);
                    }
                }
                _ => {}
            }
        }
        Mutation::Replace(value) => {
            if let Some(slot) = manifest.pointer_mut(at) {
                *slot = value.clone();
            }
        }
        Mutation::AddUnknownKey => {
            if let Some(Value::Object(map)) = manifest.pointer_mut(at) {
                map.insert("unknownKey".to_string(), json!("?"));
            }
        }
        Mutation::Empty => match manifest.pointer_mut(at) {
            Some(Value::String(text)) => text.clear(),
            Some(Value::Array(items)) => items.clear(),
            Some(Value::Object(map)) => map.clear(),
            _ => {}
        },
        Mutation::DuplicateItem => {
            if let Some(Value::Array(items)) = manifest.pointer_mut(at)
                && let Some(first) = items.first().cloned()
            {
                items.push(first);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn mutated_manifests_get_the_same_diagnostics(
        pick in any::<prop::sample::Index>(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..4),
    ) {
        let Some(conformance) = common::conformance_dir() else {
            return Ok(());
        };
        let engines = engines(&conformance);
        let manifests = corpus(&conformance);
        let (name, text) = &manifests[pick.index(manifests.len())];
        let Ok(mut manifest) = serde_json::from_str::<Value>(text) else {
            return Ok(());
        };
        for (place, change) in &changes {
            let mut places = Vec::new();
            pointers(&manifest, String::new(), &mut places);
            let at = places[place.index(places.len())].clone();
            apply(&mut manifest, &at, change);
        }
        let mutated = serde_json::to_string_pretty(&manifest).expect("serializes");
        assert_parity(engines, name, &mutated);
    }
}

//! Loading and following references: `$ref` forms, cycles, hostile schemas, what the scan
//! leaves to `jsonschema`, and the embedded files loaded on demand.

use serde_json::json;

use super::tests::{agree, interpreter};
use super::{Interpreter, declares_nested_schema};

#[test]
fn references_inside_the_document() {
    let schema = json!({
        "definitions": {
            "name": {"type": "string", "maxLength": 3},
            "a b": {"$ref": "#/definitions/name"},
            "self": {"$ref": "#/definitions/self"},
            "tree": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/definitions/tree"}}}}
        },
        "properties": {
            "n": {"$ref": "#/definitions/a%20b", "type": "integer"},
            "s": {"$ref": "#/definitions/self"},
            "t": {"$ref": "#/definitions/tree"},
            "e": {"$ref": ""}
        }
    });
    let values = [
        json!({"n": "abcd", "s": 1, "e": 1}),
        json!({"n": 5}),
        json!({"t": {"kids": [{"kids": [{"kids": 3}]}]}}),
    ];
    assert_eq!(agree(schema, &values), [1, 1, 1]);
}

#[test]
fn a_cycle_that_consumes_no_instance_is_left_to_jsonschema() {
    let schema = json!({
        "definitions": {
            "a": {"not": {"$ref": "#/definitions/a"}},
            "b": {"anyOf": [{"$ref": "#/definitions/c"}]},
            "c": {"allOf": [{"$ref": "#/definitions/b"}]}
        },
        "properties": {"x": {"$ref": "#/definitions/a"}, "y": {"$ref": "#/definitions/b"}}
    });
    let ours = interpreter(&schema);
    assert!(ours.check(&json!({"x": 1})).is_err());
    assert!(ours.check(&json!({"y": 1})).is_err());
    assert_eq!(ours.check(&json!({"z": 1})), Ok(Vec::new()));
}

#[test]
fn hostile_schemas_neither_hang_nor_overflow() {
    let mut deep = json!({"type": "string"});
    for _ in 0..120 {
        deep = json!({ "allOf": [deep], "not": {"not": true} });
    }
    agree(deep, &[json!(1), json!("a")]);
    let mut chain = serde_json::Map::new();
    for i in 0..2000 {
        chain.insert(
            format!("d{i}"),
            json!({ "$ref": format!("#/definitions/d{}", i + 1) }),
        );
    }
    chain.insert("d2000".to_string(), json!({"type": "string"}));
    let chained = json!({"definitions": chain, "$ref": "#/definitions/d0"});
    assert_eq!(agree(chained, &[json!(1), json!("a")]), [1, 0]);
}

#[test]
fn the_scan_leaves_what_it_does_not_implement_to_jsonschema() {
    for schema in [
        json!({"format": "uri"}),
        json!({"properties": {"a": {"format": 5}}}),
        json!({"contentMediaType": "application/json"}),
        json!({"definitions": {"a": {"$id": "#a"}}, "$ref": "#/definitions/a"}),
        json!({"$ref": "#anchor"}),
        json!({"$ref": "other.json#/a"}),
        json!({"$ref": "https://example.com/schema.json"}),
        json!({"$ref": "#/definitions/missing"}),
        json!({"$ref": "#/properties"}),
        json!({"pattern": "(?<"}),
        json!({"patternProperties": {"(": true}}),
        json!({"type": "strin"}),
        json!({"required": "a"}),
        json!({"minLength": -1}),
        json!({"anyOf": []}),
        json!({"properties": {"a": 5}}),
    ] {
        assert!(Interpreter::file(schema.clone()).is_err(), "{schema}");
    }
    // `$id`s below the root are harmless where nothing refers by them.
    assert!(Interpreter::file(json!({"properties": {"a": {"$id": "#/properties/a"}}})).is_ok());
}

#[test]
fn nested_dialects_are_found_where_jsonschema_looks() {
    assert!(declares_nested_schema(
        &json!({"properties": {"a": {"$schema": "x"}}})
    ));
    assert!(declares_nested_schema(&json!({"enum": [{"$schema": 1}]})));
    assert!(!declares_nested_schema(
        &json!({"$schema": "http://json-schema.org/draft-07/schema#"})
    ));
}

#[test]
fn embedded_files_load_when_a_reference_first_reaches_them() {
    let ours = Interpreter::embedded().expect("the embedded schema is interpreted");
    let loaded = || ours.docs.iter().filter(|slot| slot.get().is_some()).count();
    assert_eq!(loaded(), 1);
    ours.check(&json!({"name": 5})).expect("decided");
    assert_eq!(loaded(), 1, "no capability, no capability file");
    ours.check(&json!({"capabilities": {"trigger": {}}}))
        .expect("decided");
    assert!(loaded() > 1);
    assert!(
        ours.docs
            .iter()
            .all(|slot| slot.get().is_none_or(Option::is_some))
    );
}

#[test]
fn every_embedded_file_is_within_the_interpreter() {
    for index in 0..crate::schema::embedded::FILES.len() {
        assert!(
            super::load_embedded(index).is_some(),
            "embedded file {index}"
        );
    }
}

#[test]
fn the_interpreter_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Interpreter>();
    shared::<crate::schema::Schema>();
}

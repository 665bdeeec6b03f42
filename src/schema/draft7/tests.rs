//! The interpreter against `jsonschema`, keyword family by keyword family: for each schema and
//! instance both engines must report the same violations.

use serde_json::{Value, json};

use super::Interpreter;
use crate::schema::compiled;
use crate::schema::violation::Violation;

pub(super) fn interpreter(schema: &Value) -> Interpreter {
    Interpreter::file(schema.clone()).unwrap_or_else(|(why, _)| panic!("{schema}: {why:?}"))
}

fn sorted(mut violations: Vec<Violation<'_>>) -> Vec<String> {
    let mut shown: Vec<String> = violations.drain(..).map(|v| format!("{v:?}")).collect();
    shown.sort();
    shown
}

/// Both engines, on every instance; returns how many violations each instance had.
pub(super) fn agree(schema: Value, instances: &[Value]) -> Vec<usize> {
    let ours = interpreter(&schema);
    let theirs = compiled::compile("test", &schema, None).expect("jsonschema compiles it");
    instances
        .iter()
        .map(|instance| {
            let got = ours.check(instance).expect("the interpreter decides");
            let want = compiled::violations(&theirs, instance);
            let count = got.len();
            assert_eq!(
                sorted(got),
                sorted(want),
                "schema {schema}, instance {instance}"
            );
            count
        })
        .collect()
}

#[test]
fn types_including_integer_valued_floats() {
    let values = [
        json!(null),
        json!(true),
        json!(1),
        json!(1.0),
        json!(1.5),
        json!(-3),
        json!(18446744073709551615_u64),
        json!("s"),
        json!([]),
        json!({}),
    ];
    for types in [
        json!("integer"),
        json!("number"),
        json!(["integer"]),
        json!(["string", "null"]),
        json!(["object", "array", "boolean", "integer"]),
    ] {
        let counts = agree(json!({ "type": types }), &values);
        assert!(counts.contains(&0) && counts.contains(&1), "{types}");
    }
}

#[test]
fn enum_and_const_compare_as_json_schema_does() {
    let values = [
        json!(1),
        json!(1.0),
        json!("1"),
        json!([1, {"a": 2}]),
        json!(null),
    ];
    agree(json!({"enum": [1, "x", [1, {"a": 2.0}]]}), &values);
    agree(
        json!({"const": {"a": [1]}}),
        &[json!({"a": [1.0]}), json!({"a": []})],
    );
    let big: Vec<Value> = (0..5000).map(Value::from).collect();
    assert_eq!(
        agree(json!({ "enum": big }), &[json!(4999), json!(5000)]),
        [0, 1]
    );
}

#[test]
fn numeric_bounds_and_multiples() {
    let values = [
        json!(-1),
        json!(0),
        json!(2),
        json!(2.5),
        json!(3),
        json!(1e300),
        json!(-9223372036854775808_i64),
        json!(18446744073709551615_u64),
    ];
    for schema in [
        json!({"minimum": 0, "maximum": 3}),
        json!({"exclusiveMinimum": -1, "exclusiveMaximum": 2.5}),
        json!({"minimum": -1.5, "maximum": 18446744073709551615_u64}),
        json!({"multipleOf": 0.5}),
        json!({"multipleOf": 3}),
        json!({"multipleOf": 1e-7}),
    ] {
        agree(schema, &values);
    }
}

#[test]
fn string_lengths_count_code_points_and_formats_check_ajv_s_email() {
    let values = [
        json!(""),
        json!("ab"),
        json!("🦀🦀"),
        json!("ééé"),
        json!("a@b"),
        json!("not an email"),
        json!(5),
    ];
    agree(json!({"minLength": 2, "maxLength": 2}), &values);
    agree(json!({"maxLength": 2.0}), &values);
    agree(json!({"minLength": 3, "maxLength": 1}), &values);
    agree(json!({"format": "email"}), &values);
}

#[test]
fn patterns_take_jsonschema_s_paths() {
    let values = [
        json!("http://x"),
        json!("HTTPS://x"),
        json!("a b"),
        json!("a\u{2028}b"),
        json!("x.svg"),
        json!("1.2.3-rc.1"),
        json!("01.2.3"),
        json!("/a/b?x=1"),
        json!(7),
    ];
    for pattern in [
        "^[Hh][Tt][Tt][Pp][Ss]?://",
        "^[^\\s]*$",
        "^\\S*$",
        "^(.*)$",
        "\\.svg$",
        "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$",
        "^(/[^/]+)+(?:\\?[^\\s]*)?$|^[^/]+(/[^/]+)*(?:\\?[^\\s]*)?$",
        "^(?=.*\\d)(?=.*[a-z]).{3,}$",
        "^(a+)\\1$",
        "^(get|put)$",
        "^x-",
        "^\\w{1,3}$",
    ] {
        agree(json!({ "pattern": pattern }), &values);
    }
}

#[test]
fn arrays() {
    let values = [
        json!([]),
        json!([1]),
        json!([1, "a"]),
        json!([1, 1.0, 2]),
        json!(["a", "b", "c", "d"]),
        json!("not an array"),
    ];
    for schema in [
        json!({"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2}),
        json!({"type": "array", "items": false}),
        json!({"items": [{"type": "integer"}, {"type": "string"}]}),
        json!({"items": [{"type": "integer"}], "additionalItems": false}),
        json!({"items": [true], "additionalItems": {"type": "string"}}),
        json!({"items": {"type": "string"}, "additionalItems": false}),
        json!({"uniqueItems": true, "contains": {"type": "string"}}),
        json!({"minItems": 3, "maxItems": 1}),
    ] {
        agree(schema, &values);
    }
}

#[test]
fn objects() {
    let values = [
        json!({}),
        json!({"a": 1}),
        json!({"a": "x", "b": 2, "x-c": 3}),
        json!({"b": [], "zz": null, "x-": "q"}),
        json!([1]),
    ];
    for schema in [
        json!({"required": ["a", "b"], "minProperties": 2, "maxProperties": 2}),
        json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false}),
        json!({"properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": false}),
        json!({"properties": {"a": true, "b": true}, "required": ["a", "b"], "additionalProperties": false}),
        json!({"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": {"type": "string"}}),
        json!({"properties": {"x-c": {"type": "string"}}, "patternProperties": {"^x-": {"type": "integer"}}}),
        json!({"propertyNames": {"enum": ["a", "b"]}}),
        json!({"propertyNames": {"const": "a"}}),
        json!({"propertyNames": {"maxLength": 1, "pattern": "^[a-z]$"}}),
        json!({"propertyNames": false}),
        json!({"additionalProperties": false}),
        json!({"patternProperties": {"^x-": true}, "additionalProperties": false}),
        json!({"dependencies": {"a": ["b", "c"], "b": {"required": ["zz"]}}}),
    ] {
        agree(schema, &values);
    }
}

#[test]
fn applicators_on_the_instance_itself() {
    let values = [
        json!(1),
        json!("ab"),
        json!("abcdef"),
        json!(null),
        json!(2.5),
    ];
    for schema in [
        json!({"allOf": [{"type": "string"}, {"maxLength": 3}]}),
        json!({"anyOf": [{"type": "integer"}, {"minLength": 3}]}),
        json!({"oneOf": [{"type": "string"}, {"maxLength": 2}]}),
        json!({"oneOf": [{"type": "integer"}]}),
        json!({"not": {"type": "string"}}),
        json!({"if": {"type": "string"}, "then": {"maxLength": 2}, "else": {"type": "null"}}),
        json!({"if": {"type": "string"}}),
        json!({"then": false}),
        json!(false),
        json!(true),
        json!({"items": false, "not": true}),
    ] {
        agree(schema, &values);
    }
}

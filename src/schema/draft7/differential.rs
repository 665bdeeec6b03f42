//! Random schemas over every keyword the interpreter implements, against `jsonschema`: where
//! the scan accepts a schema that passes the meta-schema, `jsonschema` compiles it too, and
//! both report the same violations for random instances.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::Interpreter;
use crate::schema::compiled;

fn instance() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-4i64..6).prop_map(Value::from),
        prop_oneof![Just(2.5), Just(-0.5), Just(3.0), Just(1e20)].prop_map(Value::from),
        prop_oneof![
            Just(""),
            Just("a"),
            Just("ab"),
            Just("b c"),
            Just("x-1"),
            Just("é🦀"),
            Just("a@b.c")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![Just("a"), Just("b"), Just("x-1"), Just("c d")],
                    inner
                ),
                0..4
            )
            .prop_map(|members| Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect()
            )),
        ]
    })
}

fn assertion() -> impl Strategy<Value = (String, Value)> {
    let types = prop_oneof![
        Just(json!("integer")),
        Just(json!("string")),
        Just(json!("object")),
        Just(json!("array")),
        Just(json!(["number", "null"])),
        Just(json!(["boolean", "string", "integer"])),
    ];
    let size = prop_oneof![
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(2)),
        Just(json!(2.0))
    ];
    let number = prop_oneof![
        Just(json!(0)),
        Just(json!(2)),
        Just(json!(-1)),
        Just(json!(2.5))
    ];
    let pattern = prop_oneof![
        Just("^a"),
        Just("b$"),
        Just("^[^\\s]*$"),
        Just("^(a|b)$"),
        Just("\\d"),
        Just("^(?=.*a).+$")
    ];
    prop_oneof![
        types.prop_map(|v| ("type".to_string(), v)),
        (
            prop_oneof![
                Just("minLength"),
                Just("maxLength"),
                Just("minItems"),
                Just("maxItems"),
                Just("minProperties"),
                Just("maxProperties")
            ],
            size
        )
            .prop_map(|(k, v)| (k.to_string(), v)),
        (
            prop_oneof![
                Just("minimum"),
                Just("maximum"),
                Just("exclusiveMinimum"),
                Just("exclusiveMaximum")
            ],
            number
        )
            .prop_map(|(k, v)| (k.to_string(), v)),
        prop_oneof![Just(json!(2)), Just(json!(0.5))].prop_map(|v| ("multipleOf".to_string(), v)),
        instance().prop_map(|v| ("const".to_string(), v)),
        prop::collection::vec(instance(), 1..3).prop_map(|v| ("enum".to_string(), Value::Array(v))),
        pattern.prop_map(|p| ("pattern".to_string(), json!(p))),
        Just(("format".to_string(), json!("email"))),
        any::<bool>().prop_map(|b| ("uniqueItems".to_string(), json!(b))),
        prop_oneof![
            Just(json!(["a"])),
            Just(json!(["a", "b"])),
            Just(json!(["a", "b", "c d"]))
        ]
        .prop_map(|v| ("required".to_string(), v)),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => any::<bool>().prop_map(Value::Bool),
        6 => prop::collection::vec(assertion(), 0..4).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
    ];
    leaf.prop_recursive(3, 40, 4, |inner| {
        let key = || prop_oneof![Just("a"), Just("b"), Just("x-1")];
        let applicator = prop_oneof![
            inner.clone().prop_map(|s| ("items", s)),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|s| ("items", Value::Array(s))),
            inner.clone().prop_map(|s| ("additionalItems", s)),
            inner.clone().prop_map(|s| ("contains", s)),
            inner.clone().prop_map(|s| ("additionalProperties", s)),
            inner.clone().prop_map(|s| ("propertyNames", s)),
            inner.clone().prop_map(|s| ("not", s)),
            inner.clone().prop_map(|s| ("if", s)),
            inner.clone().prop_map(|s| ("then", s)),
            inner.clone().prop_map(|s| ("else", s)),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|s| ("allOf", Value::Array(s))),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|s| ("anyOf", Value::Array(s))),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|s| ("oneOf", Value::Array(s))),
            prop::collection::vec((key(), inner.clone()), 1..3)
                .prop_map(|m| ("properties", members(m))),
            prop::collection::vec(
                (
                    prop_oneof![Just("^x-"), Just("a"), Just("^(a|b)$")],
                    inner.clone()
                ),
                1..3
            )
            .prop_map(|m| ("patternProperties", members(m))),
            prop::collection::vec(
                (key(), prop_oneof![inner.clone(), Just(json!(["b"]))]),
                1..3
            )
            .prop_map(|m| ("dependencies", members(m))),
        ];
        (
            prop::collection::vec(assertion(), 0..3),
            prop::collection::vec(applicator, 1..4),
        )
            .prop_map(|(assertions, applicators)| {
                let mut node: Map<String, Value> = assertions.into_iter().collect();
                for (key, value) in applicators {
                    node.insert(key.to_string(), value);
                }
                Value::Object(node)
            })
    })
}

fn members(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn sorted(violations: Vec<crate::schema::violation::Violation<'_>>) -> Vec<String> {
    let mut shown: Vec<String> = violations.iter().map(|v| format!("{v:?}")).collect();
    shown.sort();
    shown
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_schemas_get_jsonschema_s_violations(
        schema in schema(),
        instances in prop::collection::vec(instance(), 1..6),
    ) {
        let Ok(ours) = Interpreter::file(schema.clone()) else {
            return Ok(());
        };
        prop_assert!(compiled::is_valid_draft7(&schema), "the scan accepted {} against the meta-schema", schema);
        let theirs = compiled::compile("random", &schema, None).expect("jsonschema compiles what the scan accepts");
        for instance in &instances {
            let got = ours.check(instance).expect("decided");
            let want = compiled::violations(&theirs, instance);
            prop_assert_eq!(sorted(got), sorted(want), "schema {} instance {}", schema, instance);
        }
    }
}

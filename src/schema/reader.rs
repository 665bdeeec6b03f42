//! Reading a schema file without its annotations. `title`, `description` and `$comment` are a
//! fifth of the framework's 240 KB schema and change no verdict: the meta-schema asks only that
//! they be strings, so a string one is checked for syntax and dropped. Anything else is read as
//! [`json::parse_plain`] reads it, and a document with a `$ref` (which might point into an
//! annotation) is read again in full.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

use super::draft7::ONE_SCHEMA_KEYWORDS;
use crate::manifest::json::{self, Strict, StrictVisitor, SyntaxError};

pub(super) fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = At(Place::Schema)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    read.or_else(|_| json::parse_plain(text))
}

/// What a member holds, by the keyword it sits under (draft-07's applicators).
#[derive(Clone, Copy)]
enum Place {
    Schema,
    /// `properties`, `patternProperties`, `definitions`, `dependencies`: schemas by name.
    Schemas,
    /// `allOf`, `anyOf`, `oneOf`.
    SchemaList,
    /// `items`: one schema or a list of them.
    SchemaOrList,
}

const ANNOTATIONS: [&str; 3] = ["title", "description", "$comment"];

fn place_under(keyword: &str) -> Option<Place> {
    match keyword {
        "properties" | "patternProperties" | "definitions" | "dependencies" => Some(Place::Schemas),
        "allOf" | "anyOf" | "oneOf" => Some(Place::SchemaList),
        "items" => Some(Place::SchemaOrList),
        one if ONE_SCHEMA_KEYWORDS.contains(&one) => Some(Place::Schema),
        _ => None,
    }
}

struct At(Place);

impl<'de> DeserializeSeed<'de> for At {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for At {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        StrictVisitor.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        StrictVisitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        StrictVisitor.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        StrictVisitor.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        StrictVisitor.visit_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        StrictVisitor.visit_string(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        StrictVisitor.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let item = match self.0 {
            Place::SchemaList | Place::SchemaOrList => Place::Schema,
            // Not a schema (a dependency's list of names, or a schema of the wrong type that
            // the scan refuses): plain data.
            Place::Schema | Place::Schemas => return StrictVisitor.visit_seq(seq),
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(value) = seq.next_element_seed(At(item))? {
            items.push(value);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Value, A::Error> {
        match self.0 {
            Place::Schema | Place::SchemaOrList => schema_object(access),
            Place::Schemas => schemas_by_name(access),
            Place::SchemaList => StrictVisitor.visit_map(access),
        }
    }
}

fn schema_object<'de, A: MapAccess<'de>>(mut access: A) -> Result<Value, A::Error> {
    let mut map = Map::new();
    // Dropped annotations still count for the strict reader's duplicate-key check.
    let mut dropped: Vec<&str> = Vec::new();
    while let Some(key) = access.next_key::<String>()? {
        if key == "$ref" {
            return Err(de::Error::custom("a `$ref`: read in full"));
        }
        if let Some(annotation) = ANNOTATIONS.iter().find(|name| **name == key) {
            if dropped.contains(annotation) || map.contains_key(&key) {
                return Err(de::Error::custom("duplicate key"));
            }
            match access.next_value_seed(Annotation)? {
                None => dropped.push(annotation),
                Some(value) => {
                    map.insert(key, value);
                }
            }
            continue;
        }
        let Entry::Vacant(slot) = map.entry(key) else {
            return Err(de::Error::custom("duplicate key"));
        };
        let value = match place_under(slot.key()) {
            Some(place) => access.next_value_seed(At(place))?,
            None => access.next_value::<Strict>()?.0,
        };
        slot.insert(value);
    }
    Ok(Value::Object(map))
}

fn schemas_by_name<'de, A: MapAccess<'de>>(mut access: A) -> Result<Value, A::Error> {
    let mut map = Map::new();
    while let Some(key) = access.next_key::<String>()? {
        let Entry::Vacant(slot) = map.entry(key) else {
            return Err(de::Error::custom("duplicate key"));
        };
        slot.insert(access.next_value_seed(At(Place::Schema))?);
    }
    Ok(Value::Object(map))
}

/// An annotation's value: `None` for a string (dropped), else the value as it is, for the scan
/// to refuse.
struct Annotation;

impl<'de> DeserializeSeed<'de> for Annotation {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Annotation {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        StrictVisitor.visit_bool(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        StrictVisitor.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        StrictVisitor.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        StrictVisitor.visit_f64(v).map(Some)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        StrictVisitor.visit_unit().map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        StrictVisitor.visit_seq(seq).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        StrictVisitor.visit_map(access).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// The same rules over a parsed tree: what `parse` must equal. `None` where a schema
    /// holds a `$ref`, and the document is kept whole.
    fn dropped(value: &Value, place: Place) -> Option<Value> {
        let schema = |v: &Value| dropped(v, Place::Schema);
        Some(match (place, value) {
            (Place::Schema | Place::SchemaOrList, Value::Object(map)) => {
                let mut out = Map::new();
                for (key, member) in map {
                    if key == "$ref" {
                        return None;
                    }
                    let kept = match place_under(key) {
                        _ if ANNOTATIONS.contains(&key.as_str()) && member.is_string() => continue,
                        Some(place) => dropped(member, place)?,
                        None => member.clone(),
                    };
                    out.insert(key.clone(), kept);
                }
                Value::Object(out)
            }
            (Place::Schemas, Value::Object(map)) => Value::Object(
                map.iter()
                    .map(|(key, member)| Some((key.clone(), schema(member)?)))
                    .collect::<Option<_>>()?,
            ),
            (Place::SchemaList | Place::SchemaOrList, Value::Array(items)) => {
                Value::Array(items.iter().map(schema).collect::<Option<_>>()?)
            }
            (_, other) => other.clone(),
        })
    }

    fn expected(text: &str) -> Result<Value, SyntaxError> {
        let full = json::parse_plain(text)?;
        Ok(dropped(&full, Place::Schema).unwrap_or(full))
    }

    #[test]
    fn drops_string_annotations_of_schemas_only() {
        let text = r#"{"title": "T", "description": "D", "$comment": "C",
            "properties": {"description": {"type": "string", "description": "x"}},
            "enum": [{"title": "data"}], "default": {"description": "data"},
            "items": [{"title": "i"}], "allOf": [{"$comment": "a"}],
            "x-extension": {"title": "unknown keyword, kept"},
            "not": {"title": 3}}"#;
        assert_eq!(
            parse(text).expect("a schema"),
            json!({
                "properties": {"description": {"type": "string"}},
                "enum": [{"title": "data"}], "default": {"description": "data"},
                "items": [{}], "allOf": [{}],
                "x-extension": {"title": "unknown keyword, kept"},
                "not": {"title": 3}
            })
        );
    }

    #[test]
    fn a_document_with_a_ref_is_read_whole() {
        let text = r##"{"title": "T", "properties": {"a": {"$ref": "#/definitions/b"}}}"##;
        assert_eq!(parse(text), json::parse_plain(text));
        assert_eq!(parse(text).expect("a schema")["title"], "T");
    }

    #[test]
    fn a_dropped_annotation_still_counts_as_a_duplicate() {
        for text in [
            r#"{"title": "a", "title": "b"}"#,
            r#"{"title": 1, "title": "b"}"#,
            r#"{"title": "a", "title": 1}"#,
            r#"{"title": "a" "x": 1}"#,
            r#"{"title": "a"} {}"#,
        ] {
            let error = parse(text).expect_err("not a JSON schema file");
            assert_eq!(
                Err(error),
                json::parse(text).map(|(value, _)| value),
                "{text}"
            );
        }
    }

    /// Schema-like JSON: applicators, annotations (strings and not), `$ref` now and then.
    fn schema_like() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            4 => prop::sample::select(vec![
                "title", "description", "$comment", "properties", "definitions",
                "patternProperties", "dependencies", "items", "allOf", "anyOf", "oneOf", "not",
                "if", "then", "else", "additionalProperties", "contains", "enum", "default",
                "type",
            ])
            .prop_map(str::to_string),
            1 => Just("$ref".to_string()),
            2 => "[a-z]{1,4}",
        ];
        let leaf = prop_oneof![
            "[a-z \"\\\\]{0,6}".prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::with_cases(2000)
        })]

        #[test]
        fn reads_what_the_plain_reader_reads_less_the_annotations(
            value in schema_like(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        ) {
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default().into_bytes();
            for (at, byte) in edits {
                let at = at.index(text.len() + 1);
                text.insert(at, byte);
            }
            if let Ok(text) = std::str::from_utf8(&text) {
                prop_assert_eq!(parse(text), expected(text));
            }
        }
    }
}

//! serde_json as the strict reader's fast path: on the framework's 240 KB schema it reads in
//! 1.5 M instructions what the strict reader needs several times that for. It refuses the two
//! things serde_json would accept but the strict reader does not (a duplicate key) or reads
//! differently (`-0`, an integer there); on any refusal the strict reader reads the text again
//! and so decides, with its own message and position, whether and why it is not JSON.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

/// The value, or `None` where the strict reader must decide.
pub(super) fn read(text: &str) -> Option<Value> {
    serde_json::from_str::<Strict>(text)
        .ok()
        .map(|Strict(value)| value)
}

/// A `Value` read by serde_json, refused where the strict reader would read otherwise.
pub struct Strict(pub Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

/// [`Strict`]'s visitor, for readers that read some members their own way and the rest as
/// [`Strict`] does.
pub struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    /// serde_json reads `-0` as the float -0.0 where the strict reader reads the integer 0, and
    /// cannot say which was written, so every negative zero goes to the strict reader.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        if v == 0.0 && v.is_sign_negative() {
            return Err(E::custom("negative zero"));
        }
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            // One lookup per key: the key is hashed once, for the check and the insert.
            let Entry::Vacant(slot) = map.entry(key) else {
                return Err(de::Error::custom("duplicate key"));
            };
            let Strict(value) = access.next_value()?;
            slot.insert(value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, parse_plain};

    fn same_as_strict(text: &str) {
        let strict = parse(text).map(|(value, _)| value);
        assert_eq!(parse_plain(text), strict, "{text}");
    }

    #[test]
    fn reads_what_the_strict_reader_reads() {
        for text in [
            r#"{"a": [1, -2, 3.5, 1e2, 18446744073709551615, 18446744073709551616, true, null]}"#,
            r#"{"s": "\u00e9\ud83d\ude00\n"}"#,
            "-0",
            "[-0, -0.0, -1e-400, 0.1]",
            "123456789012345678901234567890",
        ] {
            same_as_strict(text);
        }
    }

    #[test]
    fn refuses_with_the_strict_reader_s_message_and_place() {
        for text in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"a": 1,}"#,
            "// c\n{}",
            "",
            r#"{"a": "\ud800"}"#,
            "1e400",
            "[01]",
            r#"{"a": 1} x"#,
        ] {
            same_as_strict(text);
            assert!(
                parse_plain(text).is_err() && super::read(text).is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn nesting_the_strict_reader_allows_is_read() {
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        same_as_strict(&deep);
        // serde_json stops one level short of the strict reader, which then reads it.
        assert!(super::read(&deep).is_none() && parse_plain(&deep).is_ok());
        let deeper = format!("{}{}", "[".repeat(129), "]".repeat(129));
        same_as_strict(&deeper);
    }
}

//! The draft-07 meta-schema's demands on keyword values, as the scan checks them: a schema the
//! scan accepts passes the meta-schema, so `jsonschema` (which checks a file against it before
//! compiling) would have compiled it, and the interpreter need not run the meta-schema. Where a
//! demand is costly to check exactly (URI syntax) the scan accepts a plainly valid subset and
//! leaves the rest to `jsonschema`.

use serde_json::Value;

use super::Unsupported;
use super::pattern;

/// `$schema` values `jsonschema` reads as draft-07 with no further look.
const DRAFT7: [&str; 2] = [
    "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-07/schema",
];

pub(super) const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

fn refuse<T>(why: &str) -> Result<T, Unsupported> {
    Err(Unsupported(why.to_string()))
}

fn check(ok: bool, why: &str) -> Result<(), Unsupported> {
    if ok { Ok(()) } else { refuse(why) }
}

/// The value of an assertion or annotation keyword; applicators are checked where the scan
/// walks into them. `depth` 0 is the document's root.
pub(super) fn keyword(keyword: &str, value: &Value, depth: usize) -> Result<(), Unsupported> {
    match keyword {
        "$schema" if depth == 0 => check(
            value.as_str().is_some_and(|uri| DRAFT7.contains(&uri)),
            "a `$schema` other than draft-07's",
        ),
        "$schema" => refuse("`$schema` below the root"),
        "$id" => check(
            value.as_str().is_some_and(is_plain_id),
            "an `$id` of another form",
        ),
        "$comment" | "title" | "description" => {
            check(value.is_string(), "an annotation of another type")
        }
        "readOnly" | "writeOnly" | "uniqueItems" => {
            check(value.is_boolean(), "a flag that is not a boolean")
        }
        "examples" | "enum" => check(value.is_array(), "a list that is not an array"),
        "type" => check(type_names(value).is_some(), "a `type` of another form"),
        "multipleOf" => check(
            value.as_f64().is_some_and(|m| m > 0.0 && m.is_finite()),
            "a `multipleOf` of another form",
        ),
        "maximum" | "minimum" | "exclusiveMaximum" | "exclusiveMinimum" => {
            check(value.is_number(), "a bound that is not a number")
        }
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
            check(size_limit(value).is_some(), "a size of another form")
        }
        // Its syntax is checked by the scan, once per distinct pattern.
        "pattern" => check(value.is_string(), "a `pattern` that is not a string"),
        "format" => check(
            value.as_str() == Some("email"),
            "a `format` other than email",
        ),
        "required" => check(is_string_set(value), "a `required` of another form"),
        "contentMediaType" | "contentEncoding" => refuse("content keywords"),
        _ => Ok(()),
    }
}

/// An ECMA-262 regex by the meta-schema's `format: regex`, that `jsonschema` builds.
pub(super) fn is_regex(text: &str) -> bool {
    jsonschema_regex::is_valid_ecma_regex(text) && pattern::is_buildable(text)
}

/// A length or count bound as `jsonschema` reads it (`helpers::size_limit`), which is also what
/// the meta-schema allows: a non-negative integer, integer-valued floats included.
pub(super) fn size_limit(value: &Value) -> Option<u64> {
    if let Some(limit) = value.as_u64() {
        return Some(limit);
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    value
        .as_f64()
        .filter(|limit| *limit >= 0.0 && limit.trunc() == *limit)
        .map(|limit| limit as u64)
}

/// The meta-schema's `stringArray`: strings, none twice.
pub(super) fn is_string_set(value: &Value) -> bool {
    value.as_array().is_some_and(|items| {
        items.iter().enumerate().all(|(i, item)| {
            item.is_string() && items.get(..i).is_some_and(|before| !before.contains(item))
        })
    })
}

/// The type names a `type` keyword accepts, or `None` for a form the meta-schema refuses.
pub(super) fn type_names(value: &Value) -> Option<Vec<&str>> {
    let known = |name: &str| TYPE_NAMES.contains(&name);
    match value {
        Value::String(name) if known(name) => Some(vec![name.as_str()]),
        Value::Array(items) if !items.is_empty() && is_string_set(value) => items
            .iter()
            .map(|item| item.as_str().filter(|name| known(name)))
            .collect(),
        _ => None,
    }
}

/// `#fragment` or `http(s)://host/path#fragment` in characters every URI reference allows.
fn is_plain_id(id: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '/' | '-');
    let (before, fragment) = id.split_once('#').unwrap_or((id, ""));
    if !fragment.chars().all(plain) {
        return false;
    }
    if before.is_empty() {
        return id.starts_with('#');
    }
    let Some(rest) = before
        .strip_prefix("https://")
        .or_else(|| before.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    !host.is_empty() && rest.chars().all(plain)
}

/// A `#` fragment in characters every URI reference allows, escapes well formed.
pub(super) fn is_plain_fragment(fragment: &str) -> bool {
    let bytes = fragment.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| match b {
        b'%' => bytes
            .get(i + 1..i + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)),
        b => b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_and_fragments_of_plainly_valid_forms() {
        assert!(is_plain_id("#/properties/a-b.c"));
        assert!(is_plain_id(
            "https://launchdarkly.com/schemas/v1.0/manifest.schema.json#"
        ));
        assert!(!is_plain_id("https://x/a b"));
        assert!(!is_plain_id("1a:b"));
        assert!(!is_plain_id("#a#b"));
        assert!(is_plain_fragment("/definitions/a%20b"));
        assert!(!is_plain_fragment("/definitions/a b"));
        assert!(!is_plain_fragment("/a%2"));
    }

    #[test]
    fn lists_the_meta_schema_wants_unique() {
        assert!(is_string_set(&json!(["a", "b"])));
        assert!(!is_string_set(&json!(["a", "a"])));
        assert!(!is_string_set(&json!(["a", 1])));
        assert!(type_names(&json!(["string", "string"])).is_none());
        assert!(type_names(&json!([])).is_none());
    }
}

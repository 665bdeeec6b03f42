//! The load-time scan: one pass over a schema document deciding whether the interpreter
//! implements everything in it exactly, and listing its regular expressions (unbuilt). Anything
//! else (another `format`, content keywords, `$id`s below the root beside `$ref`s, a `$ref` the
//! interpreter does not follow, a keyword value `jsonschema` would read differently or refuse)
//! makes the document `Unsupported`, and `jsonschema` compiles it as before.

use serde_json::{Map, Value};

use super::pattern::{self, Patterns};
use super::refs::{self, Target};
use super::{Origin, Unsupported};

/// Deeper than the JSON readers allow, so only a hand-built value reaches it.
const MAX_DEPTH: usize = 256;

pub fn scan(root: &Value, origin: Origin, base: Option<&str>) -> Result<Patterns, Unsupported> {
    let mut scanner = Scanner {
        root,
        origin,
        base,
        patterns: Patterns::default(),
        has_ref: false,
        nested_id: false,
    };
    scanner.schema(root, 0)?;
    if scanner.has_ref && scanner.nested_id {
        return refuse("`$id` below the root of a schema that uses `$ref`");
    }
    Ok(scanner.patterns)
}

struct Scanner<'a> {
    root: &'a Value,
    origin: Origin,
    base: Option<&'a str>,
    patterns: Patterns,
    has_ref: bool,
    nested_id: bool,
}

fn refuse<T>(why: impl Into<String>) -> Result<T, Unsupported> {
    Err(Unsupported(why.into()))
}

/// A length or count bound as `jsonschema` reads it (`helpers::size_limit`).
pub fn size_limit(value: &Value) -> Option<u64> {
    if let Some(limit) = value.as_u64() {
        return Some(limit);
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    value
        .as_f64()
        .filter(|limit| *limit >= 0.0 && limit.trunc() == *limit)
        .map(|limit| limit as u64)
}

pub const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

impl Scanner<'_> {
    fn schema(&mut self, schema: &Value, depth: usize) -> Result<(), Unsupported> {
        if depth > MAX_DEPTH {
            return refuse("nested too deeply");
        }
        match schema {
            Value::Bool(_) => Ok(()),
            Value::Object(map) => {
                for (keyword, value) in map {
                    self.keyword(keyword, value, depth)?;
                }
                Ok(())
            }
            _ => refuse("a subschema that is neither an object nor a boolean"),
        }
    }

    fn keyword(&mut self, keyword: &str, value: &Value, depth: usize) -> Result<(), Unsupported> {
        let next = depth + 1;
        match keyword {
            "$ref" => self.reference(value),
            "$id" if depth > 0 => {
                self.nested_id = true;
                Ok(())
            }
            "$schema" if depth > 0 => refuse("`$schema` below the root"),
            "type" => check(type_names(value).is_some(), "a `type` of another form"),
            "enum" => check(value.is_array(), "an `enum` that is not an array"),
            "multipleOf" => check(
                value.as_f64().is_some_and(|m| m > 0.0 && m.is_finite()),
                "a `multipleOf` of another form",
            ),
            "maximum" | "minimum" | "exclusiveMaximum" | "exclusiveMinimum" => {
                check(value.is_number(), "a bound that is not a number")
            }
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties"
            | "minProperties" => check(size_limit(value).is_some(), "a size of another form"),
            "pattern" => self.pattern(value),
            "format" => check(
                value.as_str() == Some("email"),
                "a `format` other than email",
            ),
            "uniqueItems" => check(value.is_boolean(), "a `uniqueItems` that is not a boolean"),
            "required" => check(is_string_array(value), "a `required` of another form"),
            "items" => match value {
                Value::Array(items) => self.all(items, next),
                other => self.schema(other, next),
            },
            "additionalItems"
            | "contains"
            | "propertyNames"
            | "not"
            | "if"
            | "then"
            | "else"
            | "additionalProperties" => self.schema(value, next),
            "properties" | "definitions" => self.each_member(value, next),
            "patternProperties" => self.pattern_properties(value, next),
            "dependencies" => self.dependencies(value, next),
            "allOf" | "anyOf" | "oneOf" => match value {
                Value::Array(items) if !items.is_empty() => self.all(items, next),
                _ => refuse("a combinator that is not a non-empty array"),
            },
            "contentMediaType" | "contentEncoding" => refuse("content keywords"),
            _ => Ok(()),
        }
    }

    fn all(&mut self, items: &[Value], depth: usize) -> Result<(), Unsupported> {
        items.iter().try_for_each(|item| self.schema(item, depth))
    }

    fn each_member(&mut self, value: &Value, depth: usize) -> Result<(), Unsupported> {
        let map = members(value)?;
        map.values().try_for_each(|item| self.schema(item, depth))
    }

    fn pattern(&mut self, value: &Value) -> Result<(), Unsupported> {
        let Some(text) = value.as_str().filter(|p| pattern::is_buildable(p)) else {
            return refuse("a `pattern` jsonschema may not build");
        };
        self.patterns.add(text);
        Ok(())
    }

    fn pattern_properties(&mut self, value: &Value, depth: usize) -> Result<(), Unsupported> {
        for (key, schema) in members(value)? {
            if !pattern::is_buildable(key) {
                return refuse("a `patternProperties` key jsonschema may not build");
            }
            self.patterns.add(key);
            self.schema(schema, depth)?;
        }
        Ok(())
    }

    fn dependencies(&mut self, value: &Value, depth: usize) -> Result<(), Unsupported> {
        for dependency in members(value)?.values() {
            match dependency {
                Value::Array(_) if is_string_array(dependency) => {}
                Value::Array(_) => return refuse("a dependency list of another form"),
                schema => self.schema(schema, depth)?,
            }
        }
        Ok(())
    }

    fn reference(&mut self, value: &Value) -> Result<(), Unsupported> {
        self.has_ref = true;
        let Some(reference) = value.as_str() else {
            return refuse("a `$ref` that is not a string");
        };
        match refs::target(reference, self.origin, self.base) {
            None => refuse(format!("the `$ref` {reference}")),
            Some(Target::SameDoc { fragment }) if !is_schema_path(self.root, fragment) => {
                refuse(format!("the `$ref` {reference} names no subschema"))
            }
            Some(_) => Ok(()),
        }
    }
}

fn check(ok: bool, why: &str) -> Result<(), Unsupported> {
    if ok { Ok(()) } else { refuse(why) }
}

fn members(value: &Value) -> Result<&Map<String, Value>, Unsupported> {
    value
        .as_object()
        .ok_or_else(|| Unsupported("a keyword that should hold an object".to_string()))
}

fn is_string_array(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|items| items.iter().all(Value::is_string))
}

/// The type names a `type` keyword accepts, or `None` for a form `jsonschema` refuses.
pub fn type_names(value: &Value) -> Option<Vec<&str>> {
    let known = |name: &str| TYPE_NAMES.contains(&name);
    match value {
        Value::String(name) if known(name) => Some(vec![name.as_str()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str().filter(|name| known(name)))
            .collect(),
        _ => None,
    }
}

/// Whether `fragment` leads through subschema positions only, so that the scan has seen
/// what it names as a schema.
pub fn is_schema_path(root: &Value, fragment: &str) -> bool {
    if fragment.is_empty() {
        return true;
    }
    let Some(target) = refs::pointer(root, fragment) else {
        return false;
    };
    let tokens: Vec<String> =
        crate::manifest::pointer::tokens(&crate::schema::retrieve::percent_decode(fragment))
            .collect();
    descends_through_schemas(root, &tokens) && (target.is_object() || target.is_boolean())
}

fn descends_through_schemas(root: &Value, tokens: &[String]) -> bool {
    let mut node = root;
    let mut rest = tokens;
    while let Some((keyword, tail)) = rest.split_first() {
        let Some(value) = node.get(keyword) else {
            return false;
        };
        let (next, tail) = match keyword.as_str() {
            "properties" | "patternProperties" | "definitions" | "dependencies" => {
                match tail.split_first() {
                    Some((name, tail)) => (value.get(name), tail),
                    None => return false,
                }
            }
            "allOf" | "anyOf" | "oneOf" => indexed(value, tail),
            "items" if value.is_array() => indexed(value, tail),
            "items"
            | "additionalItems"
            | "contains"
            | "propertyNames"
            | "not"
            | "if"
            | "then"
            | "else"
            | "additionalProperties" => (Some(value), tail),
            _ => return false,
        };
        match next {
            Some(next) => node = next,
            None => return false,
        }
        rest = tail;
    }
    true
}

fn indexed<'v, 't>(value: &'v Value, tail: &'t [String]) -> (Option<&'v Value>, &'t [String]) {
    match tail.split_first() {
        Some((index, tail)) => (index.parse::<usize>().ok().and_then(|i| value.get(i)), tail),
        None => (None, tail),
    }
}

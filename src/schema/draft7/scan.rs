//! The load-time scan: one pass over a schema document deciding whether the interpreter
//! implements everything in it exactly, and listing its regular expressions (unbuilt). Anything
//! else (another `format`, content keywords, `$id`s below the root beside `$ref`s, a `$ref` the
//! interpreter does not follow, a keyword value `jsonschema` would read differently or refuse)
//! makes the document `Unsupported`, and `jsonschema` compiles it as before.

use serde_json::{Map, Value};

use super::meta;
use super::pattern::Patterns;
use super::refs::{self, Target};
use super::{Origin, Unsupported};

/// Deeper than the JSON readers allow, so only a hand-built value reaches it.
const MAX_DEPTH: usize = 256;

pub(super) fn scan(
    root: &Value,
    origin: Origin,
    base: Option<&str>,
) -> Result<Patterns, Unsupported> {
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
        meta::keyword(keyword, value, depth)?;
        let next = depth + 1;
        match keyword {
            "$ref" => self.reference(value),
            "$id" if depth > 0 => {
                self.nested_id = true;
                Ok(())
            }
            "pattern" => self.pattern(value.as_str().unwrap_or_default()),
            "items" => match value {
                Value::Array(items) if !items.is_empty() => self.all(items, next),
                Value::Array(_) => refuse("an empty `items` list"),
                other => self.schema(other, next),
            },
            one if super::ONE_SCHEMA_KEYWORDS.contains(&one) => self.schema(value, next),
            "properties" | "definitions" => self.each_member(value, next),
            "patternProperties" => self.pattern_properties(value, next),
            "dependencies" => self.dependencies(value, next),
            "allOf" | "anyOf" | "oneOf" => match value {
                Value::Array(items) if !items.is_empty() => self.all(items, next),
                _ => refuse("a combinator that is not a non-empty array"),
            },
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

    /// The meta-schema's `format: regex`, checked once per distinct pattern.
    fn pattern(&mut self, pattern: &str) -> Result<(), Unsupported> {
        if !self.patterns.contains(pattern) {
            if !meta::is_regex(pattern) {
                return refuse("a regex jsonschema may not accept or build");
            }
            self.patterns.add(pattern);
        }
        Ok(())
    }

    fn pattern_properties(&mut self, value: &Value, depth: usize) -> Result<(), Unsupported> {
        for (key, schema) in members(value)? {
            self.pattern(key)?;
            self.schema(schema, depth)?;
        }
        Ok(())
    }

    fn dependencies(&mut self, value: &Value, depth: usize) -> Result<(), Unsupported> {
        for dependency in members(value)?.values() {
            match dependency {
                Value::Array(_) if meta::is_string_set(dependency) => {}
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
        let fragment = reference
            .split_once('#')
            .map_or("", |(_, fragment)| fragment);
        if !meta::is_plain_fragment(fragment) {
            return refuse(format!("the `$ref` {reference}"));
        }
        match refs::target(reference, self.origin, self.base) {
            None => refuse(format!("the `$ref` {reference}")),
            Some(Target::SameDoc { fragment }) if !refs::is_schema_path(self.root, fragment) => {
                refuse(format!("the `$ref` {reference} names no subschema"))
            }
            Some(_) => Ok(()),
        }
    }
}

fn members(value: &Value) -> Result<&Map<String, Value>, Unsupported> {
    value
        .as_object()
        .ok_or_else(|| Unsupported("a keyword that should hold an object".to_string()))
}

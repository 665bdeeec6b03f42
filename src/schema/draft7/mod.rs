//! A draft-07 interpreter: the schema stays the parsed JSON it was read as, and a check walks
//! it against the instance, touching only the subschemas the instance reaches. Its verdicts and
//! violations are `jsonschema` 0.61's (same keywords in the same order, same numeric, equality
//! and regex code), so only schemas the load-time scan finds entirely within what it implements
//! exactly are interpreted; every other one is compiled by `jsonschema` as before.
//!
//! When a check meets something only a run can reveal (a `$ref` cycle that consumes no
//! instance, a regex the engine cannot finish or build, a referenced file that does not load),
//! it stops with an [`Abort`] and the caller asks `jsonschema` instead.

mod array;
mod logic;
mod meta;
mod object;
mod pattern;
mod refs;
mod scalar;
mod scan;
mod walk;

use std::sync::OnceLock;

use serde_json::Value;

use super::embedded;
use super::violation::Violation;
use pattern::Patterns;

/// Draft-07's applicators whose value is one subschema; the scan, `$ref` targets and the
/// schema reader all walk into them.
pub(crate) const ONE_SCHEMA_KEYWORDS: [&str; 8] = [
    "additionalItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "additionalProperties",
];

/// Why a schema is left to `jsonschema`; said in tests and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unsupported(pub String);

/// Why one check is left to `jsonschema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Abort(pub String);

impl Abort {
    fn new(reason: String) -> Abort {
        Abort(reason)
    }
}

/// Where a schema document came from, which decides what its `$ref`s may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// ldhook's own files, which refer to each other by relative URI.
    Embedded,
    /// A file on disk: only `$ref`s inside it are interpreted.
    File,
}

/// One schema document, scanned.
#[derive(Debug)]
pub(super) struct Doc {
    value: Value,
    /// The absolute URI relative `$ref`s resolve against (embedded documents only).
    base: Option<String>,
    patterns: Patterns,
}

#[derive(Debug)]
pub(super) struct Interpreter {
    origin: Origin,
    /// For embedded schemas one slot per embedded file, loaded on first `$ref`; else the file.
    docs: Vec<OnceLock<Option<Doc>>>,
    root: usize,
}

impl Interpreter {
    /// The embedded schema, its other files loaded when a `$ref` first reaches them.
    pub(super) fn embedded() -> Result<Interpreter, Unsupported> {
        let root = embedded::FILES
            .iter()
            .position(|(path, _)| *path == embedded::ROOT_FILE)
            .ok_or_else(|| Unsupported("the root schema file is missing".to_string()))?;
        let docs: Vec<OnceLock<Option<Doc>>> =
            embedded::FILES.iter().map(|_| OnceLock::new()).collect();
        let doc = load_embedded(root).ok_or_else(|| {
            Unsupported("the embedded root schema is outside the interpreter".to_string())
        })?;
        docs.get(root)
            .and_then(|slot| slot.set(Some(doc)).ok())
            .ok_or_else(|| Unsupported("the root schema slot".to_string()))?;
        Ok(Interpreter {
            origin: Origin::Embedded,
            docs,
            root,
        })
    }

    /// A schema file's parsed JSON; its `$ref`s must stay inside it. Refused, the value is
    /// handed back for `jsonschema`.
    pub(super) fn file(value: Value) -> Result<Interpreter, (Unsupported, Value)> {
        let patterns = match scan::scan(&value, Origin::File, None) {
            Ok(patterns) => patterns,
            Err(why) => return Err((why, value)),
        };
        let doc = Doc {
            value,
            base: None,
            patterns,
        };
        Ok(Interpreter {
            origin: Origin::File,
            docs: vec![OnceLock::from(Some(doc))],
            root: 0,
        })
    }

    pub(super) fn check<'i>(&self, instance: &'i Value) -> Result<Vec<Violation<'i>>, Abort> {
        walk::Walker::new(self).check(instance)
    }

    /// The root document, for compiling it with `jsonschema` when a check is left to it.
    pub(super) fn root_value(&self) -> &Value {
        const NULL: &Value = &Value::Null;
        self.root().map_or(NULL, |doc| &doc.value)
    }

    fn root(&self) -> Result<&Doc, Abort> {
        self.doc(self.root)
    }

    fn doc(&self, index: usize) -> Result<&Doc, Abort> {
        let slot = self
            .docs
            .get(index)
            .ok_or_else(|| Abort::new(format!("no schema document {index}")))?;
        let doc = match self.origin {
            Origin::Embedded => slot.get_or_init(|| load_embedded(index)),
            Origin::File => slot.get_or_init(|| None),
        };
        doc.as_ref()
            .ok_or_else(|| Abort::new(format!("schema document {index} did not load")))
    }
}

/// Whether `$schema` appears anywhere below the root, as `jsonschema` looks for it: such a
/// document mixes dialects, which it meta-validates part by part.
pub(super) fn declares_nested_schema(root: &Value) -> bool {
    fn contains(value: &Value) -> bool {
        match value {
            Value::Object(map) => map
                .iter()
                .any(|(key, child)| key == "$schema" || contains(child)),
            Value::Array(items) => items.iter().any(contains),
            _ => false,
        }
    }
    root.as_object()
        .is_some_and(|map| map.values().any(contains))
}

/// An embedded file, parsed and scanned; `None` if it fails either (a bug the tests catch).
fn load_embedded(index: usize) -> Option<Doc> {
    let (path, text) = embedded::FILES.get(index)?;
    let value = embedded::parse(text).ok()?;
    let base = embedded::uri_of(path);
    let patterns = scan::scan(&value, Origin::Embedded, Some(&base)).ok()?;
    Some(Doc {
        value,
        base: Some(base),
        patterns,
    })
}

#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod differential;

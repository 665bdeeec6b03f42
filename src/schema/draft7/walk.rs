//! Walking a schema against an instance: the keywords of a subschema run in `jsonschema`'s
//! order (its `keyword_priority`, cheap assertions first), so that violations come out in the
//! order its `iter_errors` yields them.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{Abort, Doc, Interpreter, array, logic, object, scalar};
use crate::pointer;
use crate::schema::violation::{Violation, ViolationKind};

/// Nested subschema applications one check may make: far above any real schema, and a bound on
/// what a hostile one can make the walk do before `jsonschema` is asked instead.
const MAX_NESTING: usize = 4096;

/// One step from an instance to a member or item.
#[derive(Clone, Copy)]
pub(super) enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// An instance location, kept as links and written out only for a violation.
#[derive(Clone, Copy)]
pub(super) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Option<Segment<'a>>,
}

impl<'a> Path<'a> {
    pub(super) fn root() -> Path<'static> {
        Path {
            parent: None,
            segment: None,
        }
    }

    pub(super) fn push(&'a self, segment: Segment<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Some(segment),
        }
    }

    fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            segments.extend(path.segment);
            at = path.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Key(key) => pointer::push_token(&mut out, key),
                Segment::Index(index) => pointer::push_token(&mut out, &index.to_string()),
            }
        }
        out
    }
}

/// Where violations go: all of them, or only whether there is one (for `anyOf`, `not`, `if`…).
pub(super) struct Out<'i> {
    pub list: Vec<Violation<'i>>,
    probe: bool,
}

impl<'i> Out<'i> {
    pub(super) fn collect() -> Out<'i> {
        Out {
            list: Vec::new(),
            probe: false,
        }
    }

    fn probe() -> Out<'i> {
        Out {
            list: Vec::new(),
            probe: true,
        }
    }

    /// A probe stops at its first violation.
    pub(super) fn done(&self) -> bool {
        self.probe && !self.list.is_empty()
    }

    pub(super) fn push(&mut self, at: &Path<'_>, instance: &'i Value, kind: ViolationKind) {
        let instance_path = if self.probe {
            String::new()
        } else {
            at.render()
        };
        self.list.push(Violation {
            instance_path,
            instance: Cow::Borrowed(instance),
            kind,
        });
    }
}

/// The subschema being applied and the instance it is applied to.
#[derive(Clone, Copy)]
pub(super) struct Here<'s, 'i, 'p> {
    pub doc: &'s Doc,
    pub node: &'s Map<String, Value>,
    pub instance: &'i Value,
    pub at: &'p Path<'p>,
}

pub(super) struct Walker<'s> {
    pub interpreter: &'s Interpreter,
    /// The `$ref` targets being applied, with the instance each is applied to.
    pub refs: Vec<(usize, usize)>,
    depth: usize,
}

impl<'s> Walker<'s> {
    pub(super) fn new(interpreter: &'s Interpreter) -> Walker<'s> {
        Walker {
            interpreter,
            refs: Vec::new(),
            depth: 0,
        }
    }

    pub(super) fn check<'i>(mut self, instance: &'i Value) -> Result<Vec<Violation<'i>>, Abort> {
        let root = self.interpreter.root()?;
        let mut out = Out::collect();
        self.apply(root, &root.value, instance, &Path::root(), &mut out)?;
        Ok(out.list)
    }

    /// Whether `instance` is valid against `schema`.
    pub(super) fn is_valid(
        &mut self,
        doc: &'s Doc,
        schema: &'s Value,
        instance: &Value,
    ) -> Result<bool, Abort> {
        let mut out = Out::probe();
        self.apply(doc, schema, instance, &Path::root(), &mut out)?;
        Ok(out.list.is_empty())
    }

    pub(super) fn apply<'i>(
        &mut self,
        doc: &'s Doc,
        schema: &'s Value,
        instance: &'i Value,
        at: &Path<'_>,
        out: &mut Out<'i>,
    ) -> Result<(), Abort> {
        if self.depth >= MAX_NESTING {
            return Err(Abort::new("subschemas nested too deeply".to_string()));
        }
        self.depth += 1;
        let result = stacker::maybe_grow(64 * 1024, 1024 * 1024, || match schema {
            Value::Bool(true) => Ok(()),
            Value::Bool(false) => {
                out.push(at, instance, ViolationKind::FalseSchema);
                Ok(())
            }
            Value::Object(node) => self.node(
                Here {
                    doc,
                    node,
                    instance,
                    at,
                },
                out,
            ),
            _ => Err(Abort::new("a subschema of another type".to_string())),
        });
        self.depth -= 1;
        result
    }

    fn node<'i>(&mut self, here: Here<'s, 'i, '_>, out: &mut Out<'i>) -> Result<(), Abort> {
        // Draft 7 ignores every sibling of `$ref`.
        if let Some(reference) = here.node.get("$ref") {
            return logic::reference(self, here, reference, out);
        }
        let fused = array::is_fused(here.node);
        let mut keywords: Vec<(u16, &'s str, &'s Value)> = here
            .node
            .iter()
            .filter_map(|(name, value)| order(name, fused).map(|rank| (rank, name.as_str(), value)))
            .collect();
        keywords.sort_by_key(|(rank, _, _)| *rank);
        for (_, name, value) in keywords {
            self.keyword(here, name, value, out)?;
            if out.done() {
                break;
            }
        }
        Ok(())
    }

    fn keyword<'i>(
        &mut self,
        here: Here<'s, 'i, '_>,
        name: &str,
        value: &'s Value,
        out: &mut Out<'i>,
    ) -> Result<(), Abort> {
        match name {
            "type" | "const" | "enum" | "minimum" | "maximum" | "exclusiveMinimum"
            | "exclusiveMaximum" | "multipleOf" | "minLength" | "maxLength" | "pattern"
            | "format" => scalar::keyword(here, name, value, out),
            "minItems" | "maxItems" | "uniqueItems" | "items" | "additionalItems" | "contains" => {
                array::keyword(self, here, name, value, out)
            }
            "minProperties"
            | "maxProperties"
            | "required"
            | "properties"
            | "patternProperties"
            | "additionalProperties"
            | "propertyNames"
            | "dependencies" => object::keyword(self, here, name, value, out),
            _ => logic::keyword(self, here, name, value, out),
        }
    }
}

/// `jsonschema`'s `keyword_priority`, four steps apart so that a fused array shape (`type`,
/// `minItems`, `maxItems` checked by `items`) can sit in `items`' place; `None` for keywords that
/// assert nothing on their own.
fn order(keyword: &str, fused: bool) -> Option<u16> {
    let items = 44 * 4;
    let rank = match keyword {
        "type" if fused => return Some(items),
        "minItems" if fused => return Some(items + 1),
        "maxItems" if fused => return Some(items + 2),
        "items" if fused => return Some(items + 3),
        "type" => 1,
        "const" => 5,
        "enum" => 6,
        "minimum" => 10,
        "maximum" => 11,
        "exclusiveMinimum" => 12,
        "exclusiveMaximum" => 13,
        "multipleOf" => 14,
        "minLength" => 20,
        "maxLength" => 21,
        "minItems" => 22,
        "maxItems" => 23,
        "minProperties" => 24,
        "maxProperties" => 25,
        "required" => 26,
        "pattern" => 30,
        "format" => 31,
        "uniqueItems" => 35,
        "properties" => 40,
        "patternProperties" => 41,
        "additionalProperties" => 42,
        "propertyNames" => 43,
        "items" => 44,
        "additionalItems" => 46,
        "contains" => 47,
        "dependencies" => 48,
        "allOf" => 50,
        "anyOf" => 51,
        "oneOf" => 52,
        "not" => 53,
        "if" => 54,
        _ => return None,
    };
    Some(rank * 4)
}

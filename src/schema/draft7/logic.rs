//! Applicators that apply subschemas to the instance itself: `allOf`, `anyOf`, `oneOf`, `not`,
//! `if`/`then`/`else` and `$ref`.

use serde_json::Value;

use super::walk::{Here, Out, Walker};
use super::{Abort, refs};
use crate::schema::violation::ViolationKind as Kind;

pub(super) fn keyword<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    name: &str,
    value: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let schemas = value.as_array().map(Vec::as_slice).unwrap_or_default();
    match name {
        "allOf" => {
            for schema in schemas {
                walker.apply(here.doc, schema, here.instance, here.at, out)?;
                if out.done() {
                    break;
                }
            }
        }
        "anyOf" if count_valid(walker, here, schemas, 1)? == 0 => {
            let count = schemas.len();
            out.push(here.at, here.instance, Kind::AnyOf { count });
        }
        "oneOf" => match count_valid(walker, here, schemas, 2)? {
            0 => {
                let count = schemas.len();
                out.push(here.at, here.instance, Kind::OneOfNotValid { count });
            }
            1 => {}
            _ => out.push(here.at, here.instance, Kind::OneOfMultipleValid),
        },
        "not" if walker.is_valid(here.doc, value, here.instance)? => {
            out.push(here.at, here.instance, Kind::Not);
        }
        "if" => {
            let branch = if walker.is_valid(here.doc, value, here.instance)? {
                here.node.get("then")
            } else {
                here.node.get("else")
            };
            if let Some(branch) = branch {
                walker.apply(here.doc, branch, here.instance, here.at, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// How many of `schemas` the instance is valid against, counting no further than `enough`.
fn count_valid<'s>(
    walker: &mut Walker<'s>,
    here: Here<'s, '_, '_>,
    schemas: &'s [Value],
    enough: usize,
) -> Result<usize, Abort> {
    let mut valid = 0;
    for schema in schemas {
        if walker.is_valid(here.doc, schema, here.instance)? {
            valid += 1;
            if valid >= enough {
                break;
            }
        }
    }
    Ok(valid)
}

/// `$ref`, in place of every sibling. A target that is the referring subschema itself is
/// always valid, as in `jsonschema`; a target applied again to the same instance while it is
/// still being applied is a cycle `jsonschema` settles its own way, so the check is left to it.
pub(super) fn reference<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    reference: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let reference = reference
        .as_str()
        .ok_or_else(|| Abort::new("a `$ref` that is not a string".to_string()))?;
    let Some((doc, target)) = refs::resolve(walker.interpreter, here.doc, reference)? else {
        return Ok(());
    };
    if target
        .as_object()
        .is_some_and(|node| std::ptr::eq(node, here.node))
    {
        return Ok(());
    }
    let fragment = reference
        .split_once('#')
        .map_or("", |(_, fragment)| fragment);
    if !refs::is_schema_path(&doc.value, fragment) {
        return Err(Abort::new(format!("`$ref` {reference} names no subschema")));
    }
    let key = (
        std::ptr::from_ref(target) as usize,
        std::ptr::from_ref(here.instance) as usize,
    );
    if walker.refs.contains(&key) {
        return Err(Abort::new(format!("`$ref` {reference} cycles in place")));
    }
    walker.refs.push(key);
    let result = walker.apply(doc, target, here.instance, here.at, out);
    walker.refs.pop();
    result
}

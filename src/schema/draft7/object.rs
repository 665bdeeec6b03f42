//! Object keywords: `required`, `minProperties`, `maxProperties`, `properties`,
//! `patternProperties`, `additionalProperties`, `propertyNames` and `dependencies`.

use serde_json::{Map, Value};

use super::Abort;
use super::meta::size_limit;
use super::pattern::Use;
use super::walk::{Here, Out, Segment, Walker};
use crate::schema::violation::ViolationKind as Kind;

pub(super) fn keyword<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    name: &str,
    value: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let Value::Object(members) = here.instance else {
        return Ok(());
    };
    let count = u64::try_from(members.len()).unwrap_or(u64::MAX);
    match name {
        "required" => required(here, members, value, out),
        "minProperties" => {
            if let Some(limit) = size_limit(value).filter(|limit| count < *limit) {
                out.push(here.at, here.instance, Kind::MinProperties { limit });
            }
        }
        "maxProperties" => {
            if let Some(limit) = size_limit(value).filter(|limit| count > *limit) {
                out.push(here.at, here.instance, Kind::MaxProperties { limit });
            }
        }
        "properties" => properties(walker, here, members, value, out)?,
        "patternProperties" => pattern_properties(walker, here, members, value, out)?,
        "additionalProperties" => additional(walker, here, members, value, out)?,
        "propertyNames" => property_names(walker, here, members, value, out)?,
        "dependencies" => dependencies(walker, here, members, value, out)?,
        _ => {}
    }
    Ok(())
}

fn required<'i>(
    here: Here<'_, 'i, '_>,
    members: &Map<String, Value>,
    names: &Value,
    out: &mut Out<'i>,
) {
    for name in names.as_array().into_iter().flatten() {
        if name
            .as_str()
            .is_some_and(|name| !members.contains_key(name))
        {
            out.push(
                here.at,
                here.instance,
                Kind::Required {
                    property: name.clone(),
                },
            );
            if out.done() {
                return;
            }
        }
    }
}

fn member<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    key: &'i str,
    value: &'i Value,
    schema: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let at = here.at.push(Segment::Key(key));
    walker.apply(here.doc, schema, value, &at, out)
}

fn properties<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    members: &'i Map<String, Value>,
    schemas: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let Value::Object(schemas) = schemas else {
        return Ok(());
    };
    for (key, value) in members {
        if let Some(schema) = schemas.get(key) {
            member(walker, here, key, value, schema, out)?;
            if out.done() {
                break;
            }
        }
    }
    Ok(())
}

fn pattern_properties<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    members: &'i Map<String, Value>,
    schemas: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let Value::Object(schemas) = schemas else {
        return Ok(());
    };
    for (key, value) in members {
        for (pattern, schema) in schemas {
            if here.doc.patterns.is_match(Use::PropertyKey, pattern, key)? {
                member(walker, here, key, value, schema, out)?;
                if out.done() {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// Members neither `properties` nor `patternProperties` name, in the instance's order.
fn additional<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    members: &'i Map<String, Value>,
    schema: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let named = here.node.get("properties").and_then(Value::as_object);
    let patterns = here
        .node
        .get("patternProperties")
        .and_then(Value::as_object);
    if schema == &Value::Bool(false) && named.is_none() && patterns.is_none() {
        // `jsonschema` reports an object with no property allowed at all as one false schema,
        // at the object's place but holding its first member's value.
        if let Some(first) = members.values().next() {
            out.push(here.at, first, Kind::FalseSchema);
        }
        return Ok(());
    }
    let mut unexpected = Vec::new();
    for (key, value) in members {
        if named.is_some_and(|named| named.contains_key(key)) {
            continue;
        }
        let mut matched = false;
        for pattern in patterns.into_iter().flat_map(Map::keys) {
            if here.doc.patterns.is_match(Use::PropertyKey, pattern, key)? {
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        if schema == &Value::Bool(false) {
            unexpected.push(key.clone());
        } else {
            member(walker, here, key, value, schema, out)?;
            if out.done() {
                return Ok(());
            }
        }
    }
    if !unexpected.is_empty() {
        out.push(
            here.at,
            here.instance,
            Kind::AdditionalProperties { unexpected },
        );
    }
    Ok(())
}

fn property_names<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    members: &'i Map<String, Value>,
    schema: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    match schema {
        Value::Bool(true) => {}
        Value::Bool(false) => {
            if !members.is_empty() {
                out.push(here.at, here.instance, Kind::FalseSchema);
            }
        }
        _ => {
            for key in members.keys() {
                let name = Value::String(key.clone());
                let mut inner = Out::collect();
                // The name is checked at the object's own location.
                walker.apply(here.doc, schema, &name, here.at, &mut inner)?;
                for violation in inner.list {
                    let inner = Box::new(violation.into_owned());
                    out.push(here.at, here.instance, Kind::PropertyNames(inner));
                }
                if out.done() {
                    break;
                }
            }
        }
    }
    Ok(())
}

fn dependencies<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    members: &'i Map<String, Value>,
    dependencies: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let Value::Object(dependencies) = dependencies else {
        return Ok(());
    };
    for (key, dependency) in dependencies {
        if !members.contains_key(key) {
            continue;
        }
        match dependency {
            Value::Array(_) => required(here, members, dependency, out),
            schema => walker.apply(here.doc, schema, here.instance, here.at, out)?,
        }
        if out.done() {
            break;
        }
    }
    Ok(())
}

//! Array keywords: `items` (one schema or one per position), `additionalItems`, `minItems`,
//! `maxItems`, `uniqueItems` and `contains`.

use jsonschema_value::unique;
use serde_json::{Map, Value};

use super::Abort;
use super::meta::size_limit;
use super::walk::{Here, Out, Segment, Walker};
use crate::schema::violation::ViolationKind as Kind;

/// `jsonschema`'s `array_shape_fusion`: `{type: "array", items: {…}}` with plain bounds and no
/// other array keyword is checked by one validator in `items`' place.
pub(super) fn is_fused(node: &Map<String, Value>) -> bool {
    matches!(
        node.get("items"),
        Some(Value::Object(_) | Value::Bool(false))
    ) && node.get("type").and_then(Value::as_str) == Some("array")
        && !["additionalItems", "contains", "uniqueItems"]
            .iter()
            .any(|key| node.contains_key(*key))
        && ["minItems", "maxItems"].iter().all(|key| {
            node.get(*key)
                .is_none_or(|value| size_limit(value).is_some())
        })
}

pub(super) fn keyword<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    name: &str,
    value: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let Value::Array(items) = here.instance else {
        return Ok(());
    };
    let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
    match name {
        "minItems" => {
            if let Some(limit) = size_limit(value).filter(|limit| count < *limit) {
                out.push(here.at, here.instance, Kind::MinItems { limit });
            }
        }
        "maxItems" => {
            if let Some(limit) = size_limit(value).filter(|limit| count > *limit) {
                out.push(here.at, here.instance, Kind::MaxItems { limit });
            }
        }
        "uniqueItems" if value.as_bool() == Some(true) && !unique::is_unique(items) => {
            out.push(here.at, here.instance, Kind::UniqueItems);
        }
        "items" => each_item(walker, here, items, value, out)?,
        "additionalItems" => additional(walker, here, items, value, out)?,
        "contains" => contains(walker, here, items, value, out)?,
        _ => {}
    }
    Ok(())
}

fn each_item<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    items: &'i [Value],
    schema: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    for (index, item) in items.iter().enumerate() {
        let item_schema = match schema {
            Value::Array(schemas) => match schemas.get(index) {
                Some(item_schema) => item_schema,
                None => break,
            },
            single => single,
        };
        let at = here.at.push(Segment::Index(index));
        walker.apply(here.doc, item_schema, item, &at, out)?;
        if out.done() {
            break;
        }
    }
    Ok(())
}

/// Past the positions an `items` array names; ignored beside any other `items`.
fn additional<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    items: &'i [Value],
    schema: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let Some(Value::Array(positions)) = here.node.get("items") else {
        return Ok(());
    };
    let limit = positions.len();
    if schema == &Value::Bool(false) {
        if items.len() > limit {
            out.push(
                here.at,
                here.instance,
                Kind::Other {
                    keyword: "additionalItems".to_string(),
                },
            );
        }
        return Ok(());
    }
    for (index, item) in items.iter().enumerate().skip(limit) {
        let at = here.at.push(Segment::Index(index));
        walker.apply(here.doc, schema, item, &at, out)?;
        if out.done() {
            break;
        }
    }
    Ok(())
}

fn contains<'s, 'i>(
    walker: &mut Walker<'s>,
    here: Here<'s, 'i, '_>,
    items: &'i [Value],
    schema: &'s Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    for item in items {
        if walker.is_valid(here.doc, schema, item)? {
            return Ok(());
        }
    }
    out.push(here.at, here.instance, Kind::Contains);
    Ok(())
}

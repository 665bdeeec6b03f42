//! Keywords that look at the instance alone: `type`, `const`, `enum`, the numeric bounds,
//! string lengths, `pattern` and `format`. Numbers, equality and integer-ness are judged by the
//! same `jsonschema_value` functions `jsonschema` uses.

use jsonschema_value::{cmp, numeric, types};
use serde_json::{Number, Value};

use super::Abort;
use super::meta::{size_limit, type_names};
use super::pattern::Use;
use super::walk::{Here, Out};
use crate::schema::is_ajv_email;
use crate::schema::violation::ViolationKind as Kind;

pub(super) fn keyword<'i>(
    here: Here<'_, 'i, '_>,
    name: &str,
    value: &Value,
    out: &mut Out<'i>,
) -> Result<(), Abort> {
    let instance = here.instance;
    let kind = match name {
        "type" => type_violation(value, instance),
        "const" => (!cmp::equal(instance, value)).then(|| Kind::Const {
            expected: value.clone(),
        }),
        "enum" => enum_violation(value, instance),
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
            bound_violation(name, value, instance)
        }
        "multipleOf" => multiple_violation(value, instance),
        "minLength" | "maxLength" => length_violation(name, value, instance),
        "pattern" => pattern_violation(here, value)?,
        "format" => format_violation(value, instance),
        _ => None,
    };
    if let Some(kind) = kind {
        out.push(here.at, instance, kind);
    }
    Ok(())
}

fn type_violation(value: &Value, instance: &Value) -> Option<Kind> {
    let names = type_names(value)?;
    if names.iter().any(|name| has_type(instance, name)) {
        return None;
    }
    // A list of one reads as that one type; longer lists report their set in a fixed order.
    let expected = if value.is_string() || names.len() == 1 {
        names
            .iter()
            .filter_map(|name| static_name(name))
            .take(1)
            .collect()
    } else {
        super::meta::TYPE_NAMES
            .iter()
            .copied()
            .filter(|known| names.contains(known))
            .collect()
    };
    Some(Kind::Type { expected })
}

fn static_name(name: &str) -> Option<&'static str> {
    super::meta::TYPE_NAMES
        .iter()
        .copied()
        .find(|known| *known == name)
}

fn has_type(instance: &Value, name: &str) -> bool {
    match (name, instance) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(number)) => types::number_is_integer(number),
        _ => false,
    }
}

fn enum_violation(value: &Value, instance: &Value) -> Option<Kind> {
    let options = value.as_array()?;
    (!options.iter().any(|option| cmp::equal(instance, option))).then(|| Kind::Enum {
        options: value.clone(),
    })
}

fn bound_violation(name: &str, limit: &Value, instance: &Value) -> Option<Kind> {
    let (Value::Number(number), Value::Number(bound)) = (instance, limit) else {
        return None;
    };
    if holds(name, number, bound) {
        return None;
    }
    let limit = limit.clone();
    Some(match name {
        "minimum" => Kind::Minimum { limit },
        "maximum" => Kind::Maximum { limit },
        "exclusiveMinimum" => Kind::ExclusiveMinimum { limit },
        _ => Kind::ExclusiveMaximum { limit },
    })
}

/// `jsonschema`'s comparison for the limit's own representation: `u64`, `i64`, else `f64`.
fn holds(name: &str, number: &Number, bound: &Number) -> bool {
    macro_rules! compare {
        ($limit:expr) => {
            match name {
                "minimum" => numeric::ge(number, $limit),
                "maximum" => numeric::le(number, $limit),
                "exclusiveMinimum" => numeric::gt(number, $limit),
                _ => numeric::lt(number, $limit),
            }
        };
    }
    if let Some(limit) = bound.as_u64() {
        compare!(limit)
    } else if let Some(limit) = bound.as_i64() {
        compare!(limit)
    } else {
        compare!(bound.as_f64().unwrap_or(f64::NAN))
    }
}

fn multiple_violation(value: &Value, instance: &Value) -> Option<Kind> {
    let (Value::Number(number), Some(multiple_of)) = (instance, value.as_f64()) else {
        return None;
    };
    let holds = if multiple_of.fract() == 0.0 {
        numeric::is_multiple_of_integer(number, multiple_of)
    } else {
        numeric::is_multiple_of_float(number, multiple_of)
    };
    (!holds).then_some(Kind::MultipleOf { multiple_of })
}

fn length_violation(name: &str, value: &Value, instance: &Value) -> Option<Kind> {
    let (Value::String(text), Some(limit)) = (instance, size_limit(value)) else {
        return None;
    };
    // Lengths count code points, as `jsonschema` and ajv do.
    let length = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
    match name {
        "minLength" => (length < limit).then_some(Kind::MinLength { limit }),
        _ => (length > limit).then_some(Kind::MaxLength { limit }),
    }
}

fn pattern_violation(here: Here<'_, '_, '_>, value: &Value) -> Result<Option<Kind>, Abort> {
    let (Value::String(text), Some(pattern)) = (here.instance, value.as_str()) else {
        return Ok(None);
    };
    let matched = here.doc.patterns.is_match(Use::Pattern, pattern, text)?;
    Ok((!matched).then(|| Kind::Pattern {
        pattern: pattern.to_string(),
    }))
}

fn format_violation(value: &Value, instance: &Value) -> Option<Kind> {
    let (Value::String(text), Some("email")) = (instance, value.as_str()) else {
        return None;
    };
    (!is_ajv_email(text)).then(|| Kind::Format {
        format: "email".to_string(),
    })
}

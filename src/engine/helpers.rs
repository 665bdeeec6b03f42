//! Handlebars.js's built-in helpers and the framework's own (`helpers/index.js`), with
//! JavaScript's calling convention: a helper declared `(a, b, options)` and called with one
//! parameter receives the options object as `b` and `undefined` as `options`.

use std::borrow::Cow;
use std::rc::Rc;

use base64::Engine as _;

use super::dates;
use super::error::{EngineError, ErrorKind};
use super::eval::{Bindings, Data, Evaluator, Frame, Options, describe};
use super::text::{encode_uri, encode_uri_component};
use super::value::JsValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Helper {
    If,
    Unless,
    Each,
    With,
    Lookup,
    Log,
    BlockHelperMissing,
    Missing,
    Equal,
    PathEncode,
    QueryEncode,
    BasicAuthHeaderValue,
    FormatWithOffset,
}

/// The helpers the Handlebars.js compiler knows by name; for these a lone `{{name}}` is a
/// helper call, never a field.
pub fn is_known(name: &str) -> bool {
    matches!(
        name,
        "helperMissing"
            | "blockHelperMissing"
            | "each"
            | "if"
            | "unless"
            | "with"
            | "log"
            | "lookup"
    )
}

pub fn find(name: &str) -> Option<Helper> {
    Some(match name {
        "if" => Helper::If,
        "unless" => Helper::Unless,
        "each" => Helper::Each,
        "with" => Helper::With,
        "lookup" => Helper::Lookup,
        "log" => Helper::Log,
        "blockHelperMissing" => Helper::BlockHelperMissing,
        "helperMissing" => Helper::Missing,
        "equal" | "equalWithElse" => Helper::Equal,
        "pathEncode" => Helper::PathEncode,
        "queryEncode" => Helper::QueryEncode,
        "basicAuthHeaderValue" => Helper::BasicAuthHeaderValue,
        "formatWithOffset" => Helper::FormatWithOffset,
        _ => return None,
    })
}

type Result<T> = std::result::Result<T, EngineError>;

/// Parameter `i` as the JavaScript function sees it.
fn arg<'a>(params: &[JsValue<'a>], i: usize) -> JsValue<'a> {
    match params.get(i) {
        Some(value) => value.clone(),
        None if i == params.len() => JsValue::Options,
        None => JsValue::Undefined,
    }
}

/// Calls `helper`. Block bodies render straight into `out`; what the helper returns is what
/// its statement writes after them (nothing, for the helpers that render a block).
pub fn call<'a>(
    ev: &Evaluator<'a>,
    helper: Helper,
    params: Vec<JsValue<'a>>,
    options: Options<'a>,
    frame: &Frame<'a>,
    out: &mut String,
) -> Result<JsValue<'a>> {
    match helper {
        Helper::If | Helper::Unless => {
            let condition = exactly_one(
                ev,
                &params,
                &options,
                if helper == Helper::If {
                    "#if"
                } else {
                    "#unless"
                },
            )?;
            let include_zero = options
                .hash_value("includeZero")
                .is_some_and(JsValue::truthy);
            let falsy = (!include_zero && !condition.truthy()) || condition.is_empty();
            let take_inverse = falsy == (helper == Helper::If);
            let program = if take_inverse {
                options.inverse
            } else {
                options.program
            };
            run(
                ev,
                &options,
                program,
                Evaluator::this(frame),
                frame,
                Bindings::default(),
                out,
            )
        }
        Helper::With => {
            let context = exactly_one(ev, &params, &options, "#with")?.clone();
            if context.is_empty() {
                run(
                    ev,
                    &options,
                    options.inverse,
                    Evaluator::this(frame),
                    frame,
                    Bindings::default(),
                    out,
                )
            } else {
                let block_params = vec![context.clone()];
                run(
                    ev,
                    &options,
                    options.program,
                    context,
                    frame,
                    Bindings {
                        data: None,
                        block_params: Some(block_params),
                    },
                    out,
                )
            }
        }
        Helper::Each => each_helper(ev, params, options, frame, out),
        Helper::Lookup => {
            let object = arg(&params, 0);
            if !object.truthy() {
                return Ok(object);
            }
            if params.len() != 2 {
                return Err(ev.error(
                    ErrorKind::TypeError,
                    options.span,
                    "lookup needs an object and a field: `lookup object field`",
                ));
            }
            let field = arg(&params, 1).to_js_string();
            lookup_property(&object, &field).map_err(|reason| {
                ev.error(
                    ErrorKind::TypeError,
                    options.span,
                    format!("lookup of `{field}`: {reason}"),
                )
            })
        }
        Helper::Log => Ok(JsValue::Undefined),
        Helper::Missing => {
            if params.is_empty() {
                Ok(JsValue::Undefined)
            } else {
                Err(ev.error(
                    ErrorKind::HelperException,
                    options.span,
                    format!("Missing helper: \"{}\"", options.name),
                ))
            }
        }
        Helper::BlockHelperMissing => {
            let context = arg(&params, 0);
            if params.len() > 1 {
                return Err(not_a_function(ev, &options, "options.fn"));
            }
            block_helper_missing(ev, context, options, frame, out)
        }
        Helper::Equal => {
            let (a, b) = (arg(&params, 0), arg(&params, 1));
            if params.len() != 2 {
                let problem = if params.len() < 2 {
                    "options is undefined because a parameter is missing"
                } else {
                    "a third parameter took the place of options"
                };
                return Err(ev.error(
                    ErrorKind::TypeError,
                    options.span,
                    format!("equal needs exactly two parameters: {problem}"),
                ));
            }
            let program = if a.strict_equals(&b) {
                options.program
            } else {
                options.inverse
            };
            run(
                ev,
                &options,
                program,
                Evaluator::this(frame),
                frame,
                Bindings::default(),
                out,
            )
        }
        Helper::PathEncode => Ok(JsValue::string(encode_uri(&arg(&params, 0).to_js_string()))),
        Helper::QueryEncode => Ok(JsValue::string(encode_uri_component(
            &arg(&params, 0).to_js_string(),
        ))),
        Helper::BasicAuthHeaderValue => {
            let credentials = format!(
                "{}:{}",
                arg(&params, 0).to_js_string(),
                arg(&params, 1).to_js_string()
            );
            let encoded = base64::engine::general_purpose::STANDARD.encode(credentials.as_bytes());
            Ok(JsValue::string(format!("Basic {encoded}")))
        }
        Helper::FormatWithOffset => format_with_offset(ev, &params, &options),
    }
}

/// The one parameter of `#if`, `#unless` and `#with`.
fn exactly_one<'p, 'a>(
    ev: &Evaluator<'_>,
    params: &'p [JsValue<'a>],
    options: &Options<'a>,
    name: &str,
) -> Result<&'p JsValue<'a>> {
    if let [one] = params {
        Ok(one)
    } else {
        Err(ev.error(
            ErrorKind::HelperException,
            options.span,
            format!("{name} requires exactly one argument, got {}", params.len()),
        ))
    }
}

fn not_a_function(ev: &Evaluator<'_>, options: &Options<'_>, what: &str) -> EngineError {
    ev.error(
        ErrorKind::TypeError,
        options.span,
        format!(
            "`{}` is a block helper: {what} is not a function when it is used inline",
            options.name
        ),
    )
}

/// Calls `options.fn` or `options.inverse` into `out`; only block statements have them.
fn run<'a>(
    ev: &Evaluator<'a>,
    options: &Options<'a>,
    program: Option<&'a super::ast::Program>,
    context: JsValue<'a>,
    frame: &Frame<'a>,
    bindings: Bindings<'a>,
    out: &mut String,
) -> Result<JsValue<'a>> {
    if !options.is_block {
        return Err(not_a_function(ev, options, "options.fn"));
    }
    ev.invoke(program, context, frame, bindings, options.span, out)?;
    Ok(JsValue::Undefined)
}

/// What a block does with a plain value: render for `true`, iterate an array, skip for
/// falsy, and otherwise render with the value as the context.
pub fn block_helper_missing<'a>(
    ev: &Evaluator<'a>,
    context: JsValue<'a>,
    options: Options<'a>,
    frame: &Frame<'a>,
    out: &mut String,
) -> Result<JsValue<'a>> {
    let (program, context) = match &context {
        JsValue::Bool(true) => (options.program, frame.context.clone()),
        JsValue::Bool(false) | JsValue::Null | JsValue::Undefined => {
            (options.inverse, frame.context.clone())
        }
        JsValue::Array(items) if items.is_empty() => (options.inverse, frame.context.clone()),
        JsValue::Array(_) => return each_helper(ev, vec![context.clone()], options, frame, out),
        _ => (options.program, context.clone()),
    };
    run(
        ev,
        &options,
        program,
        context,
        frame,
        Bindings::default(),
        out,
    )
}

fn each_helper<'a>(
    ev: &Evaluator<'a>,
    params: Vec<JsValue<'a>>,
    options: Options<'a>,
    frame: &Frame<'a>,
    out: &mut String,
) -> Result<JsValue<'a>> {
    let Some(context) = params.first() else {
        return Err(ev.error(
            ErrorKind::HelperException,
            options.span,
            "Must pass iterator to #each",
        ));
    };
    if params.len() > 1 {
        return Err(ev.error(
            ErrorKind::TypeError,
            options.span,
            "#each takes one parameter: a second one took the place of options",
        ));
    }
    if !options.is_block {
        return Err(not_a_function(ev, &options, "options.fn"));
    }
    let iterate = |value: JsValue<'a>,
                   key: JsValue<'a>,
                   index: usize,
                   last: bool,
                   out: &mut String|
     -> Result<()> {
        let mut data = Data::child(&frame.data);
        data.key = Some(key.clone());
        data.index = Some(JsValue::Number(index as f64));
        data.first = Some(JsValue::Bool(index == 0));
        data.last = Some(JsValue::Bool(last));
        let bindings = Bindings {
            data: Some(Rc::new(data)),
            block_params: Some(vec![value.clone(), key]),
        };
        ev.invoke(options.program, value, frame, bindings, options.span, out)
    };
    let count = match context {
        JsValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = JsValue::Number(i as f64);
                iterate(JsValue::from_json(item), key, i, i + 1 == items.len(), out)?;
            }
            items.len()
        }
        JsValue::Object(map) => {
            let entries = js_key_order(map);
            for (i, (key, value)) in entries.iter().enumerate() {
                // Borrowed: a long key must not cost its length on every iteration.
                let key = JsValue::String(Cow::Borrowed(key.as_str()));
                let last = i + 1 == entries.len();
                iterate(JsValue::from_json(value), key, i, last, out)?;
            }
            entries.len()
        }
        _ => 0,
    };
    if count == 0 {
        let this = Evaluator::this(frame);
        ev.invoke(
            options.inverse,
            this,
            frame,
            Bindings::default(),
            options.span,
            out,
        )?;
    }
    Ok(JsValue::Undefined)
}

/// `Object.keys` order: integer-like keys ascending, then the rest as written; each with its
/// value, so that nothing is looked up again.
fn js_key_order(
    map: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(&String, &serde_json::Value)> {
    let mut indices: Vec<(u32, (&String, &serde_json::Value))> = map
        .iter()
        .filter_map(|entry| array_index(entry.0).map(|i| (i, entry)))
        .collect();
    indices.sort_by_key(|(i, _)| *i);
    indices
        .into_iter()
        .map(|(_, entry)| entry)
        .chain(map.iter().filter(|(k, _)| array_index(k).is_none()))
        .collect()
}

/// A canonical array index: `0`, or digits without a leading zero, below 2³² − 1.
fn array_index(key: &str) -> Option<u32> {
    if key.is_empty()
        || (key.len() > 1 && key.starts_with('0'))
        || !key.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    key.parse::<u32>().ok().filter(|i| *i < u32::MAX)
}

fn format_with_offset<'a>(
    ev: &Evaluator<'_>,
    params: &[JsValue<'a>],
    options: &Options<'a>,
) -> Result<JsValue<'a>> {
    let millis = arg(params, 0);
    let offset = arg(params, 1).to_number() * 1000.0;
    // `millis + offset` concatenates when millis is a string (or an object), and `new Date`
    // of such a string is an invalid date.
    let time = match millis {
        JsValue::String(_) | JsValue::Array(_) | JsValue::Object(_) | JsValue::Options => f64::NAN,
        other => other.to_number() + offset,
    };
    let time = dates::time_clip(time);
    let format = arg(params, 2);
    let format = match &format {
        JsValue::String(s) => s.as_ref(),
        _ => "",
    };
    match format {
        "seconds" => Ok(JsValue::Number(dates::js_round(time / 1000.0))),
        "rfc3339" => dates::to_iso_string(time).map(JsValue::string).ok_or_else(|| {
            ev.error(ErrorKind::RangeError, options.span, "formatWithOffset: Invalid time value (the timestamp is not a number of milliseconds)")
        }),
        "simple" => dates::simple_format(time).map(JsValue::string).ok_or_else(|| {
            ev.error(ErrorKind::TypeError, options.span, "formatWithOffset: Invalid date (the timestamp is not a number of milliseconds)")
        }),
        _ => Ok(JsValue::Number(time)),
    }
}

/// Names every object has through `Object.prototype`: the `in` operator finds them, and
/// Handlebars.js's prototype-access control reads them as `undefined`.
const OBJECT_PROTOTYPE: &[&str] = &[
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
    "__proto__",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

const ARRAY_PROTOTYPE: &[&str] = &[
    "at",
    "concat",
    "copyWithin",
    "entries",
    "every",
    "fill",
    "filter",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "flat",
    "flatMap",
    "forEach",
    "includes",
    "indexOf",
    "join",
    "keys",
    "lastIndexOf",
    "map",
    "pop",
    "push",
    "reduce",
    "reduceRight",
    "reverse",
    "shift",
    "slice",
    "some",
    "sort",
    "splice",
    "toReversed",
    "toSorted",
    "toSpliced",
    "unshift",
    "values",
    "with",
];

pub fn is_object_prototype_member(name: &str) -> bool {
    OBJECT_PROTOTYPE.contains(&name)
}

fn array_item<'a>(items: &'a [serde_json::Value], name: &str) -> Option<&'a serde_json::Value> {
    array_index(name).and_then(|i| items.get(i as usize))
}

/// `container.lookupProperty(parent, name)`: own properties only; a property *of* null or
/// undefined is JavaScript's TypeError, whose reason this returns.
pub fn lookup_property<'a>(
    parent: &JsValue<'a>,
    name: &str,
) -> std::result::Result<JsValue<'a>, String> {
    Ok(match parent {
        JsValue::Undefined | JsValue::Null => {
            return Err(format!("it is {}", describe(parent)));
        }
        JsValue::Object(map) => map.get(name).map_or(JsValue::Undefined, JsValue::from_json),
        JsValue::Array(items) => match name {
            "length" => JsValue::Number(items.len() as f64),
            _ => array_item(items, name).map_or(JsValue::Undefined, JsValue::from_json),
        },
        JsValue::String(text) => match name {
            "length" => JsValue::Number(text.encode_utf16().count() as f64),
            _ => match array_index(name) {
                Some(i) => utf16_unit(text, i as usize).map_or(JsValue::Undefined, JsValue::string),
                None => JsValue::Undefined,
            },
        },
        JsValue::Bool(_) | JsValue::Number(_) | JsValue::Options => JsValue::Undefined,
    })
}

fn utf16_unit(text: &str, index: usize) -> Option<String> {
    let unit = text.encode_utf16().nth(index)?;
    Some(char::from_u32(u32::from(unit)).map_or_else(|| "\u{fffd}".to_string(), |c| c.to_string()))
}

/// `container.strict(parent, name)`: the property when `name in parent`, `None` when not; a
/// primitive on the right of `in` is JavaScript's TypeError.
pub fn strict_property<'a>(
    parent: &JsValue<'a>,
    name: &str,
) -> std::result::Result<Option<JsValue<'a>>, String> {
    if has_property(parent, name)? {
        lookup_property(parent, name).map(Some)
    } else {
        Ok(None)
    }
}

/// The `in` operator, as `container.strict` uses it: prototype members count; a primitive
/// on the right is JavaScript's TypeError.
pub fn has_property(object: &JsValue<'_>, name: &str) -> std::result::Result<bool, String> {
    match object {
        JsValue::Object(map) => Ok(map.contains_key(name) || is_object_prototype_member(name)),
        JsValue::Array(items) => Ok(name == "length"
            || array_item(items, name).is_some()
            || ARRAY_PROTOTYPE.contains(&name)
            || is_object_prototype_member(name)),
        JsValue::Options => Ok(matches!(
            name,
            "fn" | "inverse" | "hash" | "data" | "loc" | "name" | "lookupProperty"
        ) || is_object_prototype_member(name)),
        other => Err(format!("it is {}, not an object", describe(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn object_keys_put_integer_keys_first() {
        let value =
            json!({"b": 1, "10": 2, "a": 3, "2": 4, "01": 5, "-1": 6, "4294967295": 7, "0": 8});
        let map = value.as_object().expect("object");
        let keys: Vec<&str> = js_key_order(map)
            .into_iter()
            .map(|(key, _)| key.as_str())
            .collect();
        assert_eq!(keys, ["0", "2", "10", "b", "a", "01", "-1", "4294967295"]);
    }

    #[test]
    fn in_operator_sees_prototype_members() {
        let value = json!({"a": 1});
        let object = JsValue::from_json(&value);
        assert_eq!(has_property(&object, "a"), Ok(true));
        assert_eq!(has_property(&object, "toString"), Ok(true));
        assert_eq!(has_property(&object, "b"), Ok(false));
        assert!(has_property(&JsValue::string("abc"), "length").is_err());
    }

    #[test]
    fn property_reads() {
        let value = json!([10, 20]);
        let array = JsValue::from_json(&value);
        assert!(matches!(lookup_property(&array, "length"), Ok(JsValue::Number(n)) if n == 2.0));
        assert!(matches!(lookup_property(&array, "1"), Ok(JsValue::Number(n)) if n == 20.0));
        assert!(matches!(
            lookup_property(&array, "map"),
            Ok(JsValue::Undefined)
        ));
        assert!(lookup_property(&JsValue::Undefined, "x").is_err());
        assert!(
            matches!(lookup_property(&JsValue::string("abc"), "1"), Ok(JsValue::String(s)) if s == "b")
        );
    }
}

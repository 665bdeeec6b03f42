//! Handlebars.js's built-in helpers and the framework's own (`helpers/index.js`), with
//! JavaScript's calling convention: a helper declared `(a, b, options)` and called with one
//! parameter receives the options object as `b` and `undefined` as `options`.

use std::borrow::Cow;
use std::rc::Rc;

use base64::Engine as _;

use super::appends::{Primitive, Rendered};
use super::ast::Program;
use super::dates;
use super::error::{EngineError, ErrorKind};
use super::eval::{Bindings, Data, Evaluator, Frame, Options, describe};
use super::text::{encode_uri, encode_uri_component};
use super::value::JsValue;

type Result<T> = std::result::Result<T, EngineError>;

/// A helper as Handlebars.js registers one: a function of its call.
#[derive(Debug, Clone, Copy)]
pub(super) struct Helper(HelperFn);

type HelperFn = for<'c, 'a> fn(Call<'c, 'a>) -> Result<JsValue<'a>>;

/// The helpers the Handlebars.js compiler knows by name; for these a lone `{{name}}` is a
/// helper call, never a field.
pub(super) fn is_known(name: &str) -> bool {
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

/// The registered helpers: Handlebars.js's built-ins, then the framework's.
pub(super) fn find(name: &str) -> Option<Helper> {
    let function: HelperFn = match name {
        "if" => if_helper,
        "unless" => unless_helper,
        "each" => each_helper,
        "with" => with_helper,
        "lookup" => lookup_helper,
        "log" => log_helper,
        "equal" | "equalWithElse" => equal_helper,
        "pathEncode" => path_encode,
        "queryEncode" => query_encode,
        "basicAuthHeaderValue" => basic_auth_header_value,
        "formatWithOffset" => format_with_offset,
        _ => return None,
    };
    Some(Helper(function))
}

/// Calls `helper`. Block bodies render straight into `out`; what the helper returns is what
/// its statement writes after them (nothing, for the helpers that render a block).
pub(super) fn call<'a>(
    ev: &Evaluator<'a>,
    helper: Helper,
    params: Vec<JsValue<'a>>,
    options: Options<'a>,
    frame: &Frame<'a>,
    out: &mut String,
) -> Result<JsValue<'a>> {
    let Helper(function) = helper;
    function(Call {
        ev,
        params,
        options,
        frame,
        out,
    })
}

/// What a block does with a plain value: render for `true`, iterate an array, skip for
/// falsy, and otherwise render with the value as the context.
pub(super) fn block_helper_missing<'a>(
    ev: &Evaluator<'a>,
    context: JsValue<'a>,
    options: Options<'a>,
    frame: &Frame<'a>,
    out: &mut String,
) -> Result<JsValue<'a>> {
    Call {
        ev,
        params: Vec::new(),
        options,
        frame,
        out,
    }
    .block_for_value(context)
}

/// One call of a helper: what the JavaScript function receives, and the output its block
/// bodies render into.
struct Call<'c, 'a> {
    ev: &'c Evaluator<'a>,
    params: Vec<JsValue<'a>>,
    options: Options<'a>,
    frame: &'c Frame<'a>,
    out: &'c mut String,
}

impl<'a> Call<'_, 'a> {
    /// Parameter `i` as the JavaScript function sees it.
    fn arg(&self, i: usize) -> JsValue<'a> {
        match self.params.get(i) {
            Some(value) => value.clone(),
            None if i == self.params.len() => JsValue::Options,
            None => JsValue::Undefined,
        }
    }

    /// `String(param)` for parameter `i`.
    fn string_arg(&self, i: usize) -> Result<Cow<'a, str>> {
        self.ev
            .converted(self.arg(i).to_js_string(), self.options.span)
    }

    /// `Number(param)` for parameter `i`.
    fn number_arg(&self, i: usize) -> Result<f64> {
        self.ev
            .converted(self.arg(i).to_number(), self.options.span)
    }

    fn error(&self, kind: ErrorKind, message: impl Into<String>) -> EngineError {
        self.ev.error(kind, self.options.span, message)
    }

    fn not_a_function(&self, what: &str) -> EngineError {
        self.error(
            ErrorKind::TypeError,
            format!(
                "`{}` is a block helper: {what} is not a function when it is used inline",
                self.options.name
            ),
        )
    }

    /// The one parameter of `#if`, `#unless` and `#with`.
    fn exactly_one(&self, name: &str) -> Result<&JsValue<'a>> {
        if let [one] = self.params.as_slice() {
            Ok(one)
        } else {
            Err(self.error(
                ErrorKind::HelperException,
                format!(
                    "{name} requires exactly one argument, got {}",
                    self.params.len()
                ),
            ))
        }
    }

    /// Calls `options.fn` or `options.inverse` into the output; only block statements have
    /// them.
    fn render(
        &mut self,
        program: Option<&'a Program>,
        context: JsValue<'a>,
        bindings: Bindings<'a>,
    ) -> Result<JsValue<'a>> {
        if !self.options.is_block {
            return Err(self.not_a_function("options.fn"));
        }
        let rendered = self.ev.invoke(
            program,
            context,
            self.frame,
            bindings,
            self.options.span,
            self.out,
        )?;
        Ok(rendered.value())
    }

    /// `options.fn(this)` or `options.inverse(this)`: the body with the helper's own context.
    fn render_with_this(&mut self, program: Option<&'a Program>) -> Result<JsValue<'a>> {
        self.render(program, Evaluator::this(self.frame), Bindings::default())
    }

    /// One iteration of `#each`: the body with the item as context, `@key`, `@index`,
    /// `@first` and `@last` set, and `as |value key|` bound.
    fn each_item(
        &mut self,
        value: JsValue<'a>,
        key: JsValue<'a>,
        index: usize,
        last: bool,
    ) -> Result<()> {
        let mut data = Data::child(&self.frame.data);
        data.key = Some(key.clone());
        data.index = Some(JsValue::Number(index as f64));
        data.first = Some(JsValue::Bool(index == 0));
        data.last = Some(JsValue::Bool(last));
        let bindings = Bindings {
            data: Some(Rc::new(data)),
            block_params: Some(vec![value.clone(), key]),
        };
        // `ret = ret + fn(item)`, `ret` a string: a number the body adds up to is text here.
        let rendered = self.render(self.options.program, value, bindings)?;
        if let Some(primitive) = Primitive::of(&rendered) {
            Rendered::Primitive(primitive).write(self.out);
        }
        Ok(())
    }

    /// `blockHelperMissing` for `value`, as documented on [`block_helper_missing`].
    fn block_for_value(mut self, value: JsValue<'a>) -> Result<JsValue<'a>> {
        let current = || self.frame.context.clone();
        let (program, context) = match &value {
            JsValue::Bool(true) => (self.options.program, current()),
            JsValue::Bool(false) | JsValue::Null | JsValue::Undefined => {
                (self.options.inverse, current())
            }
            JsValue::Array(items) if items.is_empty() => (self.options.inverse, current()),
            JsValue::Array(_) => {
                self.params = vec![value];
                return each_helper(self);
            }
            _ => (self.options.program, value),
        };
        self.render(program, context, Bindings::default())
    }
}

fn if_helper<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    conditional(call, "#if", true)
}

fn unless_helper<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    conditional(call, "#unless", false)
}

/// `#if` and `#unless`: the body when the condition's truth is `body_when_true`, else the
/// inverse. `includeZero=true` makes 0 true; an empty array is false either way.
fn conditional<'a>(
    mut call: Call<'_, 'a>,
    name: &str,
    body_when_true: bool,
) -> Result<JsValue<'a>> {
    let condition = call.exactly_one(name)?;
    let include_zero = call
        .options
        .hash_value("includeZero")
        .is_some_and(JsValue::truthy);
    let falsy = (!include_zero && !condition.truthy()) || condition.is_empty();
    let is_true = !falsy;
    let program = if is_true == body_when_true {
        call.options.program
    } else {
        call.options.inverse
    };
    call.render_with_this(program)
}

fn with_helper<'a>(mut call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    let context = call.exactly_one("#with")?.clone();
    if context.is_empty() {
        return call.render_with_this(call.options.inverse);
    }
    let bindings = Bindings {
        data: None,
        block_params: Some(vec![context.clone()]),
    };
    call.render(call.options.program, context, bindings)
}

fn lookup_helper<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    let object = call.arg(0);
    if !object.truthy() {
        return Ok(object);
    }
    if call.params.len() != 2 {
        return Err(call.error(
            ErrorKind::TypeError,
            "lookup needs an object and a field: `lookup object field`",
        ));
    }
    let field = call.string_arg(1)?;
    let own_members_only = matches!(object, JsValue::Object(_)) && call.ev.assigned();
    if own_members_only && field == super::prototypes::PROTO {
        return Ok(JsValue::Undefined);
    }
    lookup_property(&object, &field).map_err(|reason| {
        call.error(
            ErrorKind::TypeError,
            format!("lookup of `{field}`: {reason}"),
        )
    })
}

/// Logging writes to the console in JavaScript; a render shows nothing.
fn log_helper<'a>(_: Call<'_, 'a>) -> Result<JsValue<'a>> {
    Ok(JsValue::Undefined)
}

fn each_helper<'a>(mut call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    let iterable = each_iterable(&mut call)?;
    let count = match &iterable {
        JsValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = JsValue::Number(i as f64);
                let last = i + 1 == items.len();
                call.each_item(JsValue::from_json(item), key, i, last)?;
            }
            items.len()
        }
        JsValue::Object(map) => {
            let mut entries = js_key_order(map);
            if call.ev.assigned() {
                // `Object.keys` lists own members: a prototype is not one.
                entries.retain(|(key, _)| key.as_str() != super::prototypes::PROTO);
            }
            for (i, (key, value)) in entries.iter().enumerate() {
                // Borrowed: a long key must not cost its length on every iteration.
                let key = JsValue::String(Cow::Borrowed(key.as_str()));
                let last = i + 1 == entries.len();
                call.each_item(JsValue::from_json(value), key, i, last)?;
            }
            entries.len()
        }
        JsValue::Extended(properties) => {
            for (i, (key, value)) in properties.iter().enumerate() {
                let key = JsValue::String(key.clone());
                let last = i + 1 == properties.len();
                call.each_item(value.clone(), key, i, last)?;
            }
            properties.len()
        }
        _ => 0,
    };
    if count == 0 {
        // `ret = inverse(this)`: the inverse's value as it is, a number included.
        return call.render_with_this(call.options.inverse);
    }
    // `ret`, a string, already written.
    Ok(JsValue::string(""))
}

/// What `#each` iterates: its one parameter, taken once the call is known to be a block.
fn each_iterable<'a>(call: &mut Call<'_, 'a>) -> Result<JsValue<'a>> {
    if call.params.len() > 1 {
        return Err(call.error(
            ErrorKind::TypeError,
            "#each takes one parameter: a second one took the place of options",
        ));
    }
    let Some(iterable) = call.params.pop() else {
        return Err(call.error(ErrorKind::HelperException, "Must pass iterator to #each"));
    };
    if !call.options.is_block {
        return Err(call.not_a_function("options.fn"));
    }
    Ok(iterable)
}

/// `Object.keys` order: integer-like keys ascending, then the rest as written; each with its
/// value, so that nothing is looked up again.
pub(super) fn js_key_order(
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
pub(super) fn array_index(key: &str) -> Option<u32> {
    if key.is_empty()
        || (key.len() > 1 && key.starts_with('0'))
        || !key.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    key.parse::<u32>().ok().filter(|i| *i < u32::MAX)
}

/// The framework's `equal` (and `equalWithElse`, the same function): the body when the two
/// parameters are `===`, else the inverse.
fn equal_helper<'a>(mut call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    let (a, b) = (call.arg(0), call.arg(1));
    if call.params.len() != 2 {
        let problem = if call.params.len() < 2 {
            "options is undefined because a parameter is missing"
        } else {
            "a third parameter took the place of options"
        };
        return Err(call.error(
            ErrorKind::TypeError,
            format!("equal needs exactly two parameters: {problem}"),
        ));
    }
    let program = if a.strict_equals(&b) {
        call.options.program
    } else {
        call.options.inverse
    };
    call.render_with_this(program)
}

/// `encodeURI`.
fn path_encode<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    Ok(JsValue::string(encode_uri(&call.string_arg(0)?)))
}

/// `encodeURIComponent`.
fn query_encode<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    Ok(JsValue::string(encode_uri_component(&call.string_arg(0)?)))
}

/// An HTTP Basic `Authorization` value for a username and a password.
fn basic_auth_header_value<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    let credentials = format!("{}:{}", call.string_arg(0)?, call.string_arg(1)?);
    let encoded = base64::engine::general_purpose::STANDARD.encode(credentials.as_bytes());
    Ok(JsValue::string(format!("Basic {encoded}")))
}

/// `formatWithOffset` takes its offset in seconds; JavaScript times are milliseconds.
const MS_PER_SECOND: f64 = dates::MS_PER_SECOND as f64;

/// `formatWithOffset(millis, offsetSeconds, format)`: a timestamp shifted by an offset, as
/// seconds, an RFC 3339 string, a `simple` date, or milliseconds.
fn format_with_offset<'a>(call: Call<'_, 'a>) -> Result<JsValue<'a>> {
    let millis = call.arg(0);
    let offset = call.number_arg(1)? * MS_PER_SECOND;
    // `millis + offset` concatenates when millis is a string (or an object, once it has
    // become one), and `new Date` of such a string is an invalid date.
    let time = match millis {
        JsValue::String(_) => f64::NAN,
        JsValue::Array(_) | JsValue::Object(_) | JsValue::Options => {
            call.string_arg(0)?;
            f64::NAN
        }
        _ => call.number_arg(0)? + offset,
    };
    let time = dates::time_clip(time);
    let format = call.arg(2);
    let format = match &format {
        JsValue::String(s) => s.as_ref(),
        _ => "",
    };
    match format {
        "seconds" => Ok(JsValue::Number(dates::js_round(time / MS_PER_SECOND))),
        "rfc3339" => dates::to_iso_string(time).map(JsValue::string).ok_or_else(|| {
            call.error(ErrorKind::RangeError, "formatWithOffset: Invalid time value (the timestamp is not a number of milliseconds)")
        }),
        "simple" => dates::simple_format(time).map(JsValue::string).ok_or_else(|| {
            call.error(ErrorKind::TypeError, "formatWithOffset: Invalid date (the timestamp is not a number of milliseconds)")
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

pub(super) fn is_object_prototype_member(name: &str) -> bool {
    OBJECT_PROTOTYPE.contains(&name)
}

fn array_item<'a>(items: &'a [serde_json::Value], name: &str) -> Option<&'a serde_json::Value> {
    array_index(name).and_then(|i| items.get(i as usize))
}

/// `container.lookupProperty(parent, name)`: own properties only; a property *of* null or
/// undefined is JavaScript's TypeError, whose reason this returns.
pub(super) fn lookup_property<'a>(
    parent: &JsValue<'a>,
    name: &str,
) -> std::result::Result<JsValue<'a>, String> {
    Ok(match parent {
        JsValue::Undefined | JsValue::Null => {
            return Err(format!("it is {}", describe(parent)));
        }
        JsValue::Object(map) => map.get(name).map_or(JsValue::Undefined, JsValue::from_json),
        JsValue::Extended(properties) => {
            own_property(properties, name).unwrap_or(JsValue::Undefined)
        }
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

/// A property of an object the render made.
fn own_property<'a>(properties: &[(Cow<'a, str>, JsValue<'a>)], name: &str) -> Option<JsValue<'a>> {
    properties
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

fn utf16_unit(text: &str, index: usize) -> Option<String> {
    let unit = text.encode_utf16().nth(index)?;
    Some(char::from_u32(u32::from(unit)).map_or_else(|| "\u{fffd}".to_string(), |c| c.to_string()))
}

/// `container.strict(parent, name)`: the property when `name in parent`, `None` when not; a
/// primitive on the right of `in` is JavaScript's TypeError.
pub(super) fn strict_property<'a>(
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
pub(super) fn has_property(object: &JsValue<'_>, name: &str) -> std::result::Result<bool, String> {
    match object {
        JsValue::Object(map) => Ok(map.contains_key(name) || is_object_prototype_member(name)),
        JsValue::Extended(properties) => {
            Ok(own_property(properties, name).is_some() || is_object_prototype_member(name))
        }
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

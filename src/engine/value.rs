//! JavaScript values as Handlebars.js sees them: how they print, how truthy they are, how they
//! compare. Context values are borrowed from the JSON so that objects keep their identity.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub(super) enum JsValue<'a> {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(Cow<'a, str>),
    Array(&'a Vec<Value>),
    Object(&'a Map<String, Value>),
    /// The `options` argument a helper receives, which lands in a missing parameter's place.
    Options,
    /// An object the render makes, not one of the context: a partial's context extended
    /// with its hash (`Utils.extend({}, context, hash)`). Shared, not copied, as a JavaScript
    /// object is; its values keep borrowing from the template and the context.
    Extended(Rc<Properties<'a>>),
}

/// An object's own properties, in JavaScript's `for…in` order.
pub(super) type Properties<'a> = Vec<(Cow<'a, str>, JsValue<'a>)>;

impl<'a> JsValue<'a> {
    pub(super) fn from_json(value: &'a Value) -> JsValue<'a> {
        match value {
            Value::Null => JsValue::Null,
            Value::Bool(b) => JsValue::Bool(*b),
            Value::Number(n) => JsValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => JsValue::String(Cow::Borrowed(s)),
            Value::Array(items) => JsValue::Array(items),
            Value::Object(map) => JsValue::Object(map),
        }
    }

    pub(super) fn string(text: impl Into<String>) -> JsValue<'a> {
        JsValue::String(Cow::Owned(text.into()))
    }

    pub(super) fn is_nullish(&self) -> bool {
        matches!(self, JsValue::Undefined | JsValue::Null)
    }

    pub(super) fn is_object(&self) -> bool {
        matches!(
            self,
            JsValue::Array(_) | JsValue::Object(_) | JsValue::Options | JsValue::Extended(_)
        )
    }

    /// `!!value`
    pub(super) fn truthy(&self) -> bool {
        match self {
            JsValue::Undefined | JsValue::Null => false,
            JsValue::Bool(b) => *b,
            JsValue::Number(n) => !(n.is_nan() || *n == 0.0),
            JsValue::String(s) => !s.is_empty(),
            JsValue::Array(_) | JsValue::Object(_) | JsValue::Options | JsValue::Extended(_) => {
                true
            }
        }
    }

    /// Handlebars.js `Utils.isEmpty`: falsy but not 0, or an empty array.
    pub(super) fn is_empty(&self) -> bool {
        match self {
            JsValue::Number(n) if *n == 0.0 => false,
            JsValue::Array(items) => items.is_empty(),
            other => !other.truthy(),
        }
    }

    /// `String(value)`
    pub(super) fn to_js_string(&self) -> Converted<Cow<'a, str>> {
        Ok(match self {
            JsValue::Undefined => Cow::Borrowed("undefined"),
            JsValue::Null => Cow::Borrowed("null"),
            JsValue::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            JsValue::Number(n) => Cow::Owned(number_to_string(*n)),
            JsValue::String(s) => s.clone(),
            // Nested arrays join recursively, as deep as the context nests.
            JsValue::Array(items) => Cow::Owned(super::with_stack(|| join(items))?),
            JsValue::Object(object) if object.contains_key("toString") => return Err(NotPrimitive),
            JsValue::Extended(properties) if properties.iter().any(|(k, _)| k == "toString") => {
                return Err(NotPrimitive);
            }
            JsValue::Object(_) | JsValue::Options | JsValue::Extended(_) => {
                Cow::Borrowed("[object Object]")
            }
        })
    }

    /// What a mustache appends: nothing for null and undefined, else `String(value)`.
    pub(super) fn to_output(&self) -> Converted<Cow<'a, str>> {
        if self.is_nullish() {
            Ok(Cow::Borrowed(""))
        } else {
            self.to_js_string()
        }
    }

    /// JavaScript `ToNumber`.
    pub(super) fn to_number(&self) -> Converted<f64> {
        Ok(match self {
            JsValue::Undefined => f64::NAN,
            JsValue::Null => 0.0,
            JsValue::Bool(b) => f64::from(u8::from(*b)),
            JsValue::Number(n) => *n,
            JsValue::String(s) => string_to_number(s),
            JsValue::Array(items) => string_to_number(&join(items)?),
            // `valueOf` gives the object back, so `toString` decides, as for a string.
            JsValue::Object(_) | JsValue::Options | JsValue::Extended(_) => {
                self.to_js_string()?;
                f64::NAN
            }
        })
    }

    /// `===`: numbers by value, strings by content, objects by identity.
    pub(super) fn strict_equals(&self, other: &JsValue<'_>) -> bool {
        match (self, other) {
            (JsValue::Undefined, JsValue::Undefined) | (JsValue::Null, JsValue::Null) => true,
            (JsValue::Bool(a), JsValue::Bool(b)) => a == b,
            (JsValue::Number(a), JsValue::Number(b)) => a == b,
            (JsValue::String(a), JsValue::String(b)) => a == b,
            (JsValue::Array(a), JsValue::Array(b)) => std::ptr::eq(*a, *b),
            (JsValue::Object(a), JsValue::Object(b)) => std::ptr::eq(*a, *b),
            (JsValue::Options, JsValue::Options) => true,
            (JsValue::Extended(a), JsValue::Extended(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// `==`, for the one place Handlebars.js uses it: whether a block's context is new.
    pub(super) fn loose_equals(&self, other: &JsValue<'_>) -> Converted<bool> {
        Ok(match (self, other) {
            (a, b) if a.is_nullish() || b.is_nullish() => a.is_nullish() && b.is_nullish(),
            (a, b) if a.is_object() && b.is_object() => a.strict_equals(b),
            (a, b) if a.is_object() => JsValue::String(a.to_js_string()?).loose_equals(b)?,
            (a, b) if b.is_object() => a.loose_equals(&JsValue::String(b.to_js_string()?))?,
            (JsValue::String(x), JsValue::String(y)) => x == y,
            (a, b) => a.to_number()? == b.to_number()?,
        })
    }
}

/// JavaScript's TypeError for an object that cannot become a primitive: a context object
/// with its own `toString` key hides `Object.prototype.toString` behind a value that is not
/// a function, and `valueOf` gives the object back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NotPrimitive;

impl NotPrimitive {
    pub(super) const MESSAGE: &str = "Cannot convert object to primitive value";
}

/// A conversion that fails where JavaScript's throws.
pub(super) type Converted<T> = Result<T, NotPrimitive>;

/// `Array.prototype.join(",")`: null and undefined items print as nothing.
fn join(items: &[Value]) -> Converted<String> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&JsValue::from_json(item).to_output()?);
    }
    Ok(out)
}

/// JavaScript `Number.prototype.toString()`: the shortest digits that round-trip (which Rust's
/// float formatting also produces), laid out by the ECMAScript rules.
pub(super) fn number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exponent + 1;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// JavaScript `ToNumber` of a string: trimmed decimal, hex, binary, octal or Infinity.
fn string_to_number(text: &str) -> f64 {
    let t = text.trim_matches(super::text::is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            return u128::from_str_radix(digits, radix).map_or(f64::NAN, |n| n as f64);
        }
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let valid = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if valid && t.bytes().any(|b| b.is_ascii_digit()) {
        t.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (-5.0, "-5"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (123456789.123, "123456789.123"),
            (1.2345e-10, "1.2345e-10"),
            (-0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (1580777685229.0, "1580777685229"),
        ];
        for (x, expected) in cases {
            assert_eq!(number_to_string(x), expected, "{x}");
        }
    }

    #[test]
    fn values_print_as_string_concatenation_does() {
        let array = json!([1, null, "x", true, [2, 3], {"a": 1}, false]);
        assert_eq!(
            JsValue::from_json(&array).to_js_string(),
            Ok("1,,x,true,2,3,[object Object],false".into())
        );
        assert_eq!(JsValue::Null.to_output(), Ok("".into()));
        assert_eq!(
            JsValue::Options.to_js_string(),
            Ok("[object Object]".into())
        );
    }

    /// As Handlebars.js 4.7.8 (V8) does: `String(o)` and `+o` throw for an own `toString`
    /// that is not a function, wherever the object is; an own `valueOf` changes nothing.
    #[test]
    fn an_own_to_string_key_makes_an_object_unconvertible() {
        let object = json!({"toString": 1});
        let nested = json!([1, [{"toString": null}]]);
        let value_of = json!({"valueOf": 1});
        assert_eq!(
            JsValue::from_json(&object).to_js_string(),
            Err(NotPrimitive)
        );
        assert_eq!(JsValue::from_json(&object).to_number(), Err(NotPrimitive));
        assert_eq!(
            JsValue::from_json(&nested).to_js_string(),
            Err(NotPrimitive)
        );
        assert_eq!(JsValue::from_json(&nested).to_number(), Err(NotPrimitive));
        assert_eq!(
            JsValue::from_json(&value_of).to_js_string(),
            Ok("[object Object]".into())
        );
        assert_eq!(
            JsValue::from_json(&object).loose_equals(&JsValue::string("x")),
            Err(NotPrimitive)
        );
    }

    #[test]
    fn truthiness_and_emptiness() {
        let empty_object = json!({});
        let empty_array = json!([]);
        assert!(JsValue::from_json(&empty_object).truthy());
        assert!(JsValue::from_json(&empty_array).truthy());
        assert!(JsValue::from_json(&empty_array).is_empty());
        assert!(!JsValue::Number(0.0).is_empty());
        assert!(!JsValue::Number(0.0).truthy());
        assert!(JsValue::string("").is_empty());
    }

    #[test]
    fn strict_equality_compares_objects_by_identity() {
        let a = json!({"x": 1});
        let b = json!({"x": 1});
        assert!(JsValue::from_json(&a).strict_equals(&JsValue::from_json(&a)));
        assert!(!JsValue::from_json(&a).strict_equals(&JsValue::from_json(&b)));
        assert!(JsValue::Number(1.0).strict_equals(&JsValue::Number(1.0)));
        assert!(!JsValue::Number(1.0).strict_equals(&JsValue::string("1")));
    }

    #[test]
    fn to_number_follows_javascript() {
        assert_eq!(JsValue::string(" 60 ").to_number(), Ok(60.0));
        assert_eq!(JsValue::string("\u{a0}\u{feff}7\n").to_number(), Ok(7.0));
        assert!(
            JsValue::string("\u{85}7")
                .to_number()
                .is_ok_and(f64::is_nan)
        );
        assert_eq!(JsValue::string("").to_number(), Ok(0.0));
        assert_eq!(JsValue::string("0x10").to_number(), Ok(16.0));
        assert!(JsValue::string("12px").to_number().is_ok_and(f64::is_nan));
        assert!(JsValue::Undefined.to_number().is_ok_and(f64::is_nan));
        assert_eq!(JsValue::Null.to_number(), Ok(0.0));
    }
}

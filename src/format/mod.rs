//! JSON formatted exactly as Prettier 2.2.1 formats it with the framework's `.prettierrc`
//! (print width 80, two-space indent, LF): the framework's CI runs `prettier --list-different`
//! over every `.json` file, and `ldhook fmt` and `init` must give what it accepts. This is the
//! one formatter in the house.
//!
//! What Prettier's estree printer does with a JSON document, rule by rule (src/language-js,
//! print/object.js and print/array.js at 2.2.1):
//! - an object is a group that breaks when its source has a newline between `{` and its first
//!   key, otherwise it is printed `{ "a": 1 }` when it fits;
//! - an array is a group that breaks when it does not fit, or when it holds two or more objects
//!   (or two or more arrays) that each have more than one member;
//! - a blank line after a member is kept (one, however many there were), between members only;
//! - numbers are normalised by `printNumber`, strings keep their escapes but `\/`;
//! - the document ends with one newline, and a leading byte-order mark is kept.
//!
//! The text is read by the strict manifest reader, so what it refuses (comments, trailing
//! commas, duplicate keys) is invalid JSON here, with the same message and place.

mod doc;
mod files;

pub use files::{FmtError, Mode, Outcome, run};
pub(crate) use files::{is_ignored, prettier_ignore};

use serde_json::Value;

use crate::manifest::json::{self, SpanMap, SyntaxError};
use crate::pointer;
use doc::{Doc, LineKind};

const BOM: char = '\u{FEFF}';

/// `text` as Prettier prints it, or where it is not JSON. Line ends are read as LF, as
/// Prettier normalises them before parsing; a span in the error is into `text` itself only
/// when it has no CR, so callers report it against the normalised text (`normalized_source`).
pub fn format(text: &str) -> Result<String, SyntaxError> {
    let source = normalized_source(text);
    let body = source.strip_prefix(BOM).unwrap_or(&source);
    let bom = source.len().saturating_sub(body.len());
    let (value, spans) = json::parse(body).map_err(|error| after_bom(error, bom))?;
    let doc = Builder {
        source: Some((body, &spans)),
    }
    .document(&value);
    let printed = doc::print(&doc);
    Ok(if body.len() == source.len() {
        printed
    } else {
        format!("{BOM}{printed}")
    })
}

/// The reader saw the text after the byte-order mark; its places are put back into the text.
fn after_bom(mut error: SyntaxError, bom: usize) -> SyntaxError {
    let shift =
        |span: std::ops::Range<usize>| span.start.saturating_add(bom)..span.end.saturating_add(bom);
    error.span = shift(error.span.clone());
    error.related = error.related.map(|(span, message)| (shift(span), message));
    error
}

/// The text `format` reads: every CRLF and lone CR made LF.
pub fn normalized_source(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A value written as Prettier would reformat it when it was written with every object
/// expanded, as `init` writes a manifest.
pub fn format_value(value: &Value) -> String {
    doc::print(&Builder { source: None }.document(value))
}

/// Turns a parsed document into Prettier's doc. With the source at hand, numbers and strings
/// are written as they were (normalised as Prettier does) and the layout follows the source;
/// without it, every object is expanded and scalars are written as serde_json writes them.
struct Builder<'a> {
    source: Option<(&'a str, &'a SpanMap)>,
}

impl Builder<'_> {
    fn document(&self, value: &Value) -> Doc {
        Doc::Concat(vec![self.value(value, ""), Doc::Line(LineKind::Hard)])
    }

    fn value(&self, value: &Value, at: &str) -> Doc {
        match value {
            Value::Object(map) if map.is_empty() => Doc::text("{}"),
            Value::Array(items) if items.is_empty() => Doc::text("[]"),
            Value::Object(map) => self.object(map, at),
            Value::Array(items) => self.array(items, at),
            Value::Number(number) => Doc::text(
                self.raw(at)
                    .map_or_else(|| number.to_string(), print_number),
            ),
            Value::String(_) => Doc::text(
                self.raw(at)
                    .map_or_else(|| value.to_string(), unescape_slashes),
            ),
            scalar => Doc::text(scalar.to_string()),
        }
    }

    fn object(&self, map: &serde_json::Map<String, Value>, at: &str) -> Doc {
        let mut members = Vec::new();
        let mut separator = Vec::new();
        let mut expanded = self.source.is_none();
        for (index, (key, member)) in map.iter().enumerate() {
            let place = pointer::child(at, key);
            if index == 0 {
                expanded = expanded || self.newline_before_first_key(at, &place);
            }
            members.append(&mut separator);
            let key_text = self
                .key_raw(&place)
                .map_or_else(|| Value::from(key.as_str()).to_string(), unescape_slashes);
            members.push(Doc::group(
                vec![
                    Doc::text(key_text),
                    Doc::text(": "),
                    self.value(member, &place),
                ],
                false,
            ));
            separator = self.separator_after(&place, LineKind::Hard);
        }
        Doc::group(
            vec![
                Doc::text("{"),
                Doc::indent(
                    std::iter::once(Doc::Line(LineKind::Line))
                        .chain(members)
                        .collect(),
                ),
                Doc::Line(LineKind::Line),
                Doc::text("}"),
            ],
            expanded,
        )
    }

    fn array(&self, items: &[Value], at: &str) -> Doc {
        let mut elements = Vec::new();
        let mut separator = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let place = pointer::child(at, &index.to_string());
            elements.append(&mut separator);
            elements.push(Doc::group(vec![self.value(item, &place)], false));
            // Prettier keeps a blank line between array items only when the array breaks.
            separator = self.separator_after(&place, LineKind::Soft);
        }
        Doc::group(
            vec![
                Doc::text("["),
                Doc::indent(
                    std::iter::once(Doc::Line(LineKind::Soft))
                        .chain(elements)
                        .collect(),
                ),
                Doc::Line(LineKind::Soft),
                Doc::text("]"),
            ],
            is_matrix(items),
        )
    }

    fn raw(&self, at: &str) -> Option<&str> {
        let (text, spans) = self.source?;
        text.get(spans.get(at)?.value.clone())
    }

    fn key_raw(&self, at: &str) -> Option<&str> {
        let (text, spans) = self.source?;
        text.get(spans.get(at)?.key.clone()?)
    }

    /// Prettier's `hasNewlineInRange(text, locStart(object), locStart(firstProperty))`.
    fn newline_before_first_key(&self, object: &str, first: &str) -> bool {
        let Some((text, spans)) = self.source else {
            return true;
        };
        let start = spans.get(object).map(|span| span.value.start);
        let key = spans.get(first).and_then(|span| span.key.clone());
        match (start, key) {
            (Some(start), Some(key)) => text
                .get(start..key.start)
                .is_some_and(|gap| gap.contains('\n')),
            _ => false,
        }
    }

    /// What goes before the member after this one: `,`, a line, and `blank` when a blank line
    /// follows this one in the source. The last member's is dropped, so no blank line is kept
    /// before a closing bracket.
    fn separator_after(&self, member: &str, blank: LineKind) -> Vec<Doc> {
        let mut separator = vec![Doc::text(","), Doc::Line(LineKind::Line)];
        if self.blank_line_after(member) {
            separator.push(Doc::Line(blank));
        }
        separator
    }

    fn blank_line_after(&self, member: &str) -> bool {
        let Some((text, spans)) = self.source else {
            return false;
        };
        spans
            .get(member)
            .and_then(|span| text.get(span.value.end..))
            .is_some_and(next_line_is_empty)
    }
}

/// Prettier's `isNextLineEmpty` on the text after a member: past commas, semicolons, spaces
/// and tabs, one line end, then only spaces and tabs before another.
fn next_line_is_empty(after: &str) -> bool {
    let rest = after.trim_start_matches([',', ';', ' ', '\t']);
    let Some(rest) = rest.strip_prefix('\n') else {
        return false;
    };
    rest.trim_start_matches([' ', '\t']).starts_with('\n')
}

/// Two or more objects, or two or more arrays, each with more than one member: Prettier
/// breaks such an array however short it is.
fn is_matrix(items: &[Value]) -> bool {
    let Some(first) = items.first() else {
        return false;
    };
    items.len() > 1
        && items.iter().all(|item| match (first, item) {
            (Value::Array(_), Value::Array(inner)) => inner.len() > 1,
            (Value::Object(_), Value::Object(inner)) => inner.len() > 1,
            _ => false,
        })
}

/// Prettier's `printNumber` (src/common/util.js) on a JSON number: lower case, no `+` or
/// leading zeros in the exponent, no exponent of zero, no trailing zeros in the fraction but
/// its first digit (`1.0` stays, `0.50` is `0.5`).
fn print_number(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (lower.as_str(), None),
    };
    let mantissa = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            let kept = fraction.trim_end_matches('0');
            let kept = if kept.is_empty() {
                fraction.get(..1).unwrap_or_default()
            } else {
                kept
            };
            format!("{whole}.{kept}")
        }
        None => mantissa.to_string(),
    };
    let exponent = exponent.and_then(|exponent| {
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(digits) => ("-", digits),
            None => ("", exponent.strip_prefix('+').unwrap_or(exponent)),
        };
        let digits = digits.trim_start_matches('0');
        (!digits.is_empty()).then(|| format!("e{sign}{digits}"))
    });
    format!("{mantissa}{}", exponent.unwrap_or_default())
}

/// A JSON string as written, less the one escape Prettier drops: `\/` is `/`.
fn unescape_slashes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('/') => out.push('/'),
                Some(escaped) => {
                    out.push('\\');
                    out.push(escaped);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{format, format_value, print_number};
    use serde_json::json;

    #[test]
    fn numbers_as_prettier_prints_them() {
        for (raw, printed) in [
            ("1E+10", "1e10"),
            ("0.50", "0.5"),
            ("1.0", "1.0"),
            ("1.00", "1.0"),
            ("1.500e+05", "1.5e5"),
            ("2e-007", "2e-7"),
            ("3e0", "3"),
            ("-0", "-0"),
        ] {
            assert_eq!(print_number(raw), printed, "{raw}");
        }
    }

    #[test]
    fn an_object_written_on_one_line_stays_there_when_it_fits() {
        assert_eq!(
            format("{\"a\":[1,2],\"b\":{\"c\":null}}").as_deref(),
            Ok("{ \"a\": [1, 2], \"b\": { \"c\": null } }\n")
        );
        assert_eq!(format("{\n\"a\":1}").as_deref(), Ok("{\n  \"a\": 1\n}\n"));
    }

    #[test]
    fn a_byte_order_mark_is_kept_and_errors_point_past_it() {
        assert_eq!(format("\u{FEFF}[1,2]").as_deref(), Ok("\u{FEFF}[1, 2]\n"));
        let error = format("\u{FEFF}[1,]").expect_err("trailing comma");
        assert_eq!(error.span, 5..6);
    }

    #[test]
    fn line_ends_are_read_as_lf() {
        assert_eq!(
            format("{\r\n\"a\": 1,\r\n\r\n\"b\": 2}\r\n").as_deref(),
            Ok("{\n  \"a\": 1,\n\n  \"b\": 2\n}\n")
        );
    }

    #[test]
    fn a_value_is_written_with_every_object_expanded() {
        let value = json!({"a": {"b": ["x", "y"], "c": {}}, "list": [{"k": "v"}]});
        assert_eq!(
            format_value(&value),
            "{\n  \"a\": {\n    \"b\": [\"x\", \"y\"],\n    \"c\": {}\n  },\n  \"list\": [\n    {\n      \"k\": \"v\"\n    }\n  ]\n}\n"
        );
    }
}

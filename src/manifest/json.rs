//! A strict JSON reader that keeps where every value came from.
//!
//! serde_json knows nothing of positions, and the framework's manifests must be plain JSON
//! (Prettier and `JSON.parse` both read them), so this reader accepts exactly RFC 8259 and
//! refuses, with a precise location, what people actually get wrong: comments, trailing commas,
//! a byte-order mark, duplicate keys, truncated files. Nesting is bounded so that no input can
//! exhaust the stack.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Number, Value};

use crate::pointer;

mod serde_read;

pub use serde_read::{Strict, StrictVisitor};

/// Deeper than any real manifest (they nest about ten levels), shallow enough for the stack.
pub(crate) const MAX_DEPTH: usize = 128;

/// Where a value sits in the source: the value itself and, for object members, its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSpan {
    pub value: Range<usize>,
    pub key: Option<Range<usize>>,
}

/// Byte ranges of every value in a document, by JSON pointer. Keyed by a fast hasher: a
/// manifest has a pointer per value, and SipHash of each showed in the profile.
#[derive(Debug, Default)]
pub struct SpanMap(HashMap<String, NodeSpan, foldhash::fast::FixedState>);

impl SpanMap {
    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        self.0.get(pointer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
    /// A second place that explains the first, such as where a duplicated key first appeared.
    pub related: Option<(Range<usize>, String)>,
}

impl SyntaxError {
    fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        SyntaxError {
            message: message.into(),
            span,
            related: None,
        }
    }
}

/// Checks the bytes are UTF-8 JSON text and returns them as a string.
pub fn decode(bytes: &[u8]) -> Result<&str, SyntaxError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(SyntaxError::at(
            0..3,
            "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM",
        ));
    }
    std::str::from_utf8(bytes).map_err(|error| {
        let at = error.valid_up_to();
        let len = error.error_len().unwrap_or(bytes.len() - at).max(1);
        SyntaxError::at(
            at..at + len,
            format!(
                "the file is not valid UTF-8 (byte 0x{:02X})",
                bytes.get(at).copied().unwrap_or_default()
            ),
        )
    })
}

pub fn parse(text: &str) -> Result<(Value, SpanMap), SyntaxError> {
    let mut parser = Parser::new(text, Dialect::Strict);
    let value = parser.document()?;
    Ok((value, parser.spans))
}

/// The same verdicts without spans, for files whose findings never point inside them (schemas,
/// sample events) and for manifests until a finding needs a place: serde_json reads the text,
/// and on anything it refuses or would read differently the strict reader reads it again, so
/// the message is exactly `parse`'s (a duplicate key names where the key first appeared).
pub fn parse_plain(text: &str) -> Result<Value, SyntaxError> {
    serde_read::read(text).map_or_else(|| parse(text).map(|(value, _)| value), Ok)
}

/// Why a render context cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// The text is not JSON: `JSON.parse` throws too.
    Syntax(SyntaxError),
    /// `JSON.parse` reads the text, but a string holds a lone UTF-16 surrogate (`"\ud800"`),
    /// which is no character: no UTF-8 output can hold it, so nothing can be rendered from it.
    /// The span is the first such escape.
    LoneSurrogate(SyntaxError),
}

/// A render context, read as the reference reads it (`JSON.parse`), where the strict reader is
/// stricter than JavaScript: a duplicate key keeps its first position and takes its last
/// value, and a number beyond double range is the string `Infinity` or `-Infinity` (serde_json
/// cannot hold an infinite number; see [`INFINITY`]). Everything else is as [`parse_plain`]:
/// text `JSON.parse` refuses is refused with the same message and place.
pub fn parse_context(text: &str) -> Result<Value, ContextError> {
    // The fast path refuses duplicates and infinities, which are rare; only then does the
    // slower reader, which keeps spans, read the text again.
    if let Some(value) = serde_read::read(text) {
        return Ok(value);
    }
    let mut parser = Parser::new(text, Dialect::JsonParse);
    let value = parser.document().map_err(ContextError::Syntax)?;
    match parser.lone_surrogate {
        Some(span) => Err(ContextError::LoneSurrogate(SyntaxError::at(
            span,
            "a string holds a lone UTF-16 surrogate, which JavaScript reads but which is not a \
             character: no UTF-8 output can hold it, so this context cannot be rendered",
        ))),
        None => Ok(value),
    }
}

/// How a render context carries a number beyond double range, which `JSON.parse` reads as
/// `Infinity`: serde_json's `Number` holds only finite numbers, and its `arbitrary_precision`
/// would change how every number of the crate compares. The string prints as the number does
/// (`{{n}}` is `Infinity`), is as truthy, equals another infinity of the same sign, and is the
/// same number where one is asked for (`ToNumber`). It still differs where JavaScript tells a
/// string from a number: `equal` against the string `"Infinity"` is true (JavaScript: false),
/// `lookup` of a property (`length`) finds the string's, and adding a number to it would
/// concatenate (`formatWithOffset` does, and gives an invalid date either way).
pub const INFINITY: &str = "Infinity";

/// What the parser accepts beyond RFC 8259's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// Manifests, schemas and `validate`'s sample events: every deviation is an error.
    Strict,
    /// `JSON.parse`'s reading: see [`parse_context`].
    JsonParse,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    spans: SpanMap,
    dialect: Dialect,
    /// The first lone surrogate escape `JsonParse` read on: whether the text is JSON at all is
    /// decided first, by reading on to its end.
    lone_surrogate: Option<Range<usize>>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, dialect: Dialect) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
            spans: SpanMap::default(),
            dialect,
            lone_surrogate: None,
        }
    }
    /// The one top-level value, with nothing but space around it.
    fn document(&mut self) -> Result<Value, SyntaxError> {
        self.skip_space()?;
        if self.at == self.bytes.len() {
            return Err(SyntaxError::at(
                0..0,
                "the file is empty; expected a JSON object",
            ));
        }
        let mut root = String::new();
        let value = self.value(&mut root, None, 0)?;
        self.skip_space()?;
        if self.at < self.bytes.len() {
            return Err(self.unexpected("end of file after the top-level value"));
        }
        Ok(value)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn value(
        &mut self,
        pointer: &mut String,
        key: Option<Range<usize>>,
        depth: usize,
    ) -> Result<Value, SyntaxError> {
        let start = self.at;
        let value = match self.peek() {
            Some(b'{') => self.object(pointer, depth + 1)?,
            Some(b'[') => self.array(pointer, depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            _ => return Err(self.unexpected("a value")),
        };
        self.spans.0.insert(
            pointer.clone(),
            NodeSpan {
                value: start..self.at,
                key,
            },
        );
        Ok(value)
    }

    fn enter(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError::at(
                self.at..self.at + 1,
                format!("values are nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn object(&mut self, pointer: &mut String, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        let open = self.at;
        self.at += 1;
        let mut map = Map::new();
        // Where each key of `map` was written, by the key's index in `map`.
        let mut key_spans: Vec<Range<usize>> = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_space()?;
            if self.peek() != Some(b'"') {
                return Err(self.member_expected(open));
            }
            let key_start = self.at;
            let key = self.string()?;
            let key_span = key_start..self.at;
            let duplicate = map.contains_key(&key);
            if duplicate && self.dialect == Dialect::Strict {
                let first = map
                    .keys()
                    .position(|k| *k == key)
                    .and_then(|index| key_spans.get(index));
                return Err(SyntaxError {
                    message: format!("duplicate key `{key}`; each key may appear once"),
                    span: key_span,
                    related: first.map(|first| (first.clone(), "first defined here".to_string())),
                });
            }
            self.skip_space()?;
            self.expect(b':', "`:` after the object key")?;
            self.skip_space()?;
            let len = pointer.len();
            pointer::push_token(pointer, &key);
            let value = self.value(pointer, Some(key_span.clone()), depth)?;
            pointer.truncate(len);
            // `JSON.parse` keeps a key where it first appeared and gives it the last value,
            // as `Map::insert` (an `IndexMap` underneath) does.
            if !duplicate {
                key_spans.push(key_span);
            }
            map.insert(key, value);
            self.skip_space()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.at;
                    self.at += 1;
                    self.skip_space()?;
                    if self.peek() == Some(b'}') {
                        return Err(trailing_comma(comma));
                    }
                }
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(map));
                }
                None => return Err(self.unclosed("object", open)),
                _ => return Err(self.unexpected("`,` or `}` after the object member")),
            }
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        let open = self.at;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space()?;
            if self.peek().is_none() {
                return Err(self.unclosed("array", open));
            }
            let len = pointer.len();
            pointer::push_token(pointer, &items.len().to_string());
            items.push(self.value(pointer, None, depth)?);
            pointer.truncate(len);
            self.skip_space()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.at;
                    self.at += 1;
                    self.skip_space()?;
                    if self.peek() == Some(b']') {
                        return Err(trailing_comma(comma));
                    }
                }
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.unclosed("array", open)),
                _ => return Err(self.unexpected("`,` or `]` after the array item")),
            }
        }
    }

    fn member_expected(&self, open: usize) -> SyntaxError {
        match self.peek() {
            None => self.unclosed("object", open),
            Some(b'\'') => SyntaxError::at(
                self.char_span(),
                "keys must be in double quotes, not single quotes",
            ),
            _ => self.unexpected("a double-quoted object key"),
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[run_start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(b'\n') | None => {
                    return Err(SyntaxError::at(open..self.at, "unterminated string"));
                }
                Some(b) => {
                    return Err(SyntaxError::at(
                        self.at..self.at + 1,
                        format!(
                            "control character U+{b:04X} must be escaped inside a string (for example \\n or \\t)"
                        ),
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let start = self.at;
        self.at += 1;
        let decoded = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                return self.unicode_escape(start, out);
            }
            _ => {
                let end = (self.at + 1).min(self.bytes.len());
                return Err(SyntaxError::at(
                    start..self.char_end(end),
                    "invalid escape; valid ones are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                ));
            }
        };
        self.at += 1;
        out.push(decoded);
        Ok(())
    }

    fn unicode_escape(&mut self, start: usize, out: &mut String) -> Result<(), SyntaxError> {
        if self.dialect == Dialect::JsonParse {
            return self.unicode_escape_js(start, out);
        }
        let first = self.hex4(start)?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                return Err(lone_surrogate(start..self.at));
            }
            self.at += 2;
            let second = self.hex4(start)?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(lone_surrogate(start..self.at));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        match char::from_u32(code) {
            Some(ch) => {
                out.push(ch);
                Ok(())
            }
            None => Err(lone_surrogate(start..self.at)),
        }
    }

    /// `JSON.parse`'s reading of a `\u` escape: a high surrogate pairs with a low one right
    /// after it, and any other surrogate stands alone, which is noted (and U+FFFD put in its
    /// place) so that the rest of the text is still read; the escape after an unpaired high
    /// surrogate is read on its own.
    fn unicode_escape_js(&mut self, start: usize, out: &mut String) -> Result<(), SyntaxError> {
        let first = self.hex4(start)?;
        let paired = if (0xD800..0xDC00).contains(&first) {
            self.low_surrogate_next().map(|second| {
                self.at += 6;
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            })
        } else {
            Some(first)
        };
        if let Some(ch) = paired.and_then(char::from_u32) {
            out.push(ch);
        } else {
            self.lone_surrogate.get_or_insert(start..self.at);
            out.push(char::REPLACEMENT_CHARACTER);
        }
        Ok(())
    }

    /// The low surrogate of a `\uXXXX` escape starting at the current byte, if it is one.
    fn low_surrogate_next(&self) -> Option<u32> {
        let escape = self.bytes.get(self.at..self.at + 6)?;
        let digits = escape.strip_prefix(b"\\u")?;
        std::str::from_utf8(digits)
            .ok()
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .filter(|code| (0xDC00..0xE000).contains(code))
    }

    fn hex4(&mut self, start: usize) -> Result<u32, SyntaxError> {
        let digits = self.bytes.get(self.at..self.at + 4);
        let parsed = digits
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match parsed {
            Some(code) => {
                self.at += 4;
                Ok(code)
            }
            None => Err(SyntaxError::at(
                start..self.char_end((self.at + 4).min(self.bytes.len())),
                "\\u must be followed by four hexadecimal digits",
            )),
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(SyntaxError::at(
                        start..self.at + 1,
                        "numbers must not have leading zeros",
                    ));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits("a digit after the decimal point")?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.required_digits("a digit in the exponent")?;
        }
        let literal = &self.text[start..self.at];
        if self.dialect == Dialect::JsonParse {
            return Ok(to_number(literal).map_or_else(|| infinity(literal), Value::Number));
        }
        to_number(literal).map(Value::Number).ok_or_else(|| {
            SyntaxError::at(
                start..self.at,
                format!("the number {literal} is too large to represent"),
            )
        })
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self, what: &str) -> Result<(), SyntaxError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.unexpected(what));
        }
        self.digits();
        Ok(())
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self
            .bytes
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(word.as_bytes()))
        {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), SyntaxError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn skip_space(&mut self) -> Result<(), SyntaxError> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.at += 1,
                b'/' if matches!(self.bytes.get(self.at + 1), Some(b'/' | b'*')) => {
                    return Err(SyntaxError::at(
                        self.at..self.at + 2,
                        "comments are not allowed in JSON",
                    ));
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text[self.at..].chars().next() {
            None => SyntaxError::at(
                self.at..self.at,
                format!("unexpected end of file; expected {expected}"),
            ),
            Some(found) => SyntaxError::at(
                self.char_span(),
                format!("expected {expected}, found {}", describe(found)),
            ),
        }
    }

    fn unclosed(&self, what: &str, open: usize) -> SyntaxError {
        SyntaxError {
            message: format!("unexpected end of file; the {what} is not closed"),
            span: self.at..self.at,
            related: Some((open..open + 1, format!("the {what} opens here"))),
        }
    }

    fn char_span(&self) -> Range<usize> {
        self.at..self.char_end(self.at + 1)
    }

    /// The smallest char boundary at or after `at`, so spans never split a character.
    fn char_end(&self, mut at: usize) -> usize {
        while at < self.text.len() && !self.text.is_char_boundary(at) {
            at += 1;
        }
        at.min(self.text.len())
    }
}

fn trailing_comma(comma: usize) -> SyntaxError {
    SyntaxError::at(
        comma..comma + 1,
        "trailing comma; JSON does not allow one here",
    )
}

fn lone_surrogate(span: Range<usize>) -> SyntaxError {
    SyntaxError::at(
        span,
        "\\u escape is an unpaired UTF-16 surrogate, which is not a character",
    )
}

fn describe(found: char) -> String {
    match found {
        '\n' => "a line break".to_string(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// What `JSON.parse` reads a number beyond double range as, carried as [`INFINITY`] is. Only
/// overflow gets here: a number too small for a double is read as 0 by `to_number`, as by
/// JavaScript.
fn infinity(literal: &str) -> Value {
    let sign = if literal.starts_with('-') { "-" } else { "" };
    Value::String(format!("{sign}{INFINITY}"))
}

fn to_number(literal: &str) -> Option<Number> {
    let is_integer = !literal.contains(['.', 'e', 'E']);
    if is_integer {
        if let Ok(n) = literal.parse::<i64>() {
            return Some(n.into());
        }
        if let Ok(n) = literal.parse::<u64>() {
            return Some(n.into());
        }
    }
    literal
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every malformed input is tried with both readers: they must agree to the letter.
    fn error(text: &str) -> SyntaxError {
        let with_spans = parse(text).expect_err("the input is malformed");
        assert_eq!(parse_plain(text).expect_err("malformed"), with_spans);
        with_spans
    }

    #[test]
    fn keeps_spans_of_values_and_keys() {
        let text = r#"{"a": [1, {"b": "x"}]}"#;
        let (value, spans) = parse(text).expect("valid JSON");
        assert_eq!(value["a"][1]["b"], "x");
        let b = spans.get("/a/1/b").expect("span of /a/1/b");
        assert_eq!(&text[b.value.clone()], "\"x\"");
        assert_eq!(&text[b.key.clone().expect("member key")], "\"b\"");
        assert_eq!(
            &text[spans.get("/a").expect("span").value.clone()],
            r#"[1, {"b": "x"}]"#
        );
        assert_eq!(spans.get("").expect("root").value, 0..text.len());
    }

    #[test]
    fn keeps_source_key_order() {
        let (value, _) = parse(r#"{"z": 1, "a": 2, "m": 3}"#).expect("valid JSON");
        let keys: Vec<_> = value.as_object().expect("object").keys().cloned().collect();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let (_, spans) = parse(r#"{"a/b": {"c~d": 1}}"#).expect("valid JSON");
        assert!(spans.get("/a~1b/c~0d").is_some());
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let (value, _) = parse(r#"["\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]"#).expect("valid JSON");
        assert_eq!(value[0], "\"\\/\u{8}\u{c}\n\r\té😀");
    }

    #[test]
    fn rejects_trailing_comma_at_the_comma() {
        let e = error("{\"a\": 1,\n}");
        assert_eq!(e.span, 7..8);
        assert!(e.message.contains("trailing comma"));
        assert!(error("[1,]").message.contains("trailing comma"));
    }

    #[test]
    fn rejects_comments() {
        assert!(error("{// note\n}").message.contains("comments"));
        assert!(error("{\"a\": 1 /* x */}").message.contains("comments"));
    }

    #[test]
    fn rejects_duplicate_keys_naming_the_first() {
        let e = error(r#"{"a": 1, "a": 2}"#);
        assert_eq!(e.span, 9..12);
        assert_eq!(e.related.expect("first occurrence").0, 1..4);
    }

    #[test]
    fn rejects_truncated_input() {
        let e = error(r#"{"a": [1, 2"#);
        assert!(e.message.contains("not closed"), "{}", e.message);
        assert!(error(r#"{"a": "#).message.contains("end of file"));
        assert!(error(r#"{"a": "abc"#).message.contains("unterminated"));
    }

    #[test]
    fn rejects_byte_order_mark_and_bad_utf8() {
        assert!(
            decode(b"\xEF\xBB\xBF{}")
                .expect_err("BOM")
                .message
                .contains("byte-order mark")
        );
        let e = decode(b"{\"a\": \"\xFF\"}").expect_err("not UTF-8");
        assert_eq!(e.span, 7..8);
    }

    #[test]
    fn rejects_numbers_out_of_range_but_keeps_big_integers() {
        assert!(error("[1e400]").message.contains("too large"));
        let (value, _) =
            parse("[18446744073709551615, -9223372036854775808, 1.5e3]").expect("valid");
        assert_eq!(value[0], u64::MAX);
        assert_eq!(value[1], i64::MIN);
        assert_eq!(value[2], 1500.0);
    }

    #[test]
    fn rejects_malformed_numbers() {
        for bad in [
            "[01]",
            "[1.]",
            "[.5]",
            "[1e]",
            "[-]",
            "[+1]",
            "[NaN]",
            "[Infinity]",
        ] {
            assert!(parse(bad).is_err(), "{bad} must be rejected");
        }
    }

    #[test]
    fn bounds_nesting_without_overflowing_the_stack() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(error(&deep).message.contains("nested more than"));
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&fine).is_ok());
    }

    fn context(text: &str) -> Value {
        parse_context(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn a_context_s_duplicate_key_takes_the_last_value_in_the_first_place() {
        let value = context(r#"{"a": 1, "b": {"x": 1, "x": [2]}, "a": 3}"#);
        assert_eq!(value, serde_json::json!({"a": 3, "b": {"x": [2]}}));
        let keys: Vec<_> = value.as_object().expect("object").keys().cloned().collect();
        assert_eq!(keys, ["a", "b"]);
        // Manifests still refuse it.
        assert!(
            error(r#"{"a": 1, "a": 3}"#)
                .message
                .contains("duplicate key")
        );
    }

    #[test]
    fn a_context_number_beyond_double_range_is_infinity_and_below_it_zero() {
        let value = context("[1e400, -1e400, 1e-400, -1e-400, 2]");
        assert_eq!(
            value,
            serde_json::json!(["Infinity", "-Infinity", 0.0, -0.0, 2])
        );
        assert!(
            value[2].is_f64() && value[3].is_f64(),
            "0 is still a number"
        );
    }

    #[test]
    fn a_context_with_a_lone_surrogate_is_json_that_cannot_be_rendered() {
        let lone = |text: &str| match parse_context(text) {
            Err(ContextError::LoneSurrogate(error)) => error.span,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(lone(r#"{"s": "x\ud800"}"#), 8..14);
        assert_eq!(lone(r#"["\udc00"]"#), 2..8);
        // The escape after an unpaired high surrogate is read on its own, and pairs if it can.
        assert_eq!(lone(r#"["\ud800\ud83d\ude00", "\ud800"]"#), 2..8);
        // Text that is not JSON is refused as such, wherever a surrogate stands before.
        // (the strict reader stops at the surrogate).
        match parse_context(r#"["\ud800", 1,]"#) {
            Err(ContextError::Syntax(error)) => assert_eq!(error.span, 12..13, "{error}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(context(r#""\ud83d\ude00""#), "😀");
    }

    #[test]
    fn a_context_is_refused_as_a_manifest_is_where_json_parse_refuses_it() {
        for text in ["", "{\"a\": 1,}", "[01]", "// c\n{}", "[NaN]", "{} x"] {
            assert_eq!(
                parse_context(text),
                Err(ContextError::Syntax(error(text))),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_raw_control_characters_and_single_quotes() {
        assert!(error("[\"a\tb\"]").message.contains("U+0009"));
        assert!(error("{'a': 1}").message.contains("single quotes"));
        assert!(error("").message.contains("empty"));
        assert!(error("{} x").message.contains("end of file after"));
    }
}

//! A manifest as read from disk: its source text, the parsed value, and a span for every value.

pub mod json;
pub mod model;

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Position, SourceFile};
use crate::pointer::Pointer;
use crate::registry::Rule;

pub use json::{NodeSpan, SpanMap, SyntaxError};

#[derive(Debug)]
pub struct Document {
    pub source: Arc<SourceFile>,
    pub value: Value,
    /// Read again, with spans, the first time a finding asks where a value is: most manifests
    /// of a checkout have no finding, and recording a span per value cost more than the parse.
    spans: OnceLock<SpanMap>,
}

/// A manifest that is not JSON: where its text stops being JSON, and why. `validate` reports it
/// as an `invalid-json` finding.
#[derive(Debug)]
pub struct ManifestSyntaxError {
    /// The text as shown: lossy where the bytes are not UTF-8, with `error`'s span made to fit.
    pub source: Arc<SourceFile>,
    pub error: SyntaxError,
}

impl ManifestSyntaxError {
    pub fn position(&self) -> Position {
        self.source.position(self.error.span.start)
    }
}

/// Which part of the place a pointer names a finding marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark<'a> {
    /// The value.
    Value,
    /// The member's key (for "this property should not be here"), else its value.
    Key,
    /// An object as a whole: its key in the parent, which names it, or its opening brace.
    Object,
    /// The key of the member `name` inside the value, while the pointer names the value (as
    /// ajv's `dataPath` names the object that holds an unknown property).
    MemberKey(&'a str),
    /// Where the value starts, as an empty span: the whole document, say.
    Start,
}

impl Document {
    /// Parses `bytes` read from `name`, or says where the text stops being JSON.
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Document, Box<ManifestSyntaxError>> {
        let decoded = json::decode(bytes);
        let text: Arc<str> = match decoded {
            Ok(text) => text.into(),
            Err(_) => String::from_utf8_lossy(bytes).into(),
        };
        let source = Arc::new(SourceFile::new(name, text));
        // Shown text and spans must agree: the lossy text holds U+FFFD where the first bad
        // bytes were, and everything before them is unchanged.
        let decoded = decoded.map_err(|mut error| {
            if std::str::from_utf8(bytes).is_err() {
                let at = error.span.start;
                error.span = at..at + char::REPLACEMENT_CHARACTER.len_utf8();
            }
            error
        });
        match decoded.and_then(json::parse_plain) {
            Ok(value) => Ok(Document {
                source,
                value,
                spans: OnceLock::new(),
            }),
            Err(error) => Err(Box::new(ManifestSyntaxError { source, error })),
        }
    }

    /// The one way a finding about a place in the manifest is made: `rule` at `pointer`,
    /// marking the part of it `mark` says. When the pointer names nothing (a member that is
    /// missing), the nearest enclosing value that exists is marked.
    pub fn finding(
        &self,
        rule: &'static Rule,
        pointer: &Pointer,
        mark: Mark<'_>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = match mark {
            Mark::Value => None,
            Mark::Key => self.key_span(pointer.as_str()),
            Mark::Object => self.object_anchor(pointer.as_str()),
            Mark::MemberKey(name) => self.key_span(pointer.child(name).as_str()),
            Mark::Start => self
                .value_span(pointer.as_str())
                .map(|span| span.start..span.start),
        }
        .or_else(|| self.nearest_value_span(pointer));
        let finding =
            Diagnostic::new(rule, self.source.clone(), message).with_pointer(pointer.clone());
        match span {
            Some(span) => finding.with_span(span),
            None => finding,
        }
    }

    /// The value's span, or the anchor of the nearest enclosing value that exists.
    fn nearest_value_span(&self, pointer: &Pointer) -> Option<Range<usize>> {
        if let Some(span) = self.value_span(pointer.as_str()) {
            return Some(span);
        }
        let mut current = pointer.parent();
        while let Some(at) = current {
            if let Some(span) = self.value_span(at.as_str()) {
                return Some(self.object_anchor(at.as_str()).unwrap_or(span));
            }
            current = at.parent();
        }
        None
    }

    /// The span of every value. The text parsed once already, and the reader with spans is the
    /// same reader, so reading it again cannot fail; if it somehow did, nothing has a span.
    pub fn spans(&self) -> &SpanMap {
        self.spans.get_or_init(|| {
            json::parse(self.source.text())
                .map(|(_, spans)| spans)
                .unwrap_or_default()
        })
    }

    pub fn name(&self) -> &str {
        self.source.name()
    }

    pub(crate) fn value_span(&self, pointer: &str) -> Option<Range<usize>> {
        self.spans().get(pointer).map(|span| span.value.clone())
    }

    pub(crate) fn key_span(&self, pointer: &str) -> Option<Range<usize>> {
        self.spans().get(pointer).and_then(|span| span.key.clone())
    }

    /// Where to point when an object as a whole is at fault: its key in the parent, which
    /// names it, or else its opening brace.
    pub(crate) fn object_anchor(&self, pointer: &str) -> Option<Range<usize>> {
        self.key_span(pointer).or_else(|| {
            self.value_span(pointer)
                .map(|span| span.start..(span.start + 1).min(span.end))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_input_is_placed_where_the_text_stops_being_json() {
        let error = Document::parse("m.json", b"{\n  \"a\": 1,\n}").expect_err("trailing comma");
        assert_eq!(
            error.error.message,
            "trailing comma; JSON does not allow one here"
        );
        let position = error.position();
        assert_eq!((position.line, position.column), (2, 9));
    }

    #[test]
    fn invalid_utf8_keeps_a_readable_source() {
        let error = Document::parse("m.json", b"{\"a\": \"\xC3\x28\"}").expect_err("bad UTF-8");
        assert!(error.source.text().starts_with("{\"a\": \""));
        assert_eq!(error.position().column, 8);
    }

    #[test]
    fn spans_are_read_when_first_asked_for() {
        let text = "{\"a\": [1, {\"b\": \"x\"}]}";
        let document = Document::parse("m.json", text.as_bytes()).expect("valid");
        assert!(
            document.spans.get().is_none(),
            "no span is read before one is asked for"
        );
        let span = document.value_span("/a/1/b").expect("span");
        assert_eq!(&text[span], "\"x\"");
        assert_eq!(&text[document.key_span("/a").expect("key")], "\"a\"");
    }

    #[test]
    fn object_anchor_prefers_the_key() {
        let text = "{\"links\": {\"site\": \"x\"}}";
        let document = Document::parse("m.json", text.as_bytes()).expect("valid");
        let anchor = document.object_anchor("/links").expect("anchor");
        assert_eq!(&text[anchor], "\"links\"");
        assert_eq!(&text[document.object_anchor("").expect("root")], "{");
    }
}

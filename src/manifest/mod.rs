//! A manifest as read from disk: its source text, the parsed value, and a span for every value.

pub mod json;
pub mod model;
pub mod pointer;

use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::rules;

pub use json::{NodeSpan, SpanMap, SyntaxError};

#[derive(Debug)]
pub struct Document {
    pub source: Arc<SourceFile>,
    pub value: Value,
    pub spans: SpanMap,
}

impl Document {
    /// Parses `bytes` read from `name`. Malformed input becomes an `invalid-json` finding that
    /// points at the first place the text stops being JSON.
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Document, Box<Diagnostic>> {
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
        let parsed = decoded.and_then(json::parse);
        match parsed {
            Ok((value, spans)) => Ok(Document {
                source,
                value,
                spans,
            }),
            Err(error) => Err(Box::new(syntax_diagnostic(source, error))),
        }
    }

    pub fn name(&self) -> &str {
        self.source.name()
    }

    pub fn value_span(&self, pointer: &str) -> Option<Range<usize>> {
        self.spans.get(pointer).map(|span| span.value.clone())
    }

    pub fn key_span(&self, pointer: &str) -> Option<Range<usize>> {
        self.spans.get(pointer).and_then(|span| span.key.clone())
    }

    /// Where to point when an object as a whole is at fault: its key in the parent, which
    /// names it, or else its opening brace.
    pub fn object_anchor(&self, pointer: &str) -> Option<Range<usize>> {
        self.key_span(pointer).or_else(|| {
            self.value_span(pointer)
                .map(|span| span.start..(span.start + 1).min(span.end))
        })
    }
}

fn syntax_diagnostic(source: Arc<SourceFile>, error: SyntaxError) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::new(&rules::INVALID_JSON, source, error.message).with_span(error.span);
    if let Some((span, message)) = error.related {
        diagnostic = diagnostic.with_related(span, message);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_input_becomes_an_invalid_json_finding() {
        let error = Document::parse("m.json", b"{\n  \"a\": 1,\n}").expect_err("trailing comma");
        assert_eq!(error.rule.id, "LDH001");
        let location = error.location().expect("located");
        assert_eq!((location.start.line, location.start.column), (2, 9));
    }

    #[test]
    fn invalid_utf8_keeps_a_readable_source() {
        let error = Document::parse("m.json", b"{\"a\": \"\xC3\x28\"}").expect_err("bad UTF-8");
        assert!(error.file.text().starts_with("{\"a\": \""));
        assert_eq!(error.location().expect("located").start.column, 8);
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

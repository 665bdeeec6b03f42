//! What a rule looks at: one integration (manifest source, spans, typed model, directory) and
//! the sample events it is checked against.

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::events::EventSet;
use crate::integration::Integration;
use crate::manifest::pointer;

use super::Rule;

pub struct Subject<'a> {
    pub integration: &'a Integration,
    pub events: &'a EventSet,
}

pub const HOOK: &str = "/capabilities/auditLogEventsHook";

impl Subject<'_> {
    /// A finding at the value `at` points to, or the nearest enclosing value that exists.
    pub fn at(&self, rule: &'static Rule, at: &str, message: impl Into<String>) -> Diagnostic {
        let span = self.value_span(at);
        self.finding(rule, at, span, message)
    }

    /// A finding at the key of the member `at` points to (for "this property should not be
    /// here"), falling back to its value.
    pub fn at_key(&self, rule: &'static Rule, at: &str, message: impl Into<String>) -> Diagnostic {
        let document = &self.integration.document;
        let span = document.key_span(at).or_else(|| self.value_span(at));
        self.finding(rule, at, span, message)
    }

    fn finding(
        &self,
        rule: &'static Rule,
        at: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::new(rule, self.integration.document.source.clone(), message)
                .with_pointer(at);
        if let Some(span) = span {
            diagnostic = diagnostic.with_span(span);
        }
        diagnostic
    }

    fn value_span(&self, at: &str) -> Option<Range<usize>> {
        let document = &self.integration.document;
        let mut current = Some(at);
        while let Some(p) = current {
            if let Some(span) = document.value_span(p) {
                return Some(if p == at {
                    span
                } else {
                    document.object_anchor(p).unwrap_or(span)
                });
            }
            current = pointer::parent(p);
        }
        None
    }

    /// A path relative to the integration directory, as messages show it.
    pub fn file(&self, relative: &str) -> String {
        crate::request::display(self.integration, relative)
    }
}

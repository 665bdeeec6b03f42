//! What a rule looks at: one integration (manifest source, spans, typed model, directory) and
//! the sample events it is checked against.

use crate::diagnostics::Diagnostic;
use crate::events::EventSet;
use crate::integration::Integration;
use crate::manifest::Mark;
use crate::pointer::Pointer;

use super::Rule;

pub(crate) struct Subject<'a> {
    pub integration: &'a Integration,
    pub events: &'a EventSet,
}

/// `/capabilities/auditLogEventsHook`, where most of the rules look.
pub(super) fn hook() -> Pointer {
    Pointer::root()
        .child("capabilities")
        .child("auditLogEventsHook")
}

impl Subject<'_> {
    /// A finding at the value `at` points to, or the nearest enclosing value that exists.
    pub(crate) fn at(
        &self,
        rule: &'static Rule,
        at: &Pointer,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.integration
            .document
            .finding(rule, at, Mark::Value, message)
    }

    /// A finding at the key of the member `at` points to (for "this property should not be
    /// here"), falling back to its value.
    pub(crate) fn at_key(
        &self,
        rule: &'static Rule,
        at: &Pointer,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.integration
            .document
            .finding(rule, at, Mark::Key, message)
    }

    /// A path relative to the integration directory, as messages show it.
    pub(crate) fn file(&self, relative: &str) -> String {
        self.integration.shown_path(relative)
    }
}

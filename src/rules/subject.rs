//! What a rule looks at: one integration (manifest source, spans, typed model, directory) and
//! the sample events it is checked against.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::events::EventSet;
use crate::integration::Integration;
use crate::manifest::Mark;
use crate::pointer::Pointer;

use super::Rule;

pub(crate) struct Subject<'a> {
    pub integration: &'a Integration,
    pub events: &'a EventSet,
    /// Whether the files the manifest names (icons, templates) can be looked for beside it: not
    /// for a manifest from standard input that no `--stdin-filename` places, whose directory
    /// would otherwise be wherever ldhook happens to run.
    pub placed: bool,
    /// Whether to check that the integration's JSON files are as Prettier prints them
    /// (prettier-format): opt-in, and formatting every file costs more than the other checks.
    pub formatting: bool,
    /// Whether to compare the payload snapshot (payload-snapshot): opt-in, it renders every
    /// event again.
    pub snapshots: bool,
}

/// Where the manifest names the template `name`.
pub(crate) fn template_pointer(name: &str) -> Pointer {
    hook().child("templates").child(name)
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

    /// A finding in a template the manifest names under `name`: in the template's `file` at
    /// `span`, with the manifest member that names it as a related place.
    pub(crate) fn in_template(
        &self,
        rule: &'static Rule,
        name: &str,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let document = &self.integration.document;
        let finding = Diagnostic::new(rule, file.clone(), message).with_span(span);
        match document.value_span(template_pointer(name).as_str()) {
            Some(named) => finding.with_related_in(
                document.source.clone(),
                named,
                format!("the `{name}` template is named here"),
            ),
            None => finding,
        }
    }

    /// A path relative to the integration directory, as messages show it.
    pub(crate) fn file(&self, relative: &str) -> String {
        self.integration.shown_path(relative)
    }
}

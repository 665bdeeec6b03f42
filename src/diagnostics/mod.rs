//! Findings as data, and the renderers that turn them into text.

mod fix;
pub mod render;
mod source;
pub mod suggest;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

pub use fix::{Edit, Fix, FixError};
pub use source::{Location, Position, SourceFile};

use crate::pointer::Pointer;
use crate::registry::Rule;
pub use crate::registry::Severity;

/// A second place that explains the first: where a duplicated key first appeared (in the same
/// file), or the manifest line that names a template a finding is in (another file).
#[derive(Debug, Clone)]
pub struct Related {
    /// `None`: the finding's own file.
    pub file: Option<Arc<SourceFile>>,
    pub span: Range<usize>,
    pub message: String,
}

impl Related {
    /// The file the place is in, given the finding's own.
    pub fn file_or<'a>(&'a self, own: &'a Arc<SourceFile>) -> &'a Arc<SourceFile> {
        self.file.as_ref().unwrap_or(own)
    }

    pub fn location(&self, own: &Arc<SourceFile>) -> Location {
        self.file_or(own).location(self.span.clone())
    }
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub file: Arc<SourceFile>,
    pub span: Option<Range<usize>>,
    /// The JSON pointer of the manifest value at fault, where there is one.
    pub pointer: Option<Pointer>,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// Edits that would remove the cause, for `--fix` to apply (`fixes.rs`).
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, file: Arc<SourceFile>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            file,
            span: None,
            pointer: None,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub(crate) fn with_span(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub(crate) fn with_pointer(mut self, pointer: Pointer) -> Self {
        self.pointer = Some(pointer);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_related(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file: None,
            span,
            message: message.into(),
        });
        self
    }

    /// A place in another file, such as the manifest member that names the template this
    /// finding is in.
    pub(crate) fn with_related_in(
        mut self,
        file: Arc<SourceFile>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: Some(file),
            span,
            message: message.into(),
        });
        self
    }

    pub fn location(&self) -> Option<Location> {
        self.span.clone().map(|span| self.file.location(span))
    }

    /// Sorts by file, then position, then rule, so that output is stable across runs.
    pub(crate) fn sort_key(&self) -> (String, usize, &'static str) {
        (
            self.file.name().to_string(),
            self.span.as_ref().map_or(0, |s| s.start),
            self.rule.id,
        )
    }
}

/// Everything one `validate` run found, and what it looked at.
#[derive(Debug, Default)]
pub struct Report {
    /// Which schema the manifests were checked against: a path, or `embedded`.
    pub schema: String,
    pub files: usize,
    /// Where the files the findings name are, for the formats that give absolute places.
    pub places: Places,
    pub diagnostics: Vec<Diagnostic>,
}

/// The name findings about standard input carry when `--stdin-filename` gives none; a report
/// has no file of that name on disk.
pub(crate) const STDIN: &str = "<stdin>";

/// The files of a report on disk, found once by `repository::places` so that no renderer
/// looks at the filesystem.
#[derive(Debug, Default, Clone)]
pub struct Places {
    /// The repository root, absolute; SARIF's relative URIs resolve against it.
    pub root: Option<PathBuf>,
    /// Each file name the findings use, as an absolute path. A name missing here has no known
    /// place on disk: standard input without `--stdin-filename`, or a relative name when the
    /// current directory cannot be known.
    pub absolute: BTreeMap<String, PathBuf>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// How many findings each rule made, at each severity, in rule id order: the counts the
    /// human and GitHub formats end with.
    pub fn tally(&self) -> Vec<RuleCount> {
        let mut counts: Vec<RuleCount> = Vec::new();
        for diagnostic in &self.diagnostics {
            let same = |c: &&mut RuleCount| {
                c.rule.id == diagnostic.rule.id && c.severity == diagnostic.severity
            };
            match counts.iter_mut().find(same) {
                Some(count) => count.findings = count.findings.saturating_add(1),
                None => counts.push(RuleCount {
                    rule: diagnostic.rule,
                    severity: diagnostic.severity,
                    findings: 1,
                }),
            }
        }
        counts.sort_by_key(|c| (c.rule.id, c.severity == Severity::Warning));
        counts
    }
}

/// One line of [`Report::tally`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub findings: usize,
}

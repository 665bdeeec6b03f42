//! `--format json`: the machine contract README documents (versioned by its `version` member),
//! one object on one line.

use serde::Serialize;

use crate::diagnostics::{Report, Severity};
use crate::pointer::Pointer;

/// 2 added each finding's `related` places; 3 its `fix`.
const CONTRACT_VERSION: u32 = 3;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    schema: &'a str,
    diagnostics: Vec<Entry<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    pointer: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    /// Added in version 2: places that explain this one, in this file or another.
    related: Vec<RelatedEntry<'a>>,
    /// Added in version 3: what `--fix` would change, present only where there is a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixEntry<'a>>,
}

#[derive(Serialize)]
struct FixEntry<'a> {
    message: &'a str,
    edits: Vec<EditEntry<'a>>,
}

/// A replacement of bytes `start..end` of the finding's file, also given as line:column.
#[derive(Serialize)]
struct EditEntry<'a> {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct RelatedEntry<'a> {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

pub(super) fn render(report: &Report) -> String {
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let location = d.location();
            Entry {
                rule: d.rule.id,
                name: d.rule.name,
                severity: d.severity,
                file: super::portable_path(d.file.name()),
                line: location.as_ref().map(|l| l.start.line),
                column: location.as_ref().map(|l| l.start.column),
                end_line: location.as_ref().map(|l| l.end.line),
                end_column: location.as_ref().map(|l| l.end.column),
                pointer: d.pointer.as_ref().map(Pointer::as_str),
                message: &d.message,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|related| {
                        let location = related.location(&d.file);
                        RelatedEntry {
                            file: super::portable_path(related.file_or(&d.file).name()),
                            line: location.start.line,
                            column: location.start.column,
                            end_line: location.end.line,
                            end_column: location.end.column,
                            message: &related.message,
                        }
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|fix| FixEntry {
                    message: &fix.message,
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let location = d.file.location(edit.span.clone());
                            EditEntry {
                                start: edit.span.start,
                                end: edit.span.end,
                                line: location.start.line,
                                column: location.start.column,
                                end_line: location.end.line,
                                end_column: location.end.column,
                                replacement: &edit.replacement,
                            }
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    let output = Output {
        version: CONTRACT_VERSION,
        schema: &report.schema,
        diagnostics,
        summary: Summary {
            files: report.files,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
        },
    };
    let mut text =
        serde_json::to_string(&output).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

//! The default output: a rustc-style block per finding with the source line and a caret.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostics::{Diagnostic, Report, Severity};

pub fn render(report: &Report, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        out.push_str(&renderer.render(&[group(diagnostic)]));
        out.push_str("\n\n");
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn group(diagnostic: &Diagnostic) -> Group<'_> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.rule.id);
    let file = &diagnostic.file;
    let mut group = match &diagnostic.span {
        Some(span) => {
            let mut snippet = Snippet::source(file.text()).path(file.name()).annotation(
                AnnotationKind::Primary
                    .span(first_line(file, span.clone()))
                    .label(diagnostic.rule.name),
            );
            for related in &diagnostic.related {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(first_line(file, related.span.clone()))
                        .label(related.message.as_str()),
                );
            }
            title.element(snippet)
        }
        None => title.element(Origin::path(file.name())),
    };
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    group
}

/// Long values (a whole object) are marked on their first line only, so that one finding stays
/// a few lines tall.
fn first_line(
    file: &crate::diagnostics::SourceFile,
    span: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let line = file.line_range(span.start);
    let end = if span.end > line.end {
        line.end.max(span.start)
    } else {
        span.end
    };
    span.start..end
}

fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let files = count(report.files, "manifest");
    if errors == 0 && warnings == 0 {
        return format!("All checks passed: {files} (schema: {}).", report.schema);
    }
    format!(
        "Found {} and {} in {files} (schema: {}).",
        count(errors, "error"),
        count(warnings, "warning"),
        report.schema
    )
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

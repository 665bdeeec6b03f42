//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's changed lines.

use crate::diagnostics::{Diagnostic, Report};
use crate::escape::{GITHUB_LINE_BREAK, github_data, github_property};

pub(super) fn render(report: &Report) -> String {
    report.diagnostics.iter().map(annotation).collect()
}

fn annotation(diagnostic: &Diagnostic) -> String {
    // The `::error` and `::warning` workflow commands are named as ldhook's severities are.
    let command = diagnostic.severity.as_str();
    let mut properties = vec![format!(
        "file={}",
        github_property(&super::portable_path(diagnostic.file.name()))
    )];
    if let Some(location) = diagnostic.location() {
        properties.push(format!("line={}", location.start.line));
        properties.push(format!("endLine={}", location.end.line));
        // GitHub ignores columns on a span that crosses lines, and misplaces some.
        if !location.is_multiline() {
            properties.push(format!("col={}", location.start.column));
            properties.push(format!("endColumn={}", location.end.column));
        }
    }
    properties.push(format!(
        "title={}",
        github_property(&format!("{} {}", diagnostic.rule.id, diagnostic.rule.name))
    ));
    let mut message = github_data(&diagnostic.message);
    if let Some(help) = &diagnostic.help {
        message.push_str(GITHUB_LINE_BREAK);
        message.push_str("help: ");
        message.push_str(&github_data(help));
    }
    format!("::{command} {}::{message}\n", properties.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diagnostics::SourceFile;
    use std::sync::Arc;

    #[test]
    fn input_cannot_start_a_command_of_its_own() {
        let file = Arc::new(SourceFile::new("m\n::error::x.json", "{}"));
        let diagnostic = Diagnostic::new(
            &crate::registry::INVALID_JSON,
            file,
            "key `evil\n::error file=x,line=1::INJECTED\u{1b}]0;t\u{7}`",
        )
        .with_help("help\nline");
        let out = annotation(&diagnostic);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(
            out.contains("evil\\n::error file=x,line=1::INJECTED\\x1b]0;t\\x07"),
            "{out}"
        );
        assert!(out.contains("file=m\\n%3A%3Aerror%3A%3Ax.json"), "{out}");
        assert!(out.ends_with("%0Ahelp: help\\nline\n"), "{out}");
    }
}

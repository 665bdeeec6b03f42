//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's changed lines.

use crate::diagnostics::{Diagnostic, Places, Report, Severity};
use crate::escape::{GITHUB_LINE_BREAK, github_data, github_property, terminal_line};

/// GitHub shows at most this many annotations of each kind (error, warning) per step; the rest
/// stay in the step's log.
const ANNOTATIONS_SHOWN: usize = 10;

/// The annotations, then (with `summary`) plain log lines: the counts per rule, and a note when
/// GitHub will not show every annotation. A line that is not a workflow command is log text to
/// the runner, so the summary takes no annotation slot.
pub(super) fn render(report: &Report, summary: bool) -> String {
    let mut out: String = report
        .diagnostics
        .iter()
        .map(|diagnostic| annotation(diagnostic, &report.places))
        .collect();
    if summary {
        out.push_str(&summary_lines(report));
    }
    out
}

/// The file an annotation is on, as the runner resolves it: relative to the repository root
/// (the workspace), wherever in it ldhook ran; absolute outside it. Unnamed standard input is
/// no file, so its annotations name none; a name with no known place stays as it is.
fn annotated_file(places: &Places, name: &str) -> Option<String> {
    let Some(path) = places.absolute.get(name) else {
        return (name != crate::diagnostics::STDIN).then(|| super::portable_path(name));
    };
    let relative = places
        .root
        .as_ref()
        .and_then(|root| path.strip_prefix(root).ok());
    Some(super::portable_path(
        &relative.unwrap_or(path).to_string_lossy(),
    ))
}

fn summary_lines(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let manifests = super::count(report.files, "manifest");
    if report.files == 0 && errors == 0 && warnings == 0 {
        return "ldhook: nothing was checked: no manifest among the paths.\n".to_string();
    }
    if errors == 0 && warnings == 0 {
        return format!("ldhook: all checks passed: {manifests}.\n");
    }
    let rules: Vec<String> = report
        .tally()
        .iter()
        .map(|count| {
            format!(
                "{} {} \u{d7}{}",
                count.rule.id, count.rule.name, count.findings
            )
        })
        .collect();
    // Log text, not a command: shown as it is, so only the terminal's escaping applies.
    let mut out = terminal_line(&format!(
        "ldhook: {}, {} in {manifests}: {}",
        super::count(errors, Severity::Error.as_str()),
        super::count(warnings, Severity::Warning.as_str()),
        rules.join(", ")
    ))
    .into_owned();
    out.push('\n');
    if errors > ANNOTATIONS_SHOWN || warnings > ANNOTATIONS_SHOWN {
        out.push_str(&format!(
            "ldhook: GitHub shows at most {ANNOTATIONS_SHOWN} error and {ANNOTATIONS_SHOWN} \
             warning annotations per step; every finding is in this log above.\n"
        ));
    }
    out
}

fn annotation(diagnostic: &Diagnostic, places: &Places) -> String {
    // The `::error` and `::warning` workflow commands are named as ldhook's severities are.
    let command = diagnostic.severity.as_str();
    let mut properties = Vec::new();
    if let Some(file) = annotated_file(places, diagnostic.file.name()) {
        properties.push(format!("file={}", github_property(&file)));
    }
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
    if let Some(fix) = &diagnostic.fix {
        message.push_str(GITHUB_LINE_BREAK);
        message.push_str("fix (ldhook validate --fix): ");
        message.push_str(&github_data(&fix.message));
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
        let out = annotation(&diagnostic, &Places::default());
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(
            out.contains("evil\\n::error file=x,line=1::INJECTED\\x1b]0;t\\x07"),
            "{out}"
        );
        assert!(out.contains("file=m\\n%3A%3Aerror%3A%3Ax.json"), "{out}");
        assert!(out.ends_with("%0Ahelp: help\\nline\n"), "{out}");
    }

    fn report(findings: &[(&'static crate::registry::Rule, Severity)]) -> Report {
        let file = Arc::new(SourceFile::new("m.json", "{}"));
        Report {
            files: 1,
            diagnostics: findings
                .iter()
                .map(|&(rule, severity)| {
                    let mut finding = Diagnostic::new(rule, file.clone(), "m");
                    finding.severity = severity;
                    finding
                })
                .collect(),
            ..Report::default()
        }
    }

    #[test]
    fn the_summary_counts_each_rule_and_names_the_annotation_limit() {
        use crate::registry::{INVALID_JSON, UNKNOWN_PROPERTY, UNUSED_FORM_VARIABLE};
        let mut findings = vec![(&UNKNOWN_PROPERTY, Severity::Error); 11];
        findings.push((&INVALID_JSON, Severity::Error));
        findings.push((&UNUSED_FORM_VARIABLE, Severity::Warning));
        let out = summary_lines(&report(&findings));
        assert_eq!(
            out,
            "ldhook: 12 errors, 1 warning in 1 manifest: LDH001 invalid-json \u{d7}1, \
             LDH010 unknown-property \u{d7}11, LDH203 unused-form-variable \u{d7}1\n\
             ldhook: GitHub shows at most 10 error and 10 warning annotations per step; \
             every finding is in this log above.\n"
        );
        let ten = summary_lines(&report(&[(&UNKNOWN_PROPERTY, Severity::Warning); 10]));
        assert_eq!(
            ten,
            "ldhook: 0 errors, 10 warnings in 1 manifest: LDH010 unknown-property \u{d7}10\n"
        );
        assert_eq!(
            summary_lines(&report(&[])),
            "ldhook: all checks passed: 1 manifest.\n"
        );
    }
}

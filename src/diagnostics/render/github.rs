//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's changed lines.

use crate::diagnostics::{Diagnostic, Report, Severity};

pub fn render(report: &Report) -> String {
    report.diagnostics.iter().map(annotation).collect()
}

fn annotation(diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = vec![format!(
        "file={}",
        escape_property(&super::portable_path(diagnostic.file.name()))
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
        escape_property(&format!("{} {}", diagnostic.rule.id, diagnostic.rule.name))
    ));
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} {}::{}\n",
        properties.join(","),
        escape_data(&message)
    )
}

/// The runner decodes `%25`, `%0D` and `%0A` in a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values also end at `,` and `:`, so those are encoded too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_would_misread() {
        assert_eq!(escape_data("100% sure\r\nnext"), "100%25 sure%0D%0Anext");
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}

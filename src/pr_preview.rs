//! `render --all --format markdown`: what the framework's pull-request template asks for ("the
//! output from running `npm run preview <INTEGRATION_NAME>`"), ready to paste — the validation
//! summary, the policy table, and each delivered request in a collapsible block. Everything
//! from input passes through `escape`'s Markdown functions.

use crate::diagnostics::{Report, Severity};
use crate::escape::{markdown_code_block, markdown_inline};
use crate::preview::{Outcome, Row};
use crate::request::Request;

/// At most this many findings are listed; the count says how many there are.
const MAX_LISTED: usize = 50;

/// The whole comment for the integration `name`.
/// `report` is validate's, or why validate could not run.
pub fn markdown(name: &str, events: &str, report: &Result<Report, String>, rows: &[Row]) -> String {
    let mut out = format!("### ldhook preview: {}\n\n", markdown_inline(name));
    match report {
        Ok(report) => out.push_str(&validation(report)),
        Err(error) => out.push_str(&format!(
            "**Validation:** `ldhook validate` could not run: {}\n",
            markdown_inline(error)
        )),
    }
    out.push_str(&format!(
        "\n**Routing and policy** ({} sample events: {}):\n\n",
        rows.len(),
        markdown_inline(events)
    ));
    out.push_str(&table(rows));
    let delivered: Vec<(&Row, &Request)> = rows
        .iter()
        .filter(|row| row.policy.as_ref().is_none_or(|p| p.delivered))
        .filter_map(|row| Some((row, row.request.as_ref()?)))
        .collect();
    out.push_str(&format!(
        "\n**Requests delivered** ({}, secrets masked):\n",
        delivered.len()
    ));
    for (row, request) in delivered {
        out.push_str(&details(row, request));
    }
    out
}

fn validation(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if report.diagnostics.is_empty() {
        return "**Validation:** `ldhook validate` finds no problems.\n".to_string();
    }
    let mut out = format!(
        "**Validation:** `ldhook validate` finds {} and {}:\n\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    for finding in report.diagnostics.iter().take(MAX_LISTED) {
        let place = match finding.location() {
            Some(at) => format!(
                "{}:{}:{}",
                finding.file.name(),
                at.start.line,
                at.start.column
            ),
            None => finding.file.name().to_string(),
        };
        out.push_str(&format!(
            "- {} {} {} at {}: {}\n",
            finding.severity.as_str(),
            finding.rule.id,
            finding.rule.name,
            markdown_inline(&place),
            markdown_inline(&finding.message)
        ));
    }
    if report.diagnostics.len() > MAX_LISTED {
        out.push_str(&format!(
            "- and {} more\n",
            report.diagnostics.len().saturating_sub(MAX_LISTED)
        ));
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from("| Event | Template | Policy | Result |\n|---|---|---|---|\n");
    for row in rows {
        let template = row
            .template
            .as_ref()
            .map_or_else(|| "none".to_string(), |t| t.path.clone());
        let policy = match &row.policy {
            None => "no defaultPolicy".to_string(),
            Some(p) if p.delivered => "delivered".to_string(),
            Some(p) => format!("not delivered: {}", p.reason),
        };
        let result = match &row.outcome {
            Outcome::Ok => "rendered".to_string(),
            Outcome::Error(message) => format!("error: {}", message.lines().next().unwrap_or("")),
            Outcome::NotSent(reason) => format!("not sent: {reason}"),
            Outcome::StandardPayload => "standard webhook payload".to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            markdown_inline(&row.event),
            markdown_inline(&template),
            markdown_inline(&policy),
            markdown_inline(&result)
        ));
    }
    out
}

fn details(row: &Row, request: &Request) -> String {
    let mut http = format!("{} {}\n", request.method, request.url);
    for header in &request.headers {
        http.push_str(&format!("{}: {}\n", header.name, header.value));
    }
    http.push('\n');
    http.push_str(&request.body);
    format!(
        "\n<details>\n<summary>{} → {} {}</summary>\n\n{}\n</details>\n",
        markdown_inline(&row.event),
        markdown_inline(&request.method),
        markdown_inline(&request.url),
        markdown_code_block("http", &http)
    )
}

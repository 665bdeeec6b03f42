//! The snapshot file's text: a header, then one section per sample event, each starting with a
//! `## <event>` line. Every line is written through `escape::snapshot_line`, so the file holds
//! no control character and no trailing whitespace; JSON bodies are shown as Prettier lays
//! them out (keys in the order rendered, strings and numbers as written), and any other body
//! line by line behind `| `, so no body line can look like a section's start or a merge
//! conflict marker.

use crate::escape::snapshot_line;
use crate::preview::{Outcome, Row};
use crate::request::{MASKED_NOTE, Request};

/// What starts a section; nothing else in the file starts with it.
pub(super) const SECTION: &str = "## ";

/// One event's part of the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The event's name as the section's first line writes it.
    pub event: String,
    /// The template that rendered it, as the section says (`templates/flag.json.hbs`), if any.
    pub template: Option<String>,
    /// The section's text, its first line included, each line ending in a line feed.
    pub text: String,
}

/// The file's header, the whole file for `rows`, and its sections.
pub(super) fn write(
    integration: &str,
    events: &str,
    rows: &[Row],
) -> (String, String, Vec<Section>) {
    let sections: Vec<Section> = rows.iter().map(section).collect();
    let header = header(integration, events);
    let mut text = header.clone();
    for section in &sections {
        text.push('\n');
        text.push_str(&section.text);
    }
    (header, text, sections)
}

fn header(integration: &str, events: &str) -> String {
    format!(
        "# ldhook payload snapshot of {}: the request each sample event renders.\n\
         # `ldhook snapshot --update` rewrites it; `ldhook snapshot --check` and\n\
         # `ldhook validate --snapshots` compare it with what the integration renders now.\n\
         # Events: {}. Form variables: the framework's test values, secrets masked.\n",
        snapshot_line(integration),
        snapshot_line(events)
    )
}

fn section(row: &Row) -> Section {
    let event = snapshot_line(&row.event).into_owned();
    let mut out = Lines::default();
    out.line(&format!("{SECTION}{}", row.event));
    let template = row.template.as_ref().map(|t| t.path.clone());
    match &row.template {
        Some(route) => out.line(&format!(
            "template: {} ({} template: {})",
            route.path, route.kind, route.reason
        )),
        None if matches!(row.outcome, Outcome::StandardPayload) => {
            out.line("template: none, the standard webhook payload");
        }
        None => {}
    }
    if let Some(policy) = &row.policy {
        let verdict = if policy.delivered {
            "delivered"
        } else {
            "not delivered"
        };
        out.line(&format!("policy: {verdict}: {}", policy.reason));
    }
    match (&row.outcome, &row.request) {
        (Outcome::NotSent(reason), _) => out.line(&format!("not sent: {reason}")),
        (Outcome::Error(error), _) => {
            out.line("error:");
            out.quoted(error);
        }
        (_, Some(request)) => out.request(request),
        (_, None) => {}
    }
    Section {
        event,
        template,
        text: out.0,
    }
}

/// Text built line by line, each line made safe for the file.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn line(&mut self, line: &str) {
        self.0.push_str(&snapshot_line(line));
        self.0.push('\n');
    }

    /// `text` line by line behind `| ` (an empty line as `|`), so that its first and last
    /// lines, and whether it ends in a line feed, all show.
    fn quoted(&mut self, text: &str) {
        for line in text.split('\n') {
            if line.is_empty() {
                self.0.push_str("|\n");
            } else {
                self.line(&format!("| {line}"));
            }
        }
    }

    fn request(&mut self, request: &Request) {
        self.line(&format!("{} {}", request.method, request.url));
        for header in &request.headers {
            self.line(&format!("{}: {}", header.name, header.value));
        }
        // The header says that secrets are masked; `--show-secrets` is no option here.
        let notes = request.notes.iter().filter(|n| !n.starts_with(MASKED_NOTE));
        for note in notes {
            self.line(&format!("note: {note}"));
        }
        let size = request.body.len();
        if request.body.is_empty() {
            self.line("body: empty");
            return;
        }
        match crate::format::format(&request.body) {
            Ok(pretty) if !request.body.contains('\r') => {
                self.line(&format!(
                    "body: JSON, {size} bytes, laid out as Prettier does"
                ));
                for line in pretty.lines() {
                    self.line(line);
                }
            }
            _ => {
                self.line(&format!("body: text, {size} bytes"));
                self.quoted(&request.body);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::{PolicyOutcome, RouteView};
    use crate::request::HeaderLine;

    fn row(body: &str) -> Row {
        Row {
            event: "flag/update".to_string(),
            kind: "flag".to_string(),
            template: Some(RouteView {
                kind: "flag".to_string(),
                path: "templates/flag.json.hbs".to_string(),
                reason: "the event's kind is flag".to_string(),
            }),
            policy: Some(PolicyOutcome {
                delivered: true,
                decided_by: Some(0),
                reason: "statement 1 allows it".to_string(),
            }),
            outcome: Outcome::Ok,
            request: Some(Request {
                method: "POST".to_string(),
                url: "https://example.com/hook".to_string(),
                headers: vec![HeaderLine {
                    name: "Authorization".to_string(),
                    value: "Bearer ********".to_string(),
                }],
                body: body.to_string(),
                notes: Vec::new(),
                masked: true,
            }),
        }
    }

    #[test]
    fn a_json_body_is_laid_out_with_its_keys_in_the_order_rendered() {
        let section = section(&row(r#"{"z":1,"a":"\u00e9"}"#));
        assert_eq!(
            section.text,
            "## flag/update\n\
             template: templates/flag.json.hbs (flag template: the event's kind is flag)\n\
             policy: delivered: statement 1 allows it\n\
             POST https://example.com/hook\n\
             Authorization: Bearer ********\n\
             body: JSON, 20 bytes, laid out as Prettier does\n\
             { \"z\": 1, \"a\": \"\\u00e9\" }\n"
        );
        assert_eq!(section.template.as_deref(), Some("templates/flag.json.hbs"));
    }

    #[test]
    fn a_text_body_shows_its_edges_and_nothing_can_start_a_section() {
        let section = section(&row("## not a section \n=======\n"));
        assert!(
            section
                .text
                .ends_with("body: text, 26 bytes\n| ## not a section\\x20\n| =======\n|\n")
        );
        assert_eq!(section.text.matches("\n## ").count(), 0);
        assert!(section.text.lines().all(|l| l.trim_end() == l));
    }

    #[test]
    fn an_error_is_the_section_s_text() {
        let mut failing = row("");
        failing.outcome = Outcome::Error("line 2: `x` is not defined\nin flag.json.hbs".into());
        failing.request = None;
        assert!(
            section(&failing)
                .text
                .ends_with("error:\n| line 2: `x` is not defined\n| in flag.json.hbs\n")
        );
    }
}

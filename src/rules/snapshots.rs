//! payload-snapshot (LDH219, opt-in): the integration's payload snapshot against what renders
//! now, one finding per changed, new or vanished request, at the file's section for it.

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::registry::PAYLOAD_SNAPSHOT;
use crate::snapshot::{self, Change, Status};

use super::subject::{Subject, template_pointer};

pub(super) fn check(subject: &Subject, out: &mut Vec<Diagnostic>) {
    let integration = subject.integration;
    let from = snapshot::events_from_set(&integration.dir, subject.events);
    // What cannot render at all is reported by the rules that say why.
    let Ok(taken) = snapshot::take_loaded(integration, subject.events, &from) else {
        return;
    };
    let status = match taken.status() {
        Ok(status) => status,
        Err(error) => {
            out.push(at_manifest(
                subject,
                format!("the payload snapshot cannot be read: {error}"),
            ));
            return;
        }
    };
    match status {
        Status::Same => {}
        Status::Missing => out.push(at_manifest(
            subject,
            format!(
                "no payload snapshot at {}; `ldhook snapshot --update` writes it",
                taken.shown
            ),
        )),
        Status::Changed { old, changes } => {
            let file = Arc::new(SourceFile::new(taken.shown.clone(), old));
            for change in changes {
                out.push(finding(subject, &file, change));
            }
        }
    }
}

fn at_manifest(subject: &Subject, message: String) -> Diagnostic {
    subject
        .at(&PAYLOAD_SNAPSHOT, &crate::pointer::Pointer::root(), message)
        .with_help("`ldhook snapshot --update` writes the snapshot; commit it with the change")
}

fn finding(subject: &Subject, file: &Arc<SourceFile>, change: Change) -> Diagnostic {
    let update = "if the change is meant, `ldhook snapshot --update` writes the snapshot anew";
    match change {
        Change::Changed {
            event,
            template,
            at,
            diff,
        } => {
            let finding = Diagnostic::new(
                &PAYLOAD_SNAPSHOT,
                file.clone(),
                format!(
                    "the request for {event}{} differs from the snapshot{}",
                    template
                        .as_deref()
                        .map(|t| format!(" ({t})"))
                        .unwrap_or_default(),
                    first_difference(&diff)
                ),
            )
            .with_span(at)
            .with_help(format!(
                "`ldhook snapshot --check` shows the diff; {update}"
            ));
            with_template(subject, finding, template.as_deref())
        }
        Change::New { event, template } => {
            let finding = Diagnostic::new(
                &PAYLOAD_SNAPSHOT,
                file.clone(),
                format!("the snapshot has no request for {event}, a new sample event"),
            )
            .with_span(0..0)
            .with_help(update);
            with_template(subject, finding, template.as_deref())
        }
        Change::Vanished { event, at } => Diagnostic::new(
            &PAYLOAD_SNAPSHOT,
            file.clone(),
            format!("the snapshot has a request for {event}, which is no longer a sample event"),
        )
        .with_span(at)
        .with_help(update),
        Change::Header { at, diff } => Diagnostic::new(
            &PAYLOAD_SNAPSHOT,
            file.clone(),
            "the snapshot's header differs: its events were read from elsewhere, or it was edited",
        )
        .with_span(at)
        .with_help(format!(
            "`ldhook snapshot --check` shows the diff{}; {update}",
            first_difference(&diff)
        )),
    }
}

/// ": `old line` is now `new line`" for the first line a diff removes and the first it adds.
fn first_difference(diff: &str) -> String {
    // The body's size line changes with nearly every edit; a line of the body says more.
    let changed = |sign: char, header: &str| {
        let mut lines = diff
            .lines()
            .filter(|line| line.starts_with(sign) && !line.starts_with(header))
            .map(|line| line.get(1..).unwrap_or_default().trim());
        let first = lines.clone().next();
        lines
            .find(|line| !line.starts_with("body: "))
            .or(first)
            .map(str::to_string)
    };
    match (changed('-', "---"), changed('+', "+++")) {
        (Some(old), Some(new)) => format!(": `{old}` is now `{new}`"),
        (Some(old), None) => format!(": `{old}` is gone"),
        (None, Some(new)) => format!(": `{new}` is new"),
        (None, None) => String::new(),
    }
}

/// The manifest member naming the template, as the related place: where the request is made.
fn with_template(subject: &Subject, finding: Diagnostic, template: Option<&str>) -> Diagnostic {
    let document = &subject.integration.document;
    let hook = subject.integration.manifest.hook();
    let named = template.and_then(|path| {
        let (name, _) = hook?.templates.iter().find(|(_, p)| p.as_str() == path)?;
        document.value_span(template_pointer(name).as_str())
    });
    match named {
        Some(span) => finding.with_related_in(
            document.source.clone(),
            span,
            "the template that renders this request",
        ),
        None => finding,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_difference_names_the_lines_removed_and_added() {
        let diff = "--- a (snapshot)\n+++ a (rendered now)\n@@ -1,2 +1,2 @@\n x\n-  \"title\": 1\n+  \"headline\": 1\n";
        assert_eq!(
            super::first_difference(diff),
            ": `\"title\": 1` is now `\"headline\": 1`"
        );
    }
}

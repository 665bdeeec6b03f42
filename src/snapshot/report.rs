//! What `snapshot --check` says for people: each change named by its event and template, a
//! unified diff for a changed request. The diff's lines come from the file on disk, which
//! anyone may have edited, so all of it passes through the terminal escape.

use crate::escape::{terminal_line, terminal_text};

use super::{Change, Snapshot, Status};

/// The lines `--check` prints for one integration's snapshot.
pub fn describe(snapshot: &Snapshot, status: &Status) -> String {
    let file = terminal_line(&snapshot.shown);
    let requests = snapshot.sections.len();
    match status {
        Status::Same => format!("{file}: up to date ({requests} events)\n"),
        Status::Missing => format!(
            "{file}: no snapshot yet ({requests} events render); `ldhook snapshot --update` writes it\n"
        ),
        Status::Changed { changes, .. } => {
            let mut out = String::new();
            for change in changes {
                out.push_str(&change_text(&file, change));
            }
            out.push_str(&format!("{file}: {}\n", tally(changes)));
            out
        }
    }
}

fn change_text(file: &str, change: &Change) -> String {
    let template = |template: &Option<String>| {
        template
            .as_deref()
            .map(|t| format!(" ({})", terminal_line(t)))
            .unwrap_or_default()
    };
    match change {
        Change::Changed {
            event,
            template: by,
            diff,
            ..
        } => format!(
            "{file}: the request for {}{} changed:\n{}\n",
            terminal_line(event),
            template(by),
            terminal_text(diff)
        ),
        Change::New {
            event,
            template: by,
        } => format!(
            "{file}: new event {}{}: not in the snapshot\n",
            terminal_line(event),
            template(by)
        ),
        Change::Vanished { event, .. } => format!(
            "{file}: event {} is in the snapshot but no longer among the sample events\n",
            terminal_line(event)
        ),
        Change::Header { diff, .. } => format!(
            "{file}: the header changed (the events are read from elsewhere, or the file was edited):\n{}\n",
            terminal_text(diff)
        ),
    }
}

/// "2 requests changed, 1 new event; `ldhook snapshot --update` writes them".
pub(super) fn tally(changes: &[Change]) -> String {
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
    let parts: Vec<String> = [
        (
            count(|c| matches!(c, Change::Changed { .. })),
            "request changed",
            "requests changed",
        ),
        (
            count(|c| matches!(c, Change::New { .. })),
            "new event",
            "new events",
        ),
        (
            count(|c| matches!(c, Change::Vanished { .. })),
            "vanished event",
            "vanished events",
        ),
        (
            count(|c| matches!(c, Change::Header { .. })),
            "header changed",
            "header changed",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    format!(
        "{}; `ldhook snapshot --update` writes the snapshot anew",
        parts.join(", ")
    )
}

//! A snapshot file as written before against the one rendered now, request by request: which
//! events' requests changed (with a unified diff of the section), which are new, which vanished.

use std::collections::HashMap;
use std::ops::Range;

use similar::TextDiff;

use super::text::{SECTION, Section};

/// One difference between the file and what renders now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The event's request is not what the file says: `diff` is the section's unified diff.
    Changed {
        event: String,
        template: Option<String>,
        /// The section's first line in the file.
        at: Range<usize>,
        diff: String,
    },
    /// An event the file has no section for.
    New {
        event: String,
        template: Option<String>,
    },
    /// A section for an event that is no longer among the sample events.
    Vanished { event: String, at: Range<usize> },
    /// The file's header differs (another event set, or the file was edited by hand).
    Header { at: Range<usize>, diff: String },
}

/// A section of the file on disk: its event, its text and where its first line is.
struct Written<'a> {
    event: &'a str,
    text: &'a str,
    at: Range<usize>,
}

/// Every change from `old` (the file's text) to `new` (sections rendered now, under `header`),
/// in the order of the events now, vanished ones last in the file's order.
pub(super) fn changes(old: &str, header: &str, new: &[Section]) -> Vec<Change> {
    let (old_header, written) = split(old);
    let mut by_event: HashMap<&str, &Written> = HashMap::new();
    for section in &written {
        by_event.entry(section.event).or_insert(section);
    }
    let mut out = Vec::new();
    if old_header != header {
        out.push(Change::Header {
            at: 0..old_header.find('\n').unwrap_or(old_header.len()),
            diff: diff(old_header, header, "header"),
        });
    }
    for section in new {
        match by_event.remove(section.event.as_str()) {
            None => out.push(Change::New {
                event: section.event.clone(),
                template: section.template.clone(),
            }),
            Some(before) if before.text != section.text => out.push(Change::Changed {
                event: section.event.clone(),
                template: section.template.clone(),
                at: before.at.clone(),
                diff: diff(before.text, &section.text, &section.event),
            }),
            Some(_) => {}
        }
    }
    out.extend(
        written
            .iter()
            .filter(|section| by_event.contains_key(section.event))
            .map(|section| Change::Vanished {
                event: section.event.to_string(),
                at: section.at.clone(),
            }),
    );
    out
}

/// The header (everything before the first section) and each section, with the blank line
/// that separates sections left out of both.
fn split(text: &str) -> (&str, Vec<Written<'_>>) {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(SECTION) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let header_end = starts.first().copied().unwrap_or(text.len());
    let header = trim_separator(text.get(..header_end).unwrap_or_default());
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    let sections = starts
        .iter()
        .zip(ends)
        .filter_map(|(&start, end)| {
            let body = trim_separator(text.get(start..end)?);
            let first_line_end = body.find('\n').map_or(body.len(), |n| n);
            let event = body.get(SECTION.len()..first_line_end)?;
            Some(Written {
                event,
                text: body,
                at: start..start.saturating_add(first_line_end),
            })
        })
        .collect();
    (header, sections)
}

/// A part of the file without the one blank line written before the next section.
fn trim_separator(part: &str) -> &str {
    part.strip_suffix("\n\n")
        .map_or(part, |kept| part.get(..kept.len() + 1).unwrap_or(part))
}

/// A unified diff from the file's text to the rendered one, with three lines of context.
fn diff(old: &str, new: &str, what: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{what} (snapshot)"),
            &format!("{what} (rendered now)"),
        )
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(event: &str, body: &str) -> Section {
        Section {
            event: event.to_string(),
            template: Some("templates/t.json.hbs".to_string()),
            text: format!("## {event}\n{body}"),
        }
    }

    fn file(header: &str, sections: &[Section]) -> String {
        let mut text = header.to_string();
        for section in sections {
            text.push('\n');
            text.push_str(&section.text);
        }
        text
    }

    #[test]
    fn the_same_sections_are_no_change() {
        let now = [section("a", "x\n"), section("b", "y\n")];
        assert_eq!(changes(&file("# h\n", &now), "# h\n", &now), []);
    }

    #[test]
    fn a_changed_request_is_a_diff_of_its_section_at_its_line() {
        let before = [section("a", "x\n"), section("b", "y\n")];
        let now = [section("a", "x\n"), section("b", "z\n")];
        let old = file("# h\n", &before);
        let found = changes(&old, "# h\n", &now);
        let [
            Change::Changed {
                event, at, diff, ..
            },
        ] = found.as_slice()
        else {
            panic!("{found:?}");
        };
        assert_eq!(event, "b");
        assert_eq!(old.get(at.clone()), Some("## b"));
        assert!(diff.contains("-y\n+z\n"), "{diff}");
        assert!(
            diff.starts_with("--- b (snapshot)\n+++ b (rendered now)\n"),
            "{diff}"
        );
    }

    #[test]
    fn new_and_vanished_events_are_said_so() {
        let before = [section("a", "x\n"), section("gone", "y\n")];
        let now = [section("a", "x\n"), section("fresh", "y\n")];
        let found = changes(&file("# h\n", &before), "# h\n", &now);
        assert!(
            matches!(&found[..], [Change::New { event: n, .. }, Change::Vanished { event: v, .. }] if n == "fresh" && v == "gone"),
            "{found:?}"
        );
    }

    #[test]
    fn a_different_header_is_a_change_of_its_own() {
        let now = [section("a", "x\n")];
        let found = changes(&file("# old\n", &now), "# new\n", &now);
        assert!(matches!(&found[..], [Change::Header { .. }]), "{found:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Any text read as a snapshot gives changes without panicking, and a file written
        /// from sections always reads back as those sections, whatever their events hold.
        #[test]
        fn any_file_reads_and_a_written_one_reads_back(
            old in "(## |\n|[a-z ]|é|\r){0,200}",
            events in proptest::collection::vec("[a-z/é-]{1,12}", 0..6),
        ) {
            let _ = changes(&old, "# h\n", &[section("a", "x\n")]);
            let mut unique = events.clone();
            unique.sort();
            unique.dedup();
            let now: Vec<Section> = unique.iter().map(|e| section(e, "body\n| line\n")).collect();
            proptest::prop_assert_eq!(changes(&file("# h\n", &now), "# h\n", &now), vec![]);
        }
    }

    #[test]
    fn a_file_edited_into_anything_is_read_without_panicking() {
        for text in ["", "##", "## \n", "\n\n## a\n\n\n## a\n", "## é\u{0}\n"] {
            let _ = changes(text, "# h\n", &[section("a", "x\n")]);
        }
    }
}

//! The default output: a rustc-style block per finding with the source line and a caret.
//!
//! Each finding is shown from an excerpt of its file, the few lines it marks, never the whole
//! file: the cost of a finding does not grow with the file, so output stays linear in the number
//! of findings. Every string from input goes through `escape` before it reaches the terminal.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Related, Report, Severity, SourceFile};
use crate::escape;

/// Annotated lines at most this far apart share one excerpt, with the lines between them.
const JOIN_LINES: usize = 3;
/// A line longer than this (minified JSON) is not shown: its place is given instead, so that
/// many findings on one long line cost no more than findings on many short ones.
const LONG_LINE: usize = 4096;

pub(super) fn render(report: &Report, color: bool, summary: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for (index, diagnostic) in report.diagnostics.iter().enumerate() {
        out.push_str(&renderer.render(&[group(diagnostic)]));
        // A blank line between findings and before the summary; `--quiet`'s last finding
        // ends the output.
        let last = index + 1 == report.diagnostics.len();
        out.push_str(if last && !summary { "\n" } else { "\n\n" });
    }
    if summary {
        out.push_str(&self::summary(report));
        out.push('\n');
        out.push_str(&tally(report));
    }
    out
}

fn group(diagnostic: &Diagnostic) -> Group<'static> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(escape::terminal_line(&diagnostic.message).into_owned())
        .id(diagnostic.rule.id);
    let file = &diagnostic.file;
    let name = escape::terminal_line(file.name()).into_owned();
    let (here, elsewhere): (Vec<&Related>, Vec<&Related>) = diagnostic
        .related
        .iter()
        .partition(|related| related.file.as_ref().is_none_or(|f| Arc::ptr_eq(f, file)));
    let mut group = match &diagnostic.span {
        Some(span) => {
            let mut marks = vec![Mark {
                span: first_line(file, span.clone()),
                label: diagnostic.rule.name.to_string(),
                primary: true,
            }];
            marks.extend(here.iter().map(|related| Mark {
                span: first_line(file, related.span.clone()),
                label: escape::terminal_line(&related.message).into_owned(),
                primary: false,
            }));
            let (shown, too_long) = excerpts(file, marks);
            let mut group = if shown.first().is_some_and(Excerpt::has_primary) {
                let mut excerpts = shown.into_iter();
                let first = excerpts.next().map(|e| e.snippet().path(name));
                title
                    .elements(first)
                    .elements(excerpts.map(Excerpt::snippet))
            } else {
                // The line is too long to show; its place is still exact.
                let at = file.position(file.clamp(span.clone()).start);
                title.element(Origin::path(name).line(at.line).char_column(at.column))
            };
            for mark in too_long.into_iter().filter(|m| !m.primary) {
                let at = file.position(mark.span.start);
                group = group.element(Level::NOTE.message(format!(
                    "{} (line {}, column {})",
                    mark.label, at.line, at.column
                )));
            }
            group
        }
        None => title.element(Origin::path(name)),
    };
    for related in elsewhere {
        group = with_other_file(group, related, file);
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(escape::terminal_line(help).into_owned()));
    }
    if let Some(fix) = &diagnostic.fix {
        let line = format!("fix: {} (ldhook validate --fix)", fix.message);
        group = group.element(Level::NOTE.message(escape::terminal_line(&line).into_owned()));
    }
    group
}

/// A related place in another file (the manifest line that names a template), as an excerpt of
/// that file with its own path, or its place when the line is too long to show.
fn with_other_file<'a>(group: Group<'a>, related: &Related, own: &Arc<SourceFile>) -> Group<'a> {
    let other = related.file_or(own);
    let name = escape::terminal_line(other.name()).into_owned();
    let mark = Mark {
        span: first_line(other, related.span.clone()),
        label: escape::terminal_line(&related.message).into_owned(),
        primary: false,
    };
    let (shown, too_long) = excerpts(other, vec![mark]);
    let mut group = group.elements(shown.into_iter().map(|e| e.snippet().path(name.clone())));
    for mark in too_long {
        let at = other.position(mark.span.start);
        group = group.element(
            Level::NOTE.message(format!("{} ({name}:{}:{})", mark.label, at.line, at.column)),
        );
    }
    group
}

struct Mark {
    span: Range<usize>,
    label: String,
    primary: bool,
}

/// A few lines of a file, made safe to print, with the marks placed in them.
struct Excerpt {
    text: String,
    first_line: usize,
    marks: Vec<Mark>,
}

impl Excerpt {
    fn has_primary(&self) -> bool {
        self.marks.iter().any(|m| m.primary)
    }

    fn snippet(self) -> Snippet<'static, annotate_snippets::Annotation<'static>> {
        let mut snippet = Snippet::source(self.text).line_start(self.first_line);
        for mark in self.marks {
            let kind = if mark.primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            snippet = snippet.annotation(kind.span(mark.span).label(mark.label));
        }
        snippet
    }
}

/// Groups marks by nearby lines, one excerpt per group: the primary mark's first, then the
/// others in line order. Marks on lines too long to show come back on their own.
fn excerpts(file: &SourceFile, mut marks: Vec<Mark>) -> (Vec<Excerpt>, Vec<Mark>) {
    marks.sort_by_key(|m| (!m.primary, m.span.start));
    let (marks, too_long): (Vec<Mark>, Vec<Mark>) = marks
        .into_iter()
        .partition(|m| file.line_range(m.span.start).len() <= LONG_LINE);
    let mut groups: Vec<(usize, usize, Vec<Mark>)> = Vec::new();
    for mark in marks {
        let line = file.line_index(mark.span.start);
        let near = groups.iter_mut().find(|(first, last, _)| {
            line.saturating_add(JOIN_LINES) >= *first && line <= last.saturating_add(JOIN_LINES)
        });
        match near {
            Some((first, last, group)) => {
                *first = line.min(*first);
                *last = line.max(*last);
                group.push(mark);
            }
            None => groups.push((line, line, vec![mark])),
        }
    }
    let primary_first = groups.first().map(|(first, _, _)| *first);
    let (head, mut rest): (Vec<_>, Vec<_>) = groups
        .into_iter()
        .partition(|(first, _, _)| Some(*first) == primary_first);
    rest.sort_by_key(|(first, _, _)| *first);
    let excerpts = head
        .into_iter()
        .chain(rest)
        .map(|(first, last, marks)| excerpt(file, first, last, marks))
        .collect();
    (excerpts, too_long)
}

fn excerpt(file: &SourceFile, first: usize, last: usize, marks: Vec<Mark>) -> Excerpt {
    let window = file.line_bytes(first).start..file.line_bytes(last).end;
    let safe = SafeText::new(file.text().get(window.clone()).unwrap_or_default());
    let marks = marks
        .into_iter()
        .map(|mark| {
            let span = mark.span.start.clamp(window.start, window.end)
                ..mark.span.end.clamp(window.start, window.end);
            Mark {
                span: safe.map(span.start - window.start)..safe.map(span.end - window.start),
                ..mark
            }
        })
        .collect();
    Excerpt {
        text: safe.text,
        first_line: first + 1,
        marks,
    }
}

/// Text with every unsafe character replaced by one visible character (so columns hold), lone
/// carriage returns turned into the line feeds the snippet renderer splits on, and a map from
/// byte offsets in the original to offsets in the result.
struct SafeText {
    text: String,
    /// (offset in the original, growth of the text up to there), at each replacement.
    shifts: Vec<(usize, isize)>,
}

impl SafeText {
    fn new(original: &str) -> SafeText {
        let mut text = String::with_capacity(original.len());
        let mut shifts = Vec::new();
        let mut growth = 0;
        let mut chars = original.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let shown = match c {
                '\n' | '\t' => c,
                '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => c,
                '\r' => '\n',
                c if escape::is_unsafe(c) => escape::picture(c),
                c => c,
            };
            text.push(shown);
            if shown != c {
                growth += len_as_shift(shown.len_utf8()) - len_as_shift(c.len_utf8());
                shifts.push((at + c.len_utf8(), growth));
            }
        }
        SafeText { text, shifts }
    }

    fn map(&self, offset: usize) -> usize {
        let index = self.shifts.partition_point(|&(at, _)| at <= offset);
        let growth = index
            .checked_sub(1)
            .and_then(|i| self.shifts.get(i))
            .map_or(0, |&(_, growth)| growth);
        offset.saturating_add_signed(growth)
    }
}

fn len_as_shift(len: usize) -> isize {
    isize::try_from(len).unwrap_or(0)
}

/// Long values (a whole object) are marked on their first line only, so that one finding stays
/// a few lines tall.
fn first_line(file: &SourceFile, span: Range<usize>) -> Range<usize> {
    let span = file.clamp(span);
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
    let files = super::count(report.files, "manifest");
    let schema = escape::terminal_line(&report.schema);
    if report.files == 0 && errors == 0 && warnings == 0 {
        return "Nothing was checked: no manifest among the paths.".to_string();
    }
    if errors == 0 && warnings == 0 {
        return format!("All checks passed: {files} (schema: {schema}).");
    }
    format!(
        "Found {} and {} in {files} (schema: {schema}).",
        super::count(errors, Severity::Error.as_str()),
        super::count(warnings, Severity::Warning.as_str()),
    )
}

/// One line per rule that found something: how many, at which severity, which rule, with the
/// counts aligned.
fn tally(report: &Report) -> String {
    let tally = report.tally();
    let width = tally
        .iter()
        .map(|count| count.findings.to_string().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for count in &tally {
        let noun = match count.findings {
            1 => count.severity.as_str().to_string(),
            _ => format!("{}s", count.severity.as_str()),
        };
        out.push_str(&format!(
            "  {:>width$} {noun:<8}  {} {}\n",
            count.findings, count.rule.id, count.rule.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn shown(text: &str, span: Range<usize>, message: &str) -> String {
        let file = Arc::new(SourceFile::new("m.json", text));
        let diagnostic =
            Diagnostic::new(&crate::registry::INVALID_JSON, file, message).with_span(span);
        Renderer::plain().render(&[group(&diagnostic)])
    }

    #[test]
    fn controls_in_the_source_keep_their_columns() {
        let out = shown("{\"a\u{1b}]0;x\u{7}\": \u{85}1}", 14..15, "m");
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out}");
        assert!(out.contains("--> m.json:1:14"), "{out}");
        assert!(out.contains("{\"a␛]0;x␇\": �1}"), "{out}");
    }

    #[test]
    fn a_message_cannot_start_a_line_of_its_own() {
        let out = shown("{}", 0..1, "key `evil\n::error file=x,line=1::INJECTED`");
        assert!(out.lines().all(|line| !line.starts_with("::")), "{out}");
    }

    #[test]
    fn a_long_line_is_named_not_shown() {
        let text = format!("{{\"a\": \"{}\", \"b\": 1}}", "x".repeat(100_000));
        let at = text.find("\"b\"").expect("key b");
        let out = shown(&text, at..at + 3, "m");
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains(&format!("--> m.json:1:{}", at + 1)), "{out}");
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let out = shown("{\r  \"a\": 1,\r}", 9..10, "m");
        assert!(out.contains("--> m.json:2:8"), "{out}");
        assert!(out.contains("2 |   \"a\": 1,"), "{out}");
    }

    /// What each finding hands the snippet renderer is its own few lines, so the work of
    /// rendering grows with the findings, not with findings × file size.
    #[test]
    fn each_finding_shows_only_its_own_lines() {
        let lines = 20_000;
        let text: String = (0..lines).fold(String::new(), |mut text, i| {
            text.push_str(&format!("  \"key{i}\": {i},\n"));
            text
        });
        let file = SourceFile::new("m.json", text.as_str());
        let mut shown_bytes = 0;
        for i in 0..lines {
            let start = file.line_bytes(i).start + 2;
            let marks = vec![Mark {
                span: start..start + 3,
                label: String::new(),
                primary: true,
            }];
            let (excerpts, _) = excerpts(&file, marks);
            shown_bytes += excerpts.iter().map(|e| e.text.len()).sum::<usize>();
        }
        assert!(shown_bytes <= text.len(), "{shown_bytes} > {}", text.len());
    }
}

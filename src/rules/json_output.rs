//! The JSON a template writes: where output that does not parse went wrong, traced back to the
//! tag that wrote it, and `html-escape-in-json`, the `{{…}}` inside a JSON string that
//! HTML-escapes an event's text.

use std::collections::BTreeSet;
use std::ops::Range;

use serde_json::Value;

use super::json_text;
use super::*;
use crate::diagnostics::{Edit, Fix};
use crate::engine::{Output, OutputSpan, Template, Written};

/// Why a JSON template's output does not parse, placed on the tag responsible. `message` is
/// the same for every event that breaks it alike; `output` quotes this event's output.
pub(super) struct BrokenJson {
    /// The tag wrote it by HTML-escaping a JSON-escaped `"`: the cause `html-escape-in-json`
    /// names, which is then not reported again at that tag.
    pub by_escaping: bool,
    pub tag: Range<usize>,
    pub message: String,
    pub output: String,
    pub help: Option<String>,
}

/// Characters of the output line a message quotes, around the place it breaks.
const QUOTED_OUTPUT: usize = 60;

/// Renders again with a trace (only now, for output that did not parse) to find the tag that
/// wrote the byte where parsing stopped.
pub(super) fn broken_json(
    template: &Template,
    context: &Value,
    output: &str,
    error: &serde_json::Error,
) -> BrokenJson {
    let offset = output_offset(output, error.line(), error.column());
    let message = error.to_string();
    let reason = reason(&message);
    let quoted = output_line(output, offset);
    let traced = template.render_traced_json_escaped(context).ok();
    let span = traced
        .as_ref()
        .and_then(|traced| writer_of(&traced.spans, offset));
    let Some(span) = span else {
        return BrokenJson {
            by_escaping: false,
            tag: 0..0,
            message: format!("renders invalid JSON: {reason}"),
            output: quoted,
            help: None,
        };
    };
    let tag_text = template.source().get(span.tag.clone()).unwrap_or_default();
    let written = traced
        .as_ref()
        .and_then(|traced| traced.output.get(span.output.clone()))
        .unwrap_or_default();
    if span.kind == Written::Escaped && written.contains("\\&quot;") {
        let raw = triple_stashed(tag_text).unwrap_or_else(|| tag_text.to_string());
        return BrokenJson {
            by_escaping: true,
            tag: span.tag.clone(),
            message: format!(
                "`{tag_text}` writes `\\&quot;`, which is not JSON: it HTML-escapes the `\\\"` \
                 that JSON escaping made of a `\"` in the event's text"
            ),
            output: quoted,
            help: Some(format!(
                "use `{raw}`: event strings are JSON-escaped before a JSON template sees them"
            )),
        };
    }
    let writer = match span.kind {
        Written::Text => "the template's text".to_string(),
        Written::Escaped | Written::Raw => format!("`{tag_text}`"),
    };
    BrokenJson {
        by_escaping: false,
        tag: span.tag.clone(),
        message: format!("renders invalid JSON: {reason}, in what {writer} wrote"),
        output: quoted,
        help: None,
    }
}

/// serde_json's message without its `at line L column C`, which is about the output.
fn reason(message: &str) -> &str {
    message
        .rsplit_once(" at line ")
        .map_or(message, |(reason, _)| reason)
}

/// Where each line starts as serde_json counts lines: at `\n` only (a lone `\r` is no break
/// to it), so that its line and column and the quoted line agree.
fn serde_line_starts(output: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(output.match_indices('\n').map(|(at, _)| at + 1))
        .collect()
}

/// The byte offset of serde_json's 1-based line and column (columns count bytes).
fn output_offset(output: &str, line: usize, column: usize) -> usize {
    let starts = serde_line_starts(output);
    let start = starts
        .get(line.saturating_sub(1))
        .copied()
        .unwrap_or(output.len());
    start
        .saturating_add(column.saturating_sub(1))
        .min(output.len())
}

/// "line N reads `…`", cut to a window around `offset`.
fn output_line(output: &str, offset: usize) -> String {
    let starts = serde_line_starts(output);
    let line = crate::lines::containing(&starts, offset);
    let start = starts.get(line).copied().unwrap_or(0);
    let end = starts.get(line + 1).copied().unwrap_or(output.len());
    let text = output.get(start..end).unwrap_or_default().trim_end();
    let column = text
        .get(..offset.saturating_sub(start).min(text.len()))
        .map_or(0, |before| before.chars().count());
    let skip = column.saturating_sub(QUOTED_OUTPUT / 2);
    let window: String = text.chars().skip(skip).take(QUOTED_OUTPUT).collect();
    let more = text.chars().count() > skip + QUOTED_OUTPUT;
    format!(
        "line {} reads `{}{window}{}`",
        line + 1,
        if skip > 0 { "…" } else { "" },
        if more { "…" } else { "" }
    )
}

/// The run of output holding `offset`; at the very end, the last run.
fn writer_of(spans: &[OutputSpan], offset: usize) -> Option<&OutputSpan> {
    spans
        .iter()
        .find(|span| span.output.contains(&offset))
        .or_else(|| spans.iter().rev().find(|span| span.output.end <= offset))
}

/// `{{name}}` as `{{{name}}}` (keeping `~`); `None` for a tag that is not a plain `{{…}}`.
fn triple_stashed(tag: &str) -> Option<String> {
    let (open, inner) = tag
        .strip_prefix("{{~")
        .map(|inner| ("{{~", inner))
        .or_else(|| tag.strip_prefix("{{").map(|inner| ("{{", inner)))?;
    if inner.starts_with(['{', '&', '#', '/', '!', '^', '>']) {
        return None;
    }
    let (inner, close) = inner
        .strip_suffix("~}}")
        .map(|inner| (inner, "~}}"))
        .or_else(|| inner.strip_suffix("}}").map(|inner| (inner, "}}")))?;
    Some(format!("{open}{{{inner}}}{close}"))
}

/// `html-escape-in-json`, read from the template: each `{{path}}` inside a JSON string. An
/// event field's `'`, `&`, `<`, `>`, `=` and `` ` `` then arrive as HTML entities, and a `"` as
/// `\&quot;`, which breaks the JSON; `{{{path}}}` is the fix, since event strings are
/// JSON-escaped first. Form variables are not JSON-escaped, so for them `{{{…}}}` would break
/// on a `"` instead: the finding says so and offers no fix. `skip` holds the tags already
/// reported as breaking the JSON.
pub(super) fn html_escapes(
    s: &Subject,
    loaded: &super::hook::LoadedTemplate,
    skip: &[Range<usize>],
    out: &mut Vec<Diagnostic>,
) {
    let source = loaded.template.source();
    // Sets, not lists: a large template has tens of thousands of tags and references.
    let inside: BTreeSet<usize> = json_text::tags_in_strings(source)
        .into_iter()
        .filter_map(|(tag, inside)| inside.then_some(tag.start))
        .collect();
    let inside = |span: &Range<usize>| inside.contains(&span.start);
    let mut reported: BTreeSet<(usize, usize)> =
        skip.iter().map(|tag| (tag.start, tag.end)).collect();
    for reference in loaded.template.references() {
        if reference.output != Output::Escaped
            || !inside(&reference.span)
            || holds_no_escapable_text(&reference.parts)
            || !reported.insert((reference.span.start, reference.span.end))
        {
            continue;
        }
        let tag = source.get(reference.span.clone()).unwrap_or_default();
        let form_variable = reference.absolute
            && reference
                .parts
                .first()
                .is_some_and(|first| first == "formVariables");
        let finding = if form_variable {
            s.in_template(
                &HTML_ESCAPE_IN_JSON,
                &loaded.name,
                &loaded.file,
                reference.span.clone(),
                format!(
                    "`{tag}` HTML-escapes a form variable inside a JSON string (a `'` arrives as \
                     `&#x27;`); form variables are not JSON-escaped, so `{{{{{{…}}}}}}` would break \
                     the JSON on a `\"` in the value instead"
                ),
            )
        } else {
            let finding = s.in_template(
                &HTML_ESCAPE_IN_JSON,
                &loaded.name,
                &loaded.file,
                reference.span.clone(),
                format!(
                    "`{tag}` HTML-escapes event text inside a JSON string: a `'`, `&`, `<`, `>`, \
                     `=` or `` ` `` arrives as an HTML entity, and a `\"` as `\\&quot;`, which is \
                     not JSON"
                ),
            );
            match triple_stashed(tag) {
                Some(raw) => finding
                    .with_help(format!(
                        "use `{raw}`: event strings are JSON-escaped before a JSON template sees \
                         them"
                    ))
                    .with_fix(Fix {
                        message: format!("`{tag}` → `{raw}`"),
                        edits: vec![Edit {
                            span: reference.span.clone(),
                            replacement: raw,
                        }],
                    }),
                None => finding,
            }
        };
        out.push(finding);
    }
}

/// Event fields whose values LaunchDarkly restricts to characters HTML escaping leaves alone:
/// keys and ids (letters, digits, `.`, `_`, `-`), the event's `kind` and `verbKind`, and the
/// timestamps.
fn holds_no_escapable_text(parts: &[String]) -> bool {
    let last = parts.last().map(String::as_str);
    matches!(last, Some("key" | "_id" | "kind" | "verbKind"))
        || parts.first().is_some_and(|first| first == "timestamp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_tag_becomes_a_triple_stash() {
        assert_eq!(triple_stashed("{{name}}").as_deref(), Some("{{{name}}}"));
        assert_eq!(
            triple_stashed("{{~ a.b ~}}").as_deref(),
            Some("{{~{ a.b }~}}")
        );
        assert_eq!(triple_stashed("{{{name}}}"), None);
        assert_eq!(triple_stashed("{{#if a}}"), None);
    }

    #[test]
    fn the_output_line_is_quoted_around_the_break() {
        let output = "{\n  \"title\": \"a \\&quot;b\"\n}";
        let offset = output.find('&').expect("amp");
        assert_eq!(
            output_line(output, offset),
            "line 2 reads `  \"title\": \"a \\&quot;b\"`"
        );
        assert_eq!(output_offset(output, 2, 16), offset);
        assert_eq!(
            reason("invalid escape at line 2 column 16"),
            "invalid escape"
        );
        // serde_json breaks lines at `\n` only: a lone `\r` stays on its line.
        let with_cr = "[\"a\rb\",\n x]";
        assert_eq!(output_offset(with_cr, 2, 2), with_cr.find('x').expect("x"));
        assert!(output_line(with_cr, 1).starts_with("line 1 reads"));
    }
}

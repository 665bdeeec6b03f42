//! Where a JSON template's tags sit in the JSON it writes: inside a string literal or not,
//! judged from the template's own text. The text between tags is read as JSON would read it
//! (a `"` opens or closes a string, a `\` escapes the next character); a tag's output adds no
//! quote of its own, since event strings reach JSON templates JSON-escaped and `{{…}}` output
//! HTML-escapes `"`.

use std::ops::Range;

/// The byte ranges of the template's tags (`{{…}}`, `{{{…}}}`, comments included) and, for
/// each, whether it starts inside a JSON string literal.
pub(super) fn tags_in_strings(source: &str) -> Vec<(Range<usize>, bool)> {
    let mut tags = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut at = 0;
    let bytes = source.as_bytes();
    while let Some(&byte) = bytes.get(at) {
        if bytes.get(at..at + 2) == Some(b"{{") {
            let end = tag_end(source, at);
            tags.push((at..end, in_string));
            at = end;
            continue;
        }
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
        }
        at += 1;
    }
    tags
}

/// Where the tag opening at `start` ends: after its `}}` (`}}}` for a triple-stash, `--}}` for
/// a long comment), or at the end of the text if it never closes.
fn tag_end(source: &str, start: usize) -> usize {
    let rest = source.get(start..).unwrap_or_default();
    let close = if rest.starts_with("{{!--") {
        "--}}"
    } else if rest.starts_with("{{{") {
        "}}}"
    } else {
        "}}"
    };
    let from = if rest.starts_with("{{!--") { 5 } else { 2 };
    rest.get(from..)
        .and_then(|after| after.find(close))
        .map_or(source.len(), |found| start + from + found + close.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(source: &str) -> Vec<(&str, bool)> {
        tags_in_strings(source)
            .into_iter()
            .map(|(span, inside)| (&source[span], inside))
            .collect()
    }

    #[test]
    fn tags_between_quotes_are_inside_strings() {
        assert_eq!(
            inside(r#"{"a": "x {{name}} y", "b": {{{count}}}, "c": "{{{title}}}"}"#),
            [
                ("{{name}}", true),
                ("{{{count}}}", false),
                ("{{{title}}}", true)
            ]
        );
    }

    #[test]
    fn escaped_quotes_and_blocks_are_read_as_json_reads_them() {
        assert_eq!(
            inside(r#"{"a": "say \"{{what}}\"", {{#if b}}"b": "{{b}}"{{/if}} }"#),
            [
                ("{{what}}", true),
                ("{{#if b}}", false),
                ("{{b}}", true),
                ("{{/if}}", false)
            ]
        );
    }

    #[test]
    fn comments_and_unclosed_tags_end_where_they_end() {
        assert_eq!(
            inside(r#"{{!-- a "quoted" }} note --}}"{{x}}""#),
            [("{{!-- a \"quoted\" }} note --}}", false), ("{{x}}", true)]
        );
        assert_eq!(inside(r#""{{x"#), [("{{x", true)]);
    }
}

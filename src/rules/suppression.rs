//! `{{!-- ldhook-ignore LDH208: why --}}`: a template silences rules for itself. A comment is
//! the one place a template can say so without changing what it renders; JSON manifests have
//! none, so their findings are silenced in ldhook.toml instead.
//!
//! A suppression covers the findings about its template: those in the template file, and
//! those on the manifest member that names it (`templates.flag`, where `template-unreachable`
//! sits). One that silences nothing, or names no rule, is itself a finding, as ruff's RUF100
//! is, so that it cannot outlive the finding it was written for.

use std::ops::Range;
use std::sync::Arc;

use super::hook::LoadedTemplate;
use super::subject::{Subject, template_pointer};
use super::*;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::diagnostics::{Edit, Fix};
use crate::pointer::Pointer;

const DIRECTIVE: &str = "ldhook-ignore";

/// One rule a suppression names, as written.
#[derive(Debug)]
struct Named {
    text: String,
    /// Byte offsets in the template source.
    span: Range<usize>,
    rule: Option<&'static Rule>,
    used: bool,
}

#[derive(Debug)]
struct Suppression {
    /// The whole comment tag.
    tag: Range<usize>,
    /// The comment names the directive but not in the form read (`ldhook-ignore: X`,
    /// `LDHOOK-IGNORE X`, words before it): it silences nothing, and says so.
    malformed: bool,
    /// Where the directive's word is, for a suppression that names no rule at all.
    directive: Range<usize>,
    names: Vec<Named>,
}

/// Removes from `out` the findings each template's suppressions cover, then reports the
/// suppressions that covered nothing. Each template file once, however many names name it.
pub(super) fn apply(s: &Subject, templates: &[LoadedTemplate], out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<&str> = Vec::new();
    for loaded in templates {
        if seen.contains(&loaded.path.as_str()) {
            continue;
        }
        seen.push(&loaded.path);
        let mut suppressions = read(&loaded.file, &loaded.template.comments());
        if suppressions.is_empty() {
            continue;
        }
        let named_at: Vec<Pointer> = templates
            .iter()
            .filter(|t| t.path == loaded.path)
            .map(|t| template_pointer(&t.name))
            .collect();
        let manifest = &s.integration.document.source;
        out.retain(|finding| {
            let about = Arc::ptr_eq(&finding.file, &loaded.file)
                || (Arc::ptr_eq(&finding.file, manifest)
                    && finding
                        .pointer
                        .as_ref()
                        .is_some_and(|p| named_at.contains(p)));
            !(about && silence(&mut suppressions, finding.rule))
        });
        for suppression in &suppressions {
            report(s, loaded, suppression, out);
        }
    }
}

/// Marks the first suppression naming `rule` as used; false when none does.
fn silence(suppressions: &mut [Suppression], rule: &Rule) -> bool {
    let named = suppressions
        .iter_mut()
        .flat_map(|s| s.names.iter_mut())
        .find(|named| named.rule.is_some_and(|r| r.id == rule.id));
    match named {
        Some(named) => {
            named.used = true;
            true
        }
        None => false,
    }
}

/// The suppressions among a template's comments: a comment whose words start with
/// `ldhook-ignore`, then rule ids or names separated by commas or spaces, then an optional
/// `: reason`.
fn read(file: &SourceFile, comments: &[crate::engine::Comment]) -> Vec<Suppression> {
    let text = file.text();
    comments
        .iter()
        .filter_map(|comment| {
            let body = text.get(comment.body.clone())?;
            let lead = body.len() - body.trim_start().len();
            let well_formed = body
                .trim_start()
                .strip_prefix(DIRECTIVE)
                .filter(|rest| rest.chars().next().is_none_or(char::is_whitespace));
            let Some(rest) = well_formed else {
                // ASCII lower-casing keeps byte offsets, so the place found is the place written.
                let at = body.to_ascii_lowercase().find(DIRECTIVE)?;
                let start = comment.body.start + at;
                return Some(Suppression {
                    tag: comment.tag.clone(),
                    malformed: true,
                    directive: start..start + DIRECTIVE.len(),
                    names: Vec::new(),
                });
            };
            let directive_start = comment.body.start + lead;
            let list_start = directive_start + DIRECTIVE.len();
            let list = rest.split(':').next().unwrap_or_default();
            Some(Suppression {
                tag: comment.tag.clone(),
                malformed: false,
                directive: directive_start..list_start,
                names: names_in(list, list_start),
            })
        })
        .collect()
}

/// The words of `list` (which starts at byte `start`), split at commas and white space.
fn names_in(list: &str, start: usize) -> Vec<Named> {
    let mut names = Vec::new();
    let mut word_start = None;
    for (at, c) in list
        .char_indices()
        .chain(std::iter::once((list.len(), ' ')))
    {
        let separator = c == ',' || c.is_whitespace();
        match (word_start, separator) {
            (None, false) => word_start = Some(at),
            (Some(from), true) => {
                let word = list.get(from..at).unwrap_or_default();
                names.push(Named {
                    text: word.to_string(),
                    span: start + from..start + at,
                    rule: crate::registry::find(word),
                    used: false,
                });
                word_start = None;
            }
            _ => {}
        }
    }
    names
}

fn report(
    s: &Subject,
    loaded: &LoadedTemplate,
    suppression: &Suppression,
    out: &mut Vec<Diagnostic>,
) {
    let finding = |span: Range<usize>, message: String| {
        s.in_template(
            &UNUSED_SUPPRESSION,
            &loaded.name,
            &loaded.file,
            span,
            message,
        )
    };
    let text = loaded.file.text();
    let whole = remove_tag(text, &suppression.tag);
    if suppression.malformed {
        out.push(finding(
            suppression.directive.clone(),
            format!(
                "this comment is not read as a suppression: `{DIRECTIVE}` must open the comment, in lower case, followed by the rules: `{{{{!-- {DIRECTIVE} LDH217: why --}}}}`"
            ),
        ));
        return;
    }
    if suppression.names.is_empty() {
        out.push(
            finding(
                suppression.directive.clone(),
                format!("`{DIRECTIVE}` names no rule: write `{DIRECTIVE} LDH208: why`"),
            )
            .with_fix(whole),
        );
        return;
    }
    let idle: Vec<usize> = (0..suppression.names.len())
        .filter(|&i| suppression.names.get(i).is_some_and(|n| !n.used))
        .collect();
    let all_idle = idle.len() == suppression.names.len();
    for &index in &idle {
        let Some(named) = suppression.names.get(index) else {
            continue;
        };
        let message = match named.rule {
            None => format!(
                "`{}` is not a rule ldhook knows; run `ldhook rules` to list them",
                named.text
            ),
            Some(rule) => format!(
                "`{DIRECTIVE} {}` silences nothing: this template has no {} {} finding",
                named.text, rule.id, rule.name
            ),
        };
        let fix = if all_idle {
            whole.clone()
        } else {
            remove_name(&suppression.names, index, &named.text)
        };
        out.push(finding(named.span.clone(), message).with_fix(fix));
    }
}

/// Deletes the comment, and its line when the comment stands alone on it.
fn remove_tag(text: &str, tag: &Range<usize>) -> Fix {
    let line_start = text
        .get(..tag.start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |at| at + 1);
    let line_end = text
        .get(tag.end..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |at| tag.end + at + 1);
    let blank = |range: Range<usize>| {
        text.get(range)
            .is_some_and(|part| part.chars().all(char::is_whitespace))
    };
    let span = if blank(line_start..tag.start) && blank(tag.end..line_end) {
        line_start..line_end
    } else {
        tag.clone()
    };
    Fix {
        message: "remove the suppression".to_string(),
        edits: vec![Edit {
            span,
            replacement: String::new(),
        }],
    }
}

/// Deletes one name of a list that keeps others, with the separator that joins it to them.
fn remove_name(names: &[Named], index: usize, text: &str) -> Fix {
    let before = index.checked_sub(1).and_then(|i| names.get(i));
    let span = match (names.get(index), names.get(index + 1), before) {
        (Some(this), Some(next), _) => this.span.start..next.span.start,
        (Some(this), None, Some(previous)) => previous.span.end..this.span.end,
        (Some(this), None, None) => this.span.clone(),
        (None, ..) => 0..0,
    };
    Fix {
        message: format!("remove `{text}` from the suppression"),
        edits: vec![Edit {
            span,
            replacement: String::new(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Template;

    /// A suppression as the test reads it: its tag, and each name with the rule it found.
    type Seen = (String, Vec<(String, Option<&'static str>)>);

    fn suppressions(source: &str) -> Vec<Seen> {
        let file = SourceFile::new("t.json", source);
        let template = Template::compile(source).expect("compiles");
        read(&file, &template.comments())
            .into_iter()
            .map(|s| {
                let names = s
                    .names
                    .iter()
                    .map(|n| {
                        assert_eq!(&source[n.span.clone()], n.text);
                        (n.text.clone(), n.rule.map(|r| r.id))
                    })
                    .collect();
                (source[s.tag].to_string(), names)
            })
            .collect()
    }

    #[test]
    fn reads_ids_names_and_lists_up_to_the_reason() {
        let source = "{{!-- ldhook-ignore LDH208: routed by hand --}}\
                      {{! ldhook-ignore html-escape-in-json, LDH999 LDH216 }}\
                      {{!-- ldhook-ignored LDH208 --}}{{!-- see ldhook-ignore LDH208 --}}\
                      {{!-- an ordinary comment --}}";
        assert_eq!(
            suppressions(source),
            [
                (
                    "{{!-- ldhook-ignore LDH208: routed by hand --}}".to_string(),
                    vec![("LDH208".to_string(), Some("LDH208"))]
                ),
                (
                    "{{! ldhook-ignore html-escape-in-json, LDH999 LDH216 }}".to_string(),
                    vec![
                        ("html-escape-in-json".to_string(), Some("LDH217")),
                        ("LDH999".to_string(), None),
                        ("LDH216".to_string(), Some("LDH216")),
                    ]
                ),
                ("{{!-- ldhook-ignored LDH208 --}}".to_string(), vec![]),
                ("{{!-- see ldhook-ignore LDH208 --}}".to_string(), vec![]),
            ]
        );
        let file = SourceFile::new("t.json", source);
        let template = Template::compile(source).expect("compiles");
        let malformed: Vec<bool> = read(&file, &template.comments())
            .iter()
            .map(|s| s.malformed)
            .collect();
        assert_eq!(malformed, [false, false, true, true]);
    }

    #[test]
    fn a_directive_without_rules_has_no_names() {
        assert_eq!(
            suppressions("{{!-- ldhook-ignore --}}"),
            [("{{!-- ldhook-ignore --}}".to_string(), vec![])]
        );
    }

    #[test]
    fn removing_a_standalone_suppression_takes_its_line() {
        let text = "{\n  {{!-- ldhook-ignore LDH208 --}}\n  \"a\": 1\n}\n";
        let start = text.find("{{!").expect("comment");
        let end = text.find("--}}").expect("close") + 4;
        let fixed = remove_tag(text, &(start..end))
            .apply(text)
            .expect("applies");
        assert_eq!(fixed, "{\n  \"a\": 1\n}\n");
        let inline = "{\"a\": 1}{{! ldhook-ignore LDH208 }}\n";
        let start = inline.find("{{!").expect("comment");
        let fixed = remove_tag(inline, &(start..inline.len() - 1))
            .apply(inline)
            .expect("applies");
        assert_eq!(fixed, "{\"a\": 1}\n");
    }

    #[test]
    fn removing_one_name_keeps_the_others_and_their_separators() {
        let source = "{{! ldhook-ignore LDH208, LDH217 LDH216: why }}";
        let file = SourceFile::new("t", source);
        let template = Template::compile(source).expect("compiles");
        let found = read(&file, &template.comments());
        let names = &found.first().expect("one").names;
        let apply = |i: usize| remove_name(names, i, "x").apply(source).expect("applies");
        assert_eq!(apply(0), "{{! ldhook-ignore LDH217 LDH216: why }}");
        assert_eq!(apply(1), "{{! ldhook-ignore LDH208, LDH216: why }}");
        assert_eq!(apply(2), "{{! ldhook-ignore LDH208, LDH217: why }}");
    }

    proptest::proptest! {
        /// Whatever follows the directive, each name read is a whole word of the comment and
        /// its span slices to it.
        #[test]
        fn names_are_words_of_the_comment(words in "[ ,:A-Za-z0-9\\-é]{0,40}") {
            let source = format!("{{{{!-- ldhook-ignore {words} --}}}}");
            let file = SourceFile::new("t", source.as_str());
            let Ok(template) = Template::compile(&source) else {
                return Ok(());
            };
            for suppression in read(&file, &template.comments()) {
                for named in &suppression.names {
                    proptest::prop_assert_eq!(source.get(named.span.clone()), Some(named.text.as_str()));
                    proptest::prop_assert!(!named.text.contains([',', ' ', ':']));
                }
            }
        }
    }
}

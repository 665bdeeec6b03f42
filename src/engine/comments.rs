//! The comments a template holds, for the rules that read directives written in them
//! (`{{!-- ldhook-ignore LDH217: why --}}`). Handlebars.js renders nothing for a comment, so
//! a comment is the one place a template can speak to a checker without changing its output.

use std::ops::Range;

use super::ast::{Program, Statement};

/// One comment: `{{! … }}` or `{{!-- … --}}`, with or without `~`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Byte offsets of the whole tag in the template source, braces included.
    pub tag: Range<usize>,
    /// Byte offsets of what the comment says: inside the delimiters, not trimmed.
    pub body: Range<usize>,
}

/// The comments of `program` in source order, with the statements visited to find them.
pub(super) fn collect(source: &str, program: &Program) -> (Vec<Comment>, u64) {
    let mut found = Vec::new();
    let visited = every_statement(program, &mut |statement| {
        if let Statement::Comment(_, span) = statement {
            let tag = span.range();
            let body = body_of(span.text(source), tag.start);
            found.push(Comment { tag, body });
        }
    });
    // An inverted block's parts are held swapped; source order is the order of the tags.
    found.sort_by_key(|comment| comment.tag.start);
    (found, visited)
}

/// Calls `visit` on every statement of `program` and of every program nested in its blocks
/// and partial blocks; the count of statements visited.
fn every_statement(program: &Program, visit: &mut dyn FnMut(&Statement)) -> u64 {
    let mut visited = 0;
    for statement in &program.body {
        visited += 1;
        visit(statement);
        let nested: [Option<&Program>; 2] = match statement {
            Statement::Block(block) => [block.program.as_ref(), block.inverse.as_ref()],
            Statement::PartialBlock(block) => [Some(&block.program), None],
            _ => [None, None],
        };
        for program in nested.into_iter().flatten() {
            // One nesting level down: the parser bounds the depth, not the calling thread's
            // stack.
            visited += super::with_stack(|| every_statement(program, visit));
        }
    }
    visited
}

/// Where the words of a comment tag `tag` (starting at byte `start`) are: after `{{`, `~`,
/// `!` and `--`, before `--`, `~` and `}}`. The lexer only makes comment tokens of that shape.
fn body_of(tag: &str, start: usize) -> Range<usize> {
    let open = ["{{~!--", "{{!--", "{{~!", "{{!"]
        .into_iter()
        .find(|open| tag.starts_with(open))
        .map_or(0, str::len);
    let long = open >= "{{!--".len();
    let closes: &[&str] = if long {
        &["--~}}", "--}}"]
    } else {
        &["~}}", "}}"]
    };
    let close = closes
        .iter()
        .find(|close| tag.ends_with(*close))
        .map_or(0, |close| close.len());
    let end = tag.len().saturating_sub(close);
    // The opener's dashes may close the comment too (`{{!--}}`): then it says nothing.
    start + open.min(end)..start + end
}

#[cfg(test)]
mod tests {
    use crate::engine::Template;

    fn comments(source: &str) -> Vec<(&str, &str)> {
        Template::compile(source)
            .expect("compiles")
            .comments()
            .into_iter()
            .map(|c| (&source[c.tag], &source[c.body]))
            .collect()
    }

    #[test]
    fn every_comment_in_every_block_with_its_words_between_the_delimiters() {
        let source = "{{! short }}a{{#if x}}{{!-- long --}}{{else}}{{~! tilde ~}}{{/if}}\
                      {{#each xs}}{{#with y}}{{~!-- deep --~}}{{/with}}{{/each}}{{!}}";
        assert_eq!(
            comments(source),
            [
                ("{{! short }}", " short "),
                ("{{!-- long --}}", " long "),
                ("{{~! tilde ~}}", " tilde "),
                ("{{~!-- deep --~}}", " deep "),
                ("{{!}}", ""),
            ]
        );
    }

    #[test]
    fn a_comment_closed_by_its_opener_s_dashes_says_nothing() {
        assert_eq!(
            comments("{{!--}}{{!---}}{{~!--~}}"),
            [("{{!--}}", ""), ("{{!---}}", ""), ("{{~!--~}}", "")]
        );
    }

    #[test]
    fn a_template_without_comments_has_none() {
        assert_eq!(comments("{{a}} {{#if b}}c{{/if}}"), []);
    }
}

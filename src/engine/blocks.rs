//! The block helper calls a template makes, for rules about how blocks are written: which
//! helper, where its opening tag is, and where its `{{else}}` is. Production renders some
//! helpers differently from the preview (the framework's Go renderer has an `equal` without
//! an else), and only the template's shape shows it.

use std::ops::Range;

use super::ast::{Block, Program, Span, Statement};

/// One block: `{{#name …}}…{{/name}}`, `{{^name …}}…{{/name}}`, `{{{{name}}}}…{{{{/name}}}}`,
/// or one link `{{else name …}}` of an else chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockCall {
    /// The name the block is opened with, as written: `if` of `{{#if a}}` and of
    /// `{{else if a}}`, `items` of the section `{{#items}}`.
    pub name: String,
    /// Byte offsets in the template source of the opening tag, braces and block parameters
    /// included; for a link of an else chain, its `{{else name …}}` tag.
    pub tag: Range<usize>,
    /// Byte offsets of the tag that starts the block's other part: `{{else}}`, `{{^}}`, or
    /// the `{{else name …}}` of a chain that continues it. `None` without one.
    pub else_tag: Option<Range<usize>>,
    /// Opened with `{{^name}}`: the first part renders when the value is falsy.
    pub inverted: bool,
    /// A link of an else chain: `{{else name …}}`, which Handlebars.js reads as a block
    /// nested in the other part of the block before it.
    pub chained: bool,
}

/// The blocks of `program` in source order, with the statements visited to find them.
pub(super) fn collect(source: &str, program: &Program) -> (Vec<BlockCall>, u64) {
    let mut walk = Walk {
        source,
        found: Vec::new(),
        visited: 0,
    };
    walk.program(program);
    (walk.found, walk.visited)
}

struct Walk<'s> {
    source: &'s str,
    found: Vec<BlockCall>,
    visited: u64,
}

impl Walk<'_> {
    fn program(&mut self, program: &Program) {
        for statement in &program.body {
            self.visited += 1;
            match statement {
                // A decorator is no block call, yet an inline partial's body renders
                // wherever the partial is called: its blocks are the template's.
                Statement::Block(block) if block.decorator => {
                    for body in [&block.program, &block.inverse].into_iter().flatten() {
                        self.nested(body);
                    }
                }
                Statement::Block(block) => self.block(block, program.chained),
                Statement::PartialBlock(block) => self.nested(&block.program),
                _ => {}
            }
        }
    }

    fn block(&mut self, block: &Block, chained: bool) {
        let tag = block.open_tag();
        let inverted = opens_inverted(tag.text(self.source));
        self.found.push(BlockCall {
            name: block.sexpr.head.name(),
            tag: tag.range(),
            else_tag: block.inverse_tag.map(Span::range),
            inverted,
            chained,
        });
        // Parsing swaps an inverted block's parts: its `inverse` is the part written first.
        let (first, second) = if inverted {
            (&block.inverse, &block.program)
        } else {
            (&block.program, &block.inverse)
        };
        for program in [first, second].into_iter().flatten() {
            self.nested(program);
        }
    }

    /// One nesting level down: the parser bounds the depth, not the stack of the calling
    /// thread.
    fn nested(&mut self, program: &Program) {
        super::with_stack(|| self.program(program));
    }
}

/// `{{^name …}}` or `{{~^name …}}`.
fn opens_inverted(tag: &str) -> bool {
    let after_braces = tag.strip_prefix("{{").unwrap_or_default();
    after_braces
        .strip_prefix('~')
        .unwrap_or(after_braces)
        .starts_with('^')
}

#[cfg(test)]
mod tests {
    use crate::engine::Template;

    /// A block as the test reads it: name, opening tag, else tag, inverted, chained.
    type Seen<'s> = (String, &'s str, Option<&'s str>, bool, bool);

    fn blocks(source: &str) -> Vec<Seen<'_>> {
        Template::compile(source)
            .expect("compiles")
            .blocks()
            .into_iter()
            .map(|b| {
                (
                    b.name,
                    &source[b.tag],
                    b.else_tag.map(|at| &source[at]),
                    b.inverted,
                    b.chained,
                )
            })
            .collect()
    }

    #[test]
    fn each_block_names_its_helper_its_tag_and_its_else() {
        let source = "{{#equal a b}}x{{~ else ~}}y{{/equal}}\
                      {{#if c}}1{{else if d}}2{{^}}3{{/if}}\
                      {{#each xs as |x|}}{{x}}{{/each}}\
                      {{{{raw}}}}{{z}}{{{{/raw}}}}";
        assert_eq!(
            blocks(source),
            [
                (
                    "equal".into(),
                    "{{#equal a b}}",
                    Some("{{~ else ~}}"),
                    false,
                    false
                ),
                (
                    "if".into(),
                    "{{#if c}}",
                    Some("{{else if d}}"),
                    false,
                    false
                ),
                ("if".into(), "{{else if d}}", Some("{{^}}"), false, true),
                ("each".into(), "{{#each xs as |x|}}", None, false, false),
                ("raw".into(), "{{{{raw}}}}", None, false, false),
            ]
        );
    }

    /// Parsing swaps an inverted block's parts; its blocks are still listed as written.
    /// An inline partial's body renders where the partial is called: its blocks count; the
    /// decorator itself is no block call.
    #[test]
    fn blocks_inside_inline_partials_are_found() {
        let source = "{{#*inline \"p\"}}{{#equal a b}}x{{else}}y{{/equal}}{{/inline}}{{> p}}";
        assert_eq!(
            blocks(source),
            [(
                "equal".into(),
                "{{#equal a b}}",
                Some("{{else}}"),
                false,
                false
            )]
        );
    }

    #[test]
    fn inverted_blocks_keep_source_order() {
        let source =
            "{{~^a}}{{#b}}{{/b}}{{else equal p q}}{{#c}}{{/c}}{{/a}}{{#> p}}{{#d}}{{/d}}{{/p}}";
        assert_eq!(
            blocks(source),
            [
                (
                    "a".into(),
                    "{{~^a}}",
                    Some("{{else equal p q}}"),
                    true,
                    false
                ),
                ("b".into(), "{{#b}}", None, false, false),
                ("equal".into(), "{{else equal p q}}", None, false, true),
                ("c".into(), "{{#c}}", None, false, false),
                ("d".into(), "{{#d}}", None, false, false),
            ]
        );
    }
}

//! Handlebars.js's WhitespaceControl pass: `~` stripping, and removal of the line that holds
//! only a block tag, `{{else}}`, a comment or a partial ("standalone" lines).
//!
//! A port of `compiler/whitespace-control.js`; its quirks (which inverse a chained `{{else if}}`
//! consults, what counts as white space) are kept because output depends on them.

use super::ast::{Block, Content, Program, Statement, Strip};
use super::text::is_js_space as is_space;

/// Strips `program`, whose text is in `source`; returns the statements and bytes examined.
pub(super) fn strip(source: &str, program: &mut Program) -> u64 {
    let mut pass = Pass { source, work: 0 };
    pass.visit_program(program, true);
    pass.work
}

/// Text is spans of the source: stripping moves where a statement's value starts or ends,
/// without copying it.
struct Pass<'s> {
    source: &'s str,
    work: u64,
}

/// The `~` flags of a block's three tags: `{{~#x~}}`, `{{~else~}}` and `{{~/x~}}`.
#[derive(Clone, Copy)]
struct BlockTags {
    open: Strip,
    inverse: Strip,
    close: Strip,
}

#[derive(Default)]
struct StripInfo {
    open: bool,
    close: bool,
    open_standalone: bool,
    close_standalone: bool,
    inline_standalone: bool,
}

impl Pass<'_> {
    /// Recurses once per nesting level: bounded by the parser, yet run on threads whose stack
    /// may be small.
    fn visit_program(&mut self, program: &mut Program, is_root: bool) {
        super::with_stack(|| self.visit_statements(program, is_root));
    }

    fn visit_statements(&mut self, program: &mut Program, is_root: bool) {
        let body = &mut program.body;
        for i in 0..body.len() {
            self.work += 1;
            let Some(statement) = body.get_mut(i) else {
                continue;
            };
            if let Some(strip) = self.visit_statement(statement) {
                self.strip_around(body, i, is_root, &strip);
            }
        }
    }

    /// Strips inside `statement`; returns what it asks of the text around it, or `None` for
    /// content, which asks nothing.
    fn visit_statement(&mut self, statement: &mut Statement) -> Option<StripInfo> {
        Some(match statement {
            Statement::Block(block) => self.visit_block(block),
            Statement::Mustache(m) => StripInfo {
                open: m.strip.open,
                close: m.strip.close,
                ..StripInfo::default()
            },
            Statement::Decorator(_) => StripInfo::default(),
            Statement::Comment(strip, _) => StripInfo {
                open: strip.open,
                close: strip.close,
                inline_standalone: true,
                ..StripInfo::default()
            },
            Statement::Partial(partial) => StripInfo {
                open: partial.strip.open,
                close: partial.strip.close,
                inline_standalone: true,
                ..StripInfo::default()
            },
            Statement::PartialBlock(block) => {
                self.visit_program(&mut block.program, false);
                StripInfo {
                    open: block.partial.strip.open,
                    close: block.close_strip.close,
                    open_standalone: self.is_next_whitespace(&block.program.body, None, false),
                    close_standalone: self.is_prev_whitespace(&block.program.body, None, false),
                    ..StripInfo::default()
                }
            }
            Statement::Content(_) => return None,
        })
    }

    /// Strips the content beside `body[i]` as `strip` asks: `~` first, then a standalone
    /// line, which loses its white space up to and including its newline.
    fn strip_around(&mut self, body: &mut [Statement], i: usize, is_root: bool, strip: &StripInfo) {
        let prev_ws = self.is_prev_whitespace(body, Some(i), is_root);
        let next_ws = self.is_next_whitespace(body, Some(i), is_root);
        let open_standalone = strip.open_standalone && prev_ws;
        let close_standalone = strip.close_standalone && next_ws;
        let inline_standalone = strip.inline_standalone && prev_ws && next_ws;

        if strip.close {
            self.omit_right(body, Some(i), true);
        }
        if strip.open {
            self.omit_left(body, Some(i), true);
        }
        if inline_standalone {
            self.omit_right(body, Some(i), false);
            if self.omit_left(body, Some(i), false) {
                self.save_indent(body, i);
            }
        }
        if open_standalone {
            if let Some(first) = body.get_mut(i).and_then(first_program) {
                self.omit_right(&mut first.body, None, false);
            }
            self.omit_left(body, Some(i), false);
        }
        if close_standalone {
            self.omit_right(body, Some(i), false);
            if let Some(last) = body.get_mut(i).and_then(last_program) {
                self.omit_left(&mut last.body, None, false);
            }
        }
    }

    fn visit_block(&mut self, block: &mut Block) -> StripInfo {
        if let Some(program) = block.program.as_mut() {
            self.visit_program(program, false);
        }
        if let Some(inverse) = block.inverse.as_mut() {
            self.visit_program(inverse, false);
        }
        let tags = BlockTags {
            open: block.open_strip,
            inverse: block.inverse_strip.unwrap_or_default(),
            close: block.close_strip.unwrap_or_default(),
        };
        // `program` is block.program || block.inverse; `inverse` exists only beside a program.
        match (block.program.as_mut(), block.inverse.as_mut()) {
            (Some(program), Some(inverse)) => self.strip_with_inverse(program, inverse, tags),
            (Some(program), None) | (None, Some(program)) => {
                self.strip_without_inverse(program, tags)
            }
            (None, None) => StripInfo::default(),
        }
    }

    /// A block with one body: `~` inside its open and close tags strips that body's ends.
    fn strip_without_inverse(&mut self, program: &mut Program, tags: BlockTags) -> StripInfo {
        let strip = StripInfo {
            open: tags.open.open,
            close: tags.close.close,
            open_standalone: self.is_next_whitespace(&program.body, None, false),
            close_standalone: self.is_prev_whitespace(&program.body, None, false),
            ..StripInfo::default()
        };
        if tags.open.close {
            self.omit_right(&mut program.body, None, true);
        }
        if tags.close.open {
            self.omit_left(&mut program.body, None, true);
        }
        strip
    }

    /// A block with an `{{else}}`: its tag's `~` strips the bodies on either side, and a
    /// standalone `{{else}}` line goes.
    fn strip_with_inverse(
        &mut self,
        program: &mut Program,
        inverse: &mut Program,
        tags: BlockTags,
    ) -> StripInfo {
        let first_inverse = if inverse.chained {
            chain_first(inverse)
        } else {
            Some(&*inverse)
        };
        let close_reference = first_inverse.map_or(&program.body, |p| &p.body);
        let strip = StripInfo {
            open: tags.open.open,
            close: tags.close.close,
            open_standalone: self.is_next_whitespace(&program.body, None, false),
            close_standalone: self.is_prev_whitespace(close_reference, None, false),
            ..StripInfo::default()
        };
        if tags.open.close {
            self.omit_right(&mut program.body, None, true);
        }
        if tags.inverse.open {
            self.omit_left(&mut program.body, None, true);
        }
        if tags.inverse.close
            && let Some(first) = first_inverse_mut(inverse)
        {
            self.omit_right(&mut first.body, None, true);
        }
        if tags.close.open
            && let Some(last) = self.last_inverse_mut(inverse)
        {
            self.omit_left(&mut last.body, None, true);
        }
        self.strip_standalone_else(program, inverse);
        strip
    }

    /// A standalone partial remembers the spaces and tabs that ended the line before it,
    /// as they were written: Handlebars.js indents each line the partial writes with them.
    fn save_indent(&mut self, body: &mut [Statement], i: usize) {
        let Some(Statement::Content(prev)) = i.checked_sub(1).and_then(|p| body.get(p)) else {
            return;
        };
        let original = prev.original;
        let text = original.text(self.source);
        let kept = text.trim_end_matches([' ', '\t']).len();
        let indent = original.shrink(kept, 0);
        self.work += super::work::bytes(indent.len()) + 1;
        if let Some(Statement::Partial(partial)) = body.get_mut(i) {
            partial.indent = indent;
        }
    }

    /// `{{else}}` alone on its line: the line goes, from the end of the body before it to
    /// the newline that ends it.
    fn strip_standalone_else(&mut self, program: &mut Program, inverse: &mut Program) {
        let else_standalone = self.is_prev_whitespace(&program.body, None, false)
            && match first_inverse_mut(inverse) {
                Some(first) => self.is_next_whitespace(&first.body, None, false),
                None => false,
            };
        if else_standalone {
            self.omit_left(&mut program.body, None, false);
            if let Some(first) = first_inverse_mut(inverse) {
                self.omit_right(&mut first.body, None, false);
            }
        }
    }

    /// Walks `lastInverse.body[last].program` while the inverse is chained.
    fn last_inverse_mut<'p>(&mut self, inverse: &'p mut Program) -> Option<&'p mut Program> {
        let mut current = inverse;
        while current.chained {
            self.work += 1;
            match current.body.last_mut() {
                Some(Statement::Block(block)) => match block.program.as_mut() {
                    Some(program) => current = program,
                    None => return None,
                },
                _ => return None,
            }
        }
        Some(current)
    }

    /// The text a content statement was written with.
    fn original(&self, content: &Content) -> &str {
        content.original.text(self.source)
    }

    fn is_prev_whitespace(&mut self, body: &[Statement], i: Option<usize>, is_root: bool) -> bool {
        let i = i.unwrap_or(body.len());
        let Some(prev) = i.checked_sub(1).and_then(|p| body.get(p)) else {
            return is_root;
        };
        let has_sibling = i >= 2;
        match prev {
            Statement::Content(content) => {
                let text = self.original(content);
                let trailing = &text[text.trim_end_matches(is_space).len()..];
                let (trailing_len, whole) = (trailing.len(), trailing.len() == text.len());
                let newline = trailing.contains('\n');
                self.work += 2 * super::work::bytes(trailing_len) + 1;
                newline || (!has_sibling && is_root && whole)
            }
            _ => false,
        }
    }

    fn is_next_whitespace(&mut self, body: &[Statement], i: Option<usize>, is_root: bool) -> bool {
        let next_index = i.map_or(0, |i| i + 1);
        let Some(next) = body.get(next_index) else {
            return is_root;
        };
        let has_sibling = body.len() > next_index + 1;
        match next {
            Statement::Content(content) => {
                let text = self.original(content);
                let leading = &text[..text.len() - text.trim_start_matches(is_space).len()];
                let (leading_len, whole) = (leading.len(), leading.len() == text.len());
                let newline = leading.contains('\n');
                self.work += 2 * super::work::bytes(leading_len) + 1;
                newline || (!has_sibling && is_root && whole)
            }
            _ => false,
        }
    }

    fn omit_right(&mut self, body: &mut [Statement], i: Option<usize>, multiple: bool) {
        let index = i.map_or(0, |i| i + 1);
        let Some(Statement::Content(current)) = body.get_mut(index) else {
            return;
        };
        if !multiple && current.right_stripped {
            return;
        }
        let value = current.value.text(self.source);
        let rest = if multiple {
            value.trim_start_matches(is_space)
        } else {
            // `/^[ \t]*\r?\n?/`: a lone `\r` ends a standalone line too.
            let rest = value.trim_start_matches([' ', '\t']);
            let rest = rest.strip_prefix('\r').unwrap_or(rest);
            rest.strip_prefix('\n').unwrap_or(rest)
        };
        let stripped = value.len() - rest.len();
        self.work += super::work::bytes(stripped) + 1;
        current.value = current.value.shrink(stripped, 0);
        current.right_stripped = stripped != 0;
    }

    fn omit_left(&mut self, body: &mut [Statement], i: Option<usize>, multiple: bool) -> bool {
        let index = match i {
            None => body.len().checked_sub(1),
            Some(i) => i.checked_sub(1),
        };
        let Some(Statement::Content(current)) = index.and_then(|index| body.get_mut(index)) else {
            return false;
        };
        if !multiple && current.left_stripped {
            return false;
        }
        let value = current.value.text(self.source);
        let rest = if multiple {
            value.trim_end_matches(is_space)
        } else {
            value.trim_end_matches([' ', '\t'])
        };
        let stripped = value.len() - rest.len();
        self.work += super::work::bytes(stripped) + 1;
        current.value = current.value.shrink(0, stripped);
        current.left_stripped = stripped != 0;
        current.left_stripped
    }
}

/// `current.program || current.inverse`
fn first_program(statement: &mut Statement) -> Option<&mut Program> {
    match statement {
        Statement::Block(block) => block.program.as_mut().or(block.inverse.as_mut()),
        Statement::PartialBlock(block) => Some(&mut block.program),
        _ => None,
    }
}

/// `current.inverse || current.program`
fn last_program(statement: &mut Statement) -> Option<&mut Program> {
    match statement {
        Statement::Block(block) => block.inverse.as_mut().or(block.program.as_mut()),
        Statement::PartialBlock(block) => Some(&mut block.program),
        _ => None,
    }
}

/// For a chain, `inverse.body[0].program`.
fn chain_first(inverse: &Program) -> Option<&Program> {
    match inverse.body.first() {
        Some(Statement::Block(block)) => block.program.as_ref(),
        _ => None,
    }
}

fn first_inverse_mut(inverse: &mut Program) -> Option<&mut Program> {
    if !inverse.chained {
        return Some(inverse);
    }
    match inverse.body.first_mut() {
        Some(Statement::Block(block)) => block.program.as_mut(),
        _ => None,
    }
}

//! Handlebars.js's WhitespaceControl pass: `~` stripping, and removal of the line that holds
//! only a block tag, `{{else}}`, a comment or a partial ("standalone" lines).
//!
//! A port of `compiler/whitespace-control.js`; its quirks (which inverse a chained `{{else if}}`
//! consults, what counts as white space) are kept because output depends on them.

use super::ast::{Block, Program, Statement};

pub fn strip(program: &mut Program) {
    visit_program(program, true);
}

#[derive(Default)]
struct StripInfo {
    open: bool,
    close: bool,
    open_standalone: bool,
    close_standalone: bool,
    inline_standalone: bool,
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Recurses once per nesting level: bounded by the parser, yet run on threads whose stack may
/// be small.
fn visit_program(program: &mut Program, is_root: bool) {
    super::with_stack(|| visit_statements(program, is_root));
}

fn visit_statements(program: &mut Program, is_root: bool) {
    let body = &mut program.body;
    for i in 0..body.len() {
        let Some(statement) = body.get_mut(i) else {
            continue;
        };
        let strip = match statement {
            Statement::Block(block) => visit_block(block),
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
                visit_program(&mut block.program, false);
                StripInfo {
                    open: block.partial.strip.open,
                    close: block.close_strip.close,
                    open_standalone: is_next_whitespace(&block.program.body, None, false),
                    close_standalone: is_prev_whitespace(&block.program.body, None, false),
                    ..StripInfo::default()
                }
            }
            Statement::Content(_) => continue,
        };
        let prev_ws = is_prev_whitespace(body, Some(i), is_root);
        let next_ws = is_next_whitespace(body, Some(i), is_root);
        let open_standalone = strip.open_standalone && prev_ws;
        let close_standalone = strip.close_standalone && next_ws;
        let inline_standalone = strip.inline_standalone && prev_ws && next_ws;

        if strip.close {
            omit_right(body, Some(i), true);
        }
        if strip.open {
            omit_left(body, Some(i), true);
        }
        if inline_standalone {
            omit_right(body, Some(i), false);
            omit_left(body, Some(i), false);
        }
        if open_standalone {
            if let Some(first) = body.get_mut(i).and_then(first_program) {
                omit_right(&mut first.body, None, false);
            }
            omit_left(body, Some(i), false);
        }
        if close_standalone {
            omit_right(body, Some(i), false);
            if let Some(last) = body.get_mut(i).and_then(last_program) {
                omit_left(&mut last.body, None, false);
            }
        }
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

fn visit_block(block: &mut Block) -> StripInfo {
    if let Some(program) = block.program.as_mut() {
        visit_program(program, false);
    }
    if let Some(inverse) = block.inverse.as_mut() {
        visit_program(inverse, false);
    }
    let has_program = block.program.is_some();
    let open_strip = block.open_strip;
    let close_strip = block.close_strip.unwrap_or_default();
    let inverse_strip = block.inverse_strip.unwrap_or_default();

    // `program` is block.program || block.inverse; `inverse` exists only beside a program.
    let (program, inverse) = match (block.program.as_mut(), block.inverse.as_mut()) {
        (Some(p), inverse) => (p, inverse),
        (None, Some(i)) => (i, None),
        (None, None) => return StripInfo::default(),
    };
    debug_assert!(has_program || inverse.is_none());

    let Some(inverse) = inverse else {
        let strip = StripInfo {
            open: open_strip.open,
            close: close_strip.close,
            open_standalone: is_next_whitespace(&program.body, None, false),
            close_standalone: is_prev_whitespace(&program.body, None, false),
            ..StripInfo::default()
        };
        if open_strip.close {
            omit_right(&mut program.body, None, true);
        }
        if close_strip.open {
            omit_left(&mut program.body, None, true);
        }
        return strip;
    };

    let chained = inverse.chained;
    let strip = {
        let first_inverse = if chained {
            chain_first(inverse)
        } else {
            Some(&*inverse)
        };
        let close_reference = first_inverse.map_or(&program.body, |p| &p.body);
        StripInfo {
            open: open_strip.open,
            close: close_strip.close,
            open_standalone: is_next_whitespace(&program.body, None, false),
            close_standalone: is_prev_whitespace(close_reference, None, false),
            ..StripInfo::default()
        }
    };
    if open_strip.close {
        omit_right(&mut program.body, None, true);
    }
    if inverse_strip.open {
        omit_left(&mut program.body, None, true);
    }
    if inverse_strip.close
        && let Some(first) = first_inverse_mut(inverse)
    {
        omit_right(&mut first.body, None, true);
    }
    if close_strip.open
        && let Some(last) = last_inverse_mut(inverse)
    {
        omit_left(&mut last.body, None, true);
    }
    let else_standalone = is_prev_whitespace(&program.body, None, false)
        && first_inverse_mut(inverse)
            .is_some_and(|first| is_next_whitespace(&first.body, None, false));
    if else_standalone {
        omit_left(&mut program.body, None, false);
        if let Some(first) = first_inverse_mut(inverse) {
            omit_right(&mut first.body, None, false);
        }
    }
    strip
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

/// Walks `lastInverse.body[last].program` while the inverse is chained.
fn last_inverse_mut(inverse: &mut Program) -> Option<&mut Program> {
    let mut current = inverse;
    while current.chained {
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

fn is_prev_whitespace(body: &[Statement], i: Option<usize>, is_root: bool) -> bool {
    let i = i.unwrap_or(body.len());
    let Some(prev) = i.checked_sub(1).and_then(|p| body.get(p)) else {
        return is_root;
    };
    let has_sibling = i >= 2;
    match prev {
        Statement::Content(content) => {
            let text = &content.original;
            let trailing = &text[text.trim_end_matches(is_space).len()..];
            trailing.contains('\n') || (!has_sibling && is_root && trailing.len() == text.len())
        }
        _ => false,
    }
}

fn is_next_whitespace(body: &[Statement], i: Option<usize>, is_root: bool) -> bool {
    let next_index = i.map_or(0, |i| i + 1);
    let Some(next) = body.get(next_index) else {
        return is_root;
    };
    let has_sibling = body.len() > next_index + 1;
    match next {
        Statement::Content(content) => {
            let text = &content.original;
            let leading = &text[..text.len() - text.trim_start_matches(is_space).len()];
            leading.contains('\n') || (!has_sibling && is_root && leading.len() == text.len())
        }
        _ => false,
    }
}

fn omit_right(body: &mut [Statement], i: Option<usize>, multiple: bool) {
    let index = i.map_or(0, |i| i + 1);
    let Some(Statement::Content(current)) = body.get_mut(index) else {
        return;
    };
    if !multiple && current.right_stripped {
        return;
    }
    let before = current.value.len();
    if multiple {
        current.value = current.value.trim_start_matches(is_space).to_string();
    } else {
        let rest = current.value.trim_start_matches([' ', '\t']);
        let rest = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest);
        current.value = rest.to_string();
    }
    current.right_stripped = current.value.len() != before;
}

fn omit_left(body: &mut [Statement], i: Option<usize>, multiple: bool) -> bool {
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
    let before = current.value.len();
    current.value = if multiple {
        current.value.trim_end_matches(is_space).to_string()
    } else {
        current.value.trim_end_matches([' ', '\t']).to_string()
    };
    current.left_stripped = current.value.len() != before;
    current.left_stripped
}

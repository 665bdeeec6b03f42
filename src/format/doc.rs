//! The part of Prettier 2.2.1's document printer (`src/document/doc-printer.js`) that JSON
//! uses: text, concatenation, indentation, groups and lines. A group is printed flat when it and
//! what follows it up to the next line break fit in the print width, else broken; a group
//! that must break (a hard line inside it, or an object written expanded) breaks every group
//! around it, as Prettier's `propagateBreaks` does, which here is settled when the group is made.

const PRINT_WIDTH: usize = 80;
const INDENT: &str = "  ";

#[derive(Debug, Clone)]
pub(crate) enum Doc {
    Text(String),
    Concat(Vec<Doc>),
    Indent(Box<Doc>),
    Group { contents: Box<Doc>, broken: bool },
    Line(LineKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// A space when flat.
    Line,
    /// Nothing when flat.
    Soft,
    /// Always a line break, and it breaks the groups around it.
    Hard,
}

impl Doc {
    pub(crate) fn text(text: impl Into<String>) -> Doc {
        Doc::Text(text.into())
    }

    /// A group breaks when asked to or when anything in it must break.
    pub(crate) fn group(contents: Vec<Doc>, should_break: bool) -> Doc {
        let contents = Doc::Concat(contents);
        let broken = should_break || must_break(&contents);
        Doc::Group {
            contents: Box::new(contents),
            broken,
        }
    }

    pub(crate) fn indent(contents: Vec<Doc>) -> Doc {
        Doc::Indent(Box::new(Doc::Concat(contents)))
    }
}

/// Nested groups have settled their own breaking already, so the walk stops at them.
fn must_break(doc: &Doc) -> bool {
    match doc {
        Doc::Text(_) => false,
        Doc::Concat(parts) => parts.iter().any(must_break),
        Doc::Indent(contents) => must_break(contents),
        Doc::Group { broken, .. } => *broken,
        Doc::Line(kind) => *kind == LineKind::Hard,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

type Command<'a> = (usize, Mode, &'a Doc);

/// The document as text. Iterative, like Prettier's, so depth costs no stack.
pub(crate) fn print(doc: &Doc) -> String {
    let mut out = String::new();
    let mut column = 0usize;
    let mut commands: Vec<Command<'_>> = vec![(0, Mode::Break, doc)];
    while let Some((indent, mode, doc)) = commands.pop() {
        match doc {
            Doc::Text(text) => {
                out.push_str(text);
                column = column.saturating_add(width(text));
            }
            Doc::Concat(parts) => {
                commands.extend(parts.iter().rev().map(|part| (indent, mode, part)));
            }
            Doc::Indent(contents) => commands.push((indent.saturating_add(1), mode, contents)),
            Doc::Group { contents, broken } => {
                let flat = (indent, Mode::Flat, contents.as_ref());
                let fits_flat = mode == Mode::Flat
                    || (!*broken && fits(flat, &commands, PRINT_WIDTH.saturating_sub(column)));
                if fits_flat && !*broken {
                    commands.push(flat);
                } else {
                    commands.push((indent, Mode::Break, contents));
                }
            }
            Doc::Line(kind) => match (mode, kind) {
                (Mode::Flat, LineKind::Line) => {
                    out.push(' ');
                    column = column.saturating_add(1);
                }
                (Mode::Flat, LineKind::Soft) => {}
                _ => {
                    let kept = out.trim_end_matches([' ', '\t']).len();
                    out.truncate(kept);
                    out.push('\n');
                    out.push_str(&INDENT.repeat(indent));
                    column = indent.saturating_mul(INDENT.len());
                }
            },
        }
    }
    out
}

/// Prettier's `fits`: whether `next`, then the commands waiting after it up to the first line
/// they break at, take no more than `room` columns.
fn fits(next: Command<'_>, rest: &[Command<'_>], room: usize) -> bool {
    let mut room = room;
    let mut waiting = rest.iter().rev();
    let mut commands = vec![next];
    loop {
        let Some((indent, mode, doc)) = commands.pop().or_else(|| waiting.next().copied()) else {
            return true;
        };
        match doc {
            Doc::Text(text) => match room.checked_sub(width(text)) {
                Some(left) => room = left,
                None => return false,
            },
            Doc::Concat(parts) => {
                commands.extend(parts.iter().rev().map(|part| (indent, mode, part)));
            }
            Doc::Indent(contents) => commands.push((indent, mode, contents)),
            Doc::Group { contents, broken } => {
                commands.push((indent, if *broken { Mode::Break } else { mode }, contents));
            }
            Doc::Line(kind) => match (mode, kind) {
                (Mode::Flat, LineKind::Line) => match room.checked_sub(1) {
                    Some(left) => room = left,
                    None => return false,
                },
                (Mode::Flat, LineKind::Soft) => {}
                _ => return true,
            },
        }
    }
}

/// Columns a string takes as Prettier measures them (`string-width`): control and combining
/// characters take none, wide East Asian characters and emoji two.
pub(crate) fn width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let code = u32::from(c);
    if code < 0x20 || (0x7F..=0x9F).contains(&code) || (0x300..=0x36F).contains(&code) {
        0
    } else if is_wide(code) {
        2
    } else {
        1
    }
}

fn is_wide(code: u32) -> bool {
    matches!(code,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

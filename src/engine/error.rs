//! Engine errors: what went wrong, and where in the template.

use std::fmt;

/// The kinds the reference distinguishes, so callers and tests can tell a typo in a template
/// from a missing field in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template is not valid Handlebars.
    Parse,
    /// Strict mode: a mustache names a field the context does not have.
    StrictMissing,
    /// A partial that is not defined.
    MissingPartial,
    /// A helper refused its arguments (`#if` with two parameters, `#each` with none).
    HelperException,
    /// What JavaScript would throw as a TypeError (a property of undefined, calling a value
    /// that is not a function).
    TypeError,
    /// What JavaScript would throw as a RangeError (an invalid date).
    RangeError,
    /// Rendering went past its [`EvalBudget`](super::EvalBudget): ldhook's own limit, which
    /// Handlebars.js does not have, so that no template can run for hours or fill memory.
    LimitExceeded,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::StrictMissing => "strict-missing",
            ErrorKind::MissingPartial => "missing-partial",
            ErrorKind::HelperException => "helper-exception",
            ErrorKind::TypeError => "js-TypeError",
            ErrorKind::RangeError => "js-RangeError",
            ErrorKind::LimitExceeded => "limit-exceeded",
        }
    }
}

/// A 1-based line and column in the template source, counted as Handlebars.js counts them
/// (see the engine's line index): its `line:column` error suffixes and ours agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplatePosition {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
    pub position: Option<TemplatePosition>,
    /// Byte offsets of the failing mustache or path in the template source.
    pub span: Option<(usize, usize)>,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        EngineError {
            kind,
            message: message.into(),
            position: None,
            span: None,
        }
    }

    /// Records where the error is; its line and column are worked out only if it is reported
    /// (see [`EngineError::located`]).
    pub(crate) fn at_span(mut self, start: usize, end: usize) -> Self {
        self.span = Some((start, end));
        self
    }

    /// Fills in the line and column of the span, once the error leaves the engine.
    pub(crate) fn located(mut self, source: &str, lines: &LineIndex) -> (Self, u64) {
        let mut scanned = 0;
        if let (None, Some((start, _))) = (self.position, self.span) {
            let (position, cost) = lines.position(source, start);
            self.position = Some(position);
            scanned = cost;
        }
        (self, scanned)
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}: {}", p.line, p.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for EngineError {}

/// Lines and columns of a template source, found by binary search.
///
/// Handlebars.js takes positions from its jison-generated lexer, which counts a line at each
/// `\r\n`, `\r` or `\n` (`/(?:\r\n?|\n).*/g`) and columns in JavaScript string units: UTF-16
/// code units. So does this index. (Jison's column also stops short of a U+2028 or U+2029
/// after a line break in the same token, a quirk of its `.`; that is not reproduced.)
///
/// Built in one pass over the source; each position then costs a binary search and a count
/// of at most [`CHECKPOINT`] bytes, however many positions are asked for and in what order.
#[derive(Debug)]
pub(crate) struct LineIndex {
    /// Where each line starts.
    line_starts: Vec<usize>,
    /// UTF-16 code units before each multiple of [`CHECKPOINT`] bytes; empty for an ASCII
    /// source, where a column is a difference of byte offsets.
    units_before: Vec<u32>,
}

/// Bytes between the index's counts of UTF-16 units: a column is counted from the nearest.
pub(super) const CHECKPOINT: usize = 64;

/// The UTF-16 code units a byte of UTF-8 starts: none for a continuation byte, two for the
/// lead of a four-byte sequence (a surrogate pair), else one. Summing this over bytes counts
/// units without decoding, from any byte offset.
fn utf16_units(byte: u8) -> u32 {
    match byte {
        0x80..=0xBF => 0,
        0xF0..=0xFF => 2,
        _ => 1,
    }
}

fn units_in(bytes: &[u8]) -> u32 {
    bytes.iter().map(|&b| utf16_units(b)).sum()
}

/// Offsets are `u32` for a source of at most `MAX_SOURCE_BYTES`.
fn narrow(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl LineIndex {
    pub(crate) fn new(source: &str) -> LineIndex {
        let bytes = source.as_bytes();
        let line_starts = crate::lines::starts(source);
        let mut units_before = Vec::new();
        if !source.is_ascii() {
            units_before.reserve(bytes.len() / CHECKPOINT + 1);
            let mut units = 0u32;
            for block in bytes.chunks(CHECKPOINT) {
                units_before.push(units);
                units = units.saturating_add(units_in(block));
            }
        }
        LineIndex {
            line_starts,
            units_before,
        }
    }

    /// The bytes [`LineIndex::new`] examines for `source`.
    pub(crate) fn build_cost(source: &str) -> u64 {
        u64::try_from(source.len()).unwrap_or(u64::MAX)
    }

    /// The position of `offset` (moved back to a character boundary), and the work it took:
    /// bytes counted plus binary search steps.
    pub(crate) fn position(&self, source: &str, offset: usize) -> (TemplatePosition, u64) {
        self.position_near(source, offset, &mut 0)
    }

    /// [`LineIndex::position`], looking first at the line `*hint` and the one after it, and
    /// leaving there the line found: offsets asked for in order (the paths of a template, one
    /// after another) are mostly found without a search.
    pub(crate) fn position_near(
        &self,
        source: &str,
        offset: usize,
        hint: &mut usize,
    ) -> (TemplatePosition, u64) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let holds = |line: usize| {
            let starts = |l: usize| self.line_starts.get(l).copied();
            starts(line).is_some_and(|start| start <= offset)
                && starts(line + 1).is_none_or(|next| offset < next)
        };
        let (line, searched) = match [*hint, *hint + 1].into_iter().find(|&l| holds(l)) {
            Some(line) => (line, 1),
            None => (
                crate::lines::containing(&self.line_starts, offset),
                u64::from(usize::BITS - self.line_starts.len().leading_zeros()),
            ),
        };
        *hint = line;
        let line_start = self.line_starts.get(line).copied().unwrap_or(0);
        let (at_offset, counted) = self.units_at(source, offset);
        let (at_line, line_counted) = self.units_at(source, line_start);
        let position = TemplatePosition {
            line: line + 1,
            column: at_offset.saturating_sub(at_line) as usize + 1,
        };
        (position, counted + line_counted + searched)
    }

    /// UTF-16 units before `offset`, and the bytes counted to know.
    fn units_at(&self, source: &str, offset: usize) -> (u32, u64) {
        if self.units_before.is_empty() {
            return (narrow(offset), 0);
        }
        let block = offset / CHECKPOINT;
        let from = block * CHECKPOINT;
        let before = self.units_before.get(block).copied().unwrap_or(0);
        let tail = source.as_bytes().get(from..offset).unwrap_or_default();
        (
            before.saturating_add(units_in(tail)),
            u64::try_from(tail.len()).unwrap_or(u64::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines and columns the slow way: every character from the start, as jison's lexer sees
    /// them.
    fn counted(source: &str, offset: usize) -> TemplatePosition {
        let mut at = TemplatePosition { line: 1, column: 1 };
        for (i, c) in source[..offset].char_indices() {
            if c == '\n' || (c == '\r' && !source[i + 1..].starts_with('\n')) {
                at = TemplatePosition {
                    line: at.line + 1,
                    column: 1,
                };
            } else {
                at.column += c.len_utf16();
            }
        }
        at
    }

    #[test]
    fn the_index_agrees_with_counting_from_the_start() {
        let source = format!(
            "a{{{{b}}}}\r\n é{{{{#if c}}}}\r\r\n\n{{{{/if}}}}日本😀{{{{d}}}}\r{}x",
            "😀é".repeat(200)
        );
        let index = LineIndex::new(&source);
        let offsets: Vec<usize> = (0..=source.len())
            .filter(|&o| source.is_char_boundary(o))
            .collect();
        let mut hint = 0;
        for &offset in offsets.iter().chain(offsets.iter().rev()) {
            let expected = counted(&source, offset);
            assert_eq!(index.position(&source, offset).0, expected, "at {offset}");
            let (near, _) = index.position_near(&source, offset, &mut hint);
            assert_eq!(near, expected, "near, at {offset}");
        }
        let lf_only = source.replace('\r', "");
        let index = LineIndex::new(&lf_only);
        for offset in (0..=lf_only.len()).filter(|&o| lf_only.is_char_boundary(o)) {
            assert_eq!(
                index.position(&lf_only, offset).0,
                counted(&lf_only, offset),
                "at {offset} without \\r"
            );
        }
    }

    /// What Handlebars.js 4.7.8 reports for `{{x}}` missing from the context after these
    /// prefixes (its column is 0-based; ours is 1-based).
    #[test]
    fn lines_and_columns_are_handlebars_js_s() {
        for (prefix, line, column) in [
            ("a\r", 2, 2),
            ("a\r\n", 2, 2),
            ("a\n\r", 3, 2),
            ("a\r\r", 3, 2),
            ("😀", 1, 4),
        ] {
            let source = format!("{prefix}{{{{x}}}}");
            let offset = source.find('x').expect("x");
            let (position, _) = LineIndex::new(&source).position(&source, offset);
            assert_eq!(
                (position.line, position.column - 1),
                (line, column),
                "{prefix:?}"
            );
        }
    }

    #[test]
    fn a_position_costs_at_most_two_checkpoints_and_a_search() {
        for source in ["x".repeat(1 << 20), "é".repeat(1 << 19)] {
            let index = LineIndex::new(&source);
            let (_, cost) = index.position(&source, source.len() - 2);
            assert!(cost <= 2 * CHECKPOINT as u64 + 64, "{cost}");
        }
    }
}

//! Source text and the one place where byte offsets become line:column.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// A 1-based line and a 1-based column counted in Unicode scalar values, which is what editors
/// show and what SARIF calls `unicodeCodePoints`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub start: Position,
    pub end: Position,
    pub bytes: Range<usize>,
}

impl Location {
    pub(crate) fn is_multiline(&self) -> bool {
        self.start.line != self.end.line
    }
}

/// A file as it was read; its line index is built the first time a position is asked for,
/// so a file without findings never pays for one.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    index: OnceLock<LineIndex>,
}

#[derive(Debug)]
struct LineIndex {
    line_starts: Vec<usize>,
    /// Every character wider than one byte: its offset, and the extra bytes of all such
    /// characters up to and including it. A column is then a subtraction and a binary search,
    /// not a count, so a million findings on one long line cost no more than on many lines.
    wide: Vec<(usize, usize)>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut extra = 0;
        let wide = text
            .char_indices()
            .filter(|(_, c)| !c.is_ascii())
            .map(|(at, c)| {
                extra += c.len_utf8() - 1;
                (at, extra)
            })
            .collect();
        LineIndex {
            line_starts: crate::lines::starts(text),
            wide,
        }
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let line_start = self.index().line_starts.get(line).copied().unwrap_or(0);
        let bytes = offset.saturating_sub(line_start);
        let wide_bytes = self.extra_before(offset) - self.extra_before(line_start);
        Position {
            line: line + 1,
            column: bytes - wide_bytes + 1,
        }
    }

    /// The extra bytes of the wide characters that start before `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        let index = self.index().wide.partition_point(|&(at, _)| at < offset);
        index
            .checked_sub(1)
            .and_then(|i| self.index().wide.get(i))
            .map_or(0, |&(_, extra)| extra)
    }

    pub fn location(&self, bytes: Range<usize>) -> Location {
        Location {
            start: self.position(bytes.start),
            end: self.position(bytes.end),
            bytes,
        }
    }

    /// Byte range of the whole line holding `offset`, without its line break.
    pub(crate) fn line_range(&self, offset: usize) -> Range<usize> {
        self.line_bytes(self.line_index(offset.min(self.text.len())))
    }

    /// Byte range of line `index` (0-based), without its line break.
    pub(crate) fn line_bytes(&self, index: usize) -> Range<usize> {
        let line_starts = &self.index().line_starts;
        let start = line_starts.get(index).copied().unwrap_or(self.text.len());
        let next = line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..next).unwrap_or_default();
        let content = line.trim_end_matches(['\n', '\r']).len();
        start..start + content
    }

    /// The 0-based index of the line holding `offset`.
    pub(crate) fn line_index(&self, offset: usize) -> usize {
        crate::lines::containing(&self.index().line_starts, offset)
    }

    pub fn line_count(&self) -> usize {
        self.index().line_starts.len()
    }

    /// `span` narrowed to character boundaries of the text, so that any span, even one made
    /// from raw bytes, can be sliced and shown.
    pub(crate) fn clamp(&self, span: Range<usize>) -> Range<usize> {
        let start = self.floor_char_boundary(span.start.min(self.text.len()));
        let end = self.ceil_char_boundary(span.end.min(self.text.len()).max(start));
        start..end
    }

    fn floor_char_boundary(&self, mut at: usize) -> usize {
        while at > 0 && !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn ceil_char_boundary(&self, mut at: usize) -> usize {
        while at < self.text.len() && !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

/// Where each line starts. A line ends at `\n`, `\r\n` or a lone `\r`, as editors and the
/// JSON and Handlebars grammars count them.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let file = SourceFile::new("m.json", "{\n  \"é\": 1\n}");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        let one = file.text().find('1').expect("digit");
        assert_eq!(file.position(one), Position { line: 2, column: 8 });
        assert_eq!(
            file.position(file.text().len()),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn line_range_excludes_the_line_break() {
        let file = SourceFile::new("m.json", "ab\r\ncd\nef");
        assert_eq!(&file.text()[file.line_range(1)], "ab");
        assert_eq!(&file.text()[file.line_range(5)], "cd");
        assert_eq!(&file.text()[file.line_range(8)], "ef");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let file = SourceFile::new("m.json", "a\rb\r\nc\nd");
        let lines: Vec<_> = (0..file.line_count())
            .map(|i| &file.text()[file.line_bytes(i)])
            .collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(file.position(2), Position { line: 2, column: 1 });
        assert_eq!(file.position(5), Position { line: 3, column: 1 });
    }

    #[test]
    fn columns_count_characters_on_every_kind_of_line() {
        let text = "aé\r\n€𝄞b\rc\n\n日本語x";
        let file = SourceFile::new("m.json", text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line = file.line_index(offset);
            let start = file.line_bytes(line).start;
            let naive = text[start..offset].chars().count() + 1;
            assert_eq!(file.position(offset).column, naive, "at {offset}");
        }
    }

    #[test]
    fn any_span_is_clamped_to_characters() {
        let file = SourceFile::new("m.json", "\u{FFFD}x");
        assert_eq!(file.clamp(1..2), 0..3);
        assert_eq!(file.clamp(7..9), 4..4);
        assert_eq!(file.position(99), Position { line: 1, column: 3 });
    }
}

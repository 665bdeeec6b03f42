//! Source text and the one place where byte offsets become line:column.

use std::ops::Range;
use std::sync::Arc;

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
    pub fn is_multiline(&self) -> bool {
        self.start.line != self.end.line
    }
}

/// A file as it was read, with the offsets of its line starts.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        Position {
            line: line + 1,
            column: self.text[line_start..offset].chars().count() + 1,
        }
    }

    pub fn location(&self, bytes: Range<usize>) -> Location {
        Location {
            start: self.position(bytes.start),
            end: self.position(bytes.end),
            bytes,
        }
    }

    /// Byte range of the whole line holding `offset`, without its line break.
    pub fn line_range(&self, offset: usize) -> Range<usize> {
        let line = self.position(offset).line - 1;
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    fn floor_char_boundary(&self, mut at: usize) -> usize {
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

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
}

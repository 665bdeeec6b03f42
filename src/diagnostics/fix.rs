//! What a finding would change to remove its cause: replacements of byte ranges of the file it
//! is in, applied together or not at all (after ruff's `Edit` and `Fix`).

use std::ops::Range;

/// Replace `span` of the file with `replacement` (an empty span inserts, an empty replacement
/// deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the edits do, as `--fix` reports it.
    pub message: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixError {
    #[error("an edit reaches byte {end}, past the end of the file ({len} bytes)")]
    OutOfBounds { end: usize, len: usize },
    #[error("an edit at byte {at} is not on a character boundary")]
    NotOnCharacter { at: usize },
    #[error("two edits overlap at byte {at}")]
    Overlap { at: usize },
}

impl Fix {
    /// `text` with every edit made. Edits may come in any order but must not overlap: two fixes
    /// that touch the same bytes cannot both be right.
    pub fn apply(&self, text: &str) -> Result<String, FixError> {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        let mut out = String::with_capacity(text.len());
        let mut copied_to = 0;
        for edit in edits {
            let Range { start, end } = edit.span.clone();
            if end > text.len() || start > end {
                return Err(FixError::OutOfBounds {
                    end,
                    len: text.len(),
                });
            }
            if start < copied_to {
                return Err(FixError::Overlap { at: start });
            }
            let (Some(before), true) = (text.get(copied_to..start), text.is_char_boundary(end))
            else {
                let at = if text.is_char_boundary(start) {
                    end
                } else {
                    start
                };
                return Err(FixError::NotOnCharacter { at });
            };
            out.push_str(before);
            out.push_str(&edit.replacement);
            copied_to = end;
        }
        out.push_str(text.get(copied_to..).unwrap_or_default());
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(Range<usize>, &str)]) -> Fix {
        Fix {
            message: "test".to_string(),
            edits: edits
                .iter()
                .map(|(span, replacement)| Edit {
                    span: span.clone(),
                    replacement: (*replacement).to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn applies_replacements_insertions_and_deletions_in_any_order() {
        let text = r#"{"a": 1, "b": 2}"#;
        let applied = fix(&[(14..15, "3"), (1..4, "\"x\""), (7..14, "")]).apply(text);
        assert_eq!(applied, Ok(r#"{"x": 13}"#.to_string()));
        assert_eq!(fix(&[(0..0, " ")]).apply("{}"), Ok(" {}".to_string()));
    }

    #[test]
    fn refuses_edits_that_overlap_or_leave_the_text() {
        assert_eq!(
            fix(&[(0..3, "x"), (2..4, "y")]).apply("abcdef"),
            Err(FixError::Overlap { at: 2 })
        );
        assert_eq!(
            fix(&[(4..9, "")]).apply("abcdef"),
            Err(FixError::OutOfBounds { end: 9, len: 6 })
        );
        assert_eq!(
            fix(&[(1..2, "")]).apply("é"),
            Err(FixError::NotOnCharacter { at: 1 })
        );
    }
}

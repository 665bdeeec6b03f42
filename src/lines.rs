//! Where lines start: the one definition behind every line number ldhook prints, for manifests
//! and templates alike. A line ends at `\n`, `\r\n` or a lone `\r`, as Handlebars.js's lexer
//! (`/(?:\r\n?|\n)/`) and the editors partners use count them. A leaf module: columns are
//! counted by each caller in its own unit (characters for files, UTF-16 units for templates).

/// The byte offset at which each line starts; the first is 0.
pub(crate) fn starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    if bytes.contains(&b'\r') {
        for (at, &byte) in bytes.iter().enumerate() {
            let breaks = match byte {
                b'\n' => true,
                b'\r' => bytes.get(at + 1) != Some(&b'\n'),
                _ => false,
            };
            if breaks {
                starts.push(at + 1);
            }
        }
    } else {
        // Only `\n` breaks lines: a byte search finds them faster than a look at each byte.
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
    }
    starts
}

/// The line (from 0) that holds `offset`, by binary search over [`starts`].
pub(crate) fn containing(starts: &[usize], offset: usize) -> usize {
    starts
        .partition_point(|&start| start <= offset)
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_crlf_and_a_lone_cr_each_end_a_line() {
        assert_eq!(starts("a\nb\r\nc\rd"), [0, 2, 5, 7]);
        assert_eq!(starts(""), [0]);
        assert_eq!(starts("\r\r\n\n"), [0, 1, 3, 4]);
        assert_eq!(starts("no break"), [0]);
    }

    #[test]
    fn an_offset_is_on_the_line_that_starts_at_or_before_it() {
        let starts = starts("ab\ncd\n");
        assert_eq!(containing(&starts, 0), 0);
        assert_eq!(containing(&starts, 2), 0);
        assert_eq!(containing(&starts, 3), 1);
        assert_eq!(containing(&starts, 6), 2);
        assert_eq!(containing(&starts, 100), 2);
    }
}

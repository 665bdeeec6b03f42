//! "Did you mean …?" for misspelt names.

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let length = word.chars().count();
    candidates
        .into_iter()
        // The distance is at least the difference in length, so a long word is never compared.
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| {
            (
                edit_distance(&word_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The one candidate that is closest to `word` and close enough, or `None` when none is or two
/// are equally close: a rename `--fix` may make without asking which was meant.
pub fn unambiguous<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    let mut tied = false;
    for candidate in candidates {
        if candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = edit_distance(&word_lower, &candidate.to_lowercase());
        if distance > limit {
            continue;
        }
        match best {
            Some((closest, _)) if distance > closest => {}
            Some((closest, _)) if distance == closest => tied = true,
            _ => {
                best = Some((distance, candidate));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, candidate)| candidate)
}

/// Levenshtein distance, one row at a time.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for ((cb, &diagonal), &above) in b.iter().zip(&previous).zip(previous.iter().skip(1)) {
            let left = current.last().copied().unwrap_or(i + 1);
            let substitution = diagonal + usize::from(ca != *cb);
            current.push(substitution.min(above + 1).min(left + 1));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let names = ["url", "method", "headers", "hmacSignature"];
        assert_eq!(closest("header", names), Some("headers"));
        assert_eq!(closest("Method", names), Some("method"));
        assert_eq!(closest("colour", names), None);
        assert_eq!(closest("x", names), None);
    }

    #[test]
    fn only_a_single_closest_candidate_is_unambiguous() {
        let names = ["url", "method", "headers", "hmacSignature"];
        assert_eq!(unambiguous("header", names), Some("headers"));
        assert_eq!(unambiguous("colour", ["color", "colours"]), None);
        assert_eq!(unambiguous("colour", ["color", "column"]), Some("color"));
        assert_eq!(unambiguous("x", names), None);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}

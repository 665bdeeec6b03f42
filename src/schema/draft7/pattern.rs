//! Regular expressions as `jsonschema` 0.61 builds and runs them (its `regex.rs`,
//! `keywords/pattern.rs` and `properties.rs`): ECMA-262 patterns translated by
//! `jsonschema_regex`, literal shapes matched without an engine, byte sequences, leading
//! lookaheads split into plain regexes, and `fancy_regex` for the rest. Each distinct pattern is
//! built on first use and kept; one never reached is never built.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use jsonschema_regex::{PatternAnalysis, RepeatedClass, Search, Sequence};

use super::Abort;

/// Where a pattern is used: `pattern` tries one more shape than `patternProperties` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Use {
    Pattern,
    PropertyKey,
}

/// The patterns of one schema document, found by the load-time scan and built lazily.
#[derive(Debug, Default)]
pub(super) struct Patterns(HashMap<String, Slots>);

/// One pattern's matcher for each use, built on first use.
#[derive(Debug, Default)]
struct Slots {
    pattern: OnceLock<Option<Matcher>>,
    key: OnceLock<Option<Matcher>>,
}

impl Slots {
    fn for_use(&self, use_: Use) -> &OnceLock<Option<Matcher>> {
        match use_ {
            Use::Pattern => &self.pattern,
            Use::PropertyKey => &self.key,
        }
    }
}

impl Patterns {
    pub(super) fn contains(&self, pattern: &str) -> bool {
        self.0.contains_key(pattern)
    }

    pub(super) fn add(&mut self, pattern: &str) {
        if !self.0.contains_key(pattern) {
            self.0.insert(pattern.to_string(), Slots::default());
        }
    }

    pub(super) fn is_match(&self, use_: Use, pattern: &str, text: &str) -> Result<bool, Abort> {
        let slots = self
            .0
            .get(pattern)
            .ok_or_else(|| Abort::new(format!("the pattern `{pattern}` was not scanned")))?;
        let matcher = slots
            .for_use(use_)
            .get_or_init(|| Matcher::build(use_, pattern));
        matcher
            .as_ref()
            .ok_or_else(|| Abort::new(format!("the pattern `{pattern}` does not compile")))?
            .is_match(text)
            .ok_or_else(|| Abort::new(format!("the pattern `{pattern}` cannot decide `{text}`")))
    }
}

/// What the load-time scan can tell cheaply: `jsonschema` builds every pattern it accepts here
/// (the rare one whose engine build fails anyway sends the check to `jsonschema`).
pub(super) fn is_buildable(pattern: &str) -> bool {
    jsonschema_regex::analyze_pattern(pattern).is_some()
        || jsonschema_regex::to_rust_regex(pattern).is_ok()
}

#[derive(Debug)]
pub(super) enum Matcher {
    Prefix(String),
    Exact(String),
    Alternation(Vec<String>),
    NoWhitespace,
    Sequence(Lazy),
    AllMatch(Vec<Part>),
    Fancy(Compiled<fancy_regex::Regex>),
}

#[derive(Debug)]
pub(super) enum Part {
    Sequence(Lazy),
    Regex(Compiled<regex::Regex>),
}

#[derive(Debug)]
pub(super) enum Compiled<R> {
    RepeatedClass(RepeatedClass),
    Engine(R),
}

/// A byte sequence, with the translated pattern's `regex` built only for subjects it cannot decide.
#[derive(Debug)]
pub(super) struct Lazy {
    sequence: Sequence,
    translated: String,
    regex: OnceLock<Option<regex::Regex>>,
}

impl Matcher {
    fn build(use_: Use, pattern: &str) -> Option<Matcher> {
        if let Some(literal) = jsonschema_regex::analyze_pattern(pattern) {
            return Some(match literal {
                PatternAnalysis::Prefix(prefix) => Matcher::Prefix(prefix.into_owned()),
                PatternAnalysis::Exact(exact) => Matcher::Exact(exact.into_owned()),
                PatternAnalysis::Alternation(items) => Matcher::Alternation(items),
                PatternAnalysis::NoWhitespace => Matcher::NoWhitespace,
            });
        }
        if let Some(lazy) = sequence(pattern) {
            return Some(Matcher::Sequence(lazy));
        }
        if use_ == Use::Pattern
            && let Some(parts) = all_match(pattern)
        {
            return Some(Matcher::AllMatch(parts));
        }
        let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
        compiled(pattern, &translated, |text| {
            fancy_regex::Regex::new(text).ok()
        })
        .map(Matcher::Fancy)
    }

    /// `None`: the engine could not finish (its backtrack limit) or failed.
    fn is_match(&self, text: &str) -> Option<bool> {
        match self {
            Matcher::Prefix(prefix) => Some(text.starts_with(prefix.as_str())),
            Matcher::Exact(exact) => Some(text == exact),
            Matcher::Alternation(items) => Some(items.iter().any(|item| item == text)),
            Matcher::NoWhitespace => Some(!jsonschema_regex::contains_ecma_whitespace(text)),
            Matcher::Sequence(lazy) => lazy.is_match(text),
            Matcher::AllMatch(parts) => all_parts_match(parts, text),
            Matcher::Fancy(Compiled::RepeatedClass(class)) => Some(class.is_match(text)),
            Matcher::Fancy(Compiled::Engine(regex)) => {
                catch_unwind(AssertUnwindSafe(|| regex.is_match(text).ok())).ok()?
            }
        }
    }
}

fn all_parts_match(parts: &[Part], text: &str) -> Option<bool> {
    for part in parts {
        let matched = match part {
            Part::Sequence(lazy) => lazy.is_match(text)?,
            Part::Regex(regex) => regex_match(regex, text)?,
        };
        if !matched {
            return Some(false);
        }
    }
    Some(true)
}

fn regex_match(regex: &Compiled<regex::Regex>, text: &str) -> Option<bool> {
    match regex {
        Compiled::RepeatedClass(class) => Some(class.is_match(text)),
        Compiled::Engine(regex) => catch_unwind(AssertUnwindSafe(|| regex.is_match(text))).ok(),
    }
}

impl Lazy {
    fn is_match(&self, text: &str) -> Option<bool> {
        if let Some(matched) = self.sequence.is_match(text.as_bytes()) {
            return Some(matched);
        }
        let regex = self
            .regex
            .get_or_init(|| regex::Regex::new(&self.translated).ok())
            .as_ref()?;
        catch_unwind(AssertUnwindSafe(|| regex.is_match(text))).ok()
    }
}

fn sequence(pattern: &str) -> Option<Lazy> {
    let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
    let sequence = Sequence::compile(&translated)?;
    Some(Lazy {
        sequence,
        translated: translated.into_owned(),
        regex: OnceLock::new(),
    })
}

/// Leading lookaheads as separate lookaround-free regexes, when every part builds as one.
fn all_match(pattern: &str) -> Option<Vec<Part>> {
    jsonschema_regex::split_leading_lookaheads(pattern)?
        .iter()
        .map(|part| {
            if let Some(lazy) = sequence(part) {
                Some(Part::Sequence(lazy))
            } else {
                let translated = jsonschema_regex::to_rust_regex(part).ok()?;
                compiled(part, &translated, |text| regex::Regex::new(text).ok()).map(Part::Regex)
            }
        })
        .collect()
}

/// A character count for `^X{m,n}$` over one class, else the engine on the search form.
fn compiled<R>(
    pattern: &str,
    translated: &str,
    build: impl FnOnce(&str) -> Option<R>,
) -> Option<Compiled<R>> {
    match jsonschema_regex::search_form(pattern, translated) {
        Some(Search::RepeatedClass(class)) => Some(Compiled::RepeatedClass(class)),
        Some(Search::Collapsed(collapsed)) => build(&collapsed).map(Compiled::Engine),
        None => build(translated).map(Compiled::Engine),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        let mut patterns = Patterns::default();
        patterns.add(pattern);
        patterns
            .is_match(Use::Pattern, pattern, text)
            .expect("decided")
    }

    #[test]
    fn patterns_match_as_ecma_262_does() {
        assert!(matches("^[^\\s]*$", "abc"));
        assert!(!matches("^[^\\s]*$", "a\u{a0}b"));
        assert!(matches("\\.svg$", "a.svg"));
        assert!(!matches("\\.svg$", "a.svg\n"));
        assert!(matches("^(?=.*\\d)[a-z\\d]+$", "ab1"));
        assert!(!matches("^(?=.*\\d)[a-z\\d]+$", "ab"));
        assert!(matches("^(a)\\1$", "aa"));
        assert!(matches("^\\d{2}$", "12"));
        assert!(!matches("^\\d{2}$", "١٢"));
    }

    #[test]
    fn a_pattern_is_built_on_first_use_only() {
        let mut patterns = Patterns::default();
        patterns.add("^(a|b)+c$");
        let slot = &patterns.0.get("^(a|b)+c$").expect("scanned").pattern;
        assert!(slot.get().is_none());
        assert_eq!(
            patterns.is_match(Use::Pattern, "^(a|b)+c$", "abc"),
            Ok(true)
        );
        assert!(slot.get().is_some());
    }

    #[test]
    fn an_unbuildable_or_unscanned_pattern_aborts_instead_of_deciding() {
        let mut patterns = Patterns::default();
        patterns.add("(");
        assert!(patterns.is_match(Use::Pattern, "(", "x").is_err());
        assert!(patterns.is_match(Use::Pattern, "a", "a").is_err());
        assert!(!is_buildable("("));
        assert!(is_buildable("^a"));
    }
}

//! `--select` and `--ignore`: which rules a run reports.

use super::{ALL, Group, Rule};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown rule or group `{selector}`; run `ldhook rules` to list them")]
pub struct SelectorError {
    pub selector: String,
}

/// One entry of `--select` or `--ignore`: `all`, a group, a rule id or name, or the start of
/// ids (`LDH1`, every rule the framework's suite checks, as ruff takes `E4`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    Group(Group),
    Rule(&'static str),
    /// Upper-case, `LDH` and fewer digits than an id has.
    Prefix(String),
}

impl Selector {
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        if let Some(prefix) = id_prefix(text) {
            return Ok(Selector::Prefix(prefix));
        }
        if let Some(group) = ALL
            .iter()
            .map(|rule| rule.group)
            .find(|group| group.as_str().eq_ignore_ascii_case(text))
        {
            return Ok(Selector::Group(group));
        }
        super::find(text)
            .map(|rule| Selector::Rule(rule.id))
            .ok_or_else(|| SelectorError {
                selector: text.to_string(),
            })
    }

    fn matches(&self, rule: &Rule) -> bool {
        match self {
            Selector::All => true,
            Selector::Group(group) => rule.group == *group,
            Selector::Rule(id) => rule.id == *id,
            Selector::Prefix(prefix) => rule.id.starts_with(prefix.as_str()),
        }
    }
}

/// `text` as an id prefix that some rule's id starts with, shorter than a whole id (a whole
/// id is the rule itself).
fn id_prefix(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let digits = upper.strip_prefix("LDH")?;
    let partial = digits.bytes().all(|b| b.is_ascii_digit())
        && ALL
            .iter()
            .any(|rule| rule.id.len() > upper.len() && rule.id.starts_with(&upper));
    partial.then_some(upper)
}

/// Rules are reported when selected (everything, unless `--select` narrows it) and not ignored.
/// An opt-in rule ([`Rule::opt_in`]) is reported only when named by its id or name, or added
/// by the run itself (`--fix` adds the formatting rule).
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
    added: Vec<&'static str>,
}

impl RuleSelection {
    /// Each entry may itself be a comma-separated list, as in `--select schema,LDH001`.
    pub fn new(select: &[String], ignore: &[String]) -> Result<Self, SelectorError> {
        Ok(RuleSelection {
            select: parse_all(select)?,
            ignore: parse_all(ignore)?,
            added: Vec::new(),
        })
    }

    /// From entries already read (a configuration file reads each with its place).
    pub fn from_selectors(select: Vec<Selector>, ignore: Vec<Selector>) -> Self {
        RuleSelection {
            select,
            ignore,
            added: Vec::new(),
        }
    }

    /// This selection, with `rule` reported as well (unless ignored).
    #[must_use]
    pub fn adding(mut self, rule: &'static Rule) -> Self {
        self.added.push(rule.id);
        self
    }

    pub fn enabled(&self, rule: &Rule) -> bool {
        let named = |s: &Selector| matches!(s, Selector::Rule(id) if *id == rule.id);
        let selected = if self.added.contains(&rule.id) {
            true
        } else if rule.opt_in() {
            self.select.iter().any(named)
        } else {
            self.select.is_empty() || self.select.iter().any(|s| s.matches(rule))
        };
        selected && !self.ignore.iter().any(|s| s.matches(rule))
    }
}

fn parse_all(entries: &[String]) -> Result<Vec<Selector>, SelectorError> {
    entries
        .iter()
        .flat_map(|entry| entry.split(','))
        .filter(|part| !part.trim().is_empty())
        .map(Selector::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{INVALID_JSON, MISSING_PROPERTY, UNKNOWN_PROPERTY};

    fn selection(select: &[&str], ignore: &[&str]) -> RuleSelection {
        let own = |xs: &[&str]| {
            xs.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        RuleSelection::new(&own(select), &own(ignore)).expect("valid selectors")
    }

    #[test]
    fn everything_is_enabled_by_default() {
        assert!(selection(&[], &[]).enabled(&INVALID_JSON));
    }

    #[test]
    fn select_narrows_by_group_and_ignore_wins() {
        let s = selection(&["schema"], &["LDH010"]);
        assert!(!s.enabled(&INVALID_JSON));
        assert!(s.enabled(&MISSING_PROPERTY));
        assert!(!s.enabled(&UNKNOWN_PROPERTY));
    }

    #[test]
    fn accepts_names_and_comma_lists() {
        let s = selection(&["unknown-property,syntax"], &[]);
        assert!(s.enabled(&UNKNOWN_PROPERTY));
        assert!(s.enabled(&INVALID_JSON));
        assert!(!s.enabled(&MISSING_PROPERTY));
    }

    #[test]
    fn id_prefixes_select_every_rule_they_start() {
        let s = selection(&["ldh0"], &["LDH01"]);
        assert!(s.enabled(&INVALID_JSON));
        assert!(!s.enabled(&UNKNOWN_PROPERTY));
        assert!(!s.enabled(&MISSING_PROPERTY));
        let framework = selection(&["LDH1"], &[]);
        assert!(
            crate::registry::ALL
                .iter()
                // An opt-in rule is selected only by its id or name.
                .all(|rule| framework.enabled(rule)
                    == (rule.id.starts_with("LDH1") && !rule.opt_in()))
        );
        for unknown in ["LDH9", "LDH0010", "LDHx"] {
            assert!(
                RuleSelection::new(&[unknown.to_string()], &[]).is_err(),
                "{unknown}"
            );
        }
    }

    #[test]
    fn rejects_unknown_selectors() {
        let error = RuleSelection::new(&["LDH999".to_string()], &[]).expect_err("unknown id");
        assert_eq!(error.selector, "LDH999");
    }
}

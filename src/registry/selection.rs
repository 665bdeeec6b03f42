//! `--select` and `--ignore`: which rules a run reports.

use super::{ALL, Group, Rule};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown rule or group `{selector}`; run `ldhook rules` to list them")]
pub struct SelectorError {
    pub selector: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Selector {
    All,
    Group(Group),
    Rule(&'static str),
}

impl Selector {
    fn parse(text: &str) -> Result<Self, SelectorError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
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
        }
    }
}

/// Rules are reported when selected (everything, unless `--select` narrows it) and not ignored.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
}

impl RuleSelection {
    /// Each entry may itself be a comma-separated list, as in `--select schema,LDH001`.
    pub fn new(select: &[String], ignore: &[String]) -> Result<Self, SelectorError> {
        Ok(RuleSelection {
            select: parse_all(select)?,
            ignore: parse_all(ignore)?,
        })
    }

    pub(crate) fn enabled(&self, rule: &Rule) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|s| s.matches(rule));
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
    fn rejects_unknown_selectors() {
        let error = RuleSelection::new(&["LDH999".to_string()], &[]).expect_err("unknown id");
        assert_eq!(error.selector, "LDH999");
    }
}

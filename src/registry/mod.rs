//! The rule registry, at the bottom of the house: every finding ldhook can report has a stable
//! id, a kebab-case name, a group, a severity and an explanation. Ids are never reused; a
//! retired rule keeps its number. This module imports no other part of ldhook, so that
//! diagnostics, readers, checks and renderers can all name rules without a cycle.

mod catalog;
mod selection;

pub use catalog::*;
pub use selection::{RuleSelection, Selector, SelectorError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Syntax,
    Schema,
    /// The checks the framework's own test suite makes, beyond the schema.
    Framework,
    /// ldhook's own checks, beyond what the framework requires.
    Ldhook,
}

/// Every group, in the order `ldhook rules` lists them.
pub static GROUPS: &[Group] = &[
    Group::Syntax,
    Group::Schema,
    Group::Framework,
    Group::Ldhook,
];

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Syntax => "syntax",
            Group::Schema => "schema",
            Group::Framework => "framework",
            Group::Ldhook => "ldhook",
        }
    }
}

#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub group: Group,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
}

pub fn find(id_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|rule| rule.id.eq_ignore_ascii_case(id_or_name) || rule.name == id_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let ids: HashSet<_> = ALL.iter().map(|r| r.id).collect();
        let names: HashSet<_> = ALL.iter().map(|r| r.name).collect();
        assert_eq!(ids.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
        for rule in ALL {
            assert!(
                rule.id.starts_with("LDH") && rule.id.len() == 6,
                "{}",
                rule.id
            );
            assert!(
                rule.id[3..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                rule.id
            );
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                rule.name
            );
            assert!(!rule.explanation.is_empty());
        }
    }

    #[test]
    fn finds_rules_by_id_or_name() {
        assert_eq!(find("LDH010"), Some(&UNKNOWN_PROPERTY));
        assert_eq!(find("ldh010"), Some(&UNKNOWN_PROPERTY));
        assert_eq!(find("unknown-property"), Some(&UNKNOWN_PROPERTY));
        assert_eq!(find("LDH999"), None);
    }

    #[test]
    fn each_static_is_named_after_its_rule() {
        assert_eq!(catalog::STATIC_NAMES.len(), ALL.len());
        for (static_name, rule_name) in catalog::STATIC_NAMES {
            assert_eq!(*static_name, rule_name.to_uppercase().replace('-', "_"));
        }
    }
}

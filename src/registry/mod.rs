//! The rule registry, at the bottom of the house: every finding ldhook can report has a stable
//! id, a kebab-case name, a group, a severity and an explanation. Ids are never reused; a
//! retired rule keeps its number. This module imports no other part of ldhook, so that
//! diagnostics, readers, checks and renderers can all name rules without a cycle.

mod catalog;
mod example;
mod selection;

pub use catalog::*;
pub use example::{Change, Example, FileKind, Member, Side};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Syntax,
    Schema,
    /// The checks the framework's own test suite makes, beyond the schema.
    Framework,
    /// ldhook's own checks, beyond what the framework requires.
    Ldhook,
}

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

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub group: Group,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    /// The mistake and its fix.
    pub example: Example,
}

impl Rule {
    /// What `ldhook explain` prints: the rule's heading, summary, explanation and example.
    pub fn explain(&self) -> String {
        format!(
            "{} {} ({} group, {} by default)\n\n{}\n\n{}\n\n{}",
            self.id,
            self.name,
            self.group.as_str(),
            self.severity.as_str(),
            self.summary,
            self.explanation,
            self.example.render()
        )
    }
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
    fn every_example_shows_a_change() {
        for rule in ALL {
            let example = &rule.example;
            let before = example.text(Side::Before);
            let after = example.text(Side::After);
            assert_ne!(before, after, "{}", rule.id);
            assert!(
                !before.trim().is_empty() && !after.trim().is_empty(),
                "{}",
                rule.id
            );
        }
    }

    /// The heading names one parent, so an example's members must share it.
    #[test]
    fn an_examples_members_share_one_parent() {
        for rule in ALL {
            if let Change::Members(members) = rule.example.change {
                let parents: HashSet<_> = members
                    .iter()
                    .map(|m| m.pointer.rsplit_once('/').map(|(parent, _)| parent))
                    .collect();
                assert_eq!(parents.len(), 1, "{}: {parents:?}", rule.id);
                assert!(
                    members.iter().all(|m| m.pointer.starts_with('/')),
                    "{}",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn explain_ends_with_the_example() {
        let text = HTML_ESCAPE_IN_JSON.explain();
        assert!(text.starts_with(
            "LDH217 html-escape-in-json (ldhook group, warning by default)\n\n\
             a `{{…}}` that HTML-escapes event text inside a JSON string\n\nInside a JSON string"
        ));
        assert!(text.ends_with(
            "not JSON-escaped, so for them `{{{…}}}` would break on a `\"` instead; the finding \
             says so and offers no fix.\n\n\
             Example (templates/flag.json.hbs):\n  \
             before:  {\"who\": \"{{member.displayName}}\"}\n  \
             after:   {\"who\": \"{{{member.displayName}}}\"}\n"
        ));
    }

    #[test]
    fn each_static_is_named_after_its_rule() {
        assert_eq!(catalog::STATIC_NAMES.len(), ALL.len());
        for (static_name, rule_name) in catalog::STATIC_NAMES {
            assert_eq!(*static_name, rule_name.to_uppercase().replace('-', "_"));
        }
    }
}

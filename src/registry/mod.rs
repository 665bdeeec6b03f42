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

/// ldhook's own repository, the one place its address is written (`Cargo.toml`).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

impl Rule {
    /// Where the rule is explained: its anchor in docs/rules.md, which `tests/rules_doc.rs`
    /// holds equal to what the registry says.
    pub fn docs_url(&self) -> String {
        format!(
            "{REPOSITORY}/blob/main/docs/rules.md#{}",
            self.id.to_ascii_lowercase()
        )
    }

    /// Whether the rule is reported only when a run names it (see [`RuleSelection`]): a check
    /// the framework runs as a separate command, which ldhook has its own command for too.
    pub fn opt_in(&self) -> bool {
        catalog::OPT_IN.contains(&self.id)
    }

    /// What `ldhook explain` prints: the rule's heading, summary, explanation and example.
    pub fn explain(&self) -> String {
        let when = if self.opt_in() {
            "when selected by name"
        } else {
            "by default"
        };
        format!(
            "{} {} ({} group, {} {when})\n\n{}\n\n{}\n\n{}",
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

/// `ldhook rules --format json`: every field, the example as the text `explain` shows, and
/// the rule's documentation.
impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut rule = serializer.serialize_struct("Rule", 8)?;
        rule.serialize_field("id", self.id)?;
        rule.serialize_field("name", self.name)?;
        rule.serialize_field("group", &self.group)?;
        rule.serialize_field("severity", &self.severity)?;
        rule.serialize_field("summary", self.summary)?;
        rule.serialize_field("explanation", self.explanation)?;
        rule.serialize_field("example", &ExampleJson(&self.example))?;
        rule.serialize_field("url", &self.docs_url())?;
        rule.end()
    }
}

struct ExampleJson<'e>(&'e Example);

impl serde::Serialize for ExampleJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut example = serializer.serialize_struct("Example", 3)?;
        example.serialize_field("file", &self.0.place())?;
        example.serialize_field("before", &self.0.text(Side::Before))?;
        example.serialize_field("after", &self.0.text(Side::After))?;
        example.end()
    }
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
             before:\n    {\"who\": \"{{member.displayName}}\"}\n  \
             after:\n    {\"who\": \"{{{member.displayName}}}\"}\n"
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

//! The rule registry: every finding ldhook can report has a stable id, a kebab-case name, a
//! group and an explanation. Ids are never reused; a retired rule keeps its number.

mod selection;

pub use selection::{RuleSelection, SelectorError};

use crate::diagnostics::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Syntax,
    Schema,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Syntax => "syntax",
            Group::Schema => "schema",
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
}

pub static INVALID_JSON: Rule = Rule {
    id: "LDH001",
    name: "invalid-json",
    group: Group::Syntax,
    severity: Severity::Error,
    summary: "the manifest is not valid JSON",
    explanation: "The framework reads manifest.json with JSON.parse and formats it with Prettier, \
        so it must be plain RFC 8259 JSON in UTF-8: no comments, no trailing commas, no byte-order \
        mark, no duplicate keys, numbers a double can hold. The finding points at the first place \
        the file stops being JSON; nothing else in the file is checked until it parses.",
};

pub static UNKNOWN_PROPERTY: Rule = Rule {
    id: "LDH010",
    name: "unknown-property",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a property the manifest format does not define",
    explanation: "The framework's schema lists the property names each object may have (with \
        `propertyNames`), so a misspelt or invented key is rejected rather than ignored. The \
        finding points at the key and lists the names allowed in that object.",
};

pub static MISSING_PROPERTY: Rule = Rule {
    id: "LDH011",
    name: "missing-property",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a required property is missing",
    explanation: "The object lacks a property the schema requires, such as `name` at the top level \
        or `url` in an endpoint. The finding points at the key of the object that lacks it (or at \
        its opening brace when it has no key).",
};

pub static WRONG_TYPE: Rule = Rule {
    id: "LDH012",
    name: "wrong-type",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a value of the wrong JSON type",
    explanation: "The value is, say, a string where the schema wants a boolean, or an object where \
        it wants an array. JSON types are strict: `\"true\"` is not `true`.",
};

pub static INVALID_VALUE: Rule = Rule {
    id: "LDH013",
    name: "invalid-value",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a value outside the allowed set",
    explanation: "The schema allows only a fixed set of values here (an `enum` or `const`), such as \
        the categories, form variable types or HTTP methods. The message lists them.",
};

pub static PATTERN_MISMATCH: Rule = Rule {
    id: "LDH014",
    name: "pattern-mismatch",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a string that does not have the required form",
    explanation: "The string must match a pattern: `version` is semver (1.0.0), links start with \
        http:// or https://, icons end in .svg, keys and header names have no white space, and \
        overview and description are a single line.",
};

pub static INVALID_FORMAT: Rule = Rule {
    id: "LDH015",
    name: "invalid-format",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a string that is not of the declared format",
    explanation: "The string must be of a named format; the manifest uses `email` for \
        `supportEmail`, checked as the framework's validator checks it (ajv 6's fast email check: \
        ASCII local part, a domain of letters, digits and hyphens).",
};

pub static OUT_OF_RANGE: Rule = Rule {
    id: "LDH016",
    name: "out-of-range",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a string, list or number too short, too long, too small or too large",
    explanation: "The schema bounds lengths and counts: `name` has 3 to 100 characters, `overview` \
        10 to 100, `description` 50 to 2048, `categories` 1 to 3 entries, and so on. Lengths count \
        characters (Unicode code points), not bytes.",
};

pub static DUPLICATE_ITEMS: Rule = Rule {
    id: "LDH017",
    name: "duplicate-items",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a list that must not repeat an item does",
    explanation: "Lists such as `categories` must hold each value once.",
};

pub static SCHEMA_MISMATCH: Rule = Rule {
    id: "LDH018",
    name: "schema-mismatch",
    group: Group::Schema,
    severity: Severity::Error,
    summary: "a value that fits none of the shapes the schema allows",
    explanation: "The schema combines alternatives here (`anyOf`, `oneOf`, `not`, `if`/`then`, \
        `contains`, …) and the value satisfies none of them, or a rule the other schema findings \
        do not name. The message says which keyword failed.",
};

pub static ALL: &[&Rule] = &[
    &INVALID_JSON,
    &UNKNOWN_PROPERTY,
    &MISSING_PROPERTY,
    &WRONG_TYPE,
    &INVALID_VALUE,
    &PATTERN_MISMATCH,
    &INVALID_FORMAT,
    &OUT_OF_RANGE,
    &DUPLICATE_ITEMS,
    &SCHEMA_MISMATCH,
];

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
}

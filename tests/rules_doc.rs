//! docs/rules.md, where SARIF's `helpUri` of every rule points, is what the registry says:
//! one section per rule, headed by its id so that its anchor (`#ldh010`) never changes.
//! Regenerate it with `LDHOOK_UPDATE_DOCS=1 cargo test --locked --test rules_doc`.

use ldhook::registry::{ALL, Side};

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");

fn generated() -> String {
    let mut doc = String::from(
        "# ldhook rules\n\n\
         Every rule `ldhook validate` can report, with its stable id. `ldhook rules` lists them and\n\
         `ldhook explain ID` prints one; SARIF output links each finding here.\n\n\
         <!-- Generated from the rule registry (src/registry/catalog.rs) by\n\
         `LDHOOK_UPDATE_DOCS=1 cargo test --locked --test rules_doc`; tests/rules_doc.rs fails when\n\
         this file differs. Do not edit it by hand. -->\n\n\
         | id | name | group | default |\n|---|---|---|---|\n",
    );
    for rule in ALL {
        doc.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            rule.id,
            rule.id.to_ascii_lowercase(),
            rule.name,
            rule.group.as_str(),
            rule.severity.as_str()
        ));
    }
    for rule in ALL {
        doc.push_str(&format!(
            "\n## {}\n\n`{}`: {} group, {} by default.\n\n{}.\n\n{}\n",
            rule.id,
            rule.name,
            rule.group.as_str(),
            rule.severity.as_str(),
            capitalized(rule.summary),
            rule.explanation
        ));
        doc.push_str(&format!(
            "\nExample ({}):\n\nBefore:\n\n```text\n{}\n```\n\nAfter:\n\n```text\n{}\n```\n",
            rule.example.place(),
            rule.example.text(Side::Before).trim_end(),
            rule.example.text(Side::After).trim_end()
        ));
    }
    doc
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[test]
fn rules_doc_is_what_the_registry_generates() {
    let expected = generated();
    if std::env::var_os("LDHOOK_UPDATE_DOCS").is_some() {
        std::fs::write(DOC, &expected).expect("write docs/rules.md");
    }
    let actual = std::fs::read_to_string(DOC).expect("docs/rules.md");
    assert!(
        actual == expected,
        "docs/rules.md differs from the registry; regenerate it with \
         `LDHOOK_UPDATE_DOCS=1 cargo test --locked --test rules_doc`"
    );
}

#[test]
fn every_rule_has_a_heading_whose_anchor_is_its_lowercase_id() {
    let doc = generated();
    for rule in ALL {
        assert_eq!(
            doc.matches(&format!("\n## {}\n", rule.id)).count(),
            1,
            "{}",
            rule.id
        );
    }
}

//! What ldhook says about itself, for shells, manuals and scripts: completions offer rule ids,
//! names and groups where rules are taken and sample event names where an event is; `man`
//! writes the manual; `rules --format json` lists the registry as it is.

mod common;

use common::{ldhook, text};
use ldhook::registry::ALL;
use serde_json::Value;

fn completions(shell: &str) -> String {
    let output = ldhook()
        .args(["completions", shell])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn completions_offer_rules_groups_and_event_names() {
    for shell in ["bash", "zsh", "fish"] {
        let script = completions(shell);
        for rule in ALL {
            assert!(script.contains(rule.id), "{shell}: {}", rule.id);
            assert!(script.contains(rule.name), "{shell}: {}", rule.name);
        }
        for word in ["framework", "ldhook", "flag/archive", "project/create"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // Fish names the option each value belongs to: the rules go with --select, --ignore and
    // explain, the events with --event.
    let fish = completions("fish");
    let line_for = |option: &str| {
        fish.split("\ncomplete ")
            .find(|entry| entry.contains(&format!("-l {option} ")) && entry.contains(" -a \""))
            .unwrap_or_else(|| panic!("no completion entry for --{option}"))
            .to_string()
    };
    assert!(line_for("select").contains("LDH217\\t'html-escape-in-json'"));
    assert!(line_for("ignore").contains("unused-suppression"));
    assert!(line_for("event").contains("flag/toggle-on"));
    assert!(!line_for("event").contains("LDH"));
}

#[test]
fn help_does_not_list_the_values_completion_offers() {
    for command in ["validate", "render", "explain"] {
        let output = ldhook().args([command, "--help"]).output().expect("runs");
        let help = text(&output.stdout);
        for offered in ["LDH217", "unused-suppression", "flag/archive"] {
            assert!(!help.contains(offered), "{command}: {help}");
        }
    }
}

#[test]
fn man_prints_the_manual_and_writes_a_page_per_command() {
    let output = ldhook().arg("man").output().expect("runs");
    assert!(output.status.success());
    let page = text(&output.stdout);
    assert!(page.contains(".TH ldhook 1"), "{page}");
    assert!(page.contains("validate"), "{page}");

    let dir = tempfile::tempdir().expect("temp dir");
    let output = ldhook()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let mut written = common::names(dir.path());
    written.retain(|name| !name.starts_with('.'));
    assert_eq!(
        written,
        [
            "ldhook-completions.1",
            "ldhook-events.1",
            "ldhook-explain.1",
            "ldhook-fmt.1",
            "ldhook-init.1",
            "ldhook-man.1",
            "ldhook-receive.1",
            "ldhook-render.1",
            "ldhook-rules.1",
            "ldhook-send.1",
            "ldhook-snapshot.1",
            "ldhook-snippet.1",
            "ldhook-template.1",
            "ldhook-validate.1",
            "ldhook.1",
        ]
    );
    assert_eq!(
        common::names(dir.path()).len(),
        written.len(),
        "no staging file left"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("ldhook.1"))
            .expect("page")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "a manual page anyone can read");
    }
    let validate = std::fs::read_to_string(dir.path().join("ldhook-validate.1")).expect("page");
    assert!(validate.contains(".TH ldhook-validate 1"), "{validate}");
    assert!(validate.contains("show\\-config"), "{validate}");

    let output = ldhook()
        .args(["man", "--dir"])
        .arg(dir.path().join("ldhook.1"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).ends_with("ldhook.1: not a directory\n"));
    let missing = dir.path().join("missing");
    let output = ldhook()
        .args(["man", "--dir"])
        .arg(&missing)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!("ldhook: error: {}: no such directory\n", missing.display())
    );
}

#[test]
fn rules_as_json_are_the_registry() {
    let output = ldhook()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let rules: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(rules.len(), ALL.len());
    for (listed, rule) in rules.iter().zip(ALL) {
        assert_eq!(listed["id"], rule.id);
        assert_eq!(listed["name"], rule.name);
        assert_eq!(listed["group"], rule.group.as_str());
        assert_eq!(listed["severity"], rule.severity.as_str());
        assert_eq!(listed["summary"], rule.summary);
        assert_eq!(listed["explanation"], rule.explanation);
        assert_eq!(listed["url"], rule.docs_url());
        assert_eq!(listed["example"]["file"], rule.example.place());
        assert_eq!(
            listed["example"]["before"],
            rule.example.text(ldhook::registry::Side::Before)
        );
        assert_eq!(
            listed["example"]["after"],
            rule.example.text(ldhook::registry::Side::After)
        );
    }
}

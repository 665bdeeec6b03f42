//! `ldhook explain`: every rule's example of the mistake and its fix, held true by running it.
//! Each example is data (manifest members by JSON pointer, a file's text, a piece of the bundled
//! manifest's text); the test applies the "before" side to a copy of the bundled example and
//! `validate` must report the rule, then the "after" side and it must not. What `explain` prints
//! is derived from that same data, so the text users read is the text tested here.

mod common;

use std::path::{Path, PathBuf};

use common::{EXAMPLE, copy_dir, edit_manifest, ldhook, transcript};
use ldhook::registry::{ALL, Change, Example, FileKind, Member, Rule, Side};
use serde_json::Value;

/// The rules whose example no one file of the bundled example can hold, each checked here
/// another way (see `check_described`).
const DESCRIBED: &[&str] = &["LDH018", "LDH105", "LDH121", "LDH124", "LDH219"];

/// The rule ids `validate` reports for `target`, with `args` added.
fn reported(target: &Path, args: &[&str]) -> Vec<String> {
    let output = ldhook()
        .arg("validate")
        .arg(target)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "JSON report, got {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// A copy of the bundled example with one side of `example` applied.
fn fixture(example: &Example, side: Side) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("pulseboard");
    copy_dir(Path::new(EXAMPLE), &dir);
    let path = dir.join(example.file);
    match &example.change {
        Change::Members(members) => edit_manifest(&dir, |manifest| {
            for member in *members {
                apply(manifest, member, side);
            }
        }),
        Change::Write { .. } => {
            std::fs::write(&path, example.text(side)).expect("write");
            if example.kind == FileKind::Template {
                name_template(&dir, example.file);
            }
        }
        Change::Replace { before, after } => {
            let bundled = std::fs::read_to_string(&path).expect("bundled file");
            assert_eq!(
                bundled.matches(after).count(),
                1,
                "{after:?} should be in the bundled {} once",
                example.file
            );
            let text = match side {
                Side::Before => bundled.replace(after, before),
                Side::After => bundled,
            };
            std::fs::write(&path, text).expect("write");
        }
        Change::Described { .. } => panic!("a described example is not applied to the example"),
    }
    (root, dir)
}

/// Names `file` in the manifest's templates, under the key its name begins with
/// (`templates/member.txt.hbs` serves `member`), unless the bundled manifest names it already.
fn name_template(dir: &Path, file: &str) {
    let key = file
        .strip_prefix("templates/")
        .and_then(|name| name.split('.').next())
        .expect("a template under templates/");
    edit_manifest(dir, |manifest| {
        let templates = manifest["capabilities"]["auditLogEventsHook"]["templates"]
            .as_object_mut()
            .expect("templates");
        if !templates.values().any(|named| named == file) {
            drop(templates.insert(key.into(), file.into()));
        }
    });
}

/// Sets `member` in `manifest` to its value on `side`, or takes it out where it has none.
fn apply(manifest: &mut Value, member: &Member, side: Side) {
    let tokens = member.tokens();
    let (last, path) = tokens.split_last().expect("a member, not the root");
    let parent = path.iter().fold(manifest, |value, token| match value {
        Value::Array(items) => items
            .get_mut(token.parse::<usize>().expect("an index"))
            .unwrap_or_else(|| panic!("{} leads nowhere", member.pointer)),
        other => other
            .get_mut(token.as_str())
            .unwrap_or_else(|| panic!("{} leads nowhere", member.pointer)),
    });
    let value: Option<Value> = member.value(side).map(|text| {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {text}: {e}", member.pointer))
    });
    match (parent, value) {
        (Value::Object(object), Some(value)) => drop(object.insert(last.clone(), value)),
        (Value::Object(object), None) => drop(object.shift_remove(last)),
        (Value::Array(items), value) => {
            let index = if last == "-" {
                items.len()
            } else {
                last.parse().expect("an index")
            };
            match value {
                Some(value) if index == items.len() => items.push(value),
                Some(value) => *items.get_mut(index).expect("an item") = value,
                None if index < items.len() => drop(items.remove(index)),
                None => {}
            }
        }
        (other, _) => panic!("{} is inside {other}", member.pointer),
    }
}

/// What is wrong with `rule`'s example, if anything: the before side must trip the rule; the
/// after side must not, nor report anything the before side did not (a fix that brings a new
/// finding is no fix).
fn example_problem(rule: &Rule) -> Option<String> {
    let run = |side| {
        let (_root, dir) = fixture(&rule.example, side);
        // An opt-in rule is reported only when named, beside every other rule.
        let select: &[&str] = if rule.opt_in() {
            &["--select", "all", "--select", rule.id]
        } else {
            &[]
        };
        reported(&dir, select)
    };
    let before = run(Side::Before);
    let after = run(Side::After);
    let fixed = before.iter().any(|id| id == rule.id)
        && after.iter().all(|id| id != rule.id && before.contains(id));
    (!fixed).then(|| format!("{}: before {before:?}, after {after:?}", rule.id))
}

#[test]
fn every_example_trips_its_rule_before_and_the_fix_adds_nothing() {
    let problems: Vec<String> = ALL
        .iter()
        .filter(|rule| !matches!(rule.example.change, Change::Described { .. }))
        .filter_map(|rule| example_problem(rule))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn only_the_listed_rules_have_examples_that_are_only_described() {
    let described: Vec<&str> = ALL
        .iter()
        .filter(|rule| matches!(rule.example.change, Change::Described { .. }))
        .map(|rule| rule.id)
        .collect();
    assert_eq!(described, DESCRIBED);
}

/// A rule of the schema's combinators, which the embedded schema does not use: the example's
/// place names the schema, which this test writes and validates against.
#[test]
fn the_schema_mismatch_example_holds_against_the_schema_it_names() {
    let rule = ldhook::registry::find("LDH018").expect("registered");
    let schema = rule
        .example
        .file
        .split_once("against ")
        .expect("the place names the schema")
        .1;
    let run = |side| {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("pulseboard");
        copy_dir(Path::new(EXAMPLE), &dir);
        std::fs::write(dir.join("strict.schema.json"), schema).expect("schema");
        let icons: Value = serde_json::from_str(&format!("{{{}}}", rule.example.text(side)))
            .ok()
            .and_then(|members: Value| members.get("icons").cloned())
            .unwrap_or(Value::Null);
        edit_manifest(&dir, |manifest| {
            let object = manifest.as_object_mut().expect("object");
            drop(object.shift_remove("icons"));
            if !icons.is_null() {
                drop(object.insert("icons".into(), icons));
            }
        });
        let schema = dir.join("strict.schema.json");
        let schema = schema.to_str().expect("UTF-8 path");
        reported(&dir, &["--schema", schema, "--select", "schema"])
    };
    assert_eq!(run(Side::Before), ["LDH018"]);
    assert_eq!(run(Side::After), Vec::<String>::new());
}

/// A rule across integrations: each line of a side is `integrations/<key>/manifest.json:` and
/// the member that integration has; this test builds that checkout.
#[test]
fn the_oauth_key_example_holds_in_a_checkout() {
    let rule = ldhook::registry::find("LDH105").expect("registered");
    let run = |side| {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::write(root.path().join("manifest.schema.json"), "{}").expect("schema");
        for line in rule.example.text(side).lines() {
            let (path, member) = line.split_once(':').expect("path: member");
            let dir = root
                .path()
                .join(path.strip_suffix("/manifest.json").expect("a manifest"));
            copy_dir(Path::new(EXAMPLE), &dir);
            let member: Value = serde_json::from_str(&format!("{{{member}}}")).expect("a member");
            edit_manifest(&dir, |manifest| {
                let object = manifest.as_object_mut().expect("object");
                object.extend(member.as_object().expect("object").clone());
            });
        }
        reported(root.path(), &[])
    };
    assert_eq!(run(Side::Before), ["LDH105", "LDH105"]);
    assert_eq!(run(Side::After), Vec::<String>::new());
}

#[test]
fn every_example_shows_a_change_in_a_labelled_file() {
    for rule in ALL {
        let example = &rule.example;
        assert_ne!(
            example.text(Side::Before),
            example.text(Side::After),
            "{}",
            rule.id
        );
        let expected_file = match example.kind {
            FileKind::Manifest => Some("manifest.json"),
            FileKind::Template => example.file.strip_prefix("templates/"),
            FileKind::Icon => example.file.strip_prefix("assets/"),
            FileKind::Other => Some(example.file),
        };
        assert!(
            expected_file.is_some_and(|file| !file.is_empty()),
            "{}: {:?} in {}",
            rule.id,
            example.kind,
            example.file
        );
    }
}

/// What the binary prints for every rule ends with the example the registry renders.
#[test]
fn explain_prints_each_rule_with_its_example() {
    for rule in ALL {
        let output = ldhook().args(["explain", rule.id]).output().expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", rule.id);
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        assert_eq!(text, rule.explain(), "{}", rule.id);
        assert!(
            text.ends_with(&format!("\n\n{}", rule.example.render())),
            "{}",
            rule.id
        );
    }
}

#[test]
fn explain_html_escape_in_json_shows_the_raw_tag() {
    let output = ldhook().args(["explain", "LDH217"]).output().expect("runs");
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn explain_a_multi_line_example() {
    let output = ldhook()
        .args(["explain", "oauth-key-duplicate"])
        .output()
        .expect("runs");
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn explain_a_misspelt_name_suggests_the_rule_meant() {
    let output = ldhook()
        .args(["explain", "html-escape-in-jsn"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "ldhook: error: unknown rule `html-escape-in-jsn`; did you mean `html-escape-in-json`? \
         run `ldhook rules` to list them\n"
    );
}

#[test]
fn explain_an_unknown_rule_without_a_near_miss_lists_none() {
    let output = ldhook().args(["explain", "LDH999"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "ldhook: error: unknown rule `LDH999`; run `ldhook rules` to list them\n"
    );
}

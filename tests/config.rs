//! ldhook.toml and inline suppressions, through the real binary: discovery, `--config` and
//! `--no-config`, precedence over flags, errors at their line and column, per-integration
//! ignores with globs, and `ldhook-ignore` comments with the unused-suppression warning.

mod common;

use std::path::{Path, PathBuf};

use common::{EXAMPLE, copy_dir, ldhook, text};
use serde_json::Value;

/// A template line that trips html-escape-in-json (LDH217, a warning) and nothing else.
const ESCAPING_FLAG_TEMPLATE: &str = "{\"who\": \"{{member.displayName}}\"}\n";

/// A fork of the framework: a root schema that takes anything (only ldhook's own rules speak)
/// beside `integrations/`, with a copy of the example under each key, each with a flag
/// template that HTML-escapes inside a JSON string.
struct Fork {
    root: tempfile::TempDir,
}

impl Fork {
    fn new(keys: &[&str]) -> Fork {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::write(root.path().join("manifest.schema.json"), "{}").expect("schema");
        for key in keys {
            let dir = root.path().join("integrations").join(key);
            copy_dir(Path::new(EXAMPLE), &dir);
            std::fs::write(dir.join("templates/flag.json.hbs"), ESCAPING_FLAG_TEMPLATE)
                .expect("template");
        }
        Fork { root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.path().join(relative)
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
    }

    /// `validate --format json` in `dir` (relative to the fork) with `args`: the exit code and
    /// `RULE file:line:column` for each finding.
    fn validate(&self, dir: &str, args: &[&str]) -> (i32, Vec<String>) {
        let output = ldhook()
            .current_dir(self.path(dir))
            .args(["validate", "--format", "json"])
            .args(args)
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)));
        let findings = report["diagnostics"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|d| {
                format!(
                    "{} {}:{}:{}",
                    d["rule"].as_str().expect("rule"),
                    d["file"].as_str().expect("file"),
                    d["line"],
                    d["column"]
                )
            })
            .collect();
        (output.status.code().expect("an exit code"), findings)
    }

    /// A run that cannot start: exit 2, and its one-line error.
    fn refused(&self, dir: &str, args: &[&str]) -> String {
        let output = ldhook()
            .current_dir(self.path(dir))
            .arg("validate")
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{}", text(&output.stdout));
        assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
        text(&output.stderr)
    }

    fn show_config(&self, dir: &str, args: &[&str]) -> String {
        let output = ldhook()
            .current_dir(self.path(dir))
            .args(["validate", "--show-config"])
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    }
}

fn warning_in(key: &str) -> String {
    format!("LDH217 integrations/{key}/templates/flag.json.hbs:1:10")
}

#[test]
fn without_a_file_every_warning_is_reported_and_warnings_pass() {
    let fork = Fork::new(&["acme", "theirs"]);
    assert_eq!(
        fork.validate(".", &[]),
        (0, vec![warning_in("acme"), warning_in("theirs")])
    );
}

#[test]
fn the_nearest_file_above_the_paths_is_read_from_anywhere_below_it() {
    let fork = Fork::new(&["acme", "theirs"]);
    fork.write("ldhook.toml", "deny-warnings = true\n");
    assert_eq!(
        fork.validate(".", &[]),
        (1, vec![warning_in("acme"), warning_in("theirs")])
    );
    // From inside an integration, naming it: the same file, found by walking up.
    let (code, findings) = fork.validate("integrations/acme", &[]);
    assert_eq!(
        (code, findings),
        (1, vec!["LDH217 templates/flag.json.hbs:1:10".to_string()])
    );
    let shown = fork.show_config("integrations/acme/templates", &[]);
    let file = fork.path("ldhook.toml").display().to_string();
    assert!(shown.starts_with("config "), "{shown}");
    let first = shown.lines().next().expect("a line");
    assert!(
        first.contains(&file) && first.ends_with("nearest above the paths"),
        "{shown}"
    );
    assert!(
        shown.contains("deny-warnings  true") && shown.contains(&format!("{file}:1:17")),
        "{shown}"
    );
}

#[test]
fn flags_override_the_file_and_the_file_can_be_chosen_or_ignored() {
    let fork = Fork::new(&["acme"]);
    fork.write(
        "ldhook.toml",
        "deny-warnings = true\nignore = [\"LDH217\"]\nselect = [\"LDH1\", \"ldhook\"]\n",
    );
    fork.write("other.toml", "ignore = [\"template-unreachable\"]\n");
    assert_eq!(fork.validate(".", &[]), (0, vec![]));
    // --select replaces the file's select; --ignore adds to its ignore.
    assert_eq!(fork.validate(".", &["--select", "LDH217"]), (0, vec![]));
    assert_eq!(
        fork.validate(".", &["--no-config", "--ignore", "LDH208"]),
        (0, vec![warning_in("acme")])
    );
    assert_eq!(
        fork.validate(".", &["--config", "other.toml", "--deny-warnings"]),
        (1, vec![warning_in("acme")])
    );
    assert_eq!(
        fork.validate(
            ".",
            &[
                "--config",
                "ldhook.toml",
                "--ignore",
                "LDH208",
                "--select",
                "LDH2"
            ]
        ),
        (0, vec![])
    );
    fork.write("ldhook.toml", "deny-warnings = true\n");
    assert_eq!(
        fork.validate(".", &["--no-deny-warnings"]),
        (0, vec![warning_in("acme")])
    );

    let shown = fork.show_config(".", &["--config", "other.toml", "--ignore", "LDH1,LDH205"]);
    let rows: Vec<Vec<&str>> = shown
        .lines()
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec!["config", "other.toml", "--config"],
            vec!["select", "all", "default"],
            vec!["ignore", "template-unreachable", "other.toml:1:11"],
            vec!["LDH1", "--ignore"],
            vec!["LDH205", "--ignore"],
            vec!["deny-warnings", "false", "default"],
            vec!["snapshots", "false", "default"],
            vec![
                "events",
                "the checkout's sample-context/, else ldhook's own",
                "default"
            ],
            vec![
                "schema",
                "the checkout's manifest.schema.json, else embedded",
                "default"
            ],
        ],
        "{shown}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &fork.show_config(".", &["--config", "other.toml", "--format", "json"]),
    )
    .expect("JSON");
    assert_eq!(
        json[2],
        serde_json::json!({"setting": "ignore", "value": "template-unreachable", "origin": "other.toml:1:11"})
    );
    assert_eq!(json.as_array().map(Vec::len), Some(7));
    assert!(
        fork.show_config(".", &["--no-config"])
            .starts_with("config ")
    );
    assert!(
        fork.show_config(".", &["--no-config"])
            .lines()
            .next()
            .is_some_and(|line| line.ends_with("--no-config")),
    );
}

#[test]
fn mistakes_in_the_file_are_errors_at_their_line_and_column() {
    let fork = Fork::new(&["acme"]);
    let cases = [
        (
            "ignore = [\"LDH217\"]\ndeny_warnings = true\n",
            "ldhook.toml:2:1: unknown field `deny_warnings`, expected one of `select`, `ignore`, `deny-warnings`, `snapshots`, `events`, `schema`, `per-integration`",
        ),
        (
            "ignore = [\"LDH217\", \"LDH999\"]\n",
            "ldhook.toml:1:21: unknown rule or group `LDH999`; run `ldhook rules` to list them",
        ),
        (
            "deny-warnings = \"yes\"\n",
            "ldhook.toml:1:17: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "[per-integration.acme]\nignore = [\"LDH217\"]\nselect = [\"LDH1\"]\n",
            "ldhook.toml:3:1: unknown field `select`, expected `ignore`",
        ),
        (
            "[per-integration.\"acme/templates\"]\nignore = [\"LDH217\"]\n",
            "ldhook.toml:1:18: `acme/templates` is a path; a per-integration key is an integration's key (its directory's name), or a glob of keys such as `acme-*`",
        ),
        (
            "[per-integration.\"acme-[\"]\nignore = [\"LDH217\"]\n",
            "ldhook.toml:1:18: `acme-[` is not a glob: unclosed character class; missing ']'",
        ),
        (
            "ignore = [\n",
            "ldhook.toml:1:11: unclosed array, expected `]`",
        ),
        (
            "select = []\n",
            "ldhook.toml:1:10: `select = []` would report no rule; leave `select` out to report every rule",
        ),
        (
            "events = \"\"\n",
            "ldhook.toml:1:10: `events` is empty; give a path, relative to this file",
        ),
    ];
    for (contents, expected) in cases {
        fork.write("ldhook.toml", contents);
        let error = fork.refused(".", &[]);
        assert!(
            error.starts_with(&format!("ldhook: error: {expected}")),
            "{contents:?}\ngave: {error}"
        );
        assert_eq!(error.lines().count(), 1, "{error}");
    }
    // A glob too large to compile is refused at its place, quoted in part, not a panic.
    fork.write(
        "ldhook.toml",
        &format!(
            "[per-integration.\"{}\"]\nignore = [\"LDH217\"]\n",
            "?".repeat(150_000)
        ),
    );
    let error = fork.refused(".", &[]);
    assert!(
        error.starts_with(&format!(
            "ldhook: error: ldhook.toml:1:18: `{}…` is not a glob: ",
            "?".repeat(60)
        )),
        "{}",
        error.get(..200).unwrap_or(&error)
    );
    assert!(error.len() < 300, "{}", error.len());
    // --no-config reads none of it.
    assert_eq!(fork.validate(".", &["--no-config"]).0, 0);
    assert!(
        fork.refused(".", &["--config", "missing.toml"])
            .starts_with("ldhook: error: missing.toml: no such file")
    );
}

#[test]
fn paths_under_two_files_are_refused_rather_than_guessed() {
    let fork = Fork::new(&["acme", "theirs"]);
    fork.write("integrations/acme/ldhook.toml", "ignore = [\"LDH217\"]\n");
    fork.write("integrations/theirs/ldhook.toml", "\n");
    let error = fork.refused(".", &["integrations/acme", "integrations/theirs"]);
    assert_eq!(
        error,
        "ldhook: error: the paths are under two configuration files, integrations/acme/ldhook.toml and integrations/theirs/ldhook.toml; run ldhook once for each, or choose one with --config\n"
    );
    assert_eq!(fork.validate(".", &["integrations/acme"]), (0, vec![]));
}

#[test]
fn per_integration_ignores_match_keys_and_globs() {
    let fork = Fork::new(&["acme-one", "acme-two", "ours"]);
    fork.write(
        "ldhook.toml",
        "deny-warnings = true\n\n[per-integration.\"acme-*\"]\nignore = [\"html-escape-in-json\"]\n",
    );
    assert_eq!(fork.validate(".", &[]), (1, vec![warning_in("ours")]));
    fork.write(
        "ldhook.toml",
        "deny-warnings = true\n[per-integration.acme-one]\nignore = [\"LDH2\"]\n[per-integration.ours]\nignore = [\"LDH1\"]\n",
    );
    assert_eq!(
        fork.validate(".", &[]),
        (1, vec![warning_in("acme-two"), warning_in("ours")])
    );
    // `!glob`: every integration the glob does not match, as a fork names what it does not own.
    fork.write(
        "ldhook.toml",
        "[per-integration.\"!acme-*\"]\nignore = [\"ldhook\"]\n",
    );
    assert_eq!(
        fork.validate(".", &[]),
        (0, vec![warning_in("acme-one"), warning_in("acme-two")])
    );
}

#[test]
fn paths_in_the_file_are_relative_to_it() {
    let fork = Fork::new(&["acme"]);
    // An event set with one event of a kind no template takes: the default template serves it.
    fork.write(
        "ldhook.toml",
        "events = \"my-events\"\nschema = \"embedded\"\n",
    );
    let error = fork.refused("integrations/acme", &[]);
    let events = fork.path("my-events").display().to_string();
    assert!(error.contains(&events), "{error}");
    let setting = format!(
        "`events` as {}:1:10 sets it: ",
        fork.path("ldhook.toml").display()
    );
    assert!(
        error.starts_with(&format!("ldhook: error: {setting}")),
        "{error}"
    );
    let shown = fork.show_config("integrations", &[]);
    assert!(
        shown.contains(&format!("events         {events}")),
        "{shown}"
    );
    assert!(shown.contains("schema         embedded"), "{shown}");
}

#[test]
fn an_inline_suppression_silences_its_rule_in_its_template_only() {
    let fork = Fork::new(&["acme", "theirs"]);
    fork.write(
        "integrations/acme/templates/flag.json.hbs",
        &format!(
            "{{{{!-- ldhook-ignore LDH217: the name is plain text --}}}}\n{ESCAPING_FLAG_TEMPLATE}"
        ),
    );
    assert_eq!(fork.validate(".", &[]), (0, vec![warning_in("theirs")]));
    // The manifest member that names the template is the template's too (LDH208 sits there).
    let dir = fork.path("integrations/acme");
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest");
    let one_policy = manifest.replace(
        ",\n        {\n          \"effect\": \"allow\",\n          \"resources\": [\"proj/*:env/production:segment/*\"],\n          \"actions\": [\"*\"]\n        }",
        "",
    );
    assert_ne!(
        one_policy, manifest,
        "the example's second policy statement"
    );
    std::fs::write(dir.join("manifest.json"), one_policy).expect("write");
    assert_eq!(
        fork.validate("integrations/acme", &[]),
        (0, vec!["LDH208 manifest.json:52:20".to_string()])
    );
    std::fs::write(
        dir.join("templates/default.json.hbs"),
        format!(
            "{{{{! ldhook-ignore template-unreachable }}}}\n{}",
            std::fs::read_to_string(Path::new(EXAMPLE).join("templates/default.json.hbs"))
                .expect("template")
        ),
    )
    .expect("write");
    assert_eq!(fork.validate("integrations/acme", &[]), (0, vec![]));
}

#[test]
fn an_unused_or_unknown_suppression_is_a_warning() {
    let fork = Fork::new(&["acme"]);
    fork.write(
        "integrations/acme/templates/flag.json.hbs",
        "{{!-- ldhook-ignore LDH217, LDH216, LDH999: why --}}\n{\"who\": \"{{member.displayName}}\"}\n{{!-- ldhook-ignore --}}\n",
    );
    let output = ldhook()
        .current_dir(fork.path("integrations/acme"))
        .args(["validate", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_string(),
                format!("{}:{}", d["line"], d["column"]),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "LDH218".to_string(),
                "1:29".to_string(),
                "`ldhook-ignore LDH216` silences nothing: this template has no LDH216 equal-else finding".to_string()
            ),
            (
                "LDH218".to_string(),
                "1:37".to_string(),
                "`LDH999` is not a rule ldhook knows; run `ldhook rules` to list them".to_string()
            ),
            (
                "LDH218".to_string(),
                "3:7".to_string(),
                "`ldhook-ignore` names no rule: write `ldhook-ignore LDH208: why`".to_string()
            ),
        ]
    );
    // A suppression is a finding like any other: it can itself be ignored.
    assert_eq!(
        fork.validate("integrations/acme", &["--ignore", "unused-suppression"]),
        (0, vec![])
    );
    // The directive in a form ldhook does not read silences nothing, and says why.
    for malformed in [
        "{{!-- ldhook-ignore: LDH217 --}}",
        "{{!-- LDHOOK-IGNORE LDH217 --}}",
        "{{!-- ldhook-ignoreLDH217 --}}",
        "{{!-- note: ldhook-ignore LDH217 --}}",
    ] {
        fork.write(
            "integrations/acme/templates/flag.json.hbs",
            &format!("{malformed}\n{ESCAPING_FLAG_TEMPLATE}"),
        );
        let (code, findings) = fork.validate("integrations/acme", &[]);
        assert_eq!(code, 0, "{malformed}");
        let column = malformed
            .to_ascii_lowercase()
            .find("ldhook-ignore")
            .expect("in it")
            + 1;
        assert_eq!(
            findings,
            [
                format!("LDH218 templates/flag.json.hbs:1:{column}"),
                "LDH217 templates/flag.json.hbs:2:10".to_string(),
            ],
            "{malformed}"
        );
    }
}

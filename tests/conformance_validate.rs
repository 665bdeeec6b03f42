//! No false alarms on the real world: the framework checkout's 123 public integrations all
//! pass the framework's own suite, so ldhook reports no error on any of them.

mod common;

use serde_json::Value;

#[test]
fn the_framework_checkout_has_no_errors() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let output = common::ldhook()
        .arg("validate")
        .arg(conformance.join("framework"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(
        errors.is_empty(),
        "errors on public integrations: {errors:#?}"
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["summary"]["files"], 123);
    // Warnings are allowed where true; every one names its template, field or variable.
    for warning in report["diagnostics"].as_array().expect("diagnostics") {
        assert!(
            warning["line"].as_u64().is_some(),
            "warning without a place: {warning}"
        );
    }
}

/// README's ldhook.toml for a fork: the upstream integrations the fork does not own pass
/// `--deny-warnings` untouched, while a warning in one of its own still fails the run.
#[test]
fn the_readme_fork_configuration_passes_upstream_and_gates_its_own() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let readme = include_str!("../README.md");
    let start = readme
        .find("```toml\n# ldhook.toml at the root of a fork")
        .expect("README shows the fork's configuration");
    let body = readme
        .get(start + "```toml\n".len()..)
        .and_then(|rest| rest.split("```").next())
        .expect("a closed block");
    let root = tempfile::tempdir().expect("temp dir");
    let config = root.path().join("ldhook.toml");
    std::fs::write(&config, body).expect("write");
    let run = |paths: &[&std::path::Path]| {
        let output = common::ldhook()
            .arg("validate")
            .args(paths)
            .arg("--config")
            .arg(&config)
            .args(["--format", "json"])
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
        let rules: Vec<String> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    d["rule"].as_str().unwrap_or(""),
                    d["file"].as_str().unwrap_or("")
                )
            })
            .collect();
        (output.status.code(), rules)
    };
    let upstream = conformance.join("framework");
    assert_eq!(run(&[&upstream]), (Some(0), vec![]));

    let ours = root.path().join("acme-alerts");
    common::copy_dir(std::path::Path::new(common::EXAMPLE), &ours);
    std::fs::write(
        ours.join("templates/flag.json.hbs"),
        "{\"who\": \"{{member.displayName}}\"}\n",
    )
    .expect("template");
    let (code, rules) = run(&[&upstream, &ours]);
    assert_eq!(code, Some(1));
    assert_eq!(
        rules,
        [format!(
            "LDH217 {}",
            ours.join("templates/flag.json.hbs").display()
        )]
    );
}

/// With ldhook's own sample events, whose flag title holds a `"`, the public integrations that
/// write `{{name}}` inside a JSON string send invalid JSON. Each such error is the framework
/// suite's `template-invalid-json`, at the template tag that HTML-escaped the `"`, naming the
/// fix, and nothing else is an error.
#[test]
fn html_escaping_that_breaks_public_json_is_found_at_the_tag() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let events = concat!(env!("CARGO_MANIFEST_DIR"), "/events");
    let output = common::ldhook()
        .arg("validate")
        .arg(conformance.join("framework"))
        .args(["--events", events, "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let mut integrations = std::collections::BTreeSet::new();
    for error in report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
    {
        assert_eq!(error["rule"], "LDH117", "{error}");
        let message = error["message"].as_str().expect("message");
        assert!(
            message.contains("writes `\\&quot;`, which is not JSON"),
            "{message}"
        );
        let file = error["file"].as_str().expect("file");
        let (integration, template) = file
            .split_once("/integrations/")
            .and_then(|(_, rest)| rest.split_once("/templates/"))
            .expect("in an integration's templates/");
        assert!(template.ends_with(".json.hbs"), "{file}");
        let tag_line = error["line"].as_u64().expect("line");
        let text = std::fs::read_to_string(file).expect("template");
        let line = text
            .lines()
            .nth(usize::try_from(tag_line).expect("line") - 1)
            .expect("the line");
        let column = usize::try_from(error["column"].as_u64().expect("column")).expect("column");
        let tag: String = line.chars().skip(column - 1).take(2).collect();
        assert_eq!(tag, "{{", "{file}:{tag_line}:{column} is not at a tag");
        let help = error["help"].as_str().expect("help");
        assert!(help.starts_with("use `{{{"), "{help}");
        assert_eq!(
            error["related"][0]["file"],
            file.replace(&format!("templates/{template}"), "manifest.json")
        );
        integrations.insert(integration.to_string());
    }
    assert_eq!(
        integrations.into_iter().collect::<Vec<_>>(),
        [
            "appoptics",
            "datadog",
            "datadog-private",
            "dynatrace",
            "dynatrace-v2",
            "elastic",
            "logdna",
            "msteams",
            "new-relic",
            "new-relic-apm",
            "sample-integration",
            "signalfx"
        ]
    );
}

/// The public integrations pass the framework's CI, Prettier and pre-commit included, so the
/// only fixes `--fix` finds in them are its own warnings' (html-escape-in-json), one for each
/// such finding the plain run reports, all kept, and `--diff` shows them without writing.
#[test]
fn fix_over_the_framework_checkout_makes_only_the_warnings_fixes() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let framework = conformance.join("framework");
    let plain = common::ldhook()
        .arg("validate")
        .arg(&framework)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&plain.stdout).expect("JSON report");
    let fixable: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d.get("fix").is_some())
        .collect();
    assert!(
        fixable.iter().all(|d| d["rule"] == "LDH217"),
        "{fixable:#?}"
    );
    let output = common::ldhook()
        .arg("validate")
        .arg(&framework)
        .args(["--fix", "--diff"])
        .output()
        .expect("runs");
    let stderr = common::text(&output.stderr);
    let made: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("ldhook: would fix ") && l.contains(": LDH"))
        .collect();
    assert_eq!(made.len(), fixable.len(), "{stderr}");
    assert!(
        made.iter()
            .all(|line| line.contains(": LDH217 html-escape-in-json: ")),
        "{stderr}"
    );
    assert!(!stderr.contains("not fixed"), "{stderr}");
    let diff = common::text(&output.stdout);
    let removed = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"));
    let added: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    let unstashed = |line: &str| {
        line.get(1..)
            .unwrap_or_default()
            .replace("{{{", "{{")
            .replace("}}}", "}}")
    };
    let removed: Vec<String> = removed.map(unstashed).collect();
    let added: Vec<String> = added.iter().map(|line| unstashed(line)).collect();
    assert!(!added.is_empty());
    assert_eq!(
        removed, added,
        "each changed line differs only in its stashes"
    );
}

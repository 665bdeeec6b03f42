//! The real binary, end to end: exit codes, every output format, stdin, selection, colour and
//! schema choice. Snapshots hold exit code, stdout and stderr together.

mod common;

use std::path::Path;
use std::process::Output;

use common::{ldhook, transcript};

fn run(args: &[&str]) -> Output {
    ldhook().args(args).output().expect("ldhook runs")
}

const BROKEN: &str = "tests/fixtures/schema-errors/manifest.json";

#[test]
fn clean_example_exits_0() {
    insta::assert_snapshot!(transcript(&run(&["validate", "examples/pulseboard"])));
}

#[test]
fn human_output_shows_every_finding_with_a_snippet() {
    insta::assert_snapshot!(transcript(&run(&["validate", BROKEN])));
}

#[test]
fn json_output_follows_the_contract() {
    let output = run(&["validate", BROKEN, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(report["version"], 3);
    assert_eq!(report["schema"], "embedded");
    assert_eq!(report["summary"]["files"], 1);
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(report["summary"]["errors"], diagnostics.len());
    for d in diagnostics {
        for field in [
            "rule",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "pointer",
            "message",
            "related",
        ] {
            assert!(d.get(field).is_some(), "{field} missing in {d}");
        }
    }
    insta::assert_json_snapshot!(report);
}

#[test]
fn github_output_is_workflow_commands() {
    insta::assert_snapshot!(transcript(&run(&[
        "validate", BROKEN, "--format", "github"
    ])));
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let output = run(&["validate", BROKEN, "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    }
    insta::assert_json_snapshot!(results);
}

#[test]
fn select_and_ignore_filter_by_rule_and_group() {
    let only_unknown = run(&["validate", BROKEN, "--format", "json", "--select", "LDH010"]);
    let report: serde_json::Value = serde_json::from_slice(&only_unknown.stdout).expect("JSON");
    let rules: Vec<_> = report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["rule"].clone())
        .collect();
    assert_eq!(rules, ["LDH010"]);

    let nothing = run(&["validate", BROKEN, "--ignore", "schema"]);
    assert_eq!(nothing.status.code(), Some(0), "{}", transcript(&nothing));
}

#[test]
fn usage_errors_exit_2() {
    insta::assert_snapshot!(
        "missing_path",
        transcript(&run(&["validate", "no/such/manifest.json"]))
    );
    insta::assert_snapshot!(
        "unknown_rule",
        transcript(&run(&["validate", BROKEN, "--select", "LDH999"]))
    );
    insta::assert_snapshot!("no_manifest_here", transcript(&run(&["validate", "tests"])));
    insta::assert_snapshot!(
        "missing_schema",
        transcript(&run(&[
            "validate",
            BROKEN,
            "--schema",
            "no-such-schema.json"
        ]))
    );
    assert_eq!(run(&["validate", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(
        run(&["validate", "--stdin-filename", "m.json", BROKEN])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn reads_standard_input_under_the_given_name() {
    let manifest = std::fs::read(BROKEN).expect("fixture");
    let output = ldhook()
        .args([
            "validate",
            "-",
            "--stdin-filename",
            "integrations/acme/manifest.json",
            "--format",
            "github",
        ])
        .write_stdin(manifest)
        .output()
        .expect("ldhook runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (annotations, log): (Vec<&str>, Vec<&str>) =
        stdout.lines().partition(|l| l.starts_with("::"));
    assert!(
        annotations
            .iter()
            .all(|l| l.contains("file=integrations/acme/manifest.json,")),
        "{stdout}"
    );
    assert_eq!(annotations.len(), 9, "{stdout}");
    assert_eq!(log.len(), 1, "only the summary is log text: {stdout}");

    let unnamed = ldhook()
        .args(["validate", "-"])
        .write_stdin("{")
        .output()
        .expect("ldhook runs");
    assert_eq!(unnamed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unnamed.stdout).contains("<stdin>:1:2"));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let esc = |o: &Output| o.stdout.contains(&0x1b);
    assert!(esc(&run(&["validate", BROKEN, "--color", "always"])));
    assert!(!esc(&run(&["validate", BROKEN, "--color", "never"])));
    assert!(
        !esc(&run(&["validate", BROKEN])),
        "not a terminal: no colour"
    );
    let no_color = ldhook()
        .env("NO_COLOR", "1")
        .args(["validate", BROKEN])
        .output()
        .expect("runs");
    assert!(!esc(&no_color));
    assert!(!esc(&run(&[
        "validate", BROKEN, "--color", "always", "--format", "json"
    ])));
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn uses_the_checkout_schema_inside_a_framework_checkout() {
    let checkout = tempfile::tempdir().expect("temp dir");
    let root = checkout.path();
    write(
        &root.join("manifest.schema.json"),
        r#"{"type": "object", "required": ["mascot"]}"#,
    );
    let example = std::fs::read_to_string("examples/pulseboard/manifest.json").expect("example");
    write(
        &root.join("integrations/pulseboard/manifest.json"),
        &example,
    );

    let json = |args: &[&str]| -> serde_json::Value {
        let output = ldhook()
            .current_dir(root)
            .args(args)
            .output()
            .expect("runs");
        serde_json::from_slice(&output.stdout).expect("JSON")
    };
    // Only the manifest is copied, so the schema is what this test looks at.
    let inside = json(&["validate", "--format", "json", "--select", "schema"]);
    assert_eq!(
        inside["schema"],
        std::path::absolute(root)
            .expect("abs")
            .join("manifest.schema.json")
            .display()
            .to_string()
    );
    assert_eq!(inside["summary"]["files"], 1);
    assert_eq!(
        inside["diagnostics"][0]["message"],
        "missing required property `mascot` at the top level"
    );
    assert_eq!(
        inside["diagnostics"][0]["file"],
        "integrations/pulseboard/manifest.json"
    );

    let embedded = json(&[
        "validate",
        "integrations/pulseboard",
        "--schema",
        "embedded",
        "--select",
        "schema",
        "--format",
        "json",
    ]);
    assert_eq!(embedded["schema"], "embedded");
    assert_eq!(embedded["summary"]["errors"], 0);
}

#[test]
fn rules_and_explain_document_every_rule() {
    let list = run(&["rules"]);
    assert_eq!(list.status.code(), Some(0));
    let text = String::from_utf8_lossy(&list.stdout);
    for rule in ldhook::registry::ALL {
        assert!(
            text.contains(rule.id) && text.contains(rule.name),
            "{} missing",
            rule.id
        );
    }
    insta::assert_snapshot!(transcript(&run(&["explain", "unknown-property"])));
    assert_eq!(run(&["explain", "LDH999"]).status.code(), Some(2));
}

/// A finding in a template, in every format: the template file and the tag's line:column,
/// with the manifest member that names the template as a related place.
#[test]
fn template_findings_in_every_format() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("pulseboard");
    common::copy_dir(Path::new(common::EXAMPLE), &dir);
    let template = dir.join("templates/flag.json.hbs");
    let text = std::fs::read_to_string(&template).expect("template");
    let broken = text.replace("{{{project.name}}}", "{{{project.environment.colour}}}");
    std::fs::write(&template, broken).expect("write");
    for format in ["human", "json", "github", "sarif"] {
        let output = ldhook()
            .current_dir(root.path())
            .args(["validate", "pulseboard", "--format", format])
            .output()
            .expect("ldhook runs");
        assert_eq!(output.status.code(), Some(1), "{format}");
        // SARIF names the repository root (here the temporary directory) by its absolute URI.
        let temp = std::fs::canonicalize(root.path()).expect("canonical");
        insta::assert_snapshot!(
            format!("template_finding_{format}"),
            transcript(&output).replace(&format!("file://{}/", temp.display()), "file://[TEMP]/")
        );
    }
}

/// README's table of rules is the registry's, row for row: id, name, group, severity and
/// summary.
#[test]
fn readme_lists_every_rule_as_the_registry_does() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let rows: Vec<String> = readme
        .lines()
        .filter(|line| line.starts_with("| LDH"))
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = ldhook::registry::ALL
        .iter()
        .map(|rule| {
            format!(
                "| {} | {} | {} | {} | {} |",
                rule.id,
                rule.name,
                rule.group.as_str(),
                rule.severity.as_str(),
                rule.summary
            )
        })
        .collect();
    assert_eq!(rows, expected);
}

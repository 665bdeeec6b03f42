//! Which manifests `validate` checks for the paths it is given: files of an integration,
//! directories of integrations, what git ignores, and standard input without a name.

mod common;

use std::path::Path;

use common::{Example, example_checkout, files_with_findings, ldhook, text};

struct Run {
    code: Option<i32>,
    json: serde_json::Value,
    stderr: String,
}

fn validate(dir: &Path, paths: &[&str]) -> Run {
    let output = ldhook()
        .current_dir(dir)
        .arg("validate")
        .args(paths)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    Run {
        code: output.status.code(),
        json: serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null),
        stderr: text(&output.stderr),
    }
}

fn manifests(keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| format!("integrations/{k}/manifest.json"))
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The bug: a template path was parsed as a manifest (LDH001).
#[test]
fn a_template_outside_a_checkout_validates_its_integration() {
    let example = Example::new();
    example.edit(|m| m["overview"] = serde_json::json!("An overview without its period"));
    let run = validate(
        example.root.path(),
        &[
            "pulseboard/templates/flag.json.hbs",
            "pulseboard/assets/square.svg",
            "pulseboard/README.md",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.json["summary"]["files"], 1);
    assert_eq!(files_with_findings(&run.json), ["pulseboard/manifest.json"]);
    assert_eq!(run.json["diagnostics"][0]["rule"], "LDH102");
    assert_eq!(run.stderr, "");
}

#[test]
fn a_template_named_from_inside_its_integration_names_the_integration_as_dot_relative() {
    let example = Example::new();
    example.edit(|m| m["overview"] = serde_json::json!("An overview without its period"));
    let run = validate(&example.path("templates"), &["flag.json.hbs"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(files_with_findings(&run.json), ["../manifest.json"]);
}

#[test]
fn a_file_outside_every_integration_and_checkout_is_still_read_as_a_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    write(&dir.path().join("drafts/new.json"), "{");
    let run = validate(dir.path(), &["drafts/new.json"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(files_with_findings(&run.json), ["drafts/new.json"]);
    assert_eq!(run.json["diagnostics"][0]["rule"], "LDH001");
}

#[test]
fn a_directory_of_integrations_validates_each_one_level_down() {
    let dir = tempfile::tempdir().expect("temp dir");
    for key in ["one", "two", "deeper/three"] {
        let target = dir.path().join("mine").join(key);
        common::copy_dir(Path::new(common::EXAMPLE), &target);
        common::edit_manifest(&target, |m| {
            m["overview"] = serde_json::json!("An overview without its period");
        });
    }
    let run = validate(dir.path(), &["mine"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.json["summary"]["files"], 2,
        "deeper/three is two levels down"
    );
    assert_eq!(
        files_with_findings(&run.json),
        ["mine/one/manifest.json", "mine/two/manifest.json"]
    );
}

#[test]
fn integrations_of_a_checkout_validate_as_the_checkout_does() {
    let checkout = example_checkout(&["alpha", "beta"]);
    for path in ["integrations", "integrations/", "."] {
        let run = validate(checkout.path(), &[path]);
        assert_eq!(run.code, Some(1), "{path}: {}", run.stderr);
        assert_eq!(
            files_with_findings(&run.json),
            manifests(&["alpha", "beta"]),
            "{path}"
        );
        let schema =
            std::path::absolute(checkout.path().join("manifest.schema.json")).expect("absolute");
        assert_eq!(run.json["schema"], schema.display().to_string(), "{path}");
    }
}

#[test]
fn every_path_of_one_integration_is_checked_once_with_the_checkout() {
    let checkout = example_checkout(&["alpha", "beta"]);
    let absolute = checkout
        .path()
        .join("integrations/alpha/templates/flag.json.hbs");
    let run = validate(
        checkout.path(),
        &[
            "integrations/alpha/templates",
            "./integrations/alpha/README.md",
            "integrations/alpha/manifest.json",
            ".",
            absolute.to_str().expect("a UTF-8 temporary path"),
        ],
    );
    assert_eq!(run.json["summary"]["files"], 2);
    assert_eq!(run.json["summary"]["errors"], 2);
    assert_eq!(
        files_with_findings(&run.json),
        manifests(&["alpha", "beta"])
    );
}

#[test]
fn a_file_of_a_checkout_outside_every_integration_is_skipped_with_a_note() {
    let checkout = example_checkout(&["alpha"]);
    write(&checkout.path().join("package.json"), "{}");
    write(
        &checkout.path().join(".github/workflows/ci.yml"),
        "on: push\n",
    );
    let skipped = validate(
        checkout.path(),
        &["package.json", ".github/workflows/ci.yml"],
    );
    assert_eq!(skipped.code, Some(0));
    assert_eq!(skipped.json["summary"]["files"], 0);
    assert_eq!(
        skipped.stderr,
        "ldhook: skipped package.json: not part of an integration\n\
         ldhook: skipped .github/workflows/ci.yml: not part of an integration\n\
         ldhook: nothing to validate: every path named is part of no integration\n"
    );
    let nothing = ldhook()
        .current_dir(checkout.path())
        .args(["validate", "package.json"])
        .output()
        .expect("runs");
    assert_eq!(
        text(&nothing.stdout),
        "Nothing was checked: no manifest among the paths.\n"
    );

    let human = ldhook()
        .current_dir(checkout.path())
        .args(["validate", "package.json", "integrations/alpha/README.md"])
        .output()
        .expect("runs");
    assert_eq!(human.status.code(), Some(1));
    assert_eq!(
        text(&human.stderr),
        "ldhook: skipped package.json: not part of an integration\n"
    );
    assert!(text(&human.stdout).contains("in 1 manifest"));
}

#[test]
fn a_path_that_does_not_exist_still_cannot_run() {
    let checkout = example_checkout(&["alpha"]);
    let run = validate(
        checkout.path(),
        &["integrations/alpha/templates/gone.json.hbs"],
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "ldhook: error: integrations/alpha/templates/gone.json.hbs: no such file or directory\n"
    );
}

#[test]
fn a_file_of_an_integration_without_a_manifest_cannot_run() {
    let checkout = example_checkout(&["alpha"]);
    std::fs::remove_file(checkout.path().join("integrations/alpha/manifest.json")).expect("rm");
    let run = validate(
        checkout.path(),
        &["integrations/alpha/templates/flag.json.hbs"],
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "ldhook: error: integrations/alpha/templates/flag.json.hbs: belongs to the integration \
         integrations/alpha, which has no manifest.json\n"
    );
}

#[test]
fn integrations_git_ignores_are_skipped_unless_named() {
    let checkout = example_checkout(&["alpha", "scratch", "local", "kept-local", "mine"]);
    write(
        &checkout.path().join(".gitignore"),
        "/integrations/scratch/\n",
    );
    write(
        &checkout.path().join("integrations/.gitignore"),
        "*local/\n!kept-local/\n",
    );
    write(&checkout.path().join(".git/info/exclude"), "mine\n");
    for path in [".", "integrations", "manifest.schema.json"] {
        let run = validate(checkout.path(), &[path]);
        assert_eq!(
            files_with_findings(&run.json),
            manifests(&["alpha", "kept-local"]),
            "{path}"
        );
    }
    let named = validate(
        checkout.path(),
        &[
            "integrations/scratch",
            "integrations/local/templates/flag.json.hbs",
            "integrations/mine/manifest.json",
        ],
    );
    assert_eq!(
        files_with_findings(&named.json),
        manifests(&["local", "mine", "scratch"])
    );
}

#[test]
fn a_checkout_whose_integrations_directory_is_ignored_checks_it_only_when_named() {
    let checkout = example_checkout(&["alpha"]);
    write(&checkout.path().join(".gitignore"), "integrations/\n");
    let root = validate(checkout.path(), &["."]);
    assert_eq!(root.code, Some(0));
    assert_eq!(root.json["summary"]["files"], 0);
    let named = validate(checkout.path(), &["integrations"]);
    assert_eq!(files_with_findings(&named.json), manifests(&["alpha"]));
}

#[test]
fn ignore_files_apply_only_inside_a_git_repository() {
    let checkout = example_checkout(&["alpha", "scratch"]);
    std::fs::remove_dir_all(checkout.path().join(".git")).expect("rm .git");
    write(&checkout.path().join(".gitignore"), "scratch/\n");
    let run = validate(checkout.path(), &["."]);
    assert_eq!(
        files_with_findings(&run.json),
        manifests(&["alpha", "scratch"])
    );
}

#[test]
fn an_unreadable_ignore_file_cannot_run_and_is_named() {
    let checkout = example_checkout(&["alpha"]);
    std::fs::write(checkout.path().join("integrations/.gitignore"), b"\xff\n").expect("write");
    let run = validate(checkout.path(), &["."]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .ends_with("integrations/.gitignore:1:1: not valid UTF-8 text (byte 0xFF)\n"),
        "{}",
        run.stderr
    );
}

/// Standard input has no directory, so what the manifest names beside it is not looked for in
/// the current one (where it would be missing, or some other integration's).
#[test]
fn unnamed_standard_input_skips_the_file_checks_and_says_so_once() {
    let manifest =
        std::fs::read_to_string(Path::new(common::EXAMPLE).join("manifest.json")).expect("example");
    let unnamed = ldhook()
        .args(["validate", "-", "--format", "json"])
        .write_stdin(manifest.clone())
        .output()
        .expect("runs");
    assert_eq!(unnamed.status.code(), Some(0), "{}", text(&unnamed.stdout));
    let json: serde_json::Value = serde_json::from_slice(&unnamed.stdout).expect("JSON");
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(
        text(&unnamed.stderr),
        "ldhook: standard input: the icons and templates the manifest names are not checked, \
         since nothing says where it is; give --stdin-filename PATH to place it\n"
    );

    // Placed beside nothing, the same manifest's icons and templates are missing.
    let dir = tempfile::tempdir().expect("temp dir");
    let named = ldhook()
        .current_dir(dir.path())
        .args([
            "validate",
            "-",
            "--stdin-filename",
            "manifest.json",
            "--format",
            "json",
        ])
        .write_stdin(manifest)
        .output()
        .expect("runs");
    assert_eq!(named.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&named.stdout).expect("JSON");
    let rules: std::collections::BTreeSet<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["LDH101", "LDH113"],
        "icon-missing and template-missing"
    );
    assert_eq!(text(&named.stderr), "");
}

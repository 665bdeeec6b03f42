//! `validate --fix`: every fix it makes, shown as the file before (the bundled example with one
//! mistake put in) and after (the example as it was); the fixes it must not make; `--diff`;
//! and the refusal of a fix that would make validation worse.

mod common;

use std::fs;
use std::path::Path;

use common::{Example, ldhook};
use serde_json::Value;

/// The example with `from` replaced by `to` (once, and it must be there) in `file`.
fn with_mistake(file: &str, from: &str, to: &str) -> Example {
    let example = Example::new();
    let path = example.path(file);
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {file}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
    example
}

fn pristine(file: &str) -> String {
    fs::read_to_string(Path::new(common::EXAMPLE).join(file)).expect("read")
}

fn current(example: &Example, file: &str) -> String {
    fs::read_to_string(example.path(file)).expect("read")
}

fn fix(example: &Example) -> std::process::Output {
    ldhook()
        .arg("validate")
        .arg(&example.dir)
        .args(["--fix", "--color", "never"])
        .output()
        .expect("runs")
}

/// The mistake is fixed back to the example's own text, and the run then finds nothing.
fn assert_fixed(file: &str, from: &str, to: &str, rule: &str) {
    let example = with_mistake(file, from, to);
    let output = fix(&example);
    let stderr = common::text(&output.stderr);
    assert_eq!(current(&example, file), pristine(file), "{rule}: {stderr}");
    assert!(stderr.contains(&format!(": {rule} ")), "{rule}: {stderr}");
    assert!(
        stderr.contains("ldhook: fixed 1 finding in 1 file"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(0), "{rule}: {stderr}");
    assert!(common::text(&output.stdout).starts_with("All checks passed"));
}

#[test]
fn adds_the_overview_period() {
    assert_fixed(
        "manifest.json",
        "change timeline.\"",
        "change timeline\"",
        "LDH102",
    );
}

#[test]
fn the_overview_period_replaces_trailing_spaces() {
    assert_fixed(
        "manifest.json",
        "change timeline.\"",
        "change timeline  \"",
        "LDH102",
    );
}

#[test]
fn triple_stashes_event_text_in_a_json_string() {
    assert_fixed(
        "templates/flag.json.hbs",
        "\"summary\": \"{{{member.displayName}}}",
        "\"summary\": \"{{member.displayName}}",
        "LDH217",
    );
}

#[test]
fn renames_a_misspelt_property_with_one_likely_name() {
    assert_fixed(
        "manifest.json",
        "\"supportEmail\":",
        "\"supportEmial\":",
        "LDH010",
    );
}

#[test]
fn removes_an_unused_suppression() {
    assert_fixed(
        "templates/flag.json.hbs",
        "{\n  \"source\"",
        "{{!-- ldhook-ignore LDH217: nothing is escaped here --}}\n{\n  \"source\"",
        "LDH218",
    );
}

#[test]
fn formats_the_manifest_as_prettier_does() {
    assert_fixed(
        "manifest.json",
        "\"categories\": [\"monitoring\", \"notifications\"],",
        "\"categories\": [\n    \"monitoring\",\n    \"notifications\"\n  ],",
        "LDH125",
    );
}

#[test]
fn removes_trailing_whitespace() {
    assert_fixed(
        "templates/flag.json.hbs",
        "\"kind\": \"flag\",\n",
        "\"kind\": \"flag\", \t\n",
        "LDH122",
    );
}

#[test]
fn ends_a_file_with_one_line_break() {
    let example = Example::new();
    let file = "templates/default.json.hbs";
    let text = pristine(file);
    fs::write(example.path(file), text.trim_end()).expect("write");
    fix(&example);
    assert_eq!(current(&example, file), text);
    fs::write(example.path(file), format!("{text}\n\n")).expect("write");
    fix(&example);
    assert_eq!(current(&example, file), text);
}

/// Form variables are not JSON-escaped, so the triple-stash would break on a `"`: the finding
/// stays, with no fix, and the template is not touched.
#[test]
fn never_triple_stashes_a_form_variable() {
    let example = with_mistake(
        "templates/validation.json.hbs",
        "\"kind\": \"test\",",
        "\"kind\": \"test\",\n  \"timeline\": \"{{formVariables.timelineId}}\",",
    );
    let before = current(&example, "templates/validation.json.hbs");
    let output = fix(&example);
    assert_eq!(current(&example, "templates/validation.json.hbs"), before);
    let stdout = common::text(&output.stdout);
    assert!(stdout.contains("LDH217"), "{stdout}");
    assert!(!stdout.contains("ldhook validate --fix"), "{stdout}");
}

/// `linons` is as near `icons` as `links`: which was meant is a question, not a fix.
#[test]
fn an_ambiguous_misspelling_is_not_renamed() {
    let example = with_mistake("manifest.json", "\"icons\":", "\"linons\":");
    let before = current(&example, "manifest.json");
    let output = ldhook()
        .arg("validate")
        .arg(&example.dir)
        .args(["--fix", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(current(&example, "manifest.json"), before);
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let unknown = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "LDH010")
        .expect("the unknown property is still reported");
    assert!(unknown.get("fix").is_none(), "{unknown}");
}

/// Renaming `auther` to `author` would give `author` a number: the rename is refused and
/// said why, and the manifest is not written.
#[test]
fn refuses_a_fix_that_makes_validation_worse() {
    let example = with_mistake(
        "manifest.json",
        "\"author\": \"Pulseboard Labs\"",
        "\"auther\": 5",
    );
    let before = current(&example, "manifest.json");
    let output = fix(&example);
    let stderr = common::text(&output.stderr);
    assert_eq!(current(&example, "manifest.json"), before);
    assert!(
        stderr.contains(
            "not fixed pulseboard/manifest.json:6:3: LDH010 unknown-property: rename `auther` to `author`: it would add LDH012 wrong-type"
        ) || stderr.contains("rename `auther` to `author`: it would add LDH012 wrong-type"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixed 0 findings in 0 files; 1 fix refused"),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(1));
}

/// A refused fix does not stop the others: the overview gets its period.
#[test]
fn a_refused_fix_leaves_the_good_ones_made() {
    let example = with_mistake(
        "manifest.json",
        "\"author\": \"Pulseboard Labs\"",
        "\"auther\": 5",
    );
    let text =
        current(&example, "manifest.json").replacen("change timeline.\"", "change timeline\"", 1);
    fs::write(example.path("manifest.json"), &text).expect("write");
    let output = fix(&example);
    let stderr = common::text(&output.stderr);
    let after = current(&example, "manifest.json");
    assert!(after.contains("change timeline.\""), "{stderr}");
    assert!(after.contains("\"auther\": 5"), "{stderr}");
    assert!(
        stderr.contains("fixed 1 finding in 1 file; 1 fix refused"),
        "{stderr}"
    );
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let example = with_mistake("manifest.json", "change timeline.\"", "change timeline\"");
    let before = current(&example, "manifest.json");
    let output = ldhook()
        .current_dir(example.root.path())
        .args(["validate", "pulseboard", "--fix", "--diff"])
        .output()
        .expect("runs");
    assert_eq!(current(&example, "manifest.json"), before);
    assert_eq!(output.status.code(), Some(1));
    let stdout = common::text(&output.stdout);
    assert!(
        stdout.starts_with("--- pulseboard/manifest.json\n+++ pulseboard/manifest.json\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n-  \"overview\": \"Post LaunchDarkly flag changes to your Pulseboard change timeline\",\n+  \"overview\": \"Post LaunchDarkly flag changes to your Pulseboard change timeline.\",\n"), "{stdout}");
    assert!(
        common::text(&output.stderr).contains("would fix 1 finding in 1 file"),
        "{}",
        common::text(&output.stderr)
    );
    // Nothing to fix: no diff, and the exit code is the findings'.
    let clean = Example::new();
    ldhook()
        .arg("validate")
        .arg(&clean.dir)
        .args(["--fix", "--diff"])
        .assert()
        .code(0)
        .stdout("");
}

#[cfg(unix)]
#[test]
fn a_fixed_file_keeps_its_permissions_and_nothing_is_left_beside_it() {
    use std::os::unix::fs::PermissionsExt as _;
    let example = with_mistake("manifest.json", "change timeline.\"", "change timeline\"");
    let manifest = example.path("manifest.json");
    fs::set_permissions(&manifest, fs::Permissions::from_mode(0o640)).expect("chmod");
    let names_before = common::names(&example.dir);
    fix(&example);
    assert_eq!(
        current(&example, "manifest.json"),
        pristine("manifest.json")
    );
    let mode = fs::metadata(&manifest).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(common::names(&example.dir), names_before);
}

#[test]
fn standard_input_cannot_be_fixed() {
    ldhook()
        .args(["validate", "-", "--fix"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot fix standard input"));
}

/// A template reached through a link that leaves the integration is not read, so nothing in
/// it is fixed, and the file it points to is never written.
#[cfg(unix)]
#[test]
fn never_touches_a_file_outside_the_integration() {
    let example = Example::new();
    let outside = example.root.path().join("outside.json.hbs");
    let escaping = pristine("templates/flag.json.hbs").replacen(
        "{{{member.displayName}}}",
        "{{member.displayName}}",
        1,
    );
    fs::write(&outside, &escaping).expect("write");
    let link = example.path("templates/flag.json.hbs");
    fs::remove_file(&link).expect("rm");
    std::os::unix::fs::symlink(&outside, &link).expect("symlink");
    fix(&example);
    assert_eq!(fs::read_to_string(&outside).expect("read"), escaping);
    assert!(
        fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink()
    );
}

/// The fix a finding carries is in the JSON report, as bytes and as line:column.
#[test]
fn json_and_sarif_carry_each_fix() {
    let example = with_mistake("manifest.json", "change timeline.\"", "change timeline\"");
    let output = ldhook()
        .arg("validate")
        .arg(&example.dir)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let finding = &report["diagnostics"][0];
    assert_eq!(finding["rule"], "LDH102");
    let text = current(&example, "manifest.json");
    let edit = &finding["fix"]["edits"][0];
    let at = text.find("change timeline\"").expect("there") + "change timeline".len();
    assert_eq!(edit["start"], at);
    assert_eq!(edit["end"], at);
    assert_eq!(edit["replacement"], ".");
    assert_eq!(edit["line"], 4);
    assert_eq!(finding["fix"]["message"], "end `overview` with a period");

    let output = ldhook()
        .arg("validate")
        .arg(&example.dir)
        .args(["--format", "sarif"])
        .output()
        .expect("runs");
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF");
    let fixes = &sarif["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(fixes["description"]["text"], "end `overview` with a period");
    let replacement = &fixes["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], ".");
    assert_eq!(replacement["deletedRegion"]["startLine"], 4);
    assert!(
        fixes["artifactChanges"][0]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|uri| uri.ends_with("pulseboard/manifest.json")),
        "{fixes}"
    );
}

/// However the path is spelt (`..` here), the fixes made in memory are the ones validated.
#[test]
fn a_path_through_dot_dot_is_fixed_as_any_other() {
    let example = with_mistake("manifest.json", "change timeline.\"", "change timeline\"");
    let elsewhere = example.root.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    let output = ldhook()
        .current_dir(&elsewhere)
        .args(["validate", "../pulseboard", "--fix"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::text(&output.stderr)
    );
    assert_eq!(
        current(&example, "manifest.json"),
        pristine("manifest.json")
    );
}

/// A file that cannot be replaced (immutable, or in a read-only directory) stops the run with
/// exit 2 and the reason; it keeps its text and no staged copy is left beside it.
#[cfg(unix)]
#[test]
fn a_fix_that_cannot_be_written_leaves_the_file_and_no_stage() {
    use std::os::unix::fs::PermissionsExt as _;
    let example = with_mistake("manifest.json", "change timeline.\"", "change timeline\"");
    let manifest = example.path("manifest.json");
    let before = current(&example, "manifest.json");
    let names = common::names(&example.dir);
    let chattr = |flag: &str| {
        std::process::Command::new("chattr")
            .arg(flag)
            .arg(&manifest)
            .status()
            .is_ok_and(|status| status.success())
    };
    let immutable = chattr("+i");
    if !immutable {
        fs::set_permissions(&example.dir, fs::Permissions::from_mode(0o555)).expect("chmod");
        if fs::write(example.dir.join("probe"), "").is_ok() {
            fs::set_permissions(&example.dir, fs::Permissions::from_mode(0o755)).expect("chmod");
            eprintln!("NOTICE: nothing stops a write here; skipped");
            return;
        }
    }
    let output = fix(&example);
    if immutable {
        chattr("-i");
    } else {
        fs::set_permissions(&example.dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let stderr = common::text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("manifest.json: cannot write the fixed file: "),
        "{stderr}"
    );
    assert_eq!(current(&example, "manifest.json"), before);
    assert_eq!(common::names(&example.dir), names);
}

/// An integration reached through a linked directory (a checkout beside a linked `shared/`)
/// is fixed in place: the fix is written to the file the link leads to, which is inside it.
#[cfg(unix)]
#[test]
fn an_integration_through_a_linked_directory_is_fixed() {
    let example = with_mistake("manifest.json", "change timeline.\"", "change timeline\"");
    let link = example.root.path().join("via");
    std::os::unix::fs::symlink(example.root.path(), &link).expect("symlink");
    let output = ldhook()
        .arg("validate")
        .arg(link.join("pulseboard"))
        .arg("--fix")
        .output()
        .expect("runs");
    let stderr = common::text(&output.stderr);
    assert!(stderr.contains("fixed 1 finding in 1 file"), "{stderr}");
    assert_eq!(
        current(&example, "manifest.json"),
        pristine("manifest.json")
    );
}

//! `ldhook snapshot`, `validate --snapshots` and `render --all --format markdown`: the
//! review workflow from a written snapshot through an edit, a failing check and an update.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn ldhook(args: &[&str]) -> Output {
    common::ldhook().args(args).output().expect("ldhook runs")
}

fn snapshot(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["snapshot", dir.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    ldhook(&args)
}

fn code(output: &Output) -> Option<i32> {
    output.status.code()
}

fn snap_file(example: &common::Example) -> PathBuf {
    example.path(".ldhook/payloads.snap")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn write_check_edit_fail_update_and_check_clean() {
    let example = common::Example::new();
    let written = snapshot(&example.dir, &[]);
    assert_eq!(code(&written), Some(0), "{}", common::transcript(&written));
    assert!(common::text(&written.stdout).contains("payloads.snap: written (19 events)"));

    let clean = snapshot(&example.dir, &["--check"]);
    assert_eq!(code(&clean), Some(0), "{}", common::transcript(&clean));
    assert!(common::text(&clean.stdout).contains("up to date (19 events)"));

    let template = example.path("templates/flag.json.hbs");
    let edited = read(&template).replace("\"title\": ", "\"headline\": ");
    std::fs::write(&template, edited).expect("edit the template");
    let before = read(&snap_file(&example));
    let failed = snapshot(&example.dir, &["--check"]);
    assert_eq!(code(&failed), Some(1), "{}", common::transcript(&failed));
    let said = common::text(&failed.stdout);
    assert!(
        said.contains("the request for flag/update (templates/flag.json.hbs) changed:\n--- flag/update (snapshot)\n+++ flag/update (rendered now)\n"),
        "{said}"
    );
    assert!(said.contains("\n-  \"title\": "), "{said}");
    assert!(said.contains("\n+  \"headline\": "), "{said}");
    // Only the flag template's events changed: the default template's did not.
    assert!(!said.contains("the request for segment/create"), "{said}");
    assert!(
        said.contains("9 requests changed; `ldhook snapshot --update`"),
        "{said}"
    );
    assert_eq!(read(&snap_file(&example)), before, "--check writes nothing");

    let updated = snapshot(&example.dir, &["--update"]);
    assert_eq!(code(&updated), Some(0), "{}", common::transcript(&updated));
    assert!(read(&snap_file(&example)).contains("\"headline\": "));
    let again = snapshot(&example.dir, &["--check"]);
    assert_eq!(code(&again), Some(0), "{}", common::transcript(&again));
}

#[test]
fn a_snapshot_is_the_same_bytes_wherever_and_whenever_it_is_written() {
    let one = common::Example::new();
    let two = common::Example::new();
    for example in [&one, &two] {
        let output = snapshot(&example.dir, &[]);
        assert_eq!(code(&output), Some(0), "{}", common::transcript(&output));
    }
    let first = read(&snap_file(&one));
    assert_eq!(first, read(&snap_file(&two)));
    std::fs::remove_file(snap_file(&one)).expect("remove");
    let output = snapshot(&one.dir, &[]);
    assert_eq!(code(&output), Some(0));
    assert_eq!(read(&snap_file(&one)), first);
    for root in [one.root.path(), two.root.path()] {
        assert!(!first.contains(root.to_str().expect("utf-8")), "{first}");
    }
    // What the framework's pre-commit hooks would rewrite is not there.
    assert!(first.lines().all(|line| line.trim_end() == line));
    assert!(first.ends_with("}\n") && !first.ends_with("\n\n"));
    assert!(!first.lines().any(|line| line.starts_with("=======")
        || line.starts_with("<<<<<<< ")
        || line.starts_with(">>>>>>> ")));
}

#[test]
fn secrets_never_appear_in_a_snapshot() {
    let example = common::Example::new();
    let output = common::ldhook()
        .env("LDHOOK_VAR_apiToken", "real-secret-token")
        .args(["snapshot", example.dir.to_str().expect("utf-8")])
        .output()
        .expect("ldhook runs");
    assert_eq!(code(&output), Some(0), "{}", common::transcript(&output));
    let text = read(&snap_file(&example));
    assert!(!text.contains("real-secret-token"));
    // The secret's test value is masked too, in every request.
    assert_eq!(
        text.matches("Authorization: Bearer ********\n").count(),
        19,
        "{text}"
    );
    assert!(!text.contains("Bearer apiToken"), "{text}");
}

#[test]
fn new_and_vanished_events_are_named() {
    let example = common::Example::new();
    let events = example.root.path().join("events");
    common::copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/events")),
        &events,
    );
    let events_arg = events.to_str().expect("utf-8").to_string();
    let output = snapshot(&example.dir, &["--events", &events_arg]);
    assert_eq!(code(&output), Some(0), "{}", common::transcript(&output));
    std::fs::rename(
        events.join("flag/toggle-on.json"),
        events.join("flag/switched-on.json"),
    )
    .expect("rename an event");
    let output = snapshot(&example.dir, &["--check", "--events", &events_arg]);
    assert_eq!(code(&output), Some(1), "{}", common::transcript(&output));
    let said = common::text(&output.stdout);
    assert!(
        said.contains("new event flag/switched-on (templates/flag.json.hbs): not in the snapshot"),
        "{said}"
    );
    assert!(
        said.contains(
            "event flag/toggle-on is in the snapshot but no longer among the sample events"
        ),
        "{said}"
    );
    assert!(said.contains("1 new event, 1 vanished event"), "{said}");
}

#[test]
fn a_rendering_error_is_in_the_snapshot_and_its_fix_is_a_diff() {
    let example = common::Example::new();
    let template = example.path("templates/default.json.hbs");
    let good = read(&template);
    std::fs::write(&template, good.replacen("{{", "{{#if}}", 1)).expect("break");
    let output = snapshot(&example.dir, &[]);
    assert_eq!(code(&output), Some(0), "{}", common::transcript(&output));
    let text = read(&snap_file(&example));
    assert!(text.contains("\nerror:\n| "), "{text}");
    std::fs::write(&template, good).expect("fix");
    let output = snapshot(&example.dir, &["--check"]);
    assert_eq!(code(&output), Some(1));
    let said = common::text(&output.stdout);
    assert!(said.contains("\n-error:\n"), "{said}");
    assert!(said.contains("\n+body: JSON, "), "{said}");
}

#[test]
fn no_snapshot_yet_fails_the_check_and_says_how_to_write_one() {
    let example = common::Example::new();
    let output = snapshot(&example.dir, &["--check"]);
    assert_eq!(code(&output), Some(1));
    assert!(
        common::text(&output.stdout)
            .contains("no snapshot yet (19 events render); `ldhook snapshot --update` writes it")
    );
    assert!(!snap_file(&example).exists());
}

#[test]
fn a_path_that_is_no_integration_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = snapshot(dir.path(), &[]);
    assert_eq!(code(&output), Some(2), "{}", common::transcript(&output));
    assert!(common::text(&output.stderr).contains("neither an integration"));
    let both = snapshot(dir.path(), &["--check", "--update"]);
    assert_eq!(code(&both), Some(2));
}

/// A framework checkout holding the example as `integrations/pulseboard`.
fn checkout() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        root.path().join("manifest.schema.json"),
        read(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/manifest.schema.json"
        ))),
    )
    .expect("schema");
    let dir = root.path().join("integrations/pulseboard");
    common::copy_dir(Path::new(common::EXAMPLE), &dir);
    (root, dir)
}

#[test]
fn in_a_checkout_the_snapshot_is_outside_integrations() {
    let (root, _dir) = checkout();
    let output = common::ldhook()
        .current_dir(root.path())
        .args(["snapshot", "."])
        .output()
        .expect("ldhook runs");
    assert_eq!(code(&output), Some(0), "{}", common::transcript(&output));
    assert!(
        common::text(&output.stdout).contains(".ldhook/payloads/pulseboard.snap: written"),
        "{}",
        common::transcript(&output)
    );
    let text = read(&root.path().join(".ldhook/payloads/pulseboard.snap"));
    assert!(text.starts_with("# ldhook payload snapshot of integrations/pulseboard:"));
    assert!(!root.path().join("integrations/pulseboard/.ldhook").exists());
    // Nothing validate checks in the checkout changed.
    let validated = common::ldhook()
        .current_dir(root.path())
        .args(["validate", "."])
        .output()
        .expect("ldhook runs");
    assert_eq!(
        code(&validated),
        Some(0),
        "{}",
        common::transcript(&validated)
    );
}

#[test]
fn validate_snapshots_reports_each_changed_request_at_its_section() {
    let example = common::Example::new();
    let dir = example.dir.to_str().expect("utf-8");
    let missing = ldhook(&["validate", "--snapshots", dir]);
    assert_eq!(code(&missing), Some(1), "{}", common::transcript(&missing));
    assert!(common::text(&missing.stdout).contains("no payload snapshot at"));
    assert_eq!(code(&snapshot(&example.dir, &[])), Some(0));
    let clean = ldhook(&["validate", "--snapshots", dir]);
    assert_eq!(code(&clean), Some(0), "{}", common::transcript(&clean));

    let template = example.path("templates/default.json.hbs");
    std::fs::write(
        &template,
        read(&template).replace("\"title\": ", "\"headline\": "),
    )
    .expect("edit");
    let json = ldhook(&["validate", "--snapshots", "--format", "json", dir]);
    assert_eq!(code(&json), Some(1), "{}", common::transcript(&json));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let findings: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "LDH219")
        .collect();
    // The ten events the default template renders.
    assert_eq!(findings.len(), 10, "{report:#}");
    let first = findings[0];
    assert!(
        first["file"]
            .as_str()
            .expect("file")
            .ends_with(".ldhook/payloads.snap")
    );
    assert!(
        first["message"]
            .as_str()
            .expect("message")
            .contains("is now `\"headline\": "),
        "{first:#}"
    );
    // Without the flag nothing compares snapshots; ldhook.toml can turn it on.
    assert_eq!(code(&ldhook(&["validate", dir])), Some(0));
    std::fs::write(example.path("ldhook.toml"), "snapshots = true\n").expect("config");
    assert_eq!(code(&ldhook(&["validate", dir])), Some(1));
}

#[test]
fn the_pull_request_preview_is_markdown_with_secrets_masked() {
    let output = ldhook(&["render", common::EXAMPLE, "--all", "--format", "markdown"]);
    assert_eq!(code(&output), Some(0), "{}", common::transcript(&output));
    let text = common::text(&output.stdout);
    assert!(text.starts_with("### ldhook preview: pulseboard\n\n**Validation:** `ldhook validate` finds no problems.\n"), "{text}");
    assert!(text.contains("| Event | Template | Policy | Result |\n|---|---|---|---|\n"));
    assert!(text.contains("| flag/update | templates/flag.json.hbs | delivered | rendered |\n"));
    assert!(text.contains("**Requests delivered** (11, secrets masked):"));
    assert_eq!(text.matches("<details>").count(), 11);
    assert!(text.contains("<summary>flag/update → POST https://api.pulseboard.example/v2/timelines/timelineId/events</summary>\n\n```http\n"));
    assert!(text.contains("Authorization: Bearer ********\n"));
    assert!(!text.contains("Bearer apiToken"));

    let single = ldhook(&["render", common::EXAMPLE, "--format", "markdown"]);
    assert_eq!(code(&single), Some(2));
    assert!(common::text(&single.stderr).contains("give --all too"));
}

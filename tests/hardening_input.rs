//! Hostile inputs: every file ldhook reads is a regular file within its cap, read beneath its
//! integration, and every refusal says what the path actually is. Each test runs the real
//! binary with a time bound, so a hang fails instead of stalling.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{Example, ldhook, mkfifo, text};
use serde_json::json;

/// Runs ldhook with `args`, returning (exit code, stdout, stderr).
fn run(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let output = ldhook().args(args).current_dir(dir).output().expect("runs");
    (
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

#[test]
fn a_fifo_named_as_the_manifest_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join("x.json"));
    let (code, _, stderr) = run(&["validate", "x.json"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("x.json: is a pipe (FIFO), not a regular file"),
        "{stderr}"
    );
    std::fs::create_dir(dir.path().join("integration")).expect("mkdir");
    mkfifo(&dir.path().join("integration/manifest.json"));
    let (code, _, stderr) = run(&["validate", "integration"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("manifest.json: is a pipe (FIFO)"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["render", "integration"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("manifest.json: is a pipe (FIFO)"),
        "{stderr}"
    );
}

#[test]
fn a_fifo_as_template_or_icon_is_a_finding_not_a_hang() {
    let example = Example::new();
    std::fs::remove_file(example.path("templates/flag.json.hbs")).expect("rm");
    mkfifo(&example.path("templates/flag.json.hbs"));
    std::fs::remove_file(example.path("assets/square.svg")).expect("rm");
    mkfifo(&example.path("assets/square.svg"));
    let (code, stdout, _) = run(
        &["validate", "pulseboard", "--format", "json"],
        example.root.path(),
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "`templates/flag.json.hbs` cannot be read: is a pipe (FIFO), not a regular file"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("the square icon: `assets/square.svg` cannot be read: is a pipe (FIFO)"),
        "{stdout}"
    );
    let (code, _, stderr) = run(
        &["render", "pulseboard", "--event", "flag/toggle-on"],
        example.root.path(),
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("is a pipe (FIFO)"), "{stderr}");
}

#[test]
fn devices_are_refused_as_devices() {
    let example = Example::new();
    let root = example.root.path();
    std::fs::write(root.join("context.json"), "{}").expect("write");
    std::fs::write(root.join("t.hbs"), "x").expect("write");
    let cases: [&[&str]; 5] = [
        &["validate", "/dev/zero"],
        &["template", "/dev/zero", "--context", "context.json"],
        &["template", "t.hbs", "--context", "/dev/urandom"],
        &["render", "pulseboard", "--event", "/dev/urandom"],
        &["validate", "pulseboard", "--schema", "/dev/zero"],
    ];
    for args in cases {
        let (code, _, stderr) = run(args, root);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("is a character device, not a regular file"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn endless_standard_input_stops_at_its_cap() {
    let example = Example::new();
    for (args, limit) in [
        (
            &["validate", "-"][..],
            "over the 64 MiB limit for a manifest",
        ),
        (
            &["render", "pulseboard", "--event", "-"][..],
            "over the 64 MiB limit for a sample event",
        ),
    ] {
        let zero = std::fs::File::open("/dev/zero").expect("/dev/zero");
        let output = common::ldhook_process()
            .args(args)
            .current_dir(example.root.path())
            .stdin(Stdio::from(zero))
            .output()
            .expect("runs");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("<stdin>: is {limit}")), "{stderr}");
    }
}

#[test]
fn a_template_swapped_for_an_outside_link_is_never_read() {
    let example = Example::new();
    let outside = example.root.path().join("outside.hbs");
    std::fs::write(&outside, "OUTSIDE-SECRET").expect("write");
    let inside = example.path("templates/inside.hbs");
    std::fs::write(&inside, "{\"inside\": true}").expect("write");
    let template = example.path("templates/flag.json.hbs");
    std::fs::remove_file(&template).expect("rm");
    let flip = example.path("templates/flip.tmp");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flipper = {
        let (stop, template, flip, outside, inside) = (
            stop.clone(),
            template.clone(),
            flip.clone(),
            outside.clone(),
            inside.clone(),
        );
        std::thread::spawn(move || {
            let mut to_outside = false;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let target = if to_outside { &outside } else { &inside };
                let _ = std::fs::remove_file(&flip);
                std::os::unix::fs::symlink(target, &flip).expect("symlink");
                std::fs::rename(&flip, &template).expect("swap");
                to_outside = !to_outside;
            }
        })
    };
    for _ in 0..600 {
        let (_, stdout, stderr) = run(
            &["render", "pulseboard", "--event", "flag/toggle-on"],
            example.root.path(),
        );
        assert!(
            !stdout.contains("OUTSIDE-SECRET") && !stderr.contains("OUTSIDE-SECRET"),
            "read outside the integration: {stdout}{stderr}"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    flipper.join().expect("flipper");
}

#[test]
fn a_schema_ref_outside_its_directory_is_refused_unread() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = Example::new();
    std::fs::create_dir(dir.path().join("schema")).expect("mkdir");
    std::fs::write(dir.path().join("secret.json"), "TOPSECRET").expect("write");
    for reference in ["../secret.json", "../../../../../../etc/hostname"] {
        std::fs::write(
            dir.path().join("schema/s.json"),
            json!({ "$ref": reference }).to_string(),
        )
        .expect("write");
        let schema = dir.path().join("schema/s.json");
        let (code, stdout, stderr) = run(
            &[
                "validate",
                "pulseboard",
                "--schema",
                &schema.to_string_lossy(),
            ],
            example.root.path(),
        );
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains("ldhook reads only files in the schema's own directory"),
            "{stderr}"
        );
        assert!(!stderr.contains("TOPSECRET") && !stdout.contains("TOPSECRET"));
    }
    mkfifo(&dir.path().join("schema/pipe.json"));
    std::fs::write(dir.path().join("schema/s.json"), r#"{"$ref": "pipe.json"}"#).expect("write");
    let schema = dir.path().join("schema/s.json");
    let (code, _, stderr) = run(
        &[
            "validate",
            "pulseboard",
            "--schema",
            &schema.to_string_lossy(),
        ],
        example.root.path(),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("pipe.json: is a pipe (FIFO)"), "{stderr}");
}

#[test]
fn a_directory_named_manifest_json_is_called_a_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("x/manifest.json")).expect("mkdir");
    let (code, _, stderr) = run(&["validate", "x"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("x/manifest.json: is a directory, not a file"),
        "{stderr}"
    );
}

#[test]
fn process_substitution_is_named_a_pipe() {
    let output = common::isolated("bash")
        .arg("-c")
        .arg(format!("{} validate <(echo '{{}}')", common::BINARY))
        .output()
        .expect("bash runs");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is a pipe (FIFO), not a regular file")
            && stderr.contains("`ldhook validate -`"),
        "{stderr}"
    );
}

#[test]
fn an_unsearchable_directory_is_permission_denied() {
    let dir = tempfile::tempdir().expect("temp dir");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::write(locked.join("manifest.json"), "{}").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads through any mode bits: run as an unprivileged user then.
    use std::os::unix::fs::MetadataExt;
    let is_root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    let mut command = if is_root {
        let mut command = common::isolated("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(common::BINARY);
        command
    } else {
        common::ldhook_process()
    };
    let output = command
        .args(["validate", "locked"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("locked/manifest.json: permission denied"),
        "{stderr}"
    );
}

#[test]
fn a_loop_of_links_and_a_directory_icon_are_named_for_what_they_are() {
    let example = Example::new();
    std::fs::remove_file(example.path("templates/flag.json.hbs")).expect("rm");
    std::os::unix::fs::symlink("loop-b", example.path("templates/flag.json.hbs")).expect("ln");
    std::os::unix::fs::symlink("flag.json.hbs", example.path("templates/loop-b")).expect("ln");
    std::fs::remove_file(example.path("assets/square.svg")).expect("rm");
    std::fs::create_dir(example.path("assets/square.svg")).expect("mkdir");
    let (code, stdout, _) = run(
        &["validate", "pulseboard", "--format", "json"],
        example.root.path(),
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("`templates/flag.json.hbs` cannot be read: is a loop of symbolic links"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`assets/square.svg` cannot be read: is a directory, not a file"),
        "{stdout}"
    );
    assert!(!stdout.contains("does not exist"), "{stdout}");
    assert!(!stdout.contains("the file is empty"), "{stdout}");
}

#[test]
fn an_event_file_holding_an_array_is_refused_as_such() {
    let example = Example::new();
    let event = example.root.path().join("event.json");
    std::fs::write(&event, r#"[{"kind": "flag"}]"#).expect("write");
    let (code, _, stderr) = run(
        &["render", "pulseboard", "--event", "event.json"],
        example.root.path(),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr
            .contains("event.json: a sample event is a JSON object, and this file holds an array"),
        "{stderr}"
    );
}

#[test]
fn a_template_that_is_not_utf8_is_rejected_at_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("t.hbs"), b"ok\n  caf\xe9 {{x}}").expect("write");
    std::fs::write(dir.path().join("c.json"), r#"{"x": 1}"#).expect("write");
    let (code, stdout, stderr) = run(&["template", "t.hbs", "--context", "c.json"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("t.hbs:2:6: not valid UTF-8 text (byte 0xE9)"),
        "{stderr}"
    );
    let example = Example::new();
    std::fs::write(
        example.path("templates/flag.json.hbs"),
        b"{\"a\": \"\xff\"}",
    )
    .expect("write");
    let (code, stdout, _) = run(
        &["validate", "pulseboard", "--format", "json"],
        example.root.path(),
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("`templates/flag.json.hbs` cannot be read: is not valid UTF-8: byte 0xFF at line 1, column 8"),
        "{stdout}"
    );
}

#[test]
fn a_manifest_linked_to_a_file_outside_is_not_read() {
    let example = Example::new();
    let outside = example.root.path().join("outside.json");
    std::fs::write(&outside, "OUTSIDE-FIRST-LINE {").expect("write");
    std::fs::remove_file(example.path("manifest.json")).expect("rm");
    std::os::unix::fs::symlink(&outside, example.path("manifest.json")).expect("ln");
    for args in [
        &["validate", "pulseboard"][..],
        &["render", "pulseboard"][..],
    ] {
        let (code, stdout, stderr) = run(args, example.root.path());
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("pulseboard/manifest.json: leads outside the directory"),
            "{args:?}: {stderr}"
        );
        assert!(!stdout.contains("OUTSIDE") && !stderr.contains("OUTSIDE"));
    }
    // Named on the command line, the link is the user's own choice.
    let (code, stdout, _) = run(
        &["validate", "pulseboard/manifest.json"],
        example.root.path(),
    );
    assert_eq!(code, Some(1), "{stdout}");
}

#[test]
fn a_framework_root_names_an_integration_it_cannot_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("manifest.schema.json"), "{}").expect("write");
    std::fs::create_dir_all(root.join("integrations/pipe")).expect("mkdir");
    mkfifo(&root.join("integrations/pipe/manifest.json"));
    std::fs::create_dir_all(root.join("integrations/no-manifest")).expect("mkdir");
    let (code, stdout, stderr) = run(&["validate", "."], root);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("integrations/pipe/manifest.json: is a pipe (FIFO)"),
        "{stderr}"
    );
    std::fs::remove_file(root.join("integrations/pipe/manifest.json")).expect("rm");
    std::os::unix::fs::symlink("gone.json", root.join("integrations/pipe/manifest.json"))
        .expect("ln");
    let (code, _, stderr) = run(&["validate", "."], root);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("integrations/pipe/manifest.json: no such file or directory"),
        "{stderr}"
    );
}

//! What ldhook prints about hostile input: never a panic, never a control character or a line a
//! CI runner would take for a command, findings at the right line whatever the line endings,
//! numbers as written, and an exit code a closed pipe cannot change.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::{Example, ldhook, text};
use serde_json::json;

#[test]
fn invalid_utf8_in_a_manifest_is_a_finding_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("x.json"), b"\xff").expect("write");
    std::fs::write(dir.path().join("y.json"), b"{\"name\": \"caf\xe9\"}").expect("write");
    for format in ["human", "json", "github", "sarif"] {
        for file in ["x.json", "y.json"] {
            let output = ldhook()
                .args(["validate", file, "--format", format])
                .current_dir(dir.path())
                .output()
                .expect("runs");
            let stdout = text(&output.stdout);
            assert_eq!(output.status.code(), Some(1), "{format} {file}: {stdout}");
            assert!(
                stdout.contains("not valid UTF-8"),
                "{format} {file}: {stdout}"
            );
        }
    }
    let output = ldhook()
        .args(["validate", "-"])
        .write_stdin(b"{\n  \"a\": \"\xc3\x28\"\n}".to_vec())
        .output()
        .expect("runs");
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("--> <stdin>:2:9"), "{stdout}");
}

/// A manifest whose keys and values carry terminal escapes and a forged workflow command.
fn hostile_example() -> Example {
    let example = Example::new();
    example.edit(|m| {
        m["evil\n::error file=x,line=1::INJECTED"] = json!(1);
        m["name"] = json!("\u{1b}]0;pwned\u{7}\u{202e}x");
        m["categories"] = json!(["\u{1b}[31mred\u{9b}"]);
    });
    example
}

#[test]
fn no_input_reaches_the_terminal_raw_or_starts_a_workflow_command() {
    let example = hostile_example();
    for format in ["human", "github"] {
        let output = ldhook()
            .args(["validate", "pulseboard", "--format", format])
            .current_dir(example.root.path())
            .output()
            .expect("runs");
        let stdout = text(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{stdout}");
        assert!(
            stdout.contains("INJECTED"),
            "{format}: the finding is shown: {stdout}"
        );
        let raw = stdout
            .chars()
            .find(|&c| (c.is_control() && c != '\n') || c == '\u{202e}');
        assert_eq!(raw, None, "{format}: raw control in {stdout:?}");
        // A runner reads a workflow command only at the start of a line.
        for line in stdout.lines() {
            let ours = format == "github" && line.starts_with("::error file=pulseboard/");
            assert!(
                !line.starts_with("::") || ours,
                "{format}: forged command {line:?}"
            );
            assert!(!line.starts_with("::error file=x"), "{format}: {line:?}");
        }
    }
}

#[test]
fn lone_carriage_returns_end_lines() {
    let example = Example::new();
    let manifest = std::fs::read_to_string(example.path("manifest.json")).expect("manifest");
    let broken = manifest
        .replace("\"version\": \"1.0.0\"", "\"version\": 1")
        .replace('\n', "\r");
    std::fs::write(example.path("manifest.json"), broken).expect("write");
    let output = ldhook()
        .args(["validate", "pulseboard", "--format", "json"])
        .current_dir(example.root.path())
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let version = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["pointer"] == "/version")
        .expect("a finding on the version");
    assert_eq!(
        (version["line"].as_u64(), version["column"].as_u64()),
        (Some(3), Some(14))
    );
}

#[test]
fn numbers_are_quoted_as_written() {
    for written in ["-0", "1e-400", "123456789012345678901234567890"] {
        let example = Example::new();
        let manifest = std::fs::read_to_string(example.path("manifest.json")).expect("manifest");
        let changed =
            manifest.replace("\"version\": \"1.0.0\"", &format!("\"version\": {written}"));
        std::fs::write(example.path("manifest.json"), changed).expect("write");
        let output = ldhook()
            .args(["validate", "pulseboard", "--format", "json"])
            .current_dir(example.root.path())
            .output()
            .expect("runs");
        let stdout = text(&output.stdout);
        assert!(
            stdout.contains(&format!(
                "`version` must be a string, found a number `{written}`"
            )),
            "{stdout}"
        );
    }
}

#[test]
fn a_closed_pipe_does_not_hide_findings() {
    let example = Example::new();
    // Enough findings that the report outgrows a pipe's buffer.
    example.edit(|m| {
        for i in 0..3000 {
            m[format!("unknown{i}")] = json!(i);
        }
    });
    for format in ["human", "json", "github", "sarif"] {
        let mut child = common::ldhook_process()
            .args(["validate", "pulseboard", "--format", format])
            .current_dir(example.root.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let status = child.wait().expect("exits");
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        assert_eq!(status.code(), Some(1), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}

#[test]
fn render_escapes_controls_for_the_terminal_and_nowhere_else() {
    let example = Example::new();
    let mut event = common::read_json(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("events/flag/toggle-on.json"),
    );
    event["title"]["plainText"] = json!("\u{1b}]0;pwned\u{7}title\u{202e}");
    std::fs::write(example.root.path().join("event.json"), event.to_string()).expect("write");
    let render = |format: &str| {
        let output = ldhook()
            .args([
                "render",
                "pulseboard",
                "--event",
                "event.json",
                "--format",
                format,
            ])
            .current_dir(example.root.path())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let human = render("human");
    // The JSON template escapes the controls itself; the override is left to the terminal.
    assert!(
        human.contains("\\u001b]0;pwned\\u0007title\\u{202e}"),
        "{human}"
    );
    let raw = human
        .chars()
        .find(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}');
    assert_eq!(raw, None, "{human:?}");
    // JSON output is the request itself, JSON-escaped by construction.
    let json = render("json");
    assert!(
        json.contains("\\\\u001b]0;pwned\\\\u0007title\u{202e}"),
        "{json}"
    );
    // `template` prints the output byte for byte.
    std::fs::write(example.root.path().join("t.hbs"), "{{{title.plainText}}}").expect("write");
    let output = ldhook()
        .args(["template", "t.hbs", "--context", "event.json"])
        .current_dir(example.root.path())
        .output()
        .expect("runs");
    assert_eq!(text(&output.stdout), "\u{1b}]0;pwned\u{7}title\u{202e}");
}

#[test]
fn a_closed_stderr_is_not_a_crash() {
    let mut child = common::ldhook_process()
        .args(["validate", "/no/such/integration"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // Closed before the child gets to write its message.
    drop(child.stderr.take());
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(2), "{status:?}");
}

#[test]
fn error_messages_escape_the_names_they_quote() {
    let output = ldhook()
        .args(["validate", "/no/such/\u{1b}]0;pwned\u{7}dir"])
        .output()
        .expect("runs");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("/no/such/\\x1b]0;pwned\\x07dir"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

/// What ldhook says on stderr quotes the paths it was given, and GitHub Actions reads workflow
/// commands from stderr too: a path with a line break (as pre-commit or `git diff | xargs`
/// passes a changed file's name) must not start a `::error` line of its own.
#[test]
fn paths_in_stderr_messages_cannot_start_a_line_of_their_own() {
    let checkout = tempfile::tempdir().expect("temp dir");
    std::fs::write(checkout.path().join("manifest.schema.json"), "{}").expect("schema");
    std::fs::create_dir_all(checkout.path().join("integrations")).expect("integrations/");
    let hostile = "a\n::error file=x::forged";
    std::fs::write(checkout.path().join(hostile), "").expect("a file of no integration");
    for path in [hostile, "missing\n::error::forged"] {
        let output = ldhook()
            .current_dir(checkout.path())
            .args(["validate", path])
            .output()
            .expect("runs");
        let stderr = text(&output.stderr);
        assert!(!stderr.is_empty(), "{path:?} is reported");
        assert!(
            stderr.lines().all(|line| line.starts_with("ldhook: ")),
            "{stderr}"
        );
        assert!(stderr.contains("\\n::error"), "{stderr}");
    }
}

/// On Unix a `\` is part of a file's name, not a separator: every format names the file that
/// exists, and SARIF percent-encodes the character.
#[cfg(unix)]
#[test]
fn a_backslash_in_a_name_is_kept_in_every_format() {
    let checkout = tempfile::tempdir().expect("temp dir");
    std::fs::write(checkout.path().join("manifest.schema.json"), "{}").expect("schema");
    let dir = checkout.path().join("integrations").join("back\\slash");
    common::copy_dir(std::path::Path::new(common::EXAMPLE), &dir);
    std::fs::write(
        dir.join("templates/flag.json.hbs"),
        "{\"who\": \"{{member.displayName}}\"}\n",
    )
    .expect("template");
    let run = |format: &str| {
        let output = ldhook()
            .current_dir(checkout.path())
            .args(["validate", "integrations", "--format", format])
            .output()
            .expect("runs");
        text(&output.stdout)
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("JSON");
    assert_eq!(
        json["diagnostics"][0]["file"],
        "integrations/back\\slash/templates/flag.json.hbs"
    );
    assert!(
        run("sarif").contains("\"uri\": \"integrations/back%5Cslash/templates/flag.json.hbs\""),
        "{}",
        run("sarif")
    );
    assert!(
        run("github").contains("file=integrations/back\\slash/templates/flag.json.hbs,"),
        "{}",
        run("github")
    );
}

//! `render`, `template` and `events` through the real binary, with snapshots of what a
//! partner sees.

mod common;

use std::process::Output;

use common::{ldhook, transcript};

fn run(args: &[&str]) -> Output {
    ldhook().args(args).output().expect("ldhook runs")
}

const EXAMPLE: &str = "examples/pulseboard";

#[test]
fn render_shows_the_request_for_the_default_flag_event() {
    insta::assert_snapshot!(transcript(&run(&["render", EXAMPLE])));
}

#[test]
fn render_a_named_event_with_a_given_secret_masked() {
    insta::assert_snapshot!(transcript(&run(&[
        "render",
        EXAMPLE,
        "--event",
        "flag/toggle-off",
        "--var",
        "apiToken=pb_live_123"
    ])));
    let shown = run(&[
        "render",
        EXAMPLE,
        "--event",
        "flag/toggle-off",
        "--var",
        "apiToken=pb_live_123",
        "--show-secrets",
    ]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Authorization: Bearer pb_live_123"));
}

#[test]
fn render_curl_is_a_shell_command() {
    insta::assert_snapshot!(transcript(&run(&[
        "render",
        EXAMPLE,
        "--event",
        "member/update",
        "--curl"
    ])));
}

#[test]
fn render_all_tabulates_every_event() {
    insta::assert_snapshot!(transcript(&run(&["render", EXAMPLE, "--all"])));
}

#[test]
fn render_json_is_machine_readable() {
    let output = run(&[
        "render",
        EXAMPLE,
        "--event",
        "flag/toggle-on",
        "--format",
        "json",
        "--placeholders",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let preview: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(preview["request"]["method"], "POST");
    assert_eq!(
        preview["request"]["url"],
        "https://api.pulseboard.example/v2/timelines/$TIMELINEID/events"
    );
    assert_eq!(preview["template"]["kind"], "flag");
    assert_eq!(preview["policy"]["delivered"], true);
    let body: serde_json::Value =
        serde_json::from_str(preview["request"]["body"].as_str().expect("body"))
            .expect("body is JSON");
    assert_eq!(body["flagKey"], "new-payment-sheet");
}

#[test]
fn render_forces_a_template_and_reads_events_from_files_and_stdin() {
    let validation = run(&["render", EXAMPLE, "--template", "validation"]);
    assert!(
        String::from_utf8_lossy(&validation.stdout)
            .contains("validation: templates/validation.json.hbs")
    );
    let event = std::fs::read_to_string("events/project/update.json").expect("event");
    let from_stdin = ldhook()
        .args(["render", EXAMPLE, "--event", "-"])
        .write_stdin(event)
        .output()
        .expect("runs");
    assert_eq!(
        from_stdin.status.code(),
        Some(0),
        "{}",
        transcript(&from_stdin)
    );
    assert!(
        String::from_utf8_lossy(&from_stdin.stdout).contains("event     <stdin> (standard input)")
    );
    let from_file = run(&["render", EXAMPLE, "--event", "events/segment/create.json"]);
    assert!(
        String::from_utf8_lossy(&from_file.stdout).contains("default: templates/default.json.hbs")
    );
}

#[test]
fn render_errors_say_what_and_where() {
    insta::assert_snapshot!(
        "unknown_event",
        transcript(&run(&["render", EXAMPLE, "--event", "flag/nope"]))
    );
    insta::assert_snapshot!(
        "unknown_var",
        transcript(&run(&["render", EXAMPLE, "--var", "colour=red"]))
    );
    insta::assert_snapshot!("no_integration", transcript(&run(&["render", "tests"])));
    assert_eq!(
        run(&["render", EXAMPLE, "--template", "nope"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn template_prints_only_the_output() {
    let output = run(&[
        "template",
        "tests/fixtures/template/flag.json.hbs",
        "--context",
        "tests/fixtures/template/context.json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\n  \"text\": \"Ann said \\\"hi\\\" <b>\",\n  \"env\": \"Prod &amp; QA\"\n}\n"
    );
    assert!(output.stderr.is_empty());
    let raw = run(&[
        "template",
        "tests/fixtures/template/flag.json.hbs",
        "--context",
        "tests/fixtures/template/context.json",
        "--json-escape",
        "off",
    ]);
    assert!(String::from_utf8_lossy(&raw.stdout).contains("\"Ann said \"hi\" <b>\""));
}

#[test]
fn template_errors_go_to_stderr_with_their_place() {
    insta::assert_snapshot!(
        "strict_missing",
        transcript(&run(&[
            "template",
            "tests/fixtures/template/missing.json.hbs",
            "--context",
            "tests/fixtures/template/context.json"
        ]))
    );
    insta::assert_snapshot!(
        "parse_error",
        transcript(&run(&[
            "template",
            "tests/fixtures/template/broken.hbs",
            "--context",
            "tests/fixtures/template/context.json"
        ]))
    );
    assert_eq!(
        run(&[
            "template",
            "no-such.hbs",
            "--context",
            "tests/fixtures/template/context.json"
        ])
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn events_lists_the_embedded_set() {
    insta::assert_snapshot!(transcript(&run(&["events"])));
    let json = run(&["events", "--format", "json"]);
    let listing: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(listing["origin"], "embedded");
    assert!(listing["events"].as_array().expect("list").len() >= 19);
}

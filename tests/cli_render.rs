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

// ---- contexts are read as JSON.parse reads them (the reference renders what it parses) ----

/// A temporary directory holding the files of one test.
struct Files(tempfile::TempDir);

impl Files {
    fn new() -> Files {
        Files(tempfile::tempdir().expect("temp dir"))
    }

    fn write(&self, relative: &str, text: &str) -> String {
        let path = self.0.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("UTF-8 path").to_string()
    }
}

const EACH: &str = "{{#each .}}{{@key}}={{this}} {{/each}}";

/// `template FILE --context FILE` with these texts.
fn template_with(template: &str, context: &str) -> (Output, String) {
    let files = Files::new();
    let template = files.write("t.hbs", template);
    let context = files.write("context.json", context);
    let output = run(&["template", &template, "--context", &context]);
    (output, context)
}

/// The example, its flag template replaced by one that lists the event's members (and the
/// `formVariables` render adds): JSON, as a `.json.hbs` template's output must be.
fn each_member_integration() -> common::Example {
    let example = common::Example::new();
    std::fs::write(
        example.path("templates/flag.json.hbs"),
        format!("{{\"out\": \"{EACH}\"}}\n"),
    )
    .expect("write");
    example
}

/// The `out` member of the body `render --format json` shows.
fn rendered_out(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", transcript(output));
    let preview: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let body: serde_json::Value =
        serde_json::from_str(preview["request"]["body"].as_str().expect("body")).expect("JSON");
    body["out"].as_str().expect("out").to_string()
}

fn render_event(example: &common::Example, event: &str) -> Output {
    let dir = example.dir.to_str().expect("UTF-8 path");
    run(&["render", dir, "--event", event, "--format", "json"])
}

#[test]
fn a_duplicate_key_takes_the_last_value_in_the_first_place() {
    // node: JSON.parse('{"a":1,"b":2,"a":3}') iterates a=3, b=2.
    let (output, _) = template_with(EACH, r#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(
        transcript(&output),
        "exit: 0\n--- stdout\na=3 b=2 --- stderr\n"
    );

    let example = each_member_integration();
    let files = Files::new();
    let event = r#"{"kind":"flag","a":1,"b":2,"a":3}"#;
    let path = files.write("flag/dup.json", event);
    assert_eq!(
        rendered_out(&render_event(&example, &path)),
        "kind=flag a=3 b=2 formVariables=[object Object] "
    );
    let from_stdin = ldhook()
        .args([
            "render",
            example.dir.to_str().expect("UTF-8"),
            "--event",
            "-",
        ])
        .args(["--format", "json"])
        .write_stdin(event)
        .output()
        .expect("runs");
    assert_eq!(
        rendered_out(&from_stdin),
        "kind=flag a=3 b=2 formVariables=[object Object] "
    );
}

#[test]
fn a_checkout_s_sample_event_with_a_duplicate_key_renders_and_still_stops_validate() {
    let checkout = common::example_checkout(&["pulseboard"]);
    let root = checkout.path();
    let integration = root.join("integrations/pulseboard");
    std::fs::write(
        integration.join("templates/flag.json.hbs"),
        format!("{{\"out\": \"{EACH}\"}}\n"),
    )
    .expect("write");
    std::fs::write(
        root.join("sample-context/flag/dup.json"),
        r#"{"kind":"flag","a":1,"b":2,"a":3}"#,
    )
    .expect("write");
    let dir = integration.to_str().expect("UTF-8 path");
    let render = run(&["render", dir, "--event", "flag/dup", "--format", "json"]);
    assert_eq!(
        rendered_out(&render),
        "kind=flag a=3 b=2 formVariables=[object Object] "
    );
    // validate holds a checkout's sample events to the strict reader, as README says.
    let validate = run(&["validate", dir]);
    assert_eq!(validate.status.code(), Some(2), "{}", transcript(&validate));
    assert!(
        String::from_utf8_lossy(&validate.stderr)
            .contains("dup.json:1:28: not a valid event: duplicate key `a`"),
        "{}",
        transcript(&validate)
    );
}

#[test]
fn a_number_beyond_double_range_is_infinity_and_one_below_it_zero() {
    // node: String(JSON.parse('1e400')) is Infinity; 1e-400 is 0 and -1e-400 is -0, printed 0.
    let (output, _) = template_with(
        "{{n}} {{m}} {{u}} {{v}} {{#if n}}truthy{{/if}}",
        r#"{"n":1e400,"m":-1e400,"u":1e-400,"v":-1e-400}"#,
    );
    assert_eq!(
        transcript(&output),
        "exit: 0\n--- stdout\nInfinity -Infinity 0 0 truthy--- stderr\n"
    );
    let example = each_member_integration();
    let files = Files::new();
    let path = files.write("flag/inf.json", r#"{"kind":"flag","n":1e400,"m":-1e400}"#);
    assert_eq!(
        rendered_out(&render_event(&example, &path)),
        "kind=flag n=Infinity m=-Infinity formVariables=[object Object] "
    );
}

#[test]
fn a_lone_surrogate_is_a_content_error_at_its_place() {
    const UNRENDERABLE: &str = "a string holds a lone UTF-16 surrogate, which JavaScript reads \
        but which is not a character: no UTF-8 output can hold it, so this context cannot be \
        rendered";
    let (output, context) = template_with("{{s}}", "{\n  \"s\": \"x\\ud800\"\n}");
    assert_eq!(
        transcript(&output),
        format!("exit: 1\n--- stdout\n--- stderr\n{context}:2:10: {UNRENDERABLE}\n")
    );
    let example = each_member_integration();
    let files = Files::new();
    let path = files.write(
        "flag/lone.json",
        "{\"kind\": \"flag\",\n \"s\": \"\\udc00\"}",
    );
    let output = render_event(&example, &path);
    assert_eq!(
        transcript(&output),
        format!("exit: 1\n--- stdout\n--- stderr\nldhook: error: {path}:2:8: {UNRENDERABLE}\n")
    );
}

#[test]
fn a_context_that_is_not_json_cannot_run_and_is_named_a_context() {
    let (output, context) = template_with("{{s}}", "{\"s\": 1,}");
    assert_eq!(
        transcript(&output),
        format!(
            "exit: 2\n--- stdout\n--- stderr\nldhook: error: {context}:1:8: not a valid render \
             context: trailing comma; JSON does not allow one here\n"
        )
    );
}

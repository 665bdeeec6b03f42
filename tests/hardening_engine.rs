//! Hostile templates and contexts through the real binary: nesting past the engine's limit is a
//! template error at the tag, deep JSON is refused where it is read, and a template that loops
//! or grows without end stops at its evaluation budget, never with a stack overflow or a hang.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use ldhook::engine::{LOOP_STEPS, MAX_NESTING};
use serde_json::Value;

const EMBEDDED_FLAG_EVENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/events/flag");

/// A hang on a build without the budget fails the test instead of stalling the suite.
const HANG: Duration = Duration::from_secs(120);

fn run(args: &[&str]) -> Output {
    common::ldhook()
        .args(args)
        .timeout(HANG)
        .output()
        .expect("ldhook runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn too_deep() -> String {
    format!("blocks, `else if` links and subexpressions are nested more than {MAX_NESTING} deep")
}

const IF: &str = "{{#if a}}";
const LINK: &str = "{{else if a}}x";
const SUB: &str = "(pathEncode ";

fn else_chain(links: usize) -> String {
    format!("{IF}{}{{{{/if}}}}", LINK.repeat(links))
}

/// Where the link one past the limit opens: the block is the first level.
fn chain_error_column() -> usize {
    IF.len() + (MAX_NESTING - 1) * LINK.len() + 1
}

const EACH_ROOT: &str = "{{#each @root}}";

/// Ten nested `{{#each @root}}` on one line: each level iterates every field of the context
/// again, and every statement is a tag.
fn each_root_ten_deep() -> String {
    format!(
        "{}{{{{@key}}}}{}",
        EACH_ROOT.repeat(10),
        "{{/each}}".repeat(10)
    )
}

fn step_limit_message(template: &str) -> String {
    format!(
        "rendering stopped: more than {} steps, the limit for this template",
        LOOP_STEPS + template.len() as u64
    )
}

/// `line:column` of each tag in the ten-deep template, where the budget may run out.
fn each_root_tag_positions() -> Vec<String> {
    (0..=10)
        .map(|tag| format!("1:{}", tag * EACH_ROOT.len() + 1))
        .collect()
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        Files {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }
}

/// The example integration with its flag template replaced.
struct Integration {
    _example: common::Example,
    dir: PathBuf,
}

impl Integration {
    fn with_flag_template(template: &str) -> Integration {
        let example = common::Example::new();
        // Ended with a line break, as the framework's end-of-file hook (final-newline) wants,
        // so that the engine's finding is the only one.
        std::fs::write(
            example.path("templates/flag.json.hbs"),
            format!("{template}\n"),
        )
        .expect("write");
        Integration {
            dir: example.dir.clone(),
            _example: example,
        }
    }

    /// The flag template as written, line break included: the step budget counts its bytes.
    fn flag_source(&self) -> String {
        std::fs::read_to_string(self.dir.join("templates/flag.json.hbs")).expect("read")
    }

    fn flag_template(&self) -> String {
        self.dir
            .join("templates/flag.json.hbs")
            .display()
            .to_string()
    }

    fn dir(&self) -> &str {
        self.dir.to_str().expect("UTF-8 path")
    }

    /// `validate --format json`: the exit code and the findings.
    fn validate(&self, extra: &[&str]) -> (Option<i32>, Vec<Value>) {
        let mut args = vec!["validate", self.dir(), "--format", "json"];
        args.extend_from_slice(extra);
        let output = run(&args);
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("a JSON report, got {}", stderr(&output)));
        let findings = report["diagnostics"].as_array().expect("list").clone();
        (output.status.code(), findings)
    }
}

fn template_command(template: &Path, context: &Path) -> Output {
    run(&[
        "template",
        template.to_str().expect("UTF-8 path"),
        "--context",
        context.to_str().expect("UTF-8 path"),
    ])
}

// ---- nesting ----

#[test]
fn template_refuses_a_long_else_if_chain_at_the_link_past_the_limit() {
    let files = Files::new();
    let template = files.write("chain.hbs", &else_chain(20_000));
    let context = files.write("context.json", r#"{"a": false}"#);
    let output = template_command(&template, &context);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "{}:1:{}: {}\n",
            template.display(),
            chain_error_column(),
            too_deep()
        )
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn validate_reports_a_long_else_if_chain_as_a_template_syntax_finding() {
    let integration = Integration::with_flag_template(&else_chain(20_000));
    let (code, findings) = integration.validate(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "LDH114");
    // The finding is in the template, at the link past the limit.
    assert_eq!(findings[0]["file"], integration.flag_template());
    assert_eq!(findings[0]["line"], 1);
    assert_eq!(findings[0]["column"], chain_error_column());
    assert_eq!(findings[0]["message"], too_deep());
}

#[test]
fn render_names_the_template_with_a_long_else_if_chain() {
    let integration = Integration::with_flag_template(&else_chain(20_000));
    let output = run(&["render", integration.dir()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "ldhook: error: {}:1:{}: {}\n",
            integration.flag_template(),
            chain_error_column(),
            too_deep()
        )
    );
}

#[test]
fn template_refuses_deeply_nested_blocks_and_subexpressions() {
    let files = Files::new();
    let context = files.write("context.json", r#"{"a": true}"#);
    let blocks = files.write(
        "blocks.hbs",
        &format!("{}x{}", IF.repeat(100_000), "{{/if}}".repeat(100_000)),
    );
    let output = template_command(&blocks, &context);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "{}:1:{}: {}\n",
            blocks.display(),
            MAX_NESTING * IF.len() + 1,
            too_deep()
        )
    );
    let subexpressions = files.write(
        "subexpressions.hbs",
        &format!(
            "{{{{pathEncode {}\"x\"{}}}}}",
            SUB.repeat(100_000),
            ")".repeat(100_000)
        ),
    );
    let output = template_command(&subexpressions, &context);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "{}:1:{}: {}\n",
            subexpressions.display(),
            "{{pathEncode ".len() + MAX_NESTING * SUB.len() + 1,
            too_deep()
        )
    );
}

#[test]
fn a_template_nested_to_the_limit_still_renders() {
    let files = Files::new();
    let context = files.write("context.json", r#"{"a": false}"#);
    let template = files.write(
        "chain.hbs",
        &format!(
            "{IF}{}y{{{{/if}}}}",
            "{{else if a}}".repeat(MAX_NESTING - 1) + "{{else}}"
        ),
    );
    let output = template_command(&template, &context);
    assert_eq!(stderr(&output), "");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "y");
}

// ---- deep JSON ----

const DEEP_JSON: &str = "values are nested more than 128 levels deep";

fn deep_array() -> String {
    format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))
}

#[test]
fn template_refuses_a_deeply_nested_context_file() {
    let files = Files::new();
    let template = files.write("t.hbs", "{{this}}");
    let context = files.write("context.json", &deep_array());
    let output = template_command(&template, &context);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "ldhook: error: {}:1:129: not a valid render context: {DEEP_JSON}\n",
            context.display()
        )
    );
    // 128 levels, the most the reader takes, render.
    let deepest = files.write(
        "deepest.json",
        &format!("{{\"a\": {}1{}}}", "[".repeat(127), "]".repeat(127)),
    );
    let template = files.write("a.hbs", "{{a}}");
    let output = template_command(&template, &deepest);
    assert_eq!(stderr(&output), "");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1");
}

#[test]
fn render_and_validate_refuse_a_deeply_nested_event_file() {
    let integration = Integration::with_flag_template("{}");
    let files = Files::new();
    let event = files.write("flag/deep.json", &deep_array());
    let expected = format!(
        "ldhook: error: {}:1:129: not a valid event: {DEEP_JSON}\n",
        event.display()
    );
    let output = run(&[
        "render",
        integration.dir(),
        "--event",
        event.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), expected);
    let events = files.dir.path().to_str().expect("UTF-8 path");
    let output = run(&["validate", integration.dir(), "--events", events]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), expected);
}

// ---- evaluation budget ----

#[test]
fn template_stops_ten_nested_each_root_at_the_step_limit() {
    let files = Files::new();
    let source = each_root_ten_deep();
    let template = files.write("loops.hbs", &source);
    let context = files.write("context.json", r#"{"a": 1, "b": 2, "c": 3, "d": 4}"#);
    let output = template_command(&template, &context);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no partial output");
    let message = stderr(&output);
    let at = message
        .strip_prefix(&format!("{}:", template.display()))
        .unwrap_or_else(|| panic!("names the template: {message}"));
    let (position, rest) = at.split_once(": ").expect("line:column: message");
    assert!(
        each_root_tag_positions().contains(&position.to_string()),
        "at a tag, not {position}"
    );
    assert!(
        rest.starts_with(&step_limit_message(&source)),
        "names the limit: {rest}"
    );
}

#[test]
fn render_names_the_template_that_runs_out_of_steps() {
    let source = each_root_ten_deep();
    let integration = Integration::with_flag_template(&source);
    let output = run(&["render", integration.dir()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    let prefix = format!("ldhook: error: {}:", integration.flag_template());
    assert!(message.starts_with(&prefix), "{message}");
    assert!(
        message.contains(&step_limit_message(&integration.flag_source())),
        "{message}"
    );
}

#[test]
fn validate_finds_the_step_limit_for_every_flag_event_and_finishes() {
    let source = each_root_ten_deep();
    let integration = Integration::with_flag_template(&source);
    let (code, findings) = integration.validate(&[]);
    assert_eq!(code, Some(1));
    assert!(!findings.is_empty());
    for finding in &findings {
        assert_eq!(finding["rule"], "LDH115", "{finding}");
        assert_eq!(finding["file"], integration.flag_template(), "{finding}");
        let message = finding["message"].as_str().expect("message");
        assert!(
            message.starts_with(&step_limit_message(&integration.flag_source())),
            "{message}"
        );
    }
    // Each render has its own budget: every flag event ran out, none was skipped.
    for entry in std::fs::read_dir(EMBEDDED_FLAG_EVENTS).expect("embedded events") {
        let path = entry.expect("entry").path();
        let name = format!("flag/{}", path.file_stem().expect("name").to_string_lossy());
        assert!(
            findings
                .iter()
                .any(|f| f["message"].as_str().is_some_and(|m| m.contains(&name))),
            "{name} is listed"
        );
    }
}

#[test]
fn template_stops_output_that_grows_past_the_text_limit() {
    let files = Files::new();
    // Four levels over sixteen fields, each writing 64 KiB: 4 GiB if nothing stopped it.
    let chunk = "x".repeat(64 * 1024);
    let source = format!(
        "{}{chunk}{}",
        "{{#each @root}}".repeat(4),
        "{{/each}}".repeat(4)
    );
    let template = files.write("big.hbs", &source);
    let fields: Vec<String> = (0..16).map(|i| format!("\"f{i}\": {i}")).collect();
    let context = files.write("context.json", &format!("{{{}}}", fields.join(", ")));
    let output = template_command(&template, &context);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no partial output");
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!("{}:1:", template.display())),
        "{message}"
    );
    assert!(
        message.contains(
            ": rendering stopped: more than 256 MiB of text produced, the limit for one render"
        ),
        "{message}"
    );
}

//! The engine's work grows linearly with the template: compiling, collecting references and
//! rendering a 1 MiB template costs fewer than 20 times the work of a 64 KiB one of the same
//! kind (16 times its size), for every kind of template that once had a superlinear path:
//! many mustaches, many `{{!-- --}}` comments (each used to be searched to the end of the
//! template), many lines, references met out of source order (an inverted block's `{{else}}`
//! part comes first), one long line, and a render that fails with its position at the end.
//!
//! The work is the engine's own deterministic count (`Template::work`): bytes its lexer's
//! searches examine, tokens parsed, statements stripped, nodes walked, evaluation steps and
//! text, and bytes scanned to turn offsets into lines and columns. No clock is read.

use ldhook::engine::{ErrorKind, Template};
use serde_json::{Value, json};

const SMALL: usize = 64 * 1024;
const LARGE: usize = 1024 * 1024;

/// `item` repeated to at least `bytes`, then `tail`.
fn template_of(item: &str, bytes: usize, tail: &str) -> String {
    let mut source = item.repeat(bytes.div_ceil(item.len()));
    source.push_str(tail);
    source
}

/// Everything done with a template in `ldhook validate`: compiling it, collecting the paths
/// it reads and rendering it.
fn work_for(source: &str, context: &Value) -> (u64, Result<String, ErrorKind>) {
    let template = Template::compile(source).expect("compiles");
    let references = template.references();
    assert!(!references.is_empty(), "the template reads paths");
    let rendered = template.render(context).map_err(|e| e.kind);
    (template.work().total(), rendered)
}

/// The large template's work is less than 20 times the small one's; it is also more than 12
/// times it, so that the counter is seen to count work that grows with the template.
fn assert_linear(kind: &str, item: &str, tail: &str, context: &Value) {
    let (small, small_result) = work_for(&template_of(item, SMALL, tail), context);
    let (large, large_result) = work_for(&template_of(item, LARGE, tail), context);
    assert_eq!(
        small_result.as_ref().err(),
        large_result.as_ref().err(),
        "{kind}: both sizes render alike"
    );
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 20.0,
        "{kind}: 16 times the template took {ratio:.1} times the work ({small} → {large})"
    );
    assert!(
        ratio > 12.0,
        "{kind}: 16 times the template took only {ratio:.1} times the work ({small} → {large})"
    );
}

fn flag_context() -> Value {
    json!({
        "title": {"plainText": "Toggled \"flag\" on"},
        "member": {"displayName": "Ada <ada@example.com>"},
        "titleVerb": "turned on",
        "name": "New payment sheet",
        "key": "new-payment-sheet",
        "comment": "ship it",
        "project": {"name": "Checkout & co"},
        "items": [1, 2, 3]
    })
}

#[test]
fn many_mustaches_and_blocks() {
    let item = r#"    {
      "title": "{{{title.plainText}}}",
      "summary": "{{{member.displayName}}} {{{titleVerb}}} {{{name}}}",
      "flagKey": "{{{key}}}",
      {{#if comment}}"comment": "{{{comment}}}",{{/if}}
      "project": "{{project.name}}",
      "items": [{{#each items}}{{this}}{{#unless @last}},{{/unless}}{{/each}}]
    },
"#;
    assert_linear("mustaches", item, "", &flag_context());
}

#[test]
fn many_comments() {
    let item = "{{!-- a comment with }} and -- inside --}}{{key}}{{! short }}\n";
    assert_linear("comments", item, "", &flag_context());
}

#[test]
fn many_lines() {
    assert_linear(
        "lines",
        "{{name}}\n\n\r\n{{project.name}}\r",
        "",
        &flag_context(),
    );
}

/// An inverted block keeps its `{{else}}` part as its program: its references come before
/// those of the part written first.
#[test]
fn references_out_of_source_order() {
    let item = "{{^comment}}{{title.plainText}}{{else}}{{name}}{{/comment}}\n";
    assert_linear("out of order", item, "", &flag_context());
}

/// No line break, and characters wider than a byte: columns are counted on one long line.
#[test]
fn one_long_line() {
    assert_linear("one line", "é😀 {{name}} — {{key}} ", "", &flag_context());
}

/// The render fails at the very end, where its position is worked out.
#[test]
fn a_failure_at_the_end() {
    let context = flag_context();
    let (_, rendered) = work_for(&template_of("{{name}}\n", SMALL, "{{missing}}"), &context);
    assert_eq!(rendered, Err(ErrorKind::StrictMissing));
    assert_linear("failure at the end", "{{name}}\n", "{{missing}}", &context);
}

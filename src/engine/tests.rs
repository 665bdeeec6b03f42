//! Engine behaviour, one rule per test. The conformance suite in `tests/` checks the whole
//! reference corpus; these pin the rules so a failure names what broke.

use serde_json::{Value, json};

use super::{
    ErrorKind, EvalBudget, LOOP_STEPS, MAX_NESTING, MAX_TEXT_BYTES, Template, is_json_template,
    json_escape_value,
};

fn render(template: &str, context: Value) -> String {
    Template::compile(template)
        .and_then(|t| t.render(&context))
        .unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn error(template: &str, context: Value) -> super::EngineError {
    match Template::compile(template).and_then(|t| t.render(&context)) {
        Ok(out) => panic!("{template} rendered {out:?}, expected an error"),
        Err(e) => e,
    }
}

#[test]
fn escapes_double_stash_only() {
    let context = json!({"s": "<a href=\"x\">'&'</a> `=`"});
    assert_eq!(
        render("{{s}}", context.clone()),
        "&lt;a href&#x3D;&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt; &#x60;&#x3D;&#x60;"
    );
    assert_eq!(
        render("{{{s}}}|{{&s}}", context),
        "<a href=\"x\">'&'</a> `=`|<a href=\"x\">'&'</a> `=`"
    );
}

#[test]
fn strict_mode_rejects_missing_fields_with_their_place() {
    let e = error("a\n  {{project.envy}}", json!({"project": {"key": "p"}}));
    assert_eq!(e.kind, ErrorKind::StrictMissing);
    assert_eq!(e.message, "\"envy\" is not defined in `project`");
    let position = e.position.expect("position");
    assert_eq!((position.line, position.column), (2, 5));
}

#[test]
fn missing_values_in_parameters_are_undefined() {
    assert_eq!(render("{{#if missing}}y{{else}}n{{/if}}", json!({})), "n");
    assert_eq!(render("{{queryEncode missing}}", json!({})), "undefined");
    assert_eq!(render("[{{#each missing}}x{{/each}}]", json!({})), "[]");
    assert_eq!(
        error("{{#if a.b}}y{{/if}}", json!({})).kind,
        ErrorKind::TypeError
    );
}

#[test]
fn values_print_the_javascript_way() {
    let context =
        json!({"n": 1.0, "big": 1e21, "arr": [1, null, "x"], "obj": {}, "t": true, "z": null});
    assert_eq!(
        render("{{n}}|{{big}}|{{arr}}|{{obj}}|{{t}}|[{{z}}]", context),
        "1|1e+21|1,,x|[object Object]|true|[]"
    );
}

#[test]
fn truthiness_is_javascript_s() {
    let context = json!({"obj": {}, "zero": 0, "empty": [], "s": ""});
    assert_eq!(
        render(
            "{{#if obj}}a{{/if}}{{#if zero}}b{{/if}}{{#if empty}}c{{/if}}{{#if s}}d{{/if}}",
            context.clone()
        ),
        "a"
    );
    assert_eq!(
        render(
            "{{#with zero}}w{{else}}e{{/with}}{{#with obj}}o{{/with}}",
            context
        ),
        "wo"
    );
}

#[test]
fn each_visits_integer_keys_first_and_sets_data() {
    let context: Value =
        serde_json::from_str(r#"{"o": {"b": 1, "2": "x", "a": 3, "1": "y"}}"#).expect("json");
    assert_eq!(
        render(
            "{{#each o}}{{@key}}={{this}}{{#if @first}}^{{/if}}{{#if @last}}${{/if}};{{/each}}",
            context
        ),
        "1=y^;2=x;b=1;a=3$;"
    );
    let context = json!({"items": ["a", "b"], "t": "T"});
    assert_eq!(
        render(
            "{{#each items as |item i|}}{{i}}{{item}}{{@root.t}}{{../t}}{{/each}}",
            context
        ),
        "0aTT1bTT"
    );
}

#[test]
fn whitespace_control_and_standalone_lines() {
    assert_eq!(
        render("a\n{{#if t}}\n  b\n{{/if}}\nc", json!({"t": true})),
        "a\n  b\nc"
    );
    assert_eq!(render("x  {{~t~}}  y", json!({"t": 1})), "x1y");
    assert_eq!(
        render("{{#if f}}\nA\n{{else}}\nB\n{{/if}}\n", json!({"f": false})),
        "B\n"
    );
    assert_eq!(render("a\n{{! note }}\nb", json!({})), "a\nb");
}

#[test]
fn sections_and_inverted_sections() {
    let context = json!({"arr": ["x", "y"], "none": [], "s": "abc"});
    assert_eq!(
        render(
            "{{#arr}}[{{this}}]{{/arr}}{{^none}}empty{{/none}}{{#s}}<{{this}}>{{/s}}",
            context
        ),
        "[x][y]empty<abc>"
    );
    assert_eq!(render("{{^if a}}no{{/if}}", json!({"a": false})), "no");
}

#[test]
fn framework_helpers() {
    let context = json!({"u": "Aladdin", "p": "open sesame", "ms": 1580777685229_i64, "n": 1, "s": "a b/c?d"});
    assert_eq!(
        render("{{{basicAuthHeaderValue u p}}}", context.clone()),
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(
        render(
            "{{formatWithOffset ms 3600 \"rfc3339\"}}|{{formatWithOffset ms 0 \"simple\"}}",
            context.clone()
        ),
        "2020-02-04T01:54:45.229Z|2020-02-04 12:54:45"
    );
    assert_eq!(
        render(
            "{{#equal n 1.0}}eq{{else}}ne{{/equal}}{{#equal n \"1\"}}eq{{else}}ne{{/equal}}",
            context.clone()
        ),
        "eqne"
    );
    assert_eq!(
        render(
            "{{{pathEncode s}}}|{{{queryEncode s}}}|{{queryEncode}}",
            context.clone()
        ),
        "a%20b/c?d|a%20b%2Fc%3Fd|%5Bobject%20Object%5D"
    );
    assert_eq!(error("{{equal n n}}", context).kind, ErrorKind::TypeError);
}

#[test]
fn literal_paths_and_segments() {
    let context = json!({"foo bar": "fb", "kind": "k", "1": "one", "true": "T", "obj": {"a.b": 2, "0": "zero"}});
    assert_eq!(
        render(
            "{{\"foo bar\"}}|{{'kind'}}|{{1}}|{{true}}|{{obj.[a.b]}}|{{obj.[0]}}|{{[foo bar]}}",
            context
        ),
        "fb|k|one|T|2|zero|fb"
    );
    assert_eq!(
        error("{{obj.0}}", json!({"obj": []})).kind,
        ErrorKind::Parse
    );
}

/// Handlebars.js reads tokens as its parser needs them: `a doesn't match b - 1:3` here, not
/// the unclosed comment after it.
#[test]
fn parse_errors_are_met_in_source_order() {
    let e = error("{{#a}}{{/b}} {{!-- never", json!({}));
    assert_eq!(e.message, "a doesn't match b");
    let position = e.position.expect("position");
    assert_eq!((position.line, position.column - 1), (1, 3));
}

/// Handlebars.js 4.7.8 puts `{{x}}` after `a\r` at 2:2 (its columns count from 0).
#[test]
fn a_lone_carriage_return_breaks_the_line() {
    let position = error("a\r{{x}}", json!({})).position.expect("position");
    assert_eq!((position.line, position.column - 1), (2, 2));
}

/// More objects than the evaluator remembers fields for, alike in their names: each read is
/// still of its own object, present or missing.
#[test]
fn remembered_fields_belong_to_their_object() {
    let items: Vec<Value> = (0..2000)
        .map(|i| {
            if i % 3 == 0 {
                json!({"w": i})
            } else {
                json!({"v": i, "w": i})
            }
        })
        .collect();
    let expected: String = (0..2000)
        .map(|i| {
            if i % 3 == 0 {
                format!("-{i};")
            } else {
                format!("{i}{i};")
            }
        })
        .collect();
    let template = "{{#each items}}{{#if v}}{{v}}{{else}}-{{/if}}{{w}};{{/each}}";
    assert_eq!(render(template, json!({ "items": items })), expected);
}

#[test]
fn parse_errors_name_the_place() {
    let e = error("{\n  \"a\": \"{{#if on}}x\"\n}\n", json!({"on": true}));
    assert_eq!(e.kind, ErrorKind::Parse);
    assert!(e.position.is_some());
    assert_eq!(
        error("{{#if on}}x{{/each}}", json!({})).message,
        "if doesn't match each"
    );
    assert_eq!(error("a{{else}}b", json!({})).kind, ErrorKind::Parse);
    assert_eq!(
        error("{{> header}}", json!({})).kind,
        ErrorKind::MissingPartial
    );
}

#[test]
fn json_templates_are_recognised_by_name() {
    assert!(is_json_template("templates/flag.json.hbs"));
    assert!(is_json_template("T.JSON"));
    assert!(!is_json_template("templates/flag.hbs"));
    assert_eq!(
        json_escape_value(&json!({"k\"": ["a\"b", 1]})),
        json!({"k\"": ["a\\\"b", 1]})
    );
}

/// A hundred thousand mustaches: compiling and rendering them costs a few units of work each.
#[test]
fn compile_and_render_work_is_linear() {
    let template = "{{kind}}-".repeat(100_000);
    let compiled = Template::compile(&template).expect("compiles");
    let out = compiled.render(&json!({"kind": "k"})).expect("renders");
    assert_eq!(out.len(), 200_000);
    let work = compiled.work().total();
    assert!(work < 20 * template.len() as u64, "{work}");
}

#[test]
fn absurd_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "{{#with a}}".repeat(100_000);
    assert_eq!(error(&deep, json!({})).kind, ErrorKind::Parse);
    let deep_sub = format!("{{{{x {}}}}}", "(a ".repeat(100_000));
    assert_eq!(error(&deep_sub, json!({})).kind, ErrorKind::Parse);
    let long_chain = format!(
        "{{{{#if a}}}}{}{{{{/if}}}}",
        "{{else if a}}".repeat(100_000)
    );
    assert_eq!(error(&long_chain, json!({})).kind, ErrorKind::Parse);
    let mut context = json!("bottom");
    for _ in 0..500 {
        context = json!({ "a": context });
    }
    let deepest = format!(
        "{}{{{{this}}}}{}",
        "{{#with a}}".repeat(500),
        "{{/with}}".repeat(500)
    );
    assert_eq!(render(&deepest, context), "bottom");
}

/// `depth` blocks, each the only thing in the one before.
fn nested_blocks(depth: usize) -> String {
    format!("{}x{}", "{{#if a}}".repeat(depth), "{{/if}}".repeat(depth))
}

/// A block whose `{{else if}}` chain has `links` links: each one level deeper than the last.
fn else_chain(links: usize) -> String {
    format!("{{{{#if a}}}}{}{{{{/if}}}}", "{{else if a}}x".repeat(links))
}

/// `depth` subexpressions, each the parameter of the one around it.
fn nested_subexpressions(depth: usize) -> String {
    format!(
        "{{{{pathEncode {}\"x\"{}}}}}",
        "(pathEncode ".repeat(depth),
        ")".repeat(depth)
    )
}

fn nesting_error(source: &str) -> (usize, usize, String) {
    let e = Template::compile(source).expect_err("too deep");
    assert_eq!(e.kind, ErrorKind::Parse, "{e}");
    let p = e.position.expect("position");
    (p.line, p.column, e.message)
}

fn too_deep() -> String {
    format!("blocks, `else if` links and subexpressions are nested more than {MAX_NESTING} deep")
}

#[test]
fn blocks_else_links_and_subexpressions_share_one_nesting_limit() {
    assert_eq!(MAX_NESTING, 512);
    let block = "{{#if a}}".len();
    assert!(Template::compile(&nested_blocks(MAX_NESTING)).is_ok());
    assert_eq!(
        nesting_error(&nested_blocks(MAX_NESTING + 1)),
        (1, MAX_NESTING * block + 1, too_deep())
    );
    // The block itself is one level; its links the rest.
    let link = "{{else if a}}x".len();
    assert!(Template::compile(&else_chain(MAX_NESTING - 1)).is_ok());
    assert_eq!(
        nesting_error(&else_chain(MAX_NESTING)),
        (1, block + (MAX_NESTING - 1) * link + 1, too_deep())
    );
    let sub = "(pathEncode ".len();
    assert!(Template::compile(&nested_subexpressions(MAX_NESTING)).is_ok());
    assert_eq!(
        nesting_error(&nested_subexpressions(MAX_NESTING + 1)),
        (1, "{{pathEncode ".len() + MAX_NESTING * sub + 1, too_deep())
    );
    // 200 blocks, a block with 200 links inside the innermost, and subexpressions inside the
    // last link: 200 + 1 + 200 + 111 = 512.
    let mixed = |subexpressions: usize| {
        format!(
            "{}{{{{#if a}}}}{}{}{{{{/if}}}}{}",
            "{{#if a}}".repeat(200),
            "{{else if a}}".repeat(200),
            nested_subexpressions(subexpressions),
            "{{/if}}".repeat(200)
        )
    };
    assert!(Template::compile(&mixed(111)).is_ok());
    assert_eq!(nesting_error(&mixed(112)).2, too_deep());
}

#[test]
fn templates_at_the_nesting_limit_run_on_a_small_stack() {
    // Each block and link reads `a`; the subexpressions read only a literal.
    let cases = [
        (
            nested_blocks(MAX_NESTING),
            json!({"a": true}),
            "x",
            MAX_NESTING,
        ),
        (
            else_chain(MAX_NESTING - 1),
            json!({"a": false}),
            "",
            MAX_NESTING,
        ),
        (nested_subexpressions(MAX_NESTING), json!({}), "x", 0),
    ];
    for (source, context, expected, reads) in cases {
        std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let template = Template::compile(&source).expect("compiles");
                assert_eq!(template.references().len(), reads);
                assert_eq!(template.render(&context).expect("renders"), expected);
                let copy = template.clone();
                drop(template);
                drop(copy);
            })
            .expect("thread")
            .join()
            .expect("no overflow");
    }
}

fn budget(steps: u64, text_bytes: usize) -> EvalBudget {
    EvalBudget { steps, text_bytes }
}

fn render_within(
    source: &str,
    context: &Value,
    limits: EvalBudget,
) -> Result<String, super::EngineError> {
    Template::compile(source)
        .expect("compiles")
        .render_within(context, limits)
}

#[test]
fn steps_count_statements_block_runs_and_subexpressions() {
    let context = json!({"items": [1, 2, 3]});
    // Three runs of the body, three mustaches in it, and the block: seven steps.
    let source = "{{#each items}}{{this}}{{/each}}";
    assert_eq!(
        render_within(source, &context, budget(7, 1_000)).expect("within"),
        "123"
    );
    let e = render_within(source, &context, budget(6, 1_000)).expect_err("one step short");
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((1, 1)));
    assert!(e.message.contains("more than 6 steps,"), "{}", e.message);
    // Stopped inside the loop, at the tag being rendered.
    let e = render_within(source, &context, budget(5, 1_000)).expect_err("inside the loop");
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((1, 16)));
    // A subexpression and the mustache around it.
    let sub = "{{pathEncode (pathEncode \"a\")}}";
    assert!(render_within(sub, &json!({}), budget(2, 1_000)).is_ok());
    assert!(render_within(sub, &json!({}), budget(1, 1_000)).is_err());
}

#[test]
fn text_counts_output_at_each_level_and_strings_made_by_parameters() {
    let context = json!({"items": [1, 2, 3]});
    // `ab` three times inside the block, then the block's six bytes where it is written.
    let source = "{{#each items}}ab{{/each}}";
    assert!(render_within(source, &context, budget(100, 12)).is_ok());
    let e = render_within(source, &context, budget(100, 11)).expect_err("a byte short");
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert_eq!(e.position.map(|p| (p.line, p.column)), Some((1, 1)));
    assert!(
        e.message.contains("more than 11 bytes of text produced"),
        "{}",
        e.message
    );
    // The literal, the subexpression's result and the output: three bytes each.
    let sub = "{{pathEncode (pathEncode \"abc\")}}";
    assert!(render_within(sub, &json!({}), budget(100, 9)).is_ok());
    assert!(render_within(sub, &json!({}), budget(100, 8)).is_err());
}

#[test]
fn a_template_may_take_a_step_per_byte_beyond_its_loops() {
    assert_eq!(
        EvalBudget::for_template(10),
        budget(LOOP_STEPS + 10, MAX_TEXT_BYTES)
    );
    // Every kind of statement, each rendered once: one step per byte is enough for a pass
    // through the template, whatever its size.
    let pass = "{{! note }}{{#if a}}{{pathEncode (pathEncode k)}}{{else if b}}y{{else}}z{{/if}}\
                {{#each list}}{{this}}{{/each}}{{{k}}}{{#with o}}{{x}}{{/with}}."
        .repeat(1_000);
    let context = json!({"a": true, "b": false, "k": "v", "list": [1], "o": {"x": 2}});
    let out = render_within(&pass, &context, budget(pass.len() as u64, MAX_TEXT_BYTES));
    assert_eq!(
        out.expect("within one step per byte"),
        "v1v2.".repeat(1_000)
    );
}

#[test]
fn exponential_helper_chains_stop_at_the_text_limit() {
    // Each `basicAuthHeaderValue` output is a third longer than its input.
    let source = format!(
        "{{{{basicAuthHeaderValue {}\"x\"{}}}}}",
        "(basicAuthHeaderValue ".repeat(100),
        ")".repeat(100)
    );
    let e = render_within(&source, &json!({}), budget(LOOP_STEPS, 1024 * 1024))
        .expect_err("past the limit");
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(
        e.message.contains("more than 1 MiB of text produced"),
        "{}",
        e.message
    );
}

/// Clones of a template share it across threads: it stays `Send` and `Sync`.
#[test]
fn templates_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Template>();
}

/// Any byte offset gets the line and column errors report: lines as Handlebars.js breaks
/// them, columns in UTF-16 units.
#[test]
fn line_column_counts_as_errors_do() {
    let source = "a\r\n😀{{x}}\rb";
    let template = Template::compile(source).expect("compiles");
    let at = |offset| {
        let p = template.line_column(offset);
        (p.line, p.column)
    };
    let x = source.find('x').expect("x");
    assert_eq!(at(x), (2, 5));
    let e = error(source, json!({})).position.expect("position");
    assert_eq!((e.line, e.column), at(x));
    // Inside the emoji: its start. Past the end: the end.
    assert_eq!(at(4), (2, 1));
    assert_eq!(at(source.len() + 10), (3, 2));
}

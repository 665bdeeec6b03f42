//! The last differences from Handlebars.js that its own spec suite and a differential fuzzer
//! found, one test per cause. Every expected value is what Handlebars.js 4.7.8 renders in
//! strict mode with the framework's helpers (and, where said, its JSON escaper).

use serde_json::{Value, json};

use super::{ErrorKind, Template, json_escape_value};

fn render(template: &str, context: Value) -> String {
    Template::compile(template)
        .and_then(|t| t.render(&context))
        .unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn render_escaped(template: &str, context: Value) -> Result<String, super::EngineError> {
    Template::compile(template).and_then(|t| t.render_json_escaped(&json_escape_value(&context)))
}

fn error(template: &str, context: Value) -> super::EngineError {
    match Template::compile(template).and_then(|t| t.render(&context)) {
        Ok(out) => panic!("{template} rendered {out:?}, expected an error"),
        Err(e) => e,
    }
}

fn at(error: &super::EngineError) -> (usize, usize) {
    let position = error.position.expect("a position");
    (position.line, position.column)
}

#[test]
fn an_empty_first_path_segment_is_the_context_itself() {
    let context = json!({"a": 1, "": 3, "w": {"b": 1}});
    for template in ["{{[]}}", "{{\"\"}}", "{{this.[]}}", "{{[].a}}", "{{@[]}}"] {
        assert_eq!(
            render(template, context.clone()),
            "[object Object]",
            "{template}"
        );
    }
    assert_eq!(
        render("{{#with w}}{{../[]}}{{/with}}", context.clone()),
        "[object Object]"
    );
    assert_eq!(render("{{[]}}", json!("str")), "str");
    assert_eq!(
        render("{{#each []}}{{@key}}{{/each}}", json!({"a": 5, "b": 6})),
        "ab"
    );
    assert_eq!(render("{{#if []}}y{{/if}}", json!({})), "y");
    // A later empty segment is a field like any other.
    assert_eq!(error("{{w.[]}}", context).kind, ErrorKind::StrictMissing);
}

#[test]
fn helper_missing_and_block_helper_missing_are_hooks_not_helpers() {
    for template in [
        "{{helperMissing}}",
        "{{#helperMissing}}{{/helperMissing}}",
        "{{blockHelperMissing 1}}",
        "{{#blockHelperMissing}}x{{/blockHelperMissing}}",
    ] {
        let e = error(template, json!({"helperMissing": 1}));
        assert_eq!(e.kind, ErrorKind::TypeError, "{template}");
        assert_eq!(
            e.message,
            "Cannot read properties of undefined (reading 'call')"
        );
    }
}

#[test]
fn comment_delimiters_may_overlap() {
    assert_eq!(render("{{!--}}x", json!({})), "x");
    assert_eq!(render("{{!---}}x", json!({})), "x");
    assert_eq!(render("{{!--}}a--}}b", json!({})), "a--}}b");
    assert_eq!(render("{{!-- a --}}b--}}", json!({})), "b--}}");
    assert_eq!(error("{{!-- a -}}", json!({})).kind, ErrorKind::Parse);
}

#[test]
fn an_own_to_string_or_to_html_key_is_a_type_error() {
    let unconvertible = json!({"o": {"toString": 1}, "n": {"toString": null},
                               "l": [{"toString": 1}], "v": {"valueOf": 1}});
    for template in [
        "{{o}}",
        "{{{o}}}",
        "{{n}}",
        "{{l}}",
        "{{pathEncode o}}",
        "{{queryEncode o}}",
        "{{basicAuthHeaderValue o \"p\"}}",
        "{{formatWithOffset o}}",
    ] {
        let e = error(template, unconvertible.clone());
        assert_eq!(e.kind, ErrorKind::TypeError, "{template}");
        assert_eq!(
            e.message, "Cannot convert object to primitive value",
            "{template}"
        );
    }
    assert_eq!(render("{{v}}", unconvertible), "[object Object]");
    let html = json!({"h": {"toHTML": 1}, "z": {"toHTML": null}});
    assert_eq!(
        error("{{h}}", html.clone()).message,
        "string.toHTML is not a function"
    );
    assert_eq!(
        render("{{{h}}}|{{z}}", html),
        "[object Object]|[object Object]"
    );
}

#[test]
fn of_a_hash_key_written_twice_the_first_value_wins_unevaluated_later_ones() {
    assert_eq!(
        render("{{lookup . \"a\" k=1 k=(with 0)}}", json!({"a": "A"})),
        "A"
    );
    assert_eq!(
        render("{{#each a k=1 k=(bogus)}}x{{/each}}", json!({"a": [1]})),
        "x"
    );
    // The pairs are evaluated last to first: the last one's error is met first.
    let e = error(
        "{{lookup . \"a\" x=(bogus1) y=(bogus2)}}",
        json!({"a": "A"}),
    );
    assert_eq!(
        (e.message.as_str(), at(&e)),
        ("\"bogus2\" is not defined in the context", (1, 30))
    );
}

#[test]
fn dot_dot_inside_a_helper_on_a_null_each_item_skips_no_level() {
    let context = json!({"items": [null], "a": "A"});
    assert_eq!(
        render(
            "{{#each items}}{{#if ../a}}{{../a}}{{/if}}{{/each}}",
            context.clone()
        ),
        "A"
    );
    assert_eq!(
        render(
            "{{#each items}}{{#unless ../a}}u{{else}}{{../a}}{{/unless}}{{/each}}",
            context.clone()
        ),
        "A"
    );
    assert_eq!(
        error(
            "{{#each items}}{{#if ../a}}{{../../a}}{{/if}}{{/each}}",
            context
        )
        .kind,
        ErrorKind::StrictMissing
    );
}

#[test]
fn a_lone_carriage_return_ends_a_standalone_line() {
    assert_eq!(render("{{! c }}\r", json!({})), "");
    assert_eq!(render("x\n {{! c }}\r\r\ny", json!({})), "x\n\r\ny");
    // Inside a block, or beside other statements, a standalone line needs its `\n`.
    assert_eq!(
        render("{{#if t}}\r{{a}}\r{{/if}}\r", json!({"t": true, "a": 1})),
        "\r1\r\r"
    );
}

#[test]
fn json_escaping_builds_objects_by_assignment_so_proto_is_a_prototype() {
    let context =
        json!({"o": {"a": 1, "__proto__": {"x": 1}, "b": 2}, "p": {"__proto__": 1, "c": 3}});
    let escaped = |template: &str| render_escaped(template, context.clone());
    assert_eq!(
        escaped("[{{o.x}}][{{o.__proto__}}][{{lookup o \"x\"}}]")
            .ok()
            .as_deref(),
        Some("[][][]")
    );
    assert_eq!(
        escaped("{{#each o}}{{@key}};{{/each}}").ok().as_deref(),
        Some("a;b;")
    );
    assert_eq!(
        escaped("{{#each p}}{{@key}};{{/each}}").ok().as_deref(),
        Some("c;")
    );
    assert_eq!(
        escaped("{{o.y}}").map_err(|e| e.kind),
        Err(ErrorKind::StrictMissing)
    );
    // JSON.parse keeps `__proto__` as a member.
    assert_eq!(
        render(
            "{{#each o}}{{@key}};{{/each}}{{o.__proto__.x}}",
            context.clone()
        ),
        "a;__proto__;b;1"
    );
    assert_eq!(error("{{o.x}}", context).kind, ErrorKind::StrictMissing);
}

#[test]
fn adjacent_unescaped_numbers_and_booleans_add_up() {
    let context = json!({"a": 1, "b": 2, "t": true, "n": null, "f": 0.1, "x": true, "l": [1, 2], "w": {"a": 5}});
    let cases = [
        ("{{{a}}}{{{b}}}", "3"),
        ("{{{t}}}{{{t}}}", "2"),
        ("{{{t}}}", "true"),
        ("{{{a}}}{{! c }}{{{b}}}", "3"),
        ("{{{f}}}{{{f}}}", "0.2"),
        ("x{{{a}}}{{{b}}}", "x12"),
        ("{{{a}}}{{b}}{{{b}}}", "122"),
        ("{{{a}}}{{{n}}}{{{b}}}", "12"),
        ("{{{a}}}\n{{{b}}}", "1\n2"),
        ("{{{a}}}{{{b}}}x{{{a}}}{{{b}}}", "3x12"),
        ("{{#if t}}{{{a}}}{{{b}}}{{/if}}{{{a}}}", "4"),
        ("{{#each l}}{{{this}}}{{{this}}}{{/each}}", "24"),
        ("{{#with w}}{{{a}}}{{{a}}}{{/with}}{{{w.a}}}", "15"),
        ("{{{lookup . \"a\"}}}{{{lookup . \"b\"}}}", "3"),
        // An ambiguous block is appended on its own, between runs.
        ("{{#x}}y{{/x}}{{{a}}}{{{b}}}{{#x}}y{{/x}}", "y3y"),
        ("{{{a}}}{{#x}}y{{/x}}{{{a}}}{{{b}}}", "1y12"),
        ("{{#x}}{{{a}}}{{{b}}}{{/x}}{{{a}}}", "31"),
    ];
    for (template, expected) in cases {
        assert_eq!(render(template, context.clone()), expected, "{template}");
    }
}

#[test]
fn a_literal_head_is_located_at_the_literal_and_a_callee_is_read_before_its_parameters() {
    let cases = [
        ("{{\"foo\"}}", json!({}), (1, 3)),
        ("{{12}}", json!({}), (1, 3)),
        ("{{foo}} {{~null~}}", json!({"foo": 1}), (1, 12)),
    ];
    for (template, context, place) in cases {
        assert_eq!(at(&error(template, context)), place, "{template}");
    }
    assert_eq!(render("{{\"foo\"}}", json!({"foo": 1})), "1");
    let e = error("{{foo (bar)}}", json!({}));
    assert_eq!(
        (e.message.as_str(), at(&e)),
        ("\"foo\" is not defined in the context", (1, 3))
    );
    // A callee that exists but is no function fails after its parameters are read.
    let e = error("{{foo (bar)}}", json!({"foo": 1}));
    assert_eq!(e.message, "\"bar\" is not defined in the context");
}

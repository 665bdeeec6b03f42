//! Malformed input: each gets exactly one `invalid-json` finding with the right line:column,
//! exit 1, and never a panic, a hang or a stack overflow.

mod common;

use ldhook::manifest::Document;
use ldhook::schema::Schema;

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    line: u64,
    column: u64,
    message: &'static str,
}

fn case(
    name: &'static str,
    bytes: impl Into<Vec<u8>>,
    line: u64,
    column: u64,
    message: &'static str,
) -> Case {
    Case {
        name,
        bytes: bytes.into(),
        line,
        column,
        message,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "trailing comma",
            "{\n  \"name\": \"x\",\n}\n",
            2,
            14,
            "trailing comma",
        ),
        case(
            "line comment",
            "{\n  // the name\n  \"name\": \"x\"\n}",
            2,
            3,
            "comments are not allowed",
        ),
        case(
            "block comment",
            "{ /* x */ }",
            1,
            3,
            "comments are not allowed",
        ),
        case(
            "byte-order mark",
            b"\xEF\xBB\xBF{}".to_vec(),
            1,
            1,
            "byte-order mark",
        ),
        case(
            "duplicate key",
            "{\n  \"name\": \"a\",\n  \"name\": \"b\"\n}",
            3,
            3,
            "duplicate key `name`",
        ),
        case(
            "truncated object",
            "{\n  \"name\": \"x\",\n  \"links\": {",
            3,
            13,
            "not closed",
        ),
        case(
            "truncated string",
            "{\"name\": \"Acme",
            1,
            10,
            "unterminated string",
        ),
        case(
            "not UTF-8",
            b"{\"name\": \"Caf\xE9\"}".to_vec(),
            1,
            14,
            "not valid UTF-8",
        ),
        case(
            "number too large",
            "{\"version\": 1e999}",
            1,
            13,
            "too large",
        ),
        case(
            "deep nesting",
            "[".repeat(10_000),
            1,
            129,
            "nested more than",
        ),
        case("empty file", "", 1, 1, "empty"),
        case("only white space", " \n\t\n", 1, 1, "empty"),
        case("single quotes", "{'name': 'x'}", 1, 2, "double quotes"),
        case(
            "unquoted key",
            "{name: 1}",
            1,
            2,
            "double-quoted object key",
        ),
        case("two documents", "{} {}", 1, 4, "end of file after"),
        case("lone surrogate", "{\"a\": \"\\ud800\"}", 1, 8, "surrogate"),
        case("raw tab in string", "{\"a\": \"x\ty\"}", 1, 9, "U+0009"),
        case(
            "binary garbage",
            vec![0u8, 159, 146, 150, 255],
            1,
            2,
            "not valid UTF-8",
        ),
        case("NaN", "{\"a\": NaN}", 1, 7, "expected a value"),
        case(
            "missing colon",
            "{\"a\" 1}",
            1,
            6,
            "`:` after the object key",
        ),
    ]
}

#[test]
fn every_malformed_input_gets_one_precise_finding() {
    for case in cases() {
        let output = common::ldhook()
            .args([
                "validate",
                "-",
                "--stdin-filename",
                "manifest.json",
                "--format",
                "json",
            ])
            .write_stdin(case.bytes.clone())
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("ldhook runs");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {:?}",
            case.name,
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON report");
        let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
        assert_eq!(diagnostics.len(), 1, "{}: {diagnostics:?}", case.name);
        let d = &diagnostics[0];
        assert_eq!(d["rule"], "LDH001", "{}", case.name);
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(case.line), Some(case.column)),
            "{}: {d}",
            case.name
        );
        let message = d["message"].as_str().expect("message");
        assert!(message.contains(case.message), "{}: {message}", case.name);
    }
}

#[test]
fn human_output_of_a_syntax_error_points_at_it() {
    let output = common::ldhook()
        .args(["validate", "-", "--stdin-filename", "manifest.json"])
        .write_stdin("{\n  \"name\": \"a\",\n  \"name\": \"b\"\n}")
        .output()
        .expect("ldhook runs");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

/// Every prefix and every single-byte corruption of a real manifest is handled: a finding or a
/// clean result, never a panic.
#[test]
fn no_prefix_or_corruption_of_a_manifest_panics() {
    let schema = Schema::embedded().expect("embedded schema");
    let manifest = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/pulseboard/manifest.json"
    ))
    .expect("example");
    for end in 0..manifest.len() {
        if let Ok(document) = Document::parse("m.json", &manifest[..end]) {
            let _ = schema.check(&document);
        }
    }
    for at in 0..manifest.len() {
        for replacement in [b'"', b'{', b']', b',', 0xFF, b'\\'] {
            let mut corrupted = manifest.clone();
            corrupted[at] = replacement;
            match Document::parse("m.json", &corrupted) {
                Ok(document) => drop(schema.check(&document)),
                Err(syntax) => {
                    // Placed within the text as shown.
                    assert!(syntax.error.span.end <= syntax.source.text().len());
                    assert!(syntax.position().line >= 1);
                }
            }
        }
    }
}

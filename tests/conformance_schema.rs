//! Schema conformance: for every validate case of the corpus, ldhook's verdict and the set of
//! JSON pointers it reports equal ajv 6's, with the embedded schema and with the framework's.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use ldhook::manifest::Document;
use ldhook::schema::Schema;
use serde_json::Value;

/// ajv 6 `dataPath`s are JavaScript accessors (`.a.b[0]['x y']`); the corpus compares pointers.
fn ajv_path_to_pointer(data_path: &str) -> String {
    let mut pointer = String::new();
    let mut rest = data_path;
    while !rest.is_empty() {
        let (token, tail) = if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']").expect("closing quote in dataPath");
            (after[..end].replace("\\'", "'"), &after[end + 2..])
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').expect("closing bracket in dataPath");
            (after[..end].to_string(), &after[end + 1..])
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        } else {
            panic!("unexpected dataPath {data_path}");
        };
        ldhook::pointer::push_token(&mut pointer, &token);
        rest = tail;
    }
    pointer
}

fn pointers(errors: &Value) -> BTreeSet<String> {
    errors
        .as_array()
        .expect("an error list")
        .iter()
        .map(|e| ajv_path_to_pointer(e["dataPath"].as_str().expect("dataPath")))
        .collect()
}

fn manifest_text(conformance: &Path, case: &Value) -> (String, Vec<u8>) {
    if let Some(file) = case["manifest_file"].as_str() {
        let path = conformance.join(file);
        (
            file.to_string(),
            std::fs::read(&path).expect("manifest file"),
        )
    } else {
        let text = serde_json::to_string_pretty(&case["manifest"]).expect("inline manifest");
        ("inline manifest.json".to_string(), text.into_bytes())
    }
}

fn check_all(schema: &Schema, conformance: &Path) -> (usize, Vec<String>) {
    let cases = common::sorted_files(&conformance.join("cases/validate"), "json");
    assert!(
        cases.len() >= 187,
        "expected the whole corpus, found {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for path in &cases {
        let case = common::read_json(path);
        let id = case["id"].as_str().expect("case id");
        let (name, bytes) = manifest_text(conformance, &case);
        let document =
            Document::parse(&name, &bytes).unwrap_or_else(|d| panic!("{id}: {}", d.error.message));
        let diagnostics = schema.check(&document);

        let verdict = diagnostics.is_empty();
        let got: BTreeSet<String> = diagnostics
            .iter()
            .filter_map(|d| d.pointer.as_ref().map(ToString::to_string))
            .collect();
        let all = pointers(&case["ajv_all_errors"]);
        let first = pointers(&case["ajv_errors"]);
        if verdict != case["ajv_valid"].as_bool().expect("ajv_valid")
            || got != all
            || !first.is_subset(&got)
        {
            failures.push(format!("{id}: ajv {all:?}, ldhook {got:?}"));
        }
        for d in &diagnostics {
            let location = d.location();
            if location.is_none() || d.pointer.is_none() {
                failures.push(format!("{id}: finding without a place: {}", d.message));
            }
        }
    }
    (cases.len(), failures)
}

fn report(label: &str, total: usize, failures: &[String]) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "schema conformance ({label}): {}/{total} cases agree with ajv",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn embedded_schema_agrees_with_ajv() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let schema = Schema::embedded().expect("embedded schema");
    let (total, failures) = check_all(&schema, &conformance);
    report("embedded", total, &failures);
}

#[test]
fn framework_schema_agrees_with_ajv() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let schema = Schema::from_file(&conformance.join("framework/manifest.schema.json"))
        .expect("framework schema");
    let (total, failures) = check_all(&schema, &conformance);
    report("framework", total, &failures);
}

#[test]
fn ajv_paths_become_pointers() {
    assert_eq!(ajv_path_to_pointer(""), "");
    assert_eq!(
        ajv_path_to_pointer(".formVariables[1].allowedValues[0]"),
        "/formVariables/1/allowedValues/0"
    );
    assert_eq!(ajv_path_to_pointer(".links['a b'].c"), "/links/a b/c");
    assert_eq!(ajv_path_to_pointer("['x/y']"), "/x~1y");
}

/// The whole framework checkout through the real binary: the checkout's own schema is found,
/// all 123 public integrations are read, and none has a schema finding.
#[test]
fn framework_root_validates_clean_through_the_binary() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let root = conformance.join("framework");
    let output = common::ldhook()
        .args(["validate", "--select", "schema", "--format", "json"])
        .arg(&root)
        .output()
        .expect("ldhook runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert_eq!(report["summary"]["files"], 123);
    assert_eq!(
        report["schema"],
        root.join("manifest.schema.json").display().to_string()
    );
}

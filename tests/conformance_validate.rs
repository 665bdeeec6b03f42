//! No false alarms on the real world: the framework checkout's 123 public integrations all
//! pass the framework's own suite, so ldhook reports no error on any of them.

mod common;

use serde_json::Value;

#[test]
fn the_framework_checkout_has_no_errors() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let output = common::ldhook()
        .arg("validate")
        .arg(conformance.join("framework"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(
        errors.is_empty(),
        "errors on public integrations: {errors:#?}"
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(report["summary"]["files"], 123);
    // Warnings are allowed where true; every one names its template, field or variable.
    for warning in report["diagnostics"].as_array().expect("diagnostics") {
        assert!(
            warning["line"].as_u64().is_some(),
            "warning without a place: {warning}"
        );
    }
}

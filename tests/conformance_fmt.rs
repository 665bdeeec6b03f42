//! Prettier 2.2.1's output with the framework's `.prettierrc`, for every case of the corpus
//! (`cases/fmt/`): ldhook's formatter must give it byte for byte.

mod common;

use std::path::Path;

use serde_json::Value;

/// The corpus holds this many cases; reading fewer means the folder is not what it should be.
const CASES: usize = 783;

fn cases(conformance: &Path) -> Vec<(String, Value)> {
    common::sorted_files(&conformance.join("cases/fmt"), "json")
        .into_iter()
        .map(|path| (path.display().to_string(), common::read_json(&path)))
        .collect()
}

#[test]
fn every_case_formats_as_prettier_does() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let cases = cases(&conformance);
    let mut passed = 0;
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let input = case["input"].as_str().expect("input");
        let expected = &case["expected"];
        let got = ldhook::format::format(input);
        let agrees = match (expected["ok"].as_bool(), &got) {
            (Some(true), Ok(output)) => Some(output.as_str()) == expected["output"].as_str(),
            (Some(false), Err(_)) => true,
            _ => false,
        };
        if agrees {
            passed += 1;
        } else {
            failures.push(format!(
                "{file} ({}):\n  expected {:?}\n  got      {got:?}",
                case["id"], expected["output"]
            ));
        }
    }
    eprintln!("fmt conformance: {passed}/{} cases", cases.len());
    assert_eq!(
        cases.len(),
        CASES,
        "the corpus should hold {CASES} fmt cases"
    );
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The framework's CI runs `prettier --list-different` over its checkout and passes, so
/// `ldhook fmt --check` over the same checkout must find nothing to change.
#[test]
fn check_over_the_framework_checkout_lists_nothing() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    common::ldhook()
        .args(["fmt", "--check"])
        .arg(conformance.join("framework"))
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
}

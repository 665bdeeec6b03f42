//! The framework's CI runs Prettier over every manifest, so every manifest in the corpus is in
//! Prettier's format. Those written with every object expanded (the form `init` writes) must
//! come out of ldhook's formatter (`format_value`, what `init` writes) byte for byte as they are.

mod common;

use ldhook::format;

/// Prettier keeps an object on one line when its source had it so; our writer always expands
/// objects, so only manifests without such an object can be compared.
fn has_inline_object(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        let start = line
            .find(": {")
            .map(|at| at + 2)
            .or_else(|| line.starts_with('{').then_some(0));
        start.is_some_and(|at| line[at..].trim_end().trim_end_matches(',') != "{")
    })
}

#[test]
fn framework_manifests_come_back_byte_for_byte() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let integrations = conformance.join("framework/integrations");
    let mut compared = 0;
    let mut mismatches = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&integrations)
        .expect("integrations directory")
        .map(|entry| entry.expect("entry").path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let path = dir.join("manifest.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if has_inline_object(&text) {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&text).expect("manifest parses");
        compared += 1;
        if format::format_value(&value) != text {
            mismatches.push(path.display().to_string());
        }
    }
    eprintln!(
        "prettier conformance: {compared} manifests compared, {} differ",
        mismatches.len()
    );
    assert!(compared >= 50, "too few manifests to compare: {compared}");
    assert!(
        mismatches.is_empty(),
        "formatted differently: {mismatches:#?}"
    );
}

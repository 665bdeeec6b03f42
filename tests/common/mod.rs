//! Shared by the integration tests: where the conformance corpus is, and how to skip without it.

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// The golden corpus produced by the framework's reference tooling: `$LDHOOK_CONFORMANCE_DIR`,
/// else `../shared/conformance` beside the checkout. In CI it must be there; elsewhere its
/// absence skips the suite with a notice that the test harness does not swallow.
pub fn conformance_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LDHOOK_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !in_ci,
        "CI is set but the conformance corpus is missing at {}; set LDHOOK_CONFORMANCE_DIR",
        dir.display()
    );
    // Written to the stderr handle itself: libtest captures only the print macros.
    let _ = writeln!(
        std::io::stderr(),
        "NOTICE: conformance corpus not found at {}; conformance tests skipped (set LDHOOK_CONFORMANCE_DIR)",
        dir.display()
    );
    None
}

pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn sorted_files(dir: &std::path::Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    files
}

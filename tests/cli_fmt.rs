//! `ldhook fmt`: what it writes, lists and reports, and what it leaves alone.

mod common;

use std::fs;
use std::path::Path;

use common::ldhook;

const MINIFIED: &str = "{\"a\":[1,2],\"b\":{\"c\":null}}";
const FORMATTED: &str = "{ \"a\": [1, 2], \"b\": { \"c\": null } }\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).expect("read")
}

#[test]
fn formats_every_json_file_under_a_directory_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "one.json", MINIFIED);
    write(dir.path(), "deep/two.json", MINIFIED);
    write(dir.path(), "notes.txt", MINIFIED);
    write(dir.path(), "node_modules/dep.json", MINIFIED);
    ldhook()
        .arg("fmt")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    assert_eq!(read(dir.path(), "one.json"), FORMATTED);
    assert_eq!(read(dir.path(), "deep/two.json"), FORMATTED);
    assert_eq!(read(dir.path(), "notes.txt"), MINIFIED, "not JSON by name");
    assert_eq!(
        read(dir.path(), "node_modules/dep.json"),
        MINIFIED,
        "Prettier skips node_modules"
    );
}

#[test]
fn check_lists_the_files_that_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "a.json", MINIFIED);
    write(dir.path(), "b.json", FORMATTED);
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .stdout("a.json\n")
        .stderr("");
    assert_eq!(read(dir.path(), "a.json"), MINIFIED);
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "--check", "b.json"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "a.json", "{\"a\":1}\n");
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "--diff", "a.json"])
        .assert()
        .code(1)
        .stdout("--- a.json\n+++ a.json\n@@ -1 +1 @@\n-{\"a\":1}\n+{ \"a\": 1 }\n")
        .stderr("");
    assert_eq!(read(dir.path(), "a.json"), "{\"a\":1}\n");
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    ldhook()
        .args(["fmt", "-"])
        .write_stdin(MINIFIED)
        .assert()
        .code(0)
        .stdout(FORMATTED)
        .stderr("");
}

#[test]
fn a_file_already_formatted_is_not_rewritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "a.json", FORMATTED);
    let path = dir.path().join("a.json");
    let before = fs::metadata(&path).expect("meta");
    // Read-only: a rewrite would have to replace it, and the inode would change.
    let mut readonly = before.permissions();
    readonly.set_readonly(true);
    fs::set_permissions(&path, readonly).expect("chmod");
    ldhook().arg("fmt").arg(&path).assert().code(0).stdout("");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let after = fs::metadata(&path).expect("meta");
        assert_eq!(
            after.ino(),
            before.ino(),
            "the same file, not a replacement"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_rewrite_keeps_the_file_s_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "a.json", MINIFIED);
    let path = dir.path().join("a.json");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    ldhook().arg("fmt").arg(&path).assert().code(0);
    assert_eq!(read(dir.path(), "a.json"), FORMATTED);
    let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

/// Makes renaming over `file` fail: an immutable file (`chattr +i`, which root can set) stops
/// the rename after the stage is written; otherwise a read-only directory stops the stage.
/// Returns the undo, or `None` when neither stops a write here.
#[cfg(unix)]
fn block_replacing(file: &Path) -> Option<Box<dyn Fn()>> {
    use std::os::unix::fs::PermissionsExt;
    let chattr = |flag: &str, path: &Path| {
        std::process::Command::new("chattr")
            .arg(flag)
            .arg(path)
            .status()
            .is_ok_and(|status| status.success())
    };
    if chattr("+i", file) {
        let file = file.to_path_buf();
        return Some(Box::new(move || {
            chattr("-i", &file);
        }));
    }
    let dir = file.parent().expect("parent").to_path_buf();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).expect("chmod");
    let undo = move || fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    if fs::write(file.with_extension("probe"), "").is_ok() {
        undo();
        return None;
    }
    Some(Box::new(undo))
}

#[cfg(unix)]
#[test]
fn a_write_that_cannot_be_made_leaves_the_original_and_no_stage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let locked = dir.path().join("locked");
    write(&locked, "a.json", MINIFIED);
    let Some(undo) = block_replacing(&locked.join("a.json")) else {
        eprintln!("NOTICE: nothing stops a write here; skipped");
        return;
    };
    let assert = ldhook()
        .arg("fmt")
        .arg(locked.join("a.json"))
        .assert()
        .code(2);
    undo();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("a.json: cannot write the formatted file: Operation not permitted")
            || stderr.contains("a.json: cannot write the formatted file: Permission denied"),
        "{stderr}"
    );
    assert_eq!(read(&locked, "a.json"), MINIFIED);
    let names: Vec<_> = fs::read_dir(&locked)
        .expect("list")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
}

#[test]
fn invalid_json_is_reported_and_left_while_the_others_are_formatted() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "bad.json", "{\n  \"a\": 1,\n}\n");
    write(dir.path(), "good.json", MINIFIED);
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "."])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "error[LDH001]: trailing comma; JSON does not allow one here\n --> bad.json:2:9\n",
        ));
    assert_eq!(read(dir.path(), "bad.json"), "{\n  \"a\": 1,\n}\n");
    assert_eq!(read(dir.path(), "good.json"), FORMATTED);
}

#[test]
fn prettierignore_leaves_out_what_it_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".prettierignore", "generated/\nskip.json\n");
    write(dir.path(), "generated/out.json", MINIFIED);
    write(dir.path(), "skip.json", MINIFIED);
    write(dir.path(), "keep.json", MINIFIED);
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .stdout("keep.json\n");
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "--check", "skip.json", "generated/out.json"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn a_path_that_does_not_exist_cannot_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    ldhook()
        .current_dir(dir.path())
        .args(["fmt", "missing.json"])
        .assert()
        .code(2)
        .stderr("ldhook: error: missing.json: no such file or directory\n");
}

#[test]
fn invalid_json_on_standard_input_is_a_finding_and_no_output() {
    ldhook()
        .args(["fmt", "-"])
        .write_stdin("[1,\n2,]")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "error[LDH001]: trailing comma; JSON does not allow one here\n --> <stdin>:2:2\n",
        ));
}

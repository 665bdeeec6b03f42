//! `ldhook init` never destroys what it did not create: a destination that appears while it
//! works is left alone, an empty destination is filled in place, `--force` replaces only an
//! integration directory and says what it removed, a signal never leaves a staging directory
//! and what is printed afterwards is true, and a name whose defaults do not fit is blamed as
//! the name.

#![cfg(unix)]

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::{copy_dir, init_args, ldhook, ldhook_process, names, text};

/// The files `init` writes with the default answers; their production-flags policy reaches no
/// `default` template, so there is none.
const WRITTEN: &[&str] = &[
    "README.md",
    "assets/horizontal.svg",
    "assets/square.svg",
    "manifest.json",
    "templates/flag.json.hbs",
    "templates/validation.json.hbs",
];

fn init(dir: &Path, extra: &[&str]) -> Output {
    ldhook()
        .current_dir(dir)
        .args(init_args(extra))
        .output()
        .expect("ldhook runs")
}

fn spawn_init(dir: &Path, extra: &[&str]) -> Child {
    ldhook_process()
        .current_dir(dir)
        .args(init_args(extra))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ldhook starts")
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside");
                out.push(relative.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path).expect("metadata").ino()
}

fn assert_ok(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// Refused with exit code 2 and exactly `message`.
fn assert_refused(output: &Output, message: &str) {
    assert_eq!(text(&output.stderr), format!("ldhook: error: {message}\n"));
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
}

/// A directory that is not an integration: a repository with work in it.
fn repository(dir: &Path) {
    std::fs::create_dir_all(dir.join(".git/refs")).expect("mkdir");
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(dir.join("src/main.rs"), "fn main() {}\n").expect("write");
}

fn assert_repository_intact(dir: &Path) {
    assert_eq!(files(dir), [".git/HEAD", "src/main.rs"]);
    assert!(dir.join(".git/refs").is_dir());
    assert_eq!(
        std::fs::read_to_string(dir.join("src/main.rs")).expect("kept"),
        "fn main() {}\n"
    );
}

#[test]
fn init_dot_fills_the_empty_current_directory_without_replacing_it() {
    let work = tempfile::tempdir().expect("temporary directory");
    let here = work.path().join("nimbus");
    std::fs::create_dir(&here).expect("mkdir");
    let before = inode(&here);
    let output = init(&here, &["."]);
    assert_ok(&output);
    assert_eq!(
        inode(&here),
        before,
        "the shell's directory is the same one"
    );
    assert!(
        text(&output.stdout).starts_with("Filled the empty directory ./ with:\n"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(files(&here), WRITTEN);
    assert_eq!(names(work.path()), ["nimbus"]);
}

#[test]
fn an_empty_directory_named_by_path_is_filled_in_place() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path().join("some/empty/dir");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let before = inode(&dir);
    let output = init(work.path(), &["some/empty/dir"]);
    assert_ok(&output);
    assert_eq!(inode(&dir), before);
    assert!(text(&output.stdout).starts_with("Filled the empty directory some/empty/dir/ with:\n"));
    assert_eq!(files(&dir), WRITTEN);
    assert_eq!(names(&work.path().join("some/empty")), ["dir"]);
}

#[test]
fn force_in_a_repository_refuses_and_keeps_everything() {
    let work = tempfile::tempdir().expect("temporary directory");
    let repo = work.path().join("repo");
    repository(&repo);
    let here = init(&repo, &[".", "--force"]);
    assert_refused(
        &here,
        ".: --force will not replace it: it is the current directory",
    );
    assert_repository_intact(&repo);

    let named = init(work.path(), &["repo", "--force"]);
    assert_refused(&named, "repo: --force will not replace it: it holds .git");
    assert_repository_intact(&repo);
    assert_eq!(names(work.path()), ["repo"]);
}

/// An integration `init` made in `work`, at `nimbus-alerts/`.
fn integration(work: &Path) -> PathBuf {
    assert_ok(&init(work, &[]));
    work.join("nimbus-alerts")
}

#[test]
fn force_on_an_integration_with_unrelated_files_names_them_and_keeps_them() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = integration(work.path());
    let manifest = std::fs::read(dir.join("manifest.json")).expect("written");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    std::fs::create_dir(dir.join("build")).expect("mkdir");
    std::fs::write(dir.join("build/out.log"), "mine").expect("write");

    let output = init(work.path(), &["--force", "--author", "Someone Else"]);
    assert_refused(
        &output,
        "nimbus-alerts: --force will not replace it: besides what ldhook writes it holds build/, notes.txt; move them out first",
    );
    let mut expected: Vec<&str> = WRITTEN.to_vec();
    expected.extend(["build/out.log", "notes.txt"]);
    expected.sort_unstable();
    assert_eq!(files(&dir), expected);
    assert_eq!(
        std::fs::read(dir.join("manifest.json")).expect("kept"),
        manifest
    );
    assert_eq!(names(work.path()), ["nimbus-alerts"]);
}

#[test]
fn force_replaces_an_integration_and_lists_what_it_removed() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = integration(work.path());
    std::fs::write(dir.join("templates/extra.json.hbs"), "{}").expect("write");
    std::fs::create_dir(dir.join("assets/unused")).expect("mkdir");

    let output = init(work.path(), &["--force", "--author", "Someone Else"]);
    assert_ok(&output);
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("Replaced nimbus-alerts/ with:\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\nRemoved what the earlier nimbus-alerts/ held:\n  README.md\n  assets/horizontal.svg\n  \
             assets/square.svg\n  assets/unused/\n  manifest.json\n  templates/extra.json.hbs\n  \
             templates/flag.json.hbs\n  templates/validation.json.hbs\n\n"
        ),
        "{stdout}"
    );
    assert_eq!(files(&dir), WRITTEN);
    assert!(!dir.join("assets/unused").exists());
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).expect("written");
    assert!(
        manifest.contains("\"author\": \"Someone Else\""),
        "{manifest}"
    );
    assert_eq!(names(work.path()), ["nimbus-alerts"]);
}

/// A framework checkout: `manifest.schema.json` and its `$ref`s, and `integrations/`.
fn checkout(root: &Path) {
    let schemas = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas");
    copy_dir(&schemas, root);
    std::fs::create_dir(root.join("integrations")).expect("mkdir");
}

#[test]
fn force_never_replaces_where_the_user_stands_or_a_checkout_root() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = integration(work.path());
    // Named as typed, as every other destination is, not by the real path behind `.`.
    let here = init(&dir, &[".", "--force"]);
    assert_refused(
        &here,
        ".: --force will not replace it: it is the current directory",
    );
    let below = init(&dir.join("templates"), &["..", "--force"]);
    assert_refused(
        &below,
        "..: --force will not replace it: it holds the current directory",
    );

    assert_eq!(files(&dir), WRITTEN);

    let root = work.path().join("framework");
    std::fs::create_dir(&root).expect("mkdir");
    checkout(&root);
    let before = files(&root);
    let output = init(work.path(), &["framework", "--force"]);
    assert_refused(
        &output,
        "framework: --force will not replace it: it is the root of a framework checkout",
    );
    assert_eq!(files(&root), before);
    assert_eq!(names(work.path()), ["framework", "nimbus-alerts"]);
}

#[test]
fn init_dot_names_the_destination_as_typed_like_every_other_run() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = integration(work.path());
    assert_refused(
        &init(&dir, &["."]),
        ".: the directory exists and is not empty; pass --force to replace it",
    );
    assert_refused(
        &init(work.path(), &["nimbus-alerts"]),
        "nimbus-alerts: the directory exists and is not empty; pass --force to replace it",
    );
    assert_eq!(files(&dir), WRITTEN);
}

#[test]
fn two_inits_on_one_destination_never_both_succeed() {
    for empty_first in [false, true] {
        for round in 0..6 {
            let work = tempfile::tempdir().expect("temporary directory");
            let dest = work.path().join("nimbus-alerts");
            if empty_first {
                std::fs::create_dir(&dest).expect("mkdir");
            }
            let runs = [
                spawn_init(work.path(), &["--author", "First Labs"]),
                spawn_init(work.path(), &["--author", "Second Labs"]),
            ];
            let outputs: Vec<Output> = runs
                .into_iter()
                .map(|child| child.wait_with_output().expect("ldhook ends"))
                .collect();
            let won: Vec<&Output> = outputs
                .iter()
                .filter(|o| o.status.code() == Some(0))
                .collect();
            let report = || {
                outputs
                    .iter()
                    .map(|o| format!("{:?}: {}{}", o.status, text(&o.stdout), text(&o.stderr)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(
                won.len(),
                1,
                "round {round}, empty {empty_first}: {}",
                report()
            );
            let lost = outputs
                .iter()
                .find(|o| o.status.code() != Some(0))
                .expect("one lost");
            let stderr = text(&lost.stderr);
            assert_eq!(lost.status.code(), Some(2), "{}", report());
            assert!(
                stderr.contains("the directory exists and is not empty")
                    || stderr.contains(
                        "something else created it while ldhook was writing; ldhook removed what it had written and left the rest as it was"
                    ),
                "{}",
                report()
            );
            assert!(lost.stdout.is_empty(), "{}", report());
            let winner = outputs
                .iter()
                .position(|o| o.status.code() == Some(0))
                .map_or("", |at| ["First Labs", "Second Labs"][at]);
            assert_eq!(files(&dest), WRITTEN, "{}", report());
            let manifest = std::fs::read_to_string(dest.join("manifest.json")).expect("written");
            assert!(
                manifest.contains(&format!("\"author\": \"{winner}\"")),
                "{}",
                report()
            );
            assert_eq!(names(work.path()), ["nimbus-alerts"], "{}", report());
        }
    }
}

/// How long one unhindered `init` takes here, to spread the signals over its run.
fn one_run_takes() -> Duration {
    let work = tempfile::tempdir().expect("temporary directory");
    let start = Instant::now();
    assert_ok(&init(work.path(), &[]));
    start.elapsed()
}

fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args(["-s", name, &child.id().to_string()])
        .status()
        .expect("kill runs");
    // It may have ended already, which is one of the outcomes under test.
    let _ = status;
}

#[test]
fn a_signal_never_leaves_staging_behind_and_what_is_printed_is_true() {
    const STEPS: u32 = 24;
    let span = one_run_takes();
    for name in ["TERM", "INT"] {
        for step in 0..=STEPS {
            // Denser towards the end, where the files are written and renamed into place.
            let left = STEPS - step;
            let delay = span * (STEPS * STEPS - left * left) / (STEPS * STEPS);
            let work = tempfile::tempdir().expect("temporary directory");
            let dest = work.path().join("nimbus-alerts");
            let child = spawn_init(work.path(), &[]);
            std::thread::sleep(delay);
            signal(&child, name);
            let output = child.wait_with_output().expect("ldhook ends");
            let stdout = text(&output.stdout);
            let stderr = text(&output.stderr);
            let what = format!(
                "SIG{name} at {step}/{STEPS}: {:?}\n{stdout}{stderr}",
                output.status
            );

            assert!(
                names(work.path()).iter().all(|n| n == "nimbus-alerts"),
                "{what}: {:?} left",
                names(work.path())
            );
            if stderr.contains("nothing was written") {
                assert!(!dest.exists(), "{what}");
                assert!(stdout.is_empty(), "{what}");
                assert_eq!(output.status.code(), Some(130), "{what}");
            }
            if dest.exists() {
                assert_eq!(files(&dest), WRITTEN, "{what}");
                assert!(stdout.starts_with("Created nimbus-alerts/:\n"), "{what}");
                let code = output.status.code();
                if stderr.is_empty() {
                    assert_eq!(code, Some(0), "{what}");
                } else {
                    assert_eq!(
                        stderr,
                        "ldhook: interrupted after nimbus-alerts/ was complete; it stays as listed above\n",
                        "{what}"
                    );
                    assert_eq!(code, Some(130), "{what}");
                }
            } else {
                assert!(stdout.is_empty(), "{what}");
            }
        }
    }
}

#[test]
fn names_whose_defaults_do_not_fit_are_blamed_as_the_name() {
    let hundred = "N".repeat(100);
    let cases: &[(&str, &str)] = &[
        (
            &hundred,
            "--name: the overview made from it is not usable: `overview` must have at most 100 \
             characters; it has 149; pass --overview TEXT",
        ),
        (
            "Nimbus\nAlerts",
            "--name: the overview made from it is not usable: `overview` must be a single line, \
             without line breaks; the description made from it is not usable: `description` must \
             be a single line, without line breaks; pass --overview TEXT, --description TEXT",
        ),
        (
            "!!!",
            "--name: `!!!` gives no key, since it has no ASCII letters or digits; pass --key KEY",
        ),
        (
            "日本語の名前",
            "--name: `日本語の名前` gives no key, since it has no ASCII letters or digits; pass --key KEY",
        ),
    ];
    for (name, message) in cases {
        let work = tempfile::tempdir().expect("temporary directory");
        let output = init(work.path(), &["--name", name]);
        assert_refused(&output, message);
        assert!(names(work.path()).is_empty(), "{name:?} wrote files");
    }
    // With the flag the message asks for, the same name is fine.
    let work = tempfile::tempdir().expect("temporary directory");
    assert_ok(&init(work.path(), &["--name", "!!!", "--key", "bang"]));
    assert_eq!(files(&work.path().join("bang")), WRITTEN);
}

//! The hooks `.pre-commit-hooks.yaml` offers, run as pre-commit runs them: the changed files
//! filtered through the hook's `files` pattern (Python's `re.search`, which `Regex::is_match`
//! is), then the hook's entry with its args and the names that are left, in a framework
//! checkout. What each run validated is read from its JSON output: every integration of the
//! checkout has one `overview-period` finding, so the files with findings are the integrations
//! checked, and the summary counts them.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{example_checkout, files_with_findings, ldhook, text};

const HOOKS: &str = include_str!("../.pre-commit-hooks.yaml");

/// One hook: its top-level keys, as written (YAML scalars; `args` is a flow list).
type Hook = BTreeMap<String, String>;

/// The hooks of the file, by id. The file is a list of flat maps, so each `- id:` starts a hook
/// and each `key: value` line after it belongs to it; comments and blank lines are skipped.
fn hooks() -> BTreeMap<String, Hook> {
    let mut hooks = BTreeMap::new();
    let mut current: Option<(String, Hook)> = None;
    for line in HOOKS.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (start, entry) = match line.strip_prefix("- ") {
            Some(rest) => (true, rest),
            None => (
                false,
                line.strip_prefix("  ").expect("a hook's key, indented"),
            ),
        };
        let (key, value) = entry.split_once(": ").expect("key: value");
        let value = value.trim().to_string();
        if start {
            hooks.extend(current.take());
            assert_eq!(key, "id", "each hook starts with its id");
            current = Some((value.clone(), Hook::new()));
        }
        current
            .as_mut()
            .expect("inside a hook")
            .1
            .insert(key.to_string(), value);
    }
    hooks.extend(current);
    hooks
}

fn hook(id: &str) -> Hook {
    hooks()
        .remove(id)
        .unwrap_or_else(|| panic!("a hook `{id}`"))
}

/// The command pre-commit runs for `hook` on `changed`: entry, args, then the files that match
/// `files` when the hook is given file names. `None` when no file matches and the hook is not
/// always run, as pre-commit then skips it.
fn command_line(hook: &Hook, changed: &[&str]) -> Option<Vec<String>> {
    let mut words: Vec<String> = hook["entry"].split_whitespace().map(String::from).collect();
    if let Some(args) = hook.get("args") {
        let args: Vec<String> = serde_json::from_str(args).expect("args is a flow list of strings");
        words.extend(args);
    }
    let pattern = regex::Regex::new(hook.get("files").map_or("", String::as_str)).expect("regex");
    let matching: Vec<&str> = changed
        .iter()
        .copied()
        .filter(|f| pattern.is_match(f))
        .collect();
    let always = hook.get("always_run").is_some_and(|v| v == "true");
    if matching.is_empty() && !always {
        return None;
    }
    if hook.get("pass_filenames").is_none_or(|v| v == "true") {
        words.extend(matching.iter().map(ToString::to_string));
    }
    Some(words)
}

struct Run {
    code: Option<i32>,
    json: serde_json::Value,
    stderr: String,
}

fn run_hook(id: &str, checkout: &Path, changed: &[&str]) -> Option<Run> {
    let words = command_line(&hook(id), changed)?;
    let (program, args) = words.split_first().expect("an entry");
    assert_eq!(program, "ldhook", "the entry is the installed binary");
    let output = ldhook()
        .current_dir(checkout)
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    Some(Run {
        code: output.status.code(),
        json: serde_json::from_slice(&output.stdout).expect("JSON"),
        stderr: text(&output.stderr),
    })
}

fn manifests(keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| format!("integrations/{k}/manifest.json"))
        .collect()
}

#[test]
fn the_hooks_pass_names_or_the_whole_checkout_and_say_how_they_are_built() {
    let changed = hook("ldhook-validate");
    assert_eq!(changed["entry"], "ldhook validate");
    assert_eq!(changed["language"], "rust");
    assert_eq!(changed["pass_filenames"], "true");
    assert_eq!(changed["require_serial"], "true");
    let all = hook("ldhook-validate-all");
    assert_eq!(all["entry"], "ldhook validate");
    assert_eq!(all["pass_filenames"], "false");
    assert_eq!(all["always_run"], "true");
    assert_eq!(all["args"], r#"["."]"#);
    assert!(
        HOOKS.contains("without\n# `--locked`"),
        "the file says that pre-commit's cargo install does not use --locked"
    );
}

/// pre-commit hands `ldhook-fmt` the changed `.json` files only, and the run formats those
/// and nothing else.
#[test]
fn the_fmt_hook_formats_the_changed_json_files() {
    let hook = hook("ldhook-fmt");
    assert_eq!(hook["entry"], "ldhook fmt");
    assert_eq!(hook["pass_filenames"], "true");
    let checkout = example_checkout(&["alpha"]);
    let root = checkout.path();
    std::fs::write(root.join("changed.json"), "{\"a\":1}").expect("write");
    std::fs::write(root.join("untouched.json"), "{\"b\":1}").expect("write");
    std::fs::write(root.join("notes.md"), "{\"c\":1}").expect("write");
    let words = command_line(&hook, &["changed.json", "notes.md"]).expect("a .json file matches");
    assert_eq!(words, ["ldhook", "fmt", "changed.json"]);
    ldhook()
        .current_dir(root)
        .args(words.get(1..).expect("args"))
        .assert()
        .code(0);
    let read = |name: &str| std::fs::read_to_string(root.join(name)).expect("read");
    assert_eq!(read("changed.json"), "{ \"a\": 1 }\n");
    assert_eq!(read("untouched.json"), "{\"b\":1}");
    assert!(
        command_line(&hook, &["notes.md"]).is_none(),
        "no .json file, no run"
    );
}

#[test]
fn the_files_pattern_takes_integrations_and_what_every_integration_is_checked_with() {
    let hook = hook("ldhook-validate");
    let taken = |file: &str| command_line(&hook, &[file]).is_some();
    for file in [
        "integrations/alpha/manifest.json",
        "integrations/alpha/templates/flag.json.hbs",
        "integrations/alpha/assets/images/square.svg",
        "integrations/alpha/README.md",
        "integrations/README.md",
        "manifest.schema.json",
        "schemas/definitions.json",
        "sample-context/flag/update.json",
    ] {
        assert!(taken(file), "{file} is passed to the hook");
    }
    for file in [
        "package.json",
        ".github/workflows/ci.yml",
        "docs/manifest.schema.json",
        "manifest.schema.json.orig",
    ] {
        assert!(!taken(file), "{file} is not passed to the hook");
    }
}

#[test]
fn a_template_and_an_icon_of_one_integration_validate_it_once() {
    let checkout = example_checkout(&["alpha", "beta"]);
    let run = run_hook(
        "ldhook-validate",
        checkout.path(),
        &[
            "integrations/alpha/templates/flag.json.hbs",
            "integrations/alpha/assets/square.svg",
            "integrations/alpha/manifest.json",
            "package.json",
        ],
    )
    .expect("the hook runs");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.json["summary"]["files"], 1);
    assert_eq!(files_with_findings(&run.json), manifests(&["alpha"]));
    assert_eq!(
        run.json["summary"]["errors"], 1,
        "one LDH102, not one per file"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn the_schema_or_a_sample_event_validates_the_whole_checkout() {
    let checkout = example_checkout(&["alpha", "beta", "gamma"]);
    for changed in [
        &["manifest.schema.json"][..],
        &["schemas/definitions.json"],
        &[
            "sample-context/flag/update.json",
            "integrations/beta/README.md",
        ],
    ] {
        let run = run_hook("ldhook-validate", checkout.path(), changed).expect("the hook runs");
        assert_eq!(run.code, Some(1), "{changed:?}: {}", run.stderr);
        assert_eq!(run.json["summary"]["files"], 3, "{changed:?}");
        assert_eq!(
            files_with_findings(&run.json),
            manifests(&["alpha", "beta", "gamma"]),
            "{changed:?}"
        );
    }
}

#[test]
fn a_file_of_no_integration_is_skipped_with_a_note_and_the_run_is_clean() {
    let checkout = example_checkout(&["alpha"]);
    std::fs::write(
        checkout.path().join("integrations/README.md"),
        "# Integrations\n",
    )
    .expect("write");
    let run = run_hook(
        "ldhook-validate",
        checkout.path(),
        &["integrations/README.md", "package.json"],
    )
    .expect("the hook runs");
    assert_eq!(run.code, Some(0));
    assert_eq!(run.json["summary"]["files"], 0);
    assert_eq!(
        run.stderr,
        "ldhook: skipped integrations/README.md: not part of an integration\n\
         ldhook: nothing to validate: every path named is part of no integration\n"
    );
    assert!(
        run_hook("ldhook-validate", checkout.path(), &["package.json"]).is_none(),
        "with no file of its pattern changed, pre-commit does not run the hook"
    );
}

#[test]
fn a_mix_validates_each_integration_named_once_and_notes_the_rest() {
    let checkout = example_checkout(&["alpha", "beta", "gamma"]);
    std::fs::write(
        checkout.path().join("integrations/README.md"),
        "# Integrations\n",
    )
    .expect("write");
    let run = run_hook(
        "ldhook-validate",
        checkout.path(),
        &[
            "integrations/beta/manifest.json",
            "integrations/beta/README.md",
            "integrations/gamma/templates/default.json.hbs",
            "integrations/README.md",
            ".github/workflows/ci.yml",
            "integrations/beta/templates/flag.json.hbs",
        ],
    )
    .expect("the hook runs");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.json["summary"]["files"], 2);
    assert_eq!(
        files_with_findings(&run.json),
        manifests(&["beta", "gamma"])
    );
    assert_eq!(run.json["summary"]["errors"], 2);
    assert_eq!(
        run.stderr,
        "ldhook: skipped integrations/README.md: not part of an integration\n"
    );
}

#[test]
fn the_whole_checkout_hook_validates_every_integration_whatever_changed() {
    let checkout = example_checkout(&["alpha", "beta"]);
    let run =
        run_hook("ldhook-validate-all", checkout.path(), &["package.json"]).expect("always run");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.json["summary"]["files"], 2);
    assert_eq!(
        files_with_findings(&run.json),
        manifests(&["alpha", "beta"])
    );
}

/// pre-commit itself, when it is installed (CI does not install it): `try-repo` builds this
/// repository's hook with `cargo install` and runs it on a checkout's staged files.
#[test]
fn pre_commit_try_repo_runs_the_hook_when_installed() {
    let installed = std::process::Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: pre-commit is not installed; its try-repo test is skipped"
        );
        return;
    }
    let checkout = example_checkout(&["alpha", "beta"]);
    std::fs::remove_dir_all(checkout.path().join(".git")).expect("the stand-in .git");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(checkout.path())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "--quiet"]);
    git(&["add", "."]);
    let output = std::process::Command::new("pre-commit")
        .args(["try-repo", env!("CARGO_MANIFEST_DIR"), "ldhook-validate"])
        .args(["--files", "integrations/alpha/templates/flag.json.hbs"])
        .current_dir(checkout.path())
        .output()
        .expect("pre-commit runs");
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("integrations/alpha/manifest.json"), "{out}");
    assert!(!out.contains("integrations/beta/"), "{out}");
}

/// An integration that did not change is still compared with the ones that did: a changed
/// manifest that takes another's `oauthIntegrationKey` is caught, and the unchanged one is
/// named, not reported on.
#[test]
fn a_changed_integration_is_compared_with_the_unchanged_ones() {
    let checkout = example_checkout(&["alpha", "beta", "gamma"]);
    for key in ["alpha", "beta"] {
        common::edit_manifest(&checkout.path().join("integrations").join(key), |m| {
            m["oauthIntegrationKey"] = serde_json::json!("shared-client");
        });
    }
    let run = run_hook(
        "ldhook-validate",
        checkout.path(),
        &["integrations/alpha/templates/flag.json.hbs"],
    )
    .expect("the hook runs");
    let duplicates: Vec<(String, String)> = run.json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "LDH105")
        .map(|d| {
            (
                d["file"].as_str().expect("file").to_string(),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    assert_eq!(
        duplicates,
        [(
            "integrations/alpha/manifest.json".to_string(),
            "`oauthIntegrationKey` `shared-client` is also used by beta".to_string()
        )]
    );
    assert_eq!(run.json["summary"]["files"], 1);
}

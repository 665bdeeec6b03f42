//! `ldhook init` end to end: every authentication style × policy preset × body format passes
//! `validate --deny-warnings` (both schemas) and `render --all`; overwriting, bad answers, missing answers, dry
//! runs, checkouts, and the generated files themselves.

mod common;

use common::{INIT_REQUIRED, copy_dir, init_args, ldhook, names, text};

use std::path::{Path, PathBuf};
use std::process::Output;

fn run(dir: &Path, args: &[&str]) -> Output {
    ldhook()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("ldhook runs")
}

/// `init --no-input` with the required answers, of which `extra` may replace some.
fn init(dir: &Path, extra: &[&str]) -> Output {
    run(dir, &init_args(extra))
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stdout)))
}

/// The rule ids of a `validate --format json` run, checking it found no errors.
fn validate_clean(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["validate", "--format", "json"];
    all.extend_from_slice(args);
    let output = run(dir, &all);
    let report = json(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "validate {args:?}: {}",
        text(&output.stdout)
    );
    assert_eq!(report["summary"]["errors"], 0);
    report["diagnostics"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|d| format!("{} {}", d["rule"], d["pointer"]))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_combination_validates_and_renders() {
    let framework_schema =
        common::conformance_dir().map(|dir| dir.join("framework/manifest.schema.json"));
    let work = tempfile::tempdir().expect("temporary directory");
    let mut checked = 0;
    for auth in ["none", "bearer", "basic", "header", "hmac", "oauth"] {
        for policy in ["production-flags", "all-flags", "everything"] {
            for body in ["json", "text"] {
                let key = format!("nimbus-{auth}-{policy}-{body}");
                let output = init(
                    work.path(),
                    &[
                        "--key", &key, "--auth", auth, "--policy", policy, "--body", body,
                    ],
                );
                assert_eq!(
                    output.status.code(),
                    Some(0),
                    "{key}: {}",
                    text(&output.stderr)
                );

                // What init writes is clean to the letter: no template the policy cannot
                // reach (LDH208), no warning of any kind.
                let embedded = validate_clean(work.path(), &[&key, "--deny-warnings"]);
                assert_eq!(embedded, Vec::<String>::new(), "{key}");
                if let Some(schema) = &framework_schema {
                    let schema = schema.to_str().expect("UTF-8 path");
                    assert_eq!(
                        validate_clean(work.path(), &[&key, "--schema", schema, "--deny-warnings"]),
                        Vec::<String>::new(),
                        "{key} against the framework's schema"
                    );
                }
                let render = run(work.path(), &["render", &key, "--all", "--format", "json"]);
                assert_eq!(
                    render.status.code(),
                    Some(0),
                    "{key}: {}",
                    text(&render.stderr)
                );
                let rows = json(&render);
                let rows = rows.as_array().expect("one row per event");
                assert!(rows.len() >= 17, "{key}: {} rows", rows.len());
                for row in rows {
                    assert!(row["outcome"].get("error").is_none(), "{key}: {row}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 36);
}

#[test]
fn a_flag_only_policy_writes_no_default_template_and_says_how_to_add_one() {
    let work = tempfile::tempdir().expect("temporary directory");
    let output = init(work.path(), &["--policy", "all-flags", "--body", "text"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let dir = work.path().join("nimbus-alerts");
    assert_eq!(
        names(&dir.join("templates")),
        ["flag.txt.hbs", "validation.txt.hbs"]
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("written"))
            .expect("JSON");
    assert_eq!(
        manifest["capabilities"]["auditLogEventsHook"]["templates"],
        serde_json::json!({
            "flag": "templates/flag.txt.hbs",
            "validation": "templates/validation.txt.hbs"
        })
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "\nThe default policy delivers only flag changes, so no `default` template was \
             written: no event it delivers would use it. If you widen `defaultPolicy`, add one \
             for the new events: write the file and name it in manifest.json under \
             `capabilities.auditLogEventsHook.templates` (\"default\": \
             \"templates/default.txt.hbs\"); `ldhook validate` then renders it with every \
             sample event it receives.\n"
        ),
        "{stdout}"
    );
}

#[test]
fn the_generated_files_read_well() {
    let work = tempfile::tempdir().expect("temporary directory");
    let output = init(work.path(), &["--auth", "hmac", "--policy", "everything"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let dir = work.path().join("nimbus-alerts");
    let mut files = Vec::new();
    collect(&dir, &dir, &mut files);
    files.sort();
    let mut all = String::new();
    for (path, contents) in files {
        all.push_str(&format!("=== {path}\n{contents}"));
    }
    insta::assert_snapshot!(all);
    insta::assert_snapshot!("init_summary", text(&output.stdout));
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("inside")
                .display()
                .to_string();
            out.push((relative, std::fs::read_to_string(&path).expect("text")));
        }
    }
}

#[test]
fn an_existing_directory_is_never_overwritten_without_force() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path().join("nimbus-alerts");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");

    let refused = init(work.path(), &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains(
            "nimbus-alerts: the directory exists and is not empty; pass --force to replace it"
        ),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("kept"),
        "mine"
    );
    assert!(!dir.join("manifest.json").exists());

    // --force replaces only an integration directory, and this is not one.
    let forced = init(work.path(), &["--force"]);
    assert_eq!(forced.status.code(), Some(2));
    assert_eq!(
        text(&forced.stderr),
        "ldhook: error: nimbus-alerts: --force will not replace it: it has no manifest.json, so it is not an integration\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(names(work.path()), ["nimbus-alerts"]);
}

#[test]
fn an_empty_directory_is_used_as_it_is() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path().join("target-dir");
    std::fs::create_dir(&dir).expect("mkdir");
    let output = ldhook()
        .current_dir(work.path())
        .arg("init")
        .arg("target-dir")
        .arg("--no-input")
        .args(INIT_REQUIRED)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(dir.join("manifest.json").is_file());
}

#[test]
fn the_current_directory_works_when_it_is_empty() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dir = work.path().join("nimbus");
    std::fs::create_dir(&dir).expect("mkdir");
    let output = ldhook()
        .current_dir(&dir)
        .args(["init", ".", "--no-input"])
        .args(INIT_REQUIRED)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(dir.join("manifest.json").is_file());
    assert_eq!(names(work.path()), ["nimbus"]);
}

#[test]
fn bad_answers_exit_2_naming_the_flag_and_write_nothing() {
    let cases: &[(&[&str], &str)] = &[
        (&["--email", "not-an-address"], "--email: "),
        (
            &["--site", "nimbus.example"],
            "--site: `nimbus.example` is not a full URL; type a full URL such as https://nimbus.example\n",
        ),
        (
            &["--privacy-policy", "nimbus.example/privacy"],
            "--privacy-policy: `nimbus.example/privacy` is not a full URL; type a full URL such as https://nimbus.example/privacy\n",
        ),
        (
            &["--endpoint-url", "hooks.nimbus.example/v1"],
            "--endpoint-url: `hooks.nimbus.example/v1` is not a full URL; type a full URL such as https://hooks.nimbus.example/v1",
        ),
        (
            &["--endpoint-url", "ftp://hooks.nimbus.example"],
            "--endpoint-url: the endpoint must be a full URL such as https://",
        ),
        (
            &["--overview", "Sends flag changes to Nimbus"],
            "--overview: the overview must end with a period",
        ),
        (
            &["--key", "Nimbus_Alerts"],
            "--key: `Nimbus_Alerts` is not a key",
        ),
        (&["--description", "Short."], "--description: "),
        (
            &["--auth", "header", "--auth-header", "X Key"],
            "--auth-header: ",
        ),
        (
            &["--category", "weather"],
            "invalid value 'weather' for '--category <CATEGORY>'",
        ),
        (
            &["--auth", "jwt"],
            "invalid value 'jwt' for '--auth <STYLE>'",
        ),
    ];
    for (extra, expected) in cases {
        let work = tempfile::tempdir().expect("temporary directory");
        let output = init(work.path(), extra);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
        assert!(names(work.path()).is_empty(), "{extra:?} wrote files");
    }
}

/// LDH205 is a warning, and local testing needs `http://localhost:…`: init writes the
/// integration and shows the warning exactly as `validate` reports it.
#[test]
fn an_http_endpoint_is_accepted_with_the_ldh205_warning() {
    let work = tempfile::tempdir().expect("temporary directory");
    let output = init(
        work.path(),
        &["--endpoint-url", "http://localhost:8080/hook"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let manifest =
        std::fs::read_to_string(work.path().join("nimbus-alerts/manifest.json")).expect("written");
    assert!(
        manifest.contains("\"url\": \"http://localhost:8080/hook\""),
        "{manifest}"
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "\nIt has no errors; `ldhook validate` notes 1 warning:\n\nwarning[LDH205]: the \
             endpoint URL uses http://; events and credentials would travel unencrypted\n"
        ),
        "{stdout}"
    );
    let validate = run(work.path(), &["validate", "nimbus-alerts"]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stderr)
    );
    let report = text(&validate.stdout);
    assert!(report.contains("warning[LDH205]"), "{report}");
    assert!(
        stdout.contains(&report),
        "init:\n{stdout}\nvalidate:\n{report}"
    );
}

#[test]
fn a_default_that_does_not_fit_asks_for_the_flag() {
    let work = tempfile::tempdir().expect("temporary directory");
    let long_name = "N".repeat(90);
    let output = init(work.path(), &["--name", &long_name]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "ldhook: error: --name: the overview made from it is not usable: `overview` must have at \
         most 100 characters; it has 139; pass --overview TEXT\n"
    );
    let given = init(
        work.path(),
        &[
            "--name",
            &long_name,
            "--overview",
            "Send flag changes to Nimbus.",
        ],
    );
    assert_eq!(given.status.code(), Some(0), "{}", text(&given.stderr));
}

#[test]
fn missing_answers_without_a_terminal_list_the_flags_and_never_wait() {
    let work = tempfile::tempdir().expect("temporary directory");
    for args in [
        &["init"][..],
        &["init", "--no-input", "--name", "Nimbus Alerts"][..],
    ] {
        let output = ldhook()
            .current_dir(work.path())
            .args(args)
            .write_stdin("")
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("runs");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("missing and there is no terminal to ask on; pass ")
                && stderr.contains("--author AUTHOR")
                && stderr.contains("--endpoint-url URL"),
            "{stderr}"
        );
        assert!(names(work.path()).is_empty());
    }
}

#[test]
fn missing_parent_directories_are_made_as_cargo_new_makes_them() {
    let work = tempfile::tempdir().expect("temporary directory");
    let dry = init(work.path(), &["sub/dir/nimbus", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert!(
        names(work.path()).is_empty(),
        "a dry run makes no directory"
    );
    let output = init(work.path(), &["sub/dir/nimbus"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).starts_with("Created sub/dir/nimbus/:\n"),
        "{}",
        text(&output.stdout)
    );
    assert!(work.path().join("sub/dir/nimbus/manifest.json").is_file());
    assert_eq!(names(&work.path().join("sub/dir")), ["nimbus"]);

    std::fs::write(work.path().join("notes"), "").expect("a file");
    let blocked = init(work.path(), &["notes/nimbus"]);
    assert_eq!(blocked.status.code(), Some(2));
    assert_eq!(
        text(&blocked.stderr),
        "ldhook: error: notes: exists and is not a directory\n"
    );
}

#[test]
fn answers_the_name_gives_are_not_listed_as_missing() {
    let work = tempfile::tempdir().expect("temporary directory");
    let output = run(work.path(), &["init", "--no-input"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "ldhook: error: 7 answers are missing and there is no terminal to ask on; pass --name \
         NAME, --author AUTHOR, --email ADDRESS, --site URL, --privacy-policy URL, --category \
         CATEGORY, --endpoint-url URL\n"
    );
    assert!(names(work.path()).is_empty());
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let work = tempfile::tempdir().expect("temporary directory");
    let output = init(work.path(), &["--dry-run"]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(stdout.starts_with("Would create nimbus-alerts/ (dry run: nothing was written):"));
    assert!(stdout.contains("templates/flag.json.hbs"));
    assert!(names(work.path()).is_empty());
}

/// A framework checkout made from ldhook's own schema files: `manifest.schema.json` and its
/// `$ref`s beside it, and an `integrations/` directory.
fn checkout() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temporary directory");
    let schemas = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas");
    copy_dir(&schemas, root.path());
    std::fs::create_dir(root.path().join("integrations")).expect("mkdir");
    root
}

#[test]
fn inside_a_checkout_it_creates_integrations_key() {
    let root = checkout();
    let nested = root.path().join("integrations");
    let output = init(&nested, &["--auth", "oauth"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("Created nimbus-alerts/"), "{stdout}");
    assert!(stdout.contains("OAUTH_INTEGRATIONS"), "{stdout}");
    let manifest = root.path().join("integrations/nimbus-alerts/manifest.json");
    assert!(manifest.is_file());
    let report = json(&run(root.path(), &["validate", ".", "--format", "json"]));
    assert!(
        report["schema"]
            .as_str()
            .is_some_and(|s| s.ends_with("manifest.schema.json")),
        "the checkout's schema: {report}"
    );
    assert_eq!(report["summary"]["errors"], 0, "{report}");

    let from_root = init(root.path(), &["--key", "nimbus-two"]);
    assert_eq!(
        from_root.status.code(),
        Some(0),
        "{}",
        text(&from_root.stderr)
    );
    assert!(text(&from_root.stdout).starts_with("Created integrations/nimbus-two/"));
}

#[test]
fn the_help_lists_a_flag_for_every_question() {
    let work = tempfile::tempdir().expect("temporary directory");
    let help = text(&run(work.path(), &["init", "--help"]).stdout);
    for field in ldhook::scaffold::Field::ALL {
        assert!(
            help.contains(field.flag()),
            "{} is not in --help",
            field.flag()
        );
    }
    for flag in ["--no-input", "--force", "--dry-run"] {
        assert!(help.contains(flag), "{flag}");
    }
}

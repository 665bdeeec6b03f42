//! How much `validate` prints (`--quiet`, `--silent`) and when it colours (`--color auto` with
//! NO_COLOR, CLICOLOR_FORCE and FORCE_COLOR), on the real binary with its output piped.

mod common;

use common::{ldhook, text};

const BROKEN: &str = "tests/fixtures/schema-errors/manifest.json";
const CLEAN: &str = "examples/pulseboard";
const FORMATS: [&str; 4] = ["human", "json", "github", "sarif"];

fn stdout(args: &[&str], vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = ldhook()
        .args(args)
        .envs(vars.iter().copied())
        .output()
        .expect("ldhook runs");
    (output.status.code(), text(&output.stdout))
}

#[test]
fn quiet_human_output_is_the_findings_without_summary_or_counts() {
    let (code, full) = stdout(&["validate", BROKEN], &[]);
    let (quiet_code, quiet) = stdout(&["validate", BROKEN, "-q"], &[]);
    assert_eq!((code, quiet_code), (Some(1), Some(1)));
    assert!(quiet.ends_with("^^^^^ wrong-type\n"), "{quiet:?}");
    let rest = full
        .strip_prefix(&quiet)
        .expect("quiet output begins the full output");
    assert_eq!(
        rest,
        "\nFound 9 errors and 0 warnings in 1 manifest (schema: embedded).\n\
         \x20 1 error     LDH010 unknown-property\n\
         \x20 1 error     LDH011 missing-property\n\
         \x20 1 error     LDH012 wrong-type\n\
         \x20 1 error     LDH013 invalid-value\n\
         \x20 3 errors    LDH014 pattern-mismatch\n\
         \x20 1 error     LDH015 invalid-format\n\
         \x20 1 error     LDH016 out-of-range\n"
    );
    assert!(
        quiet.starts_with("error[LDH014]: `version` must be semver"),
        "{quiet}"
    );
    let (_, clean) = stdout(&["validate", CLEAN, "--quiet"], &[]);
    assert_eq!(clean, "");
}

#[test]
fn quiet_github_output_is_the_annotations_only() {
    let (_, full) = stdout(&["validate", BROKEN, "--format", "github"], &[]);
    let (code, quiet) = stdout(&["validate", BROKEN, "--format", "github", "-q"], &[]);
    assert_eq!(code, Some(1));
    assert_eq!(quiet.lines().count(), 9, "{quiet}");
    assert!(
        quiet.lines().all(|line| line.starts_with("::error ")),
        "{quiet}"
    );
    assert_eq!(
        full.strip_prefix(&quiet),
        Some(
            "ldhook: 9 errors, 0 warnings in 1 manifest: LDH010 unknown-property \u{d7}1, \
             LDH011 missing-property \u{d7}1, LDH012 wrong-type \u{d7}1, LDH013 invalid-value \
             \u{d7}1, LDH014 pattern-mismatch \u{d7}3, LDH015 invalid-format \u{d7}1, \
             LDH016 out-of-range \u{d7}1\n"
        )
    );
}

/// JSON and SARIF are data a program reads: `-q` leaves them whole.
#[test]
fn quiet_leaves_json_and_sarif_whole() {
    for format in ["json", "sarif"] {
        let (_, full) = stdout(&["validate", BROKEN, "--format", format], &[]);
        let (code, quiet) = stdout(&["validate", BROKEN, "--format", format, "-q"], &[]);
        assert_eq!(code, Some(1), "{format}");
        assert_eq!(quiet, full, "{format}");
    }
}

#[test]
fn silent_and_twice_quiet_print_nothing_and_keep_the_exit_code() {
    for format in FORMATS {
        for flags in [&["-s"][..], &["--silent"], &["-qq"], &["-q", "--quiet"]] {
            for (path, expected) in [(BROKEN, 1), (CLEAN, 0)] {
                let mut args = vec!["validate", path, "--format", format];
                args.extend(flags);
                let output = ldhook().args(&args).output().expect("ldhook runs");
                assert_eq!(output.status.code(), Some(expected), "{args:?}");
                assert_eq!(text(&output.stdout), "", "{args:?}");
                assert_eq!(text(&output.stderr), "", "{args:?}");
            }
        }
    }
}

/// `--silent` hides findings, not failures: a run that cannot happen still says why.
#[test]
fn silent_still_explains_a_run_that_could_not_happen() {
    let output = ldhook()
        .args(["validate", "no/such/manifest.json", "-s"])
        .output()
        .expect("ldhook runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        "ldhook: error: no/such/manifest.json: no such file or directory\n"
    );
}

fn coloured(args: &[&str], vars: &[(&str, &str)]) -> bool {
    let mut all = vec!["validate", BROKEN];
    all.extend(args);
    let (code, out) = stdout(&all, vars);
    assert_eq!(code, Some(1), "{out}");
    out.contains("\u{1b}[")
}

#[test]
fn forced_colour_reaches_a_pipe_and_no_color_wins_over_auto() {
    assert!(!coloured(&[], &[]), "a pipe gets no colour by default");
    assert!(coloured(&[], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[], &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]));
    assert!(!coloured(
        &[],
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
    ));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    // Machine formats are never coloured, whatever asks.
    for format in ["json", "github", "sarif"] {
        assert!(
            !coloured(&["--format", format, "--color", "always"], &[]),
            "{format}"
        );
        assert!(
            !coloured(&["--format", format], &[("FORCE_COLOR", "1")]),
            "{format}"
        );
    }
}

/// GitHub resolves an annotation's `file=` against the repository root, so it names the file
/// from there wherever in the repository ldhook runs; unnamed standard input names no file.
#[test]
fn github_annotations_name_files_from_the_repository_root() {
    let repo = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(repo.path().join(".git")).expect(".git");
    let dir = repo.path().join("ours/acme");
    common::copy_dir(std::path::Path::new(common::EXAMPLE), &dir);
    std::fs::write(
        dir.join("templates/flag.json.hbs"),
        "{\"who\": \"{{member.displayName}}\"}\n",
    )
    .expect("template");
    let from = |cwd: &std::path::Path, path: &str| {
        let output = common::ldhook()
            .current_dir(cwd)
            .args(["validate", path, "--format", "github", "-q"])
            .output()
            .expect("runs");
        text(&output.stdout)
    };
    let expected = "::warning file=ours/acme/templates/flag.json.hbs,";
    assert!(from(repo.path(), "ours/acme").starts_with(expected));
    assert!(from(&dir.join("templates"), "..").starts_with(expected));
    assert!(from(repo.path(), &dir.display().to_string()).starts_with(expected));

    let stdin = common::ldhook()
        .args(["validate", "-", "--format", "github", "-q"])
        .write_stdin("{}")
        .output()
        .expect("runs");
    let annotations = text(&stdin.stdout);
    assert!(annotations.starts_with("::error line=1,"), "{annotations}");
    assert!(!annotations.contains("file="), "{annotations}");
}

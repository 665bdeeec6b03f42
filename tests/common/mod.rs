//! Shared by the integration tests: where the conformance corpus is, and how to skip without it;
//! the one way to run the binary; fixtures made from the bundled example.

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// The golden corpus produced by the framework's reference tooling: `$LDHOOK_CONFORMANCE_DIR`,
/// else `../shared/conformance` beside the checkout. In CI it must be there; elsewhere its
/// absence skips the suite with a notice that the test harness does not swallow.
pub(crate) fn conformance_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LDHOOK_CONFORMANCE_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
        PathBuf::from,
    );
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

pub(crate) fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) fn sorted_files(dir: &std::path::Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    files
}

pub(crate) const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pulseboard");

pub(crate) fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("readable") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Rewrites `dir/manifest.json` after `change`, pretty-printed.
pub(crate) fn edit_manifest(dir: &std::path::Path, change: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("manifest.json");
    let mut manifest = read_json(&path);
    change(&mut manifest);
    let text = serde_json::to_string_pretty(&manifest).expect("JSON") + "\n";
    std::fs::write(path, text).expect("write");
}

/// A copy of the bundled example integration at `<temp>/pulseboard`.
pub(crate) struct Example {
    pub root: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Example {
    pub(crate) fn new() -> Example {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("pulseboard");
        copy_dir(std::path::Path::new(EXAMPLE), &dir);
        Example { root, dir }
    }

    pub(crate) fn manifest(&self) -> serde_json::Value {
        read_json(&self.dir.join("manifest.json"))
    }

    /// Rewrites the manifest after `change`, pretty-printed.
    pub(crate) fn edit(&self, change: impl FnOnce(&mut serde_json::Value)) {
        edit_manifest(&self.dir, change);
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }
}

/// The binary under test.
pub(crate) const BINARY: &str = env!("CARGO_BIN_EXE_ldhook");

/// How long one run may take before the test fails: a hang fails the test instead of stalling
/// the suite.
pub(crate) const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What every test run keeps from the environment of `cargo test`: PATH, for the programs some
/// tests start ldhook through (bash, setpriv); LLVM_PROFILE_FILE, so that a coverage build
/// writes its profile where the coverage tool said and not into the directory under test.
const INHERITED: &[&str] = &["PATH", "LLVM_PROFILE_FILE"];

/// `program` in the one environment every test runs ldhook in: nothing else from the shell that
/// runs the tests, since ldhook's output depends on its environment only through what its
/// libraries read (NO_COLOR, CLICOLOR, CLICOLOR_FORCE and TERM for colour, COLUMNS for the help
/// width), and a developer's settings must not change what a test sees. It runs in the crate
/// root, where the relative paths of the tests lead. A test about a variable sets it on top.
pub(crate) fn isolated(program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    let mut command = std::process::Command::new(program);
    command.env_clear().current_dir(env!("CARGO_MANIFEST_DIR"));
    for name in INHERITED {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
}

/// The ldhook binary in the test environment, as a plain process: for a test that spawns it,
/// gives it a pseudo-terminal or closes its pipes.
pub(crate) fn ldhook_process() -> std::process::Command {
    isolated(BINARY)
}

/// The ldhook binary in the test environment, bounded by [`RUN_LIMIT`].
pub(crate) fn ldhook() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::from_std(ldhook_process());
    command.timeout(RUN_LIMIT);
    command
}

/// Exit code, stdout and stderr of a run in one text, as the snapshots hold them.
pub(crate) fn transcript(output: &std::process::Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(unix)]
pub(crate) fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The names in `dir`, sorted.
pub(crate) fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `init` answers only the user can give; everything else has a default.
pub(crate) const INIT_REQUIRED: &[&str] = &[
    "--name",
    "Nimbus Alerts",
    "--author",
    "Nimbus Labs",
    "--email",
    "support@nimbus.example",
    "--site",
    "https://nimbus.example",
    "--privacy-policy",
    "https://nimbus.example/privacy",
    "--category",
    "monitoring,notifications",
    "--endpoint-url",
    "https://hooks.nimbus.example/v1/launchdarkly",
];

/// `init --no-input` with the required answers, of which `extra` may replace some.
pub(crate) fn init_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["init", "--no-input"];
    for pair in INIT_REQUIRED.chunks(2) {
        if pair.first().is_some_and(|flag| !extra.contains(flag)) {
            args.extend_from_slice(pair);
        }
    }
    args.extend_from_slice(extra);
    args
}

/// Property-test settings: `PROPTEST_CASES` when set (CI and soak runs), else the test's own
/// count; failures are printed, not written to a regressions file in the tree.
pub(crate) fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// A traced render against a plain one: `Ok(true)` when both render alike, with the same
/// counted render work, and the trace cuts the output into runs that cover it once, in order,
/// each text run being the template text it points at and each other run pointing at a whole
/// tag; `Ok(false)` when both fail alike; else what differs.
pub(crate) fn traced_render_problem(
    template: &ldhook::engine::Template,
    context: &serde_json::Value,
) -> Result<bool, String> {
    let render_work = |work: ldhook::engine::Work| (work.render_steps, work.render_text_bytes);
    let (steps, bytes) = render_work(template.work());
    let plain = template.render(context);
    let (after_plain_steps, after_plain_bytes) = render_work(template.work());
    let traced = template.render_traced(context);
    let (after_traced_steps, after_traced_bytes) = render_work(template.work());
    let plain_work = (after_plain_steps - steps, after_plain_bytes - bytes);
    let traced_work = (
        after_traced_steps - after_plain_steps,
        after_traced_bytes - after_plain_bytes,
    );
    if plain_work != traced_work {
        return Err(format!(
            "render work {plain_work:?} untraced, {traced_work:?} traced"
        ));
    }
    let (plain, traced) = match (plain, traced) {
        (Ok(plain), Ok(traced)) => (plain, traced),
        (Err(plain), Err(traced)) if plain == traced => return Ok(false),
        (plain, traced) => return Err(format!("{plain:?} untraced, {traced:?} traced")),
    };
    if traced.output != plain {
        return Err(format!("output {:?}, traced {:?}", plain, traced.output));
    }
    check_trace_coverage(template.source(), &traced).map(|()| true)
}

fn check_trace_coverage(source: &str, traced: &ldhook::engine::Traced) -> Result<(), String> {
    use ldhook::engine::Written;
    let mut covered = 0;
    for span in &traced.spans {
        if span.output.start != covered || span.output.is_empty() {
            return Err(format!(
                "a span at {:?} after {covered} bytes covered",
                span.output
            ));
        }
        covered = span.output.end;
        let written = traced.output.get(span.output.clone());
        let tag = source.get(span.tag.clone()).unwrap_or_default();
        let whole_tag = tag.starts_with("{{") && tag.ends_with("}}");
        match span.kind {
            Written::Text if written != Some(tag) => {
                return Err(format!("text {written:?} points at {tag:?}"));
            }
            Written::Escaped | Written::Raw if !whole_tag => {
                return Err(format!("{:?} output points at {tag:?}", span.kind));
            }
            _ => {}
        }
    }
    if covered == traced.output.len() {
        Ok(())
    } else {
        Err(format!(
            "the spans cover {covered} of {} bytes",
            traced.output.len()
        ))
    }
}

/// A framework checkout in a temporary directory, made from ldhook's own files: its schema
/// (`schemas/` and the root `manifest.schema.json`), its sample events as `sample-context/`,
/// and a copy of the bundled example under `integrations/<key>` for each key, each with an
/// overview that trips `overview-period` (LDH102), so that which integrations a run checked
/// shows in its findings. The directory holds `.git`, as a clone does.
pub(crate) fn example_checkout(keys: &[&str]) -> tempfile::TempDir {
    let checkout = tempfile::tempdir().expect("temp dir");
    let root = checkout.path();
    let crate_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&crate_root.join("schemas"), &root.join("schemas"));
    std::fs::copy(
        crate_root.join("schemas/manifest.schema.json"),
        root.join("manifest.schema.json"),
    )
    .expect("schema");
    copy_dir(&crate_root.join("events"), &root.join("sample-context"));
    std::fs::create_dir_all(root.join(".git")).expect(".git");
    for key in keys {
        let dir = root.join("integrations").join(key);
        copy_dir(std::path::Path::new(EXAMPLE), &dir);
        edit_manifest(&dir, |manifest| {
            manifest["overview"] = serde_json::json!("An overview without its period");
        });
    }
    checkout
}

/// The manifests a `validate --format json` run reported findings in, sorted and once each.
pub(crate) fn files_with_findings(json: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["file"].as_str().expect("file").to_string())
        .collect();
    files.sort();
    files.dedup();
    files
}

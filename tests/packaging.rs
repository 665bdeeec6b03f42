//! The packagings: the npm wrapper and platform package, the PyPI wheel, the pre-commit hook
//! repository layout, the GitHub workflows and action, and what `--version` says.
//!
//! The npm and wheel tests package the release binary `.ci/run` builds once and names in
//! `$LDHOOK_RELEASE_BINARY`; they never build ldhook again. They need `node`/`npm`, `python3`
//! (with `venv`), `maturin` and `actionlint` on PATH (`.ci/run` installs the last two from
//! PyPI). Where one is missing they are skipped with a notice, except under `CI=true`, where
//! they fail. Nothing here reaches a registry: npm installs from the packed tarballs with an
//! empty cache, `--offline` and an unreachable registry, and pip installs with `--no-index`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{EXAMPLE, text};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const README: &str = include_str!("../README.md");

/// The npm platform packages: (name suffix, `os`, `cpu`, binary file name).
const PLATFORMS: &[(&str, &str, &str, &str)] = &[
    ("darwin-arm64", "darwin", "arm64", "ldhook"),
    ("darwin-x64", "darwin", "x64", "ldhook"),
    ("linux-arm64", "linux", "arm64", "ldhook"),
    ("linux-x64", "linux", "x64", "ldhook"),
    ("win32-x64", "win32", "x64", "ldhook.exe"),
];

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Skips the calling test with a notice, or fails it under CI, where nothing may be skipped.
fn unavailable(what: &str) {
    assert!(!in_ci(), "CI is set but {what}");
    // Written to the stderr handle itself: libtest captures only the print macros.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("NOTICE: {what}; packaging test skipped\n").as_bytes(),
    );
}

/// Held by every test that uses the release binary: the wheel test has cargo uplift it again
/// (cargo finds it built, yet links it into place anew), and for that moment the file is not
/// there for a test reading it alongside.
static RELEASE_BINARY: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The release binary `.ci/run` built, from `$LDHOOK_RELEASE_BINARY`, and the lock on it for
/// as long as the test runs.
fn release_binary() -> Option<(PathBuf, std::sync::MutexGuard<'static, ()>)> {
    let guard = RELEASE_BINARY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(path) = std::env::var_os("LDHOOK_RELEASE_BINARY").map(PathBuf::from) else {
        unavailable(
            "LDHOOK_RELEASE_BINARY is not set (.ci/run builds `cargo build --release` once and sets it)",
        );
        return None;
    };
    assert!(
        path.is_file(),
        "LDHOOK_RELEASE_BINARY={} is not a file",
        path.display()
    );
    Some((path, guard))
}

/// `name` on PATH.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        unavailable(&format!("`{name}` is not on PATH"));
    }
    found
}

fn run(command: &mut Command) -> Output {
    let shown = format!("{command:?}");
    let output = command.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    assert!(
        output.status.success(),
        "{shown} exited {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

/// What `ldhook --version` prints for this build, from the binary itself.
fn version_line(binary: &Path) -> String {
    text(&run(Command::new(binary).arg("--version")).stdout)
}

/// The words of the command README's "## Install" section gives in backticks starting with
/// `start`: the npm and pip tests run those lines, with the local packages for `ldhook`.
fn install_line(start: &str) -> Vec<String> {
    let section = README
        .split("\n## ")
        .find(|section| section.starts_with("Install\n"))
        .expect("README.md has an ## Install section");
    section
        .split('`')
        .skip(1)
        .step_by(2)
        .find(|code| code.starts_with(start))
        .unwrap_or_else(|| panic!("README's Install section gives no `{start}…` line"))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The npm name of this machine's platform, as `process.platform-process.arch` spell it.
fn npm_host_platform() -> Option<&'static str> {
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win32",
        _ => return None,
    };
    let cpu = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        _ => return None,
    };
    PLATFORMS
        .iter()
        .map(|(name, ..)| *name)
        .find(|name| *name == format!("{os}-{cpu}"))
}

fn read_json(relative: &str) -> serde_json::Value {
    common::read_json(&Path::new(ROOT).join(relative))
}

// ---------------------------------------------------------------------------------------------
// The version line

#[test]
fn version_names_the_version_the_commit_and_the_target() {
    let output = common::ldhook().arg("--version").output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let line = text(&output.stdout);
    let commit = git_head().unwrap_or_else(|| "unknown".to_string());
    let prefix = format!("ldhook {VERSION} (commit {commit}, target ");
    let target = line
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("`ldhook --version` printed {line:?}, not {prefix}…)"));
    // The target triple of this very machine: its architecture first, its system in it.
    assert!(
        target.starts_with(std::env::consts::ARCH) && target.contains(std::env::consts::OS),
        "target {target:?} on {} {}",
        std::env::consts::ARCH,
        std::env::consts::OS
    );
}

/// The commit checked out here, when this checkout is a git work tree of its own.
fn git_head() -> Option<String> {
    let output = Command::new("git")
        .args(["-C", ROOT, "rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| text(&output.stdout).trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// npm

#[test]
fn npm_packages_name_the_crate_version_and_every_platform() {
    let wrapper = read_json("npm/ldhook/package.json");
    assert_eq!(wrapper["name"], "ldhook");
    assert_eq!(wrapper["version"], VERSION, "npm/ldhook/package.json");
    assert_eq!(wrapper["bin"]["ldhook"], "bin/ldhook.js");
    let expected: serde_json::Map<String, serde_json::Value> = PLATFORMS
        .iter()
        .map(|(name, ..)| (format!("@ldhook/cli-{name}"), VERSION.into()))
        .collect();
    assert_eq!(
        wrapper["optionalDependencies"],
        serde_json::Value::Object(expected)
    );
    let launcher = std::fs::read_to_string(Path::new(ROOT).join("npm/ldhook/bin/ldhook.js"))
        .expect("the launcher");
    for (name, os, cpu, binary) in PLATFORMS {
        let package = read_json(&format!("npm/cli-{name}/package.json"));
        assert_eq!(package["name"], format!("@ldhook/cli-{name}"));
        assert_eq!(package["version"], VERSION, "npm/cli-{name}/package.json");
        assert_eq!(package["os"], serde_json::json!([os]), "{name}");
        assert_eq!(package["cpu"], serde_json::json!([cpu]), "{name}");
        assert_eq!(package["files"], serde_json::json!([binary]), "{name}");
        assert!(
            launcher.contains(&format!("\"{name}\": \"@ldhook/cli-{name}/{binary}\"")),
            "bin/ldhook.js does not look for @ldhook/cli-{name}/{binary}"
        );
    }
}

/// A temporary npm project and the tarballs `npm pack` made.
struct NpmProject {
    dir: tempfile::TempDir,
}

impl NpmProject {
    fn new() -> NpmProject {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["project", "packs", "cache"] {
            std::fs::create_dir(dir.path().join(sub)).expect("mkdir");
        }
        std::fs::write(
            dir.path().join("project/package.json"),
            r#"{ "name": "partner-framework", "private": true }"#,
        )
        .expect("package.json");
        NpmProject { dir }
    }

    fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    /// npm with an empty cache of its own and a registry that cannot be reached, so that any
    /// attempt to fetch fails instead of reaching the network.
    fn npm(&self, npm: &Path) -> Command {
        let mut command = Command::new(npm);
        command
            .current_dir(self.project())
            .env("npm_config_cache", self.dir.path().join("cache"))
            .env("npm_config_registry", "http://127.0.0.1:9/")
            .env("npm_config_offline", "true")
            .env("npm_config_audit", "false")
            .env("npm_config_fund", "false")
            .env("npm_config_update_notifier", "false");
        command
    }

    /// `npm pack` of `package_dir`; the tarball's path.
    fn pack(&self, npm: &Path, package_dir: &Path) -> PathBuf {
        let packs = self.dir.path().join("packs");
        let output = run(self
            .npm(npm)
            .arg("pack")
            .arg(package_dir)
            .arg("--pack-destination")
            .arg(&packs));
        let name = text(&output.stdout)
            .lines()
            .last()
            .expect("npm pack names the tarball")
            .trim()
            .to_string();
        packs.join(name)
    }

    /// The host's platform package, with the release binary in it, packed.
    fn pack_platform(&self, npm: &Path, platform: &str, binary: &Path) -> PathBuf {
        let staged = self.dir.path().join(format!("cli-{platform}"));
        common::copy_dir(
            &Path::new(ROOT).join(format!("npm/cli-{platform}")),
            &staged,
        );
        let name = if platform.starts_with("win32") {
            "ldhook.exe"
        } else {
            "ldhook"
        };
        std::fs::copy(binary, staged.join(name)).expect("copy the binary");
        self.pack(npm, &staged)
    }

    /// README's `npm install …` line with the tarballs for `ldhook`.
    fn install(&self, npm: &Path, tarballs: &[PathBuf]) -> Output {
        let line = install_line("npm install");
        let mut command = self.npm(npm);
        for word in line.iter().skip(1) {
            if word == "ldhook" {
                command.args(tarballs);
            } else {
                command.arg(word);
            }
        }
        run(&mut command)
    }

    /// `npx ldhook …` as README gives it: the registry cannot be reached, so npx runs the
    /// installed package or fails, and never downloads one.
    fn npx(&self, npx: &Path, args: &[&str]) -> Output {
        self.npm(npx).args(args).output().expect("npx runs")
    }
}

struct NpmTools {
    npm: PathBuf,
    npx: PathBuf,
}

fn npm_tools() -> Option<NpmTools> {
    tool("node")?;
    Some(NpmTools {
        npm: tool("npm")?,
        npx: tool("npx")?,
    })
}

#[test]
fn npm_wrapper_and_host_package_install_offline_and_run() {
    let Some((binary, _release)) = release_binary() else {
        return;
    };
    let Some(tools) = npm_tools() else { return };
    let Some(platform) = npm_host_platform() else {
        unavailable("this machine is no platform ldhook ships an npm package for");
        return;
    };
    let project = NpmProject::new();
    let wrapper = project.pack(&tools.npm, &Path::new(ROOT).join("npm/ldhook"));
    let host = project.pack_platform(&tools.npm, platform, &binary);
    assert!(
        wrapper.ends_with(format!("ldhook-{VERSION}.tgz")),
        "{wrapper:?}"
    );
    project.install(&tools.npm, &[wrapper, host]);
    let installed = project
        .project()
        .join(format!("node_modules/@ldhook/cli-{platform}/ldhook"));
    assert_eq!(
        std::fs::read(&installed).expect("the installed binary"),
        std::fs::read(&binary).expect("the release binary"),
        "npm installed the release binary"
    );

    let version = project.npx(&tools.npx, &["ldhook", "--version"]);
    assert_eq!(version.status.code(), Some(0), "{}", text(&version.stderr));
    assert_eq!(text(&version.stdout), version_line(&binary));
    assert!(text(&version.stdout).starts_with(&format!("ldhook {VERSION} (commit ")));

    let validate = project.npx(&tools.npx, &["ldhook", "validate", EXAMPLE]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}{}",
        text(&validate.stdout),
        text(&validate.stderr)
    );
    // The wrapper passes the exit code on: findings are 1, a path that is not there is 2.
    let missing = project.npx(&tools.npx, &["ldhook", "validate", "no-such-integration"]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
    assert!(text(&missing.stderr).contains("no-such-integration"));
}

#[test]
fn npm_wrapper_without_its_platform_package_says_which_is_missing() {
    let Some(tools) = npm_tools() else { return };
    let Some(platform) = npm_host_platform() else {
        unavailable("this machine is no platform ldhook ships an npm package for");
        return;
    };
    let project = NpmProject::new();
    let wrapper = project.pack(&tools.npm, &Path::new(ROOT).join("npm/ldhook"));
    // The optional packages cannot be fetched: npm leaves them out and the install succeeds.
    project.install(&tools.npm, &[wrapper]);
    let output = project.npx(&tools.npx, &["ldhook", "--version"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert!(
        text(&output.stderr).starts_with(&format!(
            "ldhook: the package @ldhook/cli-{platform} for {platform} is not installed.\n"
        )),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn npm_wrapper_on_a_platform_without_a_package_says_so() {
    let Some(node) = tool("node") else { return };
    let launcher = Path::new(ROOT).join("npm/ldhook/bin/ldhook.js");
    let output = Command::new(node)
        .arg("-e")
        .arg(format!(
            "Object.defineProperty(process, 'arch', {{ value: 'riscv64' }}); require({:?});",
            launcher.display().to_string()
        ))
        .env_remove("LDHOOK_BINARY")
        .output()
        .expect("node runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let platform = format!("{}-riscv64", node_platform());
    assert!(
        stderr.starts_with(&format!(
            "ldhook: no prebuilt binary for {platform}; ldhook ships darwin-arm64, darwin-x64, linux-arm64, linux-x64, win32-x64.\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("cargo install --locked --git https://github.com/ldhook/ldhook ldhook")
    );
}

fn node_platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// PyPI

#[test]
fn pyproject_builds_the_binary_with_the_crate_version() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("pyproject.toml")).expect("read");
    let pyproject: toml::Table = text.parse().expect("pyproject.toml is TOML");
    assert_eq!(
        pyproject["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    assert_eq!(pyproject["project"]["name"].as_str(), Some("ldhook"));
    // The version is Cargo.toml's, read by maturin.
    assert_eq!(
        pyproject["project"]["dynamic"],
        toml::Value::Array(vec!["version".into()])
    );
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    assert_eq!(
        pyproject["tool"]["maturin"]["profile"].as_str(),
        Some("release")
    );
}

/// Removes what cargo sets for a running test (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, …).
/// Build scripts such as ring's declare `rerun-if-env-changed` on those names, and cargo
/// compares them in its own environment, so a cargo started from a test would find ring stale
/// and rebuild it and everything above it, ldhook included.
fn without_test_run_variables(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_for_tests = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                name.as_ref(),
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
            );
        if set_for_tests {
            command.env_remove(name.as_ref());
        }
    }
}

/// maturin builds the wheel in the target directory of the release binary, with the same
/// profile, so cargo finds ldhook already built: the wheel holds that very binary.
#[test]
fn wheel_reuses_the_release_build_installs_and_runs() {
    let Some((binary, _release)) = release_binary() else {
        return;
    };
    let (Some(python), Some(maturin)) = (tool("python3"), tool("maturin")) else {
        return;
    };
    let target_dir = binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary is <target>/release/ldhook");
    let work = tempfile::tempdir().expect("temp dir");
    let wheels = work.path().join("wheels");
    let mut maturin = Command::new(maturin);
    without_test_run_variables(&mut maturin);
    let built = run(maturin
        .current_dir(ROOT)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["build", "--release", "--locked", "--out"])
        .arg(&wheels));
    let log = format!("{}{}", text(&built.stdout), text(&built.stderr));
    assert!(
        !log.contains("Compiling ldhook"),
        "maturin built ldhook again instead of packaging the release build:\n{log}"
    );
    let wheel = common::sorted_files(&wheels, "whl")
        .pop()
        .expect("maturin wrote a wheel");
    let file_name = wheel.file_name().expect("a name").to_string_lossy();
    assert!(
        file_name.starts_with(&format!("ldhook-{VERSION}-py3-none-")),
        "{file_name}"
    );

    let venv = work.path().join("venv");
    run(Command::new(python).args(["-m", "venv"]).arg(&venv));
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    // README's `pip install ldhook`, with the wheel for `ldhook` and no index.
    let mut install = Command::new(bin.join("python"));
    install.args(["-m", "pip", "--disable-pip-version-check", "--no-input"]);
    for word in install_line("pip install").iter().skip(1) {
        if word == "ldhook" {
            install.args(["--no-index", "--quiet"]).arg(&wheel);
        } else {
            install.arg(word);
        }
    }
    run(&mut install);
    let installed = bin.join(if cfg!(windows) {
        "ldhook.exe"
    } else {
        "ldhook"
    });
    assert_eq!(
        std::fs::read(&installed).expect("pip installed ldhook"),
        std::fs::read(&binary).expect("the release binary"),
        "the wheel holds the release binary"
    );
    assert_eq!(version_line(&installed), version_line(&binary));
    let validate = Command::new(&installed)
        .args(["validate", EXAMPLE])
        .output()
        .expect("runs");
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// The pre-commit hook repository

/// The hooks of a `.pre-commit-hooks.yaml`: each `- id:` entry's top-level `key: value` lines.
fn hooks(relative: &str) -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(relative)).expect("read");
    let mut hooks: Vec<Vec<(String, String)>> = Vec::new();
    for line in text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
    {
        let (starts_hook, rest) = match line.strip_prefix("- ") {
            Some(rest) => (true, rest),
            None => (false, line.trim_start()),
        };
        let Some((key, value)) = rest.split_once(':') else {
            continue;
        };
        if starts_hook {
            hooks.push(Vec::new());
        }
        if let Some(hook) = hooks.last_mut() {
            hook.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    hooks
}

#[test]
fn pre_commit_hook_repository_offers_the_same_hooks_from_the_wheel() {
    let ours = hooks(".pre-commit-hooks.yaml");
    let mirror = hooks("pre-commit-hook/.pre-commit-hooks.yaml");
    assert!(!ours.is_empty(), "the repository offers hooks");
    let as_python = |hook: &Vec<(String, String)>| -> Vec<(String, String)> {
        hook.iter()
            .map(|(key, value)| match key.as_str() {
                "language" => (key.clone(), "python".to_string()),
                _ => (key.clone(), value.clone()),
            })
            .collect()
    };
    assert_eq!(
        mirror,
        ours.iter().map(as_python).collect::<Vec<_>>(),
        "pre-commit-hook/.pre-commit-hooks.yaml must offer the hooks of .pre-commit-hooks.yaml, \
         with `language: python`"
    );
    let pyproject: toml::Table =
        std::fs::read_to_string(Path::new(ROOT).join("pre-commit-hook/pyproject.toml"))
            .expect("read")
            .parse()
            .expect("TOML");
    assert_eq!(
        pyproject["project"]["dependencies"],
        toml::Value::Array(vec![format!("ldhook=={VERSION}").into()]),
        "the hook repository pins the wheel of this version"
    );
    assert_eq!(pyproject["project"]["version"].as_str(), Some(VERSION));
}

// ---------------------------------------------------------------------------------------------
// Workflows and the action

fn workflows() -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join(".github/workflows");
    let mut files = common::sorted_files(&dir, "yml");
    files.extend(common::sorted_files(&dir, "yaml"));
    files
}

/// actionlint, with the same checks wherever it runs: shellcheck and pyflakes are used only
/// when found on PATH, so they are turned off.
fn actionlint(actionlint: &Path, dir: &Path, files: &[PathBuf]) -> Output {
    Command::new(actionlint)
        .current_dir(dir)
        .args(["-no-color", "-shellcheck=", "-pyflakes="])
        .args(files)
        .output()
        .expect("actionlint runs")
}

#[test]
fn actionlint_accepts_every_workflow() {
    let Some(linter) = tool("actionlint") else {
        return;
    };
    let files = workflows();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"release.yml".to_string())
            && names.contains(&"action-test.yml".to_string()),
        "{names:?}"
    );
    let output = actionlint(&linter, Path::new(ROOT), &files);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(text(&output.stdout), "");
}

/// actionlint reads action.yml for a `uses: ./` step: a misspelt input is an error, so
/// action-test.yml keeps the action's inputs checked.
#[test]
fn actionlint_checks_the_inputs_given_to_the_action() {
    let Some(linter) = tool("actionlint") else {
        return;
    };
    let project = tempfile::tempdir().expect("temp dir");
    let workflows = project.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).expect("mkdir");
    // actionlint resolves `./` from the repository root, which it finds by `.git`.
    std::fs::create_dir(project.path().join(".git")).expect("mkdir .git");
    std::fs::copy(
        Path::new(ROOT).join("action.yml"),
        project.path().join("action.yml"),
    )
    .expect("copy action.yml");
    let test = std::fs::read_to_string(Path::new(ROOT).join(".github/workflows/action-test.yml"))
        .expect("read");
    let misspelt = test.replacen("paths: examples/pulseboard", "path: examples/pulseboard", 1);
    assert_ne!(misspelt, test, "action-test.yml passes `paths`");
    let file = workflows.join("action-test.yml");
    std::fs::write(&file, misspelt).expect("write");
    let output = actionlint(&linter, project.path(), &[file]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).contains(
            "input \"path\" is not defined in action \"ldhook validate\" defined at \"./\""
        ),
        "{}",
        text(&output.stdout)
    );
}

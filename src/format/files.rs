//! `ldhook fmt`: which files a run formats and what it does with each. The scope is the
//! framework's `prettier --list-different "./**/*.{js,json}"` for JSON: every `.json` file under
//! the paths, less `node_modules` and version-control directories (as Prettier skips them) and
//! what the checkout's `.prettierignore` names.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::diagnostics::{Diagnostic, Report, STDIN, SourceFile};
use crate::framework::Framework;
use crate::input::{self, InputError, Kind};
use crate::{gitignore, registry};

const IGNORE_FILE: &str = ".prettierignore";
/// The framework's own `.prettierignore` (launchdarkly/integration-framework, as of the
/// corpus's UPSTREAM commit), for a checkout of it that came without its dotfiles: the bundled
/// schema is generated in another layout, and the framework's CI does not check it.
const FRAMEWORK_IGNORES: [&str; 2] = ["manifest.schema.json", "tsconfig.json"];
/// Directories Prettier never looks in.
const SKIPPED_DIRS: [&str; 4] = ["node_modules", ".git", ".svn", ".hg"];

/// What a run does with a file whose formatted text differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Name it, and write nothing.
    Check,
    /// Show the change as a unified diff, and write nothing.
    Diff,
}

/// What a run did: the files that changed (or would), their diffs, standard input formatted,
/// and a finding for each file that is not JSON.
#[derive(Debug, Default)]
pub struct Outcome {
    pub changed: Vec<String>,
    pub diffs: Vec<String>,
    pub stdout: Option<String>,
    pub report: Report,
}

#[derive(Debug, thiserror::Error)]
pub enum FmtError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{path}: cannot list the directory: {source}")]
    List {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: cannot write the formatted file: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Formats the `.json` files under `paths` (`-` is standard input, formatted to `stdout`).
pub fn run(paths: &[PathBuf], mode: Mode) -> Result<Outcome, FmtError> {
    let mut outcome = Outcome::default();
    for path in paths {
        if path.as_os_str() == "-" {
            let bytes = input::read_stdin(Kind::Json)?;
            let text = input::decode_utf8(STDIN, &bytes)?;
            outcome.report.files += 1;
            match formatted(STDIN, text) {
                Ok(output) => outcome.stdout = Some(output),
                Err(finding) => outcome.report.diagnostics.push(*finding),
            }
            continue;
        }
        let ignored = prettier_ignore(path)?;
        for file in json_files(path, ignored.as_ref())? {
            format_file(&file, mode, &mut outcome)?;
        }
    }
    Ok(outcome)
}

fn format_file(path: &Path, mode: Mode, outcome: &mut Outcome) -> Result<(), FmtError> {
    let name = display(path);
    let bytes = input::read(path, Kind::Json)?;
    let text = input::decode_utf8(&name, &bytes)?;
    outcome.report.files += 1;
    let output = match formatted(&name, text) {
        Ok(output) => output,
        Err(finding) => {
            outcome.report.diagnostics.push(*finding);
            return Ok(());
        }
    };
    if output == text {
        return Ok(());
    }
    match mode {
        Mode::Write => {
            crate::atomic::replace_file(path, &output).map_err(|source| FmtError::Write {
                path: name.clone(),
                source,
            })?;
        }
        Mode::Check => {}
        Mode::Diff => outcome.diffs.push(
            similar::TextDiff::from_lines(text, &output)
                .unified_diff()
                .header(&name, &name)
                .to_string(),
        ),
    }
    outcome.changed.push(name);
    Ok(())
}

/// The text formatted, or the `invalid-json` finding where it stops being JSON (placed in the
/// text as the formatter read it, line ends normalised).
fn formatted(name: &str, text: &str) -> Result<String, Box<Diagnostic>> {
    super::format(text).map_err(|error| {
        let source = Arc::new(SourceFile::new(name, super::normalized_source(text)));
        let mut finding =
            Diagnostic::new(&registry::INVALID_JSON, source, error.message).with_span(error.span);
        if let Some((span, message)) = error.related {
            finding = finding.with_related(span, message);
        }
        Box::new(finding)
    })
}

/// The `.prettierignore` of the checkout `path` is in: the nearest one above it, looked for no
/// higher than a git repository's root, its patterns relative to its directory; a framework
/// root without one has the framework's.
pub(crate) fn prettier_ignore(path: &Path) -> Result<Option<Gitignore>, InputError> {
    let Ok(start) = std::fs::canonicalize(path) else {
        return Ok(None);
    };
    for dir in start.ancestors() {
        let file = dir.join(IGNORE_FILE);
        if std::fs::symlink_metadata(&file).is_ok() {
            return gitignore::matcher(dir, &file);
        }
        if Framework::is_root(dir) {
            let mut builder = GitignoreBuilder::new(dir);
            for pattern in FRAMEWORK_IGNORES {
                let _valid = builder.add_line(None, pattern);
            }
            return Ok(builder.build().ok());
        }
        if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
            break;
        }
    }
    Ok(None)
}

pub(crate) fn is_ignored(ignored: Option<&Gitignore>, path: &Path, is_dir: bool) -> bool {
    let Some(ignored) = ignored else {
        return false;
    };
    let Ok(path) = std::fs::canonicalize(path) else {
        return false;
    };
    ignored
        .matched_path_or_any_parents(&path, is_dir)
        .is_ignore()
}

/// A file named is formatted whatever its extension, unless ignored; a directory stands for
/// every `.json` file beneath it, in name order. Symbolic links inside a directory are not
/// followed, so a link cannot lead a walk round in circles.
fn json_files(path: &Path, ignored: Option<&Gitignore>) -> Result<Vec<PathBuf>, FmtError> {
    if !path.is_dir() {
        if is_ignored(ignored, path, false) {
            return Ok(Vec::new());
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let mut entries = list(&dir)?;
        entries.sort();
        let mut subdirs = Vec::new();
        for entry in entries {
            let Ok(meta) = std::fs::symlink_metadata(&entry) else {
                continue;
            };
            let is_dir = meta.is_dir();
            if is_ignored(ignored, &entry, is_dir) {
                continue;
            }
            if is_dir {
                let skipped = entry
                    .file_name()
                    .is_some_and(|name| SKIPPED_DIRS.iter().any(|skip| name == *skip));
                if !skipped {
                    subdirs.push(entry);
                }
            } else if meta.is_file() && entry.extension().is_some_and(|ext| ext == "json") {
                files.push(entry);
            }
        }
        pending.extend(subdirs.into_iter().rev());
    }
    files.sort();
    Ok(files)
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, FmtError> {
    let error = |source| FmtError::List {
        path: display(dir),
        source,
    };
    std::fs::read_dir(dir)
        .map_err(error)?
        .map(|entry| entry.map(|entry| entry.path()).map_err(error))
        .collect()
}

fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

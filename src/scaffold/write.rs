//! Writing an integration so that nothing half-written is ever left behind: the files are staged
//! in a temporary directory beside the destination, validated there with the same pipeline as
//! `ldhook validate` (the checkout's schema and sample events when there is a checkout), and
//! only then renamed into place, which on one file system is a single step.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::files::PlannedFile;
use crate::diagnostics::{Report, Severity, SourceFile};
use crate::framework::Framework;
use crate::rules::RuleSelection;
use crate::schema::SchemaChoice;
use crate::validate::{self, Input, ValidateError};

/// What `write` did.
#[derive(Debug)]
pub struct Outcome {
    /// Where the integration is (or, for a dry run, would be).
    pub dir: PathBuf,
    /// `validate`'s findings on it, all below error severity.
    pub report: Report,
    /// An earlier directory replaced under `--force`.
    pub replaced: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: the directory exists and is not empty; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("{}: exists and is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("{}: the directory to create it in does not exist", .0.display())]
    NoParent(PathBuf),
    #[error("cannot write {}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the integration does not pass validation against {}, so nothing was written:\n{}",
        .0.schema,
        errors(.0)
    )]
    Invalid(Report),
    #[error("cannot validate the integration before writing it: {0}")]
    Validate(#[from] ValidateError),
    #[error("interrupted; nothing was written")]
    Cancelled,
}

fn errors(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "  {} {}: {}",
                d.rule.id,
                d.pointer.as_deref().unwrap_or(""),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where `init` puts an integration: the directory given; else `integrations/<key>` of the
/// checkout holding `start`; else `<key>` in `start`.
pub fn destination(explicit: Option<&Path>, start: &Path, key: &str) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    let under_start = |relative: &Path| {
        if start == Path::new(".") {
            relative.to_path_buf()
        } else {
            start.join(relative)
        }
    };
    let Some(framework) = Framework::discover(start) else {
        return under_start(Path::new(key));
    };
    let dir = framework
        .root()
        .join(crate::framework::INTEGRATIONS_DIR)
        .join(key);
    let here = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    match dir.strip_prefix(&here) {
        Ok(relative) => under_start(relative),
        Err(_) => dir,
    }
}

/// Writes `files` to `dest`. With `dry_run` everything happens but the final rename. `cancel`
/// is checked before that rename: once set (by Ctrl-C), the staged files are removed instead.
pub fn write(
    files: &[PlannedFile],
    dest: &Path,
    force: bool,
    dry_run: bool,
    cancel: &AtomicBool,
) -> Result<Outcome, WriteError> {
    // `.` and `..` name no directory entry to rename onto; their real path does.
    let resolved;
    let dest = if dest.file_name().is_none() {
        resolved = std::fs::canonicalize(dest).map_err(|source| WriteError::Io {
            path: dest.to_path_buf(),
            source,
        })?;
        resolved.as_path()
    } else {
        dest
    };
    let existing = existing_contents(dest)?;
    if existing && !force {
        return Err(WriteError::Exists(dest.to_path_buf()));
    }
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(WriteError::NoParent(parent));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    // Removed on drop, whichever way this function returns.
    let staging = tempfile::Builder::new()
        .prefix(".ldhook-init-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let name = dest
        .file_name()
        .map_or_else(|| "integration".into(), |n| n.to_os_string());
    let staged = staging.path().join(&name);
    for file in files {
        let path = staged.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, &file.contents).map_err(io(&path))?;
    }
    let report = relabel(check(&staged)?, &staged, dest);
    if report.count(Severity::Error) > 0 {
        return Err(WriteError::Invalid(report));
    }
    let outcome = Outcome {
        dir: dest.to_path_buf(),
        report,
        replaced: existing,
    };
    if dry_run {
        return Ok(outcome);
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(WriteError::Cancelled);
    }
    swap_in(&staged, dest, &staging.path().join(".previous"))?;
    Ok(outcome)
}

/// Whether `dest` is a directory with something in it; an empty one is taken as it is.
fn existing_contents(dest: &Path) -> Result<bool, WriteError> {
    match std::fs::symlink_metadata(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(WriteError::Io {
            path: dest.to_path_buf(),
            source,
        }),
        Ok(meta) if !meta.is_dir() => Err(WriteError::NotADirectory(dest.to_path_buf())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dest).map_err(|source| WriteError::Io {
                path: dest.to_path_buf(),
                source,
            })?;
            Ok(entries.next().is_some())
        }
    }
}

/// Moves `staged` to `dest`; an earlier `dest` goes to `previous` (inside the staging
/// directory, so it is removed with it) and comes back if the second rename fails.
fn swap_in(staged: &Path, dest: &Path, previous: &Path) -> Result<(), WriteError> {
    let io = |path: &Path, source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let moved_aside = dest.exists();
    if moved_aside {
        std::fs::rename(dest, previous).map_err(|e| io(dest, e))?;
    }
    if let Err(error) = std::fs::rename(staged, dest) {
        if moved_aside {
            let _ = std::fs::rename(previous, dest);
        }
        return Err(io(dest, error));
    }
    Ok(())
}

/// `validate` on the staged directory, with every rule, as a user would run it.
fn check(staged: &Path) -> Result<Report, WriteError> {
    let options = validate::Options {
        schema: SchemaChoice::Auto,
        selection: RuleSelection::default(),
        events: None,
    };
    Ok(validate::validate(
        &[Input::Path(staged.to_path_buf())],
        &options,
    )?)
}

/// Findings name files where they will be, not where they were staged.
fn relabel(mut report: Report, staged: &Path, dest: &Path) -> Report {
    let staged = staged.display().to_string();
    let dest = dest.display().to_string();
    for diagnostic in &mut report.diagnostics {
        if let Some(rest) = diagnostic.file.name().strip_prefix(&staged) {
            let name = format!("{dest}{rest}");
            diagnostic.file = Arc::new(SourceFile::new(name, diagnostic.file.text()));
        }
    }
    report
}

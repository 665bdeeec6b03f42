//! Writing an integration so that nothing half-written is ever left behind and nothing `init`
//! did not create is ever removed. The files are staged in a temporary directory beside the
//! destination and validated there with the same pipeline as `ldhook validate` (the checkout's
//! schema and sample events when there is a checkout). Then, by what the destination was:
//!
//! - nothing: the staged directory is renamed into place, in one step that fails if a
//!   directory has appeared there meanwhile ([`rename`]);
//! - an empty directory: it is filled in place, each name claimed only if free ([`fill`]);
//! - an integration directory, with `--force`: it is swapped out and removed ([`replace`]).

mod fill;
mod parents;
mod rename;
mod replace;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::files::PlannedFile;
use crate::diagnostics::{Report, Severity, SourceFile};
use crate::framework::Framework;
use crate::pointer::Pointer;
use crate::registry::RuleSelection;
use crate::schema::SchemaChoice;
use crate::validate::{self, Input, ValidateError};

pub use replace::Refusal;

/// What `write` did.
#[derive(Debug)]
pub struct Outcome {
    /// Where the integration is (or, for a dry run, would be), as the caller named it.
    pub dir: PathBuf,
    /// `validate`'s findings on it, all below error severity.
    pub report: Report,
    /// How it got there (or would).
    pub placement: Placement,
    /// Set when the integration is in place but the staging directory could not be removed.
    pub leftover: Option<String>,
}

/// How the integration was put at its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A new directory.
    Created,
    /// The files, written into a directory that was there and empty.
    Filled,
    /// An earlier integration directory replaced under `--force`; what it held, now removed
    /// (folders end with `/`).
    Replaced { removed: Vec<String> },
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: the directory exists and is not empty; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("{}: exists and is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("{}: --force will not replace it: {reason}", .dir.display())]
    WontReplace { dir: PathBuf, reason: Refusal },
    #[error(
        "{}: something else created it while ldhook was writing; ldhook removed what it had written and left the rest as it was",
        .0.display()
    )]
    Appeared(PathBuf),
    #[error(
        "{}: something else took its place while ldhook was replacing it; the earlier directory is kept at {}",
        .dest.display(),
        .kept.display()
    )]
    Stranded { dest: PathBuf, kept: PathBuf },
    #[error("{cause}, except what ldhook could not remove again: {}", list(.left))]
    LeftBehind {
        cause: Box<WriteError>,
        left: Vec<PathBuf>,
    },
    #[error("cannot write {}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the integration does not pass validation against {}, so nothing was written: {}",
        .0.schema,
        errors(.0)
    )]
    Invalid(Report),
    #[error("cannot validate the integration before writing it: {0}")]
    Validate(#[from] ValidateError),
    #[error("interrupted; nothing was written")]
    Cancelled,
}

impl WriteError {
    /// The error with the paths at or under `real` named from `dest` instead, so that a
    /// message about `init .` names `.` as every other run names its destination: as it was
    /// typed, not as the absolute path `write` had to work on.
    fn named_as_given(self, real: &Path, dest: &Path) -> WriteError {
        let name = |path: PathBuf| match path.strip_prefix(real) {
            Ok(rest) if rest.as_os_str().is_empty() => dest.to_path_buf(),
            Ok(rest) => dest.join(rest),
            Err(_) => path,
        };
        match self {
            WriteError::Exists(path) => WriteError::Exists(name(path)),
            WriteError::NotADirectory(path) => WriteError::NotADirectory(name(path)),
            WriteError::WontReplace { dir, reason } => WriteError::WontReplace {
                dir: name(dir),
                reason,
            },
            WriteError::Appeared(path) => WriteError::Appeared(name(path)),
            WriteError::Stranded { dest: at, kept } => WriteError::Stranded {
                dest: name(at),
                kept: name(kept),
            },
            WriteError::LeftBehind { cause, left } => WriteError::LeftBehind {
                cause: Box::new(cause.named_as_given(real, dest)),
                left: left.into_iter().map(name).collect(),
            },
            WriteError::Io { path, source } => WriteError::Io {
                path: name(path),
                source,
            },
            other @ (WriteError::Invalid(_) | WriteError::Validate(_) | WriteError::Cancelled) => {
                other
            }
        }
    }
}

/// Why a name `init` meant to take could not be: taken by someone else, or an I/O error.
fn claim_failed(path: &Path, source: std::io::Error) -> WriteError {
    if source.kind() == std::io::ErrorKind::AlreadyExists {
        WriteError::Appeared(path.to_path_buf())
    } else {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn errors(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{} {}: {}",
                d.rule.id,
                d.pointer.as_ref().map_or("", Pointer::as_str),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
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

/// Writes `files` to `dest`, making the directories above it that are missing. With `dry_run`
/// everything happens but the step that changes the destination, and what was made for it is
/// removed again. `cancel` (set by a signal) is checked up to that step: once set, the staged
/// files are removed instead and the result is [`WriteError::Cancelled`]. After it, the result
/// is the integration in place, whatever `cancel` says.
pub fn write(
    files: &[PlannedFile],
    dest: &Path,
    force: bool,
    dry_run: bool,
    cancel: &AtomicBool,
) -> Result<Outcome, WriteError> {
    let real = resolve(dest)?;
    write_at(files, dest, &real, force, dry_run, cancel)
        .map_err(|error| error.named_as_given(&real, dest))
}

/// [`write`], working on `real`, the destination's real path when it was given as `.` or `..`.
fn write_at(
    files: &[PlannedFile],
    dest: &Path,
    real: &Path,
    force: bool,
    dry_run: bool,
    cancel: &AtomicBool,
) -> Result<Outcome, WriteError> {
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Like staging, removed on drop unless kept; declared first, so dropped after staging,
    // which is inside it.
    let parents = parents::Parents::make(&parent)?;
    let target = inspect(real, force)?;
    // Removed on drop, whichever way this function returns, unless kept on purpose below.
    let staging = tempfile::Builder::new()
        .prefix(".ldhook-init-")
        .tempdir_in(&parent)
        .map_err(|source| WriteError::Io {
            path: parent.clone(),
            source,
        })?;
    let staged = stage(staging.path(), real, files)?;
    let report = relabel(check(&staged)?, &staged, dest);
    if report.count(Severity::Error) > 0 {
        return Err(WriteError::Invalid(report));
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(WriteError::Cancelled);
    }
    let mut outcome = Outcome {
        dir: dest.to_path_buf(),
        report,
        placement: target.placement(),
        leftover: None,
    };
    if dry_run {
        return Ok(outcome);
    }
    let aside = staging.path().join(".previous");
    match commit(target, &staged, real, &aside, files, cancel) {
        Ok(placement) => outcome.placement = placement,
        Err(error @ WriteError::Stranded { .. }) => {
            // It holds the only copy of the earlier directory.
            let _ = staging.keep();
            parents.keep();
            return Err(error);
        }
        Err(error) => return Err(error),
    }
    parents.keep();
    let staging_path = staging.path().to_path_buf();
    if let Err(error) = staging.close() {
        outcome.leftover = Some(format!(
            "could not remove {}: {error}",
            staging_path.display()
        ));
    }
    Ok(outcome)
}

/// `.` and `..` name no directory entry to rename onto; their real path does.
fn resolve(dest: &Path) -> Result<PathBuf, WriteError> {
    if dest.file_name().is_some() {
        return Ok(dest.to_path_buf());
    }
    std::fs::canonicalize(dest).map_err(|source| WriteError::Io {
        path: dest.to_path_buf(),
        source,
    })
}

/// What is at the destination before anything is written.
enum Target {
    Missing,
    Empty,
    /// An integration `--force` may replace, with its entries.
    Integration(Vec<String>),
}

impl Target {
    fn placement(&self) -> Placement {
        match self {
            Target::Missing => Placement::Created,
            Target::Empty => Placement::Filled,
            Target::Integration(entries) => Placement::Replaced {
                removed: entries.clone(),
            },
        }
    }
}

fn inspect(dest: &Path, force: bool) -> Result<Target, WriteError> {
    let io = |source| WriteError::Io {
        path: dest.to_path_buf(),
        source,
    };
    match std::fs::symlink_metadata(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Missing),
        Err(source) => return Err(io(source)),
        Ok(meta) if !meta.is_dir() => return Err(WriteError::NotADirectory(dest.to_path_buf())),
        Ok(_) => {}
    }
    if std::fs::read_dir(dest).map_err(io)?.next().is_none() {
        return Ok(Target::Empty);
    }
    if !force {
        return Err(WriteError::Exists(dest.to_path_buf()));
    }
    let cwd = std::env::current_dir().ok();
    replace::check_replaceable(dest, cwd.as_deref()).map(Target::Integration)
}

/// Writes `files` under `staging`, in a directory named as the destination is.
fn stage(staging: &Path, dest: &Path, files: &[PlannedFile]) -> Result<PathBuf, WriteError> {
    let name = dest
        .file_name()
        .map_or_else(|| "integration".into(), std::ffi::OsStr::to_os_string);
    let staged = staging.join(name);
    for file in files {
        let path = staged.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, &file.contents).map_err(|source| WriteError::Io { path, source })?;
    }
    Ok(staged)
}

/// The step that changes the destination.
fn commit(
    target: Target,
    staged: &Path,
    dest: &Path,
    aside: &Path,
    files: &[PlannedFile],
    cancel: &AtomicBool,
) -> Result<Placement, WriteError> {
    match target {
        Target::Missing => {
            rename::rename_no_replace(staged, dest).map_err(|e| claim_failed(dest, e))?;
            Ok(Placement::Created)
        }
        Target::Empty => {
            fill::fill_in_place(dest, files, cancel)?;
            Ok(Placement::Filled)
        }
        Target::Integration(_) => {
            let removed = replace::swap(staged, dest, aside)?;
            Ok(Placement::Replaced { removed })
        }
    }
}

/// `validate` on the staged directory, with every rule, as a user would run it.
fn check(staged: &Path) -> Result<Report, WriteError> {
    let options = validate::Options {
        schema: SchemaChoice::Auto,
        selection: RuleSelection::default(),
        events: None,
        per_integration: crate::config::IntegrationIgnores::default(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaffold::files;

    fn planned() -> Vec<PlannedFile> {
        files::plan(&files::example_answers())
    }

    /// The names in `dir`, sorted (the other write tests use it too).
    pub(super) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_signal_before_the_point_of_no_return_leaves_nothing() {
        for empty_dest in [false, true] {
            let root = tempfile::tempdir().expect("temporary directory");
            let dest = root.path().join("acme");
            if empty_dest {
                std::fs::create_dir(&dest).expect("mkdir");
            }
            let error = write(&planned(), &dest, false, false, &AtomicBool::new(true))
                .expect_err("cancelled");
            assert!(matches!(error, WriteError::Cancelled), "{error}");
            if empty_dest {
                assert_eq!(names(root.path()), ["acme"]);
                assert!(names(&dest).is_empty());
            } else {
                assert!(names(root.path()).is_empty());
            }
        }
    }

    #[test]
    fn missing_parents_are_made_and_go_again_when_nothing_is_written() {
        let root = tempfile::tempdir().expect("temporary directory");
        let dest = root.path().join("sub/dir/acme");
        let cancelled = write(&planned(), &dest, false, false, &AtomicBool::new(true));
        assert!(matches!(cancelled, Err(WriteError::Cancelled)));
        assert!(names(root.path()).is_empty());
        let no = AtomicBool::new(false);
        write(&planned(), &dest, false, true, &no).expect("a dry run");
        assert!(names(root.path()).is_empty());
        let created = write(&planned(), &dest, false, false, &no).expect("created");
        assert_eq!(created.placement, Placement::Created);
        assert_eq!(names(&root.path().join("sub/dir")), ["acme"]);
    }

    #[test]
    fn each_kind_of_destination_is_reported_as_what_happened() {
        let root = tempfile::tempdir().expect("temporary directory");
        let dest = root.path().join("acme");
        let no = AtomicBool::new(false);
        let created = write(&planned(), &dest, false, false, &no).expect("created");
        assert_eq!(created.placement, Placement::Created);
        let replaced = write(&planned(), &dest, true, false, &no).expect("replaced");
        let Placement::Replaced { removed } = replaced.placement else {
            panic!("{:?}", replaced.placement);
        };
        assert!(
            removed.contains(&"manifest.json".to_string()),
            "{removed:?}"
        );
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).expect("mkdir");
        let filled = write(&planned(), &empty, false, false, &no).expect("filled");
        assert_eq!(filled.placement, Placement::Filled);
        assert_eq!(names(root.path()), ["acme", "empty"]);
    }
}

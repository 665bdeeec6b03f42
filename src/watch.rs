//! Watching files for `--watch`: the platform's change notices (the `notify` crate), the noise
//! a build, git or an editor makes filtered out, and what is left debounced into one batch per
//! burst of writes. It knows nothing of what a pass does or of the terminal: the caller hands it
//! a callback, which `render --watch` uses to render and print, and another command can use to
//! do its own pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

/// How long the files must be quiet after a change before the callback runs: an editor's save
/// (a backup, a temporary file, a rename) or a `git checkout` is one batch, not many.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// How often the stop flag is looked at while nothing changes. The wait blocks on the
/// watcher's channel; this bounds only how long a stop can go unnoticed.
pub const STOP_CHECK: Duration = Duration::from_millis(100);

/// What the callback wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep watching.
    Continue,
    /// Stop: [`watch`] returns `Ok(())`.
    Stop,
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// A path to watch does not exist or cannot be resolved.
    #[error("cannot watch {}: {source}", path.display())]
    Path {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The platform's watcher could not be started.
    #[error("cannot start watching files: {0}")]
    Start(#[source] notify::Error),
    /// The platform's watcher refused a path (too many watches, no permission…).
    #[error("cannot watch {}: {source}", path.display())]
    Add {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
    /// The watcher failed while watching (an event queue that overflowed, a watch lost).
    #[error("watching files failed: {0}")]
    Failed(#[source] notify::Error),
    /// The watcher's channel closed: it stopped on its own.
    #[error("the file watcher stopped")]
    Stopped,
}

/// Directories whose changes are never a reason for another pass, wherever they are beneath a
/// watched directory: build output, version control, ldhook's own output.
const NOISE_DIRS: &[&str] = &["target", ".git", ".ldhook", "node_modules"];

/// One thing watched: a directory (with everything beneath it), or one file, watched through
/// its parent directory so that an editor's save by rename is seen too.
#[derive(Debug)]
struct Watched {
    /// The directory given to the platform's watcher, resolved.
    root: PathBuf,
    /// For a file: the file itself; only its changes count.
    only: Option<PathBuf>,
}

/// Watches `paths` (directories recursively; a file through its parent directory, counting
/// only its own changes) and calls `on_change`:
///
/// - once with an empty slice as soon as every watch is in place, so that the first pass sees
///   every change made after it began (a caller renders its first block there);
/// - then once per burst of changes, when the files have been quiet for [`DEBOUNCE`], with the
///   changed paths (resolved, absolute, sorted, each once). Changes under `target/`, `.git/`,
///   `.ldhook/` or `node_modules/` beneath a watched directory, editor swap and backup files
///   (`*.swp`, `*.swo`, `*.swx`, `*~`, `.#*`, vim's `4913`) and reads (which a pass itself makes)
///   are left out, so a pass that writes there does not start another.
///
/// Returns `Ok(())` when `on_change` says [`Flow::Stop`] or `stop` becomes true (looked at
/// every [`STOP_CHECK`] while waiting, and before each call; a signal handler sets it).
pub fn watch(
    paths: &[PathBuf],
    mut on_change: impl FnMut(&[PathBuf]) -> Flow,
    stop: &AtomicBool,
) -> Result<(), WatchError> {
    let targets = paths
        .iter()
        .map(|path| resolve(path))
        .collect::<Result<Vec<_>, _>>()?;
    let (sender, receiver) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender).map_err(WatchError::Start)?;
    for target in &targets {
        let mode = if target.only.is_some() {
            RecursiveMode::NonRecursive
        } else {
            RecursiveMode::Recursive
        };
        watcher
            .watch(&target.root, mode)
            .map_err(|source| WatchError::Add {
                path: target.root.clone(),
                source,
            })?;
    }
    if stop.load(Ordering::SeqCst) || on_change(&[]) == Flow::Stop {
        return Ok(());
    }
    loop {
        let mut batch = BTreeSet::new();
        // Block until something that counts changes (or a stop).
        while batch.is_empty() {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            match receiver.recv_timeout(STOP_CHECK) {
                Ok(event) => {
                    collect(event, &targets, &mut batch)?;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Err(WatchError::Stopped),
            }
        }
        // Then until the files have been quiet for DEBOUNCE.
        let mut quiet_at = Instant::now() + DEBOUNCE;
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            let left = quiet_at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match receiver.recv_timeout(left.min(STOP_CHECK)) {
                Ok(event) => {
                    if collect(event, &targets, &mut batch)? {
                        quiet_at = Instant::now() + DEBOUNCE;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Err(WatchError::Stopped),
            }
        }
        let changed: Vec<PathBuf> = batch.into_iter().collect();
        if stop.load(Ordering::SeqCst) || on_change(&changed) == Flow::Stop {
            return Ok(());
        }
    }
}

fn resolve(path: &Path) -> Result<Watched, WatchError> {
    let error = |source| WatchError::Path {
        path: path.to_path_buf(),
        source,
    };
    let resolved = std::fs::canonicalize(path).map_err(error)?;
    if resolved.is_dir() {
        return Ok(Watched {
            root: resolved,
            only: None,
        });
    }
    let root = resolved
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    Ok(Watched {
        root,
        only: Some(resolved),
    })
}

/// Adds the paths of `event` that count to `batch`; whether any did.
fn collect(
    event: notify::Result<notify::Event>,
    watched: &[Watched],
    batch: &mut BTreeSet<PathBuf>,
) -> Result<bool, WatchError> {
    let event = event.map_err(WatchError::Failed)?;
    if event.need_rescan() {
        // Notices were lost: something may have changed anywhere.
        batch.extend(
            watched
                .iter()
                .map(|w| w.only.clone().unwrap_or_else(|| w.root.clone())),
        );
        return Ok(true);
    }
    if !changes_content(event.kind) {
        return Ok(false);
    }
    let before = batch.len();
    batch.extend(event.paths.into_iter().filter(|path| counts(path, watched)));
    Ok(batch.len() > before)
}

/// Whether an event kind can mean different content: not a read, an open or a close after
/// reading (a pass makes those), nor a change of metadata alone (a read can update the access
/// time). `touch` still counts: it opens for writing and closes.
fn changes_content(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

/// Whether a change of `path` is one to act on.
fn counts(path: &Path, watched: &[Watched]) -> bool {
    watched.iter().any(|target| match &target.only {
        Some(file) => path == file.as_path(),
        None => path
            .strip_prefix(&target.root)
            .is_ok_and(|relative| !is_noise(relative)),
    })
}

/// Whether a path (relative to a watched directory) is build output, version control,
/// ldhook's own output or an editor's swap or backup file.
pub(crate) fn is_noise(relative: &Path) -> bool {
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        let std::path::Component::Normal(name) = component else {
            continue;
        };
        let Some(name) = name.to_str() else {
            continue;
        };
        let last = components.peek().is_none();
        if !last && NOISE_DIRS.contains(&name) {
            return true;
        }
        if last {
            return is_editor_file(name) || NOISE_DIRS.contains(&name);
        }
    }
    false
}

/// vim's swap files and its `4913` write test, emacs's `.#lock` files, and `file~` backups.
fn is_editor_file(name: &str) -> bool {
    name == "4913"
        || name.starts_with(".#")
        || name.ends_with('~')
        || [".swp", ".swo", ".swx"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_output_vcs_and_ldhook_output_are_noise_at_any_depth() {
        for path in [
            "target/debug/ldhook",
            ".git/index",
            ".git",
            ".ldhook/payloads.snap",
            "integrations/pulseboard/.ldhook/payloads.snap",
            "node_modules/x/package.json",
            "sub/target/x",
        ] {
            assert!(is_noise(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn editor_swap_and_backup_files_are_noise() {
        for path in [
            "templates/.flag.json.hbs.swp",
            "templates/.flag.json.hbs.swo",
            ".manifest.json.swx",
            "manifest.json~",
            "templates/.#flag.json.hbs",
            "templates/4913",
            "4913",
        ] {
            assert!(is_noise(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn the_integrations_own_files_count() {
        for path in [
            "manifest.json",
            "templates/flag.json.hbs",
            "flag/toggle-on.json",
            "assets/images/square.svg",
            // Only the directories beneath the watched one are judged: a file called like
            // one, or a name that merely contains one, still counts.
            "targets.json",
            "templates/git.json.hbs",
            "templates/49130.json",
        ] {
            assert!(!is_noise(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn a_watched_file_counts_alone_and_a_directory_counts_beneath_it_less_noise() {
        let watched = [
            Watched {
                root: PathBuf::from("/w/pulseboard"),
                only: None,
            },
            Watched {
                root: PathBuf::from("/w/events"),
                only: Some(PathBuf::from("/w/events/mine.json")),
            },
        ];
        assert!(counts(Path::new("/w/pulseboard/manifest.json"), &watched));
        assert!(counts(
            Path::new("/w/pulseboard/templates/flag.json.hbs"),
            &watched
        ));
        assert!(!counts(Path::new("/w/pulseboard/target/x"), &watched));
        assert!(!counts(Path::new("/w/pulseboard/templates/4913"), &watched));
        assert!(counts(Path::new("/w/events/mine.json"), &watched));
        assert!(!counts(Path::new("/w/events/other.json"), &watched));
        // Above a watched directory, the noise names of its parents do not matter.
        let under_target = [Watched {
            root: PathBuf::from("/home/me/target/pulseboard"),
            only: None,
        }];
        assert!(counts(
            Path::new("/home/me/target/pulseboard/manifest.json"),
            &under_target
        ));
    }

    #[test]
    fn reads_and_metadata_do_not_count_and_writes_do() {
        use notify::event::{CreateKind, DataChange, MetadataKind, RemoveKind};
        assert!(!changes_content(EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_content(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes_content(EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_content(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(changes_content(EventKind::Create(CreateKind::File)));
        assert!(changes_content(EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn a_stop_before_the_first_pass_returns_at_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stop = AtomicBool::new(true);
        let mut calls = 0;
        watch(
            &[dir.path().to_path_buf()],
            |_| {
                calls += 1;
                Flow::Continue
            },
            &stop,
        )
        .expect("watches");
        assert_eq!(calls, 0);
    }

    #[test]
    fn a_write_after_the_first_call_is_one_batch_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("manifest.json");
        std::fs::write(&file, "{}").expect("write");
        std::fs::create_dir(dir.path().join("target")).expect("mkdir");
        // A hang guard, not a timing assertion: a watcher that never reports stops the test.
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let guard = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(60));
            guard.store(true, Ordering::SeqCst);
        });
        let mut batches: Vec<Vec<PathBuf>> = Vec::new();
        let noise = dir.path().join("target/out");
        watch(
            &[dir.path().to_path_buf()],
            |changed| {
                batches.push(changed.to_vec());
                if changed.is_empty() {
                    std::fs::write(&noise, "x").expect("write noise");
                    std::fs::write(&file, "{\"a\": 1}").expect("write");
                    return Flow::Continue;
                }
                Flow::Stop
            },
            &stop,
        )
        .expect("watches");
        let resolved = std::fs::canonicalize(dir.path().join("manifest.json")).expect("resolves");
        assert_eq!(batches, vec![Vec::new(), vec![resolved]]);
    }

    #[test]
    fn a_missing_path_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("nowhere");
        let error = watch(
            std::slice::from_ref(&missing),
            |_| Flow::Stop,
            &AtomicBool::new(false),
        )
        .expect_err("nothing to watch");
        assert!(matches!(&error, WatchError::Path { path, .. } if *path == missing));
        assert!(error.to_string().contains("nowhere"), "{error}");
    }
}

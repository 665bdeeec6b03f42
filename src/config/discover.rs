//! Finding `ldhook.toml`: the nearest one above each path, as the framework root is found.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ConfigError;

pub const FILE_NAME: &str = "ldhook.toml";

/// The one configuration file above `paths` (the current directory when there are none). Paths
/// under two different files cannot share one run's settings, so that is an error rather than
/// a guess.
pub(super) fn nearest(paths: &[PathBuf]) -> Result<Option<PathBuf>, ConfigError> {
    let here = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &here[..] } else { paths };
    let mut looked: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut found: Option<PathBuf> = None;
    for path in paths {
        let Some(this) = above(path, &mut looked) else {
            continue;
        };
        match &found {
            Some(first) if *first != this => {
                return Err(ConfigError::Several {
                    first: shown(first),
                    second: shown(&this),
                });
            }
            _ => found = Some(this),
        }
    }
    Ok(found)
}

/// The nearest file above `path`; each directory is looked at once however many paths share
/// it (pre-commit passes every changed file).
fn above(path: &Path, looked: &mut HashMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let start = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent()?
    };
    let mut unknown = Vec::new();
    let mut found = None;
    for dir in start.ancestors() {
        if let Some(known) = looked.get(dir) {
            found.clone_from(known);
            break;
        }
        unknown.push(dir.to_path_buf());
        let candidate = dir.join(FILE_NAME);
        // Whatever it is: reading it says what is wrong with a directory or a FIFO of that name.
        if std::fs::symlink_metadata(&candidate).is_ok() {
            found = Some(candidate);
            break;
        }
    }
    for dir in unknown {
        looked.insert(dir, found.clone());
    }
    found
}

/// A path as messages show it: relative to the current directory when it is under it.
pub(super) fn shown(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(&here).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

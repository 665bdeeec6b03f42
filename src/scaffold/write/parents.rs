//! The directories above a destination that are not there yet, made as `cargo new` makes them,
//! and removed again when the run ends without putting anything in them.

use std::path::{Path, PathBuf};

use super::WriteError;

/// The directories `init` made above the destination, in the order it made them (outermost
/// first). Dropped without [`Parents::keep`], it removes them again, innermost first, each only
/// if it is empty: `remove_dir` refuses a directory with anything in it, so whatever someone
/// else put there meanwhile stays, and so do the directories holding it.
pub(super) struct Parents {
    made: Vec<PathBuf>,
    keep: bool,
}

impl Parents {
    /// Makes `dir` and every directory missing above it.
    pub(super) fn make(dir: &Path) -> Result<Parents, WriteError> {
        let mut parents = Parents {
            made: Vec::new(),
            keep: false,
        };
        for missing in missing_ancestors(dir)?.into_iter().rev() {
            match std::fs::create_dir(&missing) {
                Ok(()) => parents.made.push(missing),
                // Made by someone else meanwhile: usable, but not `init`'s to remove.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && missing.is_dir() => {}
                Err(source) => {
                    return Err(WriteError::Io {
                        path: missing,
                        source,
                    });
                }
            }
        }
        Ok(parents)
    }

    /// The integration is in place (or an earlier one is kept in the staging directory): the
    /// directories stay.
    pub(super) fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for Parents {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        for dir in self.made.iter().rev() {
            // Not empty means someone else uses it; it stays, and so does everything above it.
            if std::fs::remove_dir(dir).is_err() {
                return;
            }
        }
    }
}

/// `dir` and its ancestors that do not exist, innermost first; an ancestor that exists but is
/// no directory is an error, named.
fn missing_ancestors(dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut missing = Vec::new();
    for ancestor in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        match std::fs::symlink_metadata(ancestor) {
            // Below a file, nothing is there either; the walk goes on up to the file.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                missing.push(ancestor.to_path_buf());
            }
            Err(source) => {
                return Err(WriteError::Io {
                    path: ancestor.to_path_buf(),
                    source,
                });
            }
            // A link to a directory is a directory to write in, as it is for `mkdir -p`.
            Ok(_) if ancestor.is_dir() => break,
            Ok(_) => return Err(WriteError::NotADirectory(ancestor.to_path_buf())),
        }
    }
    Ok(missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_it_made_goes_again_unless_kept_and_only_while_empty() {
        let root = tempfile::tempdir().expect("temporary directory");
        let deep = root.path().join("a/b/c");
        drop(Parents::make(&deep).expect("made"));
        assert!(!root.path().join("a").exists());

        Parents::make(&deep).expect("made").keep();
        assert!(deep.is_dir());

        std::fs::remove_dir_all(root.path().join("a")).expect("clean");
        let parents = Parents::make(&deep).expect("made");
        std::fs::write(root.path().join("a/b/theirs"), "").expect("someone else's file");
        drop(parents);
        assert!(!deep.exists(), "the empty one goes");
        assert!(root.path().join("a/b/theirs").is_file(), "theirs stays");
    }

    #[test]
    fn a_file_in_the_way_is_named() {
        let root = tempfile::tempdir().expect("temporary directory");
        let file = root.path().join("notes");
        std::fs::write(&file, "").expect("a file");
        let Err(WriteError::NotADirectory(named)) = Parents::make(&file.join("x/y")) else {
            panic!("a file above the destination is refused");
        };
        assert_eq!(named, file);
    }
}

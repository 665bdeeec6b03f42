//! Writing into a directory that exists and was empty (`init .`): it is never renamed or
//! removed, since a shell may stand in it. Each file and folder is created only if its name is
//! free, and on failure exactly what was created is removed again.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{WriteError, claim_failed};
use crate::scaffold::files::PlannedFile;

/// Writes `files` into `dir`. Stops and rolls back when `cancel` is set between two files.
pub(super) fn fill_in_place(
    dir: &Path,
    files: &[PlannedFile],
    cancel: &AtomicBool,
) -> Result<(), WriteError> {
    let mut created = Created::default();
    for file in files {
        let step = if cancel.load(Ordering::SeqCst) {
            Err(WriteError::Cancelled)
        } else {
            created.file(dir, file)
        };
        if let Err(error) = step {
            return Err(created.roll_back(error));
        }
    }
    Ok(())
}

/// What this run created, in order, so that a failure removes that and nothing else.
#[derive(Default)]
struct Created {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Created {
    fn file(&mut self, root: &Path, file: &PlannedFile) -> Result<(), WriteError> {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            self.dirs_down_to(root, parent)?;
        }
        let mut handle = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|source| claim_failed(&path, source))?;
        self.files.push(path.clone());
        handle
            .write_all(file.contents.as_bytes())
            .map_err(|source| WriteError::Io { path, source })
    }

    /// Creates each folder between `root` and `dir` that this run has not created yet; one
    /// that exists already was made by someone else in the meantime.
    fn dirs_down_to(&mut self, root: &Path, dir: &Path) -> Result<(), WriteError> {
        let Ok(relative) = dir.strip_prefix(root) else {
            return Ok(());
        };
        let mut current = root.to_path_buf();
        for part in relative.components() {
            current.push(part);
            if self.dirs.contains(&current) {
                continue;
            }
            std::fs::create_dir(&current).map_err(|source| claim_failed(&current, source))?;
            self.dirs.push(current.clone());
        }
        Ok(())
    }

    /// Removes files before folders, newest first; a folder someone else has put something in
    /// is left, with what they put there.
    fn roll_back(self, cause: WriteError) -> WriteError {
        let mut left = Vec::new();
        for file in self.files.iter().rev() {
            if std::fs::remove_file(file).is_err() {
                left.push(file.clone());
            }
        }
        for dir in self.dirs.iter().rev() {
            if std::fs::remove_dir(dir).is_err() {
                left.push(dir.clone());
            }
        }
        if left.is_empty() {
            cause
        } else {
            WriteError::LeftBehind {
                cause: Box::new(cause),
                left,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(paths: &[&str]) -> Vec<PlannedFile> {
        paths
            .iter()
            .map(|path| PlannedFile {
                path: path.to_string(),
                contents: format!("ours: {path}"),
            })
            .collect()
    }

    use super::super::tests::names;

    #[cfg(unix)]
    #[test]
    fn an_empty_directory_is_filled_and_stays_the_same_directory() {
        use std::os::unix::fs::MetadataExt;
        let root = tempfile::tempdir().expect("temporary directory");
        let before = std::fs::metadata(root.path()).expect("metadata").ino();
        let files = planned(&["manifest.json", "assets/a.svg", "assets/b.svg"]);
        fill_in_place(root.path(), &files, &AtomicBool::new(false)).expect("filled");
        assert_eq!(
            std::fs::metadata(root.path()).expect("metadata").ino(),
            before
        );
        assert_eq!(names(root.path()), ["assets", "manifest.json"]);
        assert_eq!(
            std::fs::read_to_string(root.path().join("assets/b.svg")).expect("written"),
            "ours: assets/b.svg"
        );
    }

    #[test]
    fn a_file_made_in_between_stops_it_and_only_what_it_made_is_removed() {
        let root = tempfile::tempdir().expect("temporary directory");
        // Someone else's, created after the directory was found empty.
        std::fs::create_dir(root.path().join("templates")).expect("mkdir");
        std::fs::write(root.path().join("templates/flag.json.hbs"), "theirs").expect("write");
        std::fs::write(root.path().join("README.md"), "theirs").expect("write");
        let files = planned(&[
            "manifest.json",
            "assets/a.svg",
            "templates/flag.json.hbs",
            "README.md",
        ]);
        let error = fill_in_place(root.path(), &files, &AtomicBool::new(false))
            .expect_err("a name is taken");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: something else created it while ldhook was writing; ldhook removed what it had written and left the rest as it was",
                root.path().join("templates").display()
            )
        );
        assert_eq!(names(root.path()), ["README.md", "templates"]);
        assert_eq!(names(&root.path().join("templates")), ["flag.json.hbs"]);
        assert_eq!(
            std::fs::read_to_string(root.path().join("README.md")).expect("kept"),
            "theirs"
        );
    }

    #[test]
    fn a_folder_someone_else_fills_is_left_with_their_file() {
        let root = tempfile::tempdir().expect("temporary directory");
        let mut created = Created::default();
        created
            .file(root.path(), &planned(&["assets/a.svg"])[0])
            .expect("written");
        std::fs::write(root.path().join("assets/theirs.svg"), "theirs").expect("write");
        let error = created.roll_back(WriteError::Cancelled);
        let WriteError::LeftBehind { left, .. } = &error else {
            panic!("{error}");
        };
        assert_eq!(left, &[root.path().join("assets")]);
        assert_eq!(names(&root.path().join("assets")), ["theirs.svg"]);
    }

    #[test]
    fn an_interrupt_stops_it_before_the_next_file() {
        let root = tempfile::tempdir().expect("temporary directory");
        let error = fill_in_place(
            root.path(),
            &planned(&["manifest.json"]),
            &AtomicBool::new(true),
        )
        .expect_err("cancelled");
        assert!(matches!(error, WriteError::Cancelled), "{error}");
        assert!(names(root.path()).is_empty());
    }
}

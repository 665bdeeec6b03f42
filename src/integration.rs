//! An integration directory: its manifest (source, spans and typed model) and safe access to
//! the files the manifest names.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::framework::MANIFEST_FILE;
use crate::input::{self, InputError, Kind, Problem};
use crate::manifest::Document;
use crate::manifest::model::{Manifest, ModelError};
use crate::pending::Pending;

#[derive(Debug)]
pub struct Integration {
    pub dir: PathBuf,
    pub document: Document,
    pub manifest: Manifest,
    /// Texts read in place of the directory's files (`validate --fix` checking its edits).
    pub(crate) pending: Arc<Pending>,
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    #[error("{}: no such file or directory", .0.display())]
    NotFound(PathBuf),
    #[error("{}: no manifest.json in this directory", .0.display())]
    NoManifest(PathBuf),
    #[error("{}: {problem}", path.display())]
    Unusable { path: PathBuf, problem: Problem },
    #[error(transparent)]
    Read(#[from] InputError),
    #[error("{file}:{line}:{column}: the manifest is not valid JSON: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {source}")]
    Model { file: String, source: ModelError },
}

/// Why a file the manifest names cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileError {
    #[error(
        "`{0}` is an absolute path; paths in the manifest are relative to the integration directory"
    )]
    Absolute(String),
    #[error("`{0}` leaves the integration directory")]
    Escapes(String),
    #[error("`{0}` does not exist in the integration directory")]
    Missing(String),
    #[error("`{path}` cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
}

impl From<InputError> for FileError {
    fn from(error: InputError) -> Self {
        match error.problem {
            Problem::Absolute => FileError::Absolute(error.path),
            Problem::Escapes => FileError::Escapes(error.path),
            Problem::NotFound => FileError::Missing(error.path),
            problem => FileError::Unreadable {
                path: error.path,
                reason: problem.to_string(),
            },
        }
    }
}

impl Integration {
    /// Loads from an integration directory or its `manifest.json`.
    pub fn load(path: &Path) -> Result<Integration, IntegrationError> {
        let metadata = std::fs::metadata(path).map_err(|e| match input::problem_of(e) {
            Problem::NotFound => IntegrationError::NotFound(path.to_path_buf()),
            problem => IntegrationError::Unusable {
                path: path.to_path_buf(),
                problem,
            },
        })?;
        let (dir, manifest_path, bytes) = if metadata.is_dir() {
            let manifest = path.join(MANIFEST_FILE);
            let bytes =
                input::read_beneath(path, MANIFEST_FILE, Kind::Manifest).map_err(|error| {
                    match error.problem {
                        Problem::NotFound => IntegrationError::NoManifest(path.to_path_buf()),
                        problem => IntegrationError::Unusable {
                            path: manifest.clone(),
                            problem,
                        },
                    }
                })?;
            (path.to_path_buf(), manifest, bytes)
        } else {
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            };
            (dir, path.to_path_buf(), input::read(path, Kind::Manifest)?)
        };
        let name = manifest_path.display().to_string();
        let document = Document::parse(&name, &bytes).map_err(|syntax| {
            let at = syntax.position();
            IntegrationError::Syntax {
                file: name.clone(),
                line: at.line,
                column: at.column,
                message: syntax.error.message,
            }
        })?;
        let manifest = Manifest::from_value(&document.value)
            .map_err(|source| IntegrationError::Model { file: name, source })?;
        Ok(Integration {
            dir,
            document,
            manifest,
            pending: Arc::default(),
        })
    }

    /// An integration whose manifest was already read (by `validate`, from a file or stdin).
    pub(crate) fn from_document(
        dir: PathBuf,
        document: Document,
        pending: Arc<Pending>,
    ) -> Result<Integration, ModelError> {
        let manifest = Manifest::from_value(&document.value)?;
        Ok(Integration {
            dir,
            document,
            manifest,
            pending,
        })
    }

    /// The directory's name, which is the integration's key in the framework.
    pub fn key(&self) -> String {
        key_of(&self.dir)
    }

    /// Reads a template the manifest names, beneath the directory, as UTF-8 text.
    pub(crate) fn read_template(&self, relative: &str) -> Result<String, FileError> {
        let bytes = self.read_bytes(relative, Kind::Template)?;
        let text = input::decode_utf8(relative, &bytes)?;
        Ok(text.to_string())
    }

    /// A file of the directory, beneath it, or the text pending for it.
    pub(crate) fn read_bytes(&self, relative: &str, kind: Kind) -> Result<Vec<u8>, FileError> {
        if let Some(text) = self.pending.get(&self.dir.join(relative)) {
            return Ok(text.as_bytes().to_vec());
        }
        Ok(input::read_beneath(&self.dir, relative, kind)?)
    }

    /// A file of the integration as messages name it: its directory joined with the path the
    /// manifest gives.
    pub fn shown_path(&self, relative: &str) -> String {
        let shown = self.dir.join(relative).display().to_string();
        // As the manifest's own name is shown: `validate .` names `integrations/x/…`.
        match shown.strip_prefix("./") {
            Some(rest) => rest.to_string(),
            None => shown,
        }
    }

    /// The head of an icon the manifest names, enough to tell what kind of file it is.
    pub(crate) fn icon_head(&self, relative: &str) -> Result<input::Head, FileError> {
        Ok(input::head_beneath(&self.dir, relative, Kind::Icon)?)
    }
}

/// The key of the integration in `dir`: the directory's name, as the framework has it.
pub(crate) fn key_of(dir: &Path) -> String {
    std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integration(dir: &Path) -> Integration {
        std::fs::write(dir.join("manifest.json"), r#"{"name": "X"}"#).expect("manifest");
        Integration::load(dir).expect("loads")
    }

    #[test]
    fn reads_files_inside_the_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("templates")).expect("mkdir");
        std::fs::write(dir.path().join("templates/a.hbs"), "hi").expect("write");
        let integration = integration(dir.path());
        assert_eq!(
            integration.read_template("templates/a.hbs").as_deref(),
            Ok("hi")
        );
        assert_eq!(
            integration.read_template("./templates/a.hbs").as_deref(),
            Ok("hi")
        );
        assert!(matches!(
            integration.read_template("templates/b.hbs"),
            Err(FileError::Missing(_))
        ));
    }

    #[test]
    fn refuses_paths_that_leave_the_directory() {
        let outer = tempfile::tempdir().expect("temp dir");
        let dir = outer.path().join("integration");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(outer.path().join("secret.txt"), "s").expect("write");
        let integration = integration(&dir);
        assert!(matches!(
            integration.read_template("../secret.txt"),
            Err(FileError::Escapes(_))
        ));
        assert!(matches!(
            integration.read_template("/etc/passwd"),
            Err(FileError::Absolute(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.txt"), dir.join("link.hbs"))
                .expect("symlink");
            assert!(matches!(
                integration.read_template("link.hbs"),
                Err(FileError::Escapes(_))
            ));
        }
        std::fs::write(dir.join("latin1.hbs"), b"caf\xe9").expect("write");
        assert_eq!(
            integration.read_template("latin1.hbs"),
            Err(FileError::Unreadable {
                path: "latin1.hbs".to_string(),
                reason: "is not valid UTF-8: byte 0xE9 at line 1, column 4".to_string()
            })
        );
    }

    #[test]
    fn names_a_missing_manifest() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            Integration::load(dir.path()),
            Err(IntegrationError::NoManifest(_))
        ));
    }
}

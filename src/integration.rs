//! An integration directory: its manifest (source, spans and typed model) and safe access to
//! the files the manifest names.

use std::path::{Component, Path, PathBuf};

use crate::framework::MANIFEST_FILE;
use crate::manifest::Document;
use crate::manifest::model::{Manifest, ModelError};

#[derive(Debug)]
pub struct Integration {
    pub dir: PathBuf,
    pub document: Document,
    pub manifest: Manifest,
}

#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    #[error("{}: no such file or directory", .0.display())]
    NotFound(PathBuf),
    #[error("{}: no manifest.json in this directory", .0.display())]
    NoManifest(PathBuf),
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
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

impl Integration {
    /// Loads from an integration directory or its `manifest.json`.
    pub fn load(path: &Path) -> Result<Integration, IntegrationError> {
        if !path.exists() {
            return Err(IntegrationError::NotFound(path.to_path_buf()));
        }
        let (dir, manifest_path) = if path.is_dir() {
            let manifest = path.join(MANIFEST_FILE);
            if !manifest.is_file() {
                return Err(IntegrationError::NoManifest(path.to_path_buf()));
            }
            (path.to_path_buf(), manifest)
        } else {
            let dir = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            (dir, path.to_path_buf())
        };
        let bytes = std::fs::read(&manifest_path).map_err(|source| IntegrationError::Read {
            path: manifest_path.clone(),
            source,
        })?;
        let name = manifest_path.display().to_string();
        let document = Document::parse(&name, &bytes).map_err(|finding| {
            let at = finding.location().map(|l| l.start);
            IntegrationError::Syntax {
                file: name.clone(),
                line: at.map_or(1, |p| p.line),
                column: at.map_or(1, |p| p.column),
                message: finding.message,
            }
        })?;
        let manifest = Manifest::from_value(&document.value)
            .map_err(|source| IntegrationError::Model { file: name, source })?;
        Ok(Integration {
            dir,
            document,
            manifest,
        })
    }

    /// An integration whose manifest was already read (by `validate`, from a file or stdin).
    pub fn from_document(dir: PathBuf, document: Document) -> Result<Integration, ModelError> {
        let manifest = Manifest::from_value(&document.value)?;
        Ok(Integration {
            dir,
            document,
            manifest,
        })
    }

    /// The directory's name, which is the integration's key in the framework.
    pub fn key(&self) -> String {
        std::path::absolute(&self.dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default()
    }

    /// Reads a file the manifest names, refusing any path that leads outside the directory,
    /// whether by `..`, by an absolute path or through a symbolic link.
    pub fn read_file(&self, relative: &str) -> Result<String, FileError> {
        let path = self.resolve(relative)?;
        let bytes = std::fs::read(&path).map_err(|e| FileError::Unreadable {
            path: relative.to_string(),
            reason: e.to_string(),
        })?;
        String::from_utf8(bytes).map_err(|e| FileError::Unreadable {
            path: relative.to_string(),
            reason: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        })
    }

    pub fn resolve(&self, relative: &str) -> Result<PathBuf, FileError> {
        let given = Path::new(relative);
        if given.is_absolute() || relative.starts_with('/') || relative.starts_with('\\') {
            return Err(FileError::Absolute(relative.to_string()));
        }
        if given
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
        {
            return Err(FileError::Escapes(relative.to_string()));
        }
        let path = self.dir.join(given);
        if !path.exists() {
            return Err(FileError::Missing(relative.to_string()));
        }
        let root = self.dir.canonicalize().map_err(|e| FileError::Unreadable {
            path: self.dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let real = path.canonicalize().map_err(|e| FileError::Unreadable {
            path: relative.to_string(),
            reason: e.to_string(),
        })?;
        if !real.starts_with(&root) {
            return Err(FileError::Escapes(relative.to_string()));
        }
        Ok(path)
    }
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
            integration.read_file("templates/a.hbs").as_deref(),
            Ok("hi")
        );
        assert_eq!(
            integration.read_file("./templates/a.hbs").as_deref(),
            Ok("hi")
        );
        assert!(matches!(
            integration.read_file("templates/b.hbs"),
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
            integration.read_file("../secret.txt"),
            Err(FileError::Escapes(_))
        ));
        assert!(matches!(
            integration.read_file("/etc/passwd"),
            Err(FileError::Absolute(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.txt"), dir.join("link.hbs"))
                .expect("symlink");
            assert!(matches!(
                integration.read_file("link.hbs"),
                Err(FileError::Escapes(_))
            ));
        }
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

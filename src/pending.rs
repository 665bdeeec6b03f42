//! Texts a run reads in place of files on disk: what `validate --fix` would write, validated
//! before a byte of it is. Keyed by the file's directory with links and `..` resolved, so that
//! every spelling of a file's path (`../shared/x`, `/work/shared/x`) finds the same entry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
pub struct Pending {
    texts: HashMap<PathBuf, Arc<str>>,
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// `path`'s text from now on, whatever the disk holds.
    pub fn set(&mut self, path: &Path, text: impl Into<Arc<str>>) {
        self.texts.insert(key(path), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        if self.texts.is_empty() {
            return None;
        }
        self.texts.get(&key(path))
    }

    /// The spelling of `path` this map keeps it under: its directory resolved.
    pub fn resolved(path: &Path) -> PathBuf {
        key(path)
    }

    /// Each file and the text it would have, in path order.
    pub fn files(&self) -> Vec<(&Path, &Arc<str>)> {
        let mut files: Vec<_> = self
            .texts
            .iter()
            .map(|(path, text)| (path.as_path(), text))
            .collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        files
    }
}

fn key(path: &Path) -> PathBuf {
    let resolved = match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir).ok().map(|dir| dir.join(name))
        }
        _ => None,
    };
    resolved
        .or_else(|| std::path::absolute(path).ok())
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_path_finds_its_text() {
        let mut pending = Pending::default();
        pending.set(Path::new("integrations/x/./manifest.json"), "{}");
        assert_eq!(
            pending
                .get(Path::new("integrations/x/manifest.json"))
                .map(AsRef::as_ref),
            Some("{}")
        );
        assert!(
            pending
                .get(Path::new("integrations/y/manifest.json"))
                .is_none()
        );
    }
}

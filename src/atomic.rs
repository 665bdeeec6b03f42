//! The one way ldhook rewrites a file that exists (`fmt`, `validate --fix`): the new text is
//! staged beside the file and renamed over it, so that a reader sees the old text or the new,
//! never part of one, and a failure leaves the old text in place.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file's new text, written beside it with its permissions and not yet in its place; dropped
/// without [`Staged::commit`], it is removed.
pub(crate) struct Staged {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

/// Writes `text` beside `path`, synced, with `path`'s permissions.
pub(crate) fn stage(path: &Path, text: &str) -> std::io::Result<Staged> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    std::fs::set_permissions(file.path(), permissions)?;
    Ok(Staged {
        file,
        path: path.to_path_buf(),
    })
}

impl Staged {
    /// Renames the staged text over the file.
    pub(crate) fn commit(self) -> std::io::Result<()> {
        self.file.persist(&self.path).map_err(|error| error.error)?;
        Ok(())
    }
}

/// Stages and renames in one step, for a single file.
pub(crate) fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    stage(path, text)?.commit()
}

/// Writes a new file whose name is not taken, by the same staging: the bytes are staged in
/// `dir`, synced, given `mode` on Unix, and renamed into place only if `path` does not exist
/// yet (an `AlreadyExists` error otherwise, the staged file removed).
pub(crate) fn create_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    file.as_file().sync_all()?;
    file.persist_noclobber(path).map_err(|error| error.error)?;
    Ok(())
}

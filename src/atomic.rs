//! The one way ldhook rewrites a file that exists (`fmt`, `validate --fix`): the new text is
//! staged beside the file and renamed over it, so that a reader sees the old text or the new,
//! never part of one, and a failure leaves the old text in place.

use std::io::Write;
use std::path::Path;

/// Staged beside the file and renamed over it, so that a reader sees the old text or the new,
/// never part of one; the file keeps its permissions. A failed stage is removed.
pub(crate) fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut staged = tempfile::NamedTempFile::new_in(dir)?;
    staged.write_all(text.as_bytes())?;
    staged.as_file().sync_all()?;
    std::fs::set_permissions(staged.path(), permissions)?;
    staged.persist(path).map_err(|error| error.error)?;
    Ok(())
}

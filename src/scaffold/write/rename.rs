//! Moving a directory to a name that must still be free: the check and the move are one step,
//! so a directory that appears there meanwhile is never replaced.

use std::io;
use std::path::Path;

/// Renames `from` to `to` unless `to` exists, in which case it fails with
/// [`io::ErrorKind::AlreadyExists`] and changes nothing.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub(super) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // Some file systems (and kernels before 3.15) do not know the flag.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => {
            rename_into_reserved(from, to)
        }
        Err(errno) => Err(errno.into()),
    }
}

/// Unverified: no such platform can be built here.
#[cfg(all(
    unix,
    not(any(target_os = "linux", target_os = "android", target_vendor = "apple"))
))]
pub(crate) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    rename_into_reserved(from, to)
}

/// Unverified: no such platform can be built here. Windows refuses to rename onto an existing
/// directory, which is the failure wanted.
#[cfg(not(unix))]
pub(crate) fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    std::fs::rename(from, to)
}

/// Without an atomic no-replace rename: `mkdir` claims the name (it fails if anything holds
/// it), and POSIX `rename` then replaces that directory only while it is still empty, so at
/// worst an empty directory someone made in between is replaced, never content.
#[cfg_attr(not(unix), allow(dead_code))]
pub(super) fn rename_into_reserved(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir(to)?;
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(error) => {
            // Removes the claim only if it is still empty; anything put in it stays.
            let _ = std::fs::remove_dir(to);
            if matches!(
                error.kind(),
                io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
            ) {
                Err(io::ErrorKind::AlreadyExists.into())
            } else {
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(root: &Path) -> std::path::PathBuf {
        let from = root.join("staged");
        std::fs::create_dir(&from).expect("mkdir");
        std::fs::write(from.join("manifest.json"), "new").expect("write");
        from
    }

    /// The destination as another process would have made it while init was validating.
    fn occupied(root: &Path, empty: bool) -> std::path::PathBuf {
        let to = root.join("dest");
        std::fs::create_dir(&to).expect("mkdir");
        if !empty {
            std::fs::write(to.join("theirs.txt"), "theirs").expect("write");
        }
        to
    }

    fn assert_untouched(from: &Path, to: &Path, empty: bool) {
        assert_eq!(
            std::fs::read_to_string(from.join("manifest.json")).expect("still staged"),
            "new"
        );
        assert!(!to.join("manifest.json").exists());
        if !empty {
            assert_eq!(
                std::fs::read_to_string(to.join("theirs.txt")).expect("kept"),
                "theirs"
            );
        }
    }

    #[test]
    fn a_free_name_is_taken() {
        for rename in [rename_no_replace, rename_into_reserved] {
            let root = tempfile::tempdir().expect("temporary directory");
            let from = staged(root.path());
            let to = root.path().join("dest");
            rename(&from, &to).expect("renamed");
            assert!(!from.exists());
            assert_eq!(
                std::fs::read_to_string(to.join("manifest.json")).expect("moved"),
                "new"
            );
        }
    }

    #[test]
    fn a_directory_made_in_between_is_never_replaced() {
        for rename in [rename_no_replace, rename_into_reserved] {
            for empty in [true, false] {
                let root = tempfile::tempdir().expect("temporary directory");
                let from = staged(root.path());
                let to = occupied(root.path(), empty);
                let error = rename(&from, &to).expect_err("the name is taken");
                assert_eq!(error.kind(), io::ErrorKind::AlreadyExists, "{error}");
                assert_untouched(&from, &to, empty);
                assert!(to.is_dir(), "their directory is still there");
            }
        }
    }
}

//! `--force`: replacing an earlier integration directory, and nothing else. The directory must
//! look like what `init` writes (a `manifest.json`, a `README.md`, `assets/`, `templates/`),
//! and must not be where the user stands or above it, a framework checkout's root, or a
//! repository. It is checked again after it is moved aside, since it may have changed since.

use std::path::Path;

use super::rename::rename_no_replace;
use super::{WriteError, claim_failed};
use crate::framework::{Framework, MANIFEST_FILE};

/// The entries of an integration directory; `assets/` and `templates/` may hold anything.
const FILES: &[&str] = &[MANIFEST_FILE, "README.md"];
const FOLDERS: &[&str] = &["assets", "templates"];

/// Why `--force` leaves a directory alone.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("it is the current directory")]
    CurrentDirectory,
    #[error("it holds the current directory")]
    HoldsCurrentDirectory,
    #[error("it is the root of a framework checkout")]
    FrameworkRoot,
    #[error("it holds .git")]
    Repository,
    #[error("it has no {MANIFEST_FILE}, so it is not an integration")]
    NoManifest,
    #[error(
        "besides what ldhook writes it holds {}; move {} out first",
        .0.join(", "),
        if .0.len() == 1 { "it" } else { "them" }
    )]
    Unrelated(Vec<String>),
}

/// Checks that `dest` may be replaced, before anything is written; `cwd` is where the user
/// stands. Returns the entries that replacing it would remove.
pub(super) fn check_replaceable(
    dest: &Path,
    cwd: Option<&Path>,
) -> Result<Vec<String>, WriteError> {
    let real = std::fs::canonicalize(dest).map_err(|source| WriteError::Io {
        path: dest.to_path_buf(),
        source,
    })?;
    if let Some(cwd) = cwd.and_then(|cwd| std::fs::canonicalize(cwd).ok()) {
        if cwd == real {
            return Err(refuse(dest, Refusal::CurrentDirectory));
        }
        if cwd.starts_with(&real) {
            return Err(refuse(dest, Refusal::HoldsCurrentDirectory));
        }
    }
    integration_entries(dest, dest)
}

fn refuse(dest: &Path, reason: Refusal) -> WriteError {
    WriteError::WontReplace {
        dir: dest.to_path_buf(),
        reason,
    }
}

/// What [`list`] finds under `dir`, sorted, if `dir` is an integration
/// directory; refusals name `dest`, where the user knows it.
fn integration_entries(dir: &Path, dest: &Path) -> Result<Vec<String>, WriteError> {
    if Framework::is_root(dir) {
        return Err(refuse(dest, Refusal::FrameworkRoot));
    }
    let top = entries(dir)?;
    if top.iter().any(|(name, _)| name == ".git") {
        return Err(refuse(dest, Refusal::Repository));
    }
    if !top
        .iter()
        .any(|(name, kind)| name == MANIFEST_FILE && *kind == Kind::File)
    {
        return Err(refuse(dest, Refusal::NoManifest));
    }
    let unrelated: Vec<String> = top
        .iter()
        .filter(|(name, kind)| !belongs(name, *kind))
        .map(|(name, kind)| kind.label(name))
        .collect();
    if !unrelated.is_empty() {
        return Err(refuse(dest, Refusal::Unrelated(unrelated)));
    }
    let mut all = Vec::new();
    list(dir, "", &mut all)?;
    all.sort();
    Ok(all)
}

fn belongs(name: &str, kind: Kind) -> bool {
    match kind {
        Kind::File => FILES.contains(&name),
        Kind::Folder => FOLDERS.contains(&name),
        Kind::Other => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
    /// A symbolic link or anything else that is neither: never followed, never expected.
    Other,
}

impl Kind {
    fn label(self, name: &str) -> String {
        match self {
            Kind::Folder => format!("{name}/"),
            Kind::File | Kind::Other => name.to_string(),
        }
    }
}

fn entries(dir: &Path) -> Result<Vec<(String, Kind)>, WriteError> {
    let io = |source| WriteError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let kind = match entry.file_type().map_err(io)? {
            t if t.is_file() => Kind::File,
            t if t.is_dir() => Kind::Folder,
            _ => Kind::Other,
        };
        found.push((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

/// Every file under `dir`, and each folder that holds none (one that does is implied).
fn list(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), WriteError> {
    for (name, kind) in entries(dir)? {
        let relative = format!("{prefix}{}", kind.label(&name));
        let before = out.len();
        if kind == Kind::Folder {
            list(&dir.join(&name), &relative, out)?;
        }
        if kind != Kind::Folder || out.len() == before {
            out.push(relative);
        }
    }
    Ok(())
}

/// Puts `staged` in place of the integration at `dest`: the old directory is moved to `aside`,
/// checked again there, and only then is `staged` moved in. On any failure the old directory
/// goes back. Returns what the old directory held, which goes when `aside` is removed.
pub(super) fn swap(staged: &Path, dest: &Path, aside: &Path) -> Result<Vec<String>, WriteError> {
    rename_no_replace(dest, aside).map_err(|source| WriteError::Io {
        path: dest.to_path_buf(),
        source,
    })?;
    let removed = match integration_entries(aside, dest) {
        Ok(removed) => removed,
        Err(error) => return Err(put_back(aside, dest, error)),
    };
    if let Err(source) = rename_no_replace(staged, dest) {
        return Err(put_back(aside, dest, claim_failed(dest, source)));
    }
    Ok(removed)
}

/// Moves the old directory back; if its place has been taken, it stays at `aside`, which the
/// caller must then keep.
fn put_back(aside: &Path, dest: &Path, cause: WriteError) -> WriteError {
    match rename_no_replace(aside, dest) {
        Ok(()) => cause,
        Err(_) => WriteError::Stranded {
            dest: dest.to_path_buf(),
            kept: aside.to_path_buf(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn integration(root: &Path) -> PathBuf {
        let dir = root.join("acme");
        std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
        std::fs::create_dir_all(dir.join("assets")).expect("mkdir");
        std::fs::write(dir.join("manifest.json"), "old").expect("write");
        std::fs::write(dir.join("README.md"), "old").expect("write");
        std::fs::write(dir.join("templates/flag.json.hbs"), "old").expect("write");
        dir
    }

    fn staged(root: &Path) -> PathBuf {
        let dir = root.join("staged");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(dir.join("manifest.json"), "new").expect("write");
        dir
    }

    #[test]
    fn an_integration_may_be_replaced_and_its_entries_are_listed() {
        let root = tempfile::tempdir().expect("temporary directory");
        let dest = integration(root.path());
        let entries = check_replaceable(&dest, Some(root.path())).expect("replaceable");
        assert_eq!(
            entries,
            [
                "README.md",
                "assets/",
                "manifest.json",
                "templates/flag.json.hbs"
            ]
        );
    }

    #[test]
    fn what_is_not_an_integration_is_refused_with_the_reason() {
        let root = tempfile::tempdir().expect("temporary directory");
        let dest = integration(root.path());
        let reason = |cwd: &Path| {
            check_replaceable(&dest, Some(cwd))
                .expect_err("refused")
                .to_string()
        };
        let shown = dest.display();
        assert_eq!(
            reason(&dest),
            format!("{shown}: --force will not replace it: it is the current directory")
        );
        assert_eq!(
            reason(&dest.join("templates")),
            format!("{shown}: --force will not replace it: it holds the current directory")
        );
        std::fs::write(dest.join("notes.txt"), "mine").expect("write");
        std::fs::create_dir(dest.join("build")).expect("mkdir");
        assert_eq!(
            reason(root.path()),
            format!(
                "{shown}: --force will not replace it: besides what ldhook writes it holds build/, notes.txt; move them out first"
            )
        );
        std::fs::create_dir(dest.join(".git")).expect("mkdir");
        assert_eq!(
            reason(root.path()),
            format!("{shown}: --force will not replace it: it holds .git")
        );
        std::fs::create_dir(dest.join("integrations")).expect("mkdir");
        std::fs::write(dest.join("manifest.schema.json"), "{}").expect("write");
        assert_eq!(
            reason(root.path()),
            format!("{shown}: --force will not replace it: it is the root of a framework checkout")
        );
        let bare = root.path().join("bare");
        std::fs::create_dir_all(bare.join("templates")).expect("mkdir");
        assert_eq!(
            check_replaceable(&bare, Some(root.path()))
                .expect_err("refused")
                .to_string(),
            format!(
                "{}: --force will not replace it: it has no manifest.json, so it is not an integration",
                bare.display()
            )
        );
    }

    #[test]
    fn a_swap_replaces_and_returns_what_went() {
        let root = tempfile::tempdir().expect("temporary directory");
        let dest = integration(root.path());
        let staged = staged(root.path());
        let aside = root.path().join("aside");
        let removed = swap(&staged, &dest, &aside).expect("swapped");
        assert_eq!(removed.len(), 4);
        assert_eq!(
            std::fs::read_to_string(dest.join("manifest.json")).expect("new"),
            "new"
        );
        assert!(!dest.join("README.md").exists());
        assert!(aside.join("README.md").is_file(), "the caller removes it");
    }

    #[test]
    fn a_file_added_after_the_check_makes_the_swap_put_everything_back() {
        let root = tempfile::tempdir().expect("temporary directory");
        let dest = integration(root.path());
        check_replaceable(&dest, Some(root.path())).expect("replaceable at first");
        std::fs::write(dest.join("notes.txt"), "mine").expect("write");
        let staged = staged(root.path());
        let aside = root.path().join("aside");
        let error = swap(&staged, &dest, &aside).expect_err("refused");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: --force will not replace it: besides what ldhook writes it holds notes.txt; move it out first",
                dest.display()
            )
        );
        assert!(!aside.exists());
        assert_eq!(
            std::fs::read_to_string(dest.join("notes.txt")).expect("kept"),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(dest.join("manifest.json")).expect("kept"),
            "old"
        );
        assert!(staged.join("manifest.json").is_file());
    }
}

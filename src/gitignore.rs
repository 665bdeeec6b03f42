//! Which entries of a directory its git repository ignores, as `git status` would: every
//! `.gitignore` from the directory up to the repository's root, a deeper file overriding a
//! shallower one, then the repository's `.git/info/exclude`. Global git configuration is not
//! read: a run must not depend on who runs it.
//!
//! The patterns are matched by the `ignore` crate (ripgrep's), which implements git's rules
//! (negation, anchoring, `**`, directory-only patterns); the files are read through
//! [`crate::input`] like every other file.

use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::input::{self, InputError, Kind};

const IGNORE_FILE: &str = ".gitignore";
const GIT_DIR: &str = ".git";

/// The rules for the entries of one directory, deepest first.
#[derive(Debug, Default)]
pub(crate) struct IgnoreRules {
    /// The directory as matched: canonical, so that its ancestors are the real ones.
    dir: PathBuf,
    matchers: Vec<Gitignore>,
}

impl IgnoreRules {
    /// The rules that apply to the entries of `dir`. Outside a git repository git ignores
    /// nothing, and neither does this.
    pub(crate) fn for_entries_of(dir: &Path) -> Result<IgnoreRules, InputError> {
        let Ok(dir) = std::fs::canonicalize(dir) else {
            return Ok(IgnoreRules::default());
        };
        // Found first, so that no ignore file outside the repository is read.
        let Some(repository) = dir
            .ancestors()
            .find(|a| std::fs::symlink_metadata(a.join(GIT_DIR)).is_ok())
            .map(Path::to_path_buf)
        else {
            return Ok(IgnoreRules::default());
        };
        let mut matchers = Vec::new();
        for ancestor in dir.ancestors() {
            if let Some(matcher) = matcher(ancestor, &ancestor.join(IGNORE_FILE))? {
                matchers.push(matcher);
            }
            if ancestor == repository.as_path() {
                break;
            }
        }
        // A linked worktree's `.git` is a file, and its exclude file is elsewhere: left out.
        let git = repository.join(GIT_DIR);
        if git.is_dir()
            && let Some(matcher) = matcher(&repository, &git.join("info").join("exclude"))?
        {
            matchers.push(matcher);
        }
        Ok(IgnoreRules { dir, matchers })
    }

    /// Whether the entry `name` of the directory is ignored.
    pub(crate) fn ignores_entry(&self, name: &std::ffi::OsStr, is_dir: bool) -> bool {
        self.ignores(&self.dir.join(name), is_dir)
    }

    /// Whether the directory itself is ignored by the rules of its parents (its own
    /// `.gitignore` speaks only of what it holds).
    pub(crate) fn ignores_itself(&self) -> bool {
        self.ignores(&self.dir, true)
    }

    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        for matcher in &self.matchers {
            if matcher.path() == path {
                continue;
            }
            match matcher.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

/// The patterns of one ignore file, whose paths are relative to `root`; none when it does not
/// exist. A line that is not a valid pattern matches nothing, as in git.
pub(crate) fn matcher(root: &Path, file: &Path) -> Result<Option<Gitignore>, InputError> {
    if std::fs::symlink_metadata(file).is_err() {
        return Ok(None);
    }
    let name = file.display().to_string();
    let bytes = input::read(file, Kind::IgnoreFile)?;
    let text = input::decode_utf8(&name, &bytes)?;
    let mut builder = GitignoreBuilder::new(root);
    for line in text.lines() {
        let _invalid_pattern = builder.add_line(Some(file.to_path_buf()), line);
    }
    Ok(builder.build().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join(".git/info")).expect(".git");
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, text).expect("write");
        }
        dir
    }

    fn ignored(rules: &IgnoreRules, name: &str) -> bool {
        rules.ignores_entry(std::ffi::OsStr::new(name), true)
    }

    #[test]
    fn a_deeper_file_overrides_a_shallower_one_and_exclude_comes_last() {
        let dir = repo(&[
            (".gitignore", "scratch-*/\nkept\n"),
            ("integrations/.gitignore", "!scratch-kept/\nlocal/\n"),
            (".git/info/exclude", "mine\nkept\n"),
        ]);
        let rules = IgnoreRules::for_entries_of(&dir.path().join("integrations")).expect("rules");
        assert!(ignored(&rules, "scratch-one"));
        assert!(!ignored(&rules, "scratch-kept"), "re-included deeper down");
        assert!(ignored(&rules, "local"));
        assert!(ignored(&rules, "mine"), "from .git/info/exclude");
        assert!(ignored(&rules, "kept"));
        assert!(!ignored(&rules, "pulseboard"));
        assert!(!rules.ignores_itself());
    }

    #[test]
    fn a_directory_ignored_by_its_parent_is_seen_as_ignored() {
        let dir = repo(&[(".gitignore", "/integrations/\n")]);
        fs::create_dir_all(dir.path().join("integrations")).expect("mkdir");
        let rules = IgnoreRules::for_entries_of(&dir.path().join("integrations")).expect("rules");
        assert!(rules.ignores_itself());
    }

    #[test]
    fn outside_a_repository_nothing_is_ignored_or_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(".gitignore"), b"*\n\xff").expect("write");
        let rules = IgnoreRules::for_entries_of(dir.path()).expect("rules");
        assert!(!ignored(&rules, "anything"));
    }

    #[test]
    fn an_unreadable_ignore_file_is_an_error_naming_it() {
        let dir = repo(&[(".gitignore", "a\n\u{0}")]);
        fs::write(dir.path().join(".gitignore"), b"a\n\xff\n").expect("write");
        let error = IgnoreRules::for_entries_of(dir.path()).expect_err("not UTF-8");
        assert!(
            error
                .to_string()
                .ends_with(".gitignore:2:1: not valid UTF-8 text (byte 0xFF)")
        );
    }
}

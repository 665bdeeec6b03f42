//! Where the files a report names sit on disk, and the repository they belong to: what SARIF
//! needs to give every file a URI relative to the repository root. This is the only
//! filesystem work behind any output format; renderers read the result from the `Report`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Places};
use crate::framework::Framework;
use crate::input;

/// The places of every file the findings name (standard input without a name has none), and
/// the root they are reported against: the nearest directory holding `.git` above the current
/// directory, else above a file; else the framework checkout holding either; else the current
/// directory.
pub(crate) fn places(diagnostics: &[Diagnostic]) -> Places {
    let cwd = std::env::current_dir().ok();
    let names: BTreeSet<&str> = diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(d.file.name()).chain(
                d.related
                    .iter()
                    .filter_map(|r| r.file.as_ref().map(|file| file.name())),
            )
        })
        .filter(|name| *name != input::STDIN)
        .collect();
    let absolute: BTreeMap<String, PathBuf> = names
        .into_iter()
        .filter_map(|name| Some((name.to_string(), absolute(cwd.as_deref(), name)?)))
        .collect();
    let mut starts: Vec<&Path> = cwd.iter().map(PathBuf::as_path).collect();
    let mut files: Vec<&PathBuf> = absolute.values().collect();
    files.sort();
    starts.extend(files.iter().filter_map(|file| file.parent()));
    Places {
        root: repository_root(&starts)
            .or_else(|| framework_root(&starts))
            .or(cwd),
        absolute,
    }
}

fn repository_root(starts: &[&Path]) -> Option<PathBuf> {
    starts.iter().find_map(|start| {
        start
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .map(Path::to_path_buf)
    })
}

fn framework_root(starts: &[&Path]) -> Option<PathBuf> {
    starts
        .iter()
        .find_map(|start| Framework::discover(start).map(|checkout| checkout.root().to_path_buf()))
}

/// A file name as findings give it, made absolute against the current directory, with `.` and
/// `..` taken away as a URI would (lexically: the name was read through that path, so it
/// exists).
fn absolute(cwd: Option<&Path>, name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd?.join(path)
    };
    Some(normalized(&joined))
}

fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_absolute_lexically() {
        let cwd = Path::new("/work/repo/sub");
        assert_eq!(
            absolute(Some(cwd), "../integrations/./a/manifest.json"),
            Some(PathBuf::from("/work/repo/integrations/a/manifest.json"))
        );
        assert_eq!(
            absolute(None, "/abs/m.json"),
            Some(PathBuf::from("/abs/m.json"))
        );
        assert_eq!(absolute(None, "m.json"), None);
    }
}

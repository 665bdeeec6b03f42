//! What a path named to `validate` stands for. pre-commit names the files a commit changes, so
//! any file of an integration stands for its integration, a file every integration is checked
//! with (the schema, `schemas/`, `sample-context/`) for the whole checkout, and another file of
//! a checkout for nothing. A directory stands for its integration, a checkout, or the
//! integrations it holds.
//!
//! The integration a file belongs to is the nearest directory above it holding
//! `manifest.json`, looked for no higher than the checkout's root or, outside a checkout, the
//! root of the file's git repository: one rule for `integrations/<key>/templates/x.hbs` and
//! for a template of an integration kept on its own.

use std::path::{Component, Path, PathBuf};

use super::ValidateError;
use crate::framework::{self, Checkouts, Framework, INTEGRATIONS_DIR, MANIFEST_FILE};
use crate::gitignore::IgnoreRules;
use crate::input::{self, Problem};

/// A path, resolved.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Named {
    /// A file read as a manifest, where the path points.
    Manifest(PathBuf),
    /// An integration directory, whose `manifest.json` is read beneath it.
    Integration(PathBuf),
    /// The manifests of several integrations: a checkout's, or a directory's of integrations.
    Integrations(Vec<PathBuf>),
    /// A file of a checkout that belongs to no integration: nothing checks it.
    Skipped(PathBuf),
}

/// What `path` stands for. Each refusal says what the path actually is.
pub(super) fn resolve(path: &Path, checkouts: &mut Checkouts) -> Result<Named, ValidateError> {
    let metadata = std::fs::metadata(path).map_err(|e| unusable(path, e))?;
    if let Some(what) = input::special_kind(metadata.file_type()) {
        return Err(ValidateError::Special {
            path: path.to_path_buf(),
            what,
        });
    }
    let walk = Walk::new(path);
    if metadata.is_file() {
        file(path, &walk, checkouts)
    } else {
        directory(path, &walk, checkouts)
    }
}

fn file(path: &Path, walk: &Walk, checkouts: &mut Checkouts) -> Result<Named, ValidateError> {
    if path.file_name().is_some_and(|name| name == MANIFEST_FILE) {
        return Ok(Named::Manifest(path.to_path_buf()));
    }
    let parent = walk.absolute.parent().unwrap_or(&walk.absolute);
    let Some(checkout) = checkouts.of_dir(parent) else {
        return Ok(walk
            .integration(None)
            .map_or_else(|| Named::Manifest(path.to_path_buf()), Named::Integration));
    };
    let relative = walk.below(checkout.root());
    if Framework::checks_every_integration(relative) {
        return whole_checkout(&walk.up(depth(relative)));
    }
    if let Some(integration) = walk.integration(Some(checkout.root())) {
        return Ok(Named::Integration(integration));
    }
    // Under `integrations/<key>/` but with no manifest there: the integration is broken, not
    // unrelated to the file.
    let mut components = relative.components();
    if components
        .next()
        .is_some_and(|c| c.as_os_str() == INTEGRATIONS_DIR)
        && components.count() >= 2
    {
        return Err(ValidateError::NoIntegrationManifest {
            file: path.to_path_buf(),
            integration: walk.up(depth(relative).saturating_sub(2)),
        });
    }
    Ok(Named::Skipped(path.to_path_buf()))
}

fn directory(path: &Path, walk: &Walk, checkouts: &mut Checkouts) -> Result<Named, ValidateError> {
    let manifest = path.join(MANIFEST_FILE);
    match std::fs::metadata(&manifest) {
        // What it is (a directory, a FIFO) is said when it is read.
        Ok(_) => return Ok(Named::Integration(path.to_path_buf())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(unusable(&manifest, error)),
    }
    if Framework::is_root(path) {
        return whole_checkout(path);
    }
    let checkout = checkouts.of_dir(&walk.absolute);
    if let Some(checkout) = &checkout {
        let relative = walk.below(checkout.root());
        if Framework::checks_every_integration(relative) {
            return whole_checkout(&walk.up(depth(relative)));
        }
    }
    let listing = listed(path, &IgnoreRules::for_entries_of(path)?)?;
    if !listing.manifests.is_empty() || listing.ignored > 0 {
        return Ok(Named::Integrations(listing.manifests));
    }
    walk.integration(checkout.as_ref().map(Framework::root))
        .map(Named::Integration)
        .ok_or_else(|| ValidateError::NoManifest(path.to_path_buf()))
}

/// Every integration of the checkout at `root`, spelt as given, that git does not ignore.
fn whole_checkout(root: &Path) -> Result<Named, ValidateError> {
    let integrations = Framework::integrations_dir(root);
    let rules = IgnoreRules::for_entries_of(&integrations)?;
    if rules.ignores_itself() {
        return Ok(Named::Integrations(Vec::new()));
    }
    Ok(Named::Integrations(
        listed(&integrations, &rules)?.manifests,
    ))
}

fn listed(dir: &Path, rules: &IgnoreRules) -> Result<framework::Listing, ValidateError> {
    framework::manifests_in(dir, rules).map_err(|source| ValidateError::Read {
        path: dir.to_path_buf(),
        source,
    })
}

fn unusable(path: &Path, error: std::io::Error) -> ValidateError {
    match input::problem_of(error) {
        Problem::NotFound => ValidateError::NotFound(path.to_path_buf()),
        problem => ValidateError::Unusable {
            path: path.to_path_buf(),
            problem,
        },
    }
}

fn depth(relative: &Path) -> usize {
    relative.components().count()
}

/// A path and its absolute form, for walking up from it: each directory found above it is
/// spelt as the user spelt the path, so that a relative path's integration is named relative
/// too, as the same integration named directly would be.
struct Walk {
    spelt: PathBuf,
    absolute: PathBuf,
}

impl Walk {
    fn new(path: &Path) -> Walk {
        // `..` cannot be walked up by dropping components (`a/..`'s parent is not `a`), so such
        // a path is walked as the directory it leads to.
        if path.components().any(|c| c == Component::ParentDir) {
            let real = match (path.parent(), path.file_name()) {
                (Some(parent), Some(name)) => std::fs::canonicalize(parent).map(|p| p.join(name)),
                _ => std::fs::canonicalize(path),
            };
            if let Ok(real) = real {
                return Walk {
                    spelt: real.clone(),
                    absolute: real,
                };
            }
        }
        let spelt: PathBuf = path
            .components()
            .filter(|c| *c != Component::CurDir)
            .collect();
        let absolute = std::path::absolute(path).unwrap_or_else(|_| spelt.clone());
        Walk { spelt, absolute }
    }

    /// The directory `levels` above the path.
    fn up(&self, levels: usize) -> PathBuf {
        let mut spelt = self.spelt.clone();
        let mut beyond = 0;
        for _ in 0..levels {
            if spelt.as_os_str().is_empty() || !spelt.pop() {
                beyond += 1;
            }
        }
        if beyond == 0 && spelt.as_os_str().is_empty() {
            return PathBuf::from(".");
        }
        for _ in 0..beyond {
            spelt.push("..");
        }
        spelt
    }

    /// The path below `root`, one of its ancestors.
    fn below<'a>(&'a self, root: &Path) -> &'a Path {
        self.absolute.strip_prefix(root).unwrap_or(&self.absolute)
    }

    /// The nearest directory above the path holding a manifest, below the checkout root
    /// `root`, or outside a checkout no higher than a git repository's root.
    fn integration(&self, root: Option<&Path>) -> Option<PathBuf> {
        for (levels, dir) in self.absolute.ancestors().enumerate().skip(1) {
            if Some(dir) == root {
                return None;
            }
            if std::fs::symlink_metadata(dir.join(MANIFEST_FILE)).is_ok() {
                return Some(self.up(levels));
            }
            if root.is_none() && std::fs::symlink_metadata(dir.join(".git")).is_ok() {
                return None;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_above_a_path_are_spelt_as_the_path_is() {
        let up = |path: &str, levels| Walk::new(Path::new(path)).up(levels);
        assert_eq!(
            up("integrations/a/templates/x.hbs", 2),
            Path::new("integrations/a")
        );
        assert_eq!(up("./integrations/a/x", 1), Path::new("integrations/a"));
        assert_eq!(up("integrations/a/x", 3), Path::new("."));
        assert_eq!(up("x", 1), Path::new("."));
        assert_eq!(up("x", 3), Path::new("../.."));
        assert_eq!(up("/a/b/c", 2), Path::new("/a"));
    }
}

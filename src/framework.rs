//! A checkout of the integration framework: found by walking up to a directory that holds both
//! `manifest.schema.json` and `integrations/`; the integrations a directory holds.

use std::io;
use std::path::{Path, PathBuf};

use crate::gitignore::IgnoreRules;

pub(crate) const SCHEMA_FILE: &str = "manifest.schema.json";
pub(crate) const INTEGRATIONS_DIR: &str = "integrations";
pub(crate) const MANIFEST_FILE: &str = "manifest.json";
/// The JSON schemas `manifest.schema.json` refers to.
pub(crate) const SCHEMAS_DIR: &str = "schemas";
pub(crate) const SAMPLE_CONTEXT_DIR: &str = "sample-context";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Framework {
    root: PathBuf,
}

/// `Framework::discover` for many paths, each directory looked at once: a checkout's
/// integrations share their ancestors, and two stats per ancestor per integration showed in a
/// checkout's validate.
#[derive(Debug, Default)]
pub(crate) struct Checkouts(std::collections::HashMap<PathBuf, Option<Framework>>);

impl Checkouts {
    /// The checkout holding the directory `dir`, if any.
    pub(crate) fn of_dir(&mut self, dir: &Path) -> Option<Framework> {
        let absolute = std::path::absolute(dir).ok()?;
        let mut unknown = Vec::new();
        let mut found = None;
        for ancestor in absolute.ancestors() {
            if let Some(known) = self.0.get(ancestor) {
                found.clone_from(known);
                break;
            }
            unknown.push(ancestor);
            if Framework::is_root(ancestor) {
                found = Some(Framework {
                    root: ancestor.to_path_buf(),
                });
                break;
            }
        }
        for dir in unknown {
            self.0.insert(dir.to_path_buf(), found.clone());
        }
        found
    }
}

impl Framework {
    /// The checkout holding `start` (a file or a directory), if any.
    pub(crate) fn discover(start: &Path) -> Option<Framework> {
        let absolute = std::path::absolute(start).ok()?;
        let first = if absolute.is_dir() {
            absolute.as_path()
        } else {
            absolute.parent()?
        };
        Checkouts::default().of_dir(first)
    }

    pub(crate) fn is_root(dir: &Path) -> bool {
        dir.join(SCHEMA_FILE).is_file() && dir.join(INTEGRATIONS_DIR).is_dir()
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn schema_path(&self) -> PathBuf {
        self.root.join(SCHEMA_FILE)
    }

    /// Whether `relative` (a path below a root) is one of the files every integration of the
    /// checkout is checked with: the schema, the schemas it refers to, the sample events.
    pub(crate) fn checks_every_integration(relative: &Path) -> bool {
        let mut components = relative.components();
        let first = components.next().map(std::path::Component::as_os_str);
        let alone = components.next().is_none();
        match first {
            Some(name) if name == SCHEMA_FILE => alone,
            Some(name) => name == SCHEMAS_DIR || name == SAMPLE_CONTEXT_DIR,
            None => false,
        }
    }

    pub(crate) fn integrations_dir(root: &Path) -> PathBuf {
        root.join(INTEGRATIONS_DIR)
    }
}

/// The integrations of a directory: the manifests listed, and how many more git ignores.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) manifests: Vec<PathBuf>,
    pub(crate) ignored: usize,
}

/// `dir/*/manifest.json` as the caller spelt `dir`, sorted by directory, less the directories
/// `ignored` leaves out: a framework root's `integrations/`, or any directory of integrations.
/// Every entry of that name is listed, whatever it is (a FIFO, a directory, a dangling link),
/// so that reading it says what is wrong instead of the run skipping it in silence.
pub(crate) fn manifests_in(dir: &Path, ignored: &IgnoreRules) -> io::Result<Listing> {
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let manifest = entry.path().join(MANIFEST_FILE);
        if std::fs::symlink_metadata(&manifest).is_err() {
            continue;
        }
        if ignored.ignores_entry(&entry.file_name(), entry.file_type()?.is_dir()) {
            listing.ignored += 1;
        } else {
            listing.manifests.push(manifest);
        }
    }
    listing.manifests.sort();
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn checkout() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(SCHEMA_FILE), "{}").expect("write schema");
        for key in ["b-one", "a-two", "no-manifest"] {
            fs::create_dir_all(dir.path().join(INTEGRATIONS_DIR).join(key)).expect("mkdir");
        }
        for key in ["b-one", "a-two"] {
            let manifest = dir
                .path()
                .join(INTEGRATIONS_DIR)
                .join(key)
                .join(MANIFEST_FILE);
            fs::write(manifest, "{}").expect("write manifest");
        }
        dir
    }

    #[test]
    fn discovers_the_root_from_inside() {
        let dir = checkout();
        let inner = dir.path().join("integrations/a-two/manifest.json");
        let found = Framework::discover(&inner).expect("inside a checkout");
        let mut checkouts = Checkouts::default();
        assert_eq!(checkouts.of_dir(&inner).as_ref(), Some(&found));
        assert_eq!(
            checkouts.of_dir(&inner).as_ref(),
            Some(&found),
            "from the memo"
        );
        assert_eq!(checkouts.of_dir(found.root()).as_ref(), Some(&found));
        assert_eq!(
            found.root(),
            std::path::absolute(dir.path()).expect("absolute")
        );
        assert_eq!(found.schema_path(), found.root().join(SCHEMA_FILE));
    }

    #[test]
    fn finds_nothing_outside_a_checkout() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(Framework::discover(dir.path()), None);
        assert_eq!(Checkouts::default().of_dir(dir.path()), None);
    }

    #[test]
    fn lists_manifests_sorted_and_skips_directories_without_one() {
        let dir = checkout();
        let integrations = Framework::integrations_dir(dir.path());
        let manifests = manifests_in(&integrations, &IgnoreRules::default())
            .expect("listing")
            .manifests;
        let keys: Vec<_> = manifests
            .iter()
            .map(|m| {
                m.parent()
                    .and_then(|p| p.file_name())
                    .expect("key")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(keys, ["a-two", "b-one"]);
    }
}

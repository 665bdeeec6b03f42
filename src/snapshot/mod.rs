//! `ldhook snapshot`: every sample event's request for an integration, written to one
//! reviewable text file, and compared with what the integration renders now.
//!
//! Where the file goes: in a framework checkout, `.ldhook/payloads/<key>.snap` at the root —
//! outside `integrations/`, which the framework's release copies whole into the bundle it
//! deploys, and not `.js`/`.json`, which its Prettier and `check-json` hooks read; outside a
//! checkout, `.ldhook/payloads.snap` inside the integration. The text holds no absolute path,
//! no time of writing and no trailing whitespace (`text.rs`), so it is the same on every
//! machine and the framework's whitespace hooks leave it alone.

mod compare;
mod report;
mod text;

use std::path::{Path, PathBuf};

pub use compare::Change;
pub use report::describe;
pub use text::Section;

use crate::context::ValueSource;
use crate::events::EventSet;
use crate::framework::{Framework, INTEGRATIONS_DIR, MANIFEST_FILE};
use crate::input::{self, InputError, Kind, Problem};
use crate::integration::{self, Integration};
use crate::render::{self, EventsFrom, RenderError};
use crate::request::RequestOptions;

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Read(#[from] InputError),
    #[error("cannot write {path}: {error}")]
    Write { path: String, error: std::io::Error },
    #[error("{0}: neither an integration (no manifest.json) nor a framework checkout")]
    NotAnIntegration(String),
    #[error("cannot list the integrations of {path}: {error}")]
    List { path: String, error: std::io::Error },
}

impl SnapshotError {
    /// Whether the integration has no `auditLogEventsHook`, and so no request to snapshot.
    pub fn is_no_hook(&self) -> bool {
        matches!(
            self,
            SnapshotError::Render(RenderError::Request(crate::request::RequestError::NoHook))
        )
    }

    /// Whether the problem is with what was asked (a path), rather than with what renders.
    pub fn is_usage(&self) -> bool {
        match self {
            SnapshotError::Render(error) => error.is_usage(),
            SnapshotError::NotAnIntegration(_) | SnapshotError::List { .. } => true,
            SnapshotError::Read(_) | SnapshotError::Write { .. } => false,
        }
    }
}

/// What an integration renders now, as its snapshot file would hold it.
#[derive(Debug)]
pub struct Snapshot {
    /// Where the file is (or would be).
    pub path: PathBuf,
    /// That place as messages name it: relative to the checkout root or the integration.
    pub shown: String,
    pub text: String,
    pub sections: Vec<Section>,
    header: String,
}

/// What the file on disk says, against what renders now.
#[derive(Debug)]
pub enum Status {
    Same,
    /// There is no file yet.
    Missing,
    /// The file as read, and each change from it.
    Changed {
        old: String,
        changes: Vec<Change>,
    },
}

/// The integration directories `path` stands for: itself, or each of a checkout's (then
/// the second value is true).
pub fn integration_dirs(path: &Path) -> Result<(Vec<PathBuf>, bool), SnapshotError> {
    if path.join(MANIFEST_FILE).exists() {
        return Ok((vec![path.to_path_buf()], false));
    }
    if !Framework::is_root(path) {
        return Err(SnapshotError::NotAnIntegration(path.display().to_string()));
    }
    let dir = Framework::integrations_dir(path);
    let ignored = crate::gitignore::IgnoreRules::for_entries_of(&dir)?;
    let listing =
        crate::framework::manifests_in(&dir, &ignored).map_err(|error| SnapshotError::List {
            path: dir.display().to_string(),
            error,
        })?;
    let dirs = listing
        .manifests
        .iter()
        .filter_map(|manifest| manifest.parent().map(Path::to_path_buf))
        .collect();
    Ok((dirs, true))
}

/// Renders every sample event of the integration in `dir` (`--events DIR`, else its
/// checkout's `sample-context/`, else ldhook's own), secrets masked.
pub fn take(dir: &Path, events_dir: Option<&Path>) -> Result<Snapshot, SnapshotError> {
    let integration = Integration::load(dir).map_err(RenderError::from)?;
    let events = render::event_set(&integration.dir, events_dir).map_err(RenderError::from)?;
    let from = render::events_from(&integration.dir, events_dir);
    Ok(take_loaded(&integration, &events, &from)?)
}

/// As [`take`], with the integration and its events already read (`validate --snapshots`).
pub(crate) fn take_loaded(
    integration: &Integration,
    events: &EventSet,
    from: &EventsFrom,
) -> Result<Snapshot, RenderError> {
    let options = crate::request::masking_every_secret(
        integration,
        RequestOptions {
            vars: Vec::new(),
            sets: Vec::new(),
            source: ValueSource::TestValues,
            show_secrets: false,
        },
    )?;
    let rows = render::preview_all(integration, events, &options)?;
    let (path, shown, name) = place(&integration.dir);
    let events_said = from.said();
    let (header, text, sections) = text::write(&name, &events_said, &rows);
    Ok(Snapshot {
        path,
        shown,
        text,
        sections,
        header,
    })
}

/// The file for the integration in `dir`, how messages name it, and how the file names the
/// integration.
fn place(dir: &Path) -> (PathBuf, String, String) {
    let key = integration::key_of(dir);
    let in_checkout = std::path::absolute(dir).ok().and_then(|dir| {
        let parent = dir.parent()?;
        let root = parent.parent()?;
        (parent.file_name()? == INTEGRATIONS_DIR && Framework::is_root(root))
            .then(|| root.to_path_buf())
    });
    if let Some(root) = in_checkout {
        let relative = format!(".ldhook/payloads/{key}.snap");
        let shown = shown(&up_two(dir).join(&relative));
        (
            root.join(&relative),
            shown,
            format!("{INTEGRATIONS_DIR}/{key}"),
        )
    } else {
        let path = dir.join(".ldhook").join("payloads.snap");
        (path.clone(), shown(&path), key)
    }
}

/// `dir/../..` as the caller spelt `dir`, its last two names taken off where it has them, so
/// that `integrations/acme` gives the checkout root as `` and `.` gives `../..`.
fn up_two(dir: &Path) -> PathBuf {
    let mut path = dir.to_path_buf();
    for _ in 0..2 {
        let named = matches!(
            path.components().next_back(),
            Some(std::path::Component::Normal(_))
        );
        if named {
            path.pop();
        } else {
            path.push("..");
        }
    }
    path
}

/// A path as messages name it: relative as the caller spelt it, without a leading `./`.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

/// Where `events` (already read, as `validate` reads them) came from, as a snapshot says it.
pub(crate) fn events_from_set(dir: &Path, events: &EventSet) -> EventsFrom {
    if events.origin == crate::events::EMBEDDED_ORIGIN {
        return EventsFrom::Embedded;
    }
    let read_from = PathBuf::from(&events.origin);
    match render::events_from(dir, None) {
        EventsFrom::Checkout(checkout) if same_dir(&checkout, &read_from) => {
            EventsFrom::Checkout(checkout)
        }
        _ => EventsFrom::Dir(read_from),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

impl Snapshot {
    /// Reads the file and compares.
    pub fn status(&self) -> Result<Status, SnapshotError> {
        let bytes = match input::read(&self.path, Kind::Snapshot) {
            Ok(bytes) => bytes,
            Err(InputError {
                problem: Problem::NotFound,
                ..
            }) => return Ok(Status::Missing),
            Err(mut error) => {
                error.path.clone_from(&self.shown);
                return Err(error.into());
            }
        };
        let old = input::decode_utf8(&self.shown, &bytes)?.to_string();
        if old == self.text {
            return Ok(Status::Same);
        }
        let changes = compare::changes(&old, &self.header, &self.sections);
        Ok(Status::Changed { old, changes })
    }

    /// Writes the file when it differs (staged, then renamed into place); whether it did.
    pub fn write(&self) -> Result<bool, SnapshotError> {
        if matches!(self.status()?, Status::Same) {
            return Ok(false);
        }
        let failed = |error| SnapshotError::Write {
            path: self.shown.clone(),
            error,
        };
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent).map_err(failed)?;
        }
        match crate::atomic::create_new(&self.path, self.text.as_bytes(), 0o644) {
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                crate::atomic::replace_file(&self.path, &self.text).map_err(failed)?;
            }
            other => other.map_err(failed)?,
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_a_checkout_the_file_is_outside_integrations() {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::write(root.path().join("manifest.schema.json"), "{}").expect("schema");
        let dir = root.path().join("integrations").join("acme");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let (path, shown, name) = place(&dir);
        assert!(shown.ends_with(".ldhook/payloads/acme.snap"), "{shown}");
        assert_eq!(up_two(Path::new("integrations/acme")), Path::new(""));
        assert_eq!(up_two(Path::new(".")), Path::new("./../.."));
        assert_eq!(name, "integrations/acme");
        assert!(path.ends_with(".ldhook/payloads/acme.snap"));
        assert!(!path.starts_with(root.path().join("integrations")));
    }

    #[test]
    fn outside_a_checkout_the_file_is_inside_the_integration() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (path, shown, _) = place(dir.path());
        assert_eq!(path, dir.path().join(".ldhook/payloads.snap"));
        assert_eq!(shown, path.display().to_string());
    }
}

//! `validate`: from the paths a user names to the findings about every manifest they hold.

mod paths;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::IntegrationIgnores;
use crate::context::EventContexts;
use crate::diagnostics::{Diagnostic, Report};
use crate::events::{EventError, EventSet, Reading};
use crate::framework::{Checkouts, Framework, MANIFEST_FILE, SAMPLE_CONTEXT_DIR};
use crate::input::{self, InputError, Kind, Problem};
use crate::integration::{self, Integration};
use crate::manifest::{Document, ManifestSyntaxError};
use crate::pending::Pending;
use crate::registry::{self, RuleSelection};
use crate::rules::{self, Subject};
use crate::schema::{Schema, SchemaChoice, SchemaError};

/// What to validate: a path (manifest, integration directory or framework root), or a manifest
/// read from standard input.
#[derive(Debug, Clone)]
pub enum Input {
    Path(PathBuf),
    Stdin {
        /// The name to report it under, which also places it in a checkout for the schema.
        name: Option<PathBuf>,
        bytes: Vec<u8>,
    },
}

#[derive(Debug, Clone)]
pub struct Options {
    pub schema: SchemaChoice,
    pub selection: RuleSelection,
    /// Sample events to render templates with, instead of the checkout's or ldhook's own.
    pub events: Option<PathBuf>,
    /// Rules some integrations do not report (ldhook.toml's `[per-integration.<key>]`).
    pub per_integration: IntegrationIgnores,
}

/// Why a run could not happen at all, as opposed to findings about what it checked.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("{}: no such file or directory", .0.display())]
    NotFound(PathBuf),
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: no manifest.json here, and neither a framework root (a directory holding manifest.schema.json and integrations/) nor a directory of integrations (subdirectories holding manifest.json)",
        .0.display()
    )]
    NoManifest(PathBuf),
    #[error(
        "{}: belongs to the integration {}, which has no manifest.json",
        file.display(),
        integration.display()
    )]
    NoIntegrationManifest { file: PathBuf, integration: PathBuf },
    #[error("{}: {problem}", path.display())]
    Unusable { path: PathBuf, problem: Problem },
    #[error(
        "{}: is {what}, not a regular file; ldhook reads only regular files (a stream can be piped to `ldhook validate -`)",
        path.display()
    )]
    Special { path: PathBuf, what: &'static str },
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(transparent)]
    Events(#[from] EventError),
}

/// What a run says besides its findings, for the caller to show (the binary prints each on
/// standard error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A file of a checkout that belongs to no integration, as pre-commit names among the
    /// changed files: nothing checks it.
    Skipped(PathBuf),
    /// Every path named was skipped.
    NothingToValidate,
    /// A manifest on standard input without `--stdin-filename`: the files it names have no
    /// directory to be looked for in, so their checks are left out.
    StdinUnplaced,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::Skipped(path) => {
                write!(f, "skipped {}: not part of an integration", display(path))
            }
            Note::NothingToValidate => {
                f.write_str("nothing to validate: every path named is part of no integration")
            }
            Note::StdinUnplaced => f.write_str(
                "standard input: the icons and templates the manifest names are not checked, \
                 since nothing says where it is; give --stdin-filename PATH to place it",
            ),
        }
    }
}

struct Target {
    name: String,
    /// Where the manifest is, as one absolute path: an integration named twice, however spelt
    /// (`./a`, `/abs/a`, a file of it), is checked once.
    key: PathBuf,
    content: Content,
    /// Whether the files the manifest names can be looked for: not for standard input without a
    /// name.
    placed: bool,
    schema: Arc<Schema>,
    /// The integration directory, against which the manifest's paths resolve.
    dir: PathBuf,
    events: Arc<EventSet>,
}

enum Content {
    /// A manifest named on the command line: read where the user pointed.
    Named(PathBuf),
    /// The `manifest.json` of a directory: read beneath it, so that a link cannot make it some
    /// file outside the integration whose first line a syntax error would show.
    InDirectory(PathBuf),
    Bytes(Vec<u8>),
}

/// One run, for callers that run once: a [`Session`] that lives as long as the call.
pub fn validate(inputs: &[Input], options: &Options) -> Result<Report, ValidateError> {
    Session::new(options)?.validate(inputs)
}

/// What runs read once and keep: each schema compiled and each set of sample events read once,
/// however many manifests use them, and the integrations the last run checked. A caller that
/// runs again (a watcher) keeps its session; the binary ends the process without freeing it.
pub struct Session {
    selection: RuleSelection,
    per_integration: IntegrationIgnores,
    schemas: SchemaCache,
    events: EventCache,
    checkouts: Checkouts,
    checked: Vec<Integration>,
    notes: Vec<Note>,
}

impl Session {
    pub fn new(options: &Options) -> Result<Session, ValidateError> {
        Ok(Session {
            selection: options.selection.clone(),
            per_integration: options.per_integration.clone(),
            schemas: SchemaCache::new(options.schema.clone()),
            events: EventCache::new(options.events.as_deref())?,
            checkouts: Checkouts::default(),
            checked: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// The directories of the integrations the last run checked, links resolved: the only
    /// places `--fix` may change a file.
    pub fn checked_dirs(&self) -> Vec<PathBuf> {
        self.checked
            .iter()
            .filter_map(|integration| std::fs::canonicalize(&integration.dir).ok())
            .collect()
    }

    /// What the last run said besides its findings.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    pub fn validate(&mut self, inputs: &[Input]) -> Result<Report, ValidateError> {
        self.validate_pending(inputs, &Arc::default())
    }

    /// A run that reads `pending`'s texts in place of those files on disk: what the files
    /// would be found to hold if they were written.
    pub fn validate_pending(
        &mut self,
        inputs: &[Input],
        pending: &Arc<Pending>,
    ) -> Result<Report, ValidateError> {
        let mut targets = Vec::new();
        self.notes.clear();
        for input in inputs {
            self.expand(input, &mut targets)?;
        }
        if targets.is_empty() && self.notes.iter().any(|n| matches!(n, Note::Skipped(_))) {
            self.notes.push(Note::NothingToValidate);
        }
        let mut seen = std::collections::HashSet::new();
        targets.retain(|target| seen.insert(target.key.clone()));

        let run = Run {
            pending,
            formatting: self.selection.enabled(&registry::PRETTIER_FORMAT),
            snapshots: self.selection.enabled(&registry::PAYLOAD_SNAPSHOT),
        };
        let results = check_all(&targets, &run);
        let mut diagnostics = Vec::new();
        let mut integrations = Vec::new();
        for (target, result) in targets.iter().zip(results) {
            let (mut found, integration) = result?;
            if !self.per_integration.is_empty() {
                let key = integration::key_of(&target.dir);
                found.retain(|d| !self.per_integration.ignores(&key, d.rule));
            }
            diagnostics.extend(found);
            integrations.extend(integration);
        }
        let mut across = Vec::new();
        let neighbours = self.neighbours(&targets);
        rules::checkout::check(
            &integrations.iter().collect::<Vec<_>>(),
            &neighbours,
            &mut across,
        );
        across.retain(|d| {
            let owner = integrations
                .iter()
                .find(|i| Arc::ptr_eq(&i.document.source, &d.file));
            owner.is_none_or(|i| !self.per_integration.ignores(&i.key(), d.rule))
        });
        diagnostics.extend(across);
        diagnostics.retain(|d| self.selection.enabled(d.rule));
        diagnostics.sort_by_key(super::diagnostics::Diagnostic::sort_key);
        self.checked = integrations;
        Ok(Report {
            schema: self.schemas.label(),
            files: targets.len(),
            places: crate::repository::places(&diagnostics),
            diagnostics,
        })
    }
}

impl Session {
    /// The integrations of the targets' checkouts that the run was not asked to check, read
    /// only for what the checks across integrations compare (pre-commit names the changed
    /// integrations, and a duplicate key may be in one that did not change). Git-ignored ones
    /// are left out, as a whole-checkout run leaves them; one that cannot be read or parsed is
    /// not this run's to report.
    fn neighbours(&mut self, targets: &[Target]) -> Vec<rules::checkout::Neighbour> {
        // Keys are directory names, unique within one checkout's integrations/: the names
        // checked are told apart from the others however their paths were spelt.
        let mut checked: Vec<(PathBuf, std::collections::HashSet<String>)> = Vec::new();
        for target in targets.iter().filter(|t| t.placed) {
            let Some(checkout) = self.checkouts.of_dir(&target.dir) else {
                continue;
            };
            let key = integration::key_of(&target.dir);
            match checked.iter_mut().find(|(root, _)| root == checkout.root()) {
                Some((_, keys)) => {
                    keys.insert(key);
                }
                None => checked.push((checkout.root().to_path_buf(), [key].into())),
            }
        }
        let mut neighbours = Vec::new();
        for (root, keys) in checked {
            let dir = Framework::integrations_dir(&root);
            let ignored = crate::gitignore::IgnoreRules::for_entries_of(&dir).unwrap_or_default();
            let Ok(listing) = crate::framework::manifests_in(&dir, &ignored) else {
                continue;
            };
            for manifest in listing.manifests {
                let Some(dir) = manifest.parent() else {
                    continue;
                };
                let key = integration::key_of(dir);
                if keys.contains(&key) {
                    continue;
                }
                if let Some(oauth_integration_key) = oauth_key_of(dir) {
                    neighbours.push(rules::checkout::Neighbour {
                        key,
                        oauth_integration_key,
                    });
                }
            }
        }
        neighbours
    }

    fn expand(&mut self, input: &Input, targets: &mut Vec<Target>) -> Result<(), ValidateError> {
        match input {
            Input::Stdin { name, bytes } => {
                let anchor = name.clone().unwrap_or_else(|| PathBuf::from("."));
                let dir = directory_of(&anchor);
                // The name places the manifest: in the directory it names, or beside the file.
                let checkout = self
                    .checkouts
                    .of_dir(if anchor.is_dir() { &anchor } else { &dir });
                if name.is_none() {
                    self.notes.push(Note::StdinUnplaced);
                }
                targets.push(Target {
                    name: name
                        .as_ref()
                        .map_or_else(|| input::STDIN.to_string(), |n| display(n)),
                    key: name
                        .as_deref()
                        .map_or_else(|| PathBuf::from(input::STDIN), absolute),
                    content: Content::Bytes(bytes.clone()),
                    placed: name.is_some(),
                    schema: self.schemas.for_checkout(checkout.as_ref())?,
                    events: self.events.for_checkout(checkout.as_ref())?,
                    dir,
                });
            }
            Input::Path(path) => {
                for content in self.manifests_at(path)? {
                    let (Content::Named(manifest) | Content::InDirectory(manifest)) = &content
                    else {
                        continue;
                    };
                    let dir = directory_of(manifest);
                    let checkout = self.checkouts.of_dir(&dir);
                    targets.push(Target {
                        name: display(manifest),
                        key: absolute(manifest),
                        placed: true,
                        schema: self.schemas.for_checkout(checkout.as_ref())?,
                        events: self.events.for_checkout(checkout.as_ref())?,
                        dir,
                        content,
                    });
                }
            }
        }
        Ok(())
    }

    /// The manifests a path stands for (see [`paths`]); a path that stands for nothing is noted.
    fn manifests_at(&mut self, path: &Path) -> Result<Vec<Content>, ValidateError> {
        Ok(match paths::resolve(path, &mut self.checkouts)? {
            paths::Named::Manifest(manifest) => vec![Content::Named(manifest)],
            paths::Named::Integration(dir) => vec![Content::InDirectory(dir.join(MANIFEST_FILE))],
            paths::Named::Integrations(manifests) => {
                manifests.into_iter().map(Content::InDirectory).collect()
            }
            paths::Named::Skipped(path) => {
                self.notes.push(Note::Skipped(path));
                Vec::new()
            }
        })
    }
}

type Checked = Result<(Vec<Diagnostic>, Option<Integration>), ValidateError>;

/// Checks targets on every core: manifests are independent, and a checkout holds over a hundred.
/// What every target of a run is checked with besides its own settings.
struct Run<'a> {
    pending: &'a Arc<Pending>,
    formatting: bool,
    snapshots: bool,
}

fn check_all(targets: &[Target], run: &Run<'_>) -> Vec<Checked> {
    // Asking for the core count reads cgroup files: not worth it for one target.
    let workers = match targets.len() {
        0 | 1 => 1,
        many => std::thread::available_parallelism().map_or(1, |n| n.get().min(many)),
    };
    if workers <= 1 {
        let mut contexts = WorkerContexts::default();
        return targets
            .iter()
            .map(|target| check(target, run, &mut contexts))
            .collect();
    }
    // Interleaved rather than in runs, so that a few slow integrations spread over the workers.
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    let mut contexts = WorkerContexts::default();
                    targets
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % workers == worker)
                        .map(|(i, target)| (i, check(target, run, &mut contexts)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut results: Vec<(usize, Checked)> = handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, result)| result).collect()
    })
}

/// A worker's own copies of the event sets its targets are checked against, by the set's
/// address; each entry holds its set, so no address is reused while the map lives.
#[derive(Default)]
struct WorkerContexts(HashMap<usize, (Arc<EventSet>, EventContexts)>);

impl WorkerContexts {
    fn for_set(&mut self, set: &Arc<EventSet>) -> &mut EventContexts {
        let (_, contexts) = self
            .0
            .entry(Arc::as_ptr(set) as usize)
            .or_insert_with(|| (set.clone(), EventContexts::new(&set.events)));
        contexts
    }
}

fn check(target: &Target, run: &Run<'_>, contexts: &mut WorkerContexts) -> Checked {
    let pending = run.pending;
    let owned;
    let bytes = match &target.content {
        Content::Bytes(bytes) => bytes.as_slice(),
        Content::Named(path) | Content::InDirectory(path) if pending.get(path).is_some() => {
            pending.get(path).map_or(&[][..], |text| text.as_bytes())
        }
        Content::Named(path) => {
            owned = input::read(path, Kind::Manifest)?;
            owned.as_slice()
        }
        Content::InDirectory(path) => {
            owned = input::read_beneath(&target.dir, MANIFEST_FILE, Kind::Manifest).map_err(
                |error| InputError {
                    path: path.display().to_string(),
                    ..error
                },
            )?;
            owned.as_slice()
        }
    };
    let document = match Document::parse(&target.name, bytes) {
        Err(syntax) => return Ok((vec![syntax_finding(*syntax)], None)),
        Ok(document) => document,
    };
    let mut diagnostics = target.schema.check(&document);
    // A manifest whose shape the model cannot read has its schema findings, and no more.
    let Ok(integration) = Integration::from_document(target.dir.clone(), document, pending.clone())
    else {
        return Ok((diagnostics, None));
    };
    diagnostics.extend(rules::check_integration(
        &Subject {
            integration: &integration,
            events: &target.events,
            placed: target.placed,
            formatting: run.formatting,
            snapshots: run.snapshots,
        },
        contexts.for_set(&target.events),
    ));
    Ok((diagnostics, Some(integration)))
}

fn directory_of(manifest: &Path) -> PathBuf {
    match manifest.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads each set of sample events once: `--events`, a checkout's `sample-context/`, or ours.
struct EventCache {
    given: Option<Arc<EventSet>>,
    by_root: HashMap<Option<PathBuf>, Arc<EventSet>>,
}

impl EventCache {
    fn new(given: Option<&Path>) -> Result<Self, EventError> {
        Ok(EventCache {
            given: given
                .map(|dir| EventSet::from_dir(dir, Reading::Strict))
                .transpose()?
                .map(Arc::new),
            by_root: HashMap::new(),
        })
    }

    /// The events for a manifest in `checkout` (none: outside any checkout).
    fn for_checkout(&mut self, checkout: Option<&Framework>) -> Result<Arc<EventSet>, EventError> {
        if let Some(given) = &self.given {
            return Ok(given.clone());
        }
        let root = checkout.map(|f| f.root().to_path_buf());
        if let Some(set) = self.by_root.get(&root) {
            return Ok(set.clone());
        }
        let samples = root
            .as_ref()
            .map(|root| root.join(SAMPLE_CONTEXT_DIR))
            .filter(|d| d.is_dir());
        let set = Arc::new(match &samples {
            Some(samples) => EventSet::from_dir(samples, Reading::Strict)?,
            None => EventSet::embedded(),
        });
        self.by_root.insert(root, set.clone());
        Ok(set)
    }
}

/// Compiles each schema once, however many manifests use it.
struct SchemaCache {
    choice: SchemaChoice,
    compiled: HashMap<Option<PathBuf>, Arc<Schema>>,
    used: Vec<String>,
}

impl SchemaCache {
    fn new(choice: SchemaChoice) -> Self {
        SchemaCache {
            choice,
            compiled: HashMap::new(),
            used: Vec::new(),
        }
    }

    /// The schema for a manifest in `checkout` (none: outside any checkout).
    fn for_checkout(&mut self, checkout: Option<&Framework>) -> Result<Arc<Schema>, SchemaError> {
        let file = match &self.choice {
            SchemaChoice::Embedded => None,
            SchemaChoice::File(file) => Some(file.clone()),
            SchemaChoice::Auto => checkout.map(Framework::schema_path),
        };
        if let Some(schema) = self.compiled.get(&file) {
            return Ok(schema.clone());
        }
        let schema = Arc::new(match &file {
            None => Schema::embedded()?,
            Some(file) => Schema::from_file(file)?,
        });
        self.used.push(schema.label().to_string());
        self.compiled.insert(file, schema.clone());
        Ok(schema)
    }

    /// The schema named in output: `embedded`, a path, or several paths when the inputs span
    /// more than one checkout.
    fn label(&self) -> String {
        if self.used.is_empty() {
            return match &self.choice {
                SchemaChoice::File(file) => file.display().to_string(),
                _ => SchemaChoice::EMBEDDED_NAME.to_string(),
            };
        }
        self.used.join(", ")
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

/// A manifest that is not JSON, as the `invalid-json` finding at the first place it stops being
/// JSON; nothing else in it is checked.
fn syntax_finding(syntax: ManifestSyntaxError) -> Diagnostic {
    let ManifestSyntaxError { source, error } = syntax;
    let mut finding =
        Diagnostic::new(&registry::INVALID_JSON, source, error.message).with_span(error.span);
    if let Some((span, message)) = error.related {
        finding = finding.with_related(span, message);
    }
    finding
}

/// The `oauthIntegrationKey` of the manifest in `dir`, if it can be read and has one.
fn oauth_key_of(dir: &Path) -> Option<String> {
    let bytes = input::read_beneath(dir, MANIFEST_FILE, Kind::Manifest).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value
        .get("oauthIntegrationKey")?
        .as_str()
        .map(str::to_string)
}

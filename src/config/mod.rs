//! `ldhook.toml`: the settings a fork keeps beside its integrations, found by walking up from
//! the paths a run names (as the framework root is), and the flags laid over them. Every
//! setting remembers where it came from, so `--show-config` can say.
//!
//! Precedence, as ruff has it: a flag beats the file, the file beats the default. `--select`
//! replaces the file's `select`; `--ignore` adds to the file's `ignore`.

mod discover;
mod file;
pub mod profiles;
mod show;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::input::InputError;
use crate::registry::{Rule, RuleSelection, Selector, SelectorError};
use crate::schema::SchemaChoice;

pub use discover::FILE_NAME;

/// Which configuration file a run reads, as the flags say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The nearest `ldhook.toml` above the paths, if any.
    Discover,
    /// `--config FILE`.
    File(PathBuf),
    /// `--no-config`.
    Off,
}

/// What the command line says, before the file fills in the rest.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--deny-warnings` (true) or `--no-deny-warnings` (false).
    pub deny_warnings: Option<bool>,
    /// `--snapshots`: compare payload snapshots as part of validate.
    pub snapshots: bool,
    pub events: Option<PathBuf>,
    pub schema: Option<String>,
}

/// `--snapshots` turns the comparison on whatever the file says; otherwise the file decides.
fn snapshots_setting(flag: bool, file: Option<(bool, Place)>) -> Setting<bool> {
    match (flag, file) {
        (true, _) => Setting {
            value: true,
            origin: Origin::Flag("--snapshots"),
        },
        (false, Some((value, at))) => Setting {
            value,
            origin: Origin::File(at),
        },
        (false, None) => Setting {
            value: false,
            origin: Origin::Default,
        },
    }
}

/// Where in a file a setting is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// The nearest file above the paths.
    Found,
    Flag(&'static str),
    File(Place),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Found => f.write_str("nearest above the paths"),
            Origin::Flag(flag) => f.write_str(flag),
            Origin::File(place) => place.fmt(f),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

/// One `select` or `ignore` entry, as written.
#[derive(Debug, Clone)]
pub struct Entry {
    pub text: String,
    pub selector: Selector,
    pub origin: Origin,
}

/// `[per-integration.<key>]`: rules ignored in the integrations whose key matches.
#[derive(Debug, Clone)]
pub struct PerIntegration {
    pub pattern: String,
    matcher: KeyMatcher,
    pub ignore: Vec<Entry>,
    pub place: Place,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{place}: {message}")]
    Invalid { place: Place, message: String },
    #[error(transparent)]
    Read(#[from] InputError),
    #[error(
        "the paths are under two configuration files, {first} and {second}; run ldhook once for each, or choose one with --config"
    )]
    Several { first: String, second: String },
    #[error(transparent)]
    Flag(#[from] SelectorError),
    #[error(
        "--profile {name}: no ldhook.toml above {dir}; give the profile's file with --vars-file"
    )]
    NoProfileFile { dir: String, name: String },
}

/// Every setting of a run, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file read, as messages name it, and how it was chosen.
    pub file: Option<Setting<String>>,
    /// How the run looked for a file: `Off` says `--no-config`.
    pub source: Source,
    /// Empty: every rule.
    pub select: Vec<Entry>,
    pub ignore: Vec<Entry>,
    pub deny_warnings: Setting<bool>,
    /// Whether validate compares payload snapshots (payload-snapshot, LDH219).
    pub snapshots: Setting<bool>,
    pub events: Setting<Option<PathBuf>>,
    pub schema: Setting<SchemaChoice>,
    pub per_integration: Vec<PerIntegration>,
}

impl Settings {
    /// The settings for a run over `paths` (the places discovery starts from: the paths named,
    /// or where standard input says it is), with `flags` laid over the file.
    pub fn resolve(
        source: &Source,
        paths: &[PathBuf],
        flags: &Flags,
    ) -> Result<Settings, ConfigError> {
        let found = match source {
            Source::Off => None,
            Source::File(path) => Some(Setting {
                value: path.clone(),
                origin: Origin::Flag("--config"),
            }),
            Source::Discover => discover::nearest(paths)?.map(|path| Setting {
                value: path,
                origin: Origin::Found,
            }),
        };
        let (file, read) = match found {
            None => (None, file::FileSettings::default()),
            Some(Setting {
                value: path,
                origin,
            }) => {
                let shown = discover::shown(&path);
                let read = file::read(&path, &shown)?;
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let relative_to_file = |p: PathBuf| if p.is_absolute() { p } else { dir.join(p) };
                let read = file::FileSettings {
                    events: read.events.map(|(p, at)| (relative_to_file(p), at)),
                    schema: read.schema.map(|(s, at)| {
                        if s == SchemaChoice::EMBEDDED_NAME {
                            (s, at)
                        } else {
                            (relative_to_file(PathBuf::from(s)).display().to_string(), at)
                        }
                    }),
                    ..read
                };
                (
                    Some(Setting {
                        value: shown,
                        origin,
                    }),
                    read,
                )
            }
        };
        Self::merge(source.clone(), file, read, flags)
    }

    fn merge(
        source: Source,
        file: Option<Setting<String>>,
        read: file::FileSettings,
        flags: &Flags,
    ) -> Result<Settings, ConfigError> {
        let from_flags =
            |list: &[String], flag: &'static str| -> Result<Vec<Entry>, SelectorError> {
                list.iter()
                    .flat_map(|entry| entry.split(','))
                    .filter(|part| !part.trim().is_empty())
                    .map(|part| {
                        Ok(Entry {
                            text: part.trim().to_string(),
                            selector: Selector::parse(part)?,
                            origin: Origin::Flag(flag),
                        })
                    })
                    .collect()
            };
        let select = if flags.select.is_empty() {
            read.select.unwrap_or_default()
        } else {
            from_flags(&flags.select, "--select")?
        };
        let mut ignore = read.ignore;
        ignore.extend(from_flags(&flags.ignore, "--ignore")?);
        let snapshots = snapshots_setting(flags.snapshots, read.snapshots);
        let deny_warnings = match (flags.deny_warnings, read.deny_warnings) {
            (Some(value), _) => Setting {
                value,
                origin: Origin::Flag(if value {
                    "--deny-warnings"
                } else {
                    "--no-deny-warnings"
                }),
            },
            (None, Some((value, at))) => Setting {
                value,
                origin: Origin::File(at),
            },
            (None, None) => Setting {
                value: false,
                origin: Origin::Default,
            },
        };
        let events = match (&flags.events, read.events) {
            (Some(dir), _) => Setting {
                value: Some(dir.clone()),
                origin: Origin::Flag("--events"),
            },
            (None, Some((dir, at))) => Setting {
                value: Some(dir),
                origin: Origin::File(at),
            },
            (None, None) => Setting {
                value: None,
                origin: Origin::Default,
            },
        };
        let schema = match (&flags.schema, read.schema) {
            (Some(flag), _) => Setting {
                value: SchemaChoice::from_flag(Some(flag)),
                origin: Origin::Flag("--schema"),
            },
            (None, Some((text, at))) => Setting {
                value: SchemaChoice::from_flag(Some(&text)),
                origin: Origin::File(at),
            },
            (None, None) => Setting {
                value: SchemaChoice::Auto,
                origin: Origin::Default,
            },
        };
        let per_integration = read
            .per_integration
            .into_iter()
            .map(|entry| PerIntegration {
                pattern: entry.pattern,
                matcher: entry.matcher,
                ignore: entry.ignore,
                place: entry.place,
            })
            .collect();
        Ok(Settings {
            file,
            source,
            select,
            ignore,
            deny_warnings,
            snapshots,
            events,
            schema,
            per_integration,
        })
    }

    /// The rules the run reports, before per-integration ignores.
    pub fn selection(&self) -> RuleSelection {
        let selectors = |entries: &[Entry]| entries.iter().map(|e| e.selector.clone()).collect();
        let selection =
            RuleSelection::from_selectors(selectors(&self.select), selectors(&self.ignore));
        if self.snapshots.value {
            selection.adding(&crate::registry::PAYLOAD_SNAPSHOT)
        } else {
            selection
        }
    }

    pub fn integration_ignores(&self) -> IntegrationIgnores {
        IntegrationIgnores(
            self.per_integration
                .iter()
                .map(|entry| {
                    let ignore = entry.ignore.iter().map(|e| e.selector.clone()).collect();
                    (
                        entry.matcher.clone(),
                        RuleSelection::from_selectors(Vec::new(), ignore),
                    )
                })
                .collect(),
        )
    }

    /// `--show-config`: each setting, its value and where it came from.
    pub fn describe(&self) -> String {
        show::describe(self)
    }

    /// `--show-config --format json`: the same rows, as JSON.
    pub fn describe_json(&self) -> String {
        show::describe_json(self)
    }
}

/// Which integration keys a `[per-integration.<key>]` table is for: a key, a glob of keys
/// (`acme-*`), or, after a `!`, every key the glob does not match (`!acme-*`: the integrations
/// a fork does not own).
#[derive(Debug, Clone)]
pub(crate) struct KeyMatcher {
    /// A set of one: unlike a single glob's matcher, building a set reports a pattern too
    /// large to compile instead of panicking.
    glob: globset::GlobSet,
    negated: bool,
}

impl KeyMatcher {
    fn new(pattern: &str) -> Result<KeyMatcher, globset::Error> {
        let (negated, glob) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        let glob = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()?;
        let glob = globset::GlobSetBuilder::new().add(glob).build()?;
        Ok(KeyMatcher { glob, negated })
    }

    fn is_match(&self, key: &str) -> bool {
        self.glob.is_match(key) != self.negated
    }
}

/// The rules each integration, by its key, does not report.
#[derive(Debug, Clone, Default)]
pub struct IntegrationIgnores(Vec<(KeyMatcher, RuleSelection)>);

impl IntegrationIgnores {
    pub(crate) fn ignores(&self, key: &str, rule: &Rule) -> bool {
        self.0
            .iter()
            .any(|(matcher, selection)| matcher.is_match(key) && !selection.enabled(rule))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The form-variable values of profile `name`: from `vars_file` when given, else from the
/// `ldhook.toml` nearest above `dir`.
pub fn profile_vars(
    dir: &Path,
    vars_file: Option<&Path>,
    name: &str,
    variables: &[crate::manifest::model::FormVariable],
    environment: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let path = match vars_file {
        Some(path) => path.to_path_buf(),
        None => {
            discover::nearest(&[dir.to_path_buf()])?.ok_or_else(|| ConfigError::NoProfileFile {
                dir: dir.display().to_string(),
                name: name.to_string(),
            })?
        }
    };
    profiles::read(&path, &discover::shown(&path), name, variables, environment)
}

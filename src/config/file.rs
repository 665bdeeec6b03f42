//! Reading one `ldhook.toml`: every key known, every rule id known, each value with the place
//! it was written, so a mistake is reported at its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Entry, KeyMatcher, Origin, Place};
use crate::diagnostics::SourceFile;
use crate::input::{self, Kind};
use crate::registry::Selector;

/// What a file says, each part with where it says it. Paths are as written, relative to the
/// file's directory.
#[derive(Debug, Default)]
pub(super) struct FileSettings {
    pub select: Option<Vec<Entry>>,
    pub ignore: Vec<Entry>,
    pub deny_warnings: Option<(bool, Place)>,
    pub snapshots: Option<(bool, Place)>,
    pub events: Option<(PathBuf, Place)>,
    pub schema: Option<(String, Place)>,
    pub per_integration: Vec<PerIntegrationEntry>,
}

#[derive(Debug)]
pub(super) struct PerIntegrationEntry {
    pub pattern: String,
    pub matcher: KeyMatcher,
    pub place: Place,
    pub ignore: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Spanned<Vec<Spanned<String>>>>,
    ignore: Option<Vec<Spanned<String>>>,
    deny_warnings: Option<Spanned<bool>>,
    snapshots: Option<Spanned<bool>>,
    events: Option<Spanned<String>>,
    schema: Option<Spanned<String>>,
    per_integration: Option<BTreeMap<Spanned<String>, RawPerIntegration>>,
    /// Form-variable profiles for `send` and `render`: `profiles.rs` reads them.
    #[serde(rename = "profiles")]
    _profiles: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPerIntegration {
    ignore: Vec<Spanned<String>>,
}

/// The configuration file at `path` (named `shown` in messages), read as every one is: a
/// regular file, within the size cap, UTF-8.
pub(super) fn read_source(path: &Path, shown: &str) -> Result<SourceFile, ConfigError> {
    let bytes = input::read(path, Kind::Config).map_err(|error| input::InputError {
        path: shown.to_string(),
        ..error
    })?;
    let text = input::decode_utf8(shown, &bytes)?;
    Ok(SourceFile::new(shown, text.to_string()))
}

/// Byte `offset` of `source` as a line and column of the file `shown`.
pub(super) fn place_at(source: &SourceFile, shown: &str, offset: usize) -> Place {
    let at = source.position(offset);
    Place {
        path: shown.to_string(),
        line: at.line,
        column: at.column,
    }
}

/// Reads and checks the file at `path`, which messages name as `shown`.
pub(super) fn read(path: &Path, shown: &str) -> Result<FileSettings, ConfigError> {
    let source = read_source(path, shown)?;
    let text = source.text();
    let place = |span: std::ops::Range<usize>| place_at(&source, shown, span.start);
    let raw: Raw = toml::from_str(text).map_err(|error| ConfigError::Invalid {
        place: place(error.span().unwrap_or(0..0)),
        message: error.message().trim_end().to_string(),
    })?;
    let entries = |list: Vec<Spanned<String>>| -> Result<Vec<Entry>, ConfigError> {
        list.into_iter()
            .map(|item| {
                let at = place(item.span());
                let text = item.into_inner();
                let selector = Selector::parse(&text).map_err(|error| ConfigError::Invalid {
                    place: at.clone(),
                    message: error.to_string(),
                })?;
                Ok(Entry {
                    text,
                    selector,
                    origin: Origin::File(at),
                })
            })
            .collect()
    };
    let mut per_integration = Vec::new();
    for (pattern, table) in raw.per_integration.unwrap_or_default() {
        let at = place(pattern.span());
        let pattern = pattern.into_inner();
        if pattern.contains(['/', '\\']) {
            return Err(ConfigError::Invalid {
                place: at,
                message: format!(
                    "`{pattern}` is a path; a per-integration key is an integration's key (its directory's name), or a glob of keys such as `acme-*`"
                ),
            });
        }
        let matcher = KeyMatcher::new(&pattern).map_err(|error| ConfigError::Invalid {
            place: at.clone(),
            message: format!("`{}` is not a glob: {}", abridged(&pattern), error.kind()),
        })?;
        per_integration.push(PerIntegrationEntry {
            pattern,
            matcher,
            place: at,
            ignore: entries(table.ignore)?,
        });
    }
    let path_value = |key: &str, value: Spanned<String>| {
        let at = place(value.span());
        let text = value.into_inner();
        if text.trim().is_empty() {
            return Err(ConfigError::Invalid {
                place: at,
                message: format!("`{key}` is empty; give a path, relative to this file"),
            });
        }
        Ok((text, at))
    };
    Ok(FileSettings {
        select: raw
            .select
            .map(|list| {
                if list.get_ref().is_empty() {
                    return Err(ConfigError::Invalid {
                        place: place(list.span()),
                        message: "`select = []` would report no rule; leave `select` out to report every rule"
                            .to_string(),
                    });
                }
                entries(list.into_inner())
            })
            .transpose()?,
        ignore: raw.ignore.map(entries).transpose()?.unwrap_or_default(),
        deny_warnings: raw.deny_warnings.map(|value| {
            let at = place(value.span());
            (value.into_inner(), at)
        }),
        snapshots: raw.snapshots.map(|value| {
            let at = place(value.span());
            (value.into_inner(), at)
        }),
        events: raw
            .events
            .map(|value| path_value("events", value))
            .transpose()?
            .map(|(text, at)| (PathBuf::from(text), at)),
        schema: raw
            .schema
            .map(|value| path_value("schema", value))
            .transpose()?,
        per_integration,
    })
}

/// A value as a message quotes it: whole when short, else its start and an ellipsis, so a
/// 100 KB key cannot flood the terminal.
fn abridged(text: &str) -> String {
    const SHOWN: usize = 60;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_string(),
    }
}

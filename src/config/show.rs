//! `--show-config`: the resolved settings, one per line, each with where it came from; as
//! JSON, one object per row, for scripts.

use std::fmt::Write as _;

use super::{Entry, Settings, Source};
use crate::schema::SchemaChoice;

/// Each setting as (name, value, origin), a list's entries one row each under its name.
fn rows(settings: &Settings) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |name: &str, value: String, origin: String| {
        rows.push((name.to_string(), value, origin));
    };
    match (&settings.file, &settings.source) {
        (Some(file), _) => row("config", file.value.clone(), file.origin.to_string()),
        (None, Source::Off) => row("config", "none".into(), "--no-config".into()),
        (None, _) => row("config", "none found".into(), "default".into()),
    }
    entries(&mut row, "select", &settings.select, "all");
    entries(&mut row, "ignore", &settings.ignore, "none");
    row(
        "deny-warnings",
        settings.deny_warnings.value.to_string(),
        settings.deny_warnings.origin.to_string(),
    );
    row(
        "snapshots",
        settings.snapshots.value.to_string(),
        settings.snapshots.origin.to_string(),
    );
    let events = settings.events.value.as_ref().map_or_else(
        || "the checkout's sample-context/, else ldhook's own".to_string(),
        |dir| dir.display().to_string(),
    );
    row("events", events, settings.events.origin.to_string());
    let schema = match &settings.schema.value {
        SchemaChoice::Auto => "the checkout's manifest.schema.json, else embedded".to_string(),
        SchemaChoice::Embedded => SchemaChoice::EMBEDDED_NAME.to_string(),
        SchemaChoice::File(file) => file.display().to_string(),
    };
    row("schema", schema, settings.schema.origin.to_string());
    for entry in &settings.per_integration {
        let name = format!("per-integration.{}", quoted_key(&entry.pattern));
        entries(&mut row, &format!("{name}.ignore"), &entry.ignore, "none");
    }
    rows
}

pub(super) fn describe(settings: &Settings) -> String {
    // Each cell on one line: a path or rule written in the file cannot break the table, nor
    // start a line a terminal or a CI log would read as a command.
    let line = |text: String| crate::escape::terminal_line(&text).into_owned();
    let rows: Vec<(String, String, String)> = rows(settings)
        .into_iter()
        .map(|(name, value, origin)| (line(name), line(value), line(origin)))
        .collect();
    let name_width = rows
        .iter()
        .map(|(n, ..)| n.chars().count())
        .max()
        .unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|(_, v, _)| v.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let mut previous = String::new();
    for (name, value, origin) in rows {
        // A list's further entries sit under its first.
        let shown = if name == previous { "" } else { name.as_str() };
        let _ = writeln!(out, "{shown:<name_width$}  {value:<value_width$}  {origin}");
        previous = name;
    }
    out
}

/// The same rows as JSON: `[{"setting", "value", "origin"}, …]`.
pub(super) fn describe_json(settings: &Settings) -> String {
    let rows: Vec<serde_json::Value> = rows(settings)
        .into_iter()
        .map(|(setting, value, origin)| {
            serde_json::json!({ "setting": setting, "value": value, "origin": origin })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

/// One row per entry, each under the setting's name; `empty` when there are none.
fn entries(row: &mut impl FnMut(&str, String, String), name: &str, list: &[Entry], empty: &str) {
    if list.is_empty() {
        row(name, empty.to_string(), "default".to_string());
    }
    for entry in list {
        row(name, entry.text.clone(), entry.origin.to_string());
    }
}

/// A TOML key as it would be written: bare when it can be.
fn quoted_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

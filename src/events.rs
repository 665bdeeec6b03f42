//! Sample audit-log events: ldhook's own embedded set, or a checkout's `sample-context/`, or
//! any directory of the same layout (`<group>/<name>.json`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::input::{self, InputError, Kind};
use crate::manifest::json;

static EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_events.rs"));

#[derive(Debug, Clone)]
pub struct SampleEvent {
    /// `flag/toggle-on`: the file's path under the set's root, without `.json`.
    pub name: String,
    value: OnceLock<Value>,
    /// The text of an embedded event, read the first time its value is asked for: `render`
    /// needs one event of ldhook's set, and parsing all of them was half its work.
    embedded: Option<&'static str>,
    /// `value` with its strings JSON-escaped, as JSON templates see it: made on first use and
    /// then shared by every integration a run checks against this event.
    escaped: OnceLock<Value>,
}

impl SampleEvent {
    pub fn new(name: String, value: Value) -> SampleEvent {
        SampleEvent {
            name,
            value: OnceLock::from(value),
            embedded: None,
            escaped: OnceLock::new(),
        }
    }

    /// The event as JSON. An embedded event's text is part of the build and a unit test parses
    /// every one, so the empty object it would fall back to is never seen.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| {
            self.embedded
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or_else(|| Value::Object(serde_json::Map::new()))
        })
    }

    pub(crate) fn json_escaped(&self) -> &Value {
        self.escaped
            .get_or_init(|| crate::engine::json_escape_value(self.value()))
    }

    pub fn kind(&self) -> &str {
        self.value()
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn verb_kind(&self) -> &str {
        self.value()
            .get("verbKind")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn title(&self) -> &str {
        self.value()
            .pointer("/title/plainText")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// What the change was, as LaunchDarkly tells it: the kind, the action and the verb
    /// (`turned on the flag`). Two events with the same are the same change.
    fn change(&self) -> (&str, &str, &str) {
        let verb = self
            .value()
            .get("titleVerb")
            .and_then(Value::as_str)
            .unwrap_or("");
        (self.kind(), self.verb_kind(), verb)
    }
}

/// How an `EventSet` of ldhook's own events names where it came from.
pub(crate) const EMBEDDED_ORIGIN: &str = "embedded";

#[derive(Debug, Clone)]
pub struct EventSet {
    /// `embedded`, or the directory the events were read from.
    pub origin: String,
    pub events: Vec<SampleEvent>,
}

impl EventSet {
    /// A set of one event, for rendering it as the one a choice names.
    pub(crate) fn single(event: SampleEvent) -> EventSet {
        EventSet {
            origin: "the chosen".to_string(),
            events: vec![event],
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("cannot read the sample events in {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: not a valid {what}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        /// `event`, or `render context` for `template --context`.
        what: &'static str,
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON that `JSON.parse` reads, holding what ldhook cannot render: a fault of the content,
    /// like a template that fails, not of how ldhook was run.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Unrenderable {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}: a sample event is a JSON object, and this file holds {found}", path.display())]
    NotAnObject { path: PathBuf, found: &'static str },
    #[error("{} holds no sample events (<group>/<name>.json files)", .0.display())]
    Empty(PathBuf),
    #[error("no sample event `{name}`; available: {available}")]
    Unknown { name: String, available: String },
}

impl EventError {
    /// Whether the file was read and is JSON, but cannot be rendered (exit code 1, where a
    /// file that cannot be read or is not JSON is 2).
    pub fn is_content(&self) -> bool {
        matches!(self, EventError::Unrenderable { .. })
    }
}

/// How an event or context file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// With the manifest reader, which refuses duplicate keys, numbers beyond double range and
    /// lone surrogates: `validate` holds a checkout's sample events to what it holds every
    /// JSON file of the checkout to, and an unreadable one stops the run (README).
    Strict,
    /// As the reference renders them, read by `JSON.parse` ([`json::parse_context`]): `render`
    /// and `template`, whose output promises parity with it.
    Render,
}

impl EventSet {
    pub fn embedded() -> EventSet {
        let events = EMBEDDED
            .iter()
            .map(|(path, text)| SampleEvent {
                name: path.trim_end_matches(".json").to_string(),
                value: OnceLock::new(),
                embedded: Some(text),
                escaped: OnceLock::new(),
            })
            .collect();
        EventSet {
            origin: EMBEDDED_ORIGIN.to_string(),
            events,
        }
    }

    /// Every `*.json` one or two levels below `dir`, named by its path without `.json`.
    pub(crate) fn from_dir(dir: &Path, reading: Reading) -> Result<EventSet, EventError> {
        let mut files = Vec::new();
        collect(dir, dir, 0, &mut files)?;
        files.sort();
        let mut events = Vec::new();
        for file in files {
            let bytes = input::read(&file, Kind::Event)?;
            let value = read_event(&file, &bytes, reading)?;
            let relative = file.strip_prefix(dir).unwrap_or(&file);
            let name = relative
                .to_string_lossy()
                .replace('\\', "/")
                .trim_end_matches(".json")
                .to_string();
            events.push(SampleEvent::new(name, value));
        }
        if events.is_empty() {
            return Err(EventError::Empty(dir.to_path_buf()));
        }
        Ok(EventSet {
            origin: dir.display().to_string(),
            events,
        })
    }

    /// The event named `name`. In a set of other events (a checkout's `sample-context/`), one
    /// of ldhook's own names (README's and init's `flag/toggle-on`) stands for the set's only
    /// event that is the same change: same kind, action and verb. None, or several, and the
    /// error lists the names there are.
    pub fn find(&self, name: &str) -> Result<&SampleEvent, EventError> {
        let name = name.trim_end_matches(".json");
        self.events
            .iter()
            .find(|e| e.name == name)
            .or_else(|| self.same_change_as_embedded(name))
            .ok_or_else(|| EventError::Unknown {
                name: name.to_string(),
                available: self.names().join(", "),
            })
    }

    fn same_change_as_embedded(&self, name: &str) -> Option<&SampleEvent> {
        if self.origin == EMBEDDED_ORIGIN {
            return None;
        }
        let embedded = EventSet::embedded();
        let own = embedded.events.iter().find(|e| e.name == name)?;
        let change = own.change();
        let mut same = self.events.iter().filter(|e| e.change() == change);
        match (same.next(), same.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    pub fn names(&self) -> Vec<&str> {
        self.events.iter().map(|e| e.name.as_str()).collect()
    }
}

/// Reads one event file, naming a broken one with its line and column. An event is an object:
/// anything else would only fail later, in a template, with a message about the template.
pub(crate) fn read_event(path: &Path, bytes: &[u8], reading: Reading) -> Result<Value, EventError> {
    let value = match reading {
        Reading::Strict => read_strict(path, bytes)?,
        Reading::Render => read_render(path, bytes, "event")?,
    };
    let found = match &value {
        Value::Object(_) => return Ok(value),
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    };
    Err(EventError::NotAnObject {
        path: path.to_path_buf(),
        found,
    })
}

/// Reads a `template --context` file, any JSON value, as `JSON.parse` reads it.
pub fn read_context(path: &Path, bytes: &[u8]) -> Result<Value, EventError> {
    read_render(path, bytes, "render context")
}

/// The strict reader's verdict: what `validate` reads sample events with.
fn read_strict(path: &Path, bytes: &[u8]) -> Result<Value, EventError> {
    json::decode(bytes)
        .and_then(json::parse_plain)
        .map_err(|error| syntax(path, bytes, "event", error))
}

/// `JSON.parse`'s verdict, with a lone surrogate set apart: JSON, but not renderable.
fn read_render(path: &Path, bytes: &[u8], what: &'static str) -> Result<Value, EventError> {
    let text = json::decode(bytes).map_err(|error| syntax(path, bytes, what, error))?;
    json::parse_context(text).map_err(|error| match error {
        json::ContextError::Syntax(error) => syntax(path, bytes, what, error),
        json::ContextError::LoneSurrogate(error) => {
            let (line, column) = place(path, bytes, &error);
            EventError::Unrenderable {
                path: path.to_path_buf(),
                line,
                column,
                message: error.message,
            }
        }
    })
}

fn syntax(path: &Path, bytes: &[u8], what: &'static str, error: json::SyntaxError) -> EventError {
    let (line, column) = place(path, bytes, &error);
    EventError::Syntax {
        path: path.to_path_buf(),
        what,
        line,
        column,
        message: error.message,
    }
}

/// The line and column where `error` starts.
fn place(path: &Path, bytes: &[u8], error: &json::SyntaxError) -> (usize, usize) {
    let source = crate::diagnostics::SourceFile::new(
        path.display().to_string(),
        String::from_utf8_lossy(bytes).into_owned(),
    );
    let at = source.position(error.span.start);
    (at.line, at.column)
}

fn collect(
    root: &Path,
    dir: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
) -> Result<(), EventError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EventError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let path = entry
            .map_err(|source| EventError::Read {
                path: root.to_path_buf(),
                source,
            })?
            .path();
        if path.is_dir() && depth == 0 {
            collect(root, &path, depth + 1, files)?;
        } else if path.is_file() && path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkout_set(events: &[(&str, serde_json::Value)]) -> EventSet {
        EventSet {
            origin: "sample-context".to_string(),
            events: events
                .iter()
                .map(|(name, value)| SampleEvent::new((*name).to_string(), value.clone()))
                .collect(),
        }
    }

    fn toggle(verb: &str) -> serde_json::Value {
        serde_json::json!({"kind": "flag", "verbKind": "updateOn", "titleVerb": verb})
    }

    #[test]
    fn an_own_name_stands_for_the_one_checkout_event_that_is_the_same_change() {
        let set = checkout_set(&[("flag/toggle", toggle("turned on the flag"))]);
        assert_eq!(
            set.find("flag/toggle-on").map(|e| e.name.as_str()).ok(),
            Some("flag/toggle")
        );
        let error = set
            .find("flag/toggle-off")
            .map(|_| ())
            .expect_err("not the same change");
        assert_eq!(
            error.to_string(),
            "no sample event `flag/toggle-off`; available: flag/toggle"
        );
        let two = checkout_set(&[
            ("flag/a", toggle("turned on the flag")),
            ("flag/b", toggle("turned on the flag")),
        ]);
        assert!(
            two.find("flag/toggle-on").is_err(),
            "two candidates: no guess"
        );
    }

    #[test]
    fn the_embedded_set_is_complete_and_well_formed() {
        // Embedded events are parsed when first used, so this is where a broken one shows.
        for (path, text) in EMBEDDED {
            let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(value.is_object(), "{path} is not an object");
        }
        let set = EventSet::embedded();
        assert_eq!(set.events.len(), EMBEDDED.len());
        for kind in [
            "flag",
            "project",
            "environment",
            "member",
            "segment",
            "metric",
        ] {
            assert!(
                set.events.iter().any(|e| e.kind() == kind),
                "no {kind} event"
            );
        }
        for event in &set.events {
            assert!(
                !event.verb_kind().is_empty(),
                "{} has no verbKind",
                event.name
            );
            assert!(
                event.value()["timestamp"]["milliseconds"].is_i64(),
                "{}",
                event.name
            );
        }
        assert!(set.find("flag/toggle-on").is_ok());
        assert!(set.find("flag/toggle-on.json").is_ok());
        assert!(matches!(
            set.find("flag/nope"),
            Err(EventError::Unknown { .. })
        ));
    }

    #[test]
    fn reads_a_directory_and_names_a_broken_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("flag")).expect("mkdir");
        std::fs::write(dir.path().join("flag/a.json"), r#"{"kind": "flag"}"#).expect("write");
        let set = EventSet::from_dir(dir.path(), Reading::Strict).expect("readable");
        assert_eq!(set.names(), ["flag/a"]);
        std::fs::write(dir.path().join("flag/b.json"), "{\n  \"kind\": ,\n}").expect("write");
        let error = EventSet::from_dir(dir.path(), Reading::Render).expect_err("broken file");
        assert!(
            matches!(
                error,
                EventError::Syntax {
                    line: 2,
                    column: 11,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn an_event_is_an_object() {
        let error = read_event(
            Path::new("e.json"),
            b"[{\"kind\": \"flag\"}]",
            Reading::Render,
        )
        .expect_err("array");
        assert_eq!(
            error.to_string(),
            "e.json: a sample event is a JSON object, and this file holds an array"
        );
    }
}

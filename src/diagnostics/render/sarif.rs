//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other dashboards.
//!
//! Every file is named by a URI relative to the repository root (`%SRCROOT%`, whose absolute
//! `file://` URI the run gives), so that code scanning can match it to the checkout; a file
//! outside that root gets its own absolute `file://` URI. Standard input without a name is
//! nowhere on disk: its findings carry no physical location. Where files are comes from the
//! report (`Report::places`); nothing here looks at the filesystem.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Location, Places, Report, Severity};
use crate::escape;
use crate::registry::{self, Rule};

/// The base every relative URI resolves against: the repository root.
const SOURCE_ROOT: &str = "%SRCROOT%";

use crate::registry::REPOSITORY;

pub(super) fn render(report: &Report) -> String {
    let rules: Vec<Value> = registry::ALL.iter().map(|r| rule(r)).collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|diagnostic| result(diagnostic, &report.places))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "ldhook",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": REPOSITORY,
                "rules": rules
            }
        },
        "columnKind": "unicodeCodePoints",
        "properties": { "schema": report.schema },
        "results": results
    });
    if let (Some(root), Some(run)) = (&report.places.root, run.as_object_mut()) {
        run.insert(
            "originalUriBaseIds".to_string(),
            json!({ SOURCE_ROOT: { "uri": directory_uri(root) } }),
        );
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run]
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

fn rule(rule: &Rule) -> Value {
    let help_uri = rule.docs_url();
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.explanation },
        "helpUri": help_uri,
        "help": {
            "text": format!("{}\n\nSee {help_uri}", rule.explanation),
            "markdown": format!("{}\n\n[{} {} in ldhook's rules]({help_uri})", rule.explanation, rule.id, rule.name)
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": [rule.group.as_str()] }
    })
}

fn result(diagnostic: &Diagnostic, places: &Places) -> Value {
    let rule_index = registry::ALL
        .iter()
        .position(|rule| rule.id == diagnostic.rule.id);
    let mut place = Map::new();
    if let Some(artifact) = artifact_location(places, diagnostic.file.name()) {
        let mut physical = Map::new();
        physical.insert("artifactLocation".to_string(), artifact);
        if let Some(location) = diagnostic.location() {
            physical.insert("region".to_string(), region(&location));
        }
        place.insert("physicalLocation".to_string(), Value::Object(physical));
    }
    if let Some(pointer) = &diagnostic.pointer {
        place.insert(
            "logicalLocations".to_string(),
            json!([{ "fullyQualifiedName": pointer.as_str(), "kind": "member" }]),
        );
    }
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, related)| {
            let mut location = json!({ "id": id, "message": { "text": related.message } });
            let file = related.file_or(&diagnostic.file);
            if let (Some(artifact), Some(object)) = (
                artifact_location(places, file.name()),
                location.as_object_mut(),
            ) {
                object.insert(
                    "physicalLocation".to_string(),
                    json!({
                        "artifactLocation": artifact,
                        "region": region(&related.location(&diagnostic.file))
                    }),
                );
            }
            location
        })
        .collect();
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!(" ({help})"));
    }
    let mut result = Map::new();
    result.insert("ruleId".to_string(), json!(diagnostic.rule.id));
    result.insert("ruleIndex".to_string(), json!(rule_index));
    result.insert("level".to_string(), json!(level(diagnostic.severity)));
    result.insert("message".to_string(), json!({ "text": text }));
    if !place.is_empty() {
        result.insert("locations".to_string(), json!([place]));
    }
    if !related.is_empty() {
        result.insert("relatedLocations".to_string(), Value::Array(related));
    }
    if let Some(fix) = fix(diagnostic, places) {
        result.insert("fixes".to_string(), json!([fix]));
    }
    Value::Object(result)
}

/// The finding's fix as SARIF's `fix`: each edit a replacement of a region of its file (code
/// scanning offers it as a suggestion). A file with no place on disk cannot be changed.
fn fix(diagnostic: &Diagnostic, places: &Places) -> Option<Value> {
    let fix = diagnostic.fix.as_ref()?;
    let artifact = artifact_location(places, diagnostic.file.name())?;
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            json!({
                "deletedRegion": region(&diagnostic.file.location(edit.span.clone())),
                "insertedContent": { "text": edit.replacement }
            })
        })
        .collect();
    Some(json!({
        "description": { "text": fix.message },
        "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }]
    }))
}

/// A file as SARIF names it: relative to the repository root when it is inside it, else by its
/// absolute URI; `None` for a file with no place on disk.
fn artifact_location(places: &Places, name: &str) -> Option<Value> {
    let path = places.absolute.get(name)?;
    let relative = places
        .root
        .as_ref()
        .and_then(|root| path.strip_prefix(root).ok());
    Some(match relative {
        Some(relative) => json!({
            "uri": escape::sarif_uri(&relative.to_string_lossy()),
            "uriBaseId": SOURCE_ROOT
        }),
        None => json!({ "uri": escape::file_uri(path) }),
    })
}

/// A directory's `file://` URI, ending in `/` as a base URI must for relative ones to resolve
/// inside it.
fn directory_uri(dir: &Path) -> String {
    let mut uri = escape::file_uri(dir);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn region(location: &Location) -> Value {
    json!({
        "startLine": location.start.line,
        "startColumn": location.start.column,
        "endLine": location.end.line,
        "endColumn": location.end.column
    })
}

/// SARIF's `level`: its `error` and `warning` are named as ldhook's severities are.
fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other dashboards.

use serde_json::{Value, json};

use crate::diagnostics::{Diagnostic, Report, Severity};
use crate::registry;

pub(super) fn render(report: &Report) -> String {
    let rules: Vec<Value> = registry::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.explanation },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": [rule.group.as_str()] }
            })
        })
        .collect();
    let results: Vec<Value> = report.diagnostics.iter().map(result).collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ldhook",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/launchdarkly/integration-framework",
                    "rules": rules
                }
            },
            "columnKind": "unicodeCodePoints",
            "properties": { "schema": report.schema },
            "results": results
        }]
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

fn result(diagnostic: &Diagnostic) -> Value {
    let rule_index = registry::ALL
        .iter()
        .position(|rule| rule.id == diagnostic.rule.id);
    let mut physical = serde_json::Map::new();
    physical.insert(
        "artifactLocation".to_string(),
        json!({ "uri": crate::escape::sarif_uri(diagnostic.file.name()) }),
    );
    if let Some(location) = diagnostic.location() {
        physical.insert(
            "region".to_string(),
            json!({
                "startLine": location.start.line,
                "startColumn": location.start.column,
                "endLine": location.end.line,
                "endColumn": location.end.column
            }),
        );
    }
    let mut place = serde_json::Map::new();
    place.insert("physicalLocation".to_string(), Value::Object(physical));
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
            let location = related.location(&diagnostic.file);
            json!({
                "id": id,
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": crate::escape::sarif_uri(related.file_or(&diagnostic.file).name())
                    },
                    "region": {
                        "startLine": location.start.line,
                        "startColumn": location.start.column,
                        "endLine": location.end.line,
                        "endColumn": location.end.column
                    }
                },
                "message": { "text": related.message }
            })
        })
        .collect();
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!(" ({help})"));
    }
    let mut result = json!({
        "ruleId": diagnostic.rule.id,
        "ruleIndex": rule_index,
        "level": level(diagnostic.severity),
        "message": { "text": text },
        "locations": [place]
    });
    if let (false, Some(result)) = (related.is_empty(), result.as_object_mut()) {
        result.insert("relatedLocations".to_string(), Value::Array(related));
    }
    result
}

/// SARIF's `level`: its `error` and `warning` are named as ldhook's severities are.
fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

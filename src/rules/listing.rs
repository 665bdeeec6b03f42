//! What the integrations page shows: icons, the overview, and what the integration does.

use super::subject::Subject;
use super::*;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::integration::FileError;
use crate::pointer::Pointer;

/// The one integration the framework's own suite lets through without any capability.
const FRAMEWORK_EXEMPT_FROM_CAPABILITIES: &[&str] = &["aiconfig-test-run"];

pub(super) fn check(s: &Subject, out: &mut Vec<Diagnostic>) {
    icons(s, out);
    let manifest = &s.integration.document.value;
    if let Some(overview) = manifest["overview"].as_str()
        && !overview.ends_with('.')
    {
        let at = Pointer::root().child("overview");
        let finding = s.at(
            &OVERVIEW_PERIOD,
            &at,
            "`overview` must end with a period, as the integrations page shows it as a sentence",
        );
        let written = s.integration.document.value_span(at.as_str());
        out.push(match written.and_then(|span| end_with_period(s, span)) {
            Some(fix) => finding.with_fix(fix),
            None => finding,
        });
    }
    let has_capabilities = manifest.get("capabilities").is_some();
    let other = manifest["otherCapabilities"]
        .as_array()
        .is_some_and(|list| !list.is_empty());
    if !has_capabilities
        && !other
        && !FRAMEWORK_EXEMPT_FROM_CAPABILITIES.contains(&s.integration.key().as_str())
    {
        out.push(s.at(
            &OTHER_CAPABILITIES_MISSING,
            &Pointer::root(),
            "the manifest declares no `capabilities`, so it must list what the integration does in `otherCapabilities`",
        ));
    }
}

/// The period goes before the closing quote, in place of any spaces the sentence ends with
/// (`"Sends events. "` keeps its period and loses the space).
fn end_with_period(s: &Subject, string: std::ops::Range<usize>) -> Option<Fix> {
    let raw = s.integration.document.source.text().get(string.clone())?;
    let inside = raw.strip_prefix('"')?.strip_suffix('"')?;
    let trimmed = inside.trim_end_matches(' ');
    let close = string.end.checked_sub(1)?;
    let start = close.checked_sub(inside.len().saturating_sub(trimmed.len()))?;
    let replacement = if trimmed.ends_with('.') { "" } else { "." };
    Some(Fix {
        message: "end `overview` with a period".to_string(),
        edits: vec![Edit {
            span: start..close,
            replacement: replacement.to_string(),
        }],
    })
}

fn icons(s: &Subject, out: &mut Vec<Diagnostic>) {
    if !s.placed {
        return;
    }
    for which in ["square", "horizontal"] {
        let at = Pointer::root().child("icons").child(which);
        let path = s
            .integration
            .document
            .value
            .get("icons")
            .and_then(|i| i.get(which));
        let Some(path) = path.and_then(serde_json::Value::as_str) else {
            continue;
        };
        match s.integration.icon_head(path) {
            Err(FileError::Missing(_)) => out.push(s.at(
                &ICON_MISSING,
                &at,
                format!("the {which} icon `{path}` does not exist in the integration directory"),
            )),
            Err(error @ (FileError::Absolute(_) | FileError::Escapes(_))) => {
                out.push(s.at(&PATH_ESCAPES, &at, format!("the {which} icon: {error}")));
            }
            Err(error) => out.push(s.at(&ICON_MISSING, &at, format!("the {which} icon: {error}"))),
            Ok(head) => {
                if let Err(problem) = svg_problem(&head.bytes) {
                    out.push(s.at(
                        &ICON_NOT_SVG,
                        &at,
                        format!("the {which} icon `{path}` is not an SVG image: {problem}"),
                    ));
                }
            }
        }
    }
}

/// `Ok` when the bytes are an SVG document: after an optional BOM, XML declaration, comments and
/// doctype, the first element is `<svg`.
pub(crate) fn svg_problem(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("the file is empty".to_string());
    }
    if bytes.starts_with(b"\x89PNG") {
        return Err("it is a PNG file".to_string());
    }
    // Only the head of a large icon is read, and it may end inside a character.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() => bytes
            .get(..error.valid_up_to())
            .and_then(|head| std::str::from_utf8(head).ok())
            .unwrap_or_default(),
        Err(_) => return Err("it is not text".to_string()),
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = after.split_once('>').map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let root = rest
        .strip_prefix("<svg")
        .map(|after| after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'));
    match root {
        Some(true) => Ok(()),
        _ => Err("its root element is not <svg>".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::svg_problem;

    #[test]
    fn recognises_svg_documents() {
        assert!(svg_problem(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").is_ok());
        assert!(svg_problem(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- logo -->\n<!DOCTYPE svg>\n<svg>\n</svg>").is_ok());
        assert!(svg_problem(b"").is_err());
        assert!(svg_problem(b"\x89PNG\r\n").is_err());
        assert!(svg_problem(b"<html><svg/></html>").is_err());
        assert!(svg_problem(b"<svgfoo/>").is_err());
    }
}

//! `$ref`s the interpreter follows: `""` (which `jsonschema` treats as always valid), `#`,
//! `#/json/pointer` inside the current document, and, between ldhook's embedded files,
//! `relative.json#/pointer` resolved against the document's URI. The scan refuses every other
//! form, so `jsonschema` handles named anchors, remote and on-disk references.

use serde_json::Value;

use super::{Abort, Doc, Interpreter, Origin};
use crate::schema::embedded;
use crate::schema::retrieve::percent_decode;

/// Where a `$ref` leads, before the target document is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target<'r> {
    AlwaysValid,
    SameDoc { fragment: &'r str },
    Embedded { index: usize, fragment: &'r str },
}

/// `None`: a form the interpreter leaves to `jsonschema`.
pub(super) fn target<'r>(
    reference: &'r str,
    origin: Origin,
    base: Option<&str>,
) -> Option<Target<'r>> {
    if reference.is_empty() {
        return Some(Target::AlwaysValid);
    }
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return None;
    }
    if path.is_empty() {
        return Some(Target::SameDoc { fragment });
    }
    if origin != Origin::Embedded {
        return None;
    }
    let relative = join(base?, path)?;
    let index = embedded::FILES
        .iter()
        .position(|(file, _)| *file == relative)?;
    Some(Target::Embedded { index, fragment })
}

/// `path` against `base`, both beneath the embedded base URI, as a path relative to it.
fn join(base: &str, path: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
    let (mut segments, path) = if let Some(absolute) = path.strip_prefix(embedded::BASE_URI) {
        (Vec::new(), absolute)
    } else {
        let within = base.strip_prefix(embedded::BASE_URI)?;
        let mut dir: Vec<&str> = within.split('/').collect();
        dir.pop();
        (dir, path)
    };
    if !path.chars().all(plain) || path.starts_with('/') {
        return None;
    }
    for segment in path.split('/') {
        match segment {
            "" => return None,
            "." => {}
            ".." => {
                segments.pop()?;
            }
            name => segments.push(name),
        }
    }
    Some(segments.join("/"))
}

/// The value a `#` fragment names, with percent- and `~`-escapes decoded; array indices must be
/// written plainly. `None`: no such value, or a pointer written in a way engines read apart.
pub(super) fn pointer<'v>(root: &'v Value, fragment: &str) -> Option<&'v Value> {
    if fragment.is_empty() {
        return Some(root);
    }
    let decoded = percent_decode(fragment);
    let mut node = root;
    for token in decoded.strip_prefix('/')?.split('/') {
        let token = unescape(token)?;
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(index(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn unescape(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        match c {
            '~' => match chars.next()? {
                '0' => out.push('~'),
                '1' => out.push('/'),
                _ => return None,
            },
            c => out.push(c),
        }
    }
    Some(out)
}

fn index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
    if canonical && token.bytes().all(|b| b.is_ascii_digit()) {
        token.parse().ok()
    } else {
        None
    }
}

/// What `$ref` in `doc` leads to: `None` for a reference that is always valid.
pub(super) fn resolve<'s>(
    interpreter: &'s Interpreter,
    doc: &'s Doc,
    reference: &str,
) -> Result<Option<(&'s Doc, &'s Value)>, Abort> {
    let unresolved = || Abort::new(format!("`$ref` {reference} does not resolve"));
    let (target_doc, fragment) =
        match target(reference, interpreter.origin, doc.base.as_deref()).ok_or_else(unresolved)? {
            Target::AlwaysValid => return Ok(None),
            Target::SameDoc { fragment } => (doc, fragment),
            Target::Embedded { index, fragment } => (interpreter.doc(index)?, fragment),
        };
    let value = pointer(&target_doc.value, fragment).ok_or_else(unresolved)?;
    Ok(Some((target_doc, value)))
}

/// Whether `fragment` leads through subschema positions only, so that the scan has seen
/// what it names as a schema.
pub(super) fn is_schema_path(root: &Value, fragment: &str) -> bool {
    if fragment.is_empty() {
        return true;
    }
    let Some(target) = pointer(root, fragment) else {
        return false;
    };
    let tokens: Vec<String> = crate::pointer::tokens(&percent_decode(fragment)).collect();
    descends_through_schemas(root, &tokens) && (target.is_object() || target.is_boolean())
}

fn descends_through_schemas(root: &Value, tokens: &[String]) -> bool {
    let mut node = root;
    let mut rest = tokens;
    while let Some((keyword, tail)) = rest.split_first() {
        let Some(value) = node.get(keyword) else {
            return false;
        };
        let (next, tail) = match keyword.as_str() {
            "properties" | "patternProperties" | "definitions" | "dependencies" => {
                match tail.split_first() {
                    Some((name, tail)) => (value.get(name), tail),
                    None => return false,
                }
            }
            "allOf" | "anyOf" | "oneOf" => indexed(value, tail),
            "items" if value.is_array() => indexed(value, tail),
            "items" => (Some(value), tail),
            one if super::ONE_SCHEMA_KEYWORDS.contains(&one) => (Some(value), tail),
            _ => return false,
        };
        match next {
            Some(next) => node = next,
            None => return false,
        }
        rest = tail;
    }
    true
}

fn indexed<'v, 't>(value: &'v Value, tail: &'t [String]) -> (Option<&'v Value>, &'t [String]) {
    match tail.split_first() {
        Some((index, tail)) => (index.parse::<usize>().ok().and_then(|i| value.get(i)), tail),
        None => (None, tail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relative_references_resolve_between_embedded_files() {
        let base = embedded::uri_of("capabilities/approval.json");
        let Some(Target::Embedded { index, fragment }) = target(
            "../definitions.json#/definitions/endpoint",
            Origin::Embedded,
            Some(&base),
        ) else {
            panic!("an embedded target");
        };
        assert_eq!(embedded::FILES[index].0, "definitions.json");
        assert_eq!(fragment, "/definitions/endpoint");
        assert!(target("parser.json", Origin::Embedded, Some(&base)).is_some());
        assert!(target("../../x.json", Origin::Embedded, Some(&base)).is_none());
        assert!(target("missing.json", Origin::Embedded, Some(&base)).is_none());
    }

    #[test]
    fn files_on_disk_follow_only_their_own_fragments() {
        assert_eq!(
            target("#/a", Origin::File, None),
            Some(Target::SameDoc { fragment: "/a" })
        );
        assert_eq!(target("", Origin::File, None), Some(Target::AlwaysValid));
        assert!(target("other.json#/a", Origin::File, None).is_none());
        assert!(target("#anchor", Origin::File, None).is_none());
        assert!(target("https://example.com/s.json", Origin::File, None).is_none());
    }

    #[test]
    fn pointers_decode_escapes_and_refuse_odd_indices() {
        let doc = json!({"a/b": {"~c": [1, {"d e": 2}]}});
        assert_eq!(pointer(&doc, "/a~1b/~0c/1/d%20e"), Some(&json!(2)));
        assert_eq!(pointer(&doc, ""), Some(&doc));
        assert!(pointer(&doc, "/a~1b/~0c/01").is_none());
        assert!(pointer(&doc, "/a~2b").is_none());
        assert!(pointer(&doc, "/missing").is_none());
    }
}

//! `--set path=value`: a sample event varied before routing and policy see it, as Stripe's
//! `trigger --override` and Shopify's `webhook trigger` let a payload vary. Only a path the
//! event has may be set: a misspelt one is an error that names the likely one, not a new
//! member nobody reads.

use serde_json::Value;

use crate::diagnostics::suggest;

/// Dotted paths deeper than this are refused: no event nests so deep.
const MAX_SEGMENTS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("--set #{position}: expected PATH=VALUE (`--set name='Flag \"quoted\"'`)")]
    NoEquals { position: usize },
    #[error("--set #{position}: the path is empty or has an empty segment")]
    EmptySegment { position: usize },
    #[error("--set #{position}: the path has more than {MAX_SEGMENTS} segments")]
    TooDeep { position: usize },
    #[error("--set #{position}: the event has no `{path}`{}", did_you_mean.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        position: usize,
        path: String,
        did_you_mean: Option<String>,
    },
    #[error("--set #{position}: `{path}` is {found}, which has no members")]
    NotAContainer {
        position: usize,
        path: String,
        found: &'static str,
    },
}

/// Applies each `path=value` of `sets` to `event`, in order. The value is JSON when it
/// parses as JSON (`true`, `3`, `{"a":1}`, `"quoted"`), else the text as a string.
pub fn apply(event: &mut Value, sets: &[String]) -> Result<(), SetError> {
    for (set, position) in sets.iter().zip(1..) {
        let (path, value) = set.split_once('=').ok_or(SetError::NoEquals { position })?;
        let segments: Vec<&str> = path.split('.').collect();
        if segments.len() > MAX_SEGMENTS {
            return Err(SetError::TooDeep { position });
        }
        if segments.iter().any(|segment| segment.is_empty()) {
            return Err(SetError::EmptySegment { position });
        }
        let value =
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
        let slot = find(event, &segments, position)?;
        *slot = value;
    }
    Ok(())
}

/// The value at `segments`, each of which must exist.
fn find<'v>(
    event: &'v mut Value,
    segments: &[&str],
    position: usize,
) -> Result<&'v mut Value, SetError> {
    let mut current = event;
    for (depth, segment) in segments.iter().enumerate() {
        let walked = || segments.get(..=depth).unwrap_or_default().join(".");
        let parent = || segments.get(..depth).unwrap_or_default().join(".");
        current = match current {
            Value::Object(map) => {
                if !map.contains_key(*segment) {
                    let did_you_mean = suggest::closest(segment, map.keys().map(String::as_str))
                        .map(|name| join(&parent(), name));
                    return Err(SetError::Unknown {
                        position,
                        path: walked(),
                        did_you_mean,
                    });
                }
                map.get_mut(*segment)
                    .ok_or(SetError::EmptySegment { position })?
            }
            Value::Array(items) => {
                let index = segment.parse::<usize>().ok().filter(|i| *i < items.len());
                let Some(index) = index else {
                    return Err(SetError::Unknown {
                        position,
                        path: walked(),
                        did_you_mean: None,
                    });
                };
                items
                    .get_mut(index)
                    .ok_or(SetError::EmptySegment { position })?
            }
            other => {
                return Err(SetError::NotAContainer {
                    position,
                    path: parent(),
                    found: kind(other),
                });
            }
        };
    }
    Ok(current)
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn values_are_json_or_text_at_existing_paths() {
        let mut event = json!({"name": "a", "project": {"environment": {"key": "prod"}}, "accesses": [{"action": "x"}]});
        apply(
            &mut event,
            &sets(&[
                r#"name=Flag "quoted""#,
                "project.environment.key=staging",
                "accesses.0.action=\"updateOn\"",
                "project.environment={\"key\":\"dev\",\"n\":1}",
            ]),
        )
        .expect("applies");
        assert_eq!(
            event,
            json!({"name": "Flag \"quoted\"", "project": {"environment": {"key": "dev", "n": 1}}, "accesses": [{"action": "updateOn"}]})
        );
    }

    #[test]
    fn an_unknown_path_is_an_error_that_names_the_likely_one() {
        let mut event = json!({"project": {"environment": {"key": "prod"}}, "n": 1, "l": []});
        let error = apply(&mut event, &sets(&["project.enviroment.key=x"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--set #1: the event has no `project.enviroment`; did you mean `project.environment`?"
        );
        assert!(matches!(
            apply(&mut event, &sets(&["n.x=1"])),
            Err(SetError::NotAContainer { .. })
        ));
        assert!(matches!(
            apply(&mut event, &sets(&["l.0=1"])),
            Err(SetError::Unknown { .. })
        ));
        assert!(matches!(
            apply(&mut event, &sets(&["n"])),
            Err(SetError::NoEquals { .. })
        ));
        assert!(matches!(
            apply(&mut event, &sets(&["a..b=1"])),
            Err(SetError::EmptySegment { .. })
        ));
    }
}

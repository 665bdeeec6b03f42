//! Form-variable profiles: `[profiles.NAME]` in `ldhook.toml` (or a `--vars-file`), the values
//! `send` and `render` use for an integration's form variables. Secrets stay out of the
//! repository: a secret variable's value may only name an environment variable
//! (`apiToken = { env = "ACME_TOKEN" }`); a literal one is an error at its place.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use super::file::{place_at, read_source};
use crate::diagnostics::suggest;
use crate::manifest::model::FormVariable;

/// One profile of a TOML file, each key and value with its place.
type Profile = BTreeMap<Spanned<String>, Spanned<RawValue>>;

#[derive(Deserialize)]
struct Raw {
    profiles: Option<BTreeMap<String, Profile>>,
}

/// The same, read from JSON, which has no places to give.
#[derive(Deserialize)]
struct RawJson {
    profiles: Option<BTreeMap<String, BTreeMap<String, RawValue>>>,
}

/// A profile's members: key, value and the places of each.
type Members = Vec<(
    String,
    std::ops::Range<usize>,
    RawValue,
    std::ops::Range<usize>,
)>;

#[derive(Deserialize)]
#[serde(untagged)]
enum RawValue {
    Env { env: String },
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
}

/// The values profile `name` of the file at `path` (named `shown` in messages) gives the
/// form variables `variables`, as `--var` pairs; `environment` reads an environment variable.
pub fn read(
    path: &Path,
    shown: &str,
    name: &str,
    variables: &[FormVariable],
    environment: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>, ConfigError> {
    let source = read_source(path, shown)?;
    let text = source.text();
    let place = |span: std::ops::Range<usize>| place_at(&source, shown, span.start);
    let invalid = |span: std::ops::Range<usize>, message: String| ConfigError::Invalid {
        place: place(span),
        message,
    };
    let is_json = Path::new(shown)
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
    let profiles = all_profiles(text, is_json, &invalid)?;
    let Some(profile) = profiles.get(name) else {
        let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
        let message = match suggest::closest(name, known.iter().copied()) {
            Some(close) => format!("no [profiles.{name}]; did you mean `{close}`?"),
            None if known.is_empty() => format!("no [profiles.{name}]: the file has no profiles"),
            None => format!(
                "no [profiles.{name}]; the profiles are {}",
                known.join(", ")
            ),
        };
        return Err(invalid(0..0, message));
    };
    let mut vars = Vec::new();
    for (key, key_span, value, value_span) in profile {
        let variable = variables.iter().find(|v| v.key == *key);
        let Some(variable) = variable else {
            let close = suggest::closest(key, variables.iter().map(|v| v.key.as_str()));
            return Err(invalid(
                key_span.clone(),
                format!(
                    "`{key}` is not a form variable of this integration{}",
                    close
                        .map(|c| format!("; did you mean `{c}`? (keys match exactly)"))
                        .unwrap_or_default()
                ),
            ));
        };
        let text = match value {
            RawValue::Env { env } => environment(env).ok_or_else(|| {
                invalid(
                    value_span.clone(),
                    format!("`{key}` reads the environment variable {env}, which is not set"),
                )
            })?,
            _ if variable.is_secret => {
                return Err(invalid(
                    value_span.clone(),
                    format!(
                        "`{key}` is a secret form variable: give it as {{ env = \"VARIABLE\" }}, never as a value in a file"
                    ),
                ));
            }
            RawValue::Text(text) => text.clone(),
            RawValue::Integer(n) => n.to_string(),
            RawValue::Float(x) => x.to_string(),
            RawValue::Bool(b) => b.to_string(),
        };
        vars.push((key.clone(), text));
    }
    Ok(vars)
}

/// Every profile of the file's text, by name.
fn all_profiles(
    text: &str,
    is_json: bool,
    invalid: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
) -> Result<BTreeMap<String, Members>, ConfigError> {
    Ok(if is_json {
        let raw: RawJson =
            serde_json::from_str(text).map_err(|error| invalid(0..0, error.to_string()))?;
        raw.profiles
            .unwrap_or_default()
            .into_iter()
            .map(|(name, members)| {
                let members = members
                    .into_iter()
                    .map(|(k, v)| (k, 0..0, v, 0..0))
                    .collect();
                (name, members)
            })
            .collect()
    } else {
        let raw: Raw = toml::from_str(text).map_err(|error| {
            invalid(
                error.span().unwrap_or(0..0),
                error.message().trim_end().to_string(),
            )
        })?;
        raw.profiles
            .unwrap_or_default()
            .into_iter()
            .map(|(name, members)| {
                let members = members
                    .into_iter()
                    .map(|(key, value)| {
                        let (key_span, value_span) = (key.span(), value.span());
                        (key.into_inner(), key_span, value.into_inner(), value_span)
                    })
                    .collect();
                (name, members)
            })
            .collect()
    })
}

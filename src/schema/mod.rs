//! Validation against a JSON schema: ldhook's embedded one or the framework's own, with ajv 6's
//! verdicts (draft-07, the fast `email` format), and every error turned into a finding.

mod email;
mod embedded;
mod findings;

use std::path::{Path, PathBuf};

use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::input::{self, InputError, Kind, Problem};
use crate::manifest::{Document, json};

pub use email::is_ajv_email;

/// Which schema to check against, as chosen on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaChoice {
    /// The framework's `manifest.schema.json` inside a checkout, else the embedded one.
    Auto,
    Embedded,
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Not a `source`: the file error already says all there is, and is said once.
    #[error("the schema {0}")]
    Read(InputError),
    #[error("{path}:{line}:{column}: the schema is not valid JSON: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the schema {label} cannot be used: {message}")]
    Compile { label: String, message: String },
}

pub struct Schema {
    label: String,
    validator: Validator,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("label", &self.label)
            .finish()
    }
}

impl Schema {
    pub fn embedded() -> Result<Schema, SchemaError> {
        let compile_error = |message: String| SchemaError::Compile {
            label: "embedded".to_string(),
            message,
        };
        let root = embedded::file_for_uri(&embedded::uri_of(embedded::ROOT_FILE))
            .ok_or_else(|| compile_error("the root schema file is missing".to_string()))?;
        let root = embedded::parse(root).map_err(|e| compile_error(e.to_string()))?;
        Self::compile("embedded".to_string(), &root, None)
    }

    pub fn from_file(path: &Path) -> Result<Schema, SchemaError> {
        let bytes = input::read(path, Kind::Schema).map_err(SchemaError::Read)?;
        let value = parse_schema_file(path, &bytes)?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = absolute
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        Self::compile(
            path.display().to_string(),
            &value,
            Some((file_uri(&absolute), dir)),
        )
    }

    /// `file`: the schema file's URI and its directory, beneath which its `$ref`s may read.
    fn compile(
        label: String,
        root: &Value,
        file: Option<(String, PathBuf)>,
    ) -> Result<Schema, SchemaError> {
        let (base_uri, dir) = file.unzip();
        let mut options = jsonschema::options()
            .with_draft(Draft::Draft7)
            .should_validate_formats(true)
            .with_format("email", is_ajv_email)
            .with_retriever(LocalRetriever { dir });
        if let Some(base_uri) = base_uri {
            options = options.with_base_uri(base_uri);
        }
        let validator = options.build(root).map_err(|error| SchemaError::Compile {
            label: label.clone(),
            message: error.to_string(),
        })?;
        Ok(Schema { label, validator })
    }

    /// `embedded`, or the path of the schema file as it was given.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn check(&self, document: &Document) -> Vec<Diagnostic> {
        let mut diagnostics: Vec<Diagnostic> = self
            .validator
            .iter_errors(&document.value)
            .flat_map(|error| findings::from_error(document, &error))
            .collect();
        diagnostics.sort_by_key(|d| d.sort_key());
        diagnostics
            .dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span && a.message == b.message);
        diagnostics
    }
}

fn parse_schema_file(path: &Path, bytes: &[u8]) -> Result<Value, SchemaError> {
    let parsed = json::decode(bytes).and_then(|text| json::parse(text).map(|(value, _)| value));
    parsed.map_err(|error| {
        let source = crate::diagnostics::SourceFile::new(
            path.display().to_string(),
            String::from_utf8_lossy(bytes).into_owned(),
        );
        let at = source.position(error.span.start);
        SchemaError::Syntax {
            path: path.to_path_buf(),
            line: at.line,
            column: at.column,
            message: error.message,
        }
    })
}

/// Serves `$ref`s from the embedded schema files and from files beside the schema file, and
/// never from the network (a schema that needs the network is one ldhook cannot check with in
/// CI) nor from anywhere else on disk: a `$ref` is input too, and must not read `/etc`.
struct LocalRetriever {
    /// The directory of the schema file; `None` for the embedded schema, which reads no file.
    dir: Option<PathBuf>,
}

impl Retrieve for LocalRetriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str();
        if let Some(text) = embedded::file_for_uri(uri) {
            return Ok(embedded::parse(text)?);
        }
        let Some(path) = uri.strip_prefix("file://") else {
            return Err(format!(
                "`{uri}` is not a local file; ldhook does not fetch schemas over the network"
            )
            .into());
        };
        let path = PathBuf::from(percent_decode(path.split('#').next().unwrap_or(path)));
        let beside = self.dir.as_ref().and_then(|dir| {
            path.strip_prefix(dir)
                .ok()
                .map(|relative| (dir, relative.to_string_lossy().into_owned()))
        });
        let Some((dir, relative)) = beside else {
            return Err(format!(
                "`$ref` to {}: ldhook reads only files in the schema's own directory",
                path.display()
            )
            .into());
        };
        let bytes = input::read_beneath(dir, &relative, Kind::Schema).map_err(|error| {
            format!(
                "`$ref` to {}: {}",
                path.display(),
                match error.problem {
                    Problem::Escapes | Problem::Absolute => {
                        "ldhook reads only files in the schema's own directory".to_string()
                    }
                    problem => problem.to_string(),
                }
            )
        })?;
        // The file's name and the place of a syntax error, never its text.
        parse_schema_file(&path, &bytes).map_err(|error| match error {
            SchemaError::Syntax {
                path, line, column, ..
            } => format!(
                "`$ref` to {}:{line}:{column}: not valid JSON",
                path.display()
            )
            .into(),
            other => other.into(),
        })
    }
}

fn file_uri(path: &Path) -> String {
    format!(
        "file://{}",
        crate::escape::uri_path(&path.to_string_lossy())
    )
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The categories the embedded schema allows, in its order: the one list `init` offers.
pub fn embedded_categories() -> Vec<String> {
    embedded::file_for_uri(&embedded::uri_of(embedded::ROOT_FILE))
        .and_then(|text| embedded::parse(text).ok())
        .and_then(|root| {
            root.pointer("/properties/categories/items/enum")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_unusual_paths() {
        let path = Path::new("/tmp/a b/ü%.json");
        let uri = file_uri(path);
        assert_eq!(uri, "file:///tmp/a%20b/%C3%BC%25.json");
        assert_eq!(
            percent_decode(uri.trim_start_matches("file://")),
            path.to_string_lossy()
        );
    }

    #[test]
    fn the_embedded_schema_compiles() {
        let schema = Schema::embedded().expect("embedded schema compiles");
        assert_eq!(schema.label(), "embedded");
    }

    #[test]
    fn a_schema_file_that_is_not_json_names_the_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.json");
        std::fs::write(&path, "{\n  \"type\": \"object\",\n}").expect("write");
        let error = Schema::from_file(&path).expect_err("malformed schema");
        assert!(
            matches!(
                error,
                SchemaError::Syntax {
                    line: 2,
                    column: 19,
                    ..
                }
            ),
            "{error}"
        );
    }
}

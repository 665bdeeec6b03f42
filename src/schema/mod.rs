//! Validation against a JSON schema: ldhook's embedded one or the framework's own, with ajv 6's
//! verdicts (draft-07, the fast `email` format), and every violation turned into a finding.
//!
//! Two engines give the same violations: a draft-07 interpreter (`draft7/`) that walks the
//! parsed schema with no compile step, for the schemas its load-time scan accepts (the
//! embedded and the framework's among them), and `jsonschema` (`compiled.rs`) for every other
//! schema and for the rare check the interpreter cannot settle.

mod compiled;
mod draft7;
mod email;
mod embedded;
mod findings;
mod reader;
mod retrieve;
mod violation;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use crate::input::{self, InputError, Kind};
use crate::manifest::{Document, Mark, json};
use crate::pointer::Pointer;
use crate::registry;

pub use email::is_ajv_email;
use violation::Violation;

/// Which schema to check against, as chosen on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaChoice {
    /// The framework's `manifest.schema.json` inside a checkout, else the embedded one.
    Auto,
    Embedded,
    File(PathBuf),
}

impl SchemaChoice {
    /// What `--schema` takes for the embedded schema, and how reports name it.
    pub(crate) const EMBEDDED_NAME: &'static str = "embedded";

    /// The choice `--schema` makes: none, the embedded schema's name, or a file.
    pub fn from_flag(value: Option<&str>) -> SchemaChoice {
        match value {
            None => SchemaChoice::Auto,
            Some(Self::EMBEDDED_NAME) => SchemaChoice::Embedded,
            Some(file) => SchemaChoice::File(PathBuf::from(file)),
        }
    }
}

/// Which engine checks: for the parity tests and the benchmark, which compare the two.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaEngine {
    /// The interpreter where its scan accepts the schema, else `jsonschema`.
    Auto,
    /// `jsonschema` always, as before the interpreter.
    Jsonschema,
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
    engine: Engine,
}

enum Engine {
    Compiled(Validator),
    Interpreted {
        interpreter: draft7::Interpreter,
        /// The schema file's URI and directory, for compiling `fallback`.
        file: Option<(String, PathBuf)>,
        /// `jsonschema`'s engine, compiled the first time a check is left to it.
        fallback: OnceLock<Result<Validator, String>>,
    },
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("label", &self.label)
            .field("engine", &self.engine_name())
            .finish()
    }
}

impl Schema {
    pub fn embedded() -> Result<Schema, SchemaError> {
        Self::embedded_with(SchemaEngine::Auto)
    }

    pub fn from_file(path: &Path) -> Result<Schema, SchemaError> {
        Self::from_file_with(path, SchemaEngine::Auto)
    }

    #[doc(hidden)]
    pub fn embedded_with(engine: SchemaEngine) -> Result<Schema, SchemaError> {
        let label = SchemaChoice::EMBEDDED_NAME.to_string();
        if engine == SchemaEngine::Auto {
            // The embedded files are fixed at build time; the tests hold them to the meta-schema.
            if let Ok(interpreter) = draft7::Interpreter::embedded() {
                return Ok(Schema::interpreted(label, interpreter, None));
            }
        }
        let compile_error = |message: String| SchemaError::Compile {
            label: label.clone(),
            message,
        };
        let root = embedded::file_for_uri(&embedded::uri_of(embedded::ROOT_FILE))
            .ok_or_else(|| compile_error("the root schema file is missing".to_string()))?;
        let root = embedded::parse(root).map_err(|e| compile_error(e.to_string()))?;
        let validator = compiled::compile(&label, &root, None)?;
        Ok(Schema {
            label,
            engine: Engine::Compiled(validator),
        })
    }

    #[doc(hidden)]
    pub fn from_file_with(path: &Path, engine: SchemaEngine) -> Result<Schema, SchemaError> {
        let bytes = input::read(path, Kind::Schema).map_err(SchemaError::Read)?;
        let value = parse_root_schema_file(path, &bytes)?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = absolute
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        let label = path.display().to_string();
        let file = Some((retrieve::file_uri(&absolute), dir));
        // The scan accepts only schemas the draft-07 meta-schema accepts, so the interpreter
        // refuses whatever `jsonschema` would, by handing it to `jsonschema`.
        if engine == SchemaEngine::Auto && !draft7::declares_nested_schema(&value) {
            match draft7::Interpreter::file(value) {
                Ok(interpreter) => return Ok(Schema::interpreted(label, interpreter, file)),
                Err((_, value)) => return Self::compiled(label, &value, file),
            }
        }
        Self::compiled(label, &value, file)
    }

    fn compiled(
        label: String,
        value: &Value,
        file: Option<(String, PathBuf)>,
    ) -> Result<Schema, SchemaError> {
        let validator = compiled::compile(&label, value, file)?;
        Ok(Schema {
            label,
            engine: Engine::Compiled(validator),
        })
    }

    fn interpreted(
        label: String,
        interpreter: draft7::Interpreter,
        file: Option<(String, PathBuf)>,
    ) -> Schema {
        Schema {
            label,
            engine: Engine::Interpreted {
                interpreter,
                file,
                fallback: OnceLock::new(),
            },
        }
    }

    /// `embedded`, or the path of the schema file as it was given.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// `interpreter` or `jsonschema`: which engine the load chose.
    #[doc(hidden)]
    pub fn engine_name(&self) -> &'static str {
        match self.engine {
            Engine::Compiled(_) => "jsonschema",
            Engine::Interpreted { .. } => "interpreter",
        }
    }

    pub fn check(&self, document: &Document) -> Vec<Diagnostic> {
        let violations = match self.violations(&document.value) {
            Ok(violations) => violations,
            Err(message) => return vec![self.unusable(document, message)],
        };
        let mut diagnostics: Vec<Diagnostic> = violations
            .iter()
            .flat_map(|violation| findings::from_violation(document, violation))
            .collect();
        diagnostics.sort_by_key(super::diagnostics::Diagnostic::sort_key);
        diagnostics
            .dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span && a.message == b.message);
        diagnostics
    }

    /// `Err`: the check was left to `jsonschema`, which could not compile the schema.
    fn violations<'i>(&'i self, instance: &'i Value) -> Result<Vec<Violation<'i>>, String> {
        match &self.engine {
            Engine::Compiled(validator) => Ok(compiled::violations(validator, instance)),
            Engine::Interpreted {
                interpreter,
                file,
                fallback,
            } => {
                if let Ok(violations) = interpreter.check(instance) {
                    Ok(violations)
                } else {
                    let validator = fallback.get_or_init(|| {
                        compiled::compile(&self.label, interpreter.root_value(), file.clone())
                            .map_err(|error| error.to_string())
                    });
                    match validator {
                        Ok(validator) => Ok(compiled::violations(validator, instance)),
                        Err(message) => Err(message.clone()),
                    }
                }
            }
        }
    }

    /// A schema whose flaw only a check reveals (a pattern its regex engine cannot build)
    /// yields this one finding in place of a verdict it cannot give.
    fn unusable(&self, document: &Document, message: String) -> Diagnostic {
        document.finding(
            &registry::SCHEMA_MISMATCH,
            &Pointer::root(),
            Mark::Start,
            message,
        )
    }
}

/// A root schema file, its annotations dropped (see [`reader`]).
fn parse_root_schema_file(path: &Path, bytes: &[u8]) -> Result<Value, SchemaError> {
    parse_schema_file(path, bytes, reader::parse)
}

/// `read` is [`reader::parse`] for a root, and [`json::parse_plain`] for a file a `$ref` reaches
/// (where the `$ref` may point into an annotation).
fn parse_schema_file(
    path: &Path,
    bytes: &[u8],
    read: fn(&str) -> Result<Value, json::SyntaxError>,
) -> Result<Value, SchemaError> {
    let parsed = json::decode(bytes).and_then(read);
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
        let uri = retrieve::file_uri(path);
        assert_eq!(uri, "file:///tmp/a%20b/%C3%BC%25.json");
        assert_eq!(
            retrieve::percent_decode(uri.trim_start_matches("file://")),
            path.to_string_lossy()
        );
    }

    #[test]
    fn the_embedded_schema_is_interpreted_and_compiles_with_jsonschema_too() {
        let schema = Schema::embedded().expect("embedded schema loads");
        assert_eq!(schema.label(), "embedded");
        assert_eq!(schema.engine_name(), "interpreter");
        let compiled = Schema::embedded_with(SchemaEngine::Jsonschema).expect("it compiles");
        assert_eq!(compiled.engine_name(), "jsonschema");
    }

    /// The interpreter skips the meta-schema for the embedded files, which are fixed at build
    /// time: this holds them to it.
    #[test]
    fn every_embedded_file_passes_the_draft7_meta_schema() {
        for (path, text) in embedded::FILES {
            let value = embedded::parse(text).expect("parses");
            assert!(compiled::is_valid_draft7(&value), "{path}");
        }
    }

    fn load_both(text: &str) -> (Result<Schema, SchemaError>, Result<Schema, SchemaError>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.json");
        std::fs::write(&path, text).expect("write");
        (
            Schema::from_file(&path),
            Schema::from_file_with(&path, SchemaEngine::Jsonschema),
        )
    }

    #[test]
    fn a_schema_jsonschema_refuses_is_refused_with_the_same_message() {
        for text in [
            r#"{"type": "strin"}"#,
            r#"{"properties": {"a": {"pattern": "(?<"}}}"#,
            r#"{"definitions": {"unused": {"pattern": "["}}}"#,
            r##"{"properties": {"a": {"$ref": "#/definitions/missing"}}}"##,
            r#"{"minLength": -1}"#,
        ] {
            let (auto, forced) = load_both(text);
            let auto = auto.expect_err(text).to_string();
            assert_eq!(auto, forced.expect_err(text).to_string());
            assert!(auto.contains("cannot be used"), "{auto}");
        }
    }

    #[test]
    fn a_file_schema_takes_the_interpreter_only_where_the_scan_accepts_it() {
        let (plain, _) = load_both(
            r##"{"properties": {"a": {"$ref": "#/definitions/a"}}, "definitions": {"a": {"type": "string"}}}"##,
        );
        assert_eq!(plain.expect("loads").engine_name(), "interpreter");
        let (uri, _) = load_both(r#"{"properties": {"a": {"format": "uri"}}}"#);
        assert_eq!(uri.expect("loads").engine_name(), "jsonschema");
        let (nested, _) = load_both(
            r#"{"properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#"}}}"#,
        );
        assert_eq!(nested.expect("loads").engine_name(), "jsonschema");
    }

    #[test]
    fn a_check_the_interpreter_cannot_settle_is_left_to_jsonschema() {
        let text = r##"{"definitions": {"a": {"not": {"$ref": "#/definitions/a"}}}, "properties": {"x": {"$ref": "#/definitions/a"}}}"##;
        let (auto, forced) = load_both(text);
        let (auto, forced) = (auto.expect("loads"), forced.expect("compiles"));
        assert_eq!(auto.engine_name(), "interpreter");
        let document = Document::parse("m.json", br#"{"x": 1}"#).expect("parses");
        let shown = |schema: &Schema| -> Vec<String> {
            schema
                .check(&document)
                .into_iter()
                .map(|d| d.message)
                .collect()
        };
        assert_eq!(shown(&auto), shown(&forced));
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

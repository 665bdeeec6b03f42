//! Where `$ref`s to other schema files are served from: the embedded files, and files beside the
//! schema file read beneath its directory, never the network.

use std::path::{Path, PathBuf};

use jsonschema::{Retrieve, Uri};
use serde_json::Value;

use super::{SchemaError, embedded, parse_schema_file};
use crate::input::{self, Kind, Problem};
use crate::manifest::json;

/// Serves `$ref`s from the embedded schema files and from files beside the schema file, and
/// never from the network (a schema that needs the network is one ldhook cannot check with in
/// CI) nor from anywhere else on disk: a `$ref` is input too, and must not read `/etc`.
pub(super) struct LocalRetriever {
    /// The directory of the schema file; `None` for the embedded schema, which reads no file.
    pub dir: Option<PathBuf>,
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
        parse_schema_file(&path, &bytes, json::parse_plain).map_err(|error| match error {
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

pub(super) fn file_uri(path: &Path) -> String {
    format!(
        "file://{}",
        crate::escape::uri_path(&path.to_string_lossy())
    )
}

pub(super) fn percent_decode(text: &str) -> String {
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

//! The general engine: a schema compiled by `jsonschema` with ajv 6's settings, for every schema
//! the draft-07 interpreter does not take, and for a check the interpreter leaves to it.

use std::path::PathBuf;

use jsonschema::{Draft, Validator};
use serde_json::Value;

use super::retrieve::LocalRetriever;
use super::violation::Violation;
use super::{SchemaError, is_ajv_email};

/// `file`: the schema file's URI and its directory, beneath which its `$ref`s may read.
pub(super) fn compile(
    label: &str,
    root: &Value,
    file: Option<(String, PathBuf)>,
) -> Result<Validator, SchemaError> {
    let (base_uri, dir) = file.unzip();
    let mut options = jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .with_format("email", is_ajv_email)
        .with_retriever(LocalRetriever { dir });
    if let Some(base_uri) = base_uri {
        options = options.with_base_uri(base_uri);
    }
    options.build(root).map_err(|error| SchemaError::Compile {
        label: label.to_string(),
        message: error.to_string(),
    })
}

pub(super) fn violations<'i>(validator: &'i Validator, instance: &'i Value) -> Vec<Violation<'i>> {
    validator
        .iter_errors(instance)
        .map(|error| Violation::from(&error))
        .collect()
}

/// Whether the root schema passes the draft-07 meta-schema, as `jsonschema` checks it before
/// compiling; the tests hold the scan to it.
#[cfg(test)]
pub(crate) fn is_valid_draft7(root: &Value) -> bool {
    jsonschema::draft7::meta::validator().is_valid(root)
}

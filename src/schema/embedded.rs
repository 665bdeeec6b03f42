//! ldhook's own schema files, compiled into the binary by `build.rs`.

use serde_json::Value;

/// Every `schemas/**/*.json` file: its path relative to `schemas/`, and its text.
pub(super) static FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/embedded_schemas.rs"));

/// The base under which the files refer to each other (`$id`s and relative `$ref`s). The
/// reserved `.invalid` domain makes plain that nothing is ever fetched from it.
pub(super) const BASE_URI: &str = "https://ldhook.invalid/schemas/";

pub(super) const ROOT_FILE: &str = "manifest.schema.json";

pub(super) fn uri_of(relative: &str) -> String {
    format!("{BASE_URI}{relative}")
}

pub(super) fn file_for_uri(uri: &str) -> Option<&'static str> {
    let relative = uri.strip_prefix(BASE_URI)?;
    let relative = relative.split('#').next().unwrap_or(relative);
    FILES
        .iter()
        .find(|(path, _)| *path == relative)
        .map(|(_, text)| *text)
}

/// The embedded files are part of the build, so a malformed one is a bug in ldhook; the tests
/// below keep every one parseable.
pub(super) fn parse(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_names_its_own_id() {
        assert!(FILES.iter().any(|(path, _)| *path == ROOT_FILE));
        for (path, text) in FILES {
            let value = parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(value["$id"], uri_of(path), "{path} must carry its own $id");
        }
    }

    #[test]
    fn resolves_uris_with_fragments() {
        assert!(file_for_uri(&uri_of("definitions.json#/definitions/endpoint")).is_some());
        assert!(file_for_uri("https://example.com/definitions.json").is_none());
    }
}

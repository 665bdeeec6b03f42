//! Embeds every JSON file under `schemas/` and `events/` so the binary carries its own schema
//! and sample events, and so that adding a file needs no edit to a hand-kept list.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn main() -> io::Result<()> {
    embed("schemas", "embedded_schemas.rs")?;
    embed("events", "embedded_events.rs")?;
    categories()
}

/// Writes `OUT_DIR/embedded_categories.rs`: the categories the embedded schema allows, as a
/// `&[&str]`. `init`'s flags list them, and reading them from the schema at run time cost
/// every command a JSON parse before it could even print its version.
fn categories() -> io::Result<()> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?);
    let text = fs::read_to_string(root.join("schemas/manifest.schema.json"))?;
    let schema: serde_json::Value = serde_json::from_str(&text).map_err(io::Error::other)?;
    let names: Vec<&str> = schema
        .pointer("/properties/categories/items/enum")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| io::Error::other("the schema has no categories enum"))?
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(io::Error::other)?);
    fs::write(out.join("embedded_categories.rs"), format!("&{names:?}"))
}

/// Writes `OUT_DIR/<table>`: a `&[(relative path, text)]` of every `.json` file under `dir`.
fn embed(dir: &str, table_name: &str) -> io::Result<()> {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?).join(dir);
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files)?;
    files.sort();
    let mut table = String::from("&[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file
            .strip_prefix(&root)
            .map_err(io::Error::other)?
            .to_string_lossy()
            .replace('\\', "/");
        table.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    table.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(io::Error::other)?);
    fs::write(out.join(table_name), table)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    Ok(())
}

//! Embeds every JSON file under `schemas/` and `events/` so the binary carries its own schema
//! and sample events, and so that adding a file needs no edit to a hand-kept list; and names
//! the build (version, commit, target) for `ldhook --version`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() -> io::Result<()> {
    embed("schemas", "embedded_schemas.rs")?;
    embed("events", "embedded_events.rs")?;
    identity()?;
    categories()
}

/// Sets `LDHOOK_VERSION_LINE` for clap's `--version`: `0.1.0 (commit 0123456789ab, target
/// x86_64-unknown-linux-gnu)`, so a bug report says exactly which build it is about. A source
/// tarball, crate or wheel sdist has no `.git`, and one unpacked inside another repository
/// must not take that repository's commit: the commit is then `unknown`.
fn identity() -> io::Result<()> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?);
    let version = std::env::var("CARGO_PKG_VERSION").map_err(io::Error::other)?;
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string());
    let commit = git_commit(&root).unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=LDHOOK_VERSION_LINE={version} (commit {commit}, target {target})");
    Ok(())
}

/// The checked-out commit when `root` is the top of a git work tree, and the files to watch so
/// that a new commit or checkout runs this script again (only files that exist: a missing one
/// would make cargo run it, and rebuild the crate, on every build).
fn git_commit(root: &Path) -> Option<String> {
    let top = git(root, &["rev-parse", "--show-toplevel"])?;
    if fs::canonicalize(top).ok()? != fs::canonicalize(root).ok()? {
        return None;
    }
    let mut watched = vec![git(root, &["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(root, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(root, &["rev-parse", "--git-path", &branch])?);
    }
    watched.push(git(root, &["rev-parse", "--git-path", "packed-refs"])?);
    for file in watched {
        let file = root.join(file);
        if file.is_file() {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
    git(root, &["rev-parse", "--short=12", "HEAD"])
}

/// One git query in `root`, its output trimmed; `None` without git or outside a repository.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
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

//! The house plan, checked: which top-level module may name which. Each module's imports are
//! read from its source (`crate::<module>` paths outside its unit tests), and the graph they
//! make must have no cycle, with the rule registry at the bottom.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).expect("readable source directory") {
        let entry = entry.expect("directory entry").path();
        if entry.is_dir() {
            files.extend(rust_files(&entry));
        } else if entry.extension().is_some_and(|ext| ext == "rs") {
            files.push(entry);
        }
    }
    files
}

/// The code of a file without its unit tests, which may reach anywhere.
fn without_unit_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |at| &text[..at])
}

fn crate_paths(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("crate::").map(move |(at, _)| {
        let rest = &text[at + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        &rest[..end]
    })
}

fn module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in fs::read_dir(&src).expect("src/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("a UTF-8 name")
            .to_string();
        if name != "lib" && name != "main" {
            modules.insert(name, path);
        }
    }
    let mut graph = Graph::new();
    for (name, path) in &modules {
        let mut imports = BTreeSet::new();
        for file in rust_files(path) {
            let text = fs::read_to_string(&file).expect("readable source");
            for module in crate_paths(without_unit_tests(&text)) {
                if module != name && modules.contains_key(module) {
                    imports.insert(module.to_string());
                }
            }
        }
        graph.insert(name.clone(), imports);
    }
    graph
}

/// A cycle through `from`, if there is one, as the modules along it.
fn cycle_from(graph: &Graph, from: &str) -> Option<Vec<String>> {
    fn visit(graph: &Graph, at: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> bool {
        if let Some(start) = path.iter().position(|seen| seen == at) {
            path.drain(..start);
            path.push(at.to_string());
            return true;
        }
        if done.contains(at) {
            return false;
        }
        path.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            if visit(graph, next, path, done) {
                return true;
            }
        }
        path.pop();
        done.insert(at.to_string());
        false
    }
    let mut path = Vec::new();
    visit(graph, from, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn no_module_imports_itself_through_others() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the source was read: {graph:?}");
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, module) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_registry_is_the_bottom_of_the_house() {
    let graph = module_graph();
    assert_eq!(graph.get("registry"), Some(&BTreeSet::new()));
    for module in ["diagnostics", "manifest", "schema", "rules"] {
        assert!(
            !graph[module].contains("rules") || module == "rules",
            "{module} names `rules`; rules are named through `registry`"
        );
    }
    assert!(graph["rules"].contains("registry"));
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let graph: Graph = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    assert_eq!(
        cycle_from(&graph, "a"),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

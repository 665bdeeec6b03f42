//! Engine conformance: every render case (framework templates × sample events, endpoint URLs
//! and headers) and every probe of the corpus, byte for byte against Handlebars.js 4.7.8.

mod common;

use std::path::Path;

use ldhook::engine::{Template, json_escape_value};
use serde_json::Value;

struct Tally {
    total: usize,
    failures: Vec<String>,
    error_cases: usize,
    located_errors: usize,
    location_mismatches: Vec<String>,
}

/// A case as the engine sees it: its id, template source and context, and the case as read.
struct Case {
    id: String,
    source: String,
    context: Value,
    json: Value,
}

fn load_case(conformance: &Path, path: &Path) -> Case {
    let case = common::read_json(path);
    let id = case["id"].as_str().unwrap_or("?").to_string();
    let source = match case["template_file"].as_str() {
        Some(file) => std::fs::read_to_string(conformance.join(file)).expect("template file"),
        None => case["template"]
            .as_str()
            .expect("inline template")
            .to_string(),
    };
    let context: Value = match case["context_json_text"].as_str() {
        Some(text) => serde_json::from_str(text).expect("context_json_text"),
        None => case["context"].clone(),
    };
    let context = if case["json_escape"].as_bool() == Some(true) {
        json_escape_value(&context)
    } else {
        context
    };
    Case {
        id,
        source,
        context,
        json: case,
    }
}

fn run_case(conformance: &Path, path: &Path, tally: &mut Tally) {
    let Case {
        id,
        source,
        context,
        json: case,
    } = load_case(conformance, path);
    let escaped = case["json_escape"].as_bool() == Some(true);
    let result = Template::compile(&source).and_then(|t| {
        if escaped {
            t.render_json_escaped(&context)
        } else {
            t.render(&context)
        }
    });
    let expected = &case["expected"];
    tally.total += 1;
    if expected["ok"].as_bool() == Some(true) {
        let want = expected["output"].as_str().expect("expected output");
        match result {
            Ok(got) if got == want => {
                if let Some(valid) = case["json_valid"].as_bool() {
                    let parses = serde_json::from_str::<Value>(&got).is_ok();
                    if parses != valid {
                        tally
                            .failures
                            .push(format!("{id}: JSON validity {parses}, expected {valid}"));
                    }
                }
            }
            Ok(got) => tally.failures.push(format!(
                "{id}: output differs\n  want {want:?}\n  got  {got:?}"
            )),
            Err(e) => tally.failures.push(format!("{id}: unexpected error {e}")),
        }
        return;
    }
    tally.error_cases += 1;
    match result {
        Ok(got) => tally.failures.push(format!(
            "{id}: expected an error ({}), rendered {got:?}",
            expected["error"]
        )),
        Err(e) => {
            let location = &expected["error_location"];
            if let (Some(line), Some(column)) =
                (location["line"].as_u64(), location["column"].as_u64())
            {
                tally.located_errors += 1;
                let got = e.position.map(|p| (p.line as u64, p.column as u64 - 1));
                if got != Some((line, column)) {
                    tally.location_mismatches.push(format!(
                        "{id}: error at {got:?}, expected {line}:{column} ({e})"
                    ));
                }
            }
        }
    }
}

fn run_dir(conformance: &Path, dir: &str, expected_count: usize) {
    let files = common::sorted_files(&conformance.join("cases").join(dir), "json");
    assert_eq!(files.len(), expected_count, "the corpus has changed size");
    let mut tally = Tally {
        total: 0,
        failures: Vec::new(),
        error_cases: 0,
        located_errors: 0,
        location_mismatches: Vec::new(),
    };
    let started = std::time::Instant::now();
    for file in &files {
        run_case(conformance, file, &mut tally);
    }
    let elapsed = started.elapsed();
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "engine conformance ({dir}): {}/{} agree; {} expected errors, {}/{} at the reference's line:column; {:.1} ms",
        tally.total - tally.failures.len(),
        tally.total,
        tally.error_cases,
        tally.located_errors - tally.location_mismatches.len(),
        tally.located_errors,
        elapsed.as_secs_f64() * 1000.0
    );
    let mut problems = tally.failures;
    problems.extend(tally.location_mismatches);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn render_cases_match_handlebars_js() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    run_dir(&conformance, "render", 666);
}

#[test]
fn probes_match_handlebars_js() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    run_dir(&conformance, "probes", 148);
}

/// Handlebars.js v4.7.8's own spec suite and the mustache spec: cases nobody here wrote.
#[test]
fn spec_suites_match_handlebars_js() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    run_dir(&conformance, "spec", 480);
}

/// ldhook builds the same contexts the framework's suite builds: form variable test values,
/// `oauth`, the event under `context` for URLs and headers, `formVariables` beside the event
/// for bodies.
#[test]
fn contexts_match_the_framework_s_suite() {
    use ldhook::context::{self, ValueSource};
    use ldhook::integration::Integration;

    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in common::sorted_files(&conformance.join("cases/render"), "json") {
        let case = common::read_json(&path);
        let (Some(key), Some(sample)) = (
            case["integration"].as_str(),
            case["sample_context_file"].as_str(),
        ) else {
            continue;
        };
        let integration = Integration::load(&conformance.join("framework/integrations").join(key))
            .expect("integration loads");
        let event: Value = common::read_json(&conformance.join(sample));
        let manifest = &integration.manifest;
        let values =
            context::form_values(manifest, &[], ValueSource::TestValues).expect("test values");
        let oauth = context::oauth(manifest);
        let ours = match case["type"].as_str() {
            Some("body") => context::body_context(&event, &values, &oauth, false),
            Some("url" | "header") => context::endpoint_context(&event, &values, &oauth),
            _ => continue,
        };
        checked += 1;
        if ours != case["context"] {
            failures.push(case["id"].as_str().unwrap_or("?").to_string());
        }
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "context conformance: {}/{checked} contexts equal the framework suite's",
        checked - failures.len()
    );
    assert!(
        checked >= 600,
        "only {checked} cases carried an integration"
    );
    assert!(
        failures.is_empty(),
        "contexts differ:\n{}",
        failures.join("\n")
    );
}

/// A traced render of every case is the untraced one, byte for byte and error for error,
/// costs the same counted render work, and cuts the output into runs that cover it once, in
/// order; each text run is the template text it points at, each other run points at a whole
/// tag.
#[test]
fn traced_renders_are_renders_with_every_byte_attributed() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let mut traced_outputs = 0;
    let mut problems = Vec::new();
    for dir in ["render", "probes"] {
        for path in common::sorted_files(&conformance.join("cases").join(dir), "json") {
            let case = load_case(&conformance, &path);
            let Ok(template) = Template::compile(&case.source) else {
                continue;
            };
            match common::traced_render_problem(&template, &case.context) {
                Ok(true) => traced_outputs += 1,
                Ok(false) => {}
                Err(problem) => problems.push(format!("{}: {problem}", case.id)),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        traced_outputs >= 600,
        "only {traced_outputs} cases rendered"
    );
}

//! `cargo bench`: how long the main jobs take, in process, release build.
//!
//! Whole-process timings (what a user feels) are measured from outside, with the command lines
//! in `benches/README.md`; this measures the library's work: validating the framework checkout
//! (when `../shared/conformance` or `$LDHOOK_CONFORMANCE_DIR` is there), validating one
//! integration with the framework's schema and with the embedded one, rendering one request,
//! and validating and rendering an integration whose template is 1 MB.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ldhook::context::ValueSource;
use ldhook::integration::Integration;
use ldhook::registry::RuleSelection;
use ldhook::render::{self, EventChoice};
use ldhook::request::RequestOptions;
use ldhook::schema::SchemaChoice;
use ldhook::validate::{self, Input, Options};

fn measure(name: &str, runs: usize, mut job: impl FnMut()) {
    job();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            job();
            started.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<40} median {:>8.3} ms   min {:>8.3} ms   max {:>8.3} ms   ({runs} runs)",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
}

/// A copy of the example whose flag template is about `bytes` long: one JSON array item per
/// flag field, repeated, so the output stays JSON and every tag is read, rendered and checked.
fn with_big_template(example: &Path, bytes: usize) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("temp dir");
    common::copy_dir(example, &root.path().join("big"));
    let item = r#"    {
      "title": "{{{title.plainText}}}",
      "summary": "{{{member.displayName}}} {{{titleVerb}}} {{{name}}}",
      "flagKey": "{{{key}}}",
      {{#if comment}}"comment": "{{{comment}}}",{{/if}}
      "project": "{{project.name}}"
    }"#;
    let items = vec![item; bytes.div_ceil(item.len() + 2)];
    let template = format!("{{\n  \"items\": [\n{}\n  ]\n}}\n", items.join(",\n"));
    std::fs::write(root.path().join("big/templates/flag.json.hbs"), template).expect("write");
    root
}

/// Loading a schema and checking one manifest, by the interpreter and by `jsonschema`.
fn schema_engines(framework: &Path) {
    use ldhook::manifest::Document;
    use ldhook::schema::{Schema, SchemaEngine};
    let file = framework.join("manifest.schema.json");
    let text = std::fs::read(framework.join("integrations/datadog/manifest.json")).expect("read");
    let document = Document::parse("manifest.json", &text).expect("parses");
    for (engine, name) in [
        (SchemaEngine::Auto, "interpreted"),
        (SchemaEngine::Jsonschema, "jsonschema"),
    ] {
        measure(
            &format!("schema load + check, framework ({name})"),
            30,
            || {
                let schema = Schema::from_file_with(&file, engine).expect("loads");
                black_box(schema.check(&document));
            },
        );
        measure(
            &format!("schema load + check, embedded ({name})"),
            30,
            || {
                let schema = Schema::embedded_with(engine).expect("loads");
                black_box(schema.check(&document));
            },
        );
    }
}

fn validate_options() -> Options {
    Options {
        schema: SchemaChoice::Auto,
        selection: RuleSelection::default(),
        events: None,
        per_integration: ldhook::config::IntegrationIgnores::default(),
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("examples/pulseboard");
    let conformance = std::env::var_os("LDHOOK_CONFORMANCE_DIR")
        .map_or_else(|| root.join("../shared/conformance"), PathBuf::from);
    let framework = conformance.join("framework");

    if framework.join("integrations").is_dir() {
        let inputs = [Input::Path(framework.clone())];
        measure("validate framework checkout (123)", 30, || {
            black_box(validate::validate(&inputs, &validate_options()).expect("validates"));
        });
        schema_engines(&framework);
        let one = [Input::Path(framework.join("integrations/datadog"))];
        measure("validate one integration (datadog)", 50, || {
            black_box(validate::validate(&one, &validate_options()).expect("validates"));
        });
    } else {
        println!(
            "conformance corpus not found at {}: framework benchmarks skipped",
            framework.display()
        );
    }

    let example_input = [Input::Path(example.clone())];
    measure("validate one integration (example)", 50, || {
        black_box(validate::validate(&example_input, &validate_options()).expect("validates"));
    });

    let big = with_big_template(&example, 1 << 20);
    let big_input = [Input::Path(big.path().join("big"))];
    measure("validate one integration (1 MB template)", 10, || {
        black_box(validate::validate(&big_input, &validate_options()).expect("validates"));
    });

    let integration = Integration::load(&example).expect("example loads");
    let events = render::event_set(&integration.dir, None).expect("events");
    let options = RequestOptions {
        vars: Vec::new(),
        sets: Vec::new(),
        source: ValueSource::TestValues,
        show_secrets: false,
    };
    measure("render one request (example, flag event)", 200, || {
        black_box(
            render::preview_one(&integration, &events, &EventChoice::Default, None, &options)
                .expect("renders"),
        );
    });
    let big = Integration::load(&big.path().join("big")).expect("loads");
    measure("render one request (1 MB template)", 10, || {
        black_box(
            render::preview_one(&big, &events, &EventChoice::Default, None, &options)
                .expect("renders"),
        );
    });
}

//! Every command README.md shows runs as it says, outside a framework checkout and inside one,
//! so README cannot drift from the binary. Fenced `sh` blocks are commands; `toml` blocks are
//! configuration files ldhook must read; `text` and `json` blocks are synopses and output. Any other block, and an `sh` block with a
//! `<!-- not run: why -->` line just before it, is not run, and the marker says why.

mod common;

use std::path::Path;

use common::{EXAMPLE, copy_dir, ldhook};

const README: &str = include_str!("../README.md");

struct Block {
    lang: String,
    body: String,
    /// Where the block starts in README, 1-based, for messages.
    line: usize,
    not_run: Option<String>,
}

fn blocks() -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = README.lines().enumerate().peekable();
    let mut previous = "";
    while let Some((at, line)) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else {
            if !line.trim().is_empty() {
                previous = line;
            }
            continue;
        };
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        let not_run = previous
            .trim()
            .strip_prefix("<!-- not run:")
            .and_then(|rest| rest.strip_suffix("-->"))
            .map(|why| why.trim().to_string());
        blocks.push(Block {
            lang: lang.to_string(),
            body,
            line: at + 1,
            not_run,
        });
        previous = "";
    }
    blocks
}

/// The commands of an `sh` block: continuation lines joined, comments and blank lines left
/// out, each split into words as a POSIX shell would (quotes, no expansions).
fn commands(body: &str) -> Vec<Vec<String>> {
    let joined = body.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(words)
        .collect()
}

fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The arguments to give the binary for a README command: `ldhook …`, or `cargo run --release
/// -- …`, which builds and runs the same binary this suite has built.
fn ldhook_arguments(command: &[String], line: usize) -> Vec<String> {
    match command {
        [ldhook, rest @ ..] if ldhook == "ldhook" => rest.to_vec(),
        [cargo, run, release, dashes, rest @ ..]
            if cargo == "cargo" && run == "run" && release == "--release" && dashes == "--" =>
        {
            rest.to_vec()
        }
        _ => panic!(
            "README.md:{line} runs `{}`, which this test cannot run; mark the block \
             `<!-- not run: why -->`",
            command.join(" ")
        ),
    }
}

fn run_every_command(dir: &Path) -> usize {
    let mut ran = 0;
    for block in blocks()
        .iter()
        .filter(|b| b.lang == "sh" && b.not_run.is_none())
    {
        for command in commands(&block.body) {
            let arguments = ldhook_arguments(&command, block.line);
            let output = ldhook()
                .current_dir(dir)
                .args(&arguments)
                .output()
                .expect("ldhook runs");
            assert!(
                output.status.success(),
                "README.md:{}: `{}` exited {:?} in {}\n{}{}",
                block.line,
                command.join(" "),
                output.status.code(),
                dir.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            ran += 1;
        }
    }
    ran
}

#[test]
fn every_block_is_run_or_says_why_not() {
    let blocks = blocks();
    assert!(blocks.len() > 5, "README.md was read");
    for block in &blocks {
        let known = matches!(block.lang.as_str(), "sh" | "toml" | "text" | "json");
        match &block.not_run {
            Some(why) => assert!(!why.is_empty(), "README.md:{}: say why not", block.line),
            None => assert!(
                known,
                "README.md:{}: a `{}` block is neither run nor marked `<!-- not run: why -->`",
                block.line, block.lang
            ),
        }
    }
}

/// The configuration README shows is one ldhook reads without an error.
#[test]
fn every_toml_block_is_a_configuration_ldhook_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut read = 0;
    for block in blocks()
        .iter()
        .filter(|b| b.lang == "toml" && b.not_run.is_none())
    {
        let file = dir.path().join("ldhook.toml");
        std::fs::write(&file, &block.body).expect("write");
        let output = ldhook()
            .args(["validate", "--show-config", "--config"])
            .arg(&file)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "README.md:{}: {}",
            block.line,
            String::from_utf8_lossy(&output.stderr)
        );
        read += 1;
    }
    assert!(read >= 1, "README shows a configuration file");
}

#[test]
fn readme_commands_run_outside_a_checkout() {
    let root = tempfile::tempdir().expect("temp dir");
    copy_dir(Path::new(EXAMPLE), &root.path().join("examples/pulseboard"));
    assert!(run_every_command(root.path()) >= 3);
}

/// Inside a checkout the checkout's schema and `sample-context/` events apply, and `init`
/// writes under `integrations/`: README's event names must exist there too.
#[test]
fn readme_commands_run_inside_a_checkout() {
    let Some(conformance) = common::conformance_dir() else {
        return;
    };
    let framework = conformance.join("framework");
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        framework.join("manifest.schema.json"),
        root.path().join("manifest.schema.json"),
    )
    .expect("schema");
    copy_dir(
        &framework.join("sample-context"),
        &root.path().join("sample-context"),
    );
    std::fs::create_dir_all(root.path().join("integrations")).expect("integrations/");
    copy_dir(Path::new(EXAMPLE), &root.path().join("examples/pulseboard"));
    assert!(run_every_command(root.path()) >= 3);
    assert!(
        root.path()
            .join("integrations/nimbus-alerts/manifest.json")
            .is_file(),
        "init wrote into the checkout's integrations/"
    );
}

#[test]
fn words_split_as_a_shell_splits_them() {
    assert_eq!(
        words(r#"ldhook init --name "Nimbus Alerts" --x 'a b' c"#),
        [
            "ldhook",
            "init",
            "--name",
            "Nimbus Alerts",
            "--x",
            "a b",
            "c"
        ]
    );
    assert_eq!(
        commands("# note\nldhook a \\\n  b\n\nldhook c\n"),
        [vec!["ldhook", "a", "b"], vec!["ldhook", "c"]]
    );
}

//! Each `ldhook snippet verify` function, run in its own language against signatures ldhook
//! computes: a right one passes, a wrong one, another body and a non-hex one do not.

mod common;

use std::path::Path;
use std::process::Command;

/// `name` on PATH, or a notice that the test is skipped. In CI (`CI=true`, where `.ci/run`
/// installs each language) a missing one fails the test instead.
fn tool(name: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
    assert!(
        found.is_some() || !in_ci,
        "`{name}` is not on PATH, and CI must run every snippet's test"
    );
    if found.is_none() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: `{name}` is not on PATH; snippet test skipped"
        );
    }
    found
}

fn snippet(lang: &str) -> String {
    let output = common::ldhook()
        .args(["snippet", "verify", "--lang", lang])
        .output()
        .expect("ldhook runs");
    assert!(output.status.success(), "{}", common::transcript(&output));
    common::text(&output.stdout)
}

const BODY: &str = "{\"kind\":\"flag\",\"name\":\"Ünïcode \\\"quoted\\\"\"}";
const SECRET: &str = "s3cret";

/// (signature, body, expected verdict) for each case.
fn cases() -> Vec<(String, &'static str, bool)> {
    let right = ldhook::request::signature(SECRET.as_bytes(), BODY.as_bytes());
    let wrong = ldhook::request::signature(b"other", BODY.as_bytes());
    vec![
        (right.clone(), BODY, true),
        (right.to_uppercase(), BODY, true),
        (wrong, BODY, false),
        (right, "{}", false),
        ("not hex".to_string(), BODY, false),
        (String::new(), BODY, false),
    ]
}

fn verdicts(program: &Path, args: &[&str], dir: &Path) -> Vec<bool> {
    cases()
        .into_iter()
        .map(|(signature, body, _)| {
            let output = Command::new(program)
                .args(args)
                .current_dir(dir)
                .env("SIGNATURE", signature)
                .env("BODY", body)
                .env("SECRET", SECRET)
                .output()
                .expect("the interpreter runs");
            assert!(output.status.success(), "{}", common::transcript(&output));
            common::text(&output.stdout).trim() == "true"
        })
        .collect()
}

fn expected() -> Vec<bool> {
    cases().into_iter().map(|(_, _, verdict)| verdict).collect()
}

#[test]
fn the_node_snippet_verifies_what_ldhook_signs() {
    let Some(node) = tool("node") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("verify.js"), snippet("node")).expect("write");
    let harness = "const { verifySignature } = require('./verify.js');\
        console.log(verifySignature(Buffer.from(process.env.BODY, 'utf8'), process.env.SIGNATURE, process.env.SECRET));";
    assert_eq!(verdicts(&node, &["-e", harness], dir.path()), expected());
}

#[test]
fn the_python_snippet_verifies_what_ldhook_signs() {
    let Some(python) = tool("python3") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("verify.py"), snippet("python")).expect("write");
    let harness = "import os, verify; print(str(verify.verify_signature(os.environb[b'BODY'], os.environ['SIGNATURE'], os.environ['SECRET'])).lower())";
    assert_eq!(verdicts(&python, &["-c", harness], dir.path()), expected());
}

#[test]
fn the_go_snippet_verifies_what_ldhook_signs() {
    let Some(go) = tool("go") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let module = dir.path();
    std::fs::write(
        module.join("go.mod"),
        "module example.com/check\n\ngo 1.20\n",
    )
    .expect("write");
    std::fs::create_dir(module.join("webhook")).expect("mkdir");
    std::fs::write(module.join("webhook/verify.go"), snippet("go")).expect("write");
    std::fs::write(
        module.join("main.go"),
        "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\n\t\"example.com/check/webhook\"\n)\n\nfunc main() {\n\tfmt.Println(webhook.VerifySignature([]byte(os.Getenv(\"BODY\")), os.Getenv(\"SIGNATURE\"), os.Getenv(\"SECRET\")))\n}\n",
    )
    .expect("write");
    assert_eq!(verdicts(&go, &["run", "."], module), expected());
}

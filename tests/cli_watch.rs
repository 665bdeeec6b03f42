//! `render --watch` through the real binary, on a temporary copy of the bundled example: its
//! stdout is read line by line on a thread of its own, split into blocks at the separator line,
//! and each wait for a block is bounded by [`RUN_LIMIT`] (a hang guard, not a timing
//! assertion). Files are changed only after the block before has been read, and nothing sleeps.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use common::{Example, RUN_LIMIT, ldhook, ldhook_process};

const SEPARATOR: &str = "--- ldhook: watching for changes (Ctrl-C stops) ---";

/// A running `ldhook render --watch`, killed when dropped whatever the test did.
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, args: &[&str]) -> Watching {
    start_command("render", dir, args)
}

fn start_command(command: &str, dir: &std::path::Path, args: &[&str]) -> Watching {
    let mut child = ldhook_process()
        .args(["--color", "never", command])
        .arg(dir)
        .arg("--watch")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ldhook starts");
    let out = child.stdout.take().expect("stdout piped");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    Watching { child, lines }
}

impl Watching {
    /// The next block, up to its separator line.
    fn next_block(&self) -> String {
        let mut block = String::new();
        loop {
            match self.lines.recv_timeout(RUN_LIMIT) {
                Ok(line) if line == SEPARATOR => return block,
                Ok(line) => {
                    block.push_str(&line);
                    block.push('\n');
                }
                Err(error) => panic!("no end of block ({error:?}); so far:\n{block}"),
            }
        }
    }

    /// The first block from now on that holds `text` (an editor's save may make a pass of
    /// its own before the one that sees the whole file).
    fn block_containing(&self, text: &str) -> String {
        let deadline = Instant::now() + RUN_LIMIT;
        loop {
            let block = self.next_block();
            if block.contains(text) {
                return block;
            }
            assert!(
                Instant::now() < deadline,
                "no block with {text:?}; the last:\n{block}"
            );
        }
    }

    /// Sends SIGTERM and waits (bounded) for stdout to close; the exit code.
    #[cfg(unix)]
    fn terminate(mut self) -> Option<i32> {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        loop {
            match self.lines.recv_timeout(RUN_LIMIT) {
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("still running after SIGTERM"),
            }
        }
        self.child.wait().expect("wait").code()
    }
}

#[test]
fn a_template_edit_renders_again_with_the_new_text() {
    let example = Example::new();
    let watching = start(&example.dir, &["--event", "flag/toggle-on"]);
    let first = watching.next_block();
    assert!(first.contains("\"source\": \"launchdarkly\""), "{first}");
    let template = example.path("templates/flag.json.hbs");
    let text = std::fs::read_to_string(&template).expect("template");
    assert!(text.contains("\"source\": \"launchdarkly\""), "{text}");
    std::fs::write(
        &template,
        text.replace(
            "\"source\": \"launchdarkly\"",
            "\"source\": \"edited-while-watching\"",
        ),
    )
    .expect("write");
    let next = watching.block_containing("edited-while-watching");
    assert!(next.contains("POST https://"), "{next}");
    assert!(!next.contains("ldhook: error"), "{next}");
}

#[test]
fn a_broken_manifest_shows_an_error_and_a_fix_renders_again() {
    let example = Example::new();
    let watching = start(&example.dir, &[]);
    let first = watching.next_block();
    assert!(first.contains("POST https://"), "{first}");
    let manifest = example.path("manifest.json");
    let good = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(&manifest, "{\n").expect("write");
    let broken = watching.block_containing("ldhook: error:");
    assert!(broken.contains("not valid JSON"), "{broken}");
    std::fs::write(&manifest, &good).expect("write");
    let fixed = watching.block_containing("POST https://");
    assert!(!fixed.contains("ldhook: error"), "{fixed}");
}

#[test]
fn an_edited_event_file_is_read_again() {
    let example = Example::new();
    let event = example.root.path().join("event.json");
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/events/flag/toggle-on.json"
    ))
    .expect("sample event");
    std::fs::write(&event, &sample).expect("write");
    let watching = start(&example.dir, &["--event", event.to_str().expect("UTF-8")]);
    let first = watching.next_block();
    assert!(first.contains("POST https://"), "{first}");
    let mut value: serde_json::Value = serde_json::from_str(&sample).expect("JSON");
    value["comment"] = serde_json::Value::from("a comment written while watching");
    std::fs::write(&event, value.to_string()).expect("write");
    watching.block_containing("a comment written while watching");
}

#[test]
fn an_edited_sample_in_the_events_directory_is_read_again() {
    let example = Example::new();
    let events = example.root.path().join("events");
    common::copy_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/events")),
        &events,
    );
    let watching = start(
        &example.dir,
        &[
            "--events",
            events.to_str().expect("UTF-8"),
            "--event",
            "flag/toggle-on",
        ],
    );
    let first = watching.next_block();
    assert!(first.contains("POST https://"), "{first}");
    let sample = events.join("flag/toggle-on.json");
    let mut value = common::read_json(&sample);
    value["comment"] = serde_json::Value::from("a sample edited while watching");
    std::fs::write(&sample, value.to_string()).expect("write");
    watching.block_containing("a sample edited while watching");
}

#[test]
fn a_checkout_s_sample_context_is_watched() {
    let checkout = common::example_checkout(&["pulseboard"]);
    let root = checkout.path();
    let watching = start(
        &root.join("integrations/pulseboard"),
        &["--event", "flag/toggle-on"],
    );
    let first = watching.next_block();
    assert!(first.contains("sample-context"), "{first}");
    let sample = root.join("sample-context/flag/toggle-on.json");
    let mut value = common::read_json(&sample);
    value["comment"] = serde_json::Value::from("a checkout sample edited while watching");
    std::fs::write(&sample, value.to_string()).expect("write");
    watching.block_containing("a checkout sample edited while watching");
}

#[test]
fn every_render_mode_watches() {
    let example = Example::new();
    let all = start(&example.dir, &["--all", "--format", "json"]);
    let block = all.next_block();
    let rows: serde_json::Value = serde_json::from_str(&block).expect("one JSON document");
    assert!(
        rows.as_array().is_some_and(|rows| rows.len() > 1),
        "{block}"
    );
    let curl = start(&example.dir, &["--curl"]);
    let block = curl.next_block();
    assert!(block.starts_with("curl "), "{block}");
}

#[cfg(unix)]
#[test]
fn sigterm_ends_it_with_0() {
    let example = Example::new();
    let watching = start(&example.dir, &[]);
    watching.next_block();
    assert_eq!(watching.terminate(), Some(0));
}

#[test]
fn an_event_from_standard_input_cannot_be_watched() {
    let example = Example::new();
    let output = ldhook()
        .args(["render"])
        .arg(&example.dir)
        .args(["--watch", "--event", "-"])
        .write_stdin("{}")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--watch") && stderr.contains("--event -"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn on_a_terminal_each_render_clears_the_screen_and_ctrl_c_ends_it_with_0() {
    use rexpect::process::WaitStatus;
    const CLEAR: &str = "\x1b[2J\x1b[H";
    let example = Example::new();
    let mut command = ldhook_process();
    command
        .args(["--color", "never", "render"])
        .arg(&example.dir)
        .args(["--watch", "--event", "flag/toggle-on"])
        .env("TERM", "xterm");
    // rexpect's timeout is the hang guard of every wait below.
    let timeout = u64::try_from(RUN_LIMIT.as_millis()).expect("a timeout");
    let mut session = rexpect::session::spawn_command(command, Some(timeout))
        .expect("ldhook starts on a pseudo-terminal");
    session.exp_string(CLEAR).expect("the screen cleared");
    session.exp_string(SEPARATOR).expect("the first block");
    let template = example.path("templates/flag.json.hbs");
    let text = std::fs::read_to_string(&template).expect("template");
    std::fs::write(
        &template,
        text.replace(
            "\"source\": \"launchdarkly\"",
            "\"source\": \"edited-on-a-terminal\"",
        ),
    )
    .expect("write");
    session.exp_string(CLEAR).expect("cleared again");
    session
        .exp_string("edited-on-a-terminal")
        .expect("the new text");
    session.exp_string(SEPARATOR).expect("the end of the block");
    session.send_control('c').expect("Ctrl-C");
    session.exp_eof().expect("ldhook ends");
    let status = session.process().wait().expect("wait");
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
}

#[test]
fn snapshot_check_watches_and_shows_each_change_as_a_diff() {
    let example = Example::new();
    let written = common::ldhook()
        .arg("snapshot")
        .arg(&example.dir)
        .output()
        .expect("ldhook runs");
    assert!(written.status.success(), "{}", common::transcript(&written));
    let watching = start_command("snapshot", &example.dir, &["--check"]);
    let first = watching.next_block();
    assert!(first.contains("up to date (19 events)"), "{first}");
    let template = example.path("templates/flag.json.hbs");
    let text = std::fs::read_to_string(&template).expect("template");
    std::fs::write(&template, text.replace("\"title\": ", "\"headline\": ")).expect("write");
    let next = watching.block_containing("9 requests changed");
    assert!(
        next.contains("the request for flag/update (templates/flag.json.hbs) changed:"),
        "{next}"
    );
    assert!(next.contains("\n+  \"headline\": "), "{next}");
}

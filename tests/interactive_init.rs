//! `ldhook init` on a real pseudo-terminal: every question asked, a wrong answer refused as it
//! is typed and asked again, lists driven with the arrow keys, and the result validating.

#![cfg(unix)]

mod common;

use std::path::Path;

use rexpect::session::{PtySession, spawn_command};

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

fn spawn(dir: &Path, args: &[&str]) -> PtySession {
    let mut command = common::ldhook_process();
    command
        .args(args)
        .current_dir(dir)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    spawn_command(command, Some(20_000)).expect("ldhook starts on a pseudo-terminal")
}

/// `text` as the session reads it: rexpect turns each byte into one character.
fn as_read(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Waits for a question, then types the answer and Enter.
fn answer(session: &mut PtySession, question: &str, typed: &str) {
    session
        .exp_string(question)
        .unwrap_or_else(|e| panic!("waiting for {question:?}: {e}"));
    session.send(typed).expect("typing");
    session.send(ENTER).expect("enter");
    session.flush().expect("flush");
}

/// Waits for a list to show its last item and to wait for keys, then presses `keys`.
fn pick(session: &mut PtySession, last_item: &str, keys: &[&str]) {
    session
        .exp_string(last_item)
        .unwrap_or_else(|e| panic!("waiting for the list ending {last_item:?}: {e}"));
    // Keys sent before the list switches the terminal to raw mode would be read as a line.
    std::thread::sleep(std::time::Duration::from_millis(300));
    for key in keys {
        session.send(key).expect("a key");
    }
    session.send(ENTER).expect("enter");
    session.flush().expect("flush");
}

#[test]
fn a_person_answers_every_question() {
    let work = tempfile::tempdir().expect("temporary directory");
    let mut s = spawn(work.path(), &["init"]);

    answer(&mut s, "Integration name", "Nimbus Alerts");
    answer(&mut s, "Integration key", ""); // the default, nimbus-alerts
    answer(&mut s, "Author", "Nimbus Labs");
    // Refused as typed, with the schema's reason, and asked again.
    answer(&mut s, "Support email", "nimbus");
    s.exp_string("email").expect("the e-mail is refused");
    answer(&mut s, "Support email", "support@nimbus.example");
    answer(&mut s, "Website", "nimbus.example");
    s.exp_string(
        "`nimbus.example` is not a full URL; type a full URL such as https://nimbus.example",
    )
    .expect("a bare host is refused with the URL it should be");
    answer(&mut s, "Website", "https://nimbus.example");
    answer(
        &mut s,
        "Privacy policy URL",
        "https://nimbus.example/privacy",
    );
    answer(&mut s, "Documentation URL", "");

    // Categories: none is refused before anything reports it accepted, and asked again.
    pick(&mut s, "notifications", &[]);
    let before = s
        .exp_string("Choose at least one category.")
        .expect("an empty choice is refused");
    assert!(!before.contains(&as_read("✔ Categories")), "{before:?}");
    // Then the first (ai) and the third (approval), reported as accepted.
    pick(&mut s, "notifications", &[" ", DOWN, DOWN, " "]);
    s.exp_string(&as_read(
        "✔ Categories (one to three; space selects, enter confirms) · ai, approval",
    ))
    .expect("the accepted choice is reported");
    // Authentication: from the default, bearer, two down to header.
    pick(&mut s, "OAuth: LaunchDarkly holds", &[DOWN, DOWN]);
    answer(&mut s, "Header that carries the API key", "X-Nimbus-Key");

    answer(&mut s, "Endpoint URL", "hooks.nimbus.example/v1");
    s.exp_string("a full URL such as https://")
        .expect("a URL without a scheme is refused");
    answer(&mut s, "Endpoint URL", "https://hooks.nimbus.example/v1");

    pick(&mut s, "DELETE", &[]);
    pick(&mut s, "every change", &[DOWN, DOWN]);
    pick(&mut s, "plain text", &[]);
    answer(&mut s, "Overview", "");
    answer(&mut s, "Description", "");

    s.exp_string("Created nimbus-alerts/").expect("the summary");
    s.exp_eof().expect("ldhook ends");

    let manifest = work.path().join("nimbus-alerts/manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).expect("written")).expect("JSON");
    assert_eq!(manifest["supportEmail"], "support@nimbus.example");
    assert_eq!(
        manifest["categories"],
        serde_json::json!(["ai", "approval"])
    );
    assert_eq!(
        manifest["overview"],
        "Send LaunchDarkly change events to Nimbus Alerts."
    );
    let hook = &manifest["capabilities"]["auditLogEventsHook"];
    assert_eq!(hook["endpoint"]["headers"][1]["name"], "X-Nimbus-Key");
    assert_eq!(hook["endpoint"]["url"], "https://hooks.nimbus.example/v1");
    assert_eq!(
        hook["defaultPolicy"][0]["resources"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );

    let validate = common::ldhook_process()
        .args(["validate", "nimbus-alerts", "--deny-warnings"])
        .current_dir(work.path())
        .output()
        .expect("validate runs");
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
}

#[test]
fn flags_answer_their_questions_and_the_rest_are_asked() {
    let work = tempfile::tempdir().expect("temporary directory");
    let mut s = spawn(
        work.path(),
        &[
            "init",
            "--name",
            "Nimbus Alerts",
            "--key",
            "nimbus",
            "--author",
            "Nimbus Labs",
            "--email",
            "support@nimbus.example",
            "--site",
            "https://nimbus.example",
            "--privacy-policy",
            "https://nimbus.example/privacy",
            "--docs",
            "https://nimbus.example/docs",
            "--category",
            "monitoring",
            "--auth",
            "oauth",
            "--method",
            "post",
            "--policy",
            "all-flags",
            "--body",
            "text",
            "--description",
            "Send LaunchDarkly flag changes to Nimbus Alerts so that on-call engineers see them.",
        ],
    );
    // OAuth asks for a path on the base URI; the overview is the only other open question.
    answer(
        &mut s,
        "Endpoint path on the OAuth base URI",
        "/v1/launchdarkly",
    );
    answer(&mut s, "Overview", "Post flag changes to Nimbus Alerts.");
    s.exp_string("Created nimbus/").expect("the summary");
    s.exp_eof().expect("ldhook ends");
    let manifest =
        std::fs::read_to_string(work.path().join("nimbus/manifest.json")).expect("written");
    assert!(
        manifest.contains("\"url\": \"{{{oauth.baseURI}}}/v1/launchdarkly\""),
        "{manifest}"
    );
    assert!(manifest.contains("\"overview\": \"Post flag changes to Nimbus Alerts.\""));
}

/// `text` without the terminal's control sequences (cursor moves, line clears), as a person
/// sees where lines start.
fn visible(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.next() == Some('[') {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Ctrl-C at the question `question` (after `before` answered the ones ahead of it): the
/// notice is said once, on a line of its own, and nothing is left on disk.
fn ctrl_c_at(question: &str, before: impl FnOnce(&mut PtySession)) {
    let work = tempfile::tempdir().expect("temporary directory");
    let mut s = spawn(work.path(), &["init"]);
    before(&mut s);
    s.exp_string(question).expect("the question");
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.send_control('c').expect("Ctrl-C");
    let rest = visible(&s.exp_eof().expect("ldhook ends"));
    let notice = "ldhook: interrupted; nothing was written";
    assert_eq!(rest.matches(notice).count(), 1, "{question}: {rest:?}");
    assert!(
        rest.contains(&format!("\n{notice}\n")),
        "{question}: not on its own line: {rest:?}"
    );
    let left: Vec<_> = std::fs::read_dir(work.path()).expect("readable").collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn ctrl_c_at_a_text_question_says_so_once_on_its_own_line() {
    ctrl_c_at("Integration key", |s| {
        answer(s, "Integration name", "Nimbus Alerts");
    });
}

#[test]
fn ctrl_c_in_a_list_says_so_once_on_its_own_line() {
    ctrl_c_at("notifications", |s| {
        answer(s, "Integration name", "Nimbus Alerts");
        answer(s, "Integration key", "");
        answer(s, "Author", "Nimbus Labs");
        answer(s, "Support email", "support@nimbus.example");
        answer(s, "Website", "https://nimbus.example");
        answer(s, "Privacy policy URL", "https://nimbus.example/privacy");
        answer(s, "Documentation URL", "");
    });
}

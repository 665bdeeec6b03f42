//! `receive` through the real binary: it is started on a free loopback port, sent requests by
//! a small HTTP/1.1 client written here, and its output, answers and saved files are checked.
//! Every address is on 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Instant;

use base64::Engine as _;
use common::{RUN_LIMIT, ldhook, ldhook_process, text};

const SECRET: &str = "whsec-test-secret";

/// A running `ldhook receive --port 0 …`, its port read from the first line on stderr.
struct Receive {
    child: Child,
    port: u16,
    stderr: mpsc::Receiver<String>,
    stdout: mpsc::Receiver<Vec<u8>>,
}

fn start(args: &[&str]) -> Receive {
    let mut child = ldhook_process()
        .env("RECEIVE_SECRET", SECRET)
        .args(["--color", "never", "receive", "--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ldhook starts");
    let (line_tx, stderr) = mpsc::channel();
    let err = child.stderr.take().expect("stderr piped");
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = line_tx.send(line);
        }
    });
    let (out_tx, stdout) = mpsc::channel();
    let mut out = child.stdout.take().expect("stdout piped");
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        let _ = out_tx.send(bytes);
    });
    // A hang guard, not a timing assertion.
    let first = stderr
        .recv_timeout(RUN_LIMIT)
        .expect("receive says where it listens");
    let address = first
        .strip_prefix("ldhook: listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first stderr line: {first}"));
    let port = address.parse().expect("a port");
    Receive {
        child,
        port,
        stderr,
        stdout,
    }
}

struct Finished {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Receive {
    /// Waits (bounded) for the exit that `--count` brings.
    fn finish(mut self) -> Finished {
        let deadline = Instant::now() + RUN_LIMIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("receive did not exit after its --count requests");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let stdout = self.stdout.recv_timeout(RUN_LIMIT).expect("stdout");
        let mut stderr = String::new();
        while let Ok(line) = self.stderr.recv_timeout(RUN_LIMIT) {
            stderr.push_str(&line);
            stderr.push('\n');
        }
        Finished {
            code: status.code(),
            stdout: text(&stdout),
            stderr,
        }
    }

    /// Sends `raw` on a connection of its own and returns the whole answer.
    fn raw(&self, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(RUN_LIMIT)).expect("timeout");
        stream.write_all(raw).expect("send");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        text(&answer)
    }

    /// An HTTP/1.1 request with a Content-Length and `Connection: close`; the answer's status.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> u16 {
        let mut raw =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        raw.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = raw.into_bytes();
        bytes.extend_from_slice(body);
        status(&self.raw(&bytes))
    }
}

fn status(answer: &str) -> u16 {
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
}

fn sign(body: &[u8]) -> String {
    ldhook::receive::verify::sign(SECRET.as_bytes(), body)
}

#[test]
fn prints_the_request_line_headers_and_the_json_body_pretty_with_secrets_masked() {
    let server = start(&["--count", "2", "--signature-header", "X-Sig"]);
    let body = br#"{"kind":"flag","name":"Dark mode"}"#;
    let answered = server.send(
        "POST",
        "/hooks/ld?env=test",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer tok-123"),
            ("X-LD-Signature", "feedface"),
            ("X-Sig", "cafe"),
            ("X-Api-Key", "k-999"),
            ("X-Trace", "trace-1"),
        ],
        body,
    );
    assert_eq!(answered, 200);
    assert_eq!(server.send("PUT", "/plain", &[], b"just text\x1b[2J"), 200);
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("#1 POST /hooks/ld?env=test\n"), "{out}");
    assert!(out.contains("Content-Type: application/json\n"), "{out}");
    assert!(out.contains("X-Trace: trace-1\n"), "{out}");
    assert!(out.contains("Authorization: ********\n"), "{out}");
    assert!(out.contains("X-LD-Signature: ********\n"), "{out}");
    assert!(out.contains("X-Sig: ********\n"), "{out}");
    assert!(out.contains("X-Api-Key: ********\n"), "{out}");
    for secret in ["tok-123", "feedface", "cafe", "k-999"] {
        assert!(!out.contains(secret), "{secret} shown: {out}");
    }
    assert!(
        out.contains("{\n  \"kind\": \"flag\",\n  \"name\": \"Dark mode\"\n}\n"),
        "{out}"
    );
    assert!(out.contains("#2 PUT /plain\n"), "{out}");
    assert!(out.contains("just text\\x1b[2J\n"), "{out}");
    assert!(!out.contains('\x1b'), "{out}");
    // No secret: no signature line.
    assert!(!out.contains("signature:"), "{out}");
}

#[test]
fn show_secrets_shows_them() {
    let server = start(&["--count", "1", "--show-secrets"]);
    server.send(
        "POST",
        "/",
        &[
            ("Authorization", "Bearer tok-123"),
            ("X-LD-Signature", "feedface"),
        ],
        b"{}",
    );
    let run = server.finish();
    assert!(
        run.stdout.contains("Authorization: Bearer tok-123\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("X-LD-Signature: feedface\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn signatures_are_ok_or_a_mismatch_that_says_why() {
    let server = start(&["--count", "6", "--secret-env", "RECEIVE_SECRET"]);
    let body = b"{ \"kind\": \"flag\",\n  \"name\": \"x\" }";
    let compact = br#"{"kind":"flag","name":"x"}"#;
    let cases: [(&str, &[(&str, String)]); 6] = [
        ("/ok", &[("X-LD-Signature", sign(body))]),
        ("/wrong", &[("X-LD-Signature", sign(b"another body"))]),
        ("/not-hex", &[("X-LD-Signature", "sha256=zz".to_string())]),
        ("/short", &[("X-LD-Signature", "abcd".to_string())]),
        ("/missing", &[("X-LD-Signatur", sign(body))]),
        ("/relayed", &[("X-LD-Signature", sign(compact))]),
    ];
    for (path, headers) in &cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        assert_eq!(server.send("POST", path, &headers, body), 200);
    }
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let verdicts: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("signature: "))
        .collect();
    assert_eq!(
        verdicts,
        [
            "signature: ok",
            "signature: MISMATCH (X-LD-Signature: it is not the digest of the body keyed by this secret)",
            "signature: MISMATCH (X-LD-Signature: the value is not hexadecimal)",
            "signature: MISMATCH (X-LD-Signature: the value has 4 hex digits, a SHA-256 digest has 64)",
            "signature: MISMATCH (X-LD-Signature: the header is missing; `X-LD-Signatur` is present, a typo?)",
            "signature: MISMATCH (X-LD-Signature: it is the digest of the body re-serialized as compact JSON, not of the bytes received: a relay changed the bytes)",
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn a_secret_env_that_is_not_set_is_a_usage_error() {
    let output = ldhook()
        .args([
            "receive",
            "--port",
            "0",
            "--secret-env",
            "LDHOOK_NO_SUCH_VAR",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("LDHOOK_NO_SUCH_VAR"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn status_is_what_every_request_is_answered() {
    let server = start(&["--count", "1", "--status", "500"]);
    assert_eq!(server.send("POST", "/", &[], b"{}"), 500);
    let run = server.finish();
    assert!(run.stdout.contains("answered 500\n"), "{}", run.stdout);
}

#[test]
fn save_writes_each_request_as_a_numbered_file_for_replay() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("requests");
    let save_arg = save.to_str().expect("UTF-8 temp path");
    let server = start(&["--count", "2", "--save", save_arg]);
    let json = br#"{"kind":"flag"}"#;
    server.send(
        "POST",
        "/../../etc/passwd?x=1",
        &[("Authorization", "Bearer tok-123")],
        json,
    );
    let binary: &[u8] = &[0, 0xff, 0xfe, b'\r', b'\n', 7];
    server.send("POST", "/bin", &[], binary);
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        common::names(&save),
        ["0001.request.json", "0002.request.json"]
    );
    let first = common::read_json(&save.join("0001.request.json"));
    assert_eq!(first["ldhookRequest"], 1);
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/../../etc/passwd?x=1");
    let headers = first["headers"].as_array().expect("headers");
    assert!(
        headers.contains(&serde_json::json!({"name": "Authorization", "value": "Bearer tok-123"})),
        "saved unmasked: {headers:?}"
    );
    let decode = |value: &serde_json::Value| {
        base64::engine::general_purpose::STANDARD
            .decode(value.as_str().expect("base64 text"))
            .expect("base64")
    };
    assert_eq!(decode(&first["bodyBase64"]), json);
    assert_eq!(first["bodyText"], r#"{"kind":"flag"}"#);
    let second = common::read_json(&save.join("0002.request.json"));
    assert_eq!(decode(&second["bodyBase64"]), binary);
    assert!(second.get("bodyText").is_none(), "{second}");
    #[cfg(unix)]
    for name in ["0001.request.json", "0002.request.json"] {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(save.join(name))
            .expect("saved")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    // Nothing but the two files: no staging left behind, nothing named from the path.
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn an_oversized_body_is_answered_413_and_the_server_keeps_serving() {
    let server = start(&["--count", "2"]);
    let big = vec![b'a'; 2 * 1024 * 1024];
    assert_eq!(server.send("POST", "/big", &[], &big), 413);
    assert_eq!(server.send("POST", "/after", &[], b"{}"), 200);
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("/big: body larger than 1048576 bytes, answered 413"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("#2 POST /after\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("/big"), "{}", run.stdout);
}

#[test]
fn a_declared_length_far_too_large_is_answered_413_without_reading_it() {
    let server = start(&["--count", "2"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream.set_read_timeout(Some(RUN_LIMIT)).expect("timeout");
    stream
        .write_all(b"POST /huge HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\nabc")
        .expect("send");
    // The body never comes in full; the answer does not wait for it.
    let mut start = [0; 12];
    stream.read_exact(&mut start).expect("an answer");
    assert_eq!(&start, b"HTTP/1.1 413");
    assert_eq!(server.send("GET", "/after", &[], b""), 200);
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("/huge: body larger than"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_request_is_answered_400_and_does_not_stop_the_server() {
    let server = start(&["--count", "1"]);
    let answer = server.raw(b"NOT HTTP AT ALL\x01\x02\r\n\r\n");
    assert_eq!(status(&answer), 400, "{answer}");
    let answer = server.raw(b"\xff\xfe\r\n\r\n");
    assert!(answer.is_empty() || status(&answer) == 400, "{answer}");
    assert_eq!(server.send("GET", "/after", &[], b""), 200);
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("#1 GET /after\n"), "{}", run.stdout);
}

#[test]
fn a_port_in_use_is_a_usage_error_that_names_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port();
    let output = ldhook()
        .args(["receive", "--port", &port.to_string()])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn colour_only_when_asked() {
    let server = start(&["--count", "1", "--color", "always", "--secret", SECRET]);
    server.send("POST", "/c", &[("X-LD-Signature", &sign(b"{}"))], b"{}");
    let run = server.finish();
    assert!(
        run.stdout.contains("\x1b[1m#1 POST /c\x1b[0m"),
        "{:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\x1b[32msignature: ok\x1b[0m"),
        "{:?}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn sigterm_ends_it_with_0() {
    let server = start(&[]);
    assert_eq!(server.send("GET", "/", &[], b""), 200);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("#1 GET /\n"), "{}", run.stdout);
}

#[test]
fn format_json_is_one_object_per_request_with_secrets_masked() {
    let server = start(&[
        "--count",
        "2",
        "--format",
        "json",
        "--secret-env",
        "RECEIVE_SECRET",
    ]);
    let body = br#"{"kind":"flag"}"#;
    let signature = sign(body);
    let headers = [
        ("Authorization", "Bearer tok-123"),
        ("X-LD-Signature", signature.as_str()),
    ];
    assert_eq!(server.send("POST", "/a?b=1", &headers, body), 200);
    assert_eq!(server.send("PUT", "/bin", &[], b"\xff\x00"), 200);
    let run = server.finish();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    let first = &lines[0];
    assert_eq!(first["number"], 1);
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/a?b=1");
    assert_eq!(first["bodyText"], "{\"kind\":\"flag\"}");
    assert_eq!(first["bodyBytes"], 15);
    assert_eq!(first["signature"], "ok");
    assert_eq!(first["status"], 200);
    let authorization = first["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .find(|h| h["name"] == "Authorization")
        .expect("the Authorization header");
    assert_eq!(authorization["value"], "********");
    assert!(!run.stdout.contains("tok-123"));
    assert_eq!(lines[1]["bodyBytes"], 2);
    assert!(lines[1].get("bodyText").is_none());
    assert!(lines[1]["signature"]["mismatch"].is_string());
}

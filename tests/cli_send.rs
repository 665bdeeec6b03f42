//! `ldhook send` against servers on loopback only (127.0.0.1): what arrives is what `render`
//! shows, signed; failures are one-line reasons with exit code 1.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::Value;

/// A request as the test server read it off the socket.
#[derive(Debug)]
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 that answers every request with `answer` and hands each request it
/// read to the returned channel.
fn server(answer: &'static str) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
            let Some(request) = read_request(&mut stream) else {
                continue;
            };
            let _ = stream.write_all(answer.as_bytes());
            if sender.send(request).is_err() {
                return;
            }
        }
    });
    (base, receiver)
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let method = words.next()?.to_string();
    let target = words.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

const OK: &str = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}";

fn next(receiver: &mpsc::Receiver<Received>) -> Received {
    // A hang guard, not a timing assertion.
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the server received a request")
}

fn render_json(example: &common::Example, args: &[&str]) -> Value {
    let output = common::ldhook()
        .args([
            "render",
            example.dir.to_str().expect("utf-8 path"),
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .expect("ldhook runs");
    assert!(output.status.success(), "{}", common::transcript(&output));
    serde_json::from_slice(&output.stdout).expect("render --format json")
}

#[test]
fn what_arrives_is_what_render_shows_and_the_signature_verifies() {
    let example = common::Example::new();
    example.edit(|manifest| {
        manifest["capabilities"]["auditLogEventsHook"]["endpoint"]["hmacSignature"] = serde_json::json!({
            "headerName": "X-LD-Signature",
            "hmacSecretFormVariableKey": "apiToken"
        });
    });
    let (base, received) = server(OK);
    let vars = [
        "--var",
        "apiToken=s3cret-token",
        "--var",
        "timelineId=tl 1",
        "--event",
        "flag/toggle-on",
    ];
    let output = send_in(&example, &[], &[["--to", &base].as_slice(), &vars].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let stdout = common::text(&output.stdout);
    assert!(stdout.contains("  200  "), "{stdout}");
    assert!(
        !stdout.contains("s3cret-token"),
        "a secret was printed: {stdout}"
    );

    let got = next(&received);
    let shown = render_json(&example, &[vars.as_slice(), &["--show-secrets"]].concat());
    let request = &shown["request"];
    assert_eq!(got.method, request["method"].as_str().expect("method"));
    let url = request["url"].as_str().expect("url");
    let path = url.split_once(".example").map(|(_, p)| p).expect("a path");
    assert_eq!(got.target, path, "path and query as rendered");
    for header in request["headers"].as_array().expect("headers") {
        let name = header["name"].as_str().expect("name");
        assert_eq!(got.header(name), header["value"].as_str(), "header {name}");
    }
    assert_eq!(got.body, request["body"].as_str().expect("body").as_bytes());
    let signature = got.header("X-LD-Signature").expect("signed");
    assert_eq!(
        signature,
        ldhook::request::signature(b"s3cret-token", &got.body)
    );
}

#[test]
fn send_all_delivers_each_event_the_policy_delivers() {
    let example = common::Example::new();
    let (base, received) = server(OK);
    let listed = render_json(&example, &["--all"]);
    let delivered = listed
        .as_array()
        .expect("rows")
        .iter()
        .filter(|row| row["outcome"]["status"] == "ok")
        .filter(|row| row["policy"]["delivered"] != false)
        .count();
    assert!(delivered > 1, "the example delivers several events");
    let output = send_in(&example, &[], &["--all", "--to", &base, "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let deliveries: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(deliveries.as_array().map(Vec::len), Some(delivered));
    for _ in 0..delivered {
        assert_eq!(next(&received).method, "POST");
    }
    assert_eq!(deliveries[0]["result"]["outcome"], "answered");
    assert_eq!(deliveries[0]["result"]["status"], 200);
}

fn send_to(example: &common::Example, base: &str, extra: &[&str]) -> std::process::Output {
    send_in(example, &[], &[["--to", base].as_slice(), extra].concat())
}

/// A usage error (exit code 2) that says `what`.
fn refused_with(output: &std::process::Output, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        common::transcript(output)
    );
    assert!(
        common::text(&output.stderr).contains(what),
        "{}",
        common::transcript(output)
    );
}

/// `ldhook send` on the example with `env` set and `args`.
fn send_in(example: &common::Example, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut command = common::ldhook();
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .args(["send", example.dir.to_str().expect("utf-8 path")])
        .args(args)
        .output()
        .expect("ldhook runs")
}

#[test]
fn a_server_error_is_exit_1_with_its_status_and_body() {
    let example = common::Example::new();
    let (base, received) = server(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops",
    );
    let output = send_to(&example, &base, &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        common::transcript(&output)
    );
    let stdout = common::text(&output.stdout);
    assert!(
        stdout.contains("  500  ") && stdout.contains("| oops"),
        "{stdout}"
    );
    next(&received);
}

#[test]
fn retries_send_again_after_a_server_error() {
    let example = common::Example::new();
    let (base, received) = server(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let output = send_to(&example, &base, &["--retries", "2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(common::text(&output.stdout).contains("(3 attempts)"));
    for _ in 0..3 {
        next(&received);
    }
}

#[test]
fn a_redirect_is_reported_not_followed() {
    let example = common::Example::new();
    let (base, received) = server(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let output = send_to(&example, &base, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = common::text(&output.stdout);
    assert!(
        stdout.contains("redirect to http://127.0.0.1:9/elsewhere (not followed)"),
        "{stdout}"
    );
    next(&received);
    assert!(
        received.recv_timeout(Duration::from_millis(200)).is_err(),
        "followed"
    );
}

#[test]
fn a_refused_port_is_a_one_line_reason() {
    let example = common::Example::new();
    // A port just freed: nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let output = send_to(&example, &format!("http://127.0.0.1:{port}"), &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        common::transcript(&output)
    );
    let stdout = common::text(&output.stdout);
    assert!(stdout.contains("failed: connection refused"), "{stdout}");
}

#[test]
fn a_server_that_never_answers_times_out_within_the_limit() {
    let example = common::Example::new();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let output = send_to(&example, &base, &["--timeout", "1"]);
    drop(listener);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        common::transcript(&output)
    );
    assert!(common::text(&output.stdout).contains("failed: timed out"));
}

#[test]
fn a_dry_run_sends_nothing() {
    let example = common::Example::new();
    let (base, received) = server(OK);
    let output = send_to(&example, &base, &["--dry-run", "--var", "apiToken=s3cret"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let stdout = common::text(&output.stdout);
    assert!(stdout.contains("not sent (--dry-run)"), "{stdout}");
    assert!(
        stdout.contains("Authorization: Bearer ********"),
        "{stdout}"
    );
    assert!(!stdout.contains("s3cret"), "{stdout}");
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "a request arrived"
    );
}

#[test]
fn form_variables_come_from_the_environment_by_their_key() {
    let example = common::Example::new();
    let (base, received) = server(OK);
    let output = send_in(
        &example,
        &[("LDHOOK_VAR_apiToken", "from-env")],
        &["--to", &base, "--vars-from-env"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    assert_eq!(
        next(&received).header("Authorization"),
        Some("Bearer from-env")
    );
}

#[test]
fn usage_errors_are_exit_2() {
    let example = common::Example::new();
    let output = send_to(&example, "http://127.0.0.1:9", &["--timeout", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let output = common::ldhook()
        .args(["send", "--include-undelivered"])
        .output()
        .expect("ldhook runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn set_changes_the_event_before_it_is_rendered_and_sent() {
    let example = common::Example::new();
    let rendered = render_json(
        &example,
        &["--event", "flag/toggle-on", "--set", "name=Flag \"quoted\""],
    );
    let body = rendered["request"]["body"].as_str().expect("body");
    let summary = serde_json::from_str::<Value>(body).expect("a JSON body")["summary"].clone();
    assert_eq!(summary, "Priya Raman turned on the flag Flag \"quoted\"");

    let (base, received) = server(OK);
    let output = send_to(
        &example,
        &base,
        &["--event", "flag/toggle-on", "--set", "name=Flag \"quoted\""],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    assert_eq!(next(&received).body, body.as_bytes());

    let output = send_to(&example, &base, &["--set", "projekt.key=x"]);
    refused_with(
        &output,
        "the event has no `projekt`; did you mean `project`?",
    );
}

#[test]
fn a_profile_gives_plain_values_and_secrets_only_from_the_environment() {
    let example = common::Example::new();
    let config = example.root.path().join("ldhook.toml");
    std::fs::write(
        &config,
        "[profiles.dev]\ntimelineId = \"tl-dev\"\napiToken = { env = \"ACME_TOKEN\" }\n",
    )
    .expect("write ldhook.toml");
    let (base, received) = server(OK);
    let output = send_in(
        &example,
        &[("ACME_TOKEN", "tok-from-env")],
        &["--to", &base, "--profile", "dev"],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let got = next(&received);
    assert_eq!(got.header("Authorization"), Some("Bearer tok-from-env"));
    assert!(got.target.contains("/timelines/tl-dev/"), "{}", got.target);
    assert!(!common::text(&output.stdout).contains("tok-from-env"));
    // validate reads the same file and takes the profiles table.
    let validate = common::ldhook()
        .args(["validate", example.dir.to_str().expect("utf-8 path")])
        .output()
        .expect("ldhook runs");
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        common::transcript(&validate)
    );

    let output = send_in(&example, &[], &["--to", &base, "--profile", "dev"]);
    refused_with(
        &output,
        "ldhook.toml:3:12: `apiToken` reads the environment variable ACME_TOKEN, which is not set",
    );

    std::fs::write(
        &config,
        "[profiles.dev]\napiToken = \"literal\"\ntimelineid = \"x\"\n",
    )
    .expect("write ldhook.toml");
    let output = send_to(&example, &base, &["--profile", "dev"]);
    refused_with(
        &output,
        "ldhook.toml:2:12: `apiToken` is a secret form variable: give it as { env = \"VARIABLE\" }",
    );
    std::fs::write(&config, "[profiles.dev]\ntimelineid = \"x\"\n").expect("write ldhook.toml");
    let output = send_to(&example, &base, &["--profile", "dev"]);
    refused_with(
        &output,
        "ldhook.toml:2:1: `timelineid` is not a form variable of this integration; did you mean `timelineId`?",
    );
    let output = send_to(&example, &base, &["--profile", "prod"]);
    refused_with(&output, "no [profiles.prod]");
}

#[test]
fn a_vars_file_in_json_holds_profiles_too() {
    let example = common::Example::new();
    let file = example.root.path().join("vars.json");
    std::fs::write(
        &file,
        r#"{"profiles": {"ci": {"timelineId": "tl-ci", "apiToken": {"env": "CI_TOKEN"}}}}"#,
    )
    .expect("write vars.json");
    let (base, received) = server(OK);
    let output = common::ldhook()
        .env("CI_TOKEN", "ci-secret")
        .args([
            "send",
            example.dir.to_str().expect("utf-8 path"),
            "--to",
            &base,
        ])
        .args([
            "--profile",
            "ci",
            "--vars-file",
            file.to_str().expect("utf-8 path"),
        ])
        .output()
        .expect("ldhook runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let got = next(&received);
    assert_eq!(got.header("Authorization"), Some("Bearer ci-secret"));
    assert!(got.target.contains("/timelines/tl-ci/"), "{}", got.target);
}

/// `ldhook receive --port 0` with `args`, and the base URL it listens on.
fn receive(args: &[&str]) -> (std::process::Child, String) {
    let mut child = common::ldhook_process()
        .args(["receive", "--port", "0"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ldhook receive starts");
    let stderr = child.stderr.take().expect("stderr piped");
    let (sender, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    // A hang guard, not a timing assertion.
    let first = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("receive says where it listens");
    let base = first
        .strip_prefix("ldhook: listening on ")
        .unwrap_or_else(|| panic!("first stderr line: {first}"))
        .to_string();
    (child, base)
}

fn finished(mut child: std::process::Child) -> std::process::ExitStatus {
    for _ in 0..600 {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("receive did not exit after its --count");
}

#[test]
fn send_all_to_receive_saves_each_request_and_a_replay_resends_it_byte_for_byte() {
    let example = common::Example::new();
    example.edit(|manifest| {
        manifest["capabilities"]["auditLogEventsHook"]["endpoint"]["hmacSignature"] = serde_json::json!({
            "headerName": "X-LD-Signature",
            "hmacSecretFormVariableKey": "apiToken"
        });
    });
    let saved = tempfile::tempdir().expect("temp dir");
    let dry = send_to(
        &example,
        "http://127.0.0.1:9",
        &["--all", "--dry-run", "--format", "json"],
    );
    let count = serde_json::from_slice::<Value>(&dry.stdout)
        .expect("json")
        .as_array()
        .map_or(0, Vec::len);
    assert!(count > 1);
    let (child, base) = receive(&[
        "--count",
        &count.to_string(),
        "--save",
        saved.path().to_str().expect("utf-8"),
    ]);
    let output = send_to(&example, &base, &["--all", "--var", "apiToken=tok"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    assert!(finished(child).success());
    let files = common::names(saved.path());
    assert_eq!(files.len(), count, "{files:?}");
    let first = saved.path().join(&files[0]);

    // Resent as saved: the same method, path, headers and body bytes; signed anew on request.
    let saved_json: Value = common::read_json(&first);
    let (target, received) = server(OK);
    let output = common::ldhook()
        .args([
            "send",
            "--replay",
            first.to_str().expect("utf-8"),
            "--to",
            &target,
        ])
        .output()
        .expect("ldhook runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    assert!(
        !common::text(&output.stdout).contains("Bearer tok"),
        "a secret was shown"
    );
    let got = next(&received);
    assert_eq!(got.method, saved_json["method"]);
    assert_eq!(got.target, saved_json["path"]);
    assert_eq!(got.header("Authorization"), Some("Bearer tok"));
    let body = saved_json["bodyText"].as_str().expect("a text body");
    assert_eq!(got.body, body.as_bytes());
    assert_eq!(
        got.header("X-LD-Signature"),
        Some(ldhook::request::signature(b"tok", body.as_bytes()).as_str())
    );
    let output = common::ldhook()
        .env("NEW_SECRET", "rotated")
        .args([
            "send",
            "--replay",
            first.to_str().expect("utf-8"),
            "--to",
            &target,
        ])
        .args(["--resign-secret-env", "NEW_SECRET"])
        .output()
        .expect("ldhook runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let got = next(&received);
    assert_eq!(
        got.header("X-LD-Signature"),
        Some(ldhook::request::signature(b"rotated", body.as_bytes()).as_str())
    );
    assert_eq!(
        got.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("x-ld-signature"))
            .count(),
        1
    );
}

#[test]
fn render_takes_the_same_profiles() {
    let example = common::Example::new();
    std::fs::write(
        example.root.path().join("ldhook.toml"),
        "[profiles.dev]\ntimelineId = \"tl-dev\"\napiToken = { env = \"ACME_TOKEN\" }\n",
    )
    .expect("write ldhook.toml");
    let output = common::ldhook()
        .env("ACME_TOKEN", "tok-from-env")
        .args([
            "render",
            example.dir.to_str().expect("utf-8 path"),
            "--profile",
            "dev",
        ])
        .args(["--format", "json"])
        .output()
        .expect("ldhook runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        common::transcript(&output)
    );
    let shown: Value = serde_json::from_slice(&output.stdout).expect("json");
    let url = shown["request"]["url"].as_str().expect("url");
    assert!(url.contains("/timelines/tl-dev/"), "{url}");
    assert!(
        !common::text(&output.stdout).contains("tok-from-env"),
        "a secret was shown"
    );
    let output = common::ldhook()
        .args([
            "render",
            example.dir.to_str().expect("utf-8 path"),
            "--profile",
            "dev",
        ])
        .output()
        .expect("ldhook runs");
    refused_with(
        &output,
        "reads the environment variable ACME_TOKEN, which is not set",
    );
}

/// An HTTP proxy on 127.0.0.1 that accepts one CONNECT, hands its target to the returned
/// channel and tunnels the bytes both ways.
fn connect_proxy() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let Ok((client, _)) = listener.accept() else {
            return;
        };
        let _ = client.set_read_timeout(Some(Duration::from_secs(20)));
        let mut reader = BufReader::new(client);
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return;
        }
        let target = line
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        loop {
            let mut header = String::new();
            match reader.read_line(&mut header) {
                Ok(0) | Err(_) => return,
                Ok(_) if header.trim_end().is_empty() => break,
                Ok(_) => {}
            }
        }
        let _ = sender.send(format!(
            "{} {target}",
            line.split_whitespace().next().unwrap_or_default()
        ));
        let Ok(upstream) = TcpStream::connect(&target) else {
            return;
        };
        let mut client = reader.into_inner();
        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        let (Ok(mut client_in), Ok(mut upstream_out)) = (client.try_clone(), upstream.try_clone())
        else {
            return;
        };
        thread::spawn(move || std::io::copy(&mut client_in, &mut upstream_out));
        let mut upstream_in = upstream;
        let _ = std::io::copy(&mut upstream_in, &mut client);
    });
    (address, receiver)
}

#[test]
fn a_proxy_from_the_environment_carries_the_request() {
    let example = common::Example::new();
    let (base, received) = server(OK);
    let (proxy, tunnels) = connect_proxy();
    let output = send_in(
        &example,
        &[("HTTPS_PROXY", proxy.as_str())],
        &["--to", &base],
    );
    assert!(output.status.success(), "{}", common::transcript(&output));
    let authority = base.trim_start_matches("http://");
    assert_eq!(
        tunnels
            .recv_timeout(Duration::from_secs(60))
            .expect("the proxy was asked"),
        format!("CONNECT {authority}")
    );
    assert_eq!(next(&received).method, "POST");
}

#[test]
fn no_proxy_sends_past_the_proxy() {
    let example = common::Example::new();
    let (base, received) = server(OK);
    // A proxy address nothing listens on: the request can only arrive directly.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let proxy = format!("http://127.0.0.1:{port}");
    let through = send_in(&example, &[("HTTPS_PROXY", &proxy)], &["--to", &base]);
    assert_eq!(
        through.status.code(),
        Some(1),
        "{}",
        common::transcript(&through)
    );
    assert!(
        common::text(&through.stdout).contains(&format!(
            "failed: connection refused, through the proxy 127.0.0.1:{port} from the environment"
        )),
        "{}",
        common::transcript(&through)
    );
    let past = send_in(
        &example,
        &[("HTTPS_PROXY", &proxy), ("NO_PROXY", "127.0.0.1")],
        &["--to", &base],
    );
    assert!(past.status.success(), "{}", common::transcript(&past));
    assert_eq!(next(&received).method, "POST");
}

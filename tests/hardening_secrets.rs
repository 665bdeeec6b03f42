//! Secrets given with `--var` never reach the output unless `--show-secrets`: not in an error
//! about a malformed `--var`, not in a header or URL built from them (bearer, basic, query
//! parameter), not through the HMAC signature, in every format, with `--curl` saying on stderr
//! that the command will not work as pasted.

mod common;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// An integration that carries its secrets every way a template can: `token=` in the URL, a
/// basic credential, a bearer token, the body of the member template and the HMAC signature.
const SIGNED: &str = "tests/fixtures/secrets";
const API_KEY: &str = "S3CRET-API";
const SIGNING_KEY: &str = "S3CRET-SIGNING";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn both(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    fn assert_hides(&self, secret: &str) {
        assert!(
            !self.both().contains(secret),
            "`{secret}` shown:\n--- stdout\n{}--- stderr\n{}",
            self.stdout,
            self.stderr
        );
    }
}

fn run_ldhook(args: &[&str]) -> Run {
    let output = common::ldhook().args(args).output().expect("ldhook runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `render SIGNED` with every form variable given, then `extra`.
fn render_signed(extra: &[&str]) -> Run {
    let api_key = format!("apiKey={API_KEY}");
    let signing_key = format!("signingKey={SIGNING_KEY}");
    let mut args = vec![
        "render",
        SIGNED,
        "--var",
        &api_key,
        "--var",
        "user=ann",
        "--var",
        &signing_key,
    ];
    args.extend_from_slice(extra);
    run_ldhook(&args)
}

fn hex_hmac_sha256(key: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .fold(String::new(), |mut hex, b| {
            hex.push_str(&format!("{b:02x}"));
            hex
        })
}

fn header<'a>(preview: &'a serde_json::Value, name: &str) -> &'a str {
    preview["request"]["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .find(|h| h["name"] == name)
        .and_then(|h| h["value"].as_str())
        .unwrap_or_else(|| panic!("no header {name}"))
}

/// The signature `--show-secrets` prints for `event`, checked against the body it signs.
fn real_signature(event: &str) -> String {
    let shown = render_signed(&["--event", event, "--show-secrets", "--format", "json"]);
    assert_eq!(shown.code, Some(0), "{}", shown.stderr);
    let preview: serde_json::Value = serde_json::from_str(&shown.stdout).expect("JSON");
    let body = preview["request"]["body"].as_str().expect("body");
    let signature = header(&preview, "X-LD-Signature");
    assert_eq!(signature, hex_hmac_sha256(SIGNING_KEY, body));
    signature.to_string()
}

#[test]
fn a_malformed_var_is_named_by_position_never_by_its_text() {
    for malformed in ["apiKey:S3CRET", "apiKey S3CRET", "=S3CRET", "S3CRET"] {
        let run = run_ldhook(&["render", SIGNED, "--var", "user=ann", "--var", malformed]);
        assert_eq!(run.code, Some(2), "{malformed}");
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            "ldhook: error: the 2nd --var is not of the form `--var KEY=VALUE` (its text is not \
             repeated, as it may hold a secret)\n",
            "{malformed}"
        );
        run.assert_hides("S3CRET");
    }
}

#[test]
fn an_unknown_key_that_may_be_part_of_a_secret_is_not_named() {
    // A wrong separator before a value with `=` in it, a key with a space, and a base64 token
    // pasted without its key all split at an `=` into what looks like KEY=VALUE.
    for pair in [
        "apiKey:S3CRET=x",
        "apiKey S3CRET=x",
        "S3CRETdGVzdA==",
        "S3CRET=",
    ] {
        let run = run_ldhook(&["render", SIGNED, "--var", pair]);
        assert_eq!(run.code, Some(2), "{pair}");
        assert_eq!(
            run.stderr,
            "ldhook: error: the 1st --var names no form variable (its text is not repeated, as \
             it may hold a secret; the form is `--var KEY=VALUE`); the manifest defines: \
             apiKey, user, signingKey\n",
            "{pair}"
        );
        run.assert_hides("S3CRET");
    }
}

#[test]
fn an_unknown_key_is_named_but_its_value_is_not() {
    let run = run_ldhook(&["render", SIGNED, "--var", "apikey=S3CRET"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "ldhook: error: no form variable `apikey` (did you mean `apiKey`?); the manifest defines: apiKey, user, signingKey\n"
    );
    run.assert_hides("S3CRET");
}

#[test]
fn the_hmac_signature_is_masked_in_every_format() {
    let real = real_signature("flag/toggle-on");
    let masked = "X-LD-Signature: <masked: HMAC of the body keyed by secret `signingKey`>";

    let human = render_signed(&["--event", "flag/toggle-on"]);
    assert_eq!(human.code, Some(0), "{}", human.stderr);
    assert!(
        human.stdout.contains(&format!("{masked}\n")),
        "{}",
        human.stdout
    );

    let json = render_signed(&["--event", "flag/toggle-on", "--format", "json"]);
    let preview: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        header(&preview, "X-LD-Signature"),
        "<masked: HMAC of the body keyed by secret `signingKey`>"
    );

    let curl = render_signed(&["--event", "flag/toggle-on", "--curl"]);
    assert!(
        curl.stdout.contains(&format!("-H '{masked}'")),
        "{}",
        curl.stdout
    );

    for run in [&human, &json, &curl] {
        run.assert_hides(&real);
        run.assert_hides(SIGNING_KEY);
        run.assert_hides(API_KEY);
    }
    for format in ["human", "json"] {
        let all = render_signed(&["--all", "--format", format]);
        assert_eq!(all.code, Some(0), "{}", all.both());
        all.assert_hides(&real);
        all.assert_hides(SIGNING_KEY);
        all.assert_hides(API_KEY);
    }
}

#[test]
fn a_signature_over_a_body_that_holds_a_secret_is_masked_even_with_a_known_key() {
    // The signing key is left at its test value, which anyone can read in the manifest, but
    // the member body holds the API key: its signature would let one test guesses offline.
    let run = run_ldhook(&[
        "render",
        SIGNED,
        "--event",
        "member/update",
        "--var",
        &format!("apiKey={API_KEY}"),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("X-LD-Signature: <masked: HMAC of a body that holds a secret>\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"token\": \"********\""),
        "{}",
        run.stdout
    );
    let shown = run_ldhook(&[
        "render",
        SIGNED,
        "--event",
        "member/update",
        "--var",
        &format!("apiKey={API_KEY}"),
        "--show-secrets",
        "--format",
        "json",
    ]);
    let preview: serde_json::Value = serde_json::from_str(&shown.stdout).expect("JSON");
    let body = preview["request"]["body"].as_str().expect("body");
    assert!(body.contains(API_KEY));
    run.assert_hides(&hex_hmac_sha256("signingKey", body));
    run.assert_hides(API_KEY);
}

#[test]
fn show_secrets_prints_the_request_as_it_is_sent() {
    assert_eq!(
        real_signature("flag/toggle-on"),
        "643807074cdc9d6941522d2f56022b2773198adecf9fc7771274a11b3489f6da"
    );
    let run = render_signed(&["--event", "flag/toggle-on", "--show-secrets"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("show_secrets_human", run.stdout);
    let curl = render_signed(&["--event", "member/update", "--show-secrets", "--curl"]);
    assert_eq!(curl.stderr, "");
    insta::assert_snapshot!("show_secrets_curl", curl.stdout);
}

#[test]
fn headers_and_urls_built_from_a_secret_are_masked() {
    let run = render_signed(&["--event", "flag/toggle-on"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The base64 of the real credential, and of the masked one, which would pass for real.
    run.assert_hides("YW5uOlMzQ1JFVC1BUEk=");
    run.assert_hides("YW5uOioqKioqKioq");
    assert!(
        run.stdout.contains(
            "POST https://sink.example/events?token=********\n\
             Content-Type: application/json\n\
             Authorization: <masked: derived from a secret form variable>\n\
             X-Api-Token: Bearer ********\n"
        ),
        "{}",
        run.stdout
    );
    let json = render_signed(&["--event", "flag/toggle-on", "--format", "json"]);
    let preview: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        header(&preview, "Authorization"),
        "<masked: derived from a secret form variable>"
    );
    assert_eq!(
        preview["request"]["url"],
        "https://sink.example/events?token=********"
    );
    json.assert_hides("YW5uOlMzQ1JFVC1BUEk=");
}

#[test]
fn curl_with_masked_secrets_says_so_on_stderr() {
    let masked = render_signed(&["--event", "member/update", "--curl"]);
    assert_eq!(masked.code, Some(0));
    assert!(
        masked.stdout.starts_with("curl -X POST "),
        "{}",
        masked.stdout
    );
    assert_eq!(
        masked.stderr,
        "ldhook: note: the command above has secrets masked and will not work as pasted; \
         --show-secrets prints them\n"
    );
    masked.assert_hides(API_KEY);
    let shown = render_signed(&["--event", "member/update", "--curl", "--show-secrets"]);
    assert_eq!(shown.stderr, "");
    let test_values = run_ldhook(&["render", SIGNED, "--event", "member/update", "--curl"]);
    assert_eq!(test_values.stderr, "");
}

#[test]
fn a_secret_that_breaks_the_body_is_reported_without_it() {
    let breaking = "apiKey=ab\"S3CRET";
    let run = run_ldhook(&[
        "render",
        SIGNED,
        "--event",
        "member/update",
        "--var",
        breaking,
    ]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "ldhook: error: tests/fixtures/secrets/templates/member.json.hbs: the rendered body is \
         not valid JSON with the value given for secret `apiKey` (the details would quote it; \
         --show-secrets shows them)\n"
    );
    run.assert_hides("S3CRET");
    let all = run_ldhook(&[
        "render", SIGNED, "--all", "--format", "json", "--var", breaking,
    ]);
    assert_eq!(all.code, Some(1));
    assert!(
        all.stdout
            .contains("the rendered body is not valid JSON with the value given for secret"),
        "{}",
        all.stdout
    );
    all.assert_hides("S3CRET");
    let shown = run_ldhook(&[
        "render",
        SIGNED,
        "--event",
        "member/update",
        "--var",
        breaking,
        "--show-secrets",
    ]);
    assert_eq!(shown.code, Some(1));
    assert!(
        shown
            .stderr
            .contains("the rendered body is not valid JSON: "),
        "{}",
        shown.stderr
    );
}

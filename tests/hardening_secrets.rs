//! Secrets given with `--var` never reach the output unless `--show-secrets`: not in an error
//! about a malformed `--var`, not in a header or URL built from them (bearer, basic, query
//! parameter), not through the HMAC signature, in every format, with `--curl` saying on stderr
//! that the command will not work as pasted.

use assert_cmd::Command;

/// An integration that carries its secrets every way a template can: `token=` in the URL, a
/// basic credential, a bearer token, the body of the member template and the HMAC signature.
const SIGNED: &str = "tests/fixtures/secrets";

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

fn ldhook(args: &[&str]) -> Run {
    let output = Command::cargo_bin("ldhook")
        .expect("the ldhook binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("ldhook runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_malformed_var_is_named_by_position_never_by_its_text() {
    for malformed in ["apiKey:S3CRET", "apiKey S3CRET", "=S3CRET", "S3CRET"] {
        let run = ldhook(&["render", SIGNED, "--var", "user=ann", "--var", malformed]);
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
        let run = ldhook(&["render", SIGNED, "--var", pair]);
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
    let run = ldhook(&["render", SIGNED, "--var", "apikey=S3CRET"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "ldhook: error: no form variable `apikey`; the manifest defines: apiKey, user, signingKey\n"
    );
    run.assert_hides("S3CRET");
}

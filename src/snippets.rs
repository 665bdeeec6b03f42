//! `ldhook snippet verify`: a short function for the partner's own endpoint that checks the
//! signature `send` computes — hex HMAC-SHA256 of the raw body, compared in constant time.
//! `tests/cli_snippet.rs` runs each one against signatures ldhook makes.

/// The languages there is a snippet for.
pub const LANGUAGES: [&str; 3] = ["node", "python", "go"];

/// The verification snippet for `language`, one of [`LANGUAGES`].
pub fn verify(language: &str) -> Option<&'static str> {
    Some(match language {
        "node" => NODE,
        "python" => PYTHON,
        "go" => GO,
        _ => return None,
    })
}

const NODE: &str = r"// Checks the signature header of a request from LaunchDarkly: the hex HMAC-SHA256 of the
// raw body bytes (read them before any JSON parsing), keyed by the shared secret.
const crypto = require('crypto');

function verifySignature(rawBody, signature, secret) {
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(String(signature || ''), 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

module.exports = { verifySignature };
";

const PYTHON: &str = r#"# Checks the signature header of a request from LaunchDarkly: the hex HMAC-SHA256 of the
# raw body bytes (read them before any JSON parsing), keyed by the shared secret.
import hashlib
import hmac


def verify_signature(raw_body: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    given = (signature or "").strip().lower().encode("utf-8")
    return hmac.compare_digest(expected.encode("utf-8"), given)
"#;

const GO: &str = r#"// Checks the signature header of a request from LaunchDarkly: the hex HMAC-SHA256 of the
// raw body bytes (read them before any JSON decoding), keyed by the shared secret.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

func VerifySignature(rawBody []byte, signature, secret string) bool {
	given, err := hex.DecodeString(signature)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(rawBody)
	return hmac.Equal(given, mac.Sum(nil))
}
"#;

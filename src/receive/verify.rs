//! Checking a received webhook's signature: the hex HMAC-SHA256 of the raw body bytes keyed
//! by the secret, as LaunchDarkly signs webhooks (and as `render` shows the header).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What the signature check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The header holds the digest of the bytes received.
    Ok,
    /// It does not, and why ldhook thinks so.
    Mismatch(Reason),
}

/// Why a signature did not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No header of that name; `similar` is a header present whose name looks meant for it.
    Missing { similar: Option<String> },
    /// The value holds a character that is not a hexadecimal digit.
    NotHex,
    /// The value is hexadecimal but not the 64 digits of a SHA-256 digest.
    WrongLength { digits: usize },
    /// The value is the digest of the body re-serialized as compact JSON, not of the bytes
    /// received: something between the sender and here changed the bytes.
    Reserialized,
    /// The digest of neither; the secret or the body differs.
    Differs,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Missing { similar: None } => write!(f, "the header is missing"),
            Reason::Missing {
                similar: Some(name),
            } => write!(f, "the header is missing; `{name}` is present, a typo?"),
            Reason::NotHex => write!(f, "the value is not hexadecimal"),
            Reason::WrongLength { digits } => write!(
                f,
                "the value has {digits} hex digits, a SHA-256 digest has 64"
            ),
            Reason::Reserialized => write!(
                f,
                "it is the digest of the body re-serialized as compact JSON, not of the bytes received: a relay changed the bytes"
            ),
            Reason::Differs => write!(f, "it is not the digest of the body keyed by this secret"),
        }
    }
}

/// Checks the signature header `header` among `headers` (name, value) against `body`, keyed
/// by `secret`. The digest is compared in constant time.
pub fn verify(secret: &[u8], header: &str, headers: &[(String, String)], body: &[u8]) -> Verdict {
    let Some((_, value)) = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(header))
    else {
        return Verdict::Mismatch(Reason::Missing {
            similar: similar_header(header, headers),
        });
    };
    let value = value.trim();
    let Some(digest) = decode_hex(value) else {
        return Verdict::Mismatch(Reason::NotHex);
    };
    if digest.len() != 32 {
        return Verdict::Mismatch(Reason::WrongLength {
            digits: value.len(),
        });
    }
    if matches(secret, body, &digest) {
        return Verdict::Ok;
    }
    let compact = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| serde_json::to_vec(&value).ok())
        .filter(|compact| compact.as_slice() != body);
    if compact.is_some_and(|compact| matches(secret, &compact, &digest)) {
        return Verdict::Mismatch(Reason::Reserialized);
    }
    Verdict::Mismatch(Reason::Differs)
}

/// Whether `digest` is the HMAC-SHA256 of `body` keyed by `secret`, compared in constant time.
fn matches(secret: &[u8], body: &[u8], digest: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(digest).is_ok()
}

/// A header present whose name looks meant for `wanted`: a near miss, or one that names a
/// signature.
fn similar_header(wanted: &str, headers: &[(String, String)]) -> Option<String> {
    let names = headers.iter().map(|(name, _)| name.as_str());
    if let Some(name) = crate::diagnostics::suggest::closest(wanted, names) {
        return Some(name.to_string());
    }
    headers
        .iter()
        .map(|(name, _)| name)
        .find(|name| {
            let lower = name.to_ascii_lowercase();
            lower.contains("signature") || lower.contains("hmac")
        })
        .cloned()
}

/// Hexadecimal digits (either case, an even number of them) as bytes.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let nibbles: Option<Vec<u8>> = text
        .chars()
        .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
        .collect();
    let nibbles = nibbles?;
    if nibbles.is_empty() {
        return None;
    }
    if nibbles.len() % 2 != 0 {
        // Hexadecimal, but no whole number of bytes: a length problem, as a digest cut short.
        return Some(Vec::new());
    }
    Some(
        nibbles
            .chunks_exact(2)
            .map(|pair| match pair {
                [high, low] => (high << 4) | low,
                _ => 0,
            })
            .collect(),
    )
}

/// The hex signature of `body` keyed by `secret`, as a sender computes it.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    crate::request::signature(secret, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"s3cret";
    const BODY: &[u8] = b"{ \"kind\": \"flag\",\n  \"name\": \"x\" }";

    fn with(name: &str, value: &str) -> Vec<(String, String)> {
        vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            (name.to_string(), value.to_string()),
        ]
    }

    #[test]
    fn the_digest_of_the_bytes_received_is_ok_in_any_case_and_header_case() {
        let digest = sign(SECRET, BODY);
        assert_eq!(digest.len(), 64);
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("x-ld-signature", &digest),
                BODY
            ),
            Verdict::Ok
        );
        let upper = digest.to_uppercase();
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", &upper),
                BODY
            ),
            Verdict::Ok
        );
    }

    #[test]
    fn another_secret_or_body_differs() {
        let digest = sign(b"other", BODY);
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", &digest),
                BODY
            ),
            Verdict::Mismatch(Reason::Differs)
        );
        let digest = sign(SECRET, b"{}");
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", &digest),
                BODY
            ),
            Verdict::Mismatch(Reason::Differs)
        );
    }

    #[test]
    fn a_missing_header_names_a_similar_one() {
        let digest = sign(SECRET, BODY);
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signatur", &digest),
                BODY
            ),
            Verdict::Mismatch(Reason::Missing {
                similar: Some("X-LD-Signatur".to_string())
            })
        );
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-Hub-Signature-256", &digest),
                BODY
            ),
            Verdict::Mismatch(Reason::Missing {
                similar: Some("X-Hub-Signature-256".to_string())
            })
        );
        assert_eq!(
            verify(SECRET, "X-LD-Signature", &with("Accept", "*/*"), BODY),
            Verdict::Mismatch(Reason::Missing { similar: None })
        );
    }

    #[test]
    fn not_hex_and_wrong_length() {
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", "sha256=abc"),
                BODY
            ),
            Verdict::Mismatch(Reason::NotHex)
        );
        assert_eq!(
            verify(SECRET, "X-LD-Signature", &with("X-LD-Signature", ""), BODY),
            Verdict::Mismatch(Reason::NotHex)
        );
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", "abcd"),
                BODY
            ),
            Verdict::Mismatch(Reason::WrongLength { digits: 4 })
        );
        let digest = sign(SECRET, BODY);
        let cut = digest.get(..63).unwrap_or_default();
        assert_eq!(
            verify(SECRET, "X-LD-Signature", &with("X-LD-Signature", cut), BODY),
            Verdict::Mismatch(Reason::WrongLength { digits: 63 })
        );
    }

    #[test]
    fn the_digest_of_the_compact_json_means_the_bytes_were_changed() {
        let compact = br#"{"kind":"flag","name":"x"}"#;
        let digest = sign(SECRET, compact);
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", &digest),
                BODY
            ),
            Verdict::Mismatch(Reason::Reserialized)
        );
        // Received compact, the same digest is simply ok.
        assert_eq!(
            verify(
                SECRET,
                "X-LD-Signature",
                &with("X-LD-Signature", &digest),
                compact
            ),
            Verdict::Ok
        );
    }

    #[test]
    fn the_reasons_read_as_sentences() {
        assert!(
            Reason::Reserialized
                .to_string()
                .contains("relay changed the bytes")
        );
        assert!(
            Reason::Missing {
                similar: Some("X-Sig".into())
            }
            .to_string()
            .contains("`X-Sig` is present")
        );
    }
}

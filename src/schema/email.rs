//! The `email` format exactly as ajv 6 checks it by default ("fast" mode):
//! `^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$`
//! case-insensitively. It is looser than RFC 5322 in places (`help@localhost` passes) and
//! stricter in others (no display names, no non-ASCII), and the framework's verdicts follow it.

pub fn is_ajv_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty() && local.bytes().all(is_local_byte) && domain.split('.').all(is_domain_label)
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b)
}

fn is_domain_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    (1..=63).contains(&bytes.len())
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::is_ajv_email;

    #[test]
    fn accepts_what_ajv_accepts() {
        for ok in [
            "support@launchdarkly.com",
            "help@localhost",
            "A.B+tag@Example-Host.CO",
            "x@a",
            "!#$%&'*+/=?^_`{|}~-@a1.b2",
        ] {
            assert!(is_ajv_email(ok), "{ok}");
        }
    }

    #[test]
    fn rejects_what_ajv_rejects() {
        let long_label = format!("a@{}.com", "b".repeat(64));
        for bad in [
            "",
            "@example.com",
            "a@",
            "Support <support@example.com>",
            "josé@example.com",
            "a@b@c",
            "a@under_score.com",
            "a@-lead.com",
            "a@trail-.com",
            "a@a..b",
            "a@a.",
            "a b@c.d",
            long_label.as_str(),
        ] {
            assert!(!is_ajv_email(bad), "{bad}");
        }
        assert!(is_ajv_email(&format!("a@{}.com", "b".repeat(63))));
    }
}

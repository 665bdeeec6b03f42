//! `endpoint-url-invalid`: the scheme and host of the endpoint URL, judged only where the
//! manifest fixes them. Literal text is checked as written; a URL that starts with a form
//! variable is accepted when the variable is a `uri`, checked through each `allowedValues` when
//! it is an `enum`, and otherwise not judged: the framework's test values (a string variable
//! renders as its own key) must never fail a public integration.

use super::subject::{Subject, hook};
use super::*;
use crate::diagnostics::Diagnostic;
use crate::manifest::model::{Endpoint, FormVariableKind};

pub(super) fn check(s: &Subject, endpoint: &Endpoint, out: &mut Vec<Diagnostic>) {
    let at = hook().child("endpoint").child("url");
    let url = endpoint.url.trim();
    let Some(leading) = leading_tag(url) else {
        if let Some(problem) = problem(url) {
            out.push(s.at(
                &ENDPOINT_URL_INVALID,
                &at,
                format!("the endpoint URL {problem}"),
            ));
        }
        return;
    };
    let (tag, rest) = leading;
    if tag == "oauth.baseURI" {
        return;
    }
    let Some(variable) = s.integration.manifest.form_variable(tag) else {
        return;
    };
    if variable.kind != FormVariableKind::Enum {
        return;
    }
    let literal_after = rest.split("{{").next().unwrap_or_default();
    for value in &variable.allowed_values {
        let start = format!("{value}{literal_after}");
        if let Some(problem) = problem(&start) {
            out.push(s.at(
                &ENDPOINT_URL_INVALID,
                &at,
                format!(
                    "with `{tag}` set to its allowed value `{value}`, the endpoint URL {problem}"
                ),
            ));
        }
    }
}

/// The path a URL starts with when it starts with a plain `{{path}}` or `{{{path}}}`, and the
/// text after that tag; `None` when it starts with literal text.
fn leading_tag(url: &str) -> Option<(&str, &str)> {
    let inner = url.strip_prefix("{{")?;
    let (inner, close) = match inner.strip_prefix('{') {
        Some(raw) => (raw, "}}}"),
        None => (inner, "}}"),
    };
    let (tag, rest) = inner.split_once(close)?;
    let tag = tag.trim().trim_start_matches('&').trim();
    Some((tag, rest))
}

/// What is wrong with the scheme and host of `url`, judging only its literal text: the host
/// may hold mustaches (`https://ingest.{{realm}}.example.com`), whose text is not known.
fn problem(url: &str) -> Option<String> {
    if url.starts_with("{{") {
        // A variable where the scheme would be: what it holds is not known here.
        return None;
    }
    let Some((scheme, after)) = url.split_once("://") else {
        return Some(format!(
            "`{url}` has no scheme: LaunchDarkly needs an absolute http:// or https:// URL"
        ));
    };
    if scheme.contains("{{") {
        return None;
    }
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return Some(format!(
            "starts with `{scheme}://`, not http:// or https://"
        ));
    }
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    // User information (`{{user}}:{{key}}@host`) is not part of the host.
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty() {
        return Some(format!("`{url}` has no host"));
    }
    let literal = without_tags(host);
    if let Some(bad) = literal.chars().find(|&c| !is_host_character(c)) {
        return Some(format!(
            "has the host `{host}`, and {} cannot be part of a host name",
            shown(bad)
        ));
    }
    None
}

/// The text of `host` outside its mustaches.
fn without_tags(host: &str) -> String {
    let mut literal = String::new();
    let mut rest = host;
    while let Some((before, tag_and_after)) = rest.split_once("{{") {
        literal.push_str(before);
        let after = tag_and_after
            .split_once("}}")
            .map_or("", |(_, after)| after.trim_start_matches('}'));
        rest = after;
    }
    literal.push_str(rest);
    literal
}

/// Letters, digits, `-` and `.` of a host name, `:` before a port, `[`/`]` around an IPv6
/// address, and `_`, which internal names use.
fn is_host_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']' | '_')
}

fn shown(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_http_urls_pass_and_their_dynamic_parts_are_not_judged() {
        for url in [
            "https://events.pagerduty.com/v2/change/enqueue",
            "https://ingest.{{realm}}.signalfx.com/v2/event",
            "https://{{username}}:{{apiKey}}@metrics-api.librato.com/v1/annotations/{{s}}",
            "https://{{#if domain}}{{domain}}{{else}}api.newrelic.com{{/if}}/v2/deployments.json",
            "http://localhost:8080/hook",
            "HTTPS://Example.COM",
            "https://[::1]:8443/x",
            "{{scheme}}://example.com",
        ] {
            assert_eq!(problem(url), None, "{url}");
        }
    }

    #[test]
    fn a_missing_or_wrong_scheme_and_a_broken_host_are_problems() {
        assert_eq!(
            problem("hooks.example/v1").as_deref(),
            Some(
                "`hooks.example/v1` has no scheme: LaunchDarkly needs an absolute http:// or \
                 https:// URL"
            )
        );
        assert_eq!(
            problem("htps://hooks.example/v1").as_deref(),
            Some("starts with `htps://`, not http:// or https://")
        );
        assert_eq!(
            problem("https:///v1").as_deref(),
            Some("`https:///v1` has no host")
        );
        assert_eq!(
            problem("https://hooks example.com/v1").as_deref(),
            Some("has the host `hooks example.com`, and a space cannot be part of a host name")
        );
    }

    #[test]
    fn a_leading_variable_is_found_with_the_text_after_it() {
        assert_eq!(
            leading_tag("{{hostURL}}/api/v1/events"),
            Some(("hostURL", "/api/v1/events"))
        );
        assert_eq!(leading_tag("{{{ url }}}"), Some(("url", "")));
        assert_eq!(leading_tag("{{& url}}/x"), Some(("url", "/x")));
        assert_eq!(leading_tag("https://x"), None);
    }
}

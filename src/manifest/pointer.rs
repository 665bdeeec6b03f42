//! JSON pointers (RFC 6901) and the dotted paths people read in messages.

/// Appends one reference token to a pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for ch in token.chars() {
        match ch {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            _ => pointer.push(ch),
        }
    }
}

pub fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// Splits a pointer into its unescaped reference tokens.
pub fn tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
}

pub fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|at| &pointer[..at])
}

/// `/capabilities/auditLogEventsHook/endpoint/headers/0/name` becomes
/// `capabilities.auditLogEventsHook.endpoint.headers[0].name`: the form partners read in the
/// manifest, with brackets for array indices and for keys that are not plain identifiers.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in tokens(pointer) {
        if is_index(&token) {
            out.push('[');
            out.push_str(&token);
            out.push(']');
        } else if is_identifier(&token) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        } else {
            out.push_str("[\"");
            out.push_str(&token.replace('\\', "\\\\").replace('"', "\\\""));
            out.push_str("\"]");
        }
    }
    out
}

fn is_index(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

fn is_identifier(token: &str) -> bool {
    let mut chars = token.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_tokens() {
        let pointer = child("/a", "b/c~d");
        assert_eq!(pointer, "/a/b~1c~0d");
        assert_eq!(tokens(&pointer).collect::<Vec<_>>(), ["a", "b/c~d"]);
    }

    #[test]
    fn display_path_reads_like_the_manifest() {
        assert_eq!(
            display_path("/capabilities/auditLogEventsHook/endpoint/headers/0/name"),
            "capabilities.auditLogEventsHook.endpoint.headers[0].name"
        );
        assert_eq!(display_path("/links/a b"), "links[\"a b\"]");
        assert_eq!(display_path("/0"), "[0]");
        assert_eq!(display_path(""), "");
    }

    #[test]
    fn parent_of_root_is_none() {
        assert_eq!(parent(""), None);
        assert_eq!(parent("/a"), Some(""));
        assert_eq!(parent("/a/b"), Some("/a"));
    }
}

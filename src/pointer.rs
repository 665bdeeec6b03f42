//! JSON pointers (RFC 6901) and the dotted paths people read in messages. A leaf module: the
//! JSON reader, the schema, the rules and the diagnostics all name places with it.

use std::fmt;

/// A JSON pointer, always well formed: built from the root by [`Pointer::child`] and
/// [`Pointer::index`], which escape `~` and `/`, or taken from a reader that wrote it so.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document: the empty pointer.
    pub fn root() -> Pointer {
        Pointer(String::new())
    }

    /// A pointer already in RFC 6901 form, as a JSON reader or a schema engine writes it.
    pub(crate) fn from_encoded(encoded: impl Into<String>) -> Pointer {
        Pointer(encoded.into())
    }

    /// The member `key` of the value this points to.
    #[must_use]
    pub fn child(&self, key: &str) -> Pointer {
        Pointer(child(&self.0, key))
    }

    /// The item at `index` of the array this points to.
    #[must_use]
    pub fn index(&self, index: usize) -> Pointer {
        self.child(&index.to_string())
    }

    /// The value that holds this one; `None` for the root.
    pub fn parent(&self) -> Option<Pointer> {
        parent(&self.0).map(|parent| Pointer(parent.to_string()))
    }

    /// Whether this is `ancestor` or lies inside it, token by token (`/ab` is not in `/a`).
    pub(crate) fn is_within(&self, ancestor: &Pointer) -> bool {
        self.0 == ancestor.0
            || self
                .0
                .strip_prefix(&ancestor.0)
                .is_some_and(|rest| rest.starts_with('/'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        tokens(&self.0)
    }

    /// The dotted form partners read in messages; see [`display_path`].
    pub fn display_path(&self) -> String {
        display_path(&self.0)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

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
    fn pointers_are_built_by_child_and_index() {
        let headers = Pointer::root().child("endpoint").child("headers");
        assert_eq!(
            headers.index(0).child("a/b~").as_str(),
            "/endpoint/headers/0/a~1b~0"
        );
        assert_eq!(headers.index(0).parent(), Some(headers.clone()));
        assert_eq!(Pointer::root().parent(), None);
        assert_eq!(
            headers.index(2).tokens().collect::<Vec<_>>(),
            ["endpoint", "headers", "2"]
        );
        assert_eq!(headers.display_path(), "endpoint.headers");
    }

    #[test]
    fn within_compares_whole_tokens() {
        let a = Pointer::root().child("a");
        assert!(a.child("b").is_within(&a));
        assert!(a.is_within(&a));
        assert!(a.is_within(&Pointer::root()));
        assert!(!Pointer::root().child("ab").is_within(&a));
        assert!(!a.is_within(&a.child("b")));
    }

    #[test]
    fn parent_of_root_is_none() {
        assert_eq!(parent(""), None);
        assert_eq!(parent("/a"), Some(""));
        assert_eq!(parent("/a/b"), Some("/a"));
    }
}

//! Text transformations the renderer applies: HTML escaping of `{{…}}` output, the framework's
//! JSON escaping of event strings, and JavaScript's URI encoders.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// JavaScript's `\s` (and `String.prototype.trim`'s white space): Unicode white space and the
/// BOM, but not U+0085, which Unicode counts and JavaScript does not.
pub(super) fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// Handlebars.js `escapeExpression`: `& < > " ' \` =`. Runs of plain text are copied whole;
/// every escaped character is ASCII, so a byte scan never splits a character.
pub(super) fn escape_html(text: &str, out: &mut String) {
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'`' => "&#x60;",
            b'=' => "&#x3D;",
            _ => continue,
        };
        out.push_str(text.get(plain_from..at).unwrap_or_default());
        out.push_str(entity);
        plain_from = at + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or_default());
}

/// `JSON.stringify(s).slice(1, -1)`: quotes, backslashes and control characters escaped;
/// `/`, DEL, U+2028/U+2029 and non-ASCII left as they are.
pub fn json_escape_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_json_escaped(text, &mut out);
    out
}

/// Whether [`json_escape_str`] would change `text`: most event strings need no escaping, and
/// their copy can stay as it is.
fn needs_json_escape(text: &str) -> bool {
    text.bytes()
        .any(|byte| byte < 0x20 || byte == b'"' || byte == b'\\')
}

/// Every escaped character is ASCII, so runs of plain text are copied whole, as in
/// [`escape_html`].
fn push_json_escaped(text: &str, out: &mut String) {
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(plain_from..at).unwrap_or_default());
        if short.is_empty() {
            out.push_str(&format!("\\u{byte:04x}"));
        } else {
            out.push_str(short);
        }
        plain_from = at + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or_default());
}

/// Escapes every string in `value`, recursively; keys and other values are left alone.
/// Values built in code may nest deeper than the JSON reader allows, so the stack grows.
pub fn json_escape_value(value: &Value) -> Value {
    match value {
        Value::String(s) if needs_json_escape(s) => Value::String(json_escape_str(s)),
        Value::Array(items) => {
            super::with_stack(|| Value::Array(items.iter().map(json_escape_value).collect()))
        }
        Value::Object(map) => super::with_stack(|| {
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), json_escape_value(v)))
                    .collect(),
            )
        }),
        other => other.clone(),
    }
}

/// What `encodeURIComponent` leaves as it is (ECMA-262 uriUnreserved): letters, digits and
/// `-_.!~*'()`. Every other character is written as the `%XX` of its UTF-8 bytes, in capitals,
/// as JavaScript does. JavaScript throws on a lone surrogate; a Rust string cannot hold one.
const URI_COMPONENT_ENCODES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// What `encodeURI` also leaves as it is: uriReserved `;/?:@&=+$,` and `#`.
const URI_ENCODES: &AsciiSet = &URI_COMPONENT_ENCODES
    .remove(b';')
    .remove(b'/')
    .remove(b'?')
    .remove(b':')
    .remove(b'@')
    .remove(b'&')
    .remove(b'=')
    .remove(b'+')
    .remove(b'$')
    .remove(b',')
    .remove(b'#');

/// JavaScript `encodeURI`.
pub(super) fn encode_uri(text: &str) -> String {
    utf8_percent_encode(text, URI_ENCODES).to_string()
}

/// JavaScript `encodeURIComponent`.
pub(super) fn encode_uri_component(text: &str) -> String {
    utf8_percent_encode(text, URI_COMPONENT_ENCODES).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escape_set() {
        let mut out = String::new();
        escape_html("& < > \" ' ` = ; /", &mut out);
        assert_eq!(out, "&amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D; ; /");
    }

    #[test]
    fn json_escape_matches_json_stringify() {
        assert_eq!(
            json_escape_str("\"\\\u{1}\u{1f}\u{7f}\u{2028}/é\n\t"),
            "\\\"\\\\\\u0001\\u001f\u{7f}\u{2028}/é\\n\\t"
        );
    }

    #[test]
    fn uri_encoders() {
        assert_eq!(encode_uri("a b/c?d=é#"), "a%20b/c?d=%C3%A9#");
        assert_eq!(
            encode_uri_component("a b/c?d=é#"),
            "a%20b%2Fc%3Fd%3D%C3%A9%23"
        );
        assert_eq!(encode_uri_component("🚀"), "%F0%9F%9A%80");
    }

    /// Every ASCII character, against what Node's encodeURI / encodeURIComponent return.
    #[test]
    fn uri_encoders_keep_exactly_what_javascript_keeps() {
        let ascii: String = (0u8..0x80).map(char::from).collect();
        let component_keeps: String = ascii
            .chars()
            .filter(|&c| encode_uri_component(&c.to_string()) == c.to_string())
            .collect();
        assert_eq!(
            component_keeps,
            "!'()*-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
        let uri_keeps: String = ascii
            .chars()
            .filter(|&c| encode_uri(&c.to_string()) == c.to_string())
            .collect();
        assert_eq!(
            uri_keeps,
            "!#$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
        assert_eq!(encode_uri_component("\u{0}\u{7f} %"), "%00%7F%20%25");
        assert_eq!(encode_uri("\u{10ffff}"), "%F4%8F%BF%BF");
    }
}

//! One escaping function per output medium, for every string that came from input.
//!
//! Manifest keys and values, file names and event fields can hold ESC, BEL, other C0 and C1
//! controls, bidirectional overrides and line breaks. Printed raw they retitle a terminal, hide
//! text, or start a line a CI runner reads as a workflow command. Each medium gets exactly one
//! function here, and renderers call it on everything that did not come from ldhook itself.
//! JSON needs none of its own: serde_json escapes every control character by construction.

use std::borrow::Cow;

/// Characters that change how surrounding text is shown rather than being shown themselves:
/// C0 and C1 controls, DEL, the bidirectional controls and the Unicode line separators.
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text for one line of a terminal: every unsafe character, line breaks and tabs included, is
/// written as a visible escape (`\n`, `\x1b`, `\u{202e}`).
pub fn terminal_line(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// Multi-line text for a terminal (a rendered request body): as [`terminal_line`], but line
/// feeds and tabs are kept, since they are the text's own layout.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

/// One line of a payload snapshot file (`ldhook snapshot`): as [`terminal_line`], and the
/// spaces and tabs that end it written as `\x20` and `\t`, because the framework's
/// `trailing-whitespace` hook would strip them and so change the file under review.
pub fn snapshot_line(text: &str) -> Cow<'_, str> {
    let kept = text.trim_end_matches([' ', '\t']);
    let trailing = text.get(kept.len()..).unwrap_or_default();
    if trailing.is_empty() {
        return terminal_line(text);
    }
    let mut out = terminal_line(kept).into_owned();
    for c in trailing.chars() {
        out.push_str(if c == ' ' { "\\x20" } else { "\\t" });
    }
    Cow::Owned(out)
}

/// Inline Markdown text (a table cell, a list item, a `<summary>`): every unsafe character as
/// [`terminal_line`] writes it, then the characters Markdown or HTML would read as markup
/// behind a backslash or as an entity, so that nothing from input makes a link, a tag or a
/// new table column.
pub fn markdown_inline(text: &str) -> String {
    let line = terminal_line(text);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A fenced Markdown code block holding `text` as it is (unsafe characters made visible as
/// [`terminal_text`] does): the fence is one backtick longer than the longest run of
/// backticks in the text, so the text cannot close it.
pub fn markdown_code_block(info: &str, text: &str) -> String {
    let shown = terminal_text(text);
    let longest = shown.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2).saturating_add(1));
    let newline = if shown.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{shown}{newline}{fence}\n")
}

/// One character standing for an unsafe one, so that a source line keeps its columns when it is
/// shown under a caret: the control pictures (`␛`, `␊`) for C0 and DEL, `�` for the others.
pub(crate) fn picture(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1F => char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// The message of a GitHub Actions workflow command: unsafe characters made visible first, then
/// the runner's own `%`, CR and LF encoding, so nothing from input can end the command.
pub(crate) fn github_data(text: &str) -> String {
    github_encode(&terminal_line(text))
}

/// A workflow command's property value (`file=`, `title=`): also ends at `,` and `:`.
pub(crate) fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Separates parts of one workflow-command message (a message and its help) by a line break the
/// runner shows, which input itself can never produce.
pub(crate) const GITHUB_LINE_BREAK: &str = "%0A";

/// A path with `/` between its parts: Windows' `\\` separators become `/`; elsewhere a `\\`
/// is part of a name and stays (a URI then percent-encodes it).
pub(crate) fn portable_separators(path: &str) -> Cow<'_, str> {
    if cfg!(windows) {
        Cow::Owned(path.replace('\\', "/"))
    } else {
        Cow::Borrowed(path)
    }
}

/// A relative path as a SARIF `artifactLocation.uri`: a URI reference, so forward slashes.
pub(crate) fn sarif_uri(path: &str) -> String {
    uri_path(&portable_separators(path))
}

/// An absolute path as a `file://` URI, each byte a URI path may not hold percent-encoded.
pub(crate) fn file_uri(path: &std::path::Path) -> String {
    let path = sarif_uri(&path.to_string_lossy());
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        // A Windows path (`C:/…`) gets the empty authority and the slash before its drive.
        format!("file:///{path}")
    }
}

/// Bytes a URI path keeps as they are: RFC 3986's unreserved characters and the `/` between
/// segments. Everything else, `:` included (so that a first segment can never read as a
/// scheme), is percent-encoded.
const URI_PATH_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A path as the path part of a URI: every byte outside the unreserved set and `/`
/// percent-encoded.
pub(crate) fn uri_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, URI_PATH_KEEPS).to_string()
}

/// A word for a POSIX shell. Plain words stay bare; others are single-quoted (inside which a
/// shell expands nothing), with each `'` closed, escaped and reopened. A word holding an unsafe
/// character is written in `$'…'` form with `\xHH` escapes instead (POSIX.1-2024, bash, zsh,
/// ksh), so that the command can be printed to a terminal and still mean the same bytes.
pub(crate) fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b));
    if plain {
        return text.to_string();
    }
    // Line feeds and tabs print as themselves; they may stay inside quotes.
    let unsafe_in_word = |c: char| c != '\n' && c != '\t' && is_unsafe(c);
    if !text.chars().any(unsafe_in_word) {
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut word = String::from("$'");
    for c in text.chars() {
        match c {
            '\\' => word.push_str(r"\\"),
            '\'' => word.push_str(r"\'"),
            c if unsafe_in_word(c) => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    word.push_str(&format!("\\x{byte:02x}"));
                }
            }
            c => word.push(c),
        }
    }
    word.push('\'');
    word
}

fn github_encode(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_where(text: &str, unsafe_here: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_here) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !unsafe_here(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x80 => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_from_input_makes_no_markup() {
        assert_eq!(
            markdown_inline("a|b <script> [x](y) *z*\n"),
            "a\\|b &lt;script&gt; \\[x\\]\\(y\\) \\*z\\*\\\\n"
        );
        assert_eq!(markdown_code_block("json", "{}"), "```json\n{}\n```\n");
        assert_eq!(
            markdown_code_block("", "a ```` b\n"),
            "`````\na ```` b\n`````\n"
        );
    }

    #[test]
    fn a_snapshot_line_shows_its_trailing_whitespace_and_controls() {
        assert_eq!(snapshot_line("plain"), "plain");
        assert_eq!(snapshot_line("a b \t"), "a b\\x20\\t");
        assert_eq!(snapshot_line("\u{1b}]0;x\u{7}"), "\\x1b]0;x\\x07");
        assert_eq!(snapshot_line("  "), "\\x20\\x20");
    }

    #[test]
    fn terminal_lines_show_every_control() {
        assert_eq!(
            terminal_line("a\u{1b}]0;pwned\u{7}\n::error::x\u{202e}\u{85}"),
            "a\\x1b]0;pwned\\x07\\n::error::x\\u{202e}\\u{0085}"
        );
        assert!(matches!(terminal_line("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_text_keeps_its_layout() {
        assert_eq!(terminal_text("a\n\tb\r\n\u{1b}"), "a\n\tb\\r\n\\x1b");
    }

    #[test]
    fn pictures_keep_one_column() {
        assert_eq!(picture('\u{1b}'), '␛');
        assert_eq!(picture('\n'), '␊');
        assert_eq!(picture('\u{7f}'), '␡');
        assert_eq!(picture('\u{202e}'), '\u{FFFD}');
    }

    #[test]
    fn github_commands_cannot_be_ended_or_forged() {
        assert_eq!(github_data("100% sure\r\nnext"), "100%25 sure\\r\\nnext");
        assert_eq!(github_property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(github_data("\u{1b}[2J"), "\\x1b[2J");
    }

    #[test]
    fn sarif_uris_are_uri_references() {
        assert_eq!(
            sarif_uri("integrations/a b/#1%.json"),
            "integrations/a%20b/%231%25.json"
        );
        // Windows separates with `\`; elsewhere it is a character of the name.
        let separated = if cfg!(windows) {
            "a/b.json"
        } else {
            "a%5Cb.json"
        };
        assert_eq!(sarif_uri(r"a\b.json"), separated);
        assert_eq!(
            sarif_uri("honey comb%#é/a:b?c.json"),
            "honey%20comb%25%23%C3%A9/a%3Ab%3Fc.json"
        );
        assert_eq!(uri_path("/-._~AZaz09"), "/-._~AZaz09");
    }

    #[test]
    fn shell_words_survive_quotes() {
        assert_eq!(shell_word("POST"), "POST");
        assert_eq!(
            shell_word("https://x.example/a?b=1"),
            "'https://x.example/a?b=1'"
        );
        assert_eq!(shell_word("it's $HOME `x`"), r"'it'\''s $HOME `x`'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("$(rm -rf /)"), "'$(rm -rf /)'");
    }

    #[test]
    fn shell_words_with_controls_print_safely_and_mean_the_same_bytes() {
        let word = shell_word("a\u{1b}]0;t\u{7}'\\\u{202e}\n");
        assert_eq!(word, "$'a\\x1b]0;t\\x07\\'\\\\\\xe2\\x80\\xae\n'");
        assert!(!word.chars().any(|c| c != '\n' && is_unsafe(c)));
        let printed = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .output();
        if let Ok(printed) = printed {
            assert_eq!(printed.stdout, "a\u{1b}]0;t\u{7}'\\\u{202e}\n".as_bytes());
        }
    }
}

//! The Handlebars.js 4.7 tokenizer (`handlebars.l`), rule for rule.
//!
//! Jison tries the rules of the current state in order and takes the first that matches, so
//! the order of the branches below is part of the behaviour: `{{else}}` is tried before
//! `{{else`, `true` before identifiers, a number only where a literal may end.

use super::error::{EngineError, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Content,
    Comment,
    OpenRawBlock,
    CloseRawBlock,
    EndRawBlock,
    OpenPartial,
    OpenPartialBlock,
    OpenBlock,
    OpenEndBlock,
    Inverse,
    OpenInverse,
    OpenInverseChain,
    OpenUnescaped,
    Open,
    OpenSexpr,
    CloseSexpr,
    Equals,
    Id,
    Sep,
    CloseUnescaped,
    Close,
    String,
    Data,
    Boolean,
    Undefined,
    Null,
    Number,
    OpenBlockParams,
    CloseBlockParams,
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    /// The token's text after the lexer's own rewriting (escapes, stripped brackets).
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Mustache,
    EscapedMustache,
    Raw,
}

pub fn tokenize(source: &str) -> Result<Vec<Token>, EngineError> {
    let mut lexer = Lexer {
        src: source,
        at: 0,
        states: vec![State::Initial],
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    src: &'a str,
    at: usize,
    states: Vec<State>,
    tokens: Vec<Token>,
}

fn is_space(c: char) -> bool {
    // JavaScript's \s: Unicode white space plus the BOM.
    c.is_whitespace() || c == '\u{feff}'
}

/// Characters an identifier may not contain: `[\s!"#%-,\.\/;->@\[-\^`\{-~]`.
fn is_id_char(c: char) -> bool {
    !(is_space(c)
        || matches!(c, '!' | '"' | '#' | '%'..=',' | '.' | '/' | ';'..='>' | '@' | '['..='^' | '`' | '{'..='~'))
}

fn is_lookahead(c: Option<char>) -> bool {
    matches!(c, Some(c) if matches!(c, '=' | '~' | '}' | '/' | '.' | ')' | '|') || is_space(c))
}

fn is_literal_lookahead(c: Option<char>) -> bool {
    matches!(c, Some(c) if matches!(c, '~' | '}' | ')') || is_space(c))
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.at..]
    }

    fn state(&self) -> State {
        *self.states.last().unwrap_or(&State::Initial)
    }

    fn push(&mut self, kind: Kind, text: impl Into<String>, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            text: text.into(),
            start,
            end,
        });
    }

    fn run(&mut self) -> Result<(), EngineError> {
        loop {
            match self.state() {
                State::Initial => {
                    if self.at >= self.src.len() {
                        break;
                    }
                    self.initial()?;
                }
                State::EscapedMustache => self.escaped_mustache(),
                State::Raw => self.raw()?,
                State::Mustache => {
                    if self.at >= self.src.len() {
                        break;
                    }
                    self.mustache()?;
                }
            }
        }
        let end = self.src.len();
        self.push(Kind::Eof, "", end, end);
        Ok(())
    }

    fn error(&self, at: usize, message: impl Into<String>) -> EngineError {
        EngineError::new(ErrorKind::Parse, message).at_offset(self.src, at)
    }

    fn initial(&mut self) -> Result<(), EngineError> {
        let start = self.at;
        let rest = self.rest();
        let content_end = rest.find("{{").unwrap_or(rest.len());
        if let Some(nul) = rest[..content_end].find('\0') {
            if nul > 0 {
                self.push(Kind::Content, &rest[..nul], start, start + nul);
                self.at += nul;
                return Ok(());
            }
            return Err(self.error(start, "a template cannot contain a NUL character"));
        }
        match rest.find("{{") {
            None => {
                self.push(Kind::Content, rest, start, self.src.len());
                self.at = self.src.len();
            }
            Some(open) => {
                let text = &rest[..open];
                let (content, next) = if text.ends_with("\\\\") {
                    (&text[..text.len() - 1], State::Mustache)
                } else if let Some(stripped) = text.strip_suffix('\\') {
                    (stripped, State::EscapedMustache)
                } else {
                    (text, State::Mustache)
                };
                if !content.is_empty() {
                    self.push(Kind::Content, content, start, start + open);
                }
                self.at += open;
                self.states.push(next);
            }
        }
        Ok(())
    }

    /// After `\{{`: content of at least two characters up to the next mustache, escaped
    /// mustache or the end.
    fn escaped_mustache(&mut self) {
        let start = self.at;
        let rest = self.rest();
        let min = rest.char_indices().nth(2).map_or(rest.len(), |(i, _)| i);
        let end = rest[min..]
            .find("{{")
            .map(|i| {
                let at = min + i;
                // The lookahead also stops before `\{{` and `\\{{`.
                let bytes = rest.as_bytes();
                let mut cut = at;
                for _ in 0..2 {
                    if cut > min && bytes.get(cut - 1) == Some(&b'\\') {
                        cut -= 1;
                    }
                }
                cut
            })
            .unwrap_or(rest.len());
        let end = end.max(min.min(rest.len()));
        self.push(Kind::Content, &rest[..end], start, start + end);
        self.at += end;
        self.states.pop();
    }

    fn raw(&mut self) -> Result<(), EngineError> {
        let start = self.at;
        let rest = self.rest();
        if rest.starts_with("{{{{") && !rest[4..].starts_with('/') && rest.len() > 4 {
            self.states.push(State::Raw);
            self.push(Kind::Content, "{{{{", start, start + 4);
            self.at += 4;
            return Ok(());
        }
        if let Some(name) = raw_close(rest) {
            let len = 5 + name.len() + 4;
            self.states.pop();
            if self.state() == State::Raw {
                self.push(Kind::Content, &rest[..len], start, start + len);
            } else {
                self.push(Kind::EndRawBlock, name, start, start + len);
            }
            self.at += len;
            return Ok(());
        }
        match rest.get(1..).and_then(|r| r.find("{{{{")).map(|i| i + 1) {
            Some(end) => {
                let end = (1..=end)
                    .rev()
                    .find(|i| rest.is_char_boundary(*i))
                    .unwrap_or(end);
                self.push(Kind::Content, &rest[..end], start, start + end);
                self.at += end;
                Ok(())
            }
            None => Err(self.error(start, "the raw block is not closed with {{{{/name}}}}")),
        }
    }

    fn mustache(&mut self) -> Result<(), EngineError> {
        let start = self.at;
        let rest = self.rest();
        let first = rest.chars().next();
        if rest.starts_with('(') {
            return self.simple(Kind::OpenSexpr, 1);
        }
        if rest.starts_with(')') {
            return self.simple(Kind::CloseSexpr, 1);
        }
        if rest.starts_with("{{{{") {
            return self.simple(Kind::OpenRawBlock, 4);
        }
        if rest.starts_with("}}}}") {
            self.states.pop();
            self.states.push(State::Raw);
            return self.simple(Kind::CloseRawBlock, 4);
        }
        if rest.starts_with("{{") {
            return self.open(start);
        }
        if rest.starts_with('=') {
            return self.simple(Kind::Equals, 1);
        }
        if rest.starts_with("..") {
            return self.simple(Kind::Id, 2);
        }
        if rest.starts_with('.') && is_lookahead(rest[1..].chars().next()) {
            return self.simple(Kind::Id, 1);
        }
        if rest.starts_with(['/', '.']) {
            return self.simple(Kind::Sep, 1);
        }
        if first.is_some_and(is_space) {
            let len = rest.find(|c: char| !is_space(c)).unwrap_or(rest.len());
            self.at += len;
            return Ok(());
        }
        if rest.starts_with("}~}}") || rest.starts_with("}}}") {
            let len = if rest.starts_with("}~}}") { 4 } else { 3 };
            self.states.pop();
            return self.simple(Kind::CloseUnescaped, len);
        }
        if rest.starts_with("~}}") || rest.starts_with("}}") {
            let len = if rest.starts_with("~}}") { 3 } else { 2 };
            self.states.pop();
            return self.simple(Kind::Close, len);
        }
        if let Some(quote @ ('"' | '\'')) = first {
            return self.string(start, quote);
        }
        if rest.starts_with('@') {
            return self.simple(Kind::Data, 1);
        }
        for (word, kind) in [
            ("true", Kind::Boolean),
            ("false", Kind::Boolean),
            ("undefined", Kind::Undefined),
            ("null", Kind::Null),
        ] {
            if rest.starts_with(word) && is_literal_lookahead(rest[word.len()..].chars().next()) {
                return self.simple(kind, word.len());
            }
        }
        if let Some(len) = number_len(rest)
            && is_literal_lookahead(rest[len..].chars().next())
        {
            return self.simple(Kind::Number, len);
        }
        if let Some(after_as) = rest.strip_prefix("as") {
            let spaces = after_as.len() - after_as.trim_start_matches(is_space).len();
            if spaces > 0 && after_as[spaces..].starts_with('|') {
                return self.simple(Kind::OpenBlockParams, 2 + spaces + 1);
            }
        }
        if rest.starts_with('|') {
            return self.simple(Kind::CloseBlockParams, 1);
        }
        let id_len = rest.find(|c: char| !is_id_char(c)).unwrap_or(rest.len());
        if id_len > 0 && is_lookahead(rest[id_len..].chars().next()) {
            return self.simple(Kind::Id, id_len);
        }
        if rest.starts_with('[')
            && let Some(len) = bracket_len(rest)
        {
            let text = format!("[{}]", unescape_bracket(&rest[1..len - 1]));
            self.push(Kind::Id, text, start, start + len);
            self.at += len;
            return Ok(());
        }
        let shown = first.map_or_else(|| "end of template".to_string(), |c| format!("`{c}`"));
        Err(self.error(start, format!("unexpected {shown} inside a mustache")))
    }

    fn simple(&mut self, kind: Kind, len: usize) -> Result<(), EngineError> {
        let start = self.at;
        self.push(kind, &self.src[start..start + len], start, start + len);
        self.at += len;
        Ok(())
    }

    fn open(&mut self, start: usize) -> Result<(), EngineError> {
        let rest = self.rest();
        let after = &rest[2..];
        let strip = usize::from(after.starts_with('~'));
        let body = &after[strip..];
        let head = 2 + strip;
        if body.starts_with('>') {
            return self.simple(Kind::OpenPartial, head + 1);
        }
        if body.starts_with("#>") {
            return self.simple(Kind::OpenPartialBlock, head + 2);
        }
        if body.starts_with("#*") {
            return self.simple(Kind::OpenBlock, head + 2);
        }
        if body.starts_with('#') {
            return self.simple(Kind::OpenBlock, head + 1);
        }
        if body.starts_with('/') {
            return self.simple(Kind::OpenEndBlock, head + 1);
        }
        if let Some(len) = body.strip_prefix('^').and_then(standalone_close) {
            self.states.pop();
            return self.simple(Kind::Inverse, head + 1 + len);
        }
        let spaces = body.len() - body.trim_start_matches(is_space).len();
        if let Some(len) = body[spaces..]
            .strip_prefix("else")
            .and_then(standalone_close)
        {
            self.states.pop();
            return self.simple(Kind::Inverse, head + spaces + 4 + len);
        }
        if body.starts_with('^') {
            return self.simple(Kind::OpenInverse, head + 1);
        }
        if body[spaces..].starts_with("else") {
            return self.simple(Kind::OpenInverseChain, head + spaces + 4);
        }
        if body.starts_with('{') {
            return self.simple(Kind::OpenUnescaped, head + 1);
        }
        if body.starts_with('&') {
            return self.simple(Kind::Open, head + 1);
        }
        if let Some(comment) = body.strip_prefix("!--") {
            let close = comment.find("--}}").map(|i| (i, 4));
            let close_strip = comment.find("--~}}").map(|i| (i, 5));
            let end = match (close, close_strip) {
                (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
                (a, b) => a.or(b),
            };
            let Some((at, len)) = end else {
                return Err(self.error(start, "the comment {{!-- is never closed with --}}"));
            };
            let total = head + 3 + at + len;
            self.states.pop();
            return self.simple(Kind::Comment, total);
        }
        if let Some(comment) = body.strip_prefix('!') {
            let Some(at) = comment.find("}}") else {
                return Err(self.error(start, "the comment {{! is never closed with }}"));
            };
            self.states.pop();
            return self.simple(Kind::Comment, head + 1 + at + 2);
        }
        if body.starts_with('*') {
            return self.simple(Kind::Open, head + 1);
        }
        self.simple(Kind::Open, head)
    }

    /// `"` (`\"` | any but `"`)* `"`, with the regex's backtracking: when no bare quote closes
    /// the string, the last escaped quote does.
    fn string(&mut self, start: usize, quote: char) -> Result<(), EngineError> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let q = quote as u8;
        let mut i = 1;
        let mut last_escaped_quote = None;
        let mut end = None;
        while let Some(&byte) = bytes.get(i) {
            if byte == b'\\' && bytes.get(i + 1) == Some(&q) {
                last_escaped_quote = Some(i + 1);
                i += 2;
            } else if byte == q {
                end = Some(i);
                break;
            } else {
                i += 1;
            }
        }
        let Some(end) = end.or(last_escaped_quote) else {
            return Err(self.error(start, "the string literal is not closed"));
        };
        let inner = &rest[1..end];
        let escaped = format!("\\{quote}");
        let text = inner.replace(&escaped, &quote.to_string());
        self.push(Kind::String, text, start, start + end + 1);
        self.at += end + 1;
        Ok(())
    }
}

/// `\s* ~? }}` after `{{^` or `{{else`: the length, when the tag closes there.
fn standalone_close(text: &str) -> Option<usize> {
    let spaces = text.len() - text.trim_start_matches(is_space).len();
    let rest = &text[spaces..];
    if rest.starts_with("~}}") {
        Some(spaces + 3)
    } else if rest.starts_with("}}") {
        Some(spaces + 2)
    } else {
        None
    }
}

fn number_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = bytes
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    i += digits;
    if bytes.get(i) == Some(&b'.') {
        let fraction = bytes
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if fraction > 0 {
            i += 1 + fraction;
        }
    }
    Some(i)
}

/// `[` (`\]` | any but `]`)* `]`
fn bracket_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' if bytes.get(i + 1) == Some(&b']') => i += 2,
            b']' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn unescape_bracket(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('\\' | ']')) {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `{{{{/name}}}}` closing a raw block: the name, when `text` starts with one.
fn raw_close(text: &str) -> Option<&str> {
    let after = text.strip_prefix("{{{{/")?;
    let len = after.find(|c: char| !is_id_char(c)).unwrap_or(after.len());
    if len == 0 {
        return None;
    }
    after[len..].starts_with("}}}}").then(|| &after[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<Kind> {
        tokenize(source)
            .expect("tokens")
            .iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn content_and_mustache() {
        use Kind::*;
        assert_eq!(kinds("a {{b}} c"), [Content, Open, Id, Close, Content, Eof]);
        assert_eq!(kinds("{{{b}}}"), [OpenUnescaped, Id, CloseUnescaped, Eof]);
    }

    #[test]
    fn else_and_inverse_forms() {
        use Kind::*;
        assert_eq!(kinds("{{else}}"), [Inverse, Eof]);
        assert_eq!(kinds("{{~ else ~}}"), [Inverse, Eof]);
        assert_eq!(kinds("{{^}}"), [Inverse, Eof]);
        assert_eq!(
            kinds("{{else if a}}"),
            [OpenInverseChain, Id, Id, Close, Eof]
        );
        assert_eq!(kinds("{{^a}}"), [OpenInverse, Id, Close, Eof]);
    }

    #[test]
    fn literals_need_their_lookahead() {
        use Kind::*;
        assert_eq!(kinds("{{true}}"), [Open, Boolean, Close, Eof]);
        assert_eq!(kinds("{{trueish}}"), [Open, Id, Close, Eof]);
        assert_eq!(kinds("{{1}}"), [Open, Number, Close, Eof]);
        assert_eq!(kinds("{{a.0}}"), [Open, Id, Sep, Number, Close, Eof]);
        assert_eq!(kinds("{{a.0.b}}"), [Open, Id, Sep, Id, Sep, Id, Close, Eof]);
    }

    #[test]
    fn escaped_mustache_is_content() {
        let tokens = tokenize("\\{{kind}} and {{kind}}").expect("tokens");
        assert_eq!(tokens[0].kind, Kind::Content);
        assert_eq!(tokens[0].text, "{{kind}} and ");
        let tokens = tokenize("\\\\{{kind}}").expect("tokens");
        assert_eq!(tokens[0].text, "\\");
        assert_eq!(tokens[1].kind, Kind::Open);
    }

    #[test]
    fn comments_and_brackets() {
        let tokens = tokenize("a{{!-- x }} y --}}b{{! z }}").expect("tokens");
        assert_eq!(tokens[1].text, "{{!-- x }} y --}}");
        assert_eq!(tokens[3].text, "{{! z }}");
        let tokens = tokenize("{{[a b]}}").expect("tokens");
        assert_eq!(tokens[1].text, "[a b]");
        assert!(tokenize("x {{!-- never").is_err());
    }

    #[test]
    fn raw_blocks_keep_their_content() {
        use Kind::*;
        let tokens = tokenize("{{{{raw}}}}{{x}}{{{{/raw}}}}").expect("tokens");
        let kinds: Vec<_> = tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [OpenRawBlock, Id, CloseRawBlock, Content, EndRawBlock, Eof]
        );
        assert_eq!(tokens[3].text, "{{x}}");
        assert_eq!(tokens[4].text, "raw");
    }

    #[test]
    fn strings_unescape_their_quote() {
        let tokens = tokenize(r#"{{a "say \"hi\"" 'it\'s'}}"#).expect("tokens");
        assert_eq!(tokens[2].text, "say \"hi\"");
        assert_eq!(tokens[3].text, "it's");
    }
}

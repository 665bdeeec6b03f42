//! The Handlebars.js 4.7 tokenizer (`handlebars.l`), rule for rule.
//!
//! Jison tries the rules of the current state in order and takes the first that matches, so
//! the order of the branches below is part of the behaviour: `{{else}}` is tried before
//! `{{else`, `true` before identifiers, a number only where a literal may end.

use std::borrow::Cow;

use super::error::{EngineError, ErrorKind};
use super::text::is_js_space as is_space;
use super::work;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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

/// A lexer or parser result. The error is boxed: it is rare, and results are moved at every
/// token, so they are kept the size of what they carry.
pub(super) type Lexed<T> = Result<T, Box<EngineError>>;

#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    pub kind: Kind,
    /// The token's text after the lexer's own rewriting (escapes, stripped brackets); for
    /// content, always the start of the source at `start..end`.
    pub text: Cow<'a, str>,
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

/// Tokens one at a time, as the parser asks for them: like Handlebars.js's lexer, a lexical
/// error is met only where the parser gets to it, and no token list is ever held whole.
pub(super) struct Lexer<'a> {
    src: &'a str,
    at: usize,
    states: Vec<State>,
    /// Bytes examined by every search, each time it looks: rescanning shows here.
    pub examined: u64,
}

/// A mustache's delimiters, and a raw block's.
const OPEN: &str = "{{";
const CLOSE: &str = "}}";
const RAW_OPEN: &str = "{{{{";
const RAW_CLOSE: &str = "}}}}";
const RAW_END: &str = "{{{{/";

/// The first of `rules` whose text `text` starts with: its kind and length. The rules are
/// tried in order, as Jison tries them.
fn first_match(text: &str, rules: &[(&str, Kind)]) -> Option<(Kind, usize)> {
    rules
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
        .map(|&(prefix, kind)| (kind, prefix.len()))
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

/// Where content stops: the first `{{`, or a NUL, which no rule matches.
enum ContentEnd {
    Open(usize),
    Nul(usize),
    Eof,
}

fn content_end(text: &str) -> ContentEnd {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'{' || b == 0))
    {
        let at = from + found;
        if bytes.get(at) == Some(&0) {
            return ContentEnd::Nul(at);
        }
        if bytes.get(at + 1) == Some(&b'{') {
            return ContentEnd::Open(at);
        }
        from = at + 1;
    }
    ContentEnd::Eof
}

/// `[\s\S]*?--~?}}` after `{{!--`: where the closing `--` is and how long the close is. One
/// scan: each `--` is looked at once, whichever close follows it.
fn long_comment_close(comment: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = comment.get(from..).and_then(|rest| rest.find("--")) {
        let at = from + found;
        let close = comment.get(at..).unwrap_or_default();
        if let Some(close) = ["--~}}", "--}}"].into_iter().find(|c| close.starts_with(c)) {
            return Some((at, close.len()));
        }
        from = at + 1;
    }
    None
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            at: 0,
            states: vec![State::Initial],
            examined: 0,
        }
    }

    /// The next token; at the end, an `Eof` token, as often as asked.
    pub(super) fn next_token(&mut self) -> Lexed<Token<'a>> {
        loop {
            let token = match self.state() {
                State::Initial | State::Mustache if self.at >= self.src.len() => {
                    let end = self.src.len();
                    return Ok(self.token(Kind::Eof, "", end, end));
                }
                State::Initial => self.initial()?,
                State::EscapedMustache => Some(self.escaped_mustache()),
                State::Raw => Some(self.raw()?),
                State::Mustache => self.mustache()?,
            };
            if let Some(token) = token {
                return Ok(token);
            }
        }
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.at..).unwrap_or_default()
    }

    fn state(&self) -> State {
        *self.states.last().unwrap_or(&State::Initial)
    }

    /// Counts bytes a search examined.
    fn looked_at(&mut self, bytes: usize) {
        self.examined = self.examined.saturating_add(work::bytes(bytes));
    }

    fn token(
        &self,
        kind: Kind,
        text: impl Into<Cow<'a, str>>,
        start: usize,
        end: usize,
    ) -> Token<'a> {
        Token {
            kind,
            text: text.into(),
            start,
            end,
        }
    }

    fn error(&self, at: usize, message: impl Into<String>) -> Box<EngineError> {
        Box::new(EngineError::new(ErrorKind::Parse, message).at_span(at, at))
    }

    fn initial(&mut self) -> Lexed<Option<Token<'a>>> {
        let start = self.at;
        let rest = self.rest();
        let end = content_end(rest);
        let open = match end {
            ContentEnd::Nul(0) => {
                self.looked_at(1);
                return Err(self.error(start, "a template cannot contain a NUL character"));
            }
            ContentEnd::Nul(nul) => {
                self.looked_at(nul + 1);
                self.at += nul;
                return Ok(Some(self.token(
                    Kind::Content,
                    &rest[..nul],
                    start,
                    start + nul,
                )));
            }
            ContentEnd::Eof => {
                self.looked_at(rest.len());
                self.at = self.src.len();
                return Ok(Some(self.token(Kind::Content, rest, start, self.src.len())));
            }
            ContentEnd::Open(open) => open,
        };
        self.looked_at(open + OPEN.len());
        let text = &rest[..open];
        let (content, next) = if text.ends_with("\\\\") {
            (&text[..text.len() - 1], State::Mustache)
        } else if let Some(stripped) = text.strip_suffix('\\') {
            (stripped, State::EscapedMustache)
        } else {
            (text, State::Mustache)
        };
        self.at += open;
        self.states.push(next);
        Ok((!content.is_empty()).then(|| self.token(Kind::Content, content, start, start + open)))
    }

    /// After `\{{`: content of at least two characters up to the next mustache, escaped
    /// mustache or the end.
    fn escaped_mustache(&mut self) -> Token<'a> {
        let start = self.at;
        let rest = self.rest();
        let min = rest.char_indices().nth(2).map_or(rest.len(), |(i, _)| i);
        let found = rest[min..].find(OPEN);
        self.looked_at(found.map_or(rest.len(), |i| min + i + OPEN.len()));
        let end = found.map_or(rest.len(), |i| {
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
        });
        let end = end.max(min.min(rest.len()));
        self.at += end;
        self.states.pop();
        self.token(Kind::Content, &rest[..end], start, start + end)
    }

    fn raw(&mut self) -> Lexed<Token<'a>> {
        let start = self.at;
        let rest = self.rest();
        let nested = RAW_OPEN.len();
        if rest.starts_with(RAW_OPEN) && !rest[nested..].starts_with('/') && rest.len() > nested {
            // The `{{{{` and the character after it.
            self.looked_at(nested + 1);
            self.states.push(State::Raw);
            self.at += nested;
            return Ok(self.token(Kind::Content, &rest[..nested], start, start + nested));
        }
        if let Some(name) = raw_close(rest) {
            let len = RAW_END.len() + name.len() + RAW_CLOSE.len();
            self.looked_at(len);
            self.states.pop();
            self.at += len;
            return Ok(if self.state() == State::Raw {
                self.token(Kind::Content, &rest[..len], start, start + len)
            } else {
                self.token(Kind::EndRawBlock, name, start, start + len)
            });
        }
        let found = rest.get(1..).and_then(|r| r.find(RAW_OPEN)).map(|i| i + 1);
        self.looked_at(found.map_or(rest.len(), |end| end + RAW_OPEN.len()));
        match found {
            Some(end) => {
                let end = (1..=end)
                    .rev()
                    .find(|i| rest.is_char_boundary(*i))
                    .unwrap_or(end);
                self.at += end;
                Ok(self.token(Kind::Content, &rest[..end], start, start + end))
            }
            None => Err(self.error(start, "the raw block is not closed with {{{{/name}}}}")),
        }
    }

    /// The next token inside a mustache; `None` after white space, which makes none.
    fn mustache(&mut self) -> Lexed<Option<Token<'a>>> {
        let start = self.at;
        let rest = self.rest();
        // No rule before the literals' matches a character an identifier may hold: a word
        // goes straight to them.
        if rest
            .as_bytes()
            .first()
            .is_some_and(|&b| b.is_ascii() && is_id_char(char::from(b)))
        {
            return self.word(start, rest).map(Some);
        }
        let first = rest.chars().next();
        let punctuation = [
            ("(", Kind::OpenSexpr),
            (")", Kind::CloseSexpr),
            (RAW_OPEN, Kind::OpenRawBlock),
        ];
        if let Some((kind, len)) = first_match(rest, &punctuation) {
            return Ok(Some(self.simple(kind, len)));
        }
        if rest.starts_with(RAW_CLOSE) {
            self.states.pop();
            self.states.push(State::Raw);
            return Ok(Some(self.simple(Kind::CloseRawBlock, RAW_CLOSE.len())));
        }
        if rest.starts_with(OPEN) {
            return self.open(start).map(Some);
        }
        if let Some((kind, len)) = first_match(rest, &[("=", Kind::Equals), ("..", Kind::Id)]) {
            return Ok(Some(self.simple(kind, len)));
        }
        if rest.starts_with('.') && is_lookahead(rest[1..].chars().next()) {
            return Ok(Some(self.simple(Kind::Id, 1)));
        }
        if rest.starts_with(['/', '.']) {
            return Ok(Some(self.simple(Kind::Sep, 1)));
        }
        if first.is_some_and(is_space) {
            let len = self.space_len(rest);
            self.at += len;
            return Ok(None);
        }
        if let Some(token) = self.close(rest) {
            return Ok(Some(token));
        }
        if let Some(quote @ ('"' | '\'')) = first {
            return self.string(start, quote).map(Some);
        }
        let punctuation = [("@", Kind::Data), ("|", Kind::CloseBlockParams)];
        if let Some((kind, len)) = first_match(rest, &punctuation) {
            return Ok(Some(self.simple(kind, len)));
        }
        if let Some(token) = self.bracketed(start, rest) {
            return Ok(Some(token));
        }
        // The rules for words also match words that start with a wider character.
        self.word(start, rest).map(Some)
    }

    /// A `[…]` segment, as an identifier with its escapes undone.
    fn bracketed(&mut self, start: usize, rest: &str) -> Option<Token<'a>> {
        if !rest.starts_with('[') {
            return None;
        }
        let len = self.bracket_len(rest)?;
        let text = format!("[{}]", unescape_bracket(&rest[1..len - 1]));
        self.at += len;
        Some(self.token(Kind::Id, text, start, start + len))
    }

    /// `}}}` or `}}`, either with `~`: the end of the mustache.
    fn close(&mut self, rest: &str) -> Option<Token<'a>> {
        let closes = [
            ("}~}}", Kind::CloseUnescaped),
            ("}}}", Kind::CloseUnescaped),
            ("~}}", Kind::Close),
            (CLOSE, Kind::Close),
        ];
        let (kind, len) = first_match(rest, &closes)?;
        self.states.pop();
        Some(self.simple(kind, len))
    }

    /// The rules from the literals on, in their order: `true`, `false`, `undefined`, `null`,
    /// a number, `as |`, an identifier; then a bracketed segment; else nothing matches.
    fn word(&mut self, start: usize, rest: &'a str) -> Lexed<Token<'a>> {
        for (word, kind) in [
            ("true", Kind::Boolean),
            ("false", Kind::Boolean),
            ("undefined", Kind::Undefined),
            ("null", Kind::Null),
        ] {
            if rest.starts_with(word) && is_literal_lookahead(rest[word.len()..].chars().next()) {
                return Ok(self.simple(kind, word.len()));
            }
        }
        if let Some(len) = number_len(rest) {
            self.looked_at(len + 1);
            if is_literal_lookahead(rest[len..].chars().next()) {
                return Ok(self.simple(Kind::Number, len));
            }
        }
        if let Some(after_as) = rest.strip_prefix("as") {
            let spaces = self.space_len(after_as);
            if spaces > 0 && after_as[spaces..].starts_with('|') {
                let len = "as".len() + spaces + "|".len();
                return Ok(self.simple(Kind::OpenBlockParams, len));
            }
        }
        let id_len = id_len(rest);
        self.looked_at(id_len + 1);
        if id_len > 0 && is_lookahead(rest[id_len..].chars().next()) {
            return Ok(self.simple(Kind::Id, id_len));
        }
        let shown = rest
            .chars()
            .next()
            .map_or_else(|| "end of template".to_string(), |c| format!("`{c}`"));
        Err(self.error(start, format!("unexpected {shown} inside a mustache")))
    }

    /// The white space `text` starts with, counted as examined.
    fn space_len(&mut self, text: &str) -> usize {
        let len = text.len() - text.trim_start_matches(is_space).len();
        self.looked_at(len + 1);
        len
    }

    /// A token of `len` bytes as written, counted as examined.
    fn simple(&mut self, kind: Kind, len: usize) -> Token<'a> {
        let start = self.at;
        let src = self.src;
        self.looked_at(len);
        self.at += len;
        self.token(kind, &src[start..start + len], start, start + len)
    }

    /// A tag from its `{{`: the marker after the `{{` and its `~` says which.
    fn open(&mut self, start: usize) -> Lexed<Token<'a>> {
        let rest = self.rest();
        let after = &rest[OPEN.len()..];
        let strip = usize::from(after.starts_with('~'));
        let body = &after[strip..];
        let head = OPEN.len() + strip;
        let markers = [
            (">", Kind::OpenPartial),
            ("#>", Kind::OpenPartialBlock),
            ("#*", Kind::OpenBlock),
            ("#", Kind::OpenBlock),
            ("/", Kind::OpenEndBlock),
        ];
        if let Some((kind, len)) = first_match(body, &markers) {
            return Ok(self.simple(kind, head + len));
        }
        if let Some(after_caret) = body.strip_prefix('^')
            && let Some(len) = self.standalone_close(after_caret)
        {
            self.states.pop();
            return Ok(self.simple(Kind::Inverse, head + "^".len() + len));
        }
        let spaces = self.space_len(body);
        let after_spaces = &body[spaces..];
        if let Some(after_else) = after_spaces.strip_prefix("else")
            && let Some(len) = self.standalone_close(after_else)
        {
            self.states.pop();
            return Ok(self.simple(Kind::Inverse, head + spaces + "else".len() + len));
        }
        if body.starts_with('^') {
            return Ok(self.simple(Kind::OpenInverse, head + 1));
        }
        if after_spaces.starts_with("else") {
            let len = head + spaces + "else".len();
            return Ok(self.simple(Kind::OpenInverseChain, len));
        }
        if let Some((kind, len)) =
            first_match(body, &[("{", Kind::OpenUnescaped), ("&", Kind::Open)])
        {
            return Ok(self.simple(kind, head + len));
        }
        if let Some(comment) = self.comment(start, head, body)? {
            return Ok(comment);
        }
        if body.starts_with('*') {
            return Ok(self.simple(Kind::Open, head + 1));
        }
        Ok(self.simple(Kind::Open, head))
    }

    /// `{{!-- … --}}` or `{{! … }}`, whole, when `body` (what follows the `{{` and its `~`,
    /// `head` bytes in) starts one.
    fn comment(&mut self, start: usize, head: usize, body: &str) -> Lexed<Option<Token<'a>>> {
        // The reference lexer puts `{{!--` back and searches its close from the tag's start,
        // so the opener's own dashes may close it: `{{!--}}` and `{{!---}}` are whole comments.
        if let Some(comment) = body.strip_prefix('!').filter(|c| c.starts_with("--")) {
            let close = long_comment_close(comment);
            self.looked_at(close.map_or(comment.len(), |(at, len)| at + len));
            let Some((at, len)) = close else {
                return Err(self.error(start, "the comment {{!-- is never closed with --}}"));
            };
            self.states.pop();
            return Ok(Some(
                self.simple(Kind::Comment, head + "!".len() + at + len),
            ));
        }
        let Some(comment) = body.strip_prefix('!') else {
            return Ok(None);
        };
        let close = comment.find(CLOSE);
        self.looked_at(close.map_or(comment.len(), |at| at + CLOSE.len()));
        let Some(at) = close else {
            return Err(self.error(start, "the comment {{! is never closed with }}"));
        };
        self.states.pop();
        let len = head + "!".len() + at + CLOSE.len();
        Ok(Some(self.simple(Kind::Comment, len)))
    }

    /// `\s* ~? }}` after `{{^` or `{{else`: the length, when the tag closes there.
    fn standalone_close(&mut self, text: &str) -> Option<usize> {
        let spaces = self.space_len(text);
        let rest = &text[spaces..];
        let close = ["~}}", CLOSE].into_iter().find(|c| rest.starts_with(c))?;
        Some(spaces + close.len())
    }

    /// `"` (`\"` | any but `"`)* `"`, with the regex's backtracking: when no bare quote closes
    /// the string, the last escaped quote does.
    fn string(&mut self, start: usize, quote: char) -> Lexed<Token<'a>> {
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
        self.looked_at(i + 1);
        let Some(end) = end.or(last_escaped_quote) else {
            return Err(self.error(start, "the string literal is not closed"));
        };
        let inner = &rest[1..end];
        let escaped = format!("\\{quote}");
        let text = if inner.contains(&escaped) {
            Cow::Owned(inner.replace(&escaped, &quote.to_string()))
        } else {
            Cow::Borrowed(inner)
        };
        self.at += end + 1;
        Ok(self.token(Kind::String, text, start, start + end + 1))
    }

    /// `[` (`\]` | any but `]`)* `]`
    fn bracket_len(&mut self, text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut i = 1;
        while let Some(&byte) = bytes.get(i) {
            match byte {
                b'\\' if bytes.get(i + 1) == Some(&b']') => i += 2,
                b']' => {
                    self.looked_at(i + 1);
                    return Some(i + 1);
                }
                _ => i += 1,
            }
        }
        self.looked_at(text.len());
        None
    }
}

/// The identifier characters `text` starts with, in bytes; ASCII ones are looked at as bytes.
fn id_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let width = if byte.is_ascii() {
            is_id_char(char::from(byte)).then_some(1)
        } else {
            text.get(at..)
                .and_then(|rest| rest.chars().next())
                .filter(|&c| is_id_char(c))
                .map(char::len_utf8)
        };
        match width {
            Some(width) => at += width,
            None => break,
        }
    }
    at
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
    let after = text.strip_prefix(RAW_END)?;
    let len = after.find(|c: char| !is_id_char(c)).unwrap_or(after.len());
    if len == 0 {
        return None;
    }
    after[len..].starts_with(RAW_CLOSE).then(|| &after[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenize(source: &str) -> Lexed<Vec<Token<'_>>> {
        let mut lexer = Lexer::new(source);
        let mut tokens = Vec::new();
        loop {
            let token = lexer.next_token()?;
            let end = token.kind == Kind::Eof;
            tokens.push(token);
            if end {
                return Ok(tokens);
            }
        }
    }

    #[test]
    fn each_comment_is_scanned_once() {
        let source = "{{!-- a --}}x".repeat(1000);
        let tokens = tokenize(&source).expect("tokens");
        assert_eq!(tokens.len(), 2001);
        let mut lexer = Lexer::new(&source);
        while lexer.next_token().expect("token").kind != Kind::Eof {}
        assert!(
            lexer.examined <= 3 * source.len() as u64,
            "{}",
            lexer.examined
        );
    }

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

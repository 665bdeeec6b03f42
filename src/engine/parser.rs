//! The Handlebars.js 4.7 grammar (`handlebars.yy`) as recursive descent, producing the AST
//! its compiler sees, then its whitespace-control pass.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::ast::*;
use super::error::{EngineError, ErrorKind};
use super::lexer::{Kind, Lexed, Lexer, Token};
use super::whitespace;
use super::work::Work;

/// Parses `source`, adding what it took to `work`.
pub(super) fn parse(source: &str, work: &mut Work) -> Result<Program, EngineError> {
    let mut parser = Parser {
        source,
        lexer: Lexer::new(source),
        ahead: VecDeque::new(),
        last_end: 0,
        depth: 0,
        paths: HashMap::new(),
        segments: Vec::new(),
        tokens_read: 0,
    };
    let result = parser.template();
    work.lexed_bytes = work.lexed_bytes.saturating_add(parser.lexer.examined);
    work.parsed_tokens = work.parsed_tokens.saturating_add(parser.tokens_read);
    let mut program = result.map_err(|error| *error)?;
    work.whitespace_steps = work
        .whitespace_steps
        .saturating_add(whitespace::strip(source, &mut program));
    Ok(program)
}

/// A block's other part as parsed: its program, the whitespace control and place of the tag
/// that starts it (`{{else}}`, `{{^}}`, `{{else name …}}`); all `None` when there is none.
#[derive(Default)]
struct Inverse {
    program: Option<Program>,
    strip: Option<Strip>,
    tag: Option<Span>,
}

/// `key=value`, as the hash is built.
type HashPair = (Name, Expr);

/// A path segment as read: the separator before it (none for the first) and its token.
type Segment<'a> = (Cow<'a, str>, Token<'a>);

/// Blocks, `{{else if}}` links and subexpressions nest at most this deep together: far beyond
/// any real template, and well within the stack of the threads that parse and render. Every
/// later pass recurses along the same nesting, so this one check bounds them all.
pub const MAX_NESTING: usize = 512;

struct Parser<'a> {
    source: &'a str,
    lexer: Lexer<'a>,
    /// Tokens lexed but not yet taken: the grammar looks at most two ahead.
    ahead: VecDeque<Token<'a>>,
    /// Where the last token taken ends.
    last_end: usize,
    depth: usize,
    /// Every path parsed so far, by its source text: one spelling, one shared name.
    paths: HashMap<&'a str, Arc<PathName>>,
    segments: Vec<Segment<'a>>,
    tokens_read: u64,
}

fn strip_flags(open: &Token<'_>, close: &Token<'_>) -> Strip {
    let close_text = close.text.as_bytes();
    Strip {
        open: open.text.as_bytes().get(2) == Some(&b'~'),
        close: close_text
            .len()
            .checked_sub(3)
            .and_then(|at| close_text.get(at))
            == Some(&b'~'),
    }
}

impl<'a> Parser<'a> {
    fn template(&mut self) -> Lexed<Program> {
        let program = self.program()?;
        if self.peek_kind(0)? != Kind::Eof {
            let token = self.next()?;
            return Err(self.unexpected(&token, "a statement"));
        }
        Ok(program)
    }

    /// Lexes until `ahead` tokens are waiting beyond the current one.
    fn fill(&mut self, ahead: usize) -> Lexed<()> {
        while self.ahead.len() <= ahead {
            let token = self.lexer.next_token()?;
            self.tokens_read += 1;
            self.ahead.push_back(token);
        }
        Ok(())
    }

    fn peek_kind(&mut self, ahead: usize) -> Lexed<Kind> {
        self.fill(ahead)?;
        Ok(self.ahead.get(ahead).map_or(Kind::Eof, |t| t.kind))
    }

    /// Where the current token starts.
    fn peek_start(&mut self) -> Lexed<usize> {
        self.fill(0)?;
        Ok(self.ahead.front().map_or(self.source.len(), |t| t.start))
    }

    /// Takes the current token; past the end, the end-of-file token the lexer repeats.
    fn next(&mut self) -> Lexed<Token<'a>> {
        self.fill(0)?;
        let end = self.source.len();
        let token = self.ahead.pop_front().unwrap_or(Token {
            kind: Kind::Eof,
            text: Cow::Borrowed(""),
            start: end,
            end,
        });
        self.last_end = token.end;
        Ok(token)
    }

    fn error(&self, start: usize, end: usize, message: impl Into<String>) -> Box<EngineError> {
        Box::new(EngineError::new(ErrorKind::Parse, message).at_span(start, end))
    }

    fn unexpected(&self, token: &Token<'_>, expected: &str) -> Box<EngineError> {
        let found = match token.kind {
            Kind::Eof => "the end of the template".to_string(),
            Kind::Inverse | Kind::OpenInverseChain => "`{{else}}` outside a block".to_string(),
            Kind::OpenEndBlock => "a closing tag with no open block".to_string(),
            _ => format!("`{}`", token.text),
        };
        self.error(
            token.start,
            token.end,
            format!("expected {expected}, found {found}"),
        )
    }

    fn expect(&mut self, kind: Kind, expected: &str) -> Lexed<Token<'a>> {
        self.expect_with(kind, || expected.to_string())
    }

    /// [`Parser::expect`] with a message made only when it is needed.
    fn expect_with(&mut self, kind: Kind, expected: impl FnOnce() -> String) -> Lexed<Token<'a>> {
        let token = self.next()?;
        if token.kind == kind {
            Ok(token)
        } else {
            Err(self.unexpected(&token, &expected()))
        }
    }

    fn program(&mut self) -> Lexed<Program> {
        let mut body = Vec::new();
        loop {
            let statement = match self.peek_kind(0)? {
                Kind::Content => {
                    let token = self.next()?;
                    Statement::Content(Content::new(Span::new(
                        token.start,
                        token.start + token.text.len(),
                    )))
                }
                Kind::Comment => {
                    let token = self.next()?;
                    Statement::Comment(
                        strip_flags(&token, &token),
                        Span::new(token.start, token.end),
                    )
                }
                Kind::Open | Kind::OpenUnescaped => self.mustache()?,
                Kind::OpenBlock | Kind::OpenInverse => self.block()?,
                Kind::OpenRawBlock => self.raw_block()?,
                Kind::OpenPartial => Statement::Partial(Box::new(self.partial()?)),
                Kind::OpenPartialBlock => self.partial_block()?,
                _ => break,
            };
            body.push(statement);
        }
        let decorators = body.iter().any(is_decorator);
        Ok(Program {
            body: body.into_boxed_slice(),
            block_params: Box::default(),
            chained: false,
            decorators,
        })
    }

    fn mustache(&mut self) -> Lexed<Statement> {
        let open = self.next()?;
        let sexpr = self.sexpr_body(open.start)?;
        let close = if open.kind == Kind::OpenUnescaped {
            self.expect(Kind::CloseUnescaped, "`}}}` to close the triple-stash")?
        } else {
            self.expect(Kind::Close, "`}}`")?
        };
        let marker = open
            .text
            .chars()
            .nth(3)
            .or_else(|| open.text.chars().nth(2));
        let mustache = Box::new(Mustache {
            sexpr,
            escaped: !matches!(marker, Some('{' | '&')),
            strip: strip_flags(&open, &close),
            tag_end: offset(close.end),
        });
        Ok(if marker == Some('*') {
            Statement::Decorator(mustache)
        } else {
            Statement::Mustache(mustache)
        })
    }

    /// `helperName param* hash?`, from `start` to its last token.
    fn sexpr_body(&mut self, start: usize) -> Lexed<Sexpr> {
        let head = self.head()?;
        let (params, hash) = self.params_and_hash()?;
        Ok(Sexpr::new(
            head,
            params,
            hash,
            Span::new(start, self.last_end),
        ))
    }

    fn params_and_hash(&mut self) -> Lexed<(Vec<Expr>, Vec<HashPair>)> {
        let mut params = Vec::new();
        let mut hash = Vec::new();
        loop {
            let kind = self.peek_kind(0)?;
            if kind == Kind::Id && self.peek_kind(1)? == Kind::Equals {
                let key = self.next()?.text;
                self.next()?;
                hash.push((Name::from(key), self.param()?));
                continue;
            }
            if !hash.is_empty() || !starts_param(kind) {
                if !hash.is_empty() && starts_param(kind) {
                    let token = self.next()?;
                    return Err(self.unexpected(
                        &token,
                        "another `key=value` pair or the end of the mustache",
                    ));
                }
                break;
            }
            params.push(self.param()?);
        }
        Ok((params, hash))
    }

    fn param(&mut self) -> Lexed<Expr> {
        if self.peek_kind(0)? == Kind::OpenSexpr {
            return self.nested(Self::subexpression);
        }
        self.helper_name()
    }

    /// `( helperName param* hash? )`, spanning its parentheses.
    fn subexpression(&mut self) -> Lexed<Expr> {
        let open = self.next()?;
        let head = self.head()?;
        let (params, hash) = self.params_and_hash()?;
        let close = self.expect(Kind::CloseSexpr, "`)` to close the subexpression")?;
        let span = Span::new(open.start, close.end);
        Ok(Expr::Sub(Box::new(Sexpr::new(head, params, hash, span))))
    }

    /// What a call calls or reads. Handlebars.js's compiler turns a literal head into a path
    /// with the literal's own place (`transformLiteralToPath`), so errors point at it.
    fn head(&mut self) -> Lexed<Head> {
        let start = self.peek_start()?;
        Ok(match self.helper_name()? {
            Expr::Path(path) => Head::Path(path),
            Expr::Sub(sexpr) => Head::Sub(sexpr),
            Expr::Literal(literal) => Head::Path(Path::from_literal(
                &literal,
                Span::new(start, self.last_end),
            )),
        })
    }

    fn helper_name(&mut self) -> Lexed<Expr> {
        let token = self.next()?;
        let literal = match token.kind {
            Kind::Id => return self.path(false, token).map(Expr::Path),
            Kind::Data => {
                let first = self.expect(Kind::Id, "a name after `@`")?;
                return self
                    .path(
                        true,
                        Token {
                            start: token.start,
                            ..first
                        },
                    )
                    .map(Expr::Path);
            }
            Kind::String => Literal::Str(token.text.into()),
            Kind::Number => Literal::Num(token.text.parse().unwrap_or(f64::NAN)),
            Kind::Boolean => Literal::Bool(token.text == "true"),
            Kind::Undefined => Literal::Undefined,
            Kind::Null => Literal::Null,
            _ => return Err(self.unexpected(&token, "a name, a path or a literal")),
        };
        Ok(Expr::Literal(Box::new(literal)))
    }

    /// `ID (SEP ID)*`, with Handlebars.js's `preparePath` rules for `this`, `.` and `..`.
    /// Paths spelled alike share one name.
    fn path(&mut self, data: bool, first: Token<'a>) -> Lexed<Path> {
        let start = first.start;
        let mut segments = std::mem::take(&mut self.segments);
        segments.clear();
        segments.push((Cow::Borrowed(""), first));
        let name = self.path_segments(data, start, &mut segments);
        self.segments = segments;
        Ok(Path::new(name?, start))
    }

    /// Reads the rest of a path into `segments` (a buffer kept between paths), and finds or
    /// makes its name.
    fn path_segments(
        &mut self,
        data: bool,
        start: usize,
        segments: &mut Vec<Segment<'a>>,
    ) -> Lexed<Arc<PathName>> {
        while self.peek_kind(0)? == Kind::Sep {
            let separator = self.next()?.text;
            let id = self.expect(Kind::Id, "a name after the path separator")?;
            segments.push((separator, id));
        }
        let end = self.last_end;
        let spelling = self.source.get(start..end).unwrap_or_default();
        if let Some(name) = self.paths.get(spelling) {
            return Ok(name.clone());
        }
        let name = Arc::new(self.path_name(data, segments, start, end)?);
        self.paths.insert(spelling, name.clone());
        Ok(name)
    }

    fn path_name(
        &self,
        data: bool,
        segments: &[Segment<'_>],
        start: usize,
        end: usize,
    ) -> Lexed<PathName> {
        let mut original = if data { "@".to_string() } else { String::new() };
        let mut parts = Vec::new();
        let mut depth = 0;
        for (separator, token) in segments {
            let text = &token.text;
            let literal = text.starts_with('[') && text.ends_with(']') && text.len() >= 2;
            let part = if literal {
                &text[1..text.len() - 1]
            } else {
                text.as_ref()
            };
            original.push_str(separator);
            original.push_str(part);
            if !literal && matches!(part, ".." | "." | "this") {
                if !parts.is_empty() {
                    return Err(self.error(
                        start,
                        end,
                        format!("invalid path `{original}`: `{part}` may only lead a path"),
                    ));
                }
                if part == ".." {
                    depth += 1;
                }
            } else {
                parts.push(Name::from(part));
            }
        }
        let scoped = original.starts_with('.') || starts_with_this(&original);
        Ok(PathName::new(
            data,
            depth,
            parts,
            original.into(),
            scoped,
            end - start,
        ))
    }

    fn block_params(&mut self) -> Lexed<Box<[Name]>> {
        if self.peek_kind(0)? != Kind::OpenBlockParams {
            return Ok(Box::default());
        }
        self.next()?;
        let mut names = Vec::new();
        while self.peek_kind(0)? == Kind::Id {
            names.push(Name::from(self.next()?.text));
        }
        if names.is_empty() {
            let token = self.next()?;
            return Err(self.unexpected(&token, "a block parameter name"));
        }
        self.expect(Kind::CloseBlockParams, "`|` to close the block parameters")?;
        Ok(names.into_boxed_slice())
    }

    /// Runs `parse` one nesting level deeper, refusing templates nested beyond [`MAX_NESTING`].
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Lexed<T>) -> Lexed<T> {
        if self.depth >= MAX_NESTING {
            let token = self.next()?;
            return Err(self.error(
                token.start,
                token.end,
                format!(
                    "blocks, `else if` links and subexpressions are nested more than {MAX_NESTING} deep"
                ),
            ));
        }
        self.depth += 1;
        let result = super::with_stack(|| parse(self));
        self.depth -= 1;
        result
    }

    fn block(&mut self) -> Lexed<Statement> {
        self.nested(Self::block_inner)
    }

    fn block_inner(&mut self) -> Lexed<Statement> {
        let open = self.next()?;
        let inverted = open.kind == Kind::OpenInverse;
        let decorator = open.text.contains('*');
        let sexpr = self.sexpr_body(open.start)?;
        let block_params = self.block_params()?;
        let open_close = self.expect(Kind::Close, "`}}` to close the block tag")?;
        let mut program = self.program()?;
        program.block_params = block_params;

        let Inverse {
            program: inverse,
            strip: inverse_strip,
            tag: inverse_tag,
        } = self.inverse_chain()?;
        let close_open = self.expect_with(Kind::OpenEndBlock, || {
            format!("`{{{{/{}}}}}` to close the block", sexpr.head.name())
        })?;
        let close_name = self.helper_name()?;
        let close_close = self.expect(Kind::Close, "`}}`")?;
        let close_strip = strip_flags(&close_open, &close_close);
        if expr_name(&close_name) != sexpr.head.name() {
            let span = head_span(&sexpr.head);
            return Err(self.error(
                span.start(),
                span.end(),
                format!(
                    "{} doesn't match {}",
                    sexpr.head.name(),
                    expr_name(&close_name)
                ),
            ));
        }
        if decorator && inverse.is_some() {
            return Err(self.error(
                sexpr.span.start(),
                sexpr.span.end(),
                "unexpected `{{else}}` in a decorator block",
            ));
        }
        let mut inverse = inverse;
        if let Some(chain) = inverse.as_mut().filter(|p| p.chained)
            && let Some(Statement::Block(inner)) = chain.body.first_mut()
        {
            inner.close_strip = Some(close_strip);
        }
        let (program, inverse) = if inverted {
            (inverse, Some(program))
        } else {
            (Some(program), inverse)
        };
        Ok(Statement::Block(Box::new(Block {
            sexpr,
            program,
            inverse,
            open_strip: strip_flags(&open, &open_close),
            inverse_strip,
            close_strip: Some(close_strip),
            decorator,
            open_end: offset(open_close.end),
            inverse_tag,
        })))
    }

    /// `{{else}} program` or `{{else if …}} program inverseChain?`
    fn inverse_chain(&mut self) -> Lexed<Inverse> {
        match self.peek_kind(0)? {
            Kind::Inverse => {
                let token = self.next()?;
                let program = self.program()?;
                Ok(Inverse {
                    program: Some(program),
                    strip: Some(strip_flags(&token, &token)),
                    tag: Some(Span::new(token.start, token.end)),
                })
            }
            Kind::OpenInverseChain => self.nested(Self::chain_link),
            _ => Ok(Inverse::default()),
        }
    }

    /// `{{else if …}} program inverseChain?`: one more level of nesting, as each link renders
    /// inside the one before it.
    fn chain_link(&mut self) -> Lexed<Inverse> {
        let open = self.next()?;
        let sexpr = self.sexpr_body(open.start)?;
        let block_params = self.block_params()?;
        let close = self.expect(Kind::Close, "`}}`")?;
        let mut program = self.program()?;
        program.block_params = block_params;
        let Inverse {
            program: inverse,
            strip: inverse_strip,
            tag: inverse_tag,
        } = self.inverse_chain()?;
        let strip = strip_flags(&open, &close);
        let inner = Block {
            sexpr,
            program: Some(program),
            inverse,
            open_strip: strip,
            inverse_strip,
            close_strip: inverse_strip,
            decorator: false,
            open_end: offset(close.end),
            inverse_tag,
        };
        let chain = Program {
            body: Box::new([Statement::Block(Box::new(inner))]),
            block_params: Box::default(),
            chained: true,
            decorators: false,
        };
        Ok(Inverse {
            program: Some(chain),
            strip: Some(strip),
            tag: Some(Span::new(open.start, close.end)),
        })
    }

    fn raw_block(&mut self) -> Lexed<Statement> {
        let open = self.next()?;
        let sexpr = self.sexpr_body(open.start)?;
        let close = self.expect(Kind::CloseRawBlock, "`}}}}` to close the raw block tag")?;
        // The raw content tokens follow one another: together they are the source between
        // the tags.
        while self.peek_kind(0)? == Kind::Content {
            self.next()?;
        }
        let end = self.expect(Kind::EndRawBlock, "`{{{{/name}}}}` to close the raw block")?;
        let name = sexpr.head.name();
        if end.text != name {
            let span = head_span(&sexpr.head);
            return Err(self.error(
                span.start(),
                span.end(),
                format!("{name} doesn't match {}", end.text),
            ));
        }
        let program = Program {
            body: Box::new([Statement::Content(Content::new(Span::new(
                close.end, end.start,
            )))]),
            block_params: Box::default(),
            chained: false,
            decorators: false,
        };
        Ok(Statement::Block(Box::new(Block {
            sexpr,
            program: Some(program),
            inverse: None,
            open_strip: strip_flags(&open, &close),
            inverse_strip: None,
            close_strip: Some(Strip::default()),
            decorator: false,
            open_end: offset(close.end),
            inverse_tag: None,
        })))
    }

    fn partial(&mut self) -> Lexed<Partial> {
        let open = self.next()?;
        let name = self.param()?;
        let (params, hash) = self.params_and_hash()?;
        let close = self.expect(Kind::Close, "`}}` to close the partial")?;
        Ok(Partial {
            name,
            params: params.into_boxed_slice(),
            hash: hash.into_boxed_slice(),
            strip: strip_flags(&open, &close),
            span: Span::new(open.start, close.end),
            indent: Span::default(),
        })
    }

    fn partial_block(&mut self) -> Lexed<Statement> {
        self.nested(Self::partial_block_inner)
    }

    fn partial_block_inner(&mut self) -> Lexed<Statement> {
        let partial = self.partial()?;
        let program = self.program()?;
        let close_open = self.expect(Kind::OpenEndBlock, "a closing tag for the partial block")?;
        let close_name = self.helper_name()?;
        let close_close = self.expect(Kind::Close, "`}}`")?;
        let open_name = partial_block_name(&partial.name);
        if expr_name(&close_name) != open_name {
            return Err(self.error(
                partial.span.start(),
                partial.span.end(),
                format!("{open_name} doesn't match {}", expr_name(&close_name)),
            ));
        }
        Ok(Statement::PartialBlock(Box::new(PartialBlock {
            partial,
            program,
            close_strip: strip_flags(&close_open, &close_close),
        })))
    }
}

/// `{{#*name}}…{{/name}}` or `{{* name}}`.
fn is_decorator(statement: &Statement) -> bool {
    match statement {
        Statement::Block(block) => block.decorator,
        Statement::Decorator(_) => true,
        _ => false,
    }
}

fn starts_param(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Id
            | Kind::Data
            | Kind::String
            | Kind::Number
            | Kind::Boolean
            | Kind::Undefined
            | Kind::Null
            | Kind::OpenSexpr
    )
}

fn starts_with_this(original: &str) -> bool {
    original
        .strip_prefix("this")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// The name a block is opened or closed with, as Handlebars.js compares them.
fn expr_name(expr: &Expr) -> String {
    match expr {
        Expr::Path(path) => path.original().to_string(),
        Expr::Literal(literal) => literal.original(),
        Expr::Sub(sexpr) => sexpr.head.name(),
    }
}

/// The name a partial block is opened with, as Handlebars.js compares it with the closing
/// tag's: a subexpression (`{{#> (name)}}`) has no `original`, so it is `undefined`, which
/// only `{{/undefined}}` closes.
fn partial_block_name(expr: &Expr) -> String {
    match expr {
        Expr::Sub(_) => "undefined".to_string(),
        other => expr_name(other),
    }
}

/// Where a block's name is, for the error when its closing tag names another.
fn head_span(head: &Head) -> Span {
    match head {
        Head::Path(path) => path.span(),
        Head::Sub(sexpr) => sexpr.span,
    }
}

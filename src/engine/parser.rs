//! The Handlebars.js 4.7 grammar (`handlebars.yy`) as recursive descent, producing the AST
//! its compiler sees, then its whitespace-control pass.

use super::ast::*;
use super::error::{EngineError, ErrorKind};
use super::lexer::{Kind, Token, tokenize};
use super::whitespace;

pub fn parse(source: &str) -> Result<Program, EngineError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        source,
        tokens,
        at: 0,
        depth: 0,
    };
    let mut program = parser.program()?;
    let token = parser.peek();
    if token.kind != Kind::Eof {
        return Err(parser.unexpected(token, "a statement"));
    }
    whitespace::strip(&mut program);
    Ok(program)
}

/// `key=value` arguments, in the order written.
type Hash = Vec<(String, Expr)>;

/// Blocks, `{{else if}}` links and subexpressions nest at most this deep together: far beyond
/// any real template, and well within the stack of the threads that parse and render. Every
/// later pass recurses along the same nesting, so this one check bounds them all.
pub const MAX_NESTING: usize = 512;

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

fn strip_flags(open: &Token, close: &Token) -> Strip {
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

impl Parser<'_> {
    /// The current token; past the end, the end-of-file token the lexer always appends.
    fn peek(&self) -> Token {
        let end = self.tokens.last().map_or(0, |t| t.end);
        self.tokens
            .get(self.at)
            .or(self.tokens.last())
            .cloned()
            .unwrap_or(Token {
                kind: Kind::Eof,
                text: String::new(),
                start: end,
                end,
            })
    }

    fn peek_kind(&self, ahead: usize) -> Kind {
        self.tokens
            .get(self.at + ahead)
            .map_or(Kind::Eof, |t| t.kind)
    }

    fn next(&mut self) -> Token {
        let token = self.peek();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        token
    }

    fn error(&self, start: usize, end: usize, message: impl Into<String>) -> EngineError {
        EngineError::new(ErrorKind::Parse, message).at_span(self.source, start, end)
    }

    fn unexpected(&self, token: Token, expected: &str) -> EngineError {
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

    fn expect(&mut self, kind: Kind, expected: &str) -> Result<Token, EngineError> {
        let token = self.next();
        if token.kind == kind {
            Ok(token)
        } else {
            Err(self.unexpected(token, expected))
        }
    }

    fn program(&mut self) -> Result<Program, EngineError> {
        let mut body = Vec::new();
        loop {
            let token = self.peek();
            let statement = match token.kind {
                Kind::Content => {
                    self.next();
                    Statement::Content(Content {
                        original: token.text.clone(),
                        value: token.text,
                        left_stripped: false,
                        right_stripped: false,
                        span: (token.start, token.end),
                    })
                }
                Kind::Comment => {
                    self.next();
                    Statement::Comment(strip_flags(&token, &token), (token.start, token.end))
                }
                Kind::Open | Kind::OpenUnescaped => self.mustache()?,
                Kind::OpenBlock | Kind::OpenInverse => self.block()?,
                Kind::OpenRawBlock => self.raw_block()?,
                Kind::OpenPartial => Statement::Partial(self.partial()?),
                Kind::OpenPartialBlock => self.partial_block()?,
                _ => break,
            };
            body.push(statement);
        }
        Ok(Program {
            body,
            block_params: Vec::new(),
            chained: false,
        })
    }

    fn mustache(&mut self) -> Result<Statement, EngineError> {
        let open = self.next();
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
        if marker == Some('*') {
            return Ok(Statement::Decorator(sexpr));
        }
        Ok(Statement::Mustache(Mustache {
            sexpr,
            escaped: !matches!(marker, Some('{' | '&')),
            strip: strip_flags(&open, &close),
        }))
    }

    /// `helperName param* hash?`
    fn sexpr_body(&mut self, start: usize) -> Result<Sexpr, EngineError> {
        let head = self.helper_name()?;
        let (params, hash) = self.params_and_hash()?;
        let end = self
            .tokens
            .get(self.at.saturating_sub(1))
            .map_or(start, |t| t.end);
        Ok(Sexpr {
            head,
            params,
            hash,
            span: (start, end),
        })
    }

    fn params_and_hash(&mut self) -> Result<(Vec<Expr>, Hash), EngineError> {
        let mut params = Vec::new();
        let mut hash = Vec::new();
        loop {
            let kind = self.peek_kind(0);
            if kind == Kind::Id && self.peek_kind(1) == Kind::Equals {
                let key = self.next().text;
                self.next();
                hash.push((key, self.param()?));
                continue;
            }
            if !hash.is_empty() || !starts_param(kind) {
                if !hash.is_empty() && starts_param(kind) {
                    let token = self.peek();
                    return Err(self
                        .unexpected(token, "another `key=value` pair or the end of the mustache"));
                }
                break;
            }
            params.push(self.param()?);
        }
        Ok((params, hash))
    }

    fn param(&mut self) -> Result<Expr, EngineError> {
        if self.peek_kind(0) == Kind::OpenSexpr {
            return self.nested(Self::subexpression);
        }
        self.helper_name()
    }

    fn subexpression(&mut self) -> Result<Expr, EngineError> {
        let open = self.next();
        let mut sexpr = self.sexpr_body(open.start)?;
        let close = self.expect(Kind::CloseSexpr, "`)` to close the subexpression")?;
        sexpr.span = (open.start, close.end);
        Ok(Expr::Sub(Box::new(sexpr)))
    }

    fn helper_name(&mut self) -> Result<Expr, EngineError> {
        let token = self.next();
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
            Kind::String => Literal::Str(token.text),
            Kind::Number => Literal::Num(token.text.parse().unwrap_or(f64::NAN)),
            Kind::Boolean => Literal::Bool(token.text == "true"),
            Kind::Undefined => Literal::Undefined,
            Kind::Null => Literal::Null,
            _ => return Err(self.unexpected(token, "a name, a path or a literal")),
        };
        Ok(Expr::Literal(literal))
    }

    /// `ID (SEP ID)*`, with Handlebars.js's `preparePath` rules for `this`, `.` and `..`.
    fn path(&mut self, data: bool, first: Token) -> Result<Path, EngineError> {
        let start = first.start;
        let mut segments = vec![(String::new(), first)];
        while self.peek_kind(0) == Kind::Sep {
            let separator = self.next().text;
            let id = self.expect(Kind::Id, "a name after the path separator")?;
            segments.push((separator, id));
        }
        let end = segments.last().map_or(start, |(_, t)| t.end);
        let mut original = if data { "@".to_string() } else { String::new() };
        let mut parts = Vec::new();
        let mut depth = 0;
        for (separator, token) in &segments {
            let literal =
                token.text.starts_with('[') && token.text.ends_with(']') && token.text.len() >= 2;
            let part = if literal {
                token.text[1..token.text.len() - 1].to_string()
            } else {
                token.text.clone()
            };
            original.push_str(separator);
            original.push_str(&part);
            if !literal && matches!(part.as_str(), ".." | "." | "this") {
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
                parts.push(part);
            }
        }
        let scoped = original.starts_with('.') || starts_with_this(&original);
        Ok(Path {
            data,
            depth,
            parts,
            original,
            scoped,
            span: (start, end),
        })
    }

    fn block_params(&mut self) -> Result<Vec<String>, EngineError> {
        if self.peek_kind(0) != Kind::OpenBlockParams {
            return Ok(Vec::new());
        }
        self.next();
        let mut names = Vec::new();
        while self.peek_kind(0) == Kind::Id {
            names.push(self.next().text);
        }
        if names.is_empty() {
            let token = self.peek();
            return Err(self.unexpected(token, "a block parameter name"));
        }
        self.expect(Kind::CloseBlockParams, "`|` to close the block parameters")?;
        Ok(names)
    }

    /// Runs `parse` one nesting level deeper, refusing templates nested beyond [`MAX_NESTING`].
    fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        if self.depth >= MAX_NESTING {
            let token = self.peek();
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

    fn block(&mut self) -> Result<Statement, EngineError> {
        self.nested(Self::block_inner)
    }

    fn block_inner(&mut self) -> Result<Statement, EngineError> {
        let open = self.next();
        let inverted = open.kind == Kind::OpenInverse;
        let decorator = open.text.contains('*');
        let sexpr = self.sexpr_body(open.start)?;
        let block_params = self.block_params()?;
        let open_close = self.expect(Kind::Close, "`}}` to close the block tag")?;
        let mut program = self.program()?;
        program.block_params = block_params;

        let (inverse, inverse_strip) = self.inverse_chain(&sexpr)?;
        let close_open = self.expect(
            Kind::OpenEndBlock,
            &format!("`{{{{/{}}}}}` to close the block", head_name(&sexpr.head)),
        )?;
        let close_name = self.helper_name()?;
        let close_close = self.expect(Kind::Close, "`}}`")?;
        let close_strip = strip_flags(&close_open, &close_close);
        if head_name(&close_name) != head_name(&sexpr.head) {
            let (start, end) = expr_span(&sexpr.head).unwrap_or(sexpr.span);
            return Err(self.error(
                start,
                end,
                format!(
                    "{} doesn't match {}",
                    head_name(&sexpr.head),
                    head_name(&close_name)
                ),
            ));
        }
        if decorator && inverse.is_some() {
            return Err(self.error(
                sexpr.span.0,
                sexpr.span.1,
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
        })))
    }

    /// `{{else}} program` or `{{else if …}} program inverseChain?`
    fn inverse_chain(
        &mut self,
        _owner: &Sexpr,
    ) -> Result<(Option<Program>, Option<Strip>), EngineError> {
        match self.peek_kind(0) {
            Kind::Inverse => {
                let token = self.next();
                let program = self.program()?;
                Ok((Some(program), Some(strip_flags(&token, &token))))
            }
            Kind::OpenInverseChain => self.nested(Self::chain_link),
            _ => Ok((None, None)),
        }
    }

    /// `{{else if …}} program inverseChain?`: one more level of nesting, as each link renders
    /// inside the one before it.
    fn chain_link(&mut self) -> Result<(Option<Program>, Option<Strip>), EngineError> {
        let open = self.next();
        let sexpr = self.sexpr_body(open.start)?;
        let block_params = self.block_params()?;
        let close = self.expect(Kind::Close, "`}}`")?;
        let mut program = self.program()?;
        program.block_params = block_params;
        let (inverse, inverse_strip) = self.inverse_chain(&sexpr)?;
        let strip = strip_flags(&open, &close);
        let inner = Block {
            sexpr,
            program: Some(program),
            inverse,
            open_strip: strip,
            inverse_strip,
            close_strip: inverse_strip,
            decorator: false,
        };
        let chain = Program {
            body: vec![Statement::Block(Box::new(inner))],
            block_params: Vec::new(),
            chained: true,
        };
        Ok((Some(chain), Some(strip)))
    }

    fn raw_block(&mut self) -> Result<Statement, EngineError> {
        let open = self.next();
        let sexpr = self.sexpr_body(open.start)?;
        let close = self.expect(Kind::CloseRawBlock, "`}}}}` to close the raw block tag")?;
        let mut text = String::new();
        let text_start = close.end;
        while self.peek_kind(0) == Kind::Content {
            text.push_str(&self.next().text);
        }
        let end = self.expect(Kind::EndRawBlock, "`{{{{/name}}}}` to close the raw block")?;
        let name = head_name(&sexpr.head);
        if end.text != name {
            let (start, stop) = expr_span(&sexpr.head).unwrap_or(sexpr.span);
            return Err(self.error(start, stop, format!("{name} doesn't match {}", end.text)));
        }
        let program = Program {
            body: vec![Statement::Content(Content {
                original: text.clone(),
                value: text,
                left_stripped: false,
                right_stripped: false,
                span: (text_start, end.start),
            })],
            block_params: Vec::new(),
            chained: false,
        };
        Ok(Statement::Block(Box::new(Block {
            sexpr,
            program: Some(program),
            inverse: None,
            open_strip: strip_flags(&open, &close),
            inverse_strip: None,
            close_strip: Some(Strip::default()),
            decorator: false,
        })))
    }

    fn partial(&mut self) -> Result<Partial, EngineError> {
        let open = self.next();
        let name = self.param()?;
        // Hash arguments extend the partial's context; with no partials registered they
        // only matter to a partial block's fallback, which renders with the plain context.
        let (params, _hash) = self.params_and_hash()?;
        let close = self.expect(Kind::Close, "`}}` to close the partial")?;
        Ok(Partial {
            name,
            params,
            strip: strip_flags(&open, &close),
            span: (open.start, close.end),
        })
    }

    fn partial_block(&mut self) -> Result<Statement, EngineError> {
        self.nested(Self::partial_block_inner)
    }

    fn partial_block_inner(&mut self) -> Result<Statement, EngineError> {
        let partial = self.partial()?;
        let program = self.program()?;
        let close_open = self.expect(Kind::OpenEndBlock, "a closing tag for the partial block")?;
        let close_name = self.helper_name()?;
        let close_close = self.expect(Kind::Close, "`}}`")?;
        if head_name(&close_name) != head_name(&partial.name) {
            return Err(self.error(
                partial.span.0,
                partial.span.1,
                format!(
                    "{} doesn't match {}",
                    head_name(&partial.name),
                    head_name(&close_name)
                ),
            ));
        }
        Ok(Statement::PartialBlock(Box::new(PartialBlock {
            partial,
            program,
            close_strip: strip_flags(&close_open, &close_close),
        })))
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
fn head_name(expr: &Expr) -> String {
    match expr {
        Expr::Path(path) => path.original.clone(),
        Expr::Literal(literal) => literal.original(),
        Expr::Sub(sexpr) => head_name(&sexpr.head),
    }
}

fn expr_span(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Path(path) => Some(path.span),
        Expr::Sub(sexpr) => Some(sexpr.span),
        Expr::Literal(_) => None,
    }
}

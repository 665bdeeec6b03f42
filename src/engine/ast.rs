//! The parsed template, shaped like Handlebars.js's AST so its rules carry over one to one.
//!
//! Kept compact, because a template is held (and rendered many times) whole: text is a span of
//! the template source rather than a copy, a path is shared by every mustache that spells it
//! the same way, and what most mustaches lack (parameters, a hash) costs them one pointer.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

/// Byte offsets `start..end` in the template source. Offsets fit in `u32`: compiling refuses
/// larger sources (see [`MAX_SOURCE_BYTES`]), and spans are much of what a template holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    end: u32,
}

/// The longest template source the engine compiles.
pub const MAX_SOURCE_BYTES: usize = u32::MAX as usize;

/// An offset of a source no longer than [`MAX_SOURCE_BYTES`], so never clamped in practice.
pub(super) fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl Span {
    pub(super) fn new(start: usize, end: usize) -> Span {
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    pub(super) fn start(self) -> usize {
        self.start as usize
    }

    pub(super) fn end(self) -> usize {
        self.end as usize
    }

    pub(super) fn len(self) -> usize {
        self.end().saturating_sub(self.start())
    }

    pub(super) fn range(self) -> Range<usize> {
        self.start()..self.end()
    }

    /// From where this span starts to `end`.
    fn until(self, end: u32) -> Span {
        Span {
            start: self.start,
            end: end.max(self.start),
        }
    }

    /// The text of the span; empty for a span that is not in `source`.
    pub(super) fn text(self, source: &str) -> &str {
        source.get(self.range()).unwrap_or_default()
    }

    /// The span without its first `front` and last `back` bytes.
    pub(super) fn shrink(self, front: usize, back: usize) -> Span {
        let start = self.start().saturating_add(front).min(self.end());
        let end = self.end().saturating_sub(back).max(start);
        Span::new(start, end)
    }
}

/// A name as written in the template: a path segment, a hash key, a block parameter.
pub(super) type Name = Box<str>;

#[derive(Debug, Default)]
pub(super) struct Program {
    pub body: Box<[Statement]>,
    pub block_params: Box<[Name]>,
    /// An `{{else if …}}` chain: this program holds just the chained block.
    pub chained: bool,
    /// Holds a decorator (`{{#*inline …}}`, `{{* …}}`): Handlebars.js runs them when the
    /// program is invoked, before its statements, so only such programs need the extra pass.
    pub decorators: bool,
}

/// Dropping a program drops the blocks nested in it, and theirs: as deep as the parser allows,
/// on whatever stack the template is dropped.
impl Drop for Program {
    fn drop(&mut self) {
        let nests = self
            .body
            .iter()
            .any(|s| matches!(s, Statement::Block(_) | Statement::PartialBlock(_)));
        if nests {
            let body = std::mem::take(&mut self.body);
            super::with_stack(move || drop(body));
        }
    }
}

#[derive(Debug)]
pub(super) enum Statement {
    Content(Content),
    Mustache(Box<Mustache>),
    Block(Box<Block>),
    Partial(Box<Partial>),
    PartialBlock(Box<PartialBlock>),
    /// `{{* name}}`: kept as the mustache it is written as.
    Decorator(Box<Mustache>),
    /// A comment's whitespace control, and where it is.
    Comment(Strip, Span),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Content {
    /// The text as written, which standalone detection reads; errors raised while writing it
    /// point here.
    pub original: Span,
    /// What whitespace control leaves of `original`, which rendering writes.
    pub value: Span,
    pub left_stripped: bool,
    pub right_stripped: bool,
}

impl Content {
    pub(super) fn new(original: Span) -> Content {
        Content {
            original,
            value: original,
            left_stripped: false,
            right_stripped: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Strip {
    pub open: bool,
    pub close: bool,
}

#[derive(Debug)]
pub(super) struct Mustache {
    pub sexpr: Sexpr,
    pub escaped: bool,
    pub strip: Strip,
    /// Where the closing `}}` or `}}}` ends: the tag starts where `sexpr` does.
    pub tag_end: u32,
}

impl Mustache {
    /// The whole tag, braces included: what callers are pointed at for what it reads or
    /// writes.
    pub(super) fn tag(&self) -> Span {
        self.sexpr.span.until(self.tag_end)
    }
}

#[derive(Debug)]
pub(super) struct Block {
    pub sexpr: Sexpr,
    pub program: Option<Program>,
    pub inverse: Option<Program>,
    pub open_strip: Strip,
    pub inverse_strip: Option<Strip>,
    pub close_strip: Option<Strip>,
    pub decorator: bool,
    /// Where the opening tag (`{{#name …}}`, `{{else name …}}` for a chained link) ends: it
    /// starts where `sexpr` does.
    pub open_end: u32,
    /// The `{{else}}`, `{{^}}` or `{{else name …}}` tag that starts the other part, if any.
    pub inverse_tag: Option<Span>,
}

impl Block {
    /// The opening tag, braces and block parameters included.
    pub(super) fn open_tag(&self) -> Span {
        self.sexpr.span.until(self.open_end)
    }
}

#[derive(Debug)]
pub(super) struct Partial {
    pub name: Expr,
    pub params: Box<[Expr]>,
    /// `key=value` arguments: they extend the partial's context.
    pub hash: Hash,
    pub strip: Strip,
    pub span: Span,
    /// The white space before a standalone `{{> p}}`, which Handlebars.js puts before every
    /// line the partial writes; empty elsewhere (set by whitespace control).
    pub indent: Span,
}

#[derive(Debug)]
pub(super) struct PartialBlock {
    pub partial: Partial,
    pub program: Program,
    pub close_strip: Strip,
}

/// A helper call or a plain path: `path params… key=value… `.
#[derive(Debug)]
pub(super) struct Sexpr {
    pub head: Head,
    args: Option<Box<Args>>,
    pub span: Span,
}

/// What a mustache, block or subexpression calls or reads.
#[derive(Debug)]
pub(super) enum Head {
    /// A path, or a literal read as one (`{{"a b"}}`, `{{1}}`), as Handlebars.js's compiler
    /// turns a literal head into a path.
    Path(Path),
    Sub(Box<Sexpr>),
}

impl Head {
    /// The name the call is written with; a subexpression head gives its own head's.
    pub(super) fn name(&self) -> String {
        match self {
            Head::Path(path) => path.original().to_string(),
            Head::Sub(sexpr) => sexpr.head.name(),
        }
    }
}

/// `key=value` arguments, in the order written.
pub(super) type Hash = Box<[(Name, Expr)]>;

#[derive(Debug)]
struct Args {
    params: Box<[Expr]>,
    hash: Hash,
}

impl Sexpr {
    /// `span` is the whole call.
    pub(super) fn new(head: Head, params: Vec<Expr>, hash: Vec<(Name, Expr)>, span: Span) -> Sexpr {
        let args = (!params.is_empty() || !hash.is_empty()).then(|| {
            Box::new(Args {
                params: params.into_boxed_slice(),
                hash: hash.into_boxed_slice(),
            })
        });
        Sexpr { head, args, span }
    }

    pub(super) fn params(&self) -> &[Expr] {
        self.args.as_ref().map_or(&[], |args| &args.params)
    }

    pub(super) fn hash(&self) -> &[(Name, Expr)] {
        self.args.as_ref().map_or(&[], |args| &args.hash)
    }

    /// Parameters or a hash: what makes a mustache a helper call.
    pub(super) fn has_args(&self) -> bool {
        self.args.is_some()
    }
}

/// What a dropped head leaves in its place while it is dropped on a grown stack.
static NO_HEAD: LazyLock<Arc<PathName>> = LazyLock::new(|| {
    Arc::new(PathName::new(
        false,
        0,
        Vec::new(),
        Name::default(),
        false,
        0,
    ))
});

/// Subexpressions nest without programs between them; see `Program`'s `Drop`.
impl Drop for Sexpr {
    fn drop(&mut self) {
        let nests = self
            .params()
            .iter()
            .chain(self.hash().iter().map(|(_, value)| value))
            .any(|expr| matches!(expr, Expr::Sub(_)))
            || matches!(self.head, Head::Sub(_));
        if nests {
            let args = self.args.take();
            let head = std::mem::replace(&mut self.head, Head::Path(Path::new(NO_HEAD.clone(), 0)));
            super::with_stack(move || drop((head, args)));
        }
    }
}

#[derive(Debug)]
pub(super) enum Expr {
    Path(Path),
    Sub(Box<Sexpr>),
    Literal(Box<Literal>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Literal {
    Str(Box<str>),
    Num(f64),
    Bool(bool),
    Undefined,
    Null,
}

impl Literal {
    /// How Handlebars.js names a literal used as a path (`{{"a b"}}`, `{{1}}`, `{{true}}`).
    pub(super) fn original(&self) -> String {
        match self {
            Literal::Str(s) => s.to_string(),
            Literal::Num(n) => super::value::number_to_string(*n),
            Literal::Bool(b) => b.to_string(),
            Literal::Undefined => "undefined".to_string(),
            Literal::Null => "null".to_string(),
        }
    }
}

/// A path where it is written: its name, shared by every place that spells it alike, and
/// where this one starts.
#[derive(Debug, Clone)]
pub(super) struct Path {
    name: Arc<PathName>,
    start: u32,
}

/// What a path means, apart from where it is written.
#[derive(Debug)]
pub(super) struct PathName {
    /// `@name`: a data variable.
    pub data: bool,
    /// How many `../` lead the path.
    pub depth: usize,
    pub parts: Box<[Name]>,
    pub original: Name,
    /// Starts with `this` or `.`: never a helper, never a block parameter.
    pub scoped: bool,
    /// A literal read as a path: not a path the template names.
    pub literal: bool,
    /// The bytes of source the path takes, the same wherever it is spelled alike.
    len: u32,
}

impl PathName {
    pub(super) fn new(
        data: bool,
        depth: usize,
        parts: Vec<Name>,
        original: Name,
        scoped: bool,
        len: usize,
    ) -> PathName {
        PathName {
            data,
            depth,
            parts: parts.into_boxed_slice(),
            original,
            scoped,
            literal: false,
            len: offset(len),
        }
    }
}

impl Path {
    pub(super) fn new(name: Arc<PathName>, start: usize) -> Path {
        Path {
            name,
            start: offset(start),
        }
    }

    pub(super) fn span(&self) -> Span {
        let start = self.start as usize;
        Span::new(start, start.saturating_add(self.name.len as usize))
    }

    pub(super) fn is_data(&self) -> bool {
        self.name.data
    }

    pub(super) fn depth(&self) -> usize {
        self.name.depth
    }

    pub(super) fn is_scoped(&self) -> bool {
        self.name.scoped
    }

    pub(super) fn parts(&self) -> &[Name] {
        &self.name.parts
    }

    pub(super) fn original(&self) -> &str {
        &self.name.original
    }

    /// The first segment (`a` of `a.b`), or "" for a path with none (`this`).
    pub(super) fn head(&self) -> &str {
        self.parts().first().map_or("", |part| part)
    }

    /// The segments after the first.
    pub(super) fn tail(&self) -> &[Name] {
        self.parts().get(1..).unwrap_or_default()
    }

    /// The path a literal head is read as, where the literal is written.
    pub(super) fn from_literal(literal: &Literal, span: Span) -> Path {
        let name: Name = literal.original().into();
        let mut path_name = PathName::new(false, 0, vec![name.clone()], name, false, span.len());
        path_name.literal = true;
        Path::new(Arc::new(path_name), span.start())
    }

    pub(super) fn is_literal(&self) -> bool {
        self.name.literal
    }

    /// One plain segment: a candidate helper name.
    pub(super) fn is_simple_id(&self) -> bool {
        self.parts().len() == 1 && !self.is_scoped() && self.depth() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Most of a template is statements and mustaches: their size is its size.
    #[test]
    fn nodes_stay_small() {
        assert_eq!(std::mem::size_of::<Span>(), 8);
        assert!(std::mem::size_of::<Statement>() <= 24);
        assert!(std::mem::size_of::<Expr>() <= 24);
        assert!(std::mem::size_of::<Mustache>() <= 48);
    }
}

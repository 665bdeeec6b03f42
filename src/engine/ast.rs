//! The parsed template, shaped like Handlebars.js's AST so its rules carry over one to one.

pub type Span = (usize, usize);

#[derive(Debug, Clone, Default)]
pub struct Program {
    pub body: Vec<Statement>,
    pub block_params: Vec<String>,
    /// An `{{else if …}}` chain: this program holds just the chained block.
    pub chained: bool,
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

#[derive(Debug, Clone)]
pub enum Statement {
    Content(Content),
    Mustache(Mustache),
    Block(Box<Block>),
    Partial(Partial),
    PartialBlock(Box<PartialBlock>),
    Decorator(Sexpr),
    /// A comment's whitespace control, and where it is.
    Comment(Strip, Span),
}

#[derive(Debug, Clone)]
pub struct Content {
    /// The text as written, which standalone detection reads.
    pub original: String,
    /// The text after whitespace control, which rendering writes.
    pub value: String,
    pub left_stripped: bool,
    pub right_stripped: bool,
    /// Where the text is in the source, for errors raised while writing it.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Strip {
    pub open: bool,
    pub close: bool,
}

#[derive(Debug, Clone)]
pub struct Mustache {
    pub sexpr: Sexpr,
    pub escaped: bool,
    pub strip: Strip,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub sexpr: Sexpr,
    pub program: Option<Program>,
    pub inverse: Option<Program>,
    pub open_strip: Strip,
    pub inverse_strip: Option<Strip>,
    pub close_strip: Option<Strip>,
    pub decorator: bool,
}

#[derive(Debug, Clone)]
pub struct Partial {
    pub name: Expr,
    pub params: Vec<Expr>,
    pub strip: Strip,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct PartialBlock {
    pub partial: Partial,
    pub program: Program,
    pub close_strip: Strip,
}

/// A helper call or a plain path: `path params… key=value… `.
#[derive(Debug, Clone)]
pub struct Sexpr {
    pub head: Expr,
    pub params: Vec<Expr>,
    pub hash: Vec<(String, Expr)>,
    pub span: Span,
}

/// Subexpressions nest without programs between them; see `Program`'s `Drop`.
impl Drop for Sexpr {
    fn drop(&mut self) {
        let nests = self
            .params
            .iter()
            .chain(self.hash.iter().map(|(_, value)| value))
            .chain([&self.head])
            .any(|expr| matches!(expr, Expr::Sub(_)));
        if nests {
            let params = std::mem::take(&mut self.params);
            let hash = std::mem::take(&mut self.hash);
            let head = std::mem::replace(&mut self.head, Expr::Literal(Literal::Undefined));
            super::with_stack(move || drop((head, params, hash)));
        }
    }
}

#[derive(Debug, Clone)]
pub enum Expr {
    Path(Path),
    Sub(Box<Sexpr>),
    Literal(Literal),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Undefined,
    Null,
}

impl Literal {
    /// How Handlebars.js names a literal used as a path (`{{"a b"}}`, `{{1}}`, `{{true}}`).
    pub fn original(&self) -> String {
        match self {
            Literal::Str(s) => s.clone(),
            Literal::Num(n) => super::value::number_to_string(*n),
            Literal::Bool(b) => b.to_string(),
            Literal::Undefined => "undefined".to_string(),
            Literal::Null => "null".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Path {
    /// `@name`: a data variable.
    pub data: bool,
    /// How many `../` lead the path.
    pub depth: usize,
    pub parts: Vec<String>,
    pub original: String,
    /// Starts with `this` or `.`: never a helper, never a block parameter.
    pub scoped: bool,
    pub span: Span,
}

impl Path {
    /// The first segment (`a` of `a.b`), or "" for a path with none (`this`).
    pub fn head(&self) -> &str {
        self.parts.first().map_or("", String::as_str)
    }

    /// The segments after the first.
    pub fn tail(&self) -> &[String] {
        self.parts.get(1..).unwrap_or_default()
    }

    pub fn from_literal(literal: &Literal, span: Span) -> Path {
        let name = literal.original();
        Path {
            data: false,
            depth: 0,
            parts: vec![name.clone()],
            original: name,
            scoped: false,
            span,
        }
    }

    /// One plain segment: a candidate helper name.
    pub fn is_simple_id(&self) -> bool {
        self.parts.len() == 1 && !self.scoped && self.depth == 0
    }
}

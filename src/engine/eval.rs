//! The interpreter: walks the AST with Handlebars.js 4.7's runtime semantics in strict mode.
//!
//! Handlebars.js compiles a template into JavaScript; the rules below are what that generated
//! code does. Each mustache is classified as its compiler classifies it (a helper call, an
//! "ambiguous" single name that may be a helper or a field, or a plain path), because strict
//! lookups apply only where the compiler asks for them.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::ast::*;
use super::budget::Meter;
use super::error::{EngineError, ErrorKind};
use super::helpers;
use super::text::escape_html;
use super::value::JsValue;

/// `container.nullContext`: what `this` is inside a helper called on a null context.
static NULL_CONTEXT: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// A `{{@…}}` frame: `@root`, and inside `#each` the iteration variables.
#[derive(Debug, Clone, Default)]
pub struct Data<'c> {
    pub root: Option<JsValue<'c>>,
    pub key: Option<JsValue<'c>>,
    pub index: Option<JsValue<'c>>,
    pub first: Option<JsValue<'c>>,
    pub last: Option<JsValue<'c>>,
    pub parent: Option<Rc<Data<'c>>>,
}

impl<'c> Data<'c> {
    /// `createFrame`: a copy that remembers its parent as `_parent`.
    pub fn child(parent: &Rc<Data<'c>>) -> Data<'c> {
        Data {
            parent: Some(parent.clone()),
            ..(**parent).clone()
        }
    }

    fn get(&self, name: &str) -> Option<JsValue<'c>> {
        match name {
            "root" => self.root.clone(),
            "key" => self.key.clone(),
            "index" => self.index.clone(),
            "first" => self.first.clone(),
            "last" => self.last.clone(),
            _ => None,
        }
    }
}

struct Depth<'c> {
    context: JsValue<'c>,
    parent: Option<Rc<Depth<'c>>>,
}

/// Names bound by `as |a b|` in one program, and what the helper passed for them.
struct ParamScope<'c> {
    names: Vec<String>,
    values: Option<Vec<JsValue<'c>>>,
    parent: Option<Rc<ParamScope<'c>>>,
}

/// Everything a program invocation sees.
#[derive(Clone)]
pub struct Frame<'c> {
    pub context: JsValue<'c>,
    depths: Rc<Depth<'c>>,
    pub data: Rc<Data<'c>>,
    params: Option<Rc<ParamScope<'c>>>,
}

impl<'c> Frame<'c> {
    pub fn root(context: JsValue<'c>) -> Frame<'c> {
        Frame {
            depths: Rc::new(Depth {
                context: context.clone(),
                parent: None,
            }),
            data: Rc::new(Data {
                root: Some(context.clone()),
                ..Data::default()
            }),
            context,
            params: None,
        }
    }

    fn context_at(&self, depth: usize) -> JsValue<'c> {
        if depth == 0 {
            return self.context.clone();
        }
        let mut node = Some(&self.depths);
        for _ in 0..depth {
            node = node.and_then(|n| n.parent.as_ref());
        }
        node.map_or(JsValue::Undefined, |n| n.context.clone())
    }

    fn declares_param(&self, name: &str) -> bool {
        let mut scope = self.params.as_ref();
        while let Some(s) = scope {
            if s.names.iter().any(|n| n == name) {
                return true;
            }
            scope = s.parent.as_ref();
        }
        false
    }

    /// `Some(Ok(value))` for a bound block parameter; `Some(Err(()))` when the helper passed
    /// no block parameters at all (JavaScript then reads a property of undefined).
    fn block_param(&self, name: &str) -> Option<std::result::Result<JsValue<'c>, ()>> {
        let mut scope = self.params.as_ref();
        while let Some(s) = scope {
            if let Some(i) = s.names.iter().position(|n| n == name) {
                return Some(match &s.values {
                    Some(values) => Ok(values.get(i).cloned().unwrap_or(JsValue::Undefined)),
                    None => Err(()),
                });
            }
            scope = s.parent.as_ref();
        }
        None
    }
}

/// What a helper gets besides its parameters.
pub struct Options<'p, 'c> {
    pub program: Option<&'p Program>,
    pub inverse: Option<&'p Program>,
    /// Whether `fn` and `inverse` exist at all (a block) or are undefined (inline use).
    pub is_block: bool,
    pub hash: Vec<(&'p str, JsValue<'c>)>,
    /// Where the call is, for error messages.
    pub span: Span,
    pub name: String,
}

impl<'c> Options<'_, 'c> {
    pub fn hash_value(&self, key: &str) -> Option<&JsValue<'c>> {
        self.hash.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

enum Class {
    Helper,
    Ambiguous,
    Simple,
}

pub struct Evaluator<'t> {
    pub source: &'t str,
    pub meter: Meter,
}

type Result<T> = std::result::Result<T, EngineError>;

impl<'t> Evaluator<'t> {
    pub fn error(&self, kind: ErrorKind, span: Span, message: impl Into<String>) -> EngineError {
        EngineError::new(kind, message).at_span(self.source, span.0, span.1)
    }

    /// Spends from the render's budget, failing at `span` once it is used up: the one place
    /// rendering is metered.
    fn charge(&self, steps: u64, text_bytes: usize, span: Span) -> Result<()> {
        self.meter
            .spend(steps, text_bytes)
            .map_err(|message| self.error(ErrorKind::LimitExceeded, span, message))
    }

    pub fn render_program<'c>(
        &self,
        program: &'t Program,
        frame: &Frame<'c>,
        out: &mut String,
    ) -> Result<()> {
        for statement in &program.body {
            let before = out.len();
            self.statement(statement, frame, out)?;
            let written = out.len().saturating_sub(before);
            self.charge(1, written, statement_span(statement))?;
        }
        Ok(())
    }

    fn statement<'c>(
        &self,
        statement: &'t Statement,
        frame: &Frame<'c>,
        out: &mut String,
    ) -> Result<()> {
        match statement {
            Statement::Content(content) => out.push_str(&content.value),
            Statement::Comment(..) => {}
            Statement::Mustache(mustache) => self.mustache(mustache, frame, out)?,
            Statement::Block(block) => self.block(block, frame, out)?,
            Statement::Partial(partial) => {
                let name = self.partial_name(&partial.name, frame)?;
                return Err(self.error(
                    ErrorKind::MissingPartial,
                    partial.span,
                    format!("the partial `{name}` could not be found (ldhook registers no partials, as the framework registers none)"),
                ));
            }
            Statement::PartialBlock(block) => {
                let span = block.partial.span;
                let context = match block.partial.params.first() {
                    Some(param) => self.param(param, frame, span)?,
                    None => frame.context.clone(),
                };
                out.push_str(&self.invoke(
                    Some(&block.program),
                    context,
                    frame,
                    None,
                    None,
                    span,
                )?);
            }
            Statement::Decorator(sexpr) => {
                return Err(self.error(
                    ErrorKind::TypeError,
                    sexpr.span,
                    format!(
                        "the decorator `{}` is not registered",
                        head_text(&sexpr.head)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn partial_name<'c>(&self, name: &'t Expr, frame: &Frame<'c>) -> Result<String> {
        Ok(match name {
            Expr::Path(path) => path.original.clone(),
            Expr::Literal(literal) => literal.original(),
            Expr::Sub(sexpr) => self
                .sexpr_as_helper(sexpr, frame, None, None)?
                .to_js_string()
                .into_owned(),
        })
    }

    /// Runs a helper's `options.fn` or `options.inverse`: `None` is Handlebars.js's `noop`.
    /// Each run is a step, charged to the block at `span`, even when there is nothing to run.
    pub fn invoke<'c>(
        &self,
        program: Option<&'t Program>,
        context: JsValue<'c>,
        parent: &Frame<'c>,
        data: Option<Rc<Data<'c>>>,
        block_params: Option<Vec<JsValue<'c>>>,
        span: Span,
    ) -> Result<String> {
        self.charge(1, 0, span)?;
        let Some(program) = program else {
            return Ok(String::new());
        };
        let depths = if context.loose_equals(&parent.depths.context) {
            parent.depths.clone()
        } else {
            Rc::new(Depth {
                context: context.clone(),
                parent: Some(parent.depths.clone()),
            })
        };
        let params = if program.block_params.is_empty() {
            parent.params.clone()
        } else {
            Some(Rc::new(ParamScope {
                names: program.block_params.clone(),
                values: block_params,
                parent: parent.params.clone(),
            }))
        };
        let frame = Frame {
            context,
            depths,
            data: data.unwrap_or_else(|| parent.data.clone()),
            params,
        };
        let mut out = String::new();
        super::with_stack(|| self.render_program(program, &frame, &mut out))?;
        Ok(out)
    }

    /// `this` inside a helper: the context, or an empty object when it is null or undefined.
    pub fn this<'c>(frame: &Frame<'c>) -> JsValue<'c> {
        if frame.context.is_nullish() {
            JsValue::Object(&NULL_CONTEXT)
        } else {
            frame.context.clone()
        }
    }

    fn mustache<'c>(
        &self,
        mustache: &'t Mustache,
        frame: &Frame<'c>,
        out: &mut String,
    ) -> Result<()> {
        let value = self.sexpr_value(&mustache.sexpr, frame, None, None)?;
        let text = value.to_output();
        if mustache.escaped {
            escape_html(&text, out);
        } else {
            out.push_str(&text);
        }
        Ok(())
    }

    fn block<'c>(&self, block: &'t Block, frame: &Frame<'c>, out: &mut String) -> Result<()> {
        if block.decorator {
            return Err(self.error(
                ErrorKind::TypeError,
                block.sexpr.span,
                format!(
                    "the block decorator `{}` is not supported (inline partials are not registered by the framework's renderer either)",
                    head_text(&block.sexpr.head)
                ),
            ));
        }
        let program = block.program.as_ref();
        let inverse = block.inverse.as_ref();
        let value = self.sexpr_value(&block.sexpr, frame, Some(program), Some(inverse))?;
        out.push_str(&value.to_output());
        Ok(())
    }

    /// A mustache's or block's value. For blocks, `program` and `inverse` are `Some`, and a
    /// value that is not a helper's result goes through `blockHelperMissing`.
    fn sexpr_value<'c>(
        &self,
        sexpr: &'t Sexpr,
        frame: &Frame<'c>,
        program: Option<Option<&'t Program>>,
        inverse: Option<Option<&'t Program>>,
    ) -> Result<JsValue<'c>> {
        let is_block = program.is_some();
        let (program, inverse) = (program.flatten(), inverse.flatten());
        let literal_path;
        let path = match &sexpr.head {
            Expr::Path(path) => path,
            Expr::Literal(literal) => {
                literal_path = Path::from_literal(literal, sexpr.span);
                &literal_path
            }
            Expr::Sub(_) => return self.sexpr_as_helper(sexpr, frame, program, inverse),
        };
        match self.classify(sexpr, path, frame) {
            Class::Helper => self.helper_call(sexpr, path, frame, program, inverse, is_block),
            Class::Ambiguous => {
                if let Some(helper) = helpers::find(path.head()) {
                    let options =
                        self.options(sexpr, frame, program, inverse, is_block, path.head())?;
                    return helpers::call(self, helper, Vec::new(), options, frame);
                }
                let value = self.lookup(path, frame, true)?;
                if is_block {
                    self.block_helper_missing(value, sexpr, frame, program, inverse)
                } else {
                    Ok(value)
                }
            }
            Class::Simple => {
                let value = self.lookup(path, frame, true)?;
                if is_block {
                    self.block_helper_missing(value, sexpr, frame, program, inverse)
                } else {
                    Ok(value)
                }
            }
        }
    }

    fn classify(&self, sexpr: &Sexpr, path: &Path, frame: &Frame<'_>) -> Class {
        let is_simple = path.is_simple_id();
        let is_block_param = is_simple && frame.declares_param(path.head());
        let mut is_helper = !is_block_param && (!sexpr.params.is_empty() || !sexpr.hash.is_empty());
        let is_eligible = !is_block_param && (is_helper || is_simple);
        if is_eligible && !is_helper && helpers::is_known(path.head()) {
            is_helper = true;
        }
        if is_helper {
            Class::Helper
        } else if is_eligible {
            Class::Ambiguous
        } else {
            Class::Simple
        }
    }

    /// Subexpressions are always helper calls.
    fn sexpr_as_helper<'c>(
        &self,
        sexpr: &'t Sexpr,
        frame: &Frame<'c>,
        program: Option<&'t Program>,
        inverse: Option<&'t Program>,
    ) -> Result<JsValue<'c>> {
        let literal_path;
        let path = match &sexpr.head {
            Expr::Path(path) => path,
            Expr::Literal(literal) => {
                literal_path = Path::from_literal(literal, sexpr.span);
                &literal_path
            }
            Expr::Sub(inner) => {
                return Err(self.error(
                    ErrorKind::TypeError,
                    inner.span,
                    "a subexpression cannot name the helper to call",
                ));
            }
        };
        self.helper_call(sexpr, path, frame, program, inverse, false)
    }

    fn helper_call<'c>(
        &self,
        sexpr: &'t Sexpr,
        path: &Path,
        frame: &Frame<'c>,
        program: Option<&'t Program>,
        inverse: Option<&'t Program>,
        is_block: bool,
    ) -> Result<JsValue<'c>> {
        let params = sexpr
            .params
            .iter()
            .map(|p| self.param(p, frame, sexpr.span))
            .collect::<Result<Vec<_>>>()?;
        let helper = if path.is_simple_id() {
            helpers::find(path.head())
        } else {
            None
        };
        let Some(helper) = helper else {
            // `helpers[name] || container.strict(context, name)`, then `.call(...)`.
            let value = self.lookup(path, frame, true)?;
            return Err(self.error(
                ErrorKind::TypeError,
                path.span,
                format!(
                    "`{}` is not a helper: it is {} in the context, and only helpers take parameters",
                    path.original,
                    describe(&value)
                ),
            ));
        };
        let name = path.parts.first().map_or("", String::as_str);
        let options = self.options(sexpr, frame, program, inverse, is_block, name)?;
        helpers::call(self, helper, params, options, frame)
    }

    fn options<'c>(
        &self,
        sexpr: &'t Sexpr,
        frame: &Frame<'c>,
        program: Option<&'t Program>,
        inverse: Option<&'t Program>,
        is_block: bool,
        name: &str,
    ) -> Result<Options<'t, 'c>> {
        let hash = sexpr
            .hash
            .iter()
            .map(|(k, v)| Ok((k.as_str(), self.param(v, frame, sexpr.span)?)))
            .collect::<Result<Vec<_>>>()?;
        // Block statements carry both programs (a missing one is `noop`); mustaches and
        // subexpressions carry neither, so a block helper used inline fails as in JavaScript.
        let (program, inverse) = if is_block {
            (program, inverse)
        } else {
            (None, None)
        };
        Ok(Options {
            program,
            inverse,
            is_block,
            hash,
            span: sexpr.span,
            name: name.to_string(),
        })
    }

    fn block_helper_missing<'c>(
        &self,
        value: JsValue<'c>,
        sexpr: &'t Sexpr,
        frame: &Frame<'c>,
        program: Option<&'t Program>,
        inverse: Option<&'t Program>,
    ) -> Result<JsValue<'c>> {
        let options = Options {
            program,
            inverse,
            is_block: true,
            hash: Vec::new(),
            span: sexpr.span,
            name: "blockHelperMissing".to_string(),
        };
        helpers::block_helper_missing(self, value, options, frame)
    }

    /// A parameter's value. The strings literals and subexpressions make are text produced,
    /// charged to the call at `call_span` or to the subexpression.
    fn param<'c>(&self, expr: &'t Expr, frame: &Frame<'c>, call_span: Span) -> Result<JsValue<'c>> {
        match expr {
            Expr::Literal(literal) => Ok(match literal {
                Literal::Str(s) => {
                    self.charge(0, s.len(), call_span)?;
                    JsValue::string(s.clone())
                }
                Literal::Num(n) => JsValue::Number(*n),
                Literal::Bool(b) => JsValue::Bool(*b),
                Literal::Undefined => JsValue::Undefined,
                Literal::Null => JsValue::Null,
            }),
            Expr::Path(path) => self.lookup(path, frame, false),
            Expr::Sub(sexpr) => {
                let value = super::with_stack(|| self.sexpr_as_helper(sexpr, frame, None, None))?;
                let produced = match &value {
                    JsValue::String(text) => text.len(),
                    _ => 0,
                };
                self.charge(1, produced, sexpr.span)?;
                Ok(value)
            }
        }
    }

    /// Resolves a path. With `strict`, every segment but the last is read as a plain property
    /// and the last must exist (`container.strict`); without, all are plain property reads,
    /// which yield `undefined` for missing fields but fail on a property *of* undefined.
    fn lookup<'c>(&self, path: &Path, frame: &Frame<'c>, strict: bool) -> Result<JsValue<'c>> {
        let first = path
            .parts
            .first()
            .filter(|_| path.depth == 0 && !path.scoped);
        if let Some((first, bound)) = first.and_then(|f| frame.block_param(f).map(|b| (f, b))) {
            let value = bound.map_err(|()| {
                self.error(
                    ErrorKind::TypeError,
                    path.span,
                    format!("block parameter `{first}` has no value: the helper passes no block parameters"),
                )
            })?;
            return self.resolve(value, path.tail(), path, false, first);
        }
        if path.data {
            let mut data = frame.data.clone();
            for _ in 0..path.depth {
                match data.parent.clone() {
                    Some(parent) => data = parent,
                    None => {
                        return self.resolve(JsValue::Undefined, &path.parts, path, strict, "@../");
                    }
                }
            }
            return self.resolve_data(&data, path, strict);
        }
        let base = frame.context_at(path.depth);
        if path.parts.is_empty() {
            return Ok(base);
        }
        let base_name = if path.depth > 0 {
            "../".repeat(path.depth)
        } else {
            String::new()
        };
        self.resolve(base, &path.parts, path, strict, &base_name)
    }

    fn resolve_data<'c>(&self, data: &Data<'c>, path: &Path, strict: bool) -> Result<JsValue<'c>> {
        let first = path.head();
        let found = data.get(first);
        if path.parts.len() == 1 {
            return match found {
                Some(value) => Ok(value),
                None if strict && !helpers::is_object_prototype_member(first) => Err(self.error(
                    ErrorKind::StrictMissing,
                    path.span,
                    format!("\"@{first}\" is not defined here (only inside #each: @index, @key, @first, @last; everywhere: @root)"),
                )),
                None => Ok(JsValue::Undefined),
            };
        }
        let value = found.unwrap_or(JsValue::Undefined);
        self.resolve(value, path.tail(), path, strict, &format!("@{first}"))
    }

    fn resolve<'c>(
        &self,
        base: JsValue<'c>,
        parts: &[String],
        path: &Path,
        strict: bool,
        base_name: &str,
    ) -> Result<JsValue<'c>> {
        if parts.is_empty() {
            return Ok(base);
        }
        // In strict mode the last segment is checked rather than read.
        let (walk, last) = match parts.split_last() {
            Some((last, init)) if strict => (init, Some(last)),
            _ => (parts, None),
        };
        let mut current = base;
        let mut walked = base_name.trim_end_matches('.').to_string();
        for part in walk {
            current = helpers::lookup_property(&current, part).map_err(|reason| {
                self.error(
                    ErrorKind::TypeError,
                    path.span,
                    format!(
                        "cannot read `{part}` of {}: {reason}",
                        name_or_context(&walked)
                    ),
                )
            })?;
            walked = join_path(&walked, part);
        }
        let Some(last) = last else {
            return Ok(current);
        };
        if !current.truthy() {
            let container = name_or_context(&walked);
            let message = if walked.is_empty() {
                format!(
                    "\"{last}\" is not defined: the context is {}",
                    describe(&current)
                )
            } else {
                format!(
                    "\"{last}\" is not defined: {container} is {}",
                    describe(&current)
                )
            };
            return Err(self.error(ErrorKind::StrictMissing, path.span, message));
        }
        match helpers::has_property(&current, last) {
            Ok(true) => helpers::lookup_property(&current, last).map_err(|reason| {
                self.error(
                    ErrorKind::TypeError,
                    path.span,
                    format!("cannot read `{last}`: {reason}"),
                )
            }),
            Ok(false) => Err(self.error(
                ErrorKind::StrictMissing,
                path.span,
                format!("\"{last}\" is not defined in {}", name_or_context(&walked)),
            )),
            Err(reason) => Err(self.error(
                ErrorKind::TypeError,
                path.span,
                format!(
                    "cannot look for `{last}` in {}: {reason}",
                    name_or_context(&walked)
                ),
            )),
        }
    }
}

fn join_path(base: &str, part: &str) -> String {
    if base.is_empty() || base.ends_with('/') {
        format!("{base}{part}")
    } else {
        format!("{base}.{part}")
    }
}

fn name_or_context(walked: &str) -> Cow<'_, str> {
    if walked.is_empty() {
        Cow::Borrowed("the context")
    } else {
        Cow::Owned(format!("`{walked}`"))
    }
}

/// A value as an error message names it.
pub fn describe(value: &JsValue<'_>) -> String {
    match value {
        JsValue::Undefined => "undefined".to_string(),
        JsValue::Null => "null".to_string(),
        JsValue::Bool(b) => b.to_string(),
        JsValue::Number(n) => super::value::number_to_string(*n),
        JsValue::String(s) if s.chars().count() > 40 => {
            format!("the string \"{}…\"", s.chars().take(40).collect::<String>())
        }
        JsValue::String(s) => format!("the string \"{s}\""),
        JsValue::Array(_) => "an array".to_string(),
        JsValue::Object(_) | JsValue::Options => "an object".to_string(),
    }
}

/// Where a statement is, for errors the budget raises there.
fn statement_span(statement: &Statement) -> Span {
    match statement {
        Statement::Content(content) => content.span,
        Statement::Mustache(mustache) => mustache.sexpr.span,
        Statement::Block(block) => block.sexpr.span,
        Statement::Partial(partial) => partial.span,
        Statement::PartialBlock(block) => block.partial.span,
        Statement::Decorator(sexpr) => sexpr.span,
        Statement::Comment(_, span) => *span,
    }
}

fn head_text(expr: &Expr) -> String {
    match expr {
        Expr::Path(path) => path.original.clone(),
        Expr::Literal(literal) => literal.original(),
        Expr::Sub(sexpr) => head_text(&sexpr.head),
    }
}

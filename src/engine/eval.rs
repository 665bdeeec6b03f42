//! The interpreter: walks the AST with Handlebars.js 4.7's runtime semantics in strict mode.
//!
//! Handlebars.js compiles a template into JavaScript; the rules below are what that generated
//! code does. Each mustache is classified as its compiler classifies it (a helper call, an
//! "ambiguous" single name that may be a helper or a field, or a plain path), because strict
//! lookups apply only where the compiler asks for them.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::appends::{Appends, Line, Primitive, Rendered, Speculation};
use super::ast::*;
use super::budget::Meter;
use super::error::{EngineError, ErrorKind};
use super::helpers;
use super::prototypes;
use super::references::bodies_at_root;
use super::text::escape_html;
use super::trace::{OutputSpan, Source, Tracer, Writer, Written};
use super::value::{Converted, JsValue, NotPrimitive};

// Partials work on the frame and the evaluator: a child of this module, in a file of its own.
#[path = "partials.rs"]
mod partials;
use partials::Partials;

/// `container.nullContext`: what `this` is inside a helper called on a null context.
static NULL_CONTEXT: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// Whether `value` is the very `nullContext` object, not one that looks like it.
fn is_null_context(value: &JsValue<'_>) -> bool {
    matches!(value, JsValue::Object(object) if std::ptr::eq(*object, std::ptr::from_ref(&*NULL_CONTEXT)))
}

/// A `{{@…}}` frame: `@root`, and inside `#each` the iteration variables.
#[derive(Debug, Clone, Default)]
pub(super) struct Data<'a> {
    pub root: Option<JsValue<'a>>,
    pub key: Option<JsValue<'a>>,
    pub index: Option<JsValue<'a>>,
    pub first: Option<JsValue<'a>>,
    pub last: Option<JsValue<'a>>,
    pub parent: Option<Rc<Data<'a>>>,
}

impl<'a> Data<'a> {
    /// `createFrame`: a copy that remembers its parent as `_parent`.
    pub(super) fn child(parent: &Rc<Data<'a>>) -> Data<'a> {
        Data {
            parent: Some(parent.clone()),
            ..(**parent).clone()
        }
    }

    /// The frame `depth` levels up, as `@../` reaches it; `None` past the outermost.
    fn ancestor(&self, depth: usize) -> Option<&Data<'a>> {
        let mut data = self;
        for _ in 0..depth {
            data = data.parent.as_deref()?;
        }
        Some(data)
    }

    fn get(&self, name: &str) -> Option<JsValue<'a>> {
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

struct Depth<'a> {
    context: JsValue<'a>,
    parent: Option<Rc<Depth<'a>>>,
}

/// Names bound by `as |a b|` in one program, and what the helper passed for them.
struct ParamScope<'a> {
    names: &'a [Name],
    values: Option<Vec<JsValue<'a>>>,
    parent: Option<Rc<ParamScope<'a>>>,
}

/// Everything a program invocation sees. One lifetime covers the template and the context:
/// values borrow from both (a literal's text, a field's string).
#[derive(Clone)]
pub(super) struct Frame<'a> {
    pub context: JsValue<'a>,
    depths: Rc<Depth<'a>>,
    pub data: Rc<Data<'a>>,
    params: Option<Rc<ParamScope<'a>>>,
    /// The inline partials registered, `@partial-block`, and how deep partials are called.
    partials: Partials<'a>,
}

impl<'a> Frame<'a> {
    pub(super) fn root(context: JsValue<'a>) -> Frame<'a> {
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
            partials: Partials::default(),
        }
    }

    fn context_at(&self, depth: usize) -> JsValue<'a> {
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
            if s.names.iter().any(|n| &**n == name) {
                return true;
            }
            scope = s.parent.as_ref();
        }
        false
    }

    /// `Some(Ok(value))` for a bound block parameter; `Some(Err(()))` when the helper passed
    /// no block parameters at all (JavaScript then reads a property of undefined).
    fn block_param(&self, name: &str) -> Option<std::result::Result<JsValue<'a>, ()>> {
        let mut scope = self.params.as_ref();
        while let Some(s) = scope {
            if let Some(i) = s.names.iter().position(|n| &**n == name) {
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
pub(super) struct Options<'a> {
    pub program: Option<&'a Program>,
    pub inverse: Option<&'a Program>,
    /// Whether `fn` and `inverse` exist at all (a block) or are undefined (inline use).
    pub is_block: bool,
    pub hash: Vec<(&'a str, JsValue<'a>)>,
    /// Where the call is, for error messages.
    pub span: Span,
    pub name: &'a str,
}

impl<'a> Options<'a> {
    pub(super) fn hash_value(&self, key: &str) -> Option<&JsValue<'a>> {
        self.hash.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// A block's bodies, `options.fn` and `options.inverse` (a missing one is `noop`); `None` for
/// a mustache or a subexpression, which have neither.
type Bodies<'a> = Option<(Option<&'a Program>, Option<&'a Program>)>;

/// What a block body runs with besides its context: `#each`'s data frame, and the values of
/// its block parameters.
#[derive(Default)]
pub(super) struct Bindings<'a> {
    pub data: Option<Rc<Data<'a>>>,
    pub block_params: Option<Vec<JsValue<'a>>>,
}

enum Class {
    Helper,
    Ambiguous,
    Simple,
}

/// What a path's first segment is read from, as error messages name it.
#[derive(Clone, Copy)]
enum Base<'n> {
    /// The context, or `depth` levels above it (`../`).
    Context { depth: usize },
    /// A block parameter, or `@../` past the outermost data frame.
    Named(&'n str),
    /// A data variable: `@name`.
    Data(&'n str),
}

impl Base<'_> {
    /// The base joined with the segments read from it so far; made only for error messages.
    fn walked(self, parts: &[Name]) -> String {
        let mut walked = match self {
            Base::Context { depth } => "../".repeat(depth),
            Base::Named(name) => name.trim_end_matches('.').to_string(),
            Base::Data(name) => format!("@{name}"),
        };
        for part in parts {
            if !(walked.is_empty() || walked.ends_with('/')) {
                walked.push('.');
            }
            walked.push_str(part);
        }
        walked
    }
}

pub(super) struct Evaluator<'a> {
    source: &'a str,
    meter: Meter,
    fields: FieldCache<'a>,
    /// Only a traced render has one: a plain render's only cost for tracing is finding
    /// `None` here.
    tracer: Option<Tracer<'a>>,
    /// Whether a `__proto__` key is a prototype (see [`super::prototypes`]).
    assigned: bool,
}

type Result<T> = std::result::Result<T, EngineError>;

/// Fields read by name from context objects during one render, remembered in a small table:
/// a template that reads the same fields of the same objects over and over (every item of a
/// long list, every event's `project.key`) hashes each name into each object once, instead of
/// once per read. The context cannot change while it renders, so a remembered read is the
/// read. Only names from the template are remembered, kept by reference: an entry matches
/// the very object and the very name, never one that merely looks the same.
struct FieldCache<'a> {
    slots: Box<[Cell<Option<Field<'a>>>]>,
}

#[derive(Clone, Copy)]
struct Field<'a> {
    object: &'a Map<String, Value>,
    name: &'a str,
    value: Option<&'a Value>,
}

/// Entries in the table: a power of two.
const FIELD_SLOTS: usize = 512;

impl<'a> FieldCache<'a> {
    fn new() -> FieldCache<'a> {
        FieldCache {
            slots: (0..FIELD_SLOTS).map(|_| Cell::new(None)).collect(),
        }
    }

    /// `object[name]`: own fields only, as `lookupProperty` reads them.
    fn get(&self, object: &'a Map<String, Value>, name: &'a str) -> Option<&'a Value> {
        let Some(slot) = self.slots.get(slot_of(object, name)) else {
            return object.get(name);
        };
        if let Some(field) = slot.get()
            && std::ptr::eq(field.object, object)
            && std::ptr::eq(field.name, name)
        {
            return field.value;
        }
        let value = object.get(name);
        slot.set(Some(Field {
            object,
            name,
            value,
        }));
        value
    }
}

/// 2⁶⁴ divided by the golden ratio, odd: Fibonacci hashing's multiplier, which spreads
/// nearby addresses across the high bits.
const FIBONACCI_MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Where an (object, name) pair goes in the table: both addresses mixed by a multiplicative
/// hash, whose high bits are the best mixed. The name's address is turned half-way round
/// first: XORed as they are, two nearby heap addresses would cancel each other out.
fn slot_of(object: &Map<String, Value>, name: &str) -> usize {
    let object = std::ptr::from_ref(object).addr() as u64;
    let name = name.as_ptr().addr() as u64;
    let mixed = (object ^ name.rotate_left(u64::BITS / 2)).wrapping_mul(FIBONACCI_MULTIPLIER);
    (mixed >> (u64::BITS - FIELD_SLOTS.trailing_zeros())) as usize
}

impl<'a> Evaluator<'a> {
    pub(super) fn new(source: &'a str, meter: Meter) -> Evaluator<'a> {
        Evaluator {
            source,
            meter,
            fields: FieldCache::new(),
            tracer: None,
            assigned: false,
        }
    }

    /// The evaluator for a context the framework's JSON escaper built (see
    /// [`super::prototypes`]).
    pub(super) fn with_assigned_objects(mut self, assigned: bool) -> Evaluator<'a> {
        self.assigned = assigned;
        self
    }

    /// The evaluator, recording which tag writes each part of the output.
    pub(super) fn traced(mut self) -> Evaluator<'a> {
        self.tracer = Some(Tracer::default());
        self
    }

    /// What the tracer recorded; nothing for an evaluator not [`Evaluator::traced`].
    pub(super) fn into_spans(self) -> Vec<OutputSpan> {
        self.tracer.map(Tracer::into_spans).unwrap_or_default()
    }

    /// Tells the tracer, if any, that the render's output ends at `out_len`.
    pub(super) fn finish_trace(&self, out_len: usize) {
        if let Some(tracer) = &self.tracer {
            tracer.finish(out_len);
        }
    }

    /// Steps and text spent so far.
    pub(super) fn spent(&self) -> (u64, usize) {
        self.meter.spent()
    }

    /// `container.lookupProperty(parent, name)` for a name from the template.
    fn property(
        &self,
        parent: &JsValue<'a>,
        name: &'a str,
    ) -> std::result::Result<JsValue<'a>, String> {
        match parent {
            // A prototype is not an own member.
            JsValue::Object(_) if self.assigned && name == prototypes::PROTO => {
                Ok(JsValue::Undefined)
            }
            JsValue::Object(object) => Ok(self
                .fields
                .get(object, name)
                .map_or(JsValue::Undefined, JsValue::from_json)),
            other => helpers::lookup_property(other, name),
        }
    }

    /// `container.strict(parent, name)` for a name from the template: the property when
    /// `name in parent`, `None` when not.
    fn strict_property(
        &self,
        parent: &JsValue<'a>,
        name: &'a str,
    ) -> std::result::Result<Option<JsValue<'a>>, String> {
        match parent {
            JsValue::Object(object) if self.assigned => {
                let own = self
                    .fields
                    .get(object, name)
                    .filter(|_| name != prototypes::PROTO);
                Ok(match own {
                    Some(value) => Some(JsValue::from_json(value)),
                    None => prototypes::inherits(object, name).then_some(JsValue::Undefined),
                })
            }
            JsValue::Object(object) => Ok(match self.fields.get(object, name) {
                Some(value) => Some(JsValue::from_json(value)),
                None => helpers::is_object_prototype_member(name).then_some(JsValue::Undefined),
            }),
            other => helpers::strict_property(other, name),
        }
    }

    /// `object[name]` as JavaScript reads it, prototypes included.
    fn member<'o>(&self, object: &'o Map<String, Value>, name: &str) -> Option<&'o Value> {
        if self.assigned {
            prototypes::get(object, name)
        } else {
            object.get(name)
        }
    }

    /// Whether context objects were built by assignment (the framework's JSON escaper), so
    /// that a `__proto__` key is a prototype, not a member.
    pub(super) fn assigned(&self) -> bool {
        self.assigned
    }

    /// A conversion's failure as JavaScript's TypeError at `span`.
    pub(super) fn converted<T>(&self, converted: Converted<T>, span: Span) -> Result<T> {
        converted
            .map_err(|NotPrimitive| self.error(ErrorKind::TypeError, span, NotPrimitive::MESSAGE))
    }

    /// Appends what a mustache shows for `value`: nothing for null and undefined, else
    /// `String(value)`, HTML-escaped when `escaped`. Strings are written from where they are,
    /// never copied first.
    fn write_value(
        &self,
        value: &JsValue<'_>,
        escaped: bool,
        span: Span,
        out: &mut String,
    ) -> Result<()> {
        // `escapeExpression` calls a truthy `toHTML` first, as it would a SafeString's.
        if escaped
            && let JsValue::Object(object) = value
            && self
                .member(object, "toHTML")
                .is_some_and(|v| JsValue::from_json(v).truthy())
        {
            return Err(self.error(
                ErrorKind::TypeError,
                span,
                "string.toHTML is not a function",
            ));
        }
        let text = match value {
            JsValue::Undefined | JsValue::Null => return Ok(()),
            JsValue::String(text) => Cow::Borrowed(text.as_ref()),
            other => self.converted(other.to_js_string(), span)?,
        };
        if escaped {
            escape_html(&text, out);
        } else {
            out.push_str(&text);
        }
        Ok(())
    }

    pub(super) fn error(
        &self,
        kind: ErrorKind,
        span: Span,
        message: impl Into<String>,
    ) -> EngineError {
        EngineError::new(kind, message).at_span(span.start(), span.end())
    }

    /// Spends from the render's budget, failing at `span` once it is used up: the one place
    /// rendering is metered.
    fn charge(&self, steps: u64, text_bytes: usize, span: Span) -> Result<()> {
        self.meter
            .spend(steps, text_bytes)
            .map_err(|message| self.error(ErrorKind::LimitExceeded, span, message))
    }

    /// Renders `program` into `out`. Everything a template renders is written straight into
    /// the one output, block bodies included: nothing is rendered apart and copied in. The
    /// program's value is that text, or a number or boolean its appends added up to (see
    /// [`super::appends`]), which is not written.
    pub(super) fn render_program(
        &self,
        program: &'a Program,
        frame: &Frame<'a>,
        out: &mut String,
    ) -> Result<Rendered> {
        // Decorators run first, for the whole program (`partials.rs`).
        let decorated;
        let frame = if program.decorators {
            decorated = self.run_decorators(program, frame)?;
            &decorated
        } else {
            frame
        };
        let lines = |statement| self.line_of(statement, frame, program);
        let last_alone = program
            .body
            .iter()
            .rposition(|statement| lines(statement) == Line::Alone);
        let mut appends = Appends::new(last_alone);
        for (index, statement) in program.body.iter().enumerate() {
            let before = out.len();
            if let Some(tracer) = &self.tracer {
                tracer.enter(self.writer(statement, frame, tracer.at_root()), before);
            }
            let line = lines(statement);
            self.statement(statement, (index, line), &mut appends, frame, out)?;
            if let Some(tracer) = &self.tracer {
                tracer.leave(out.len());
            }
            let written = out.len().saturating_sub(before);
            self.charge(1, written, statement_span(statement))?;
        }
        Ok(appends.finish(out))
    }

    /// How the compiler appends `statement`'s value: on its own for a block it cannot inline
    /// (its name may be a field), unless it is all the program holds.
    fn line_of(&self, statement: &Statement, frame: &Frame<'_>, program: &Program) -> Line {
        let Statement::Block(block) = statement else {
            return Line::Merged;
        };
        let Head::Path(path) = &block.sexpr.head else {
            return Line::Merged;
        };
        let ambiguous = matches!(self.classify(&block.sexpr, path, frame), Class::Ambiguous);
        if ambiguous && !block.decorator && program.body.len() > 1 {
            Line::Alone
        } else {
            Line::Merged
        }
    }

    /// How the tracer records what `statement` writes, read as the render reads it.
    fn writer(&self, statement: &'a Statement, frame: &Frame<'a>, at_root: bool) -> Writer<'a> {
        let writer = |tag: Span, kind: Written, source: Source<'a>| Writer {
            tag,
            kind,
            source,
            at_root,
            bodies_at_root: false,
        };
        match statement {
            Statement::Content(content) => writer(content.value, Written::Text, Source::Nothing),
            Statement::Comment(_, span) => writer(*span, Written::Text, Source::Nothing),
            Statement::Mustache(mustache) => {
                let kind = if mustache.escaped {
                    Written::Escaped
                } else {
                    Written::Raw
                };
                writer(mustache.tag(), kind, self.source_of(&mustache.sexpr, frame))
            }
            Statement::Block(block) => Writer {
                bodies_at_root: bodies_at_root(block, at_root),
                ..writer(
                    block.open_tag(),
                    Written::Raw,
                    self.source_of(&block.sexpr, frame),
                )
            },
            Statement::Decorator(decorator) => {
                writer(decorator.tag(), Written::Raw, Source::Nothing)
            }
            Statement::Partial(partial) => writer(partial.span, Written::Raw, Source::Nothing),
            Statement::PartialBlock(block) => {
                writer(block.partial.span, Written::Raw, Source::Nothing)
            }
        }
    }

    /// What a mustache or block writes the value of: the helper it calls, or the path it
    /// reads.
    fn source_of(&self, sexpr: &'a Sexpr, frame: &Frame<'a>) -> Source<'a> {
        match &sexpr.head {
            Head::Path(path) if self.calls_helper(sexpr, path, frame) => {
                Source::Helper(path.head())
            }
            Head::Path(path) => Source::Path(path),
            Head::Sub(_) => Source::Nothing,
        }
    }

    fn statement(
        &self,
        statement: &'a Statement,
        (index, line): (usize, Line),
        appends: &mut Appends,
        frame: &Frame<'a>,
        out: &mut String,
    ) -> Result<()> {
        match statement {
            Statement::Content(content) => {
                let text = content.value.text(self.source);
                // The compiler emits no append for text whitespace control emptied.
                if !text.is_empty() {
                    appends.text(index, out);
                    out.push_str(text);
                }
            }
            Statement::Comment(..) => {}
            Statement::Mustache(mustache) => {
                // A mustache renders no body: its value is known before anything is written.
                let value = self.sexpr_value(&mustache.sexpr, frame, None, out)?;
                let span = mustache.sexpr.span;
                if mustache.escaped {
                    // `escapeExpression` always gives a string.
                    appends.text(index, out);
                    self.write_value(&value, true, span, out)?;
                } else {
                    appends.value(index, line, &value, out);
                    if Primitive::of(&value).is_none() {
                        self.write_value(&value, false, span, out)?;
                    }
                }
            }
            // `{{#*inline}}` appends nothing where it is: it ran before the program's
            // statements (`run_decorators`).
            Statement::Block(block) if block.decorator => {
                self.decorator_statement(&block.sexpr)?;
            }
            Statement::Block(block) => {
                let speculation = appends.speculate(index, line, out);
                let value = self.block(block, frame, out)?;
                self.settle(appends, speculation, &value, block.sexpr.span, out)?;
            }
            // Partials and decorators: see `partials.rs`.
            Statement::Partial(partial) => {
                let speculation = appends.speculate(index, line, out);
                let rendered = self.partial(partial, None, frame, out)?;
                self.settle(appends, speculation, &rendered.value(), partial.span, out)?;
            }
            Statement::PartialBlock(block) => {
                let span = block.partial.span;
                let speculation = appends.speculate(index, line, out);
                let rendered = self.partial(&block.partial, Some(&block.program), frame, out)?;
                self.settle(appends, speculation, &rendered.value(), span, out)?;
            }
            Statement::Decorator(decorator) => self.decorator_statement(&decorator.sexpr)?,
        }
        Ok(())
    }

    /// After a statement that may have written output before its value was known: the
    /// value joins the sum, or is written as text.
    fn settle(
        &self,
        appends: &mut Appends,
        speculation: Speculation,
        value: &JsValue<'a>,
        span: Span,
        out: &mut String,
    ) -> Result<()> {
        if appends.settle(speculation, value, out) {
            if let Some(tracer) = &self.tracer {
                tracer.retract(speculation.start());
            }
            return Ok(());
        }
        self.write_value(value, false, span, out)
    }

    /// Runs a helper's `options.fn` or `options.inverse` into `out`: `None` is Handlebars.js's
    /// `noop`. Each run is a step, charged to the block at `span`, even when there is nothing
    /// to run.
    pub(super) fn invoke(
        &self,
        program: Option<&'a Program>,
        context: JsValue<'a>,
        parent: &Frame<'a>,
        bindings: Bindings<'a>,
        span: Span,
        out: &mut String,
    ) -> Result<Rendered> {
        self.charge(1, 0, span)?;
        let Some(program) = program else {
            // `noop` returns "".
            return Ok(Rendered::Text);
        };
        // `wrapProgram`: a new depth unless the context is the one above, loosely — or is
        // the `nullContext` a helper got for a null context (`../` then skips no level).
        let null_context_of_null =
            is_null_context(&context) && matches!(parent.depths.context, JsValue::Null);
        let same_context = self.converted(context.loose_equals(&parent.depths.context), span)?;
        let depths = if null_context_of_null || same_context {
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
                names: &program.block_params,
                values: bindings.block_params,
                parent: parent.params.clone(),
            }))
        };
        let frame = Frame {
            context,
            depths,
            data: bindings.data.unwrap_or_else(|| parent.data.clone()),
            params,
            partials: parent.partials.nested(&parent.depths),
        };
        super::with_stack(|| self.render_program(program, &frame, out))
    }

    /// `this` inside a helper: the context, or an empty object when it is null or undefined.
    pub(super) fn this(frame: &Frame<'a>) -> JsValue<'a> {
        if frame.context.is_nullish() {
            JsValue::Object(&NULL_CONTEXT)
        } else {
            frame.context.clone()
        }
    }

    /// A block's value; its bodies render into `out` first.
    fn block(&self, block: &'a Block, frame: &Frame<'a>, out: &mut String) -> Result<JsValue<'a>> {
        let bodies = Some((block.program.as_ref(), block.inverse.as_ref()));
        self.sexpr_value(&block.sexpr, frame, bodies, out)
    }

    /// A mustache's or block's value. For blocks, a value that is not a helper's result goes
    /// through `blockHelperMissing`. Block bodies render into `out`; what is returned is
    /// written after them.
    fn sexpr_value(
        &self,
        sexpr: &'a Sexpr,
        frame: &Frame<'a>,
        bodies: Bodies<'a>,
        out: &mut String,
    ) -> Result<JsValue<'a>> {
        let path = match &sexpr.head {
            Head::Path(path) => path,
            // A block whose head is a subexpression calls it like any subexpression.
            Head::Sub(_) => return self.sexpr_as_helper(sexpr, frame, out),
        };
        if self.calls_helper(sexpr, path, frame) {
            return self.helper_call(sexpr, path, frame, bodies, out);
        }
        let value = self.lookup(path, frame, true)?;
        match bodies {
            Some((program, inverse)) => {
                self.block_helper_missing(value, sexpr, frame, program, inverse, out)
            }
            None => Ok(value),
        }
    }

    /// Whether a mustache or block headed by `path` calls a helper, rather than reading
    /// `path`: a helper call, or an "ambiguous" name that is a helper's.
    fn calls_helper(&self, sexpr: &Sexpr, path: &Path, frame: &Frame<'_>) -> bool {
        match self.classify(sexpr, path, frame) {
            Class::Helper => true,
            Class::Ambiguous => helpers::find(path.head()).is_some(),
            Class::Simple => false,
        }
    }

    fn classify(&self, sexpr: &Sexpr, path: &Path, frame: &Frame<'_>) -> Class {
        let is_simple = path.is_simple_id();
        let is_block_param = is_simple && frame.declares_param(path.head());
        let mut is_helper = !is_block_param && sexpr.has_args();
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

    /// Subexpressions are always helper calls, and never blocks.
    fn sexpr_as_helper(
        &self,
        sexpr: &'a Sexpr,
        frame: &Frame<'a>,
        out: &mut String,
    ) -> Result<JsValue<'a>> {
        let path = match &sexpr.head {
            Head::Path(path) => path,
            Head::Sub(inner) => {
                return Err(self.error(
                    ErrorKind::TypeError,
                    inner.span,
                    "a subexpression cannot name the helper to call",
                ));
            }
        };
        self.helper_call(sexpr, path, frame, None, out)
    }

    fn helper_call(
        &self,
        sexpr: &'a Sexpr,
        path: &'a Path,
        frame: &Frame<'a>,
        bodies: Bodies<'a>,
        out: &mut String,
    ) -> Result<JsValue<'a>> {
        let helper = if path.is_simple_id() {
            helpers::find(path.head())
        } else {
            None
        };
        let Some(helper) = helper else {
            return Err(self.not_a_helper(sexpr, path, frame));
        };
        let params = self.params(sexpr, frame)?;
        let options = self.options(sexpr, path, frame, bodies)?;
        helpers::call(self, helper, params, options, frame, out)
    }

    fn params(&self, sexpr: &'a Sexpr, frame: &Frame<'a>) -> Result<Vec<JsValue<'a>>> {
        sexpr
            .params()
            .iter()
            .map(|p| self.param(p, frame, sexpr.span))
            .collect()
    }

    /// A call of something that is not a registered helper fails as the generated code
    /// `(helpers.name || strict(context, "name")).call(context, params…)` fails. JavaScript
    /// reads the callee first: a missing or null one throws before any parameter is
    /// evaluated; a value that is not a function throws only after them. The compiler knows
    /// `helperMissing` and `blockHelperMissing` as helpers and calls them without the
    /// fallback, yet the runtime keeps them as hooks, not helpers.
    fn not_a_helper(&self, sexpr: &'a Sexpr, path: &'a Path, frame: &Frame<'a>) -> EngineError {
        let type_error = |message: String| self.error(ErrorKind::TypeError, path.span(), message);
        if path.is_simple_id() && helpers::is_known(path.head()) {
            return type_error("Cannot read properties of undefined (reading 'call')".into());
        }
        let value = match self.lookup(path, frame, true) {
            Ok(value) => value,
            Err(error) => return error,
        };
        if !value.is_nullish()
            && let Err(error) = self.params(sexpr, frame)
        {
            return error;
        }
        type_error(format!(
            "`{}` is not a helper: it is {} in the context, and only helpers take parameters",
            path.original(),
            describe(&value)
        ))
    }

    fn options(
        &self,
        sexpr: &'a Sexpr,
        path: &'a Path,
        frame: &Frame<'a>,
        bodies: Bodies<'a>,
    ) -> Result<Options<'a>> {
        let hash = hash_in_evaluation_order(sexpr.hash())
            .into_iter()
            .map(|(k, v)| Ok((k, self.param(v, frame, sexpr.span)?)))
            .collect::<Result<Vec<_>>>()?;
        // Block statements carry both programs (a missing one is `noop`); mustaches and
        // subexpressions carry neither, so a block helper used inline fails as in JavaScript.
        let (program, inverse) = bodies.unwrap_or_default();
        Ok(Options {
            program,
            inverse,
            is_block: bodies.is_some(),
            hash,
            span: sexpr.span,
            name: path.head(),
        })
    }

    fn block_helper_missing(
        &self,
        value: JsValue<'a>,
        sexpr: &'a Sexpr,
        frame: &Frame<'a>,
        program: Option<&'a Program>,
        inverse: Option<&'a Program>,
        out: &mut String,
    ) -> Result<JsValue<'a>> {
        let options = Options {
            program,
            inverse,
            is_block: true,
            hash: Vec::new(),
            span: sexpr.span,
            name: "blockHelperMissing",
        };
        helpers::block_helper_missing(self, value, options, frame, out)
    }

    /// A parameter's value. The strings literals and subexpressions make are text produced,
    /// charged to the call at `call_span` or to the subexpression.
    fn param(&self, expr: &'a Expr, frame: &Frame<'a>, call_span: Span) -> Result<JsValue<'a>> {
        match expr {
            Expr::Literal(literal) => Ok(match &**literal {
                Literal::Str(s) => {
                    self.charge(0, s.len(), call_span)?;
                    JsValue::String(Cow::Borrowed(s))
                }
                Literal::Num(n) => JsValue::Number(*n),
                Literal::Bool(b) => JsValue::Bool(*b),
                Literal::Undefined => JsValue::Undefined,
                Literal::Null => JsValue::Null,
            }),
            Expr::Path(path) => self.lookup(path, frame, false),
            Expr::Sub(sexpr) => {
                // Inline calls render no block, so nothing is written to this output.
                let value =
                    super::with_stack(|| self.sexpr_as_helper(sexpr, frame, &mut String::new()))?;
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
    fn lookup(&self, path: &'a Path, frame: &Frame<'a>, strict: bool) -> Result<JsValue<'a>> {
        let first = path
            .parts()
            .first()
            .filter(|_| path.depth() == 0 && !path.is_scoped());
        if let Some((first, bound)) = first.and_then(|f| frame.block_param(f).map(|b| (f, b))) {
            let value = bound.map_err(|()| {
                self.error(
                    ErrorKind::TypeError,
                    path.span(),
                    format!("block parameter `{first}` has no value: the helper passes no block parameters"),
                )
            })?;
            return self.resolve(value, path.tail(), path, false, Base::Named(first));
        }
        // Handlebars.js's compiler pushes the context itself for a path whose first segment
        // is empty (`this`, `[]`, `""`, `../[]`), and never reads the segments after it.
        if path.head().is_empty() {
            return Ok(frame.context_at(path.depth()));
        }
        if path.is_data() {
            return match frame.data.ancestor(path.depth()) {
                Some(data) => self.resolve_data(data, path, strict),
                None => self.resolve(
                    JsValue::Undefined,
                    path.parts(),
                    path,
                    strict,
                    Base::Named("@../"),
                ),
            };
        }
        let base = frame.context_at(path.depth());
        let depth = path.depth();
        self.resolve(base, path.parts(), path, strict, Base::Context { depth })
    }

    fn resolve_data(&self, data: &Data<'a>, path: &'a Path, strict: bool) -> Result<JsValue<'a>> {
        let first = path.head();
        let found = data.get(first);
        if path.parts().len() == 1 {
            return match found {
                Some(value) => Ok(value),
                None if strict && !helpers::is_object_prototype_member(first) => Err(self.error(
                    ErrorKind::StrictMissing,
                    path.span(),
                    format!("\"@{first}\" is not defined here (only inside #each: @index, @key, @first, @last; everywhere: @root)"),
                )),
                None => Ok(JsValue::Undefined),
            };
        }
        let value = found.unwrap_or(JsValue::Undefined);
        self.resolve(value, path.tail(), path, strict, Base::Data(first))
    }

    fn resolve(
        &self,
        base: JsValue<'a>,
        parts: &'a [Name],
        path: &Path,
        strict: bool,
        base_name: Base<'_>,
    ) -> Result<JsValue<'a>> {
        if parts.is_empty() {
            return Ok(base);
        }
        // In strict mode the last segment is checked rather than read.
        let (walk, last) = match parts.split_last() {
            Some((last, init)) if strict => (init, Some(last)),
            _ => (parts, None),
        };
        let current = self.read_parts(base, walk, path, base_name)?;
        match last {
            Some(last) => self.strict_last(current, last, walk, path, base_name),
            None => Ok(current),
        }
    }

    /// Reads each of `walk` from `base` as a plain property: a missing one is `undefined`,
    /// a property *of* undefined or null is JavaScript's TypeError.
    fn read_parts(
        &self,
        base: JsValue<'a>,
        walk: &'a [Name],
        path: &Path,
        base_name: Base<'_>,
    ) -> Result<JsValue<'a>> {
        let mut current = base;
        for (read, part) in walk.iter().enumerate() {
            current = self.property(&current, part).map_err(|reason| {
                let walked = base_name.walked(walk.get(..read).unwrap_or_default());
                self.error(
                    ErrorKind::TypeError,
                    path.span(),
                    format!(
                        "cannot read `{part}` of {}: {reason}",
                        name_or_context(&walked)
                    ),
                )
            })?;
        }
        Ok(current)
    }

    /// `container.strict(current, last)`: the last segment of a strict path must be in
    /// what the segments before it (`walk`) reached.
    fn strict_last(
        &self,
        current: JsValue<'a>,
        last: &'a Name,
        walk: &[Name],
        path: &Path,
        base_name: Base<'_>,
    ) -> Result<JsValue<'a>> {
        if !current.truthy() {
            let walked = base_name.walked(walk);
            let message = if walked.is_empty() {
                format!(
                    "\"{last}\" is not defined: the context is {}",
                    describe(&current)
                )
            } else {
                format!(
                    "\"{last}\" is not defined: {} is {}",
                    name_or_context(&walked),
                    describe(&current)
                )
            };
            return Err(self.error(ErrorKind::StrictMissing, path.span(), message));
        }
        match self.strict_property(&current, last) {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(self.error(
                ErrorKind::StrictMissing,
                path.span(),
                format!(
                    "\"{last}\" is not defined in {}",
                    name_or_context(&base_name.walked(walk))
                ),
            )),
            Err(reason) => Err(self.error(
                ErrorKind::TypeError,
                path.span(),
                format!(
                    "cannot look for `{last}` in {}: {reason}",
                    name_or_context(&base_name.walked(walk))
                ),
            )),
        }
    }
}

/// The hash as Handlebars.js's generated code builds it: the compiler assigns the pairs
/// last to first into one object, so of a key written twice the first value wins and the
/// later ones are never evaluated, and the object literal evaluates its keys in the order
/// they were first assigned — by last appearance, from the end.
fn hash_in_evaluation_order(pairs: &[(Name, Expr)]) -> Vec<(&str, &Expr)> {
    let mut first_value: HashMap<&str, &Expr> = HashMap::with_capacity(pairs.len());
    for (key, value) in pairs {
        first_value.entry(&**key).or_insert(value);
    }
    let mut ordered = Vec::with_capacity(first_value.len());
    for (key, _) in pairs.iter().rev() {
        if let Some(value) = first_value.remove(&**key) {
            ordered.push((&**key, value));
        }
    }
    ordered
}

fn name_or_context(walked: &str) -> Cow<'_, str> {
    if walked.is_empty() {
        Cow::Borrowed("the context")
    } else {
        Cow::Owned(format!("`{walked}`"))
    }
}

/// How many characters of a string value an error message quotes: enough to recognise the
/// value, while a long one (a whole payload) keeps the message to a readable line.
const DESCRIBED_STRING_CHARS: usize = 40;

/// A value as an error message names it.
pub(super) fn describe(value: &JsValue<'_>) -> String {
    match value {
        JsValue::Undefined => "undefined".to_string(),
        JsValue::Null => "null".to_string(),
        JsValue::Bool(b) => b.to_string(),
        JsValue::Number(n) => super::value::number_to_string(*n),
        JsValue::String(s) if s.chars().count() > DESCRIBED_STRING_CHARS => {
            let shown: String = s.chars().take(DESCRIBED_STRING_CHARS).collect();
            format!("the string \"{shown}…\"")
        }
        JsValue::String(s) => format!("the string \"{s}\""),
        JsValue::Array(_) => "an array".to_string(),
        JsValue::Object(_) | JsValue::Options | JsValue::Extended(_) => "an object".to_string(),
    }
}

/// Where a statement is, for errors the budget raises there.
fn statement_span(statement: &Statement) -> Span {
    match statement {
        Statement::Content(content) => content.original,
        Statement::Mustache(mustache) => mustache.sexpr.span,
        Statement::Block(block) => block.sexpr.span,
        Statement::Partial(partial) => partial.span,
        Statement::PartialBlock(block) => block.partial.span,
        Statement::Decorator(decorator) => decorator.sexpr.span,
        Statement::Comment(_, span) => *span,
    }
}

//! Partials as Handlebars.js 4.7.8 runs them: `{{> name}}`, `{{#> name}}default{{/name}}`,
//! `{{> @partial-block}}`, and the partials `{{#*inline "name"}}…{{/inline}}` registers.
//!
//! ldhook registers no partials of its own, as the framework registers none: the only ones a
//! template can call are its inline partials. Their rules follow the runtime
//! (`runtime.js` `invokePartial`, `resolvePartial`, `wrapProgram`; `decorators/inline.js`):
//!
//! - A program's decorators run when it is invoked, before its statements. The `inline`
//!   decorator swaps `container.partials` for the length of that invocation, so a partial is
//!   visible to everything the program calls while it runs — nested blocks, partials, a
//!   partial block's body — and not after it returns. That is the frame's list here: each
//!   invoked program inherits its caller's.
//! - An inline partial's body closes over the depths (`../`) and block parameters the
//!   program that registers it was invoked from, not over the caller's; it sees the caller's
//!   data (`@index`, `@root`) and partials.
//! - A partial block's body is `@partial-block` inside the partial; it runs with the depths
//!   and block parameters of where it is written, and with the `@partial-block` that was
//!   current there.
//!
//! This module is a child of `eval`, whose frame and evaluator it works on.

use std::borrow::Cow;
use std::rc::Rc;

use super::super::ast::{Expr, Literal, Name, Partial, Program, Sexpr, Span, Statement};
use super::super::error::{EngineError, ErrorKind};
use super::super::helpers;
use super::super::value::{JsValue, Properties};
use super::{Data, Depth, Evaluator, Frame, ParamScope, Result};

/// How deep partials may call partials. Handlebars.js has no limit of its own: a partial
/// that calls itself runs until JavaScript's stack overflows (`RangeError: Maximum call
/// stack size exceeded`, a few thousand levels). No template needs a tenth of this; it keeps
/// such a template an error, never a crash or a render that runs out the step budget on one
/// ever deeper stack.
pub(super) const MAX_PARTIAL_DEPTH: usize = 512;

/// How many block bodies and partials may be running, one inside the other, where a partial
/// is called. One template nests at most [`MAX_NESTING`](super::super::MAX_NESTING) deep;
/// partials that call each other nest their bodies again at every call, so without this a
/// few hundred nested blocks in a recursive partial would grow the stack by gigabytes before
/// [`MAX_PARTIAL_DEPTH`] stops it. Handlebars.js overflows its stack at a depth of this order.
pub(super) const MAX_CALL_NESTING: usize = 4096;

/// Context keys copied into an extended context per step charged: copying a key is far less
/// work than rendering a statement, yet a loop that extends a large context must not be
/// free.
const KEYS_PER_STEP: usize = 16;

/// What a frame knows of partials.
#[derive(Clone, Default)]
pub(in crate::engine) struct Partials<'a> {
    /// The inline partials registered by the programs being run, latest first.
    inline: Option<Rc<Inline<'a>>>,
    /// `@partial-block`: the body of the partial block being run, if any.
    block: Option<Rc<BlockBody<'a>>>,
    /// The depths the running program was invoked from (the `depths` `wrapProgram` is given):
    /// what its inline partials close over. `None` for the template itself, which
    /// Handlebars.js gives none.
    outer: Option<Rc<Depth<'a>>>,
    /// Partials being run around this program.
    depth: usize,
    /// Block bodies and partials being run around this program, this one included.
    nesting: usize,
}

impl<'a> Partials<'a> {
    /// What a block body invoked from a frame whose depths are `parent_depths` knows.
    pub(super) fn nested(&self, parent_depths: &Rc<Depth<'a>>) -> Partials<'a> {
        Partials {
            outer: Some(parent_depths.clone()),
            nesting: self.nesting.saturating_add(1),
            ..self.clone()
        }
    }
}

/// One inline partial, registered by a program being run.
struct Inline<'a> {
    name: Cow<'a, str>,
    body: Body<'a>,
    closure: Closure<'a>,
    /// The partials registered before it.
    parent: Option<Rc<Inline<'a>>>,
}

/// What an inline decorator registers under its name.
#[derive(Clone, Copy)]
enum Body<'a> {
    /// A block's body; `None` for an empty one.
    Program(Option<&'a Program>),
    /// `{{*inline "p"}}` has no body: Handlebars.js registers `undefined`, which hides a `p`
    /// registered further out.
    Undefined,
}

/// What a body closes over where it is written.
#[derive(Clone)]
struct Closure<'a> {
    depths: Option<Rc<Depth<'a>>>,
    params: Option<Rc<ParamScope<'a>>>,
}

/// The body of a partial block, `@partial-block` inside the partial.
struct BlockBody<'a> {
    program: &'a Program,
    closure: Closure<'a>,
    /// The `@partial-block` current where the partial block is written, restored while its
    /// body runs.
    outer: Option<Rc<BlockBody<'a>>>,
}

/// A partial found by name.
enum Target<'a> {
    Inline(Option<&'a Program>, Closure<'a>),
    Block(Rc<BlockBody<'a>>),
}

/// A partial's name: as written, or what a subexpression returned (`{{> (name)}}`).
enum PartialName<'a> {
    Static(Cow<'a, str>),
    Dynamic(String),
}

impl PartialName<'_> {
    fn text(&self) -> &str {
        match self {
            PartialName::Static(name) => name,
            PartialName::Dynamic(name) => name,
        }
    }
}

impl<'a> Evaluator<'a> {
    /// Runs `program`'s decorators, as Handlebars.js does when a program is invoked: the
    /// frame its statements then run with knows the inline partials they register.
    pub(super) fn run_decorators(
        &self,
        program: &'a Program,
        frame: &Frame<'a>,
    ) -> Result<Frame<'a>> {
        // The decorators run as the program is wrapped, before a helper passes it its block
        // parameters: its bodies close over the parameters around it, not its own.
        let params = if program.block_params.is_empty() {
            frame.params.clone()
        } else {
            frame.params.as_ref().and_then(|scope| scope.parent.clone())
        };
        let closure = Closure {
            depths: frame.partials.outer.clone(),
            params,
        };
        let mut inline = frame.partials.inline.clone();
        for statement in &program.body {
            let (sexpr, body) = match statement {
                Statement::Block(block) if block.decorator => {
                    (&block.sexpr, Body::Program(block.program.as_ref()))
                }
                Statement::Decorator(decorator) => (&decorator.sexpr, Body::Undefined),
                _ => continue,
            };
            let name = self.decorator(sexpr, frame)?;
            inline = Some(Rc::new(Inline {
                name,
                body,
                closure: closure.clone(),
                parent: inline,
            }));
        }
        let mut frame = frame.clone();
        frame.partials.inline = inline;
        Ok(frame)
    }

    /// A decorator's call: the name `inline` registers a partial under, or the error any
    /// other decorator is. Its parameters are evaluated first, as JavaScript builds the
    /// options before it calls the decorator.
    fn decorator(&self, sexpr: &'a Sexpr, frame: &Frame<'a>) -> Result<Cow<'a, str>> {
        let params = self.params(sexpr, frame)?;
        for (_, value) in sexpr.hash() {
            self.param(value, frame, sexpr.span)?;
        }
        let name = sexpr.head.name();
        if name != "inline" {
            return Err(self.unknown_decorator(sexpr));
        }
        // `props.partials[options.args[0]]`: the first parameter as a property key.
        Ok(match params.into_iter().next() {
            Some(JsValue::String(text)) => text,
            Some(other) => other.to_js_string(),
            None => Cow::Borrowed("undefined"),
        })
    }

    /// What a decorator statement does where it is written: nothing, for `inline` (its
    /// partial is registered before the program's statements run), else the error.
    pub(super) fn decorator_statement(&self, sexpr: &'a Sexpr) -> Result<()> {
        if sexpr.head.name() == "inline" {
            Ok(())
        } else {
            Err(self.unknown_decorator(sexpr))
        }
    }

    fn unknown_decorator(&self, sexpr: &Sexpr) -> EngineError {
        self.error(
            ErrorKind::TypeError,
            sexpr.span,
            format!(
                "the decorator `{}` does not exist: Handlebars.js has only `inline` (there: lookupProperty(...) is not a function)",
                sexpr.head.name()
            ),
        )
    }

    /// `{{> name ctx key=value}}`, or with `block` the partial block `{{#> name}}…{{/name}}`
    /// whose body is `block`.
    pub(super) fn partial(
        &self,
        partial: &'a Partial,
        block: Option<&'a Program>,
        frame: &Frame<'a>,
        out: &mut String,
    ) -> Result<()> {
        let span = partial.span;
        if partial.params.len() > 1 {
            return Err(self.error(
                ErrorKind::Parse,
                span,
                format!(
                    "Unsupported number of partial arguments: {} (a partial takes one context)",
                    partial.params.len()
                ),
            ));
        }
        // In the order the generated code evaluates them: a dynamic name, the context, the
        // hash.
        let name = self.partial_name(&partial.name, frame)?;
        let context = match partial.params.first() {
            Some(param) => self.param(param, frame, span)?,
            None => frame.context.clone(),
        };
        let context = if partial.hash.is_empty() {
            context
        } else {
            self.extend(context, &partial.hash, frame, span)?
        };
        let found = self.find_partial(&name, frame);
        // A partial block's body becomes `@partial-block` in a new data frame, and is what
        // runs when no partial has the name.
        let (data, partial_block) = match block {
            Some(program) => (
                Rc::new(Data::child(&frame.data)),
                Some(Rc::new(BlockBody {
                    program,
                    closure: Closure {
                        depths: Some(frame.depths.clone()),
                        params: frame.params.clone(),
                    },
                    outer: frame.partials.block.clone(),
                })),
            ),
            None => (frame.data.clone(), frame.partials.block.clone()),
        };
        let target = match (found, block, &partial_block) {
            (Some(target), _, _) => target,
            (None, Some(_), Some(body)) => Target::Block(body.clone()),
            _ => {
                return Err(self.error(
                    ErrorKind::MissingPartial,
                    span,
                    format!("The partial {} could not be found", name.text()),
                ));
            }
        };
        self.check_nesting(frame, span)?;
        let call = Call {
            target,
            context,
            data,
            partial_block,
            span,
        };
        let indent = partial.indent.text(self.source);
        if indent.is_empty() {
            self.run_partial(call, frame, out)
        } else {
            self.run_indented(call, indent, frame, out)
        }
    }

    /// A partial may not be called deeper than the limits: the error a template whose
    /// partials call each other without end gets, where Handlebars.js overflows its stack.
    fn check_nesting(&self, frame: &Frame<'a>, span: Span) -> Result<()> {
        let message = if frame.partials.depth >= MAX_PARTIAL_DEPTH {
            format!(
                "partials are called more than {MAX_PARTIAL_DEPTH} deep (a partial that calls itself without end?); Handlebars.js overflows its stack"
            )
        } else if frame.partials.nesting >= MAX_CALL_NESTING {
            format!(
                "a partial is called inside more than {MAX_CALL_NESTING} nested blocks and partials (a partial that calls itself without end?); Handlebars.js overflows its stack"
            )
        } else {
            return Ok(());
        };
        Err(self.error(ErrorKind::LimitExceeded, span, message))
    }

    fn partial_name(&self, name: &'a Expr, frame: &Frame<'a>) -> Result<PartialName<'a>> {
        Ok(match name {
            Expr::Path(path) => PartialName::Static(Cow::Borrowed(path.original())),
            Expr::Literal(literal) => PartialName::Static(Cow::Owned(literal.original())),
            Expr::Sub(sexpr) => {
                let value = self.sexpr_as_helper(sexpr, frame, &mut String::new())?;
                // `resolvePartial`: a falsy result looks up `partials[undefined]`.
                PartialName::Dynamic(if value.truthy() {
                    value.to_js_string().into_owned()
                } else {
                    "undefined".to_string()
                })
            }
        })
    }

    /// The partial `name` calls: `@partial-block` (only when written as such) is the body of
    /// the partial block being run; any other name, the latest inline partial of that name.
    fn find_partial(&self, name: &PartialName<'a>, frame: &Frame<'a>) -> Option<Target<'a>> {
        if let PartialName::Static(written) = name
            && written == "@partial-block"
        {
            return frame.partials.block.clone().map(Target::Block);
        }
        let name = name.text();
        let mut inline = frame.partials.inline.as_ref();
        while let Some(partial) = inline {
            if partial.name == name {
                return match partial.body {
                    Body::Program(program) => {
                        Some(Target::Inline(program, partial.closure.clone()))
                    }
                    Body::Undefined => None,
                };
            }
            inline = partial.parent.as_ref();
        }
        None
    }

    /// `Utils.extend({}, context, hash)`: a new object with the context's own enumerable
    /// properties, then the hash's.
    fn extend(
        &self,
        context: JsValue<'a>,
        hash: &'a [(Name, Expr)],
        frame: &Frame<'a>,
        span: Span,
    ) -> Result<JsValue<'a>> {
        let mut values = Vec::with_capacity(hash.len());
        for (key, value) in hash {
            // The compiler leaves a literal `undefined` out of the hash object it writes.
            if matches!(value, Expr::Literal(literal) if **literal == Literal::Undefined) {
                continue;
            }
            values.push((Cow::Borrowed(&**key), self.param(value, frame, span)?));
        }
        let mut properties = own_properties(&context);
        self.charge(
            u64::try_from(properties.len().div_ceil(KEYS_PER_STEP)).unwrap_or(u64::MAX),
            0,
            span,
        )?;
        for (key, value) in values {
            match properties.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => properties.push((key, value)),
            }
        }
        // `for…in` order: integer-like keys ascending, then the rest as added.
        properties.sort_by_key(|(key, _)| helpers::array_index(key).map_or((1, 0), |i| (0, i)));
        Ok(JsValue::Extended(Rc::new(properties)))
    }

    /// Renders a partial whose output is indented: apart, without tracing (its offsets
    /// would move), then into `out` with `indent` before each line, as `invokePartial`
    /// indents the string a partial returns.
    fn run_indented(
        &self,
        call: Call<'a>,
        indent: &str,
        frame: &Frame<'a>,
        out: &mut String,
    ) -> Result<()> {
        let span = call.span;
        let mut written = String::new();
        match &self.tracer {
            Some(tracer) => tracer.muted(|| self.run_partial(call, frame, &mut written))?,
            None => self.run_partial(call, frame, &mut written)?,
        }
        let lines = written
            .bytes()
            .filter(|b| *b == b'\n')
            .count()
            .saturating_add(1);
        // Charged before it is written: indenting a long output with a long indent could
        // otherwise build far more than the budget allows.
        self.charge(0, indent.len().saturating_mul(lines), span)?;
        indent_lines(&written, indent, out);
        Ok(())
    }

    /// Runs a partial found: an inline partial's body, or a partial block's.
    fn run_partial(&self, call: Call<'a>, caller: &Frame<'a>, out: &mut String) -> Result<()> {
        self.charge(1, 0, call.span)?;
        let depth = caller.partials.depth.saturating_add(1);
        let nesting = caller.partials.nesting.saturating_add(1);
        let (program, closure, data, partial_block) = match call.target {
            Target::Inline(program, closure) => (program, closure, call.data, call.partial_block),
            // `partialBlockWrapper`: a new data frame, with the `@partial-block` that was
            // current where the block is written.
            Target::Block(body) => (
                Some(body.program),
                body.closure.clone(),
                Rc::new(Data::child(&call.data)),
                body.outer.clone(),
            ),
        };
        let Some(program) = program else {
            return Ok(());
        };
        // `wrapProgram`: the context joins the closed-over depths unless it is the one at
        // their head.
        let depths = match &closure.depths {
            Some(depths) if call.context.loose_equals(&depths.context) => depths.clone(),
            parent => Rc::new(Depth {
                context: call.context.clone(),
                parent: parent.clone(),
            }),
        };
        let frame = Frame {
            context: call.context,
            depths,
            data,
            params: closure.params,
            partials: Partials {
                inline: caller.partials.inline.clone(),
                block: partial_block,
                outer: closure.depths,
                depth,
                nesting,
            },
        };
        super::super::with_stack(|| self.render_program(program, &frame, out))
    }
}

/// A partial about to run.
struct Call<'a> {
    target: Target<'a>,
    context: JsValue<'a>,
    data: Rc<Data<'a>>,
    partial_block: Option<Rc<BlockBody<'a>>>,
    span: Span,
}

/// The own enumerable properties `for…in` gives `Utils.extend`, in its order.
fn own_properties<'a>(context: &JsValue<'a>) -> Properties<'a> {
    match context {
        JsValue::Object(map) => helpers::js_key_order(map)
            .into_iter()
            .map(|(key, value)| (Cow::Borrowed(key.as_str()), JsValue::from_json(value)))
            .collect(),
        JsValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (Cow::Owned(i.to_string()), JsValue::from_json(item)))
            .collect(),
        // A string's indices, one UTF-16 code unit each.
        JsValue::String(text) => text
            .encode_utf16()
            .enumerate()
            .map(|(i, unit)| {
                let unit = char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}');
                (Cow::Owned(i.to_string()), JsValue::string(unit.to_string()))
            })
            .collect(),
        JsValue::Extended(properties) => (**properties).clone(),
        JsValue::Undefined
        | JsValue::Null
        | JsValue::Bool(_)
        | JsValue::Number(_)
        | JsValue::Options => Vec::new(),
    }
}

/// Appends `text` with `indent` before each line but a last empty one, as `invokePartial`
/// splits a partial's output on `\n`.
fn indent_lines(text: &str, indent: &str, out: &mut String) {
    let mut lines = text.split('\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        if !first {
            out.push('\n');
        }
        first = false;
        if !(line.is_empty() && lines.peek().is_none()) {
            out.push_str(indent);
        }
        out.push_str(line);
    }
}

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

use super::super::appends::Rendered;
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
        let frame = &decorator_frame(frame);
        let mut arguments = sexpr
            .params()
            .iter()
            .chain(sexpr.hash().iter().map(|(_, value)| value));
        if let Some(Expr::Sub(sub)) = arguments.find(|expr| matches!(expr, Expr::Sub(_))) {
            return Err(self.error(
                ErrorKind::TypeError,
                sub.span,
                "a decorator's parameters cannot call helpers (Handlebars.js: helpers is not defined)",
            ));
        }
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
            Some(other) => self.converted(other.to_js_string(), sexpr.span)?,
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
    ) -> Result<Rendered> {
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
                    self.converted(value.to_js_string(), sexpr.span)?
                        .into_owned()
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
        // The generated code assigns the hash's keys last to first (`assignToHash` as it
        // pops them): that is the order they join the object in, and of two alike the
        // first written wins.
        for (key, value) in values.into_iter().rev() {
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
    ) -> Result<Rendered> {
        let span = call.span;
        let mut written = String::new();
        let rendered = match &self.tracer {
            Some(tracer) => tracer.muted(|| self.run_partial(call, frame, &mut written))?,
            None => self.run_partial(call, frame, &mut written)?,
        };
        if let Rendered::Primitive(_) = rendered {
            // `invokePartial` splits what the partial returned into lines: a number has no
            // `split`.
            return Err(self.error(ErrorKind::TypeError, span, "result.split is not a function"));
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
        Ok(Rendered::Text)
    }

    /// Runs a partial found: an inline partial's body, or a partial block's.
    /// Its value is what the partial's program returns, a number included: an inline
    /// partial is a program function, which does not make a string of its result.
    fn run_partial(
        &self,
        call: Call<'a>,
        caller: &Frame<'a>,
        out: &mut String,
    ) -> Result<Rendered> {
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
            return Ok(Rendered::Text);
        };
        // `wrapProgram`: the context joins the closed-over depths unless it is the one at
        // their head.
        let depths = match &closure.depths {
            Some(depths)
                if self.converted(call.context.loose_equals(&depths.context), call.span)? =>
            {
                depths.clone()
            }
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

/// What a decorator's parameters are read against: the generated decorator function's
/// `depth0`, the head of the depths the program was invoked from — undefined for the
/// template itself — and not the program's own context.
fn decorator_frame<'a>(frame: &Frame<'a>) -> Frame<'a> {
    let depths = frame.partials.outer.clone().unwrap_or_else(|| {
        Rc::new(Depth {
            context: JsValue::Undefined,
            parent: None,
        })
    });
    Frame {
        context: depths.context.clone(),
        depths,
        ..frame.clone()
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

/// One test per rule. Each expected output or error is what Handlebars.js 4.7.8 renders for
/// the same template and context (`Handlebars.compile(template, {strict: true})`).
#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::engine::{ErrorKind, LOOP_STEPS, Template};

    fn render(template: &str, context: Value) -> String {
        Template::compile(template)
            .and_then(|t| t.render(&context))
            .unwrap_or_else(|e| panic!("{template}: {e}"))
    }

    fn error(template: &str, context: Value) -> crate::engine::EngineError {
        match Template::compile(template).and_then(|t| t.render(&context)) {
            Ok(out) => panic!("{template} rendered {out:?}, expected an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn inline_registers_a_partial_before_the_program_runs() {
        // As Handlebars.js 4.7.8 renders it.
        assert_eq!(
            render(r#"{{#*inline "p"}}x{{/inline}}{{> p}}"#, json!({})),
            "x"
        );
        assert_eq!(
            render(r#"{{> p}}{{#*inline "p"}}x{{/inline}}"#, json!({})),
            "x"
        );
        // The last of two with one name wins.
        assert_eq!(
            render(
                r#"{{#*inline "p"}}a{{/inline}}{{#*inline "p"}}b{{/inline}}{{> p}}"#,
                json!({})
            ),
            "b"
        );
        // An empty body renders nothing.
        assert_eq!(
            render(r#"{{#*inline "p"}}{{/inline}}[{{> p}}]"#, json!({})),
            "[]"
        );
    }

    #[test]
    fn inline_partials_last_while_their_program_runs() {
        // As Handlebars.js 4.7.8 renders it: a block's partial is gone after the block, an
        // inner one hides an outer one while it runs, and a partial sees those of whoever
        // calls it.
        let e = error(
            r#"{{#if true}}{{#*inline "p"}}x{{/inline}}{{/if}}{{> p}}"#,
            json!({}),
        );
        assert_eq!(e.kind, ErrorKind::MissingPartial);
        assert_eq!(e.message, "The partial p could not be found");
        assert_eq!(
            render(
                r#"{{#*inline "p"}}outer{{/inline}}{{#if true}}{{#*inline "p"}}inner{{/inline}}{{> p}}{{/if}}{{> p}}"#,
                json!({})
            ),
            "innerouter"
        );
        assert_eq!(
            render(
                r#"{{#*inline "a"}}{{> b}}{{/inline}}{{#if true}}{{#*inline "b"}}B{{/inline}}{{> a}}{{/if}}"#,
                json!({})
            ),
            "B"
        );
        assert_eq!(
            render(
                r#"{{#each xs}}{{#*inline "p"}}[{{this}}]{{/inline}}{{> p}}{{/each}}"#,
                json!({"xs": [1, 2]})
            ),
            "[1][2]"
        );
    }

    #[test]
    fn other_decorators_are_type_errors() {
        // Handlebars.js 4.7.8: TypeError "lookupProperty(...) is not a function".
        for template in ["{{* foo}}", "{{#*foo}}a{{/foo}}", "{{a.b}}{{* foo}}"] {
            assert_eq!(
                error(template, json!({})).kind,
                ErrorKind::TypeError,
                "{template}"
            );
        }
        // `{{*inline "p"}}` registers undefined, hiding the `p` before it.
        let e = error(
            r#"{{#*inline "p"}}x{{/inline}}{{*inline "p"}}{{> p}}"#,
            json!({}),
        );
        assert_eq!(e.message, "The partial p could not be found");
    }

    #[test]
    fn decorator_parameters_are_read_where_the_program_is_invoked_from() {
        // As Handlebars.js 4.7.8 renders it: `n` is the root's inside `#with o`; at the top
        // there is no such context at all.
        assert_eq!(
            render(
                "{{#with o}}{{#*inline n}}dyn{{/inline}}{{> q}}{{/with}}",
                json!({"n": "q", "o": {"n": "z"}})
            ),
            "dyn"
        );
        let e = error("{{#*inline n}}dyn{{/inline}}{{> q}}", json!({"n": "q"}));
        assert_eq!(e.kind, ErrorKind::TypeError);
    }

    #[test]
    fn a_partial_runs_with_the_context_or_its_argument() {
        // As Handlebars.js 4.7.8 renders it.
        assert_eq!(
            render(
                r#"{{#*inline "p"}}[{{this}}]{{/inline}}{{> p}}{{> p a}}{{> p .}}{{> p 5}}"#,
                json!({"a": "A"})
            ),
            "[[object Object]][A][[object Object]][5]"
        );
        let e = error("{{> p a b}}", json!({}));
        assert!(
            e.message
                .contains("Unsupported number of partial arguments"),
            "{e}"
        );
    }

    #[test]
    fn a_hash_extends_the_context() {
        // As Handlebars.js 4.7.8 renders it: `Utils.extend({}, context, hash)`, in `for…in`
        // order; a literal `undefined` is left out of the hash, a missing path is not.
        assert_eq!(
            render(
                r#"{{#*inline "p"}}{{a}}-{{b}}{{/inline}}{{> p b=2}}|{{> p c b=3}}"#,
                json!({"a": 1, "c": {"a": 5}})
            ),
            "1-2|5-3"
        );
        assert_eq!(
            render(
                r#"{{#*inline "p"}}{{#each this}}{{@key}}={{this}};{{/each}}{{/inline}}{{> p o z=1 a=2}}"#,
                json!({"o": {"b": 1, "2": 2, "a": 0}})
            ),
            "2=2;b=1;a=2;z=1;"
        );
        assert_eq!(
            render(
                r#"{{#*inline "p"}}{{#each this}}{{@key}}{{/each}}{{/inline}}{{#*inline "q"}}{{> p b=2}}{{/inline}}{{> q a=1 c=3}}"#,
                json!({})
            ),
            "cab"
        );
        assert_eq!(
            render(
                r#"{{#*inline "p"}}{{#each this}}{{@key}}={{this}};{{/each}}{{/inline}}{{> p s k=1}}|{{> p arr k=1}}|{{> p n k=1}}"#,
                json!({"s": "ab", "arr": [7, 8], "n": 5})
            ),
            "0=a;1=b;k=1;|0=7;1=8;k=1;|k=1;"
        );
        assert_eq!(
            render(
                r#"{{#*inline "p"}}{{k}}|{{/inline}}{{> p k=nope}}"#,
                json!({})
            ),
            "|"
        );
        let e = error(
            r#"{{#*inline "p"}}{{k}}{{/inline}}{{> p k=undefined}}"#,
            json!({}),
        );
        assert_eq!(e.kind, ErrorKind::StrictMissing);
    }

    #[test]
    fn names_resolve_as_written_or_as_a_subexpression_returns_them() {
        // As Handlebars.js 4.7.8 renders it.
        assert_eq!(
            render(
                r#"{{#*inline "q"}}Q{{/inline}}{{> (lookup . "n")}}{{> "q"}}{{> [q]}}"#,
                json!({"n": "q"})
            ),
            "QQQ"
        );
        let e = error(r#"{{> (lookup . "n")}}"#, json!({"n": 0}));
        assert_eq!(e.message, "The partial undefined could not be found");
        // A partial block opened with a subexpression is closed by `{{/undefined}}`.
        assert_eq!(
            render(r#"{{#> (lookup . "n")}}d{{/undefined}}"#, json!({"n": "q"})),
            "d"
        );
        assert_eq!(
            error(r#"{{#> (lookup . "n")}}d{{/lookup}}"#, json!({"n": "q"})).message,
            "undefined doesn't match lookup"
        );
    }

    #[test]
    fn partial_blocks_render_the_partial_with_their_body_as_partial_block() {
        // As Handlebars.js 4.7.8 renders it.
        assert_eq!(
            render(
                r#"{{#*inline "l"}}[{{> @partial-block}}]{{/inline}}{{#> l}}B{{/l}}"#,
                json!({})
            ),
            "[B]"
        );
        assert_eq!(
            render(
                r#"{{#*inline "l"}}<{{> @partial-block}}>{{/inline}}{{#> l}}{{#> l}}in{{/l}}{{/l}}"#,
                json!({})
            ),
            "<<in>>"
        );
        assert_eq!(
            render(
                r#"{{#*inline "l"}}{{#each items}}{{> @partial-block}}{{/each}}{{/inline}}{{#> l}}{{this}}{{@index}}{{/l}}"#,
                json!({"items": ["a", "b"]})
            ),
            "a0b1"
        );
        // With no such partial, the body is the default.
        assert_eq!(
            render(
                "{{#> missing ctx}}{{v}}{{/missing}}",
                json!({"ctx": {"v": 3}})
            ),
            "3"
        );
        // A partial block's body registers its partials only when it runs.
        let e = error(
            r#"{{#*inline "l"}}[{{> content}}]{{/inline}}{{#> l}}{{#*inline "content"}}C{{/inline}}{{/l}}"#,
            json!({}),
        );
        assert_eq!(e.message, "The partial content could not be found");
        let e = error("{{> @partial-block}}", json!({}));
        assert_eq!(e.message, "The partial @partial-block could not be found");
    }

    #[test]
    fn a_partial_closes_over_the_depths_where_it_is_registered() {
        // As Handlebars.js 4.7.8 renders it: `../` is the context outside `#with a`, where
        // the partial is registered, not the one outside `#with b`, where it is called; a
        // partial registered at the top has nothing above it.
        assert_eq!(
            render(
                r#"{{#with a}}{{#*inline "p"}}{{../x}}{{/inline}}{{#with b}}{{> p}}{{/with}}{{/with}}"#,
                json!({"x": 1, "a": {"x": 2, "b": {"x": 3}}})
            ),
            "1"
        );
        let e = error(
            r#"{{#*inline "p"}}{{../x}}{{/inline}}{{#with a}}{{> p}}{{/with}}"#,
            json!({"x": 1, "a": {"y": 2}}),
        );
        assert_eq!(e.kind, ErrorKind::StrictMissing);
    }

    #[test]
    fn a_partial_sees_the_callers_data() {
        // As Handlebars.js 4.7.8 renders it.
        assert_eq!(
            render(
                r#"{{#each items}}{{> p}}{{/each}}{{#*inline "p"}}{{@index}}{{this}}{{@root.r}}{{/inline}}"#,
                json!({"items": [1, 2], "r": "R"})
            ),
            "01R12R"
        );
    }

    #[test]
    fn standalone_partials_indent_every_line() {
        // As Handlebars.js 4.7.8 renders it: each line but a last empty one, nested partials
        // twice; a `~` or text before the tag leaves it unindented.
        let cases = [
            (
                "{{#*inline \"p\"}}a\nb\n{{/inline}}x\n  {{> p}}\ny",
                "x\n  a\n  b\ny",
            ),
            (
                "{{#*inline \"q\"}}q1\nq2\n{{/inline}}{{#*inline \"p\"}}p1\n  {{> q}}\np2\n{{/inline}}\n  {{> p}}\nend",
                "  p1\n    q1\n    q2\n  p2\nend",
            ),
            (
                "{{#*inline \"p\"}}a\n{{/inline}}  {{~> p}}\nend",
                "a\n\nend",
            ),
            (
                "{{#*inline \"p\"}}a\n{{/inline}}x {{> p}}\nend",
                "x a\n\nend",
            ),
            (
                "{{#*inline \"p\"}}a\n\nb{{/inline}}\t{{> p}}\ny",
                "\ta\n\nb\ny",
            ),
            // A partial block is not indented.
            (
                "{{#*inline \"l\"}}L\n{{/inline}}\n  {{#> l}}\n  body\n  {{/l}}\nend",
                "L\nend",
            ),
            (
                "x\n    {{> p}}\r\ny{{#*inline \"p\"}}1\r\n2\r\n{{/inline}}",
                "x\n    1\r\n    2\r\ny",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template, json!({})), expected, "{template:?}");
        }
    }

    #[test]
    fn a_traced_indented_partial_is_the_render_with_every_byte_attributed() {
        let template =
            Template::compile("{{#*inline \"p\"}}{{a}}\n{{b}}\n{{/inline}}x\n  {{> p}}\ny")
                .unwrap_or_else(|e| panic!("{e}"));
        let context = json!({"a": 1, "b": 2});
        let traced = template
            .render_traced(&context)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(traced.output, "x\n  1\n  2\ny");
        assert_eq!(
            Ok(traced.output.clone()),
            template.render(&context).map_err(|e| e.to_string())
        );
        let mut end = 0;
        for span in &traced.spans {
            assert_eq!(span.output.start, end);
            end = span.output.end;
        }
        assert_eq!(end, traced.output.len());
    }

    #[test]
    fn a_self_recursive_partial_is_an_error_not_a_crash() {
        // Handlebars.js 4.7.8: RangeError "Maximum call stack size exceeded".
        let e = error(r#"{{#*inline "p"}}{{> p}}{{/inline}}{{> p}}"#, json!({}));
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(e.message.contains("512 deep"), "{e}");
        // Recursion through many nested blocks stops at the nesting limit, long before the
        // stack is gigabytes deep.
        let nested = format!(
            "{{{{#*inline \"p\"}}}}{}{{{{> p}}}}{}{{{{/inline}}}}{{{{> p}}}}",
            "{{#if true}}".repeat(400),
            "{{/if}}".repeat(400)
        );
        let e = error(&nested, json!({}));
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        // Twice at each level: the step budget stops it.
        let e = error(
            r#"{{#*inline "p"}}{{> p}}{{> p}}{{/inline}}{{> p}}"#,
            json!({}),
        );
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
    }

    #[test]
    fn wide_but_shallow_partials_stay_within_budget() {
        let items: Vec<u32> = (0..20_000).collect();
        let template = r#"{{#*inline "q"}}{{this}}{{/inline}}{{#*inline "p"}}{{> q}},{{/inline}}{{#each items}}{{> p}}{{/each}}"#;
        let compiled = Template::compile(template).unwrap_or_else(|e| panic!("{e}"));
        let out = compiled
            .render(&json!({"items": items}))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.matches(',').count(), 20_000);
        // Each item costs a handful of steps: a fraction of the loop allowance.
        let steps = compiled.work().render_steps;
        assert!(steps < LOOP_STEPS / 5, "{steps} steps");
    }
}

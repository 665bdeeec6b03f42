//! A Handlebars engine with the semantics of Handlebars.js 4.7.8 compiled with `strict: true`
//! and the integration framework's helpers, byte for byte.
//!
//! The rest of ldhook compiles with [`Template::compile`] and renders with [`Template::render`];
//! rules that point at the template also ask what it reads ([`Template::references`]), which
//! blocks it opens ([`Template::blocks`]), which comments it holds ([`Template::comments`]), which tag wrote each part of an output
//! ([`Template::render_traced`]) and where an offset is ([`Template::line_column`]). Behind
//! them is our own lexer, parser and interpreter rather than the `handlebars` crate: its
//! parser rejects forms Handlebars.js accepts (`{{^if a}}`, `{{.}}`, literal paths), its
//! compile time grows with the square of the number of mustaches, and matching Handlebars.js
//! through it needs rewrites of its internal template tree. The grammar is small; owning it
//! keeps every rule visible and testable here.

mod appends;
mod ast;
mod blocks;
mod budget;
mod comments;
mod dates;
mod error;
mod eval;
mod helpers;
mod lexer;
mod parser;
mod prototypes;
mod references;
mod text;
mod trace;
mod value;
mod whitespace;
mod work;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

pub use ast::MAX_SOURCE_BYTES;
pub use blocks::BlockCall;
pub use budget::{EvalBudget, LOOP_STEPS, MAX_TEXT_BYTES};
pub use comments::Comment;
pub use error::{EngineError, ErrorKind, TemplatePosition};
pub use parser::MAX_NESTING;
pub use references::{Output, Reference};
pub use text::{json_escape_str, json_escape_value};
pub use trace::{OutputSpan, Traced, Written};
#[doc(hidden)]
pub use work::Work;

use error::LineIndex;
use work::WorkCounters;

/// A compiled template. Clones share it: the parsed program, which may nest too deep to copy
/// on a small stack, the source its text is taken from, and the work counted for it.
#[derive(Debug, Clone)]
pub struct Template {
    compiled: Arc<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    source: Box<str>,
    program: ast::Program,
    /// Built the first time a line and column are needed.
    lines: OnceLock<LineIndex>,
    /// The length of the last output: the next render reserves that much at once.
    last_output: AtomicUsize,
    work: WorkCounters,
}

impl Template {
    /// Parses `source`; the error carries the line and column of the first problem.
    pub fn compile(source: &str) -> Result<Template, EngineError> {
        if source.len() > MAX_SOURCE_BYTES {
            return Err(EngineError::new(
                ErrorKind::Parse,
                format!(
                    "the template is {} bytes; the engine compiles at most {MAX_SOURCE_BYTES}",
                    source.len()
                ),
            ));
        }
        let mut work = Work::default();
        let program = parser::parse(source, &mut work)
            .map_err(|error| error.located(source, &LineIndex::new(source)).0)?;
        let counters = WorkCounters::default();
        counters.add(work);
        Ok(Template {
            compiled: Arc::new(Compiled {
                source: source.into(),
                program,
                lines: OnceLock::new(),
                last_output: AtomicUsize::new(source.len()),
                work: counters,
            }),
        })
    }

    pub fn source(&self) -> &str {
        &self.compiled.source
    }

    /// Every path the template reads, in order.
    pub fn references(&self) -> Vec<Reference> {
        let compiled = &*self.compiled;
        let (found, walked) =
            references::collect(&compiled.source, self.lines(), &compiled.program);
        compiled.work.add(Work {
            reference_steps: walked.nodes,
            position_bytes: walked.position_bytes,
            ..Work::default()
        });
        found
    }

    /// Every block the template opens, links of `{{else if …}}` chains included, in source
    /// order.
    pub fn blocks(&self) -> Vec<BlockCall> {
        let compiled = &*self.compiled;
        let (found, visited) = blocks::collect(&compiled.source, &compiled.program);
        compiled.work.add(Work {
            reference_steps: visited,
            ..Work::default()
        });
        found
    }

    /// Every comment the template holds, inside blocks too, in source order.
    pub fn comments(&self) -> Vec<Comment> {
        let compiled = &*self.compiled;
        let (found, visited) = comments::collect(&compiled.source, &compiled.program);
        compiled.work.add(Work {
            reference_steps: visited,
            ..Work::default()
        });
        found
    }

    /// The line and column of byte `offset` of the source, counted as the engine counts them
    /// in its errors: from 1, columns in UTF-16 code units, lines as Handlebars.js breaks
    /// them. An offset inside a character is moved back to its start; one past the end, to
    /// the end.
    pub fn line_column(&self, offset: usize) -> TemplatePosition {
        let (position, cost) = self.lines().position(&self.compiled.source, offset);
        self.compiled.work.add(Work {
            position_bytes: cost,
            ..Work::default()
        });
        position
    }

    /// Renders against `context` exactly as Handlebars.js would, within the template's
    /// [`EvalBudget`]. JSON templates expect the context already passed through
    /// [`json_escape_value`].
    pub fn render(&self, context: &Value) -> Result<String, EngineError> {
        self.render_within(context, EvalBudget::for_template(self.source().len()))
    }

    /// [`Template::render`] for a context the framework's JSON escaper made
    /// ([`json_escape_value`]): it copies objects by assignment, so a `__proto__` key holding
    /// an object is that object's prototype rather than a member, as in JavaScript.
    pub fn render_json_escaped(&self, context: &Value) -> Result<String, EngineError> {
        let budget = EvalBudget::for_template(self.source().len());
        let evaluator = eval::Evaluator::new(&self.compiled.source, budget::Meter::new(budget))
            .with_assigned_objects(true);
        self.run(evaluator, context).0
    }

    /// [`Template::render`], also saying which tag wrote each part of the output. The output
    /// and any error are the same; the budget's count of steps and text is too, so a render
    /// fails here exactly where it fails untraced.
    pub fn render_traced(&self, context: &Value) -> Result<Traced, EngineError> {
        self.traced(context, false)
    }

    /// [`Template::render_traced`] for a context as [`Template::render_json_escaped`] takes.
    pub fn render_traced_json_escaped(&self, context: &Value) -> Result<Traced, EngineError> {
        self.traced(context, true)
    }

    fn traced(&self, context: &Value, assigned: bool) -> Result<Traced, EngineError> {
        let budget = EvalBudget::for_template(self.source().len());
        let evaluator = eval::Evaluator::new(&self.compiled.source, budget::Meter::new(budget))
            .with_assigned_objects(assigned)
            .traced();
        let (output, evaluator) = self.run(evaluator, context);
        let output = output?;
        Ok(Traced {
            output,
            spans: evaluator.into_spans(),
        })
    }

    /// [`Template::render`] with other limits.
    pub(crate) fn render_within(
        &self,
        context: &Value,
        budget: EvalBudget,
    ) -> Result<String, EngineError> {
        let evaluator = eval::Evaluator::new(&self.compiled.source, budget::Meter::new(budget));
        self.run(evaluator, context).0
    }

    /// Renders with `evaluator`, counting its work, and hands it back for what it recorded.
    fn run<'t>(
        &'t self,
        evaluator: eval::Evaluator<'t>,
        context: &'t Value,
    ) -> (Result<String, EngineError>, eval::Evaluator<'t>) {
        let compiled = &*self.compiled;
        let frame = eval::Frame::root(value::JsValue::from_json(context));
        // Renders of one template with different events are usually about as long: the last
        // one's length (at first, the template's) is reserved, not grown to by copying.
        let mut out = String::with_capacity(compiled.last_output.load(Ordering::Relaxed));
        // The template's result is `'' + main()`: a number its appends added up to, written.
        let rendered = evaluator
            .render_program(&compiled.program, &frame, &mut out)
            .map(|rendered| {
                rendered.write(&mut out);
                evaluator.finish_trace(out.len());
            });
        let (steps, text_bytes) = evaluator.spent();
        compiled.work.add(Work {
            render_steps: steps,
            render_text_bytes: work::bytes(text_bytes),
            ..Work::default()
        });
        if let Err(error) = rendered {
            return (Err(self.located(error)), evaluator);
        }
        compiled.last_output.store(out.len(), Ordering::Relaxed);
        out.shrink_to_fit();
        (Ok(out), evaluator)
    }

    /// What compiling this template and every call on it so far have taken: a deterministic
    /// count, for tests of how the engine grows with its input.
    #[doc(hidden)]
    pub fn work(&self) -> Work {
        self.compiled.work.total()
    }

    fn lines(&self) -> &LineIndex {
        self.compiled.lines.get_or_init(|| {
            let source = &*self.compiled.source;
            self.compiled.work.add(Work {
                position_bytes: LineIndex::build_cost(source),
                ..Work::default()
            });
            LineIndex::new(source)
        })
    }

    fn located(&self, error: EngineError) -> EngineError {
        let (error, cost) = error.located(&self.compiled.source, self.lines());
        self.compiled.work.add(Work {
            position_bytes: cost,
            ..Work::default()
        });
        error
    }
}

/// Stack a single recursive step may use before [`with_stack`] next checks: below this much
/// left, the step first gets a new segment.
const STACK_RED_ZONE: usize = 128 * 1024;

/// The size of each new stack segment: room for many nesting levels, so segments are rare.
const STACK_SEGMENT: usize = 2 * 1024 * 1024;

/// Runs a step of the recursive parser or interpreter, first growing the stack when little is
/// left: nesting depth comes from the template, and callers' threads may have small stacks.
fn with_stack<T>(step: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, step)
}

/// Whether the framework treats a template file as JSON: its name ends in `.json` or
/// `.json.hbs`, in any case.
#[allow(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "the name is lowercased first"
)]
pub(crate) fn is_json_template(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".json") || lower.ends_with(".json.hbs")
}

#[cfg(test)]
mod reference_tests;
#[cfg(test)]
mod tests;

//! A Handlebars engine with the semantics of Handlebars.js 4.7.8 compiled with `strict: true`
//! and the integration framework's helpers, byte for byte.
//!
//! The rest of ldhook sees two calls: [`Template::compile`] and [`Template::render`]. Behind
//! them is our own lexer, parser and interpreter rather than the `handlebars` crate: its
//! parser rejects forms Handlebars.js accepts (`{{^if a}}`, `{{.}}`, literal paths), its
//! compile time grows with the square of the number of mustaches, and matching Handlebars.js
//! through it needs rewrites of its internal template tree. The grammar is small; owning it
//! keeps every rule visible and testable here.

mod ast;
mod budget;
mod dates;
mod error;
mod eval;
mod helpers;
mod lexer;
mod parser;
mod references;
mod text;
mod value;
mod whitespace;

use std::sync::Arc;

use serde_json::Value;

pub use budget::{EvalBudget, LOOP_STEPS, MAX_TEXT_BYTES};
pub use error::{EngineError, ErrorKind, TemplatePosition};
pub use parser::MAX_NESTING;
pub use references::Reference;
pub use text::{json_escape_str, json_escape_value};

/// A compiled template. Clones share the parsed program, which may nest too deep to copy on a
/// small stack.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    program: Arc<ast::Program>,
}

impl Template {
    /// Parses `source`; the error carries the line and column of the first problem.
    pub fn compile(source: &str) -> Result<Template, EngineError> {
        Ok(Template {
            source: source.to_string(),
            program: Arc::new(parser::parse(source)?),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every path the template reads, in order.
    pub fn references(&self) -> Vec<Reference> {
        references::collect(&self.source, &self.program)
    }

    /// Renders against `context` exactly as Handlebars.js would, within the template's
    /// [`EvalBudget`]. JSON templates expect the context already passed through
    /// [`json_escape_value`].
    pub fn render(&self, context: &Value) -> Result<String, EngineError> {
        self.render_within(context, EvalBudget::for_template(self.source.len()))
    }

    /// [`Template::render`] with other limits.
    pub fn render_within(
        &self,
        context: &Value,
        budget: EvalBudget,
    ) -> Result<String, EngineError> {
        let evaluator = eval::Evaluator {
            source: &self.source,
            meter: budget::Meter::new(budget),
        };
        let frame = eval::Frame::root(value::JsValue::from_json(context));
        let mut out = String::new();
        evaluator.render_program(&self.program, &frame, &mut out)?;
        Ok(out)
    }
}

/// Runs a step of the recursive parser or interpreter, first growing the stack when little is
/// left: nesting depth comes from the template, and callers' threads may have small stacks.
fn with_stack<T>(step: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, step)
}

/// Whether the framework treats a template file as JSON: its name ends in `.json` or
/// `.json.hbs`, in any case.
pub fn is_json_template(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".json") || lower.ends_with(".json.hbs")
}

#[cfg(test)]
mod tests;

//! How much work one render may do. Handlebars.js has no such limit; ldhook needs one because a
//! template of a few hundred bytes (ten nested `{{#each @root}}`) would otherwise run for hours,
//! and a chain of helpers can grow a string past any memory, with nothing to show for it.
//!
//! Measured over every render case of the conformance corpus and every public integration's
//! template with every sample event, the most any render takes is 96 steps
//! (datadog `default.json.hbs`), produces 3,483 bytes of text as counted here (dynatrace
//! `flag.json.hbs`) and writes 1,272 bytes of output (zapier `default.json.hbs`), each with
//! `flag/targeting-rule-update` or `flag/copy`. The limits below are over 10,000 times that.

use std::cell::Cell;

const MIB: usize = 1024 * 1024;

/// Steps a render may take beyond one pass through its template: what loops may add.
pub const LOOP_STEPS: u64 = 1_000_000;

/// Bytes of text a render may produce: four times a 64 MiB body.
pub const MAX_TEXT_BYTES: usize = 256 * MIB;

/// The limits of one render.
///
/// A *step* is a statement rendered (text, comment or tag), a block body run (once per `#each`
/// item) or a subexpression evaluated. Each takes at least one byte of source, so a template
/// rendered once through takes at most one step per byte of it, whatever its size; the
/// budget allows that plus [`LOOP_STEPS`].
///
/// *Text* is every byte written into the output of a program, plus the strings that literal
/// parameters and subexpressions produce. A block's output counts once for the statements
/// inside the block that write it and again for the block statement around them, so deep
/// nesting counts it at each level. Rendering writes it only once, straight into the output;
/// the count per level keeps the limit what it was when each level copied it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalBudget {
    pub steps: u64,
    pub text_bytes: usize,
}

impl EvalBudget {
    /// The budget for rendering a template of `source_len` bytes.
    pub(crate) fn for_template(source_len: usize) -> EvalBudget {
        let pass = u64::try_from(source_len).unwrap_or(u64::MAX);
        EvalBudget {
            steps: LOOP_STEPS.saturating_add(pass),
            text_bytes: MAX_TEXT_BYTES,
        }
    }
}

/// What a render has spent of its budget so far.
#[derive(Debug)]
pub(super) struct Meter {
    budget: EvalBudget,
    steps: Cell<u64>,
    text_bytes: Cell<usize>,
}

impl Meter {
    pub(super) fn new(budget: EvalBudget) -> Meter {
        Meter {
            budget,
            steps: Cell::new(0),
            text_bytes: Cell::new(0),
        }
    }

    /// Adds to what has been spent; past a limit, the message that names it.
    pub(super) fn spend(&self, steps: u64, text_bytes: usize) -> Result<(), String> {
        let spent_steps = self.steps.get().saturating_add(steps);
        let spent_bytes = self.text_bytes.get().saturating_add(text_bytes);
        self.steps.set(spent_steps);
        self.text_bytes.set(spent_bytes);
        if spent_steps > self.budget.steps {
            return Err(format!(
                "rendering stopped: more than {} steps, the limit for this template (one per byte of it, plus {LOOP_STEPS} for loops; a step is a statement rendered, a block body run or a subexpression evaluated)",
                self.budget.steps
            ));
        }
        if spent_bytes > self.budget.text_bytes {
            return Err(format!(
                "rendering stopped: more than {} of text produced, the limit for one render (a nested block's output counts once more for each block around it)",
                describe_bytes(self.budget.text_bytes)
            ));
        }
        Ok(())
    }
}

impl Meter {
    /// Steps and text spent so far.
    pub(super) fn spent(&self) -> (u64, usize) {
        (self.steps.get(), self.text_bytes.get())
    }
}

fn describe_bytes(bytes: usize) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

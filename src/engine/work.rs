//! A deterministic measure of the work the engine does for a template, so tests can assert
//! that it grows linearly with the template without timing anything.
//!
//! Each pass counts at the place it does the work: the lexer every byte each of its searches
//! examines (a byte searched twice counts twice), the parser every token it reads, the
//! whitespace pass every statement and byte it looks at, the reference and block walks every
//! node, the evaluator its budget's steps and text (a traced render the same as a plain one),
//! and line/column lookups every byte they count.

use std::sync::atomic::{AtomicU64, Ordering};

#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Bytes the lexer's searches examined.
    pub lexed_bytes: u64,
    /// Tokens the parser read.
    pub parsed_tokens: u64,
    /// Statements and bytes of text the whitespace pass examined.
    pub whitespace_steps: u64,
    /// Statements and expressions the reference walk visited, and statements the block walk
    /// visited.
    pub reference_steps: u64,
    /// Evaluation steps of every render, as [`EvalBudget`](super::EvalBudget) counts them.
    pub render_steps: u64,
    /// Text every render produced, as [`EvalBudget`](super::EvalBudget) counts it.
    pub render_text_bytes: u64,
    /// Bytes examined to turn offsets into lines and columns, building the index included.
    pub position_bytes: u64,
}

impl Work {
    pub fn total(&self) -> u64 {
        [
            self.lexed_bytes,
            self.parsed_tokens,
            self.whitespace_steps,
            self.reference_steps,
            self.render_steps,
            self.render_text_bytes,
            self.position_bytes,
        ]
        .into_iter()
        .fold(0, u64::saturating_add)
    }
}

/// The work done for one template so far, shared by its clones, which may be used on several
/// threads at once.
#[derive(Debug, Default)]
pub(super) struct WorkCounters {
    lexed_bytes: AtomicU64,
    parsed_tokens: AtomicU64,
    whitespace_steps: AtomicU64,
    reference_steps: AtomicU64,
    render_steps: AtomicU64,
    render_text_bytes: AtomicU64,
    position_bytes: AtomicU64,
}

impl WorkCounters {
    pub(super) fn add(&self, work: Work) {
        let add = |counter: &AtomicU64, n: u64| {
            if n > 0 {
                counter.fetch_add(n, Ordering::Relaxed);
            }
        };
        add(&self.lexed_bytes, work.lexed_bytes);
        add(&self.parsed_tokens, work.parsed_tokens);
        add(&self.whitespace_steps, work.whitespace_steps);
        add(&self.reference_steps, work.reference_steps);
        add(&self.render_steps, work.render_steps);
        add(&self.render_text_bytes, work.render_text_bytes);
        add(&self.position_bytes, work.position_bytes);
    }

    pub(super) fn total(&self) -> Work {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Work {
            lexed_bytes: get(&self.lexed_bytes),
            parsed_tokens: get(&self.parsed_tokens),
            whitespace_steps: get(&self.whitespace_steps),
            reference_steps: get(&self.reference_steps),
            render_steps: get(&self.render_steps),
            render_text_bytes: get(&self.render_text_bytes),
            position_bytes: get(&self.position_bytes),
        }
    }
}

/// A byte count as work.
pub(super) fn bytes(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

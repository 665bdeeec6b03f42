//! `init`: from answers to an integration directory that passes `validate` and renders at once.
//!
//! ```text
//! answers (flags | prompts, checked by checks.rs) ─▶ files::plan (in memory) ─▶ write: stage in a
//! temporary directory beside the destination, validate it there, then rename it into place
//! (no-replace), fill an empty destination in place, or with --force swap out an integration
//! ```

mod answers;
mod checks;
mod choices;
mod files;
mod icons;
pub mod prettier;
mod readme;
mod templates;
mod write;

pub use answers::{
    Answers, DEFAULT_AUTH_HEADER, DerivedProblem, Draft, DraftError, Field, derive_key,
};
pub use checks::check;
pub use choices::{Auth, BodyFormat, Method, PolicyPreset};
pub use files::{PlannedFile, plan};
pub use write::{Outcome, Placement, Refusal, WriteError, destination, write};

/// The categories the embedded schema allows, in its order.
pub fn categories() -> Vec<String> {
    crate::schema::embedded_categories()
}

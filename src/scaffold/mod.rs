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
mod questions;
mod reach;
mod readme;
mod templates;
mod write;

pub use answers::{Answers, DerivedProblem, Draft, DraftError, derive_key};
pub use checks::check;
pub use choices::{Auth, BodyFormat, Method, PolicyPreset};
pub use files::{PlannedFile, plan};
pub use questions::{Check, DefaultAnswer, Field, QUESTIONS, Question};
pub use reach::widening_note;
pub use write::{Outcome, Placement, Refusal, WriteError, destination, write};

/// The categories the embedded schema allows, in its order; `build.rs` reads them from the
/// schema, so that no command parses it just to build its flags.
static CATEGORIES: &[&str] = include!(concat!(env!("OUT_DIR"), "/embedded_categories.rs"));

/// The categories, in alphabetical order: as `--help` and the prompt list them.
pub fn categories() -> Vec<String> {
    let mut sorted: Vec<String> = CATEGORIES
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    sorted.sort();
    sorted
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_categories_are_the_embedded_schemas() {
        let categories = super::categories();
        assert!(categories.len() > 10, "{categories:?}");
        assert!(categories.is_sorted(), "{categories:?}");
        let mut schemas = crate::schema::embedded_categories();
        schemas.sort();
        assert_eq!(categories, schemas);
    }
}

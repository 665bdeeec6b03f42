//! The checks beyond the schema, one module per part of the manifest they read. The rules
//! they report are declared in [`crate::registry`].

pub(crate) mod checkout;
mod endpoint_url;
mod form;
mod hook;
mod json_output;
mod json_text;
mod listing;
mod precommit;
mod snapshots;
mod subject;
mod suppression;

use crate::registry::*;
/// For scaffold's test that the icons it writes pass the icon rule.
#[cfg(test)]
pub(crate) use listing::svg_problem;
pub(crate) use subject::Subject;

use crate::diagnostics::Diagnostic;

/// Every rule about one integration beyond the schema, in a stable order.
/// `contexts` are the caller's copies of `subject.events`, which the template rules borrow.
pub(crate) fn check_integration(
    subject: &Subject,
    contexts: &mut crate::context::EventContexts,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    listing::check(subject, &mut out);
    form::check(subject, &mut out);
    hook::check(subject, contexts, &mut out);
    if subject.placed {
        precommit::check(subject, &mut out);
    }
    if subject.placed && subject.snapshots {
        snapshots::check(subject, &mut out);
    }
    out
}

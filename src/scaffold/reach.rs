//! Which templates `init` writes: those the chosen policy preset can reach. A template no
//! delivered event is routed to is dead weight that `validate` reports (LDH208), so the answer
//! comes from the library's own routing and policy evaluation over the embedded sample events,
//! not from a list kept beside the presets.

use serde_json::{Value, json};

use super::answers::Answers;
use super::choices::PolicyPreset;
use super::files::template_path;
use crate::events::{EventSet, SampleEvent};
use crate::manifest::model::AuditLogEventsHook;
use crate::policy::{Access, Policy};
use crate::routing::{self, Routing, TemplateKind};

/// The event templates `init` has a body for, in the order it writes them; `validation` is
/// what the "test connection" button sends, so it is always written.
const EVENT_TEMPLATES: [TemplateKind; 2] = [TemplateKind::Flag, TemplateKind::Default];

/// The preset's one `allow` statement, as the manifest's `defaultPolicy` holds it.
pub(super) fn policy_statement(preset: PolicyPreset) -> Value {
    json!({"effect": "allow", "actions": ["*"], "resources": preset.resources()})
}

/// The template kinds to write for `preset`, `validation` last.
pub(super) fn template_kinds(preset: PolicyPreset) -> Vec<TemplateKind> {
    let reached = reached(preset);
    EVENT_TEMPLATES
        .into_iter()
        .filter(|kind| reached.contains(kind))
        .chain([TemplateKind::Validation])
        .collect()
}

/// The event templates left out for `preset`, for the note on how to add one.
pub(super) fn left_out(preset: PolicyPreset) -> Vec<TemplateKind> {
    let written = template_kinds(preset);
    EVENT_TEMPLATES
        .into_iter()
        .filter(|kind| !written.contains(kind))
        .collect()
}

/// How to add the templates left out, for when the user widens the policy; `None` when every
/// event template was written.
pub fn widening_note(answers: &Answers) -> Option<String> {
    let missing = left_out(answers.policy);
    if missing.is_empty() {
        return None;
    }
    let names: Vec<String> = missing
        .iter()
        .map(|kind| format!("`{}`", kind.as_str()))
        .collect();
    let entries: Vec<String> = missing
        .iter()
        .map(|kind| {
            format!(
                "\"{}\": \"{}\"",
                kind.as_str(),
                template_path(kind.as_str(), answers.body)
            )
        })
        .collect();
    Some(format!(
        "The default policy delivers only {}, so no {} template was written: no event it \
         delivers would use it. If you widen `defaultPolicy`, add one for the new events: write \
         the file and name it in manifest.json under `capabilities.auditLogEventsHook.templates` \
         ({}); `ldhook validate` then renders it with every sample event it receives.",
        answers.policy.events_phrase(),
        names.join(" or "),
        entries.join(", ")
    ))
}

/// The kinds some delivered event is routed to when every event template is present. Leaving
/// out the others changes no delivered event's route: an event goes to its own kind's
/// template, kept because it reached it, or else to `default`, kept for the same reason.
fn reached(preset: PolicyPreset) -> Vec<TemplateKind> {
    let Ok(policy) = Policy::from_json(&Value::Array(vec![policy_statement(preset)])) else {
        // A preset the evaluator cannot read is a bug that `validate` reports on what is
        // written; writing every template keeps the scaffold otherwise whole.
        return EVENT_TEMPLATES.to_vec();
    };
    let hook = AuditLogEventsHook {
        templates: EVENT_TEMPLATES
            .iter()
            .map(|kind| (kind.as_str().to_string(), kind.as_str().to_string()))
            .collect(),
        ..AuditLogEventsHook::default()
    };
    let mut reached = Vec::new();
    for event in &EventSet::embedded().events {
        if !delivered(&policy, event) {
            continue;
        }
        if let Routing::Template(route) = routing::route(&hook, event.kind())
            && !reached.contains(&route.kind)
        {
            reached.push(route.kind);
        }
    }
    reached
}

fn delivered(policy: &Policy, event: &SampleEvent) -> bool {
    Access::from_event(event.value()).is_some_and(|access| policy.evaluate(&access).delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_only_presets_reach_no_default_template() {
        for preset in [PolicyPreset::ProductionFlags, PolicyPreset::AllFlags] {
            assert_eq!(
                template_kinds(preset),
                [TemplateKind::Flag, TemplateKind::Validation],
                "{preset}"
            );
            assert_eq!(left_out(preset), [TemplateKind::Default], "{preset}");
        }
    }

    #[test]
    fn everything_reaches_both_event_templates() {
        assert_eq!(
            template_kinds(PolicyPreset::Everything),
            [
                TemplateKind::Flag,
                TemplateKind::Default,
                TemplateKind::Validation
            ]
        );
        assert!(left_out(PolicyPreset::Everything).is_empty());
    }
}

//! Which template renders which event, and why: a kind's own template for flag,
//! project, environment and member events, else `default`; `validation` for the "test
//! connection" button; no template at all with the standard webhook payload.

use crate::manifest::model::AuditLogEventsHook;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TemplateKind {
    Flag,
    Project,
    Environment,
    Member,
    Default,
    Validation,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 6] = [
        TemplateKind::Flag,
        TemplateKind::Project,
        TemplateKind::Environment,
        TemplateKind::Member,
        TemplateKind::Default,
        TemplateKind::Validation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Flag => "flag",
            TemplateKind::Project => "project",
            TemplateKind::Environment => "environment",
            TemplateKind::Member => "member",
            TemplateKind::Default => "default",
            TemplateKind::Validation => "validation",
        }
    }

    pub fn parse(name: &str) -> Option<TemplateKind> {
        TemplateKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The kind of template made for events of `event_kind`, if there is one.
    pub(crate) fn for_event_kind(event_kind: &str) -> Option<TemplateKind> {
        match event_kind {
            "flag" => Some(TemplateKind::Flag),
            "project" => Some(TemplateKind::Project),
            "environment" => Some(TemplateKind::Environment),
            "member" => Some(TemplateKind::Member),
            _ => None,
        }
    }
}

/// A template chosen for an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub kind: TemplateKind,
    /// The template's path as the manifest gives it, relative to the integration directory.
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Routing {
    Template(Route),
    /// `useStandardWebhookPayload`: LaunchDarkly sends its own payload.
    StandardPayload,
    /// No template serves this event, so nothing is sent.
    NotSent {
        reason: String,
    },
}

/// The template an event of `event_kind` is rendered with.
pub(crate) fn route(hook: &AuditLogEventsHook, event_kind: &str) -> Routing {
    if hook.use_standard_webhook_payload {
        return Routing::StandardPayload;
    }
    let own = TemplateKind::for_event_kind(event_kind);
    if let Some(kind) = own
        && let Some(path) = hook.templates.get(kind.as_str())
    {
        return Routing::Template(Route {
            kind,
            path: path.clone(),
            reason: format!("{event_kind} events use the `{}` template", kind.as_str()),
        });
    }
    let why_not_own = match own {
        Some(kind) => format!("there is no `{}` template", kind.as_str()),
        None => format!("{event_kind} events have no template kind of their own"),
    };
    match hook.templates.get(TemplateKind::Default.as_str()) {
        Some(path) => Routing::Template(Route {
            kind: TemplateKind::Default,
            path: path.clone(),
            reason: format!("{why_not_own}, so the `default` template"),
        }),
        None => Routing::NotSent {
            reason: format!("{why_not_own} and no `default` template, so nothing is sent"),
        },
    }
}

/// A template asked for by name (`--template KEY`), or what the "test connection" button sends.
pub fn forced(hook: &AuditLogEventsHook, kind: TemplateKind) -> Result<Route, String> {
    if let Some(path) = hook.templates.get(kind.as_str()) {
        Ok(Route {
            kind,
            path: path.clone(),
            reason: if kind == TemplateKind::Validation {
                "the `validation` template is what the \"test connection\" button sends".to_string()
            } else {
                format!("the `{}` template, as asked", kind.as_str())
            },
        })
    } else {
        let present: Vec<&str> = hook.templates.keys().map(String::as_str).collect();
        Err(format!(
            "the integration has no `{}` template (it has: {})",
            kind.as_str(),
            if present.is_empty() {
                "none".to_string()
            } else {
                present.join(", ")
            }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(kinds: &[&str]) -> AuditLogEventsHook {
        AuditLogEventsHook {
            templates: kinds
                .iter()
                .map(|k| (k.to_string(), format!("templates/{k}.hbs")))
                .collect(),
            ..AuditLogEventsHook::default()
        }
    }

    fn chosen(hook: &AuditLogEventsHook, event_kind: &str) -> Option<TemplateKind> {
        match route(hook, event_kind) {
            Routing::Template(route) => Some(route.kind),
            _ => None,
        }
    }

    #[test]
    fn each_kind_uses_its_own_template() {
        let all = hook(&["flag", "project", "environment", "member", "default"]);
        for kind in ["flag", "project", "environment", "member"] {
            assert_eq!(chosen(&all, kind).map(TemplateKind::as_str), Some(kind));
        }
    }

    #[test]
    fn other_kinds_and_missing_templates_fall_back_to_default() {
        let some = hook(&["flag", "default"]);
        assert_eq!(chosen(&some, "project"), Some(TemplateKind::Default));
        assert_eq!(chosen(&some, "segment"), Some(TemplateKind::Default));
        assert_eq!(chosen(&some, "metric"), Some(TemplateKind::Default));
        let Routing::Template(route) = route(&some, "segment") else {
            panic!("routed")
        };
        assert_eq!(
            route.reason,
            "segment events have no template kind of their own, so the `default` template"
        );
    }

    #[test]
    fn without_default_an_event_is_not_sent() {
        let flag_only = hook(&["flag", "validation"]);
        assert!(matches!(
            route(&flag_only, "project"),
            Routing::NotSent { .. }
        ));
        assert_eq!(chosen(&flag_only, "flag"), Some(TemplateKind::Flag));
    }

    #[test]
    fn validation_is_never_chosen_by_routing() {
        let validation_only = hook(&["validation"]);
        assert!(matches!(
            route(&validation_only, "flag"),
            Routing::NotSent { .. }
        ));
        assert!(forced(&validation_only, TemplateKind::Validation).is_ok());
        assert!(
            forced(&validation_only, TemplateKind::Flag)
                .unwrap_err()
                .contains("it has: validation")
        );
    }

    #[test]
    fn the_standard_payload_uses_no_template() {
        let standard = AuditLogEventsHook {
            use_standard_webhook_payload: true,
            ..hook(&[])
        };
        assert_eq!(route(&standard, "flag"), Routing::StandardPayload);
    }
}

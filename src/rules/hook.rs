//! The audit-log hook: its templates rendered against the sample events, its endpoint, and its
//! default policy.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::json_output::{BrokenJson, broken_json};
use super::subject::{self, Subject, hook as hook_pointer};
use super::*;
use crate::context::{self, EventContexts, ValueSource};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::engine::{EngineError, Template, is_json_template};
use crate::events::SampleEvent;
use crate::integration::FileError;
use crate::manifest::model::{AuditLogEventsHook, FormVariableKind};
use crate::pointer::Pointer;
use crate::policy::{Access, Policy};
use crate::routing::{self, Routing, TemplateKind};

pub(super) fn check(s: &Subject, contexts: &mut EventContexts, out: &mut Vec<Diagnostic>) {
    let Some(hook) = s.integration.manifest.hook() else {
        return;
    };
    let policy = policy_rules(s, hook, out);
    let facts = EventFacts::new(hook, policy.as_ref(), &s.events.events);
    endpoint_rules(s, hook, &facts, contexts, out);
    if hook.use_standard_webhook_payload {
        standard_payload(s, hook, out);
        return;
    }
    if !s.placed {
        // Without the templates, only what the manifest alone says can be judged.
        unreachable(s, hook, policy.is_some(), &facts, out);
        super::form::usage(s, None, out);
        return;
    }
    let templates = load_templates(s, hook, out);
    equal_else(s, &templates, out);
    let breaking = render_matrix(s, &templates, &facts, contexts, out);
    // What the template's text says is said once per file, under the first name for it, as
    // `equal_else` does; what a render says belongs to each name's events.
    let mut read: BTreeSet<&str> = BTreeSet::new();
    for loaded in templates.iter().filter(|t| is_json_template(&t.path)) {
        if !read.insert(&loaded.path) {
            continue;
        }
        let skip: Vec<Range<usize>> = breaking
            .iter()
            .filter(|(path, _)| *path == loaded.path)
            .map(|(_, tag)| tag.clone())
            .collect();
        super::json_output::html_escapes(s, loaded, &skip, out);
    }
    unreachable(s, hook, policy.is_some(), &facts, out);
    super::form::usage(s, Some(&templates), out);
    // Last: a suppression covers every finding about its template, whichever rule made it.
    super::suppression::apply(s, &templates, out);
}

fn standard_payload(s: &Subject, hook: &AuditLogEventsHook, out: &mut Vec<Diagnostic>) {
    if !hook.templates.is_empty() {
        out.push(s.at(&STANDARD_PAYLOAD_TEMPLATES, &hook_pointer().child("templates"), "with `useStandardWebhookPayload: true` no template may be named: `templates` must be empty"));
    }
    if s.placed && s.integration.dir.join("templates").exists() {
        out.push(s.at(
            &STANDARD_PAYLOAD_TEMPLATES,
            &hook_pointer().child("useStandardWebhookPayload"),
            "with `useStandardWebhookPayload: true` the integration may have no templates/ directory",
        ));
    }
}

/// A template the manifest names, read and compiled.
pub(super) struct LoadedTemplate {
    /// The key it is named under in `templates`, as written.
    pub name: String,
    /// What routing knows it as; `None` for a key the framework does not route to.
    pub kind: Option<TemplateKind>,
    /// As the manifest gives it, relative to the integration.
    pub path: String,
    pub template: Template,
    /// Its text as findings in it show it; shared by every name for the same file.
    pub file: Arc<SourceFile>,
}

fn template_pointer(name: &str) -> Pointer {
    subject::template_pointer(name)
}

/// Reads and compiles each template file once, for every name that names it; a file that
/// cannot be read or compiled is a finding, and left out.
fn load_templates(
    s: &Subject,
    hook: &AuditLogEventsHook,
    out: &mut Vec<Diagnostic>,
) -> Vec<LoadedTemplate> {
    let mut loaded = Vec::new();
    let mut compiled: BTreeMap<&str, Option<(Arc<SourceFile>, Template)>> = BTreeMap::new();
    for (name, path) in &hook.templates {
        let read = compiled
            .entry(path.as_str())
            .or_insert_with(|| read_and_compile(s, name, path, out));
        if let Some((file, template)) = read {
            loaded.push(LoadedTemplate {
                name: name.clone(),
                kind: TemplateKind::parse(name),
                path: path.clone(),
                template: template.clone(),
                file: file.clone(),
            });
        }
    }
    loaded
}

fn read_and_compile(
    s: &Subject,
    name: &str,
    path: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<(Arc<SourceFile>, Template)> {
    let at = template_pointer(name);
    let source = match s.integration.read_template(path) {
        Ok(source) => source,
        Err(error @ (FileError::Absolute(_) | FileError::Escapes(_))) => {
            let message = format!("the `{name}` template: {error}; it is not read");
            out.push(s.at(&PATH_ESCAPES, &at, message));
            return None;
        }
        Err(error) => {
            let message = format!("the `{name}` template: {error}");
            out.push(s.at(&TEMPLATE_MISSING, &at, message));
            return None;
        }
    };
    let text: Arc<str> = source.into();
    let file = Arc::new(SourceFile::new(s.file(path), text.clone()));
    match Template::compile(&text) {
        Ok(template) => Some((file, template)),
        Err(error) => {
            let span = error_span(&error);
            out.push(s.in_template(&TEMPLATE_SYNTAX, name, &file, span, error.message));
            None
        }
    }
}

/// Where in the template an engine error is, or its start when the engine does not say.
fn error_span(error: &EngineError) -> Range<usize> {
    error.span.map_or(0..0, |(start, end)| start..end)
}

/// `equal-else`: the framework's production renderer (a Go Handlebars) gives `equal` no else,
/// so what `{{else}}` holds is rendered by the preview and never by LaunchDarkly. Each file
/// once, under the first name that names it.
fn equal_else(s: &Subject, templates: &[LoadedTemplate], out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for loaded in templates {
        if !seen.insert(&loaded.path) {
            continue;
        }
        let source = loaded.template.source();
        for block in loaded.template.blocks() {
            let (true, Some(else_tag)) = (block.name == "equal" && !block.chained, block.else_tag)
            else {
                continue;
            };
            let opening = source.get(block.tag.clone()).unwrap_or_default();
            let message = format!(
                "`{{{{else}}}}` in `{opening}`: LaunchDarkly renders templates with a Go \
                 Handlebars whose `equal` has no else, so this branch is never sent (the preview \
                 renders it)"
            );
            out.push(
                s.in_template(&EQUAL_ELSE, &loaded.name, &loaded.file, else_tag, message)
                    .with_help("use `{{#equalWithElse …}}`, which has an else in both renderers"),
            );
        }
    }
}

/// Why an event is rendered with a template, which decides how bad a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// The framework's suite renders this pair.
    Suite,
    /// Routing sends the event here and the default policy delivers it.
    Delivered,
    /// Routing sends it here, but the default policy does not deliver it.
    Undelivered,
}

/// The kind of events the framework's suite renders each template with.
fn suite_event_kind(kind: TemplateKind) -> &'static str {
    match kind {
        TemplateKind::Flag | TemplateKind::Default => "flag",
        TemplateKind::Project => "project",
        TemplateKind::Environment | TemplateKind::Validation => "environment",
        TemplateKind::Member => "member",
    }
}

/// What the rules ask of each sample event for one integration, worked out once rather than
/// for every template: the kind of template routing sends it to, and whether the default
/// policy delivers it.
struct EventFacts {
    routed: Vec<Option<TemplateKind>>,
    delivered: Vec<bool>,
}

impl EventFacts {
    fn new(hook: &AuditLogEventsHook, policy: Option<&Policy>, events: &[SampleEvent]) -> Self {
        EventFacts {
            routed: events
                .iter()
                .map(|event| match routing::route(hook, event.kind()) {
                    Routing::Template(route) => Some(route.kind),
                    _ => None,
                })
                .collect(),
            delivered: events.iter().map(|event| delivers(policy, event)).collect(),
        }
    }

    fn routed_to(&self, index: usize, kind: TemplateKind) -> bool {
        self.routed.get(index).copied().flatten() == Some(kind)
    }

    fn delivered(&self, index: usize) -> bool {
        self.delivered.get(index).copied().unwrap_or(false)
    }
}

fn delivers(policy: Option<&Policy>, event: &SampleEvent) -> bool {
    match (policy, Access::from_event(event.value())) {
        (Some(policy), Some(access)) => policy.evaluate(&access).delivered,
        _ => false,
    }
}

/// Findings of one template, grouped by what went wrong, each with the events it went wrong
/// for.
type Failures = BTreeMap<(Need, &'static str, Position, String), (Problem, Vec<String>)>;

/// Where in the template a failure is: a byte range, ordered by where it starts.
type Position = (usize, usize);

/// Renders every template with every event that must render with it (each file and event
/// once, whichever names share the file) and reports what went wrong. Returns the tags found
/// to break a JSON template's output by HTML-escaping, by template path.
fn render_matrix(
    s: &Subject,
    templates: &[LoadedTemplate],
    facts: &EventFacts,
    contexts: &mut EventContexts,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, Range<usize>)> {
    let mut breaking = Vec::new();
    let manifest = &s.integration.manifest;
    let Ok(values) = context::form_values(manifest, &[], ValueSource::TestValues) else {
        return breaking;
    };
    let mut form = context::form_variables(&values, &context::oauth(manifest));
    let mut rendered: BTreeMap<(&str, usize), Rendered> = BTreeMap::new();
    for loaded in templates {
        let Some(kind) = loaded.kind else {
            continue;
        };
        let json = is_json_template(&loaded.path);
        let mut failures = Failures::new();
        for (index, need) in needs(s, kind, facts) {
            let result = rendered.entry((&loaded.path, index)).or_insert_with(|| {
                contexts
                    .with_body(&s.events.events, index, json, &mut form, |context| {
                        Rendered::new(&loaded.template, context, json)
                    })
                    .unwrap_or_else(|| Rendered::Failed {
                        message: "no such sample event".to_string(),
                        span: 0..0,
                    })
            });
            let Some(mut problem) = problem(loaded, kind, need, result) else {
                continue;
            };
            if problem.by_escaping {
                breaking.push((loaded.path.clone(), problem.span.clone()));
            }
            if need == Need::Undelivered {
                problem.rule = &TEMPLATE_RENDER_UNDELIVERED;
            }
            let name = s.events.events.get(index).map(|event| event.name.clone());
            let key = (
                need,
                problem.rule.id,
                (problem.span.start, problem.span.end),
                problem.message.clone(),
            );
            failures
                .entry(key)
                .or_insert_with(|| (problem, Vec::new()))
                .1
                .extend(name);
        }
        report(s, loaded, kind, failures, out);
    }
    breaking
}

/// What went wrong with one render, as a finding will say it.
struct Problem {
    rule: &'static Rule,
    span: Range<usize>,
    message: String,
    help: Option<String>,
    /// The output line where it broke, for the first event it broke for.
    output: Option<String>,
    /// Invalid JSON written by a tag's HTML escaping: the framework's suite fails on it
    /// (template-invalid-json), and html-escape-in-json does not report the tag again.
    by_escaping: bool,
}

impl Problem {
    fn new(rule: &'static Rule, span: Range<usize>, message: String) -> Problem {
        Problem {
            rule,
            span,
            message,
            help: None,
            output: None,
            by_escaping: false,
        }
    }
}

/// The events a template of `kind` must render, and why each must.
fn needs<'a>(
    s: &'a Subject,
    kind: TemplateKind,
    facts: &'a EventFacts,
) -> impl Iterator<Item = (usize, Need)> + 'a {
    s.events
        .events
        .iter()
        .enumerate()
        .filter_map(move |(index, event)| {
            if event.kind() == suite_event_kind(kind) {
                Some((index, Need::Suite))
            } else if !facts.routed_to(index, kind) {
                None
            } else if facts.delivered(index) {
                Some((index, Need::Delivered))
            } else {
                Some((index, Need::Undelivered))
            }
        })
}

/// What went wrong with one render; `None` when nothing did.
fn problem(
    loaded: &LoadedTemplate,
    kind: TemplateKind,
    need: Need,
    result: &Rendered,
) -> Option<Problem> {
    match result {
        Rendered::Failed { message, span } => Some(Problem::new(
            &TEMPLATE_RENDER,
            span.clone(),
            message.clone(),
        )),
        Rendered::InvalidJson(broken) => Some(Problem {
            help: broken.help.clone(),
            output: Some(broken.output.clone()),
            by_escaping: broken.by_escaping,
            ..Problem::new(
                &TEMPLATE_INVALID_JSON,
                broken.tag.clone(),
                broken.message.clone(),
            )
        }),
        Rendered::Output { blank: true }
            if matches!(kind, TemplateKind::Member | TemplateKind::Validation)
                && need == Need::Suite =>
        {
            Some(Problem::new(
                &TEMPLATE_EMPTY_OUTPUT,
                0..0,
                format!("the `{}` template renders nothing", loaded.name),
            ))
        }
        Rendered::Output { .. } => None,
    }
}

/// One finding per distinct failure, naming the events and why they had to render.
fn report(
    s: &Subject,
    loaded: &LoadedTemplate,
    kind: TemplateKind,
    failures: Failures,
    out: &mut Vec<Diagnostic>,
) {
    let name = &loaded.name;
    for ((need, ..), (problem, events)) in failures {
        let why = match need {
            Need::Suite => format!(
                "the framework's suite renders the `{name}` template with {} events",
                suite_event_kind(kind)
            ),
            Need::Delivered => format!(
                "routing sends {} to the `{name}` template and the defaultPolicy delivers {}",
                plural_events(&events),
                them(&events)
            ),
            Need::Undelivered => format!(
                "routing sends {} to the `{name}` template, but the defaultPolicy does not deliver {}",
                plural_events(&events),
                them(&events)
            ),
        };
        let mut finding = s.in_template(
            problem.rule,
            name,
            &loaded.file,
            problem.span,
            format!(
                "{}{} (event{} {}; {why})",
                problem.message,
                problem.output.map_or(String::new(), |line| format!(
                    "; for {}, the output's {line}",
                    events.first().map_or("", String::as_str)
                )),
                if events.len() == 1 { "" } else { "s" },
                events.join(", ")
            ),
        );
        if let Some(help) = problem.help {
            finding = finding.with_help(help);
        }
        out.push(finding);
    }
}

/// What one render told: the output itself is not kept, only what the rules ask of it.
enum Rendered {
    Failed { message: String, span: Range<usize> },
    InvalidJson(BrokenJson),
    Output { blank: bool },
}

impl Rendered {
    fn new(template: &Template, context: &Value, json: bool) -> Rendered {
        let rendered = if json {
            template.render_json_escaped(context)
        } else {
            template.render(context)
        };
        match rendered {
            Err(error) => Rendered::Failed {
                span: error_span(&error),
                message: error.message,
            },
            Ok(output) => {
                if json && let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(&output) {
                    return Rendered::InvalidJson(broken_json(template, context, &output, &error));
                }
                Rendered::Output {
                    blank: output.trim().is_empty(),
                }
            }
        }
    }
}

fn plural_events(events: &[String]) -> &'static str {
    if events.len() == 1 {
        "this event"
    } else {
        "these events"
    }
}

fn them(events: &[String]) -> &'static str {
    if events.len() == 1 { "it" } else { "them" }
}

fn unreachable(
    s: &Subject,
    hook: &AuditLogEventsHook,
    has_policy: bool,
    facts: &EventFacts,
    out: &mut Vec<Diagnostic>,
) {
    for kind_name in hook.templates.keys() {
        let Some(kind) = TemplateKind::parse(kind_name) else {
            continue;
        };
        if kind == TemplateKind::Validation {
            continue;
        }
        let routed: Vec<usize> = (0..s.events.events.len())
            .filter(|&index| facts.routed_to(index, kind))
            .collect();
        let at = template_pointer(kind_name);
        if routed.is_empty() {
            out.push(s.at(
                &TEMPLATE_UNREACHABLE,
                &at,
                format!("no sample event is routed to the `{kind_name}` template"),
            ));
        } else if has_policy && !routed.iter().any(|&index| facts.delivered(index)) {
            out.push(s.at(
                &TEMPLATE_UNREACHABLE,
                &at,
                format!("the defaultPolicy delivers none of the {} sample events routed to the `{kind_name}` template", routed.len()),
            ));
        }
    }
}

fn policy_rules(
    s: &Subject,
    hook: &AuditLogEventsHook,
    out: &mut Vec<Diagnostic>,
) -> Option<Policy> {
    let value = hook.default_policy.as_ref()?;
    let at = hook_pointer().child("defaultPolicy");
    let policy = match Policy::from_json(value) {
        Ok(policy) => policy,
        Err(error) => {
            let index = value.as_array().and_then(|statements| {
                statements
                    .iter()
                    .position(|statement| crate::policy::Statement::from_json(statement).is_err())
            });
            // An unknown field is the schema's finding (unknown-property, with the field
            // meant); it is not reported twice.
            if !error.is_unknown_field() {
                let at = index.map_or(at.clone(), |i| at.index(i));
                out.push(s.at(
                    &POLICY_INVALID,
                    &at,
                    format!("the defaultPolicy cannot be evaluated: {error}"),
                ));
            }
            return None;
        }
    };
    if unknown_resource_types(s, &policy, &at, out) {
        // Every verdict of this policy would be wrong; what follows from them is not reported.
        return None;
    }
    for (i, statement) in policy.statements().iter().enumerate() {
        if !statement.can_match_anything() {
            out.push(s.at(
                &POLICY_STATEMENT_MATCHES_NOTHING,
                &at.index(i),
                format!("statement {i} of the defaultPolicy can match no event"),
            ));
        }
    }
    let any = s
        .events
        .events
        .iter()
        .any(|event| delivers(Some(&policy), event));
    if !any && !s.events.events.is_empty() {
        out.push(s.at(
            &POLICY_DELIVERS_NOTHING,
            &at,
            format!(
                "the defaultPolicy delivers none of the {} sample events ({})",
                s.events.events.len(),
                s.events.origin
            ),
        ));
    }
    Some(policy)
}

/// A finding for each resource segment type LaunchDarkly does not define (`flags/*`); true
/// when there was one.
fn unknown_resource_types(
    s: &Subject,
    policy: &Policy,
    at: &Pointer,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let mut found = false;
    for (i, statement) in policy.statements().iter().enumerate() {
        let (field, unknown) = statement.unknown_resource_types();
        for (j, kind) in unknown {
            found = true;
            let mut message = format!(
                "statement {i} names the resource type `{kind}`, which LaunchDarkly does not define"
            );
            if let Some(near) = crate::policy::suggest_resource_type(kind) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            out.push(s.at(
                &POLICY_UNKNOWN_RESOURCE_TYPE,
                &at.index(i).child(field).index(j),
                message,
            ));
        }
    }
    found
}

/// The events the framework's suite renders endpoint templates with, where the set has them.
const ENDPOINT_SUITE: &[&str] = &[
    "flag/targeting-rule-update",
    "flag/targeting-rules",
    "project/update",
    "member/update",
];

fn endpoint_rules(
    s: &Subject,
    hook: &AuditLogEventsHook,
    facts: &EventFacts,
    contexts: &mut EventContexts,
    out: &mut Vec<Diagnostic>,
) {
    let Some(endpoint) = hook.endpoint.as_ref() else {
        return;
    };
    let at = hook_pointer().child("endpoint");
    let raw = s
        .integration
        .document
        .value
        .pointer(at.as_str())
        .unwrap_or(&serde_json::Value::Null);
    if raw.get("headers").is_none() {
        out.push(s.at_key(&ENDPOINT_HEADERS_MISSING, &at, "the endpoint has no `headers`; the framework's suite and preview need the list (give at least Content-Type)"));
    }
    endpoint_renders(s, endpoint, &at, facts, contexts, out);
    error_body_host(s, hook, &at, out);
    url_checks(s, endpoint, &at, out);
    if hook.delivery_method.is_none() {
        // A custom delivery (LaunchDarkly's own, such as CloudTrail's) does not use the URL.
        super::endpoint_url::check(s, endpoint, out);
    }
    header_checks(s, hook, raw, &at, out);
}

/// Renders the endpoint URL and each header value with the events the framework's suite
/// uses and every event the policy delivers; a failure is a finding on the value.
fn endpoint_renders(
    s: &Subject,
    endpoint: &crate::manifest::model::Endpoint,
    at: &Pointer,
    facts: &EventFacts,
    contexts: &mut EventContexts,
    out: &mut Vec<Diagnostic>,
) {
    let manifest = &s.integration.manifest;
    let Ok(values) = context::form_values(manifest, &[], ValueSource::TestValues) else {
        return;
    };
    let oauth = context::oauth(manifest);
    let mut templates = vec![(
        at.child("url"),
        "the endpoint URL".to_string(),
        endpoint.url.clone(),
    )];
    for (i, header) in endpoint.headers.iter().enumerate() {
        templates.push((
            at.child("headers").index(i).child("value"),
            format!("header `{}`", header.name),
            header.value.clone(),
        ));
    }
    let rendered_with: Vec<(usize, &str)> = s
        .events
        .events
        .iter()
        .enumerate()
        .filter(|(index, event)| {
            ENDPOINT_SUITE.contains(&event.name.as_str()) || facts.delivered(*index)
        })
        .map(|(index, event)| (index, event.name.as_str()))
        .collect();
    let defined: BTreeSet<&str> = manifest
        .form_variables
        .iter()
        .map(|v| v.key.as_str())
        .collect();
    for (pointer, what, text) in templates {
        let template = match Template::compile(&text) {
            Ok(template) => template,
            Err(error) => {
                let message = format!("{what} is not valid Handlebars: {error}");
                out.push(s.at(&ENDPOINT_RENDER, &pointer, message));
                continue;
            }
        };
        // A name that is no form variable is reported once, as undefined (with the name it
        // most likely meant), not again as each render that trips on it.
        let undefined_name = template.references().iter().any(|reference| {
            reference.absolute
                && reference
                    .parts
                    .first()
                    .is_some_and(|first| !super::form::names_a_value(first, &defined))
        });
        if undefined_name {
            continue;
        }
        let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for &(index, name) in &rendered_with {
            let result =
                contexts.with_endpoint(&s.events.events, index, &values, &oauth, |context| {
                    template.render(context)
                });
            if let Some(Err(error)) = result {
                failures
                    .entry(error.to_string())
                    .or_default()
                    .push(name.to_string());
            }
        }
        for (error, events) in failures {
            let message = format!(
                "{what} does not render: {error} (for {})",
                events.join(", ")
            );
            out.push(s.at(&ENDPOINT_RENDER, &pointer, message));
        }
    }
}

/// The host part of a URL template: between `://` and the next `/`, or everything when the
/// URL starts with a mustache.
fn host_part(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    if url.starts_with("{{") {
        return url.split('/').next().unwrap_or(url);
    }
    rest.split('/').next().unwrap_or(rest)
}

fn mustache_names(text: &str) -> Vec<String> {
    Template::compile(text)
        .map(|t| {
            t.references()
                .into_iter()
                .map(|r| r.parts.join("."))
                .collect()
        })
        .unwrap_or_default()
}

fn error_body_host(
    s: &Subject,
    hook: &AuditLogEventsHook,
    at: &Pointer,
    out: &mut Vec<Diagnostic>,
) {
    if !hook.include_error_response_body {
        return;
    }
    let Some(endpoint) = &hook.endpoint else {
        return;
    };
    let host = host_part(&endpoint.url);
    for name in mustache_names(host) {
        let enum_with_values = s
            .integration
            .manifest
            .form_variable(&name)
            .is_some_and(|v| v.kind == FormVariableKind::Enum && !v.allowed_values.is_empty());
        if !enum_with_values {
            out.push(s.at(
                &ERROR_BODY_DYNAMIC_HOST,
                &hook_pointer().child("includeErrorResponseBody"),
                format!("`includeErrorResponseBody` needs a fixed host, but the endpoint URL's host comes from `{name}`, which is not an enum form variable with allowedValues (at {at}/url)"),
            ));
        }
    }
}

fn url_checks(
    s: &Subject,
    endpoint: &crate::manifest::model::Endpoint,
    at: &Pointer,
    out: &mut Vec<Diagnostic>,
) {
    let url = endpoint.url.trim();
    if url.to_ascii_lowercase().starts_with("http://") && !host_part(url).contains("{{") {
        out.push(s.at(
            &INSECURE_ENDPOINT,
            &at.child("url"),
            "the endpoint URL uses http://; events and credentials would travel unencrypted",
        ));
    }
    for name in mustache_names(url) {
        if s.integration
            .manifest
            .form_variable(&name)
            .is_some_and(|v| v.is_secret)
        {
            out.push(s.at(&SECRET_IN_URL, &at.child("url"), format!("the secret form variable `{name}` is in the endpoint URL; URLs are logged, so send it in a header")));
        }
    }
}

fn header_checks(
    s: &Subject,
    hook: &AuditLogEventsHook,
    raw: &Value,
    at: &Pointer,
    out: &mut Vec<Diagnostic>,
) {
    let Some(endpoint) = &hook.endpoint else {
        return;
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, header) in endpoint.headers.iter().enumerate() {
        if let Some(first) = seen.insert(header.name.to_ascii_lowercase(), i) {
            out.push(s.at(
                &DUPLICATE_HEADER,
                &at.child("headers").index(i).child("name"),
                format!(
                    "header `{}` is set twice (first as headers[{first}])",
                    header.name
                ),
            ));
        }
    }
    let json_bodies = hook.templates.values().any(|path| is_json_template(path));
    if !json_bodies || raw.get("headers").is_none() {
        return;
    }
    match endpoint
        .headers
        .iter()
        .enumerate()
        .find(|(_, h)| h.name.eq_ignore_ascii_case("content-type"))
    {
        None => out.push(s.at(
            &CONTENT_TYPE_MISSING,
            &at.child("headers"),
            "the templates render JSON but no `Content-Type: application/json` header is sent",
        )),
        Some((i, header)) if !header.value.to_ascii_lowercase().contains("json") => out.push(s.at(
            &CONTENT_TYPE_NOT_JSON,
            &at.child("headers").index(i).child("value"),
            format!(
                "the templates render JSON but Content-Type is `{}`",
                header.value
            ),
        )),
        Some(_) => {}
    }
}

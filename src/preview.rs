//! What `render` shows: one request (as text, as a curl command, as JSON), and the table of
//! every sample event for `render --all`.

use serde::Serialize;
use serde_json::Value;

use crate::escape::{self, shell_word};
use crate::events::{EventSet, SampleEvent};
use crate::integration::Integration;
use crate::policy::{Access, Decision, Policy};
use crate::request::{self, Request, RequestError, RequestOptions, TemplateCache};
use crate::routing::{self, Route, Routing};

/// What the integration's `defaultPolicy` does with an event.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyOutcome {
    pub delivered: bool,
    pub decided_by: Option<usize>,
    pub reason: String,
}

/// `None` when the integration has no `defaultPolicy` (the user picks at install time).
pub(crate) fn policy_outcome(integration: &Integration, event: &Value) -> Option<PolicyOutcome> {
    let policy = integration.manifest.hook()?.default_policy.as_ref()?;
    let outcome = match Policy::from_json(policy) {
        Err(error) => PolicyOutcome {
            delivered: false,
            decided_by: None,
            reason: format!("the defaultPolicy cannot be read: {error}"),
        },
        Ok(policy) => match Access::from_event(event) {
            None => PolicyOutcome {
                delivered: false,
                decided_by: None,
                reason: "the event has no kind, verbKind or key to match a policy against"
                    .to_string(),
            },
            Some(access) => {
                let Decision {
                    delivered,
                    decided_by,
                    reason,
                } = policy.evaluate(&access);
                PolicyOutcome {
                    delivered,
                    decided_by,
                    reason,
                }
            }
        },
    };
    Some(outcome)
}

/// One rendered request with how it came about.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub event: String,
    pub events: String,
    /// `None` with the standard webhook payload.
    pub template: Option<RouteView>,
    pub policy: Option<PolicyOutcome>,
    pub request: Request,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteView {
    pub kind: String,
    pub path: String,
    pub reason: String,
}

impl From<&Route> for RouteView {
    fn from(route: &Route) -> Self {
        RouteView {
            kind: route.kind.as_str().to_string(),
            path: route.path.clone(),
            reason: route.reason.clone(),
        }
    }
}

/// The request as text for a terminal. Everything but the layout's own line feeds and tabs is
/// escaped: a body or header from an event cannot retitle the terminal or hide text.
pub fn human(preview: &Preview) -> String {
    let line = |text: &str| escape::terminal_line(text).into_owned();
    let mut out = String::new();
    out.push_str(&format!(
        "event     {} ({})\n",
        line(&preview.event),
        line(&preview.events)
    ));
    match &preview.template {
        Some(template) => out.push_str(&format!(
            "template  {}: {} ({})\n",
            template.kind,
            line(&template.path),
            line(&template.reason)
        )),
        None => out.push_str("template  none (useStandardWebhookPayload)\n"),
    }
    match &preview.policy {
        Some(policy) => out.push_str(&format!(
            "policy    {}: {}\n",
            if policy.delivered {
                "delivered"
            } else {
                "not delivered"
            },
            line(&policy.reason)
        )),
        None => out.push_str("policy    no defaultPolicy: the user chooses which events to send\n"),
    }
    out.push('\n');
    let request = &preview.request;
    out.push_str(&format!(
        "{} {}\n",
        line(&request.method),
        line(&request.url)
    ));
    for header in &request.headers {
        out.push_str(&format!(
            "{}: {}\n",
            line(&header.name),
            line(&header.value)
        ));
    }
    out.push('\n');
    out.push_str(&escape::terminal_text(&request.body));
    if !request.body.ends_with('\n') {
        out.push('\n');
    }
    for note in &request.notes {
        out.push_str(&format!("\nnote: {}", line(note)));
    }
    if !request.notes.is_empty() {
        out.push('\n');
    }
    out
}

/// A curl command that sends the same request, quoted for POSIX shells.
pub fn curl(request: &Request) -> String {
    let mut out = format!(
        "curl -X {} {}",
        shell_word(&request.method),
        shell_word(&request.url)
    );
    for header in &request.headers {
        out.push_str(&format!(
            " \\\n  -H {}",
            shell_word(&format!("{}: {}", header.name, header.value))
        ));
    }
    if !request.body.is_empty() {
        out.push_str(&format!(" \\\n  --data-raw {}", shell_word(&request.body)));
    }
    out.push('\n');
    out
}

/// What to tell the reader of a curl command beside it: that it will not work as pasted when
/// something in it is masked.
pub fn curl_warning(request: &Request) -> Option<String> {
    request.masked.then(|| {
        "the command above has secrets masked and will not work as pasted; --show-secrets prints them"
            .to_string()
    })
}

pub fn json(preview: &Preview) -> String {
    let mut text = serde_json::to_string_pretty(preview).unwrap_or_default();
    text.push('\n');
    text
}

/// Event, template, policy and result of one row, before escaping.
fn table_cells(row: &Row) -> [String; 4] {
    [
        row.event.clone(),
        row.template
            .as_ref()
            .map_or_else(|| "-".to_string(), |t| format!("{} ({})", t.kind, t.path)),
        match &row.policy {
            None => "no policy".to_string(),
            Some(p) if p.delivered => "delivered".to_string(),
            Some(_) => "not delivered".to_string(),
        },
        match &row.outcome {
            Outcome::Ok => "ok".to_string(),
            Outcome::Error(message) => format!("error: {}", first_line(message)),
            Outcome::NotSent(reason) => format!("not sent: {reason}"),
            Outcome::StandardPayload => "standard webhook payload".to_string(),
        },
    ]
}

/// One line of `render --all`.
#[derive(Debug, Serialize)]
pub struct Row {
    pub event: String,
    pub kind: String,
    pub template: Option<RouteView>,
    pub policy: Option<PolicyOutcome>,
    pub outcome: Outcome,
    /// The request rendered, for `snapshot` (as shown: secrets masked unless asked).
    #[serde(skip)]
    pub request: Option<Request>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "kebab-case")]
pub enum Outcome {
    Ok,
    Error(String),
    NotSent(String),
    StandardPayload,
}

/// Every sample event through routing, policy and rendering.
pub(crate) fn matrix(
    integration: &Integration,
    events: &EventSet,
    options: &RequestOptions,
) -> Result<Vec<Row>, RequestError> {
    let hook = integration.manifest.hook().ok_or(RequestError::NoHook)?;
    let mut templates = TemplateCache::default();
    Ok(events
        .events
        .iter()
        .map(|event| row(integration, hook, event, options, &mut templates))
        .collect())
}

fn row(
    integration: &Integration,
    hook: &crate::manifest::model::AuditLogEventsHook,
    event: &SampleEvent,
    options: &RequestOptions,
    templates: &mut TemplateCache,
) -> Row {
    let policy = policy_outcome(integration, event.value());
    let (template, outcome, request) = match routing::route(hook, event.kind()) {
        Routing::StandardPayload => {
            match request::build(integration, event.value(), None, options, templates) {
                Ok(request) => (None, Outcome::StandardPayload, Some(request)),
                Err(error) => (None, Outcome::Error(error.to_string()), None),
            }
        }
        Routing::NotSent { reason } => (None, Outcome::NotSent(reason), None),
        Routing::Template(route) => {
            let built =
                request::build(integration, event.value(), Some(&route), options, templates);
            let view = Some(RouteView::from(&route));
            match built {
                Ok(request) => (view, Outcome::Ok, Some(request)),
                Err(error) => (view, Outcome::Error(error.to_string()), None),
            }
        }
    };
    Row {
        event: event.name.clone(),
        kind: event.kind().to_string(),
        template,
        policy,
        outcome,
        request,
    }
}

pub fn table(rows: &[Row]) -> String {
    let header = ["EVENT", "TEMPLATE", "POLICY", "RESULT"].map(str::to_string);
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|row| table_cells(row).map(|cell| escape::terminal_line(&cell).into_owned()))
        .collect();
    let mut widths = [0; 3];
    for row in std::iter::once(&header).chain(&cells) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&cells) {
        for (width, cell) in widths.iter().zip(row) {
            out.push_str(&format!("{cell:<width$}  "));
        }
        out.push_str(row.last().map_or("", String::as_str));
        out.push('\n');
    }
    let errors = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Error(_)))
        .count();
    out.push_str(&format!(
        "\n{} events, {} rendered, {} errors\n",
        rows.len(),
        rows.iter()
            .filter(|r| matches!(r.outcome, Outcome::Ok))
            .count(),
        errors
    ));
    out
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

//! The `render`, `template` and `events` jobs: from command-line choices to a preview, without
//! printing anything.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::engine::{EngineError, Template, is_json_template, json_escape_value};
use crate::events::{self, EventError, EventSet, Reading, SampleEvent};
use crate::framework::Framework;
use crate::input::{self, InputError, Kind};
use crate::integration::{Integration, IntegrationError};
use crate::preview::{self, Preview, Row};
use crate::request::{self, RequestError, RequestOptions, TemplateCache};
use crate::routing::{self, Routing, TemplateKind};

/// Which event to render.
#[derive(Debug, Clone)]
pub enum EventChoice {
    /// A flag event: the framework preview's `flag/targeting-rule-update`, or ours.
    Default,
    /// A sample's name (`flag/toggle-on`) or a JSON file.
    Named(String),
    /// An event read from standard input.
    Stdin(Vec<u8>),
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Integration(#[from] IntegrationError),
    #[error(transparent)]
    Events(#[from] EventError),
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error("{0}")]
    NoTemplate(String),
    #[error("nothing is sent for {event}: {reason}")]
    NotSent { event: String, reason: String },
    #[error(transparent)]
    Set(#[from] crate::overrides::SetError),
    #[error(transparent)]
    Profile(#[from] crate::config::ConfigError),
}

impl RenderError {
    /// Whether the problem is with what was asked (a path, a name), rather than with what the
    /// integration renders.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            RenderError::Integration(
                IntegrationError::NotFound(_)
                    | IntegrationError::NoManifest(_)
                    | IntegrationError::Read(_)
                    | IntegrationError::Unusable { .. }
            ) | RenderError::Request(RequestError::Values(_))
                | RenderError::Set(_)
                | RenderError::Profile(_)
        ) || matches!(self, RenderError::Events(error) if !error.is_content())
    }
}

/// Where an integration's sample events come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventsFrom {
    /// `--events DIR`.
    Dir(PathBuf),
    /// The checkout's `sample-context/`, at this path.
    Checkout(PathBuf),
    /// ldhook's own.
    Embedded,
}

impl EventsFrom {
    /// Where the events come from, in words that name no absolute path.
    pub fn said(&self) -> String {
        match self {
            EventsFrom::Dir(dir) => format!(
                "--events {}/",
                dir.file_name()
                    .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into())
            ),
            EventsFrom::Checkout(_) => "the checkout's sample-context/".to_string(),
            EventsFrom::Embedded => "ldhook's own sample events".to_string(),
        }
    }
}

/// `--events DIR`, else the integration's checkout's `sample-context/`, else ldhook's own.
pub fn events_from(integration_dir: &Path, events_dir: Option<&Path>) -> EventsFrom {
    if let Some(dir) = events_dir {
        return EventsFrom::Dir(dir.to_path_buf());
    }
    match Framework::discover(integration_dir) {
        Some(framework) if framework.root().join("sample-context").is_dir() => {
            EventsFrom::Checkout(framework.root().join("sample-context"))
        }
        _ => EventsFrom::Embedded,
    }
}

/// The sample events for an integration, from where [`events_from`] says.
pub fn event_set(
    integration_dir: &Path,
    events_dir: Option<&Path>,
) -> Result<EventSet, EventError> {
    match events_from(integration_dir, events_dir) {
        EventsFrom::Dir(dir) | EventsFrom::Checkout(dir) => {
            EventSet::from_dir(&dir, Reading::Render)
        }
        EventsFrom::Embedded => Ok(EventSet::embedded()),
    }
}

/// The directory [`event_set`] reads: `--events DIR`, else the checkout's `sample-context/`;
/// `None` for ldhook's own embedded events. What `render --watch` watches besides the
/// integration.
pub fn events_dir_in_use(integration_dir: &Path, events_dir: Option<&Path>) -> Option<PathBuf> {
    match events_from(integration_dir, events_dir) {
        EventsFrom::Dir(dir) | EventsFrom::Checkout(dir) => Some(dir),
        EventsFrom::Embedded => None,
    }
}

pub(crate) fn pick_event(set: &EventSet, choice: &EventChoice) -> Result<SampleEvent, RenderError> {
    match choice {
        EventChoice::Default => {
            let preferred = ["flag/targeting-rule-update", "flag/targeting-rules"];
            let event = preferred
                .iter()
                .find_map(|name| set.find(name).ok())
                .or_else(|| set.events.iter().find(|e| e.kind() == "flag"))
                .or_else(|| set.events.first());
            event
                .cloned()
                .ok_or_else(|| RenderError::Events(EventError::Empty(PathBuf::from(&set.origin))))
        }
        EventChoice::Named(name) => {
            let path = Path::new(name);
            if names_a_file(name) {
                let bytes = input::read(path, Kind::Event).map_err(EventError::from)?;
                let value = events::read_event(path, &bytes, Reading::Render)?;
                return Ok(SampleEvent::new(name.clone(), value));
            }
            Ok(set.find(name)?.clone())
        }
        EventChoice::Stdin(bytes) => {
            let value = events::read_event(Path::new(input::STDIN), bytes, Reading::Render)?;
            Ok(SampleEvent::new(input::STDIN.to_string(), value))
        }
    }
}

/// Whether `--event` names a file rather than a sample event: anything that exists, so that a
/// FIFO or a device is refused as such instead of being looked up as an event name.
fn names_a_file(name: &str) -> bool {
    std::fs::metadata(name).is_ok()
}

/// `event` with the `--set` changes made.
pub(crate) fn with_sets(event: SampleEvent, sets: &[String]) -> Result<SampleEvent, RenderError> {
    if sets.is_empty() {
        return Ok(event);
    }
    let mut value = event.value().clone();
    crate::overrides::apply(&mut value, sets)?;
    Ok(SampleEvent::new(event.name, value))
}

/// The request for one event.
pub fn preview_one(
    integration: &Integration,
    events: &EventSet,
    choice: &EventChoice,
    forced: Option<TemplateKind>,
    options: &RequestOptions,
) -> Result<Preview, RenderError> {
    let hook = integration.manifest.hook().ok_or(RequestError::NoHook)?;
    let event = with_sets(pick_event(events, choice)?, &options.sets)?;
    let route = match forced {
        Some(kind) => Some(routing::forced(hook, kind).map_err(RenderError::NoTemplate)?),
        None => match routing::route(hook, event.kind()) {
            Routing::Template(route) => Some(route),
            Routing::StandardPayload => None,
            Routing::NotSent { reason } => {
                return Err(RenderError::NotSent {
                    event: event.name.clone(),
                    reason,
                });
            }
        },
    };
    let request = request::build(
        integration,
        event.value(),
        route.as_ref(),
        options,
        &mut TemplateCache::default(),
    )?;
    Ok(Preview {
        policy: preview::policy_outcome(integration, event.value()),
        events: match choice {
            EventChoice::Stdin(_) => "standard input".to_string(),
            EventChoice::Named(name) if names_a_file(name) => "a file".to_string(),
            _ => format!("{} events", events.origin),
        },
        event: event.name,
        template: route.as_ref().map(Into::into),
        request,
    })
}

pub fn preview_all(
    integration: &Integration,
    events: &EventSet,
    options: &RequestOptions,
) -> Result<Vec<Row>, RenderError> {
    Ok(preview::matrix(integration, events, options)?)
}

/// How `template` decides on JSON escaping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonEscape {
    Auto,
    On,
    Off,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateJobError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Context(#[from] EventError),
    #[error("{file}:{error}")]
    Engine { file: String, error: EngineError },
}

impl TemplateJobError {
    /// Whether the template or the context cannot be rendered, as opposed to a file that cannot
    /// be read or is not JSON: README's exit code 1 rather than 2.
    pub fn is_content(&self) -> bool {
        match self {
            TemplateJobError::Engine { .. } => true,
            TemplateJobError::Context(error) => error.is_content(),
            TemplateJobError::Input(_) => false,
        }
    }
}

/// The bare engine: one template, one context, the output.
pub fn render_template_file(
    template: &Path,
    context: &Path,
    escape: JsonEscape,
) -> Result<String, TemplateJobError> {
    let source_bytes = input::read(template, Kind::Template)?;
    let source = input::decode_utf8(&template.display().to_string(), &source_bytes)?;
    let context_bytes = input::read(context, Kind::Context)?;
    let value: Value = events::read_context(context, &context_bytes)?;
    let escape = match escape {
        JsonEscape::On => true,
        JsonEscape::Off => false,
        JsonEscape::Auto => is_json_template(&template.to_string_lossy()),
    };
    Template::compile(source)
        .and_then(|t| {
            if escape {
                t.render_json_escaped(&json_escape_value(&value))
            } else {
                t.render(&value)
            }
        })
        .map_err(|error| TemplateJobError::Engine {
            file: template.display().to_string(),
            error,
        })
}

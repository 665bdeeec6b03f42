//! `ldhook send`: the request `render` previews, delivered to a real endpoint, and what came
//! back. The request is rendered twice: once as it is sent (secrets and all) and once as it
//! is shown (secrets masked); only the second is ever printed.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::context;
use crate::events::{EventSet, SampleEvent};
use crate::integration::Integration;
use crate::preview::RouteView;
use crate::render::{self, EventChoice, RenderError};
use crate::request::{HeaderLine, MASK, Request, RequestOptions};

/// How much of a response body is read: enough for any error page, bounded for any server.
const RESPONSE_LIMIT: u64 = 10 * 1024 * 1024;

/// How much of a response body is shown without `--show-response`.
pub const SHOWN_RESPONSE_BYTES: usize = 2048;

/// The prefix of environment variables `--vars-from-env` reads: `LDHOOK_VAR_apiKey=…`.
pub const VAR_PREFIX: &str = "LDHOOK_VAR_";

/// What to send, and how.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Another base (scheme, host, port and a path prefix) to send to, keeping the rendered
    /// path and query.
    pub to: Option<String>,
    /// Bounds connecting and the whole exchange, each.
    pub timeout: Duration,
    /// Further attempts after a transport failure or a 5xx or 429 answer.
    pub retries: u32,
    pub dry_run: bool,
}

/// Which events to send.
pub enum Selection {
    One(EventChoice),
    /// Every sample event the `defaultPolicy` delivers; with `true`, the others too.
    All {
        include_undelivered: bool,
    },
}

/// One request ldhook sends (or would send, with `--dry-run`).
pub struct Planned {
    pub event: String,
    pub template: Option<RouteView>,
    /// As shown: secrets masked unless `--show-secrets`.
    pub shown: Request,
    /// As sent; its body is `body`.
    sent: Request,
    /// The body's bytes as sent: a replayed body need not be UTF-8.
    body: Vec<u8>,
    /// Secret values, kept out of every message about this request.
    secrets: Vec<String>,
}

/// What happened to one request.
#[derive(Debug, Serialize)]
pub struct Delivery {
    pub event: String,
    pub template: Option<RouteView>,
    pub method: String,
    /// As shown: secrets masked.
    pub url: String,
    pub headers: Vec<HeaderLine>,
    pub body: String,
    pub notes: Vec<String>,
    /// `None` with `--dry-run`: nothing was sent.
    pub result: Option<Outcome>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// The endpoint answered.
    Answered {
        status: u16,
        latency_ms: u128,
        attempts: u32,
        response_bytes: usize,
        /// The response body as text (lossy), all of it that was read.
        response: String,
        /// A redirect's target: reported, never followed.
        location: Option<String>,
    },
    /// No answer: refused, timed out, no such host, TLS.
    Failed {
        reason: String,
        latency_ms: u128,
        attempts: u32,
    },
}

impl Delivery {
    /// Whether the endpoint took the request: a 2xx answer (or nothing sent, for a dry run).
    pub fn succeeded(&self) -> bool {
        match &self.result {
            None => true,
            Some(Outcome::Answered { status, .. }) => (200..300).contains(status),
            Some(Outcome::Failed { .. }) => false,
        }
    }
}

/// `--var` pairs, then `LDHOOK_VAR_<key>` from `environment` when `from_env`: the key as
/// written, so that `LDHOOK_VAR_apiKey` sets `apiKey`.
pub fn vars_from_env(
    environment: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = environment
        .into_iter()
        .filter_map(|(name, value)| {
            let key = name.strip_prefix(VAR_PREFIX)?;
            (!key.is_empty()).then(|| (key.to_string(), value))
        })
        .collect();
    vars.sort();
    vars
}

/// Renders the requests of `selection`.
pub fn plan(
    integration: &Integration,
    events: &EventSet,
    selection: &Selection,
    options: &RequestOptions,
) -> Result<Vec<Planned>, RenderError> {
    let chosen: Vec<SampleEvent> = match selection {
        Selection::One(choice) => vec![render::pick_event(events, choice)?],
        Selection::All { .. } => events.events.clone(),
    };
    let mut planned = Vec::new();
    for event in chosen {
        let one = plan_event(integration, &event, options);
        match (selection, one) {
            (
                Selection::All {
                    include_undelivered,
                },
                Ok(item),
            ) => {
                if *include_undelivered || item.1 {
                    planned.push(item.0);
                }
            }
            // An event routing never sends is no request, for `--all`.
            (Selection::All { .. }, Err(RenderError::NotSent { .. })) => {}
            (_, Ok(item)) => planned.push(item.0),
            (_, Err(error)) => return Err(error),
        }
    }
    Ok(planned)
}

/// One event's request, and whether the policy delivers it.
fn plan_event(
    integration: &Integration,
    event: &SampleEvent,
    options: &RequestOptions,
) -> Result<(Planned, bool), RenderError> {
    let event = &render::with_sets(event.clone(), &options.sets)?;
    let single = crate::events::EventSet::single(event.clone());
    // The set's one event (a name could also be a file's, read again).
    let choice = EventChoice::Default;
    // The changes are made: the renders below get the changed event.
    let options = &RequestOptions {
        sets: Vec::new(),
        ..options.clone()
    };
    let shown = render::preview_one(integration, &single, &choice, None, options)?;
    let real_options = RequestOptions {
        show_secrets: true,
        ..options.clone()
    };
    let real = render::preview_one(integration, &single, &choice, None, &real_options)?;
    let secrets = secret_values(integration, options)?;
    let delivered = shown.policy.as_ref().is_none_or(|p| p.delivered);
    let mut sent = real.request;
    let mut shown_request = shown.request;
    if real.template.is_none() {
        standard_payload(
            integration,
            event.value(),
            options,
            &mut sent,
            &mut shown_request,
        )?;
    }
    Ok((
        Planned {
            event: event.name.clone(),
            template: shown.template,
            shown: shown_request,
            body: sent.body.clone().into_bytes(),
            sent,
            secrets,
        },
        delivered,
    ))
}

/// With `useStandardWebhookPayload` no template shapes the body: the sample event itself is
/// sent as JSON, as LaunchDarkly's generic webhooks send it, and signed like any body.
fn standard_payload(
    integration: &Integration,
    event: &Value,
    options: &RequestOptions,
    sent: &mut Request,
    shown: &mut Request,
) -> Result<(), RenderError> {
    let body = serde_json::to_string(event).unwrap_or_default();
    sent.body.clone_from(&body);
    shown.body = body;
    let note = "useStandardWebhookPayload: the body sent is the sample event as JSON, what LaunchDarkly's generic webhooks send; the audit-log hook's standard payload is not documented".to_string();
    shown.notes.push(note);
    let endpoint = integration
        .manifest
        .hook()
        .and_then(|hook| hook.endpoint.as_ref());
    let Some(signature) = endpoint.and_then(|e| e.hmac_signature.as_ref()) else {
        return Ok(());
    };
    let (Some(header), Some(key)) = (
        signature.header_name.as_deref(),
        signature.hmac_secret_form_variable_key.as_deref(),
    ) else {
        return Ok(());
    };
    let values = context::form_values(&integration.manifest, &options.vars, options.source)
        .map_err(crate::request::RequestError::from)?;
    let Some(secret) = values.get(key).and_then(Value::as_str) else {
        return Ok(());
    };
    let digest = crate::request::signature(secret.as_bytes(), sent.body.as_bytes());
    sent.headers.push(HeaderLine {
        name: header.to_string(),
        value: digest,
    });
    shown.headers.push(HeaderLine {
        name: header.to_string(),
        value: format!("<masked: HMAC of the body keyed by `{key}`>"),
    });
    Ok(())
}

/// A saved request's headers that say how the bytes travel, not what they are: the client
/// sets its own.
const HOP_BY_HOP: [&str; 8] = [
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "upgrade",
    "te",
    "proxy-connection",
];

/// `receive --save`'s request file.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedRequest {
    ldhook_request: u32,
    method: String,
    path: String,
    headers: Vec<HeaderLine>,
    body_base64: String,
}

/// Signs a replayed body anew.
pub struct Resign {
    pub header: String,
    pub secret: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Read(#[from] crate::input::InputError),
    #[error("{file}: not a request `ldhook receive --save` wrote: {reason}")]
    Format { file: String, reason: String },
}

/// `send --replay FILE`: the request `receive --save` wrote, to be sent again byte for byte
/// to the same path under `--to`, re-signed when asked. What is shown masks the headers
/// `receive` masks, unless `show_secrets`.
pub fn replay(
    path: &std::path::Path,
    resign: Option<&Resign>,
    show_secrets: bool,
) -> Result<Planned, ReplayError> {
    let file = path.display().to_string();
    let format = |reason: String| ReplayError::Format {
        file: file.clone(),
        reason,
    };
    let bytes = crate::input::read(path, crate::input::Kind::Json)?;
    let saved: SavedRequest =
        serde_json::from_slice(&bytes).map_err(|error| format(error.to_string()))?;
    if saved.ldhook_request != 1 {
        return Err(format(format!(
            "format version {} (this ldhook reads version 1)",
            saved.ldhook_request
        )));
    }
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD
        .decode(saved.body_base64.as_bytes())
        .map_err(|error| format(format!("bodyBase64: {error}")))?;
    let mut headers: Vec<HeaderLine> = saved
        .headers
        .into_iter()
        .filter(|h| !HOP_BY_HOP.contains(&h.name.to_ascii_lowercase().as_str()))
        .filter(|h| resign.is_none_or(|r| !h.name.eq_ignore_ascii_case(&r.header)))
        .collect();
    if let Some(resign) = resign {
        headers.push(HeaderLine {
            name: resign.header.clone(),
            value: crate::request::signature(&resign.secret, &body),
        });
    }
    let signature_header = resign.map_or("X-LD-Signature", |r| r.header.as_str());
    let is_secret = |name: &str| crate::receive::is_secret_header(name, signature_header);
    let secrets = headers
        .iter()
        .filter(|h| is_secret(&h.name) && !h.value.is_empty())
        .map(|h| h.value.clone())
        .collect();
    let shown_headers = headers
        .iter()
        .map(|h| HeaderLine {
            name: h.name.clone(),
            value: if show_secrets || !is_secret(&h.name) {
                h.value.clone()
            } else {
                MASK.to_string()
            },
        })
        .collect();
    let text = match std::str::from_utf8(&body) {
        Ok(text) => text.to_string(),
        Err(_) => format!("<{} bytes, not UTF-8>", body.len()),
    };
    // The URL is only a path: `--to` gives the rest.
    let url = format!("replay://saved{}", saved.path);
    let request = |headers: Vec<HeaderLine>| Request {
        method: saved.method.clone(),
        url: url.clone(),
        headers,
        body: text.clone(),
        notes: Vec::new(),
        masked: false,
    };
    Ok(Planned {
        event: format!("replay of {file}"),
        template: None,
        shown: request(shown_headers),
        sent: request(headers),
        body,
        secrets,
    })
}

/// The values of the secret form variables the user gave, to scrub from messages.
fn secret_values(
    integration: &Integration,
    options: &RequestOptions,
) -> Result<Vec<String>, RenderError> {
    let secret_keys: Vec<&str> = integration
        .manifest
        .form_variables
        .iter()
        .filter(|v| v.is_secret)
        .map(|v| v.key.as_str())
        .collect();
    Ok(options
        .vars
        .iter()
        .filter(|(key, value)| secret_keys.contains(&key.as_str()) && !value.is_empty())
        .map(|(_, value)| value.clone())
        .collect())
}

/// `url` with its scheme, host and port (and any path prefix) replaced by `base`'s; the
/// rendered path and query kept.
pub fn retarget(url: &str, base: &str) -> Result<String, String> {
    let after_scheme = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .ok_or_else(|| "the rendered URL has no scheme".to_string())?;
    let path = after_scheme
        .find(['/', '?'])
        .and_then(|at| after_scheme.get(at..))
        .unwrap_or("");
    if !base.contains("://") {
        return Err(format!(
            "--to {base}: give a base URL with its scheme, e.g. http://127.0.0.1:8080"
        ));
    }
    let base = base.trim_end_matches('/');
    Ok(if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    })
}

/// Sends each planned request in turn (or, with `--dry-run`, none).
pub fn deliver_all(planned: Vec<Planned>, options: &SendOptions) -> Vec<Delivery> {
    let transport = Transport::new(options.timeout);
    planned
        .into_iter()
        .map(|planned| deliver(&transport, planned, options))
        .collect()
}

/// The client, and the proxy it takes from the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `ALL_PROXY`, less `NO_PROXY`), kept so that a failure can say it went through it.
struct Transport {
    agent: ureq::Agent,
    proxy: Option<ureq::Proxy>,
}

impl Transport {
    fn new(timeout: Duration) -> Transport {
        let proxy = ureq::Proxy::try_from_env();
        Transport {
            agent: agent(timeout, proxy.clone()),
            proxy,
        }
    }

    /// ", through the proxy host:port …" when `url` goes through a proxy, else nothing.
    /// The proxy's credentials are never said.
    fn through(&self, url: &str) -> String {
        let Ok(uri) = url.parse::<ureq::http::Uri>() else {
            return String::new();
        };
        match &self.proxy {
            Some(proxy) if !proxy.is_no_proxy(&uri) => format!(
                ", through the proxy {}:{} from the environment",
                proxy.host(),
                proxy.port()
            ),
            _ => String::new(),
        }
    }
}

fn agent(timeout: Duration, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    ureq::Agent::config_builder()
        .timeout_connect(Some(timeout))
        .timeout_global(Some(timeout))
        // Redirects are reported, not followed: LaunchDarkly does not follow them either.
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(proxy)
        .user_agent(concat!("ldhook/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls)
        .build()
        .new_agent()
}

fn deliver(transport: &Transport, planned: Planned, options: &SendOptions) -> Delivery {
    let Planned {
        event,
        template,
        mut shown,
        sent,
        body,
        secrets,
    } = planned;
    let target = match &options.to {
        Some(base) => retarget(&sent.url, base).and_then(|url| {
            shown.url = retarget(&shown.url, base)?;
            Ok(url)
        }),
        None => Ok(sent.url.clone()),
    };
    let result = match target {
        Err(reason) => Some(Outcome::Failed {
            reason,
            latency_ms: 0,
            attempts: 0,
        }),
        Ok(_) if options.dry_run => None,
        Ok(url) => Some(attempt(
            transport,
            &sent,
            &body,
            &url,
            options.retries,
            &secrets,
        )),
    };
    Delivery {
        event,
        template,
        method: shown.method,
        url: shown.url,
        headers: shown.headers,
        body: shown.body,
        notes: shown.notes,
        result,
    }
}

/// Sends `request` to `url`, again after a transport failure or a 5xx or 429, up to
/// `retries` more times.
fn attempt(
    transport: &Transport,
    request: &Request,
    body: &[u8],
    url: &str,
    retries: u32,
    secrets: &[String],
) -> Outcome {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let outcome = once(transport, request, body, url, attempts, secrets);
        let retry = match &outcome {
            Outcome::Answered { status, .. } => *status >= 500 || *status == 429,
            Outcome::Failed { .. } => true,
        };
        if !retry || attempts > retries {
            return outcome;
        }
    }
}

fn once(
    transport: &Transport,
    request: &Request,
    body: &[u8],
    url: &str,
    attempts: u32,
    secrets: &[String],
) -> Outcome {
    let started = Instant::now();
    let failed = |reason: String, started: Instant| Outcome::Failed {
        reason: scrub(&reason, secrets),
        latency_ms: started.elapsed().as_millis(),
        attempts,
    };
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(url);
    for header in &request.headers {
        builder = builder.header(header.name.as_str(), header.value.as_str());
    }
    let Ok(http_request) = builder.body(body.to_vec()) else {
        return failed(
            "the rendered method, URL or a header is not valid HTTP".to_string(),
            started,
        );
    };
    match transport.agent.run(http_request) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
                .filter(|_| (300..400).contains(&status));
            let body = response
                .body_mut()
                .with_config()
                .limit(RESPONSE_LIMIT)
                .read_to_vec()
                .unwrap_or_default();
            Outcome::Answered {
                status,
                latency_ms: started.elapsed().as_millis(),
                attempts,
                response_bytes: body.len(),
                response: String::from_utf8_lossy(&body).into_owned(),
                location,
            }
        }
        Err(error) => failed(
            format!("{}{}", reason(&error), transport.through(url)),
            started,
        ),
    }
}

/// A one-line reason for a request that got no answer.
fn reason(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out: no answer within --timeout".to_string(),
        ureq::Error::ConnectionFailed => "connection refused or unreachable".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused".to_string()
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            "timed out: no answer within --timeout".to_string()
        }
        ureq::Error::Tls(what) => format!("TLS error: {what}"),
        ureq::Error::Rustls(error) => format!("TLS error: {error}"),
        // The URL may hold a secret: it is not quoted.
        ureq::Error::BadUri(_) => "the URL is not valid".to_string(),
        other => other.to_string(),
    }
}

/// `text` with every secret value replaced by the mask.
fn scrub(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_string(), |text, secret| {
        text.replace(secret.as_str(), MASK)
    })
}

/// What `send` prints for people: per request, the event, method, URL, and what came back.
pub fn human(deliveries: &[Delivery], show_response: bool, dry_run: bool) -> String {
    let line = |text: &str| crate::escape::terminal_line(text).into_owned();
    let mut out = String::new();
    for delivery in deliveries {
        out.push_str(&format!(
            "{}  {} {}\n",
            line(&delivery.event),
            line(&delivery.method),
            line(&delivery.url)
        ));
        if dry_run {
            for header in &delivery.headers {
                out.push_str(&format!(
                    "  {}: {}\n",
                    line(&header.name),
                    line(&header.value)
                ));
            }
            out.push_str(&format!(
                "  body: {} bytes\n{}\n",
                delivery.body.len(),
                crate::escape::terminal_text(&delivery.body)
            ));
        }
        for note in &delivery.notes {
            out.push_str(&format!("  note: {}\n", line(note)));
        }
        match &delivery.result {
            None => out.push_str("  not sent (--dry-run)\n"),
            Some(Outcome::Failed {
                reason,
                latency_ms,
                attempts,
            }) => out.push_str(&format!(
                "  failed: {} ({latency_ms} ms, {attempts} attempt{})\n",
                line(reason),
                if *attempts == 1 { "" } else { "s" }
            )),
            Some(Outcome::Answered {
                status,
                latency_ms,
                attempts,
                response_bytes,
                response,
                location,
            }) => {
                out.push_str(&format!(
                    "  {status}  {latency_ms} ms  {response_bytes} bytes{}\n",
                    if *attempts > 1 {
                        format!("  ({attempts} attempts)")
                    } else {
                        String::new()
                    }
                ));
                if let Some(location) = location {
                    out.push_str(&format!(
                        "  redirect to {} (not followed)\n",
                        line(location)
                    ));
                }
                if !response.is_empty() {
                    out.push_str(&shown_response(response, show_response));
                }
            }
        }
    }
    let failed = deliveries.iter().filter(|d| !d.succeeded()).count();
    if !dry_run {
        out.push_str(&format!(
            "{} request{} sent, {failed} not answered with 2xx\n",
            deliveries.len(),
            if deliveries.len() == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The response body, indented, cut at [`SHOWN_RESPONSE_BYTES`] unless all is asked for.
fn shown_response(response: &str, all: bool) -> String {
    let mut cut = response.len();
    if !all && cut > SHOWN_RESPONSE_BYTES {
        cut = SHOWN_RESPONSE_BYTES;
        while !response.is_char_boundary(cut) {
            cut -= 1;
        }
    }
    let shown = response.get(..cut).unwrap_or_default();
    let mut out = String::new();
    for text in crate::escape::terminal_text(shown).lines() {
        out.push_str("  | ");
        out.push_str(text);
        out.push('\n');
    }
    if cut < response.len() {
        out.push_str(&format!(
            "  | … {} more bytes (--show-response shows them)\n",
            response.len() - cut
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retarget_keeps_the_rendered_path_and_query() {
        assert_eq!(
            retarget(
                "https://api.acme.com/v1/events?x=1",
                "http://127.0.0.1:8080"
            ),
            Ok("http://127.0.0.1:8080/v1/events?x=1".to_string())
        );
        assert_eq!(
            retarget("https://api.acme.com", "http://127.0.0.1:8080/"),
            Ok("http://127.0.0.1:8080/".to_string())
        );
        assert_eq!(
            retarget("https://api.acme.com?x=1", "http://127.0.0.1:9/dev"),
            Ok("http://127.0.0.1:9/dev/?x=1".to_string())
        );
        assert!(retarget("https://a.b/c", "127.0.0.1:8080").is_err());
    }

    #[test]
    fn environment_variables_name_form_variables_as_written() {
        let env = [
            ("LDHOOK_VAR_apiKey".to_string(), "k".to_string()),
            ("LDHOOK_VAR_".to_string(), "x".to_string()),
            ("PATH".to_string(), "/bin".to_string()),
        ];
        assert_eq!(
            vars_from_env(env),
            [("apiKey".to_string(), "k".to_string())]
        );
    }

    #[test]
    fn the_signature_is_hex_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            crate::request::signature(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn secrets_never_reach_a_message() {
        assert_eq!(
            scrub("bad uri https://x/?k=s3cret", &["s3cret".to_string()]),
            format!("bad uri https://x/?k={MASK}")
        );
    }
}

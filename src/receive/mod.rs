//! `ldhook receive`: a small HTTP server for development that prints each request it is sent,
//! checks its signature, and can save it for replay. HTTP itself is tiny_http's; this module
//! decides what is printed (to a writer, in colour or not) and what is answered.

mod save;
pub mod verify;

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::escape;
use crate::request::MASK;

pub use save::FORMAT_VERSION;
pub use verify::{Reason, Verdict};

/// The largest body read; a larger one is answered 413.
pub const MAX_BODY: usize = 1024 * 1024;

/// How long a client may take to send its body once its headers are in.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest declared body that is drained (read and dropped) after a 413, so the client
/// reads its answer and the connection closes; one declared larger is left unread.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// The signature header LaunchDarkly sends.
pub const DEFAULT_SIGNATURE_HEADER: &str = "X-LD-Signature";

/// What `receive` does with each request.
#[derive(Debug, Clone)]
pub struct Options {
    /// The status every request with a body in bounds is answered with.
    pub status: u16,
    /// Stop after this many requests.
    pub count: Option<u64>,
    /// The signing secret, when signatures are checked.
    pub secret: Option<Vec<u8>>,
    pub signature_header: String,
    pub show_secrets: bool,
    pub save: Option<PathBuf>,
    pub color: bool,
    /// One JSON object per line for each request, instead of text for people.
    pub json: bool,
    pub max_body: usize,
    pub body_timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            status: 200,
            count: None,
            secret: None,
            signature_header: DEFAULT_SIGNATURE_HEADER.to_string(),
            show_secrets: false,
            save: None,
            color: false,
            json: false,
            max_body: MAX_BODY,
            body_timeout: BODY_TIMEOUT,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot serve on {address}: {message}")]
    Start {
        address: SocketAddr,
        message: String,
    },
    #[error("cannot create {}: {source}", dir.display())]
    SaveDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot save a request in {}: {source}", dir.display())]
    Save {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot accept requests: {0}")]
    Accept(std::io::Error),
    #[error("cannot write: {0}")]
    Output(#[from] std::io::Error),
}

/// A bound server, not yet serving.
pub struct Receiver {
    server: tiny_http::Server,
    address: SocketAddr,
}

/// Binds `bind:port` (port 0: one the system picks).
pub fn bind(bind: IpAddr, port: u16) -> Result<Receiver, ReceiveError> {
    let address = SocketAddr::new(bind, port);
    let listener =
        TcpListener::bind(address).map_err(|source| ReceiveError::Bind { address, source })?;
    let address = listener
        .local_addr()
        .map_err(|source| ReceiveError::Bind { address, source })?;
    let server =
        tiny_http::Server::from_listener(listener, None).map_err(|error| ReceiveError::Start {
            address,
            message: error.to_string(),
        })?;
    Ok(Receiver { server, address })
}

impl Receiver {
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until `options.count` requests have come (forever without it). The first line
    /// on `log` says where it listens, flushed at once; each request is printed on `out`.
    pub fn serve(
        &self,
        options: &Options,
        out: &mut dyn Write,
        log: &mut dyn Write,
    ) -> Result<(), ReceiveError> {
        let mut saver = match &options.save {
            Some(dir) => Some(
                save::Saver::new(dir).map_err(|source| ReceiveError::SaveDir {
                    dir: dir.clone(),
                    source,
                })?,
            ),
            None => None,
        };
        writeln!(log, "ldhook: listening on http://{}", self.address)?;
        log.flush()?;
        let mut received: u64 = 0;
        while options.count.is_none_or(|count| received < count) {
            let request = self.server.recv().map_err(ReceiveError::Accept)?;
            received = received.saturating_add(1);
            self.handle(request, received, options, saver.as_mut(), out, log)?;
            out.flush()?;
            log.flush()?;
        }
        Ok(())
    }

    fn handle(
        &self,
        request: tiny_http::Request,
        number: u64,
        options: &Options,
        saver: Option<&mut save::Saver>,
        out: &mut dyn Write,
        log: &mut dyn Write,
    ) -> Result<(), ReceiveError> {
        let method = request.method().to_string();
        let path = request.url().to_string();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect();
        let (reply, body) = match read_body(request, options.max_body, options.body_timeout) {
            Body::Complete(reply, body) => (reply, body),
            Body::TooLarge(reply) => {
                writeln!(
                    log,
                    "ldhook: request {number}: {} {}: body larger than {} bytes, answered 413",
                    escape::terminal_line(&method),
                    escape::terminal_line(&path),
                    options.max_body
                )?;
                reply.answer(413, options.body_timeout);
                return Ok(());
            }
            Body::Failed(reply, error) => {
                writeln!(
                    log,
                    "ldhook: request {number}: {} {}: cannot read the body ({error}), answered 400",
                    escape::terminal_line(&method),
                    escape::terminal_line(&path),
                )?;
                reply.answer(400, options.body_timeout);
                return Ok(());
            }
            Body::NoThread => {
                writeln!(
                    log,
                    "ldhook: request {number}: {} {}: no thread to read its body, answered 500",
                    escape::terminal_line(&method),
                    escape::terminal_line(&path),
                )?;
                return Ok(());
            }
            Body::TimedOut => {
                writeln!(
                    log,
                    "ldhook: request {number}: {} {}: body not complete after {:?}, connection left unanswered",
                    escape::terminal_line(&method),
                    escape::terminal_line(&path),
                    options.body_timeout
                )?;
                return Ok(());
            }
        };
        let verdict = options
            .secret
            .as_ref()
            .map(|secret| verify::verify(secret, &options.signature_header, &headers, &body));
        let shown = if options.json { show_json } else { show };
        let shown = shown(
            &Shown {
                number,
                method: &method,
                path: &path,
                headers: &headers,
                body: &body,
                verdict: verdict.as_ref(),
                status: options.status,
            },
            options,
        );
        out.write_all(shown.as_bytes())?;
        if let Some(saver) = saver {
            let file = saver
                .save(&save::Saved {
                    method: &method,
                    path: &path,
                    headers: &headers,
                    body: &body,
                })
                .map_err(|source| ReceiveError::Save {
                    dir: options.save.clone().unwrap_or_default(),
                    source,
                })?;
            writeln!(
                log,
                "ldhook: request {number} saved as {}",
                escape::terminal_line(&file.display().to_string())
            )?;
        }
        reply.answer(options.status, options.body_timeout);
        Ok(())
    }
}

/// How reading a request's body ended. The request itself stays with the thread that read
/// it, which answers with the status given to [`Reply::answer`]: a client that never sends
/// its body holds that thread, never the server.
enum Body {
    Complete(Reply, Vec<u8>),
    TooLarge(Reply),
    Failed(Reply, std::io::Error),
    TimedOut,
    /// No thread could be started to read it; the request is dropped (tiny_http answers 500).
    NoThread,
}

/// The way to the thread that holds a request.
struct Reply {
    status: mpsc::Sender<u16>,
    done: mpsc::Receiver<()>,
}

impl Reply {
    /// Has the request answered with `status`, and waits (at most `timeout`, for a client
    /// that does not read) until the answer is written: the process may end right after.
    fn answer(self, status: u16, timeout: Duration) {
        if self.status.send(status).is_ok() {
            let _ = self.done.recv_timeout(timeout);
        }
    }
}

fn read_body(request: tiny_http::Request, max: usize, timeout: Duration) -> Body {
    let (body_tx, body_rx) = mpsc::channel();
    let (status_tx, status_rx) = mpsc::channel::<u16>();
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("ldhook-receive-body".into())
        .spawn(move || {
            let mut request = request;
            let declared = request.body_length();
            let declared_too_large = declared.is_some_and(|length| length > max);
            let result = if declared_too_large {
                Ok(None)
            } else {
                let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
                let mut body = Vec::new();
                request
                    .as_reader()
                    .take(limit)
                    .read_to_end(&mut body)
                    .map(|_| (body.len() <= max).then_some(body))
            };
            if body_tx.send(result).is_err() {
                return;
            }
            let Ok(status) = status_rx.recv() else {
                return;
            };
            let response = if (200..300).contains(&status) {
                tiny_http::Response::from_string("ok")
            } else {
                tiny_http::Response::from_string("")
            }
            .with_status_code(status);
            if declared.is_some_and(|length| length > DRAIN_LIMIT) {
                // Dropped, a request drains its unread body into one buffer of the declared
                // length, which a client may declare as large as it likes (an allocation that
                // fails aborts the process). tiny_http's one way to answer without that drop
                // is `upgrade`, whose stream is then forgotten: the connection stays open and
                // its thread waits until ldhook exits, a leak bounded by the requests sent.
                let stream = request.upgrade("none", response);
                let _ = done_tx.send(());
                std::mem::forget(stream);
                return;
            }
            let _ = request.respond(response);
            let _ = done_tx.send(());
        });
    if spawned.is_err() {
        return Body::NoThread;
    }
    let reply = Reply {
        status: status_tx,
        done: done_rx,
    };
    match body_rx.recv_timeout(timeout) {
        Ok(Ok(Some(body))) => Body::Complete(reply, body),
        Ok(Ok(None)) => Body::TooLarge(reply),
        Ok(Err(error)) => Body::Failed(reply, error),
        Err(_) => Body::TimedOut,
    }
}

/// One request as it is printed.
struct Shown<'a> {
    number: u64,
    method: &'a str,
    path: &'a str,
    headers: &'a [(String, String)],
    body: &'a [u8],
    verdict: Option<&'a Verdict>,
    status: u16,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

/// The text printed for one request: its line, its headers (secrets masked), a blank line,
/// the body, then the signature check and the status answered. Everything from the request
/// passes through the terminal escaper.
fn show(request: &Shown<'_>, options: &Options) -> String {
    let paint = |style: &str, text: &str| {
        if options.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut text = paint(
        BOLD,
        &format!(
            "#{} {} {}",
            request.number,
            escape::terminal_line(request.method),
            escape::terminal_line(request.path)
        ),
    );
    text.push('\n');
    for (name, value) in request.headers {
        let value = if !options.show_secrets && is_secret_header(name, &options.signature_header) {
            MASK
        } else {
            value
        };
        text.push_str(&format!(
            "{}: {}\n",
            paint(DIM, &escape::terminal_line(name)),
            escape::terminal_line(value)
        ));
    }
    text.push('\n');
    text.push_str(&show_body(request.body));
    if let Some(verdict) = request.verdict {
        let line = match verdict {
            Verdict::Ok => paint(GREEN, "signature: ok"),
            Verdict::Mismatch(reason) => format!(
                "{} ({}: {})",
                paint(RED, "signature: MISMATCH"),
                escape::terminal_line(&options.signature_header),
                escape::terminal_line(&reason.to_string())
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&paint(DIM, &format!("answered {}", request.status)));
    text.push_str("\n\n");
    text
}

/// One request as one line of JSON, for scripts: `number`, `method`, `path`, `headers`
/// (`[{name, value}]`, secrets masked), `bodyBytes`, `bodyText` (when UTF-8), `signature`
/// (`null` unchecked, `"ok"`, or `{"mismatch": reason}`) and `status` answered.
fn show_json(request: &Shown<'_>, options: &Options) -> String {
    let headers: Vec<serde_json::Value> = request
        .headers
        .iter()
        .map(|(name, value)| {
            let masked = !options.show_secrets && is_secret_header(name, &options.signature_header);
            serde_json::json!({"name": name, "value": if masked { MASK } else { value }})
        })
        .collect();
    let signature = match request.verdict {
        None => serde_json::Value::Null,
        Some(Verdict::Ok) => serde_json::json!("ok"),
        Some(Verdict::Mismatch(reason)) => serde_json::json!({"mismatch": reason.to_string()}),
    };
    let mut object = serde_json::json!({
        "number": request.number,
        "method": request.method,
        "path": request.path,
        "headers": headers,
        "bodyBytes": request.body.len(),
        "signature": signature,
        "status": request.status,
    });
    if let (Ok(text), Some(map)) = (std::str::from_utf8(request.body), object.as_object_mut()) {
        map.insert("bodyText".to_string(), serde_json::json!(text));
    }
    let mut line = serde_json::to_string(&object).unwrap_or_default();
    line.push('\n');
    line
}

/// A body as JSON pretty-printed when it is JSON, as text when it is UTF-8, else its size.
fn show_body(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty body)\n".to_string();
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return format!("({} bytes, not UTF-8 text)\n", body.len());
    };
    let mut shown = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .map_or_else(
            || escape::terminal_text(text).into_owned(),
            |pretty| escape::terminal_text(&pretty).into_owned(),
        );
    if !shown.ends_with('\n') {
        shown.push('\n');
    }
    shown
}

/// Headers whose value is masked unless `--show-secrets`: credentials, cookies, signatures,
/// `signature_header`, and any name holding a word that says it is secret.
pub fn is_secret_header(name: &str, signature_header: &str) -> bool {
    const EXACT: &[&str] = &[
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-ld-signature",
    ];
    const WORDS: &[&str] = &["token", "secret", "key", "signature", "password", "auth"];
    let lower = name.to_ascii_lowercase();
    EXACT.contains(&lower.as_str())
        || lower.eq_ignore_ascii_case(signature_header)
        || WORDS.iter().any(|word| lower.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that stops halfway through its body holds only its own thread: after the
    /// deadline the server logs it and serves the next request.
    #[test]
    fn a_body_that_never_comes_does_not_hold_the_server() {
        use std::io::{Read as _, Write as _};
        let receiver = bind(IpAddr::from([127, 0, 0, 1]), 0).unwrap();
        let address = receiver.address();
        let options = Options {
            count: Some(2),
            body_timeout: Duration::from_millis(300),
            ..Options::default()
        };
        let server = std::thread::spawn(move || {
            let (mut out, mut log) = (Vec::new(), Vec::new());
            receiver.serve(&options, &mut out, &mut log).unwrap();
            (
                String::from_utf8(out).unwrap(),
                String::from_utf8(log).unwrap(),
            )
        });
        let mut slow = std::net::TcpStream::connect(address).unwrap();
        slow.write_all(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\nab")
            .unwrap();
        let mut fast = std::net::TcpStream::connect(address).unwrap();
        fast.set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        fast.write_all(b"GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        fast.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let (out, log) = server.join().unwrap();
        assert!(
            log.contains("/slow: body not complete after 300ms"),
            "{log}"
        );
        // Either may come first: tiny_http reads each connection in its own thread.
        assert!(out.contains(" GET /fast\n"), "{out}");
        assert!(!out.contains("/slow"), "{out}");
        drop(slow);
    }

    #[test]
    fn secret_headers_by_name_and_word_in_any_case() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "COOKIE",
            "X-LD-Signature",
            "X-Api-Key",
            "X-Auth-Token",
            "x-client-secret",
            "X-Password",
        ] {
            assert!(is_secret_header(name, "X-LD-Signature"), "{name}");
        }
        assert!(is_secret_header("X-Sig", "x-sig"));
        assert!(!is_secret_header("Content-Type", "X-LD-Signature"));
        assert!(!is_secret_header("X-Sig", "X-LD-Signature"));
    }

    #[test]
    fn bodies_are_json_text_or_a_size_and_escaped() {
        assert_eq!(show_body(b""), "(empty body)\n");
        assert_eq!(show_body(b"{\"a\":1}"), "{\n  \"a\": 1\n}\n");
        assert_eq!(show_body(b"hi\x1b[2J"), "hi\\x1b[2J\n");
        assert_eq!(show_body(&[0xff, 0xfe, 0]), "(3 bytes, not UTF-8 text)\n");
        assert_eq!(
            show_body("{\"a\":\"\u{202e}\"}".as_bytes()),
            "{\n  \"a\": \"\\u{202e}\"\n}\n"
        );
    }
}

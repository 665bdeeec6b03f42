//! ldhook: scaffold, validate and preview LaunchDarkly integration-framework integrations.
//!
//! The library knows nothing of the terminal: it turns paths into a [`diagnostics::Report`],
//! and the binary decides how to print it and which exit code it means.
//!
//! # The API
//!
//! What the binary, the tests and the benchmarks use, and what a long-running caller (a
//! `watch` or `receive` loop) builds on; everything else is `pub(crate)`:
//!
//! - **Checking:** [`validate::Session`] checks paths (a manifest, an integration, a
//!   framework checkout, standard input) into a [`diagnostics::Report`], keeping schemas and
//!   sample events across runs, and [`validate::Session::notes`] what a run says besides its
//!   findings (a path skipped, the file checks left out for unnamed stdin);
//!   [`validate::validate`] does it once. Rules are chosen with
//!   [`registry::RuleSelection`]; [`registry::ALL`] lists every rule; [`config::Settings`]
//!   reads ldhook.toml and lays the flags over it.
//! - **Showing findings:** [`diagnostics::render::render`] in each [`diagnostics::render::Format`]
//!   ([`diagnostics::render::render_with`] to leave out the summary).
//! - **Previewing:** [`integration::Integration`], [`render`] and [`preview`] build the request
//!   LaunchDarkly would send for a sample event ([`events`], [`context`], [`request`],
//!   [`routing`]).
//! - **The engine:** [`engine::Template`], Handlebars.js 4.7 in strict mode with the
//!   framework's helpers, byte for byte.
//! - **Scaffolding:** [`scaffold`] plans and writes a new integration from [`scaffold::Draft`]
//!   answers.
//! - **Readers and mechanisms:** [`manifest`] (the strict JSON reader with spans), [`schema`],
//!   [`pointer`](mod@pointer), [`input`] (the one way a file is read) and [`escape`] (one escaping function
//!   per output medium).
//! - **Watching:** [`watch::watch`] calls back once its watches are in place and then once per
//!   debounced burst of changes beneath the given paths (build output, VCS and editor files
//!   left out), until the callback says [`watch::Flow::Stop`] or a stop flag is set.

// Nothing that came from a file, a flag or the environment may panic the library: no unwrap,
// expect, slice indexing or panicking macro outside tests.
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

mod atomic;
pub mod config;
pub mod context;
pub mod diagnostics;
pub mod engine;
pub mod escape;
pub mod events;
pub mod fixes;
pub mod format;
pub(crate) mod framework;
pub(crate) mod gitignore;
pub mod input;
pub mod integration;
pub(crate) mod lines;
pub mod manifest;
pub mod overrides;
pub mod pending;
pub mod pointer;
pub(crate) mod policy;
pub mod pr_preview;
pub mod preview;
pub mod receive;
pub mod registry;
pub mod render;
pub(crate) mod repository;
pub mod request;
pub mod routing;
pub(crate) mod rules;
pub mod scaffold;
pub mod schema;
pub mod send;
pub mod snapshot;
pub mod snippets;
pub mod validate;
pub mod watch;

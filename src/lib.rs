//! ldhook: scaffold, validate and preview LaunchDarkly integration-framework integrations.
//!
//! The library knows nothing of the terminal: it turns paths into a [`diagnostics::Report`],
//! and the binary decides how to print it and which exit code it means.

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

pub mod context;
pub mod diagnostics;
pub mod engine;
pub mod escape;
pub mod events;
pub(crate) mod framework;
pub mod input;
pub mod integration;
pub(crate) mod lines;
pub mod manifest;
pub mod pointer;
pub(crate) mod policy;
pub mod preview;
pub mod registry;
pub mod render;
pub mod request;
pub mod routing;
pub(crate) mod rules;
pub mod scaffold;
pub mod schema;
pub mod validate;

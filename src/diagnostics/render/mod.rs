//! Renderers: one list of findings, several ways to show it.

mod github;
mod human;
mod json;
mod sarif;

use super::Report;

/// Also `validate --format`'s values, so the flag and the renderers cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

/// Renders a report; `color` only affects the human format, machine formats are never coloured.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(report, color),
        Format::Json => json::render(report),
        Format::Github => github::render(report),
        Format::Sarif => sarif::render(report),
    }
}

/// Forward slashes on every platform: annotations and SARIF URIs are read on Linux runners.
fn portable_path(name: &str) -> String {
    name.replace('\\', "/")
}

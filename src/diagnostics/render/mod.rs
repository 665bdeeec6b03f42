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

/// How much a text format shows beyond the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Colour, in the human format only; machine formats are never coloured.
    pub color: bool,
    /// The closing summary and counts per rule of the human and GitHub formats (`--quiet`
    /// turns them off). JSON and SARIF are data and always whole.
    pub summary: bool,
}

/// Renders a report in full: findings, then the summary.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    render_with(
        report,
        format,
        Style {
            color,
            summary: true,
        },
    )
}

pub fn render_with(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Human => human::render(report, style.color, style.summary),
        Format::Json => json::render(report),
        Format::Github => github::render(report, style.summary),
        Format::Sarif => sarif::render(report),
    }
}

/// `1 error`, `2 warnings`: a count and its noun, as every summary words them.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Forward slashes on every platform: annotations and SARIF URIs are read on Linux runners.
/// Only Windows separates with `\\`; elsewhere it is a character of a file's name.
fn portable_path(name: &str) -> String {
    crate::escape::portable_separators(name).into_owned()
}

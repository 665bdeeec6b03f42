//! The command line, as clap reads it. Nothing here does any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ldhook",
    version,
    about = "Scaffold, validate and preview LaunchDarkly integration-framework integrations",
    propagate_version = true
)]
pub struct Cli {
    /// When to colour the output; NO_COLOR in the environment means never, unless `always`.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests against the schema, as the framework's test suite does.
    Validate(ValidateArgs),
    /// List every rule ldhook can report.
    Rules,
    /// Explain one rule.
    Explain {
        /// A rule id (LDH010) or name (unknown-property).
        rule: String,
    },
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Manifest files, integration directories or framework roots; `-` reads a manifest from
    /// standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,

    /// The schema to check against: a file, or `embedded` for ldhook's own. Default: the
    /// framework's manifest.schema.json inside a checkout, else the embedded one.
    #[arg(long, value_name = "FILE|embedded")]
    pub schema: Option<String>,

    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Report only these rules or groups (ids, names or group names; repeat or comma-separate).
    #[arg(long, value_name = "RULE|GROUP", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not report these rules or groups.
    #[arg(long, value_name = "RULE|GROUP", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// The name to report standard input under; it also places the manifest in a checkout.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Exit 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

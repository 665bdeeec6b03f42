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
    /// Show the HTTP request LaunchDarkly would send for a sample event.
    Render(RenderArgs),
    /// Render one template against one context with the framework's engine, and nothing else.
    Template(TemplateArgs),
    /// List the sample events available to `render`.
    Events(EventsArgs),
    /// List every rule ldhook can report.
    Rules,
    /// Explain one rule.
    Explain {
        /// A rule id (LDH010) or name (unknown-property).
        rule: String,
    },
    /// Print a shell completion script (for example: ldhook completions bash > /etc/bash_completion.d/ldhook).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
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

    /// Render templates with the sample events in this directory (<group>/<name>.json) instead
    /// of the checkout's sample-context/ or ldhook's own.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The integration directory (or its manifest.json). Default: the current directory.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// The event: a sample's name (flag/toggle-on), a JSON file, or `-` for standard input.
    /// Default: a flag event.
    #[arg(long, value_name = "NAME|FILE|-")]
    pub event: Option<String>,

    /// Read sample events from this directory (<group>/<name>.json) instead of the checkout's
    /// sample-context/ or ldhook's own.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// Render this template whatever the event (flag, project, environment, member, default,
    /// validation).
    #[arg(long, value_name = "KEY", value_parser = ["flag", "project", "environment", "member", "default", "validation"])]
    pub template: Option<String>,

    /// A form variable's value (repeatable). Others get the framework's test values.
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,

    /// Show `$KEY` placeholders for form variables not given, as the framework's preview does.
    #[arg(long)]
    pub placeholders: bool,

    /// Every sample event: the template chosen, whether the defaultPolicy delivers it, and
    /// whether it renders.
    #[arg(long, conflicts_with_all = ["event", "template", "curl"])]
    pub all: bool,

    /// Print a curl command that sends the request.
    #[arg(long, conflicts_with = "format")]
    pub curl: bool,

    /// Show the values of secret form variables given with --var.
    #[arg(long)]
    pub show_secrets: bool,

    #[arg(long, value_enum, default_value_t = PreviewFormat::Human)]
    pub format: PreviewFormat,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The template file.
    pub file: PathBuf,

    /// The JSON context to render it with.
    #[arg(long, value_name = "FILE")]
    pub context: PathBuf,

    /// JSON-escape the context's strings first: `auto` does for .json and .json.hbs files.
    #[arg(long, value_enum, default_value_t = JsonEscapeWhen::Auto)]
    pub json_escape: JsonEscapeWhen,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Where to look for a framework checkout. Default: the current directory.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// List the events in this directory instead.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = PreviewFormat::Human)]
    pub format: PreviewFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JsonEscapeWhen {
    Auto,
    On,
    Off,
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

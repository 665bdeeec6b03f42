//! The command line, as clap reads it. Nothing here does any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ldhook::diagnostics::render::Format;
use ldhook::routing::TemplateKind;
use ldhook::scaffold::{Auth, BodyFormat, Field, Method, PolicyPreset};

#[derive(Debug, Parser)]
#[command(
    name = "ldhook",
    // Set by build.rs: the version, the commit and the target triple.
    version = env!("LDHOOK_VERSION_LINE"),
    about = "Scaffold, validate and preview LaunchDarkly integration-framework integrations",
    propagate_version = true
)]
pub(crate) struct Cli {
    /// When to colour the output. `auto`: on a terminal, or wherever CLICOLOR_FORCE or
    /// FORCE_COLOR asks for it; NO_COLOR means never. `always` wins over every variable.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create an integration that passes `validate` and renders at once; asks on a terminal.
    Init(Box<InitArgs>),
    /// Check manifests against the schema, as the framework's test suite does.
    Validate(ValidateArgs),
    /// Show the HTTP request LaunchDarkly would send for a sample event.
    Render(RenderArgs),
    /// Render the request as `render` does and send it to the endpoint (or to --to).
    Send(SendArgs),
    /// Print code for the partner's own endpoint.
    Snippet {
        #[command(subcommand)]
        snippet: SnippetCommand,
    },
    /// Write every sample event's request into one reviewable file per integration, or
    /// compare that file with what renders now.
    Snapshot(SnapshotArgs),
    /// Format JSON files as the framework's Prettier check wants them (Prettier 2.2.1).
    Fmt(FmtArgs),
    /// Render one template against one context with the framework's engine, and nothing else.
    Template(TemplateArgs),
    /// List the sample events available to `render`.
    Events(EventsArgs),
    /// List every rule ldhook can report.
    Rules(RulesArgs),
    /// Explain one rule.
    Explain {
        /// A rule id (LDH010) or name (unknown-property).
        #[arg(value_parser = rule_words(false), hide_possible_values = true)]
        rule: String,
    },
    /// Print ldhook's manual page (roff), or write one page per command into a directory.
    Man {
        /// Write ldhook.1, ldhook-validate.1, … here instead of printing ldhook.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print a shell completion script (for example: ldhook completions bash > /etc/bash_completion.d/ldhook).
    Completions {
        /// The shell to write them for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Serve HTTP on this machine for development: print each request, check its signature,
    /// save it for replay.
    Receive(ReceiveArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// `.json` files, or directories (an integration, a framework root) whose `.json` files,
    /// at any depth, are formatted; `node_modules` and what the checkout's `.prettierignore`
    /// names are left out. `-` formats standard input to standard output. Default: the
    /// current directory.
    pub paths: Vec<PathBuf>,

    /// Write nothing; list the files that would change, one a line, and exit 1 if any would.
    #[arg(long, conflicts_with = "diff")]
    pub check: bool,

    /// Write nothing; print a unified diff of each change, and exit 1 if there is any.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SnapshotArgs {
    /// Integration directories, or framework roots (each of their integrations). Default: the
    /// current directory.
    pub paths: Vec<PathBuf>,

    /// Write nothing: compare, print a unified diff per changed request, and exit 1 if any
    /// request changed, an event is new or vanished, or there is no snapshot yet.
    #[arg(long, conflicts_with = "update")]
    pub check: bool,

    /// Write each snapshot that differs (what `snapshot` does without `--check`).
    #[arg(long)]
    pub update: bool,

    /// Render these sample events instead of the checkout's `sample-context/` (or ldhook's own).
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// Run now, then again whenever a manifest, a template or an event file changes; a
    /// separator line follows each pass (on a terminal the screen is cleared first). Ctrl-C or
    /// SIGTERM ends it with 0.
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Manifest files, integration directories, framework roots, or directories whose
    /// subdirectories (one level down) are integrations; any other file of an integration
    /// stands for it, and a file of a checkout outside every integration is skipped with a
    /// note. `-` reads a manifest from standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,

    /// The schema to check against: a file, or `embedded` for ldhook's own. Default: the
    /// framework's manifest.schema.json inside a checkout, else the embedded one.
    #[arg(long, value_name = "FILE|embedded")]
    pub schema: Option<String>,

    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report only these rules: ids, id prefixes (LDH1), names or groups; repeat or
    /// comma-separate. Replaces ldhook.toml's `select`.
    #[arg(long, value_name = "RULE|GROUP", value_delimiter = ',', value_parser = rule_words(true), hide_possible_values = true)]
    pub select: Vec<String>,

    /// Do not report these rules (as `--select` takes them); added to ldhook.toml's `ignore`.
    #[arg(long, value_name = "RULE|GROUP", value_delimiter = ',', value_parser = rule_words(true), hide_possible_values = true)]
    pub ignore: Vec<String>,

    /// The name to report standard input under; it also places the manifest in a checkout.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Exit 1 when there are warnings, not only errors. Default: ldhook.toml's
    /// `deny-warnings`, else off.
    #[arg(long, overrides_with = "no_deny_warnings")]
    pub deny_warnings: bool,

    /// Exit 0 on warnings, whatever ldhook.toml says.
    #[arg(long, overrides_with = "deny_warnings")]
    pub no_deny_warnings: bool,

    /// Compare each integration's payload snapshot (`ldhook snapshot`) with what renders now:
    /// a payload-snapshot (LDH219) finding per changed, new or vanished request. Default:
    /// ldhook.toml's `snapshots`, else off.
    #[arg(long)]
    pub snapshots: bool,

    /// Read settings from this file instead of the nearest ldhook.toml above the paths.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no ldhook.toml: only the flags and the defaults.
    #[arg(long)]
    pub no_config: bool,

    /// Print each setting the run would use and where it came from, and check nothing.
    #[arg(long)]
    pub show_config: bool,

    /// Print the findings only, without the summary and the counts per rule (JSON and SARIF
    /// are printed whole); twice (-qq) prints nothing, as --silent.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub quiet: u8,

    /// Print nothing at all, in any format: only the exit code tells.
    #[arg(short, long)]
    pub silent: bool,

    /// Render templates with the sample events in this directory (<group>/<name>.json) instead
    /// of the checkout's sample-context/ or ldhook's own.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// Make the fixes findings offer (formatting as `ldhook fmt` too), each kept only when
    /// validating the result finds fewer problems and no new one; say what changed, then
    /// report what is left.
    #[arg(long, conflicts_with = "show_config")]
    pub fix: bool,

    /// With --fix: print the changes as a unified diff and write nothing.
    #[arg(long, requires = "fix")]
    pub diff: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Every question has a flag; on a terminal ldhook asks only what the flags \
leave open. Without a terminal, pass --no-input to take the defaults (shown in brackets when \
asked) for what has one."
)]
pub(crate) struct InitArgs {
    /// Where to create the integration. Default: integrations/<key> in a framework checkout,
    /// else ./<key>.
    pub dir: Option<PathBuf>,

    /// The integration's name as the integrations page shows it (3 to 100 characters).
    #[arg(long)]
    pub name: Option<String>,

    /// Its key and directory name, in kebab-case. Default: from the name.
    #[arg(long)]
    pub key: Option<String>,

    /// Who maintains it: your company (3 to 100 characters).
    #[arg(long)]
    pub author: Option<String>,

    /// Where users write for support.
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,

    /// Your website.
    #[arg(long, value_name = "URL")]
    pub site: Option<String>,

    /// Your privacy policy.
    #[arg(long, value_name = "URL")]
    pub privacy_policy: Option<String>,

    /// Documentation for the integration (optional).
    #[arg(long, value_name = "URL")]
    pub docs: Option<String>,

    /// A category to list it under: one to three (repeat or comma-separate).
    #[arg(long = "category", value_name = "CATEGORY", value_delimiter = ',',
          value_parser = clap::builder::PossibleValuesParser::new(ldhook::scaffold::categories()))]
    pub categories: Vec<String>,

    /// One sentence for the integrations page, ending with a period (10 to 100 characters).
    /// Default: from the name and the policy.
    #[arg(long, value_name = "TEXT")]
    pub overview: Option<String>,

    /// Two or three sentences on one line (50 to 2048 characters). Default: from the name and
    /// the policy.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// The https URL LaunchDarkly sends events to; with `--auth oauth`, a path on the OAuth
    /// base URI (/v1/events).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// The HTTP method. Default: POST.
    #[arg(long, ignore_case = true, value_parser = choices(Method::ALL.iter().map(|c| (c.as_str(), c.label()))))]
    pub method: Option<String>,

    /// How the endpoint authenticates LaunchDarkly. Default: bearer.
    #[arg(long, value_name = "STYLE", value_parser = choices(Auth::ALL.iter().map(|c| (c.as_str(), c.label()))))]
    pub auth: Option<String>,

    /// The header that carries the key with `--auth header`. Default: X-API-Key.
    #[arg(long, value_name = "NAME")]
    pub auth_header: Option<String>,

    /// Which events the default policy sends. Default: production-flags.
    #[arg(long, value_name = "PRESET", value_parser = choices(PolicyPreset::ALL.iter().map(|c| (c.as_str(), c.label()))))]
    pub policy: Option<String>,

    /// The body format of the templates. Default: json.
    #[arg(long, value_name = "FORMAT", value_parser = choices(BodyFormat::ALL.iter().map(|c| (c.as_str(), c.label()))))]
    pub body: Option<String>,

    /// Never ask: take the defaults for what the flags leave open, and fail on what has none.
    #[arg(long)]
    pub no_input: bool,

    /// Replace an existing integration directory (one holding a manifest.json and only what
    /// ldhook writes, README.md, assets/ and templates/), listing what it removed. Never the
    /// current directory or one holding it, a framework root, or a directory holding .git.
    #[arg(long)]
    pub force: bool,

    /// Check everything and list the files, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl InitArgs {
    /// The answers the flags give, as text for `Draft::set`. They are checked in this order, so
    /// the first wrong flag here is the one reported, and `--auth` comes before the
    /// `--endpoint-url` whose check depends on it.
    pub(crate) fn answers(&self) -> Vec<(Field, String)> {
        let given = [
            (Field::Name, self.name.clone()),
            (Field::Key, self.key.clone()),
            (Field::Author, self.author.clone()),
            (Field::Email, self.email.clone()),
            (Field::Site, self.site.clone()),
            (Field::PrivacyPolicy, self.privacy_policy.clone()),
            (Field::Docs, self.docs.clone()),
            (Field::Auth, self.auth.clone()),
            (Field::AuthHeader, self.auth_header.clone()),
            (Field::EndpointUrl, self.endpoint_url.clone()),
            (Field::Policy, self.policy.clone()),
            (Field::Body, self.body.clone()),
            (Field::Overview, self.overview.clone()),
            (Field::Description, self.description.clone()),
            // clap takes the method in any case; its word is upper-case.
            (
                Field::Method,
                self.method.as_deref().map(str::to_ascii_uppercase),
            ),
            (
                Field::Categories,
                (!self.categories.is_empty()).then(|| self.categories.join(",")),
            ),
        ];
        given
            .into_iter()
            .filter_map(|(field, text)| Some((field, text?)))
            .collect()
    }
}

fn choices(
    words: impl Iterator<Item = (&'static str, &'static str)>,
) -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        words.map(|(word, label)| clap::builder::PossibleValue::new(word).help(label)),
    )
}

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// The integration directory (or its manifest.json).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// The event: a sample's name (flag/toggle-on), a JSON file, or `-` for standard input.
    /// Default: a flag event.
    #[arg(long, value_name = "NAME|FILE|-", value_parser = event_names(), hide_possible_values = true)]
    pub event: Option<String>,

    /// Read sample events from this directory (<group>/<name>.json) instead of the checkout's
    /// sample-context/ or ldhook's own.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// Render this template whatever the event (flag, project, environment, member, default,
    /// validation).
    #[arg(long, value_name = "KEY", value_parser = TemplateKind::ALL.map(TemplateKind::as_str))]
    pub template: Option<String>,

    /// A form variable's value (repeatable). Others get the framework's test values. Errors
    /// name a --var by its position, never by its text, which may hold a secret.
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,

    /// Change the event before routing and policy see it (repeatable): a dotted path the
    /// event has, and a JSON value or else a string: --set name='Flag "quoted"'
    /// --set project.environment.key=staging.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// Form variable values from `[profiles.NAME]` of the nearest ldhook.toml (or of
    /// --vars-file), as for `send`.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The TOML or JSON file that holds the profiles, instead of ldhook.toml.
    #[arg(long, value_name = "FILE", requires = "profile")]
    pub vars_file: Option<PathBuf>,

    /// Also read form variables from LDHOOK_VAR_<key> environment variables, as for `send`.
    #[arg(long)]
    pub vars_from_env: bool,

    /// Show `$KEY` placeholders for form variables not given, as the framework's preview does.
    #[arg(long)]
    pub placeholders: bool,

    /// Every sample event: the template chosen, whether the defaultPolicy delivers it, and
    /// whether it renders.
    #[arg(long, conflicts_with_all = ["event", "template", "curl", "sets"])]
    pub all: bool,

    /// Print a curl command that sends the request. With secrets masked it will not work as
    /// pasted, and a note on stderr says so.
    #[arg(long, conflicts_with = "format")]
    pub curl: bool,

    /// Show the values of secret form variables given with --var and all that derives from
    /// them: headers and URLs built from them, and the HMAC signature. Without it they are
    /// masked in every format.
    #[arg(long)]
    pub show_secrets: bool,

    /// `human` escapes control characters other than newline and tab (`\x1b`, `\u{202e}`),
    /// so that nothing from an event can act on the terminal; `json` is the request byte for
    /// byte, JSON-escaped.
    #[arg(long, value_enum, default_value_t = RenderFormat::Human)]
    pub format: RenderFormat,

    /// Render now, then again whenever the manifest, a template or an event file changes
    /// (the integration directory and the events in use are watched). On a terminal the
    /// screen is cleared before each render; otherwise a separator line follows each one.
    /// Errors are shown in place and watching goes on; Ctrl-C or SIGTERM ends it with 0.
    /// Not with `--event -`.
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SnippetCommand {
    /// A function that checks the signature `send` and LaunchDarkly's webhooks compute: hex
    /// HMAC-SHA256 of the raw body, compared in constant time.
    Verify {
        /// The language of the endpoint.
        #[arg(long, value_parser = ldhook::snippets::LANGUAGES)]
        lang: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct SendArgs {
    /// The integration directory (or its manifest.json).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// The event: a sample's name (flag/toggle-on), a JSON file, or `-` for standard input.
    /// Default: a flag event.
    #[arg(long, value_name = "NAME|FILE|-", value_parser = event_names(), hide_possible_values = true)]
    pub event: Option<String>,

    /// Every sample event the defaultPolicy delivers, one request each.
    #[arg(long, conflicts_with = "event")]
    pub all: bool,

    /// Send again, byte for byte, a request `ldhook receive --save` wrote (to its path under
    /// --to); no integration is rendered.
    #[arg(long, value_name = "FILE", requires = "to", conflicts_with_all = ["event", "all", "sets", "profile", "vars"])]
    pub replay: Option<PathBuf>,

    /// With --replay, sign the body anew with the secret in this environment variable.
    #[arg(long, value_name = "VAR", requires = "replay")]
    pub resign_secret_env: Option<String>,

    /// The header --resign-secret-env writes the signature in.
    #[arg(long, value_name = "NAME", default_value = "X-LD-Signature")]
    pub signature_header: String,

    /// With --all, the events the defaultPolicy does not deliver too.
    #[arg(long, requires = "all")]
    pub include_undelivered: bool,

    /// Read sample events from this directory instead of the checkout's sample-context/ or
    /// ldhook's own.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// A form variable's value (repeatable). Errors name a --var by its position, never by
    /// its text, which may hold a secret.
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,

    /// Change the event before routing and policy see it (repeatable): a dotted path the
    /// event has, and a JSON value or else a string: --set name='Flag "quoted"'
    /// --set project.environment.key=staging.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// Form variable values from `[profiles.NAME]` of the nearest ldhook.toml (or of
    /// --vars-file): values for plain variables, `{ env = "VAR" }` for secret ones.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The TOML or JSON file that holds the profiles, instead of ldhook.toml.
    #[arg(long, value_name = "FILE", requires = "profile")]
    pub vars_file: Option<PathBuf>,

    /// Also read form variables from LDHOOK_VAR_<key> environment variables (the key as
    /// written), so that secrets stay out of shell history; --var wins.
    #[arg(long)]
    pub vars_from_env: bool,

    /// Send to this base instead (a dev or loopback endpoint), keeping the rendered path and
    /// query: --to http://127.0.0.1:8080.
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,

    /// Seconds to connect, and seconds for the whole exchange.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,

    /// Send again after a failure to connect, a timeout, a 5xx or a 429, up to N times.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,

    /// Print what would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Show the whole response body (default: its first 2 KiB).
    #[arg(long)]
    pub show_response: bool,

    /// Show the values of secret form variables and all that derives from them in the output
    /// (they are always sent).
    #[arg(long)]
    pub show_secrets: bool,

    /// `human` lists each request and its answer, control characters escaped; `json` is one
    /// object per request, for scripts.
    #[arg(long, value_enum, default_value_t = PreviewFormat::Human)]
    pub format: PreviewFormat,
}

/// Prints the output exactly, byte for byte, whatever it holds.
#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// The template file.
    pub file: PathBuf,

    /// The JSON context to render it with.
    #[arg(long, value_name = "FILE")]
    pub context: PathBuf,

    /// JSON-escape the context's strings first: `auto` does for .json and .json.hbs files.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = JsonEscapeWhen::Auto)]
    pub json_escape: JsonEscapeWhen,
}

#[derive(Debug, Args)]
pub(crate) struct EventsArgs {
    /// Where to look for a framework checkout.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// List the events in this directory instead.
    #[arg(long, value_name = "DIR")]
    pub events: Option<PathBuf>,

    /// `human` lists each event's name, kind, verbKind and title; `json` gives the same, with
    /// the set's origin, as one object.
    #[arg(long, value_enum, default_value_t = PreviewFormat::Human)]
    pub format: PreviewFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PreviewFormat {
    Human,
    Json,
}

/// `render`'s formats: those of the other previews, and the pull request's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RenderFormat {
    Human,
    Json,
    /// With `--all`: the pull request's preview, ready to paste (validation summary, policy
    /// table, each delivered request in a collapsible block, secrets masked).
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum JsonEscapeWhen {
    Auto,
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};
    use ldhook::scaffold::{DefaultAnswer, Field, QUESTIONS};

    use super::{Cli, Command};

    fn init_options() -> Vec<clap::Arg> {
        let cli = Cli::command();
        let init = cli
            .find_subcommand("init")
            .expect("ldhook has an init command");
        init.get_arguments()
            .filter(|arg| arg.get_long().is_some())
            .cloned()
            .collect()
    }

    fn option<'a>(options: &'a [clap::Arg], flag: &str) -> Option<&'a clap::Arg> {
        options
            .iter()
            .find(|arg| arg.get_long().map(|long| format!("--{long}")).as_deref() == Some(flag))
    }

    #[test]
    fn every_question_is_an_init_flag_with_its_placeholder() {
        let options = init_options();
        for question in QUESTIONS {
            let arg = option(&options, question.flag)
                .unwrap_or_else(|| panic!("{} is not a flag of `ldhook init`", question.flag));
            let names: Vec<String> = arg
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(names, [question.value_name], "{}", question.flag);
        }
    }

    /// Every option of every command says what it does, names its value in words rather than
    /// clap's made-up `<LONG_NAME>`, and does not state a default clap already shows.
    #[test]
    fn every_option_has_help_a_value_name_and_one_default() {
        let cli = Cli::command();
        for command in cli.get_subcommands() {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                let at = format!("{} {id}", command.get_name());
                let help = arg.get_help().map(ToString::to_string);
                assert!(
                    help.as_ref().is_some_and(|h| !h.is_empty()),
                    "{at} has no help"
                );
                let names = arg
                    .get_action()
                    .takes_values()
                    .then(|| arg.get_value_names())
                    .flatten();
                for name in names.into_iter().flatten() {
                    assert!(!name.contains('_'), "{at} shows the placeholder <{name}>");
                }
                if !arg.get_default_values().is_empty() {
                    assert!(
                        !help.unwrap_or_default().contains("Default:"),
                        "{at} states its default twice"
                    );
                }
            }
        }
    }

    #[test]
    fn the_help_states_each_fixed_default_the_table_gives() {
        let options = init_options();
        for question in QUESTIONS {
            let DefaultAnswer::Fixed(default) = question.default else {
                continue;
            };
            if default.is_empty() {
                continue;
            }
            let help = option(&options, question.flag)
                .and_then(clap::Arg::get_help)
                .map(ToString::to_string)
                .unwrap_or_default();
            // clap drops the help's closing period.
            assert!(
                help.ends_with(&format!("Default: {default}")),
                "{}: {help}",
                question.flag
            );
        }
    }

    #[test]
    fn the_flags_answer_what_they_name() {
        let cli = Cli::try_parse_from([
            "ldhook",
            "init",
            "--name",
            "Acme",
            "--method",
            "patch",
            "--category",
            "ai,data",
        ])
        .expect("the flags parse");
        let Command::Init(args) = cli.command else {
            panic!("parsed as init");
        };
        assert_eq!(
            args.answers(),
            [
                (Field::Name, "Acme".to_string()),
                (Field::Method, "PATCH".to_string()),
                (Field::Categories, "ai,data".to_string()),
            ]
        );
    }
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// `human`: one rule a line; `json`: every field of every rule, for scripts and editors.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Human,
    Json,
}

/// Takes any text, as the library judges it, while offering `words` to shell completion
/// (and to nothing else: help does not list them).
#[derive(Debug, Clone)]
pub(crate) struct Suggesting {
    words: fn() -> Vec<clap::builder::PossibleValue>,
}

impl clap::builder::TypedValueParser for Suggesting {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new((self.words)().into_iter()))
    }
}

/// Rule ids (with their names as help) and names; with `groups`, also the groups and `all`,
/// as `--select` takes them.
fn rule_words(groups: bool) -> Suggesting {
    fn rules() -> Vec<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        let ids = ldhook::registry::ALL
            .iter()
            .map(|rule| PossibleValue::new(rule.id).help(rule.name));
        let names = ldhook::registry::ALL
            .iter()
            .map(|rule| PossibleValue::new(rule.name).help(rule.summary));
        ids.chain(names).collect()
    }
    fn with_groups() -> Vec<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        let mut words = rules();
        words.push(PossibleValue::new("all").help("every rule"));
        for group in ldhook::registry::GROUPS {
            words.push(PossibleValue::new(group.as_str()).help("a group of rules"));
        }
        words
    }
    Suggesting {
        words: if groups { with_groups } else { rules },
    }
}

/// ldhook's own sample events by name (a checkout's sample-context/ may hold others, and a
/// file path is taken too).
fn event_names() -> Suggesting {
    fn names() -> Vec<clap::builder::PossibleValue> {
        ldhook::events::EventSet::embedded()
            .names()
            .into_iter()
            .map(|name| clap::builder::PossibleValue::new(name.to_string()))
            .collect()
    }
    Suggesting { words: names }
}

#[derive(Debug, Args)]
pub(crate) struct ReceiveArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,

    /// The port to listen on; 0 picks a free one (the first line on stderr says which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// The status every request is answered with (200 to 599).
    #[arg(long, default_value_t = 200, value_name = "CODE",
          value_parser = clap::value_parser!(u16).range(200..=599))]
    pub status: u16,

    /// Exit 0 after this many requests.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Check signatures with the secret held by this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "secret")]
    pub secret_env: Option<String>,

    /// Check signatures with this secret (it is seen by other users in the process list:
    /// prefer --secret-env).
    #[arg(long, value_name = "VALUE")]
    pub secret: Option<String>,

    /// The header holding the hex HMAC-SHA256 of the body.
    #[arg(long, default_value = ldhook::receive::DEFAULT_SIGNATURE_HEADER, value_name = "NAME")]
    pub signature_header: String,

    /// Print credentials, cookies and signatures instead of ********.
    #[arg(long)]
    pub show_secrets: bool,

    /// Write each request as DIR/0001.request.json, … (unmasked, for replay; mode 0600).
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// `human` prints each request for people; `json` one JSON object per line per request
    /// (secrets masked), for scripts.
    #[arg(long, value_enum, default_value_t = PreviewFormat::Human)]
    pub format: PreviewFormat,
}

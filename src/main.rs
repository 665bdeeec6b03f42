//! The `ldhook` binary: parse flags, call the library, print, choose the exit code.

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

/// Messages on stderr, one line each. They quote paths and names from input, so they pass
/// through the one-line terminal escaper: a line break in a file name is shown as `\n`, and
/// cannot start a line of its own that a terminal or GitHub Actions (which reads workflow
/// commands from stderr too) would take for a `::error` command. `eprintln!` panics
/// when stderr is a closed pipe; a message nobody can read is not worth a crash, so write
/// errors are dropped here.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let message = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", ldhook::escape::terminal_line(&message));
    }};
}

mod cli;
mod prompt;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use anyhow::{Context, Result, bail};
use clap::Parser;

use cli::{
    Cli, ColorWhen, Command, EventsArgs, FmtArgs, InitArgs, JsonEscapeWhen, ListFormat,
    PreviewFormat, ReceiveArgs, RenderArgs, RenderFormat, SendArgs, SnapshotArgs, TemplateArgs,
    ValidateArgs,
};
use ldhook::config;
use ldhook::context::{self, ValueSource};
use ldhook::diagnostics::render::{self as report_render, Format};
use ldhook::diagnostics::{Report, Severity, suggest};
use ldhook::escape;
use ldhook::fixes;
use ldhook::format;
use ldhook::input;
use ldhook::integration::Integration;
use ldhook::preview::{self, Outcome};
use ldhook::registry;
use ldhook::render::{self, EventChoice, JsonEscape, RenderError};
use ldhook::request::RequestOptions;
use ldhook::routing::TemplateKind;
use ldhook::scaffold::{self, Answers, Auth, Draft, Placement, PlannedFile, WriteError};
use ldhook::snapshot;
use ldhook::validate::{self, Input};

/// How a run ends, as ruff and ripgrep use exit codes (README lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExitStatus {
    /// Nothing to report.
    Clean,
    /// Findings at or above the reported severity, or a render that failed.
    Findings,
    /// The input or the options did not let the command run.
    CouldNotRun,
    /// Ctrl-C or SIGTERM, the shell's 128 + SIGINT.
    Interrupted,
}

impl ExitStatus {
    fn code(self) -> u8 {
        match self {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::CouldNotRun => 2,
            ExitStatus::Interrupted => 130,
        }
    }

    fn findings_if(failing: bool) -> ExitStatus {
        if failing {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// Said, the one way and once, whenever init stops before writing: a Ctrl-C at a prompt
/// reaches both the signal handler and the prompt's caller, which may both get here.
fn interrupted() -> ExitStatus {
    static SAID: Once = Once::new();
    SAID.call_once(|| {
        prompt::tidy_after_interrupt();
        warn!("ldhook: interrupted; nothing was written");
    });
    ExitStatus::Interrupted
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            warn!("ldhook: error: {error:#}");
            ExitCode::from(ExitStatus::CouldNotRun)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitStatus> {
    let color = use_color(cli.color);
    match &cli.command {
        Command::Init(args) => run_init(args, color),
        Command::Validate(args) => run_validate(args, color),
        Command::Render(args) => run_render(args),
        Command::Send(args) => run_send(args),
        Command::Snippet {
            snippet: cli::SnippetCommand::Verify { lang },
        } => {
            let Some(snippet) = ldhook::snippets::verify(lang) else {
                bail!("no snippet for --lang {lang}");
            };
            print(snippet)?;
            Ok(ExitStatus::Clean)
        }
        Command::Fmt(args) => run_fmt(args, color),
        Command::Snapshot(args) => run_snapshot(args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "ldhook",
                &mut script,
            );
            print(&String::from_utf8_lossy(&script))?;
            Ok(ExitStatus::Clean)
        }
        Command::Template(args) => run_template(args),
        Command::Events(args) => run_events(args),
        Command::Rules(args) if args.format == ListFormat::Json => {
            let mut text = serde_json::to_string_pretty(&registry::ALL)?;
            text.push('\n');
            print(&text)?;
            Ok(ExitStatus::Clean)
        }
        Command::Man { dir } => {
            run_man(dir.as_deref())?;
            Ok(ExitStatus::Clean)
        }
        Command::Rules(_) => {
            let name_width = registry::ALL
                .iter()
                .map(|r| r.name.len())
                .max()
                .unwrap_or(0);
            let mut out = String::new();
            for rule in registry::ALL {
                out.push_str(&format!(
                    "{}  {:<name_width$}  {:<9}  {:<7}  {}\n",
                    rule.id,
                    rule.name,
                    rule.group.as_str(),
                    rule.severity.as_str(),
                    rule.summary
                ));
            }
            print(&out)?;
            Ok(ExitStatus::Clean)
        }
        Command::Receive(args) => receive(args, color),
        Command::Explain { rule } => {
            let Some(rule) = registry::find(rule) else {
                bail!("{}", unknown_rule(rule));
            };
            print(&rule.explain())?;
            Ok(ExitStatus::Clean)
        }
    }
}

/// The manual: ldhook.1 on stdout, or one page per command (ldhook-validate.1, …) written
/// into `dir`, each staged and renamed into place so a page is never half-written.
fn run_man(dir: Option<&Path>) -> Result<()> {
    let command = <Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page)?;
        return print(&String::from_utf8_lossy(&page));
    };
    if !dir.is_dir() {
        let what = if dir.exists() {
            "not a directory"
        } else {
            "no such directory"
        };
        bail!("{}: {what}", dir.display());
    }
    let mut pages = vec![("ldhook".to_string(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("ldhook-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page_command) in pages {
        let mut page = Vec::new();
        clap_mangen::Man::new(page_command).render(&mut page)?;
        let path = dir.join(format!("{name}.1"));
        let mut staged = tempfile::NamedTempFile::new_in(dir)
            .map_err(|error| std::io::Error::from(error.kind()))
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        staged.write_all(&page)?;
        readable_by_all(staged.as_file())?;
        staged
            .persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The error for `explain` of a rule ldhook does not know, naming the rule meant when the
/// word is a near miss of a rule's name.
fn unknown_rule(word: &str) -> String {
    let names = registry::ALL.iter().map(|rule| rule.name);
    match suggest::closest(word, names) {
        Some(name) => {
            format!("unknown rule `{word}`; did you mean `{name}`? run `ldhook rules` to list them")
        }
        None => format!("unknown rule `{word}`; run `ldhook rules` to list them"),
    }
}

/// An error about a setting ldhook.toml gave says where it gave it.
fn set_in_config(error: anyhow::Error, key: &str, origin: &config::Origin) -> anyhow::Error {
    match origin {
        config::Origin::File(place) => error.context(format!("`{key}` as {place} sets it")),
        _ => error,
    }
}

/// A manual page is for every user of the machine (`rw-r--r--`), not only its writer as a
/// staged temporary file is.
fn readable_by_all(file: &std::fs::File) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn run_validate(args: &ValidateArgs, color: bool) -> Result<ExitStatus> {
    let settings = settings(args)?;
    if args.show_config {
        // Both escape what they show: JSON its own way, the table cell by cell.
        let shown = match args.format {
            Format::Json => settings.describe_json(),
            _ => settings.describe(),
        };
        print(&shown)?;
        return Ok(ExitStatus::Clean);
    }
    if args.fix && args.paths.iter().any(|p| p.as_os_str() == "-") {
        bail!("--fix changes files, so it cannot fix standard input: give the manifest's path");
    }
    let selection = if args.fix {
        settings.selection().adding(&registry::PRETTIER_FORMAT)
    } else {
        settings.selection()
    };
    let options = validate::Options {
        schema: settings.schema.value.clone(),
        selection,
        events: settings.events.value.clone(),
        per_integration: settings.integration_ignores(),
    };
    let inputs = inputs(args)?;
    let mut session = validate::Session::new(&options)
        .map_err(|error| set_in_config(error.into(), "events", &settings.events.origin))?;
    let silent = args.silent || args.quiet >= 2;
    let schema_error = |error: validate::ValidateError| match error {
        validate::ValidateError::Schema(_) => {
            set_in_config(error.into(), "schema", &settings.schema.origin)
        }
        other => anyhow::Error::from(other),
    };
    let (report, fix_diffs) = if args.fix {
        let outcome = fixes::plan(&mut session, &inputs).map_err(|error| match error {
            fixes::FixError::Validate(error) => schema_error(error),
            other => other.into(),
        })?;
        if !args.diff {
            fixes::write(&outcome)?;
        }
        if !silent {
            for line in fix_summary(&outcome, args.diff) {
                warn!("{line}");
            }
        }
        let diffs = if args.diff {
            fix_diffs(&outcome)
        } else {
            String::new()
        };
        (outcome.report, diffs)
    } else {
        (
            session.validate(&inputs).map_err(schema_error)?,
            String::new(),
        )
    };
    if args.diff {
        if !silent {
            print(&fix_diffs)?;
        }
        let code = exit_code(&report, settings.deny_warnings.value);
        keep_until_exit((session, report, inputs));
        return Ok(if fix_diffs.is_empty() {
            code
        } else {
            ExitStatus::findings_if(true)
        });
    }
    if !silent {
        for note in session.notes() {
            warn!("ldhook: {note}");
        }
        let style = report_render::Style {
            color,
            summary: args.quiet == 0,
        };
        print(&report_render::render_with(&report, args.format, style))?;
    }
    let code = exit_code(&report, settings.deny_warnings.value);
    keep_until_exit((session, report, inputs));
    Ok(code)
}

/// What `--fix` made (or, with `--diff`, would make), file by file, then what it refused and
/// why: one line each, for stderr.
fn fix_summary(outcome: &fixes::Outcome, dry_run: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut fixed = 0_usize;
    for change in &outcome.changes {
        for made in &change.fixed {
            fixed = fixed.saturating_add(1);
            lines.push(format!(
                "ldhook: {} {}:{}:{}: {} {}: {}",
                if dry_run { "would fix" } else { "fixed" },
                escape::terminal_line(&change.name),
                made.line,
                made.column,
                made.rule.id,
                made.rule.name,
                escape::terminal_line(&made.message)
            ));
        }
    }
    for refusal in &outcome.refused {
        lines.push(format!(
            "ldhook: not fixed {}:{}:{}: {} {}: {}: {}",
            escape::terminal_line(&refusal.file),
            refusal.made.line,
            refusal.made.column,
            refusal.made.rule.id,
            refusal.made.rule.name,
            escape::terminal_line(&refusal.made.message),
            escape::terminal_line(&refusal.reason)
        ));
    }
    let files = outcome.changes.len();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        }
    };
    lines.push(format!(
        "ldhook: {} {} in {}{}",
        if dry_run { "would fix" } else { "fixed" },
        plural(fixed, "1 finding", "findings"),
        plural(files, "1 file", "files"),
        match outcome.refused.len() {
            0 => String::new(),
            n => format!("; {} refused", plural(n, "1 fix", "fixes")),
        }
    ));
    lines
}

/// `--fix --diff`: each change as a unified diff, named as findings name the file.
fn fix_diffs(outcome: &fixes::Outcome) -> String {
    outcome
        .changes
        .iter()
        .map(|change| {
            let diff = similar::TextDiff::from_lines(&*change.before, &*change.after)
                .unified_diff()
                .header(&change.name, &change.name)
                .to_string();
            escape::terminal_text(&diff).into_owned()
        })
        .collect()
}

/// `fmt`: the files that changed (or would) on stdout, or the diffs, or standard input
/// formatted; findings about files that are not JSON on stderr, as validate words them.
/// `ldhook snapshot`: writes (or with `--check` compares) each integration's snapshot. A
/// rendering error is part of the snapshot, not a failure of the run; an integration that
/// cannot be rendered at all is a finding (1), a path that is no integration a usage error (2).
fn run_snapshot(args: &SnapshotArgs) -> Result<ExitStatus> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut dirs = Vec::new();
    for path in &paths {
        let (found, in_checkout) = snapshot::integration_dirs(path)?;
        dirs.extend(found.into_iter().map(|dir| (dir, in_checkout)));
    }
    if args.watch {
        return watch_snapshots(args, &dirs);
    }
    let mut out = Vec::new();
    let code = snapshot_pass(args, &dirs, &mut out);
    print(&String::from_utf8_lossy(&out))?;
    code
}

/// `snapshot --watch`: a pass once the watches are in place, then after each burst of changes
/// to the integrations or the events in use; ends with 0 on Ctrl-C or SIGTERM.
fn watch_snapshots(args: &SnapshotArgs, dirs: &[(PathBuf, bool)]) -> Result<ExitStatus> {
    let mut paths = Vec::new();
    for (dir, _) in dirs {
        paths.push(
            std::fs::canonicalize(dir)
                .with_context(|| format!("cannot watch {}", dir.display()))?,
        );
        paths.extend(render::events_dir_in_use(dir, args.events.as_deref()));
    }
    paths.sort();
    paths.dedup();
    watch_in_blocks(&paths, || {
        let mut block = Vec::new();
        if let Err(error) = snapshot_pass(args, dirs, &mut block) {
            let _ = writeln!(
                block,
                "ldhook: error: {}",
                escape::terminal_line(&format!("{error:#}"))
            );
        }
        (String::from_utf8_lossy(&block).into_owned(), None)
    })
}

/// One pass of `snapshot` over `dirs`, what it says written to `out`.
fn snapshot_pass(
    args: &SnapshotArgs,
    dirs: &[(PathBuf, bool)],
    out: &mut Vec<u8>,
) -> Result<ExitStatus> {
    let mut failed = false;
    let mut without_hook = 0_usize;
    for (dir, in_checkout) in dirs {
        match snapshot_one(dir, args) {
            Ok((text, differs)) => {
                out.extend_from_slice(text.as_bytes());
                failed |= differs;
            }
            Err(error) if error.is_usage() => return Err(error.into()),
            // A checkout's other integrations (flag links, synced segments…) send nothing.
            Err(error) if *in_checkout && error.is_no_hook() => without_hook += 1,
            Err(error) => {
                warn!("ldhook: error: {error}");
                failed = true;
            }
        }
    }
    if without_hook > 0 {
        warn!(
            "ldhook: note: {without_hook} integration{} of the checkout {} no auditLogEventsHook: nothing to snapshot",
            if without_hook == 1 { "" } else { "s" },
            if without_hook == 1 { "has" } else { "have" }
        );
    }
    Ok(ExitStatus::findings_if(failed))
}

/// One integration's snapshot: what to print, and whether `--check` found it different.
fn snapshot_one(
    dir: &Path,
    args: &SnapshotArgs,
) -> Result<(String, bool), snapshot::SnapshotError> {
    let taken = snapshot::take(dir, args.events.as_deref())?;
    if args.check {
        let status = taken.status()?;
        let differs = !matches!(status, snapshot::Status::Same);
        return Ok((snapshot::describe(&taken, &status), differs));
    }
    let said = if taken.write()? {
        "written"
    } else {
        "up to date"
    };
    let text = format!(
        "{}: {said} ({} events)\n",
        escape::terminal_line(&taken.shown),
        taken.sections.len()
    );
    Ok((text, false))
}

fn run_fmt(args: &FmtArgs, color: bool) -> Result<ExitStatus> {
    let mode = if args.check {
        format::Mode::Check
    } else if args.diff {
        format::Mode::Diff
    } else {
        format::Mode::Write
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let outcome = format::run(&paths, mode)?;
    let mut out = String::new();
    match mode {
        format::Mode::Check => {
            for name in &outcome.changed {
                out.push_str(&escape::terminal_line(name));
                out.push('\n');
            }
        }
        format::Mode::Diff => {
            for diff in &outcome.diffs {
                out.push_str(&escape::terminal_text(diff));
            }
        }
        format::Mode::Write => {}
    }
    if let Some(stdout) = &outcome.stdout {
        out.push_str(stdout);
    }
    print(&out)?;
    if !outcome.report.diagnostics.is_empty() {
        let style = report_render::Style {
            color,
            summary: false,
        };
        let rendered = report_render::render_with(&outcome.report, Format::Human, style);
        let mut stderr = std::io::stderr().lock();
        stderr.write_all(rendered.as_bytes())?;
    }
    let would_change = mode != format::Mode::Write && !outcome.changed.is_empty();
    Ok(if would_change || !outcome.report.diagnostics.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// The process ends right after this, and the operating system takes its memory back at once:
/// freeing a compiled schema, every sample event and each integration one allocation at a time
/// would cost as much as a tenth of the run. Only the binary does this; the library frees what
/// it makes, as a long-running caller needs.
fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// What a signal (Ctrl-C, SIGTERM, SIGHUP) does depends on how far `init` is. While it asks,
/// nothing is on disk, so the run ends at once. Once it starts writing, the signal only asks
/// `write` to stop: that rolls back while the integration is not in place yet, and after that
/// the summary says it is. The lock makes the handler's look and the switch to writing one
/// step, so the handler never ends the run while something is on disk.
static WRITING: Mutex<bool> = Mutex::new(false);
static CANCELLED: AtomicBool = AtomicBool::new(false);

fn on_signal() {
    let writing = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    if *writing {
        CANCELLED.store(true, Ordering::SeqCst);
        return;
    }
    std::process::exit(i32::from(interrupted().code()));
}

/// While `render --watch` watches, a signal only asks it to stop: it ends with 0.
fn stop_watching() {
    CANCELLED.store(true, Ordering::SeqCst);
}

fn start_writing() {
    *WRITING.lock().unwrap_or_else(PoisonError::into_inner) = true;
}

fn run_init(args: &InitArgs, color: bool) -> Result<ExitStatus> {
    ctrlc::set_handler(on_signal).context("cannot handle Ctrl-C and SIGTERM")?;
    let mut draft = Draft::default();
    for (field, text) in args.answers() {
        draft.set(field, &text)?;
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if terminal && !args.no_input {
        match prompt::ask(&mut draft) {
            Err(error) if is_interrupted(&error) => {
                return Ok(interrupted());
            }
            other => other?,
        }
    } else {
        draft.fill_defaults()?;
    }
    let answers = draft.finish()?;
    let files = scaffold::plan(&answers);
    let dest = scaffold::destination(args.dir.as_deref(), Path::new("."), &answers.key);
    start_writing();
    let written = scaffold::write(&files, &dest, args.force, args.dry_run, &CANCELLED);
    let outcome = match written {
        Ok(outcome) => outcome,
        Err(WriteError::Cancelled) => {
            return Ok(interrupted());
        }
        Err(error @ WriteError::Invalid(_)) => {
            warn!("ldhook: error: {error}");
            return Ok(ExitStatus::Findings);
        }
        Err(error) => return Err(error.into()),
    };
    print(&init_summary(
        &answers,
        &files,
        &outcome,
        args.dry_run,
        color,
    ))?;
    if let Some(leftover) = &outcome.leftover {
        warn!("ldhook: warning: {leftover}");
    }
    // The signal came after the point of no return: what is on disk is the summary's.
    if CANCELLED.load(Ordering::SeqCst) {
        if !args.dry_run {
            warn!(
                "ldhook: interrupted after {}/ was complete; it stays as listed above",
                outcome.dir.display()
            );
        }
        return Ok(ExitStatus::Interrupted);
    }
    Ok(ExitStatus::Clean)
}

fn init_summary(
    answers: &Answers,
    files: &[PlannedFile],
    outcome: &scaffold::Outcome,
    dry_run: bool,
    color: bool,
) -> String {
    let dir = escape::terminal_line(&outcome.dir.display().to_string()).into_owned();
    let dry = " (dry run: nothing was written)";
    let mut out = match (&outcome.placement, dry_run) {
        (Placement::Created, false) => format!("Created {dir}/:\n"),
        (Placement::Created, true) => format!("Would create {dir}/{dry}:\n"),
        (Placement::Filled, false) => format!("Filled the empty directory {dir}/ with:\n"),
        (Placement::Filled, true) => format!("Would fill the empty directory {dir}/{dry}:\n"),
        (Placement::Replaced { .. }, false) => format!("Replaced {dir}/ with:\n"),
        (Placement::Replaced { .. }, true) => format!("Would replace {dir}/{dry} with:\n"),
    };
    for file in files {
        out.push_str(&format!(
            "  {:<32} {:>6} bytes\n",
            file.path,
            file.contents.len()
        ));
    }
    if let Placement::Replaced { removed } = &outcome.placement {
        let verb = if dry_run { "Would remove" } else { "Removed" };
        out.push_str(&format!("\n{verb} what the earlier {dir}/ held:\n"));
        for entry in removed {
            out.push_str(&format!("  {}\n", escape::terminal_line(entry)));
        }
    }
    let warnings = outcome.report.count(Severity::Warning);
    if warnings == 0 {
        out.push_str(&format!(
            "\nIt passes `ldhook validate` (schema: {}) and renders every sample event.\n",
            outcome.report.schema
        ));
    } else {
        out.push_str(&format!(
            "\nIt has no errors; `ldhook validate` notes {warnings} warning{}:\n\n",
            if warnings == 1 { "" } else { "s" }
        ));
        out.push_str(&report_render::render(
            &outcome.report,
            Format::Human,
            color,
        ));
    }
    if let Some(note) = scaffold::widening_note(answers) {
        out.push_str(&format!("\n{note}\n"));
    }
    if answers.auth == Auth::Oauth {
        out.push_str(
            "\nOAuth: LaunchDarkly must register an OAuth client for this integration, and the \
             framework's tests expect its key in OAUTH_INTEGRATIONS \
             (__tests__/validateIntegrationManifests.js).\n",
        );
    }
    if !dry_run {
        out.push_str(&format!(
            "\nNext: see the request for one event, every event's outcome, and the checks:\n  ldhook render {dir} --event flag/toggle-on\n  ldhook render {dir} --all\n  ldhook validate {dir}\n"
        ));
    }
    out
}

fn is_interrupted(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::Interrupted)
            || cause
                .downcast_ref::<dialoguer::Error>()
                .is_some_and(|dialoguer::Error::IO(e)| e.kind() == std::io::ErrorKind::Interrupted)
    })
}

/// What `render` prints: the output, a note for stderr, and the exit code.
struct RenderOutput {
    text: String,
    note: Option<String>,
    code: ExitStatus,
}

fn run_render(args: &RenderArgs) -> Result<ExitStatus> {
    if args.format == RenderFormat::Markdown && !args.all {
        bail!("--format markdown is the pull request's preview of every event: give --all too");
    }
    if args.watch {
        return watch_render(args);
    }
    match render_output(args, Pass::Last) {
        Ok(output) => {
            print(&output.text)?;
            if let Some(note) = &output.note {
                warn!("ldhook: note: {note}");
            }
            Ok(output.code)
        }
        Err(error) if error.is_usage() => Err(error.into()),
        Err(error) => {
            warn!("ldhook: error: {error}");
            Ok(ExitStatus::Findings)
        }
    }
}

/// Whether the process ends after a render, or renders again (`--watch`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Last,
    OneOfMany,
}

/// Reads the integration and its events afresh on every call, so that a watch pass sees the
/// files as they are now.
fn render_output(args: &RenderArgs, pass: Pass) -> Result<RenderOutput, RenderError> {
    let integration = Integration::load(&args.dir)?;
    let events = render::event_set(&integration.dir, args.events.as_deref())?;
    let output = render_loaded(args, &integration, &events);
    if pass == Pass::Last {
        keep_until_exit((integration, events));
    }
    output
}

/// The pull request's preview: validate's findings on the integration (with the same sample
/// events), then the table and the delivered requests.
fn pr_preview(args: &RenderArgs, integration: &Integration, rows: &[preview::Row]) -> String {
    let options = validate::Options {
        schema: ldhook::schema::SchemaChoice::Auto,
        selection: ldhook::registry::RuleSelection::default(),
        events: args.events.clone(),
        per_integration: config::IntegrationIgnores::default(),
    };
    let report = validate::validate(&[validate::Input::Path(integration.dir.clone())], &options)
        .map_err(|error| error.to_string());
    let from = render::events_from(&integration.dir, args.events.as_deref());
    ldhook::pr_preview::markdown(&integration.key(), &from.said(), &report, rows)
}

/// Ends each block of `render --watch`: off a terminal it is what a reader splits blocks on.
const WATCH_SEPARATOR: &str = "--- ldhook: watching for changes (Ctrl-C stops) ---";

/// `render --watch`: renders once the watches are in place, then after each burst of changes
/// to the integration, the events in use, an event file or the vars file. A render error is
/// shown in the block and watching goes on; Ctrl-C or SIGTERM only asks the watch to stop, and
/// the run ends with 0, as `receive` does. A reader that goes away ends it too.
fn watch_render(args: &RenderArgs) -> Result<ExitStatus> {
    if args.event.as_deref() == Some("-") {
        bail!(
            "--watch cannot read the event from standard input (--event -): name a sample event or a file"
        );
    }
    let dir = if args.dir.is_file() {
        args.dir
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        args.dir.as_path()
    };
    let dir =
        std::fs::canonicalize(dir).with_context(|| format!("cannot watch {}", dir.display()))?;
    let mut paths = vec![dir.clone()];
    paths.extend(render::events_dir_in_use(&dir, args.events.as_deref()));
    paths.extend(
        args.event
            .as_deref()
            .map(PathBuf::from)
            .filter(|path| path.is_file()),
    );
    paths.extend(args.vars_file.clone());
    watch_in_blocks(&paths, || match render_output(args, Pass::OneOfMany) {
        Ok(output) => (output.text, output.note),
        Err(error) => (
            format!(
                "ldhook: error: {}\n",
                escape::terminal_line(&error.to_string())
            ),
            None,
        ),
    })
}

/// The watch loop of `render` and `snapshot`: `pass` once the watches on `paths` are in place,
/// then after each burst of changes, each block it gives (the screen cleared first on a
/// terminal) followed by the separator line and then its note on stderr. Ctrl-C or SIGTERM
/// only asks the watch to stop, and the run ends with 0, as `receive` does; a reader that
/// goes away ends it too.
fn watch_in_blocks(
    paths: &[PathBuf],
    mut pass: impl FnMut() -> (String, Option<String>),
) -> Result<ExitStatus> {
    ctrlc::set_handler(stop_watching).context("cannot handle Ctrl-C and SIGTERM")?;
    let clear = if std::io::stdout().is_terminal() {
        "\x1b[2J\x1b[H"
    } else {
        ""
    };
    ldhook::watch::watch(
        paths,
        |_changed| {
            let (block, note) = pass();
            let written = {
                let mut stdout = std::io::stdout().lock();
                writeln!(stdout, "{clear}{block}{WATCH_SEPARATOR}").and_then(|()| stdout.flush())
            };
            // After the block, so that clearing the screen for it does not wipe the note.
            if let Some(note) = &note {
                warn!("ldhook: note: {note}");
            }
            if written.is_ok() {
                ldhook::watch::Flow::Continue
            } else {
                ldhook::watch::Flow::Stop
            }
        },
        &CANCELLED,
    )?;
    Ok(ExitStatus::Clean)
}

fn render_loaded(
    args: &RenderArgs,
    integration: &Integration,
    events: &ldhook::events::EventSet,
) -> Result<RenderOutput, RenderError> {
    let options = RequestOptions {
        vars: form_vars(
            integration,
            (args.profile.as_deref(), args.vars_file.as_deref()),
            args.vars_from_env,
            &args.vars,
        )?,
        sets: args.sets.clone(),
        source: if args.placeholders {
            ValueSource::Placeholders
        } else {
            ValueSource::TestValues
        },
        show_secrets: args.show_secrets,
    };
    if args.all {
        // The pull request's preview is pasted where anyone reads it: every secret masked.
        let options = if args.format == RenderFormat::Markdown && !args.show_secrets {
            ldhook::request::masking_every_secret(integration, options)?
        } else {
            options
        };
        let rows = render::preview_all(integration, events, &options)?;
        // Failing events the policy would deliver are errors; others a partner may never send.
        let failing = rows.iter().any(|row| {
            matches!(row.outcome, Outcome::Error(_))
                && row.policy.as_ref().is_none_or(|p| p.delivered)
        });
        let text = match args.format {
            RenderFormat::Human => preview::table(&rows),
            RenderFormat::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            ),
            RenderFormat::Markdown => pr_preview(args, integration, &rows),
        };
        return Ok(RenderOutput {
            text,
            note: None,
            code: ExitStatus::findings_if(failing),
        });
    }
    let choice = match args.event.as_deref() {
        None => EventChoice::Default,
        Some("-") => {
            let bytes =
                input::read_stdin(input::Kind::Event).map_err(ldhook::events::EventError::from)?;
            EventChoice::Stdin(bytes)
        }
        Some(name) => EventChoice::Named(name.to_string()),
    };
    let forced = args.template.as_deref().and_then(TemplateKind::parse);
    let preview = render::preview_one(integration, events, &choice, forced, &options)?;
    if args.curl {
        return Ok(RenderOutput {
            text: preview::curl(&preview.request),
            note: preview::curl_warning(&preview.request),
            code: ExitStatus::Clean,
        });
    }
    let text = match args.format {
        // `run_render` refuses markdown without --all before anything renders.
        RenderFormat::Human | RenderFormat::Markdown => preview::human(&preview),
        RenderFormat::Json => preview::json(&preview),
    };
    Ok(RenderOutput {
        text,
        note: None,
        code: ExitStatus::Clean,
    })
}

fn run_send(args: &SendArgs) -> Result<ExitStatus> {
    use ldhook::send::{self, Selection, SendOptions};
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        bail!("--timeout takes a number of seconds above 0 and at most 3600");
    }
    let send_options = SendOptions {
        to: args.to.clone(),
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        retries: args.retries,
        dry_run: args.dry_run,
    };
    if let Some(file) = &args.replay {
        let resign = match &args.resign_secret_env {
            Some(variable) => Some(send::Resign {
                header: args.signature_header.clone(),
                secret: std::env::var(variable)
                    .with_context(|| {
                        format!("--resign-secret-env {variable}: the variable is not set")
                    })?
                    .into_bytes(),
            }),
            None => None,
        };
        let planned = send::replay(file, resign.as_ref(), args.show_secrets)?;
        return print_deliveries(args, &send::deliver_all(vec![planned], &send_options));
    }
    let integration = Integration::load(&args.dir)?;
    let vars = form_vars(
        &integration,
        (args.profile.as_deref(), args.vars_file.as_deref()),
        args.vars_from_env,
        &args.vars,
    )?;
    let options = RequestOptions {
        vars,
        sets: args.sets.clone(),
        source: ValueSource::TestValues,
        show_secrets: args.show_secrets,
    };
    let selection = if args.all {
        Selection::All {
            include_undelivered: args.include_undelivered,
        }
    } else {
        Selection::One(match args.event.as_deref() {
            None => EventChoice::Default,
            Some("-") => EventChoice::Stdin(
                input::read_stdin(input::Kind::Event).map_err(ldhook::events::EventError::from)?,
            ),
            Some(name) => EventChoice::Named(name.to_string()),
        })
    };
    let events = render::event_set(&integration.dir, args.events.as_deref())?;
    let planned = match send::plan(&integration, &events, &selection, &options) {
        Ok(planned) => planned,
        Err(error) if error.is_usage() => return Err(error.into()),
        Err(error) => {
            warn!("ldhook: error: {error}");
            return Ok(ExitStatus::Findings);
        }
    };
    let deliveries = send::deliver_all(planned, &send_options);
    keep_until_exit((integration, events));
    print_deliveries(args, &deliveries)
}

/// The form variable values `render` and `send` use: later values of a key win — a
/// profile's, then `LDHOOK_VAR_<key>`, then `--var`.
fn form_vars(
    integration: &Integration,
    (profile, vars_file): (Option<&str>, Option<&Path>),
    from_env: bool,
    vars: &[String],
) -> Result<Vec<(String, String)>, RenderError> {
    let mut values = match profile {
        Some(name) => config::profile_vars(
            &integration.dir,
            vars_file,
            name,
            &integration.manifest.form_variables,
            &|variable| std::env::var(variable).ok(),
        )?,
        None => Vec::new(),
    };
    if from_env {
        values.extend(ldhook::send::vars_from_env(std::env::vars()));
    }
    values.extend(context::parse_vars(vars).map_err(ldhook::request::RequestError::from)?);
    Ok(values)
}

/// Prints what `send` did, and exits 1 unless every request was answered with a 2xx.
fn print_deliveries(args: &SendArgs, deliveries: &[ldhook::send::Delivery]) -> Result<ExitStatus> {
    use ldhook::send;
    let text = match args.format {
        PreviewFormat::Human => send::human(deliveries, args.show_response, args.dry_run),
        PreviewFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(deliveries).unwrap_or_default()
        ),
    };
    print(&text)?;
    Ok(ExitStatus::findings_if(
        deliveries.iter().any(|delivery| !delivery.succeeded()),
    ))
}

fn run_template(args: &TemplateArgs) -> Result<ExitStatus> {
    let escape = match args.json_escape {
        JsonEscapeWhen::Auto => JsonEscape::Auto,
        JsonEscapeWhen::On => JsonEscape::On,
        JsonEscapeWhen::Off => JsonEscape::Off,
    };
    match render::render_template_file(&args.file, &args.context, escape) {
        Ok(output) => {
            print(&output)?;
            Ok(ExitStatus::Clean)
        }
        // A context JSON.parse reads but ldhook cannot render is a fault of the content, as a
        // template that fails is: the same exit code, and `file:line:column: message` too.
        Err(error) if error.is_content() => {
            warn!("{error}");
            Ok(ExitStatus::Findings)
        }
        Err(error) => Err(error.into()),
    }
}

fn run_events(args: &EventsArgs) -> Result<ExitStatus> {
    let set = render::event_set(&args.dir, args.events.as_deref())?;
    let text = match args.format {
        PreviewFormat::Json => {
            let list: Vec<serde_json::Value> = set
                .events
                .iter()
                .map(|e| serde_json::json!({"name": e.name, "kind": e.kind(), "verbKind": e.verb_kind(), "title": e.title()}))
                .collect();
            let doc = serde_json::json!({"origin": set.origin, "events": list});
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
        PreviewFormat::Human => {
            let width = set
                .events
                .iter()
                .map(|e| e.name.chars().count())
                .max()
                .unwrap_or(0);
            let mut out = format!("Sample events ({}):\n", set.origin);
            for event in &set.events {
                out.push_str(&format!(
                    "  {:<width$}  {:<12} {:<22} {}\n",
                    event.name,
                    event.kind(),
                    event.verb_kind(),
                    event.title()
                ));
            }
            out
        }
    };
    print(&text)?;
    Ok(ExitStatus::Clean)
}

/// The flags laid over the nearest ldhook.toml (or the one `--config` names): discovery
/// starts where each path is, standard input where `--stdin-filename` places it.
fn settings(args: &ValidateArgs) -> Result<config::Settings> {
    let source = match (&args.config, args.no_config) {
        (Some(file), _) => config::Source::File(file.clone()),
        (None, true) => config::Source::Off,
        (None, false) => config::Source::Discover,
    };
    let starts: Vec<PathBuf> = args
        .paths
        .iter()
        .map(
            |path| match (path.as_os_str() == "-", &args.stdin_filename) {
                (true, Some(name)) => name.clone(),
                (true, None) => PathBuf::from("."),
                (false, _) => path.clone(),
            },
        )
        .collect();
    let flags = config::Flags {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        snapshots: args.snapshots,
        deny_warnings: match (args.deny_warnings, args.no_deny_warnings) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        },
        events: args.events.clone(),
        schema: args.schema.clone(),
    };
    Ok(config::Settings::resolve(&source, &starts, &flags)?)
}

fn inputs(args: &ValidateArgs) -> Result<Vec<Input>> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if args.stdin_filename.is_some() && !paths.iter().any(|p| p.as_os_str() == "-") {
        bail!("--stdin-filename names standard input, which is read only when a PATH is `-`");
    }
    let mut stdin_used = false;
    paths
        .into_iter()
        .map(|path| {
            if path.as_os_str() != "-" {
                return Ok(Input::Path(path));
            }
            if std::mem::replace(&mut stdin_used, true) {
                bail!("`-` (standard input) can be given only once");
            }
            let bytes = input::read_stdin(input::Kind::Manifest)?;
            Ok(Input::Stdin {
                name: args.stdin_filename.clone(),
                bytes,
            })
        })
        .collect()
}

fn exit_code(report: &Report, deny_warnings: bool) -> ExitStatus {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    ExitStatus::findings_if(errors > 0 || (deny_warnings && warnings > 0))
}

fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => auto_color(
            |name| std::env::var_os(name),
            || {
                anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
                    && std::io::stdout().is_terminal()
            },
        ),
    }
}

/// `--color auto`: NO_COLOR (set and not empty) means never; CLICOLOR_FORCE (not empty, not
/// `0`) or FORCE_COLOR (anything but `0` or `false`, as Node's tools read it) means colour even
/// into a pipe, as CI logs that show colour ask; FORCE_COLOR `0` or `false` means never.
/// Otherwise colour goes to a terminal that supports it (`on_terminal`: anstream's reading of
/// TERM and CLICOLOR).
fn auto_color(var: impl Fn(&str) -> Option<OsString>, on_terminal: impl FnOnce() -> bool) -> bool {
    if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    // FORCE_COLOR=0 or false (any case) says no, whatever CLICOLOR_FORCE says.
    let force_color = var("FORCE_COLOR")
        .map(|v| !(v == "0" || v.to_string_lossy().eq_ignore_ascii_case("false")));
    if force_color == Some(false) {
        return false;
    }
    if var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    force_color.unwrap_or_else(on_terminal)
}

/// Writes to stdout. A reader that went away (`| head`) is not an error of ours, and must not
/// change the exit code: findings are still findings when nobody reads all of them.
fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}

/// `receive`: serves until `--count` requests have come, or Ctrl-C (or SIGTERM), which ends
/// it with 0 since stopping is how a development server is meant to end. A request is saved
/// by a rename, so no half-written file is left behind.
fn receive(args: &ReceiveArgs, color: bool) -> Result<ExitStatus> {
    let secret = match (&args.secret_env, &args.secret) {
        (Some(name), _) => match std::env::var_os(name) {
            Some(value) if !value.is_empty() => Some(value.into_encoded_bytes()),
            _ => bail!("--secret-env {name}: the variable is not set or empty"),
        },
        (None, Some(value)) => Some(value.clone().into_bytes()),
        (None, None) => None,
    };
    let receiver = ldhook::receive::bind(args.bind, args.port)?;
    ctrlc::set_handler(|| std::process::exit(0)).context("cannot handle Ctrl-C and SIGTERM")?;
    let options = ldhook::receive::Options {
        status: args.status,
        count: args.count,
        secret,
        signature_header: args.signature_header.clone(),
        show_secrets: args.show_secrets,
        save: args.save.clone(),
        color,
        json: args.format == PreviewFormat::Json,
        ..ldhook::receive::Options::default()
    };
    receiver.serve(
        &options,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr(),
    )?;
    Ok(ExitStatus::Clean)
}

#[cfg(test)]
mod tests {
    use super::auto_color;
    use std::ffi::OsString;

    fn decided(vars: &[(&str, &str)], terminal: bool) -> bool {
        let var = |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        };
        auto_color(var, || terminal)
    }

    #[test]
    fn auto_colour_follows_the_environment_then_the_terminal() {
        assert!(!decided(&[], false));
        assert!(decided(&[], true));
        assert!(decided(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!decided(&[("CLICOLOR_FORCE", "0")], false));
        assert!(!decided(&[("CLICOLOR_FORCE", "")], false));
        assert!(decided(&[("FORCE_COLOR", "1")], false));
        assert!(decided(&[("FORCE_COLOR", "")], false));
        assert!(!decided(&[("FORCE_COLOR", "0")], true));
        assert!(!decided(&[("FORCE_COLOR", "false")], true));
        assert!(!decided(&[("FORCE_COLOR", "FALSE")], true));
        assert!(!decided(
            &[("FORCE_COLOR", "0"), ("CLICOLOR_FORCE", "1")],
            true
        ));
        assert!(!decided(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")], true));
        assert!(!decided(
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
            true
        ));
        assert!(decided(&[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")], false));
    }
}

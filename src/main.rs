//! The `ldhook` binary: parse flags, call the library, print, choose the exit code.

mod cli;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;

use cli::{Cli, ColorWhen, Command, OutputFormat, ValidateArgs};
use ldhook::diagnostics::render::{self, Format};
use ldhook::diagnostics::{Report, Severity};
use ldhook::rules::{self, RuleSelection};
use ldhook::schema::SchemaChoice;
use ldhook::validate::{self, Input};

/// Exit codes, as ruff and ripgrep use them.
const CLEAN: u8 = 0;
const FINDINGS: u8 = 1;
const COULD_NOT_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) if is_broken_pipe(&error) => ExitCode::from(CLEAN),
        Err(error) => {
            eprintln!("ldhook: error: {error:#}");
            ExitCode::from(COULD_NOT_RUN)
        }
    }
}

fn run(cli: &Cli) -> Result<u8> {
    let color = use_color(cli.color);
    match &cli.command {
        Command::Validate(args) => run_validate(args, color),
        Command::Rules => {
            let mut out = String::new();
            for rule in rules::ALL {
                out.push_str(&format!(
                    "{}  {:<18} {:<8} {:<8} {}\n",
                    rule.id,
                    rule.name,
                    rule.group.as_str(),
                    rule.severity.as_str(),
                    rule.summary
                ));
            }
            print(&out)?;
            Ok(CLEAN)
        }
        Command::Explain { rule } => {
            let Some(rule) = rules::find(rule) else {
                bail!("unknown rule `{rule}`; run `ldhook rules` to list them");
            };
            print(&format!(
                "{} {} ({} group, {} by default)\n\n{}\n\n{}\n",
                rule.id,
                rule.name,
                rule.group.as_str(),
                rule.severity.as_str(),
                rule.summary,
                rule.explanation
            ))?;
            Ok(CLEAN)
        }
    }
}

fn run_validate(args: &ValidateArgs, color: bool) -> Result<u8> {
    let options = validate::Options {
        schema: match args.schema.as_deref() {
            None => SchemaChoice::Auto,
            Some("embedded") => SchemaChoice::Embedded,
            Some(file) => SchemaChoice::File(PathBuf::from(file)),
        },
        selection: RuleSelection::new(&args.select, &args.ignore)?,
    };
    let inputs = inputs(args)?;
    let report = validate::validate(&inputs, &options)?;
    let format = match args.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
        OutputFormat::Github => Format::Github,
        OutputFormat::Sarif => Format::Sarif,
    };
    print(&render::render(&report, format, color))?;
    Ok(exit_code(&report, args.deny_warnings))
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
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            Ok(Input::Stdin {
                name: args.stdin_filename.clone(),
                bytes,
            })
        })
        .collect()
}

fn exit_code(report: &Report, deny_warnings: bool) -> u8 {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (deny_warnings && warnings > 0) {
        FINDINGS
    } else {
        CLEAN
    }
}

fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
                && std::io::stdout().is_terminal()
        }
    }
}

fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

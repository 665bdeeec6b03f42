//! `init`'s questions on a terminal. Each answer is checked as it is typed by the same check a
//! flag goes through, and every question shows its default.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};
use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Input, MultiSelect, Select};

use ldhook::scaffold::{self, Auth, BodyFormat, Draft, Field, Method, PolicyPreset};

/// Asks every question the draft leaves open, in order.
pub(crate) fn ask(draft: &mut Draft) -> Result<()> {
    let theme = ColorfulTheme::default();
    for field in Field::ALL.iter().copied() {
        if draft.has(field) || !draft.applies(field) {
            continue;
        }
        let answer = match field {
            Field::Categories => categories(&theme)?,
            Field::Method => choose(&theme, draft, field, Method::ALL, Method::label)?,
            Field::Auth => choose(&theme, draft, field, Auth::ALL, Auth::label)?,
            Field::Policy => choose(&theme, draft, field, PolicyPreset::ALL, PolicyPreset::label)?,
            Field::Body => choose(&theme, draft, field, BodyFormat::ALL, BodyFormat::label)?,
            _ => text(&theme, draft, field)?,
        };
        draft.set(field, &answer)?;
    }
    Ok(())
}

fn text(theme: &ColorfulTheme, draft: &Draft, field: Field) -> Result<String> {
    let prompt = if field == Field::EndpointUrl && draft.auth == Some(Auth::Oauth) {
        "Endpoint path on the OAuth base URI (like /v1/events)"
    } else {
        field.prompt()
    };
    let mut input = Input::<String>::with_theme(theme).with_prompt(prompt);
    match draft.default_text(field) {
        Some(default) if default.is_empty() => input = input.allow_empty(true),
        Some(default) => input = input.default(default),
        None => {}
    }
    let snapshot = draft.clone();
    input = input.validate_with(move |answer: &String| scaffold::check(field, answer, &snapshot));
    LINE_OPEN.store(true, Ordering::SeqCst);
    let answer = input.interact_text()?;
    // Answered, the prompt ends its line; cut short, the line stays open for the notice.
    LINE_OPEN.store(false, Ordering::SeqCst);
    Ok(answer)
}

/// Whether a text prompt's line is unfinished, the cursor standing after the question.
static LINE_OPEN: AtomicBool = AtomicBool::new(false);

/// Leaves the terminal as a shell expects it after a prompt is cut short: the cursor shown (a
/// list hides it) and at the start of a line, so that what is said next starts its own.
pub(crate) fn tidy_after_interrupt() {
    let term = Term::stderr();
    if !term.is_term() {
        return;
    }
    // Nobody would read an error about the terminal itself, and the run is ending anyway.
    let _ = term.show_cursor();
    if LINE_OPEN.swap(false, Ordering::SeqCst) {
        let _ = term.write_line("");
    }
}

fn choose<T: Copy + std::fmt::Display>(
    theme: &ColorfulTheme,
    draft: &Draft,
    field: Field,
    all: &[T],
    label: fn(T) -> &'static str,
) -> Result<String> {
    let labels: Vec<&str> = all.iter().map(|c| label(*c)).collect();
    let at = draft
        .default_text(field)
        .and_then(|default| all.iter().position(|c| c.to_string() == default))
        .unwrap_or(0);
    let chosen = Select::with_theme(theme)
        .with_prompt(field.prompt())
        .items(&labels)
        .default(at)
        .interact()?;
    match all.get(chosen) {
        Some(choice) => Ok(choice.to_string()),
        None => bail!("no such choice"),
    }
}

/// One to three categories; the list asks again until the choice is one the schema accepts.
/// dialoguer's list has no check of its own and reports any choice as accepted, so the list
/// reports nothing and the accepted choice is reported here, once it is checked.
fn categories(theme: &ColorfulTheme) -> Result<String> {
    let all = scaffold::categories();
    let mut checked = vec![false; all.len()];
    loop {
        let chosen = MultiSelect::with_theme(theme)
            .with_prompt(Field::Categories.prompt())
            .items(&all)
            .defaults(&checked)
            .report(false)
            .interact()?;
        // Asked again, the list keeps what was ticked, so fixing a choice is one keystroke.
        checked = (0..all.len()).map(|i| chosen.contains(&i)).collect();
        let names: Vec<&str> = chosen
            .iter()
            .filter_map(|i| all.get(*i).map(String::as_str))
            .collect();
        let answer = names.join(", ");
        let verdict = if chosen.is_empty() {
            Err("Choose at least one category.".to_string())
        } else {
            scaffold::check(Field::Categories, &answer, &Draft::default())
        };
        let mut line = String::new();
        match &verdict {
            Ok(()) => theme.format_multi_select_prompt_selection(
                &mut line,
                Field::Categories.prompt(),
                &names,
            )?,
            Err(problem) => theme.format_error(&mut line, problem)?,
        }
        Term::stderr().write_line(&line)?;
        if verdict.is_ok() {
            return Ok(answer);
        }
    }
}

//! `validate --fix`: the fixes findings carry, made in memory, checked by validating the result,
//! and only then written. A fix is kept only when the run it leads to has fewer findings and
//! none it did not have before; a file is written only when every fix made to it was kept,
//! its bytes change, and it still holds what was read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Edit, Fix, Report};
use crate::input::{self, Kind};
use crate::pending::Pending;
use crate::registry::{PRETTIER_FORMAT, Rule};
use crate::validate::{Input, Session, ValidateError};

/// A fix can make another possible (formatting after a rename); the rounds stop when one
/// keeps nothing, and at this many whatever happens.
const MAX_ROUNDS: usize = 8;

/// What `--fix` did, or would do.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The findings of the files as they are after the fixes.
    pub report: Report,
    /// Each file a fix changes, in path order.
    pub changes: Vec<Change>,
    /// Fixes that were not made, and why.
    pub refused: Vec<Refusal>,
}

#[derive(Debug)]
pub struct Change {
    /// The file as findings name it.
    pub name: String,
    pub path: PathBuf,
    pub before: Arc<str>,
    pub after: Arc<str>,
    pub fixed: Vec<Made>,
}

/// One fix made: the finding it removes, where it was, and what the fix did.
#[derive(Debug, Clone)]
pub struct Made {
    pub rule: &'static Rule,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Refusal {
    pub made: Made,
    pub file: String,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error(transparent)]
    Validate(#[from] ValidateError),
    #[error("{name}: changed while --fix was checking its fixes; run it again")]
    Changed { name: String },
    #[error("{name}: cannot write the fixed file: {source}")]
    Write {
        name: String,
        source: std::io::Error,
    },
}

/// A fix of one finding, ready to try: the file it edits and the finding as it was reported.
struct Candidate {
    path: PathBuf,
    name: String,
    fix: Fix,
    made: Made,
    identity: Identity,
}

/// What stays the same when other fixes move a finding (file, rule, message, fix), so that a
/// fix refused once is not tried again.
type Identity = (String, &'static str, String, String);

/// Works out the fixes for `inputs` (their findings' fixes, formatting included when the
/// session's selection has it) without writing anything.
pub fn plan(session: &mut Session, inputs: &[Input]) -> Result<Outcome, FixError> {
    let mut pending = Pending::default();
    let mut report = session.validate(inputs)?;
    let dirs = session.checked_dirs();
    let mut originals: BTreeMap<PathBuf, (String, Arc<str>)> = BTreeMap::new();
    let mut made: BTreeMap<PathBuf, Vec<Made>> = BTreeMap::new();
    let mut refused = Vec::new();
    let mut refused_before: HashSet<Identity> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let candidates = candidates(&report, &dirs, &pending, &mut originals, &refused_before);
        if candidates.is_empty() {
            break;
        }
        let round = compatible(candidates);
        let mut kept_any = false;
        if let Ok((next, next_report)) = attempt(session, inputs, &pending, &round, &report)? {
            record(&round, &mut made);
            pending = next;
            report = next_report;
            kept_any = true;
        } else {
            // One at a time, to keep the good ones and name the bad. Once a file has changed,
            // the spans of its other fixes are stale: they wait for the next round's findings.
            let mut changed: HashSet<PathBuf> = HashSet::new();
            for candidate in round {
                if changed.contains(&candidate.path) {
                    continue;
                }
                let alone = std::slice::from_ref(&candidate);
                match attempt(session, inputs, &pending, alone, &report)? {
                    Ok((next, next_report)) => {
                        record(alone, &mut made);
                        changed.insert(candidate.path.clone());
                        pending = next;
                        report = next_report;
                        kept_any = true;
                    }
                    Err(reason) => {
                        refused_before.insert(candidate.identity.clone());
                        refused.push(Refusal {
                            made: candidate.made,
                            file: candidate.name,
                            reason,
                        });
                    }
                }
            }
        }
        if !kept_any {
            break;
        }
    }
    let changes = pending
        .files()
        .into_iter()
        .filter_map(|(path, after)| {
            let (name, before) = originals.get(path)?;
            (before != after).then(|| Change {
                name: name.clone(),
                path: path.to_path_buf(),
                before: before.clone(),
                after: after.clone(),
                fixed: made.get(path).cloned().unwrap_or_default(),
            })
        })
        .collect();
    Ok(Outcome {
        report,
        changes,
        refused,
    })
}

/// Writes each changed file, after checking that it still holds the text the fixes were made
/// to. Every file is staged before any is renamed into place, so that a file that cannot be
/// written (a full disk, a read-only directory) stops the run before it has changed anything.
pub fn write(outcome: &Outcome) -> Result<(), FixError> {
    let mut staged = Vec::with_capacity(outcome.changes.len());
    for change in &outcome.changes {
        let now = current_text(&change.path);
        if now.as_deref() != Some(&*change.before) {
            return Err(FixError::Changed {
                name: change.name.clone(),
            });
        }
        let error = |source| FixError::Write {
            name: change.name.clone(),
            source,
        };
        staged.push((
            crate::atomic::stage(&change.path, &change.after).map_err(error)?,
            change,
        ));
    }
    for (file, change) in staged {
        file.commit().map_err(|source| FixError::Write {
            name: change.name.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Every finding's fix that may be made: in a regular file beneath an integration the run
/// checked (never a link, never standard input), whose text is the one the finding was made
/// from, and not tried before.
fn candidates(
    report: &Report,
    dirs: &[PathBuf],
    pending: &Pending,
    originals: &mut BTreeMap<PathBuf, (String, Arc<str>)>,
    refused_before: &HashSet<Identity>,
) -> Vec<Candidate> {
    let mut texts: HashMap<PathBuf, Option<Arc<str>>> = HashMap::new();
    let mut out = Vec::new();
    for diagnostic in &report.diagnostics {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        let name = diagnostic.file.name();
        let Some(path) = report.places.absolute.get(name) else {
            continue;
        };
        // One spelling for every map of the run, the one pending texts are kept under.
        let path = &Pending::resolved(path);
        let identity = (
            name.to_string(),
            diagnostic.rule.id,
            diagnostic.message.clone(),
            fix.message.clone(),
        );
        if refused_before.contains(&identity) || !inside_an_integration(path, dirs) {
            continue;
        }
        let text = texts
            .entry(path.clone())
            .or_insert_with(|| {
                let text = pending
                    .get(path)
                    .cloned()
                    .or_else(|| current_text(path).map(Arc::from))?;
                originals
                    .entry(path.clone())
                    .or_insert_with(|| (name.to_string(), text.clone()));
                Some(text)
            })
            .clone();
        if text.as_deref() != Some(diagnostic.file.text()) {
            continue;
        }
        out.push(Candidate {
            path: path.clone(),
            name: name.to_string(),
            fix: fix.clone(),
            made: made_by(diagnostic, fix),
            identity,
        });
    }
    out
}

fn made_by(diagnostic: &Diagnostic, fix: &Fix) -> Made {
    let at = diagnostic
        .location()
        .map_or((1, 1), |l| (l.start.line, l.start.column));
    Made {
        rule: diagnostic.rule,
        line: at.0,
        column: at.1,
        message: fix.message.clone(),
    }
}

/// The candidates that can be made together: in each file, fixes whose edits touch bytes no
/// earlier one touches; formatting, which rewrites the file, only when nothing else is left.
fn compatible(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    let others: HashSet<PathBuf> = candidates
        .iter()
        .filter(|c| c.made.rule.id != PRETTIER_FORMAT.id)
        .map(|c| c.path.clone())
        .collect();
    candidates.retain(|c| c.made.rule.id != PRETTIER_FORMAT.id || !others.contains(&c.path));
    candidates.sort_by_key(|c| (c.path.clone(), first_byte(&c.fix)));
    let mut taken: HashMap<PathBuf, Vec<Range<usize>>> = HashMap::new();
    candidates
        .into_iter()
        .filter(|candidate| {
            let spans = taken.entry(candidate.path.clone()).or_default();
            let clear = candidate
                .fix
                .edits
                .iter()
                .all(|edit| spans.iter().all(|span| !touches(span, &edit.span)));
            if clear {
                spans.extend(candidate.fix.edits.iter().map(|edit| edit.span.clone()));
            }
            clear
        })
        .collect()
}

/// Two edits conflict when their bytes overlap, or when both insert at the same place (their
/// order would be a guess).
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end)
        || a.start == b.start
        || (a.is_empty() && b.contains(&a.start))
        || (b.is_empty() && a.contains(&b.start))
}

fn first_byte(fix: &Fix) -> usize {
    fix.edits.iter().map(|e| e.span.start).min().unwrap_or(0)
}

/// Makes `round`'s fixes on top of `pending` and validates: the new texts and findings when
/// that is better, else why not.
fn attempt(
    session: &mut Session,
    inputs: &[Input],
    pending: &Pending,
    round: &[Candidate],
    before: &Report,
) -> Result<Result<(Pending, Report), String>, FixError> {
    let mut next = pending.clone();
    let mut by_file: BTreeMap<&Path, Vec<Edit>> = BTreeMap::new();
    for candidate in round {
        by_file
            .entry(&candidate.path)
            .or_default()
            .extend(candidate.fix.edits.iter().cloned());
    }
    for (path, edits) in by_file {
        let Some(text) = pending
            .get(path)
            .cloned()
            .or_else(|| current_text(path).map(Arc::from))
        else {
            return Ok(Err("the file can no longer be read".to_string()));
        };
        let joined = Fix {
            message: String::new(),
            edits,
        };
        match joined.apply(&text) {
            Ok(fixed) => next.set(path, fixed),
            Err(error) => return Ok(Err(error.to_string())),
        }
    }
    let after = session.validate_pending(inputs, &Arc::new(next.clone()))?;
    Ok(match worse(before, &after) {
        Some(reason) => Err(reason),
        None => Ok((next, after)),
    })
}

/// Why `after` is not an improvement on `before`: a finding it has more of, or no fewer
/// findings at all.
fn worse(before: &Report, after: &Report) -> Option<String> {
    let was = counts(before);
    let now = counts(after);
    for d in &after.diagnostics {
        let key = (d.file.name(), d.rule.id, d.message.as_str());
        if now.get(&key) > was.get(&key) {
            let at = d.location().map_or(String::new(), |l| {
                format!(":{}:{}", l.start.line, l.start.column)
            });
            return Some(format!(
                "it would add {} {} at {}{at}: {}",
                d.rule.id,
                d.rule.name,
                d.file.name(),
                d.message
            ));
        }
    }
    (after.diagnostics.len() >= before.diagnostics.len())
        .then(|| "it would not remove the finding".to_string())
}

/// How many findings of each (file, rule, message) a report has.
fn counts(report: &Report) -> HashMap<(&str, &'static str, &str), usize> {
    let mut counts = HashMap::new();
    for d in &report.diagnostics {
        let entry = counts
            .entry((d.file.name(), d.rule.id, d.message.as_str()))
            .or_insert(0_usize);
        *entry = entry.saturating_add(1);
    }
    counts
}

fn record(round: &[Candidate], made: &mut BTreeMap<PathBuf, Vec<Made>>) {
    for candidate in round {
        made.entry(candidate.path.clone())
            .or_default()
            .push(candidate.made.clone());
    }
}

/// A regular file (not a link) whose directory is, once links are resolved, inside one of
/// the integration directories the run checked.
fn inside_an_integration(path: &Path, dirs: &[PathBuf]) -> bool {
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    let parent = path.parent().and_then(|p| std::fs::canonicalize(p).ok());
    regular && parent.is_some_and(|parent| dirs.iter().any(|dir| parent.starts_with(dir)))
}

/// The file's text as it is on disk now, read the one way input is read.
fn current_text(path: &Path) -> Option<String> {
    let bytes = input::read(path, Kind::Manifest).ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;
    use crate::registry::{OVERVIEW_PERIOD, TRAILING_WHITESPACE, UNKNOWN_PROPERTY};

    fn candidate(path: &str, rule: &'static Rule, span: Range<usize>) -> Candidate {
        let made = Made {
            rule,
            line: 1,
            column: 1,
            message: String::new(),
        };
        Candidate {
            path: PathBuf::from(path),
            name: path.to_string(),
            fix: Fix {
                message: String::new(),
                edits: vec![Edit {
                    span,
                    replacement: String::new(),
                }],
            },
            made,
            identity: (path.to_string(), rule.id, String::new(), String::new()),
        }
    }

    #[test]
    fn edits_conflict_when_they_share_bytes_or_an_insertion_point() {
        assert!(touches(&(0..3), &(2..5)));
        assert!(!touches(&(0..3), &(3..5)));
        assert!(touches(&(4..4), &(4..4)));
        assert!(touches(&(2..2), &(0..5)));
        assert!(!touches(&(5..5), &(0..5)));
    }

    #[test]
    fn a_round_takes_fixes_that_do_not_conflict_and_formats_last() {
        let round = compatible(vec![
            candidate("a", &TRAILING_WHITESPACE, 10..12),
            candidate("a", &OVERVIEW_PERIOD, 11..11),
            candidate("a", &PRETTIER_FORMAT, 0..40),
            candidate("b", &PRETTIER_FORMAT, 0..40),
            candidate("a", &UNKNOWN_PROPERTY, 20..25),
        ]);
        let taken: Vec<(&str, &str)> = round
            .iter()
            .map(|c| (c.name.as_str(), c.made.rule.id))
            .collect();
        assert_eq!(
            taken,
            [("a", "LDH122"), ("a", "LDH010"), ("b", "LDH125")],
            "the period inside the whitespace waits; a's formatting waits for a's other fixes"
        );
    }

    fn report(findings: &[(&'static Rule, &str)]) -> Report {
        let file = Arc::new(SourceFile::new("manifest.json", "{}"));
        Report {
            diagnostics: findings
                .iter()
                .map(|(rule, message)| Diagnostic::new(rule, file.clone(), *message))
                .collect(),
            ..Report::default()
        }
    }

    #[test]
    fn a_result_is_worse_with_a_new_finding_or_none_fewer() {
        let before = report(&[(&OVERVIEW_PERIOD, "p"), (&UNKNOWN_PROPERTY, "u")]);
        assert_eq!(worse(&before, &report(&[(&UNKNOWN_PROPERTY, "u")])), None);
        let added = worse(&before, &report(&[(&UNKNOWN_PROPERTY, "other")]));
        assert!(added.is_some_and(|why| why.contains("it would add LDH010")));
        assert_eq!(
            worse(&before, &before).as_deref(),
            Some("it would not remove the finding")
        );
        let doubled = report(&[(&UNKNOWN_PROPERTY, "u"), (&UNKNOWN_PROPERTY, "u")]);
        assert!(worse(&before, &doubled).is_some());
    }
}

//! The framework's pre-commit checks over every file of an integration directory, as its CI
//! runs them (`pre-commit run --all-files`, pre-commit-hooks v2.4.0): `check-symlinks`,
//! `trailing-whitespace`, `end-of-file-fixer` and `check-added-large-files`; and, when asked,
//! Prettier's `--list-different` over its JSON files. pre-commit sees only what git tracks, so
//! what git ignores is skipped.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::Gitignore;

use crate::diagnostics::{Diagnostic, Edit, Fix, SourceFile};
use crate::framework::MANIFEST_FILE;
use crate::gitignore::IgnoreRules;
use crate::input::Kind;

use super::{BROKEN_SYMLINK, FINAL_NEWLINE, LARGE_FILE, PRETTIER_FORMAT, Rule, Subject};

/// Bounds on the walk, so that a hostile directory (a deep chain, a million files) costs a
/// bounded, linear amount: far beyond any integration (a dozen files, two levels), and what is
/// past them is not looked at.
const MAX_DEPTH: usize = 32;
const MAX_ENTRIES: usize = 10_000;
/// Directories pre-commit never sees: git's own, and installed packages no one commits.
const SKIPPED: [&str; 2] = [".git", "node_modules"];
/// `check-added-large-files`' default `--maxkb`, compared with the size rounded up to KiB.
const MAX_KIB: u64 = 500;
/// `identify` decides text or binary from this many bytes of the head.
const HEAD: usize = 1024;
/// Bytes Python's `bytes.rstrip()` strips: ASCII whitespace.
const WHITESPACE: &[u8] = b" \t\n\r\x0b\x0c";

/// Every finding the hooks would fail on, in walk order.
pub(super) fn check(subject: &Subject, out: &mut Vec<Diagnostic>) {
    let dir = &subject.integration.dir;
    let prettier = if subject.formatting {
        crate::format::prettier_ignore(dir).ok().flatten()
    } else {
        None
    };
    for entry in walk(dir) {
        match entry.kind {
            EntryKind::BrokenLink { target } => out.push(placed(
                subject,
                &BROKEN_SYMLINK,
                &entry.relative,
                format!(
                    "`{}` is a symbolic link to `{}`, which does not exist",
                    entry.relative,
                    target.display()
                ),
            )),
            EntryKind::File { size } => {
                check_file(subject, &entry.relative, size, prettier.as_ref(), out);
            }
        }
    }
}

fn check_file(
    subject: &Subject,
    relative: &str,
    size: u64,
    prettier: Option<&Gitignore>,
    out: &mut Vec<Diagnostic>,
) {
    if size.div_ceil(1024) > MAX_KIB {
        out.push(placed(
            subject,
            &LARGE_FILE,
            relative,
            format!(
                "`{relative}` is {} KiB ({size} bytes), over the {MAX_KIB} KiB a commit may add",
                size.div_ceil(1024)
            ),
        ));
        return;
    }
    // A file that went away or cannot be read is another rule's business (or nobody's).
    let Ok(bytes) = subject
        .integration
        .read_bytes(relative, Kind::IntegrationFile)
    else {
        return;
    };
    if !is_text(&bytes) {
        return;
    }
    // Positions are reported in characters of UTF-8 text, and a fix is an edit of that text:
    // a text file in another encoding is left to the hooks themselves.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return;
    };
    let file = source(subject, relative, text);
    for span in trailing_whitespace(bytes.as_slice()) {
        out.push(
            Diagnostic::new(
                &super::TRAILING_WHITESPACE,
                file.clone(),
                "trailing whitespace at the end of the line",
            )
            .with_span(span.clone())
            .with_fix(deletion("remove trailing whitespace", span)),
        );
    }
    if let Some(problem) = final_newline(bytes.as_slice()) {
        out.push(
            Diagnostic::new(&FINAL_NEWLINE, file.clone(), problem.message)
                .with_span(problem.edit.span.clone())
                .with_fix(Fix {
                    message: problem.fix.to_string(),
                    edits: vec![problem.edit],
                }),
        );
    }
    let is_json = Path::new(relative)
        .extension()
        .is_some_and(|ext| ext == "json");
    if subject.formatting
        && is_json
        && !prettier_ignores(prettier, &subject.integration.dir, relative)
        && let Some(edit) = prettier_edit(text)
    {
        out.push(
            Diagnostic::new(
                &PRETTIER_FORMAT,
                file,
                "not formatted as Prettier prints it; `ldhook fmt` formats it",
            )
            .with_span(edit.span.clone())
            .with_fix(Fix {
                message: "format as Prettier does".to_string(),
                edits: vec![edit],
            }),
        );
    }
}

fn prettier_ignores(ignored: Option<&Gitignore>, dir: &Path, relative: &str) -> bool {
    crate::format::is_ignored(ignored, &dir.join(relative), false)
}

/// The file a finding is in: the manifest's own source when it is the manifest as read, so
/// that its findings sit with the manifest's others.
fn source(subject: &Subject, relative: &str, text: &str) -> Arc<SourceFile> {
    let manifest = &subject.integration.document.source;
    if relative == MANIFEST_FILE && manifest.text() == text {
        return manifest.clone();
    }
    Arc::new(SourceFile::new(subject.file(relative), text))
}

/// A finding about a file as a whole (its kind or size), at its start.
fn placed(subject: &Subject, rule: &'static Rule, relative: &str, message: String) -> Diagnostic {
    let file = Arc::new(SourceFile::new(subject.file(relative), ""));
    Diagnostic::new(rule, file, message).with_span(0..0)
}

fn deletion(message: &str, span: Range<usize>) -> Fix {
    Fix {
        message: message.to_string(),
        edits: vec![Edit {
            span,
            replacement: String::new(),
        }],
    }
}

/// One entry of the walk the checks look at.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    /// Relative to the integration directory, `/`-separated.
    relative: String,
    kind: EntryKind,
}

#[derive(Debug, PartialEq, Eq)]
enum EntryKind {
    BrokenLink { target: PathBuf },
    File { size: u64 },
}

/// The broken links and regular files beneath `dir`, in name order, less what git ignores.
/// A symbolic link is never followed: a working one is neither text nor a directory to
/// pre-commit (`identify` tags it `symlink` only).
fn walk(dir: &Path) -> Vec<Entry> {
    let mut found = Vec::new();
    let mut seen = 0usize;
    // Depth-first, each directory's entries in name order, as `git ls-files` lists them.
    let mut pending = vec![(dir.to_path_buf(), String::new(), 0usize)];
    while let Some((current, prefix, depth)) = pending.pop() {
        // An ignore file that cannot be read ignores nothing: better a finding too many than a
        // check skipped.
        let ignores = IgnoreRules::for_entries_of(&current).unwrap_or_default();
        let Ok(listing) = std::fs::read_dir(&current) else {
            continue;
        };
        let mut names: Vec<_> = listing
            .filter_map(Result::ok)
            .map(|entry| entry.file_name())
            .collect();
        names.sort();
        let mut subdirs = Vec::new();
        for name in names {
            seen = seen.saturating_add(1);
            if seen > MAX_ENTRIES {
                pending.clear();
                break;
            }
            // A name that is not UTF-8 cannot be named in a message or read by a relative
            // path, and no framework file has one.
            let Some(text) = name.to_str() else {
                continue;
            };
            if SKIPPED.contains(&text) {
                continue;
            }
            let path = current.join(&name);
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if ignores.ignores_entry(&name, meta.is_dir()) {
                continue;
            }
            let relative = format!("{prefix}{text}");
            if meta.is_dir() {
                if depth < MAX_DEPTH {
                    subdirs.push((path, format!("{relative}/"), depth.saturating_add(1)));
                }
            } else if meta.file_type().is_symlink() {
                if let Some(target) = broken_target(&path) {
                    found.push(Entry {
                        relative,
                        kind: EntryKind::BrokenLink { target },
                    });
                }
            } else if meta.is_file() {
                found.push(Entry {
                    relative,
                    kind: EntryKind::File { size: meta.len() },
                });
            }
        }
        pending.extend(subdirs.into_iter().rev());
    }
    found.sort_by(|a, b| a.relative.cmp(&b.relative));
    found
}

/// Where the link at `path` points, when that does not exist: `os.path.islink(p) and not
/// os.path.exists(p)`.
fn broken_target(path: &Path) -> Option<PathBuf> {
    match std::fs::metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Some(std::fs::read_link(path).unwrap_or_default())
        }
        _ => None,
    }
}

/// `identify`'s test for a file whose extension it does not know: text unless its head holds a
/// control byte other than BEL, BS, TAB, LF, VT, FF, CR and ESC, or DEL.
fn is_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .take(HEAD)
        .all(|&b| matches!(b, 7..=13 | 27) || (b >= 0x20 && b != 0x7f))
}

/// The whitespace `trailing_whitespace_fixer` would strip, one span per line: lines split after
/// each LF, the line end (CRLF, LF, or none on the last line) kept, and the rest `rstrip`ped of
/// ASCII whitespace, so a CR before a CRLF and a CR ending the last line are stripped too.
fn trailing_whitespace(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0usize;
    for segment in bytes.split(|&b| b == b'\n') {
        let end = start.saturating_add(segment.len());
        let ends_line = end < bytes.len();
        let content = match segment.strip_suffix(b"\r") {
            Some(before_crlf) if ends_line => before_crlf,
            _ => segment,
        };
        let kept = content
            .iter()
            .rposition(|b| !WHITESPACE.contains(b))
            .map_or(0, |last| last.saturating_add(1));
        if kept < content.len() {
            spans.push(start.saturating_add(kept)..start.saturating_add(content.len()));
        }
        start = end.saturating_add(1);
    }
    spans
}

/// What `end_of_file_fixer` would change, and the edit that changes it.
#[derive(Debug, PartialEq, Eq)]
struct EndProblem {
    message: &'static str,
    fix: &'static str,
    edit: Edit,
}

fn is_break(byte: u8) -> bool {
    matches!(byte, b'\n' | b'\r')
}

/// `end_of_file_fixer`: an empty file is fine; one not ending in a line break gets an LF; one
/// of nothing but line breaks is emptied; otherwise the line breaks at the end must be exactly
/// one of LF, CRLF or CR, tried in that order, and what follows the first that starts them goes.
fn final_newline(bytes: &[u8]) -> Option<EndProblem> {
    let len = bytes.len();
    let last = *bytes.last()?;
    if !is_break(last) {
        return Some(EndProblem {
            message: "no line break at the end of the file",
            fix: "add a line break at the end of the file",
            edit: Edit {
                span: len..len,
                replacement: "\n".to_string(),
            },
        });
    }
    let Some(kept) = bytes.iter().rposition(|&b| !is_break(b)) else {
        return Some(EndProblem {
            message: "a file of nothing but line breaks",
            fix: "empty the file",
            edit: Edit {
                span: 0..len,
                replacement: String::new(),
            },
        });
    };
    let tail_start = kept.saturating_add(1);
    let tail = bytes.get(tail_start..).unwrap_or_default();
    for sequence in [&b"\n"[..], b"\r\n", b"\r"] {
        if tail == sequence {
            return None;
        }
        if tail.starts_with(sequence) {
            return Some(EndProblem {
                message: "blank lines at the end of the file",
                fix: "remove the blank lines at the end of the file",
                edit: Edit {
                    span: tail_start.saturating_add(sequence.len())..len,
                    replacement: String::new(),
                },
            });
        }
    }
    None
}

/// The one edit that makes `text` what Prettier prints: the part between the longest common
/// prefix and suffix (on character boundaries) replaced. None when it is already so, or is not
/// JSON (which `invalid-json` reports, for the manifest).
fn prettier_edit(text: &str) -> Option<Edit> {
    let formatted = crate::format::format(text).ok()?;
    if formatted == text {
        return None;
    }
    let (old, new) = (text.as_bytes(), formatted.as_bytes());
    let mut prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    while !(text.is_char_boundary(prefix) && formatted.is_char_boundary(prefix)) {
        prefix = prefix.saturating_sub(1);
    }
    let room = old.len().min(new.len()).saturating_sub(prefix);
    let mut suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !(text.is_char_boundary(old.len().saturating_sub(suffix))
        && formatted.is_char_boundary(new.len().saturating_sub(suffix)))
    {
        suffix = suffix.saturating_sub(1);
    }
    let old_end = old.len().saturating_sub(suffix);
    let new_end = new.len().saturating_sub(suffix);
    Some(Edit {
        span: prefix..old_end,
        replacement: formatted.get(prefix..new_end)?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<Range<usize>> {
        trailing_whitespace(text.as_bytes())
    }

    fn end(text: &str) -> Option<(Range<usize>, String)> {
        final_newline(text.as_bytes()).map(|p| (p.edit.span, p.edit.replacement))
    }

    fn apply(text: &str, edits: Vec<Edit>) -> String {
        Fix {
            message: String::new(),
            edits,
        }
        .apply(text)
        .expect("edits apply")
    }

    fn strip_all(text: &str) -> String {
        let edits = spans(text)
            .into_iter()
            .map(|span| Edit {
                span,
                replacement: String::new(),
            })
            .collect();
        apply(text, edits)
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init, reason = "the spans one line gives")]
    fn trailing_whitespace_is_the_run_before_each_line_end() {
        assert_eq!(spans("a  \nb\t\n"), [1..3, 5..6]);
        assert_eq!(spans("clean\nlines\n"), Vec::<Range<usize>>::new());
        // A CRLF is a line end; a CR before it is whitespace.
        assert_eq!(spans("a\r\nb \r\n"), [4..5]);
        assert_eq!(spans("a\r\r\n"), [1..2]);
        assert_eq!(spans("a \r\r\n"), [1..3]);
        // The last line has no line end: its CR is whitespace.
        assert_eq!(spans("a\nb\r"), [3..4]);
        assert_eq!(spans("last \t"), [4..6]);
        // A lone CR inside a line is not a line end, so only the end of the line counts.
        assert_eq!(spans("a \rb\n"), Vec::<Range<usize>>::new());
        // Vertical tab and form feed are ASCII whitespace; a non-breaking space is not.
        assert_eq!(spans("a\x0b\x0c\n"), [1..3]);
        assert_eq!(spans("a\u{a0}\n"), Vec::<Range<usize>>::new());
        // A line of nothing but whitespace, and Markdown's two-space break (no exception).
        assert_eq!(spans("  \n"), [0..2]);
        assert_eq!(spans("para  \n"), [4..6]);
        assert_eq!(strip_all("a \r\nb\t\n c \r"), "a\r\nb\n c");
    }

    #[test]
    #[allow(
        clippy::single_range_in_vec_init,
        reason = "a span, not a list of its bytes"
    )]
    fn final_newline_is_exactly_one_line_break() {
        assert_eq!(end(""), None);
        assert_eq!(end("a\n"), None);
        assert_eq!(end("a\r\n"), None);
        assert_eq!(end("a\r"), None);
        assert_eq!(end("a"), Some((1..1, "\n".to_string())));
        assert_eq!(end("a\n\n"), Some((2..3, String::new())));
        assert_eq!(end("a\r\n\r\n"), Some((3..5, String::new())));
        // LF is tried first, then CRLF, then CR.
        assert_eq!(end("a\n\r"), Some((2..3, String::new())));
        assert_eq!(end("a\r\r"), Some((2..3, String::new())));
        assert_eq!(end("a\r\r\n"), Some((2..4, String::new())));
        // Nothing but line breaks: emptied.
        assert_eq!(end("\n"), Some((0..1, String::new())));
        assert_eq!(end("\r\n\n\r"), Some((0..4, String::new())));
        let problem = final_newline(b"x\n\n\n").expect("blank lines");
        assert_eq!(problem.message, "blank lines at the end of the file");
        assert_eq!(
            final_newline(b"x").map(|p| p.message),
            Some("no line break at the end of the file")
        );
    }

    #[test]
    fn binary_is_a_control_byte_in_the_first_kibibyte() {
        assert!(is_text(b""));
        assert!(is_text(b"plain\ttext\r\n\x07\x08\x0b\x0c\x1b"));
        assert!(is_text("caf\u{e9} \u{1f600}".as_bytes()));
        assert!(is_text(&[0xff, 0x80, 0xfe]));
        assert!(!is_text(b"\x89PNG\r\n\x1a\n"));
        assert!(!is_text(b"nul\0"));
        assert!(!is_text(b"del\x7f"));
        let mut late = vec![b'a'; HEAD];
        late.push(0);
        assert!(is_text(&late));
    }

    #[test]
    fn prettier_edit_replaces_the_smallest_differing_range() {
        assert_eq!(prettier_edit("{ \"a\": 1 }\n"), None);
        assert_eq!(prettier_edit("{not json"), None);
        let text = "{ \"a\":1 }\n";
        let edit = prettier_edit(text).expect("differs");
        assert_eq!(edit.span, 6..6);
        assert_eq!(edit.replacement, " ");
        assert_eq!(apply(text, vec![edit]), "{ \"a\": 1 }\n");
        let text = "{\"é\":  \"ü\"}";
        let edit = prettier_edit(text).expect("differs");
        let formatted = crate::format::format(text).expect("JSON");
        assert_eq!(apply(text, vec![edit]), formatted);
    }

    fn tree(entries: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in entries {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        walk(dir).into_iter().map(|entry| entry.relative).collect()
    }

    #[test]
    fn walk_lists_files_in_name_order_less_git_and_packages() {
        let dir = tree(&[
            ("manifest.json", "{}\n"),
            ("templates/b.hbs", "b\n"),
            ("templates/a.hbs", "a\n"),
            ("assets/icon.svg", "<svg/>\n"),
            ("node_modules/x/index.js", "x\n"),
            (".git/HEAD", "ref\n"),
        ]);
        assert_eq!(
            names(dir.path()),
            [
                "assets/icon.svg",
                "manifest.json",
                "templates/a.hbs",
                "templates/b.hbs"
            ]
        );
    }

    #[test]
    fn walk_skips_what_git_ignores() {
        let dir = tree(&[
            (".git/info/exclude", ""),
            ("integration/.gitignore", "*.log\nbuild/\n"),
            ("integration/manifest.json", "{}\n"),
            ("integration/debug.log", "x \n"),
            ("integration/build/out.json", "x"),
        ]);
        assert_eq!(
            names(&dir.path().join("integration")),
            [".gitignore", "manifest.json"]
        );
    }

    #[test]
    fn walk_bounds_its_entries() {
        let dir = tempfile::tempdir().expect("temp dir");
        for n in 0..(MAX_ENTRIES + 5) {
            std::fs::write(dir.path().join(format!("{n:05}")), "").expect("write");
        }
        assert_eq!(walk(dir.path()).len(), MAX_ENTRIES);
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_link_is_found_and_a_working_one_is_not_followed() {
        let dir = tree(&[("real.svg", "<svg/>\n"), ("sub/inner.txt", "x\n")]);
        let root = dir.path();
        std::os::unix::fs::symlink("real.svg", root.join("works.svg")).expect("link");
        std::os::unix::fs::symlink("../gone.svg", root.join("broken.svg")).expect("link");
        std::os::unix::fs::symlink("sub", root.join("linked-dir")).expect("link");
        assert_eq!(
            walk(root),
            [
                Entry {
                    relative: "broken.svg".to_string(),
                    kind: EntryKind::BrokenLink {
                        target: PathBuf::from("../gone.svg")
                    },
                },
                Entry {
                    relative: "real.svg".to_string(),
                    kind: EntryKind::File { size: 7 },
                },
                Entry {
                    relative: "sub/inner.txt".to_string(),
                    kind: EntryKind::File { size: 2 },
                },
            ]
        );
    }

    #[test]
    fn large_is_over_500_kib_rounded_up() {
        let dir = tree(&[]);
        let file = |size: u64| {
            let path = dir.path().join(format!("f{size}"));
            std::fs::File::create(&path)
                .and_then(|f| f.set_len(size))
                .expect("sized file");
        };
        file(512_000);
        file(512_001);
        let sizes: Vec<u64> = walk(dir.path())
            .into_iter()
            .filter_map(|entry| match entry.kind {
                EntryKind::File { size } => Some(size),
                EntryKind::BrokenLink { .. } => None,
            })
            .collect();
        assert_eq!(sizes, [512_000, 512_001]);
        assert!(512_000u64.div_ceil(1024) <= MAX_KIB);
        assert!(512_001u64.div_ceil(1024) > MAX_KIB);
    }

    /// Text full of the bytes the two checks care about.
    fn whitespace_heavy() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(vec![b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c, b'a']),
                1 => any::<u8>(),
            ],
            0..64,
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::with_cases(512)
        })]

        /// Neither check panics on any bytes, each fix leaves nothing for its own check, and
        /// the two fixed in pre-commit's order leave nothing for either.
        #[test]
        fn fixes_leave_nothing_to_report(bytes in whitespace_heavy()) {
            let _spans = trailing_whitespace(&bytes);
            let _end = final_newline(&bytes);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let stripped = strip_all(&text);
            proptest::prop_assert_eq!(spans(&stripped), Vec::<Range<usize>>::new());
            let ended = |text: &str| match final_newline(text.as_bytes()) {
                Some(problem) => apply(text, vec![problem.edit]),
                None => text.to_string(),
            };
            proptest::prop_assert_eq!(end(&ended(&text)), None);
            let both = ended(&stripped);
            proptest::prop_assert_eq!(spans(&both), Vec::<Range<usize>>::new());
            proptest::prop_assert_eq!(end(&both), None);
        }
    }
}

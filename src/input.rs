//! The one way ldhook reads an input file.
//!
//! Every file ldhook reads comes through here, so that the same guarantees hold everywhere:
//! only regular files are read (a FIFO, a device or a directory is refused before a byte is
//! read, so nothing blocks or streams forever); each kind of file has a size cap and the
//! message names it; a file a manifest names is opened beneath its integration directory in
//! one step, and read from the handle that was checked, so neither `..`, an absolute path, a
//! symbolic link nor a link swapped in between two system calls can lead outside it.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// What a file is for, which sets its size cap and how messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Manifest,
    Template,
    Event,
    /// A JSON render context given to `ldhook template --context`.
    Context,
    Schema,
    /// `ldhook.toml`.
    Config,
    /// Only the head of an icon is read: enough to see that it is an SVG document.
    Icon,
    /// A `.gitignore` or `.git/info/exclude`, read to leave ignored integrations out.
    IgnoreFile,
    /// Any `.json` file `ldhook fmt` formats.
    Json,
    /// Any file of an integration, read for the framework's pre-commit checks.
    IntegrationFile,
    /// A payload snapshot that `ldhook snapshot` wrote.
    Snapshot,
}

impl Kind {
    /// Generous caps: the largest public manifest is 30 KB, the largest template 5 KB and
    /// the framework's bundled schema 240 KB; a 10 MB template must still render in full.
    pub const fn limit(self) -> u64 {
        match self {
            Kind::Manifest | Kind::Template | Kind::Event | Kind::Context | Kind::Json => 64 * MIB,
            Kind::Schema => 16 * MIB,
            Kind::Config => MIB,
            Kind::Icon => 64 * KIB,
            // The largest in public repositories run to a few KiB.
            Kind::IgnoreFile => MIB,
            // pre-commit's `check-added-large-files` refuses anything larger.
            Kind::IntegrationFile => 500 * KIB,
            Kind::Snapshot => 64 * MIB,
        }
    }

    pub const fn noun(self) -> &'static str {
        match self {
            Kind::Manifest => "a manifest",
            Kind::Template => "a template",
            Kind::Event => "a sample event",
            Kind::Context => "a render context",
            Kind::Schema => "a schema",
            Kind::Config => "a configuration file",
            Kind::Icon => "an icon",
            Kind::IgnoreFile => "an ignore file",
            Kind::Json => "a JSON file",
            Kind::IntegrationFile => "a file of an integration",
            Kind::Snapshot => "a payload snapshot",
        }
    }
}

/// What is wrong with a file, without its name (the caller's error names it).
#[derive(Debug)]
pub enum Problem {
    NotFound,
    Directory,
    /// A FIFO, device or socket: reading one could block or never end.
    NotRegular(&'static str),
    TooLarge {
        kind: Kind,
        size: Option<u64>,
    },
    /// The path leads outside the directory it must stay in.
    Escapes,
    Absolute,
    SymlinkLoop,
    /// A symbolic link where this system offers no safe way to follow one.
    Symlink,
    PermissionDenied,
    NotUtf8 {
        line: usize,
        column: usize,
        byte: u8,
    },
    Io(std::io::Error),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotFound => f.write_str("no such file or directory"),
            Problem::Directory => f.write_str("is a directory, not a file"),
            Problem::NotRegular(what) => write!(
                f,
                "is {what}, not a regular file; ldhook reads only regular files"
            ),
            Problem::TooLarge { kind, size } => {
                let limit = human_size(kind.limit());
                match size {
                    Some(size) => write!(
                        f,
                        "is {}, over the {limit} limit for {}",
                        human_size(*size),
                        kind.noun()
                    ),
                    None => write!(f, "is over the {limit} limit for {}", kind.noun()),
                }
            }
            Problem::Escapes => f.write_str("leads outside the directory it must stay in"),
            Problem::Absolute => f.write_str("is an absolute path; it must be relative"),
            Problem::SymlinkLoop => f.write_str("is a loop of symbolic links"),
            Problem::Symlink => f.write_str(
                "is a symbolic link, which this system cannot follow safely inside a directory",
            ),
            Problem::PermissionDenied => f.write_str("permission denied"),
            Problem::NotUtf8 { line, column, byte } => write!(
                f,
                "is not valid UTF-8: byte 0x{byte:02X} at line {line}, column {column}"
            ),
            Problem::Io(error) => write!(f, "{error}"),
        }
    }
}

/// A file that could not be read, and why.
#[derive(Debug, thiserror::Error)]
pub struct InputError {
    pub path: String,
    pub problem: Problem,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::NotUtf8 { line, column, byte } => write!(
                f,
                "{}:{line}:{column}: not valid UTF-8 text (byte 0x{byte:02X})",
                self.path
            ),
            problem => write!(f, "{}: {problem}", self.path),
        }
    }
}

impl InputError {
    fn new(path: impl Into<String>, problem: Problem) -> Self {
        InputError {
            path: path.into(),
            problem,
        }
    }
}

/// The name messages give standard input (declared with the reports that carry it).
pub(crate) use crate::diagnostics::STDIN;

/// Reads a file the user named on the command line (a symbolic link there is the user's own
/// choice, so it is followed).
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let file = open::path(path).map_err(|e| InputError::new(&name, problem_of(e)))?;
    read_regular(file, &name, kind)
}

/// Reads `relative` beneath `dir`, refusing any way out of it.
pub(crate) fn read_beneath(dir: &Path, relative: &str, kind: Kind) -> Result<Vec<u8>, InputError> {
    let file = open_beneath(dir, relative)?;
    read_regular(file, relative, kind)
}

/// The first bytes of `relative` beneath `dir` (at most the kind's limit), and the file's
/// whole size: a large file is judged by its head without being read whole.
pub(crate) fn head_beneath(dir: &Path, relative: &str, kind: Kind) -> Result<Head, InputError> {
    let file = open_beneath(dir, relative)?;
    let size = regular_size(&file, relative)?;
    // Sized from the start, so a small file is read in two calls rather than a doubling
    // buffer's dozen: a checkout has two icons per integration.
    let expected = size.min(kind.limit()).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(kind.limit())
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(relative, problem_of(e)))?;
    Ok(Head { bytes })
}

#[derive(Debug)]
pub(crate) struct Head {
    pub bytes: Vec<u8>,
}

/// Reads standard input up to the kind's cap.
pub fn read_stdin(kind: Kind) -> Result<Vec<u8>, InputError> {
    read_capped(std::io::stdin().lock(), STDIN, kind, None)
}

/// Checks `bytes` are UTF-8 and says where they stop being so.
pub(crate) fn decode_utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let at = error.valid_up_to();
        let prefix = bytes.get(..at).and_then(|p| std::str::from_utf8(p).ok());
        let position =
            crate::diagnostics::SourceFile::new(name, prefix.unwrap_or_default()).position(at);
        InputError::new(
            name,
            Problem::NotUtf8 {
                line: position.line,
                column: position.column,
                byte: bytes.get(at).copied().unwrap_or_default(),
            },
        )
    })
}

/// What a path is, in words, when it is not a regular file or a directory.
pub(crate) fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a pipe (FIFO)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    (!file_type.is_file() && !file_type.is_dir()).then_some("not a regular file")
}

/// How an I/O error reads in a message.
pub(crate) fn problem_of(error: std::io::Error) -> Problem {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => Problem::NotFound,
        ErrorKind::PermissionDenied => Problem::PermissionDenied,
        ErrorKind::IsADirectory => Problem::Directory,
        _ if is_loop(&error) => Problem::SymlinkLoop,
        _ => Problem::Io(error),
    }
}

fn is_loop(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

fn open_beneath(dir: &Path, relative: &str) -> Result<File, InputError> {
    let path = Path::new(relative);
    if path.is_absolute() || relative.starts_with('/') || relative.starts_with('\\') {
        return Err(InputError::new(relative, Problem::Absolute));
    }
    if path
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(InputError::new(relative, Problem::Escapes));
    }
    if relative.is_empty() {
        return Err(InputError::new(relative, Problem::NotFound));
    }
    open::beneath(dir, path).map_err(|problem| InputError::new(relative, problem))
}

fn read_regular(file: File, name: &str, kind: Kind) -> Result<Vec<u8>, InputError> {
    let size = regular_size(&file, name)?;
    if size > kind.limit() {
        return Err(InputError::new(
            name,
            Problem::TooLarge {
                kind,
                size: Some(size),
            },
        ));
    }
    read_capped(file, name, kind, Some(size))
}

/// The file's size, when it is a regular file.
fn regular_size(file: &File, name: &str) -> Result<u64, InputError> {
    let metadata = file
        .metadata()
        .map_err(|e| InputError::new(name, problem_of(e)))?;
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return Err(InputError::new(name, Problem::Directory));
    }
    if let Some(what) = special_kind(file_type) {
        return Err(InputError::new(name, Problem::NotRegular(what)));
    }
    Ok(metadata.len())
}

/// Reads at most the cap, so a file that grows while it is read, or a stream, stops there.
fn read_capped(
    reader: impl Read,
    name: &str,
    kind: Kind,
    size_hint: Option<u64>,
) -> Result<Vec<u8>, InputError> {
    let limit = kind.limit();
    let mut bytes = Vec::with_capacity(
        size_hint
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
            .saturating_add(1),
    );
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(name, problem_of(e)))?;
    if u64::try_from(bytes.len()).map_or(true, |n| n > limit) {
        return Err(InputError::new(
            name,
            Problem::TooLarge { kind, size: None },
        ));
    }
    Ok(bytes)
}

fn human_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(target_os = "linux")]
mod open {
    //! `openat2(RESOLVE_BENEATH)` resolves the whole path in the kernel, symbolic links
    //! included, and fails rather than leave the directory; kernels before 5.6, or sandboxes
    //! that filter the call, get the portable walk instead.
    use std::fs::File;
    use std::path::Path;

    use rustix::fs::{Mode, ResolveFlags};
    use rustix::io::Errno;

    use super::Problem;

    pub(super) fn path(path: &Path) -> std::io::Result<File> {
        super::portable::path(path)
    }

    pub(super) fn beneath(dir: &Path, relative: &Path) -> Result<File, Problem> {
        let root = super::portable::directory(dir)?;
        let opened = rustix::fs::openat2(
            &root,
            relative,
            super::portable::read_flags(),
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
        );
        match opened {
            Ok(fd) => Ok(File::from(fd)),
            Err(Errno::NOSYS | Errno::PERM | Errno::INVAL) => {
                super::portable::walk(&root, relative)
            }
            Err(Errno::XDEV) => Err(Problem::Escapes),
            Err(errno) => Err(super::problem_of(errno.into())),
        }
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
mod open {
    //! Unverified here (only Linux builds on this project's machines): the portable walk.
    use std::fs::File;
    use std::path::Path;

    use super::Problem;

    pub fn path(path: &Path) -> std::io::Result<File> {
        super::portable::path(path)
    }

    pub fn beneath(dir: &Path, relative: &Path) -> Result<File, Problem> {
        let root = super::portable::directory(dir)?;
        super::portable::walk(&root, relative)
    }
}

#[cfg(unix)]
mod portable {
    //! One component at a time with `O_NOFOLLOW`: no symbolic link is followed at all, which
    //! is stricter than needed but can never leave the directory.
    use std::fs::File;
    use std::os::fd::OwnedFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::{Component, Path};

    use rustix::fs::{Mode, OFlags};
    use rustix::io::Errno;

    use super::Problem;

    /// Non-blocking, so that opening a FIFO returns at once and the type check refuses it.
    pub(super) fn read_flags() -> OFlags {
        OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NONBLOCK
    }

    pub(super) fn path(path: &Path) -> std::io::Result<File> {
        let extra = (OFlags::NOCTTY | OFlags::NONBLOCK).bits();
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(i32::try_from(extra).unwrap_or_default())
            .open(path)
    }

    pub(super) fn directory(dir: &Path) -> Result<OwnedFd, Problem> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        rustix::fs::open(
            dir,
            OFlags::RDONLY | OFlags::CLOEXEC | OFlags::DIRECTORY,
            Mode::empty(),
        )
        .map_err(|errno| super::problem_of(errno.into()))
    }

    pub(super) fn walk(root: &OwnedFd, relative: &Path) -> Result<File, Problem> {
        let names: Vec<_> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(name),
                _ => None,
            })
            .collect();
        let Some((last, parents)) = names.split_last() else {
            return Err(Problem::NotFound);
        };
        let mut current: Option<OwnedFd> = None;
        for name in parents {
            let at = current.as_ref().unwrap_or(root);
            let next = rustix::fs::openat(
                at,
                *name,
                OFlags::RDONLY | OFlags::CLOEXEC | OFlags::DIRECTORY | OFlags::NOFOLLOW,
                Mode::empty(),
            )
            .map_err(refused_link)?;
            current = Some(next);
        }
        let at = current.as_ref().unwrap_or(root);
        rustix::fs::openat(at, *last, read_flags() | OFlags::NOFOLLOW, Mode::empty())
            .map(File::from)
            .map_err(refused_link)
    }

    /// With `O_NOFOLLOW`, `ELOOP` means the component is a link, not that links loop.
    fn refused_link(errno: Errno) -> Problem {
        match errno {
            Errno::LOOP => Problem::Symlink,
            Errno::NOTDIR => Problem::NotFound,
            other => super::problem_of(other.into()),
        }
    }
}

#[cfg(not(unix))]
mod open {
    //! Unverified here (only Linux builds on this project's machines): the real path is
    //! checked, then the file opened; a link swapped in between is not caught.
    use std::fs::File;
    use std::path::Path;

    use super::Problem;

    pub fn path(path: &Path) -> std::io::Result<File> {
        File::open(path)
    }

    pub fn beneath(dir: &Path, relative: &Path) -> Result<File, Problem> {
        let root = dir.canonicalize().map_err(super::problem_of)?;
        let real = dir
            .join(relative)
            .canonicalize()
            .map_err(super::problem_of)?;
        if !real.starts_with(&root) {
            return Err(Problem::Escapes);
        }
        File::open(real).map_err(super::problem_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_beneath_its_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("t")).expect("mkdir");
        std::fs::write(dir.path().join("t/a.hbs"), "hi").expect("write");
        let bytes = read_beneath(dir.path(), "t/a.hbs", Kind::Template).expect("read");
        assert_eq!(bytes, b"hi");
        let bytes = read_beneath(dir.path(), "./t/./a.hbs", Kind::Template).expect("read");
        assert_eq!(bytes, b"hi");
    }

    #[test]
    fn refuses_every_way_out() {
        let outer = tempfile::tempdir().expect("temp dir");
        let dir = outer.path().join("integration");
        std::fs::create_dir(&dir).expect("mkdir");
        std::fs::write(outer.path().join("secret.txt"), "s").expect("write");
        let problem = |relative: &str| {
            read_beneath(&dir, relative, Kind::Template)
                .expect_err("refused")
                .problem
        };
        assert!(matches!(problem("../secret.txt"), Problem::Escapes));
        assert!(matches!(problem("/etc/hostname"), Problem::Absolute));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.txt"), dir.join("link"))
                .expect("symlink");
            std::os::unix::fs::symlink(outer.path(), dir.join("up")).expect("symlink");
            assert!(matches!(problem("link"), Problem::Escapes));
            assert!(matches!(problem("up/secret.txt"), Problem::Escapes));
        }
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_that_stay_inside() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("real.hbs"), "in").expect("write");
        std::os::unix::fs::symlink("real.hbs", dir.path().join("alias.hbs")).expect("symlink");
        let bytes = read_beneath(dir.path(), "alias.hbs", Kind::Template).expect("read");
        assert_eq!(bytes, b"in");
    }

    #[cfg(unix)]
    #[test]
    fn names_a_loop_of_links() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink("b", dir.path().join("a")).expect("symlink");
        std::os::unix::fs::symlink("a", dir.path().join("b")).expect("symlink");
        let error = read_beneath(dir.path(), "a", Kind::Template).expect_err("loop");
        assert!(matches!(error.problem, Problem::SymlinkLoop), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_without_blocking() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::RUSR).expect("mkfifo");
        let error = read(&fifo, Kind::Manifest).expect_err("fifo");
        assert!(matches!(error.problem, Problem::NotRegular(_)), "{error}");
        let error = read_beneath(dir.path(), "pipe", Kind::Template).expect_err("fifo");
        assert!(error.to_string().contains("a pipe (FIFO)"), "{error}");
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("d")).expect("mkdir");
        let error = read_beneath(dir.path(), "d", Kind::Icon).expect_err("dir");
        assert!(matches!(error.problem, Problem::Directory), "{error}");
    }

    #[test]
    fn caps_each_kind_and_says_which_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = std::fs::File::create(dir.path().join("big.json")).expect("create");
        file.set_len(Kind::Schema.limit() + 1).expect("grow");
        let error = read(&dir.path().join("big.json"), Kind::Schema).expect_err("too large");
        assert!(
            error
                .to_string()
                .contains("over the 16 MiB limit for a schema"),
            "{error}"
        );
        let error = read_capped(std::io::repeat(b'x'), STDIN, Kind::Icon, None).expect_err("cap");
        assert_eq!(
            error.to_string(),
            "<stdin>: is over the 64 KiB limit for an icon"
        );
    }

    #[test]
    fn reads_only_the_head_of_an_icon() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = std::fs::File::create(dir.path().join("i.svg")).expect("create");
        file.set_len(10 * MIB).expect("grow");
        let head = head_beneath(dir.path(), "i.svg", Kind::Icon).expect("head");
        assert_eq!(head.bytes.len() as u64, Kind::Icon.limit());
    }

    #[test]
    fn names_where_text_stops_being_utf8() {
        let error = decode_utf8("t.hbs", b"ab\ncd\r\xffe").expect_err("bad byte");
        assert_eq!(
            error.to_string(),
            "t.hbs:3:1: not valid UTF-8 text (byte 0xFF)"
        );
    }
}

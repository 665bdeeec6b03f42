//! Engine errors: what went wrong, and where in the template.

use std::fmt;

/// The kinds the reference distinguishes, so callers and tests can tell a typo in a template
/// from a missing field in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template is not valid Handlebars.
    Parse,
    /// Strict mode: a mustache names a field the context does not have.
    StrictMissing,
    /// A partial that is not defined.
    MissingPartial,
    /// A helper refused its arguments (`#if` with two parameters, `#each` with none).
    HelperException,
    /// What JavaScript would throw as a TypeError (a property of undefined, calling a value
    /// that is not a function).
    TypeError,
    /// What JavaScript would throw as a RangeError (an invalid date).
    RangeError,
    /// Rendering went past its [`EvalBudget`](super::EvalBudget): ldhook's own limit, which
    /// Handlebars.js does not have, so that no template can run for hours or fill memory.
    LimitExceeded,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::StrictMissing => "strict-missing",
            ErrorKind::MissingPartial => "missing-partial",
            ErrorKind::HelperException => "helper-exception",
            ErrorKind::TypeError => "js-TypeError",
            ErrorKind::RangeError => "js-RangeError",
            ErrorKind::LimitExceeded => "limit-exceeded",
        }
    }
}

/// A 1-based line and column (counted in characters) in the template source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplatePosition {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
    pub position: Option<TemplatePosition>,
    /// Byte offsets of the failing mustache or path in the template source.
    pub span: Option<(usize, usize)>,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        EngineError {
            kind,
            message: message.into(),
            position: None,
            span: None,
        }
    }

    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        self.at_span(source, offset, offset)
    }

    pub fn at_span(mut self, source: &str, start: usize, end: usize) -> Self {
        self.position = Some(position_of(source, start));
        self.span = Some((start, end));
        self
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}: {}", p.line, p.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for EngineError {}

/// Positions of offsets met in increasing order, each found by walking on from the last one:
/// linear in the template however many positions are asked for (a restart, when an offset
/// goes back, begins again from the top).
pub struct PositionCursor<'a> {
    source: &'a str,
    offset: usize,
    at: TemplatePosition,
}

impl<'a> PositionCursor<'a> {
    pub fn new(source: &'a str) -> Self {
        PositionCursor {
            source,
            offset: 0,
            at: TemplatePosition { line: 1, column: 1 },
        }
    }

    /// The same answer as [`position_of`].
    pub fn position(&mut self, offset: usize) -> TemplatePosition {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = PositionCursor::new(self.source);
        }
        for c in self
            .source
            .get(self.offset..offset)
            .unwrap_or_default()
            .chars()
        {
            if c == '\n' {
                self.at = TemplatePosition {
                    line: self.at.line + 1,
                    column: 1,
                };
            } else {
                self.at.column += 1;
            }
        }
        self.offset = offset;
        self.at
    }
}

pub fn position_of(source: &str, offset: usize) -> TemplatePosition {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    TemplatePosition {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

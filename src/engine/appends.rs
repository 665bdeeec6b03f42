//! How a program's output adds up. Handlebars.js 4.7 compiles a program into one JavaScript
//! function and merges its consecutive appends into one `+` expression: `return a + b;`,
//! `buffer = a + b;`, `buffer += a + b;` or `return buffer + a + b;`, depending on where the
//! run of appends sits. Text and escaped values are strings, but a `{{{…}}}` value goes in as
//! it is, so two numbers or booleans side by side are *added*: `{{{a}}}{{{b}}}` with `a: 1,
//! b: 2` renders `3` (a compiler bug fixed upstream after 4.7.8, in no release). The preview
//! promises the reference's bytes, so this is kept.
//!
//! What breaks a run is a statement the compiler cannot inline — a block whose name may be a
//! field (`{{#x}}…{{/x}}`, an "ambiguous" block): its value is appended on its own, and only
//! when it is not null. A program with a single statement returns that statement's value.
//! A program's value may itself be a number (`{{#if t}}{{{a}}}{{/if}}`); the helper that ran
//! it returns it, and it joins the sum of the program around it.
//!
//! Text is written into the output as soon as it is known; only numbers and booleans wait,
//! unwritten, until something that is not one joins them.

use super::value::{JsValue, number_to_string};

/// A number or a boolean: the values `+` adds rather than joins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Primitive {
    Number(f64),
    Bool(bool),
}

impl Primitive {
    pub(super) fn of(value: &JsValue<'_>) -> Option<Primitive> {
        match value {
            JsValue::Number(n) => Some(Primitive::Number(*n)),
            JsValue::Bool(b) => Some(Primitive::Bool(*b)),
            _ => None,
        }
    }

    pub(super) fn value(self) -> JsValue<'static> {
        match self {
            Primitive::Number(n) => JsValue::Number(n),
            Primitive::Bool(b) => JsValue::Bool(b),
        }
    }

    fn number(self) -> f64 {
        match self {
            Primitive::Number(n) => n,
            Primitive::Bool(b) => f64::from(u8::from(b)),
        }
    }

    /// `self + other`: numeric addition, `true` counting as 1.
    fn plus(self, other: Primitive) -> Primitive {
        Primitive::Number(self.number() + other.number())
    }

    fn write(self, out: &mut String) {
        match self {
            Primitive::Number(n) => out.push_str(&number_to_string(n)),
            Primitive::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        }
    }
}

/// What a program rendered: text, written into the output (perhaps none), or a number or
/// boolean, not written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Rendered {
    Text,
    Primitive(Primitive),
}

impl Rendered {
    /// As a helper returns it: a primitive, or the string already in the output, which adds
    /// nothing more to it.
    pub(super) fn value(self) -> JsValue<'static> {
        match self {
            Rendered::Text => JsValue::String("".into()),
            Rendered::Primitive(primitive) => primitive.value(),
        }
    }

    /// Written out, as `'' + value` makes a string of it (`#each`, a template's result).
    pub(super) fn write(self, out: &mut String) {
        if let Rendered::Primitive(primitive) = self {
            primitive.write(out);
        }
    }
}

/// The value of one sum so far.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Acc {
    /// Nothing yet.
    Empty,
    /// A number or boolean, not written.
    Primitive(Primitive),
    /// A string, written.
    Text,
}

/// How the compiler appends a statement's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    /// Merged into the run around it: `… + value + …`, null and undefined as `""`.
    Merged,
    /// On its own: `if (value != null) { buffer += value; }`.
    Alone,
}

/// The sums of one program invocation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Appends {
    /// `buffer`, or the whole `return` expression when nothing breaks the runs.
    buffer: Acc,
    /// A run between two lone appends, summed on its own before it joins `buffer`.
    run: Option<Acc>,
    /// The statement index of the last lone append: runs after it continue `buffer`.
    last_alone: Option<usize>,
    after_alone: bool,
}

/// The state before a statement that may write output before its value is known (a block
/// renders its body first): pending primitives are written as if text followed, and taken
/// back if a primitive (or, alone, nothing) follows instead.
#[derive(Debug, Clone, Copy)]
pub(super) struct Speculation {
    before: Appends,
    from: usize,
    to: usize,
    line: Line,
}

impl Speculation {
    /// Where the output stood before the pending primitives were written.
    pub(super) fn start(&self) -> usize {
        self.from
    }
}

impl Appends {
    /// `last_alone` is the index of the program's last lone append, if any.
    pub(super) fn new(last_alone: Option<usize>) -> Appends {
        Appends {
            buffer: Acc::Empty,
            run: None,
            last_alone,
            after_alone: false,
        }
    }

    /// Statement `index` appends on `line`: closes or opens a run as the compiler would.
    fn enter(&mut self, index: usize, line: Line, out: &mut String) {
        match line {
            Line::Alone => {
                self.close_run(out);
                if self.buffer == Acc::Empty {
                    // `buffer = ""`: the program did not start with a run.
                    self.buffer = Acc::Text;
                }
                self.after_alone = true;
            }
            Line::Merged => {
                let before_last_alone = self.last_alone.is_some_and(|last| index < last);
                if self.after_alone && before_last_alone {
                    self.run = Some(Acc::Empty);
                }
                self.after_alone = false;
            }
        }
    }

    /// A run between lone appends joins `buffer`: `buffer += run`.
    fn close_run(&mut self, out: &mut String) {
        let Some(run) = self.run.take() else {
            return;
        };
        match (self.buffer, run) {
            (Acc::Primitive(b), Acc::Primitive(r)) => self.buffer = Acc::Primitive(b.plus(r)),
            (_, Acc::Primitive(r)) => {
                r.write(out);
                self.buffer = Acc::Text;
            }
            (_, Acc::Text) => self.buffer = Acc::Text,
            (_, Acc::Empty) => {}
        }
    }

    /// Text follows: pending primitives are written first, the buffer's before the run's.
    fn become_text(&mut self, out: &mut String) {
        if let Acc::Primitive(b) = self.buffer {
            b.write(out);
        }
        self.buffer = Acc::Text;
        if let Some(run) = &mut self.run {
            if let Acc::Primitive(r) = *run {
                r.write(out);
            }
            *run = Acc::Text;
        }
    }

    fn add_primitive(&mut self, primitive: Primitive, out: &mut String) {
        let target = match &mut self.run {
            Some(run) => run,
            None => &mut self.buffer,
        };
        *target = match *target {
            Acc::Empty => Acc::Primitive(primitive),
            Acc::Primitive(p) => Acc::Primitive(p.plus(primitive)),
            Acc::Text => {
                primitive.write(out);
                Acc::Text
            }
        };
    }

    /// Statement `index` appends text, which its caller writes next.
    pub(super) fn text(&mut self, index: usize, out: &mut String) {
        self.enter(index, Line::Merged, out);
        self.become_text(out);
    }

    /// Statement `index` appends `value` (already known not to be a string the caller
    /// writes): a primitive joins the sum, null and undefined are `""` when merged and
    /// nothing when alone. Anything else is text the caller writes next.
    pub(super) fn value(
        &mut self,
        index: usize,
        line: Line,
        value: &JsValue<'_>,
        out: &mut String,
    ) {
        self.enter(index, line, out);
        match Primitive::of(value) {
            Some(primitive) => self.add_primitive(primitive, out),
            None if value.is_nullish() && line == Line::Alone => {}
            None => self.become_text(out),
        }
    }

    /// Before statement `index` on `line` renders what may write output.
    pub(super) fn speculate(&mut self, index: usize, line: Line, out: &mut String) -> Speculation {
        self.enter(index, line, out);
        let before = *self;
        let from = out.len();
        self.become_text(out);
        Speculation {
            before,
            from,
            to: out.len(),
            line,
        }
    }

    /// After the statement: when it wrote nothing and its value is a primitive (or, alone,
    /// null), the pending primitives are taken back out of `out` and the value joins them;
    /// `true` then. Otherwise they stay written and the value is text the caller writes.
    pub(super) fn settle(
        &mut self,
        speculation: Speculation,
        value: &JsValue<'_>,
        out: &mut String,
    ) -> bool {
        let wrote_nothing = out.len() == speculation.to;
        let primitive = Primitive::of(value);
        let takes_back = wrote_nothing
            && (primitive.is_some() || (value.is_nullish() && speculation.line == Line::Alone));
        if !takes_back {
            return false;
        }
        out.truncate(speculation.from);
        *self = speculation.before;
        if let Some(primitive) = primitive {
            self.add_primitive(primitive, out);
        }
        true
    }

    /// The program's value: its text is in `out`, unless it is a primitive.
    pub(super) fn finish(mut self, out: &mut String) -> Rendered {
        self.close_run(out);
        match self.buffer {
            Acc::Primitive(primitive) => Rendered::Primitive(primitive),
            Acc::Empty | Acc::Text => Rendered::Text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> JsValue<'static> {
        JsValue::Number(x)
    }

    /// Sums `lines` as one program; a `None` value is text `t`.
    fn sum(lines: &[(Line, Option<JsValue<'static>>)]) -> String {
        let last_alone = lines.iter().rposition(|(line, _)| *line == Line::Alone);
        let mut appends = Appends::new(last_alone);
        let mut out = String::new();
        for (index, (line, value)) in lines.iter().enumerate() {
            match value {
                None if *line == Line::Merged => {
                    appends.text(index, &mut out);
                    out.push('t');
                }
                None => {
                    appends.value(index, *line, &JsValue::string("t"), &mut out);
                    out.push('t');
                }
                Some(value) => {
                    appends.value(index, *line, value, &mut out);
                    if Primitive::of(value).is_none() && !value.is_nullish() {
                        out.push('v');
                    }
                }
            }
        }
        appends.finish(&mut out).write(&mut out);
        out
    }

    use Line::{Alone, Merged};

    /// Each expected value is what the generated JavaScript computes.
    #[test]
    fn runs_add_as_the_generated_code_adds() {
        // return 1 + 2
        assert_eq!(sum(&[(Merged, Some(n(1.0))), (Merged, Some(n(2.0)))]), "3");
        // return "t" + 1 + 2
        assert_eq!(
            sum(&[
                (Merged, None),
                (Merged, Some(n(1.0))),
                (Merged, Some(n(2.0)))
            ]),
            "t12"
        );
        // buffer = ""; buffer += "t"; buffer += 1 + 2; buffer += "t"
        let middle = [
            (Alone, None),
            (Merged, Some(n(1.0))),
            (Merged, Some(n(2.0))),
            (Alone, None),
        ];
        assert_eq!(sum(&middle), "t3t");
        // buffer = 1; buffer += "v"; return buffer + 1 + 2
        let trailing = [
            (Merged, Some(n(1.0))),
            (Alone, Some(JsValue::string("x"))),
            (Merged, Some(n(1.0))),
            (Merged, Some(n(2.0))),
        ];
        assert_eq!(sum(&trailing), "1v12");
        // buffer = 1; (null skipped); return buffer + 1 + 1
        let skipped = [
            (Merged, Some(n(1.0))),
            (Alone, Some(JsValue::Null)),
            (Merged, Some(n(1.0))),
            (Merged, Some(n(1.0))),
        ];
        assert_eq!(sum(&skipped), "3");
        // return true + true; return 1 + "" + 2
        let booleans = [
            (Merged, Some(JsValue::Bool(true))),
            (Merged, Some(JsValue::Bool(true))),
        ];
        assert_eq!(sum(&booleans), "2");
        let null_between = [
            (Merged, Some(n(1.0))),
            (Merged, Some(JsValue::Undefined)),
            (Merged, Some(n(2.0))),
        ];
        assert_eq!(sum(&null_between), "12");
    }

    #[test]
    fn a_speculation_is_taken_back_only_for_a_primitive_after_no_output() {
        let mut appends = Appends::new(None);
        let mut out = String::new();
        appends.value(0, Merged, &n(1.0), &mut out);
        let speculation = appends.speculate(1, Merged, &mut out);
        assert_eq!(out, "1");
        assert!(appends.settle(speculation, &n(2.0), &mut out));
        assert_eq!(out, "");
        let speculation = appends.speculate(2, Merged, &mut out);
        out.push_str("body");
        assert!(!appends.settle(speculation, &JsValue::Undefined, &mut out));
        assert_eq!(appends.finish(&mut out), Rendered::Text);
        assert_eq!(out, "3body");
    }
}

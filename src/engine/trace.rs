//! Which template tag wrote each byte of a render's output, for findings about the output
//! (JSON that does not parse) that must point at the tag responsible.
//!
//! Kept only when asked for ([`Template::render_traced`](super::Template::render_traced)):
//! the evaluator then holds a [`Tracer`], which it tells when each statement starts and ends;
//! a plain render holds none and does nothing more than it did before.
//!
//! A statement's start and end each close at most one run, so a trace holds at most two runs
//! per statement rendered: the render's step budget bounds it as it bounds the render.

use std::cell::{Cell, RefCell};
use std::ops::Range;

use super::ast::{Path, Span};
use super::references::named_parts;

/// A render's output, and where each part of it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    /// What [`Template::render`](super::Template::render) returns for the same context.
    pub output: String,
    /// The output cut into the runs each tag wrote, in output order: together they cover it
    /// exactly once. Output a block's body writes belongs to the innermost tag that wrote it.
    pub spans: Vec<OutputSpan>,
}

/// One run of output bytes written by one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpan {
    /// Byte offsets in the output.
    pub output: Range<usize>,
    /// Byte offsets in the template source of what wrote them: for [`Written::Text`] the
    /// text itself (what whitespace control leaves of it), else the whole tag, braces
    /// included (a block's opening tag).
    pub tag: Range<usize>,
    pub kind: Written,
    /// The path the tag wrote the value of, when it is a plain path (`{{a.b}}`), as
    /// [`Reference::parts`](super::Reference::parts) names it; `None` for text, helpers and
    /// paths that name no field (`{{this}}`, `{{@index}}`).
    pub path: Option<Vec<String>>,
    /// Whether `path` is read against the root context, as in a
    /// [`Reference`](super::Reference); `false` without a path.
    pub absolute: bool,
    /// The helper whose result the tag wrote (`formatWithOffset`, and for a block `each`,
    /// `if`…), when it calls one.
    pub helper: Option<String>,
}

/// How the bytes were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Literal template text.
    Text,
    /// A `{{…}}` mustache's value, HTML-escaped.
    Escaped,
    /// A `{{{…}}}` or `{{& …}}` mustache's value, or what a block tag writes itself, as it
    /// is.
    Raw,
}

/// What a statement being rendered reads its output from.
#[derive(Clone, Copy)]
pub(super) enum Source<'a> {
    Nothing,
    Path(&'a Path),
    Helper(&'a str),
}

/// A statement being rendered: the output it writes until one nested in it starts.
#[derive(Clone, Copy)]
pub(super) struct Writer<'a> {
    pub tag: Span,
    pub kind: Written,
    pub source: Source<'a>,
    /// Whether this statement's paths are read against the root context, as
    /// [`Reference::absolute`](super::Reference::absolute) has it.
    pub at_root: bool,
    /// The same for the statements nested in this one.
    pub bodies_at_root: bool,
}

/// The statements being rendered, innermost last, and the output attributed so far.
#[derive(Default)]
pub(super) struct Tracer<'a> {
    state: RefCell<State<'a>>,
    /// How many [`Tracer::muted`] runs are under way: statements started meanwhile are not
    /// recorded.
    muted: Cell<usize>,
}

#[derive(Default)]
struct State<'a> {
    open: Vec<Writer<'a>>,
    spans: Vec<OutputSpan>,
    /// Output bytes already in `spans`.
    attributed: usize,
}

impl<'a> Tracer<'a> {
    /// Whether a statement starting now is read against the root context.
    pub(super) fn at_root(&self) -> bool {
        self.state
            .borrow()
            .open
            .last()
            .is_none_or(|writer| writer.bodies_at_root)
    }

    /// A statement starts with the output `out_len` long: what came before it belongs to the
    /// statement it is nested in.
    pub(super) fn enter(&self, writer: Writer<'a>, out_len: usize) {
        if self.muted.get() > 0 {
            return;
        }
        let mut state = self.state.borrow_mut();
        state.attribute(out_len);
        state.open.push(writer);
    }

    /// The innermost statement ends with the output `out_len` long.
    pub(super) fn leave(&self, out_len: usize) {
        if self.muted.get() > 0 {
            return;
        }
        let mut state = self.state.borrow_mut();
        state.attribute(out_len);
        state.open.pop();
    }

    /// The output was cut back to `out_len` (numbers written while a block rendered were
    /// taken back when the block added up to a number too): spans past it go.
    pub(super) fn retract(&self, out_len: usize) {
        // Muted output is written apart: its offsets are not the render's.
        if self.muted.get() > 0 {
            return;
        }
        let mut state = self.state.borrow_mut();
        while let Some(last) = state.spans.last_mut() {
            if last.output.start >= out_len {
                state.spans.pop();
            } else {
                last.output.end = last.output.end.min(out_len);
                break;
            }
        }
        state.attributed = state.attributed.min(out_len);
    }

    /// The render ends with the output `out_len` long. A number the template's appends
    /// added up to is written last, outside every statement: it belongs to the one that
    /// wrote before it, which added it up.
    pub(super) fn finish(&self, out_len: usize) {
        let mut state = self.state.borrow_mut();
        let attributed = state.attributed;
        if out_len > attributed
            && let Some(last) = state.spans.last_mut()
            && last.output.end == attributed
        {
            last.output.end = out_len;
            state.attributed = out_len;
        }
    }

    /// Runs `step` without recording the statements it renders, for output written apart
    /// and rewritten before it joins the render's (an indented partial): offsets into it
    /// would not hold. What it writes belongs to the statement open around it.
    pub(super) fn muted<T>(&self, step: impl FnOnce() -> T) -> T {
        self.muted.set(self.muted.get().saturating_add(1));
        let result = step();
        self.muted.set(self.muted.get().saturating_sub(1));
        result
    }

    pub(super) fn into_spans(self) -> Vec<OutputSpan> {
        self.state.into_inner().spans
    }
}

impl State<'_> {
    /// Output up to `out_len` not yet attributed is the innermost open statement's.
    fn attribute(&mut self, out_len: usize) {
        if out_len <= self.attributed {
            return;
        }
        let Some(writer) = self.open.last() else {
            return;
        };
        let (path, absolute) = match writer.source {
            Source::Path(path) => named_parts(path, writer.at_root)
                .map_or((None, false), |(parts, absolute)| (Some(parts), absolute)),
            Source::Nothing | Source::Helper(_) => (None, false),
        };
        let helper = match writer.source {
            Source::Helper(name) => Some(name.to_string()),
            Source::Nothing | Source::Path(_) => None,
        };
        self.spans.push(OutputSpan {
            output: self.attributed..out_len,
            tag: writer.tag.range(),
            kind: writer.kind,
            path,
            absolute,
            helper,
        });
        self.attributed = out_len;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::Written;
    use crate::engine::Template;

    /// A span as the test reads it: output text, template text, kind, path, absolute, helper.
    type Seen<'s> = (
        String,
        &'s str,
        Written,
        Option<String>,
        bool,
        Option<String>,
    );

    fn traced<'s>(source: &'s str, context: &Value) -> Vec<Seen<'s>> {
        let template = Template::compile(source).expect("compiles");
        let traced = template.render_traced(context).expect("renders");
        assert_eq!(traced.output, template.render(context).expect("renders"));
        traced
            .spans
            .into_iter()
            .map(|span| {
                (
                    traced.output[span.output].to_string(),
                    &source[span.tag],
                    span.kind,
                    span.path.map(|parts| parts.join(".")),
                    span.absolute,
                    span.helper,
                )
            })
            .collect()
    }

    fn text<'s>(output: &str, tag: &'s str) -> Seen<'s> {
        (output.into(), tag, Written::Text, None, false, None)
    }

    #[test]
    fn each_run_of_output_names_the_tag_that_wrote_it() {
        let source =
            "Hi {{name}}!{{#each xs}}[{{{this}}}]{{/each}}{{#if on}}{{queryEncode q}}{{/if}}";
        let context = json!({"name": "<A>", "xs": [1, 2], "on": true, "q": "a b"});
        let one = ("1".into(), "{{{this}}}", Written::Raw, None, false, None);
        let two = ("2".into(), "{{{this}}}", Written::Raw, None, false, None);
        assert_eq!(
            traced(source, &context),
            [
                text("Hi ", "Hi "),
                (
                    "&lt;A&gt;".into(),
                    "{{name}}",
                    Written::Escaped,
                    Some("name".into()),
                    true,
                    None
                ),
                text("!", "!"),
                text("[", "["),
                one,
                text("]", "]"),
                text("[", "["),
                two,
                text("]", "]"),
                (
                    "a%20b".into(),
                    "{{queryEncode q}}",
                    Written::Escaped,
                    None,
                    false,
                    Some("queryEncode".into())
                ),
            ]
        );
    }

    /// Paths are named as references name them: relative inside a block that changes the
    /// context, from the root through `@root` and inside `#if`.
    #[test]
    fn traced_paths_are_named_as_references_name_them() {
        let source = "{{#with a}}{{&b}}{{@root.c}}{{/with}}{{#if c}}{{c}}{{/if}}";
        let context = json!({"a": {"b": "B"}, "c": "C"});
        let paths: Vec<(Option<String>, bool)> = traced(source, &context)
            .into_iter()
            .map(|(_, _, _, path, absolute, _)| (path, absolute))
            .collect();
        assert_eq!(
            paths,
            [
                (Some("b".into()), false),
                (Some("c".into()), true),
                (Some("c".into()), true)
            ]
        );
    }

    /// What a block helper returns is written by its opening tag, after its bodies.
    #[test]
    fn a_block_s_own_value_belongs_to_its_opening_tag() {
        let source = "{{#lookup o \"k\"}}body{{/lookup}}";
        let context = json!({"o": {"k": "<v>"}});
        assert_eq!(
            traced(source, &context),
            [(
                "<v>".into(),
                "{{#lookup o \"k\"}}",
                Written::Raw,
                None,
                false,
                Some("lookup".into())
            )]
        );
    }

    /// Whitespace control shortens the text a span points at to what is written.
    #[test]
    fn text_spans_point_at_the_text_written() {
        let source = "a  {{~x~}}  b\n{{#if x}}\n  c\n{{/if}}\n";
        let context = json!({"x": "X"});
        let seen = traced(source, &context);
        assert_eq!(
            seen,
            [
                text("a", "a"),
                (
                    "X".into(),
                    "{{~x~}}",
                    Written::Escaped,
                    Some("x".into()),
                    true,
                    None
                ),
                text("b\n", "b\n"),
                text("  c\n", "  c\n"),
            ]
        );
    }

    #[test]
    fn a_failing_render_fails_alike_traced() {
        let template = Template::compile("ok {{#each xs}}{{missing}}{{/each}}").expect("compiles");
        let context = json!({"xs": [{}]});
        assert_eq!(
            template.render_traced(&context).err(),
            template.render(&context).err()
        );
    }

    /// Tracing spends nothing from the render's budget: a traced render counts the steps
    /// and text an untraced one counts, so it fails where that one fails.
    #[test]
    fn tracing_adds_no_counted_work() {
        let template =
            Template::compile("{{#each xs}}[{{{this}}}]{{#if @last}}.{{/if}}{{/each}}{{n}}")
                .expect("compiles");
        let context = json!({"xs": [1, 2, 3], "n": "<>"});
        let counted = |render: &dyn Fn()| {
            let before = template.work();
            render();
            let after = template.work();
            (
                after.render_steps - before.render_steps,
                after.render_text_bytes - before.render_text_bytes,
                after.total() - before.total(),
            )
        };
        let plain = counted(&|| drop(template.render(&context).expect("renders")));
        let traced = counted(&|| drop(template.render_traced(&context).expect("renders")));
        assert!(plain.0 > 0 && plain.1 > 0, "{plain:?}");
        assert_eq!(traced, plain);
    }
}

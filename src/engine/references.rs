//! The paths a template reads, for rules that ask which fields and form variables a template
//! uses. Paths inside blocks that change the context (`#each`, `#with`, sections) are relative
//! to something else; they are reported with `absolute: false`.

use std::ops::Range;

use super::ast::{Block, Expr, Head, Partial, Path, Program, Sexpr, Span, Statement};
use super::error::{LineIndex, TemplatePosition};
use super::helpers;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The path's segments from the root context: `@root.a.b` gives `["a", "b"]`.
    pub parts: Vec<String>,
    /// Whether the path is read against the root context, so `parts` name root fields.
    pub absolute: bool,
    /// Where the path itself starts.
    pub position: TemplatePosition,
    /// Byte offsets in the template source of the whole tag that reads the path, braces
    /// included: `{{a.b}}`, `{{{a.b}}}`, a block's opening tag `{{#if a.b}}`. A path in a
    /// subexpression or a helper's parameters points at the tag that holds it.
    pub span: Range<usize>,
    /// Whether the tag writes the path's value, and how.
    pub output: Output,
}

/// What a tag does with a path it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `{{a.b}}`: the value is the tag's output, HTML-escaped.
    Escaped,
    /// `{{{a.b}}}` or `{{& a.b}}`: the value is the tag's output as it is.
    Raw,
    /// A helper's parameter, a block's condition or context, a subexpression's argument:
    /// read, but not what the tag writes.
    NotOutput,
}

/// Helpers that render their block with the context unchanged.
fn keeps_context(name: &str) -> bool {
    matches!(name, "if" | "unless" | "equal" | "equalWithElse")
}

/// Whether the bodies of `block` are read against the root, when the block is: only when its
/// helper keeps the context. Shared with the render trace, so both report paths alike.
pub(super) fn bodies_at_root(block: &Block, at_root: bool) -> bool {
    let name = match &block.sexpr.head {
        Head::Path(path) if path.is_simple_id() && !path.is_literal() => path.head(),
        _ => "",
    };
    at_root && keeps_context(name)
}

/// The segments a path names and whether they are from the root context (see
/// [`Reference`]); `None` for a literal read as a path, a data variable other than `@root`,
/// and a path with no segments (`this`).
pub(super) fn named_parts(path: &Path, at_root: bool) -> Option<(Vec<String>, bool)> {
    if path.is_literal() {
        return None;
    }
    let (parts, absolute) = if path.is_data() {
        match path.parts().split_first() {
            Some((first, rest)) if &**first == "root" => (rest, true),
            _ => return None,
        }
    } else {
        (path.parts(), at_root && path.depth() == 0)
    };
    if parts.is_empty() {
        return None;
    }
    Some((
        parts.iter().map(std::string::ToString::to_string).collect(),
        absolute,
    ))
}

/// The references of `program`, with what finding them took: nodes visited and bytes counted
/// for positions.
pub(super) fn collect(
    source: &str,
    lines: &LineIndex,
    program: &Program,
) -> (Vec<Reference>, Walked) {
    let mut walk = Walk {
        source,
        lines,
        found: Vec::new(),
        walked: Walked::default(),
        line: 0,
        tag: Span::default(),
    };
    walk.program(program, true);
    (walk.found, walk.walked)
}

#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Walked {
    pub nodes: u64,
    pub position_bytes: u64,
}

struct Walk<'s> {
    source: &'s str,
    lines: &'s LineIndex,
    found: Vec<Reference>,
    walked: Walked,
    /// The line of the last reference: the next is usually on it or the one after.
    line: usize,
    /// The tag whose paths are being read.
    tag: Span,
}

impl Walk<'_> {
    fn program(&mut self, program: &Program, at_root: bool) {
        for statement in &program.body {
            self.walked.nodes += 1;
            match statement {
                Statement::Mustache(m) => {
                    self.tag = m.tag();
                    let output = if m.escaped {
                        Output::Escaped
                    } else {
                        Output::Raw
                    };
                    self.call(&m.sexpr, at_root, false, output);
                }
                Statement::Decorator(m) => {
                    self.tag = m.tag();
                    self.call(&m.sexpr, at_root, false, Output::NotOutput);
                }
                Statement::Block(block) => self.block(block, at_root),
                Statement::Partial(partial) => self.partial(partial, at_root),
                Statement::PartialBlock(block) => {
                    self.partial(&block.partial, at_root);
                    self.nested(&block.program, false);
                }
                Statement::Content(_) | Statement::Comment(..) => {}
            }
        }
    }

    /// A block's call, then its bodies.
    fn block(&mut self, block: &Block, at_root: bool) {
        self.tag = block.open_tag();
        self.call(&block.sexpr, at_root, false, Output::NotOutput);
        let inner_root = bodies_at_root(block, at_root);
        for program in [&block.program, &block.inverse].into_iter().flatten() {
            self.nested(program, inner_root);
        }
    }

    /// A partial's name, when a subexpression computes it, its context and its hash: read
    /// where the partial is called. (The paths inside an inline partial are read with the
    /// decorator block that holds it, against a context not the root.)
    fn partial(&mut self, partial: &Partial, at_root: bool) {
        self.tag = partial.span;
        let arguments = std::iter::once(&partial.name)
            .filter(|name| matches!(name, Expr::Sub(_)))
            .chain(partial.params.iter())
            .chain(partial.hash.iter().map(|(_, value)| value));
        for expr in arguments {
            self.argument(expr, at_root);
        }
    }

    /// A parameter or hash value: a path read, or a subexpression's.
    fn argument(&mut self, expr: &Expr, at_root: bool) {
        self.walked.nodes += 1;
        match expr {
            Expr::Path(path) => self.path(path, at_root, Output::NotOutput),
            Expr::Sub(inner) => super::with_stack(|| {
                self.call(inner, at_root, true, Output::NotOutput);
            }),
            Expr::Literal(_) => {}
        }
    }

    /// One nesting level down: the parser bounds the depth, not the stack of the calling
    /// thread.
    fn nested(&mut self, program: &Program, at_root: bool) {
        super::with_stack(|| self.program(program, at_root));
    }

    /// A helper's name is not a path it reads; a lone name that is no helper is, and it is
    /// what the tag writes (as `output` says) unless the call is a subexpression.
    fn call(&mut self, sexpr: &Sexpr, at_root: bool, is_sub: bool, output: Output) {
        let calls_helper = is_sub
            || sexpr.has_args()
            || matches!(&sexpr.head, Head::Path(p) if p.is_simple_id() && helpers::find(p.head()).is_some());
        if !calls_helper {
            self.walked.nodes += 1;
            match &sexpr.head {
                Head::Path(path) => self.path(path, at_root, output),
                Head::Sub(inner) => super::with_stack(|| {
                    self.call(inner, at_root, true, Output::NotOutput);
                }),
            }
        }
        for expr in sexpr
            .params()
            .iter()
            .chain(sexpr.hash().iter().map(|(_, v)| v))
        {
            self.argument(expr, at_root);
        }
    }

    /// A path read, unless [`named_parts`] finds it names none.
    fn path(&mut self, path: &Path, at_root: bool, output: Output) {
        let Some((parts, absolute)) = named_parts(path, at_root) else {
            return;
        };
        let (position, cost) =
            self.lines
                .position_near(self.source, path.span().start(), &mut self.line);
        self.walked.position_bytes += cost;
        self.found.push(Reference {
            parts,
            absolute,
            position,
            span: self.tag.range(),
            output,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Output, Template};

    fn absolute_paths(source: &str) -> Vec<String> {
        Template::compile(source)
            .expect("compiles")
            .references()
            .into_iter()
            .filter(|r| r.absolute)
            .map(|r| r.parts.join("."))
            .collect()
    }

    #[test]
    fn finds_paths_in_mustaches_params_and_subexpressions() {
        let paths = absolute_paths(
            "{{a.b}} {{#if formVariables.x}}{{queryEncode (lookup c d)}}{{/if}} {{@root.e}}",
        );
        assert_eq!(paths, ["a.b", "formVariables.x", "c", "d", "e"]);
    }

    /// A partial's context, hash and computed name are read where it is called; what its
    /// inline body reads is not known to be the root's.
    #[test]
    fn partial_arguments_are_references() {
        let paths = absolute_paths(
            "{{#*inline \"p\"}}{{inner}}{{/inline}}{{> p ctx k=v.w}}{{> (lookup . n)}}{{#> q x}}{{/q}}",
        );
        assert_eq!(paths, ["ctx", "v.w", "n", "x"]);
    }

    /// A literal head is read as a path, yet it is no path the template names.
    #[test]
    fn literal_heads_are_not_references() {
        let paths = absolute_paths("{{\"a b\"}}{{1}}{{#\"if\" on}}{{x}}{{/\"if\"}}{{b}}");
        assert_eq!(paths, ["on", "b"]);
    }

    #[test]
    fn paths_inside_context_changing_blocks_are_relative() {
        let template = Template::compile(
            "{{#each items}}{{name}}{{@root.top}}{{/each}}{{#with a}}{{b}}{{/with}}",
        )
        .expect("compiles");
        let refs = template.references();
        let relative: Vec<String> = refs
            .iter()
            .filter(|r| !r.absolute)
            .map(|r| r.parts.join("."))
            .collect();
        assert_eq!(relative, ["name", "b"]);
        let absolute: Vec<String> = refs
            .iter()
            .filter(|r| r.absolute)
            .map(|r| r.parts.join("."))
            .collect();
        assert_eq!(absolute, ["items", "top", "a"]);
    }

    /// Each reference points at the tag that reads it and says whether that tag writes it.
    #[test]
    fn references_point_at_their_tag_and_say_how_it_writes_them() {
        let source =
            "{{a.b}} {{{c}}} {{& d}} {{#if e}}{{queryEncode f (lookup g \"h\")}}{{/if}} {{~i~}}";
        let template = Template::compile(source).expect("compiles");
        let found: Vec<(String, &str, Output)> = template
            .references()
            .into_iter()
            .map(|r| (r.parts.join("."), &source[r.span], r.output))
            .collect();
        let call = "{{queryEncode f (lookup g \"h\")}}";
        assert_eq!(
            found,
            [
                ("a.b".to_string(), "{{a.b}}", Output::Escaped),
                ("c".to_string(), "{{{c}}}", Output::Raw),
                ("d".to_string(), "{{& d}}", Output::Raw),
                ("e".to_string(), "{{#if e}}", Output::NotOutput),
                ("f".to_string(), call, Output::NotOutput),
                ("g".to_string(), call, Output::NotOutput),
                ("i".to_string(), "{{~i~}}", Output::Escaped),
            ]
        );
    }

    /// The position stays the path's own, inside the tag the span covers.
    #[test]
    fn a_reference_s_position_is_its_path_s() {
        let source = "x\n  {{#each  list as |item|}}{{/each}}";
        let template = Template::compile(source).expect("compiles");
        let [reference] = template.references().try_into().expect("one reference");
        assert_eq!(
            (reference.position.line, reference.position.column),
            (2, 12)
        );
        assert_eq!(&source[reference.span], "{{#each  list as |item|}}");
    }
}

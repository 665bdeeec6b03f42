//! The paths a template reads, for rules that ask which fields and form variables a template
//! uses. Paths inside blocks that change the context (`#each`, `#with`, sections) are relative
//! to something else; they are reported with `absolute: false`.

use super::ast::{Block, Expr, Head, Path, Program, Sexpr, Statement};
use super::error::{LineIndex, TemplatePosition};
use super::helpers;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The path's segments from the root context: `@root.a.b` gives `["a", "b"]`.
    pub parts: Vec<String>,
    /// Whether the path is read against the root context, so `parts` name root fields.
    pub absolute: bool,
    pub position: TemplatePosition,
}

/// Helpers that render their block with the context unchanged.
fn keeps_context(name: &str) -> bool {
    matches!(name, "if" | "unless" | "equal" | "equalWithElse")
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
}

impl Walk<'_> {
    fn program(&mut self, program: &Program, at_root: bool) {
        for statement in &program.body {
            self.walked.nodes += 1;
            match statement {
                Statement::Mustache(m) => self.call(&m.sexpr, at_root, false),
                Statement::Decorator(sexpr) => self.call(sexpr, at_root, false),
                Statement::Block(block) => self.block(block, at_root),
                Statement::PartialBlock(block) => self.nested(&block.program, false),
                Statement::Content(_) | Statement::Comment(..) | Statement::Partial(_) => {}
            }
        }
    }

    /// A block's call, then its bodies: these are read against the root only when the
    /// block's helper keeps the context.
    fn block(&mut self, block: &Block, at_root: bool) {
        self.call(&block.sexpr, at_root, false);
        let name = match &block.sexpr.head {
            Head::Path(path) if path.is_simple_id() && !path.is_literal() => path.head(),
            _ => "",
        };
        let inner_root = at_root && keeps_context(name);
        for program in [&block.program, &block.inverse].into_iter().flatten() {
            self.nested(program, inner_root);
        }
    }

    /// One nesting level down: the parser bounds the depth, not the stack of the calling
    /// thread.
    fn nested(&mut self, program: &Program, at_root: bool) {
        super::with_stack(|| self.program(program, at_root));
    }

    /// A helper's name is not a path it reads; a lone name that is no helper is.
    fn call(&mut self, sexpr: &Sexpr, at_root: bool, is_sub: bool) {
        let calls_helper = is_sub
            || sexpr.has_args()
            || matches!(&sexpr.head, Head::Path(p) if p.is_simple_id() && helpers::find(p.head()).is_some());
        if !calls_helper {
            self.walked.nodes += 1;
            match &sexpr.head {
                Head::Path(path) => self.path(path, at_root),
                Head::Sub(inner) => super::with_stack(|| self.call(inner, at_root, true)),
            }
        }
        for expr in sexpr
            .params()
            .iter()
            .chain(sexpr.hash().iter().map(|(_, v)| v))
        {
            self.walked.nodes += 1;
            match expr {
                Expr::Path(path) => self.path(path, at_root),
                Expr::Sub(inner) => super::with_stack(|| self.call(inner, at_root, true)),
                Expr::Literal(_) => {}
            }
        }
    }

    /// A path read, unless it is a literal read as a path or a data variable other than
    /// `@root`.
    fn path(&mut self, path: &Path, at_root: bool) {
        if path.is_literal() {
            return;
        }
        let (parts, absolute) = if path.is_data() {
            match path.parts().split_first() {
                Some((first, rest)) if &**first == "root" => (rest, true),
                _ => return,
            }
        } else {
            (path.parts(), at_root && path.depth() == 0)
        };
        if parts.is_empty() {
            return;
        }
        let (position, cost) =
            self.lines
                .position_near(self.source, path.span().start(), &mut self.line);
        self.walked.position_bytes += cost;
        self.found.push(Reference {
            parts: parts.iter().map(std::string::ToString::to_string).collect(),
            absolute,
            position,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Template;

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
}

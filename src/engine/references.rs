//! The paths a template reads, for rules that ask which fields and form variables a template
//! uses. Paths inside blocks that change the context (`#each`, `#with`, sections) are relative
//! to something else; they are reported with `absolute: false`.

use super::ast::{Expr, Program, Sexpr, Statement};
use super::error::{PositionCursor, TemplatePosition};

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

pub fn collect(source: &str, program: &Program) -> Vec<Reference> {
    let mut found = Vec::new();
    walk_program(&mut PositionCursor::new(source), program, true, &mut found);
    found
}

fn walk_program(
    source: &mut PositionCursor<'_>,
    program: &Program,
    at_root: bool,
    found: &mut Vec<Reference>,
) {
    for statement in &program.body {
        match statement {
            Statement::Mustache(m) => walk_sexpr(source, &m.sexpr, at_root, found),
            Statement::Decorator(sexpr) => walk_sexpr(source, sexpr, at_root, found),
            Statement::Block(block) => {
                walk_sexpr(source, &block.sexpr, at_root, found);
                let name = match &block.sexpr.head {
                    Expr::Path(path) if path.is_simple_id() => path.head(),
                    _ => "",
                };
                let inner_root = at_root && keeps_context(name);
                for program in [&block.program, &block.inverse].into_iter().flatten() {
                    walk_nested(source, program, inner_root, found);
                }
            }
            Statement::PartialBlock(block) => walk_nested(source, &block.program, false, found),
            Statement::Content(_) | Statement::Comment(..) | Statement::Partial(_) => {}
        }
    }
}

/// One nesting level down: the parser bounds the depth, not the stack of the calling thread.
fn walk_nested(
    source: &mut PositionCursor<'_>,
    program: &Program,
    at_root: bool,
    found: &mut Vec<Reference>,
) {
    super::with_stack(|| walk_program(source, program, at_root, found));
}

fn walk_sexpr(
    source: &mut PositionCursor<'_>,
    sexpr: &Sexpr,
    at_root: bool,
    found: &mut Vec<Reference>,
) {
    walk_call(source, sexpr, at_root, false, found);
}

/// A helper's name is not a path it reads; a lone name that is no helper is.
fn walk_call(
    source: &mut PositionCursor<'_>,
    sexpr: &Sexpr,
    at_root: bool,
    is_sub: bool,
    found: &mut Vec<Reference>,
) {
    let calls_helper = is_sub
        || !sexpr.params.is_empty()
        || !sexpr.hash.is_empty()
        || matches!(&sexpr.head, Expr::Path(p) if p.is_simple_id() && super::helpers::find(p.head()).is_some());
    let head = (!calls_helper).then_some(&sexpr.head);
    let exprs = head
        .into_iter()
        .chain(&sexpr.params)
        .chain(sexpr.hash.iter().map(|(_, v)| v));
    for expr in exprs {
        match expr {
            Expr::Path(path) => {
                let (parts, absolute) = if path.data {
                    match path.parts.split_first() {
                        Some((first, rest)) if first == "root" => (rest.to_vec(), true),
                        _ => continue,
                    }
                } else {
                    (path.parts.clone(), at_root && path.depth == 0)
                };
                if parts.is_empty() {
                    continue;
                }
                found.push(Reference {
                    parts,
                    absolute,
                    position: source.position(path.span.0),
                });
            }
            Expr::Sub(inner) => {
                super::with_stack(|| walk_call(source, inner, at_root, true, found));
            }
            Expr::Literal(_) => {}
        }
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

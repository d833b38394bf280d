//! `@paginated`: which input member takes the page token, where the next token and the items
//! are in the output, and which input member sets the page size.
//!
//! Consumes the trait on each operation, with the service's `@paginated` as the defaults of
//! `inputToken`, `outputToken` and `pageSize` as Smithy says; produces the [`Pagination`] of
//! each operation once the IR's structures exist (paths may go through nested structures:
//! `result.nextToken`). A name that is not a member of the right kind is an error naming the
//! operation and the trait.

use crate::ir::{Ir, Member, NamedKind, Pagination, PathStep, Structure, Type};
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::shape_id::ShapeId;
use crate::model::{Model, Node, Shape};
use crate::traits as t;

/// The names a `@paginated` trait gives, the operation's over the service's.
#[derive(Clone, Debug, Default)]
struct Names {
    input_token: Option<String>,
    output_token: Option<String>,
    items: Option<String>,
    page_size: Option<String>,
}

fn names(node: Option<&Node>) -> Names {
    let get = |k: &str| node.and_then(|n| n.get(k)).and_then(Node::as_str).map(str::to_owned);
    Names {
        input_token: get("inputToken"),
        output_token: get("outputToken"),
        items: get("items"),
        page_size: get("pageSize"),
    }
}

/// Fills in the pagination of every paginated operation of `ir`.
pub fn apply(ir: &mut Ir, model: &Model, service: &Shape, diagnostics: &mut Diagnostics) {
    let trait_id = ShapeId::parse(t::PAGINATED).unwrap_or_else(|_| ShapeId::new("smithy.api", "paginated"));
    let defaults = names(service.traits.get(&trait_id));
    let structures: Vec<Structure> = ir.structures.clone();
    for op in &mut ir.operations {
        let Some(shape) = model.shape(&op.id) else { continue };
        let Some(own) = shape.traits.get(&trait_id) else { continue };
        let own = names(Some(own));
        let wanted = Names {
            input_token: own.input_token.or_else(|| defaults.input_token.clone()),
            output_token: own.output_token.or_else(|| defaults.output_token.clone()),
            items: own.items,
            page_size: own.page_size.or_else(|| defaults.page_size.clone()),
        };
        let mut error = |message: String| {
            diagnostics.push(
                Diagnostic::error(format!("@paginated: {message}")).with_shape(&op.id).with_span(model.span(&op.id)),
            );
        };
        let (Some(input_token), Some(output_token)) = (&wanted.input_token, &wanted.output_token) else {
            error("needs `inputToken` and `outputToken` (on the operation or the service)".into());
            continue;
        };
        let Some(input_member) = op.input.members.iter().find(|m| &m.name == input_token) else {
            error(format!("`inputToken` `{input_token}` is not a member of the input"));
            continue;
        };
        if !matches!(input_member.ty, Type::String { .. }) {
            error(format!("`inputToken` `{input_token}` must target a string"));
            continue;
        }
        let output_path = match path(&op.output, output_token, &structures) {
            Ok((steps, Type::String { .. })) => steps,
            Ok(_) => {
                error(format!("`outputToken` `{output_token}` must target a string"));
                continue;
            }
            Err(e) => {
                error(format!("`outputToken` `{output_token}`: {e}"));
                continue;
            }
        };
        let items = match &wanted.items {
            None => None,
            Some(items) => match path(&op.output, items, &structures) {
                Ok((steps, ty @ (Type::List { .. } | Type::Map { .. }))) => Some((steps, ty)),
                Ok(_) => {
                    error(format!("`items` `{items}` must target a list or a map"));
                    continue;
                }
                Err(e) => {
                    error(format!("`items` `{items}`: {e}"));
                    continue;
                }
            },
        };
        let page_size = match &wanted.page_size {
            None => None,
            Some(size) => match op.input.members.iter().find(|m| &m.name == size) {
                Some(m) if matches!(m.ty, Type::Integer | Type::Byte | Type::Short | Type::Long) => {
                    Some(m.rust_name.clone())
                }
                Some(_) => {
                    error(format!("`pageSize` `{size}` must target an integer"));
                    continue;
                }
                None => {
                    error(format!("`pageSize` `{size}` is not a member of the input"));
                    continue;
                }
            },
        };
        let (items, item_type) = match items {
            Some((steps, ty)) => (steps, Some(ty)),
            None => (Vec::new(), None),
        };
        op.pagination = Some(Pagination {
            input_token: input_member.rust_name.clone(),
            output_token: output_path,
            items,
            item_type,
            page_size,
        });
    }
}

fn step(m: &Member) -> PathStep {
    PathStep { rust_name: m.rust_name.clone(), optional: m.optional, boxed: m.boxed }
}

/// The members a dotted path (`result.nextToken`) goes through from `start`, and the type it
/// ends at.
fn path(start: &Structure, path: &str, structures: &[Structure]) -> Result<(Vec<PathStep>, Type), String> {
    let mut steps = Vec::new();
    let mut current = start;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, name) in parts.iter().enumerate() {
        let m = current
            .members
            .iter()
            .find(|m| &m.name == name)
            .ok_or_else(|| format!("`{name}` is not a member of `{}`", current.id.name()))?;
        steps.push(step(m));
        if i + 1 == parts.len() {
            return Ok((steps, m.ty.clone()));
        }
        current = match &m.ty {
            Type::Named(n) if n.kind == NamedKind::Structure => structures
                .iter()
                .find(|s| s.rust_name == n.rust_name)
                .ok_or_else(|| format!("no structure `{}`", n.rust_name))?,
            _ => return Err(format!("`{name}` is not a structure, so the path cannot go through it")),
        };
    }
    Err("the path is empty".into())
}

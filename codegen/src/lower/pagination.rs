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
use crate::model::{Model, Shape};
use crate::traits::{self as t, PaginatedTrait};

/// Fills in the pagination of every paginated operation of `ir`.
pub fn apply(ir: &mut Ir, model: &Model, service: &Shape, diagnostics: &mut Diagnostics) {
    let defaults = match t::read::<PaginatedTrait>(&service.traits) {
        None => PaginatedTrait::default(),
        Some(Ok(defaults)) => defaults,
        Some(Err(message)) => {
            diagnostics.push(Diagnostic::error(message).with_shape(&service.id).with_span(model.span(&service.id)));
            return;
        }
    };
    let structures: Vec<Structure> = ir.structures.clone();
    for op in &mut ir.operations {
        let Some(shape) = model.shape(&op.id) else { continue };
        let report = |diagnostics: &mut Diagnostics, message: String| {
            diagnostics.push(Diagnostic::error(message).with_shape(&op.id).with_span(model.span(&op.id)));
        };
        let wanted = match t::read::<PaginatedTrait>(&shape.traits) {
            None => continue,
            Some(Ok(own)) => own.over(&defaults),
            Some(Err(message)) => {
                report(diagnostics, message);
                continue;
            }
        };
        let mut error = |message: String| report(diagnostics, format!("@paginated: {message}"));
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

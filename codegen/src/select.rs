//! Select pass (optional): keep only some operations of a service.
//!
//! Consumes a resolved [`Model`] and operation names; produces the same model whose service
//! binds exactly those operations (directly, with resources dropped), so that the lower pass
//! reaches only them and the shapes they use. Unknown names are diagnostics that suggest the
//! closest existing operation.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Model, ShapeKind};

/// Narrows every service of `model` to the named operations.
pub fn select(model: &Model, operations: &[String]) -> Result<Model, Diagnostics> {
    let mut model = model.clone();
    let mut diagnostics = Diagnostics::new();
    let service_ids: Vec<_> = model.services().iter().map(|s| s.id.clone()).collect();
    for service_id in service_ids {
        let all = all_operations(&model, &service_id);
        let mut chosen = Vec::new();
        for name in operations {
            match all.iter().find(|id| id.name() == name) {
                Some(id) => chosen.push(id.clone()),
                None => {
                    let mut d = Diagnostic::error(format!("operation `{name}` is not an operation of the service"))
                        .with_shape(&service_id);
                    if let Some(close) = all.iter().find(|id| id.name().eq_ignore_ascii_case(name)) {
                        d = d.with_help(format!("did you mean `{}`?", close.name()));
                    }
                    diagnostics.push(d);
                }
            }
        }
        chosen.sort();
        chosen.dedup();
        if let Some(shape) = model.shapes.get_mut(&service_id)
            && let ShapeKind::Service(s) = &mut shape.kind
        {
            s.operations = chosen;
            s.resources.clear();
        }
    }
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok(model) }
}

/// Every operation bound to a service, through resources too.
fn all_operations(model: &Model, service: &crate::ShapeId) -> Vec<crate::ShapeId> {
    let mut out = Vec::new();
    let mut resources = Vec::new();
    if let Some(ShapeKind::Service(s)) = model.shapes.get(service).map(|s| &s.kind) {
        out.extend(s.operations.iter().cloned());
        resources.extend(s.resources.iter().cloned());
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(r) = resources.pop() {
        if !seen.insert(r.clone()) {
            continue;
        }
        if let Some(ShapeKind::Resource(res)) = model.shapes.get(&r).map(|s| &s.kind) {
            out.extend(res.lifecycle.values().cloned());
            out.extend(res.operations.iter().cloned());
            out.extend(res.collection_operations.iter().cloned());
            resources.extend(res.resources.iter().cloned());
        }
    }
    out
}

//! Select pass (optional): keep only some operations of a service.
//!
//! Consumes a resolved [`Model`] and operation names; produces the same model whose service
//! binds exactly those operations (directly, with resources dropped), so that the lower pass
//! reaches only them and the shapes they use. Unknown names are diagnostics that suggest the
//! closest existing operation.

use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::shape_id::ShapeId;
use crate::model::{Model, ShapeKind};

/// Narrows `service` to the named operations (other services are left as they are).
pub fn select(model: &Model, service: &ShapeId, operations: &[String]) -> Result<Model, Diagnostics> {
    let mut model = model.clone();
    let mut diagnostics = Diagnostics::new();
    {
        let service_id = service.clone();
        let all = model.operations_of(&service_id);
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

/// The operations of `service` with an event stream: an input or output member that targets a
/// `@streaming` union. The generator does not implement event streams; callers that want the
/// rest of a service (the protocol test suite) leave these out and say so.
pub fn event_stream_operations(model: &Model, service: &ShapeId) -> Vec<ShapeId> {
    let streaming = ShapeId::new("smithy.api", "streaming");
    let is_stream = |target: &ShapeId| {
        model.shape(target).is_some_and(|s| matches!(s.kind, ShapeKind::Union(_)) && s.traits.contains_key(&streaming))
    };
    let mut out: Vec<ShapeId> = model
        .operations_of(service)
        .into_iter()
        .filter(|op| {
            let Some(ShapeKind::Operation(props)) = model.shape(op).map(|s| &s.kind) else { return false };
            [&props.input, &props.output]
                .into_iter()
                .any(|io| model.shape(io).is_some_and(|s| s.kind.members().iter().any(|m| is_stream(&m.target))))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

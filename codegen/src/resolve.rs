//! Resolve pass: fragments and the prelude into one checked [`Model`].
//!
//! Consumes the [`Fragment`]s of the load pass; produces a model in which mixins are copied into
//! the shapes that use them, `apply` statements are merged, metadata is merged across files, and
//! every reference (member targets, operation input, output and errors, service and resource
//! bindings) names a shape that exists. All problems are collected before failing.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Fragment, Member, Model, Node, Shape, ShapeKind, Traits};
use crate::prelude;
use crate::shape_id::ShapeId;
use crate::traits::MIXIN;

/// Merges fragments into a model and checks it.
pub fn resolve(fragments: Vec<Fragment>) -> Result<Model, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut model = Model { shapes: prelude::shapes(), ..Model::default() };
    let mut applies = Vec::new();

    for fragment in fragments {
        for (key, value, span) in fragment.metadata {
            merge_metadata(&mut model.metadata, key, value, span, &mut diagnostics);
        }
        for shape in fragment.shapes {
            let id = shape.id.clone();
            if let Some(existing) = model.shapes.get(&id) {
                if *existing != shape {
                    let span = fragment.spans.get(&id).copied();
                    let first = model.spans.get(&id).copied();
                    let mut d =
                        Diagnostic::error("shape is defined twice, differently").with_shape(&id).with_span(span);
                    if id.is_prelude() {
                        d = d.with_help("prelude shapes cannot be redefined");
                    } else if first.is_some() {
                        d = d.with_help("the other definition is in another file");
                    }
                    diagnostics.push(d);
                }
                continue;
            }
            model.shapes.insert(id, shape);
        }
        for (id, span) in fragment.spans {
            model.spans.entry(id).or_insert(span);
        }
        applies.extend(fragment.applies);
    }

    apply_mixins(&mut model, &mut diagnostics);

    for apply in applies {
        let target_exists = model.shape(&apply.target).is_some()
            && (apply.target.member().is_none() || model.member(&apply.target).is_some());
        if !target_exists {
            diagnostics.push(
                Diagnostic::error("`apply` targets a shape that does not exist")
                    .with_shape(&apply.target)
                    .with_span(apply.span),
            );
            continue;
        }
        for (trait_id, value) in apply.traits {
            let traits = match traits_mut(&mut model, &apply.target) {
                Some(t) => t,
                None => continue,
            };
            if let Err(message) = merge_trait(traits, trait_id.clone(), value) {
                diagnostics.push(Diagnostic::error(message).with_shape(&apply.target).with_span(apply.span));
            }
        }
    }

    check_references(&model, &mut diagnostics);
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok(model) }
}

fn merge_metadata(
    metadata: &mut BTreeMap<String, Node>,
    key: String,
    value: Node,
    span: Option<crate::source::Span>,
    diagnostics: &mut Diagnostics,
) {
    match metadata.get_mut(&key) {
        None => {
            metadata.insert(key, value);
        }
        Some(existing) if *existing == value => {}
        Some(Node::Array(existing)) if value.is_array() => {
            if let Node::Array(more) = value {
                existing.extend(more);
            }
        }
        Some(_) => diagnostics.push(
            Diagnostic::error(format!("metadata key `{key}` is set twice with different values")).with_span(span),
        ),
    }
}

/// Adds a trait; the same value twice is fine, two lists are concatenated, anything else
/// conflicts.
fn merge_trait(traits: &mut Traits, id: ShapeId, value: Node) -> Result<(), String> {
    match traits.get_mut(&id) {
        None => {
            traits.insert(id, value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(Node::Array(existing)) if value.is_array() => {
            if let Node::Array(more) = value {
                existing.extend(more);
            }
            Ok(())
        }
        Some(_) => Err(format!("trait `{id}` is applied twice with different values")),
    }
}

fn traits_mut<'m>(model: &'m mut Model, id: &ShapeId) -> Option<&'m mut Traits> {
    let shape = model.shapes.get_mut(&id.root())?;
    match id.member() {
        None => Some(&mut shape.traits),
        Some(name) => shape.kind.members_mut().into_iter().find(|m| m.name == name).map(|m| &mut m.traits),
    }
}

/// Copies the members and traits of mixins into the shapes that use them, mixins of mixins
/// first. A member the shape redeclares keeps its own target and adds its own traits.
fn apply_mixins(model: &mut Model, diagnostics: &mut Diagnostics) {
    let order = match mixin_order(model) {
        Ok(order) => order,
        Err(d) => {
            diagnostics.push(*d);
            return;
        }
    };
    for id in order {
        let Some(shape) = model.shapes.get(&id) else { continue };
        if shape.mixins.is_empty() {
            continue;
        }
        let mut inherited_members: Vec<Member> = Vec::new();
        let mut inherited_traits = Traits::new();
        for mixin_id in shape.mixins.clone() {
            let Some(mixin) = model.shapes.get(&mixin_id) else {
                diagnostics.push(
                    Diagnostic::error(format!("mixin `{mixin_id}` does not exist"))
                        .with_shape(&id)
                        .with_span(model.span(&id)),
                );
                continue;
            };
            if !mixin.traits.contains_key(&ShapeId::parse(MIXIN).unwrap_or_else(|_| prelude::id("mixin"))) {
                diagnostics.push(
                    Diagnostic::error(format!("`{mixin_id}` is used as a mixin but has no @mixin trait"))
                        .with_shape(&id)
                        .with_span(model.span(&id)),
                );
                continue;
            }
            if mixin.kind.type_name() != model.shapes[&id].kind.type_name() {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "mixin `{mixin_id}` is a {}, not a {}",
                        mixin.kind.type_name(),
                        model.shapes[&id].kind.type_name()
                    ))
                    .with_shape(&id)
                    .with_span(model.span(&id)),
                );
                continue;
            }
            let local_traits = local_mixin_traits(mixin);
            for (k, v) in &mixin.traits {
                if k.to_string() != MIXIN && !local_traits.contains(k) {
                    inherited_traits.insert(k.clone(), v.clone());
                }
            }
            for m in mixin.kind.members() {
                match inherited_members.iter_mut().find(|x| x.name == m.name) {
                    Some(existing) => existing.traits.extend(m.traits.clone()),
                    None => inherited_members.push(m.clone()),
                }
            }
        }
        let Some(shape) = model.shapes.get_mut(&id) else { continue };
        for (k, v) in inherited_traits {
            shape.traits.entry(k).or_insert(v);
        }
        merge_members(&mut shape.kind, inherited_members);
    }
}

/// The traits a mixin lists in `@mixin(localTraits: [...])`: not inherited.
fn local_mixin_traits(mixin: &Shape) -> BTreeSet<ShapeId> {
    mixin
        .traits
        .iter()
        .find(|(k, _)| k.to_string() == MIXIN)
        .and_then(|(_, v)| v.get("localTraits"))
        .and_then(Node::as_array)
        .map(|items| items.iter().filter_map(Node::as_str).filter_map(|s| ShapeId::parse(s).ok()).collect())
        .unwrap_or_default()
}

/// Puts inherited members first, in mixin order, then the shape's own; a member declared in
/// both keeps the inherited position and gains the shape's traits.
fn merge_members(kind: &mut ShapeKind, inherited: Vec<Member>) {
    let own = match kind {
        ShapeKind::Structure(m) | ShapeKind::Union(m) | ShapeKind::Enum(m) | ShapeKind::IntEnum(m) => m,
        ShapeKind::List(m) | ShapeKind::Set(m) => {
            if let Some(from) = inherited.into_iter().next() {
                let mut traits = from.traits;
                traits.extend(std::mem::take(&mut m.traits));
                m.traits = traits;
            }
            return;
        }
        ShapeKind::Map { key, value } => {
            for from in inherited {
                let slot = if from.name == "key" { &mut *key } else { &mut *value };
                let mut traits = from.traits;
                traits.extend(std::mem::take(&mut slot.traits));
                slot.traits = traits;
            }
            return;
        }
        _ => return,
    };
    let mut merged: Vec<Member> = Vec::new();
    for mut m in inherited {
        if let Some(pos) = own.iter().position(|o| o.name == m.name) {
            let local = own.remove(pos);
            m.traits.extend(local.traits);
        }
        merged.push(m);
    }
    merged.append(own);
    *own = merged;
}

/// Shapes in an order where every mixin comes before the shapes using it.
fn mixin_order(model: &Model) -> Result<Vec<ShapeId>, Box<Diagnostic>> {
    let mut order = Vec::new();
    let mut done = BTreeSet::new();
    for id in model.shapes.keys() {
        let mut stack: Vec<ShapeId> = Vec::new();
        visit(model, id, &mut stack, &mut done, &mut order)?;
    }
    Ok(order)
}

fn visit(
    model: &Model,
    id: &ShapeId,
    stack: &mut Vec<ShapeId>,
    done: &mut BTreeSet<ShapeId>,
    order: &mut Vec<ShapeId>,
) -> Result<(), Box<Diagnostic>> {
    if done.contains(id) {
        return Ok(());
    }
    if stack.contains(id) {
        return Err(Box::new(Diagnostic::error("mixins form a cycle").with_shape(id).with_span(model.span(id))));
    }
    stack.push(id.clone());
    if let Some(shape) = model.shapes.get(id) {
        for m in &shape.mixins {
            visit(model, m, stack, done, order)?;
        }
    }
    stack.pop();
    done.insert(id.clone());
    order.push(id.clone());
    Ok(())
}

/// Every reference must name an existing shape of a fitting kind.
fn check_references(model: &Model, diagnostics: &mut Diagnostics) {
    let exists = |id: &ShapeId| model.shapes.contains_key(id);
    for shape in model.shapes.values() {
        let mut refs: Vec<(ShapeId, &ShapeId, &str)> = Vec::new();
        for m in shape.kind.members() {
            refs.push((shape.id.with_member(&m.name), &m.target, "member target"));
        }
        match &shape.kind {
            ShapeKind::Operation(op) => {
                refs.push((shape.id.clone(), &op.input, "operation input"));
                refs.push((shape.id.clone(), &op.output, "operation output"));
                refs.extend(op.errors.iter().map(|e| (shape.id.clone(), e, "operation error")));
            }
            ShapeKind::Service(s) => {
                refs.extend(s.operations.iter().map(|e| (shape.id.clone(), e, "service operation")));
                refs.extend(s.resources.iter().map(|e| (shape.id.clone(), e, "service resource")));
                refs.extend(s.errors.iter().map(|e| (shape.id.clone(), e, "service error")));
            }
            ShapeKind::Resource(r) => {
                refs.extend(r.identifiers.values().map(|e| (shape.id.clone(), e, "resource identifier")));
                refs.extend(r.properties.values().map(|e| (shape.id.clone(), e, "resource property")));
                refs.extend(r.lifecycle.values().map(|e| (shape.id.clone(), e, "resource operation")));
                refs.extend(r.operations.iter().map(|e| (shape.id.clone(), e, "resource operation")));
                refs.extend(r.collection_operations.iter().map(|e| (shape.id.clone(), e, "resource operation")));
                refs.extend(r.resources.iter().map(|e| (shape.id.clone(), e, "resource")));
            }
            _ => {}
        }
        for (from, target, what) in refs {
            if !exists(target) {
                let mut d = Diagnostic::error(format!("{what} `{target}` does not exist"))
                    .with_shape(&from)
                    .with_span(model.span(&from));
                if let Some(similar) = similar_name(model, target) {
                    d = d.with_help(format!("did you mean `{similar}`?"));
                }
                diagnostics.push(d);
            }
        }
        if let ShapeKind::Operation(op) = &shape.kind {
            for (what, target) in [("input", &op.input), ("output", &op.output)] {
                if let Some(t) = model.shapes.get(target)
                    && !matches!(t.kind, ShapeKind::Structure(_))
                {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "operation {what} `{target}` must be a structure, not a {}",
                            t.kind.type_name()
                        ))
                        .with_shape(&shape.id)
                        .with_span(model.span(&shape.id)),
                    );
                }
            }
        }
    }
}

/// A shape whose name matches ignoring case, or that has the same name in another namespace.
fn similar_name(model: &Model, missing: &ShapeId) -> Option<ShapeId> {
    model
        .shapes
        .keys()
        .find(|k| {
            k.name().eq_ignore_ascii_case(missing.name())
                && (k.namespace() == missing.namespace() || k.name() == missing.name())
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::json;
    use crate::source::FileId;

    fn resolve_json(texts: &[&str]) -> Result<Model, Diagnostics> {
        let fragments = texts.iter().enumerate().map(|(i, t)| json::parse(FileId(i as u32), t).unwrap()).collect();
        resolve(fragments)
    }

    #[test]
    fn copies_mixin_members_first_and_merges_applies() {
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#M": {"type": "structure", "members": {"m": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}, "smithy.api#sensitive": {}}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#M"}], "members": {"own": {"target": "smithy.api#Integer"}}},
            "a#S$own": {"type": "apply", "traits": {"smithy.api#required": {}}}
        }}"#])
        .unwrap();
        let s = &model.shapes[&ShapeId::parse("a#S").unwrap()];
        let names: Vec<_> = s.kind.members().iter().map(|m| m.name.clone()).collect();
        assert_eq!(names, ["m", "own"]);
        assert!(s.has_trait("smithy.api#sensitive"));
        assert!(!s.has_trait("smithy.api#mixin"));
        assert!(s.member("own").unwrap().traits.contains_key(&ShapeId::parse("smithy.api#required").unwrap()));
    }

    #[test]
    fn reports_every_dangling_reference() {
        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#S": {"type": "structure", "members": {"x": {"target": "a#string"}, "y": {"target": "a#Nope"}}},
            "a#string": {"type": "string"},
            "a#Op": {"type": "operation", "input": {"target": "a#Missing"}}
        }}"#])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a#S$y: member target `a#Nope` does not exist"), "{text}");
        assert!(text.contains("a#Op: operation input `a#Missing` does not exist"), "{text}");
        assert_eq!(err.0.len(), 2);
    }

    #[test]
    fn conflicting_definitions_and_traits_are_errors() {
        let err = resolve_json(&[
            r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "string", "traits": {"smithy.api#pattern": "a"}}}}"#,
            r#"{"smithy": "2.0", "shapes": {"a#S$x": {"type": "apply", "traits": {}}, "a#T": {"type": "integer"}, "a#S": {"type": "integer"}}}"#,
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a#S: shape is defined twice"), "{text}");
        assert!(text.contains("`apply` targets a shape that does not exist"), "{text}");
    }
}

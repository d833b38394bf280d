//! Resolve pass: fragments and the prelude into one checked [`Model`].
//!
//! Consumes the [`Fragment`]s of the load pass; produces a model in which mixins are copied into
//! the shapes that use them (members, traits, and operation, service and resource properties,
//! as Smithy's loader copies them; see [`resolve_with_warnings`] for the order), `apply`
//! statements are merged, members left to mixins ([`Fragment::inherited`]) have their targets,
//! enum members have their values, metadata is merged across files, and every reference
//! (member targets, operation input, output and errors, service and resource bindings) names a
//! shape that exists. All problems are collected before failing.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::prelude;
use crate::model::prelude::MIXIN;
use crate::model::shape_id::ShapeId;
use crate::model::source::Span;
use crate::model::{Apply, Fragment, Member, Model, Node, ResourceShape, ServiceShape, Shape, ShapeKind, Traits};

/// Merges fragments into a model and checks it.
pub fn resolve(fragments: Vec<Fragment>) -> Result<Model, Diagnostics> {
    resolve_with_warnings(fragments).map(|(model, _)| model)
}

/// Merges fragments into a model and checks it, keeping warnings: the model and the warnings,
/// or every diagnostic when any is an error.
///
/// The steps follow Smithy's loader: shapes are merged; `apply` statements are merged into the
/// traits of the shapes and members they name, as if written there (two values of one trait
/// conflict unless equal or both lists); then, mixins before the shapes that use them, each
/// shape inherits the traits, members and properties of its mixins, its own traits taking
/// precedence; `apply` statements to members the shape inherits are applied once the members
/// are copied, again taking precedence; and enum members without a value get their name.
pub fn resolve_with_warnings(fragments: Vec<Fragment>) -> Result<(Model, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut model = Model { shapes: prelude::shapes(), ..Model::default() };
    let mut applies = Vec::new();
    let mut inherited = BTreeSet::new();

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
            for member in shape.kind.members() {
                let member_id = id.with_member(&member.name);
                if fragment.inherited.contains(&member_id) {
                    inherited.insert(member_id);
                }
            }
            model.shapes.insert(id, shape);
        }
        for (id, span) in fragment.spans {
            model.spans.entry(id).or_insert(span);
        }
        applies.extend(fragment.applies);
    }

    let mut pending = apply_statements(&mut model, applies, &mut diagnostics);
    apply_mixins(&mut model, &inherited, &mut pending, &mut diagnostics);
    // Whatever is left names a member of a shape that was never processed (a mixin cycle).
    for (root, members) in pending {
        for (name, applied) in members {
            diagnostics.push(
                Diagnostic::error("`apply` targets a shape that does not exist")
                    .with_shape(&root.with_member(name))
                    .with_span(applied.span),
            );
        }
    }
    check_mixin_shapes(&model, &mut diagnostics);
    check_references(&model, &mut diagnostics);
    diagnostics.into_result(model)
}

/// Traits of `apply` statements to a member the shape does not declare (it may inherit it from
/// a mixin), waiting for the mixin members to be copied.
struct PendingApply {
    traits: Traits,
    /// The first such statement, for diagnostics.
    span: Option<Span>,
}

/// Pending applies by root shape, then by member name.
type Pending = BTreeMap<ShapeId, BTreeMap<String, PendingApply>>;

/// Merges each `apply` into the traits of the shape or declared member it names; applies to
/// members the shape does not declare are returned, to be applied after mixins.
fn apply_statements(model: &mut Model, applies: Vec<Apply>, diagnostics: &mut Diagnostics) -> Pending {
    let mut pending = Pending::new();
    for apply in applies {
        let Some(shape) = model.shapes.get_mut(&apply.target.root()) else {
            diagnostics.push(
                Diagnostic::error("`apply` targets a shape that does not exist")
                    .with_shape(&apply.target)
                    .with_span(apply.span),
            );
            continue;
        };
        let traits = match apply.target.member() {
            None => &mut shape.traits,
            Some(name) => match shape.kind.members_mut().into_iter().find(|m| m.name == name) {
                Some(member) => &mut member.traits,
                None => {
                    let waiting = pending
                        .entry(apply.target.root())
                        .or_default()
                        .entry(name.to_owned())
                        .or_insert_with(|| PendingApply { traits: Traits::new(), span: apply.span });
                    &mut waiting.traits
                }
            },
        };
        for (trait_id, value) in apply.traits {
            if let Err(message) = merge_trait(traits, trait_id, value) {
                diagnostics.push(Diagnostic::error(message).with_shape(&apply.target).with_span(apply.span));
            }
        }
    }
    pending
}

fn merge_metadata(
    metadata: &mut BTreeMap<String, Node>,
    key: String,
    value: Node,
    span: Option<Span>,
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

/// Resolves the mixins of every shape, mixins before the shapes that use them: each shape
/// gets its mixins' traits, members and properties, then the pending applies to its members,
/// then the implicit values of its enum members.
fn apply_mixins(
    model: &mut Model,
    inherited: &BTreeSet<ShapeId>,
    pending: &mut Pending,
    diagnostics: &mut Diagnostics,
) {
    let mixin_trait = prelude::MIXIN;
    for id in mixin_order(model, diagnostics) {
        // Taken out while its mixins are read; a shape is never its own mixin (a cycle,
        // reported by `mixin_order`).
        let Some(mut shape) = model.shapes.remove(&id) else { continue };
        let span = model.span(&id);
        let mut mixins: Vec<&Shape> = Vec::new();
        let mut all_found = true;
        for mixin_id in shape.mixins.iter().filter(|m| **m != id) {
            let problem = match model.shapes.get(mixin_id) {
                None => format!("mixin `{mixin_id}` does not exist"),
                Some(mixin) if !mixin.traits.contains_key(&mixin_trait) => {
                    format!("`{mixin_id}` is used as a mixin but has no @mixin trait")
                }
                Some(mixin) if mixin.kind.type_name() != shape.kind.type_name() => {
                    format!("mixin `{mixin_id}` is a {}, not a {}", mixin.kind.type_name(), shape.kind.type_name())
                }
                Some(mixin) => {
                    mixins.push(mixin);
                    continue;
                }
            };
            all_found = false;
            diagnostics.push(Diagnostic::error(problem).with_shape(&id).with_span(span));
        }
        if !mixins.is_empty() {
            inherit_traits(&mut shape, &mixins, &mixin_trait);
            inherit_properties(&mut shape.kind, &mixins);
        }
        let has_placeholders = shape.kind.members().iter().any(|m| inherited.contains(&id.with_member(&m.name)));
        if !mixins.is_empty() || has_placeholders {
            let context = MemberContext { inherited, spans: &model.spans, report_placeholders: all_found };
            inherit_members(&mut shape, &mixins, &context, diagnostics);
        }
        if let Some(members) = pending.remove(&id) {
            claim_pending(&mut shape, members, diagnostics);
        }
        implicit_enum_values(&mut shape, &model.spans, diagnostics);
        model.shapes.insert(id, shape);
    }
}

/// The shape's traits: its mixins' (except `@mixin` and each mixin's local traits), later
/// mixins taking precedence over earlier ones, then its own, which take precedence over all.
fn inherit_traits(shape: &mut Shape, mixins: &[&Shape], mixin_trait: &ShapeId) {
    let mut traits = Traits::new();
    for mixin in mixins {
        let local = local_mixin_traits(mixin);
        for (k, v) in &mixin.traits {
            if k != mixin_trait && !local.contains(k) {
                traits.insert(k.clone(), v.clone());
            }
        }
    }
    traits.append(&mut shape.traits);
    shape.traits = traits;
}

/// The traits a mixin lists in `@mixin(localTraits: [...])`: not inherited.
fn local_mixin_traits(mixin: &Shape) -> BTreeSet<ShapeId> {
    mixin
        .traits
        .get(&MIXIN)
        .and_then(|v| v.get("localTraits"))
        .and_then(Node::as_array)
        .map(|items| items.iter().filter_map(Node::as_str).filter_map(|s| ShapeId::parse(s).ok()).collect())
        .unwrap_or_default()
}

/// The properties of operations, services and resources that come from mixins: lists are
/// the mixins' entries in mixin order, then the shape's own, without repeats; a service keeps
/// its own `version` if it has one, else takes the last mixin's; `rename` entries of the shape
/// take precedence over its mixins', later mixins' over earlier ones.
fn inherit_properties(kind: &mut ShapeKind, mixins: &[&Shape]) {
    match kind {
        ShapeKind::Operation(op) => {
            let from: Vec<&[ShapeId]> = mixins
                .iter()
                .filter_map(|m| match &m.kind {
                    ShapeKind::Operation(o) => Some(o.errors.as_slice()),
                    _ => None,
                })
                .collect();
            op.errors = merged_list(&from, &op.errors);
        }
        ShapeKind::Service(service) => {
            let services: Vec<&ServiceShape> = mixins
                .iter()
                .filter_map(|m| match &m.kind {
                    ShapeKind::Service(s) => Some(s),
                    _ => None,
                })
                .collect();
            if service.version.as_deref().is_none_or(str::is_empty)
                && let Some(version) = services.iter().rev().find_map(|s| s.version.as_ref().filter(|v| !v.is_empty()))
            {
                service.version = Some(version.clone());
            }
            let mut rename = BTreeMap::new();
            for s in &services {
                rename.extend(s.rename.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            rename.append(&mut service.rename);
            service.rename = rename;
            let lists = |get: fn(&ServiceShape) -> &[ShapeId]| services.iter().map(|s| get(s)).collect::<Vec<_>>();
            service.operations = merged_list(&lists(|s| &s.operations), &service.operations);
            service.resources = merged_list(&lists(|s| &s.resources), &service.resources);
            service.errors = merged_list(&lists(|s| &s.errors), &service.errors);
        }
        ShapeKind::Resource(resource) => {
            // Resource mixins may not have properties (see `check_mixin_shapes`), but their
            // bindings are merged as Smithy merges them, so an invalid model loses nothing.
            let resources: Vec<&ResourceShape> = mixins
                .iter()
                .filter_map(|m| match &m.kind {
                    ShapeKind::Resource(r) => Some(r),
                    _ => None,
                })
                .collect();
            let lists = |get: fn(&ResourceShape) -> &[ShapeId]| resources.iter().map(|r| get(r)).collect::<Vec<_>>();
            resource.operations = merged_list(&lists(|r| &r.operations), &resource.operations);
            resource.resources = merged_list(&lists(|r| &r.resources), &resource.resources);
        }
        _ => {}
    }
}

/// The ids of `inherited` lists in order, then `own`, each id once, at its first place.
fn merged_list(inherited: &[&[ShapeId]], own: &[ShapeId]) -> Vec<ShapeId> {
    let mut seen = BTreeSet::new();
    inherited.iter().flat_map(|list| list.iter()).chain(own).filter(|id| seen.insert(*id)).cloned().collect()
}

/// What `inherit_members` needs besides the shape and its mixins.
struct MemberContext<'a> {
    /// Members whose target is a placeholder, to be taken from a mixin.
    inherited: &'a BTreeSet<ShapeId>,
    spans: &'a BTreeMap<ShapeId, Span>,
    /// Whether a placeholder no mixin fills is reported (not when a mixin was missing).
    report_placeholders: bool,
}

/// The shape's members: its mixins' in mixin order (each mixin's already in its own order),
/// then its own. A member of several mixins keeps its first place and must have one target;
/// its traits are those of each mixin's member, later mixins taking precedence. A member the
/// shape redeclares keeps the inherited place, must keep the target (a placeholder takes it),
/// and its own traits take precedence over the inherited ones.
fn inherit_members(shape: &mut Shape, mixins: &[&Shape], context: &MemberContext, diagnostics: &mut Diagnostics) {
    let id = shape.id.clone();
    let span_of = |member: &ShapeId| context.spans.get(member).or_else(|| context.spans.get(&id)).copied();

    // The members the mixins give, with the mixin member each first came from.
    let mut merged: Vec<(Member, ShapeId)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for mixin in mixins {
        for member in mixin.kind.members() {
            let source = mixin.id.with_member(&member.name);
            match index.get(&member.name) {
                Some(&i) => {
                    let (existing, first) = &mut merged[i];
                    if existing.target != member.target {
                        diagnostics.push(
                            Diagnostic::error(format!(
                                "the mixins of `{id}` give member `{}` different targets: `{first}` targets `{}`, but `{source}` targets `{}`",
                                member.name, existing.target, member.target
                            ))
                            .with_shape(&id.with_member(&member.name))
                            .with_span(span_of(&id)),
                        );
                    }
                    existing.traits.extend(member.traits.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                None => {
                    index.insert(member.name.clone(), merged.len());
                    merged.push((member.clone(), source));
                }
            }
        }
    }

    let own: Vec<Member> = shape.kind.members().into_iter().cloned().collect();
    let mut result: Vec<Member> = Vec::with_capacity(merged.len() + own.len());
    let mut local_only = Vec::new();
    for local in own {
        let member_id = id.with_member(&local.name);
        let placeholder = context.inherited.contains(&member_id);
        match index.get(&local.name) {
            Some(&i) => {
                let (from_mixin, source) = &mut merged[i];
                if !placeholder && local.target != from_mixin.target {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "member `{}` targets `{}`, but the member it redeclares, `{source}`, targets `{}`",
                            local.name, local.target, from_mixin.target
                        ))
                        .with_shape(&member_id)
                        .with_span(span_of(&member_id))
                        .with_help("a member redeclared from a mixin must keep the mixin member's target"),
                    );
                }
                from_mixin.traits.extend(local.traits);
            }
            None => {
                if placeholder && context.report_placeholders {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "member `{}` has no target: it is left to the mixins of `{id}`, but none of them has a member `{}`",
                            local.name, local.name
                        ))
                        .with_shape(&member_id)
                        .with_span(span_of(&member_id))
                        .with_help("write the member with its target"),
                    );
                }
                local_only.push(local);
            }
        }
    }
    result.extend(merged.into_iter().map(|(member, _)| member));
    result.extend(local_only);

    match &mut shape.kind {
        ShapeKind::Structure(m) | ShapeKind::Union(m) | ShapeKind::Enum(m) | ShapeKind::IntEnum(m) => *m = result,
        // Mixins have the type of the shape, so the names are the same: `member`, or `key`
        // and `value`.
        kind => {
            for slot in kind.members_mut() {
                if let Some(found) = result.iter_mut().find(|m| m.name == slot.name) {
                    slot.clone_from(found);
                }
            }
        }
    }
}

/// Applies the traits of `apply` statements to members the shape did not declare, now that
/// its mixin members are copied; they take precedence over the inherited traits.
fn claim_pending(shape: &mut Shape, members: BTreeMap<String, PendingApply>, diagnostics: &mut Diagnostics) {
    for (name, applied) in members {
        match shape.kind.members_mut().into_iter().find(|m| m.name == name) {
            Some(member) => member.traits.extend(applied.traits),
            None => diagnostics.push(
                Diagnostic::error("`apply` targets a shape that does not exist")
                    .with_shape(&shape.id.with_member(name))
                    .with_span(applied.span),
            ),
        }
    }
}

/// Enum members without an `@enumValue`, once mixins are copied, have their name as value;
/// intEnum members must have one.
fn implicit_enum_values(shape: &mut Shape, spans: &BTreeMap<ShapeId, Span>, diagnostics: &mut Diagnostics) {
    let enum_value = prelude::id("enumValue");
    match &mut shape.kind {
        ShapeKind::Enum(members) => {
            for m in members {
                if !m.traits.contains_key(&enum_value) {
                    m.traits.insert(enum_value.clone(), Node::String(m.name.clone()));
                }
            }
        }
        ShapeKind::IntEnum(members) => {
            for m in members.iter().filter(|m| !m.traits.contains_key(&enum_value)) {
                let member_id = shape.id.with_member(&m.name);
                let span = spans.get(&member_id).or_else(|| spans.get(&shape.id)).copied();
                diagnostics.push(
                    Diagnostic::error(format!("intEnum member `{}` has no value", m.name))
                        .with_shape(&member_id)
                        .with_span(span)
                        .with_help(format!("give it one, as in `{} = 1`", m.name)),
                );
            }
        }
        _ => {}
    }
}

/// Shapes in an order where every mixin comes before the shapes using it. Each cycle is
/// reported once for every shape in it; the order is still complete.
fn mixin_order(model: &Model, diagnostics: &mut Diagnostics) -> Vec<ShapeId> {
    let mut order = Vec::new();
    // `false` while a shape's mixins are being visited, `true` once it is in `order`.
    let mut state: BTreeMap<&ShapeId, bool> = BTreeMap::new();
    for root in model.shapes.keys() {
        if state.contains_key(root) {
            continue;
        }
        state.insert(root, false);
        // An explicit stack, so that a chain of any length cannot overflow the call stack.
        let mut stack: Vec<(&ShapeId, usize)> = vec![(root, 0)];
        while let Some(&(id, next)) = stack.last() {
            let mixins = model.shapes.get(id).map_or(&[][..], |s| s.mixins.as_slice());
            let Some(mixin) = mixins.get(next) else {
                stack.pop();
                state.insert(id, true);
                order.push(id.clone());
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            match state.get(mixin) {
                None if model.shapes.contains_key(mixin) => {
                    state.insert(mixin, false);
                    stack.push((mixin, 0));
                }
                Some(false) => {
                    let start = stack.iter().position(|(s, _)| *s == mixin).unwrap_or(0);
                    let cycle: Vec<&ShapeId> = stack[start..].iter().map(|(s, _)| *s).collect();
                    let path = cycle.iter().chain([&mixin]).map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" -> ");
                    for participant in cycle {
                        diagnostics.push(
                            Diagnostic::error(format!("mixins form a cycle: {path}"))
                                .with_shape(participant)
                                .with_span(model.span(participant)),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    order
}

/// Mixin operations may not have an input or output, and mixin resources no properties at
/// all, as the spec requires.
fn check_mixin_shapes(model: &Model, diagnostics: &mut Diagnostics) {
    let mixin_trait = prelude::MIXIN;
    for shape in model.shapes.values().filter(|s| s.traits.contains_key(&mixin_trait)) {
        let problem = match &shape.kind {
            ShapeKind::Operation(op) if op.input != prelude::unit() || op.output != prelude::unit() => {
                "an operation mixin must not have an input or output other than `smithy.api#Unit`"
            }
            ShapeKind::Resource(r) if *r != ResourceShape::default() => {
                "a resource mixin must not have identifiers, properties, operations or resources"
            }
            _ => continue,
        };
        diagnostics.push(Diagnostic::error(problem).with_shape(&shape.id).with_span(model.span(&shape.id)));
    }
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
    use crate::model::load::json;
    use crate::model::source::FileId;

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
        assert!(s.has_trait(&ShapeId::prelude("sensitive")));
        assert!(!s.has_trait(&MIXIN));
        assert!(s.member("own").unwrap().traits.contains_key(&ShapeId::parse("smithy.api#required").unwrap()));
    }

    fn id(text: &str) -> ShapeId {
        ShapeId::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn names(model: &Model, shape: &str) -> Vec<String> {
        model.shapes[&id(shape)].kind.members().iter().map(|m| m.name.clone()).collect()
    }

    fn member_trait(model: &Model, member: &str, trait_id: &str) -> Option<Node> {
        model.member(&id(member)).and_then(|m| m.traits.get(&id(trait_id))).cloned()
    }

    #[test]
    fn own_and_applied_traits_override_inherited_ones() {
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#M": {"type": "structure", "members": {"m": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "generic"}}},
                "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "mixin", "smithy.api#tags": ["m"]}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#M"}], "members": {},
                "traits": {"smithy.api#documentation": "own"}},
            "a#S$m": {"type": "apply", "traits": {"smithy.api#documentation": "specific"}},
            "a#T": {"type": "structure", "mixins": [{"target": "a#M"}], "members": {
                "m": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "redeclared"}}}}
        }}"#, r#"{"smithy": "2.0", "shapes": {
            "a#S": {"type": "apply", "traits": {"smithy.api#tags": ["s"]}}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        let s = &model.shapes[&id("a#S")];
        assert_eq!(s.traits[&id("smithy.api#documentation")], Node::from("own"));
        assert_eq!(s.traits[&id("smithy.api#tags")], serde_json::json!(["s"]));
        assert_eq!(member_trait(&model, "a#S$m", "smithy.api#documentation"), Some(Node::from("specific")));
        assert_eq!(member_trait(&model, "a#T$m", "smithy.api#documentation"), Some(Node::from("redeclared")));
        assert_eq!(member_trait(&model, "a#M$m", "smithy.api#documentation"), Some(Node::from("generic")));
    }

    #[test]
    fn applies_to_inherited_members_reach_shapes_that_use_the_mixin() {
        // As `valid/mixins/mixins-with-members-and-traits.smithy`: `apply D$c` changes the `c`
        // that D inherits from C, and F inherits it through E.
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#C": {"type": "structure", "members": {"c": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "C.c"}}},
                "traits": {"smithy.api#mixin": {}}},
            "a#D": {"type": "structure", "mixins": [{"target": "a#C"}], "members": {}, "traits": {"smithy.api#mixin": {}}},
            "a#E": {"type": "structure", "mixins": [{"target": "a#D"}], "members": {}, "traits": {"smithy.api#mixin": {}}},
            "a#F": {"type": "structure", "mixins": [{"target": "a#E"}], "members": {}},
            "a#D$c": {"type": "apply", "traits": {"smithy.api#documentation": "changed", "smithy.api#internal": {}}}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        for member in ["a#D$c", "a#E$c", "a#F$c"] {
            assert_eq!(
                member_trait(&model, member, "smithy.api#documentation"),
                Some(Node::from("changed")),
                "{member}"
            );
            assert!(member_trait(&model, member, "smithy.api#internal").is_some(), "{member}");
        }
        assert_eq!(member_trait(&model, "a#C$c", "smithy.api#documentation"), Some(Node::from("C.c")));

        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#C": {"type": "structure", "members": {}, "traits": {"smithy.api#mixin": {}}},
            "a#D": {"type": "structure", "mixins": [{"target": "a#C"}], "members": {}},
            "a#D$nope": {"type": "apply", "traits": {"smithy.api#internal": {}}}
        }}"#])
        .unwrap_err();
        assert!(err.to_string().contains("a#D$nope: `apply` targets a shape that does not exist"), "{err}");
        assert!(err.0[0].span.is_some());
    }

    #[test]
    fn members_come_in_mixin_order_then_own() {
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#A": {"type": "structure", "members": {"a": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
            "a#B": {"type": "structure", "mixins": [{"target": "a#A"}], "members": {"b": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
            "a#C": {"type": "structure", "members": {"c": {"target": "smithy.api#String"}, "a": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}},
                "traits": {"smithy.api#mixin": {}}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#B"}, {"target": "a#C"}], "members": {
                "own": {"target": "smithy.api#String"}, "b": {"target": "smithy.api#String"}}}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(names(&model, "a#S"), ["a", "b", "c", "own"]);
        assert!(member_trait(&model, "a#S$a", "smithy.api#required").is_some(), "traits of both mixins' `a`");
    }

    #[test]
    fn operations_services_and_resources_inherit_properties() {
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#E1": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "a#E2": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "server"}},
            "a#Op": {"type": "operation"},
            "a#Op2": {"type": "operation"},
            "a#MixinOp": {"type": "operation", "errors": [{"target": "a#E1"}], "traits": {"smithy.api#mixin": {}}},
            "a#Concrete": {"type": "operation", "mixins": [{"target": "a#MixinOp"}], "errors": [{"target": "a#E2"}, {"target": "a#E1"}]},
            "a#MixinSvc": {"type": "service", "version": "1", "operations": [{"target": "a#Op"}], "errors": [{"target": "a#E1"}],
                "rename": {"a#E1": "One", "a#E2": "Two"}, "traits": {"smithy.api#mixin": {}}},
            "a#Svc": {"type": "service", "mixins": [{"target": "a#MixinSvc"}], "operations": [{"target": "a#Op2"}], "rename": {"a#E2": "Deux"}},
            "a#Svc2": {"type": "service", "version": "2", "mixins": [{"target": "a#MixinSvc"}]}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        let ShapeKind::Operation(op) = &model.shapes[&id("a#Concrete")].kind else { panic!("not an operation") };
        assert_eq!(op.errors, [id("a#E1"), id("a#E2")]);
        let ShapeKind::Service(svc) = &model.shapes[&id("a#Svc")].kind else { panic!("not a service") };
        assert_eq!(svc.version.as_deref(), Some("1"));
        assert_eq!(svc.operations, [id("a#Op"), id("a#Op2")]);
        assert_eq!(svc.errors, [id("a#E1")]);
        assert_eq!(svc.rename[&id("a#E1")], "One");
        assert_eq!(svc.rename[&id("a#E2")], "Deux");
        let ShapeKind::Service(svc2) = &model.shapes[&id("a#Svc2")].kind else { panic!("not a service") };
        assert_eq!(svc2.version.as_deref(), Some("2"));

        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#In": {"type": "structure", "members": {}},
            "a#MixinOp": {"type": "operation", "input": {"target": "a#In"}, "traits": {"smithy.api#mixin": {}}},
            "a#Op": {"type": "operation"},
            "a#MixinRes": {"type": "resource", "operations": [{"target": "a#Op"}], "traits": {"smithy.api#mixin": {}}}
        }}"#])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a#MixinOp: an operation mixin must not have an input"), "{text}");
        assert!(text.contains("a#MixinRes: a resource mixin must not have"), "{text}");
    }

    #[test]
    fn redeclared_and_mixed_members_must_keep_one_target() {
        let text = r#"{"smithy": "2.0", "shapes": {
            "a#A1": {"type": "structure", "members": {"a": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
            "a#A2": {"type": "structure", "members": {"a": {"target": "smithy.api#Integer"}}, "traits": {"smithy.api#mixin": {}}},
            "a#Conflict": {"type": "structure", "mixins": [{"target": "a#A1"}, {"target": "a#A2"}], "members": {}},
            "a#Redeclared": {"type": "structure", "mixins": [{"target": "a#A1"}], "members": {"a": {"target": "smithy.api#Long"}}},
            "a#L": {"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#mixin": {}}},
            "a#L2": {"type": "list", "mixins": [{"target": "a#L"}], "member": {"target": "smithy.api#Long"}}
        }}"#;
        let err = resolve_json(&[text]).unwrap_err();
        let messages: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("a#Conflict$a: the mixins of `a#Conflict` give member `a` different targets"));
        assert!(messages[1].contains(
            "a#L2$member: member `member` targets `smithy.api#Long`, but the member it redeclares, `a#L$member`"
        ));
        assert!(messages[2].contains("a#Redeclared$a: member `a` targets `smithy.api#Long`"));
        let span = err.0[2].span.unwrap_or_else(|| panic!("no span"));
        let redeclared = text.find("\"Redeclared\"").unwrap_or(0);
        assert!(span.start as usize > redeclared, "points at the member, not the first `a`");
        assert_eq!(&text[span.start as usize..span.end as usize], "\"a\"");
    }

    #[test]
    fn inherited_list_and_map_members_take_the_mixin_target() {
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#L": {"type": "list", "mixins": [{"target": "a#BaseL"}]},
            "a#L$member": {"type": "apply", "traits": {"smithy.api#pattern": "x"}},
            "a#M": {"type": "map", "mixins": [{"target": "a#BaseM"}], "value": {"target": "smithy.api#Integer"}},
            "a#BaseL": {"type": "list", "member": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 1}}}, "traits": {"smithy.api#mixin": {}}},
            "a#BaseM": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}, "traits": {"smithy.api#mixin": {}}}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        let l = model.member(&id("a#L$member")).unwrap_or_else(|| panic!("no member"));
        assert_eq!(l.target, id("smithy.api#String"));
        assert_eq!(l.traits.len(), 2, "inherited @length and applied @pattern");
        assert_eq!(model.member(&id("a#M$key")).map(|m| m.target.clone()), Some(id("smithy.api#String")));

        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#Base": {"type": "structure", "members": {}, "traits": {"smithy.api#mixin": {}}},
            "a#L": {"type": "list", "mixins": [{"target": "a#Base"}]}
        }}"#])
        .unwrap_err();
        assert!(err.to_string().contains("a#Base` is a structure, not a list"), "{err}");
        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#Base": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}, "traits": {"smithy.api#mixin": {}}},
            "a#Base2": {"type": "map", "mixins": [{"target": "a#Base"}], "traits": {"smithy.api#mixin": {}}},
            "a#M": {"type": "map", "mixins": [{"target": "a#Base2"}]}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(err.member(&id("a#M$value")).map(|m| m.target.clone()), Some(id("smithy.api#String")));
    }

    #[test]
    fn a_placeholder_no_mixin_fills_is_an_error() {
        let mut fragment = json::parse(
            FileId(0),
            r#"{"smithy": "2.0", "shapes": {
                "a#Base": {"type": "structure", "members": {}, "traits": {"smithy.api#mixin": {}}},
                "a#S": {"type": "structure", "mixins": [{"target": "a#Base"}], "members": {"x": {"target": "smithy.api#Unit"}}}
            }}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        fragment.inherited.insert(id("a#S$x"));
        let err = resolve(vec![fragment]).unwrap_err();
        assert!(err.to_string().contains("a#S$x: member `x` has no target"), "{err}");
        assert!(err.0[0].span.is_some());
    }

    #[test]
    fn enum_members_get_their_implicit_value_after_mixins() {
        let model = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#Base": {"type": "enum", "members": {"BAR": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "bar"}},
                "FOO": {"target": "smithy.api#Unit"}}, "traits": {"smithy.api#mixin": {}}},
            "a#E": {"type": "enum", "mixins": [{"target": "a#Base"}], "members": {
                "BAR": {"target": "smithy.api#Unit", "traits": {"smithy.api#documentation": "d"}},
                "BAZ": {"target": "smithy.api#Unit"}}}
        }}"#])
        .unwrap_or_else(|e| panic!("{e}"));
        let value = |m: &str| member_trait(&model, m, "smithy.api#enumValue");
        assert_eq!(value("a#E$BAR"), Some(Node::from("bar")), "a redeclared member keeps the mixin's value");
        assert_eq!(value("a#E$FOO"), Some(Node::from("FOO")));
        assert_eq!(value("a#E$BAZ"), Some(Node::from("BAZ")));
        assert_eq!(value("a#Base$FOO"), Some(Node::from("FOO")));
        assert_eq!(names(&model, "a#E"), ["BAR", "FOO", "BAZ"]);

        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#I": {"type": "intEnum", "members": {"ONE": {"target": "smithy.api#Unit"}}}
        }}"#])
        .unwrap_err();
        assert!(err.to_string().contains("a#I$ONE: intEnum member `ONE` has no value"), "{err}");
    }

    #[test]
    fn every_shape_of_a_mixin_cycle_is_reported_and_long_chains_do_not_overflow() {
        let err = resolve_json(&[r#"{"smithy": "2.0", "shapes": {
            "a#A": {"type": "structure", "mixins": [{"target": "a#B"}], "members": {}, "traits": {"smithy.api#mixin": {}}},
            "a#B": {"type": "structure", "mixins": [{"target": "a#A"}], "members": {}, "traits": {"smithy.api#mixin": {}}}
        }}"#])
        .unwrap_err();
        let cycles: Vec<_> = err.iter().filter(|d| d.message.contains("mixins form a cycle")).collect();
        assert_eq!(cycles.len(), 2, "{err}");

        let mut shapes = Vec::new();
        for level in 0..20_000 {
            shapes.push(format!(
                r#""a#M{level}": {{"type": "structure", "mixins": [{{"target": "a#M{}"}}], "members": {{}}, "traits": {{"smithy.api#mixin": {{}}}}}}"#,
                level + 1
            ));
        }
        shapes.push(r#""a#M20000": {"type": "structure", "members": {"x": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}}"#.into());
        let text = format!(r#"{{"smithy": "2.0", "shapes": {{{}}}}}"#, shapes.join(","));
        let model = resolve_json(&[&text]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(names(&model, "a#M0"), ["x"]);
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

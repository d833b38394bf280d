//! Lower pass: the resolved model into the plain [`Ir`].
//!
//! Consumes a [`Model`] with one service (or the one [`LowerOptions::service`] names); produces
//! the [`Ir`] of that service's operations and every shape they reach, plus warnings. This is
//! where each Smithy trait is interpreted (see [`crate::traits`] for the table), where Rust names
//! are fixed (inputs and outputs become `<Op>Input` and `<Op>Output` whatever the model calls
//! them), where members on a cycle of structures are boxed, and where everything the generator
//! cannot do becomes a diagnostic naming the shape and the trait.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Binding, Constraints, DefaultValue, Element, EndpointExpectation, EndpointParam, EndpointTest, Enum, EnumVariant,
    EnumVariants, ErrorInfo, ErrorRef, HostPrefixPart, Ir, Member, Named, NamedKind, Operation, Protocol, Retryable,
    Segment, Service, Structure, StructureRole, Type, Union, UriPattern, ValidationError, Variant,
};
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::shape_id::ShapeId;
use crate::model::{self, Model, Node, Shape, ShapeKind, SimpleType};
use crate::naming;
use crate::traits::{self as t, Handling, TraitValue};

mod constraints;
mod customize;
mod docs;
mod endpoint_tests;
mod http;
mod pagination;
mod protocol_tests;
mod shapes;

use docs::{clean_docs, docs};
use shapes::message_member;

/// The protocol test cases on `operations` (and the errors they declare) for `protocol`, read
/// without lowering the operations' shapes: for counting and naming cases of operations that
/// are not generated. Errors are named by their shape name.
pub fn protocol_test_cases(
    model: &Model,
    operations: &[ShapeId],
    protocol: &ShapeId,
) -> (Vec<crate::ir::ProtocolTest>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let cases =
        protocol_tests::lower(model, operations, protocol, |e| Some(naming::type_name(e.name())), &mut diagnostics);
    (cases, diagnostics)
}

/// Choices for the lower pass.
#[derive(Clone, Debug, Default)]
pub struct LowerOptions {
    /// The service to generate, when the model has more than one.
    pub service: Option<ShapeId>,
}

/// Error names an operation's constraint violations are reported as, best first, when the
/// operation does not declare `smithy.framework#ValidationException`.
const VALIDATION_ERROR_NAMES: &[&str] = &[
    "ValidationException",
    "InvalidParameterException",
    "InvalidParameterValueException",
    "InvalidInputException",
    "InvalidRequestException",
    "BadRequestException",
];

/// Lowers the model's service into the IR.
pub fn lower(model: &Model, options: &LowerOptions) -> Result<(Ir, Diagnostics), Diagnostics> {
    let mut lowerer = Lowerer {
        model,
        diagnostics: Diagnostics::new(),
        names: BTreeMap::new(),
        boxed: BTreeSet::new(),
        collections: Vec::new(),
    };
    let ir = lowerer.run(options);
    match ir {
        Some(ir) if !lowerer.diagnostics.has_errors() => Ok((ir, lowerer.diagnostics)),
        _ => Err(lowerer.diagnostics),
    }
}

struct Lowerer<'m> {
    model: &'m Model,
    diagnostics: Diagnostics,
    /// Rust names of the generated named types.
    names: BTreeMap<ShapeId, Named>,
    /// Members (`shape$member`) that must be boxed to break a cycle.
    boxed: BTreeSet<ShapeId>,
    /// The lists and maps whose element types [`Lowerer::ty`] is lowering, innermost last.
    collections: Vec<ShapeId>,
}

/// The named shapes reachable from the service's operations.
#[derive(Default)]
struct Closure {
    structures: BTreeSet<ShapeId>,
    errors: BTreeSet<ShapeId>,
    unions: BTreeSet<ShapeId>,
    enums: BTreeSet<ShapeId>,
    visited: BTreeSet<ShapeId>,
}

impl<'m> Lowerer<'m> {
    fn error(&mut self, id: &ShapeId, message: impl Into<String>) {
        let span = self.model.span(id);
        self.diagnostics.push(Diagnostic::error(message).with_shape(id).with_span(span));
    }

    fn shape(&self, id: &ShapeId) -> Option<&'m Shape> {
        self.model.shapes.get(id)
    }

    fn run(&mut self, options: &LowerOptions) -> Option<Ir> {
        let service_shape = self.find_service(options)?;
        let ShapeKind::Service(service_props) = &service_shape.kind else { return None };
        self.check_traits(&service_shape.id, &service_shape.traits);
        let service = self.service(service_shape)?;

        let op_ids = self.model.operations_of(&service_shape.id);
        let mut closure = Closure::default();
        for op_id in &op_ids {
            self.walk_operation(op_id, &service_props.errors, &mut closure);
        }
        for e in &service_props.errors {
            closure.errors.insert(e.clone());
            self.walk_shape(e, &mut closure);
        }
        self.assign_names(&closure, &service_props.rename);
        self.find_cycles(&closure);

        let mut operations = Vec::new();
        for op_id in &op_ids {
            if let Some(op) = self.operation(op_id, &service_props.errors) {
                operations.push(op);
            }
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));

        let mut structures = Vec::new();
        for id in closure.structures.iter().chain(&closure.errors) {
            let role = if closure.errors.contains(id) { StructureRole::Error } else { StructureRole::Plain };
            let rust_name = self.names.get(id).map(|n| n.rust_name.clone()).unwrap_or_default();
            if let Some(s) = self.structure(id, rust_name, role) {
                structures.push(s);
            }
        }
        structures.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let mut unions: Vec<Union> = closure.unions.iter().filter_map(|id| self.union(id)).collect();
        unions.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let mut enums: Vec<Enum> = closure.enums.iter().filter_map(|id| self.enumeration(id)).collect();
        enums.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let names = &self.names;
        let protocol_tests = protocol_tests::lower(
            self.model,
            &op_ids,
            &t::REST_JSON_1,
            |e| names.get(e).map(|n| n.rust_name.clone()),
            &mut self.diagnostics,
        );
        let mut ir = Ir { service, operations, structures, unions, enums, protocol_tests };
        pagination::apply(&mut ir, self.model, service_shape, &mut self.diagnostics);
        customize::apply(&mut ir);
        Some(ir)
    }

    fn find_service(&mut self, options: &LowerOptions) -> Option<&'m Shape> {
        let services = self.model.services();
        if let Some(wanted) = &options.service {
            let found = services.iter().copied().find(|s| &s.id == wanted);
            if found.is_none() {
                self.diagnostics.push(Diagnostic::error(format!("service `{wanted}` is not in the model")));
            }
            return found;
        }
        match services.as_slice() {
            [one] => Some(one),
            [] => {
                self.diagnostics.push(
                    Diagnostic::error("the model has no service shape")
                        .with_help("a service lists the operations to generate"),
                );
                None
            }
            many => {
                let ids: Vec<String> = many.iter().map(|s| s.id.to_string()).collect();
                self.diagnostics.push(
                    Diagnostic::error(format!("the model has {} services: {}", many.len(), ids.join(", ")))
                        .with_help("choose one with the `service` option"),
                );
                None
            }
        }
    }

    fn service(&mut self, shape: &Shape) -> Option<Service> {
        let aws = self.read::<t::AwsServiceTrait>(&shape.id, &shape.traits);
        if !shape.traits.contains_key(&t::REST_JSON_1) {
            let protocols: Vec<String> =
                shape.traits.keys().filter(|k| k.namespace() == "aws.protocols").map(|k| k.to_string()).collect();
            let found = if protocols.is_empty() { "none".to_owned() } else { protocols.join(", ") };
            self.diagnostics.push(
                Diagnostic::error(format!("unsupported protocol (found: {found})"))
                    .with_shape(&shape.id)
                    .with_span(self.model.span(&shape.id))
                    .with_help("the generator supports `aws.protocols#restJson1`"),
            );
            return None;
        }
        let (sdk_id, endpoint_prefix) = match aws {
            Some(aws) => (aws.sdk_id, aws.endpoint_prefix),
            None => (shape.id.name().to_owned(), None),
        };
        let ShapeKind::Service(props) = &shape.kind else { return None };
        let title = self.read_string(&shape.id, &shape.traits, &t::TITLE).map_or_else(|| sdk_id.clone(), str::to_owned);
        Some(Service {
            id: shape.id.clone(),
            name: naming::type_name(shape.id.name()),
            title,
            sdk_id,
            version: props.version.clone(),
            signing_name: self.read::<t::Sigv4Trait>(&shape.id, &shape.traits).map(|s| s.name),
            endpoint_prefix,
            protocol: Protocol::RestJson1,
            endpoint_rule_set: shape.traits.get(&t::ENDPOINT_RULE_SET).map(|v| v.to_string()),
            endpoint_tests: self.endpoint_tests(shape),
            docs: docs(&shape.traits),
        })
    }

    /// The value of trait `T` in `traits` (of the shape or member `owner`): `None` when the
    /// trait is absent, and when its value is malformed, which is reported against `owner`.
    fn read<T: TraitValue>(&mut self, owner: &ShapeId, traits: &model::Traits) -> Option<T> {
        match t::read::<T>(traits)? {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(owner, message);
                None
            }
        }
    }

    /// The value of a string-valued trait (`@jsonName`, `@httpHeader`, `@title`, …); `None`
    /// when absent or malformed (reported against `owner`).
    fn read_string<'t>(&mut self, owner: &ShapeId, traits: &'t model::Traits, trait_id: &ShapeId) -> Option<&'t str> {
        match t::read_string(traits, trait_id)? {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(owner, message);
                None
            }
        }
    }

    /// Checks every trait against the table: unsupported ones are errors, unknown ones warnings.
    fn check_traits(&mut self, owner: &ShapeId, traits: &model::Traits) {
        for trait_id in traits.keys() {
            let text = trait_id.to_string();
            match t::handling(&text) {
                Some(Handling::Supported(_)) | Some(Handling::Ignored(_)) => {}
                Some(Handling::Unsupported(why)) => {
                    let span = self.model.span(owner);
                    self.diagnostics.push(
                        Diagnostic::error(format!("trait `{text}` is not supported: {why}"))
                            .with_shape(owner)
                            .with_span(span),
                    );
                }
                None => {
                    let span = self.model.span(owner);
                    self.diagnostics.push(
                        Diagnostic::warning(format!("trait `{text}` is not known to the generator and is ignored"))
                            .with_shape(owner)
                            .with_span(span),
                    );
                }
            }
        }
    }

    fn walk_operation(&mut self, op_id: &ShapeId, service_errors: &[ShapeId], closure: &mut Closure) {
        let Some(op) = self.shape(op_id) else { return };
        let ShapeKind::Operation(props) = &op.kind else {
            self.error(op_id, format!("is bound as an operation but is a {}", op.kind.type_name()));
            return;
        };
        self.check_traits(op_id, &op.traits);
        for io in [&props.input, &props.output] {
            if let Some(shape) = self.shape(io) {
                self.check_traits(io, &shape.traits);
                for m in shape.kind.members() {
                    self.check_traits(&io.with_member(&m.name), &m.traits);
                    self.walk_shape(&m.target, closure);
                }
            }
        }
        for e in props.errors.iter().chain(service_errors) {
            match self.shape(e) {
                Some(s) if matches!(s.kind, ShapeKind::Structure(_)) && s.traits.contains_key(&t::ERROR) => {
                    closure.errors.insert(e.clone());
                    self.walk_shape(e, closure);
                }
                Some(_) => self.error(op_id, format!("error `{e}` must be a structure with the @error trait")),
                None => {}
            }
        }
    }

    /// Visits a shape and everything it reaches, sorting named shapes into the closure.
    fn walk_shape(&mut self, target: &ShapeId, closure: &mut Closure) {
        if !closure.visited.insert(target.clone()) {
            return;
        }
        let Some(shape) = self.shape(target) else { return };
        self.check_traits(target, &shape.traits);
        match &shape.kind {
            ShapeKind::Structure(_) if target == &crate::model::prelude::unit() => {}
            ShapeKind::Structure(_) => {
                if shape.traits.contains_key(&t::ERROR) {
                    closure.errors.insert(target.clone());
                } else {
                    closure.structures.insert(target.clone());
                }
            }
            ShapeKind::Union(_) => {
                closure.unions.insert(target.clone());
            }
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => {
                closure.enums.insert(target.clone());
            }
            ShapeKind::Simple(SimpleType::String) if shape.traits.contains_key(&t::ENUM) => {
                closure.enums.insert(target.clone());
            }
            _ => {}
        }
        if matches!(shape.kind, ShapeKind::Enum(_) | ShapeKind::IntEnum(_)) {
            return;
        }
        for m in shape.kind.members() {
            self.check_traits(&target.with_member(&m.name), &m.traits);
            self.walk_shape(&m.target, closure);
        }
    }

    fn assign_names(&mut self, closure: &Closure, rename: &BTreeMap<ShapeId, String>) {
        let name_of = |id: &ShapeId| naming::type_name(rename.get(id).map_or(id.name(), String::as_str));
        let mut types: BTreeMap<String, ShapeId> = BTreeMap::new();
        let mut errors: BTreeMap<String, ShapeId> = BTreeMap::new();
        let groups: [(&BTreeSet<ShapeId>, NamedKind); 3] = [
            (&closure.structures, NamedKind::Structure),
            (&closure.unions, NamedKind::Union),
            (&closure.enums, NamedKind::Enum),
        ];
        for (set, kind) in groups {
            for id in set {
                let kind = match (kind, self.shape(id).map(|s| &s.kind)) {
                    (NamedKind::Enum, Some(ShapeKind::IntEnum(_))) => NamedKind::IntEnum,
                    (k, _) => k,
                };
                let rust_name = name_of(id);
                if let Some(other) = types.insert(rust_name.clone(), id.clone()) {
                    self.clash(id, &other, &rust_name);
                }
                self.names.insert(id.clone(), Named { rust_name, kind });
            }
        }
        for id in &closure.errors {
            let rust_name = name_of(id);
            if let Some(other) = errors.insert(rust_name.clone(), id.clone()) {
                self.clash(id, &other, &rust_name);
            }
            self.names.insert(id.clone(), Named { rust_name, kind: NamedKind::Structure });
        }
    }

    fn clash(&mut self, id: &ShapeId, other: &ShapeId, rust_name: &str) {
        let span = self.model.span(id);
        self.diagnostics.push(
            Diagnostic::error(format!("the Rust name `{rust_name}` is taken by `{other}` too"))
                .with_shape(id)
                .with_span(span)
                .with_help("give one of them another name with the service's `rename` property"),
        );
    }

    /// Boxes every structure or union member whose target leads back to its own shape through
    /// direct (unboxed, non-collection) members.
    fn find_cycles(&mut self, closure: &Closure) {
        let nodes: Vec<&ShapeId> = closure.structures.iter().chain(&closure.errors).chain(&closure.unions).collect();
        let mut edges: BTreeMap<ShapeId, Vec<(ShapeId, ShapeId)>> = BTreeMap::new();
        for node in &nodes {
            let Some(shape) = self.shape(node) else { continue };
            let list = edges.entry((*node).clone()).or_default();
            for m in shape.kind.members() {
                let direct = self.model.shapes.get(&m.target).is_some_and(|s| {
                    matches!(s.kind, ShapeKind::Structure(_) | ShapeKind::Union(_))
                        && m.target != crate::model::prelude::unit()
                });
                if direct {
                    list.push((node.with_member(&m.name), m.target.clone()));
                }
            }
        }
        for (from, outgoing) in &edges {
            for (member, to) in outgoing {
                if reaches(&edges, to, from) {
                    self.boxed.insert(member.clone());
                }
            }
        }
    }
}

/// The traits that hold `trait_id` for a member: its own when it has it, else its target's,
/// which is how Smithy resolves member traits.
fn effective<'a>(m: &'a model::Member, target: &'a Shape, trait_id: &ShapeId) -> Option<&'a model::Traits> {
    [&m.traits, &target.traits].into_iter().find(|traits| traits.contains_key(trait_id))
}

fn reaches(edges: &BTreeMap<ShapeId, Vec<(ShapeId, ShapeId)>>, from: &ShapeId, to: &ShapeId) -> bool {
    let mut stack = vec![from.clone()];
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if &node == to {
            return true;
        }
        if !seen.insert(node.clone()) {
            continue;
        }
        if let Some(out) = edges.get(&node) {
            stack.extend(out.iter().map(|(_, t)| t.clone()));
        }
    }
    false
}

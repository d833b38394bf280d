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
    Binding, Constraints, DefaultValue, Element, EndpointExpectation, EndpointParam, EndpointTest, Enum, EnumValue,
    EnumVariant, ErrorInfo, ErrorRef, HostPrefixPart, HttpMethod, Ir, Member, Named, NamedKind, Operation, Protocol,
    Retryable, Segment, Service, Structure, StructureRole, TimestampFormat, Type, Union, UriPattern, ValidationError,
    Variant,
};
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::shape_id::ShapeId;
use crate::model::{self, Model, Node, Shape, ShapeKind, SimpleType};
use crate::naming;
use crate::traits::{self as t, Handling};

mod customize;
mod pagination;
mod protocol_tests;

/// The protocol test cases on `operations` (and the errors they declare) for `protocol`, read
/// without lowering the operations' shapes: for counting and naming cases of operations that
/// are not generated. Errors are named by their shape name.
pub fn protocol_test_cases(
    model: &Model,
    operations: &[ShapeId],
    protocol: &str,
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
            t::REST_JSON_1,
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
        let aws = shape.traits.get(&id(t::AWS_SERVICE));
        let aws_str = |key: &str| aws.and_then(|v| v.get(key)).and_then(Node::as_str).map(str::to_owned);
        if !shape.traits.contains_key(&id(t::REST_JSON_1)) {
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
        let sdk_id = aws_str("sdkId").unwrap_or_else(|| shape.id.name().to_owned());
        let ShapeKind::Service(props) = &shape.kind else { return None };
        Some(Service {
            id: shape.id.clone(),
            name: naming::type_name(shape.id.name()),
            title: string_trait(shape, t::TITLE).unwrap_or_else(|| sdk_id.clone()),
            sdk_id,
            version: props.version.clone(),
            signing_name: shape
                .traits
                .get(&id(t::SIGV4))
                .and_then(|v| v.get("name"))
                .and_then(Node::as_str)
                .map(str::to_owned),
            endpoint_prefix: aws_str("endpointPrefix"),
            protocol: Protocol::RestJson1,
            endpoint_rule_set: shape.traits.get(&id(t::ENDPOINT_RULE_SET)).map(|v| v.to_string()),
            endpoint_tests: self.endpoint_tests(shape),
            docs: docs(&shape.traits),
        })
    }

    /// The cases of `smithy.rules#endpointTests`, for the client crate's generated tests. A case
    /// that cannot be expressed (a parameter that is not a string, boolean or list of strings,
    /// an `expect` without `endpoint` or `error`) is an error naming it.
    fn endpoint_tests(&mut self, shape: &Shape) -> Vec<EndpointTest> {
        let Some(node) = shape.traits.get(&id(t::ENDPOINT_TESTS)) else { return Vec::new() };
        if !shape.traits.contains_key(&id(t::ENDPOINT_RULE_SET)) {
            self.error(
                &shape.id,
                format!("`@{}` without `@{}`: there are no rules to test", t::ENDPOINT_TESTS, t::ENDPOINT_RULE_SET),
            );
            return Vec::new();
        }
        let Some(cases) = node.get("testCases").and_then(Node::as_array) else {
            self.error(&shape.id, format!("`@{}` has no `testCases` list", t::ENDPOINT_TESTS));
            return Vec::new();
        };
        let mut tests = Vec::with_capacity(cases.len());
        for (i, case) in cases.iter().enumerate() {
            match endpoint_test(case) {
                Ok(test) => tests.push(test),
                Err(e) => {
                    let doc = case.get("documentation").and_then(Node::as_str).unwrap_or("without documentation");
                    self.error(&shape.id, format!("endpoint test case {} (\"{doc}\"): {e}", i + 1));
                }
            }
        }
        tests
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
                Some(s) if matches!(s.kind, ShapeKind::Structure(_)) && s.traits.contains_key(&id(t::ERROR)) => {
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
                if shape.traits.contains_key(&id(t::ERROR)) {
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
            ShapeKind::Simple(SimpleType::String) if shape.traits.contains_key(&id(t::ENUM)) => {
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

    fn operation(&mut self, op_id: &ShapeId, service_errors: &[ShapeId]) -> Option<Operation> {
        let shape = self.shape(op_id)?;
        let ShapeKind::Operation(props) = &shape.kind else { return None };
        let name = naming::type_name(op_id.name());
        let Some(http) = shape.traits.get(&id(t::HTTP)) else {
            self.error(op_id, "a restJson1 operation needs the @http trait");
            return None;
        };
        let method_text = http.get("method").and_then(Node::as_str).unwrap_or("");
        let uri_text = http.get("uri").and_then(Node::as_str).unwrap_or("");
        let code = http.get("code").and_then(Node::as_u64).unwrap_or(200);
        let Some(method) = HttpMethod::parse(method_text) else {
            let known: Vec<&str> = HttpMethod::ALL.iter().map(|m| m.as_str()).collect();
            self.error(
                op_id,
                format!(
                    "@http method `{method_text}` is not one of the HTTP methods the generator binds ({})",
                    known.join(", ")
                ),
            );
            return None;
        };
        let code = match u16::try_from(code) {
            Ok(c) if (100..600).contains(&c) => c,
            _ => {
                self.error(op_id, format!("@http code {code} is not an HTTP status code"));
                200
            }
        };
        let uri = self.uri(op_id, uri_text)?;
        let input = self.io_structure(&props.input, format!("{name}Input"), StructureRole::Input)?;
        let output = self.io_structure(&props.output, format!("{name}Output"), StructureRole::Output)?;
        self.check_labels(op_id, &uri, &input);
        let host_prefix = self.host_prefix(op_id, shape, &props.input, &input);
        let request_compression: Vec<String> = match shape.traits.get(&id(t::REQUEST_COMPRESSION)) {
            None => Vec::new(),
            Some(v) => match v.get("encodings").and_then(Node::as_array) {
                Some(list) if list.iter().all(Node::is_string) => {
                    list.iter().filter_map(Node::as_str).map(str::to_owned).collect()
                }
                _ => {
                    self.error(op_id, "@requestCompression needs `encodings`, a list of strings");
                    Vec::new()
                }
            },
        };

        let mut error_ids: Vec<&ShapeId> = props.errors.iter().chain(service_errors).collect();
        error_ids.sort();
        error_ids.dedup();
        let mut errors: Vec<ErrorRef> = error_ids
            .iter()
            .filter_map(|e| {
                Some(ErrorRef { rust_name: self.names.get(*e)?.rust_name.clone(), code: e.name().to_owned() })
            })
            .collect();
        errors.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let validation_error = self.validation_error(&error_ids);
        let mut op = Operation {
            id: op_id.clone(),
            snake_name: naming::operation_name(op_id.name()),
            name,
            method,
            uri,
            code,
            host_prefix,
            checksum_required: shape.traits.contains_key(&id(t::HTTP_CHECKSUM_REQUIRED)),
            request_compression,
            constant_headers: Vec::new(),
            label_fallbacks: Vec::new(),
            tree_hash_checksums: false,
            pagination: None,
            input,
            output,
            error_name: format!("{}Error", naming::type_name(op_id.name())),
            errors,
            validation_error,
            docs: docs(&shape.traits),
        };
        mark_greedy(&mut op);
        Some(op)
    }

    fn validation_error(&self, errors: &[&ShapeId]) -> Option<ValidationError> {
        let framework = errors.iter().find(|e| e.to_string() == t::VALIDATION_EXCEPTION);
        let by_name = || VALIDATION_ERROR_NAMES.iter().find_map(|n| errors.iter().find(|e| e.name() == *n));
        let chosen = framework.or_else(by_name)?;
        let shape = self.shape(chosen)?;
        let status = shape.traits.get(&id(t::HTTP_ERROR)).and_then(Node::as_u64).unwrap_or(400);
        if status != 400 {
            return None;
        }
        let message = message_member(shape);
        // Only usable when a message alone makes a valid value of it.
        let other_required = shape.kind.members().iter().any(|m| {
            m.traits.contains_key(&id(t::REQUIRED))
                && Some(m.name.as_str()) != message.as_deref()
                && !m.traits.contains_key(&id(t::DEFAULT))
        });
        if other_required {
            return None;
        }
        let message_json = message.map(|name| {
            let member = shape.member(&name);
            member
                .and_then(|m| m.traits.get(&id(t::JSON_NAME)))
                .and_then(Node::as_str)
                .map_or(name.clone(), str::to_owned)
        });
        Some(ValidationError {
            rust_name: self.names.get(*chosen)?.rust_name.clone(),
            code: chosen.name().to_owned(),
            message_json,
            framework: framework.is_some(),
        })
    }

    fn uri(&mut self, op_id: &ShapeId, text: &str) -> Option<UriPattern> {
        if !text.starts_with('/') {
            self.error(op_id, format!("@http uri `{text}` must start with `/`"));
            return None;
        }
        let (path, query) = text.split_once('?').unwrap_or((text, ""));
        let mut segments = Vec::new();
        let mut greedy_seen = false;
        for raw in path.split('/').skip(1) {
            if raw.is_empty() && path != "/" {
                if path.ends_with('/') && std::ptr::eq(raw, path.split('/').next_back().unwrap_or("")) {
                    continue;
                }
                self.error(op_id, format!("@http uri `{text}` has an empty path segment"));
                return None;
            }
            if raw.is_empty() {
                continue;
            }
            if let Some(inner) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                let (label, greedy) = match inner.strip_suffix('+') {
                    Some(l) => (l, true),
                    None => (inner, false),
                };
                if !crate::model::shape_id::is_identifier(label) {
                    self.error(op_id, format!("@http uri `{text}` has an invalid label `{raw}`"));
                    return None;
                }
                if greedy {
                    if greedy_seen {
                        self.error(op_id, format!("@http uri `{text}` has more than one greedy label"));
                        return None;
                    }
                    greedy_seen = true;
                    segments.push(Segment::Greedy(label.to_owned()));
                } else {
                    segments.push(Segment::Label(label.to_owned()));
                }
            } else if raw.contains('{') || raw.contains('}') {
                self.error(op_id, format!("@http uri `{text}`: a label must be a whole path segment"));
                return None;
            } else {
                segments.push(Segment::Literal(raw.to_owned()));
            }
        }
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (p.to_owned(), None),
            })
            .collect();
        Some(UriPattern { text: text.to_owned(), segments, query })
    }

    /// `@endpoint(hostPrefix: "{label}.data.")`: literal text and `{labels}`, each label an input
    /// member with `@hostLabel` that targets a string; every `@hostLabel` member in the prefix.
    fn host_prefix(
        &mut self,
        op_id: &ShapeId,
        op: &Shape,
        input_id: &ShapeId,
        input: &Structure,
    ) -> Option<Vec<HostPrefixPart>> {
        let host_labels: Vec<&str> = self
            .shape(input_id)
            .map(|s| {
                s.kind
                    .members()
                    .into_iter()
                    .filter(|m| m.traits.contains_key(&id(t::HOST_LABEL)))
                    .map(|m| m.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let Some(endpoint) = op.traits.get(&id(t::ENDPOINT)) else {
            if let Some(member) = host_labels.first() {
                self.error(
                    &input_id.with_member(*member),
                    "@hostLabel needs an @endpoint host prefix on the operation",
                );
            }
            return None;
        };
        let Some(text) = endpoint.get("hostPrefix").and_then(Node::as_str) else {
            self.error(op_id, "@endpoint needs a `hostPrefix` string");
            return None;
        };
        let mut parts = Vec::new();
        let mut rest = text;
        let mut used = Vec::new();
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let Some(end) = rest.find('}') else {
                        self.error(op_id, format!("@endpoint hostPrefix `{text}` has an unclosed `{{`"));
                        return None;
                    };
                    let name = &rest[1..end];
                    match input.members.iter().find(|m| m.name == name) {
                        Some(m) if host_labels.contains(&name) && matches!(m.ty, Type::String { .. }) => {
                            used.push(name.to_owned());
                            parts.push(HostPrefixPart::Label {
                                member: name.to_owned(),
                                rust_name: m.rust_name.clone(),
                            });
                        }
                        _ => {
                            self.error(
                                op_id,
                                format!("@endpoint hostPrefix label `{{{name}}}` needs an input member `{name}` with @hostLabel that targets a string"),
                            );
                            return None;
                        }
                    }
                    rest = &rest[end + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    let literal = &rest[..end];
                    if literal.contains('}')
                        || !literal.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                    {
                        self.error(op_id, format!("@endpoint hostPrefix `{text}` is not a host name prefix"));
                        return None;
                    }
                    parts.push(HostPrefixPart::Literal(literal.to_owned()));
                    rest = &rest[end..];
                }
            }
        }
        for label in host_labels.iter().filter(|l| !used.iter().any(|u| u == *l)) {
            self.error(
                &input_id.with_member(*label),
                format!("@hostLabel member `{label}` is not in the host prefix `{text}`"),
            );
        }
        Some(parts)
    }

    /// Every label in the URI needs an `@httpLabel` member, and every such member a label.
    fn check_labels(&mut self, op_id: &ShapeId, uri: &UriPattern, input: &Structure) {
        for seg in &uri.segments {
            if let Segment::Label(name) | Segment::Greedy(name) = seg {
                let member = input.members.iter().find(|m| &m.name == name);
                match member {
                    Some(m) if matches!(m.binding, Binding::Label { .. }) => {}
                    _ => self.error(op_id, format!("the URI label `{{{name}}}` has no input member with @httpLabel")),
                }
            }
        }
        for m in &input.members {
            if let Binding::Label { .. } = m.binding {
                let in_uri =
                    uri.segments.iter().any(|s| matches!(s, Segment::Label(n) | Segment::Greedy(n) if n == &m.name));
                if !in_uri {
                    self.error(
                        &input.id.with_member(&m.name),
                        format!("@httpLabel member `{}` has no label in the URI `{}`", m.name, uri.text),
                    );
                }
            }
        }
    }

    fn io_structure(&mut self, shape_id: &ShapeId, rust_name: String, role: StructureRole) -> Option<Structure> {
        let s = self.structure(shape_id, rust_name, role)?;
        // Point at the member that cannot share the body with the first @httpPayload member.
        let mut payloads = s.members.iter().filter(|m| m.binding == Binding::Payload);
        if let Some(first) = payloads.next() {
            let other = payloads.next().or_else(|| s.members.iter().find(|m| matches!(m.binding, Binding::Body(_))));
            if let Some(other) = other {
                let what = if other.binding == Binding::Payload {
                    "a second @httpPayload member"
                } else {
                    "bound to the body"
                };
                self.error(
                    &shape_id.with_member(&other.name),
                    format!("`{}` is {what}, but @httpPayload member `{}` is the whole body", other.name, first.name),
                );
            }
        }
        Some(s)
    }

    fn structure(&mut self, shape_id: &ShapeId, rust_name: String, role: StructureRole) -> Option<Structure> {
        let shape = self.shape(shape_id)?;
        let ShapeKind::Structure(model_members) = &shape.kind else {
            self.error(shape_id, "expected a structure");
            return None;
        };
        let names = naming::dedupe(model_members.iter().map(|m| naming::field_name(&m.name)).collect());
        self.check_builder_names(shape_id, model_members, &names);
        let mut members = Vec::new();
        for (m, rust_name) in model_members.iter().zip(names) {
            if let Some(member) = self.member(shape_id, m, rust_name, role) {
                members.push(member);
            }
        }
        let error = if role == StructureRole::Error { self.error_info(shape, &members) } else { None };
        Some(Structure {
            id: shape_id.clone(),
            rust_name,
            role,
            members,
            sensitive: shape.traits.contains_key(&id(t::SENSITIVE)),
            error,
            docs: docs(&shape.traits),
        })
    }

    /// A builder has methods `x`, `set_x` and `get_x` for a field `x`, so a field named
    /// `set_x` or `get_x` beside `x` would define one method twice.
    fn check_builder_names(&mut self, shape_id: &ShapeId, members: &[model::Member], names: &[String]) {
        for (m, name) in members.iter().zip(names) {
            let field = naming::bare(name);
            for prefix in ["set_", "get_"] {
                let Some(rest) = field.strip_prefix(prefix) else { continue };
                let Some((other, _)) = members.iter().zip(names).find(|(_, n)| naming::bare(n) == rest) else {
                    continue;
                };
                let member_id = shape_id.with_member(&m.name);
                let span = self.model.span(&member_id);
                self.diagnostics.push(
                    Diagnostic::error(format!(
                        "the builder method `{field}` of this member is also the `{prefix}` method of member `{}`",
                        other.name
                    ))
                    .with_shape(&member_id)
                    .with_span(span)
                    .with_help("rename one of the two members"),
                );
            }
        }
    }

    fn error_info(&mut self, shape: &Shape, members: &[Member]) -> Option<ErrorInfo> {
        /// Who is at fault: it decides the status when `@httpError` does not.
        #[derive(PartialEq)]
        enum Fault {
            Client,
            Server,
        }
        let fault = match shape.traits.get(&id(t::ERROR)).and_then(Node::as_str) {
            Some("client") => Fault::Client,
            Some("server") => Fault::Server,
            other => {
                self.error(&shape.id, format!("@error must be \"client\" or \"server\", not {other:?}"));
                return None;
            }
        };
        let status = match shape.traits.get(&id(t::HTTP_ERROR)) {
            Some(v) => match v.as_u64().and_then(|c| u16::try_from(c).ok()).filter(|c| (400..600).contains(c)) {
                Some(c) => c,
                None => {
                    self.error(&shape.id, format!("@httpError {v} must be a 4xx or 5xx status"));
                    return None;
                }
            },
            None if fault == Fault::Client => 400,
            None => 500,
        };
        let retryable = shape
            .traits
            .get(&id(t::RETRYABLE))
            .map(|v| Retryable { throttling: v.get("throttling").and_then(Node::as_bool).unwrap_or(false) });
        let message_member =
            message_member(shape).and_then(|name| members.iter().find(|m| m.name == name)).map(|m| m.rust_name.clone());
        Some(ErrorInfo { status, retryable, message_member })
    }

    fn member(&mut self, owner: &ShapeId, m: &model::Member, rust_name: String, role: StructureRole) -> Option<Member> {
        let member_id = owner.with_member(&m.name);
        let target = self.shape(&m.target)?;
        if m.target == crate::model::prelude::unit() {
            self.error(&member_id, "only union members may target smithy.api#Unit");
            return None;
        }
        let ty = self.ty(&member_id, m, target)?;
        let has = |trait_id: &str| m.traits.contains_key(&id(trait_id));
        let required = has(t::REQUIRED);
        let client_optional = has(t::CLIENT_OPTIONAL);
        let default = match effective(m, target, t::DEFAULT) {
            Some(Node::Null) | None => None,
            Some(v) => self.default_value(&member_id, &ty, v),
        };
        let binding = self.binding(&member_id, m, target, &ty, role);
        let io = matches!(role, StructureRole::Input | StructureRole::Output);
        if matches!(ty, Type::ByteStream { .. }) && !(io && binding == Binding::Payload) {
            self.error(&member_id, "a @streaming blob must be the @httpPayload of an operation's input or output");
        }
        let optional = match role {
            StructureRole::Input => true,
            _ => client_optional || !(required || default.is_some()),
        };
        let optional = optional || binding == Binding::ResponseCode && !required;
        let sensitive = self.is_sensitive(m, target, &ty);
        let constraints = self.constraints(&member_id, m, target, &ty);
        Some(Member {
            name: m.name.clone(),
            rust_name,
            binding,
            optional,
            required,
            default,
            boxed: self.boxed.contains(&member_id),
            sensitive,
            constraints,
            idempotency_token: has(t::IDEMPOTENCY_TOKEN),
            deprecated: has(t::DEPRECATED),
            docs: docs(&m.traits)
                .or_else(|| docs(&target.traits).filter(|_| !matches!(target.kind, ShapeKind::Simple(_)))),
            ty,
        })
    }

    fn is_sensitive(&self, m: &model::Member, target: &Shape, ty: &Type) -> bool {
        m.traits.contains_key(&id(t::SENSITIVE))
            || target.traits.contains_key(&id(t::SENSITIVE))
            || type_holds_sensitive(ty)
    }

    /// The Rust type of a member (or list member, map key or value).
    fn ty(&mut self, member_id: &ShapeId, m: &model::Member, target: &Shape) -> Option<Type> {
        let format = match effective(m, target, t::TIMESTAMP_FORMAT) {
            None => None,
            Some(v) => match v.as_str() {
                Some("epoch-seconds") => Some(TimestampFormat::EpochSeconds),
                Some("date-time") => Some(TimestampFormat::DateTime),
                Some("http-date") => Some(TimestampFormat::HttpDate),
                _ => {
                    self.error(
                        member_id,
                        format!("@timestampFormat {v} is not one of epoch-seconds, date-time, http-date"),
                    );
                    return None;
                }
            },
        };
        Some(match &target.kind {
            ShapeKind::Simple(simple) => match simple {
                SimpleType::Blob if target.traits.contains_key(&id(t::STREAMING)) => Type::ByteStream {
                    media_type: string_trait(target, t::MEDIA_TYPE),
                    requires_length: target.traits.contains_key(&id(t::REQUIRES_LENGTH)),
                },
                SimpleType::Blob => Type::Blob { media_type: string_trait(target, t::MEDIA_TYPE) },
                SimpleType::Boolean => Type::Boolean,
                SimpleType::String if target.traits.contains_key(&id(t::ENUM)) => {
                    Type::Named(self.names.get(&target.id)?.clone())
                }
                SimpleType::String => Type::String { media_type: string_trait(target, t::MEDIA_TYPE) },
                SimpleType::Byte => Type::Byte,
                SimpleType::Short => Type::Short,
                SimpleType::Integer => Type::Integer,
                SimpleType::Long => Type::Long,
                SimpleType::Float => Type::Float,
                SimpleType::Double => Type::Double,
                SimpleType::Timestamp => Type::Timestamp(format),
                SimpleType::Document => Type::Document,
                SimpleType::BigInteger => Type::BigInteger,
                SimpleType::BigDecimal => Type::BigDecimal,
            },
            ShapeKind::Enum(_) | ShapeKind::IntEnum(_) | ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                Type::Named(self.names.get(&target.id)?.clone())
            }
            ShapeKind::List(_) | ShapeKind::Set(_) | ShapeKind::Map { .. } => {
                // A collection that holds itself with no structure or union in between has no
                // Rust type (and would recurse here for ever).
                if self.collections.contains(&target.id) {
                    self.error(
                        &target.id,
                        format!(
                            "{} `{}` contains itself; recursion needs a structure or union",
                            target.kind.type_name(),
                            target.id
                        ),
                    );
                    return None;
                }
                self.collections.push(target.id.clone());
                let ty = self.collection(target);
                self.collections.pop();
                ty?
            }
            ShapeKind::Service(_) | ShapeKind::Operation(_) | ShapeKind::Resource(_) => {
                self.error(
                    member_id,
                    format!("a member cannot target the {} `{}`", target.kind.type_name(), target.id),
                );
                return None;
            }
        })
    }

    /// The type of a list or map shape.
    fn collection(&mut self, target: &Shape) -> Option<Type> {
        Some(match &target.kind {
            ShapeKind::List(inner) | ShapeKind::Set(inner) => {
                let element = self.element(&target.id, inner)?;
                Type::List { member: Box::new(element), sparse: target.traits.contains_key(&id(t::SPARSE)) }
            }
            ShapeKind::Map { key, value } => {
                let key_el = self.element(&target.id, key)?;
                if !matches!(key_el.ty, Type::String { .. } | Type::Named(Named { kind: NamedKind::Enum, .. })) {
                    self.error(&target.id, "map keys must be strings or string enums");
                    return None;
                }
                let value_el = self.element(&target.id, value)?;
                Type::Map {
                    key: Box::new(key_el),
                    value: Box::new(value_el),
                    sparse: target.traits.contains_key(&id(t::SPARSE)),
                }
            }
            _ => return None,
        })
    }

    fn element(&mut self, owner: &ShapeId, m: &model::Member) -> Option<Element> {
        let member_id = owner.with_member(&m.name);
        let target = self.shape(&m.target)?;
        let ty = self.ty(&member_id, m, target)?;
        if matches!(ty, Type::ByteStream { .. }) {
            self.error(&member_id, "a @streaming blob cannot be an item of a list or map");
            return None;
        }
        Some(Element {
            constraints: self.constraints(&member_id, m, target, &ty),
            sensitive: self.is_sensitive(m, target, &ty),
            ty,
        })
    }

    fn constraints(&mut self, member_id: &ShapeId, m: &model::Member, target: &Shape, ty: &Type) -> Constraints {
        let mut c = Constraints::default();
        if let Some(v) = effective(m, target, t::LENGTH) {
            let bound = |k: &str| v.get(k).and_then(Node::as_u64);
            if matches!(ty, Type::String { .. } | Type::Blob { .. } | Type::List { .. } | Type::Map { .. }) {
                c.length = Some((bound("min"), bound("max")));
            } else {
                self.error(member_id, "@length applies to strings, blobs, lists and maps");
            }
        }
        if let Some(v) = effective(m, target, t::RANGE) {
            let bound = |k: &str| v.get(k).and_then(Node::as_number).map(|n| n.to_string());
            let numeric = matches!(
                ty,
                Type::Byte
                    | Type::Short
                    | Type::Integer
                    | Type::Long
                    | Type::Float
                    | Type::Double
                    | Type::BigInteger
                    | Type::BigDecimal
            );
            if numeric {
                c.range = Some((bound("min"), bound("max")));
            } else {
                self.error(member_id, "@range applies to numbers");
            }
        }
        if let Some(v) = effective(m, target, t::PATTERN) {
            match v.as_str() {
                Some(p) if matches!(ty, Type::String { .. }) => c.pattern = Some(p.to_owned()),
                _ => self.error(member_id, "@pattern must be a string on a string member"),
            }
        }
        if effective(m, target, t::UNIQUE_ITEMS).is_some() || matches!(target.kind, ShapeKind::Set(_)) {
            if matches!(ty, Type::List { .. }) {
                c.unique_items = true;
            } else {
                self.error(member_id, "@uniqueItems applies to lists");
            }
        }
        c
    }

    fn default_value(&mut self, member_id: &ShapeId, ty: &Type, v: &Node) -> Option<DefaultValue> {
        let value = match (ty, v) {
            (Type::Boolean, Node::Bool(b)) => DefaultValue::Bool(*b),
            (Type::Byte | Type::Short | Type::Integer | Type::Long, Node::Number(n)) if n.as_i64().is_some() => {
                DefaultValue::Int(n.as_i64().unwrap_or_default())
            }
            (Type::Float | Type::Double, Node::Number(n)) => DefaultValue::Float(n.as_f64().unwrap_or_default()),
            (Type::String { .. }, Node::String(s)) => DefaultValue::String(s.clone()),
            (Type::Named(Named { kind: NamedKind::Enum, .. }), Node::String(s)) => DefaultValue::String(s.clone()),
            (Type::Named(Named { kind: NamedKind::IntEnum, .. }), Node::Number(n)) if n.as_i64().is_some() => {
                DefaultValue::Int(n.as_i64().unwrap_or_default())
            }
            (Type::List { .. }, Node::Array(a)) if a.is_empty() => DefaultValue::Empty,
            (Type::Map { .. }, Node::Object(o)) if o.is_empty() => DefaultValue::Empty,
            (Type::Document, v) => DefaultValue::Document(v.to_string()),
            (Type::BigInteger, Node::Number(n)) if !n.to_string().contains(['.', 'e', 'E']) => {
                DefaultValue::Number(n.to_string())
            }
            (Type::BigDecimal, Node::Number(n)) => DefaultValue::Number(n.to_string()),
            (Type::Blob { .. } | Type::ByteStream { .. }, Node::String(s)) => {
                use base64::Engine as _;
                match base64::engine::general_purpose::STANDARD.decode(s) {
                    Ok(bytes) => DefaultValue::Blob(bytes),
                    Err(e) => {
                        self.error(member_id, format!("@default of a blob must be base64: {e}"));
                        return None;
                    }
                }
            }
            (Type::Timestamp(_), v) => match timestamp_default(v) {
                Ok((seconds, nanos)) => DefaultValue::Timestamp { seconds, nanos },
                Err(e) => {
                    self.error(member_id, format!("@default {v} of a timestamp: {e}"));
                    return None;
                }
            },
            _ => {
                self.error(member_id, format!("@default value {v} does not fit the member's type"));
                return None;
            }
        };
        Some(value)
    }

    fn binding(
        &mut self,
        member_id: &ShapeId,
        m: &model::Member,
        target: &Shape,
        ty: &Type,
        role: StructureRole,
    ) -> Binding {
        let get = |trait_id: &str| m.traits.get(&id(trait_id));
        let json_name = get(t::JSON_NAME).and_then(Node::as_str).unwrap_or(&m.name).to_owned();
        if matches!(role, StructureRole::Plain) {
            return Binding::Body(json_name);
        }
        let is_input = role == StructureRole::Input;
        let scalar = is_scalar(ty);
        let scalar_or_list = scalar || matches!(ty, Type::List { member, .. } if is_scalar(&member.ty));
        // Outside an operation input, Smithy ignores the bindings of the URI (its validator
        // HttpBindingTraitIgnored warns); so does the generator, and the member goes in the body.
        if !is_input {
            for trait_id in [t::HTTP_LABEL, t::HTTP_QUERY, t::HTTP_QUERY_PARAMS] {
                if get(trait_id).is_some() {
                    self.ignored_binding(member_id, m, trait_id, "an operation input");
                }
            }
        }
        if get(t::HTTP_LABEL).is_some() && is_input {
            if !scalar {
                self.error(member_id, "an @httpLabel member must target a string, number, boolean, timestamp or enum");
            }
            // Greediness is a property of the URI; `operation` fills it in.
            return Binding::Label { greedy: false };
        }
        if let Some(v) = get(t::HTTP_QUERY).filter(|_| is_input) {
            if !scalar_or_list {
                self.error(member_id, "an @httpQuery member must target a simple value or a list of them");
            }
            return Binding::Query(v.as_str().unwrap_or(&m.name).to_owned());
        }
        if get(t::HTTP_QUERY_PARAMS).is_some() && is_input {
            if !is_string_map(ty, true) {
                self.error(member_id, "an @httpQueryParams member must target a map of strings or of lists of strings");
            }
            return Binding::QueryParams;
        }
        if let Some(v) = get(t::HTTP_HEADER) {
            if !scalar_or_list {
                self.error(member_id, "an @httpHeader member must target a simple value or a list of them");
            }
            return Binding::Header(v.as_str().unwrap_or(&m.name).to_owned());
        }
        if let Some(v) = get(t::HTTP_PREFIX_HEADERS) {
            if !is_string_map(ty, false) {
                self.error(member_id, "an @httpPrefixHeaders member must target a map of strings");
            }
            return Binding::PrefixHeaders(v.as_str().unwrap_or("").to_ascii_lowercase());
        }
        if get(t::HTTP_RESPONSE_CODE).is_some() {
            if role != StructureRole::Output {
                self.ignored_binding(member_id, m, t::HTTP_RESPONSE_CODE, "an operation output");
            } else {
                if !matches!(ty, Type::Integer) {
                    self.error(member_id, "an @httpResponseCode member must target an integer");
                }
                return Binding::ResponseCode;
            }
        }
        if get(t::HTTP_PAYLOAD).is_some() {
            let ok = matches!(
                ty,
                Type::Blob { .. }
                    | Type::ByteStream { .. }
                    | Type::String { .. }
                    | Type::Document
                    | Type::Named(Named { kind: NamedKind::Structure | NamedKind::Union | NamedKind::Enum, .. })
            );
            if !ok {
                self.error(member_id, format!("an @httpPayload member cannot target `{}`", target.id));
            }
            return Binding::Payload;
        }
        Binding::Body(json_name)
    }

    /// A binding trait where Smithy ignores it: a warning (Smithy's `HttpBindingTraitIgnored`),
    /// unless the member or its structure suppresses that validator.
    fn ignored_binding(&mut self, member_id: &ShapeId, m: &model::Member, trait_id: &str, where_: &str) {
        let container = self.shape(&member_id.root());
        let suppressed = [Some(&m.traits), container.map(|c| &c.traits)].into_iter().flatten().any(|traits| {
            traits
                .get(&id(t::SUPPRESS))
                .and_then(Node::as_array)
                .is_some_and(|ids| ids.iter().any(|v| v.as_str() == Some("HttpBindingTraitIgnored")))
        });
        if !suppressed {
            let span = self.model.span(member_id);
            self.diagnostics.push(
                Diagnostic::warning(format!("`@{trait_id}` has no effect outside {where_}; the member is bound to the body"))
                    .with_shape(member_id)
                    .with_span(span)
                    .with_help("Smithy ignores it here too (validator HttpBindingTraitIgnored); suppress it with `@suppress([\"HttpBindingTraitIgnored\"])`"),
            );
        }
    }

    fn union(&mut self, shape_id: &ShapeId) -> Option<Union> {
        let shape = self.shape(shape_id)?;
        let ShapeKind::Union(members) = &shape.kind else { return None };
        if shape.traits.contains_key(&id(t::STREAMING)) {
            self.error(shape_id, "event streams (a @streaming union) are not implemented");
            return None;
        }
        if members.is_empty() {
            self.error(shape_id, "a union needs at least one member");
            return None;
        }
        let names = naming::dedupe(members.iter().map(|m| naming::variant_name(&m.name)).collect());
        let mut variants = Vec::new();
        for (m, rust_name) in members.iter().zip(names) {
            let member_id = shape_id.with_member(&m.name);
            let target = self.shape(&m.target)?;
            let ty =
                if m.target == crate::model::prelude::unit() { None } else { Some(self.ty(&member_id, m, target)?) };
            if matches!(ty, Some(Type::ByteStream { .. })) {
                self.error(&member_id, "a @streaming blob cannot be a union member");
                return None;
            }
            let json_name = m.traits.get(&id(t::JSON_NAME)).and_then(Node::as_str).unwrap_or(&m.name).to_owned();
            let (sensitive, constraints) = match &ty {
                Some(ty) => (self.is_sensitive(m, target, ty), self.constraints(&member_id, m, target, ty)),
                None => (false, Constraints::default()),
            };
            variants.push(Variant {
                name: m.name.clone(),
                json_name,
                rust_name,
                boxed: self.boxed.contains(&member_id),
                sensitive,
                constraints,
                docs: docs(&m.traits),
                ty,
            });
        }
        Some(Union {
            id: shape_id.clone(),
            rust_name: self.names.get(shape_id)?.rust_name.clone(),
            variants,
            sensitive: shape.traits.contains_key(&id(t::SENSITIVE)),
            docs: docs(&shape.traits),
        })
    }

    fn enumeration(&mut self, shape_id: &ShapeId) -> Option<Enum> {
        let shape = self.shape(shape_id)?;
        // Each variant as (member name, wire value, docs, deprecated, internal).
        type RawVariant = (String, Node, Option<String>, bool, bool);
        let (int, raw): (bool, Vec<RawVariant>) = match &shape.kind {
            ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => {
                let int = matches!(shape.kind, ShapeKind::IntEnum(_));
                let raw = members
                    .iter()
                    .map(|m| {
                        let value =
                            m.traits.get(&id(t::ENUM_VALUE)).cloned().unwrap_or_else(|| Node::String(m.name.clone()));
                        let has = |trait_id: &str| m.traits.contains_key(&id(trait_id));
                        (m.name.clone(), value, docs(&m.traits), has(t::DEPRECATED), has(t::INTERNAL))
                    })
                    .collect();
                (int, raw)
            }
            // Smithy 1.0: `@enum([{value, name, documentation}])` on a string.
            ShapeKind::Simple(SimpleType::String) => {
                let defs = shape.traits.get(&id(t::ENUM)).and_then(Node::as_array).cloned().unwrap_or_default();
                let raw = defs
                    .iter()
                    .map(|d| {
                        let value = d.get("value").cloned().unwrap_or(Node::Null);
                        let name = d
                            .get("name")
                            .and_then(Node::as_str)
                            .map(str::to_owned)
                            .unwrap_or_else(|| value.as_str().unwrap_or("").to_owned());
                        let doc = d.get("documentation").and_then(Node::as_str).map(clean_docs);
                        let internal = d
                            .get("tags")
                            .and_then(Node::as_array)
                            .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some("internal")));
                        (name, value, doc, d.get("deprecated").and_then(Node::as_bool).unwrap_or(false), internal)
                    })
                    .collect();
                (false, raw)
            }
            _ => return None,
        };
        let names = naming::dedupe(raw.iter().map(|(n, ..)| naming::variant_name(n)).collect());
        let mut variants = Vec::new();
        for ((name, value, docs, deprecated, internal), rust_name) in raw.into_iter().zip(names) {
            let value = match (int, &value) {
                (false, Node::String(s)) => EnumValue::String(s.clone()),
                (true, Node::Number(n)) if n.as_i64().and_then(|v| i32::try_from(v).ok()).is_some() => {
                    EnumValue::Int(n.as_i64().and_then(|v| i32::try_from(v).ok()).unwrap_or_default())
                }
                _ => {
                    self.error(
                        &shape_id.with_member(&name),
                        format!("enum value {value} must be a {}", if int { "32-bit integer" } else { "string" }),
                    );
                    continue;
                }
            };
            variants.push(EnumVariant { name, rust_name, value, docs, deprecated, internal });
        }
        Some(Enum {
            id: shape_id.clone(),
            rust_name: self.names.get(shape_id)?.rust_name.clone(),
            int,
            variants,
            sensitive: shape.traits.contains_key(&id(t::SENSITIVE)),
            docs: docs(&shape.traits),
        })
    }
}

/// A timestamp `@default`: epoch seconds (a number, its decimal text read exactly) or an RFC
/// 3339 date-time string.
fn timestamp_default(node: &Node) -> Result<(i64, u32), String> {
    match node {
        Node::Number(n) => {
            let text = n.to_string();
            let (negative, digits) = text.strip_prefix('-').map_or((false, text.as_str()), |d| (true, d));
            let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
            if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return Err("write epoch seconds as a plain decimal number".into());
            }
            let whole: i64 = whole.parse().map_err(|_| "out of range".to_owned())?;
            let nanos: u32 = format!("{:0<9}", &frac[..frac.len().min(9)]).parse().unwrap_or(0);
            Ok(match (negative, nanos) {
                (false, _) => (whole, nanos),
                (true, 0) => (-whole, 0),
                (true, n) => (-whole - 1, 1_000_000_000 - n),
            })
        }
        Node::String(s) => parse_date_time(s).ok_or_else(|| "expected an RFC 3339 date-time in UTC".to_owned()),
        _ => Err("expected epoch seconds or an RFC 3339 date-time".into()),
    }
}

/// `YYYY-MM-DDThh:mm:ss[.fraction]Z` as seconds and nanoseconds since the epoch.
fn parse_date_time(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && (sep(10, b'T') || sep(10, b't')) && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &s[19..];
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => r.split_at(r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len())),
        None => ("", rest),
    };
    if !matches!(zone, "Z" | "z") || !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let nanos: u32 = if frac.is_empty() { 0 } else { format!("{:0<9}", &frac[..frac.len().min(9)]).parse().ok()? };
    Some((days * 86_400 + hh * 3600 + mm * 60 + ss, nanos))
}

/// Fills in the greediness of label bindings from the URI.
fn mark_greedy(op: &mut Operation) {
    for m in &mut op.input.members {
        if let Binding::Label { greedy } = &mut m.binding {
            *greedy = op.uri.segments.iter().any(|s| matches!(s, Segment::Greedy(n) if n == &m.name));
        }
    }
}

fn id(text: &str) -> ShapeId {
    ShapeId::parse(text).unwrap_or_else(|_| ShapeId::new("invalid", "Invalid"))
}

/// A trait on the member, else on its target: how Smithy resolves member traits.
fn effective<'a>(m: &'a model::Member, target: &'a Shape, trait_id: &str) -> Option<&'a Node> {
    let key = id(trait_id);
    m.traits.get(&key).or_else(|| target.traits.get(&key))
}

fn string_trait(shape: &Shape, trait_id: &str) -> Option<String> {
    shape.traits.get(&id(trait_id)).and_then(Node::as_str).map(str::to_owned)
}

fn message_member(shape: &Shape) -> Option<String> {
    shape
        .kind
        .members()
        .iter()
        .find(|m| matches!(m.name.to_ascii_lowercase().as_str(), "message" | "errormessage"))
        .map(|m| m.name.clone())
}

fn is_scalar(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Boolean
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::BigInteger
            | Type::BigDecimal
            | Type::String { .. }
            | Type::Timestamp(_)
            | Type::Blob { .. }
            | Type::Named(Named { kind: NamedKind::Enum | NamedKind::IntEnum, .. })
    )
}

fn is_string_map(ty: &Type, allow_lists: bool) -> bool {
    let Type::Map { value, .. } = ty else { return false };
    match &value.ty {
        Type::String { .. } => true,
        Type::List { member, .. } => allow_lists && matches!(member.ty, Type::String { .. }),
        _ => false,
    }
}

/// Lists and maps hold something sensitive when an element, key or value is, at any depth.
fn type_holds_sensitive(ty: &Type) -> bool {
    match ty {
        Type::List { member, .. } => member.sensitive || type_holds_sensitive(&member.ty),
        Type::Map { key, value, .. } => key.sensitive || value.sensitive || type_holds_sensitive(&value.ty),
        _ => false,
    }
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

fn docs(traits: &model::Traits) -> Option<String> {
    traits.get(&id(t::DOCUMENTATION)).and_then(Node::as_str).map(clean_docs).filter(|d| !d.is_empty())
}

/// Turns model documentation (often HTML in AWS models) into plain Markdown paragraphs that
/// rustdoc and clippy accept: tags dropped (paragraphs and list items kept as line breaks),
/// entities decoded, whitespace collapsed, and characters Markdown would misread escaped.
pub fn clean_docs(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find('>') {
            Some(end)
                if after[1..].trim_start_matches('/').starts_with(|c: char| c.is_ascii_alphabetic())
                    && after[1..end]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || " /=\"'-_.:#?&%+,;()".contains(c)) =>
            {
                let tag =
                    after[1..end].trim_start_matches('/').split_whitespace().next().unwrap_or("").to_ascii_lowercase();
                match tag.as_str() {
                    "p" | "br" | "ul" | "ol" | "note" | "important" => out.push_str("\n\n"),
                    "li" if !after[1..].starts_with('/') => out.push_str("\n\n- "),
                    "code" => out.push('`'),
                    _ => {}
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let mut paragraphs = Vec::new();
    for para in decoded.split("\n\n") {
        let words: Vec<&str> = para.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let mut line = words.join(" ");
        // Backticks come in pairs from <code>; an odd count would open an unterminated span.
        if line.matches('`').count() % 2 == 1 {
            line = line.replace('`', "");
        }
        let mut escaped = String::with_capacity(line.len());
        let mut in_code = false;
        for c in line.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    escaped.push(c);
                }
                '[' | ']' | '<' | '>' | '\\' if !in_code => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                _ => escaped.push(c),
            }
        }
        paragraphs.push(autolink_urls(&escaped));
    }
    paragraphs.join("\n\n")
}

/// Writes bare URLs outside code spans as Markdown autolinks (`<https://…>`), which rustdoc
/// links rather than warns about. Trailing punctuation stays outside the link.
fn autolink_urls(line: &str) -> String {
    let mut in_code = false;
    let words: Vec<String> = line
        .split(' ')
        .map(|word| {
            let was_in_code = in_code;
            if word.matches('`').count() % 2 == 1 {
                in_code = !in_code;
            }
            let body = word.trim_start_matches(['(', '"', '\'']);
            let head = &word[..word.len() - body.len()];
            if was_in_code || word.contains('`') || !(body.starts_with("https://") || body.starts_with("http://")) {
                return word.to_owned();
            }
            let url = body.trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"']);
            let tail = &body[url.len()..];
            // Inside an autolink a backslash is a character, not an escape.
            format!("{head}<{}>{tail}", url.replace('\\', ""))
        })
        .collect();
    words.join(" ")
}

/// One `smithy.rules#endpointTests` case. Only `params` and `expect` are kept:
/// `operationInputs` say how an SDK fills the parameters from a call, which the generated
/// client does not do beyond the built-ins.
fn endpoint_test(case: &Node) -> Result<EndpointTest, String> {
    let documentation = case.get("documentation").and_then(Node::as_str).map(str::to_owned);
    let mut params = Vec::new();
    if let Some(p) = case.get("params") {
        let p = p.as_object().ok_or("`params` is not an object")?;
        for (name, value) in p {
            let value =
                match value {
                    Node::String(s) => EndpointParam::String(s.clone()),
                    Node::Bool(b) => EndpointParam::Bool(*b),
                    Node::Array(items) => EndpointParam::StringArray(
                        items.iter().map(|i| i.as_str().map(str::to_owned)).collect::<Option<_>>().ok_or_else(
                            || format!("the parameter `{name}` is a list with an item that is not a string"),
                        )?,
                    ),
                    _ => return Err(format!("the parameter `{name}` is not a string, boolean or list of strings")),
                };
            params.push((name.clone(), value));
        }
    }
    let expect = case.get("expect").ok_or("no `expect`")?;
    let expect = if let Some(e) = expect.get("error") {
        EndpointExpectation::Error(e.as_str().ok_or("`expect.error` is not a string")?.to_owned())
    } else if let Some(e) = expect.get("endpoint") {
        let url = e.get("url").and_then(Node::as_str).ok_or("`expect.endpoint.url` is not a string")?.to_owned();
        let headers = match e.get("headers") {
            None => None,
            Some(h) => {
                let h = h.as_object().ok_or("`expect.endpoint.headers` is not an object")?;
                let mut out = Vec::new();
                for (name, values) in h {
                    let values: Option<Vec<String>> =
                        values.as_array().and_then(|vs| vs.iter().map(|v| v.as_str().map(str::to_owned)).collect());
                    out.push((
                        name.clone(),
                        values.ok_or_else(|| format!("the header `{name}` is not a list of strings"))?,
                    ));
                }
                Some(out)
            }
        };
        let properties = match e.get("properties") {
            None => None,
            Some(p) if p.is_object() => Some(p.to_string()),
            Some(_) => return Err("`expect.endpoint.properties` is not an object".into()),
        };
        EndpointExpectation::Endpoint { url, headers, properties }
    } else {
        return Err("`expect` has neither `endpoint` nor `error`".into());
    };
    Ok(EndpointTest { documentation, params, expect })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_defaults_are_exact() {
        let n = |text: &str| serde_json::from_str::<Node>(text).unwrap();
        assert_eq!(timestamp_default(&n("0")), Ok((0, 0)));
        assert_eq!(timestamp_default(&n("1515531081.123")), Ok((1515531081, 123_000_000)));
        assert_eq!(timestamp_default(&n("-1.5")), Ok((-2, 500_000_000)));
        assert_eq!(timestamp_default(&n("\"1985-04-12T23:20:50.52Z\"")), Ok((482196050, 520_000_000)));
        assert_eq!(timestamp_default(&n("\"1970-01-01T00:00:00Z\"")), Ok((0, 0)));
        assert!(timestamp_default(&n("\"1985-04-12 23:20:50Z\"")).is_err());
        assert!(timestamp_default(&n("true")).is_err());
    }

    #[test]
    fn bare_urls_become_autolinks_outside_code() {
        let html = "<p>See https://docs.aws.amazon.com/a_b.html#x. Or <code>https://in.code</code> (http://x.y/z).</p>";
        assert_eq!(
            clean_docs(html),
            "See <https://docs.aws.amazon.com/a_b.html#x>. Or `https://in.code` (<http://x.y/z>)."
        );
    }

    #[test]
    fn html_docs_become_plain_paragraphs() {
        let html = "<p>Supports SAML sign-in. See <a href=\"https://x\">the guide</a>.</p> <note><p>Use <code>a_b</code> [x] &lt;y&gt;</p></note>";
        assert_eq!(clean_docs(html), "Supports SAML sign-in. See the guide.\n\nUse `a_b` \\[x\\] \\<y\\>");
        assert_eq!(clean_docs("<ul><li>one</li><li>two</li></ul>"), "- one\n\n- two");
        assert_eq!(clean_docs("1 < 2 and a > b"), "1 \\< 2 and a \\> b");
    }

    #[test]
    fn endpoint_test_cases_keep_params_and_expectations() {
        let case = serde_json::json!({
            "documentation": "d",
            "params": {"Region": "r", "Fips": true, "Zones": ["a", "b"]},
            "operationInputs": [{"operationName": "X"}],
            "expect": {"endpoint": {"url": "https://x", "headers": {"h": ["1"]}, "properties": {"p": {"q": 1}}}},
        });
        assert_eq!(
            endpoint_test(&case).unwrap(),
            EndpointTest {
                documentation: Some("d".into()),
                params: vec![
                    ("Region".into(), EndpointParam::String("r".into())),
                    ("Fips".into(), EndpointParam::Bool(true)),
                    ("Zones".into(), EndpointParam::StringArray(vec!["a".into(), "b".into()])),
                ],
                expect: EndpointExpectation::Endpoint {
                    url: "https://x".into(),
                    headers: Some(vec![("h".into(), vec!["1".into()])]),
                    properties: Some(r#"{"p":{"q":1}}"#.into()),
                },
            }
        );
        let error = serde_json::json!({"expect": {"error": "no"}});
        assert_eq!(
            endpoint_test(&error).unwrap(),
            EndpointTest { documentation: None, params: vec![], expect: EndpointExpectation::Error("no".into()) }
        );
    }

    #[test]
    fn endpoint_test_cases_the_generator_cannot_express_are_errors() {
        for (case, needle) in [
            (serde_json::json!({"params": {"A": 1}, "expect": {"error": "x"}}), "parameter `A` is not"),
            (serde_json::json!({"params": {"A": [1]}, "expect": {"error": "x"}}), "item that is not a string"),
            (serde_json::json!({"params": 1, "expect": {"error": "x"}}), "`params` is not an object"),
            (serde_json::json!({}), "no `expect`"),
            (serde_json::json!({"expect": {}}), "neither"),
            (serde_json::json!({"expect": {"error": 1}}), "`expect.error`"),
            (serde_json::json!({"expect": {"endpoint": {}}}), "`expect.endpoint.url`"),
            (serde_json::json!({"expect": {"endpoint": {"url": "u", "headers": []}}}), "headers` is not an object"),
            (serde_json::json!({"expect": {"endpoint": {"url": "u", "headers": {"h": "v"}}}}), "header `h`"),
            (serde_json::json!({"expect": {"endpoint": {"url": "u", "properties": []}}}), "properties"),
        ] {
            let e = endpoint_test(&case).unwrap_err();
            assert!(e.contains(needle), "{e} (wanted {needle})");
        }
    }
}

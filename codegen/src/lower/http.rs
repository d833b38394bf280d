//! HTTP bindings: an operation's `@http` method, URI pattern and status, the members bound to
//! labels, query, headers, payload and status code, `@endpoint` host prefixes, and the
//! operation's validation error.

use super::*;

impl<'m> Lowerer<'m> {
    pub(super) fn operation(&mut self, op_id: &ShapeId, service_errors: &[ShapeId]) -> Option<Operation> {
        let shape = self.shape(op_id)?;
        let ShapeKind::Operation(props) = &shape.kind else { return None };
        let name = naming::type_name(op_id.name());
        if !shape.traits.contains_key(&t::HTTP) {
            self.error(op_id, "a restJson1 operation needs the @http trait");
            return None;
        }
        let t::HttpTrait { method, uri, code } = self.read(op_id, &shape.traits)?;
        let uri = self.uri(op_id, &uri)?;
        let input = self.io_structure(&props.input, format!("{name}Input"), StructureRole::Input)?;
        let output = self.io_structure(&props.output, format!("{name}Output"), StructureRole::Output)?;
        self.check_labels(op_id, &uri, &input);
        let host_prefix = self.host_prefix(op_id, shape, &props.input, &input);
        let request_compression =
            self.read::<t::RequestCompressionTrait>(op_id, &shape.traits).map(|r| r.encodings).unwrap_or_default();

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
            checksum_required: shape.traits.contains_key(&t::HTTP_CHECKSUM_REQUIRED),
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

    pub(super) fn validation_error(&self, errors: &[&ShapeId]) -> Option<ValidationError> {
        let framework = errors.iter().find(|e| ***e == t::VALIDATION_EXCEPTION);
        let by_name = || VALIDATION_ERROR_NAMES.iter().find_map(|n| errors.iter().find(|e| e.name() == *n));
        let chosen = framework.or_else(by_name)?;
        let shape = self.shape(chosen)?;
        let status = t::read::<t::HttpErrorTrait>(&shape.traits).map_or(Ok(400), |r| r.map(|h| h.code));
        if status != Ok(400) {
            return None;
        }
        let message = message_member(shape);
        // Only usable when a message alone makes a valid value of it.
        let other_required = shape.kind.members().iter().any(|m| {
            m.traits.contains_key(&t::REQUIRED)
                && Some(m.name.as_str()) != message.as_deref()
                && !m.traits.contains_key(&t::DEFAULT)
        });
        if other_required {
            return None;
        }
        let message_json = message.map(|name| {
            let member = shape.member(&name);
            member.and_then(|m| t::read_string(&m.traits, &t::JSON_NAME)?.ok()).map_or(name.clone(), str::to_owned)
        });
        Some(ValidationError {
            rust_name: self.names.get(*chosen)?.rust_name.clone(),
            code: chosen.name().to_owned(),
            message_json,
            framework: framework.is_some(),
        })
    }

    pub(super) fn uri(&mut self, op_id: &ShapeId, text: &str) -> Option<UriPattern> {
        match parse_uri_pattern(text) {
            Ok(uri) => Some(uri),
            Err(problem) => {
                self.error(op_id, format!("@http uri `{text}` {problem}"));
                None
            }
        }
    }

    /// `@endpoint(hostPrefix: "{label}.data.")`: literal text and `{labels}`, each label an input
    /// member with `@hostLabel` that targets a string; every `@hostLabel` member in the prefix.
    pub(super) fn host_prefix(
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
                    .filter(|m| m.traits.contains_key(&t::HOST_LABEL))
                    .map(|m| m.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        if !op.traits.contains_key(&t::ENDPOINT) {
            if let Some(member) = host_labels.first() {
                self.error(
                    &input_id.with_member(*member),
                    "@hostLabel needs an @endpoint host prefix on the operation",
                );
            }
            return None;
        }
        let t::EndpointTrait { host_prefix } = self.read(op_id, &op.traits)?;
        let text = host_prefix.as_str();
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
    pub(super) fn check_labels(&mut self, op_id: &ShapeId, uri: &UriPattern, input: &Structure) {
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

    pub(super) fn binding(
        &mut self,
        member_id: &ShapeId,
        m: &model::Member,
        target: &Shape,
        ty: &Type,
        role: StructureRole,
    ) -> Binding {
        let get = |trait_id: &ShapeId| m.traits.get(trait_id);
        let json_name = self.read_string(member_id, &m.traits, &t::JSON_NAME).unwrap_or(&m.name).to_owned();
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
                if get(&trait_id).is_some() {
                    self.ignored_binding(member_id, m, &trait_id, "an operation input");
                }
            }
        }
        if get(&t::HTTP_LABEL).is_some() && is_input {
            if !scalar {
                self.error(member_id, "an @httpLabel member must target a string, number, boolean, timestamp or enum");
            }
            // Greediness is a property of the URI; `operation` fills it in.
            return Binding::Label { greedy: false };
        }
        if get(&t::HTTP_QUERY).is_some() && is_input {
            if !scalar_or_list {
                self.error(member_id, "an @httpQuery member must target a simple value or a list of them");
            }
            let name = self.read_string(member_id, &m.traits, &t::HTTP_QUERY).unwrap_or(&m.name);
            return Binding::Query(name.to_owned());
        }
        if get(&t::HTTP_QUERY_PARAMS).is_some() && is_input {
            if !is_string_map(ty, true) {
                self.error(member_id, "an @httpQueryParams member must target a map of strings or of lists of strings");
            }
            return Binding::QueryParams;
        }
        if get(&t::HTTP_HEADER).is_some() {
            if !scalar_or_list {
                self.error(member_id, "an @httpHeader member must target a simple value or a list of them");
            }
            let name = self.read_string(member_id, &m.traits, &t::HTTP_HEADER).unwrap_or(&m.name);
            return Binding::Header(name.to_owned());
        }
        if get(&t::HTTP_PREFIX_HEADERS).is_some() {
            if !is_string_map(ty, false) {
                self.error(member_id, "an @httpPrefixHeaders member must target a map of strings");
            }
            let prefix = self.read_string(member_id, &m.traits, &t::HTTP_PREFIX_HEADERS).unwrap_or("");
            return Binding::PrefixHeaders(prefix.to_ascii_lowercase());
        }
        if get(&t::HTTP_RESPONSE_CODE).is_some() {
            if role != StructureRole::Output {
                self.ignored_binding(member_id, m, &t::HTTP_RESPONSE_CODE, "an operation output");
            } else {
                if !matches!(ty, Type::Integer) {
                    self.error(member_id, "an @httpResponseCode member must target an integer");
                }
                return Binding::ResponseCode;
            }
        }
        if get(&t::HTTP_PAYLOAD).is_some() {
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
    pub(super) fn ignored_binding(&mut self, member_id: &ShapeId, m: &model::Member, trait_id: &ShapeId, where_: &str) {
        let container = self.shape(&member_id.root());
        let suppressed = [Some(&m.traits), container.map(|c| &c.traits)].into_iter().flatten().any(|traits| {
            t::read::<t::SuppressTrait>(traits)
                .and_then(Result::ok)
                .is_some_and(|ids| ids.0.iter().any(|v| v == "HttpBindingTraitIgnored"))
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
}

/// Fills in the greediness of label bindings from the URI.
pub(super) fn mark_greedy(op: &mut Operation) {
    for m in &mut op.input.members {
        if let Binding::Label { greedy } = &mut m.binding {
            *greedy = op.uri.segments.iter().any(|s| matches!(s, Segment::Greedy(n) if n == &m.name));
        }
    }
}

pub(super) fn is_scalar(ty: &Type) -> bool {
    ty.is_number()
        || matches!(
            ty,
            Type::Boolean
                | Type::String { .. }
                | Type::Timestamp(_)
                | Type::Blob { .. }
                | Type::Named(Named { kind: NamedKind::Enum | NamedKind::IntEnum, .. })
        )
}

pub(super) fn is_string_map(ty: &Type, allow_lists: bool) -> bool {
    let Type::Map { value, .. } = ty else { return false };
    match &value.ty {
        Type::String { .. } => true,
        Type::List { member, .. } => allow_lists && matches!(member.ty, Type::String { .. }),
        _ => false,
    }
}

/// An `@http` URI pattern: literal segments, `{labels}` and at most one `{greedy+}` label, each a
/// whole segment, then literal query parameters. A trailing `/` is not a segment. The error
/// completes "@http uri `...` ...".
fn parse_uri_pattern(text: &str) -> Result<UriPattern, String> {
    if !text.starts_with('/') {
        return Err("must start with `/`".into());
    }
    let (path, query) = text.split_once('?').unwrap_or((text, ""));
    let mut segments = Vec::new();
    let mut greedy_seen = false;
    for raw in path.split('/').skip(1) {
        if raw.is_empty() && path != "/" {
            if path.ends_with('/') && std::ptr::eq(raw, path.split('/').next_back().unwrap_or("")) {
                continue;
            }
            return Err("has an empty path segment".into());
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
                return Err(format!("has an invalid label `{raw}`"));
            }
            if greedy {
                if greedy_seen {
                    return Err("has more than one greedy label".into());
                }
                greedy_seen = true;
                segments.push(Segment::Greedy(label.to_owned()));
            } else {
                segments.push(Segment::Label(label.to_owned()));
            }
        } else if raw.contains('{') || raw.contains('}') {
            return Err("has a label that is not a whole path segment".into());
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
    Ok(UriPattern { text: text.to_owned(), segments, query })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_patterns_parse_as_the_table_says() {
        use Segment::{Greedy as G, Label as L, Literal as T};
        let lit = |s: &str| T(s.to_owned());
        let label = |s: &str| L(s.to_owned());
        let greedy = |s: &str| G(s.to_owned());
        let q = |k: &str, v: Option<&str>| (k.to_owned(), v.map(str::to_owned));
        // (pattern, segments, query) for patterns that parse.
        type Query = Vec<(String, Option<String>)>;
        let good: Vec<(&str, Vec<Segment>, Query)> = vec![
            ("/", vec![], vec![]),
            ("/user/federate/{InstanceId}", vec![lit("user"), lit("federate"), label("InstanceId")], vec![]),
            ("/a/", vec![lit("a")], vec![]),
            ("/objects/{Key+}/meta", vec![lit("objects"), greedy("Key"), lit("meta")], vec![]),
            ("/t?tagging", vec![lit("t")], vec![q("tagging", None)]),
            ("/t?x-id=Op&flag", vec![lit("t")], vec![q("x-id", Some("Op")), q("flag", None)]),
            ("/t?&a=&", vec![lit("t")], vec![q("a", Some(""))]),
        ];
        for (text, segments, query) in good {
            let parsed = parse_uri_pattern(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((parsed.text.as_str(), parsed.segments, parsed.query), (text, segments, query), "{text}");
        }
        // (pattern, the error's words) for patterns that do not.
        let bad = [
            ("user", "must start with `/`"),
            ("", "must start with `/`"),
            ("/a//b", "empty path segment"),
            ("//", "empty path segment"),
            ("/{a+}/{b+}", "more than one greedy label"),
            ("/{}", "invalid label `{}`"),
            ("/{9a}", "invalid label `{9a}`"),
            ("/{a b}", "invalid label"),
            ("/x{a}", "not a whole path segment"),
            ("/{a}x", "not a whole path segment"),
            ("/a}", "not a whole path segment"),
        ];
        for (text, words) in bad {
            let e = parse_uri_pattern(text).expect_err(text);
            assert!(e.contains(words), "{text}: {e}");
        }
    }
}

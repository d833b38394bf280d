//! Shapes into IR types: operation inputs and outputs, structures, errors, members and their
//! Rust types, unions and enums.

use super::*;

impl<'m> Lowerer<'m> {
    pub(super) fn io_structure(
        &mut self,
        shape_id: &ShapeId,
        rust_name: String,
        role: StructureRole,
    ) -> Option<Structure> {
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

    pub(super) fn structure(
        &mut self,
        shape_id: &ShapeId,
        rust_name: String,
        role: StructureRole,
    ) -> Option<Structure> {
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
            sensitive: shape.traits.contains_key(&t::SENSITIVE),
            error,
            docs: docs(&shape.traits),
        })
    }

    /// A builder has methods `x`, `set_x` and `get_x` for a field `x`, so a field named
    /// `set_x` or `get_x` beside `x` would define one method twice.
    pub(super) fn check_builder_names(&mut self, shape_id: &ShapeId, members: &[model::Member], names: &[String]) {
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

    pub(super) fn error_info(&mut self, shape: &Shape, members: &[Member]) -> Option<ErrorInfo> {
        if !shape.traits.contains_key(&t::ERROR) {
            self.error(&shape.id, "an error structure needs the @error trait");
            return None;
        }
        // Who is at fault decides the status when `@httpError` does not.
        let fault = self.read::<t::ErrorTrait>(&shape.id, &shape.traits)?.fault;
        let status = match (shape.traits.contains_key(&t::HTTP_ERROR), fault) {
            (true, _) => self.read::<t::HttpErrorTrait>(&shape.id, &shape.traits)?.code,
            (false, t::Fault::Client) => 400,
            (false, t::Fault::Server) => 500,
        };
        let retryable = match shape.traits.contains_key(&t::RETRYABLE) {
            true => {
                Some(Retryable { throttling: self.read::<t::RetryableTrait>(&shape.id, &shape.traits)?.throttling })
            }
            false => None,
        };
        let message_member =
            message_member(shape).and_then(|name| members.iter().find(|m| m.name == name)).map(|m| m.rust_name.clone());
        Some(ErrorInfo { status, retryable, message_member })
    }

    pub(super) fn member(
        &mut self,
        owner: &ShapeId,
        m: &model::Member,
        rust_name: String,
        role: StructureRole,
    ) -> Option<Member> {
        let member_id = owner.with_member(&m.name);
        let target = self.shape(&m.target)?;
        if m.target == crate::model::prelude::unit() {
            self.error(&member_id, "only union members may target smithy.api#Unit");
            return None;
        }
        let ty = self.ty(&member_id, m, target)?;
        let has = |trait_id: &ShapeId| m.traits.contains_key(trait_id);
        let required = has(&t::REQUIRED);
        let client_optional = has(&t::CLIENT_OPTIONAL);
        let default = match effective(m, target, &t::DEFAULT).and_then(|traits| traits.get(&t::DEFAULT)) {
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
            idempotency_token: has(&t::IDEMPOTENCY_TOKEN),
            deprecated: has(&t::DEPRECATED),
            docs: docs(&m.traits)
                .or_else(|| docs(&target.traits).filter(|_| !matches!(target.kind, ShapeKind::Simple(_)))),
            ty,
        })
    }

    pub(super) fn is_sensitive(&self, m: &model::Member, target: &Shape, ty: &Type) -> bool {
        m.traits.contains_key(&t::SENSITIVE) || target.traits.contains_key(&t::SENSITIVE) || type_holds_sensitive(ty)
    }

    /// The Rust type of a member (or list member, map key or value).
    pub(super) fn ty(&mut self, member_id: &ShapeId, m: &model::Member, target: &Shape) -> Option<Type> {
        let format = match effective(m, target, &t::TIMESTAMP_FORMAT) {
            None => None,
            Some(traits) => Some(self.read::<t::TimestampFormatTrait>(member_id, traits)?.0),
        };
        Some(match &target.kind {
            ShapeKind::Simple(simple) => match simple {
                SimpleType::Blob if target.traits.contains_key(&t::STREAMING) => Type::ByteStream {
                    media_type: self.read_string(member_id, &target.traits, &t::MEDIA_TYPE).map(str::to_owned),
                    requires_length: target.traits.contains_key(&t::REQUIRES_LENGTH),
                },
                SimpleType::Blob => Type::Blob {
                    media_type: self.read_string(member_id, &target.traits, &t::MEDIA_TYPE).map(str::to_owned),
                },
                SimpleType::Boolean => Type::Boolean,
                SimpleType::String if target.traits.contains_key(&t::ENUM) => {
                    Type::Named(self.names.get(&target.id)?.clone())
                }
                SimpleType::String => Type::String {
                    media_type: self.read_string(member_id, &target.traits, &t::MEDIA_TYPE).map(str::to_owned),
                },
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
    pub(super) fn collection(&mut self, target: &Shape) -> Option<Type> {
        Some(match &target.kind {
            ShapeKind::List(inner) | ShapeKind::Set(inner) => {
                let element = self.element(&target.id, inner)?;
                Type::List { member: Box::new(element), sparse: target.traits.contains_key(&t::SPARSE) }
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
                    sparse: target.traits.contains_key(&t::SPARSE),
                }
            }
            _ => return None,
        })
    }

    pub(super) fn element(&mut self, owner: &ShapeId, m: &model::Member) -> Option<Element> {
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

    pub(super) fn union(&mut self, shape_id: &ShapeId) -> Option<Union> {
        let shape = self.shape(shape_id)?;
        let ShapeKind::Union(members) = &shape.kind else { return None };
        if shape.traits.contains_key(&t::STREAMING) {
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
            let json_name = self.read_string(&member_id, &m.traits, &t::JSON_NAME).unwrap_or(&m.name).to_owned();
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
            sensitive: shape.traits.contains_key(&t::SENSITIVE),
            docs: docs(&shape.traits),
        })
    }

    pub(super) fn enumeration(&mut self, shape_id: &ShapeId) -> Option<Enum> {
        let shape = self.shape(shape_id)?;
        /// A variant before its wire value is checked against the enum's kind.
        struct Raw {
            name: String,
            value: Node,
            docs: Option<String>,
            deprecated: bool,
            internal: bool,
        }
        let (int, raw): (bool, Vec<Raw>) = match &shape.kind {
            ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => {
                let int = matches!(shape.kind, ShapeKind::IntEnum(_));
                let raw = members
                    .iter()
                    .map(|m| Raw {
                        name: m.name.clone(),
                        value: m.traits.get(&t::ENUM_VALUE).cloned().unwrap_or_else(|| Node::String(m.name.clone())),
                        docs: docs(&m.traits),
                        deprecated: m.traits.contains_key(&t::DEPRECATED),
                        internal: m.traits.contains_key(&t::INTERNAL),
                    })
                    .collect();
                (int, raw)
            }
            // Smithy 1.0: `@enum([{value, name, documentation}])` on a string.
            ShapeKind::Simple(SimpleType::String) => {
                let definitions = self.read::<t::EnumTrait>(shape_id, &shape.traits)?.0;
                let raw = definitions
                    .into_iter()
                    .map(|d| Raw {
                        name: d.name.unwrap_or_else(|| d.value.clone()),
                        value: Node::String(d.value),
                        docs: d.documentation.as_deref().map(clean_docs),
                        deprecated: d.deprecated,
                        internal: d.tags.iter().any(|tag| tag == "internal"),
                    })
                    .collect();
                (false, raw)
            }
            _ => return None,
        };
        let names = naming::dedupe(raw.iter().map(|r| naming::variant_name(&r.name)).collect());
        let mut strings = Vec::new();
        let mut ints = Vec::new();
        fn variant<V>(r: &Raw, rust_name: String, value: V) -> EnumVariant<V> {
            let Raw { name, docs, deprecated, internal, .. } = r;
            EnumVariant {
                name: name.clone(),
                rust_name,
                value,
                docs: docs.clone(),
                deprecated: *deprecated,
                internal: *internal,
            }
        }
        for (r, rust_name) in raw.into_iter().zip(names) {
            match (int, &r.value) {
                (false, Node::String(s)) => strings.push(variant(&r, rust_name, s.clone())),
                (true, Node::Number(n)) if let Some(i) = n.as_i64().and_then(|v| i32::try_from(v).ok()) => {
                    ints.push(variant(&r, rust_name, i))
                }
                _ => self.error(
                    &shape_id.with_member(&r.name),
                    format!("enum value {} must be a {}", r.value, if int { "32-bit integer" } else { "string" }),
                ),
            }
        }
        Some(Enum {
            id: shape_id.clone(),
            rust_name: self.names.get(shape_id)?.rust_name.clone(),
            variants: if int { EnumVariants::Int(ints) } else { EnumVariants::String(strings) },
            sensitive: shape.traits.contains_key(&t::SENSITIVE),
            docs: docs(&shape.traits),
        })
    }
}

pub(super) fn message_member(shape: &Shape) -> Option<String> {
    shape
        .kind
        .members()
        .iter()
        .find(|m| matches!(m.name.to_ascii_lowercase().as_str(), "message" | "errormessage"))
        .map(|m| m.name.clone())
}

/// Lists and maps hold something sensitive when an element, key or value is, at any depth.
pub(super) fn type_holds_sensitive(ty: &Type) -> bool {
    match ty {
        Type::List { member, .. } => member.sensitive || type_holds_sensitive(&member.ty),
        Type::Map { key, value, .. } => key.sensitive || value.sensitive || type_holds_sensitive(&value.ty),
        _ => false,
    }
}

//! Desugaring: the syntax tree of one IDL file into a [`Fragment`].
//!
//! Consumes an [`ast::File`]; produces the fragment the JSON AST loader would produce for the
//! same model, and the semantic errors the IDL itself defines. This is where relative shape ids
//! become absolute (Smithy's order: `use`d names, then shapes of this file's namespace, then the
//! prelude, else the current namespace), annotations get their implicit values, `= value`
//! becomes `@default` or `@enumValue`, enum members get their implicit values, elided member
//! targets are looked up, and version-dependent rules are checked.
//!
//! Only this file is visible here. Where the IDL needs to see another shape (an elided target,
//! a list member inherited from a mixin, the kind of a trait used as an annotation), it looks in
//! this file. A member whose target comes from a mixin defined elsewhere (an elided `$name`, a
//! list or map member left out) gets a placeholder target and is listed in
//! [`Fragment::inherited`], for the resolve pass to fill in; any other shape that is needed but
//! not defined here (a bound resource) is reported rather than guessed. Checks that need the
//! whole model (that references exist, that mixins are mixins) belong to the resolve pass.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Map;

use super::ast::{self, Body, Statement, Value, ValueKind, Version};
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::prelude::{self, AnnotationValue};
use crate::model::shape_id::{ShapeId, is_identifier};
use crate::model::source::Span;
use crate::model::{
    Apply, Fragment, Member, Node, OperationShape, ResourceShape, ServiceShape, Shape, ShapeKind, Traits,
};

/// How deep a chain of mixins is followed: far more than any real model needs, and a bound on
/// the recursion whatever the input.
const MAX_MIXIN_DEPTH: usize = 64;

/// Lowers a parsed file; errors go to `diagnostics`.
pub(super) fn desugar(file: &ast::File, diagnostics: &mut Diagnostics) -> Fragment {
    let mut desugarer = Desugarer {
        file,
        namespace: file.namespace.as_deref(),
        uses: BTreeMap::new(),
        local: BTreeMap::new(),
        diagnostics,
        subject: None,
        fragment: Fragment { version: file.version_text.clone(), ..Fragment::default() },
        inherited: RefCell::new(HashMap::new()),
        in_progress: RefCell::new(HashSet::new()),
        too_deep: Cell::new(None),
    };
    desugarer.run();
    desugarer.fragment
}

/// Where a shape id is resolved: metadata comes before the namespace and `use` statements, so
/// only prelude names resolve there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Metadata,
    Shapes,
}

/// What the shapes of this file say about the target of a member.
enum Lookup {
    /// The target, and where it comes from (for messages).
    Found(ShapeId, String),
    /// Nothing in this file defines it.
    Missing,
    /// It could come from this shape, which is not defined in this file.
    Elsewhere(ShapeId),
}

struct Desugarer<'a> {
    file: &'a ast::File,
    namespace: Option<&'a str>,
    /// `use`d names.
    uses: BTreeMap<String, ShapeId>,
    /// The shapes this file defines, by name.
    local: BTreeMap<&'a str, &'a ast::Shape>,
    diagnostics: &'a mut Diagnostics,
    /// The shape or member being desugared: every error names it, as the resolve pass's do.
    subject: Option<ShapeId>,
    fragment: Fragment,
    /// What each shape of this file has from its own body and its mixins; see `members_of`.
    inherited: RefCell<HashMap<&'a str, Rc<Inherited>>>,
    /// Shapes whose members are being computed, to cut mixin cycles.
    in_progress: RefCell<HashSet<&'a str>>,
    /// Where a mixin chain was found too deep to follow, if anywhere.
    too_deep: Cell<Option<Span>>,
}

/// The members a shape has, its mixins' included, as far as this file shows.
#[derive(Debug, Default)]
struct Inherited {
    /// In order: the shape's own members, then its mixins' in mixin order.
    entries: Vec<InheritedMember>,
    /// Where each name is in `entries`.
    index: HashMap<String, usize>,
    /// A shape somewhere in the chain (mixin or bound resource) that is not defined in this
    /// file, so that some members may be unknown.
    elsewhere: Option<ShapeId>,
}

impl Inherited {
    fn get(&self, name: &str) -> Option<&InheritedMember> {
        self.index.get(name).and_then(|&i| self.entries.get(i))
    }

    /// Adds a member unless one of that name is known; an elided one whose target was unknown
    /// takes the target.
    fn add(&mut self, member: InheritedMember) {
        match self.index.get(&member.name) {
            Some(&i) => {
                if let Some(own) = self.entries.get_mut(i)
                    && own.target.is_none()
                {
                    own.target = member.target;
                }
            }
            None => {
                self.index.insert(member.name.clone(), self.entries.len());
                self.entries.push(member);
            }
        }
    }
}

#[derive(Clone, Debug)]
struct InheritedMember {
    name: String,
    /// `None` for an elided target that nothing in this file provides.
    target: Option<ShapeId>,
    /// The member id, for messages.
    from: String,
}

impl<'a> Desugarer<'a> {
    fn run(&mut self) {
        let file = self.file;
        for entry in &file.metadata {
            let value = self.node(&entry.value, Scope::Metadata);
            self.fragment.metadata.push((entry.key.clone(), value, Some(entry.span)));
        }
        for used in &file.uses {
            self.add_use(used);
        }
        // Every shape of the file is known before any is desugared: references may point forward.
        let declared: Vec<bool> = file
            .statements
            .iter()
            .map(|statement| match statement {
                Statement::Shape(shape) => self.declare(shape),
                Statement::Apply(_) => true,
            })
            .collect();
        for (statement, declared) in file.statements.iter().zip(declared) {
            match statement {
                // A shape that could not be declared (a duplicate) has been reported.
                Statement::Shape(_) if !declared => {}
                Statement::Shape(shape) => {
                    if let Some(desugared) = self.shape(shape) {
                        self.fragment.shapes.push(desugared);
                    }
                }
                Statement::Apply(apply) => {
                    if let Some(target) = self.resolve(&apply.target) {
                        self.subject = Some(target.clone());
                        let traits = self.traits(&apply.traits);
                        self.subject = None;
                        self.fragment.applies.push(Apply { target, traits, span: Some(apply.target.span) });
                    }
                }
            }
        }
        if let Some(span) = self.too_deep.get() {
            self.error(span, format!("mixins are nested more than {MAX_MIXIN_DEPTH} levels deep"));
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        let mut d = Diagnostic::error(message).with_span(Some(span));
        if let Some(subject) = &self.subject {
            d = d.with_shape(subject);
        }
        self.diagnostics.push(d);
    }

    fn error_help(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.error(span, message);
        if let Some(last) = self.diagnostics.0.last_mut() {
            last.help = Some(help.into());
        }
    }

    /// Runs `f` with `subject` as the shape or member its errors are about.
    fn about<T>(&mut self, subject: ShapeId, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.subject.replace(subject);
        let result = f(self);
        self.subject = outer;
        result
    }

    fn add_use(&mut self, used: &ast::Ref) {
        let id = match ShapeId::parse(&used.text) {
            Ok(id) => id,
            Err(e) => return self.error(used.span, e.to_string()),
        };
        match self.uses.get(id.name()) {
            Some(previous) if *previous != id => {
                let message =
                    format!("`use {id}` conflicts with `use {previous}`: both would be called `{}`", id.name());
                self.error(used.span, message);
            }
            _ => {
                self.uses.insert(id.name().to_owned(), id);
            }
        }
    }

    /// Records a shape of this file under its name; `false` (and an error) when the name is
    /// taken.
    fn declare(&mut self, shape: &'a ast::Shape) -> bool {
        if let Some(used) = self.uses.get(&shape.name) {
            let message =
                format!("shape `{}` has the same name as `{used}`, imported by a `use` statement", shape.name);
            self.error(shape.span, message);
            return false;
        }
        if self.local.contains_key(shape.name.as_str()) {
            let message = format!("shape `{}` is defined twice in this file", shape.name);
            self.error(shape.span, message);
            return false;
        }
        self.local.insert(&shape.name, shape);
        true
    }

    // ----- Shape ids -----

    /// Resolves a shape id as written, without reporting anything.
    fn resolve_text(&self, text: &str, scope: Scope) -> Result<ShapeId, String> {
        if text.contains('#') {
            return ShapeId::parse(text).map_err(|e| e.to_string());
        }
        let (root, member) = match text.split_once('$') {
            Some((root, member)) => (root, Some(member)),
            None => (text, None),
        };
        if !is_identifier(root) || !member.is_none_or(is_identifier) {
            return Err(format!("`{text}` is not a valid shape id"));
        }
        let id = match (scope, self.namespace) {
            (Scope::Shapes, _) if self.uses.contains_key(root) => self.uses[root].clone(),
            (Scope::Shapes, Some(ns)) if self.local.contains_key(root) => ShapeId::new(ns, root),
            _ if prelude::contains(root) => prelude::id(root),
            (Scope::Shapes, Some(ns)) => ShapeId::new(ns, root),
            _ => return Err(format!("`{text}` is a relative shape id, but there is no namespace to resolve it in")),
        };
        Ok(match member {
            Some(member) => id.with_member(member),
            None => id,
        })
    }

    /// Resolves a shape id in the shape section, reporting failures.
    fn resolve(&mut self, reference: &ast::Ref) -> Option<ShapeId> {
        match self.resolve_text(&reference.text, Scope::Shapes) {
            Ok(id) => Some(id),
            Err(message) => {
                self.error(reference.span, message);
                None
            }
        }
    }

    /// The shape of this file a reference names, if it names one.
    fn local_shape(&self, reference: &ast::Ref) -> Result<&'a ast::Shape, Option<ShapeId>> {
        let id = self.resolve_text(&reference.text, Scope::Shapes).map_err(|_| None)?;
        if Some(id.namespace()) == self.namespace
            && id.member().is_none()
            && let Some(shape) = self.local.get(id.name())
        {
            return Ok(shape);
        }
        Err(Some(id))
    }

    // ----- Node values -----

    /// A node value with its unquoted shape ids resolved to absolute id strings.
    fn node(&mut self, value: &Value, scope: Scope) -> Node {
        match &value.kind {
            ValueKind::Null => Node::Null,
            ValueKind::Bool(b) => Node::Bool(*b),
            ValueKind::Number(n) => Node::Number(n.clone()),
            ValueKind::String(s) => Node::String(s.clone()),
            ValueKind::ShapeId(text) => match self.resolve_text(text, scope) {
                Ok(id) => Node::String(id.to_string()),
                Err(message) => {
                    self.error_help(value.span, message, "an unquoted value is a shape id; quote it to write a string");
                    Node::String(text.clone())
                }
            },
            ValueKind::Array(items) => Node::Array(items.iter().map(|item| self.node(item, scope)).collect()),
            ValueKind::Object(entries) => {
                let mut map = Map::new();
                for entry in entries {
                    let value = self.node(&entry.value, scope);
                    map.insert(entry.key.clone(), value);
                }
                Node::Object(map)
            }
        }
    }

    // ----- Traits -----

    fn traits(&mut self, list: &[ast::Trait]) -> Traits {
        let mut traits = Traits::new();
        for application in list {
            let Some(id) = self.resolve(&application.name) else { continue };
            if id.member().is_some() {
                self.error(application.name.span, format!("`{id}` names a member, not a trait"));
                continue;
            }
            if self.file.version == Version::V1 && id == prelude::MIXIN {
                let message = "mixins need IDL version 2.0, but this file is version 1.0";
                self.error_help(application.span, message, "start the file with `$version: \"2\"`");
            }
            let value = match &application.value {
                Some(value) => self.node(value, Scope::Shapes),
                None => match self.annotation_value(&id) {
                    Ok(value) => value,
                    Err(message) => {
                        self.error(application.span, message);
                        continue;
                    }
                },
            };
            self.add_trait(&mut traits, id, value, application.span);
        }
        traits
    }

    /// Adds a trait, as the resolve pass merges them: the same value twice is fine, two lists
    /// are concatenated, anything else conflicts.
    fn add_trait(&mut self, traits: &mut Traits, id: ShapeId, value: Node, span: Span) {
        match traits.get_mut(&id) {
            None => {
                traits.insert(id, value);
            }
            Some(existing) if *existing == value => {}
            Some(Node::Array(existing)) if value.is_array() => {
                if let Node::Array(more) = value {
                    existing.extend(more);
                }
            }
            Some(_) => self.error(span, format!("trait `{id}` is applied twice with different values")),
        }
    }

    /// What a trait written without a value means: `{}` for structure (and unknown) traits,
    /// `[]` for list traits; traits of other types need a value.
    fn annotation_value(&self, id: &ShapeId) -> Result<Node, String> {
        let needs_value = || format!("trait `{id}` needs a value, as in `@{}(...)`", id.name());
        if id.namespace() == prelude::NAMESPACE {
            return match prelude::annotation_value(id.name()) {
                Some(AnnotationValue::EmptyList) => Ok(Node::Array(Vec::new())),
                Some(AnnotationValue::Required) => Err(needs_value()),
                Some(AnnotationValue::EmptyObject) | None => Ok(Node::Object(Map::new())),
            };
        }
        let local = (Some(id.namespace()) == self.namespace).then(|| self.local.get(id.name())).flatten();
        match local.map(|shape| &shape.body) {
            Some(Body::List(_) | Body::Set(_)) => Ok(Node::Array(Vec::new())),
            Some(Body::Structure(_) | Body::Map(..)) | None => Ok(Node::Object(Map::new())),
            Some(_) => Err(needs_value()),
        }
    }

    // ----- Shapes -----

    fn shape(&mut self, shape: &'a ast::Shape) -> Option<Shape> {
        let id = ShapeId::new(self.namespace?, &shape.name);
        self.about(id.clone(), |this| this.shape_about(shape, id))
    }

    fn shape_about(&mut self, shape: &'a ast::Shape, id: ShapeId) -> Option<Shape> {
        let traits = self.traits(&shape.traits);
        let mixins: Vec<ShapeId> = shape.mixins.iter().filter_map(|m| self.resolve(m)).collect();
        self.check_resource_binding(shape);
        self.check_mixin_conflicts(shape);
        let kind = match &shape.body {
            Body::Simple(simple) => ShapeKind::Simple(*simple),
            Body::Enum(members) | Body::IntEnum(members) => {
                let int = matches!(shape.body, Body::IntEnum(_));
                if members.is_empty() && shape.mixins.is_empty() {
                    let what = if int { "intEnum" } else { "enum" };
                    self.error(shape.span, format!("the {what} has no members"));
                }
                let members = members.iter().map(|m| self.enum_member(shape, &id, m, int)).collect();
                if int { ShapeKind::IntEnum(members) } else { ShapeKind::Enum(members) }
            }
            Body::List(member) | Body::Set(member) => {
                let member = self.collection_member(shape, &id, member.as_ref(), "member")?;
                if matches!(shape.body, Body::List(_)) { ShapeKind::List(member) } else { ShapeKind::Set(member) }
            }
            Body::Map(key, value) => {
                let key = self.collection_member(shape, &id, key.as_ref(), "key");
                let value = self.collection_member(shape, &id, value.as_ref(), "value");
                ShapeKind::Map { key: key?, value: value? }
            }
            Body::Structure(members) | Body::Union(members) => {
                let members = members.iter().filter_map(|m| self.member(shape, &id, m)).collect();
                if matches!(shape.body, Body::Structure(_)) {
                    ShapeKind::Structure(members)
                } else {
                    ShapeKind::Union(members)
                }
            }
            Body::Service(body) => ShapeKind::Service(self.service(body)),
            Body::Resource(body) => ShapeKind::Resource(self.resource(body)),
            Body::Operation(operation) => ShapeKind::Operation(OperationShape {
                input: operation.input.as_ref().and_then(|r| self.resolve(r)).unwrap_or_else(prelude::unit),
                output: operation.output.as_ref().and_then(|r| self.resolve(r)).unwrap_or_else(prelude::unit),
                errors: operation.errors.iter().filter_map(|r| self.resolve(r)).collect(),
            }),
        };
        self.fragment.spans.insert(id.clone(), shape.span);
        Some(Shape { id, kind, traits, mixins })
    }

    /// A structure or union member, or a list or map member that is written out.
    fn member(&mut self, shape: &'a ast::Shape, parent: &ShapeId, member: &ast::Member) -> Option<Member> {
        self.about(parent.with_member(&member.name), |this| this.member_about(shape, parent, member))
    }

    fn member_about(&mut self, shape: &'a ast::Shape, parent: &ShapeId, member: &ast::Member) -> Option<Member> {
        let target = match &member.target {
            Some(target) => self.resolve(target)?,
            // The parser has reported elision in a 1.0 file; a second error would be noise.
            None if self.file.version == Version::V1 => return None,
            None => self.elided_target(shape, parent, member)?,
        };
        if let Lookup::Found(inherited, from) = self.mixin_target(shape, &member.name)
            && inherited != target
        {
            let message = format!(
                "member `{}` targets `{target}`, which conflicts with the member it inherits from `{from}`, which targets `{inherited}`",
                member.name
            );
            self.error_help(
                member.span,
                message,
                "a member redeclared from a mixin must keep the mixin member's target",
            );
        }
        let mut traits = self.traits(&member.traits);
        if let Some(value) = &member.value {
            let node = self.node(value, Scope::Shapes);
            self.add_trait(&mut traits, prelude::id("default"), node, value.span);
        }
        let id = parent.with_member(&member.name);
        self.fragment.spans.insert(id, member.span);
        Some(Member { name: member.name.clone(), target, traits })
    }

    /// A list's `member` or a map's `key` or `value`: as written, or copied from a mixin.
    fn collection_member(
        &mut self,
        shape: &'a ast::Shape,
        parent: &ShapeId,
        written: Option<&ast::Member>,
        name: &str,
    ) -> Option<Member> {
        if let Some(member) = written {
            return self.member(shape, parent, member);
        }
        let kind = shape.body.type_name();
        if shape.mixins.is_empty() {
            self.error(shape.span, format!("the {kind} needs a `{name}` member"));
            return None;
        }
        match self.mixin_target(shape, name) {
            // The resolve pass adds the mixin member's traits; only the target is needed here.
            Lookup::Found(target, _) => Some(Member { name: name.to_owned(), target, traits: Traits::new() }),
            // The mixin is defined elsewhere: the resolve pass sets the target.
            Lookup::Elsewhere(_) => {
                self.fragment.inherited.insert(parent.with_member(name));
                Some(Member { name: name.to_owned(), target: Fragment::placeholder_target(), traits: Traits::new() })
            }
            Lookup::Missing => {
                self.error(shape.span, format!("the {kind} needs a `{name}` member, and none of its mixins has one"));
                None
            }
        }
    }

    fn enum_member(&mut self, shape: &'a ast::Shape, parent: &ShapeId, member: &ast::Member, int: bool) -> Member {
        self.about(parent.with_member(&member.name), |this| this.enum_member_about(shape, parent, member, int))
    }

    fn enum_member_about(
        &mut self,
        shape: &'a ast::Shape,
        parent: &ShapeId,
        member: &ast::Member,
        int: bool,
    ) -> Member {
        let mut traits = self.traits(&member.traits);
        let enum_value = prelude::id("enumValue");
        match &member.value {
            Some(value) => {
                if let Some(node) = self.enum_value(value, int) {
                    self.add_trait(&mut traits, enum_value, node, value.span);
                }
            }
            // A member redeclared from a mixin keeps the mixin's value.
            None if traits.contains_key(&enum_value) || self.may_inherit(shape, &member.name) => {}
            None if int => {
                let message = format!("intEnum member `{}` needs a value", member.name);
                self.error_help(member.span, message, format!("write `{} = 1`", member.name));
            }
            None => {
                traits.insert(enum_value, Node::String(member.name.clone()));
            }
        }
        self.fragment.spans.insert(parent.with_member(&member.name), member.span);
        Member { name: member.name.clone(), target: prelude::unit(), traits }
    }

    /// The `@enumValue` of `NAME = value`: a non-empty string for enums, a 32-bit integer for
    /// intEnums.
    fn enum_value(&mut self, value: &Value, int: bool) -> Option<Node> {
        let shown = || match &value.kind {
            ValueKind::Number(n) => n.to_string(),
            ValueKind::String(s) => format!("{s:?}"),
            ValueKind::ShapeId(s) => s.clone(),
            ValueKind::Bool(b) => b.to_string(),
            ValueKind::Null => "null".to_owned(),
            ValueKind::Array(_) => "an array".to_owned(),
            ValueKind::Object(_) => "an object".to_owned(),
        };
        match (&value.kind, int) {
            (ValueKind::String(s), false) if !s.is_empty() => Some(Node::String(s.clone())),
            (ValueKind::String(_), false) => {
                self.error(value.span, "enum values must not be empty");
                None
            }
            (_, false) => {
                self.error_help(
                    value.span,
                    format!("enum values must be strings, found {}", shown()),
                    "quote the value",
                );
                None
            }
            (ValueKind::Number(n), true) => match n.as_i64() {
                Some(i) if i32::try_from(i).is_ok() => Some(Node::Number(n.clone())),
                Some(_) => {
                    self.error(value.span, format!("intEnum values must fit in a 32-bit integer, found {n}"));
                    None
                }
                None if n.is_u64() => {
                    self.error(value.span, format!("intEnum values must fit in a 32-bit integer, found {n}"));
                    None
                }
                None => {
                    self.error(value.span, format!("intEnum values must be integers, found {n}"));
                    None
                }
            },
            (_, true) => {
                self.error(value.span, format!("intEnum values must be integers, found {}", shown()));
                None
            }
        }
    }

    // ----- Services, resources -----

    fn service(&mut self, body: &Value) -> ServiceShape {
        let mut service = ServiceShape::default();
        for entry in object_entries(body) {
            let value = &entry.value;
            match entry.key.as_str() {
                "version" => match &value.kind {
                    ValueKind::String(v) => service.version = Some(v.clone()),
                    _ => self.error(value.span, "the service `version` must be a string"),
                },
                "operations" => service.operations = self.id_list(value),
                "resources" => service.resources = self.id_list(value),
                "errors" => service.errors = self.id_list(value),
                "rename" => service.rename = self.rename(value),
                other => {
                    let message = format!("unknown service property `{other}`");
                    self.error_help(
                        entry.key_span,
                        message,
                        "a service has `version`, `operations`, `resources`, `errors` and `rename`",
                    );
                }
            }
        }
        service
    }

    fn rename(&mut self, value: &Value) -> BTreeMap<ShapeId, String> {
        let mut rename = BTreeMap::new();
        let ValueKind::Object(entries) = &value.kind else {
            self.error(value.span, "`rename` must be an object of absolute shape ids to new names");
            return rename;
        };
        for entry in entries {
            let from = match ShapeId::parse(&entry.key) {
                Ok(id) => id,
                Err(e) => {
                    self.error_help(
                        entry.key_span,
                        e.to_string(),
                        "`rename` keys are absolute shape ids such as \"a.b#C\"",
                    );
                    continue;
                }
            };
            match &entry.value.kind {
                ValueKind::String(to) => {
                    rename.insert(from, to.clone());
                }
                _ => self.error_help(
                    entry.value.span,
                    "a new name in `rename` must be a quoted string",
                    "quote the new name",
                ),
            }
        }
        rename
    }

    fn resource(&mut self, body: &Value) -> ResourceShape {
        let mut resource = ResourceShape::default();
        for entry in object_entries(body) {
            let value = &entry.value;
            match entry.key.as_str() {
                "identifiers" => resource.identifiers = self.id_map(value),
                "properties" => {
                    if self.file.version == Version::V1 {
                        let message = "resource properties need IDL version 2.0, but this file is version 1.0";
                        self.error_help(entry.key_span, message, "start the file with `$version: \"2\"`");
                    }
                    resource.properties = self.id_map(value);
                }
                "create" | "put" | "read" | "update" | "delete" | "list" => {
                    if let Some(id) = self.id_value(value) {
                        resource.lifecycle.insert(entry.key.clone(), id);
                    }
                }
                "operations" => resource.operations = self.id_list(value),
                "collectionOperations" => resource.collection_operations = self.id_list(value),
                "resources" => resource.resources = self.id_list(value),
                other => {
                    let message = format!("unknown resource property `{other}`");
                    let help = "a resource has `identifiers`, `properties`, `create`, `put`, `read`, `update`, `delete`, `list`, `operations`, `collectionOperations` and `resources`";
                    self.error_help(entry.key_span, message, help);
                }
            }
        }
        resource
    }

    /// A shape id written as a node value: unquoted, or quoted (Smithy resolves both).
    fn id_value(&mut self, value: &Value) -> Option<ShapeId> {
        match &value.kind {
            ValueKind::ShapeId(text) | ValueKind::String(text) => match self.resolve_text(text, Scope::Shapes) {
                Ok(id) => Some(id),
                Err(message) => {
                    self.error(value.span, message);
                    None
                }
            },
            _ => {
                self.error(value.span, "expected a shape id");
                None
            }
        }
    }

    fn id_list(&mut self, value: &Value) -> Vec<ShapeId> {
        match &value.kind {
            ValueKind::Array(items) => items.iter().filter_map(|item| self.id_value(item)).collect(),
            _ => {
                self.error(value.span, "expected a list of shape ids, such as `[A, B]`");
                Vec::new()
            }
        }
    }

    fn id_map(&mut self, value: &Value) -> BTreeMap<String, ShapeId> {
        let mut map = BTreeMap::new();
        match &value.kind {
            ValueKind::Object(entries) => {
                for entry in entries {
                    if let Some(id) = self.id_value(&entry.value) {
                        map.insert(entry.key.clone(), id);
                    }
                }
            }
            _ => self.error(value.span, "expected an object of names to shape ids, such as `{ id: String }`"),
        }
        map
    }

    // ----- Mixins, resources and elided targets -----

    /// `for` must name a resource; checked when the resource is in this file.
    fn check_resource_binding(&mut self, shape: &'a ast::Shape) {
        if let Some(reference) = &shape.resource
            && let Ok(bound) = self.local_shape(reference)
            && !matches!(bound.body, Body::Resource(_))
        {
            let message = format!("`for` must name a resource, but `{}` is a {}", bound.name, bound.body.type_name());
            self.error(reference.span, message);
        }
    }

    /// Two mixins of this file that give the shape a member of the same name with different
    /// targets conflict.
    fn check_mixin_conflicts(&mut self, shape: &'a ast::Shape) {
        if shape.mixins.len() < 2 {
            return;
        }
        let mut seen: BTreeMap<String, (ShapeId, String)> = BTreeMap::new();
        let mut conflicts = Vec::new();
        for reference in &shape.mixins {
            let Ok(mixin) = self.local_shape(reference) else { continue };
            for entry in &self.members_of(mixin, 0).entries {
                let Some(target) = &entry.target else { continue };
                match seen.get(&entry.name) {
                    Some((first, first_from)) if first != target => {
                        conflicts.push(format!(
                            "the mixins of `{}` conflict: `{first_from}` targets `{first}` but `{}` targets `{target}`",
                            shape.name, entry.from
                        ));
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(entry.name.clone(), (target.clone(), entry.from.clone()));
                    }
                }
            }
        }
        for message in conflicts {
            self.error(shape.span, message);
        }
    }

    /// The members a shape of this file has, its mixins' included, computed once per shape.
    /// Mixin chains deeper than [`MAX_MIXIN_DEPTH`] are cut off (and reported), which bounds the
    /// recursion; a cycle is cut where it closes (the resolve pass reports it).
    fn members_of(&self, shape: &'a ast::Shape, depth: usize) -> Rc<Inherited> {
        if let Some(done) = self.inherited.borrow().get(shape.name.as_str()) {
            return done.clone();
        }
        if depth > MAX_MIXIN_DEPTH {
            self.too_deep.set(Some(shape.span));
            return Rc::new(Inherited::default());
        }
        if !self.in_progress.borrow_mut().insert(&shape.name) {
            return Rc::new(Inherited::default());
        }
        let mut result = Inherited::default();
        let label = |name: &str| match self.namespace {
            Some(ns) => format!("{ns}#{}${name}", shape.name),
            None => format!("{}${name}", shape.name),
        };
        for member in shape.body.members() {
            let target = match (&shape.body, &member.target) {
                (Body::Enum(_) | Body::IntEnum(_), _) => Some(prelude::unit()),
                (_, Some(target)) => self.resolve_text(&target.text, Scope::Shapes).ok(),
                // An elided target comes from the bound resource, or else from a mixin below.
                (_, None) => match self.resource_target(shape, &member.name) {
                    Lookup::Found(id, _) => Some(id),
                    Lookup::Elsewhere(id) => {
                        result.elsewhere.get_or_insert(id);
                        None
                    }
                    Lookup::Missing => None,
                },
            };
            result.add(InheritedMember { name: member.name.clone(), target, from: label(&member.name) });
        }
        for reference in &shape.mixins {
            match self.local_shape(reference) {
                Ok(mixin) => {
                    let inherited = self.members_of(mixin, depth + 1);
                    if let Some(id) = &inherited.elsewhere {
                        result.elsewhere.get_or_insert_with(|| id.clone());
                    }
                    for entry in &inherited.entries {
                        result.add(entry.clone());
                    }
                }
                Err(Some(id)) => {
                    result.elsewhere.get_or_insert(id);
                }
                Err(None) => {}
            }
        }
        self.in_progress.borrow_mut().remove(shape.name.as_str());
        let result = Rc::new(result);
        self.inherited.borrow_mut().insert(&shape.name, result.clone());
        result
    }

    /// `true` unless the shape certainly does not inherit a member of this name.
    fn may_inherit(&self, shape: &'a ast::Shape, name: &str) -> bool {
        !matches!(self.mixin_target(shape, name), Lookup::Missing)
    }

    /// The target of member `name` as the shape's mixins provide it.
    fn mixin_target(&self, shape: &'a ast::Shape, name: &str) -> Lookup {
        let mut elsewhere = None;
        for reference in &shape.mixins {
            match self.local_shape(reference) {
                Ok(mixin) => {
                    let inherited = self.members_of(mixin, 0);
                    match inherited.get(name) {
                        Some(InheritedMember { target: Some(target), from, .. }) => {
                            return Lookup::Found(target.clone(), from.clone());
                        }
                        _ => elsewhere = elsewhere.or_else(|| inherited.elsewhere.clone()),
                    }
                }
                Err(id) => elsewhere = elsewhere.or(id),
            }
        }
        elsewhere.map_or(Lookup::Missing, Lookup::Elsewhere)
    }

    /// The target of identifier or property `name` of the resource the shape is bound to.
    fn resource_target(&self, shape: &'a ast::Shape, name: &str) -> Lookup {
        let Some(reference) = &shape.resource else { return Lookup::Missing };
        let resource = match self.local_shape(reference) {
            Ok(resource) => resource,
            Err(id) => return id.map_or(Lookup::Missing, Lookup::Elsewhere),
        };
        let Body::Resource(body) = &resource.body else { return Lookup::Missing };
        for group in ["identifiers", "properties"] {
            let found = object_entries(body).iter().find(|e| e.key == group).and_then(|e| match &e.value.kind {
                ValueKind::Object(entries) => entries.iter().find(|e| e.key == name),
                _ => None,
            });
            if let Some(entry) = found {
                if let ValueKind::ShapeId(text) | ValueKind::String(text) = &entry.value.kind
                    && let Ok(id) = self.resolve_text(text, Scope::Shapes)
                {
                    let from = format!("the `{name}` {} of resource `{}`", &group[..group.len() - 1], resource.name);
                    return Lookup::Found(id, from);
                }
                return Lookup::Missing;
            }
        }
        Lookup::Missing
    }

    /// The target of `$name`: the bound resource's identifier or property of that name, else
    /// the mixin member of that name. When the mixin is defined elsewhere (and no bound
    /// resource is), the member gets a placeholder target that the resolve pass fills in.
    fn elided_target(&mut self, shape: &'a ast::Shape, parent: &ShapeId, member: &ast::Member) -> Option<ShapeId> {
        let name = &member.name;
        let from_resource = self.resource_target(shape, name);
        let lookup = match from_resource {
            Lookup::Found(..) => from_resource,
            _ => match self.mixin_target(shape, name) {
                Lookup::Missing => from_resource,
                Lookup::Elsewhere(_) if matches!(from_resource, Lookup::Missing) => {
                    self.fragment.inherited.insert(parent.with_member(name));
                    return Some(Fragment::placeholder_target());
                }
                // The bound resource is elsewhere, and it would take precedence.
                Lookup::Elsewhere(_) => from_resource,
                found => found,
            },
        };
        match lookup {
            Lookup::Found(target, _) => Some(target),
            Lookup::Elsewhere(id) => {
                let message = format!(
                    "cannot find the target of elided member `${name}`: it would come from `{id}`, which is not defined in this file"
                );
                self.error_help(member.span, message, format!("the IDL loader resolves `$` members only against resources in the same file; write `{name}: Target`"));
                None
            }
            Lookup::Missing => {
                let message = format!(
                    "member `${name}` has an elided target, but no bound resource or mixin has an identifier, property or member named `{name}`"
                );
                self.error(member.span, message);
                None
            }
        }
    }
}

/// The entries of a service or resource body (always an object: the parser only starts one at
/// `{`).
fn object_entries(body: &Value) -> &[ast::Entry] {
    match &body.kind {
        ValueKind::Object(entries) => entries,
        _ => &[],
    }
}

//! Writes a [`Model`] as Smithy IDL 2.0 text (`cargo xtask model to-smithy`).
//!
//! Consumes a loaded (resolved) [`Model`]; produces IDL text that the IDL loader
//! ([`crate::model::load::idl`]) loads back to the same model: load, write, load is an identity, with
//! the two exceptions listed at the end. The text is stable: shapes sorted by name, traits by
//! id, members, list entries and object keys in model order, one fixed layout.
//!
//! - **One file per namespace.** An IDL file has one `namespace`, so [`to_smithy_files`]
//!   writes one file per namespace of the model (sorted), the metadata in the first only (the
//!   loader would merge a second copy into lists twice). [`to_smithy`] is for the common case
//!   of a single namespace and fails, saying so, for a model that spans several.
//! - **What is left out.** The prelude's shapes (they come with every model) and `apply`
//!   statements (the model holds every trait where it applies).
//! - **Names.** A reference is written relative when the loader resolves that name back to the
//!   same shape (checked by doing what the loader does: `use`d names, then this file's shapes,
//!   then the prelude, then this namespace), else absolute. Each name of another namespace that
//!   is unambiguous gets a `use` statement. `true`, `false` and `null` are always absolute.
//! - **Traits.** `smithy.api#documentation` becomes `///` lines when its text can be (no
//!   carriage returns or control characters); every other trait is `@name(value)`, an object as
//!   `key: value` pairs, `{}` as a bare `@name` when the loader reads a bare name as `{}`.
//!   Strings are always quoted and escaped; text blocks are not used.
//! - **Sugar.** A structure member's `@default` is written `= value`; an enum member's
//!   `@enumValue` is written `= value` only when it differs from the value the loader gives a
//!   member written without one (the name, or the value of the mixin member it redeclares), and
//!   as `@enumValue(...)` when it is not a value `=` accepts.
//! - **Mixins.** A shape keeps `with [...]` and is written with every member, trait and
//!   property the loaded model holds, mixed-in ones included, exactly as the JSON AST writer
//!   does ([`crate::model::json_ast`] explains why reloading changes nothing: redeclared members keep
//!   their mixin place and target, own traits override the inherited copies of themselves,
//!   inherited list entries come first and repeats are dropped).
//! - **Sets.** IDL 2.0 has no `set`. A namespace with sets is written as an IDL 1.0 file
//!   (defaults as `@default(...)`) when it uses nothing that needs 2.0 (enums, mixins,
//!   resource properties); otherwise its sets are written as lists with `@uniqueItems`, what
//!   Smithy 2.0 makes of them, and the reloaded model has lists there.
//! - **Depth.** The IDL loader refuses node values nested more than 64 levels deep (Smithy's
//!   limit); the JSON AST loader takes up to 128, and such a value is written as it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Map;

use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::prelude::{self, AnnotationValue};
use crate::model::shape_id::{ShapeId, is_identifier};
use crate::model::{Member, Model, Node, ResourceShape, ServiceShape, Shape, ShapeKind, Traits};

/// One level of indentation.
const INDENT: &str = "    ";
/// Values and lists longer than this (counted from the start of the line) are split over lines.
const WIDTH: usize = 100;
/// Names that, unquoted in a node value, are keywords rather than shape ids.
const KEYWORDS: [&str; 3] = ["true", "false", "null"];

/// The model as one IDL file, or an error naming the namespaces when it spans several (an IDL
/// file has one namespace; see [`to_smithy_files`]).
pub fn to_smithy(model: &Model) -> Result<String, Diagnostics> {
    let files = to_smithy_files(model);
    match files.as_slice() {
        [(_, text)] => Ok(text.clone()),
        _ => {
            let names: Vec<String> = files.iter().map(|(ns, _)| format!("`{ns}`")).collect();
            Err(Diagnostic::error(format!(
                "the model has shapes in {} namespaces ({}), and a Smithy IDL file holds one namespace",
                files.len(),
                names.join(", ")
            ))
            .with_help(
                "write one file per namespace (`to_smithy_files`, or `cargo xtask model to-smithy --out-dir DIR`)",
            )
            .into())
        }
    }
}

/// The model as IDL files, one per namespace, sorted by namespace: `(namespace, text)`. The
/// metadata goes in the first file. A model with no shapes of its own gives one file, with
/// the namespace `""`, holding the metadata. Loading all the files together gives the model
/// back.
pub fn to_smithy_files(model: &Model) -> Vec<(String, String)> {
    let builtin = prelude::shapes();
    let mut namespaces: BTreeMap<&str, Vec<&Shape>> = BTreeMap::new();
    for (id, shape) in &model.shapes {
        if !builtin.contains_key(id) {
            namespaces.entry(id.namespace()).or_default().push(shape);
        }
    }
    if namespaces.is_empty() {
        return vec![(String::new(), FileWriter::new(model, "", Vec::new()).write(Some(&model.metadata)))];
    }
    namespaces
        .into_iter()
        .enumerate()
        .map(|(i, (namespace, shapes))| {
            let text = FileWriter::new(model, namespace, shapes).write((i == 0).then_some(&model.metadata));
            (namespace.to_owned(), text)
        })
        .collect()
}

/// How the members of a shape are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MemberStyle {
    /// `name: Target`, with `= default` (structure members in an IDL 2.0 file).
    WithDefault,
    /// `name: Target`, the default as a trait.
    Plain,
    /// `NAME` or `NAME = value`.
    Enum { int: bool },
}

/// Writes the file of one namespace.
struct FileWriter<'a> {
    model: &'a Model,
    namespace: &'a str,
    /// The namespace's shapes, sorted by name.
    shapes: Vec<&'a Shape>,
    /// Their names.
    local: BTreeSet<&'a str>,
    /// `use` statements: name to shape.
    uses: BTreeMap<&'a str, ShapeId>,
    /// Written as IDL 1.0 (see the module docs on sets).
    v1: bool,
    out: String,
}

impl<'a> FileWriter<'a> {
    fn new(model: &'a Model, namespace: &'a str, shapes: Vec<&'a Shape>) -> Self {
        let local: BTreeSet<&str> = shapes.iter().map(|s| s.id.name()).collect();

        // Every other namespace's name that only one referenced shape has is `use`d, unless
        // the name is taken here or by the prelude.
        let mut foreign: BTreeMap<&str, BTreeSet<ShapeId>> = BTreeMap::new();
        for shape in &shapes {
            for id in references(shape) {
                if id.namespace() != namespace && !id.is_prelude() {
                    foreign.entry(id.name()).or_default().insert(id.root());
                }
            }
        }
        let uses = foreign
            .into_iter()
            .filter(|(name, _)| !local.contains(name) && !prelude::contains(name) && !KEYWORDS.contains(name))
            .filter_map(|(name, ids)| match ids.len() {
                1 => ids.into_iter().next().map(|id| (name, id)),
                _ => None,
            })
            .collect();

        let mixin = prelude::MIXIN;
        let has_sets = shapes.iter().any(|s| matches!(s.kind, ShapeKind::Set(_)));
        let needs_v2 = shapes.iter().any(|s| {
            matches!(s.kind, ShapeKind::Enum(_) | ShapeKind::IntEnum(_))
                || !s.mixins.is_empty()
                || s.traits.contains_key(&mixin)
                || s.kind.members().iter().any(|m| m.traits.contains_key(&mixin))
                || matches!(&s.kind, ShapeKind::Resource(r) if !r.properties.is_empty())
        });
        FileWriter { model, namespace, shapes, local, uses, v1: has_sets && !needs_v2, out: String::new() }
    }

    fn write(mut self, metadata: Option<&BTreeMap<String, Node>>) -> String {
        self.out.push_str(if self.v1 { "$version: \"1.0\"\n" } else { "$version: \"2.0\"\n" });
        if let Some(metadata) = metadata.filter(|m| !m.is_empty()) {
            self.out.push('\n');
            for (key, value) in metadata {
                let key = node_key(key);
                let column = "metadata ".len() + key.len() + 3;
                let value = node(value, 0, column);
                let _ = writeln!(self.out, "metadata {key} = {value}");
            }
        }
        if self.namespace.is_empty() {
            return self.out;
        }
        let _ = write!(self.out, "\nnamespace {}\n", self.namespace);
        if !self.uses.is_empty() {
            self.out.push('\n');
            let sorted: BTreeSet<&ShapeId> = self.uses.values().collect();
            for id in sorted {
                let _ = writeln!(self.out, "use {id}");
            }
        }
        let shapes = std::mem::take(&mut self.shapes);
        for shape in shapes {
            self.out.push('\n');
            self.shape(shape);
        }
        self.out
    }

    // ----- Names -----

    /// What the loader makes of a relative name in this file.
    fn resolve_name(&self, name: &str) -> ShapeId {
        if let Some(id) = self.uses.get(name) {
            return id.clone();
        }
        if !self.local.contains(name) && prelude::contains(name) {
            return prelude::id(name);
        }
        ShapeId::new(self.namespace, name)
    }

    /// A reference: relative when that names the same shape here, else absolute.
    fn reference(&self, id: &ShapeId) -> String {
        let root = id.root();
        let mut text = if !KEYWORDS.contains(&id.name()) && self.resolve_name(id.name()) == root {
            id.name().to_owned()
        } else {
            root.to_string()
        };
        if let Some(member) = id.member() {
            text.push('$');
            text.push_str(member);
        }
        text
    }

    /// `[A, B]`, over several lines when long.
    fn reference_list(&self, ids: &[ShapeId], indent: usize, column: usize) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.reference(id)).collect();
        let compact = format!("[{}]", names.join(", "));
        if column + compact.len() <= WIDTH {
            return compact;
        }
        let mut text = String::from("[\n");
        for name in names {
            let _ = writeln!(text, "{}{name}", pad(indent + 1));
        }
        text.push_str(&pad(indent));
        text.push(']');
        text
    }

    /// `{name: Target, ...}`, over several lines when long.
    fn reference_map(&self, map: &BTreeMap<String, ShapeId>, indent: usize, column: usize) -> String {
        let entries: Vec<String> =
            map.iter().map(|(name, id)| format!("{}: {}", node_key(name), self.reference(id))).collect();
        let compact = format!("{{{}}}", entries.join(", "));
        if column + compact.len() <= WIDTH {
            return compact;
        }
        let mut text = String::from("{\n");
        for entry in entries {
            let _ = writeln!(text, "{}{entry}", pad(indent + 1));
        }
        text.push_str(&pad(indent));
        text.push('}');
        text
    }

    // ----- Traits -----

    /// The traits of a shape or member, one a line, the documentation first as `///` lines;
    /// `skip` is written some other way.
    fn traits(&mut self, traits: &Traits, indent: usize, skip: Option<&ShapeId>) {
        let documentation = prelude::id("documentation");
        let mut doc_written = false;
        if let Some(Node::String(doc)) = traits.get(&documentation)
            && doc_comment_can_hold(doc)
        {
            for line in doc.split('\n') {
                self.out.push_str(&pad(indent));
                self.out.push_str("///");
                if !line.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(line);
                }
                self.out.push('\n');
            }
            doc_written = true;
        }
        for (id, value) in traits {
            if Some(id) == skip || (doc_written && *id == documentation) {
                continue;
            }
            let name = self.reference(id);
            let column = indent * INDENT.len() + 1 + name.len();
            let value = self.trait_value(id, value, indent, column);
            let _ = writeln!(self.out, "{}@{name}{value}", pad(indent));
        }
    }

    /// What follows `@name`: nothing, or the value in parentheses.
    fn trait_value(&self, id: &ShapeId, value: &Node, indent: usize, column: usize) -> String {
        match value {
            Node::Object(map) if map.is_empty() => {
                if self.bare_trait_is_empty_object(id) {
                    String::new()
                } else {
                    "({})".to_owned()
                }
            }
            Node::Object(map) => {
                let compact = format!("({})", entries_compact(map));
                if column + compact.len() <= WIDTH {
                    return compact;
                }
                let mut text = String::from("(\n");
                push_entries(&mut text, map, indent + 1);
                text.push_str(&pad(indent));
                text.push(')');
                text
            }
            other => format!("({})", node(other, indent, column + 1)),
        }
    }

    /// `true` when the loader reads `@name` alone as `{}` for this trait: prelude traits
    /// whose value is a structure (or that it does not know), traits of other namespaces, and
    /// traits of this namespace that are structures or maps or not defined here.
    fn bare_trait_is_empty_object(&self, id: &ShapeId) -> bool {
        if id.is_prelude() {
            return matches!(prelude::annotation_value(id.name()), Some(AnnotationValue::EmptyObject) | None);
        }
        if id.namespace() != self.namespace {
            return true;
        }
        match self.model.shapes.get(id).map(|s| &s.kind) {
            None | Some(ShapeKind::Structure(_) | ShapeKind::Map { .. }) => true,
            Some(_) => false,
        }
    }

    // ----- Shapes -----

    fn shape(&mut self, shape: &Shape) {
        let name = shape.id.name();
        let set_as_list = matches!(shape.kind, ShapeKind::Set(_)) && !self.v1;
        if set_as_list {
            let mut traits = shape.traits.clone();
            traits.entry(prelude::id("uniqueItems")).or_insert_with(|| Node::Object(Map::new()));
            self.traits(&traits, 0, None);
        } else {
            self.traits(&shape.traits, 0, None);
        }
        let keyword = if set_as_list { "list" } else { shape.kind.type_name() };
        let mut header = format!("{keyword} {name}");
        if !shape.mixins.is_empty() {
            let list = self.reference_list(&shape.mixins, 0, header.len() + " with ".len() + 2);
            header.push_str(" with ");
            header.push_str(&list);
        }
        self.out.push_str(&header);
        match &shape.kind {
            ShapeKind::Simple(_) => self.out.push('\n'),
            ShapeKind::Enum(members) => self.members(shape, members.iter(), MemberStyle::Enum { int: false }),
            ShapeKind::IntEnum(members) => self.members(shape, members.iter(), MemberStyle::Enum { int: true }),
            ShapeKind::List(member) | ShapeKind::Set(member) => {
                self.members(shape, std::iter::once(member), MemberStyle::Plain);
            }
            ShapeKind::Map { key, value } => self.members(shape, [key, value].into_iter(), MemberStyle::Plain),
            ShapeKind::Structure(members) => {
                let style = if self.v1 { MemberStyle::Plain } else { MemberStyle::WithDefault };
                self.members(shape, members.iter(), style);
            }
            ShapeKind::Union(members) => self.members(shape, members.iter(), MemberStyle::Plain),
            ShapeKind::Operation(operation) => {
                let mut lines = Vec::new();
                if operation.input != prelude::unit() {
                    lines.push(format!("input: {}", self.reference(&operation.input)));
                }
                if operation.output != prelude::unit() {
                    lines.push(format!("output: {}", self.reference(&operation.output)));
                }
                if !operation.errors.is_empty() {
                    let column = INDENT.len() + "errors: ".len();
                    lines.push(format!("errors: {}", self.reference_list(&operation.errors, 1, column)));
                }
                self.body(lines);
            }
            ShapeKind::Service(service) => {
                let lines = self.service(service);
                self.body(lines);
            }
            ShapeKind::Resource(resource) => {
                let lines = self.resource(resource);
                self.body(lines);
            }
        }
    }

    /// ` {}` or ` {` and the lines of a shape body, indented, then `}`.
    fn body(&mut self, lines: Vec<String>) {
        if lines.is_empty() {
            self.out.push_str(" {}\n");
            return;
        }
        self.out.push_str(" {\n");
        for line in lines {
            let _ = writeln!(self.out, "{INDENT}{line}");
        }
        self.out.push_str("}\n");
    }

    fn service(&self, service: &ServiceShape) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(version) = &service.version {
            lines.push(format!("version: {}", quote(version)));
        }
        for (key, ids) in
            [("operations", &service.operations), ("resources", &service.resources), ("errors", &service.errors)]
        {
            if !ids.is_empty() {
                let column = INDENT.len() + key.len() + 2;
                lines.push(format!("{key}: {}", self.reference_list(ids, 1, column)));
            }
        }
        if !service.rename.is_empty() {
            let map: Map<String, Node> =
                service.rename.iter().map(|(id, name)| (id.to_string(), Node::String(name.clone()))).collect();
            lines.push(format!("rename: {}", node(&Node::Object(map), 1, INDENT.len() + "rename: ".len())));
        }
        lines
    }

    fn resource(&self, resource: &ResourceShape) -> Vec<String> {
        let mut lines = Vec::new();
        for (key, map) in [("identifiers", &resource.identifiers), ("properties", &resource.properties)] {
            if !map.is_empty() {
                let column = INDENT.len() + key.len() + 2;
                lines.push(format!("{key}: {}", self.reference_map(map, 1, column)));
            }
        }
        const LIFECYCLE: [&str; 6] = ["create", "put", "read", "update", "delete", "list"];
        for name in LIFECYCLE {
            if let Some(id) = resource.lifecycle.get(name) {
                lines.push(format!("{name}: {}", self.reference(id)));
            }
        }
        for (name, id) in resource.lifecycle.iter().filter(|(name, _)| !LIFECYCLE.contains(&name.as_str())) {
            lines.push(format!("{}: {}", node_key(name), self.reference(id)));
        }
        for (key, ids) in [
            ("operations", &resource.operations),
            ("collectionOperations", &resource.collection_operations),
            ("resources", &resource.resources),
        ] {
            if !ids.is_empty() {
                let column = INDENT.len() + key.len() + 2;
                lines.push(format!("{key}: {}", self.reference_list(ids, 1, column)));
            }
        }
        lines
    }

    /// ` {`, the members, `}`. Members are separated by blank lines when any of them has
    /// traits or documentation.
    fn members<'m>(&mut self, shape: &Shape, members: impl Iterator<Item = &'m Member>, style: MemberStyle) {
        let outer = std::mem::take(&mut self.out);
        let mut written = Vec::new();
        for member in members {
            self.member(shape, member, style);
            written.push(std::mem::take(&mut self.out));
        }
        self.out = outer;
        if written.is_empty() {
            self.out.push_str(" {}\n");
            return;
        }
        let spaced = written.iter().any(|text| text.lines().count() > 1);
        self.out.push_str(" {\n");
        for (i, text) in written.iter().enumerate() {
            if spaced && i > 0 {
                self.out.push('\n');
            }
            self.out.push_str(text);
        }
        self.out.push_str("}\n");
    }

    fn member(&mut self, shape: &Shape, member: &Member, style: MemberStyle) {
        let (skip, line) = match style {
            MemberStyle::Enum { int } => {
                let enum_value = prelude::id("enumValue");
                match member.traits.get(&enum_value) {
                    None => (None, member.name.clone()),
                    Some(value) if Some(value) == self.implicit_enum_value(shape, member, int).as_ref() => {
                        (Some(enum_value), member.name.clone())
                    }
                    Some(value) if enum_value_fits(value, int) => {
                        let column = INDENT.len() + member.name.len() + 3;
                        (Some(enum_value), format!("{} = {}", member.name, node(value, 1, column)))
                    }
                    Some(_) => (None, member.name.clone()),
                }
            }
            MemberStyle::WithDefault | MemberStyle::Plain => {
                let line = format!("{}: {}", member.name, self.reference(&member.target));
                let default = prelude::id("default");
                match member.traits.get(&default) {
                    Some(value) if style == MemberStyle::WithDefault => {
                        let value = node(value, 1, INDENT.len() + line.len() + 3);
                        (Some(default), format!("{line} = {value}"))
                    }
                    _ => (None, line),
                }
            }
        };
        self.traits(&member.traits, 1, skip.as_ref());
        let _ = writeln!(self.out, "{INDENT}{line}");
    }

    /// The `@enumValue` the loader gives an enum member written without one: the value of the
    /// member it redeclares from a mixin (the last mixin having it), else, for an enum, its
    /// name.
    fn implicit_enum_value(&self, shape: &Shape, member: &Member, int: bool) -> Option<Node> {
        let enum_value = prelude::id("enumValue");
        let inherited = shape
            .mixins
            .iter()
            .filter_map(|id| self.model.shapes.get(id))
            .filter_map(|mixin| mixin.member(&member.name))
            .filter_map(|m| m.traits.get(&enum_value))
            .next_back()
            .cloned();
        match inherited {
            Some(value) => Some(value),
            None if int => None,
            None => Some(Node::String(member.name.clone())),
        }
    }
}

/// Every shape a shape refers to by id (targets, mixins, bindings, trait ids).
fn references(shape: &Shape) -> Vec<&ShapeId> {
    let mut refs: Vec<&ShapeId> = shape.traits.keys().chain(&shape.mixins).collect();
    for member in shape.kind.members() {
        refs.push(&member.target);
        refs.extend(member.traits.keys());
    }
    match &shape.kind {
        ShapeKind::Operation(o) => {
            refs.push(&o.input);
            refs.push(&o.output);
            refs.extend(&o.errors);
        }
        ShapeKind::Service(s) => refs.extend(s.operations.iter().chain(&s.resources).chain(&s.errors)),
        ShapeKind::Resource(r) => {
            refs.extend(r.identifiers.values().chain(r.properties.values()).chain(r.lifecycle.values()));
            refs.extend(r.operations.iter().chain(&r.collection_operations).chain(&r.resources));
        }
        _ => {}
    }
    refs
}

/// `true` when `= value` gives this `@enumValue`: a non-empty string for an enum, a 32-bit
/// integer for an intEnum.
fn enum_value_fits(value: &Node, int: bool) -> bool {
    match value {
        Node::String(s) => !int && !s.is_empty(),
        Node::Number(n) => int && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        _ => false,
    }
}

/// `true` when `///` lines give back exactly this text: every line break is `\n` and there is
/// no other control character but tabs.
fn doc_comment_can_hold(doc: &str) -> bool {
    doc.chars().all(|c| c == '\n' || c == '\t' || !c.is_control())
}

fn pad(indent: usize) -> String {
    INDENT.repeat(indent)
}

/// A node value; arrays and objects that do not fit in [`WIDTH`] from `column` are written
/// one entry a line at `indent + 1`.
fn node(value: &Node, indent: usize, column: usize) -> String {
    let compact = compact(value);
    if column + compact.len() <= WIDTH {
        return compact;
    }
    match value {
        Node::Array(items) if !items.is_empty() => {
            let mut text = String::from("[\n");
            let inner = pad(indent + 1);
            for item in items {
                let _ = writeln!(text, "{inner}{}", node(item, indent + 1, inner.len()));
            }
            text.push_str(&pad(indent));
            text.push(']');
            text
        }
        Node::Object(map) if !map.is_empty() => {
            let mut text = String::from("{\n");
            push_entries(&mut text, map, indent + 1);
            text.push_str(&pad(indent));
            text.push('}');
            text
        }
        _ => compact,
    }
}

/// `key: value` lines at `indent`.
fn push_entries(text: &mut String, map: &Map<String, Node>, indent: usize) {
    let inner = pad(indent);
    for (key, value) in map {
        let key = node_key(key);
        let value = node(value, indent, inner.len() + key.len() + 2);
        let _ = writeln!(text, "{inner}{key}: {value}");
    }
}

/// A node value on one line.
fn compact(value: &Node) -> String {
    match value {
        Node::Null => "null".to_owned(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.to_string(),
        Node::String(s) => quote(s),
        Node::Array(items) => format!("[{}]", items.iter().map(compact).collect::<Vec<_>>().join(", ")),
        Node::Object(map) => format!("{{{}}}", entries_compact(map)),
    }
}

/// `k: v, k2: v2`
fn entries_compact(map: &Map<String, Node>) -> String {
    map.iter().map(|(k, v)| format!("{}: {}", node_key(k), compact(v))).collect::<Vec<_>>().join(", ")
}

/// An object key: bare when it is an identifier, else quoted.
fn node_key(key: &str) -> String {
    if is_identifier(key) { key.to_owned() } else { quote(key) }
}

/// A quoted string with `"`, `\` and control characters escaped.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Control characters are all in the basic multilingual plane.
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::Sources;

    fn load(files: &[(&str, &str)]) -> Model {
        let mut sources = Sources::new();
        for (name, text) in files {
            sources.add(*name, *text);
        }
        crate::load(&sources).unwrap_or_else(|e| panic!("{}", e.render(&sources)))
    }

    /// Writes the model, loads the files back, checks the model is the same and returns the
    /// text of the first file.
    fn round_trip(model: &Model) -> String {
        let files = to_smithy_files(model);
        let named: Vec<(String, &str)> = files.iter().map(|(ns, t)| (format!("{ns}.smithy"), t.as_str())).collect();
        let borrowed: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        let again = load(&borrowed);
        assert_eq!(*model, again, "{files:#?}");
        assert_eq!(to_smithy_files(&again), files, "the text is a fixed point");
        files.into_iter().next().map(|(_, t)| t).unwrap_or_default()
    }

    #[test]
    fn quotes_and_escapes_strings() {
        assert_eq!(quote("a\"b\\c\nd\r\te\u{1}é\u{7f}"), r#""a\"b\\c\nd\r\te\u0001é\u007F""#);
        assert_eq!(node_key("ok_1"), "ok_1");
        assert_eq!(node_key("not ok"), "\"not ok\"");
        assert_eq!(node_key("1a"), "\"1a\"");
    }

    #[test]
    fn writes_sugar_and_names_that_load_back() {
        let model = load(&[
            (
                "a.smithy",
                r#"$version: "2.0"
metadata "a key" = {list: [1, -2.5, 1e300, true, null, "x\ny"], "q\"": {}}
namespace a.b

use other#Thing

/// Docs
///   indented
///
@tags(["t"])
structure String {
    @required
    @documentation("line\r\nbreak")
    text: smithy.api#String = "d"

    other: Thing
    own: String
    flag: other#required = {}
}

@trait
structure required {}

@trait
list listTrait { member: smithy.api#String }

@listTrait({})
@other#listTrait
@a.b#required
enum E {
    A
    B = "b"
}

intEnum I {
    ONE = 1
}

@mixin
structure Base {
    @documentation("x") base: Integer = 1
}

structure Child with [Base] { own: Integer }

union U { @default(1) a: Integer }

@error("client") structure Err {}
operation Op { input: Child, errors: [Err] }
service Svc { version: "1", operations: [Op], rename: { "other#Thing": "T" } }
"#,
            ),
            (
                "other.smithy",
                "$version: \"2.0\"\nnamespace other\nstring Thing\n@trait list listTrait { member: String }\n@trait structure required {}\n",
            ),
        ]);
        let text = round_trip(&model);
        for expected in [
            "namespace a.b\n\nuse other#Thing\n",
            "/// Docs\n///   indented\n///\n@tags([\"t\"])\nstructure String {",
            "@documentation(\"line\\r\\nbreak\")",
            "text: smithy.api#String = \"d\"",
            "own: String\n",
            "flag: other#required = {}\n",
            "@listTrait({})\n@required\n@other#listTrait\nenum E {",
            "    A\n    B = \"b\"\n",
            "    ONE = 1\n",
            "structure Child with [Base] {",
            "@default(1)\n    a: Integer\n",
            "rename: {\"other#Thing\": \"T\"}",
            "metadata \"a key\" = {list: [1, -2.5, 1e+300, true, null, \"x\\ny\"], \"q\\\"\": {}}",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(to_smithy(&model).is_err_and(|e| e.to_string().contains("2 namespaces (`a.b`, `other`)")));
    }

    #[test]
    fn sets_make_a_version_1_file_when_they_can() {
        let model = load(&[(
            "a.json",
            r#"{"smithy": "1.0", "shapes": {
                "a#S": {"type": "set", "member": {"target": "smithy.api#String"}},
                "a#T": {"type": "structure", "members": {"m": {"target": "a#S", "traits": {"smithy.api#default": []}}}}
            }}"#,
        )]);
        let text = round_trip(&model);
        assert!(text.starts_with("$version: \"1.0\"\n"), "{text}");
        assert!(text.contains("@default([])\n    m: S\n"), "{text}");

        // With an enum beside it, the file is 2.0 and the set a unique list.
        let model = load(&[(
            "a.json",
            r#"{"smithy": "2.0", "shapes": {
                "a#S": {"type": "set", "member": {"target": "smithy.api#String"}},
                "a#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}}
            }}"#,
        )]);
        let text = to_smithy(&model).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("@uniqueItems\nlist S {"), "{text}");
        let again = load(&[("a.smithy", &text)]);
        assert!(again.shapes[&ShapeId::new("a", "S")].has_trait(&ShapeId::prelude("uniqueItems")));
    }

    #[test]
    fn enum_values_are_written_when_they_differ_from_the_implicit_one() {
        let model = load(&[(
            "a.smithy",
            r#"$version: "2"
namespace a
@mixin
enum Base {
    A = "a"
    B
}

enum E with [Base] {
    A = "A"
    C
}
"#,
        )]);
        let text = round_trip(&model);
        // E$A overrides the mixin's "a" with its own name: it must be written.
        assert!(text.contains("enum E with [Base] {\n    A = \"A\"\n    B\n    C\n}"), "{text}");
    }

    #[test]
    fn an_empty_model_is_one_file_without_a_namespace() {
        let model = load(&[("a.smithy", "$version: \"2\"\nmetadata x = 1\n")]);
        let files = to_smithy_files(&model);
        assert_eq!(files, [(String::new(), "$version: \"2.0\"\n\nmetadata x = 1\n".to_owned())]);
        round_trip(&model);
    }

    #[test]
    fn floats_load_back_exactly() {
        // serde_json's default float parsing is off by one unit in the last place for this
        // one; the `float_roundtrip` feature makes both loaders exact.
        let model =
            load(&[("a.json", r#"{"smithy": "2.0", "metadata": {"f": [-6.902488402225575e-106, 0.1, 1e300]}}"#)]);
        let text = round_trip(&model);
        assert!(text.contains("metadata f = [-6.902488402225575e-106, 0.1, 1e+300]"), "{text}");
    }

    #[test]
    fn long_values_are_split_over_lines() {
        let long = "x".repeat(60);
        let text = format!(
            "$version: \"2\"\nnamespace a\n@tags([\"{long}\", \"{long}\"])\n@externalDocumentation(a: \"{long}\", b: \"{long}\")\nstring S\n"
        );
        let written = round_trip(&load(&[("a.smithy", &text)]));
        assert!(
            written.contains(&format!("@externalDocumentation(\n    a: \"{long}\"\n    b: \"{long}\"\n)\n")),
            "{written}"
        );
        assert!(written.contains(&format!("@tags([\n    \"{long}\"\n    \"{long}\"\n])\n")), "{written}");
    }
}

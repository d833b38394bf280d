//! The syntax tree of one IDL file: what the parser produces and the lowering step consumes.
//!
//! It records what was written, with spans, before any shape id is resolved: relative ids stay
//! text ([`Ref`]), unquoted node values stay apart from quoted strings ([`ValueKind::ShapeId`]),
//! elided member targets are `None`, and annotation traits have no value. Resolution needs the
//! whole file (a shape may be used before it is defined), so it happens afterwards, in
//! `lower`.

use crate::model::SimpleType;
use crate::model::source::Span;

/// The IDL version a file declares (`$version`); files without one are 1.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Version {
    /// `1` or `1.0`
    V1,
    /// `2` or `2.0`
    V2,
}

/// A whole file.
#[derive(Debug)]
pub(super) struct File {
    /// The version as written, `"1.0"` when absent.
    pub(super) version_text: String,
    /// The version.
    pub(super) version: Version,
    /// `metadata` statements in order.
    pub(super) metadata: Vec<Metadata>,
    /// The namespace, when the file has a shape section.
    pub(super) namespace: Option<String>,
    /// `use` statements in order.
    pub(super) uses: Vec<Ref>,
    /// Shapes and `apply` statements in order; inline operation input and output structures
    /// follow their operation.
    pub(super) statements: Vec<Statement>,
}

/// `metadata key = value`
#[derive(Debug)]
pub(super) struct Metadata {
    /// The key.
    pub(super) key: String,
    /// Where the key is.
    pub(super) span: Span,
    /// The value.
    pub(super) value: Value,
}

/// A shape id as written: absolute (`a.b#C`, `a.b#C$m`) or relative (`C`, `C$m`).
#[derive(Clone, Debug)]
pub(super) struct Ref {
    /// The text, already checked against the shape id grammar.
    pub(super) text: String,
    /// Where it is.
    pub(super) span: Span,
}

/// A node value before resolution.
#[derive(Clone, Debug)]
pub(super) struct Value {
    /// What it is.
    pub(super) kind: ValueKind,
    /// Where it is.
    pub(super) span: Span,
}

/// The forms of a node value.
#[derive(Clone, Debug)]
pub(super) enum ValueKind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, parsed as JSON would parse the same text.
    Number(serde_json::Number),
    /// A quoted string or text block.
    String(String),
    /// An unquoted shape id, resolved to an absolute id string when lowered.
    ShapeId(String),
    /// `[...]`
    Array(Vec<Value>),
    /// `{...}` or a trait's `key: value` body, in written order.
    Object(Vec<Entry>),
}

/// One `key: value` of an object.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    /// The key.
    pub(super) key: String,
    /// Where the key is.
    pub(super) key_span: Span,
    /// The value.
    pub(super) value: Value,
}

/// `@name` or `@name(value)`; also the traits the IDL implies (doc comments, `= value`,
/// `@input` on inline input), whose names are written as absolute ids.
#[derive(Clone, Debug)]
pub(super) struct Trait {
    /// The trait's shape id.
    pub(super) name: Ref,
    /// The value; `None` for an annotation (`@name` or `@name()`).
    pub(super) value: Option<Value>,
    /// The whole trait application.
    pub(super) span: Span,
}

/// A member of an aggregate shape or enum.
#[derive(Clone, Debug)]
pub(super) struct Member {
    /// The member name.
    pub(super) name: String,
    /// Where the name is.
    pub(super) span: Span,
    /// The target; `None` when elided (`$name`). Enum members have none either.
    pub(super) target: Option<Ref>,
    /// Traits, doc comment included.
    pub(super) traits: Vec<Trait>,
    /// `= value`: a structure member's default, or an enum member's value.
    pub(super) value: Option<Value>,
}

/// A shape statement.
#[derive(Clone, Debug)]
pub(super) struct Shape {
    /// The shape name.
    pub(super) name: String,
    /// Where the name is (for inline input and output, the `input` / `output` keyword).
    pub(super) span: Span,
    /// Traits, doc comment included.
    pub(super) traits: Vec<Trait>,
    /// `with [...]`
    pub(super) mixins: Vec<Ref>,
    /// `for Resource`
    pub(super) resource: Option<Ref>,
    /// The type and its body.
    pub(super) body: Body,
}

/// A shape's type with what its body holds.
#[derive(Clone, Debug)]
pub(super) enum Body {
    /// A simple type.
    Simple(SimpleType),
    /// `enum`
    Enum(Vec<Member>),
    /// `intEnum`
    IntEnum(Vec<Member>),
    /// `list`; the member may be left to a mixin.
    List(Option<Member>),
    /// `set` (IDL 1.0 only).
    Set(Option<Member>),
    /// `map`; either member may be left to a mixin.
    Map(Option<Member>, Option<Member>),
    /// `structure`
    Structure(Vec<Member>),
    /// `union`
    Union(Vec<Member>),
    /// `service`: the body is a node object.
    Service(Value),
    /// `resource`: the body is a node object.
    Resource(Value),
    /// `operation`
    Operation(Operation),
}

impl Body {
    /// The Smithy type name.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Body::Simple(t) => t.name(),
            Body::Enum(_) => "enum",
            Body::IntEnum(_) => "intEnum",
            Body::List(_) => "list",
            Body::Set(_) => "set",
            Body::Map(..) => "map",
            Body::Structure(_) => "structure",
            Body::Union(_) => "union",
            Body::Service(_) => "service",
            Body::Resource(_) => "resource",
            Body::Operation(_) => "operation",
        }
    }

    /// The members written in the body, in order.
    pub(super) fn members(&self) -> Vec<&Member> {
        match self {
            Body::Enum(m) | Body::IntEnum(m) | Body::Structure(m) | Body::Union(m) => m.iter().collect(),
            Body::List(m) | Body::Set(m) => m.iter().collect(),
            Body::Map(k, v) => k.iter().chain(v.iter()).collect(),
            _ => Vec::new(),
        }
    }
}

/// An operation's body.
#[derive(Clone, Debug, Default)]
pub(super) struct Operation {
    /// `input: X`, or the generated name of an inline input.
    pub(super) input: Option<Ref>,
    /// `output: X`, or the generated name of an inline output.
    pub(super) output: Option<Ref>,
    /// `errors: [...]`
    pub(super) errors: Vec<Ref>,
}

/// `apply Target @trait` or `apply Target { ... }`
#[derive(Clone, Debug)]
pub(super) struct Apply {
    /// The shape or member the traits go to.
    pub(super) target: Ref,
    /// The traits.
    pub(super) traits: Vec<Trait>,
}

/// A statement of the shape section.
#[derive(Clone, Debug)]
pub(super) enum Statement {
    /// A shape definition (boxed: it is much larger than an `apply`).
    Shape(Box<Shape>),
    /// An `apply` statement.
    Apply(Apply),
}

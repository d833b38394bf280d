//! The loaded Smithy model: shapes by absolute id, their members and traits, and metadata.
//!
//! Both loaders (JSON AST and IDL) produce [`Fragment`]s; the resolve pass merges them with the
//! prelude into one [`Model`]. The model mirrors the Smithy JSON AST closely, so that writing it
//! back out as JSON is a direct walk, but every reference is an absolute [`ShapeId`] and member
//! order is kept. Spans live in a side table so that the same model loaded from IDL and from JSON
//! compares equal.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::shape_id::ShapeId;
use crate::model::source::Span;

#[cfg(test)]
mod number_tests {
    use super::*;

    fn num(text: &str) -> serde_json::Number {
        canonical_number(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn numbers_have_one_form_and_any_size() {
        assert_eq!(num("10e0"), num("10.0"));
        assert_eq!(num("-0.5").to_string(), "-0.5");
        assert_eq!(num("18446744073709551615"), u64::MAX.into());
        assert_eq!(num("123000000000000000000000").to_string(), "123000000000000000000000");
        assert!(num("1e400").to_string().ends_with("400") && num("1e400").as_f64().is_none_or(f64::is_infinite));
        assert_eq!(num("0.10000000000000000000001").to_string(), "0.10000000000000000000001");
        assert_eq!(num("2.2").as_f64(), Some(2.2));
    }
}

/// A node value (trait values, metadata, default values): exactly JSON's data model. Numbers
/// keep any size and precision (serde_json's `arbitrary_precision`), as Smithy's do: see
/// [`canonical_number`].
pub type Node = serde_json::Value;

/// A number as both loaders store it, so that the same value written two ways (`10e0` and
/// `10.0`, `007` and `7`) is one value: integers that fit 64 bits as integers, other numbers
/// that a double holds (17 significant digits at most, finite) as that double, and anything
/// else (`123000000000000000000000`, `1e400`) exactly as written.
pub fn canonical_number(n: &serde_json::Number) -> serde_json::Number {
    let text = n.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() || trimmed.starts_with(['.', 'e', 'E']) {
        &digits[digits.len() - trimmed.len() - 1..]
    } else {
        trimmed
    };
    let text = format!("{sign}{digits}");
    let integer = !text.contains(['.', 'e', 'E']);
    if integer {
        if let Ok(i) = text.parse::<i64>() {
            return i.into();
        }
        if let Ok(u) = text.parse::<u64>() {
            return u.into();
        }
    } else {
        let mantissa = digits.split(['e', 'E']).next().unwrap_or("");
        let significant = mantissa.chars().filter(char::is_ascii_digit).collect::<String>();
        let significant = significant.trim_start_matches('0').trim_end_matches('0');
        if significant.len() <= 17
            && let Some(n) = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
        {
            return n;
        }
    }
    serde_json::from_str(&text).unwrap_or_else(|_| n.clone())
}

/// Every number in `node`, in [`canonical_number`] form.
pub fn canonical_numbers(node: &mut Node) {
    match node {
        Node::Number(n) => *n = canonical_number(n),
        Node::Array(items) => items.iter_mut().for_each(canonical_numbers),
        Node::Object(entries) => entries.values_mut().for_each(canonical_numbers),
        _ => {}
    }
}

/// Trait applications: trait shape id to value, sorted by id.
pub type Traits = BTreeMap<ShapeId, Node>;

/// The simple (non-aggregate, non-service) shape types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SimpleType {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
}

impl SimpleType {
    /// Every simple type with its Smithy name.
    pub const ALL: [(SimpleType, &'static str); 13] = [
        (SimpleType::Blob, "blob"),
        (SimpleType::Boolean, "boolean"),
        (SimpleType::String, "string"),
        (SimpleType::Byte, "byte"),
        (SimpleType::Short, "short"),
        (SimpleType::Integer, "integer"),
        (SimpleType::Long, "long"),
        (SimpleType::Float, "float"),
        (SimpleType::Double, "double"),
        (SimpleType::BigInteger, "bigInteger"),
        (SimpleType::BigDecimal, "bigDecimal"),
        (SimpleType::Timestamp, "timestamp"),
        (SimpleType::Document, "document"),
    ];

    /// The Smithy name, as in `"type": "bigInteger"`.
    pub fn name(self) -> &'static str {
        SimpleType::ALL.iter().find(|(t, _)| *t == self).map_or("string", |(_, n)| n)
    }

    /// The type with this Smithy name.
    pub fn from_name(name: &str) -> Option<Self> {
        SimpleType::ALL.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
    }
}

/// A member of an aggregate shape (or of an enum).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The member name, as written in the model.
    pub name: String,
    /// The shape the member targets. Enum members target `smithy.api#Unit`.
    pub target: ShapeId,
    /// Traits applied to the member itself.
    pub traits: Traits,
}

/// The properties of a service shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceShape {
    /// `version`
    pub version: Option<String>,
    /// `operations`
    pub operations: Vec<ShapeId>,
    /// `resources`
    pub resources: Vec<ShapeId>,
    /// `errors`: errors every operation of the service can return.
    pub errors: Vec<ShapeId>,
    /// `rename`: new names for shapes whose names clash in the service closure.
    pub rename: BTreeMap<ShapeId, String>,
}

/// The properties of an operation shape.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationShape {
    /// `input`; `smithy.api#Unit` when there is none.
    pub input: ShapeId,
    /// `output`; `smithy.api#Unit` when there is none.
    pub output: ShapeId,
    /// `errors`
    pub errors: Vec<ShapeId>,
}

/// The properties of a resource shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceShape {
    /// `identifiers`: name to target.
    pub identifiers: BTreeMap<String, ShapeId>,
    /// `properties`: name to target.
    pub properties: BTreeMap<String, ShapeId>,
    /// The lifecycle operations by name: `create`, `put`, `read`, `update`, `delete`, `list`.
    pub lifecycle: BTreeMap<String, ShapeId>,
    /// `operations`
    pub operations: Vec<ShapeId>,
    /// `collectionOperations`
    pub collection_operations: Vec<ShapeId>,
    /// `resources`
    pub resources: Vec<ShapeId>,
}

/// What kind of shape, with the properties of that kind.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeKind {
    /// A simple shape.
    Simple(SimpleType),
    /// `enum`: members are the variants.
    Enum(Vec<Member>),
    /// `intEnum`: members are the variants.
    IntEnum(Vec<Member>),
    /// `list`, with its `member`.
    List(Member),
    /// `set` (Smithy 1.0; a list with unique items).
    Set(Member),
    /// `map`, with its `key` and `value`.
    Map {
        /// The key member.
        key: Member,
        /// The value member.
        value: Member,
    },
    /// `structure`
    Structure(Vec<Member>),
    /// `union`
    Union(Vec<Member>),
    /// `service`
    Service(ServiceShape),
    /// `operation`
    Operation(OperationShape),
    /// `resource`
    Resource(ResourceShape),
}

impl ShapeKind {
    /// The Smithy type name, as in `"type": "structure"`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Simple(t) => t.name(),
            ShapeKind::Enum(_) => "enum",
            ShapeKind::IntEnum(_) => "intEnum",
            ShapeKind::List(_) => "list",
            ShapeKind::Set(_) => "set",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::Service(_) => "service",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Resource(_) => "resource",
        }
    }

    /// The members, in model order (list member; map key then value; aggregate members).
    pub fn members(&self) -> Vec<&Member> {
        match self {
            ShapeKind::Enum(m) | ShapeKind::IntEnum(m) | ShapeKind::Structure(m) | ShapeKind::Union(m) => {
                m.iter().collect()
            }
            ShapeKind::List(m) | ShapeKind::Set(m) => vec![m],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }

    /// Mutable access to the members, in model order.
    pub fn members_mut(&mut self) -> Vec<&mut Member> {
        match self {
            ShapeKind::Enum(m) | ShapeKind::IntEnum(m) | ShapeKind::Structure(m) | ShapeKind::Union(m) => {
                m.iter_mut().collect()
            }
            ShapeKind::List(m) | ShapeKind::Set(m) => vec![m],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }
}

/// One shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Its absolute id.
    pub id: ShapeId,
    /// Its kind and kind-specific properties.
    pub kind: ShapeKind,
    /// Traits applied to the shape.
    pub traits: Traits,
    /// Mixins the shape uses, in order. After resolve, their members and traits are already
    /// copied in; the list is kept so the model can be written back out.
    pub mixins: Vec<ShapeId>,
}

impl Shape {
    /// The member with this name.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.kind.members().into_iter().find(|m| m.name == name)
    }

    /// `true` when the shape carries this trait.
    pub fn has_trait(&self, id: &ShapeId) -> bool {
        self.traits.contains_key(id)
    }
}

/// A `apply` statement (IDL) or `"type": "apply"` entry (JSON AST): traits added to a shape or
/// member defined elsewhere.
#[derive(Clone, Debug, PartialEq)]
pub struct Apply {
    /// The shape or member the traits go to.
    pub target: ShapeId,
    /// The traits.
    pub traits: Traits,
    /// Where the statement is.
    pub span: Option<Span>,
}

/// What one file contributes to the model, before merging.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fragment {
    /// The `$version` / `"smithy"` version, e.g. `2.0`.
    pub version: String,
    /// Metadata entries, in file order.
    pub metadata: Vec<(String, Node, Option<Span>)>,
    /// Shapes defined in the file, in file order.
    pub shapes: Vec<Shape>,
    /// Traits applied to shapes defined elsewhere.
    pub applies: Vec<Apply>,
    /// Where each shape and member is defined.
    pub spans: BTreeMap<ShapeId, Span>,
    /// Members of this file's shapes whose target is not written here but comes from a mixin
    /// of the shape: a list `member` or map `key`/`value` left out of a JSON AST shape that has
    /// `mixins`, or an elided `$name` whose mixin is in another file. Each such member is in
    /// its shape with the placeholder target [`Fragment::placeholder_target`]; the resolve pass
    /// sets the mixin member's target, or reports that no mixin has the member.
    pub inherited: BTreeSet<ShapeId>,
}

impl Fragment {
    /// The target a member listed in [`Fragment::inherited`] has until the resolve pass
    /// replaces it: `smithy.api#Unit`.
    pub fn placeholder_target() -> ShapeId {
        ShapeId::unit()
    }
}

/// A whole model: every shape, the prelude's included, and the metadata.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Metadata, merged across files.
    pub metadata: BTreeMap<String, Node>,
    /// Every shape by id.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Where each shape and member was defined, for diagnostics.
    pub spans: BTreeMap<ShapeId, Span>,
}

/// Models compare by content; where they were loaded from does not matter.
impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        self.metadata == other.metadata && self.shapes == other.shapes
    }
}

impl Model {
    /// The operations of a service, bound directly or through its resources (their lifecycle,
    /// instance and collection operations, and nested resources), sorted and without repeats.
    /// Empty when `service` is not a service of the model.
    pub fn operations_of(&self, service: &ShapeId) -> Vec<ShapeId> {
        let mut ops = BTreeSet::new();
        let mut resources = Vec::new();
        if let Some(ShapeKind::Service(s)) = self.shapes.get(service).map(|s| &s.kind) {
            ops.extend(s.operations.iter().cloned());
            resources.extend(s.resources.iter().cloned());
        }
        let mut seen = BTreeSet::new();
        while let Some(r) = resources.pop() {
            if !seen.insert(r.clone()) {
                continue;
            }
            if let Some(ShapeKind::Resource(res)) = self.shapes.get(&r).map(|s| &s.kind) {
                ops.extend(res.lifecycle.values().cloned());
                ops.extend(res.operations.iter().cloned());
                ops.extend(res.collection_operations.iter().cloned());
                resources.extend(res.resources.iter().cloned());
            }
        }
        ops.into_iter().collect()
    }

    /// The shape with this id (a member id finds the containing shape).
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        if id.member().is_some() { self.shapes.get(&id.root()) } else { self.shapes.get(id) }
    }

    /// The member a member id names.
    pub fn member(&self, id: &ShapeId) -> Option<&Member> {
        self.shapes.get(&id.root())?.member(id.member()?)
    }

    /// Where a shape or member is defined, falling back to the containing shape.
    pub fn span(&self, id: &ShapeId) -> Option<Span> {
        self.spans.get(id).or_else(|| self.spans.get(&id.root())).copied()
    }

    /// The services in the model, sorted by id.
    pub fn services(&self) -> Vec<&Shape> {
        self.shapes.values().filter(|s| matches!(s.kind, ShapeKind::Service(_))).collect()
    }
}

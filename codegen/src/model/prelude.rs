//! The Smithy prelude (`smithy.api`): the shapes every model can refer to without a `use`.
//!
//! The resolve pass adds the prelude's simple shapes and `Unit` to every model so that members
//! can target them. Trait definitions are not needed as shapes by the generator, but the IDL
//! loader must know their names to resolve `@length` to `smithy.api#length`, and their value
//! kind to know what an annotation such as `@tags` without a value means.

use std::collections::BTreeMap;

use crate::model::shape_id::ShapeId;
use crate::model::{Member, Node, Shape, ShapeKind, SimpleType, Traits};

/// `smithy.api#mixin`, the trait the resolve pass applies mixins by.
pub const MIXIN: ShapeId = ShapeId::from_static(NAMESPACE, "mixin");

/// The prelude namespace.
pub const NAMESPACE: &str = crate::model::shape_id::PRELUDE_NAMESPACE;

/// The prelude's simple shapes: name, type, and the `@default` of the `Primitive*` ones.
const SIMPLE: &[(&str, SimpleType, Option<PrimitiveDefault>)] = &[
    ("String", SimpleType::String, None),
    ("Blob", SimpleType::Blob, None),
    ("BigInteger", SimpleType::BigInteger, None),
    ("BigDecimal", SimpleType::BigDecimal, None),
    ("Timestamp", SimpleType::Timestamp, None),
    ("Document", SimpleType::Document, None),
    ("Boolean", SimpleType::Boolean, None),
    ("Byte", SimpleType::Byte, None),
    ("Short", SimpleType::Short, None),
    ("Integer", SimpleType::Integer, None),
    ("Long", SimpleType::Long, None),
    ("Float", SimpleType::Float, None),
    ("Double", SimpleType::Double, None),
    ("PrimitiveBoolean", SimpleType::Boolean, Some(PrimitiveDefault::False)),
    ("PrimitiveByte", SimpleType::Byte, Some(PrimitiveDefault::Zero)),
    ("PrimitiveShort", SimpleType::Short, Some(PrimitiveDefault::Zero)),
    ("PrimitiveInteger", SimpleType::Integer, Some(PrimitiveDefault::Zero)),
    ("PrimitiveLong", SimpleType::Long, Some(PrimitiveDefault::Zero)),
    ("PrimitiveFloat", SimpleType::Float, Some(PrimitiveDefault::Zero)),
    ("PrimitiveDouble", SimpleType::Double, Some(PrimitiveDefault::Zero)),
];

#[derive(Clone, Copy)]
enum PrimitiveDefault {
    False,
    Zero,
}

/// What value an annotation (a trait written without a value) stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnotationValue {
    /// `{}`: structure-valued traits, the common case.
    EmptyObject,
    /// `[]`: list-valued traits such as `tags`.
    EmptyList,
    /// No value is valid: the trait needs one (e.g. `documentation`).
    Required,
}

/// The prelude's trait names, with what an annotation of each means.
const TRAITS: &[(&str, AnnotationValue)] = {
    use AnnotationValue::{EmptyList as L, EmptyObject as O, Required as R};
    &[
        ("addedDefault", O),
        ("auth", L),
        ("authDefinition", O),
        ("box", O),
        ("clientOptional", O),
        ("cors", O),
        ("default", R),
        ("deprecated", O),
        ("documentation", R),
        ("endpoint", R),
        ("enum", L),
        ("enumValue", R),
        ("error", R),
        ("eventHeader", O),
        ("eventPayload", O),
        ("examples", L),
        ("externalDocumentation", R),
        ("hostLabel", O),
        ("http", R),
        ("httpApiKeyAuth", R),
        ("httpBasicAuth", O),
        ("httpBearerAuth", O),
        ("httpChecksumRequired", O),
        ("httpDigestAuth", O),
        ("httpError", R),
        ("httpHeader", R),
        ("httpLabel", O),
        ("httpPayload", O),
        ("httpPrefixHeaders", R),
        ("httpQuery", R),
        ("httpQueryParams", O),
        ("httpResponseCode", O),
        ("idRef", O),
        ("idempotencyToken", O),
        ("idempotent", O),
        ("input", O),
        ("internal", O),
        ("jsonName", R),
        ("length", O),
        ("longPoll", O),
        ("mediaType", R),
        ("mixin", O),
        ("nestedProperties", O),
        ("noReplace", O),
        ("notProperty", O),
        ("optionalAuth", O),
        ("output", O),
        ("paginated", O),
        ("pattern", R),
        ("private", O),
        ("property", O),
        ("protocolDefinition", O),
        ("range", O),
        ("readonly", O),
        ("recommended", O),
        ("references", L),
        ("requestCompression", R),
        ("required", O),
        ("requiresLength", O),
        ("resourceIdentifier", R),
        ("retryable", O),
        ("sensitive", O),
        ("since", R),
        ("sparse", O),
        ("streaming", O),
        ("suppress", L),
        ("tags", L),
        ("timestampFormat", R),
        ("title", R),
        ("trait", O),
        ("traitValidators", O),
        ("uniqueItems", O),
        ("unitType", O),
        ("unstable", O),
        ("xmlAttribute", O),
        ("xmlFlattened", O),
        ("xmlName", R),
        ("xmlNamespace", R),
    ]
};

/// The prelude's other shapes (trait value shapes and the like) that models may refer to.
const OTHER: &[&str] = &[
    "AuthTraitReference",
    "ClosureId",
    "CommonMark",
    "EnumConstantBodyName",
    "EnumDefinition",
    "Example",
    "ExampleError",
    "HttpApiKeyLocations",
    "Identifier",
    "IdempotentErrors",
    "LocalMixinTrait",
    "LocalMixinTraitList",
    "Namespaces",
    "NonEmptyString",
    "NonEmptyStringList",
    "NonEmptyStringMap",
    "Reference",
    "Renames",
    "RequestCompressionEncodingsList",
    "Severity",
    "ShapeClosure",
    "ShapeClosures",
    "StructurallyExclusive",
    "TraitChangeType",
    "TraitDiffRule",
    "TraitDiffRules",
    "TraitShapeId",
    "TraitShapeIdList",
    "TraitValidator",
    "Unit",
];

/// `true` when `name` is a shape of the prelude (simple shape, trait or other).
pub fn contains(name: &str) -> bool {
    SIMPLE.iter().any(|(n, ..)| *n == name) || TRAITS.iter().any(|(n, _)| *n == name) || OTHER.contains(&name)
}

/// What an annotation of this prelude trait means, or `None` when it is not a prelude trait.
pub fn annotation_value(trait_name: &str) -> Option<AnnotationValue> {
    TRAITS.iter().find(|(n, _)| *n == trait_name).map(|(_, v)| *v)
}

/// The id of a prelude shape.
pub fn id(name: &str) -> ShapeId {
    ShapeId::prelude(name)
}

/// `smithy.api#Unit`, the target of enum members and of operations without input or output.
pub fn unit() -> ShapeId {
    ShapeId::unit()
}

/// The prelude shapes a model needs as targets: the simple shapes and `Unit`.
pub fn shapes() -> BTreeMap<ShapeId, Shape> {
    let mut shapes = BTreeMap::new();
    for &(name, ty, default) in SIMPLE {
        let mut traits = Traits::new();
        if let Some(default) = default {
            let value = match (default, ty) {
                (PrimitiveDefault::False, _) => Node::Bool(false),
                (PrimitiveDefault::Zero, _) => Node::from(0),
            };
            traits.insert(id("default"), value);
        }
        let shape = Shape { id: id(name), kind: ShapeKind::Simple(ty), traits, mixins: Vec::new() };
        shapes.insert(shape.id.clone(), shape);
    }
    let mut unit_traits = Traits::new();
    unit_traits.insert(id("unitType"), Node::Object(Default::default()));
    let unit =
        Shape { id: unit(), kind: ShapeKind::Structure(Vec::<Member>::new()), traits: unit_traits, mixins: Vec::new() };
    shapes.insert(unit.id.clone(), unit);
    shapes
}

//! Round trips through the writers: model → IDL → model and model → JSON AST → model must be
//! identities ([`codegen::idl_writer`], [`codegen::json_ast`]).
//!
//! - Every valid file of Smithy's IDL loader tests (`smithy/idl-tests/valid`, with
//!   `__shared.json` beside it as Smithy's runner loads it), the `.smithy` files and their
//!   `.json` twins alike.
//! - `model/connect.smithy` of this repository, and the whole official Connect model
//!   (`models/connect-2017-08-08.json`).
//! - Property tests: models built from arbitrary shapes (every shape type, mixins, traits with
//!   arbitrary node values and strings, names that clash with the prelude, several
//!   namespaces), and mutations of the valid files that still load.
//!
//! Each IDL round trip also checks that the text is a fixed point: writing the reloaded model
//! gives the same files. Reference data comes through [`codegen::reference_data::dir`]; without it
//! those tests print that they are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use codegen::ShapeId;
use codegen::Sources;
use codegen::model::idl_writer::to_smithy_files;
use codegen::model::json_ast::to_json;
use codegen::model::prelude;
use codegen::model::{
    Member, Model, Node, OperationShape, ResourceShape, ServiceShape, Shape, ShapeKind, SimpleType, Traits,
};
use proptest::prelude::*;

// ----- Helpers -----

/// Loads named texts together.
fn load(files: &[(String, String)]) -> Result<Model, String> {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(name.clone(), text.clone());
    }
    codegen::load(&sources).map_err(|d| d.render(&sources))
}

/// The IDL files of a model, named `<namespace>.smithy`.
fn idl_files(model: &Model) -> Vec<(String, String)> {
    to_smithy_files(model)
        .into_iter()
        .map(|(namespace, text)| {
            let name = if namespace.is_empty() { "model".to_owned() } else { namespace };
            (format!("{name}.smithy"), text)
        })
        .collect()
}

/// Model → IDL → model; the reloaded model (for the caller to compare) or why it failed. The
/// text must be a fixed point.
fn through_idl(model: &Model) -> Result<Model, String> {
    let files = idl_files(model);
    let again = load(&files).map_err(|e| format!("the IDL written does not load:\n{e}\n{}", show(&files)))?;
    let rewritten = idl_files(&again);
    if rewritten != files {
        return Err(format!(
            "writing the reloaded model gives other text:\n{}\n---\n{}",
            show(&files),
            show(&rewritten)
        ));
    }
    Ok(again)
}

/// Model → IDL → model must be an identity.
fn idl_identity(model: &Model) -> Result<(), String> {
    let again = through_idl(model)?;
    if again != *model {
        return Err(format!("IDL round trip changes the model:\n{}", difference(&again, model)));
    }
    Ok(())
}

/// Model → JSON AST → model must be an identity.
fn json_identity(model: &Model) -> Result<(), String> {
    let text = to_json(model);
    let again =
        load(&[("model.json".to_owned(), text)]).map_err(|e| format!("the JSON written does not load:\n{e}"))?;
    if again != *model {
        return Err(format!("JSON round trip changes the model:\n{}", difference(&again, model)));
    }
    Ok(())
}

fn show(files: &[(String, String)]) -> String {
    files.iter().map(|(name, text)| format!("=== {name}\n{text}")).collect::<Vec<_>>().join("")
}

/// The first few shapes or metadata entries that differ.
fn difference(actual: &Model, expected: &Model) -> String {
    let mut lines = Vec::new();
    if actual.metadata != expected.metadata {
        lines.push(format!("metadata:\n  reloaded: {:?}\n  original: {:?}", actual.metadata, expected.metadata));
    }
    let ids: BTreeSet<&ShapeId> = actual.shapes.keys().chain(expected.shapes.keys()).collect();
    for id in ids {
        let (a, e) = (actual.shapes.get(id), expected.shapes.get(id));
        if a != e {
            lines.push(format!("{id}:\n  reloaded: {a:?}\n  original: {e:?}"));
        }
    }
    lines.truncate(4);
    lines.join("\n")
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The valid cases of Smithy's IDL tests with `__shared.json`, when the shared data is there.
fn valid_cases() -> Option<(PathBuf, String, Vec<PathBuf>)> {
    let root = codegen::reference_data::dir()?.join("smithy").join("idl-tests").join("valid");
    let shared = read(&root.join("__shared.json"));
    let mut cases = files_under(&root, "smithy");
    cases.extend(files_under(&root, "json").into_iter().filter(|p| !p.ends_with("__shared.json")));
    cases.sort();
    Some((root, shared, cases))
}

// ----- Reference models -----

#[test]
fn smithy_valid_files_round_trip_through_idl_and_json() {
    let Some((root, shared, cases)) = valid_cases() else {
        println!("skipped: no shared reference data, so no round trips of Smithy's valid IDL files");
        return;
    };
    let mut problems = Vec::new();
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for path in &cases {
        let name = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let kind = if name.ends_with(".json") { "json" } else { "smithy" };
        let count = counts.entry(kind).or_default();
        count.0 += 1;
        let model = match load(&[(name.clone(), read(path)), ("__shared.json".to_owned(), shared.clone())]) {
            Ok(model) => model,
            Err(e) => {
                problems.push(format!("{name} does not load:\n{e}"));
                continue;
            }
        };
        match idl_identity(&model) {
            Ok(()) => count.1 += 1,
            Err(e) => problems.push(format!("{name}: {e}")),
        }
        match json_identity(&model) {
            Ok(()) => count.2 += 1,
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    for (kind, (total, idl, json)) in &counts {
        println!("valid .{kind} files: IDL round trip {idl}/{total}, JSON round trip {json}/{total}");
    }
    assert!(counts.get("smithy").is_some_and(|c| c.0 >= 50), "expected Smithy's 52 valid .smithy files");
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n\n"));
}

#[test]
fn the_repository_model_round_trips() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("model").join("connect.smithy");
    let model = load(&[("model/connect.smithy".to_owned(), read(&path))]).unwrap_or_else(|e| panic!("{e}"));
    idl_identity(&model).unwrap_or_else(|e| panic!("{e}"));
    json_identity(&model).unwrap_or_else(|e| panic!("{e}"));
    let text = codegen::model::idl_writer::to_smithy(&model).unwrap_or_else(|e| panic!("{e}"));
    for expected in
        ["namespace com.amazonaws.connect\n", "use aws.protocols#restJson1\n", "operation GetFederationToken {"]
    {
        assert!(text.contains(expected), "missing {expected:?}:\n{text}");
    }
}

#[test]
fn the_official_connect_model_round_trips() {
    let Some(path) = codegen::reference_data::path("models/connect-2017-08-08.json") else {
        println!("skipped: no shared reference data, so no round trip of the official Connect model");
        return;
    };
    let model = load(&[("connect-2017-08-08.json".to_owned(), read(&path))]).unwrap_or_else(|e| panic!("{e}"));
    let shapes = model.shapes.keys().filter(|id| !id.is_prelude()).count();
    assert!(shapes > 1000, "the whole model, not a part: {shapes} shapes");
    idl_identity(&model).unwrap_or_else(|e| panic!("{e}"));
    json_identity(&model).unwrap_or_else(|e| panic!("{e}"));
    println!("official Connect model: {shapes} shapes round trip through IDL and JSON");
}

// ----- Generated models -----

const NAMESPACES: [&str; 3] = ["gen.a", "gen.b", "other.ns"];

/// Shape names, several of them prelude names or keywords that the writer must not write
/// relative where they would resolve to something else.
const NAMES: [&str; 14] = [
    "Alpha",
    "Beta",
    "Gamma",
    "String",
    "Integer",
    "Unit",
    "required",
    "documentation",
    "true",
    "null",
    "use",
    "apply",
    "with",
    "Thing",
];

/// Trait ids besides the generated shapes: prelude traits of each annotation kind, an unknown
/// `smithy.api` one, and traits of the generated namespaces named like prelude shapes.
const TRAIT_IDS: [&str; 14] = [
    "smithy.api#documentation",
    "smithy.api#documentation",
    "smithy.api#required",
    "smithy.api#tags",
    "smithy.api#length",
    "smithy.api#sensitive",
    "smithy.api#since",
    "smithy.api#default",
    "smithy.api#externalDocumentation",
    "smithy.api#notAPreludeTrait",
    "gen.a#required",
    "gen.a#String",
    "other.ns#thing",
    "aws.example#trait",
];

#[derive(Clone, Debug)]
struct GenTrait {
    /// Into [`TRAIT_IDS`], then the generated shapes.
    id: usize,
    value: Node,
}

#[derive(Clone, Debug)]
struct GenMember {
    /// Into the data shapes of the model, prelude shapes first.
    target: usize,
    traits: Vec<GenTrait>,
    default: Option<Node>,
}

#[derive(Clone, Debug)]
enum GenKind {
    Simple(usize),
    Enum(Vec<(Vec<GenTrait>, Option<String>)>),
    IntEnum(Vec<(Vec<GenTrait>, i32)>),
    List(GenMember),
    Set(GenMember),
    Map(GenMember, GenMember),
    Structure(Vec<GenMember>),
    Union(Vec<GenMember>),
    Operation { input: Option<usize>, output: Option<usize>, errors: Vec<usize> },
    Service { version: Option<String>, operations: Vec<usize>, errors: Vec<usize>, rename: Vec<(usize, String)> },
    Resource { identifiers: Vec<(String, usize)>, properties: Vec<(String, usize)>, read: Option<usize> },
}

#[derive(Clone, Debug)]
struct GenShape {
    namespace: usize,
    name: usize,
    kind: GenKind,
    traits: Vec<GenTrait>,
    is_mixin: bool,
    /// Candidate mixins: earlier shapes; those of another type or without `@mixin` are dropped.
    mixins: Vec<usize>,
    /// Redeclare the first member of the first mixin (structures, enums).
    redeclare: bool,
}

#[derive(Clone, Debug)]
struct GenModel {
    metadata: Vec<(String, Node)>,
    shapes: Vec<GenShape>,
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[\"\\\\\n\r\t/#$@{}()\\[\\]:=,. a-z\u{e9}\u{1F600}\u{2028}\u{85}\u{0}]{0,16}",
        any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z_][a-zA-Z0-9_]{0,6}", text()]
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        Just(Node::Null),
        any::<bool>().prop_map(Node::Bool),
        any::<i64>().prop_map(Node::from),
        any::<u64>().prop_map(Node::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Node::Number)),
        text().prop_map(Node::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Node::Array),
            prop::collection::vec((key(), inner), 0..4).prop_map(|entries| Node::Object(entries.into_iter().collect())),
        ]
    })
}

fn gen_trait() -> impl Strategy<Value = GenTrait> {
    // The documentation (the first two ids) mostly gets text, which may become `///` lines.
    (0..TRAIT_IDS.len() + 6, node(), prop::option::weighted(0.8, text())).prop_map(|(id, value, doc)| {
        let value = match doc {
            Some(doc) if id < 2 => Node::String(doc),
            _ => value,
        };
        GenTrait { id, value }
    })
}

fn traits() -> impl Strategy<Value = Vec<GenTrait>> {
    prop::collection::vec(gen_trait(), 0..3)
}

fn member() -> impl Strategy<Value = GenMember> {
    (any::<usize>(), traits(), prop::option::weighted(0.3, node())).prop_map(|(target, traits, default)| GenMember {
        target,
        traits,
        default,
    })
}

fn kind() -> impl Strategy<Value = GenKind> {
    let ids = || prop::collection::vec(any::<usize>(), 0..3);
    let names = || prop::collection::vec(("[a-z][a-zA-Z0-9]{0,5}", any::<usize>()), 0..3);
    prop_oneof![
        (0..SimpleType::ALL.len()).prop_map(GenKind::Simple),
        prop::collection::vec((traits(), prop::option::of("[a-zA-Z0-9 \"\\\\]{1,8}")), 1..4).prop_map(GenKind::Enum),
        prop::collection::vec((traits(), any::<i32>()), 1..4).prop_map(GenKind::IntEnum),
        member().prop_map(GenKind::List),
        member().prop_map(GenKind::Set),
        (member(), member()).prop_map(|(k, v)| GenKind::Map(k, v)),
        prop::collection::vec(member(), 0..4).prop_map(GenKind::Structure),
        prop::collection::vec(member(), 1..4).prop_map(GenKind::Union),
        (prop::option::of(any::<usize>()), prop::option::of(any::<usize>()), ids())
            .prop_map(|(input, output, errors)| GenKind::Operation { input, output, errors }),
        (prop::option::of(text()), ids(), ids(), prop::collection::vec((any::<usize>(), "[A-Z][a-z]{0,5}"), 0..2))
            .prop_map(|(version, operations, errors, rename)| GenKind::Service { version, operations, errors, rename }),
        (names(), names(), prop::option::of(any::<usize>()))
            .prop_map(|(identifiers, properties, read)| GenKind::Resource { identifiers, properties, read }),
    ]
}

fn shape() -> impl Strategy<Value = GenShape> {
    (
        0..NAMESPACES.len(),
        0..NAMES.len(),
        kind(),
        traits(),
        prop::bool::weighted(0.5),
        prop::collection::vec(any::<usize>(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(namespace, name, kind, traits, is_mixin, mixins, redeclare)| GenShape {
            namespace,
            name,
            kind,
            traits,
            is_mixin,
            mixins,
            redeclare,
        })
}

fn model() -> impl Strategy<Value = GenModel> {
    (prop::collection::vec((key(), node()), 0..3), prop::collection::vec(shape(), 1..14))
        .prop_map(|(metadata, shapes)| GenModel { metadata, shapes })
}

fn id(text: &str) -> ShapeId {
    ShapeId::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn pick<T: Clone>(items: &[T], index: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[index % items.len()].clone())
}

/// Builds the model a generated description stands for, as the JSON AST loader would read it
/// (mixins not yet applied): valid by construction.
fn build(spec: &GenModel) -> Model {
    // Unique ids, in order.
    let mut taken = BTreeSet::new();
    let ids: Vec<ShapeId> = spec
        .shapes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut candidate = ShapeId::new(NAMESPACES[s.namespace], NAMES[s.name]);
            if !taken.insert(candidate.clone()) {
                candidate = ShapeId::new(NAMESPACES[s.namespace], format!("{}{i}", NAMES[s.name]));
                taken.insert(candidate.clone());
            }
            candidate
        })
        .collect();
    let of_kind = |pred: fn(&GenKind) -> bool| -> Vec<ShapeId> {
        spec.shapes.iter().zip(&ids).filter(|(s, _)| pred(&s.kind)).map(|(_, id)| id.clone()).collect()
    };
    let mut targets: Vec<ShapeId> = ["String", "Integer", "Boolean", "Timestamp", "Document", "PrimitiveLong"]
        .iter()
        .map(|n| prelude::id(n))
        .collect();
    targets.extend(of_kind(|k| {
        !matches!(k, GenKind::Operation { .. } | GenKind::Service { .. } | GenKind::Resource { .. })
    }));
    let structures = of_kind(|k| matches!(k, GenKind::Structure(_)));
    let operations = of_kind(|k| matches!(k, GenKind::Operation { .. }));
    let trait_id = |t: &GenTrait| match TRAIT_IDS.get(t.id) {
        Some(text) => id(text),
        None => pick(&ids, t.id).unwrap_or_else(|| id("gen.a#fallback")),
    };
    let to_traits = |list: &[GenTrait]| -> Traits { list.iter().map(|t| (trait_id(t), t.value.clone())).collect() };
    let to_member = |name: String, m: &GenMember, defaults: bool| {
        // Structure members take the generated default (written `= value`); others keep a
        // random `@default` trait, if they drew one.
        let mut traits = to_traits(&m.traits);
        if defaults {
            traits.remove(&prelude::id("default"));
            if let Some(value) = &m.default {
                traits.insert(prelude::id("default"), value.clone());
            }
        }
        Member { name, target: pick(&targets, m.target).unwrap_or_else(prelude::unit), traits }
    };

    let mut shapes: Vec<Shape> = Vec::new();
    for (i, (spec_shape, shape_id)) in spec.shapes.iter().zip(&ids).enumerate() {
        let mut traits = to_traits(&spec_shape.traits);
        traits.remove(&prelude::id("mixin"));
        let kind = match &spec_shape.kind {
            GenKind::Simple(t) => ShapeKind::Simple(SimpleType::ALL[*t].0),
            GenKind::Enum(members) => ShapeKind::Enum(
                members
                    .iter()
                    .enumerate()
                    .map(|(k, (t, value))| {
                        let mut traits = to_traits(t);
                        traits.remove(&prelude::id("enumValue"));
                        if let Some(value) = value {
                            traits.insert(prelude::id("enumValue"), Node::from(value.clone()));
                        }
                        Member { name: format!("M{i}_{k}"), target: prelude::unit(), traits }
                    })
                    .collect(),
            ),
            GenKind::IntEnum(members) => ShapeKind::IntEnum(
                members
                    .iter()
                    .enumerate()
                    .map(|(k, (t, value))| {
                        let mut traits = to_traits(t);
                        traits.insert(prelude::id("enumValue"), Node::from(*value));
                        Member { name: format!("M{i}_{k}"), target: prelude::unit(), traits }
                    })
                    .collect(),
            ),
            GenKind::List(m) => ShapeKind::List(to_member("member".into(), m, false)),
            GenKind::Set(m) => ShapeKind::Set(to_member("member".into(), m, false)),
            GenKind::Map(k, v) => {
                ShapeKind::Map { key: to_member("key".into(), k, false), value: to_member("value".into(), v, false) }
            }
            GenKind::Structure(members) => ShapeKind::Structure(
                members.iter().enumerate().map(|(k, m)| to_member(format!("m{i}_{k}"), m, true)).collect(),
            ),
            GenKind::Union(members) => ShapeKind::Union(
                members.iter().enumerate().map(|(k, m)| to_member(format!("m{i}_{k}"), m, false)).collect(),
            ),
            GenKind::Operation { input, output, errors } => {
                let io = |choice: &Option<usize>| match choice {
                    Some(n) if !spec_shape.is_mixin => pick(&structures, *n).unwrap_or_else(prelude::unit),
                    _ => prelude::unit(),
                };
                ShapeKind::Operation(OperationShape {
                    input: io(input),
                    output: io(output),
                    errors: dedup(errors.iter().filter_map(|n| pick(&structures, *n))),
                })
            }
            GenKind::Service { version, operations: ops, errors, rename } => ShapeKind::Service(ServiceShape {
                version: version.clone(),
                operations: dedup(ops.iter().filter_map(|n| pick(&operations, *n))),
                resources: Vec::new(),
                errors: dedup(errors.iter().filter_map(|n| pick(&structures, *n))),
                rename: rename.iter().filter_map(|(n, name)| Some((pick(&ids, *n)?, name.clone()))).collect(),
            }),
            GenKind::Resource { identifiers, properties, read } => ShapeKind::Resource(ResourceShape {
                identifiers: identifiers
                    .iter()
                    .filter_map(|(name, n)| Some((name.clone(), pick(&targets, *n)?)))
                    .collect(),
                properties: properties
                    .iter()
                    .filter_map(|(name, n)| Some((name.clone(), pick(&targets, *n)?)))
                    .collect(),
                lifecycle: read
                    .and_then(|n| pick(&operations, n))
                    .map(|op| ("read".to_owned(), op))
                    .into_iter()
                    .collect(),
                ..ResourceShape::default()
            }),
        };
        let mut shape = Shape { id: shape_id.clone(), kind, traits, mixins: Vec::new() };

        // Mixins: earlier mixin shapes of the same type (resources have none: a resource
        // mixin must be empty). Lists and maps take one, whose members they must match.
        let mixable = !matches!(shape.kind, ShapeKind::Resource(_));
        if mixable {
            let one_only = matches!(shape.kind, ShapeKind::List(_) | ShapeKind::Set(_) | ShapeKind::Map { .. });
            let mut mixins: Vec<ShapeId> = Vec::new();
            for n in &spec_shape.mixins {
                let Some(candidate) = pick(&shapes, *n) else { continue };
                if candidate.id == shape.id
                    || !candidate.traits.contains_key(&prelude::id("mixin"))
                    || candidate.kind.type_name() != shape.kind.type_name()
                    || mixins.contains(&candidate.id)
                    || (one_only && !mixins.is_empty())
                {
                    continue;
                }
                if one_only {
                    let theirs: Vec<Member> = candidate.kind.members().into_iter().cloned().collect();
                    for (mine, theirs) in shape.kind.members_mut().into_iter().zip(theirs) {
                        mine.target = theirs.target;
                    }
                }
                mixins.push(candidate.id.clone());
            }
            // Redeclare a member of the first mixin: the same target, other traits (an
            // enum member: another value).
            if spec_shape.redeclare
                && let Some(first) = mixins.first().and_then(|m| shapes.iter().find(|s| s.id == *m))
                && let Some(theirs) = first.kind.members().first().copied().cloned()
            {
                let redeclared = Member {
                    traits: [(prelude::id("since"), Node::from("redeclared"))]
                        .into_iter()
                        .chain(match &shape.kind {
                            ShapeKind::Enum(_) => Some((prelude::id("enumValue"), Node::from(theirs.name.clone()))),
                            ShapeKind::IntEnum(_) => Some((prelude::id("enumValue"), Node::from(-1))),
                            _ => None,
                        })
                        .collect(),
                    ..theirs
                };
                match &mut shape.kind {
                    ShapeKind::Structure(members)
                    | ShapeKind::Union(members)
                    | ShapeKind::Enum(members)
                    | ShapeKind::IntEnum(members) => members.push(redeclared),
                    _ => {}
                }
            }
            shape.mixins = mixins;
        }
        if spec_shape.is_mixin && mixable {
            shape.traits.insert(prelude::id("mixin"), Node::Object(Default::default()));
        }
        shapes.push(shape);
    }

    Model {
        metadata: spec.metadata.iter().cloned().collect(),
        shapes: shapes.into_iter().map(|s| (s.id.clone(), s)).collect(),
        ..Model::default()
    }
}

fn dedup(ids: impl Iterator<Item = ShapeId>) -> Vec<ShapeId> {
    let mut seen = BTreeSet::new();
    ids.filter(|id| seen.insert(id.clone())).collect()
}

/// The model with every set made a list with `@uniqueItems`, as the IDL writer writes sets
/// in an IDL 2.0 file.
fn without_sets(model: &Model) -> Model {
    let mut model = model.clone();
    for shape in model.shapes.values_mut() {
        if let ShapeKind::Set(member) = &shape.kind {
            shape.kind = ShapeKind::List(member.clone());
            shape.traits.entry(prelude::id("uniqueItems")).or_insert_with(|| Node::Object(Default::default()));
        }
    }
    model
}

/// Smithy's valid `.smithy` files with their text, read once.
fn valid_texts() -> &'static [(String, String, String)] {
    static TEXTS: std::sync::OnceLock<Vec<(String, String, String)>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        let Some((root, shared, cases)) = valid_cases() else { return Vec::new() };
        cases
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "smithy"))
            .map(|p| (p.strip_prefix(&root).unwrap_or(p).to_string_lossy().into_owned(), read(p), shared.clone()))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Arbitrary valid models: written as IDL and loaded back, the same model, except that
    /// sets in a file that must be IDL 2.0 come back as lists with `@uniqueItems`.
    #[test]
    fn generated_models_round_trip(spec in model()) {
        let json = to_json(&build(&spec));
        let model = load(&[("generated.json".to_owned(), json.clone())])
            .map_err(|e| TestCaseError::fail(format!("the generated model does not load:\n{e}\n{json}")))?;
        let again = through_idl(&model).map_err(TestCaseError::fail)?;
        let has_sets = model.shapes.values().any(|s| matches!(s.kind, ShapeKind::Set(_)));
        prop_assert!(
            again == model || (has_sets && without_sets(&again) == without_sets(&model)),
            "IDL round trip changes the model:\n{}\n{}",
            difference(&again, &model),
            show(&idl_files(&model))
        );
        json_identity(&model).map_err(TestCaseError::fail)?;
    }

    /// Smithy's valid files with a piece replaced: whenever the result still loads, both round
    /// trips are identities.
    #[test]
    fn mutated_valid_files_that_load_round_trip(
        seed in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        len in 0..8usize,
        insert in "[a-zA-Z0-9 \"\\\\@$#:=,{}\\[\\]()\n/]{0,6}",
    ) {
        let texts = valid_texts();
        if texts.is_empty() {
            return Ok(());
        }
        let (name, text, shared) = &texts[seed.index(texts.len())];
        let mut chars: Vec<char> = text.chars().collect();
        let start = at.index(chars.len().max(1)).min(chars.len());
        let end = (start + len).min(chars.len());
        chars.splice(start..end, insert.chars());
        let mutated: String = chars.into_iter().collect();
        if let Ok(model) = load(&[(name.clone(), mutated), ("__shared.json".to_owned(), shared.clone())]) {
            idl_identity(&model).map_err(TestCaseError::fail)?;
            json_identity(&model).map_err(TestCaseError::fail)?;
        }
    }
}

/// The generator reaches the cases the writer has to get right; without this check a change
/// to it could quietly stop testing them.
#[test]
fn the_generator_covers_the_tricky_cases() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let needles = [
        ("mixins", " with ["),
        ("an IDL 1.0 file (sets)", "$version: \"1.0\""),
        ("sets as lists", "@uniqueItems\nlist "),
        ("use statements", "\nuse "),
        ("absolute prelude ids", "smithy.api#"),
        ("absolute ids of the namespace", "gen.a#"),
        ("doc comments", "///"),
        ("documentation traits", "@documentation("),
        ("structure defaults", ": PrimitiveLong = "),
        ("enum values", "_0 = "),
        ("bare annotations", "@mixin\n"),
        ("empty objects that must be written", "({})"),
        ("structured trait values", ": "),
        ("several lines", "(\n"),
        ("services", "service "),
        ("resources", "resource "),
        ("metadata", "metadata "),
    ];
    let mut found = BTreeMap::new();
    for _ in 0..400 {
        let Ok(tree) = model().new_tree(&mut runner) else { continue };
        let Ok(model) = load(&[("generated.json".to_owned(), to_json(&build(&tree.current())))]) else { continue };
        let text = show(&idl_files(&model));
        for (what, needle) in needles {
            if text.contains(needle) {
                *found.entry(what).or_insert(0) += 1;
            }
        }
    }
    println!("generated models (of 400) whose IDL has: {found:?}");
    let missing: Vec<&str> = needles.iter().map(|(what, _)| *what).filter(|what| !found.contains_key(what)).collect();
    assert!(missing.is_empty(), "the generator never produced: {missing:?} (found {found:?})");
}

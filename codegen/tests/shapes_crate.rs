//! The shapes of a large service in a crate of their own (`codegen::ShapesCrate`), and its
//! operations in groups of crates (`Options::operations_per_crate`): the same code as in one
//! crate, moved, with the types and client crates re-exporting it at the same paths and
//! forwarding their features. The crates themselves are built and tested by the protocol test
//! suite (106 operations in three groups) and by the whole Connect model in `.ci/run`.

use std::collections::BTreeMap;

use codegen::{Options, ShapesCrate, Sources};

fn generate(shapes_crate: ShapesCrate) -> BTreeMap<String, String> {
    generate_with(Options { shapes_crate, ..Options::default() })
}

fn generate_with(options: Options) -> BTreeMap<String, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kitchen_sink.smithy");
    let text = std::fs::read_to_string(path).unwrap();
    let mut sources = Sources::new();
    sources.add("kitchen_sink.smithy", text);
    let model = codegen::load(&sources).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let options = Options { model_path: "kitchen_sink.smithy".to_owned(), ..options };
    let generated = codegen::generate(&model, &options).unwrap_or_else(|d| panic!("{d}"));
    generated.files.into_iter().map(|f| (f.path, f.contents)).collect()
}

/// The files below `prefix`, keyed by the rest of their path.
fn under<'a>(files: &'a BTreeMap<String, String>, prefix: &str) -> BTreeMap<&'a str, &'a str> {
    files.iter().filter_map(|(path, text)| Some((path.strip_prefix(prefix)?, text.as_str()))).collect()
}

/// Whether Rust code `text` names the shape `name` (`types::Name`, `types::error::Name`).
fn names(text: &str, name: &str) -> bool {
    ["types::", "error::"].iter().any(|module| {
        text.match_indices(&format!("{module}{name}"))
            .any(|(at, found)| !text[at + found.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

#[test]
fn a_small_service_keeps_its_shapes_in_the_types_crate() {
    let by_size = generate(ShapesCrate::BySize);
    assert!(!by_size.keys().any(|p| p.contains("-shapes/")), "a crate of shapes for a small service");
    assert_eq!(by_size, generate(ShapesCrate::Together));
}

#[test]
fn separate_shapes_are_the_same_code_in_a_crate_of_their_own() {
    let together = generate(ShapesCrate::Together);
    let separate = generate(ShapesCrate::Separate);
    let prefix = together.keys().find_map(|p| p.strip_suffix("-types/Cargo.toml")).expect("a types crate").to_owned();
    let (types, shapes) = (format!("{prefix}-types"), format!("{prefix}-shapes"));

    // Each shape's file moved, byte for byte; so did each operation's.
    let moved = under(&separate, &format!("{shapes}/src/generated/types"));
    assert!(!moved.is_empty(), "no shapes in {shapes}");
    assert_eq!(moved, under(&together, &format!("{types}/src/generated/types")));
    assert!(under(&separate, &format!("{types}/src/generated/types")).is_empty(), "shapes left in {types}");
    assert_eq!(
        under(&separate, &format!("{types}/src/generated/operation")),
        under(&together, &format!("{types}/src/generated/operation"))
    );

    // The types crate re-exports them where they were, and has the operations.
    let root = &separate[&format!("{types}/src/generated.rs")];
    let krate = shapes.replace('-', "_");
    assert!(root.contains(&format!("#[doc(inline)]\npub use ::{krate}::types;\n")), "{root}");
    assert!(root.contains("pub mod operation;"), "{root}");
    let shapes_root = &separate[&format!("{shapes}/src/generated.rs")];
    assert!(shapes_root.contains("pub mod types;") && !shapes_root.contains("operation"), "{shapes_root}");

    // Its manifest depends on the shapes crate and turns on the shapes' side of every feature,
    // so that `client`, `server` and `validate` mean the same for both.
    let manifest = &separate[&format!("{types}/Cargo.toml")];
    assert!(manifest.contains(&format!("{shapes} = {{ path = \"../{shapes}\" }}\n")), "{manifest}");
    let features: Vec<&str> = together[&format!("{types}/Cargo.toml")]
        .split("[features]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name))
        .collect();
    assert!(features.len() >= 3, "{features:?}");
    for feature in features {
        let line = manifest.lines().find(|l| l.starts_with(&format!("{feature} = "))).unwrap_or_default();
        assert!(line.contains(&format!("\"{shapes}/{feature}\"")), "{feature}: {line:?} in\n{manifest}");
    }
    let shapes_manifest = &separate[&format!("{shapes}/Cargo.toml")];
    for feature in ["client", "server", "validate"] {
        assert!(shapes_manifest.lines().any(|l| l.starts_with(&format!("{feature} = "))), "{shapes_manifest}");
    }
    // Nothing else changes: the client, the server and the tests are the same bytes.
    for krate in ["-client/", "-server/", "-types/tests/"] {
        let side = format!("{prefix}{krate}");
        assert_eq!(under(&separate, &side), under(&together, &side), "{side}");
    }
}

#[test]
fn grouped_operations_are_the_same_types_in_crates_of_their_own() {
    let separate = generate(ShapesCrate::Separate);
    let grouped =
        generate_with(Options { shapes_crate: ShapesCrate::Separate, operations_per_crate: 4, ..Options::default() });
    let prefix = separate.keys().find_map(|p| p.strip_suffix("-types/Cargo.toml")).expect("a types crate").to_owned();
    let (types, client, shapes) = (format!("{prefix}-types"), format!("{prefix}-client"), format!("{prefix}-shapes"));
    let operations: Vec<&str> = under(&separate, &format!("{types}/src/generated/operation/"))
        .keys()
        .filter_map(|p| p.strip_suffix(".rs"))
        .filter(|p| !p.contains('/'))
        .collect();
    assert!(operations.len() > 8, "{operations:?}");
    let groups = operations.len().div_ceil(4);
    assert!(grouped.contains_key(&format!("{prefix}-types-{groups}/Cargo.toml")));
    assert!(!grouped.contains_key(&format!("{prefix}-types-{}/Cargo.toml", groups + 1)));

    // Each shape is the same bytes in exactly one crate: the shapes crate, or the types crate
    // of the one group whose operations use it, which no other crate then names.
    let crates: Vec<String> =
        std::iter::once(shapes.clone()).chain((1..=groups).map(|k| format!("{prefix}-types-{k}"))).collect();
    let mut moved = 0;
    for (file, text) in under(&separate, &format!("{shapes}/src/generated/types/")) {
        // (`error.rs` is a module of shapes, not a shape.)
        if !file.rsplit('/').next().is_some_and(|name| name.starts_with('_')) {
            continue;
        }
        let homes: Vec<&String> = crates
            .iter()
            .filter(|c| grouped.get(&format!("{c}/src/generated/types/{file}")).map(String::as_str) == Some(text))
            .collect();
        let [home] = homes[..] else { panic!("{file} is in {homes:?}") };
        if home == &shapes {
            continue;
        }
        moved += 1;
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("pub struct ").or_else(|| l.strip_prefix("pub enum ")))
            .and_then(|rest| rest.split([' ', '{', '(']).next())
            .unwrap_or_else(|| panic!("no type in {file}"));
        for (path, other) in
            grouped.iter().filter(|(p, _)| crates.iter().any(|c| c != home && p.starts_with(&format!("{c}/"))))
        {
            assert!(!names(other, name), "{path} names {name}, which only {home} has");
        }
    }
    assert!(moved > 0, "no shape moved to a group's crate");

    // Each operation's types are the same bytes in exactly one group's types crate, and its
    // client code is in the same group's client crate.
    for op in &operations {
        let file = format!("src/generated/operation/{op}.rs");
        let homes: Vec<usize> =
            (1..=groups).filter(|k| grouped.contains_key(&format!("{prefix}-types-{k}/{file}"))).collect();
        let [k] = homes[..] else { panic!("{op} is in the types groups {homes:?}") };
        assert_eq!(grouped[&format!("{prefix}-types-{k}/{file}")], separate[&format!("{types}/{file}")], "{op}");
        let code = &grouped[&format!("{prefix}-client-{k}/{file}")];
        assert!(code.contains("FluentBuilder") && !code.contains("for crate::generated::Error"), "{op}:\n{code}");
        // The client crate re-exports the module and converts its error into `Error`.
        let facade = &grouped[&format!("{client}/{file}")];
        let group = format!("{prefix}_client_{k}").replace('-', "_");
        // (A module named after a keyword is a raw identifier: `r#match`.)
        let reexport = |module: &str| format!("pub use ::{group}::operation::{module}::*;");
        assert!(facade.contains(&reexport(op)) || facade.contains(&reexport(&format!("r#{op}"))), "{op}:\n{facade}");
        assert!(facade.contains("for crate::generated::Error"), "{op}:\n{facade}");
        assert!(!grouped.contains_key(&format!("{types}/{file}")), "{op} left in {types}");
    }

    // The types crate re-exports every group's operations and turns on their features; the
    // client crate depends on every client group.
    let root = &grouped[&format!("{types}/src/generated.rs")];
    let types_manifest = &grouped[&format!("{types}/Cargo.toml")];
    let client_manifest = &grouped[&format!("{client}/Cargo.toml")];
    for k in 1..=groups {
        let group = format!("{prefix}-types-{k}");
        assert!(root.contains(&format!("pub use ::{}::operation::*;", group.replace('-', "_"))), "{root}");
        let types_module = &grouped[&format!("{types}/src/generated/types.rs")];
        assert!(types_module.contains(&format!("pub use ::{}::types::*;", group.replace('-', "_"))), "{types_module}");
        for feature in ["client", "server", "validate"] {
            let line = types_manifest.lines().find(|l| l.starts_with(&format!("{feature} = "))).unwrap_or_default();
            assert!(line.contains(&format!("\"{group}/{feature}\"")), "{feature}: {line:?}");
        }
        let group_manifest = &grouped[&format!("{group}/Cargo.toml")];
        assert!(group_manifest.contains(&format!("{shapes} = {{ path = \"../{shapes}\" }}")), "{group_manifest}");
        let client_group = format!("{prefix}-client-{k}");
        assert!(
            client_manifest.contains(&format!("{client_group} = {{ path = \"../{client_group}\" }}")),
            "{client_manifest}"
        );
        assert!(grouped[&format!("{client_group}/Cargo.toml")].contains(&format!("{group} = {{ path")));
    }
    // What needs the whole service stays in the client crate apps use: `Client`, `Error`.
    let client_root = &grouped[&format!("{client}/src/generated.rs")];
    assert!(client_root.contains("pub struct Client") && client_root.contains("pub use error_meta::Error;"));
}

/// Four operations in name order `GetBlue`, `GetRed`, `ListBlues`, `ListReds`: the two that
/// read a `Blue` and the two that read a `Red` share their shapes, nothing else but the error.
const COLOURS: &str = r#"$version: "2.0"
namespace example.colours

use aws.protocols#restJson1

@restJson1
service Colours {
    version: "2024-01-01"
    operations: [GetBlue, GetRed, ListBlues, ListReds]
    errors: [Oops]
}

@readonly @http(method: "GET", uri: "/blue/{Id}")
operation GetBlue {
    input := { @required @httpLabel Id: String }
    output := { Blue: Blue }
}

@readonly @http(method: "GET", uri: "/blues")
operation ListBlues {
    output := { Blues: Blues }
}

@readonly @http(method: "GET", uri: "/red/{Id}")
operation GetRed {
    input := { @required @httpLabel Id: String }
    output := { Red: Red }
}

@readonly @http(method: "GET", uri: "/reds")
operation ListReds {
    output := { Reds: Reds }
}

list Blues { member: Blue }
structure Blue { Shade: Shade, Name: String, Depth: Integer }
enum Shade { NAVY, SKY }

list Reds { member: Red }
structure Red { Tone: Tone, Name: String, Heat: Integer }
union Tone { Warm: String, Hot: Integer }

@error("client")
structure Oops { Message: String }
"#;

#[test]
fn operations_that_use_the_same_shapes_share_a_group_and_keep_them_to_themselves() {
    let mut sources = Sources::new();
    sources.add("colours.smithy", COLOURS);
    let model = codegen::load(&sources).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let options = Options {
        model_path: "colours.smithy".to_owned(),
        shapes_crate: ShapesCrate::Separate,
        operations_per_crate: 2,
        ..Options::default()
    };
    let (ir, _) = codegen::lower::lower(&model, &options.lower).unwrap_or_else(|d| panic!("{d}"));
    let groups = codegen::emit::operation_groups(&ir, &options);
    let names = |k: usize| groups.of(&ir, k).iter().map(|op| op.name.as_str()).collect::<Vec<_>>();
    let (blue, red) = if names(0).contains(&"GetBlue") { (0, 1) } else { (1, 0) };
    assert_eq!((names(blue), names(red)), (vec!["GetBlue", "ListBlues"], vec!["GetRed", "ListReds"]));
    let expected = [("Blue", blue), ("Shade", blue), ("Red", red), ("Tone", red)];
    assert_eq!(groups.shapes, expected.iter().map(|(n, k)| (n.to_string(), *k)).collect());

    // In the crates: each colour's shapes in its group's types crate, the error shared.
    let generated = codegen::generate(&model, &options).unwrap_or_else(|d| panic!("{d}"));
    let has = |path: &str| generated.files.iter().any(|f| f.path == path);
    let (b, r) = (blue + 1, red + 1);
    for path in [
        format!("colours-types-{b}/src/generated/types/_blue.rs"),
        format!("colours-types-{b}/src/generated/types/_shade.rs"),
        format!("colours-types-{r}/src/generated/types/_red.rs"),
        format!("colours-types-{r}/src/generated/types/_tone.rs"),
        "colours-shapes/src/generated/types/error/_oops.rs".to_owned(),
    ] {
        assert!(has(&path), "no {path}");
    }
    assert!(!generated.files.iter().any(|f| f.path.starts_with("colours-shapes/src/generated/types/_")));
}

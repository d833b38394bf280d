//! Emit pass: the [`Ir`] into the files of the three generated crates.
//!
//! Consumes the IR and [`Options`]; produces, per crate, a `Cargo.toml`, a small `src/lib.rs`
//! that declares `#[rustfmt::skip] mod generated;` (so rustfmt and the generator never fight over
//! formatting), and `src/generated.rs`, whose token stream comes from `types`, `client` or
//! `server` and is formatted and laid out in files by [`crate::render`]: every module with
//! code gets a file below `src/generated/`, so the emitters choose the layout by how they nest
//! modules. Paths are relative to the directory that holds the crates (`crates/` in this
//! workspace) and the list is sorted by path.

mod client;
mod client_guide;
mod common;
mod endpoint_tests;
mod groups;
mod property_tests;
mod protocol;
mod protocol_tests;
mod server;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

pub use groups::Groups;

use crate::ir::{Ir, TestSide, Type};
use crate::lower::LowerOptions;
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Fingerprint, RenderedFile, Reuse, render_tree};

pub use common::EmitContext;

/// What to generate and how to label it.
#[derive(Clone, Debug)]
pub struct Options {
    /// Options of the lower pass (which service).
    pub lower: LowerOptions,
    /// The crate name prefix: `connect` gives `connect-types`, `connect-client`,
    /// `connect-server`. Defaults to the service's sdkId in kebab case.
    pub crate_prefix: Option<String>,
    /// The model path shown in the `@generated` header, e.g. `model/connect.smithy`.
    pub model_path: String,
    /// Whether the shared shapes get a crate of their own.
    pub shapes_crate: ShapesCrate,
    /// How many operations one crate holds, on average, when the shapes have a crate of their
    /// own: past it, the operations go into ⌈operations / this⌉ groups (see [`Groups`]), each
    /// with a types crate (`connect-types-1`: inputs, outputs, errors, and the shapes only the
    /// group uses) and a client crate (`connect-client-1`: fluent builders, request writing,
    /// response reading, paginators), which rustc compiles side by side; `connect-types` and
    /// `connect-client` re-export them at the same paths. [`OPERATIONS_PER_CRATE`] by default.
    pub operations_per_crate: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lower: LowerOptions::default(),
            crate_prefix: None,
            model_path: "model/connect.smithy".to_owned(),
            shapes_crate: ShapesCrate::BySize,
            operations_per_crate: OPERATIONS_PER_CRATE,
        }
    }
}

/// Where the shapes of the model (the `types` module: structures, unions, enums and errors)
/// go: into the types crate beside the operations' inputs, outputs and errors, or into a crate
/// of their own (`connect-shapes`) that the types crate depends on and re-exports as
/// `connect_types::types`, so every public path stays the same.
///
/// Two crates about halve what one rustc process holds: the whole Amazon Connect model's types
/// crate peaked at 1.1 GiB in debug and 1.2 GiB in release as one crate, 0.7 and 0.8 GiB as
/// two. Up to [`SHAPES_CRATE_ABOVE`] operations one crate is simpler and compiles as fast.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShapesCrate {
    /// A crate of their own when the service has more than [`SHAPES_CRATE_ABOVE`] operations.
    #[default]
    BySize,
    /// Always a crate of their own.
    Separate,
    /// Always in the types crate.
    Together,
}

/// How many operations a service has before its shapes get a crate of their own
/// ([`ShapesCrate::BySize`]).
pub const SHAPES_CRATE_ABOVE: usize = 64;

impl ShapesCrate {
    /// Whether `ir`'s shapes get a crate of their own.
    pub fn separate(self, ir: &Ir) -> bool {
        match self {
            ShapesCrate::BySize => ir.operations.len() > SHAPES_CRATE_ABOVE,
            ShapesCrate::Separate => true,
            ShapesCrate::Together => false,
        }
    }
}

/// How many operations one crate holds on average, by default
/// ([`Options::operations_per_crate`]). The whole Amazon Connect model (282 operations) gets two
/// groups, which the two cores of a small machine compile at once; as one types crate and one
/// client crate, each front end took about 15 s of a debug build with the other core idle.
/// Three or four groups built about as fast in debug there and 5-20% slower in release.
pub const OPERATIONS_PER_CRATE: usize = 150;

/// How `ir`'s operations are grouped (see [`Options::operations_per_crate`]): in
/// ⌈operations / `operations_per_crate`⌉ groups, when there are more operations than that and
/// the shapes have a crate of their own; not at all otherwise.
pub fn operation_groups(ir: &Ir, options: &Options) -> Groups {
    Groups::new(ir, group_count(ir, options))
}

/// How many groups [`operation_groups`] makes: none (0) or two and more.
fn group_count(ir: &Ir, options: &Options) -> usize {
    let n = ir.operations.len();
    let per_crate = options.operations_per_crate.max(1);
    if !options.shapes_crate.separate(ir) || n <= per_crate { 0 } else { n.div_ceil(per_crate) }
}

/// "17 of Amazon Connect Service's operations (`CreateUser`, `DeleteUser`, …)", for the
/// documentation of group `group`'s crates.
fn group_summary(ir: &Ir, groups: &Groups, group: usize) -> String {
    let operations = groups.of(ir, group);
    let names: Vec<String> = operations.iter().take(3).map(|op| format!("`{}`", op.name)).collect();
    let more = if operations.len() > names.len() { ", …" } else { "" };
    format!("{} of {}'s operations ({}{more})", operations.len(), ir.service.title, names.join(", "))
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the output directory, with `/` separators.
    pub path: String,
    /// The whole contents.
    pub contents: String,
}

/// The names of the three crates for a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrateNames {
    /// e.g. `connect-types`
    pub types: String,
    /// e.g. `connect-client`
    pub client: String,
    /// e.g. `connect-server`
    pub server: String,
    /// e.g. `connect-shapes`, when the shapes have a crate of their own ([`ShapesCrate`]).
    pub shapes: Option<String>,
    /// e.g. `connect-types-1` and `connect-types-2`, when the operations are grouped
    /// ([`Options::operations_per_crate`]); empty otherwise.
    pub types_groups: Vec<String>,
    /// e.g. `connect-client-1` and `connect-client-2`, the client crates of the same groups.
    pub client_groups: Vec<String>,
}

/// The crate names `options` give for `ir`.
pub fn crate_names(ir: &Ir, options: &Options) -> CrateNames {
    let prefix =
        options.crate_prefix.clone().unwrap_or_else(|| heck::ToKebabCase::to_kebab_case(ir.service.sdk_id.as_str()));
    let groups = group_count(ir, options);
    CrateNames {
        types: format!("{prefix}-types"),
        client: format!("{prefix}-client"),
        server: format!("{prefix}-server"),
        shapes: options.shapes_crate.separate(ir).then(|| format!("{prefix}-shapes")),
        types_groups: (1..=groups).map(|k| format!("{prefix}-types-{k}")).collect(),
        client_groups: (1..=groups).map(|k| format!("{prefix}-client-{k}")).collect(),
    }
}

/// Emits one file tree of Rust code: built and split into files on a worker thread, since
/// token streams cannot cross threads.
type Job<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// Every file of the three crates. The Rust file trees are emitted in parallel, then every file
/// is formatted in parallel.
pub fn emit(ir: &Ir, options: &Options) -> Result<Vec<GeneratedFile>, Diagnostics> {
    emit_reusing(ir, options, None).map(|(files, _)| files)
}

/// [`emit`], with each Rust file's [`Fingerprint`] (by path), and the text `reuse` kept for a
/// fingerprint taken instead of rendering the file again (see [`crate::render`]).
pub fn emit_reusing(
    ir: &Ir,
    options: &Options,
    reuse: Option<&dyn Reuse>,
) -> Result<(Vec<GeneratedFile>, BTreeMap<String, Fingerprint>), Diagnostics> {
    let names = crate_names(ir, options);
    let groups = operation_groups(ir, options);
    let groups = &groups;
    let model = &options.model_path;
    let mut files = Vec::new();
    let types_crate = names.types.clone();
    let make_inside = move || EmitContext::new(ir, quote!(crate));
    let make_outside = move || EmitContext::new(ir, common::crate_path(&types_crate));
    let (inside, outside) = (&make_inside, &make_outside);
    // (root path, what it is, how to make its tokens)
    let mut jobs: Vec<(String, &str, Job<'_>)> = Vec::new();
    let mut push_rust = |path, what, job| jobs.push((path, what, job));
    let title = &ir.service.title;

    let client_tests = ir.has_protocol_cases(TestSide::Client);
    let server_tests = ir.has_protocol_cases(TestSide::Server);

    // The types crate, and the shapes crate when the shapes have one of their own: both
    // declare the same features, the types crate's turning on the shapes crate's.
    // Constraint checks are the server's: a client build leaves them (and the regex crate that
    // `@pattern` needs) out. Each side turns on its own of `client` and `server`: a structure's
    // JSON reading and writing are compiled only for the sides that use them
    // (`EmitContext::json_cfg`).
    let protocol_test = client_tests || server_tests;
    let features_section = |forward_to: &[&str]| {
        let also =
            |feature: &str| forward_to.iter().map(|c| format!("\"{c}/{feature}\"")).collect::<Vec<_>>().join(", ");
        let list = |items: &[String]| items.iter().filter(|i| !i.is_empty()).cloned().collect::<Vec<_>>().join(", ");
        let pattern = if uses_patterns(ir) { "\"smithy-runtime/pattern\"".to_owned() } else { String::new() };
        let mut out = format!(
            "\n[features]\n\
             # `validate()`: the model's constraints checked (the server turns it on).\n\
             validate = [{}]\n\
             # JSON reading of what the client receives and writing of what it sends.\n\
             client = [{}]\n\
             # JSON reading of what the server receives and writing of what it answers.\n\
             server = [{}]\n",
            list(&[pattern, also("validate")]),
            also("client"),
            also("server"),
        );
        if protocol_test {
            out.push_str(&format!(
                "# `ToJson` on operation inputs and outputs, which the protocol tests compare through.\n\
                 protocol-test = [{}]\n",
                also("protocol-test")
            ));
        }
        out
    };
    let with_features = |mut manifest: String, features: &str| {
        let lints = manifest.rfind("\n[lints]").unwrap_or(manifest.len());
        manifest.insert_str(lints, features);
        manifest
    };
    let types_description = format!("Shapes of {title}, shared by client and server; generated from its Smithy model");
    let types_manifest = manifest(model, &names.types, &types_description, &[], None, DevDependencies::Roundtrip);
    let types_manifest = match &names.shapes {
        Some(shapes) => {
            // The types crate depends on the crates it re-exports, and turns on their features.
            let below: Vec<&str> = if names.types_groups.is_empty() {
                vec![shapes]
            } else {
                names.types_groups.iter().map(String::as_str).collect()
            };
            let runtime = "smithy-runtime = { workspace = true }\n";
            let lines: String = std::iter::once(shapes.as_str())
                .chain(names.types_groups.iter().map(String::as_str))
                .map(|c| format!("{c} = {{ path = \"../{c}\" }}\n"))
                .collect();
            let types_manifest = types_manifest.replacen(runtime, &format!("{runtime}{lines}"), 1);
            with_features(types_manifest, &features_section(&below))
        }
        None => with_features(types_manifest, &features_section(&[])),
    };
    files.push(GeneratedFile { path: format!("{}/Cargo.toml", names.types), contents: types_manifest });
    let types_docs = format!(
        "The shapes of {title}: structures, unions, enums and errors, with builders,\n//! the restJson1 wire format (the runtime's `ToJson` and `FromJson`), and constraint\n//! checks (`validate()`, with the `validate` feature, which the server turns on)."
    );
    files.push(GeneratedFile { path: format!("{}/src/lib.rs", names.types), contents: lib_rs(model, &types_docs) });
    let types_crate_path = names.types.replace('-', "_");
    if let Some(shapes) = names.shapes.clone() {
        let description = format!(
            "The shared shapes of {title}, which {} re-exports as `types`; generated from its Smithy model",
            names.types
        );
        let shapes_manifest = manifest(model, &shapes, &description, &[], None, DevDependencies::None);
        files.push(GeneratedFile {
            path: format!("{shapes}/Cargo.toml"),
            contents: with_features(shapes_manifest, &features_section(&[])),
        });
        let docs = format!(
            "The shapes of {title} (structures, unions, enums and errors), in a crate of\n//! their own so that two rustc processes share the work of the types crate. Use them\n//! through `{types_crate_path}::types`, which re-exports this crate's `types`.",
        );
        files.push(GeneratedFile { path: format!("{shapes}/src/lib.rs"), contents: lib_rs(model, &docs) });
        push_rust(
            format!("{shapes}/src/generated.rs"),
            "shapes crate",
            Box::new(move || types::shapes(ir, &inside(), &groups.shapes)),
        );
        for (group, name) in names.types_groups.iter().enumerate() {
            let description = format!(
                "Inputs, outputs and errors of a group of operations of {title}, which {} re-exports; generated from its Smithy model",
                names.types
            );
            let group_manifest = manifest(model, name, &description, &[], None, DevDependencies::None);
            let runtime = "smithy-runtime = { workspace = true }\n";
            let group_manifest =
                group_manifest.replacen(runtime, &format!("{runtime}{shapes} = {{ path = \"../{shapes}\" }}\n"), 1);
            files.push(GeneratedFile {
                path: format!("{name}/Cargo.toml"),
                contents: with_features(group_manifest, &features_section(&[shapes.as_str()])),
            });
            let docs = format!(
                "The inputs, outputs and errors of {}, and the shapes\n//! only they use, in a crate of their own so that rustc compiles them beside the other\n//! groups'. Use them through `{types_crate_path}::operation` and `{types_crate_path}::types`,\n//! which re-export this crate's.",
                group_summary(ir, groups, group),
            );
            files.push(GeneratedFile { path: format!("{name}/src/lib.rs"), contents: lib_rs(model, &docs) });
            let shapes = shapes.clone();
            push_rust(
                format!("{name}/src/generated.rs"),
                "types group crate",
                Box::new(move || {
                    let operations = groups.of(ir, group);
                    types::group(ir, &inside(), &common::crate_path(&shapes), &operations, &groups.shapes, group)
                }),
            );
        }
        if names.types_groups.is_empty() {
            push_rust(
                format!("{}/src/generated.rs", names.types),
                "types crate",
                Box::new(move || {
                    types::operations(
                        &inside(),
                        &common::crate_path(&shapes),
                        &ir.operations.iter().collect::<Vec<_>>(),
                    )
                }),
            );
        } else {
            let crates = names.types_groups.clone();
            push_rust(
                format!("{}/src/generated.rs", names.types),
                "types crate",
                Box::new(move || {
                    let crates: Vec<TokenStream> = crates.iter().map(|c| common::crate_path(c)).collect();
                    types::reexports(ir, &groups.shapes, &common::crate_path(&shapes), &crates)
                }),
            );
        }
    } else {
        push_rust(
            format!("{}/src/generated.rs", names.types),
            "types crate",
            Box::new(move || types::emit(ir, &inside())),
        );
    }
    files.push(GeneratedFile {
        path: format!("{}/tests/roundtrip/main.rs", names.types),
        contents: test_main_rs(model),
    });
    push_rust(
        format!("{}/tests/roundtrip/generated.rs", names.types),
        "types round-trip test",
        Box::new(move || property_tests::emit(ir, &outside())),
    );

    // The runtime features the operations need beyond the client and the server.
    let compression = ir.operations.iter().any(|op| !op.request_compression.is_empty());
    let checksums = ir.operations.iter().any(|op| op.checksum_required || op.tree_hash_checksums);
    let mut client_features = vec!["client"];
    let mut server_features = vec!["server"];
    if compression {
        client_features.push("request-compression");
        server_features.push("request-compression");
    }
    if checksums {
        client_features.push("checksums");
    }

    // The client crate, and its group crates when the operations are grouped: each group's
    // client code over that group's types crate, the client crate on top of them all.
    let client_groups: Vec<(String, Vec<usize>)> =
        names.client_groups.iter().cloned().zip(groups.operations.clone()).collect();
    let mut client_manifest = manifest(
        model,
        &names.client,
        &format!("A client for {title}; generated from its Smithy model"),
        &client_features,
        Some(&names.types),
        if client_tests { DevDependencies::ProtocolTests } else { DevDependencies::None },
    );
    let types_line = format!("{0} = {{ path = \"../{0}\", features = [\"client\"] }}\n", names.types);
    let group_lines: String = names.client_groups.iter().map(|c| format!("{c} = {{ path = \"../{c}\" }}\n")).collect();
    client_manifest = client_manifest.replacen(&types_line, &format!("{types_line}{group_lines}"), 1);
    files.push(GeneratedFile { path: format!("{}/Cargo.toml", names.client), contents: client_manifest });
    files.push(GeneratedFile { path: format!("{}/src/lib.rs", names.client), contents: client_lib_rs(model) });
    files.push(GeneratedFile {
        path: format!("{}/README.md", names.client),
        contents: client_guide::readme(ir, model, &names.client),
    });
    let groups_of_client = client_groups.clone();
    push_rust(
        format!("{}/src/generated.rs", names.client),
        "client crate",
        Box::new(move || client::emit(ir, &outside(), &groups_of_client)),
    );
    let client_crate_path = names.client.replace('-', "_");
    for (group, ((name, _), types_group)) in client_groups.into_iter().zip(names.types_groups.clone()).enumerate() {
        // The group's manifest is the client's without what belongs to the crate apps use:
        // the guide as README and the `aws-config` feature.
        let group_manifest = manifest(
            model,
            &name,
            &format!(
                "Client code of a group of operations of {title}, which {} re-exports; generated from its Smithy model",
                names.client
            ),
            &client_features,
            Some(&types_group),
            DevDependencies::None,
        );
        let group_manifest = match group_manifest.find("\n[features]\n") {
            Some(at) => format!("{}\n[lints]\nworkspace = true\n", &group_manifest[..at]),
            None => group_manifest,
        }
        .replacen("readme = \"README.md\"\n", "", 1);
        files.push(GeneratedFile { path: format!("{name}/Cargo.toml"), contents: group_manifest });
        let docs = format!(
            "The client code of {} (fluent builders,\n//! request writing, response reading, paginators), in a crate of their own so that rustc\n//! compiles them beside the other groups'. Use them through `{client_crate_path}`, whose\n//! `Client` and `operation` module re-export them.",
            group_summary(ir, groups, group),
        );
        files.push(GeneratedFile { path: format!("{name}/src/lib.rs"), contents: lib_rs(model, &docs) });
        push_rust(
            format!("{name}/src/generated.rs"),
            "client group crate",
            Box::new(move || {
                client::emit_group(ir, &EmitContext::new(ir, common::crate_path(&types_group)), &groups.of(ir, group))
            }),
        );
    }
    if client_tests {
        let client = common::crate_path(&names.client).to_string();
        files.push(GeneratedFile {
            path: format!("{}/tests/protocol/main.rs", names.client),
            contents: protocol_test_main_rs(model, "client"),
        });
        push_rust(
            format!("{}/tests/protocol/generated.rs", names.client),
            "client protocol tests",
            Box::new(move || protocol_tests::emit_client(ir, &parse_path(&client)).unwrap_or_default()),
        );
    }
    if !ir.service.endpoint_tests.is_empty() {
        files.push(GeneratedFile {
            path: format!("{}/tests/endpoints/main.rs", names.client),
            contents: endpoint_test_main_rs(model),
        });
        let client = names.client.clone();
        push_rust(
            format!("{}/tests/endpoints/generated.rs", names.client),
            "client endpoint tests",
            Box::new(move || endpoint_tests::emit(ir, &client)),
        );
    }

    // The server crate.
    files.push(GeneratedFile {
        path: format!("{}/Cargo.toml", names.server),
        contents: manifest(
            model,
            &names.server,
            &format!("An axum server stub for {title}; generated from its Smithy model"),
            &server_features,
            Some(&names.types),
            if server_tests { DevDependencies::ProtocolTests } else { DevDependencies::None },
        ),
    });
    files.push(GeneratedFile {
        path: format!("{}/src/lib.rs", names.server),
        contents: lib_rs(
            model,
            &format!("A server for {title}: implement the service trait, serve `router(service)`\n//! with axum."),
        ),
    });
    push_rust(
        format!("{}/src/generated.rs", names.server),
        "server crate",
        Box::new(move || server::emit(ir, &outside())),
    );
    if server_tests {
        let server = common::crate_path(&names.server).to_string();
        files.push(GeneratedFile {
            path: format!("{}/tests/protocol/main.rs", names.server),
            contents: protocol_test_main_rs(model, "server"),
        });
        push_rust(
            format!("{}/tests/protocol/generated.rs", names.server),
            "server protocol tests",
            Box::new(move || protocol_tests::emit_server(ir, &parse_path(&server)).unwrap_or_default()),
        );
    }

    // The crates' own trees first, the larger, then the tests': workers take jobs in order, so
    // the last ones taken are small and the cores finish at about the same time.
    jobs.sort_by_key(|(path, _, _)| path.contains("/tests/"));
    let mut diagnostics = Diagnostics::new();
    let mut fingerprints = BTreeMap::new();
    for tree in run_jobs(jobs, model, reuse) {
        match tree {
            Ok(rendered) => {
                for file in rendered {
                    if let Some(fingerprint) = file.fingerprint {
                        fingerprints.insert(file.path.clone(), fingerprint);
                    }
                    files.push(GeneratedFile { path: file.path, contents: file.text });
                }
            }
            Err(errors) => errors.into_iter().for_each(|d| diagnostics.push(d)),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, fingerprints))
}

/// Runs the jobs on every core, each emitting its tree, splitting it into files and formatting
/// them; the results are in job order.
fn run_jobs(
    jobs: Vec<(String, &str, Job<'_>)>,
    model: &str,
    reuse: Option<&dyn Reuse>,
) -> Vec<Result<Vec<RenderedFile>, Vec<Diagnostic>>> {
    crate::parallel::map(&jobs, |(path, what, job)| render_tree(job(), path, what, model, reuse))
}

/// A path written as text (`::connect_client`) as tokens again.
fn parse_path(text: &str) -> TokenStream {
    text.parse().unwrap_or_default()
}

/// What a generated crate's tests need beyond the crate's own dependencies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DevDependencies {
    None,
    /// The types crate's property tests.
    Roundtrip,
    /// Smithy protocol tests: tokio, and the runtime's test doubles and checks.
    ProtocolTests,
}

fn manifest(
    model: &str,
    name: &str,
    description: &str,
    features: &[&str],
    types_crate: Option<&str>,
    dev: DevDependencies,
) -> String {
    let client = features.contains(&"client");
    let features = if features.is_empty() {
        String::new()
    } else {
        format!(", features = [{}]", features.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", "))
    };
    // The client's guide (`emit/client_guide.rs`) is its README.
    let readme = if client { "readme = \"README.md\"\n" } else { "" };
    let mut out = format!(
        "# @generated by cargo xtask codegen from {model}; do not edit.\n\
         [package]\n\
         name = \"{name}\"\n\
         description = \"{description}\"\n\
         {readme}\
         version.workspace = true\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         \n\
         [dependencies]\n\
         smithy-runtime = {{ workspace = true{features} }}\n"
    );
    if let Some(types) = types_crate {
        // The server checks the model's constraints on what it receives; each side compiles
        // the JSON code of its own direction.
        let side = if features.contains("\"server\"") { "\"server\", \"validate\"" } else { "\"client\"" };
        out.push_str(&format!("{types} = {{ path = \"../{types}\", features = [{side}] }}\n"));
    }
    match dev {
        DevDependencies::None => {}
        DevDependencies::Roundtrip => out.push_str("\n[dev-dependencies]\nproptest.workspace = true\n"),
        DevDependencies::ProtocolTests => {
            let extra = if client { "\"protocol-test\", \"test-util\"" } else { "\"protocol-test\"" };
            out.push_str(&format!(
                "\n[dev-dependencies]\n\
                 smithy-runtime = {{ workspace = true, features = [{extra}] }}\n\
                 tokio = {{ workspace = true, features = [\"macros\", \"rt\"] }}\n"
            ));
            if let Some(types) = types_crate {
                out.push_str(&format!("{types} = {{ path = \"../{types}\", features = [\"protocol-test\"] }}\n"));
            }
        }
    }
    if client {
        out.push_str(
            "\n[features]\n\
             # `Client::new(&SdkConfig)`: a client configured by aws-config, as with the AWS SDK for Rust.\n\
             aws-config = [\"smithy-runtime/aws-config\"]\n",
        );
    }
    out.push_str("\n[lints]\nworkspace = true\n");
    out
}

fn lib_rs(model: &str, docs: &str) -> String {
    format!(
        "// @generated by cargo xtask codegen from {model}; do not edit.\n\
         //! {docs}\n\
         //!\n\
         //! Generated from `{model}` by `cargo xtask codegen`; the code is in `generated.rs` and\n\
         //! the files below `generated/`, which rustfmt leaves alone because prettyplease has\n\
         //! already formatted them.\n\
         \n\
         #[rustfmt::skip]\n\
         mod generated;\n\
         \n\
         pub use generated::*;\n"
    )
}

/// The client's `lib.rs`: its guide, `README.md`, is the crate's documentation.
fn client_lib_rs(model: &str) -> String {
    format!(
        "// @generated by cargo xtask codegen from {model}; do not edit.\n\
         // The crate documentation is the guide beside Cargo.toml, generated with this file;\n\
         // the code is in `generated.rs` and the files below `generated/`, which rustfmt leaves\n\
         // alone because prettyplease has already formatted them.\n\
         #![doc = include_str!(\"../README.md\")]\n\
         \n\
         #[rustfmt::skip]\n\
         mod generated;\n\
         \n\
         pub use generated::*;\n"
    )
}

fn test_main_rs(model: &str) -> String {
    format!(
        "// @generated by cargo xtask codegen from {model}; do not edit.\n\
         //! Property tests: every generated type survives value -> JSON -> value.\n\
         \n\
         #[rustfmt::skip]\n\
         mod generated;\n"
    )
}

fn protocol_test_main_rs(model: &str, side: &str) -> String {
    format!(
        "// @generated by cargo xtask codegen from {model}; do not edit.\n\
         //! Smithy protocol compliance tests: every `smithy.test` case of the model that applies\n\
         //! to the {side}, checked with `smithy_runtime::protocol_test`.\n\
         \n\
         #[rustfmt::skip]\n\
         mod generated;\n"
    )
}

fn endpoint_test_main_rs(model: &str) -> String {
    format!(
        "// @generated by cargo xtask codegen from {model}; do not edit.\n\
         //! Endpoint tests: every case of the model's `smithy.rules#endpointTests`, resolved with\n\
         //! the service's endpoint rules.\n\
         \n\
         #[rustfmt::skip]\n\
         mod generated;\n"
    )
}

/// `true` when some reachable member has a `@pattern`, so the types crate needs regex.
fn uses_patterns(ir: &Ir) -> bool {
    fn ty_has(t: &Type) -> bool {
        match t {
            Type::List { member, .. } => member.constraints.pattern.is_some() || ty_has(&member.ty),
            Type::Map { key, value, .. } => {
                key.constraints.pattern.is_some() || value.constraints.pattern.is_some() || ty_has(&value.ty)
            }
            _ => false,
        }
    }
    ir.all_structures().flat_map(|s| &s.members).any(|m| m.constraints.pattern.is_some() || ty_has(&m.ty))
        || ir
            .unions
            .iter()
            .flat_map(|u| &u.variants)
            .any(|v| v.constraints.pattern.is_some() || v.ty.as_ref().is_some_and(ty_has))
}

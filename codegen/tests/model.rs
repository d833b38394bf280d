//! The project's model: `model/connect.smithy` and its JSON twin `model/connect.json` are the
//! same model and generate the same code, and our model describes the same API as the
//! official AWS model of GetFederationToken (they lower to the same IR, documentation aside).

use std::path::PathBuf;

use codegen::ir::Ir;
use codegen::lower::{LowerOptions, lower};
use codegen::{Model, Options, Sources};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(path: PathBuf) -> Model {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sources = Sources::new();
    sources.add(path.display().to_string(), text);
    codegen::load(&sources).unwrap_or_else(|d| panic!("{}", d.render(&sources)))
}

fn ir_of(model: &Model) -> Ir {
    lower(model, &LowerOptions::default()).unwrap_or_else(|d| panic!("{d}")).0
}

/// What two models of one API must agree on: everything but documentation, and the endpoint
/// rule set and its test cases (each model writes its own; the endpoint tests check them).
fn comparable(ir: &Ir) -> Ir {
    let mut ir = ir.without_docs();
    ir.service.endpoint_rule_set = None;
    ir.service.endpoint_tests = Vec::new();
    ir
}

#[test]
fn idl_and_json_twins_are_the_same_model() {
    let idl = load(workspace().join("model/connect.smithy"));
    let json = load(workspace().join("model/connect.json"));
    assert_eq!(idl, json);
    let options = Options::default();
    let a = codegen::generate(&idl, &options).unwrap().files;
    let b = codegen::generate(&json, &options).unwrap().files;
    assert_eq!(a, b, "both forms generate identical code");
}

#[test]
fn our_model_and_the_official_one_lower_to_the_same_ir() {
    let Some(official) = codegen::reference_data::path("models/connect-getfederationtoken.ast.json") else { return };
    let ours = comparable(&ir_of(&load(workspace().join("model/connect.smithy"))));
    let theirs = comparable(&ir_of(&load(official)));
    if ours != theirs {
        // Print both so the difference is easy to find.
        panic!("the IRs differ:\n--- ours\n{ours:#?}\n--- official\n{theirs:#?}");
    }
}

#[test]
fn the_comparison_notices_a_different_constraint() {
    // Guard against a comparison that cannot fail: change one constraint and it must differ.
    let ours = ir_of(&load(workspace().join("model/connect.smithy")));
    let mut changed = ours.clone();
    let member = changed.operations[0].input.members.iter_mut().find(|m| m.name == "InstanceId").unwrap();
    member.constraints.length = Some((Some(1), Some(101)));
    assert_ne!(comparable(&ours), comparable(&changed));
}

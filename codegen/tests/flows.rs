//! Which way each shape travels (`Ir::flows`), which decides the features its JSON reading and
//! writing are compiled under: a shape only in inputs is written by the client and read by the
//! server, one only in outputs or errors the reverse, and what a shape holds travels with it,
//! through lists, maps, unions and cycles.

use codegen::ir::Flow;
use codegen::lower::{LowerOptions, lower};
use codegen::{Options, Sources};

const MODEL: &str = r#"$version: "2.0"
namespace example.flows

use aws.protocols#restJson1

@restJson1
service Flows {
    version: "2024-01-01"
    operations: [Send, Fetch]
}

@http(method: "POST", uri: "/send")
operation Send {
    input := {
        Sent: Sent
        Shared: Shared
    }
    errors: [Refused]
}

@http(method: "GET", uri: "/fetch")
operation Fetch {
    output := {
        Items: ItemList
        Shared: Shared
    }
}

structure Sent { Inner: InnerOfSent }
structure InnerOfSent { Name: String }

list ItemList { member: Choice }
union Choice { Item: Item, Tree: Tree }
structure Item { Tags: TagMap }
map TagMap { key: String, value: Tag }
structure Tag { Value: String }
structure Tree { Parent: Tree, Children: TreeList }
list TreeList { member: Tree }

structure Shared { Part: SharedPart }
structure SharedPart { Name: String }

@error("client")
@httpError(400)
structure Refused { Why: Reason }
structure Reason { Text: String }
"#;

fn flows() -> std::collections::BTreeMap<String, Flow> {
    let mut sources = Sources::new();
    sources.add("flows.smithy", MODEL.to_owned());
    let model = codegen::load(&sources).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let (ir, _) = lower(&model, &LowerOptions::default()).unwrap_or_else(|d| panic!("{d}"));
    ir.flows()
}

#[test]
fn shapes_travel_with_the_operations_that_hold_them() {
    let flows = flows();
    let to_server = Flow { to_server: true, to_client: false };
    let to_client = Flow { to_server: false, to_client: true };
    let both = Flow { to_server: true, to_client: true };
    let expected = [
        ("Sent", to_server),
        ("InnerOfSent", to_server),
        ("Choice", to_client),
        ("Item", to_client),
        ("Tag", to_client),
        ("Tree", to_client),
        ("Shared", both),
        ("SharedPart", both),
        ("Refused", to_client),
        ("Reason", to_client),
    ];
    for (name, flow) in expected {
        assert_eq!(flows.get(name), Some(&flow), "{name}: {flows:?}");
    }
    assert_eq!(flows.len(), expected.len(), "{flows:?}");
}

#[test]
fn each_side_compiles_only_its_direction() {
    let mut sources = Sources::new();
    sources.add("flows.smithy", MODEL.to_owned());
    let model = codegen::load(&sources).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let files = codegen::generate(&model, &Options::default()).unwrap_or_else(|d| panic!("{d}")).files;
    let file = |suffix: &str| {
        let f = files.iter().find(|f| f.path.ends_with(suffix)).unwrap_or_else(|| panic!("no {suffix}"));
        f.contents.replace(['\n', ' '], "")
    };
    // Only in an input: the client writes it, the server reads it.
    let sent = file("/_sent.rs");
    assert!(sent.contains("#[cfg(feature=\"server\")]impl::smithy_runtime::json::FromJsonforSent"), "{sent}");
    assert!(sent.contains("#[cfg(feature=\"client\")]impl::smithy_runtime::json::ToJsonforSent"), "{sent}");
    // Only in an output: the reverse.
    let tag = file("/_tag.rs");
    assert!(tag.contains("#[cfg(feature=\"client\")]impl::smithy_runtime::json::FromJsonforTag"), "{tag}");
    assert!(tag.contains("#[cfg(feature=\"server\")]impl::smithy_runtime::json::ToJsonforTag"), "{tag}");
    // Both ways: either side.
    let shared = file("/_shared.rs");
    let either = "#[cfg(any(feature=\"client\",feature=\"server\"))]";
    assert!(shared.contains(&format!("{either}impl::smithy_runtime::json::FromJsonforShared")), "{shared}");
    assert!(shared.contains(&format!("{either}impl::smithy_runtime::json::ToJsonforShared")), "{shared}");
    // And each side's crate turns its feature on.
    assert!(file("flows-client/Cargo.toml").contains("features=[\"client\"]"));
    assert!(file("flows-server/Cargo.toml").contains("features=[\"server\",\"validate\"]"));
}

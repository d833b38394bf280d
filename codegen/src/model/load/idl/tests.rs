//! End-to-end tests of the IDL loader: small files for each construct, compared with the model
//! the JSON AST loader builds from the equivalent JSON, and errors with their positions.

use super::parse;
use crate::model::load::json;
use crate::model::resolve::resolve;
use crate::model::shape_id::ShapeId;
use crate::model::source::{FileId, SourceFile};
use crate::model::{Fragment, Model, Node, ShapeKind};

fn id(text: &str) -> ShapeId {
    ShapeId::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn fragment(text: &str) -> Fragment {
    match parse(FileId(0), text) {
        Ok(f) => f,
        Err(e) => panic!("{text}\n{e}"),
    }
}

/// `(line, column, message)` of every error.
fn errors(text: &str) -> Vec<(usize, usize, String)> {
    let source = SourceFile { name: "t.smithy".into(), text: text.into() };
    let diagnostics = match parse(FileId(0), text) {
        Ok(_) => panic!("expected errors for {text}"),
        Err(d) => d,
    };
    diagnostics
        .iter()
        .map(|d| {
            let (line, col) = d.span.map_or((0, 0), |s| source.line_col(s.start));
            (line, col, d.message.clone())
        })
        .collect()
}

fn model(fragment: Fragment) -> Model {
    match resolve(vec![fragment]) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    }
}

/// The IDL and the JSON AST give the same model.
fn same_model(idl: &str, json_ast: &str) {
    let from_idl = model(fragment(idl));
    let from_json = model(json::parse(FileId(1), json_ast).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(from_idl, from_json, "{idl}");
}

fn target(f: &Fragment, member: &str) -> String {
    let member_id = id(member);
    let shape = f.shapes.iter().find(|s| s.id == member_id.root()).unwrap_or_else(|| panic!("no {member}"));
    let name = member_id.member().unwrap_or("");
    shape.member(name).map(|m| m.target.to_string()).unwrap_or_else(|| panic!("no {member}"))
}

#[test]
fn relative_ids_resolve_use_then_local_then_prelude_then_namespace() {
    let f = fragment(
        "$version: \"2\"\nnamespace a\nuse b#Used\n\nstructure S {\n    u: Used\n    l: String\n    p: Integer\n    m: Missing\n    x: c.d#X$y\n}\n\nstring String\n",
    );
    assert_eq!(target(&f, "a#S$u"), "b#Used");
    assert_eq!(target(&f, "a#S$l"), "a#String");
    assert_eq!(target(&f, "a#S$p"), "smithy.api#Integer");
    assert_eq!(target(&f, "a#S$m"), "a#Missing");
    assert_eq!(target(&f, "a#S$x"), "c.d#X$y");
}

#[test]
fn shapes_and_members_have_spans_on_their_names() {
    let text = "namespace a\n\nstructure Shape {\n    member: String\n}\n";
    let f = fragment(text);
    let at = |i: &str| {
        let span = f.spans[&id(i)];
        &text[span.start as usize..span.end as usize]
    };
    assert_eq!(at("a#Shape"), "Shape");
    assert_eq!(at("a#Shape$member"), "member");
}

#[test]
fn simple_shapes_lists_maps_and_traits() {
    same_model(
        r#"namespace smithy.example

@deprecated @since("1.0")
string MyString

@length(min: 1, max: 10)
list Names {
    @pattern("^a")
    member: MyString
}

set Unique { member: Integer }

map Counts {
    key: String
    @range(min: 0)
    value: Integer
}

@tags(["a", "b"]) @smithy.api#sensitive
blob Data
"#,
        r#"{"smithy": "1.0", "shapes": {
            "smithy.example#MyString": {"type": "string", "traits": {"smithy.api#deprecated": {}, "smithy.api#since": "1.0"}},
            "smithy.example#Names": {"type": "list", "member": {"target": "smithy.example#MyString", "traits": {"smithy.api#pattern": "^a"}},
                "traits": {"smithy.api#length": {"min": 1, "max": 10}}},
            "smithy.example#Unique": {"type": "set", "member": {"target": "smithy.api#Integer"}},
            "smithy.example#Counts": {"type": "map", "key": {"target": "smithy.api#String"},
                "value": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 0}}}},
            "smithy.example#Data": {"type": "blob", "traits": {"smithy.api#tags": ["a", "b"], "smithy.api#sensitive": {}}}
        }}"#,
    );
}

#[test]
fn structures_with_defaults_docs_and_unions() {
    same_model(
        r#"$version: "2.0"
namespace smithy.example

/// A structure.
///
///   Indented.
structure S {
    /// A member.
    @required
    a: String = "x"

    b: Integer = 0,
    c: Boolean = true
    d: Document = { k: [1, 2.5, -3e2, null] }
}

union U { s: String, i: Integer }
"#,
        r#"{"smithy": "2.0", "shapes": {
            "smithy.example#S": {"type": "structure", "traits": {"smithy.api#documentation": "A structure.\n\n  Indented."}, "members": {
                "a": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "A member.", "smithy.api#required": {}, "smithy.api#default": "x"}},
                "b": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 0}},
                "c": {"target": "smithy.api#Boolean", "traits": {"smithy.api#default": true}},
                "d": {"target": "smithy.api#Document", "traits": {"smithy.api#default": {"k": [1, 2.5, -300.0, null]}}}
            }},
            "smithy.example#U": {"type": "union", "members": {"s": {"target": "smithy.api#String"}, "i": {"target": "smithy.api#Integer"}}}
        }}"#,
    );
}

#[test]
fn enums_get_their_values() {
    same_model(
        r#"$version: "2"
namespace e

enum Suit {
    DIAMOND
    @deprecated
    CLUB = "club"
}

intEnum Level {
    LOW = 1
    @enumValue(2)
    HIGH
}
"#,
        r#"{"smithy": "2.0", "shapes": {
            "e#Suit": {"type": "enum", "members": {
                "DIAMOND": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "DIAMOND"}},
                "CLUB": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "club", "smithy.api#deprecated": {}}}}},
            "e#Level": {"type": "intEnum", "members": {
                "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
                "HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 2}}}}
        }}"#,
    );
}

#[test]
fn services_resources_and_operations() {
    same_model(
        r#"$version: "2"
$operationOutputSuffix: "Response"
namespace w

service Weather {
    version: "2006-03-01"
    operations: [Ping]
    resources: [City]
    errors: [Oops]
    rename: { "w#City": "Town" }
}

resource City {
    identifiers: { cityId: String }
    properties: { name: String }
    read: GetCity
    list: "Ping"
    collectionOperations: [Ping]
}

@readonly
operation GetCity {
    input := for City {
        @required
        $cityId
    }
    output := {
        name: String
    }
    errors: [Oops]
}

operation Ping {}

@error("client")
structure Oops {}
"#,
        r#"{"smithy": "2.0", "shapes": {
            "w#Weather": {"type": "service", "version": "2006-03-01", "operations": [{"target": "w#Ping"}],
                "resources": [{"target": "w#City"}], "errors": [{"target": "w#Oops"}], "rename": {"w#City": "Town"}},
            "w#City": {"type": "resource", "identifiers": {"cityId": {"target": "smithy.api#String"}},
                "properties": {"name": {"target": "smithy.api#String"}}, "read": {"target": "w#GetCity"},
                "list": {"target": "w#Ping"}, "collectionOperations": [{"target": "w#Ping"}]},
            "w#GetCity": {"type": "operation", "input": {"target": "w#GetCityInput"}, "output": {"target": "w#GetCityResponse"},
                "errors": [{"target": "w#Oops"}], "traits": {"smithy.api#readonly": {}}},
            "w#GetCityInput": {"type": "structure", "members": {"cityId": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}},
                "traits": {"smithy.api#input": {}}},
            "w#GetCityResponse": {"type": "structure", "members": {"name": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#output": {}}},
            "w#Ping": {"type": "operation"},
            "w#Oops": {"type": "structure", "traits": {"smithy.api#error": "client"}}
        }}"#,
    );
}

#[test]
fn mixins_and_elided_members_from_the_same_file() {
    let f = fragment(
        r#"$version: "2"
namespace m

@mixin
structure Base { id: String }

@mixin
list BaseList { member: Integer }

structure Uses with [Base] {
    @required
    $id
    own: Long
}

list Numbers with [BaseList] {}
"#,
    );
    assert_eq!(target(&f, "m#Uses$id"), "smithy.api#String");
    assert_eq!(target(&f, "m#Numbers$member"), "smithy.api#Integer");
    let uses = f.shapes.iter().find(|s| s.id == id("m#Uses")).map(|s| s.mixins.clone());
    assert_eq!(uses, Some(vec![id("m#Base")]));
}

#[test]
fn members_inherited_from_mixins_in_other_files_are_left_to_resolve() {
    let f = fragment(
        r#"$version: "2"
namespace m

structure Uses with [other#Base] {
    @required
    $id
    own: Long
}

list Numbers with [other#BaseList] {}

map Counts with [other#BaseMap] {
    value: Integer
}
"#,
    );
    let placeholders: Vec<String> = f.inherited.iter().map(ToString::to_string).collect();
    assert_eq!(placeholders, ["m#Counts$key", "m#Numbers$member", "m#Uses$id"]);
    assert_eq!(target(&f, "m#Uses$id"), "smithy.api#Unit");
    let mixins = json::parse(
        FileId(1),
        r#"{"smithy": "2.0", "shapes": {
            "other#Base": {"type": "structure", "members": {"id": {"target": "smithy.api#String"}}, "traits": {"smithy.api#mixin": {}}},
            "other#BaseList": {"type": "list", "member": {"target": "smithy.api#Integer"}, "traits": {"smithy.api#mixin": {}}},
            "other#BaseMap": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}, "traits": {"smithy.api#mixin": {}}}
        }}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let model = resolve(vec![f, mixins]).unwrap_or_else(|e| panic!("{e}"));
    let member = |text: &str| model.member(&id(text)).map(|m| m.target.to_string()).unwrap_or_default();
    assert_eq!(member("m#Uses$id"), "smithy.api#String");
    assert!(model.member(&id("m#Uses$id")).is_some_and(|m| m.traits.contains_key(&id("smithy.api#required"))));
    assert_eq!(member("m#Numbers$member"), "smithy.api#Integer");
    assert_eq!(member("m#Counts$key"), "smithy.api#String");
    assert_eq!(member("m#Counts$value"), "smithy.api#Integer");
}

#[test]
fn apply_statements_both_forms() {
    let f = fragment(
        "namespace a\n\napply S$m @documentation(\"d\")\n\napply S {\n    @sensitive\n    @tags([\"x\"])\n}\napply S {}\n",
    );
    assert_eq!(f.applies.len(), 3);
    assert_eq!(f.applies[0].target, id("a#S$m"));
    assert_eq!(f.applies[0].traits[&id("smithy.api#documentation")], Node::from("d"));
    assert_eq!(f.applies[1].traits.len(), 2);
    assert!(f.applies[2].traits.is_empty());
}

#[test]
fn annotations_take_the_value_the_trait_type_implies() {
    let f = fragment(
        "namespace a\n\n@trait list marks { member: String }\n@trait structure flag {}\n\n@marks @flag @tags @sensitive @other.ns#thing\nstring S\n",
    );
    let traits = &f.shapes.iter().find(|s| s.id == id("a#S")).map(|s| s.traits.clone()).unwrap_or_default();
    assert_eq!(traits[&id("a#marks")], Node::Array(vec![]));
    assert_eq!(traits[&id("a#flag")], serde_json::json!({}));
    assert_eq!(traits[&id("smithy.api#tags")], Node::Array(vec![]));
    assert_eq!(traits[&id("smithy.api#sensitive")], serde_json::json!({}));
    assert_eq!(traits[&id("other.ns#thing")], serde_json::json!({}));
    let e = errors("namespace a\n@documentation\nstring S\n");
    assert_eq!((e[0].0, e[0].1), (2, 1));
    assert!(e[0].2.contains("needs a value"), "{e:?}");
}

#[test]
fn unquoted_values_are_shape_ids() {
    let f = fragment(
        "metadata m = [String, \"Quoted\", a.b#C$d, true]\nnamespace a\n\n@trait string ref\n\n@ref(S$x) @error(client)\nstructure S { x: String }\n",
    );
    assert_eq!(f.metadata[0].1, serde_json::json!(["smithy.api#String", "Quoted", "a.b#C$d", true]));
    let traits = f.shapes.iter().find(|s| s.id == id("a#S")).map(|s| s.traits.clone()).unwrap_or_default();
    assert_eq!(traits[&id("a#ref")], Node::from("a#S$x"));
    // As the spec warns, an unquoted `client` is a shape id, not the string "client".
    assert_eq!(traits[&id("smithy.api#error")], Node::from("a#client"));
    let e = errors("metadata m = NotInThePrelude\n");
    assert!(e[0].2.contains("no namespace"), "{e:?}");
}

#[test]
fn strings_and_text_blocks() {
    let f = fragment(
        "metadata a = \"\\uD83D\\uDE00 \\\"q\\\" \\u00e9\"\nmetadata b = \"\"\"\n    one\n      two\n    \"\"\"\n",
    );
    assert_eq!(f.metadata[0].1, Node::from("😀 \"q\" é"));
    assert_eq!(f.metadata[1].1, Node::from("one\n  two\n"));
}

#[test]
fn unknown_control_statements_are_accepted() {
    let f = fragment("$version: \"2\"\n$anything: [1, {a: b}]\nnamespace a\n");
    assert_eq!(f.version, "2");
}

#[test]
fn semantic_errors_point_at_their_place() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        ("$version: \"2\"\nnamespace a\nenum E {\n    A = 1\n}\n", (4, 9), "must be strings"),
        ("$version: \"2\"\nnamespace a\nintEnum E {\n    A\n}\n", (4, 5), "needs a value"),
        ("$version: \"2\"\nnamespace a\nintEnum E {\n    A = 1.5\n}\n", (4, 9), "integers"),
        ("$version: \"2\"\nnamespace a\nstructure S for R {\n    $id\n}\nresource R {}\n", (4, 6), "elided target"),
        (
            "$version: \"2\"\nnamespace a\nstructure S for other#R with [other#M] {\n    $id\n}\n",
            (4, 6),
            "not defined in this file",
        ),
        ("namespace a\nlist L {}\n", (2, 6), "needs a `member`"),
        ("namespace a\nstring S\nstring S\n", (3, 8), "defined twice"),
        ("namespace a\nuse b#S\nstring S\n", (3, 8), "`use`"),
        ("namespace a\n/// Doc\n@documentation(\"other\")\nstring S\n", (2, 1), "applied twice"),
        ("$version: \"2\"\nnamespace a\nservice S { versions: \"1\" }\n", (3, 13), "unknown service property"),
        ("$version: \"2\"\nnamespace a\nservice S { rename: { \"Foo\": \"Bar\" } }\n", (3, 23), "not a valid shape id"),
        ("namespace a\nresource R { properties: {} }\n", (2, 14), "version 2.0"),
        ("$version: \"2\"\nset S { member: String }\n", (2, 1), "`namespace`"),
    ];
    for (text, (line, col), needle) in cases {
        let e = errors(text);
        assert!(
            e.iter().any(|(l, c, m)| (*l, *c) == (*line, *col) && m.contains(needle)),
            "{text:?}: expected `{needle}` at {line}:{col}, got {e:?}"
        );
    }
}

/// A bad escape or character in a string or text block is reported where Smithy reports it,
/// at the opening quote, with the escape in the message; the other statements still load.
#[test]
fn string_errors_point_at_the_string() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        ("namespace a\n@documentation(\"\\ \")\nstring S\n", (2, 16), "invalid string: invalid escape `\\ `"),
        ("namespace a\n@documentation(\"\\'\")\nstring S\n", (2, 16), "invalid escape `\\'`"),
        ("namespace a\n@documentation(\"x\\uD800\")\nstring S\n", (2, 16), "high surrogate"),
        ("namespace a\n@documentation(\"\u{7}\")\nstring S\n", (2, 16), "control character U+0007"),
        (
            "namespace a\n@documentation(\"\"\"\n    fine\n    bad \\q\n    \"\"\")\nstring S\n",
            (2, 16),
            "invalid text block: invalid escape `\\q`",
        ),
        ("metadata m = {\n    key: \"\\uDC00\"\n}\n", (2, 10), "low surrogate"),
    ];
    for (text, place, needle) in cases {
        let e = errors(text);
        assert_eq!((e[0].0, e[0].1), *place, "{text:?}: {e:?}");
        assert!(e[0].2.contains(needle), "{text:?}: {e:?}");
        assert_eq!(e.len(), 1, "{text:?}: {e:?}");
    }
}

/// Errors about a shape or member name it, as the resolve pass's and Smithy's do: the first
/// error of each file is about the given shape.
#[test]
fn semantic_errors_name_their_shape() {
    let cases: &[(&str, &str)] = &[
        ("$version: \"2\"\nnamespace a\nenum E {\n    A = 1\n}\n", "a#E$A"),
        ("$version: \"2\"\nnamespace a\nintEnum E {\n    A = 2147483648\n}\n", "a#E$A"),
        ("$version: \"2\"\nnamespace a\nenum E {}\n", "a#E"),
        ("$version: \"2\"\nnamespace a\nstructure S for R {\n    $id\n}\nresource R {}\n", "a#S$id"),
        ("namespace a\n@mixin\nstructure M {}\n", "a#M"),
        ("namespace a\nlist L {}\n", "a#L"),
        ("namespace a\noperation O {\n    inputs: I\n}\n", "a#O"),
        ("namespace a\noperation O {\n    input: I\n    input: I\n}\n", "a#O"),
        ("namespace a\nstring S\napply S @mixin\n", "a#S"),
    ];
    for (text, shape) in cases {
        let diagnostics = parse(FileId(0), text).err().unwrap_or_else(|| panic!("{text:?} parses"));
        let first = diagnostics.iter().next().unwrap_or_else(|| panic!("{text:?}: no error"));
        assert_eq!(first.shape.as_ref().map(ToString::to_string).as_deref(), Some(*shape), "{text:?}: {first}");
    }
}

#[test]
fn reports_every_independent_error() {
    let e = errors(
        "$version: \"2\"\nnamespace a\n\nstring A B\n\nstructure S {\n    a: String\n    a: String\n}\n\nenum E {}\n\n@documentation(\"x\" \"y\")\nstring T\n",
    );
    let lines: Vec<usize> = e.iter().map(|(l, ..)| *l).collect();
    assert_eq!(lines, [4, 8, 13, 11], "{e:?}");
}

#[test]
fn arbitrary_bytes_are_errors_not_panics() {
    for text in [
        "\u{0}\u{feff}é😀",
        "namespace a\nstring é",
        "namespace a\n@x(\"\\u",
        "namespace a\n\"\"\"",
        "$",
        "namespace a.\n",
        "@",
        "metadata",
    ] {
        assert!(parse(FileId(0), text).is_err(), "{text:?}");
    }
    assert!(parse(FileId(0), "\u{feff}namespace a\n").is_ok());
    assert!(matches!(fragment("").shapes.as_slice(), []));
}

#[test]
fn set_is_only_for_version_1() {
    let f = fragment("namespace a\nset S { member: String }\n");
    assert!(matches!(f.shapes[0].kind, ShapeKind::Set(_)));
    let e = errors("$version: \"2\"\nnamespace a\nset S { member: String }\n");
    assert!(e[0].2.contains("`set`"), "{e:?}");
}

#[test]
fn mixin_diamonds_and_long_chains_stay_bounded() {
    // Forty levels of two mixins each that both use the two of the next level: 2^40 paths,
    // which only a memoised walk gets through.
    let mut text = String::from("$version: \"2\"\nnamespace d\n\n");
    for level in 0..40 {
        let next = level + 1;
        for side in ["A", "B"] {
            text.push_str(&format!("@mixin\nstructure {side}{level} with [A{next}, B{next}] {{}}\n"));
        }
    }
    text.push_str("@mixin\nstructure A40 { x: String }\n@mixin\nstructure B40 { x: String }\n");
    text.push_str("structure S with [A0, B0] {\n    @required\n    $x\n}\n");
    let f = fragment(&text);
    assert_eq!(target(&f, "d#S$x"), "smithy.api#String");

    // A chain longer than the limit is an error, not a stack overflow.
    let mut text = String::from("$version: \"2\"\nnamespace d\n\n");
    for level in 0..5000 {
        text.push_str(&format!("@mixin\nstructure M{level} with [M{}] {{}}\n", level + 1));
    }
    text.push_str("@mixin\nstructure M5000 { x: String }\nstructure S with [M0] {\n    $x\n}\n");
    let e = errors(&text);
    assert!(e.iter().any(|(.., m)| m.contains("nested more than")), "{e:?}");
}

#[test]
fn duplicate_keys_and_members_are_errors() {
    for (text, needle) in [
        ("namespace a\n@range(min: 1, min: 2)\ninteger I\n", "`min` is given twice"),
        ("metadata m = {a: 1, \"a\": 2}\n", "`a` is given twice"),
        ("namespace a\nstructure S { a: String, a: Integer }\n", "`a` is defined twice"),
    ] {
        let e = errors(text);
        assert!(e.iter().any(|(.., m)| m.contains(needle)), "{text}: {e:?}");
    }
}

#[test]
fn crlf_line_endings_mean_the_same() {
    let text = "$version: \"2\"\nnamespace a\n\n/// Line one\n/// line two\n@since(\"\"\"\n    x\n    y\n    \"\"\")\nstructure S {\n    // comment\n    a: String = \"p\nq\"\n}\n";
    let lf = model(fragment(text));
    let crlf = model(fragment(&text.replace('\n', "\r\n")));
    assert_eq!(lf, crlf);
}

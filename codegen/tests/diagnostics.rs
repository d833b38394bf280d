//! Models the generator must refuse, each with a diagnostic that names the shape and the trait
//! (or type) concerned and points at the right line; and a property that no model, however
//! mangled, makes [`codegen::load`] or [`codegen::generate`] panic.

use codegen::traits::{Handling, TABLE};
use codegen::{Diagnostic, Diagnostics, Generated, Options, Severity, Sources};
use proptest::prelude::*;

/// Loads and generates `files`; on failure, the diagnostics of whichever pass failed.
fn run(files: &[(&str, &str)]) -> (Sources, Result<Generated, Diagnostics>) {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(*name, *text);
    }
    let result = codegen::load(&sources).and_then(|model| codegen::generate(&model, &Options::default()));
    (sources, result)
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in the model"))
}

/// The file name and line a diagnostic points at.
fn location(sources: &Sources, d: &Diagnostic) -> Option<(String, usize)> {
    let span = d.span?;
    let file = sources.get(span.file)?;
    Some((file.name.clone(), file.line_col(span.start).0))
}

/// What one diagnostic must say and where.
struct Expect<'a> {
    severity: Severity,
    /// The shape or member id the diagnostic names.
    shape: &'a str,
    /// Texts the message must contain (the trait, the type, the label).
    message: &'a [&'a str],
    /// The file and a text on the line the span must point at.
    at: (&'a str, &'a str),
}

/// Finds the diagnostic `expect` describes among `diagnostics` and checks where it points.
fn assert_reports(files: &[(&str, &str)], sources: &Sources, diagnostics: &Diagnostics, expect: &Expect<'_>) {
    let found = diagnostics.iter().find(|d| {
        d.severity == expect.severity
            && d.shape.as_ref().is_some_and(|s| s.to_string() == expect.shape)
            && expect.message.iter().all(|m| d.message.contains(m))
    });
    let Some(d) = found else {
        panic!(
            "no {:?} on `{}` mentioning {:?}; got:\n{}",
            expect.severity,
            expect.shape,
            expect.message,
            diagnostics.render(sources)
        );
    };
    let (file, needle) = expect.at;
    let text = files.iter().find(|(name, _)| *name == file).map(|(_, t)| *t).unwrap_or_else(|| panic!("no {file}"));
    let want = (file.to_owned(), line_of(text, needle));
    assert_eq!(location(sources, d), Some(want), "{d} points at the wrong place:\n{}", diagnostics.render(sources));
    let rendered = diagnostics.render(sources);
    assert!(rendered.contains(&format!("{file}:{}:", line_of(text, needle))), "{rendered}");
}

/// Generation of `model` fails with the diagnostic `expect` describes.
fn assert_error(model: &str, expect: Expect<'_>) {
    let files = [("model.smithy", model)];
    let (sources, result) = run(&files);
    match result {
        Ok(_) => panic!("the model generated, but it should fail with {:?}:\n{model}", expect.message),
        Err(diagnostics) => assert_reports(&files, &sources, &diagnostics, &expect),
    }
}

fn error<'a>(shape: &'a str, message: &'a [&'a str], at: &'a str) -> Expect<'a> {
    Expect { severity: Severity::Error, shape, message, at: ("model.smithy", at) }
}

/// A restJson1 service with one operation `Op`; `rest` holds the operation and its shapes.
fn service(rest: &str) -> String {
    format!(
        "$version: \"2.0\"\n\nnamespace example.diag\n\nuse aws.protocols#restJson1\n\n@restJson1\nservice Diag {{\n    \
         version: \"1\"\n    operations: [Op]\n}}\n\n{rest}"
    )
}

#[test]
fn the_base_model_generates() {
    let model = service(
        "@http(method: \"POST\", uri: \"/op\")\noperation Op {\n    input := {\n        Data: Blob\n    }\n    output := {}\n}\n",
    );
    let (sources, result) = run(&[("model.smithy", &model)]);
    if let Err(d) = result {
        panic!("{}", d.render(&sources));
    }
}

/// Every trait the table marks unsupported is refused where it stands, here on an input
/// member.
#[test]
fn every_unsupported_trait_is_an_error_on_its_shape() {
    let unsupported: Vec<&str> =
        TABLE.iter().filter(|(_, h)| matches!(h, Handling::Unsupported(_))).map(|(id, _)| *id).collect();
    assert!(unsupported.len() >= 5, "{unsupported:?}");
    for trait_id in unsupported {
        let model = service(&format!(
            "@http(method: \"POST\", uri: \"/op\")\noperation Op {{\n    input := {{\n        @{trait_id}\n        \
             Data: Blob\n    }}\n    output := {{}}\n}}\n"
        ));
        assert_error(
            &model,
            error("example.diag#OpInput$Data", &[&format!("trait `{trait_id}` is not supported")], "Data: Blob"),
        );
    }
}

/// A trait value that does not have the shape its definition says is an error naming the
/// trait, on the shape or member that carries it; never a silent default.
#[test]
fn malformed_trait_values_are_errors_on_their_shape() {
    /// Traits on the operation and on its input member `Data`, shapes added to the model, and
    /// the diagnostic expected: on which shape, saying what, on the line holding which text.
    struct Case {
        op_traits: &'static str,
        member_traits: &'static str,
        extra: &'static str,
        shape: &'static str,
        message: &'static [&'static str],
        at: &'static str,
    }
    let case = |op_traits, member_traits, extra, shape, message, at| Case {
        op_traits,
        member_traits,
        extra,
        shape,
        message,
        at,
    };
    let cases = [
        case("@http(method: \"POST\", uri: 5)", "", "", "example.diag#Op", &["@http", "`uri`"], "operation Op"),
        case(
            "@http(method: \"POST\", uri: \"/op\", code: 42)",
            "",
            "",
            "example.diag#Op",
            &["@http code 42"],
            "operation Op",
        ),
        case("@http(method: \"FETCH\", uri: \"/op\")", "", "", "example.diag#Op", &["`FETCH`"], "operation Op"),
        case("@endpoint(hostPrefix: 3)", "", "", "example.diag#Op", &["@endpoint", "`hostPrefix`"], "operation Op"),
        case(
            "@requestCompression(encodings: [1])",
            "",
            "",
            "example.diag#Op",
            &["@requestCompression"],
            "operation Op",
        ),
        case("@paginated(inputToken: 1)", "", "", "example.diag#Op", &["@paginated", "`inputToken`"], "operation Op"),
        case("", "@length(min: \"1\")", "", "example.diag#OpInput$Data", &["@length", "`min`"], "Data: Blob"),
        case(
            "",
            "@length(min: 3, max: 1)",
            "",
            "example.diag#OpInput$Data",
            &["@length", "greater than max"],
            "Data: Blob",
        ),
        case("", "@jsonName(3)", "", "example.diag#OpInput$Data", &["@jsonName must be a string"], "Data: Blob"),
        case("", "@httpHeader(true)", "", "example.diag#OpInput$Data", &["@httpHeader must be a string"], "Data: Blob"),
        case(
            "",
            "",
            "@error(\"nobody\")\nstructure Oops {}\n",
            "example.diag#Oops",
            &["@error", "\"client\" or \"server\""],
            "structure Oops",
        ),
        case(
            "",
            "",
            "@error(\"client\")\n@httpError(200)\nstructure Oops {}\n",
            "example.diag#Oops",
            &["@httpError 200"],
            "structure Oops",
        ),
        case(
            "",
            "",
            "@error(\"client\")\n@retryable(throttling: \"yes\")\nstructure Oops {}\n",
            "example.diag#Oops",
            &["@retryable", "boolean"],
            "structure Oops",
        ),
    ];
    for Case { op_traits, member_traits, extra, shape, message, at } in cases {
        let http = if op_traits.starts_with("@http(") { "" } else { "@http(method: \"POST\", uri: \"/op\")\n" };
        let errors = if extra.is_empty() { "" } else { "    errors: [Oops]\n" };
        let model = service(&format!(
            "{http}{op_traits}\noperation Op {{\n    input := {{\n        {member_traits}\n        Data: Blob\n    }}\n    \
             output := {{}}\n{errors}}}\n\n{extra}"
        ));
        assert_error(&model, error(shape, message, at));
    }
}

#[test]
fn streams_outside_a_payload_and_event_streams_are_refused() {
    let model = service(
        r#"@http(method: "PUT", uri: "/upload")
operation Op {
    input := {
        Body: Stream
    }
    output := {
        @httpPayload
        Events: Events
    }
}

@streaming
blob Stream

@streaming
union Events {
    tick: Unit
}
"#,
    );
    assert_error(
        &model,
        error("example.diag#OpInput$Body", &["@streaming blob must be the @httpPayload"], "Body: Stream"),
    );
    assert_error(&model, error("example.diag#Events", &["event streams", "not implemented"], "union Events"));
}

#[test]
fn host_prefixes_name_host_label_members() {
    let model = service(
        r#"@endpoint(hostPrefix: "{Account}.{Region}.data.")
@http(method: "POST", uri: "/op")
operation Op {
    input := {
        @required
        @hostLabel
        Account: String

        Region: String

        @hostLabel
        Unused: String
    }
    output := {}
}
"#,
    );
    assert_error(&model, error("example.diag#Op", &["label `{Region}`", "@hostLabel"], "operation Op"));
    let model = service(
        r#"@endpoint(hostPrefix: "{Account}.data.")
@http(method: "POST", uri: "/op")
operation Op {
    input := {
        @required
        @hostLabel
        Account: String

        @hostLabel
        Unused: String
    }
    output := {}
}
"#,
    );
    assert_error(
        &model,
        error("example.diag#OpInput$Unused", &["`Unused` is not in the host prefix"], "Unused: String"),
    );
}

/// A restJson1 service with `traits` (endpoint rules and tests) and one operation.
fn service_with_traits(traits: &str) -> String {
    format!(
        "$version: \"2.0\"\n\nnamespace example.diag\n\nuse aws.protocols#restJson1\n\n@restJson1\n{traits}\nservice Diag {{\n    \
         version: \"1\"\n    operations: [Op]\n}}\n\n@http(method: \"POST\", uri: \"/op\")\noperation Op {{\n    \
         input := {{}}\n    output := {{}}\n}}\n"
    )
}

#[test]
fn endpoint_tests_the_generator_cannot_express_are_refused() {
    let rules = r#"@smithy.rules#endpointRuleSet({ version: "1.0", parameters: {}, rules: [] })"#;
    let model = service_with_traits(&format!(
        "{rules}\n@smithy.rules#endpointTests(version: \"1.0\", testCases: [\n    \
         {{ documentation: \"ok\", expect: {{ error: \"x\" }} }}\n    \
         {{ documentation: \"a number\", params: {{ N: 1 }}, expect: {{ error: \"x\" }} }}\n])"
    ));
    assert_error(
        &model,
        error("example.diag#Diag", &["endpoint test case 2", "\"a number\"", "parameter `N`"], "service Diag"),
    );
    let model = service_with_traits(r#"@smithy.rules#endpointTests(version: "1.0", testCases: [])"#);
    assert_error(&model, error("example.diag#Diag", &["without `@smithy.rules#endpointRuleSet`"], "service Diag"));
}

#[test]
fn big_number_defaults_must_fit_their_type() {
    let model = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {
        Count: BigInteger = 1.5
    }
    output := {
        Amount: BigDecimal = "ten"
    }
}
"#,
    );
    assert_error(&model, error("example.diag#OpInput$Count", &["@default value 1.5", "does not fit"], "Count:"));
    assert_error(&model, error("example.diag#OpOutput$Amount", &["@default value \"ten\"", "does not fit"], "Amount:"));
}

#[test]
fn operations_need_http() {
    let model = service("operation Op {\n    input := {}\n    output := {}\n}\n");
    assert_error(&model, error("example.diag#Op", &["@http"], "operation Op"));
}

#[test]
fn every_uri_label_needs_a_member() {
    let model = service(
        r#"@http(method: "GET", uri: "/things/{ThingId}")
operation Op {
    input := {
        Name: String
    }
    output := {}
}
"#,
    );
    assert_error(&model, error("example.diag#Op", &["{ThingId}", "@httpLabel"], "operation Op"));
}

#[test]
fn every_label_member_needs_a_uri_label() {
    let model = service(
        r#"@http(method: "GET", uri: "/things")
operation Op {
    input := {
        @required
        @httpLabel
        ThingId: String
    }
    output := {}
}
"#,
    );
    assert_error(&model, error("example.diag#OpInput$ThingId", &["@httpLabel", "ThingId", "/things"], "ThingId:"));
}

#[test]
fn only_one_member_is_the_payload() {
    let model = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {
        @httpPayload
        First: Blob

        @httpPayload
        Second: Blob
    }
    output := {
        @httpPayload
        Body: Blob

        Extra: String
    }
}
"#,
    );
    assert_error(&model, error("example.diag#OpInput$Second", &["@httpPayload", "`First`"], "Second: Blob"));
    assert_error(&model, error("example.diag#OpOutput$Extra", &["@httpPayload", "`Body`"], "Extra: String"));
}

#[test]
fn other_protocols_are_refused() {
    let model = r#"$version: "2.0"

namespace example.diag

use aws.protocols#awsJson1_1

@awsJson1_1
service Diag {
    version: "1"
    operations: [Op]
}

operation Op {
    input := {}
    output := {}
}
"#;
    assert_error(model, error("example.diag#Diag", &["protocol", "aws.protocols#awsJson1_1"], "service Diag"));
}

#[test]
fn shapes_with_one_rust_name_clash() {
    let model = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {
        A: FooBar
        B: Foo_Bar
    }
    output := {}
}

structure FooBar {}

structure Foo_Bar {}
"#,
    );
    assert_error(&model, error("example.diag#Foo_Bar", &["`FooBar`", "example.diag#FooBar"], "structure Foo_Bar"));
}

#[test]
fn errors_with_one_rust_name_clash_across_namespaces() {
    let main = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {}
    output := {}
    errors: [
        NotFound
        example.other#NotFound
    ]
}

@error("client")
structure NotFound {}
"#,
    );
    let other =
        "$version: \"2.0\"\n\nnamespace example.other\n\n/// Another one.\n@error(\"client\")\nstructure NotFound {}\n";
    let files = [("main.smithy", main.as_str()), ("other.smithy", other)];
    let (sources, result) = run(&files);
    let Err(diagnostics) = result else { panic!("two errors named NotFound generated") };
    let expect = Expect {
        severity: Severity::Error,
        shape: "example.other#NotFound",
        message: &["`NotFound`", "example.diag#NotFound"],
        at: ("other.smithy", "structure NotFound"),
    };
    assert_reports(&files, &sources, &diagnostics, &expect);
}

#[test]
fn members_whose_builder_methods_clash_are_refused() {
    // `setName` has a builder method `set_name` of its own; so does `Name`'s setter.
    let model = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {
        Name: String
        setName: String
    }
    output := {}
}
"#,
    );
    assert_error(&model, error("example.diag#OpInput$setName", &["set_name", "`Name`"], "setName: String"));
}

#[test]
fn collections_that_hold_themselves_are_refused() {
    // Found by `mutated_models_never_panic`: lowering this used to overflow the stack.
    let model = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {
        Items: Items
    }
    output := {}
}

list Items {
    member: Pairs
}

map Pairs {
    key: String
    value: Items
}
"#,
    );
    assert_error(&model, error("example.diag#Items", &["contains itself", "list"], "list Items"));
}

#[test]
fn unknown_traits_are_warnings() {
    let model = service(
        r#"@http(method: "POST", uri: "/op")
operation Op {
    input := {
        Thing: Thing
    }
    output := {}
}

@trait
structure audited {}

@audited
structure Thing {
    Name: String
}
"#,
    );
    let files = [("model.smithy", model.as_str())];
    let (sources, result) = run(&files);
    let generated = match result {
        Ok(g) => g,
        Err(d) => panic!("an unknown trait must not stop generation:\n{}", d.render(&sources)),
    };
    assert!(!generated.files.is_empty());
    let expect = Expect {
        severity: Severity::Warning,
        shape: "example.diag#Thing",
        message: &["example.diag#audited", "not known"],
        at: ("model.smithy", "structure Thing"),
    };
    assert_reports(&files, &sources, &generated.warnings, &expect);
    assert!(!generated.warnings.has_errors());
}

/// Several problems in one model are all reported, not only the first.
#[test]
fn problems_are_collected() {
    let model = service(
        r#"@http(method: "GET", uri: "/things/{Missing}")
operation Op {
    input := {
        Count: BigInteger

        @httpLabel
        Extra: String
    }
    output := {}
}
"#,
    );
    let (sources, result) = run(&[("model.smithy", &model)]);
    let Err(diagnostics) = result else { panic!("generated") };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    assert!(errors >= 2, "{}", diagnostics.render(&sources));
}

// Robustness: fixtures with random edits never make the generator panic, and whatever it
// emits is Rust that parses (the render pass reports anything else as an internal error).

const FIXTURES: &[&str] = &[
    include_str!("fixtures/collections.smithy"),
    include_str!("fixtures/constraints.smithy"),
    include_str!("fixtures/defaults.smithy"),
    include_str!("fixtures/document.smithy"),
    include_str!("fixtures/enums.smithy"),
    include_str!("fixtures/errors.smithy"),
    include_str!("fixtures/http_header.smithy"),
    include_str!("fixtures/http_label.smithy"),
    include_str!("fixtures/http_payload.smithy"),
    include_str!("fixtures/http_query.smithy"),
    include_str!("fixtures/http_response_code.smithy"),
    include_str!("fixtures/idempotency_token.smithy"),
    include_str!("fixtures/json_name.smithy"),
    include_str!("fixtures/keywords.smithy"),
    include_str!("fixtures/recursive.smithy"),
    include_str!("fixtures/sensitive.smithy"),
    include_str!("fixtures/timestamps.smithy"),
    include_str!("fixtures/union.smithy"),
];

/// Text that is likely to make a model mean something else, or nothing.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    ":=",
    "=",
    ",",
    "\"",
    "@",
    "#",
    "$",
    "\n",
    " ",
    "//",
    "///",
    "member: Unit\n",
    "@required\n",
    "@httpLabel\n",
    "@httpPayload\n",
    "@httpQuery(\"q\")\n",
    "@httpHeader(\"X\")\n",
    "@httpResponseCode\n",
    "@httpPrefixHeaders(\"\")\n",
    "@httpQueryParams\n",
    "@sparse\n",
    "@sensitive\n",
    "@default(1)\n",
    "@default(\"x\")\n",
    "@default(null)\n",
    "@jsonName(\"\")\n",
    "@timestampFormat(\"x\")\n",
    "@length(min: 5, max: 1)\n",
    "@range(min: \"a\")\n",
    "@pattern(\"[\")\n",
    "@error(\"client\")\n",
    "@httpError(99)\n",
    "@idempotencyToken\n",
    "@streaming\n",
    "@enumValue(3)\n",
    "@mixin\n",
    "@unitType\n",
    "structure",
    "union",
    "list",
    "map",
    "enum",
    "intEnum",
    "operation",
    "service",
    "resource",
    "apply",
    "with",
    "String",
    "Integer",
    "Timestamp",
    "Blob",
    "Document",
    "BigInteger",
    "Unit",
    "Self",
    "self",
    "type",
    "Node",
    "{X}",
    "{Key+}",
    "/{a}/{a}",
    "?x=1&x",
    "uri: \"\"",
    "method: \"\"",
    "smithy.api#",
    "example.x#Y",
    "\"\\u0000\"",
    "é",
    "0",
    "-1",
    "1e400",
    "true",
    "null",
];

#[derive(Clone, Debug)]
enum Edit {
    /// Removes `len` bytes at a position.
    Delete(prop::sample::Index, usize),
    /// Inserts a token at a position.
    Insert(prop::sample::Index, &'static str),
    /// Repeats a line after itself.
    DuplicateLine(prop::sample::Index),
    /// Swaps two lines.
    SwapLines(prop::sample::Index, prop::sample::Index),
    /// Replaces a word with a token.
    ReplaceWord(prop::sample::Index, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop::sample::select(TOKENS);
    prop_oneof![
        (any::<prop::sample::Index>(), 1..40usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<prop::sample::Index>(), token.clone()).prop_map(|(i, t)| Edit::Insert(i, t)),
        any::<prop::sample::Index>().prop_map(Edit::DuplicateLine),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (any::<prop::sample::Index>(), token).prop_map(|(i, t)| Edit::ReplaceWord(i, t)),
    ]
}

fn char_floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    match edit {
        Edit::Delete(at, len) => {
            let start = char_floor(text, at.index(text.len().max(1)));
            let end = char_floor(text, start + len);
            format!("{}{}", &text[..start], &text[end..])
        }
        Edit::Insert(at, token) => {
            let at = char_floor(text, at.index(text.len() + 1));
            format!("{}{token}{}", &text[..at], &text[at..])
        }
        Edit::DuplicateLine(at) => {
            let i = at.index(lines.len());
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
        Edit::SwapLines(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.join("\n")
        }
        Edit::ReplaceWord(at, token) => {
            let words: Vec<(usize, &str)> = text
                .match_indices(|c: char| c.is_ascii_alphanumeric() || c == '_')
                .fold(Vec::new(), |mut acc: Vec<(usize, usize)>, (i, _)| {
                    match acc.last_mut() {
                        Some((_, end)) if *end == i => *end = i + 1,
                        _ => acc.push((i, i + 1)),
                    }
                    acc
                })
                .into_iter()
                .map(|(s, e)| (s, &text[s..e]))
                .collect();
            if words.is_empty() {
                return text.to_owned();
            }
            let (start, word) = words[at.index(words.len())];
            format!("{}{token}{}", &text[..start], &text[start + word.len()..])
        }
    }
}

/// Traits (with JSON values) that a model edit adds, right or wrong for where they land.
const TRAITS: &[(&str, &str)] = &[
    ("smithy.api#required", "{}"),
    ("smithy.api#httpLabel", "{}"),
    ("smithy.api#httpPayload", "{}"),
    ("smithy.api#httpQuery", "\"q\""),
    ("smithy.api#httpHeader", "\"X-H\""),
    ("smithy.api#httpPrefixHeaders", "\"x-\""),
    ("smithy.api#httpQueryParams", "{}"),
    ("smithy.api#httpResponseCode", "{}"),
    ("smithy.api#sparse", "{}"),
    ("smithy.api#sensitive", "{}"),
    ("smithy.api#default", "1"),
    ("smithy.api#default", "\"x\""),
    ("smithy.api#default", "[]"),
    ("smithy.api#default", "{}"),
    ("smithy.api#default", "true"),
    ("smithy.api#jsonName", "\"x\""),
    ("smithy.api#timestampFormat", "\"http-date\""),
    ("smithy.api#length", "{\"min\": 1}"),
    ("smithy.api#range", "{\"max\": 1}"),
    ("smithy.api#pattern", "\"^a$\""),
    ("smithy.api#error", "\"client\""),
    ("smithy.api#httpError", "404"),
    ("smithy.api#retryable", "{}"),
    ("smithy.api#idempotencyToken", "{}"),
    ("smithy.api#clientOptional", "{}"),
    ("smithy.api#mediaType", "\"application/json\""),
    ("smithy.api#http", "{\"method\": \"GET\", \"uri\": \"/x/{a}/{b+}\"}"),
    ("smithy.api#enumValue", "3"),
    ("smithy.api#deprecated", "{}"),
    ("smithy.api#documentation", "\"<p>doc [x] `y</p>\""),
    ("smithy.api#streaming", "{}"),
];

/// Prelude targets a model edit points members at.
const TARGETS: &[&str] = &[
    "smithy.api#String",
    "smithy.api#Integer",
    "smithy.api#Long",
    "smithy.api#Boolean",
    "smithy.api#Double",
    "smithy.api#Timestamp",
    "smithy.api#Blob",
    "smithy.api#Document",
    "smithy.api#Unit",
    "smithy.api#BigInteger",
];

/// An edit of a model's JSON AST: shapes and members are picked by index, and a member index
/// past the last member means the shape itself.
#[derive(Clone, Debug)]
enum ModelEdit {
    AddTrait(prop::sample::Index, prop::sample::Index, (&'static str, &'static str)),
    RemoveTraits(prop::sample::Index, prop::sample::Index),
    /// Points a member at a prelude shape, or (with `None`) at another shape of the model.
    Retarget(prop::sample::Index, prop::sample::Index, Option<&'static str>, prop::sample::Index),
    RemoveShape(prop::sample::Index),
}

fn model_edit() -> impl Strategy<Value = ModelEdit> {
    let index = any::<prop::sample::Index>;
    prop_oneof![
        3 => (index(), index(), prop::sample::select(TRAITS)).prop_map(|(s, m, t)| ModelEdit::AddTrait(s, m, t)),
        1 => (index(), index()).prop_map(|(s, m)| ModelEdit::RemoveTraits(s, m)),
        2 => (index(), index(), proptest::option::of(prop::sample::select(TARGETS)), index())
            .prop_map(|(s, m, t, o)| ModelEdit::Retarget(s, m, t, o)),
        1 => index().prop_map(ModelEdit::RemoveShape),
    ]
}

/// The member objects of a JSON AST shape: `members` entries, or a list's `member` and a
/// map's `key` and `value`.
fn members_of(shape: &mut serde_json::Value) -> Vec<&mut serde_json::Value> {
    let Some(object) = shape.as_object_mut() else { return Vec::new() };
    let mut out = Vec::new();
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "members" => out.extend(value.as_object_mut().into_iter().flat_map(|m| m.values_mut())),
            "member" | "key" | "value" => out.push(value),
            _ => {}
        }
    }
    out
}

fn apply_model_edit(ast: &mut serde_json::Value, edit: &ModelEdit) {
    let Some(shapes) = ast.get_mut("shapes").and_then(serde_json::Value::as_object_mut) else { return };
    if shapes.is_empty() {
        return;
    }
    let ids: Vec<String> = shapes.keys().cloned().collect();
    let (shape_index, member_index) = match edit {
        ModelEdit::RemoveShape(s) => {
            shapes.shift_remove(&ids[s.index(ids.len())]);
            return;
        }
        ModelEdit::AddTrait(s, m, _) | ModelEdit::RemoveTraits(s, m) | ModelEdit::Retarget(s, m, ..) => (s, m),
    };
    let Some(shape) = shapes.get_mut(&ids[shape_index.index(ids.len())]) else { return };
    let mut members = members_of(shape);
    let pick = member_index.index(members.len() + 1);
    if let ModelEdit::Retarget(_, _, target, other) = edit {
        let target = target.map_or_else(|| ids[other.index(ids.len())].clone(), str::to_owned);
        if let Some(member) = members.get_mut(pick) {
            member["target"] = serde_json::Value::String(target);
        }
        return;
    }
    let owner: &mut serde_json::Value = match members.into_iter().nth(pick) {
        Some(member) => member,
        None => shape,
    };
    let Some(owner) = owner.as_object_mut() else { return };
    match edit {
        ModelEdit::AddTrait(_, _, (id, value)) => {
            let traits = owner.entry("traits").or_insert_with(|| serde_json::json!({}));
            if let (Some(traits), Ok(value)) = (traits.as_object_mut(), serde_json::from_str(value)) {
                traits.insert((*id).to_owned(), value);
            }
        }
        _ => {
            owner.remove("traits");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Text edits mostly exercise the IDL parser.
    #[test]
    fn mutated_model_text_never_panics(
        fixture in prop::sample::select(FIXTURES),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let text = edits.iter().fold(fixture.to_owned(), |text, e| apply(&text, e));
        let (_, result) = run(&[("mutated.smithy", &text)]);
        if let Err(diagnostics) = result {
            for d in diagnostics.iter() {
                prop_assert!(!d.message.contains("internal error"), "{d}\nin the model:\n{text}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Edits of the model itself (traits, targets, shapes) mostly load, and exercise the
    /// lower and emit passes.
    #[test]
    fn mutated_models_never_panic(
        fixture in prop::sample::select(FIXTURES),
        edits in prop::collection::vec(model_edit(), 1..4),
    ) {
        let mut sources = Sources::new();
        sources.add("fixture.smithy", fixture);
        let model = codegen::load(&sources).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let mut ast: serde_json::Value = serde_json::from_str(&codegen::model::json_ast::to_json(&model))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for e in &edits {
            apply_model_edit(&mut ast, e);
        }
        let json = serde_json::to_string_pretty(&ast).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (_, result) = run(&[("mutated.json", &json)]);
        if let Err(diagnostics) = result {
            for d in diagnostics.iter() {
                prop_assert!(!d.message.contains("internal error"), "{d}\nin the model:\n{json}");
            }
        }
    }
}

#[test]
fn http_methods_are_the_ones_http_defines_in_their_case() {
    for method in ["FETCH", "get", ""] {
        let model = service(&format!(
            "@http(method: \"{method}\", uri: \"/op\")\noperation Op {{\n    input := {{}}\n    output := {{}}\n}}\n"
        ));
        let quoted = format!("`{method}`");
        assert_error(
            &model,
            error("example.diag#Op", &["@http method", &quoted, "GET, HEAD, POST, PUT, PATCH, DELETE"], "operation Op"),
        );
    }
}

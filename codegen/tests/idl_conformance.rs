//! Smithy's own IDL loader tests, run against this crate's IDL loader, and a robustness property.
//!
//! The cases are the files of `smithy/idl-tests` in the shared reference data, found through
//! [`codegen::reference_data::dir`]; without it the suite prints that it is skipped and passes.
//!
//! - `valid/**/*.smithy`: each file is loaded with [`codegen::load`] together with
//!   `valid/__shared.json`, which Smithy's runner loads beside every case (some cases `use`
//!   its `foo.example#Widget`). Loading must succeed. Where a `.json` twin exists (the model
//!   Smithy's loader builds from the file), the twin is loaded the same way, with
//!   `__shared.json`, and the two [`codegen::Model`]s must be equal. No normalisation is applied
//!   beyond what `Model`'s `PartialEq` does: it compares metadata and shapes (ids, types,
//!   members in order, traits, mixins, service, resource and operation properties) after the
//!   resolve pass, and ignores spans and the files' `$version` / `"smithy"` versions. Inside
//!   node values, object key order does not count (serde_json's map equality); array order
//!   does.
//! - `valid/**/X.flattened.smithy` is Smithy's expected result of flattening the mixins of
//!   `X.smithy`. Besides loading on its own, it is compared with `X.smithy` (when present)
//!   loaded and then flattened: shapes with `@mixin` removed and every shape's `mixins` list
//!   cleared. This checks that the resolve pass copies mixin members and traits as Smithy
//!   does.
//! - `invalid/**/*.smithy`: loading the file alone must fail. When the comment on its first
//!   line (Smithy's error message) names a `line L`, one of the diagnostics must start on line
//!   `L` of that file.
//!
//! [`EXPECTED_FAILURES`] lists the cases known to fail, each with the reason. It is checked
//! both ways: a listed case that passes fails the suite until it is taken off the list.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::model::Model;
use codegen::{FileId, Sources};
use proptest::prelude::*;

/// Cases known to fail, by path under `smithy/idl-tests`, with why.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

#[test]
fn smithy_idl_loader_suite() {
    let Some(shared) = codegen::reference_data::dir() else {
        println!("skipped: no shared reference data, so no Smithy IDL loader tests");
        return;
    };
    let root = shared.join("smithy").join("idl-tests");
    let shared_model = match fs::read_to_string(root.join("valid").join("__shared.json")) {
        Ok(text) => text,
        Err(e) => panic!("cannot read valid/__shared.json under {}: {e}", root.display()),
    };

    // Outcome of every case: `Ok(())` when it behaves as Smithy's loader does, else why not.
    let mut outcomes: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    let (mut valid_total, mut valid_ok, mut invalid_total, mut invalid_ok) = (0, 0, 0, 0);

    for path in smithy_files(&root.join("valid")) {
        let name = relative(&root, &path);
        valid_total += 1;
        let outcome = check_valid(&root, &path, &shared_model);
        valid_ok += usize::from(outcome.is_ok());
        outcomes.insert(name, outcome);
    }
    for path in smithy_files(&root.join("invalid")) {
        let name = relative(&root, &path);
        invalid_total += 1;
        let outcome = check_invalid(&name, &path);
        invalid_ok += usize::from(outcome.is_ok());
        outcomes.insert(name, outcome);
    }

    let expected: BTreeMap<&str, &str> = EXPECTED_FAILURES.iter().copied().collect();
    let mut problems = Vec::new();
    for (name, outcome) in &outcomes {
        match (outcome, expected.contains_key(name.as_str())) {
            (Err(why), false) => problems.push(format!("FAILED {name}: {why}")),
            (Ok(()), true) => {
                problems.push(format!("PASSES {name}, which is listed as an expected failure: take it off the list"))
            }
            _ => {}
        }
    }
    for name in expected.keys() {
        if !outcomes.contains_key(*name) {
            problems.push(format!("listed expected failure {name} is not a case of the suite"));
        }
    }
    println!(
        "Smithy IDL tests: valid loaded and equal {valid_ok}/{valid_total}, invalid rejected at the right line {invalid_ok}/{invalid_total}, expected failures {}",
        expected.len()
    );
    for (name, outcome) in &outcomes {
        if let Err(why) = outcome {
            println!("  expected failure {name}: {why}");
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Every `.smithy` file under `dir`, sorted.
fn smithy_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "smithy") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Loads one model file with the shared shapes beside it.
fn load_with_shared(name: &str, text: String, shared_model: &str) -> Result<Model, String> {
    let mut sources = Sources::new();
    sources.add(name, text);
    sources.add("valid/__shared.json", shared_model);
    codegen::load(&sources).map_err(|d| d.render(&sources))
}

fn check_valid(root: &Path, path: &Path, shared_model: &str) -> Result<(), String> {
    let name = relative(root, path);
    let model = load_with_shared(&name, read(path)?, shared_model).map_err(|e| format!("does not load:\n{e}"))?;
    let twin = path.with_extension("json");
    if twin.exists() {
        let expected = load_with_shared(&relative(root, &twin), read(&twin)?, shared_model)
            .map_err(|e| format!("the JSON twin does not load:\n{e}"))?;
        if model != expected {
            return Err(format!("differs from its JSON twin:\n{}", difference(&model, &expected)));
        }
    }
    if let Some(base_name) = name.strip_suffix(".flattened.smithy") {
        let base = root.join(format!("{base_name}.smithy"));
        if base.exists() {
            let mut unflattened = load_with_shared(&relative(root, &base), read(&base)?, shared_model)
                .map_err(|e| format!("{base_name}.smithy does not load:\n{e}"))?;
            flatten(&mut unflattened);
            if model != unflattened {
                return Err(format!(
                    "differs from {base_name}.smithy flattened:\n{}",
                    difference(&model, &unflattened)
                ));
            }
        }
    }
    Ok(())
}

/// What Smithy's flattening leaves: no mixin shapes, and no shape naming mixins.
fn flatten(model: &mut Model) {
    model.shapes.retain(|_, shape| !shape.has_trait("smithy.api#mixin"));
    for shape in model.shapes.values_mut() {
        shape.mixins.clear();
    }
}

/// The first few shapes or metadata entries that differ, for the failure message.
fn difference(actual: &Model, expected: &Model) -> String {
    let mut lines = Vec::new();
    if actual.metadata != expected.metadata {
        lines.push(format!("metadata:\n  loaded:   {:?}\n  expected: {:?}", actual.metadata, expected.metadata));
    }
    let ids: std::collections::BTreeSet<_> = actual.shapes.keys().chain(expected.shapes.keys()).collect();
    for id in ids {
        let (a, e) = (actual.shapes.get(id), expected.shapes.get(id));
        if a != e {
            lines.push(format!("{id}:\n  loaded:   {a:?}\n  expected: {e:?}"));
        }
    }
    lines.truncate(4);
    lines.join("\n")
}

fn check_invalid(name: &str, path: &Path) -> Result<(), String> {
    let text = read(path)?;
    let first_line = text.lines().next().unwrap_or("").to_owned();
    let mut sources = Sources::new();
    let file = sources.add(name, text);
    let diagnostics = match codegen::load(&sources) {
        Ok(_) => return Err(format!("loads, but Smithy rejects it with `{first_line}`")),
        Err(d) => d,
    };
    let Some(line) = expected_line(&first_line) else { return Ok(()) };
    let lines: Vec<usize> = diagnostics
        .iter()
        .filter_map(|d| d.span)
        .filter(|s| s.file == file)
        .filter_map(|s| sources.get(file).map(|f| f.line_col(s.start).0))
        .collect();
    if lines.contains(&line) {
        Ok(())
    } else {
        Err(format!(
            "Smithy reports line {line} (`{first_line}`), this loader lines {lines:?}:\n{}",
            diagnostics.render(&sources)
        ))
    }
}

/// `L` in a first-line comment such as `// Syntax error at line L, column C: ...`.
fn expected_line(comment: &str) -> Option<usize> {
    let rest = &comment[comment.find("line ")? + "line ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

// ----- Robustness -----

/// A file that uses most of the IDL, mutated by the property test below.
const SAMPLE: &str = r#"$version: "2.0"
$operationInputSuffix: "Request"
metadata tags = ["a", {b: 1.5e3, "c": null}, true]

namespace example.weather

use smithy.api#String

/// Provides weather forecasts.
@title("Weather")
service Weather {
    version: "2006-03-01"
    resources: [City]
    operations: [GetCurrentTime]
    rename: { "smithy.api#Integer": "Int" }
}

resource City {
    identifiers: { cityId: CityId }
    properties: { name: String }
    read: GetCity
}

@pattern("^[A-Za-z0-9 ]+$")
string CityId

@readonly
operation GetCity {
    input := for City {
        @required
        $cityId
    }
    output := with [Named] {
        temperature: Integer = 20
    }
    errors: [NoSuchResource]
}

@mixin
structure Named {
    /// The name.
    name: String
}

@error("client")
structure NoSuchResource {
    @required
    resourceType: String
}

operation GetCurrentTime {}

enum Suit { DIAMOND = "diamond"
    CLUB }
intEnum Level { LOW = 1
    HIGH = 2
}

list Names { member: String }
map Counts { key: String, value: Integer }

@documentation("""
    A text block \
    with "quotes" and \u00e9.
    """)
union Choice { a: String, b: Names }

apply Choice$a @deprecated
apply Choice { @sensitive }
"#;

/// One change to the bytes of a file.
#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Duplicate { from: usize, len: usize, at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..20usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![any::<u8>(), prop::sample::select(b"{}[]()@$#:=\"\n/,. ".to_vec())],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1..40usize, any::<usize>()).prop_map(|(from, len, at)| Mutation::Duplicate { from, len, at }),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let n = bytes.len().max(1);
        match m {
            Mutation::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Insert { at, bytes: new } => {
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Duplicate { from, len, at } => {
                let from = (from % n).min(bytes.len());
                let end = (from + len).min(bytes.len());
                let copy = bytes[from..end].to_vec();
                let at = (at % n).min(bytes.len());
                bytes.splice(at..at, copy);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The files to mutate: the sample, and the valid Smithy cases when the shared data is there.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = vec![SAMPLE.to_owned()];
        if let Some(shared) = codegen::reference_data::dir() {
            for path in smithy_files(&shared.join("smithy").join("idl-tests").join("valid")) {
                if let Ok(text) = fs::read_to_string(path) {
                    seeds.push(text);
                }
            }
        }
        seeds
    })
}

#[test]
fn the_sample_loads() {
    let mut sources = Sources::new();
    sources.add("sample.smithy", SAMPLE);
    if let Err(e) = codegen::load(&sources) {
        panic!("{}", e.render(&sources));
    }
}

/// A file with two syntax errors: both are reported (the parser recovers at the next
/// statement), each rendered by `Diagnostics::render` with its message, `file:line:col`, the
/// source line and a caret line under the offending token.
#[test]
fn every_syntax_error_of_a_file_is_rendered_with_its_place() {
    let text = "$version: \"2\"\nnamespace a\n\nstring A B\n\nstructure C {\n    c String\n}\n\nstring D\n";
    let mut sources = Sources::new();
    sources.add("two-errors.smithy", text);
    let diagnostics = match codegen::load(&sources) {
        Ok(_) => panic!("a file with two syntax errors loads"),
        Err(d) => d,
    };
    assert_eq!(diagnostics.0.len(), 2, "{diagnostics}");
    let rendered = diagnostics.render(&sources);
    for expected in [
        "error: expected a line break, found `B`\n  ┌─ two-errors.smithy:4:10\n",
        "4 │ string A B\n  │          ^\n",
        "error: expected `:`, found `String`\n  ┌─ two-errors.smithy:7:7\n",
        "7 │     c String\n  │       ^^^^^^\n",
    ] {
        assert!(rendered.contains(expected), "missing {expected:?} in:\n{rendered}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = codegen::model::load::idl::parse(FileId(0), &text);
    }

    #[test]
    fn idl_like_text_never_panics(text in "[a-zA-Z0-9_$@#{}()\\[\\]:=\"\\\\/., \n-]{0,300}") {
        let _ = codegen::model::load::idl::parse(FileId(0), &text);
    }

    #[test]
    fn mutated_valid_files_never_panic(seed in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        let text = mutate(&seeds[seed.index(seeds.len())], &mutations);
        let _ = codegen::model::load::idl::parse(FileId(0), &text);
    }
}

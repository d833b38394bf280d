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
//! - `invalid/**/*.smithy`: loading the file alone must fail, and the first error reported (the
//!   one a user reads first) must be located in the file and agree with Smithy's message on
//!   the file's first line: on Smithy's line and column when it names them, saying the same
//!   thing (the token found, or a phrase mapped from Smithy's, see `ERROR_KINDS`), and, when
//!   Smithy names a shape but no line, naming that shape. See `check_invalid`.
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
    let mut tally = InvalidTally::default();

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
        let outcome = check_invalid(&name, &path, &mut tally);
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
    for (name, _) in COLUMN_DIFFERENCES {
        if !outcomes.contains_key(*name) {
            problems.push(format!("listed column difference {name} is not a case of the suite"));
        }
    }
    println!(
        "Smithy IDL tests: valid loaded and equal {valid_ok}/{valid_total}, invalid rejected as Smithy rejects them {invalid_ok}/{invalid_total}, expected failures {}",
        expected.len()
    );
    println!(
        "  invalid cases, first error: on Smithy's line {}/{}, at Smithy's column {}/{} (known differences {}), saying what Smithy says {}/{}, naming the shape Smithy names (no line given) {}/{}",
        tally.line_ok,
        tally.with_line,
        tally.column_ok,
        tally.with_column,
        COLUMN_DIFFERENCES.len(),
        tally.kind_ok,
        tally.with_kind,
        tally.subject_ok,
        tally.with_subject,
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
    model.shapes.retain(|_, shape| !shape.has_trait(&codegen::traits::MIXIN));
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

/// Counts over the invalid cases, for the summary line.
#[derive(Default)]
struct InvalidTally {
    /// Cases whose Smithy message names a line.
    with_line: usize,
    /// Of those, cases whose first error is on that line.
    line_ok: usize,
    /// Cases whose Smithy message names a column too.
    with_column: usize,
    /// Of those, cases whose first error is at that line and column.
    column_ok: usize,
    /// Cases whose Smithy message says what is wrong (not only where).
    with_kind: usize,
    /// Of those, cases whose first error says the same thing.
    kind_ok: usize,
    /// Cases whose Smithy message names a shape but no line.
    with_subject: usize,
    /// Of those, cases whose first error names the same shape.
    subject_ok: usize,
}

/// Cases whose first error is on Smithy's line but not at Smithy's column, each with why.
/// Checked both ways, like [`EXPECTED_FAILURES`].
const COLUMN_DIFFERENCES: &[(&str, &str)] = &[(
    "invalid/version/unsupported-version.smithy",
    "the error underlines the version string from its opening quote; Smithy points just past its closing quote",
)];

/// What Smithy's error messages say, as our first error must say it: a phrase of Smithy's
/// message, and a phrase of ours for the same problem. The first row whose Smithy phrase is in
/// the message applies (after the computed phrases of [`expected_phrase`]); a Smithy message
/// that says what is wrong and that no row covers fails its case.
const ERROR_KINDS: &[(&str, &str)] = &[
    // Version rules.
    (
        "Structures can only be bound to resources with Smithy version 2",
        "resource-bound shapes (`for`) need IDL version 2.0",
    ),
    ("Members can only elide targets in IDL version 2", "elided member targets (`$name`) need IDL version 2.0"),
    ("intEnum shapes cannot be used in Smithy version 1.0", "`intEnum` shapes need IDL version 2.0"),
    ("enum shapes cannot be used in Smithy version 1.0", "`enum` shapes need IDL version 2.0"),
    (
        "Inlined operation inputs and outputs can only be used with Smithy version 2",
        "inline operation input and output (`:=`) need IDL version 2.0",
    ),
    ("Mixins can only be used in Smithy 2.0", "mixins need IDL version 2.0"),
    ("Mixins can only be used with Smithy version 2", "mixins (`with`) need IDL version 2.0"),
    ("@default assignment is only supported in IDL version 2", "default values (`= value`) need IDL version 2.0"),
    ("Resource properties can only be used with Smithy version 2", "resource properties need IDL version 2.0"),
    ("set shapes cannot be used in Smithy version 2.0", "`set` shapes are not part of IDL 2.0"),
    ("The $version control statement must have a string value", "`$version` must be a string"),
    ("Unsupported Smithy version number: 999", "unsupported Smithy IDL version `999`"),
    ("Duplicate control statement `version`", "duplicate control statement `$version`"),
    // Strings.
    ("Text block is empty", "the text block is empty"),
    ("Invalid unclosed unicode escape", "unicode escape needs four hex digits"),
    // Members, elision and mixins.
    ("Duplicate operation input property", "operation property `input` is given twice"),
    (
        "Member target was elided, but no bound resource or mixin contained",
        "has an elided target, but no bound resource or mixin",
    ),
    ("Member conflicts with an inherited mixin member", "conflict"),
    ("The target of the `for` production must be a resource shape", "`for` must name a resource"),
    ("Mixins may only be mixed into shapes of the same type", "not a structure"),
    ("Missing required member of shape", "needs a `member` member"),
    // Enums.
    ("enum members can only be assigned string values", "enum values must be strings"),
    ("enum must have at least one entry", "has no members"),
    ("intEnum shapes must have at least one member", "has no members"),
    ("intEnum members require integer values", "intEnum values must be integers"),
    ("intEnum members do not support floating point values", "intEnum values must be integers"),
    ("intEnum members must fit within an integer", "intEnum values must fit in a 32-bit integer"),
    // Names and properties.
    ("does not resolve to a valid shape ID", "shape id"),
    ("Unknown property", "unknown operation property"),
    ("Cannot use name", "conflicts with"),
    ("Use statements cannot use members", "cannot name a member"),
];

/// Checks an invalid case: loading fails, and the first error we report (the one a user reads
/// first) is located in the file, and
///
/// - when Smithy's message names `line L`, it is on line `L`, and when it names `column C` too,
///   at column `C` unless the case is in [`COLUMN_DIFFERENCES`];
/// - when Smithy's message says what is wrong, ours says the same: the token Smithy found where
///   it expected another, the unexpected character, the unknown word, or the phrase
///   [`ERROR_KINDS`] maps Smithy's to;
/// - when Smithy's message names no line but a shape, ours names the same shape: every part
///   (shape name, member name) of the first absolute shape id in Smithy's message appears as a
///   word in our message or in the shape it is about.
fn check_invalid(name: &str, path: &Path, tally: &mut InvalidTally) -> Result<(), String> {
    let text = read(path)?;
    let first_line = text.lines().next().unwrap_or("").to_owned();
    let smithy = first_line.trim_start_matches('/').trim().to_owned();
    let mut sources = Sources::new();
    let file = sources.add(name, text);
    let diagnostics = match codegen::load(&sources) {
        Ok(_) => return Err(format!("loads, but Smithy rejects it with `{smithy}`")),
        Err(d) => d,
    };
    let rendered = || diagnostics.render(&sources);
    let Some(first) = diagnostics.iter().find(|d| d.is_error()) else {
        return Err(format!("fails without an error:\n{}", rendered()));
    };
    let place = first.span.filter(|s| s.file == file).and_then(|s| sources.get(file).map(|f| f.line_col(s.start)));
    let Some((line, column)) = place else {
        return Err(format!("the first error is not located in the file:\n{}", rendered()));
    };
    let ours = match &first.shape {
        Some(shape) => format!("{shape}: {}", first.message),
        None => first.message.clone(),
    };
    let mut problems = Vec::new();

    let place = expected_place(&smithy);
    if let Some((expected_line, expected_column)) = place {
        tally.with_line += 1;
        if line == expected_line {
            tally.line_ok += 1;
        } else {
            problems.push(format!("Smithy reports line {expected_line}, our first error is on line {line}"));
        }
        if let Some(expected_column) = expected_column {
            tally.with_column += 1;
            let known = COLUMN_DIFFERENCES.iter().any(|(case, _)| *case == name);
            match ((line, column) == (expected_line, expected_column), known) {
                (true, false) => tally.column_ok += 1,
                (true, true) => problems.push(format!(
                    "the first error is at Smithy's column {expected_column}, but the case is listed in COLUMN_DIFFERENCES: take it off the list"
                )),
                (false, true) => {}
                (false, false) => {
                    problems.push(format!("Smithy reports column {expected_column}, our first error is at column {column}"))
                }
            }
        }
    }

    match expected_phrase(&smithy) {
        Some(phrase) => {
            tally.with_kind += 1;
            if ours.contains(phrase.as_str()) {
                tally.kind_ok += 1;
            } else {
                problems.push(format!("our first error does not say `{phrase}`"));
            }
        }
        // Smithy says only where, as in `Syntax error at line 2, column 10`.
        None if place.is_some() && !smithy.contains(": ") => {}
        None => problems.push("no row of ERROR_KINDS covers Smithy's message".to_owned()),
    }

    if place.is_none()
        && let Some(subject) = first_shape_id(&smithy)
    {
        tally.with_subject += 1;
        let missing: Vec<&str> = subject.split(['#', '$']).skip(1).filter(|part| !has_word(&ours, part)).collect();
        if missing.is_empty() {
            tally.subject_ok += 1;
        } else {
            problems.push(format!("Smithy's error is about `{subject}`, our first error does not name {missing:?}"));
        }
    }

    if std::env::var_os("IDL_CONFORMANCE_VERBOSE").is_some() {
        println!("  {name}\n    Smithy: {smithy}\n    ours:   {line}:{column} {ours}");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n  Smithy: `{smithy}`\n  ours ({line}:{column}): `{ours}`\n{}",
            problems.join("; "),
            rendered()
        ))
    }
}

/// `L` and `C` in a first-line comment such as `// Syntax error at line L, column C: ...`.
fn expected_place(comment: &str) -> Option<(usize, Option<usize>)> {
    let number_after = |word: &str| -> Option<usize> {
        let rest = &comment[comment.find(word)? + word.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    Some((number_after("line ")?, number_after("column ")))
}

/// What our first error must say, given Smithy's message: computed from the token or word
/// Smithy names where it can be, else from [`ERROR_KINDS`].
fn expected_phrase(smithy: &str) -> Option<String> {
    // `Expected X but found IDENTIFIER('foo')`, `... but found EOF`, `... but found '[EOF]'`.
    // Only a token name or a quoted character counts: `but found a structure shape` is not one.
    let token = after(smithy, "but found ").filter(|found| {
        let kind = found.split(['(', ' ']).next().unwrap_or("");
        found.starts_with('\'') || (!kind.is_empty() && kind.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    });
    if let Some(found) = token {
        let kind = found.split(['(', ' ']).next().unwrap_or("");
        let lexeme = found.split_once("('").map(|(_, rest)| rest.split("')").next().unwrap_or(rest));
        return Some(match (kind, lexeme) {
            ("EOF" | "'[EOF]'", _) => "the end of the file".to_owned(),
            ("NEWLINE", _) => "found a line break".to_owned(),
            ("COMMENT", _) => "found a comment".to_owned(),
            ("TEXT_BLOCK", _) => "found a text block".to_owned(),
            ("STRING", _) => "found a string".to_owned(),
            ("'", _) if found.starts_with("' '") => "found a space".to_owned(),
            (_, Some(lexeme)) => format!("found `{lexeme}`"),
            _ => return None,
        });
    }
    if let Some(rest) = after(smithy, "Unexpected character: '") {
        return Some(format!("unexpected character `{}`", rest.chars().next().unwrap_or('\'')));
    }
    if let Some(rest) = after(smithy, "Unknown shape type: ") {
        return Some(format!("unknown shape type `{}`", rest.split(' ').next().unwrap_or("")));
    }
    if let Some(rest) = after(smithy, "Invalid number '") {
        return Some(format!("invalid number `{}`", rest.split('\'').next().unwrap_or("")));
    }
    if let Some(rest) = after(smithy, "Invalid escape found in string: `") {
        return Some(format!("invalid escape `{}`", rest.split('`').next().unwrap_or("")));
    }
    ERROR_KINDS.iter().find(|(theirs, _)| smithy.contains(theirs)).map(|(_, ours)| (*ours).to_owned())
}

/// The text after the first occurrence of `marker`.
fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    text.find(marker).map(|i| &text[i + marker.len()..])
}

/// The first absolute shape id (`a.b#C`, `a.b#C$d`) in a message.
fn first_shape_id(message: &str) -> Option<String> {
    let is_id_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '#' | '$');
    message
        .split(|c: char| !is_id_char(c))
        .map(|word| word.trim_matches('.'))
        .find(|word| {
            word.split_once('#').is_some_and(|(ns, rest)| !ns.is_empty() && !rest.is_empty() && !rest.starts_with('$'))
        })
        .map(str::to_owned)
}

/// `true` when `word` is in `text` with no identifier character right before or after it.
fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    text.match_indices(word)
        .any(|(i, _)| !ident(text[..i].chars().next_back()) && !ident(text[i + word.len()..].chars().next()))
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

/// Characters that make strings interesting: escapes and their letters, hex digits, quotes,
/// line breaks, control characters, and characters of two and four bytes.
const STRING_PIECES: &[&str] = &[
    "\\", "\\u", "u", "D83D", "DE00", "0", "9", "a", "F", "g", "\"", "\"\"\"", "'", "/", "b", "n", "q", " ", "\t",
    "\n", "\r\n", "\r", "\u{1}", "\u{1f}", "é", "😀",
];

fn string_content() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(STRING_PIECES), 0..24).prop_map(|pieces| pieces.concat())
}

/// Loads one file and checks that every diagnostic is located in it, on character
/// boundaries, and renders.
fn assert_located(name: &str, text: String) -> Result<(), TestCaseError> {
    let mut sources = Sources::new();
    let file = sources.add(name, text.clone());
    if let Err(diagnostics) = codegen::load(&sources) {
        prop_assert!(diagnostics.has_errors());
        for d in diagnostics.iter() {
            let Some(span) = d.span else { continue };
            prop_assert_eq!(span.file, file);
            let (start, end) = (span.start as usize, span.end as usize);
            prop_assert!(start <= end && end <= text.len(), "{} {:?} in {:?}", d, span, text);
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "{} {:?} in {:?}", d, span, text);
        }
        let first = diagnostics.iter().find(|d| d.is_error());
        prop_assert!(first.is_some_and(|d| d.span.is_some()), "first error not located: {}", diagnostics);
        let _ = diagnostics.render(&sources);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever is between the quotes of an IDL string or text block, or of a JSON AST string,
    /// loading does not panic, and every error is located in the file.
    #[test]
    fn string_errors_are_located(content in string_content()) {
        assert_located("q.smithy", format!("$version: \"2\"\nmetadata a = \"{content}\"\nnamespace a\n"))?;
        assert_located("t.smithy", format!("$version: \"2\"\nmetadata a = \"\"\"\n    {content}\"\"\"\nnamespace a\n"))?;
        assert_located("j.json", format!("{{\"smithy\": \"2.0\", \"metadata\": {{\"a\": \"{content}\"}}}}"))?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = codegen::model::load::idl::parse(FileId(0), &text);
    }

    #[test]
    fn idl_like_text_never_panics(text in "[a-zA-Z0-9_$@#{}()\\[\\]:=\"\\\\/., \n-]{0,300}") {
        let _ = codegen::model::load::idl::parse(FileId(0), &text);
    }

    /// Mutated files loaded whole (parse, desugar, resolve): the first error is located, and
    /// every located diagnostic is on character boundaries of the file.
    #[test]
    fn mutated_valid_files_report_located_errors(seed in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        assert_located("m.smithy", mutate(&seeds[seed.index(seeds.len())], &mutations))?;
    }

    #[test]
    fn mutated_valid_files_never_panic(seed in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        let text = mutate(&seeds[seed.index(seeds.len())], &mutations);
        let _ = codegen::model::load::idl::parse(FileId(0), &text);
    }
}

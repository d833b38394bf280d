//! Snapshot tests of the generator, one small fixture model per feature.
//!
//! Each `tests/fixtures/<name>.smithy` is loaded with [`codegen::load`], lowered, and
//! generated; the IR (`{:#?}`) and every generated file are compared with the checked-in copies
//! under `tests/snapshots/<name>/` (`ir.txt`, then the files at the paths the generator gives
//! them). A difference fails the test with a short diff. To accept the new output, run
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo test -p codegen --test snapshots
//! ```
//!
//! and review the changed snapshots like any other change. The same fixtures also pin that
//! generation is deterministic: generating twice, or from the model with its shapes in the
//! reverse order, gives the same bytes.
//!
//! `kitchen_sink.smithy` combines every fixture in one service; `tests/compile_fixtures.sh`
//! builds, lints and tests the crates generated from it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::lower::{LowerOptions, lower};
use codegen::{Model, Options, Sources};

/// The environment variable that makes the tests write snapshots instead of comparing.
const UPDATE_VAR: &str = "UPDATE_SNAPSHOTS";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn fixture_path(name: &str) -> PathBuf {
    root().join("fixtures").join(format!("{name}.smithy"))
}

fn snapshot_dir(name: &str) -> PathBuf {
    root().join("snapshots").join(name)
}

/// The path `cargo xtask codegen --model` shows for a fixture, so that the headers of the
/// snapshots match the crates `compile_fixtures.sh` builds.
fn model_display(name: &str) -> String {
    format!("codegen/tests/fixtures/{name}.smithy")
}

fn options(name: &str) -> Options {
    Options { model_path: model_display(name), ..Options::default() }
}

fn read_fixture(name: &str) -> String {
    let path = fixture_path(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn load(name: &str, text: &str) -> Model {
    let mut sources = Sources::new();
    sources.add(model_display(name), text);
    codegen::load(&sources).unwrap_or_else(|d| panic!("{name} does not load:\n{}", d.render(&sources)))
}

/// Every generated file of a model, with the IR first as `ir.txt`.
fn outputs(name: &str, model: &Model) -> Vec<(String, String)> {
    let options = options(name);
    let (ir, warnings) =
        lower(model, &LowerOptions::default()).unwrap_or_else(|d| panic!("{name} does not lower:\n{d}"));
    assert!(warnings.is_empty(), "fixture {name} has warnings:\n{warnings}");
    let generated = codegen::generate(model, &options).unwrap_or_else(|d| panic!("{name} does not generate:\n{d}"));
    let mut out = vec![("ir.txt".to_owned(), format!("{ir:#?}\n"))];
    out.extend(generated.files.into_iter().map(|f| (f.path, f.contents)));
    out
}

fn updating() -> bool {
    std::env::var_os(UPDATE_VAR).is_some_and(|v| v == "1")
}

/// Compares `actual` with the snapshot at `path`, or writes it when updating. Returns a
/// description of the mismatch.
fn compare_or_write(path: &Path, actual: &str) -> Option<String> {
    let expected = fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return None;
    }
    if updating() {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
        }
        fs::write(path, actual).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        eprintln!("updated {}", path.display());
        return None;
    }
    Some(match expected {
        None => format!("{}: no snapshot yet", path.display()),
        Some(expected) => format!("{}: differs\n{}", path.display(), short_diff(&expected, actual)),
    })
}

/// The first place two texts differ: the lines of each side (`-` for the snapshot, `+` for the
/// new output, a few at most) up to where they agree again for three lines, and whether more
/// differences follow.
fn short_diff(expected: &str, actual: &str) -> String {
    const MAX: usize = 12;
    const WINDOW: usize = 400;
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let start = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let (old, new) = (&old[start..], &new[start..]);
    let agree = |i: usize, j: usize| {
        let (a, b) = (&old[i..], &new[j..]);
        let k = a.len().min(b.len()).min(3);
        (a.is_empty() && b.is_empty()) || (k > 0 && a[..k] == b[..k] && (k == 3 || a.len() == b.len()))
    };
    let (i, j) = (0..=WINDOW)
        .flat_map(|d| (0..=d).map(move |i| (i, d - i)))
        .filter(|&(i, j)| i <= old.len() && j <= new.len())
        .find(|&(i, j)| agree(i, j))
        .unwrap_or((old.len().min(WINDOW), new.len().min(WINDOW)));
    let mut out = format!("  @@ line {} @@\n", start + 1);
    for (sign, lines) in [('-', &old[..i]), ('+', &new[..j])] {
        for line in lines.iter().take(MAX) {
            out.push_str(&format!("  {sign}{line}\n"));
        }
        if lines.len() > MAX {
            out.push_str(&format!("  {sign}... ({} more lines)\n", lines.len() - MAX));
        }
    }
    if i == 0 && j == 0 {
        out.push_str("  (the texts differ only in line endings or a final newline)\n");
    } else if old[i..] != new[j..] {
        out.push_str("  (more differences follow)\n");
    }
    out
}

/// Every file under `dir`, relative to it, with `/` separators.
fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// Checks (or updates) every snapshot of one fixture.
fn check_fixture(name: &str) {
    let model = load(name, &read_fixture(name));
    let dir = snapshot_dir(name);
    let outputs = outputs(name, &model);
    let mut failures: Vec<String> =
        outputs.iter().filter_map(|(path, contents)| compare_or_write(&dir.join(path), contents)).collect();
    let produced: BTreeSet<&str> = outputs.iter().map(|(p, _)| p.as_str()).collect();
    for stale in files_under(&dir).iter().filter(|p| !produced.contains(p.as_str())) {
        let path = dir.join(stale);
        if updating() {
            fs::remove_file(&path).unwrap_or_else(|e| panic!("removing {}: {e}", path.display()));
            eprintln!("removed {}", path.display());
        } else {
            failures.push(format!("{}: no longer generated", path.display()));
        }
    }
    if !failures.is_empty() {
        panic!(
            "{} snapshot(s) of fixture `{name}` are out of date:\n{}\nIf the new output is right, run:\n  \
             {UPDATE_VAR}=1 cargo test -p codegen --test snapshots\n",
            failures.len(),
            failures.join("\n")
        );
    }
}

/// One test per fixture, and the list of them for [`every_fixture_has_a_test`].
macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*
    };
}

fixtures!(
    big_numbers,
    collections,
    constraints,
    defaults,
    document,
    endpoint_rules,
    enums,
    errors,
    host_prefix,
    http_header,
    http_label,
    http_payload,
    http_query,
    http_response_code,
    idempotency_token,
    json_name,
    keywords,
    kitchen_sink,
    paginators,
    recursive,
    request_body,
    sensitive,
    streaming,
    timestamps,
    union,
);

#[test]
fn every_fixture_has_a_test_and_every_snapshot_a_fixture() {
    let names = |dir: &str, ext: Option<&str>| -> BTreeSet<String> {
        fs::read_dir(root().join(dir))
            .unwrap_or_else(|e| panic!("reading tests/{dir}: {e}"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect()
    };
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(names("fixtures", Some("smithy")), listed, "add each fixture to the `fixtures!` list");
    if !updating() {
        assert_eq!(names("snapshots", None), listed, "a snapshot directory has no fixture (or has not been written)");
    }
}

/// `kitchen_sink.smithy` is the union of the other fixtures; an operation added to one of them
/// must be added there too, so that `compile_fixtures.sh` builds it.
#[test]
fn the_kitchen_sink_has_every_operation() {
    let operations = |name: &str| -> BTreeSet<String> {
        let model = load(name, &read_fixture(name));
        let (ir, _) = lower(&model, &LowerOptions::default()).unwrap_or_else(|d| panic!("{name}: {d}"));
        ir.operations.iter().map(|op| op.name.clone()).collect()
    };
    let sink = operations("kitchen_sink");
    for name in FIXTURES.iter().filter(|n| **n != "kitchen_sink") {
        let missing: Vec<String> = operations(name).difference(&sink).cloned().collect();
        assert!(missing.is_empty(), "kitchen_sink.smithy lacks the operations {missing:?} of {name}.smithy");
    }
}

/// Splits IDL text into the statements before the first shape (`$version`, `namespace`,
/// `use`) and the shape statements with their comments and traits. A statement starts at a
/// line in column 0 after a blank line, which is how the fixtures are laid out.
fn split_statements(text: &str) -> (Vec<String>, Vec<String>) {
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    let mut previous_blank = true;
    for line in text.lines() {
        let blank = line.trim().is_empty();
        if !blank && previous_blank && !line.starts_with(char::is_whitespace) {
            chunks.push(Vec::new());
        }
        if let Some(chunk) = chunks.last_mut() {
            chunk.push(line);
        }
        previous_blank = blank;
    }
    let mut header = Vec::new();
    let mut shapes = Vec::new();
    for chunk in chunks {
        let text = chunk.join("\n").trim_end().to_owned();
        let first_code = chunk.iter().find(|l| !l.trim_start().starts_with("//")).copied().unwrap_or("");
        let is_header = ["$version", "namespace ", "use ", "metadata "].iter().any(|k| first_code.starts_with(k));
        if is_header && shapes.is_empty() {
            header.push(text);
        } else {
            shapes.push(text);
        }
    }
    (header, shapes)
}

#[test]
fn generation_is_deterministic() {
    for name in FIXTURES {
        let text = read_fixture(name);
        let first = outputs(name, &load(name, &text));
        let again = outputs(name, &load(name, &text));
        assert!(first == again, "fixture {name}: two runs on the same model differ");
    }
}

#[test]
fn the_order_of_shapes_in_the_model_does_not_matter() {
    for name in FIXTURES {
        let text = read_fixture(name);
        let (header, mut shapes) = split_statements(&text);
        assert!(shapes.len() >= 2, "fixture {name}: found only {} shape statements", shapes.len());
        shapes.reverse();
        let reversed = format!("{}\n\n{}\n", header.join("\n\n"), shapes.join("\n\n"));
        assert_ne!(reversed, text);
        let expected = outputs(name, &load(name, &text));
        let actual = outputs(name, &load(name, &reversed));
        for ((path, want), (_, got)) in expected.iter().zip(&actual) {
            assert!(want == got, "fixture {name}: {path} depends on the order of shapes:\n{}", short_diff(want, got));
        }
        assert_eq!(expected.len(), actual.len(), "fixture {name}: reversing the shapes changed the files");
    }
}

#[test]
fn short_diffs_show_the_changed_lines() {
    let diff = short_diff("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n");
    assert_eq!(diff, "  @@ line 2 @@\n  -b\n  +B\n");
    let diff = short_diff("a\nb\nc\nd\ne\nf\ng\n", "a\nx\nb\nc\nd\ne\nF\ng\n");
    assert_eq!(diff, "  @@ line 2 @@\n  +x\n  (more differences follow)\n");
    assert_eq!(short_diff("a\nb", "a\n"), "  @@ line 2 @@\n  -b\n");
    assert!(short_diff("a", "a\n").contains("final newline"));
    let (header, shapes) =
        split_statements("$version: \"2\"\n\n// c\nnamespace a\n\nstring A\n\n@t\nstructure B {\n\n    x: A\n}\n");
    assert_eq!(header, ["$version: \"2\"", "// c\nnamespace a"]);
    assert_eq!(shapes, ["string A", "@t\nstructure B {\n\n    x: A\n}"]);
}

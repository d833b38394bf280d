//! `cargo xtask protocol-tests`: Smithy's restJson1 protocol compliance suite, generated, built
//! and run.
//!
//! The suite (`smithy/protocol-tests/` and `smithy/traits/` of the shared reference data) is
//! loaded as one model. For each of its services, the types, client and server crates are
//! generated into a scratch workspace (`<target>/protocol-tests/`) with their protocol tests,
//! one `#[test]` per case and side. Operations the generator cannot generate are left out, and
//! their cases count as failures with the generator's reason; event-stream operations are left
//! out and their cases counted apart, as are cases on operations that no service binds.
//!
//! The test binaries run, and every case's outcome is checked against the expected-failure
//! list (`xtask/protocol-tests/expected-failures.txt`) both ways: a case that fails and is not
//! listed fails the run, and so does a listed case that passes, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;

use codegen::ir::{ProtocolTest, ProtocolTestKind, TestSide};
use codegen::model::{Model, ShapeKind};
use codegen::{ShapeId, Sources};

use crate::codegen_cmd::{display_path, standalone_manifest, workspace_root};

/// The expected-failure list, relative to the workspace root.
pub const EXPECTED_FAILURES: &str = "xtask/protocol-tests/expected-failures.txt";

/// Options of `cargo xtask protocol-tests`.
#[derive(Args, Debug, Default, Clone)]
pub struct ProtocolTestsArgs {
    /// Run only the cases whose id contains PATTERN (case-insensitive).
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,
    /// Also run clippy with `-D warnings` on the generated crates and their tests.
    #[arg(long)]
    pub clippy: bool,
    /// Print the failure message of every failing case, expected ones included.
    #[arg(long)]
    pub verbose: bool,
}

/// The kinds of cases, as the report counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    ClientRequest,
    ClientResponse,
    ServerRequest,
    ServerResponse,
    Malformed,
}

impl Kind {
    fn of(case: &ProtocolTest, side: TestSide) -> Kind {
        match (&case.kind, side) {
            (ProtocolTestKind::Request(_), TestSide::Client) => Kind::ClientRequest,
            (ProtocolTestKind::Response(_), TestSide::Client) => Kind::ClientResponse,
            (ProtocolTestKind::Request(_), TestSide::Server) => Kind::ServerRequest,
            (ProtocolTestKind::Response(_), TestSide::Server) => Kind::ServerResponse,
            (ProtocolTestKind::Malformed(_), _) => Kind::Malformed,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::ClientRequest => "client request",
            Kind::ClientResponse => "client response",
            Kind::ServerRequest => "server request",
            Kind::ServerResponse => "server response",
            Kind::Malformed => "server malformed request",
        }
    }

    /// The words of the case's key in the expected-failure list: side and kind.
    fn key(self) -> &'static str {
        match self {
            Kind::ClientRequest => "client request",
            Kind::ClientResponse => "client response",
            Kind::ServerRequest => "server request",
            Kind::ServerResponse => "server response",
            Kind::Malformed => "server malformed",
        }
    }
}

/// What became of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed(String),
    /// Not generated (its operation could not be), with the reason.
    NotGenerated(String),
    /// Filtered out, or not reported by its test binary.
    NotRun,
}

#[derive(Clone, Debug)]
struct Case {
    service: String,
    kind: Kind,
    id: String,
    /// The test binary's name for it, when generated.
    test: Option<(String, String)>,
    file: String,
    outcome: Outcome,
}

impl Case {
    /// The case's key in the expected-failure list: `<service> <side> <kind> <id>`.
    fn key(&self) -> String {
        format!("{} {} {}", self.service, self.kind.key(), self.id)
    }
}

/// `cargo xtask protocol-tests`.
pub fn run(args: &ProtocolTestsArgs) -> Result<()> {
    let started = Instant::now();
    let root = workspace_root();
    let shared = shared_dir(&root)?;
    let suite_dir = shared.join("smithy/protocol-tests");
    let model_paths = vec![suite_dir.clone(), shared.join("smithy/traits")];
    let (model, sources) = crate::codegen_cmd::load(&model_paths, &root)?;
    let expected = ExpectedFailures::read(&root.join(EXPECTED_FAILURES))?;
    let target = crate::codegen_cmd::target_dir(&root);
    let scratch = target.join("protocol-tests");
    let file_of = |case: &ProtocolTest| case_file(case, &sources, &suite_dir, &root);

    let mut cases: Vec<Case> = Vec::new();
    let mut apart: Vec<String> = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut crates: Vec<String> = Vec::new();
    let mut bound: BTreeSet<ShapeId> = BTreeSet::new();
    // Cases whose operation is tagged for the other side only, by the side they are not run on.
    let mut tagged_away: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut count_tagged = |case: &ProtocolTest| {
        for side in case.case_sides() {
            if !case.sides().contains(&side) {
                let name = if side == TestSide::Client { "client" } else { "server" };
                *tagged_away.entry(name).or_default() += 1;
            }
        }
    };
    for service in model.services() {
        let service = service.id.clone();
        let all = model.operations_of(&service);
        bound.extend(all.iter().cloned());
        let streams = codegen::select::event_stream_operations(&model, &service);
        if !streams.is_empty() {
            let n = count_event_stream_cases(&model, &streams);
            let names: Vec<&str> = streams.iter().map(ShapeId::name).collect();
            apart.push(format!(
                "{}: {n} event stream cases on {} operations ({}) are not run: the generator does not implement event streams",
                service.name(),
                streams.len(),
                names.join(", ")
            ));
        }
        let mut keep: Vec<ShapeId> = all.into_iter().filter(|op| !streams.contains(op)).collect();
        let failed = failing_operations(&model, &service, &keep, &sources)?;
        for (op, reason) in &failed {
            let (raw, _) =
                codegen::lower::protocol_test_cases(&model, std::slice::from_ref(op), &codegen::traits::REST_JSON_1);
            for case in &raw {
                count_tagged(case);
                for side in case.sides() {
                    cases.push(Case {
                        service: service.name().to_owned(),
                        kind: Kind::of(case, side),
                        id: case.id.clone(),
                        test: None,
                        file: file_of(case),
                        outcome: Outcome::NotGenerated(format!("`{}` is not generated: {reason}", op.name())),
                    });
                }
            }
        }
        keep.retain(|op| !failed.contains_key(op));
        let names: Vec<String> = keep.iter().map(|op| op.name().to_owned()).collect();
        let selected = codegen::select::select(&model, &service, &names)
            .map_err(|d| anyhow!("{}", d.render(&sources).trim_end()))?;
        let options = codegen::Options {
            model_path: format!("the Smithy protocol test suite ({})", service.name()),
            crate_prefix: None,
            lower: codegen::lower::LowerOptions { service: Some(service.clone()) },
            // Smaller groups than the default, so that the largest service of the suite (106
            // operations) is split into three groups of crates and its cases test that layout,
            // which the whole Connect model has; the kitchen sink and `crates/` test one crate.
            operations_per_crate: 50,
            ..codegen::Options::default()
        };
        let (ir, _) = codegen::lower::lower(&selected, &options.lower)
            .map_err(|d| anyhow!("cannot generate {}:\n{}", service, d.render(&sources).trim_end()))?;
        let generated = codegen::emit::emit(&ir, &options)
            .map_err(|d| anyhow!("cannot generate {}:\n{}", service, d.render(&sources).trim_end()))?;
        let names = codegen::emit::crate_names(&ir, &options);
        for case in &ir.protocol_tests {
            count_tagged(case);
            for side in case.sides() {
                let krate = match side {
                    TestSide::Client => names.client.replace('-', "_"),
                    TestSide::Server => names.server.replace('-', "_"),
                };
                cases.push(Case {
                    service: service.name().to_owned(),
                    kind: Kind::of(case, side),
                    id: case.id.clone(),
                    test: Some((krate, format!("generated::{}::{}", case.kind.module(), case.fn_name))),
                    file: file_of(case),
                    outcome: Outcome::NotRun,
                });
            }
        }
        files.extend(generated.iter().map(|f| (scratch.join(&f.path), f.contents.clone())));
        crates.extend([names.types, names.client, names.server]);
        crates.extend(names.shapes);
        crates.extend(names.types_groups);
        crates.extend(names.client_groups);
    }
    for (side, n) in &tagged_away {
        let other = if *side == "client" { "server-only" } else { "client-only" };
        let cases = if *n == 1 { "case is" } else { "cases are" };
        apart.push(format!("{n} {cases} not run on the {side}: the operation is tagged `{other}`"));
    }
    let unbound = unbound_cases(&model, &bound);
    for case in unbound {
        for side in case.sides() {
            cases.push(Case {
                service: "(none)".into(),
                kind: Kind::of(&case, side),
                id: case.id.clone(),
                test: None,
                file: file_of(&case),
                outcome: Outcome::NotGenerated(format!("`{}` is bound to no service", case.operation)),
            });
        }
    }

    // The scratch workspace.
    files.push((scratch.join("Cargo.toml"), standalone_manifest(&root, "the Smithy protocol test suite", &crates)?));
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        files.push((scratch.join("Cargo.lock"), lock));
    }
    let owned: Vec<PathBuf> = crates.iter().map(|c| scratch.join(c)).collect();
    crate::files::ensure(&files, &owned, false)?;
    let generated_in = started.elapsed();
    eprintln!(
        "generated {} crates for {} cases into {} in {generated_in:.1?}",
        crates.len(),
        cases.len(),
        display_path(&scratch, &root)
    );

    // Build and run.
    let filter = args.filter.as_ref().map(|f| f.to_ascii_lowercase());
    let wanted = |c: &Case| filter.as_ref().is_none_or(|f| c.id.to_ascii_lowercase().contains(f.as_str()));
    let manifest = scratch.join("Cargo.toml");
    let build_started = Instant::now();
    if args.clippy {
        let status = cargo(&target)
            .args(["clippy", "--manifest-path"])
            .arg(&manifest)
            .args(["--workspace", "--all-targets", "--", "-D", "warnings"])
            .status()
            .context("running cargo clippy")?;
        if !status.success() {
            bail!("clippy found problems in the generated crates (see above)");
        }
    }
    let binaries = build_tests(&target, &manifest)?;
    let built_in = build_started.elapsed();
    let run_started = Instant::now();
    for (krate, binary) in &binaries {
        let tests: Vec<String> = cases
            .iter()
            .filter(|c| wanted(c))
            .filter_map(|c| c.test.as_ref().filter(|(k, _)| k == krate).map(|(_, t)| t.clone()))
            .collect();
        if tests.is_empty() {
            continue;
        }
        let results = run_binary(binary, filter.is_some().then_some(tests.as_slice()))?;
        for case in cases.iter_mut().filter(|c| c.test.as_ref().is_some_and(|(k, _)| k == krate)) {
            let (_, test) = case.test.as_ref().map(|(k, t)| (k.clone(), t.clone())).unwrap_or_default();
            if let Some(outcome) = results.get(&test) {
                case.outcome = outcome.clone();
            }
        }
    }
    let ran_in = run_started.elapsed();

    let considered: Vec<&Case> = cases.iter().filter(|c| wanted(c)).collect();
    let report = report(&considered, &apart, &expected, args.verbose);
    print!("{report}");
    let problems = expected.check(&considered, filter.is_none());
    println!(
        "\ntime: generation {generated_in:.1?}, build {}, run {}, total {}",
        secs(built_in),
        secs(ran_in),
        secs(started.elapsed())
    );
    if !problems.is_empty() {
        bail!("the protocol tests do not match {EXPECTED_FAILURES}:\n{}", problems.join("\n"));
    }
    Ok(())
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn cargo(target: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.env("CARGO_TARGET_DIR", target);
    cmd
}

/// The shared reference data: `CONNECT_SHARED_DIR`, else `../shared` beside the workspace.
fn shared_dir(root: &Path) -> Result<PathBuf> {
    let dir = std::env::var_os("CONNECT_SHARED_DIR").map_or_else(|| root.join("../shared"), PathBuf::from);
    if !dir.join("smithy/protocol-tests").is_dir() {
        bail!(
            "Smithy's protocol tests are not at {} (set CONNECT_SHARED_DIR to the shared reference data)",
            dir.join("smithy/protocol-tests").display()
        );
    }
    Ok(dir)
}

/// The file a case is defined in, relative to the suite's directory.
fn case_file(case: &ProtocolTest, sources: &Sources, suite: &Path, root: &Path) -> String {
    let Some(file) = case.span.and_then(|s| sources.get(s.file)) else { return "(unknown file)".into() };
    let suite = display_path(suite, root);
    file.name.strip_prefix(&suite).map_or(file.name.clone(), |rest| rest.trim_start_matches('/').to_owned())
}

/// The operations of `service` (among `ops`) that cannot be generated, each with the first
/// error the generator gives for it alone.
fn failing_operations(
    model: &Model,
    service: &ShapeId,
    ops: &[ShapeId],
    sources: &Sources,
) -> Result<BTreeMap<ShapeId, String>> {
    let mut failed = BTreeMap::new();
    let names: Vec<String> = ops.iter().map(|op| op.name().to_owned()).collect();
    let options = codegen::lower::LowerOptions { service: Some(service.clone()) };
    let whole = codegen::select::select(model, service, &names).map_err(|d| anyhow!("{}", d.render(sources)))?;
    if codegen::lower::lower(&whole, &options).is_ok() {
        return Ok(failed);
    }
    for op in ops {
        let one = codegen::select::select(model, service, &[op.name().to_owned()])
            .map_err(|d| anyhow!("{}", d.render(sources)))?;
        if let Err(d) = codegen::lower::lower(&one, &options) {
            let first = d.iter().find(|d| d.is_error()).map(|d| d.to_string()).unwrap_or_default();
            failed.insert(op.clone(), first.trim_start_matches("error: ").to_owned());
        }
    }
    Ok(failed)
}

/// Event stream cases (`smithy.test#eventStreamTests`) on `ops`, one per side.
fn count_event_stream_cases(model: &Model, ops: &[ShapeId]) -> usize {
    let trait_id = ShapeId::new("smithy.test", "eventStreamTests");
    ops.iter()
        .filter_map(|op| model.shape(op)?.traits.get(&trait_id)?.as_array())
        .flatten()
        .map(|case| if case.get("appliesTo").is_some() { 1 } else { 2 })
        .sum()
}

/// Cases on operations that no service binds.
fn unbound_cases(model: &Model, bound: &BTreeSet<ShapeId>) -> Vec<ProtocolTest> {
    let ops: Vec<ShapeId> = model
        .shapes
        .values()
        .filter(|s| matches!(s.kind, ShapeKind::Operation(_)) && !bound.contains(&s.id))
        .map(|s| s.id.clone())
        .collect();
    codegen::lower::protocol_test_cases(model, &ops, &codegen::traits::REST_JSON_1).0
}

/// Builds every test target of the scratch workspace; the protocol test binaries by crate.
fn build_tests(target: &Path, manifest: &Path) -> Result<Vec<(String, PathBuf)>> {
    let output = cargo(target)
        .args(["test", "--workspace", "--no-run", "--message-format", "json-render-diagnostics", "--manifest-path"])
        .arg(manifest)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running cargo test --no-run")?;
    if !output.status.success() {
        bail!("the generated crates or their tests do not build (see above)");
    }
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if msg["reason"] != "compiler-artifact" || msg["target"]["name"] != "protocol" {
            continue;
        }
        let (Some(exe), Some(pkg)) = (msg["executable"].as_str(), msg["package_id"].as_str()) else { continue };
        // `path+file:///…/rest-json-protocol-client#0.1.0`: the crate name before the version.
        let name = pkg.rsplit('/').next().and_then(|p| p.split('#').next()).unwrap_or(pkg);
        binaries.push((name.replace('-', "_"), PathBuf::from(exe)));
    }
    Ok(binaries)
}

/// Runs a test binary (only `tests`, when given) and reads each test's outcome.
fn run_binary(binary: &Path, tests: Option<&[String]>) -> Result<BTreeMap<String, Outcome>> {
    let mut cmd = Command::new(binary);
    cmd.env("RUST_BACKTRACE", "0");
    if let Some(tests) = tests {
        cmd.arg("--exact").args(tests);
    }
    let output = cmd.output().with_context(|| format!("running {}", binary.display()))?;
    let results = parse_test_output(&String::from_utf8_lossy(&output.stdout));
    if results.is_empty() && !output.status.success() {
        bail!("{} failed without running tests:\n{}", binary.display(), String::from_utf8_lossy(&output.stderr));
    }
    Ok(results)
}

/// Each test's outcome in a libtest run's output (`test name ... ok`), failures with the
/// message their `---- name stdout ----` section gives.
fn parse_test_output(stdout: &str) -> BTreeMap<String, Outcome> {
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            results.insert(name.to_owned(), Outcome::Passed);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            results.insert(name.to_owned(), Outcome::Failed(String::new()));
        }
    }
    let mut current: Option<String> = None;
    let mut message = String::new();
    let mut flush = |name: &Option<String>, message: &mut String| {
        if let Some(name) = name
            && let Some(Outcome::Failed(m)) = results.get_mut(name)
        {
            *m = std::mem::take(message).trim().to_owned();
        }
        message.clear();
    };
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
            flush(&current, &mut message);
            current = Some(name.to_owned());
        } else if line == "failures:" || line.starts_with("test result:") {
            flush(&current, &mut message);
            current = None;
        } else if current.is_some() {
            message.push_str(line);
            message.push('\n');
        }
    }
    results
}

/// The expected-failure list: `<service> <side> <kind> <case id>: <reason>` per line.
struct ExpectedFailures {
    entries: BTreeMap<String, String>,
}

impl ExpectedFailures {
    fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut entries = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let form = "`<service> <client|server> <request|response|malformed> <case id>: <reason>`";
            let (key, reason) =
                line.split_once(": ").ok_or_else(|| anyhow!("{}:{}: expected {form}", path.display(), i + 1))?;
            let parts: Vec<&str> = key.split_whitespace().collect();
            let valid = parts.len() == 4
                && matches!(
                    (parts[1], parts[2]),
                    ("client", "request" | "response") | ("server", "request" | "response" | "malformed")
                )
                && !reason.trim().is_empty();
            if !valid {
                bail!("{}:{}: expected {form}", path.display(), i + 1);
            }
            if entries.insert(parts.join(" "), reason.trim().to_owned()).is_some() {
                bail!("{}:{}: `{key}` is listed twice", path.display(), i + 1);
            }
        }
        Ok(ExpectedFailures { entries })
    }

    fn reason(&self, case: &Case) -> Option<&str> {
        self.entries.get(&case.key()).map(String::as_str)
    }

    /// What does not match the list: unlisted failures, listed passes, and (on a full run)
    /// listed cases that are not in the suite.
    fn check(&self, cases: &[&Case], full: bool) -> Vec<String> {
        let mut problems = Vec::new();
        for case in cases {
            let failed = !matches!(case.outcome, Outcome::Passed);
            match (failed, self.reason(case)) {
                (true, None) => problems.push(format!("  fails but is not listed: {}", case.key())),
                (false, Some(_)) => {
                    problems.push(format!("  passes but is listed (take it off the list): {}", case.key()))
                }
                _ => {}
            }
        }
        if full {
            let known: BTreeSet<String> = cases.iter().map(|c| c.key()).collect();
            for key in self.entries.keys().filter(|k| !known.contains(*k)) {
                problems.push(format!("  listed but not in the suite: {key}"));
            }
        }
        problems
    }
}

fn report(cases: &[&Case], apart: &[String], expected: &ExpectedFailures, verbose: bool) -> String {
    #[derive(Default, Clone, Copy)]
    struct Counts {
        passed: usize,
        failed: usize,
        expected: usize,
    }
    let tally = |counts: &mut Counts, case: &Case| match (&case.outcome, expected.reason(case)) {
        (Outcome::Passed, _) => counts.passed += 1,
        (_, Some(_)) => counts.expected += 1,
        _ => counts.failed += 1,
    };
    let mut by_file: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_kind: BTreeMap<Kind, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for case in cases {
        tally(by_file.entry(&case.file).or_default(), case);
        tally(by_kind.entry(case.kind).or_default(), case);
        tally(&mut total, case);
    }
    let mut out = String::new();
    let row = |out: &mut String, name: &str, c: Counts| {
        let _ = writeln!(out, "| {name} | {} | {} | {} |", c.passed, c.failed, c.expected);
    };
    out.push_str("\n| test file | passed | failed | expected failure |\n| --- | --- | --- | --- |\n");
    for (file, c) in &by_file {
        row(&mut out, file, *c);
    }
    out.push_str("\n| kind | passed | failed | expected failure |\n| --- | --- | --- | --- |\n");
    for (kind, c) in &by_kind {
        row(&mut out, kind.label(), *c);
    }
    row(&mut out, "**total**", total);
    let n = cases.len().max(1);
    let _ = writeln!(
        out,
        "\n{} of {} cases pass; {} are expected failures ({:.1}%); {} fail unexpectedly.",
        total.passed,
        cases.len(),
        total.expected,
        100.0 * total.expected as f64 / n as f64,
        total.failed
    );
    for line in apart {
        let _ = writeln!(out, "Counted apart: {line}.");
    }
    let mut shown = 0;
    for case in cases {
        let listed = expected.reason(case).is_some();
        if listed && !verbose {
            continue;
        }
        let message = match &case.outcome {
            Outcome::Failed(m) => m.clone(),
            Outcome::NotGenerated(m) => m.clone(),
            Outcome::NotRun => "the test did not run".into(),
            Outcome::Passed => continue,
        };
        if shown == 0 {
            out.push_str("\nFailures:\n");
        }
        shown += 1;
        let _ = writeln!(
            out,
            "\n{} ({}, {}){}",
            case.key(),
            case.kind.label(),
            case.file,
            if listed { " [expected]" } else { "" }
        );
        for line in message.lines().take(12) {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, kind: Kind, outcome: Outcome) -> Case {
        Case { service: "S".into(), kind, id: id.into(), test: None, file: "f.smithy".into(), outcome }
    }

    #[test]
    fn libtest_output_gives_outcomes_and_messages() {
        let out = "running 3 tests\ntest generated::request::a ... ok\ntest generated::request::b ... FAILED\n\
                   test generated::malformed::c ... ok\n\nfailures:\n\n---- generated::request::b stdout ----\n\
                   thread 'x' panicked at y:\nthe request does not match\n\nfailures:\n    generated::request::b\n\n\
                   test result: FAILED. 2 passed; 1 failed\n";
        let results = parse_test_output(out);
        assert_eq!(results.get("generated::request::a"), Some(&Outcome::Passed));
        assert_eq!(results.get("generated::malformed::c"), Some(&Outcome::Passed));
        match results.get("generated::request::b") {
            Some(Outcome::Failed(m)) => assert!(m.contains("the request does not match"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_expected_failure_list_is_checked_both_ways() {
        let dir = std::env::temp_dir().join(format!("xtask-expected-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("list.txt");
        std::fs::write(&path, "# comment\nS client request Listed: why\nS server malformed Gone: why\n").unwrap();
        let list = ExpectedFailures::read(&path).unwrap();
        let failing = case("Listed", Kind::ClientRequest, Outcome::Failed("x".into()));
        let unlisted = case("New", Kind::ServerRequest, Outcome::Failed("x".into()));
        let passing = case("Listed", Kind::ClientRequest, Outcome::Passed);
        assert!(list.check(&[&failing], false).is_empty());
        assert!(list.check(&[&failing], true)[0].contains("listed but not in the suite: S server malformed Gone"));
        assert!(list.check(&[&unlisted], false)[0].contains("fails but is not listed"));
        assert!(list.check(&[&passing], false)[0].contains("passes but is listed"));
        for bad in [
            "S client request NoReason",
            "S client malformed X: no",
            "S sideways request X: why",
            "S client request X: a\nS client request X: b",
        ] {
            std::fs::write(&path, bad).unwrap();
            assert!(ExpectedFailures::read(&path).is_err(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Conformance of the runtime's endpoint rules engine, driven by data.
//!
//! - Smithy's own rules-engine test models (`smithy/rules-engine-tests/*.smithy` in the shared
//!   reference data): each is loaded with [`codegen::load`], and every case of its
//!   `@smithy.rules#endpointTests` is resolved with its `@smithy.rules#endpointRuleSet`.
//! - The official Amazon Connect model's rule set and its 36 test cases.
//! - Our own rule set (`model/connect.smithy`): its own cases, the official cases (the same
//!   endpoints for every case, an error wherever the official rules give one), and a grid of
//!   regions × FIPS × dual-stack × custom endpoint on which both rule sets must agree.
//!
//! The shared directory is found with [`codegen::reference_data::dir`]; without it the tests that need
//! it print that they are skipped. [`EXPECTED_FAILURES`] lists the cases known to fail, with
//! why; it is checked both ways, so a listed case that passes fails the suite until it is
//! taken off the list.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::{Model, ShapeId, Sources};
use smithy_runtime::client::endpoint::{Expected, Params, RuleSet, TestCase, partitions};

/// Cases known to fail, as `file#case-number` (1-based), with the reason.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

fn load(path: &Path) -> Model {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut sources = Sources::new();
    sources.add(path.display().to_string(), text);
    codegen::load(&sources).unwrap_or_else(|d| panic!("{} does not load:\n{}", path.display(), d.render(&sources)))
}

/// The rule set and test cases of every service of `model` that has both.
fn services_with_tests(model: &Model) -> Vec<(ShapeId, RuleSet, Vec<TestCase>)> {
    let rules_id = ShapeId::parse("smithy.rules#endpointRuleSet").unwrap();
    let tests_id = ShapeId::parse("smithy.rules#endpointTests").unwrap();
    model
        .services()
        .into_iter()
        .filter_map(|s| {
            let rules = s.traits.get(&rules_id)?;
            let tests = s.traits.get(&tests_id)?;
            let rules = RuleSet::from_json(rules).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            let cases = TestCase::all_from_trait(tests).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            Some((s.id.clone(), rules, cases))
        })
        .collect()
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// Our rule set and cases, from `model/connect.smithy`.
fn ours() -> (RuleSet, Vec<TestCase>) {
    let mut services = services_with_tests(&load(&workspace().join("model").join("connect.smithy")));
    assert_eq!(services.len(), 1, "model/connect.smithy has one service with endpoint rules and tests");
    let (_, rules, cases) = services.remove(0);
    (rules, cases)
}

/// The official rule set and cases, when the shared data is there.
fn official() -> Option<(RuleSet, Vec<TestCase>)> {
    let path = codegen::reference_data::path("models/connect-getfederationtoken.ast.json")?;
    let mut services = services_with_tests(&load(&path));
    assert_eq!(services.len(), 1);
    let (_, rules, cases) = services.remove(0);
    Some((rules, cases))
}

fn describe(case: &TestCase) -> &str {
    case.documentation.as_deref().unwrap_or("(no documentation)")
}

#[test]
fn smithy_rules_engine_test_models() {
    let Some(dir) = codegen::reference_data::path("smithy/rules-engine-tests") else {
        println!("skipped: no shared reference data, so no Smithy rules-engine tests");
        return;
    };
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "smithy"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "expected Smithy's rules-engine test models in {}", dir.display());

    let (mut total, mut passed) = (0, 0);
    let mut unexpected = Vec::new();
    let mut failed_as_expected = Vec::new();
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let services = services_with_tests(&load(path));
        assert!(!services.is_empty(), "{file} has no service with endpoint rules and tests");
        let (mut file_total, mut file_passed) = (0, 0);
        for (service, rules, cases) in services {
            for (i, case) in cases.iter().enumerate() {
                let key = format!("{file}#{}", i + 1);
                let outcome = case.check(&rules);
                total += 1;
                file_total += 1;
                let expected_to_fail = EXPECTED_FAILURES.iter().any(|(k, _)| *k == key);
                match (outcome, expected_to_fail) {
                    (Ok(()), false) => {
                        passed += 1;
                        file_passed += 1;
                    }
                    (Ok(()), true) => unexpected.push(format!("{key} passes now: take it off EXPECTED_FAILURES")),
                    (Err(e), false) => unexpected.push(format!("{key} ({service}, \"{}\"): {e}", describe(case))),
                    (Err(_), true) => failed_as_expected.push(key),
                }
            }
        }
        println!("{file}: {file_passed}/{file_total}");
    }
    println!("Smithy rules-engine test models: {passed}/{total} cases passed");
    for key in &failed_as_expected {
        println!("expected failure: {key}");
    }
    for (k, _) in EXPECTED_FAILURES {
        assert!(
            failed_as_expected.contains(&(*k).to_owned()) || unexpected.iter().any(|u| u.starts_with(k)),
            "EXPECTED_FAILURES lists {k}, which is not a case"
        );
    }
    assert!(unexpected.is_empty(), "{} unexpected outcomes:\n{}", unexpected.len(), unexpected.join("\n"));
    assert!(total >= 90, "only {total} cases found");
}

#[test]
fn official_connect_cases_with_the_official_rules() {
    let Some((rules, cases)) = official() else {
        println!("skipped: no shared reference data, so no official Connect endpoint tests");
        return;
    };
    assert_eq!(cases.len(), 36);
    let failures: Vec<String> =
        cases.iter().filter_map(|c| c.check(&rules).err().map(|e| format!("\"{}\": {e}", describe(c)))).collect();
    println!("official Connect endpoint tests, official rules: {}/36 passed", 36 - failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn our_cases_with_our_rules() {
    let (rules, cases) = ours();
    assert!(cases.len() >= 12, "only {} cases", cases.len());
    let failures: Vec<String> =
        cases.iter().filter_map(|c| c.check(&rules).err().map(|e| format!("\"{}\": {e}", describe(c)))).collect();
    println!("our Connect endpoint tests, our rules: {}/{} passed", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn official_connect_cases_with_our_rules() {
    let Some((_, cases)) = official() else {
        println!("skipped: no shared reference data");
        return;
    };
    let (ours, _) = ours();
    let mut failures = Vec::new();
    for case in &cases {
        // The same endpoint; for an error, some error (our messages are our own).
        let outcome = match &case.expected {
            Expected::Endpoint { .. } => case.check(&ours),
            Expected::Error(official) => match ours.resolve(&case.params) {
                Err(_) => Ok(()),
                Ok(e) => Err(format!("resolved to `{}` where the official rules fail with `{official}`", e.url)),
            },
        };
        if let Err(e) = outcome {
            failures.push(format!("\"{}\": {e}", describe(case)));
        }
    }
    println!("official Connect endpoint tests, our rules: {}/{} agree", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn our_rules_and_the_official_rules_agree_everywhere() {
    let Some((official, _)) = official() else {
        println!("skipped: no shared reference data");
        return;
    };
    let (ours, _) = ours();
    let mut regions: Vec<&str> = partitions::PARTITIONS.iter().flat_map(|p| p.regions.iter().copied()).collect();
    regions.extend(["ap-southeast-9", "us-gov-north-2", "us-iso-west-7", "cn-south-3", "mars-east-1", "local"]);
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for region in regions.iter().map(Some).chain([None]) {
        for fips in [false, true] {
            for dual_stack in [false, true] {
                for endpoint in [None, Some("https://example.com"), Some("http://127.0.0.1:4566")] {
                    let mut params = Params::new().with("UseFIPS", fips).with("UseDualStack", dual_stack);
                    if let Some(r) = region {
                        params.insert("Region", *r);
                    }
                    if let Some(e) = endpoint {
                        params.insert("Endpoint", e);
                    }
                    compared += 1;
                    let (a, b) = (official.resolve(&params), ours.resolve(&params));
                    let same = match (&a, &b) {
                        (Ok(a), Ok(b)) => a.url == b.url,
                        (Err(_), Err(_)) => true,
                        _ => false,
                    };
                    if !same {
                        disagreements.push(format!("{params:?}: official {a:?}, ours {b:?}"));
                    }
                }
            }
        }
    }
    println!("our rules and the official rules agree on {}/{compared} parameter sets", compared - disagreements.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

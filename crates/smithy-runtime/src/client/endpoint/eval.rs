//! Evaluation of a parsed rule set against parameters.
//!
//! Rules are tried in order. A rule applies when each of its conditions holds, a condition
//! being a function call whose result is set and not `false`; a condition with `assign` binds
//! its result for the conditions after it and for the rule's body. An `endpoint` rule gives
//! the endpoint, an `error` rule fails with its message, and a `tree` rule is final: one of its
//! rules must apply, or resolution fails. Unset values flow through functions as unset (so a
//! condition on them fails); only a value of the wrong type is an evaluation error.

use std::collections::BTreeMap;

use super::tree::{Body, Call, Condition, EndpointSpec, Expr, Function, Part, Rule, Template, Tree};
use super::value::Val;
use super::{Endpoint, EndpointError, Params, aws, stdlib};

/// Names bound so far: parameters first, then assignments, innermost last.
struct Scope {
    vars: Vec<(String, Val)>,
}

impl Scope {
    fn get(&self, name: &str) -> Val {
        // Parsing checked every name, so a miss cannot happen; unset is the safe answer.
        self.vars.iter().rev().find(|(n, _)| n == name).map_or(Val::None, |(_, v)| v.clone())
    }
}

/// Resolves `params` with `tree`.
pub(crate) fn resolve(tree: &Tree, params: &Params) -> Result<Endpoint, EndpointError> {
    let mut scope = Scope { vars: Vec::with_capacity(tree.parameters.len() + 8) };
    for p in &tree.parameters {
        let value = match params.0.get(&p.name) {
            Some(v) if p.ty.admits(v) => Some(v),
            Some(v) => {
                return Err(EndpointError::InvalidParameter {
                    name: p.name.clone(),
                    message: format!("must be a {}, not {}", p.ty.name(), Val::from_param(v).kind()),
                });
            }
            None => p.default.as_ref(),
        };
        match value {
            Some(v) => scope.vars.push((p.name.clone(), Val::from_param(v))),
            None if p.required => return Err(EndpointError::MissingParameter(p.name.clone())),
            None => scope.vars.push((p.name.clone(), Val::None)),
        }
    }
    match rules(&tree.rules, &mut scope)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError::NoRuleMatched { tree: None }),
    }
}

/// Tries `rules` in order: the endpoint of the first that applies, `None` when none does.
fn rules(rules: &[Rule], scope: &mut Scope) -> Result<Option<Endpoint>, EndpointError> {
    for rule in rules {
        let depth = scope.vars.len();
        let outcome = apply(rule, scope);
        scope.vars.truncate(depth);
        if let Some(done) = outcome? {
            return Ok(Some(done));
        }
    }
    Ok(None)
}

fn apply(rule: &Rule, scope: &mut Scope) -> Result<Option<Endpoint>, EndpointError> {
    for c in &rule.conditions {
        if !condition(c, scope)? {
            return Ok(None);
        }
    }
    match &rule.body {
        Body::Endpoint(spec) => endpoint(spec, scope, &rule.at).map(Some),
        Body::Error(message) => match expr(message, scope)? {
            Val::Str(m) => Err(EndpointError::Rule(m)),
            other => Err(EndpointError::Evaluation(format!("{}: the error message is {}", rule.at, other.kind()))),
        },
        Body::Tree(inner) => match rules(inner, scope)? {
            Some(e) => Ok(Some(e)),
            None => Err(EndpointError::NoRuleMatched { tree: Some(rule.at.clone()) }),
        },
    }
}

fn condition(c: &Condition, scope: &mut Scope) -> Result<bool, EndpointError> {
    let value = call(&c.call, scope)?;
    let holds = !matches!(value, Val::None | Val::Bool(false));
    if holds && let Some(name) = &c.assign {
        scope.vars.push((name.clone(), value));
    }
    Ok(holds)
}

fn expr(e: &Expr, scope: &Scope) -> Result<Val, EndpointError> {
    Ok(match e {
        Expr::Str(t) => Val::Str(template(t, scope)?),
        Expr::Bool(b) => Val::Bool(*b),
        Expr::Int(i) => Val::Int(*i),
        Expr::Array(items) => Val::Array(items.iter().map(|x| expr(x, scope)).collect::<Result<_, _>>()?),
        Expr::Object(fields) => Val::Object(
            fields.iter().map(|(k, x)| Ok((k.clone(), expr(x, scope)?))).collect::<Result<_, EndpointError>>()?,
        ),
        Expr::Ref(name) => scope.get(name),
        Expr::Call(c) => call(c, scope)?,
    })
}

fn template(t: &Template, scope: &Scope) -> Result<String, EndpointError> {
    let mut out = String::new();
    for part in &t.0 {
        match part {
            Part::Text(s) => out.push_str(s),
            Part::Ref { name, path } => {
                let mut value = scope.get(name);
                if let Some(p) = path {
                    value = stdlib::get_attr(&value, p);
                }
                match value {
                    Val::Str(s) => out.push_str(&s),
                    other => {
                        let shown = match path {
                            Some(p) => format!("{name}#{}", path_text(p)),
                            None => name.clone(),
                        };
                        return Err(EndpointError::Evaluation(format!(
                            "the template placeholder `{{{shown}}}` is {}, not a string",
                            other.kind()
                        )));
                    }
                }
            }
        }
    }
    Ok(out)
}

fn path_text(p: &super::tree::Path) -> String {
    let mut s = String::new();
    for step in &p.0 {
        match step {
            super::tree::Step::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            super::tree::Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn type_error(f: &Function, i: usize, wanted: &str, got: &Val) -> EndpointError {
    EndpointError::Evaluation(format!("argument {} of `{}` must be {wanted}, not {}", i + 1, f.name(), got.kind()))
}

/// A string argument, or `None` when unset.
fn string_arg(f: &Function, i: usize, v: Val) -> Result<Option<String>, EndpointError> {
    match v {
        Val::Str(s) => Ok(Some(s)),
        Val::None => Ok(None),
        other => Err(type_error(f, i, "a string", &other)),
    }
}

/// A boolean argument, or `None` when unset.
fn bool_arg(f: &Function, i: usize, v: Val) -> Result<Option<bool>, EndpointError> {
    match v {
        Val::Bool(b) => Ok(Some(b)),
        Val::None => Ok(None),
        other => Err(type_error(f, i, "a boolean", &other)),
    }
}

fn int_arg(f: &Function, i: usize, v: Val) -> Result<Option<i64>, EndpointError> {
    match v {
        Val::Int(n) => Ok(Some(n)),
        Val::None => Ok(None),
        other => Err(type_error(f, i, "an integer", &other)),
    }
}

fn call(c: &Call, scope: &Scope) -> Result<Val, EndpointError> {
    let f = &c.function;
    // `coalesce` and `ite` evaluate only the arguments they need.
    match f {
        Function::Coalesce => {
            for a in &c.args {
                let v = expr(a, scope)?;
                if v != Val::None {
                    return Ok(v);
                }
            }
            return Ok(Val::None);
        }
        Function::Ite => {
            let cond = bool_arg(f, 0, arg(c, 0, scope)?)?;
            return arg(c, if cond == Some(true) { 1 } else { 2 }, scope);
        }
        _ => {}
    }
    let mut args = c.args.iter().map(|a| expr(a, scope)).collect::<Result<Vec<_>, _>>()?.into_iter();
    let mut next = || args.next().unwrap_or(Val::None);
    Ok(match f {
        Function::IsSet => Val::Bool(next() != Val::None),
        Function::Not => match bool_arg(f, 0, next())? {
            Some(b) => Val::Bool(!b),
            None => Val::None,
        },
        Function::BooleanEquals => {
            let (a, b) = (bool_arg(f, 0, next())?, bool_arg(f, 1, next())?);
            Val::Bool(a.is_some() && a == b)
        }
        Function::StringEquals => {
            let (a, b) = (string_arg(f, 0, next())?, string_arg(f, 1, next())?);
            Val::Bool(a.is_some() && a == b)
        }
        Function::GetAttr(path) => stdlib::get_attr(&next(), path),
        Function::Substring => {
            let input = string_arg(f, 0, next())?;
            let start = int_arg(f, 1, next())?;
            let stop = int_arg(f, 2, next())?;
            let reverse = bool_arg(f, 3, next())?;
            match (input, start, stop, reverse) {
                (Some(s), Some(a), Some(b), Some(r)) => stdlib::substring(&s, a, b, r).map_or(Val::None, Val::Str),
                _ => Val::None,
            }
        }
        Function::UriEncode => string_arg(f, 0, next())?.map_or(Val::None, |s| Val::Str(stdlib::uri_encode(&s))),
        Function::ParseUrl => {
            string_arg(f, 0, next())?.and_then(|s| stdlib::parse_url(&s)).map_or(Val::None, stdlib::Url::into_val)
        }
        Function::IsValidHostLabel => {
            let (value, sub) = (string_arg(f, 0, next())?, bool_arg(f, 1, next())?);
            Val::Bool(value.is_some_and(|v| stdlib::is_valid_host_label(&v, sub == Some(true))))
        }
        Function::Split => {
            let (value, delimiter, limit) =
                (string_arg(f, 0, next())?, string_arg(f, 1, next())?, int_arg(f, 2, next())?);
            match (value, delimiter, limit) {
                (Some(v), Some(d), Some(l)) => stdlib::split(&v, &d, l)
                    .map_or(Val::None, |parts| Val::Array(parts.into_iter().map(Val::Str).collect())),
                _ => Val::None,
            }
        }
        Function::AwsPartition => string_arg(f, 0, next())?.map_or(Val::None, |r| aws::partition(&r)),
        Function::AwsParseArn => {
            string_arg(f, 0, next())?.and_then(|s| aws::parse_arn(&s)).map_or(Val::None, aws::Arn::into_val)
        }
        Function::AwsIsVirtualHostableS3Bucket => {
            let (value, sub) = (string_arg(f, 0, next())?, bool_arg(f, 1, next())?);
            Val::Bool(value.is_some_and(|v| aws::is_virtual_hostable_s3_bucket(&v, sub == Some(true))))
        }
        Function::Coalesce | Function::Ite => Val::None,
    })
}

fn arg(c: &Call, i: usize, scope: &Scope) -> Result<Val, EndpointError> {
    c.args.get(i).map_or(Ok(Val::None), |a| expr(a, scope))
}

fn endpoint(spec: &EndpointSpec, scope: &Scope, at: &str) -> Result<Endpoint, EndpointError> {
    let url = match expr(&spec.url, scope)? {
        Val::Str(u) => u,
        other => return Err(EndpointError::Evaluation(format!("{at}: the endpoint URL is {}", other.kind()))),
    };
    let mut headers = BTreeMap::new();
    for (name, values) in &spec.headers {
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            match expr(v, scope)? {
                Val::Str(s) => out.push(s),
                other => {
                    return Err(EndpointError::Evaluation(format!(
                        "{at}: a value of the header `{name}` is {}",
                        other.kind()
                    )));
                }
            }
        }
        headers.insert(name.clone(), out);
    }
    let mut properties = BTreeMap::new();
    for (name, value) in &spec.properties {
        properties.insert(name.clone(), expr(value, scope)?.into_json(&format!("{at}: the property `{name}`"))?);
    }
    Ok(Endpoint::new(url, headers, properties))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::client::endpoint::Value;
    use crate::client::endpoint::parse::parse;

    fn tree(rules: serde_json::Value) -> Tree {
        parse(&json!({
            "version": "1.3",
            "parameters": {
                "Region": {"type": "string"},
                "Flag": {"type": "boolean"},
                "List": {"type": "stringArray"},
                "Fips": {"type": "boolean", "required": true, "default": false},
            },
            "rules": rules,
        }))
        .unwrap()
    }

    fn params(pairs: &[(&str, Value)]) -> Params {
        Params(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    fn url(t: &Tree, p: &Params) -> String {
        resolve(t, p).unwrap().url
    }

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    /// One rule whose condition is `call` and whose error message shows the assigned result.
    fn show(call: serde_json::Value) -> Tree {
        let mut cond = call;
        cond["assign"] = json!("out");
        tree(json!([
            {"type": "error", "conditions": [cond], "error": "value: {out}"},
            {"type": "error", "conditions": [], "error": "unset"},
        ]))
    }

    fn shown(t: &Tree, p: &Params) -> String {
        match resolve(t, p) {
            Err(EndpointError::Rule(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn first_matching_rule_wins_and_conditions_bind_names() {
        let t = tree(json!([
            {"type": "endpoint", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"},
            ], "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://fallback"}},
        ]));
        assert_eq!(url(&t, &params(&[("Region", s("cn-north-1"))])), "https://svc.cn-north-1.amazonaws.com.cn");
        assert_eq!(url(&t, &params(&[])), "https://fallback");
    }

    #[test]
    fn error_rules_give_their_message() {
        let t = tree(json!([{"type": "error", "conditions": [], "error": "bad {Region}"}]));
        assert_eq!(resolve(&t, &params(&[("Region", s("x"))])), Err(EndpointError::Rule("bad x".into())));
    }

    #[test]
    fn a_tree_whose_rules_all_fail_is_an_error() {
        let t = tree(json!([
            {"type": "tree", "conditions": [], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "endpoint": {"url": "https://a"}},
            ]},
            {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://never"}},
        ]));
        assert_eq!(resolve(&t, &params(&[])), Err(EndpointError::NoRuleMatched { tree: Some("rules[0]".into()) }));
        let none = tree(json!([]));
        assert_eq!(resolve(&none, &params(&[])), Err(EndpointError::NoRuleMatched { tree: None }));
    }

    #[test]
    fn assignments_do_not_leak_into_siblings() {
        // The first rule assigns `P` and then fails; the second assigns its own `P`. Parsing
        // refuses to let a sibling name another rule's assignment, so what evaluation must
        // guarantee is that it leaves the scope as it found it.
        let t = tree(json!([
            {"type": "endpoint", "conditions": [
                {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "P"},
                {"fn": "isSet", "argv": [{"ref": "Flag"}]},
            ], "endpoint": {"url": "https://{P#name}"}},
            {"type": "endpoint", "conditions": [
                {"fn": "coalesce", "argv": [{"ref": "Region"}, "none"], "assign": "P"},
            ], "endpoint": {"url": "https://{P}"}},
        ]));
        assert_eq!(url(&t, &params(&[])), "https://none");
        let mut scope = Scope { vars: vec![("Region".into(), Val::None), ("Flag".into(), Val::None)] };
        let found = rules(&t.rules, &mut scope).unwrap().unwrap();
        assert_eq!(found.url, "https://none");
        assert_eq!(scope.vars.len(), 2, "{:?}", scope.vars);
    }

    #[test]
    fn parameters_are_checked_and_defaulted() {
        let t = tree(json!([{"type": "endpoint", "conditions": [
            {"fn": "booleanEquals", "argv": [{"ref": "Fips"}, false]},
        ], "endpoint": {"url": "https://default-used"}}]));
        assert_eq!(url(&t, &params(&[])), "https://default-used");
        assert_eq!(
            resolve(&t, &params(&[("Region", Value::Bool(true))])),
            Err(EndpointError::InvalidParameter {
                name: "Region".into(),
                message: "must be a string, not a boolean".into()
            })
        );
        let required = parse(&json!({
            "parameters": {"Bucket": {"type": "string", "required": true}},
            "rules": [],
        }))
        .unwrap();
        assert_eq!(resolve(&required, &params(&[])), Err(EndpointError::MissingParameter("Bucket".into())));
        // Parameters the rule set does not declare are ignored.
        assert_eq!(url(&t, &params(&[("Unknown", s("x"))])), "https://default-used");
    }

    #[test]
    fn is_set_and_not() {
        let t = tree(json!([
            {"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}], "error": "no region"},
            {"type": "error", "conditions": [], "error": "region"},
        ]));
        assert_eq!(resolve(&t, &params(&[])), Err(EndpointError::Rule("no region".into())));
        assert_eq!(resolve(&t, &params(&[("Region", s("r"))])), Err(EndpointError::Rule("region".into())));
        // `not` of an unset boolean is unset: the condition fails.
        let t = tree(json!([
            {"type": "error", "conditions": [{"fn": "not", "argv": [{"ref": "Flag"}]}], "error": "not flag"},
            {"type": "error", "conditions": [], "error": "fell through"},
        ]));
        assert_eq!(resolve(&t, &params(&[])), Err(EndpointError::Rule("fell through".into())));
        assert_eq!(resolve(&t, &params(&[("Flag", Value::Bool(false))])), Err(EndpointError::Rule("not flag".into())));
    }

    #[test]
    fn equality_functions() {
        let t = tree(json!([
            {"type": "error", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "a"]}], "error": "a"},
            {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}], "error": "flag"},
            {"type": "error", "conditions": [], "error": "neither"},
        ]));
        let msg = |p: &[(&str, Value)]| resolve(&t, &params(p)).unwrap_err().to_string();
        assert_eq!(msg(&[("Region", s("a"))]), "a");
        assert_eq!(msg(&[("Region", s("b")), ("Flag", Value::Bool(true))]), "flag");
        assert_eq!(msg(&[("Flag", Value::Bool(false))]), "neither");
        assert_eq!(msg(&[]), "neither");
    }

    #[test]
    fn wrong_types_are_evaluation_errors() {
        let t = tree(json!([{"type": "error", "conditions": [
            {"fn": "booleanEquals", "argv": [{"ref": "Region"}, true]},
        ], "error": "x"}]));
        let e = resolve(&t, &params(&[("Region", s("r"))])).unwrap_err();
        assert_eq!(
            e,
            EndpointError::Evaluation("argument 1 of `booleanEquals` must be a boolean, not a string".into())
        );
        let t = tree(json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Flag}"}}]));
        let e = resolve(&t, &params(&[("Flag", Value::Bool(true))])).unwrap_err();
        assert!(e.to_string().contains("`{Flag}` is a boolean, not a string"), "{e}");
        let t = tree(json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": true}}]));
        assert!(resolve(&t, &params(&[])).unwrap_err().to_string().contains("the endpoint URL is a boolean"));
    }

    #[test]
    fn get_attr_reads_records_and_lists() {
        let t = show(json!({"fn": "getAttr", "argv": [{"ref": "List"}, "[1]"]}));
        assert_eq!(shown(&t, &params(&[("List", Value::StringArray(vec!["a".into(), "b".into()]))])), "value: b");
        assert_eq!(shown(&t, &params(&[("List", Value::StringArray(vec!["a".into()]))])), "unset");
        let t =
            show(json!({"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["us-iso-east-1"]}, "dnsSuffix"]}));
        assert_eq!(shown(&t, &params(&[])), "value: c2s.ic.gov");
    }

    #[test]
    fn string_functions() {
        let t = show(json!({"fn": "substring", "argv": [{"ref": "Region"}, 0, 2, false]}));
        assert_eq!(shown(&t, &params(&[("Region", s("us-east-1"))])), "value: us");
        assert_eq!(shown(&t, &params(&[("Region", s("u"))])), "unset");
        assert_eq!(shown(&t, &params(&[])), "unset");
        let t = show(json!({"fn": "uriEncode", "argv": ["{Region}"]}));
        assert_eq!(shown(&t, &params(&[("Region", s("a/b"))])), "value: a%2Fb");
        let t = show(json!({"fn": "getAttr", "argv": [{"fn": "parseURL", "argv": ["{Region}"]}, "authority"]}));
        assert_eq!(shown(&t, &params(&[("Region", s("http://127.0.0.1:4566/x"))])), "value: 127.0.0.1:4566");
        assert_eq!(shown(&t, &params(&[("Region", s("nope"))])), "unset");
        let t = show(json!({"fn": "getAttr", "argv": [{"fn": "split", "argv": ["{Region}", "-", 0]}, "[2]"]}));
        assert_eq!(shown(&t, &params(&[("Region", s("us-east-1"))])), "value: 1");
    }

    #[test]
    fn host_label_functions() {
        let t = tree(json!([
            {"type": "error", "conditions": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}], "error": "label"},
            {"type": "error", "conditions": [{"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Region"}, true]}], "error": "bucket"},
            {"type": "error", "conditions": [], "error": "neither"},
        ]));
        let msg = |r: &str| resolve(&t, &params(&[("Region", s(r))])).unwrap_err().to_string();
        assert_eq!(msg("us-east-1"), "label");
        assert_eq!(msg("my.bucket"), "bucket");
        assert_eq!(msg("My.Bucket"), "neither");
    }

    #[test]
    fn coalesce_and_ite_evaluate_lazily() {
        let t = show(json!({"fn": "coalesce", "argv": [{"ref": "Region"}, "fallback"]}));
        assert_eq!(shown(&t, &params(&[])), "value: fallback");
        assert_eq!(shown(&t, &params(&[("Region", s("given"))])), "value: given");
        // The branch not taken would fail (an unset placeholder) and is not evaluated.
        let t = show(json!({"fn": "ite", "argv": [{"ref": "Fips"}, "-{Region}", "plain"]}));
        assert_eq!(shown(&t, &params(&[])), "value: plain");
        assert_eq!(shown(&t, &params(&[("Fips", Value::Bool(true)), ("Region", s("r"))])), "value: -r");
        let t = show(json!({"fn": "coalesce", "argv": [{"ref": "Region"}, {"ref": "Region"}]}));
        assert_eq!(shown(&t, &params(&[])), "unset");
    }

    #[test]
    fn parse_arn_is_a_record() {
        let t = show(json!({"fn": "getAttr", "argv": [{"fn": "aws.parseArn", "argv": ["{Region}"]}, "resourceId[1]"]}));
        assert_eq!(shown(&t, &params(&[("Region", s("arn:aws:connect:us-east-1:1:instance/abc"))])), "value: abc");
        assert_eq!(shown(&t, &params(&[("Region", s("not-an-arn"))])), "unset");
    }

    #[test]
    fn endpoints_carry_headers_and_properties() {
        let t = tree(json!([{"type": "endpoint", "conditions": [], "endpoint": {
            "url": "https://x",
            "headers": {"x-amz-region": ["{Region}"], "x-multi": ["*", "{Region}"]},
            "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}"}],
                "n": 3,
                "flag": true,
            },
        }}]));
        let e = resolve(&t, &params(&[("Region", s("eu-west-1"))])).unwrap();
        assert_eq!(e.headers["x-multi"], ["*", "eu-west-1"]);
        assert_eq!(e.properties["n"], json!(3));
        assert_eq!(e.properties["flag"], json!(true));
        assert_eq!(e.signing_name.as_deref(), Some("svc"));
        assert_eq!(e.signing_region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn unset_properties_are_evaluation_errors() {
        let t = tree(json!([{"type": "endpoint", "conditions": [], "endpoint": {
            "url": "https://x", "properties": {"p": [{"ref": "Region"}]},
        }}]));
        let e = resolve(&t, &params(&[])).unwrap_err();
        assert!(e.to_string().contains("the property `p`[0] is unset"), "{e}");
    }
}

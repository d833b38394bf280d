//! Smithy's protocol compliance tests (`smithy.test#httpRequestTests`, `#httpResponseTests`,
//! `#httpMalformedRequestTests`) read into [`ProtocolTest`]s for the test emitter.
//!
//! Consumes the trait values on the service's operations and on the errors they declare;
//! produces one case per test (a malformed-request case once per set of `testParameters`, its
//! `$name:S` / `$name:L` placeholders substituted). Only cases for the service's protocol are
//! kept. A case whose shape does not match the trait's definition is an error naming the case.
//! Response tests defined on an error structure are run against the first operation (by name)
//! that declares the error.

use std::collections::BTreeSet;

use crate::ir::{
    BodyAssertion, HttpMessage, HttpRequestTest, HttpResponseTest, MalformedBody, MalformedRequestTest, ProtocolTest,
    ProtocolTestKind, TestSide,
};
use crate::model::diagnostic::{Diagnostic, Diagnostics};
use crate::model::shape_id::ShapeId;
use crate::model::{Model, Node, ShapeKind};
use crate::traits as t;

/// The cases for `protocol` on `operations` (and their errors), with the Rust names of the
/// errors as `error_name` gives them.
pub fn lower(
    model: &Model,
    operations: &[ShapeId],
    protocol: &ShapeId,
    error_name: impl Fn(&ShapeId) -> Option<String>,
    diagnostics: &mut Diagnostics,
) -> Vec<ProtocolTest> {
    let mut ops: Vec<&ShapeId> = operations.iter().collect();
    ops.sort_by(|a, b| a.name().cmp(b.name()).then_with(|| a.cmp(b)));
    let mut out = Vec::new();
    let mut errors_done = BTreeSet::new();
    let protocol = protocol.to_string();
    let protocol = protocol.as_str();
    for op_id in ops {
        let Some(op) = model.shape(op_id) else { continue };
        let ShapeKind::Operation(props) = &op.kind else { continue };
        let only = only_side(op);
        let reader = CaseReader { model, protocol, owner: op_id, operation: op_id.name(), only };
        for (trait_id, kind) in [
            (t::HTTP_REQUEST_TESTS, Kind::Request),
            (t::HTTP_RESPONSE_TESTS, Kind::Response),
            (t::HTTP_MALFORMED_REQUEST_TESTS, Kind::Malformed),
        ] {
            if let Some(cases) = op.traits.get(&trait_id) {
                out.extend(reader.cases(&trait_id, cases, kind, None, diagnostics));
            }
        }
        let mut errors: Vec<&ShapeId> = props.errors.iter().collect();
        errors.sort();
        for error in errors {
            let Some(shape) = model.shape(error) else { continue };
            let Some(cases) = shape.traits.get(&t::HTTP_RESPONSE_TESTS) else { continue };
            let Some(rust_name) = error_name(error) else { continue };
            if !errors_done.insert(error.clone()) {
                continue;
            }
            let reader = CaseReader { model, protocol, owner: error, operation: op_id.name(), only };
            out.extend(reader.cases(&t::HTTP_RESPONSE_TESTS, cases, Kind::Response, Some(rust_name), diagnostics));
        }
    }
    // Test function names: the case ids in snake case, unique among the service's cases of
    // one kind (each kind is a module of its own).
    let mut seen = BTreeSet::new();
    for case in &mut out {
        let kind = case.kind.module();
        let base = heck::ToSnakeCase::to_snake_case(case.id.as_str());
        let mut name = base.clone();
        let mut n = 2;
        while !seen.insert((kind, name.clone())) {
            name = format!("{base}_{n}");
            n += 1;
        }
        case.fn_name = crate::naming::operation_name(&name);
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
    Malformed,
}

struct CaseReader<'m> {
    model: &'m Model,
    protocol: &'m str,
    /// The shape carrying the trait.
    owner: &'m ShapeId,
    /// The operation the cases run against.
    operation: &'m str,
    /// The side the operation is limited to by its tags.
    only: Option<TestSide>,
}

impl CaseReader<'_> {
    fn cases(
        &self,
        trait_id: &ShapeId,
        node: &Node,
        kind: Kind,
        error: Option<String>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<ProtocolTest> {
        let Some(cases) = node.as_array() else {
            self.error(diagnostics, format!("`@{trait_id}` must be a list of test cases"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let case_id = case.get("id").and_then(Node::as_str).unwrap_or("").to_owned();
            let protocol = case.get("protocol").and_then(Node::as_str);
            if protocol != Some(self.protocol) {
                continue;
            }
            let expansions = match kind {
                Kind::Malformed => match expand_parameters(case) {
                    Ok(e) => e,
                    Err(e) => {
                        self.case_error(diagnostics, trait_id, i, &case_id, &e);
                        continue;
                    }
                },
                _ => vec![(case_id.clone(), case.clone())],
            };
            for (id, case) in expansions {
                match self.case(&case, kind) {
                    Ok(kind) => out.push(ProtocolTest {
                        id,
                        fn_name: String::new(),
                        operation: self.operation.to_owned(),
                        error: error.clone(),
                        documentation: case.get("documentation").and_then(Node::as_str).map(str::to_owned),
                        span: self.model.span(self.owner),
                        operation_only: self.only,
                        kind,
                    }),
                    Err(e) => self.case_error(diagnostics, trait_id, i, &case_id, &e),
                }
            }
        }
        out
    }

    fn error(&self, diagnostics: &mut Diagnostics, message: String) {
        let span = self.model.span(self.owner);
        diagnostics.push(Diagnostic::error(message).with_shape(self.owner).with_span(span));
    }

    fn case_error(
        &self,
        diagnostics: &mut Diagnostics,
        trait_id: &ShapeId,
        index: usize,
        case_id: &str,
        problem: &str,
    ) {
        let name = if case_id.is_empty() { format!("{}", index + 1) } else { format!("`{case_id}`") };
        self.error(diagnostics, format!("`@{trait_id}` case {name}: {problem}"));
    }

    fn case(&self, case: &Node, kind: Kind) -> Result<ProtocolTestKind, String> {
        if !case.is_object() {
            return Err("a case must be an object".into());
        }
        Ok(match kind {
            Kind::Request => ProtocolTestKind::Request(HttpRequestTest {
                applies_to: applies_to(case)?,
                method: required_str(case, "method")?,
                uri: required_str(case, "uri")?,
                host: opt_str(case, "host")?,
                resolved_host: opt_str(case, "resolvedHost")?,
                query_params: str_list(case, "queryParams")?,
                forbid_query_params: str_list(case, "forbidQueryParams")?,
                require_query_params: str_list(case, "requireQueryParams")?,
                message: message(case)?,
                params: params(case)?,
            }),
            Kind::Response => ProtocolTestKind::Response(HttpResponseTest {
                applies_to: applies_to(case)?,
                code: code(case)?,
                message: message(case)?,
                params: params(case)?,
            }),
            Kind::Malformed => {
                let request = case.get("request").filter(|r| r.is_object()).ok_or("`request` must be an object")?;
                let response = case.get("response").filter(|r| r.is_object()).ok_or("`response` must be an object")?;
                let response_body = match response.get("body") {
                    None => None,
                    Some(body) => {
                        let assertion = body.get("assertion").ok_or("`response.body.assertion` is missing")?;
                        let assertion = match (
                            assertion.get("contents").and_then(Node::as_str),
                            assertion.get("messageRegex").and_then(Node::as_str),
                        ) {
                            (Some(c), None) => BodyAssertion::Contents(c.to_owned()),
                            (None, Some(r)) => BodyAssertion::MessageRegex(r.to_owned()),
                            _ => {
                                return Err(
                                    "`response.body.assertion` must set one of `contents` or `messageRegex`".into()
                                );
                            }
                        };
                        Some(MalformedBody { media_type: required_str(body, "mediaType")?, assertion })
                    }
                };
                ProtocolTestKind::Malformed(MalformedRequestTest {
                    method: required_str(request, "method")?,
                    uri: required_str(request, "uri")?,
                    host: opt_str(request, "host")?,
                    query_params: str_list(request, "queryParams")?,
                    headers: str_map(request, "headers")?,
                    body: opt_str(request, "body")?,
                    code: code(response)?,
                    response_headers: str_map(response, "headers")?,
                    response_body,
                })
            }
        })
    }
}

/// `client-only` or `server-only` in an operation's `@tags`: Smithy's suite marks operations
/// whose cases only one side can run that way.
fn only_side(op: &crate::model::Shape) -> Option<TestSide> {
    let tags = t::read::<t::TagsTrait>(&op.traits)?.ok()?.0;
    let has = |tag: &str| tags.iter().any(|t| t == tag);
    match (has("client-only"), has("server-only")) {
        (true, false) => Some(TestSide::Client),
        (false, true) => Some(TestSide::Server),
        _ => None,
    }
}

fn required_str(node: &Node, key: &str) -> Result<String, String> {
    node.get(key).and_then(Node::as_str).map(str::to_owned).ok_or_else(|| format!("`{key}` must be a string"))
}

fn opt_str(node: &Node, key: &str) -> Result<Option<String>, String> {
    match node.get(key) {
        None | Some(Node::Null) => Ok(None),
        Some(Node::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

fn str_list(node: &Node, key: &str) -> Result<Vec<String>, String> {
    match node.get(key) {
        None | Some(Node::Null) => Ok(Vec::new()),
        Some(Node::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("`{key}` must be a list of strings")),
        Some(_) => Err(format!("`{key}` must be a list of strings")),
    }
}

fn str_map(node: &Node, key: &str) -> Result<Vec<(String, String)>, String> {
    match node.get(key) {
        None | Some(Node::Null) => Ok(Vec::new()),
        Some(Node::Object(entries)) => entries
            .iter()
            .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("`{key}` must map names to strings")),
        Some(_) => Err(format!("`{key}` must map names to strings")),
    }
}

fn code(node: &Node) -> Result<u16, String> {
    node.get("code")
        .and_then(Node::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (100..600).contains(c))
        .ok_or_else(|| "`code` must be an HTTP status code".to_owned())
}

fn applies_to(case: &Node) -> Result<Option<TestSide>, String> {
    match case.get("appliesTo") {
        None | Some(Node::Null) => Ok(None),
        Some(v) => match v.as_str() {
            Some("client") => Ok(Some(TestSide::Client)),
            Some("server") => Ok(Some(TestSide::Server)),
            _ => Err(format!("`appliesTo` must be \"client\" or \"server\", not {v}")),
        },
    }
}

fn params(case: &Node) -> Result<Node, String> {
    match case.get("params") {
        None | Some(Node::Null) => Ok(Node::Object(Default::default())),
        Some(p) if p.is_object() => Ok(p.clone()),
        Some(_) => Err("`params` must be an object".into()),
    }
}

fn message(case: &Node) -> Result<HttpMessage, String> {
    Ok(HttpMessage {
        headers: str_map(case, "headers")?,
        forbid_headers: str_list(case, "forbidHeaders")?,
        require_headers: str_list(case, "requireHeaders")?,
        body: opt_str(case, "body")?,
        body_media_type: opt_str(case, "bodyMediaType")?,
    })
}

/// The cases a parameterised malformed-request case stands for: one per index of its
/// `testParameters` lists (which must all have the same length), with `$name:L` replaced by
/// the value, `$name:S` by the value as a JSON string and `$$` by `$`, in every string of the
/// case (the formatting Smithy's own test runner applies).
fn expand_parameters(case: &Node) -> Result<Vec<(String, Node)>, String> {
    let id = case.get("id").and_then(Node::as_str).unwrap_or("").to_owned();
    let Some(params) = case.get("testParameters") else { return Ok(vec![(id, case.clone())]) };
    let params = params.as_object().ok_or("`testParameters` must map names to lists of strings")?;
    let mut columns: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, values) in params {
        let values: Option<Vec<&str>> = values.as_array().and_then(|v| v.iter().map(Node::as_str).collect());
        let values = values.ok_or_else(|| format!("`testParameters.{name}` must be a list of strings"))?;
        columns.push((name, values));
    }
    let Some(count) = columns.first().map(|(_, v)| v.len()) else { return Ok(vec![(id, case.clone())]) };
    if let Some((name, _)) = columns.iter().find(|(_, v)| v.len() != count) {
        return Err(format!("`testParameters.{name}` has a different number of values than the others"));
    }
    // Longer names first, so that `$valueLength` is not read as `$value` followed by `Length`.
    columns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let substitute = |text: &str| {
            let mut out = String::with_capacity(text.len());
            let mut rest = text;
            'scan: while let Some(at) = rest.find('$') {
                out.push_str(&rest[..at]);
                let after = &rest[at + 1..];
                if let Some(tail) = after.strip_prefix('$') {
                    out.push('$');
                    rest = tail;
                    continue;
                }
                for (name, values) in &columns {
                    let value = values[i];
                    if let Some(tail) = after.strip_prefix(*name).and_then(|t| t.strip_prefix(":L")) {
                        out.push_str(value);
                        rest = tail;
                        continue 'scan;
                    }
                    if let Some(tail) = after.strip_prefix(*name).and_then(|t| t.strip_prefix(":S")) {
                        out.push_str(&serde_json::to_string(value).unwrap_or_default());
                        rest = tail;
                        continue 'scan;
                    }
                }
                out.push('$');
                rest = after;
            }
            out.push_str(rest);
            out
        };
        let mut expanded = map_strings(case, &substitute);
        if let Some(obj) = expanded.as_object_mut() {
            obj.remove("testParameters");
        }
        out.push((format!("{id}_case{i}"), expanded));
    }
    Ok(out)
}

fn map_strings(node: &Node, f: &impl Fn(&str) -> String) -> Node {
    match node {
        Node::String(s) => Node::String(f(s)),
        Node::Array(items) => Node::Array(items.iter().map(|i| map_strings(i, f)).collect()),
        Node::Object(entries) => Node::Object(entries.iter().map(|(k, v)| (f(k), map_strings(v, f))).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameterised_cases_expand_with_literal_and_string_placeholders() {
        let case = serde_json::json!({
            "id": "Len",
            "request": {"method": "POST", "uri": "/x/$value:L$$", "body": "{\"s\": $value:S}"},
            "response": {"code": 400, "body": {"mediaType": "application/json",
                "assertion": {"contents": "length $valueLength:L"}}},
            "testParameters": {"value": ["a\"b", "c"], "valueLength": ["3", "1"]},
        });
        let cases = expand_parameters(&case).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].0, "Len_case0");
        assert_eq!(cases[0].1["request"]["uri"], "/x/a\"b$");
        assert_eq!(cases[0].1["request"]["body"], "{\"s\": \"a\\\"b\"}");
        assert_eq!(cases[1].1["response"]["body"]["assertion"]["contents"], "length 1");
        assert!(cases[1].1.get("testParameters").is_none());

        let uneven = serde_json::json!({"id": "U", "testParameters": {"a": ["1"], "b": []}});
        assert!(expand_parameters(&uneven).unwrap_err().contains("different number"));
        let plain = serde_json::json!({"id": "P"});
        assert_eq!(expand_parameters(&plain).unwrap()[0].0, "P");
    }
}

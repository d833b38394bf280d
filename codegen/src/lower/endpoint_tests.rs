//! `smithy.rules#endpointTests`: the model's endpoint test cases into IR cases the client's
//! generated tests run.

use super::*;

impl<'m> Lowerer<'m> {
    /// The cases of `smithy.rules#endpointTests`, for the client crate's generated tests. A case
    /// that cannot be expressed (a parameter that is not a string, boolean or list of strings,
    /// an `expect` without `endpoint` or `error`) is an error naming it.
    pub(super) fn endpoint_tests(&mut self, shape: &Shape) -> Vec<EndpointTest> {
        let Some(node) = shape.traits.get(&t::ENDPOINT_TESTS) else { return Vec::new() };
        if !shape.traits.contains_key(&t::ENDPOINT_RULE_SET) {
            self.error(
                &shape.id,
                format!("`@{}` without `@{}`: there are no rules to test", t::ENDPOINT_TESTS, t::ENDPOINT_RULE_SET),
            );
            return Vec::new();
        }
        let Some(cases) = node.get("testCases").and_then(Node::as_array) else {
            self.error(&shape.id, format!("`@{}` has no `testCases` list", t::ENDPOINT_TESTS));
            return Vec::new();
        };
        let mut tests = Vec::with_capacity(cases.len());
        for (i, case) in cases.iter().enumerate() {
            match endpoint_test(case) {
                Ok(test) => tests.push(test),
                Err(e) => {
                    let doc = case.get("documentation").and_then(Node::as_str).unwrap_or("without documentation");
                    self.error(&shape.id, format!("endpoint test case {} (\"{doc}\"): {e}", i + 1));
                }
            }
        }
        tests
    }
}

/// One `smithy.rules#endpointTests` case. Only `params` and `expect` are kept:
/// `operationInputs` say how an SDK fills the parameters from a call, which the generated
/// client does not do beyond the built-ins.
pub(super) fn endpoint_test(case: &Node) -> Result<EndpointTest, String> {
    let documentation = case.get("documentation").and_then(Node::as_str).map(str::to_owned);
    let mut params = Vec::new();
    if let Some(p) = case.get("params") {
        let p = p.as_object().ok_or("`params` is not an object")?;
        for (name, value) in p {
            let value =
                match value {
                    Node::String(s) => EndpointParam::String(s.clone()),
                    Node::Bool(b) => EndpointParam::Bool(*b),
                    Node::Array(items) => EndpointParam::StringArray(
                        items.iter().map(|i| i.as_str().map(str::to_owned)).collect::<Option<_>>().ok_or_else(
                            || format!("the parameter `{name}` is a list with an item that is not a string"),
                        )?,
                    ),
                    _ => return Err(format!("the parameter `{name}` is not a string, boolean or list of strings")),
                };
            params.push((name.clone(), value));
        }
    }
    let expect = case.get("expect").ok_or("no `expect`")?;
    let expect = if let Some(e) = expect.get("error") {
        EndpointExpectation::Error(e.as_str().ok_or("`expect.error` is not a string")?.to_owned())
    } else if let Some(e) = expect.get("endpoint") {
        let url = e.get("url").and_then(Node::as_str).ok_or("`expect.endpoint.url` is not a string")?.to_owned();
        let headers = match e.get("headers") {
            None => None,
            Some(h) => {
                let h = h.as_object().ok_or("`expect.endpoint.headers` is not an object")?;
                let mut out = Vec::new();
                for (name, values) in h {
                    let values: Option<Vec<String>> =
                        values.as_array().and_then(|vs| vs.iter().map(|v| v.as_str().map(str::to_owned)).collect());
                    out.push((
                        name.clone(),
                        values.ok_or_else(|| format!("the header `{name}` is not a list of strings"))?,
                    ));
                }
                Some(out)
            }
        };
        let properties = match e.get("properties") {
            None => None,
            Some(p) if p.is_object() => Some(p.to_string()),
            Some(_) => return Err("`expect.endpoint.properties` is not an object".into()),
        };
        EndpointExpectation::Endpoint { url, headers, properties }
    } else {
        return Err("`expect` has neither `endpoint` nor `error`".into());
    };
    Ok(EndpointTest { documentation, params, expect })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_test_cases_keep_params_and_expectations() {
        let case = serde_json::json!({
            "documentation": "d",
            "params": {"Region": "r", "Fips": true, "Zones": ["a", "b"]},
            "operationInputs": [{"operationName": "X"}],
            "expect": {"endpoint": {"url": "https://x", "headers": {"h": ["1"]}, "properties": {"p": {"q": 1}}}},
        });
        assert_eq!(
            endpoint_test(&case).unwrap(),
            EndpointTest {
                documentation: Some("d".into()),
                params: vec![
                    ("Region".into(), EndpointParam::String("r".into())),
                    ("Fips".into(), EndpointParam::Bool(true)),
                    ("Zones".into(), EndpointParam::StringArray(vec!["a".into(), "b".into()])),
                ],
                expect: EndpointExpectation::Endpoint {
                    url: "https://x".into(),
                    headers: Some(vec![("h".into(), vec!["1".into()])]),
                    properties: Some(r#"{"p":{"q":1}}"#.into()),
                },
            }
        );
        let error = serde_json::json!({"expect": {"error": "no"}});
        assert_eq!(
            endpoint_test(&error).unwrap(),
            EndpointTest { documentation: None, params: vec![], expect: EndpointExpectation::Error("no".into()) }
        );
    }

    #[test]
    fn endpoint_test_cases_the_generator_cannot_express_are_errors() {
        for (case, needle) in [
            (serde_json::json!({"params": {"A": 1}, "expect": {"error": "x"}}), "parameter `A` is not"),
            (serde_json::json!({"params": {"A": [1]}, "expect": {"error": "x"}}), "item that is not a string"),
            (serde_json::json!({"params": 1, "expect": {"error": "x"}}), "`params` is not an object"),
            (serde_json::json!({}), "no `expect`"),
            (serde_json::json!({"expect": {}}), "neither"),
            (serde_json::json!({"expect": {"error": 1}}), "`expect.error`"),
            (serde_json::json!({"expect": {"endpoint": {}}}), "`expect.endpoint.url`"),
            (serde_json::json!({"expect": {"endpoint": {"url": "u", "headers": []}}}), "headers` is not an object"),
            (serde_json::json!({"expect": {"endpoint": {"url": "u", "headers": {"h": "v"}}}}), "header `h`"),
            (serde_json::json!({"expect": {"endpoint": {"url": "u", "properties": []}}}), "properties"),
        ] {
            let e = endpoint_test(&case).unwrap_err();
            assert!(e.contains(needle), "{e} (wanted {needle})");
        }
    }
}

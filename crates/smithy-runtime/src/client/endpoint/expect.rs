//! Checking resolutions against `smithy.rules#endpointTests` cases.
//!
//! A test case gives parameters and expects either an endpoint (a URL, and headers and
//! properties when it lists them) or an error message. Generated crates build an [`Expected`]
//! per case in Rust; conformance tests read whole cases from a model with
//! [`TestCase::from_json`]. Both end in [`Expected::check`], which says exactly what differs.

use std::collections::BTreeMap;

use super::{EndpointError, Params, RuleSet};

/// What an endpoint test case expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// An endpoint.
    Endpoint {
        /// The URL.
        url: String,
        /// The headers, when the case lists them (then they must be exactly these).
        headers: Option<BTreeMap<String, Vec<String>>>,
        /// The properties, when the case lists them (then they must be exactly these).
        properties: Option<BTreeMap<String, serde_json::Value>>,
    },
    /// An error with this message.
    Error(String),
}

impl Expected {
    /// An endpoint with this URL.
    pub fn endpoint(url: impl Into<String>) -> Self {
        Expected::Endpoint { url: url.into(), headers: None, properties: None }
    }

    /// An error with this message.
    pub fn error(message: impl Into<String>) -> Self {
        Expected::Error(message.into())
    }

    /// Also expects the header `name` with these values (for an error, does nothing).
    pub fn with_header(mut self, name: &str, values: &[&str]) -> Self {
        if let Expected::Endpoint { headers, .. } = &mut self {
            headers
                .get_or_insert_with(BTreeMap::new)
                .insert(name.to_owned(), values.iter().map(|v| (*v).to_owned()).collect());
        }
        self
    }

    /// Also expects exactly these properties, a JSON object (for an error, does nothing).
    pub fn with_properties(mut self, json: serde_json::Value) -> Self {
        if let Expected::Endpoint { properties, .. } = &mut self {
            *properties = Some(match json {
                serde_json::Value::Object(map) => map.into_iter().collect(),
                other => BTreeMap::from([(String::new(), other)]),
            });
        }
        self
    }

    /// Resolves `params` with `rules` and compares; the error says what differs.
    pub fn check(&self, rules: &RuleSet, params: &Params) -> Result<(), String> {
        let got = rules.resolve(params);
        match (self, &got) {
            (Expected::Endpoint { url, headers, properties }, Ok(endpoint)) => {
                let mut problems = Vec::new();
                if &endpoint.url != url {
                    problems.push(format!("URL `{}`, expected `{url}`", endpoint.url));
                }
                if let Some(h) = headers
                    && &endpoint.headers != h
                {
                    problems.push(format!("headers {:?}, expected {h:?}", endpoint.headers));
                }
                if let Some(p) = properties
                    && &endpoint.properties != p
                {
                    problems.push(format!("properties {}, expected {}", json_text(&endpoint.properties), json_text(p)));
                }
                if problems.is_empty() { Ok(()) } else { Err(format!("resolved to {}", problems.join("; "))) }
            }
            (Expected::Error(message), Err(e)) => {
                let got = error_message(e);
                if got == *message {
                    Ok(())
                } else {
                    Err(format!("failed with `{got}`, expected the error `{message}`"))
                }
            }
            (Expected::Endpoint { url, .. }, Err(e)) => {
                Err(format!("failed with `{e}`, expected the endpoint `{url}`"))
            }
            (Expected::Error(message), Ok(endpoint)) => {
                Err(format!("resolved to `{}`, expected the error `{message}`", endpoint.url))
            }
        }
    }
}

/// The message a test case's `error` is compared with: the rule's own message for an
/// `error` rule, the full description otherwise.
fn error_message(e: &EndpointError) -> String {
    e.rule_message().map_or_else(|| e.to_string(), str::to_owned)
}

fn json_text(map: &BTreeMap<String, serde_json::Value>) -> String {
    serde_json::to_string(map).unwrap_or_else(|_| format!("{map:?}"))
}

/// One case of a `smithy.rules#endpointTests` trait.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// Its `documentation`, when it has one.
    pub documentation: Option<String>,
    /// Its `params`.
    pub params: Params,
    /// Its `expect`.
    pub expected: Expected,
}

impl TestCase {
    /// Every case of the trait's JSON value (`{"version": …, "testCases": [...]}`).
    pub fn all_from_trait(value: &serde_json::Value) -> Result<Vec<TestCase>, String> {
        let cases = value.get("testCases").and_then(|c| c.as_array()).ok_or("the trait has no `testCases` array")?;
        cases
            .iter()
            .enumerate()
            .map(|(i, c)| TestCase::from_json(c).map_err(|e| format!("testCases[{i}]: {e}")))
            .collect()
    }

    /// Reads one case. Only `params` and `expect` are used: `operationInputs` describe how an
    /// SDK fills the parameters from a call and are not the engine's business.
    pub fn from_json(case: &serde_json::Value) -> Result<TestCase, String> {
        let documentation = case.get("documentation").and_then(|d| d.as_str()).map(str::to_owned);
        let mut params = Params::new();
        if let Some(p) = case.get("params") {
            let p = p.as_object().ok_or("`params` must be an object")?;
            for (name, v) in p {
                let value = super::parse::param_value(v)
                    .ok_or_else(|| format!("the parameter `{name}` is not a string, boolean or list of strings"))?;
                params.0.insert(name.clone(), value);
            }
        }
        let expect = case.get("expect").ok_or("the case has no `expect`")?;
        let expected = if let Some(e) = expect.get("error") {
            Expected::error(e.as_str().ok_or("`expect.error` must be a string")?)
        } else if let Some(e) = expect.get("endpoint") {
            let url = e.get("url").and_then(|u| u.as_str()).ok_or("`expect.endpoint.url` must be a string")?;
            let mut expected = Expected::endpoint(url);
            if let Some(h) = e.get("headers") {
                let h = h.as_object().ok_or("`expect.endpoint.headers` must be an object")?;
                for (name, values) in h {
                    let values: Option<Vec<&str>> =
                        values.as_array().and_then(|vs| vs.iter().map(|v| v.as_str()).collect());
                    let values = values.ok_or_else(|| format!("the header `{name}` must be a list of strings"))?;
                    expected = expected.with_header(name, &values);
                }
            }
            if let Some(p) = e.get("properties") {
                if !p.is_object() {
                    return Err("`expect.endpoint.properties` must be an object".into());
                }
                expected = expected.with_properties(p.clone());
            }
            expected
        } else {
            return Err("`expect` has neither `endpoint` nor `error`".into());
        };
        Ok(TestCase { documentation, params, expected })
    }

    /// Runs the case against `rules`.
    pub fn check(&self, rules: &RuleSet) -> Result<(), String> {
        self.expected.check(rules, &self.params)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rules() -> RuleSet {
        RuleSet::from_json(&json!({
            "parameters": {"Region": {"type": "string"}},
            "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "endpoint": {
                    "url": "https://{Region}.example.com",
                    "headers": {"x-region": ["{Region}"]},
                    "properties": {"p": "{Region}"},
                }},
                {"type": "error", "conditions": [], "error": "no region"},
            ],
        }))
        .unwrap()
    }

    fn region(r: &str) -> Params {
        Params::new().with("Region", r)
    }

    #[test]
    fn matching_expectations_pass() {
        let rules = rules();
        assert_eq!(Expected::endpoint("https://a.example.com").check(&rules, &region("a")), Ok(()));
        let full = Expected::endpoint("https://a.example.com")
            .with_header("x-region", &["a"])
            .with_properties(json!({"p": "a"}));
        assert_eq!(full.check(&rules, &region("a")), Ok(()));
        assert_eq!(Expected::error("no region").check(&rules, &Params::new()), Ok(()));
    }

    #[test]
    fn mismatches_say_what_differs() {
        let rules = rules();
        let e = Expected::endpoint("https://b.example.com").check(&rules, &region("a")).unwrap_err();
        assert_eq!(e, "resolved to URL `https://a.example.com`, expected `https://b.example.com`");
        let e = Expected::endpoint("https://a.example.com").with_header("x-region", &["b"]).check(&rules, &region("a"));
        assert!(e.unwrap_err().contains("headers"));
        let e =
            Expected::endpoint("https://a.example.com").with_properties(json!({"p": "b"})).check(&rules, &region("a"));
        assert!(e.unwrap_err().contains(r#"properties {"p":"a"}, expected {"p":"b"}"#));
        let e = Expected::error("other").check(&rules, &Params::new()).unwrap_err();
        assert_eq!(e, "failed with `no region`, expected the error `other`");
        let e = Expected::error("no region").check(&rules, &region("a")).unwrap_err();
        assert_eq!(e, "resolved to `https://a.example.com`, expected the error `no region`");
        let e = Expected::endpoint("https://a.example.com").check(&rules, &Params::new()).unwrap_err();
        assert_eq!(e, "failed with `no region`, expected the endpoint `https://a.example.com`");
    }

    #[test]
    fn cases_read_from_the_trait() {
        let cases = TestCase::all_from_trait(&json!({"version": "1.0", "testCases": [
            {"documentation": "ok", "params": {"Region": "a", "Flag": true, "List": ["x"]},
             "expect": {"endpoint": {"url": "https://a.example.com", "headers": {"x-region": ["a"]}, "properties": {"p": "a"}}},
             "operationInputs": [{"operationName": "X"}]},
            {"expect": {"error": "no region"}},
        ]}))
        .unwrap();
        assert_eq!(cases[0].documentation.as_deref(), Some("ok"));
        assert_eq!(cases[0].params.get("List"), Some(&super::super::Value::StringArray(vec!["x".into()])));
        assert_eq!(cases[1].documentation, None);
        let rules = rules();
        for case in &cases {
            assert_eq!(case.check(&rules), Ok(()));
        }
    }

    #[test]
    fn malformed_cases_are_errors() {
        for (case, needle) in [
            (json!({"params": {"A": 1}, "expect": {"error": "x"}}), "parameter `A`"),
            (json!({"params": []}), "`params` must be an object"),
            (json!({}), "no `expect`"),
            (json!({"expect": {}}), "neither"),
            (json!({"expect": {"error": 1}}), "must be a string"),
            (json!({"expect": {"endpoint": {}}}), "url"),
            (json!({"expect": {"endpoint": {"url": "u", "headers": {"a": "b"}}}}), "header `a`"),
            (json!({"expect": {"endpoint": {"url": "u", "properties": []}}}), "properties"),
        ] {
            let e = TestCase::from_json(&case).unwrap_err();
            assert!(e.contains(needle), "{e} (wanted {needle})");
        }
        assert!(TestCase::all_from_trait(&json!({})).is_err());
    }
}

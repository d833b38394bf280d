//! Endpoint resolution with the model's `smithy.rules#endpointRuleSet`.
//!
//! A rule set is the model's own description of where a service lives: parameters (`Region`,
//! `UseFIPS`, `UseDualStack`, `Endpoint`, …) and an ordered list of rules whose conditions call
//! a small library of functions (`isSet`, `stringEquals`, `aws.partition`, `parseURL`, …) and
//! whose results are endpoints or error messages. This module interprets any rule set, so
//! the generated code only hands over the JSON text of the trait:
//!
//! - [`RuleSet::parse`] reads the JSON once into a typed tree (module `tree`, built by `parse`),
//!   checking names, functions, paths and templates, so a malformed rule set is an error here
//!   and never at a call;
//! - [`RuleSet::resolve`] evaluates it (`eval`) with the library functions (`stdlib`,
//!   `aws`, with the partition table in [`partitions`]);
//! - [`Expected`] and [`TestCase`] check a resolution against the model's
//!   `smithy.rules#endpointTests`, for generated and conformance tests.
//!
//! The specification is Smithy's "Rules engine" (standard library and AWS functions).

mod aws;
mod eval;
mod expect;
mod parse;
pub mod partitions;
mod stdlib;
mod tree;
mod value;

use std::collections::BTreeMap;
use std::fmt;

pub use expect::{Expected, TestCase};
pub use tree::{ParamType, Parameter};

/// A parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A list of strings.
    StringArray(Vec<String>),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Self {
        Value::StringArray(v)
    }
}

/// Parameters of a resolution, by name. Names the rule set does not declare are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub BTreeMap<String, Value>);

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params::default()
    }

    /// These parameters and `name` set to `value`.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.insert(name.to_owned(), value.into());
        self
    }

    /// Sets `name` to `value`.
    pub fn insert(&mut self, name: &str, value: impl Into<Value>) {
        self.0.insert(name.to_owned(), value.into());
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL.
    pub url: String,
    /// The signing name the rules ask for (the first `sigv4` entry of the `authSchemes`
    /// property), when they do.
    pub signing_name: Option<String>,
    /// The signing region the rules ask for (`authSchemes`), when they do.
    pub signing_region: Option<String>,
    /// Headers to send with the request, each with its values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Every property of the endpoint (`authSchemes` and any other), as JSON.
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl Endpoint {
    /// An endpoint with these headers and properties; the signing settings are read from the
    /// `authSchemes` property.
    pub fn new(
        url: String,
        headers: BTreeMap<String, Vec<String>>,
        properties: BTreeMap<String, serde_json::Value>,
    ) -> Self {
        let sigv4 = properties
            .get("authSchemes")
            .and_then(serde_json::Value::as_array)
            .and_then(|schemes| schemes.iter().find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4")));
        let field = |key: &str| sigv4.and_then(|s| s.get(key)).and_then(serde_json::Value::as_str).map(str::to_owned);
        Endpoint {
            signing_name: field("signingName"),
            signing_region: field("signingRegion"),
            url,
            headers,
            properties,
        }
    }
}

/// Why no endpoint could be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The rule set is not valid JSON or not a valid rule set; the message names the place.
    InvalidRuleSet(String),
    /// A required parameter has no value and no default.
    MissingParameter(String),
    /// A parameter has a value of the wrong type.
    InvalidParameter {
        /// The parameter.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// An `error` rule applies: its message, e.g. `Invalid Configuration: Missing Region`.
    Rule(String),
    /// No rule applies: at the top level (`tree: None`), or inside the tree rule at this place
    /// of the document (tree rules are final, so one of their rules must apply).
    NoRuleMatched {
        /// The tree rule, e.g. `rules[1].rules[0]`.
        tree: Option<String>,
    },
    /// A value has the wrong type for where the rules use it.
    Evaluation(String),
}

impl EndpointError {
    /// The error message of an `error` rule, when that is what this is.
    pub fn rule_message(&self) -> Option<&str> {
        match self {
            EndpointError::Rule(m) => Some(m),
            _ => None,
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::InvalidRuleSet(m) => write!(f, "invalid endpoint rule set: {m}"),
            EndpointError::MissingParameter(name) => {
                write!(f, "the endpoint parameter `{name}` is required but not set")
            }
            EndpointError::InvalidParameter { name, message } => write!(f, "the endpoint parameter `{name}` {message}"),
            EndpointError::Rule(m) => f.write_str(m),
            EndpointError::NoRuleMatched { tree: None } => f.write_str("no endpoint rule matched the parameters"),
            EndpointError::NoRuleMatched { tree: Some(at) } => {
                write!(f, "no endpoint rule inside the tree rule at `{at}` matched the parameters")
            }
            EndpointError::Evaluation(m) => write!(f, "the endpoint rules could not be evaluated: {m}"),
        }
    }
}

impl std::error::Error for EndpointError {}

/// A parsed rule set.
#[derive(Clone, Debug)]
pub struct RuleSet {
    tree: tree::Tree,
}

impl RuleSet {
    /// Parses the JSON form of the trait.
    pub fn parse(json: &str) -> Result<Self, EndpointError> {
        let doc: serde_json::Value =
            serde_json::from_str(json).map_err(|e| EndpointError::InvalidRuleSet(format!("not JSON: {e}")))?;
        Self::from_json(&doc)
    }

    /// Reads a rule set already parsed as JSON.
    pub fn from_json(doc: &serde_json::Value) -> Result<Self, EndpointError> {
        parse::parse(doc).map(|tree| RuleSet { tree }).map_err(EndpointError::InvalidRuleSet)
    }

    /// Resolves an endpoint.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        eval::resolve(&self.tree, params)
    }

    /// The declared parameters, in the order of the document.
    pub fn parameters(&self) -> &[Parameter] {
        &self.tree.parameters
    }

    /// The rules-engine version the rule set declares, e.g. `1.0`.
    pub fn version(&self) -> Option<&str> {
        self.tree.version.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region"},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"}
        },
        "rules": [
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": {"ref": "Endpoint"}}},
            {"type": "tree", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
             ], "rules": [
                {"type": "endpoint", "conditions": [], "endpoint": {
                    "url": "https://svc.{Region}.{P#dnsSuffix}",
                    "properties": {"authSchemes": [
                        {"name": "sigv4a", "signingName": "other", "signingRegionSet": ["*"]},
                        {"name": "sigv4", "signingName": "svc-signing", "signingRegion": "{P#implicitGlobalRegion}"}
                    ]}
                }}
            ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]
    }"#;

    #[test]
    fn resolves_with_the_rules() {
        let rules = RuleSet::parse(RULES).unwrap();
        assert_eq!(rules.version(), Some("1.0"));
        assert_eq!(rules.parameters().len(), 2);
        let e = rules.resolve(&Params::new().with("Region", "cn-north-1")).unwrap();
        assert_eq!(e.url, "https://svc.cn-north-1.amazonaws.com.cn");
        assert_eq!(e.signing_name.as_deref(), Some("svc-signing"));
        assert_eq!(e.signing_region.as_deref(), Some("cn-northwest-1"));
        let e = rules.resolve(&Params::new().with("Endpoint", "http://127.0.0.1:4566")).unwrap();
        assert_eq!((e.url.as_str(), e.signing_name), ("http://127.0.0.1:4566", None));
    }

    #[test]
    fn errors_say_what_happened() {
        let rules = RuleSet::parse(RULES).unwrap();
        let err = rules.resolve(&Params::new()).unwrap_err();
        assert_eq!(err.to_string(), "Invalid Configuration: Missing Region");
        assert_eq!(err.rule_message(), Some("Invalid Configuration: Missing Region"));
        let err = rules.resolve(&Params::new().with("Region", true)).unwrap_err();
        assert_eq!(err.to_string(), "the endpoint parameter `Region` must be a string, not a boolean");
        assert_eq!(err.rule_message(), None);
        assert_eq!(
            EndpointError::MissingParameter("Bucket".into()).to_string(),
            "the endpoint parameter `Bucket` is required but not set"
        );
    }

    #[test]
    fn malformed_rule_sets_are_parse_errors() {
        let err = RuleSet::parse("{").unwrap_err();
        assert!(matches!(&err, EndpointError::InvalidRuleSet(m) if m.starts_with("not JSON")), "{err}");
        let err = RuleSet::parse(r#"{"parameters": {}, "rules": [{"type": "error", "error": "{Nope}"}]}"#).unwrap_err();
        assert!(err.to_string().starts_with("invalid endpoint rule set: rules[0].error refers to `Nope`"), "{err}");
        // Nesting deeper than the JSON parser allows is an error, not a stack overflow.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(RuleSet::parse(&deep).is_err());
    }

    #[test]
    fn params_build_up() {
        let mut p = Params::new().with("A", "x").with("B", false).with("C", vec!["y".to_owned()]);
        p.insert("D", String::from("z"));
        assert_eq!(p.get("A"), Some(&Value::String("x".into())));
        assert_eq!(p.get("B"), Some(&Value::Bool(false)));
        assert_eq!(p.get("C"), Some(&Value::StringArray(vec!["y".into()])));
        assert_eq!(p.get("D"), Some(&Value::String("z".into())));
        assert_eq!(p.get("E"), None);
    }

    mod never_panics {
        use proptest::prelude::*;
        use serde_json::{Value as Json, json};

        use super::super::*;

        /// The library, with the number of arguments each takes.
        const FUNCTIONS: &[(&str, usize)] = &[
            ("isSet", 1),
            ("not", 1),
            ("booleanEquals", 2),
            ("stringEquals", 2),
            ("getAttr", 2),
            ("substring", 4),
            ("uriEncode", 1),
            ("parseURL", 1),
            ("isValidHostLabel", 2),
            ("coalesce", 2),
            ("ite", 3),
            ("split", 3),
            ("aws.partition", 1),
            ("aws.parseArn", 1),
            ("aws.isVirtualHostableS3Bucket", 2),
        ];

        /// A call with the right number of arguments, now and then a wrong one.
        fn call(args: BoxedStrategy<Json>) -> BoxedStrategy<Json> {
            let paths = prop::sample::select(vec!["name", "[0]", "dnsSuffix", "resourceId[1]", "isIp", "a..b"]);
            (prop::sample::select(FUNCTIONS), prop::collection::vec(args, 5), 0..12usize, paths)
                .prop_map(|((f, arity), mut argv, wrong, path)| {
                    argv.truncate(if wrong == 0 { 4 } else { arity });
                    if f == "getAttr" && wrong != 0 {
                        argv[1] = json!(path);
                    }
                    json!({"fn": f, "argv": argv})
                })
                .boxed()
        }

        const STRINGS: &[&str] = &[
            "",
            "{Region}",
            "{P#name}",
            "{P#resourceId[1]}",
            "{List#[0]}",
            "https://{Region}.{P#dnsSuffix}",
            "{{literal}}",
            "{",
            "}",
            "[0]",
            "name",
            "isIp",
            "authority",
            "arn:aws:s3:us-east-1:1:a/b",
            "http://127.0.0.1:4566/x",
            "us-east-1",
            "-",
        ];

        /// Arguments: references, literals, templates and nested calls.
        fn arg() -> BoxedStrategy<Json> {
            let leaf = prop_oneof![
                3 => prop::sample::select(vec!["Region", "Flag", "List"]).prop_map(|r| json!({"ref": r})),
                1 => prop::sample::select(vec!["P", "Q"]).prop_map(|r| json!({"ref": r})),
                2 => prop::sample::select(STRINGS).prop_map(|s| json!(s)),
                2 => "[a-z0-9.:/_-]{0,8}".prop_map(Json::String),
                1 => any::<bool>().prop_map(Json::Bool),
                1 => (-2i64..12).prop_map(Json::from),
            ];
            leaf.prop_recursive(2, 8, 4, |inner| {
                prop_oneof![
                    call(inner.clone()),
                    prop::collection::vec(inner.clone(), 0..3).prop_map(Json::Array),
                    inner.prop_map(|v| json!({"k": v})),
                ]
            })
            .boxed()
        }

        fn condition() -> BoxedStrategy<Json> {
            (call(arg()), prop::option::of(prop::sample::select(vec!["P", "Q"])))
                .prop_map(|(mut c, assign)| {
                    if let Some(a) = assign {
                        c["assign"] = json!(a);
                    }
                    c
                })
                .boxed()
        }

        fn rule() -> BoxedStrategy<Json> {
            let conditions = prop::collection::vec(condition(), 0..3);
            let leaf = prop_oneof![
                (conditions.clone(), arg(), arg(), arg()).prop_map(|(c, url, h, p)| json!({
                    "type": "endpoint", "conditions": c,
                    "endpoint": {"url": url, "headers": {"h": [h]}, "properties": {"authSchemes": [{"name": "sigv4", "signingName": p}]}},
                })),
                (conditions.clone(), arg()).prop_map(|(c, e)| json!({"type": "error", "conditions": c, "error": e})),
            ];
            leaf.prop_recursive(3, 16, 4, move |inner| {
                (prop::collection::vec(condition(), 0..3), prop::collection::vec(inner, 0..4))
                    .prop_map(|(c, rules)| json!({"type": "tree", "conditions": c, "rules": rules}))
            })
            .boxed()
        }

        fn params() -> impl Strategy<Value = Params> {
            (
                prop::option::of(prop::sample::select(STRINGS).prop_map(str::to_owned)),
                prop::option::of(any::<bool>()),
                prop::option::of(prop::collection::vec(".{0,4}", 0..3)),
            )
                .prop_map(|(region, flag, list)| {
                    let mut p = Params::new();
                    if let Some(r) = region {
                        p.insert("Region", r);
                    }
                    if let Some(f) = flag {
                        p.insert("Flag", f);
                    }
                    if let Some(l) = list {
                        p.insert("List", l);
                    }
                    p
                })
        }

        /// A well-typed condition on the parameters, assigning a name of its own.
        fn typed_condition() -> BoxedStrategy<Json> {
            let text = prop_oneof![prop::sample::select(STRINGS).prop_map(str::to_owned), "\\PC{0,10}"];
            (0..15usize, text, any::<bool>(), 0i64..6, 0i64..6)
                .prop_map(|(which, t, b, x, y)| match which {
                    0 => json!({"fn": "isSet", "argv": [{"ref": "Region"}]}),
                    1 => json!({"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}),
                    2 => json!({"fn": "booleanEquals", "argv": [{"ref": "Flag"}, b]}),
                    3 => json!({"fn": "stringEquals", "argv": [{"ref": "Region"}, t.replace(['{', '}'], "")]}),
                    4 => json!({"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}),
                    5 => json!({"fn": "parseURL", "argv": [{"ref": "Region"}], "assign": "U"}),
                    6 => json!({"fn": "substring", "argv": [{"ref": "Region"}, x, y, b], "assign": "S"}),
                    7 => json!({"fn": "split", "argv": [{"ref": "Region"}, "-", x], "assign": "L"}),
                    8 => json!({"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, b]}),
                    9 => json!({"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Region"}, b]}),
                    10 => json!({"fn": "aws.parseArn", "argv": [{"ref": "Region"}], "assign": "A"}),
                    11 => json!({"fn": "getAttr", "argv": [{"ref": "List"}, format!("[{x}]")], "assign": "G"}),
                    12 => json!({"fn": "uriEncode", "argv": [{"ref": "Region"}], "assign": "E"}),
                    13 => json!({"fn": "coalesce", "argv": [{"ref": "Region"}, "fallback"], "assign": "C"}),
                    _ => json!({"fn": "ite", "argv": [{"ref": "Flag"}, "a", "b"], "assign": "I"}),
                })
                .boxed()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            /// Well-typed rule sets over any parameters end in an endpoint, an error rule, or no
            /// match: never an evaluation error, never a panic.
            #[test]
            fn well_typed_rule_sets_evaluate(
                rules in prop::collection::vec((prop::collection::vec(typed_condition(), 0..4), any::<bool>()), 1..6),
                params in params(),
            ) {
                let rules: Vec<Json> = rules
                    .into_iter()
                    .map(|(conditions, endpoint)| if endpoint {
                        json!({"type": "endpoint", "conditions": conditions, "endpoint": {"url": "https://example.com"}})
                    } else {
                        json!({"type": "error", "conditions": conditions, "error": "refused"})
                    })
                    .collect();
                let doc = json!({
                    "parameters": {
                        "Region": {"type": "string"},
                        "Flag": {"type": "boolean", "required": true, "default": false},
                        "List": {"type": "stringArray"},
                    },
                    "rules": rules,
                });
                // A rule that repeats a function would assign its name twice: refused.
                if let Ok(rule_set) = RuleSet::from_json(&doc) {
                    match rule_set.resolve(&params) {
                        Ok(e) => prop_assert_eq!(e.url, "https://example.com"),
                        Err(EndpointError::Rule(m)) => prop_assert_eq!(m, "refused"),
                        Err(EndpointError::NoRuleMatched { tree: None }) => {}
                        Err(other) => prop_assert!(false, "{other}"),
                    }
                }
            }

            /// Generated rule sets parse or are refused, and those that parse resolve or fail,
            /// whatever the parameters: never a panic.
            #[test]
            fn rule_sets_and_parameters(rules in prop::collection::vec(rule(), 0..4), params in params()) {
                let doc = json!({
                    "version": "1.3",
                    "parameters": {
                        "Region": {"type": "string"},
                        "Flag": {"type": "boolean", "required": true, "default": false},
                        "List": {"type": "stringArray"},
                    },
                    "rules": rules,
                });
                if let Ok(rule_set) = RuleSet::from_json(&doc) {
                    let _ = rule_set.resolve(&params);
                }
                let _ = RuleSet::parse(&doc.to_string());
            }

            /// The library functions take any text.
            #[test]
            fn library_functions(text in "\\PC{0,24}", other in "\\PC{0,4}", a in -3i64..30, b in -3i64..30, flag in any::<bool>()) {
                let _ = stdlib::substring(&text, a, b, flag);
                let _ = stdlib::uri_encode(&text);
                let _ = stdlib::parse_url(&text);
                let _ = stdlib::is_valid_host_label(&text, flag);
                let _ = stdlib::split(&text, &other, a);
                let _ = aws::parse_arn(&text);
                let _ = aws::is_virtual_hostable_s3_bucket(&text, flag);
                let _ = aws::partition(&text);
                let _ = tree::Path::parse(&text);
                let doc = json!({"parameters": {"Region": {"type": "string"}}, "rules": [
                    {"type": "error", "conditions": [], "error": text},
                ]});
                if let Ok(rule_set) = RuleSet::from_json(&doc) {
                    let _ = rule_set.resolve(&Params::new().with("Region", other.as_str()));
                }
            }
        }
    }

    #[test]
    fn endpoints_without_sigv4_have_no_signing_overrides() {
        let props = BTreeMap::from([("authSchemes".to_owned(), serde_json::json!([{"name": "sigv4a"}]))]);
        let e = Endpoint::new("https://x".into(), BTreeMap::new(), props);
        assert_eq!((e.signing_name, e.signing_region), (None, None));
        let props = BTreeMap::from([("authSchemes".to_owned(), serde_json::json!("not a list"))]);
        let e = Endpoint::new("https://x".into(), BTreeMap::new(), props);
        assert_eq!(e.signing_name, None);
    }
}

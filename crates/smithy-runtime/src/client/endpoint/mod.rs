//! Endpoint resolution with the model's `smithy.rules#endpointRuleSet`.
//!
//! TODO(issue 3): the rules interpreter.

use std::collections::BTreeMap;
use std::fmt;

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

/// Parameters of a resolution, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub BTreeMap<String, Value>);

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL.
    pub url: String,
    /// The signing name the rules ask for (`authSchemes`), when it differs.
    pub signing_name: Option<String>,
    /// The signing region the rules ask for (`authSchemes`), when it differs.
    pub signing_region: Option<String>,
}

/// Why no endpoint could be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError(pub String);

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

/// A parsed rule set.
#[derive(Clone, Debug)]
pub struct RuleSet {
    _json: serde_json::Value,
}

impl RuleSet {
    /// Parses the JSON form of the trait.
    pub fn parse(json: &str) -> Result<Self, EndpointError> {
        serde_json::from_str(json)
            .map(|v| RuleSet { _json: v })
            .map_err(|e| EndpointError(format!("invalid endpoint rule set: {e}")))
    }

    /// Resolves an endpoint.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        let _ = params;
        Err(EndpointError("endpoint rules are not implemented yet".into()))
    }
}

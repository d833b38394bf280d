//! The values an endpoint rule set computes with: what parameters, literals and functions give,
//! shared by the evaluator and the function libraries (`stdlib`, `aws`), which sit below it.

use std::collections::BTreeMap;

use super::{EndpointError, Value};

/// A value during evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    /// Unset: an optional parameter nobody gave, or a function with no answer.
    None,
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer (only literals are integers).
    Int(i64),
    /// An array.
    Array(Vec<Val>),
    /// A record, e.g. what `aws.partition` or `parseURL` return.
    Object(BTreeMap<String, Val>),
}

impl Val {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Val::None => "unset",
            Val::Str(_) => "a string",
            Val::Bool(_) => "a boolean",
            Val::Int(_) => "an integer",
            Val::Array(_) => "an array",
            Val::Object(_) => "a record",
        }
    }

    pub(super) fn from_param(v: &Value) -> Val {
        match v {
            Value::String(s) => Val::Str(s.clone()),
            Value::Bool(b) => Val::Bool(*b),
            Value::StringArray(items) => Val::Array(items.iter().cloned().map(Val::Str).collect()),
        }
    }

    pub(super) fn into_json(self, at: &str) -> Result<serde_json::Value, EndpointError> {
        Ok(match self {
            Val::None => return Err(EndpointError::Evaluation(format!("{at} is unset"))),
            Val::Str(s) => serde_json::Value::String(s),
            Val::Bool(b) => serde_json::Value::Bool(b),
            Val::Int(i) => serde_json::Value::from(i),
            Val::Array(items) => serde_json::Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| v.into_json(&format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Val::Object(fields) => serde_json::Value::Object(
                fields.into_iter().map(|(k, v)| Ok((k.clone(), v.into_json(&format!("{at}.{k}"))?))).collect::<Result<
                    _,
                    EndpointError,
                >>(
                )?,
            ),
        })
    }
}

//! Where a client looks up settings nobody configured: the process environment, or a fixed
//! set of variables in tests (changing the real environment of a multi-threaded test process
//! is a data race, and `std::env::set_var` is `unsafe` for that reason).

use std::collections::BTreeMap;
use std::sync::Arc;

/// An environment to read variables from. `Debug` shows variable names, never values (a test
/// environment may hold `AWS_SECRET_ACCESS_KEY`).
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<BTreeMap<String, String>>>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(vars) => f.debug_tuple("Env").field(&vars.keys().collect::<Vec<_>>()).finish(),
        }
    }
}

impl Env {
    /// The process environment.
    pub fn real() -> Self {
        Env { fixed: None }
    }

    /// Exactly these variables, nothing from the process.
    pub fn from_slice(vars: &[(&str, &str)]) -> Self {
        Env { fixed: Some(Arc::new(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())) }
    }

    /// A variable's value; empty values count as unset.
    pub fn get(&self, key: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(key).cloned(),
            None => std::env::var(key).ok(),
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// A boolean variable (`true`/`false`, any case); other values are ignored.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.get(key)?.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_environments_see_only_their_variables() {
        let env = Env::from_slice(&[("AWS_REGION", "eu-west-1"), ("EMPTY", " "), ("AWS_USE_FIPS_ENDPOINT", "TRUE")]);
        assert_eq!(env.get("AWS_REGION").as_deref(), Some("eu-west-1"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("PATH"), None);
        assert_eq!(env.get_bool("AWS_USE_FIPS_ENDPOINT"), Some(true));
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_slice(&[("AWS_SECRET_ACCESS_KEY", "TOPSECRET")]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY") && !debug.contains("TOPSECRET"), "{debug}");
    }
}

//! Constraint checks (`@required`, `@length`, `@range`, `@pattern`, enum values) behind the
//! generated `validate()` methods, and the error that lists every violation.
//!
//! Messages follow AWS's wording ("Value at '/InstanceId' failed to satisfy constraint: Member
//! must have length between 1 and 100") and never contain the offending value, which may be
//! sensitive.

use std::fmt;

/// One violated constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A JSON-pointer-like path to the member: `/Credentials/AccessToken`, `/Items/3`.
    pub path: String,
    /// What the constraint requires.
    pub message: String,
}

/// Every violation found in a value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The violations, in member order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{n} validation error{} detected: ", if n == 1 { "" } else { "s" })?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "Value at '{}' failed to satisfy constraint: {}", v.path, v.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects violations while a value is walked.
#[derive(Debug, Default)]
pub struct Violations {
    found: Vec<Violation>,
}

/// The path of a member below `parent`.
pub fn child(parent: &str, member: &str) -> String {
    format!("{parent}/{member}")
}

/// The path of a list item or map entry below `parent`.
pub fn item(parent: &str, index: impl fmt::Display) -> String {
    format!("{parent}/{index}")
}

impl Violations {
    /// None yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a violation.
    pub fn push(&mut self, path: String, message: impl Into<String>) {
        self.found.push(Violation { path, message: message.into() });
    }

    /// `Ok` when nothing was found.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.found.is_empty() { Ok(()) } else { Err(ValidationError { violations: self.found }) }
    }

    /// A `@required` member is missing.
    pub fn missing(&mut self, parent: &str, member: &str) {
        self.push(child(parent, member), "Member must not be null");
    }

    /// `@length`: `len` is counted in characters for strings and in items for collections.
    pub fn length(&mut self, path: impl FnOnce() -> String, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        let too_short = min.is_some_and(|m| len < m);
        let too_long = max.is_some_and(|m| len > m);
        if too_short || too_long {
            let message = match (min, max) {
                (Some(a), Some(b)) => format!("Member must have length between {a} and {b}, inclusive"),
                (Some(a), None) => format!("Member must have length greater than or equal to {a}"),
                (None, Some(b)) => format!("Member must have length less than or equal to {b}"),
                (None, None) => return,
            };
            self.push(path(), message);
        }
    }

    /// `@range`.
    pub fn range(&mut self, path: impl FnOnce() -> String, value: f64, min: Option<f64>, max: Option<f64>) {
        let below = min.is_some_and(|m| value < m);
        let above = max.is_some_and(|m| value > m);
        if below || above || value.is_nan() && (min.is_some() || max.is_some()) {
            let message = match (min, max) {
                (Some(a), Some(b)) => format!("Member must be between {a} and {b}, inclusive"),
                (Some(a), None) => format!("Member must be greater than or equal to {a}"),
                (None, Some(b)) => format!("Member must be less than or equal to {b}"),
                (None, None) => return,
            };
            self.push(path(), message);
        }
    }

    /// A string enum holds a value the model does not list.
    pub fn enum_value(&mut self, path: impl FnOnce() -> String, allowed: &[&str]) {
        self.push(path(), format!("Member must satisfy enum value set: [{}]", allowed.join(", ")));
    }

    /// An int enum holds a value the model does not list.
    pub fn int_enum_value(&mut self, path: impl FnOnce() -> String, allowed: &[i32]) {
        let allowed: Vec<String> = allowed.iter().map(i32::to_string).collect();
        self.push(path(), format!("Member must satisfy enum value set: [{}]", allowed.join(", ")));
    }

    /// A union holds a member the model does not list.
    pub fn unknown_union_member(&mut self, path: impl FnOnce() -> String, name: &str) {
        self.push(path(), format!("Member `{name}` is not a member of this union"));
    }

    /// `@pattern`: the string must contain a match of the ECMA 262 regular expression. A
    /// pattern the regex crate cannot compile (look-around, back-references) is not checked.
    #[cfg(feature = "pattern")]
    pub fn pattern(&mut self, path: impl FnOnce() -> String, value: &str, pattern: &'static str) {
        if let Some(false) = pattern::matches(pattern, value) {
            self.push(path(), format!("Member must satisfy regular expression pattern: {pattern}"));
        }
    }
}

#[cfg(feature = "pattern")]
mod pattern {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    /// Compiled patterns, once each; `None` when a pattern does not compile.
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();

    pub(super) fn matches(pattern: &'static str, value: &str) -> Option<bool> {
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let re = cache.entry(pattern).or_insert_with(|| regex::Regex::new(pattern).ok());
        re.as_ref().map(|re| re.is_match(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_member_not_the_value() {
        let mut v = Violations::new();
        v.length(|| child("", "InstanceId"), "x".repeat(101).chars().count(), Some(1), Some(100));
        v.length(|| child("", "Ok"), 5, Some(1), Some(100));
        v.missing("", "Name");
        v.range(|| item("/Items", 2), 11.0, None, Some(10.0));
        let err = v.into_result().unwrap_err();
        assert_eq!(
            err.to_string(),
            "3 validation errors detected: Value at '/InstanceId' failed to satisfy constraint: Member must have length \
             between 1 and 100, inclusive; Value at '/Name' failed to satisfy constraint: Member must not be null; \
             Value at '/Items/2' failed to satisfy constraint: Member must be less than or equal to 10"
        );
        assert!(!err.to_string().contains("xxx"));
        assert_eq!(Violations::new().into_result(), Ok(()));
    }

    #[cfg(feature = "pattern")]
    #[test]
    fn patterns_are_unanchored() {
        let mut v = Violations::new();
        v.pattern(|| "/a".into(), "abc", "b");
        v.pattern(|| "/b".into(), "abc", "^b");
        v.pattern(|| "/c".into(), "abc", "(?<=a)b");
        assert_eq!(v.into_result().unwrap_err().violations().len(), 1);
    }
}

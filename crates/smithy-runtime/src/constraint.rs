//! Constraint checks (`@required`, `@length`, `@range`, `@pattern`, `@uniqueItems`, enum
//! values) behind the generated `validate()` methods, and the error that lists every violation.
//!
//! Messages are worded as Smithy's `smithy.framework#ValidationException` tests expect ("Value
//! with length 1 at '/string' failed to satisfy constraint: Member must have length between 2
//! and 8, inclusive") and never contain the offending value, which may be sensitive; a length
//! is not the value.

use std::fmt;

/// One violated constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A JSON-pointer-like path to the member: `/Credentials/AccessToken`, `/Items/3`.
    pub path: String,
    /// The whole message: `Value at '/Items/3' failed to satisfy constraint: …`.
    pub message: String,
    /// The value is not one the model can describe at all (a union member the model does not
    /// have): a server answers it as a malformed request, not a constraint violation.
    pub malformed: bool,
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

    /// The first violation that makes the value malformed rather than out of bounds.
    pub fn malformed(&self) -> Option<&Violation> {
        self.violations.iter().find(|v| v.malformed)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{n} validation error{} detected. ", if n == 1 { "" } else { "s" })?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            f.write_str(&v.message)?;
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

    /// Records a violation of the value at `path`: `requirement` is what the constraint
    /// requires ("Member must …").
    pub fn push(&mut self, path: String, requirement: impl fmt::Display) {
        let message = format!("Value at '{path}' failed to satisfy constraint: {requirement}");
        self.found.push(Violation { path, message, malformed: false });
    }

    /// Records a violation whose message names the value's length.
    fn push_with_length(&mut self, path: String, len: u64, requirement: impl fmt::Display) {
        let message = format!("Value with length {len} at '{path}' failed to satisfy constraint: {requirement}");
        self.found.push(Violation { path, message, malformed: false });
    }

    /// `Ok` when nothing was found.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.found.is_empty() { Ok(()) } else { Err(ValidationError { violations: self.found }) }
    }

    /// A `@required` member is missing.
    pub fn missing(&mut self, parent: &str, member: &str) {
        self.push(child(parent, member), "Member must not be null");
    }

    /// A `@required` member is missing at `path` (a JSON pointer, as a body reader found it).
    pub fn missing_at(&mut self, path: String) {
        self.push(path, "Member must not be null");
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
            self.push_with_length(path(), len, message);
        }
    }

    /// `@range`.
    pub fn range(&mut self, path: impl FnOnce() -> String, value: f64, min: Option<f64>, max: Option<f64>) {
        let below = min.is_some_and(|m| value < m);
        let above = max.is_some_and(|m| value > m);
        if below || above || value.is_nan() && (min.is_some() || max.is_some()) {
            self.push_range(path, min, max);
        }
    }

    fn push_range(
        &mut self,
        path: impl FnOnce() -> String,
        min: Option<impl fmt::Display>,
        max: Option<impl fmt::Display>,
    ) {
        let message = match (min, max) {
            (Some(a), Some(b)) => format!("Member must be between {a} and {b}, inclusive"),
            (Some(a), None) => format!("Member must be greater than or equal to {a}"),
            (None, Some(b)) => format!("Member must be less than or equal to {b}"),
            (None, None) => return,
        };
        self.push(path(), message);
    }

    /// `@range` on a `bigInteger` or `bigDecimal`: bounds and value compared exactly as decimal
    /// text, the bounds written in the message as the model gives them.
    pub fn range_decimal(&mut self, path: impl FnOnce() -> String, value: &str, min: Option<&str>, max: Option<&str>) {
        use std::cmp::Ordering;
        let below = min.is_some_and(|m| crate::big_number::compare(value, m) == Some(Ordering::Less));
        let above = max.is_some_and(|m| crate::big_number::compare(value, m) == Some(Ordering::Greater));
        if below || above {
            self.push_range(path, min, max);
        }
    }

    /// A string enum holds a value the model does not list; `allowed` are the values to name
    /// (the model's, without those marked internal).
    pub fn enum_value(&mut self, path: impl FnOnce() -> String, allowed: &[&str]) {
        self.push(path(), format!("Member must satisfy enum value set: [{}]", allowed.join(", ")));
    }

    /// An int enum holds a value the model does not list.
    pub fn int_enum_value(&mut self, path: impl FnOnce() -> String, allowed: &[i32]) {
        let allowed: Vec<String> = allowed.iter().map(i32::to_string).collect();
        self.push(path(), format!("Member must satisfy enum value set: [{}]", allowed.join(", ")));
    }

    /// A union holds a member the model does not list: the request is malformed.
    pub fn unknown_union_member(&mut self, path: impl FnOnce() -> String, name: &str) {
        let path = path();
        let shown: String = name.chars().take(64).collect();
        let message = format!("Value at '{path}' is a union member the model does not have: `{shown}`");
        self.found.push(Violation { path, message, malformed: true });
    }

    /// `@uniqueItems`: no two items of the list may be equal. Items are compared by their
    /// JSON form, in linear time whatever the list's length.
    pub fn unique_items<T: crate::json::ToJson>(&mut self, path: impl FnOnce() -> String, items: &[T]) {
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        for item in items {
            let Ok(text) = crate::json::to_body(item) else { continue };
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(&text) else { continue };
            if !seen.insert(canonical_json(&value)) {
                self.push(path(), "Member must have unique values");
                return;
            }
        }
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

/// JSON text with object keys sorted, so that equal values give equal text however their maps
/// were ordered.
fn canonical_json(value: &serde_json::Value) -> String {
    fn write(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    out.push(':');
                    write(v, out);
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
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
            "3 validation errors detected. Value with length 101 at '/InstanceId' failed to satisfy constraint: \
             Member must have length between 1 and 100, inclusive; Value at '/Name' failed to satisfy constraint: \
             Member must not be null; Value at '/Items/2' failed to satisfy constraint: Member must be less than or \
             equal to 10"
        );
        assert!(!err.to_string().contains("xxx"));
        assert_eq!(Violations::new().into_result(), Ok(()));
    }

    #[test]
    fn big_ranges_compare_exactly() {
        let mut v = Violations::new();
        v.range_decimal(|| "/a".into(), "1e400", None, Some("1e399"));
        v.range_decimal(|| "/b".into(), "5", Some("1"), Some("10"));
        v.range_decimal(|| "/c".into(), "0.99999999999999999999", Some("1"), None);
        let err = v.into_result().unwrap_err();
        let paths: Vec<&str> = err.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["/a", "/c"]);
        assert!(err.violations()[0].message.ends_with("Member must be less than or equal to 1e399"));
    }

    #[test]
    fn unique_items_compare_values_not_map_order() {
        let mut v = Violations::new();
        let a: std::collections::HashMap<&str, i32> = [("a", 1), ("b", 2)].into();
        let b: std::collections::HashMap<&str, i32> = [("b", 2), ("a", 1)].into();
        v.unique_items(|| "/maps".into(), &[a.clone(), b]);
        v.unique_items(|| "/ints".into(), &[1, 2, 3]);
        v.unique_items(|| "/floats".into(), &[1.0, 1.5]);
        let err = v.into_result().unwrap_err();
        assert_eq!(err.violations().len(), 1);
        assert_eq!(
            err.violations()[0].message,
            "Value at '/maps' failed to satisfy constraint: Member must have unique values"
        );
        let mut v = Violations::new();
        v.unknown_union_member(|| "/u".into(), "surprise");
        assert!(v.into_result().unwrap_err().malformed().is_some());
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

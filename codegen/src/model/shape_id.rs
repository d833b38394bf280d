//! Smithy shape ids: `namespace#Name` and member ids `namespace#Name$member`.
//!
//! Every pass refers to shapes by absolute [`ShapeId`]. Relative ids only exist inside the IDL
//! loader, which resolves them before a shape reaches the model.

use std::borrow::Cow;
use std::fmt;

/// An absolute shape id, optionally naming a member.
///
/// Ids known when the generator is compiled (the prelude's shapes, the traits in
/// `crate::traits`) are constants built by [`ShapeId::from_static`], which borrow their text;
/// ids read from a model own theirs. Both compare, order and hash by text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    namespace: Cow<'static, str>,
    name: Cow<'static, str>,
    member: Option<Cow<'static, str>>,
}

/// Why a piece of text is not a shape id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeIdError {
    /// The text that was rejected.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for ShapeIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid shape id: {}", self.text, self.reason)
    }
}

impl std::error::Error for ShapeIdError {}

/// The namespace of the Smithy prelude, `smithy.api`, whose shapes every model can name.
pub const PRELUDE_NAMESPACE: &str = "smithy.api";

impl ShapeId {
    /// The id of a prelude shape, e.g. `smithy.api#String`.
    pub fn prelude(name: &str) -> Self {
        ShapeId::new(PRELUDE_NAMESPACE, name)
    }

    /// `smithy.api#Unit`, the target of enum members and of operations without input or output.
    pub fn unit() -> Self {
        ShapeId::prelude("Unit")
    }

    /// Builds an id from parts that the caller has already checked.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ShapeId { namespace: Cow::Owned(namespace.into()), name: Cow::Owned(name.into()), member: None }
    }

    /// A constant id from parts known to be valid identifiers (the trait table's test checks
    /// that each of its constants parses back to itself).
    pub const fn from_static(namespace: &'static str, name: &'static str) -> Self {
        ShapeId { namespace: Cow::Borrowed(namespace), name: Cow::Borrowed(name), member: None }
    }

    /// Parses an absolute shape id such as `smithy.api#String` or `a.b#C$d`.
    pub fn parse(text: &str) -> Result<Self, ShapeIdError> {
        let err = |reason| ShapeIdError { text: text.to_owned(), reason };
        let (namespace, rest) = text.split_once('#').ok_or_else(|| err("missing `#`"))?;
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        if namespace.is_empty() || !namespace.split('.').all(is_identifier) {
            return Err(err("the namespace must be dot-separated identifiers"));
        }
        if !is_identifier(name) {
            return Err(err("the shape name must be an identifier"));
        }
        if let Some(member) = member
            && !is_identifier(member)
        {
            return Err(err("the member name must be an identifier"));
        }
        Ok(ShapeId {
            namespace: Cow::Owned(namespace.to_owned()),
            name: Cow::Owned(name.to_owned()),
            member: member.map(|m| Cow::Owned(m.to_owned())),
        })
    }

    /// The namespace, e.g. `com.amazonaws.connect`.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The shape name, e.g. `GetFederationToken`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member name, when this id names a member.
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }

    /// The id of a member of this shape.
    pub fn with_member(&self, member: impl Into<String>) -> Self {
        ShapeId { member: Some(Cow::Owned(member.into())), ..self.root() }
    }

    /// The id of the shape itself, without any member part.
    pub fn root(&self) -> Self {
        ShapeId { namespace: self.namespace.clone(), name: self.name.clone(), member: None }
    }

    /// Whether this shape belongs to the Smithy prelude.
    pub fn is_prelude(&self) -> bool {
        self.namespace == PRELUDE_NAMESPACE
    }
}

/// `true` for a Smithy identifier: a letter or `_`, then letters, digits and `_`, and not only
/// underscores.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !text.chars().all(|c| c == '_')
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)?;
        if let Some(member) = &self.member {
            write!(f, "${member}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl std::str::FromStr for ShapeId {
    type Err = ShapeIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ShapeId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for text in ["smithy.api#String", "com.amazonaws.connect#Credentials$AccessToken", "a#_b"] {
            assert_eq!(ShapeId::parse(text).unwrap().to_string(), text);
        }
        let id = ShapeId::parse("a.b#C$d").unwrap();
        assert_eq!((id.namespace(), id.name(), id.member()), ("a.b", "C", Some("d")));
        assert_eq!(id.root().to_string(), "a.b#C");
    }

    #[test]
    fn rejects_malformed_ids() {
        for text in ["", "String", "#A", "a#", "a..b#C", "a#1C", "a#C$", "a#C$d$e", "a#__", "a b#C"] {
            assert!(ShapeId::parse(text).is_err(), "{text} should be rejected");
        }
    }
}

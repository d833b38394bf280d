//! Reading generated shapes from JSON without serde's `Deserialize`: each shape's
//! [`FromJson::from_json`] walks a [`Node`], the raw text of one JSON value, splitting objects
//! and arrays into the raw text of their members with the few non-generic functions here.
//!
//! `from_json` is an ordinary function, not a generic one, so it is compiled once, in the crate
//! that defines the shape. serde's model instantiates the parser's `deserialize_map`,
//! `deserialize_seq` and `deserialize_option` and the shape's visitor for every type and every
//! crate that decodes it: for the whole Amazon Connect service that was over half of the
//! client's machine code. Leaf values (strings, numbers, timestamps, blobs) still go through
//! their serde impls, on their own text, so their rules and messages stay serde_json's, and a
//! `bigInteger` keeps every digit (a parsed `serde_json::Value` would round it to an `f64`).

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

use serde::Deserialize;
use serde::de::{self, Unexpected};
use serde_json::Value;
use serde_json::value::RawValue;
use serde_with::Same;
use serde_with::de::DeserializeAsWrap;

use super::{
    Base64, DateTimeString, Document, EpochSeconds, Float, HttpDateString, Key, Segment, Unit, UnknownUnionMember,
};
use crate::timestamp::DateTime;

/// One JSON value of a body, as its text (already checked to be JSON).
#[derive(Clone, Copy, Debug)]
pub struct Node<'a>(&'a RawValue);

impl<'a> Node<'a> {
    /// The value's text, without surrounding whitespace.
    pub fn text(self) -> &'a str {
        self.0.get()
    }

    /// Whether the value is `null`.
    pub fn is_null(self) -> bool {
        self.text() == "null"
    }

    /// Reads the text with a serde impl (leaf values). An error is serde_json's, without the
    /// line and column, which would count from the start of this value, not of the body.
    pub fn parse<T: Deserialize<'a>>(self) -> Result<T, DecodeError> {
        serde_json::from_str(self.text()).map_err(DecodeError::serde)
    }

    /// The error for a value of the wrong kind; `expected` says what was wanted.
    pub fn invalid_type(self, expected: &str) -> DecodeError {
        match serde_json::from_str::<Value>(self.text()) {
            Ok(value) => DecodeError::invalid_type(&value, expected),
            Err(e) => DecodeError::serde(e),
        }
    }
}

/// Checks that `text` is one JSON value (whitespace around it allowed) and gives its node.
pub(crate) fn root(text: &[u8]) -> Result<Node<'_>, serde_json::Error> {
    serde_json::from_slice::<&RawValue>(text).map(Node)
}

/// A value that does not have the shape its type needs, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// From the value the error is about outward (the reverse of reading order): each level
    /// adds its step as the error passes through it.
    path: Vec<Segment>,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A structure lacks a member its shape requires; the path is the structure's.
    Missing(&'static str),
    /// Anything else, in serde's words.
    Invalid(String),
}

impl DecodeError {
    fn new(kind: Kind) -> Self {
        DecodeError { path: Vec::new(), kind }
    }

    /// A value of the wrong kind: `expected` says what was wanted.
    pub fn invalid_type(found: &Value, expected: &str) -> Self {
        DecodeError::new(Kind::Invalid(
            <serde_json::Error as de::Error>::invalid_type(unexpected(found), &expected).to_string(),
        ))
    }

    /// A free-form error about the value.
    pub fn custom(message: impl fmt::Display) -> Self {
        DecodeError::new(Kind::Invalid(message.to_string()))
    }

    /// The error of a required member that is absent (or `null`), named by its JSON key.
    pub fn missing(member: &'static str) -> Self {
        DecodeError::new(Kind::Missing(member))
    }

    fn serde(e: serde_json::Error) -> Self {
        let text = e.to_string();
        let message = match text.rfind(" at line ") {
            Some(at) if e.line() != 0 => &text[..at],
            _ => &text[..],
        };
        DecodeError::custom(message)
    }

    /// The same error, one object member further out.
    pub fn at_key(mut self, key: &str) -> Self {
        self.path.push(Segment::Key(key.to_owned()));
        self
    }

    /// The same error, one list item further out.
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push(Segment::Index(index));
        self
    }

    /// The path from the root to the value, outermost first.
    pub(crate) fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.path.iter().rev()
    }

    /// The JSON key of the missing member, when that is the error.
    pub(crate) fn missing_member(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Missing(member) => Some(member),
            Kind::Invalid(_) => None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Missing(member) => write!(f, "missing field `{member}`"),
            Kind::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {}

/// How serde names a JSON value in "invalid type" errors.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Unexpected::Signed(i),
            (_, Some(u), _) => Unexpected::Unsigned(u),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A type that reads itself from a JSON value.
pub trait FromJson: Sized {
    /// Reads the value; an error carries the path below `node` where it arose.
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError>;
}

/// A wire form that reads a `T` (a timestamp in a given format, a float that may be `"NaN"`):
/// the decoding side of the adapters that serialization names with `serde_with::As`.
pub trait FromJsonAs<T> {
    /// Reads a `T` written in this form.
    fn from_json_as(node: Node<'_>) -> Result<T, DecodeError>;
}

/// Leaf values go through their serde impls, on their own text.
macro_rules! through_serde {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
                node.parse()
            }
        }
    )*};
}
through_serde!(bool, i8, i16, i32, i64, String);

/// A timestamp with no `@timestampFormat`: epoch seconds, restJson1's default in a body.
impl FromJson for DateTime {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        EpochSeconds::from_json_as(node)
    }
}

/// A blob: a base64 string.
impl FromJson for crate::Blob {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        Base64::from_json_as(node)
    }
}

/// A document: any JSON value.
impl FromJson for Document {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        node.parse::<Value>().map(super::document_from_value)
    }
}

/// Big numbers: a JSON number, read as its exact digits.
macro_rules! big_number {
    ($($t:ty => $read:path, $expected:literal),*) => {$(
        impl FromJson for $t {
            fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
                $read(node.text()).ok_or_else(|| match serde_json::from_str::<Value>(node.text()) {
                    Ok(Value::Number(_)) | Err(_) => {
                        DecodeError::custom(<serde_json::Error as de::Error>::invalid_value(
                            Unexpected::Other(node.text()),
                            &$expected,
                        ))
                    }
                    Ok(other) => DecodeError::invalid_type(&other, $expected),
                })
            }
        }
    )*};
}
big_number!(
    crate::BigInteger => crate::big_number::big_integer, "an integer",
    crate::BigDecimal => crate::big_number::big_decimal, "a decimal number"
);

/// Adapted leaf values too: through `serde_with`'s `DeserializeAs`.
macro_rules! adapter_through_serde {
    ($($adapter:ty => $t:ty),*) => {$(
        impl FromJsonAs<$t> for $adapter {
            fn from_json_as(node: Node<'_>) -> Result<$t, DecodeError> {
                node.parse::<DeserializeAsWrap<$t, $adapter>>().map(DeserializeAsWrap::into_inner)
            }
        }
    )*};
}
adapter_through_serde!(
    EpochSeconds => DateTime,
    DateTimeString => DateTime,
    HttpDateString => DateTime,
    Base64 => crate::Blob,
    Float => f32,
    Float => f64
);

impl FromJson for f32 {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        Float::from_json_as(node)
    }
}

impl FromJson for f64 {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        Float::from_json_as(node)
    }
}

/// A `Unit` union member's value: any object (its content is ignored).
impl FromJson for Unit {
    fn from_json(_: Node<'_>) -> Result<Self, DecodeError> {
        Ok(Unit)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        if node.is_null() { Ok(None) } else { T::from_json(node).map(Some) }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        T::from_json(node).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        <Vec<Same> as FromJsonAs<Vec<T>>>::from_json_as(node)
    }
}

impl<K: From<String> + Eq + Hash, V: FromJson> FromJson for HashMap<K, V> {
    fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
        <HashMap<Same, Same> as FromJsonAs<HashMap<K, V>>>::from_json_as(node)
    }
}

impl<T: FromJson> FromJsonAs<T> for Same {
    fn from_json_as(node: Node<'_>) -> Result<T, DecodeError> {
        T::from_json(node)
    }
}

impl<T, A: FromJsonAs<T>> FromJsonAs<Option<T>> for Option<A> {
    fn from_json_as(node: Node<'_>) -> Result<Option<T>, DecodeError> {
        if node.is_null() { Ok(None) } else { A::from_json_as(node).map(Some) }
    }
}

impl<T, A: FromJsonAs<T>> FromJsonAs<Vec<T>> for Vec<A> {
    fn from_json_as(node: Node<'_>) -> Result<Vec<T>, DecodeError> {
        let items = items(node)?;
        let mut values = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match A::from_json_as(item) {
                Ok(value) => values.push(value),
                Err(e) => return Err(e.at_index(i)),
            }
        }
        Ok(values)
    }
}

impl<K: From<String> + Eq + Hash, V, A: FromJsonAs<V>> FromJsonAs<HashMap<K, V>> for HashMap<Same, A> {
    fn from_json_as(node: Node<'_>) -> Result<HashMap<K, V>, DecodeError> {
        let members = object(node, "a map (a JSON object)")?;
        let mut values = HashMap::with_capacity(members.len());
        for (key, item) in members {
            match A::from_json_as(item) {
                Ok(value) => values.insert(K::from(key.into_string()), value),
                Err(e) => return Err(e.at_key(key.as_str())),
            };
        }
        Ok(values)
    }
}

/// The items of a JSON array.
pub fn items(node: Node<'_>) -> Result<Vec<Node<'_>>, DecodeError> {
    if !node.text().starts_with('[') {
        return Err(node.invalid_type("a list (a JSON array)"));
    }
    let items: Vec<&RawValue> = node.parse()?;
    Ok(items.into_iter().map(Node).collect())
}

/// The members of a JSON object, in order, for a generated structure to read; anything else
/// is an error that says which structure was expected.
pub fn object<'a>(node: Node<'a>, expecting: &'static str) -> Result<Vec<(Key<'a>, Node<'a>)>, DecodeError> {
    struct Members<'a>(Vec<(Key<'a>, Node<'a>)>);
    impl<'de> Deserialize<'de> for Members<'de> {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> de::Visitor<'de> for V {
                type Value = Members<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                    let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                    while let Some((key, value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                        members.push((key, Node(value)));
                    }
                    Ok(Members(members))
                }
            }
            d.deserialize_map(V)
        }
    }
    if !node.text().starts_with('{') {
        return Err(node.invalid_type(expecting));
    }
    node.parse::<Members<'a>>().map(|m| m.0)
}

/// Reads a structure member's value: `null` reads as absent, and an error names the member.
///
/// Written with `match` rather than `map`/`map_err`, here and below: these are instantiated
/// for every member type, and each closure would be one more function to compile.
pub fn member<T: FromJson>(node: Node<'_>, key: &str) -> Result<Option<T>, DecodeError> {
    if node.is_null() {
        return Ok(None);
    }
    match T::from_json(node) {
        Ok(value) => Ok(Some(value)),
        Err(e) => Err(e.at_key(key)),
    }
}

/// [`member`] for a member whose wire form is an adapter's (`A`, e.g. [`DateTimeString`]).
pub fn member_as<T, A: FromJsonAs<T>>(node: Node<'_>, key: &str) -> Result<Option<T>, DecodeError> {
    if node.is_null() {
        return Ok(None);
    }
    match A::from_json_as(node) {
        Ok(value) => Ok(Some(value)),
        Err(e) => Err(e.at_key(key)),
    }
}

/// Reads a union: exactly one member must be set; `null` members and `__type` are skipped.
/// `read` is given the member's key and value, and gives the value back for a key the union
/// does not have, which is kept as an [`UnknownUnionMember`] by `unknown`.
pub fn union<'a, T>(
    node: Node<'a>,
    name: &'static str,
    read: impl FnOnce(&str, Node<'a>) -> Result<Result<T, Node<'a>>, DecodeError>,
    unknown: fn(UnknownUnionMember) -> T,
) -> Result<T, DecodeError> {
    // Only the call of `read` depends on the union's type; the rest is compiled once, here,
    // not again in every crate and for every union that reads one.
    let (key, value) = union_member(node, name)?;
    match read(key.as_str(), value) {
        Ok(Ok(known)) => Ok(known),
        Ok(Err(raw)) => unknown_union_member(key, raw).map(unknown),
        Err(e) => Err(e.at_key(key.as_str())),
    }
}

/// The one member set of a union's object (`__type` and nulls aside), or why there is not one.
#[inline(never)]
fn union_member<'a>(node: Node<'a>, name: &'static str) -> Result<(Key<'a>, Node<'a>), DecodeError> {
    let members = object(node, "a union (a JSON object with exactly one member set)")?;
    let mut set = members.into_iter().filter(|(key, value)| key.as_str() != "__type" && !value.is_null());
    let Some((key, value)) = set.next() else {
        return Err(DecodeError::custom(format_args!("union {name} has no member set")));
    };
    if let Some((other, _)) = set.next() {
        return Err(DecodeError::custom(format_args!(
            "union {name} has more than one member set (`{}` and `{}`)",
            key.as_str(),
            other.as_str()
        )));
    }
    Ok((key, value))
}

/// A member this build's union does not have, kept with its value.
#[inline(never)]
fn unknown_union_member(key: Key<'_>, raw: Node<'_>) -> Result<UnknownUnionMember, DecodeError> {
    let raw = raw.parse::<Value>().map_err(|e| e.at_key(key.as_str()))?;
    Ok(UnknownUnionMember::new(key.into_string(), raw))
}

/// Reads an enum from its JSON string; values this build does not know are kept by `From`.
pub fn string_enum<T: From<String>>(node: Node<'_>) -> Result<T, DecodeError> {
    String::from_json(node).map(T::from)
}

/// Reads an `intEnum` from its JSON number; values this build does not know are kept by `From`.
pub fn int_enum<T: From<i32>>(node: Node<'_>) -> Result<T, DecodeError> {
    i32::from_json(node).map(T::from)
}

//! The JSON side of restJson1: value adapters, unions, and body decoding with located errors.
//!
//! Generated shapes are written with [`ToJson`] and read with [`FromJson`], not with serde's
//! derives (the `encode` and `decode` modules say why); where a member's wire form is not its
//! type's, it names an adapter from here (timestamps in a non-default format, floats that may
//! be `NaN` or infinite). Unions are read with [`union`], which keeps members this build does
//! not know. Bodies are decoded with [`from_body`], whose error names the JSON path that
//! failed.

use std::fmt::{self, Write as _};

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

use crate::timestamp::{self, DateTime, Format};

mod decode;
mod encode;
pub use decode::{
    DecodeError, FromJson, FromJsonAs, Node, int_enum, items, member, member_as, object, string_enum, union,
};
pub use encode::{JsonWriter, ObjectWriter, ToJson, ToJsonAs};

use crate::number_text::number_text_from_map;

pub use aws_smithy_types::{Document, Number};

/// Adapter: a timestamp as epoch seconds, a JSON number (the default for body members; named
/// for explicit `@timestampFormat`).
#[derive(Debug)]
pub struct EpochSeconds;
/// Adapter: a blob as a base64 string (how every blob in a JSON body is written).
#[derive(Debug)]
pub struct Base64;
/// Adapter: a timestamp as an RFC 3339 string (`@timestampFormat("date-time")`).
#[derive(Debug)]
pub struct DateTimeString;
/// Adapter: a timestamp as an HTTP date string (`@timestampFormat("http-date")`).
#[derive(Debug)]
pub struct HttpDateString;
/// Adapter: a float, with `NaN`, `Infinity` and `-Infinity` as strings the way Smithy writes them.
#[derive(Debug)]
pub struct Float;

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        if v.subsec_nanos() == 0 { s.serialize_i64(v.secs()) } else { s.serialize_f64(v.as_secs_f64()) }
    }
}
impl<'de> DeserializeAs<'de, DateTime> for EpochSeconds {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        struct EpochVisitor;
        impl<'de> Visitor<'de> for EpochVisitor {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp as a number of seconds since the epoch")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v).map(DateTime::from_secs).map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                timestamp::from_secs_f64(v).ok_or_else(|| E::custom("timestamp must be a finite number"))
            }
            // A number's exact text, when serde_json's `arbitrary_precision` is on in the build.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateTime, A::Error> {
                let text = number_text_from_map(map)?;
                timestamp::parse_epoch_decimal(&text)
                    .ok()
                    .or_else(|| text.parse().ok().and_then(timestamp::from_secs_f64))
                    .ok_or_else(|| de::Error::custom(format!("`{text}` is not a timestamp in seconds")))
            }
        }
        d.deserialize_any(EpochVisitor)
    }
}

impl SerializeAs<aws_smithy_types::Blob> for Base64 {
    fn serialize_as<S: Serializer>(v: &aws_smithy_types::Blob, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::text::to_base64(v.as_ref()))
    }
}
impl<'de> DeserializeAs<'de, aws_smithy_types::Blob> for Base64 {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<aws_smithy_types::Blob, D::Error> {
        struct B64;
        impl Visitor<'_> for B64 {
            type Value = aws_smithy_types::Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<aws_smithy_types::Blob, E> {
                crate::text::blob_from_base64(v).map_err(|e| E::custom(format!("invalid base64: {e}")))
            }
        }
        d.deserialize_str(B64)
    }
}

/// A document as the JSON value it is written as (objects' keys in no particular order: a
/// `Document` object is a `HashMap`).
pub fn document_to_value(doc: &Document) -> serde_json::Value {
    use serde_json::Value;
    match doc {
        Document::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), document_to_value(v))).collect()),
        Document::Array(items) => Value::Array(items.iter().map(document_to_value).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

/// A JSON value as a document: integers that fit `u64` or `i64` stay integers
/// ([`Number::PosInt`], [`Number::NegInt`]), other numbers are [`Number::Float`].
pub fn document_from_value(value: serde_json::Value) -> Document {
    use serde_json::Value;
    match value {
        Value::Object(map) => Document::Object(map.into_iter().map(|(k, v)| (k, document_from_value(v))).collect()),
        Value::Array(items) => Document::Array(items.into_iter().map(document_from_value).collect()),
        Value::Number(n) => Document::Number(match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Number::PosInt(u),
            (None, Some(i)) => Number::NegInt(i),
            _ => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Document::String(s),
        Value::Bool(b) => Document::Bool(b),
        Value::Null => Document::Null,
    }
}

/// A document from JSON text (a `@default` value, a protocol test's parameter).
pub fn document_from_str(text: &str) -> Result<Document, serde_json::Error> {
    serde_json::from_str(text).map(document_from_value)
}

fn timestamp_string<'de, D: Deserializer<'de>>(d: D, format: Format) -> Result<DateTime, D::Error> {
    struct V(Format);
    impl Visitor<'_> for V {
        type Value = DateTime;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(match self.0 {
                Format::HttpDate => "an http-date timestamp string",
                _ => "an RFC 3339 timestamp string",
            })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
            timestamp::parse(v, self.0).map_err(E::custom)
        }
    }
    d.deserialize_str(V(format))
}

impl SerializeAs<DateTime> for DateTimeString {
    fn serialize_as<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&timestamp::format(v, Format::DateTime))
    }
}
impl<'de> DeserializeAs<'de, DateTime> for DateTimeString {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        timestamp_string(d, Format::DateTime)
    }
}
impl SerializeAs<DateTime> for HttpDateString {
    fn serialize_as<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&timestamp::format(v, Format::HttpDate))
    }
}
impl<'de> DeserializeAs<'de, DateTime> for HttpDateString {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        timestamp_string(d, Format::HttpDate)
    }
}

macro_rules! float_adapter {
    ($t:ty) => {
        impl SerializeAs<$t> for Float {
            fn serialize_as<S: Serializer>(v: &$t, s: S) -> Result<S::Ok, S::Error> {
                if v.is_nan() {
                    s.serialize_str("NaN")
                } else if v.is_infinite() {
                    s.serialize_str(if *v > 0.0 { "Infinity" } else { "-Infinity" })
                } else {
                    v.serialize(s)
                }
            }
        }
        impl<'de> DeserializeAs<'de, $t> for Float {
            fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                struct V;
                impl<'v> Visitor<'v> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                        Ok(v as $t)
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                        Ok(v as $t)
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                        Ok(v as $t)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                        match v {
                            "NaN" => Ok(<$t>::NAN),
                            "Infinity" => Ok(<$t>::INFINITY),
                            "-Infinity" => Ok(<$t>::NEG_INFINITY),
                            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                        }
                    }
                    fn visit_map<A: MapAccess<'v>>(self, map: A) -> Result<$t, A::Error> {
                        let text = number_text_from_map(map)?;
                        text.parse().map_err(|_| de::Error::invalid_value(de::Unexpected::Str(&text), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
float_adapter!(f32);
float_adapter!(f64);

/// The value of a union member that targets `smithy.api#Unit`: written `{}`, read from any
/// object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unit;

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(d).map(|_| Unit)
    }
}

/// A union member this build does not know: its JSON key and raw value, kept so that nothing
/// a newer service sends is lost, and written back as received. Boxed inside: unknown members
/// are rare, and the unions holding them stay small.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownUnionMember {
    inner: Box<(String, serde_json::Value)>,
}

impl UnknownUnionMember {
    /// A member with this key and value.
    pub fn new(name: impl Into<String>, value: serde_json::Value) -> Self {
        UnknownUnionMember { inner: Box::new((name.into(), value)) }
    }

    /// The JSON key.
    pub fn name(&self) -> &str {
        &self.inner.0
    }

    /// The raw value, as received.
    pub fn value(&self) -> &serde_json::Value {
        &self.inner.1
    }
}

/// A JSON object key, borrowed from the input where it can be: what generated structures read
/// their keys as.
#[derive(Debug)]
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key's text, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON body that could not be decoded, with the path to the offending value.
#[derive(Debug)]
pub struct BodyError {
    path: String,
    /// The same path as a JSON pointer (`/items/0`), `""` for the whole body.
    pointer: String,
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    /// Not JSON.
    Syntax(serde_json::Error),
    /// JSON, but not of the shape's form.
    Shape(DecodeError),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Syntax(e) => e.fmt(f),
            Cause::Shape(e) => e.fmt(f),
        }
    }
}

impl BodyError {
    /// The JSON path of the value that failed (`.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// When the body failed because an object lacks a member its structure requires: the JSON
    /// pointer of that member (`/items/0/name`). A server reports it as a constraint
    /// violation (`@required`) rather than as a body that does not parse.
    pub fn missing_member(&self) -> Option<String> {
        match &self.cause {
            Cause::Shape(e) => Some(format!("{}/{}", self.pointer, e.missing_member()?)),
            Cause::Syntax(_) => None,
        }
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == "." {
            write!(f, "invalid JSON body: {}", self.cause)
        } else {
            write!(f, "invalid JSON body at `{}`: {}", self.path, self.cause)
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Syntax(e) => Some(e),
            Cause::Shape(e) => Some(e),
        }
    }
}

/// Decodes a JSON body; an empty body (or only whitespace) reads as `{}`.
///
/// The text is checked to be JSON first (the path of a syntax error is found afterwards, by
/// `locate`, from the position serde_json reports); then the shape reads it with
/// [`FromJson`], and its error carries its path.
///
/// Only the call to `from_json` is instantiated per type; the rest is compiled once.
pub fn from_body<T: FromJson>(body: &[u8]) -> Result<T, BodyError> {
    match T::from_json(body_root(body)?) {
        Ok(value) => Ok(value),
        Err(e) => Err(BodyError::from_decode(e)),
    }
}

/// The body's root value, checked to be JSON; an empty body is `{}`.
fn body_root(body: &[u8]) -> Result<Node<'_>, BodyError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    decode::root(body).map_err(|e| locate(body, e))
}

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// A decoding error with the path of the value it is about, found from the error's line and
/// column: the innermost value that spans the byte serde_json stopped at or after.
fn locate(body: &[u8], inner: serde_json::Error) -> BodyError {
    let segments = if inner.line() == 0 {
        Vec::new()
    } else {
        let line_start = if inner.line() == 1 {
            0
        } else {
            body.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .nth(inner.line() - 2)
                .map_or(body.len(), |(at, _)| at + 1)
        };
        // serde_json's column counts the bytes of the line it has consumed, and it reports an
        // error once it has read the value the error is about: the last byte of a string or
        // number of the wrong type, the `}` of an object that lacks a required member.
        let next = (line_start + inner.column()).min(body.len());
        let target = next.saturating_sub(1);
        path_at(body, target)
    };
    BodyError::at(&segments, Cause::Syntax(inner))
}

impl BodyError {
    fn from_decode(e: DecodeError) -> Self {
        let segments: Vec<Segment> = e.segments().cloned().collect();
        BodyError::at(&segments, Cause::Shape(e))
    }

    fn at(segments: &[Segment], cause: Cause) -> Self {
        let mut path = String::new();
        let mut pointer = String::new();
        for segment in segments {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    pointer.push('/');
                    pointer.push_str(key);
                }
                Segment::Index(index) => {
                    let _ = write!(path, "[{index}]");
                    let _ = write!(pointer, "/{index}");
                }
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        BodyError { path, pointer, cause }
    }
}

/// The path of the innermost value of `body` whose text holds the byte at `target` (whitespace
/// before a member's value counts as the member's; between members, as the container's).
/// Malformed text ends the walk with the path reached so far; it never panics.
fn path_at(body: &[u8], target: usize) -> Vec<Segment> {
    let mut walk = Walk { s: body, i: 0, target, path: Vec::new() };
    // `Err` carries the path found; a body walked to its end is about its root.
    match walk.value(0) {
        Ok(()) => Vec::new(),
        Err(found) => found,
    }
}

struct Walk<'a> {
    s: &'a [u8],
    i: usize,
    target: usize,
    path: Vec<Segment>,
}

/// The deepest nesting the walk follows; serde_json itself stops at 128.
const WALK_DEPTH: usize = 256;

impl Walk<'_> {
    fn skip_whitespace(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    /// Stops the walk at the current path when it has reached the target or the text ends.
    fn check(&self) -> Result<(), Vec<Segment>> {
        if self.i > self.target || self.i >= self.s.len() { Err(self.path.clone()) } else { Ok(()) }
    }

    /// Moves past a string whose opening quote is at `self.i`.
    fn string(&mut self) {
        self.i += 1;
        while let Some(&b) = self.s.get(self.i) {
            self.i += 1;
            match b {
                b'\\' => self.i += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), Vec<Segment>> {
        self.skip_whitespace();
        self.check()?;
        if depth > WALK_DEPTH {
            return Err(self.path.clone());
        }
        match self.s[self.i] {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => {
                self.string();
                if self.target < self.i { Err(self.path.clone()) } else { Ok(()) }
            }
            _ => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|b| !b",:]}\" \t\r\n".contains(b)) {
                    self.i += 1;
                }
                if self.i == start || self.target < self.i { Err(self.path.clone()) } else { Ok(()) }
            }
        }
    }

    /// The end of a container at `self.i` (`}` or `]`), or anything else: malformed.
    fn close(&mut self, end: u8) -> Result<(), Vec<Segment>> {
        if self.s[self.i] != end {
            return Err(self.path.clone());
        }
        self.i += 1;
        if self.target < self.i { Err(self.path.clone()) } else { Ok(()) }
    }

    fn object(&mut self, depth: usize) -> Result<(), Vec<Segment>> {
        if self.target == self.i {
            return Err(self.path.clone());
        }
        self.i += 1;
        loop {
            self.skip_whitespace();
            self.check()?;
            if self.s[self.i] != b'"' {
                return self.close(b'}');
            }
            let start = self.i;
            self.string();
            let text = &self.s[start..self.i.min(self.s.len())];
            let key = serde_json::from_slice::<String>(text)
                .unwrap_or_else(|_| String::from_utf8_lossy(text).trim_matches('"').to_owned());
            self.path.push(Segment::Key(key));
            if self.target < self.i {
                return Err(self.path.clone());
            }
            self.skip_whitespace();
            self.check()?;
            if self.s[self.i] != b':' {
                return Err(self.path.clone());
            }
            self.i += 1;
            self.value(depth + 1)?;
            self.path.pop();
            self.skip_whitespace();
            self.check()?;
            if self.s[self.i] == b',' {
                self.i += 1;
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Vec<Segment>> {
        if self.target == self.i {
            return Err(self.path.clone());
        }
        self.i += 1;
        let mut index = 0;
        loop {
            self.skip_whitespace();
            self.check()?;
            if self.s[self.i] == b']' {
                return self.close(b']');
            }
            self.path.push(Segment::Index(index));
            self.value(depth + 1)?;
            self.path.pop();
            index += 1;
            self.skip_whitespace();
            self.check()?;
            match self.s[self.i] {
                b',' => self.i += 1,
                b']' => return self.close(b']'),
                _ => return Err(self.path.clone()),
            }
        }
    }
}

/// Encodes a JSON body.
pub fn to_body<T: ToJson + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    encode::to_vec(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number_text::ARBITRARY_PRECISION_NUMBER;
    use serde_with::As;

    #[derive(Debug, PartialEq, Serialize)]
    struct S {
        #[serde(with = "As::<Option<DateTimeString>>", default, skip_serializing_if = "Option::is_none")]
        t: Option<DateTime>,
        #[serde(with = "As::<Vec<Float>>", default)]
        f: Vec<f64>,
    }

    // What the generator writes for a structure, by hand.
    impl FromJson for S {
        fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
            let (mut t, mut f) = (None, None);
            for (key, value) in object(node, "an S")? {
                match key.as_str() {
                    "t" => t = member_as::<_, DateTimeString>(value, "t")?,
                    "f" => f = member_as::<_, Vec<Float>>(value, "f")?,
                    _ => {}
                }
            }
            Ok(S { t, f: f.unwrap_or_default() })
        }
    }

    #[test]
    fn adapters() {
        let s = S { t: Some(DateTime::from_secs(0)), f: vec![1.5, f64::INFINITY, f64::NEG_INFINITY] };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"t":"1970-01-01T00:00:00Z","f":[1.5,"Infinity","-Infinity"]}"#);
        assert_eq!(from_body::<S>(json.as_bytes()).unwrap(), s);
        let nan: S = from_body(br#"{"f":["NaN"]}"#).unwrap();
        assert!(nan.f[0].is_nan() && nan.t.is_none());
        assert!(from_body::<S>(br#"{"f":["nan"]}"#).is_err());
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
        name: String,
        nested: Option<Box<Outer>>,
    }

    impl FromJson for Outer {
        fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
            let (mut items, mut name, mut nested) = (None, None, None);
            for (key, value) in object(node, "an Outer")? {
                match key.as_str() {
                    "Items" => items = member(value, "Items")?,
                    "Name" => name = member(value, "Name")?,
                    "Nested" => nested = member(value, "Nested")?,
                    _ => {}
                }
            }
            Ok(Outer {
                items: items.unwrap_or_default(),
                name: name.ok_or_else(|| DecodeError::missing("Name"))?,
                nested,
            })
        }
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Inner {
        count: i8,
        at: Option<DateTime>,
    }

    impl FromJson for Inner {
        fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
            let (mut count, mut at) = (None, None);
            for (key, value) in object(node, "an Inner")? {
                match key.as_str() {
                    "Count" => count = member(value, "Count")?,
                    "At" => at = member_as::<_, DateTimeString>(value, "At")?,
                    _ => {}
                }
            }
            Ok(Inner { count: count.ok_or_else(|| DecodeError::missing("Count"))?, at })
        }
    }

    /// The path and pointer of the error of decoding `body` as `Outer`.
    fn located(body: &str) -> (String, String, Option<String>) {
        let e = from_body::<Outer>(body.as_bytes()).unwrap_err();
        (e.path().to_owned(), e.pointer.clone(), e.missing_member())
    }

    #[test]
    fn errors_name_the_path_of_the_value_they_are_about() {
        let cases = [
            // A value of the wrong type, in a list, in a member.
            (r#"{"Name": "n", "Items": [{"Count": 1}, {"Count": "x"}]}"#, "Items[1].Count", "/Items/1/Count"),
            (r#"{"Name": "n", "Items": [{"Count": 300}]}"#, "Items[0].Count", "/Items/0/Count"),
            (r#"{"Name": 5}"#, "Name", "/Name"),
            (r#"{"Name": "n", "Items": {}}"#, "Items", "/Items"),
            // A visitor's own error: a timestamp that does not parse.
            (r#"{"Name": "n", "Items": [{"Count": 1, "At": "yesterday"}]}"#, "Items[0].At", "/Items/0/At"),
            // Nested structures, over several lines, with escapes in keys and strings.
            (
                "{\n  \"Name\": \"a\\\"b\",\n  \"Nested\": {\n    \"Name\": \"c\",\n    \"Items\": [\n      {\"Count\": true}\n    ]\n  }\n}",
                "Nested.Items[0].Count",
                "/Nested/Items/0/Count",
            ),
            (r#"{"Name": "n", "Nest\u0065d": {"Name": []}}"#, "Nested.Name", "/Nested/Name"),
            // Not JSON at all, or not only JSON: the whole body.
            ("nope", ".", ""),
            (r#"{"Name": "n"} trailing"#, ".", ""),
            // A structure is an object, nothing else.
            (r#"[1, 2]"#, ".", ""),
            (r#"{"Name": "n", "Nested": "x"}"#, "Nested", "/Nested"),
        ];
        for (body, path, pointer) in cases {
            let (p, q, _) = located(body);
            assert_eq!((p.as_str(), q.as_str()), (path, pointer), "{body}");
        }
    }

    #[test]
    fn a_missing_member_is_reported_at_its_object() {
        assert_eq!(located(r#"{}"#), (".".into(), "".into(), Some("/Name".into())));
        assert_eq!(
            located(r#"{"Name": "n", "Items": [{"Count": 1}, {"At": "1970-01-01T00:00:00Z"}]}"#),
            ("Items[1]".into(), "/Items/1".into(), Some("/Items/1/Count".into()))
        );
        assert_eq!(
            located(r#"{"Name": "n", "Nested": { "Items": [] } }"#),
            ("Nested".into(), "/Nested".into(), Some("/Nested/Name".into()))
        );
    }

    #[test]
    fn locating_never_panics_on_broken_text() {
        // Every prefix of a body, and every byte position, in valid and broken text alike.
        let body = r#"{"Name": "n\"x", "Items": [{"Count": 1}, {"Count": "x"}], "Nested": {"Name": [}}"#;
        for end in 0..=body.len() {
            let _ = from_body::<Outer>(&body.as_bytes()[..end]);
            for target in 0..=end + 1 {
                let _ = path_at(&body.as_bytes()[..end], target);
            }
        }
        let deep = "[".repeat(5000);
        assert!(path_at(deep.as_bytes(), 4999).len() <= WALK_DEPTH + 1);
    }

    #[test]
    fn numbers_read_when_serde_json_has_arbitrary_precision() {
        // With that feature on anywhere in a build, serde_json hands a number to
        // `deserialize_any` as a one-entry map holding its text: what this builds.
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, MapDeserializer};
        let number =
            |text: &'static str| MapDeserializer::<_, Error>::new(std::iter::once((ARBITRARY_PRECISION_NUMBER, text)));
        let t = <EpochSeconds as DeserializeAs<DateTime>>::deserialize_as(number("1796041279.33").into_deserializer())
            .unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1796041279, 330_000_000));
        let f: f64 = <Float as DeserializeAs<f64>>::deserialize_as(number("2.5").into_deserializer()).unwrap();
        assert_eq!(f, 2.5);
        let other = MapDeserializer::<_, Error>::new(std::iter::once(("x", "1")));
        assert!(<EpochSeconds as DeserializeAs<DateTime>>::deserialize_as(other.into_deserializer()).is_err());
    }

    #[test]
    fn doubles_read_back_exactly() {
        // serde_json's default float parser can be one ulp off; these came from the generated
        // round-trip tests.
        for v in [-1.2962144498820288e-307, -1.6605734763698766e-149, 0.1, f64::MAX, f64::MIN_POSITIVE] {
            let s = S { t: None, f: vec![v] };
            let back: S = from_body(serde_json::to_string(&s).unwrap().as_bytes()).unwrap();
            assert_eq!(back.f[0].to_bits(), v.to_bits(), "{v:e}");
        }
    }

    #[derive(Debug, PartialEq)]
    enum U {
        A(i32),
        B(Unit),
        Unknown(UnknownUnionMember),
    }

    // What the generator writes for a union, by hand.
    impl FromJson for U {
        fn from_json(node: Node<'_>) -> Result<Self, DecodeError> {
            union(
                node,
                "U",
                |key, node| {
                    Ok(Ok(match key {
                        "A" => U::A(FromJson::from_json(node)?),
                        "B" => U::B(FromJson::from_json(node)?),
                        _ => return Ok(Err(node)),
                    }))
                },
                U::Unknown,
            )
        }
    }

    fn read(json: &str) -> Result<U, BodyError> {
        from_body(json.as_bytes())
    }

    #[test]
    fn unions() {
        assert_eq!(read(r#"{"A": 3}"#).unwrap(), U::A(3));
        assert_eq!(read(r#"{"A": null, "B": {"x": 1}, "__type": "x"}"#).unwrap(), U::B(Unit));
        let unknown = read(r#"{"C": [1]}"#).unwrap();
        assert_eq!(unknown, U::Unknown(UnknownUnionMember::new("C", serde_json::json!([1]))));
        let U::Unknown(member) = unknown else { unreachable!() };
        assert_eq!(to_body(&member).unwrap(), br#"{"C":[1]}"#);
        assert!(read(r#"{"A": 1, "B": {}}"#).unwrap_err().to_string().contains("more than one member"));
        assert!(read("{}").unwrap_err().to_string().contains("no member set"));
        let wrong = read(r#"{"A": "x"}"#).unwrap_err();
        assert_eq!(wrong.path(), "A");
        assert!(read(r#"[]"#).is_err());
    }

    #[test]
    fn body_errors_name_the_path() {
        let missing = from_body::<Vec<Inner>>(br#"[{"Count": 1}, {}]"#).unwrap_err();
        assert_eq!(missing.missing_member().as_deref(), Some("/1/Count"));
        assert!(missing.to_string().contains("missing field `Count`"), "{missing}");
        let err = from_body::<Outer>(br#"{"Name": "n", "Nested": {"Name": "m", "Items": [{"Count": "seven"}]}}"#)
            .unwrap_err();
        assert_eq!(err.missing_member(), None);
        assert_eq!(err.path(), "Nested.Items[0].Count");
        assert_eq!(
            err.to_string(),
            r#"invalid JSON body at `Nested.Items[0].Count`: invalid type: string "seven", expected i8"#
        );
        assert!(from_body::<Option<Outer>>(b"  ").is_err(), "an empty body reads as {{}}");
        assert!(from_body::<Outer>(b"<html>502</html>").is_err());
        assert!(from_body::<Outer>(br#"{"Name": "n"} trailing"#).is_err());
        // A required member given as `null` is missing.
        assert_eq!(from_body::<Outer>(br#"{"Name": null}"#).unwrap_err().missing_member().as_deref(), Some("/Name"));
    }

    #[test]
    fn leaves_keep_every_digit_and_serde_json_messages() {
        let big: crate::BigInteger = from_body(b"98765432109876543210987654321").unwrap();
        assert_eq!(big.as_ref(), "98765432109876543210987654321");
        let e = from_body::<i32>(b"\n\n 3000000000").unwrap_err();
        assert_eq!(e.to_string(), "invalid JSON body: invalid value: integer `3000000000`, expected i32");
        let map: std::collections::HashMap<String, Option<f64>> = from_body(br#"{"a": null, "b": "NaN"}"#).unwrap();
        assert!(map["a"].is_none() && map["b"].is_some_and(f64::is_nan));
        let e = from_body::<std::collections::HashMap<String, i64>>(br#"{"a": 1, "b\u0020c": true}"#).unwrap_err();
        assert_eq!(e.path(), "b c");
        let doc =
            Document::Object([("x".to_owned(), Document::Array(vec![Document::from(1u64), Document::Null]))].into());
        assert_eq!(from_body::<Document>(br#" {"x": [1, null]} "#).unwrap(), doc);
        assert_eq!(to_body(&doc).unwrap(), br#"{"x":[1,null]}"#);
        let numbers = from_body::<Document>(b"[18446744073709551615, -1, 1.5]").unwrap();
        let want = [Number::PosInt(u64::MAX), Number::NegInt(-1), Number::Float(1.5)].map(Document::Number);
        assert_eq!(numbers, Document::Array(want.to_vec()));
    }
}

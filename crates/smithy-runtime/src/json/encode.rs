//! Writing generated shapes as JSON without serde's `Serialize`: each shape's
//! [`ToJson::to_json`] writes its members into a [`JsonWriter`], the reverse of the `decode`
//! module and for the same reason: `to_json` is an ordinary function, compiled once in the
//! crate that defines the shape, where serde's derive is generic over the serializer and is
//! compiled again, with serde_json's own code, in every crate that writes the shape. Leaf values
//! (strings, numbers, timestamps, blobs) are written by their serde impls, so their text is
//! serde_json's.

use std::collections::HashMap;

use serde::Serialize;
use serde_with::Same;
use serde_with::ser::SerializeAsWrap;

use super::{Base64, DateTimeString, Document, EpochSeconds, Float, HttpDateString, Unit, UnknownUnionMember};
use crate::timestamp::DateTime;

/// A JSON text being written. Writing cannot fail half-way: the first error of a leaf's serde
/// impl is kept and reported by [`finish`](JsonWriter::finish).
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    error: Option<serde_json::Error>,
}

impl JsonWriter {
    /// An empty text, with room for a typical body (one allocation instead of a few doublings).
    pub fn new() -> Self {
        JsonWriter { out: Vec::with_capacity(1024), error: None }
    }

    /// The text written, or the first error.
    pub fn finish(self) -> Result<Vec<u8>, serde_json::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.out),
        }
    }

    /// Writes a leaf value with its serde impl.
    pub fn leaf<T: Serialize + ?Sized>(&mut self, value: &T) {
        if let Err(e) = serde_json::to_writer(&mut self.out, value) {
            self.error.get_or_insert(e);
        }
    }

    /// Writes a string. One with nothing to escape (no control character, `"` or `\\`: most
    /// keys, ids and tokens) is copied as it is, which is what serde_json would write, without its
    /// byte-by-byte escaping loop.
    pub fn string(&mut self, value: &str) {
        if needs_escape(value.as_bytes()) {
            return self.leaf(value);
        }
        self.out.reserve(value.len() + 2);
        self.out.push(b'"');
        self.out.extend_from_slice(value.as_bytes());
        self.out.push(b'"');
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// Starts an object; its members follow through the [`ObjectWriter`], which must be ended.
    pub fn object(&mut self) -> ObjectWriter<'_> {
        self.out.push(b'{');
        ObjectWriter { writer: self, empty: true }
    }
}

/// Whether a JSON string of these bytes needs an escape: a control character, `"` or `\\`.
/// Sixteen bytes at a time (a token or URL is hundreds of bytes, and this runs for every string
/// and key written); the last, partial block is padded with a byte that needs none.
fn needs_escape(bytes: &[u8]) -> bool {
    let (blocks, rest) = bytes.as_chunks::<16>();
    if blocks.iter().any(block_needs_escape) {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    let mut last = [b'a'; 16];
    last[..rest.len()].copy_from_slice(rest);
    block_needs_escape(&last)
}

/// [`needs_escape`] of one block: two machine words, tested together with one branch.
fn block_needs_escape(block: &[u8; 16]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `x` that is below `n` (for n <= 0x80): its value minus `n`
    // borrows into its high bit, which a byte of 0x80 or more has already; those are UTF-8,
    // never escaped, so `!x` masks them out. Exact for the word as a whole (a borrow only
    // crosses into a byte above one that is flagged).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let flags =
        |x: u64| below(x, 0x20) | below(x ^ (ONES * u64::from(b'"')), 1) | below(x ^ (ONES * u64::from(b'\\')), 1);
    block.as_chunks::<8>().0.iter().fold(0, |all, word| all | flags(u64::from_ne_bytes(*word))) & HIGHS != 0
}

/// The members of an object being written.
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    writer: &'a mut JsonWriter,
    empty: bool,
}

impl ObjectWriter<'_> {
    fn key(&mut self, key: &str) {
        if !self.empty {
            self.writer.out.push(b',');
        }
        self.empty = false;
        self.writer.string(key);
        self.writer.out.push(b':');
    }

    /// Writes a member; an unset one (`None`) is left out.
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.key(key);
            value.to_json(self.writer);
        }
    }

    /// [`member`](Self::member) for a member whose wire form is an adapter's (`A`, e.g.
    /// [`DateTimeString`]).
    pub fn member_as<T, A: ToJsonAs<T>>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.key(key);
            A::to_json_as(value, self.writer);
        }
    }

    /// [`member`](Self::member) with the key already written as JSON, colon included
    /// (`"AccessToken":`), as generated code writes its members: the key is not checked for
    /// escapes on every call.
    pub fn member_quoted<T: ToJson + ?Sized>(&mut self, quoted_key: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.quoted_key(quoted_key);
            value.to_json(self.writer);
        }
    }

    /// [`member_as`](Self::member_as) with the key already written as JSON, colon included.
    pub fn member_quoted_as<T, A: ToJsonAs<T>>(&mut self, quoted_key: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.quoted_key(quoted_key);
            A::to_json_as(value, self.writer);
        }
    }

    fn quoted_key(&mut self, quoted_key: &str) {
        debug_assert!(
            quoted_key.len() >= 3 && quoted_key.starts_with('"') && quoted_key.ends_with("\":"),
            "not a JSON key with its colon: {quoted_key}"
        );
        if !self.empty {
            self.writer.out.push(b',');
        }
        self.empty = false;
        self.writer.out.extend_from_slice(quoted_key.as_bytes());
    }

    /// Closes the object.
    pub fn end(self) {
        self.writer.out.push(b'}');
    }
}

/// A type that writes itself as JSON.
pub trait ToJson {
    /// Writes the value.
    fn to_json(&self, writer: &mut JsonWriter);
}

/// A wire form that writes a `T` (a timestamp in a given format, a float that may be `NaN`):
/// the writing side of [`FromJsonAs`](super::FromJsonAs).
pub trait ToJsonAs<T> {
    /// Writes `value` in this form.
    fn to_json_as(value: &T, writer: &mut JsonWriter);
}

/// Writes a value as a JSON text.
pub fn to_vec<T: ToJson + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut writer = JsonWriter::new();
    value.to_json(&mut writer);
    writer.finish()
}

/// Leaf values go through their serde impls.
macro_rules! through_serde {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self, writer: &mut JsonWriter) {
                writer.leaf(self)
            }
        }
    )*};
}
through_serde!(bool, i8, i16, i32, i64, serde_json::Value, crate::ByteStream);

/// A timestamp with no `@timestampFormat`: epoch seconds, restJson1's default in a body.
impl ToJson for DateTime {
    fn to_json(&self, writer: &mut JsonWriter) {
        EpochSeconds::to_json_as(self, writer)
    }
}

/// A blob: a base64 string.
impl ToJson for crate::Blob {
    fn to_json(&self, writer: &mut JsonWriter) {
        Base64::to_json_as(self, writer)
    }
}

/// A document: the JSON value it holds.
impl ToJson for Document {
    fn to_json(&self, writer: &mut JsonWriter) {
        writer.leaf(&super::document_to_value(self))
    }
}

/// Big numbers: a JSON number with exactly their digits.
macro_rules! big_number {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self, writer: &mut JsonWriter) {
                match serde_json::value::RawValue::from_string(self.as_ref().to_owned()) {
                    Ok(raw) => writer.leaf(&raw),
                    Err(e) => {
                        writer.error.get_or_insert(e);
                    }
                }
            }
        }
    )*};
}
big_number!(crate::BigInteger, crate::BigDecimal);

impl ToJson for str {
    fn to_json(&self, writer: &mut JsonWriter) {
        writer.string(self)
    }
}

impl ToJson for String {
    fn to_json(&self, writer: &mut JsonWriter) {
        writer.string(self)
    }
}

/// Adapted leaf values too: through `serde_with`'s `SerializeAs`.
macro_rules! adapter_through_serde {
    ($($adapter:ty => $t:ty),*) => {$(
        impl ToJsonAs<$t> for $adapter {
            fn to_json_as(value: &$t, writer: &mut JsonWriter) {
                writer.leaf(&SerializeAsWrap::<$t, $adapter>::new(value))
            }
        }
    )*};
}
adapter_through_serde!(
    DateTimeString => DateTime,
    HttpDateString => DateTime,
    Base64 => crate::Blob,
    Float => f32,
    Float => f64
);

/// Epoch seconds, as serde writes them (see [`EpochSeconds`]): a whole number, or the shortest
/// decimal that reads back as the same `f64`. A time after 1970 of at most 15 significant digits
/// in all (a second count and milliseconds, as services send) is that very decimal, and is
/// written here without going through a float; the rest through serde.
impl ToJsonAs<DateTime> for EpochSeconds {
    fn to_json_as(value: &DateTime, writer: &mut JsonWriter) {
        if !write_epoch_decimal(value.secs(), value.subsec_nanos(), &mut writer.out) {
            writer.leaf(&SerializeAsWrap::<DateTime, EpochSeconds>::new(value));
        }
    }
}

/// Writes `secs.fraction` (`fraction` without trailing zeros, none for a whole second) when it
/// has at most 15 significant digits and `secs` is at least 1, and says whether it did.
///
/// Any decimal of at most 15 significant digits reads as an `f64` that prints back as the same
/// digits (`f64::DIGITS` is 15), and no shorter decimal reads as that `f64` (it would be a
/// second decimal of at most 15 digits with the same `f64`), so this is the shortest form serde
/// writes; between 1 and 10^15 that form has no exponent.
fn write_epoch_decimal(secs: i64, nanos: u32, out: &mut Vec<u8>) -> bool {
    if !(1..1_000_000_000_000_000).contains(&secs) || nanos >= 1_000_000_000 {
        return false;
    }
    let mut whole = itoa::Buffer::new();
    let whole = whole.format(secs);
    // The fraction's significant digits: nine, less each trailing zero (milliseconds and
    // microseconds, the usual precisions, are found in one step).
    let (mut fraction, mut fraction_len) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1000 == 0 => (n / 1000, 6),
        n => (n, 9),
    };
    while fraction_len > 0 && fraction % 10 == 0 {
        fraction /= 10;
        fraction_len -= 1;
    }
    if whole.len() + fraction_len > 15 {
        return false;
    }
    out.extend_from_slice(whole.as_bytes());
    if fraction_len > 0 {
        let mut digits = [b'.'; 10];
        for d in digits[1..=fraction_len].iter_mut().rev() {
            *d = b'0' + (fraction % 10) as u8;
            fraction /= 10;
        }
        out.extend_from_slice(&digits[..=fraction_len]);
    }
    true
}

/// Floats write `NaN` and the infinities as Smithy's strings.
impl ToJson for f32 {
    fn to_json(&self, writer: &mut JsonWriter) {
        Float::to_json_as(self, writer)
    }
}

impl ToJson for f64 {
    fn to_json(&self, writer: &mut JsonWriter) {
        Float::to_json_as(self, writer)
    }
}

/// `{}`: a `Unit` union member's value, and a structure payload that is not set.
impl ToJson for Unit {
    fn to_json(&self, writer: &mut JsonWriter) {
        writer.object().end();
    }
}

/// A union member this build does not know, written back as it came.
impl ToJson for UnknownUnionMember {
    fn to_json(&self, writer: &mut JsonWriter) {
        let mut object = writer.object();
        object.member(self.name(), Some(self.value()));
        object.end();
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self, writer: &mut JsonWriter) {
        match self {
            Some(value) => value.to_json(writer),
            None => writer.null(),
        }
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json(&self, writer: &mut JsonWriter) {
        (**self).to_json(writer)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self, writer: &mut JsonWriter) {
        <Vec<Same> as ToJsonAs<Vec<T>>>::to_json_as(self, writer)
    }
}

impl<K: AsRef<str>, V: ToJson> ToJson for HashMap<K, V> {
    fn to_json(&self, writer: &mut JsonWriter) {
        <HashMap<Same, Same> as ToJsonAs<HashMap<K, V>>>::to_json_as(self, writer)
    }
}

impl<T: ToJson> ToJsonAs<T> for Same {
    fn to_json_as(value: &T, writer: &mut JsonWriter) {
        value.to_json(writer)
    }
}

impl<T, A: ToJsonAs<T>> ToJsonAs<Option<T>> for Option<A> {
    fn to_json_as(value: &Option<T>, writer: &mut JsonWriter) {
        match value {
            Some(value) => A::to_json_as(value, writer),
            None => writer.null(),
        }
    }
}

impl<T, A: ToJsonAs<T>> ToJsonAs<Vec<T>> for Vec<A> {
    fn to_json_as(value: &Vec<T>, writer: &mut JsonWriter) {
        writer.out.push(b'[');
        for (i, item) in value.iter().enumerate() {
            if i > 0 {
                writer.out.push(b',');
            }
            A::to_json_as(item, writer);
        }
        writer.out.push(b']');
    }
}

impl<K: AsRef<str>, V, A: ToJsonAs<V>> ToJsonAs<HashMap<K, V>> for HashMap<Same, A> {
    fn to_json_as(value: &HashMap<K, V>, writer: &mut JsonWriter) {
        let mut object = writer.object();
        for (key, item) in value {
            object.member_as::<V, A>(key.as_ref(), Some(item));
        }
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_members_and_collections() {
        let mut writer = JsonWriter::new();
        let mut object = writer.object();
        object.member("quote\"d", Some("a\nb"));
        object.member::<i32>("unset", None);
        object.member("list", Some(&vec![Some(1.5), None, Some(f64::NAN), Some(f64::NEG_INFINITY)]));
        object.member_as::<_, Vec<DateTimeString>>("times", Some(&vec![DateTime::from_secs(0)]));
        object.member("empty", Some(&Unit));
        object.member("map", Some(&HashMap::from([("k", vec![true])])));
        object.end();
        assert_eq!(
            String::from_utf8(writer.finish().unwrap()).unwrap(),
            r#"{"quote\"d":"a\nb","list":[1.5,null,"NaN","-Infinity"],"times":["1970-01-01T00:00:00Z"],"empty":{},"map":{"k":[true]}}"#
        );
    }

    #[test]
    fn the_first_error_of_a_leaf_is_reported() {
        let mut writer = JsonWriter::new();
        // A map with a key serde_json cannot write is the kind of leaf that fails.
        writer.leaf(&std::collections::BTreeMap::from([(vec![1u8], 1)]));
        assert!(writer.finish().is_err());
    }

    #[test]
    fn what_is_written_reads_back() {
        let value: HashMap<String, Vec<Option<i64>>> = HashMap::from([("a".into(), vec![Some(1), None])]);
        let back: HashMap<String, Vec<Option<i64>>> = crate::json::from_body(&to_vec(&value).unwrap()).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn escapes_are_found_at_every_position() {
        // Across a whole block, a partial one, and a block's edges.
        for len in 0..40 {
            assert!(!needs_escape(&vec![b'a'; len]));
            assert!(!needs_escape("é€😀 ~\x7f".repeat(len).as_bytes()));
            for at in 0..len {
                for bad in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                    let mut text = vec![b'a'; len];
                    text[at] = bad;
                    assert!(needs_escape(&text), "{bad:#x} at {at} of {len}");
                }
                for fine in [b' ', b'!', b'#', b'[', b']', b'|', 0x7f, 0x80, 0x9f, 0xa2, 0xdc, 0xff] {
                    let mut text = vec![b'a'; len];
                    text[at] = fine;
                    assert!(!needs_escape(&text), "{fine:#x} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn quoted_keys_are_written_as_given() {
        let mut writer = JsonWriter::new();
        let mut object = writer.object();
        object.member_quoted(r#""a\"b":"#, Some(&1i32));
        object.member_quoted::<i32>(r#""unset":"#, None);
        object.member_quoted_as::<_, Float>(r#""f":"#, Some(&f64::NAN));
        object.member("c", Some("d"));
        object.end();
        assert_eq!(String::from_utf8(writer.finish().unwrap()).unwrap(), r#"{"a\"b":1,"f":"NaN","c":"d"}"#);
    }

    /// What serde writes for a timestamp in epoch seconds.
    fn epoch_seconds_through_serde(t: &DateTime) -> String {
        let mut writer = JsonWriter::new();
        writer.leaf(&SerializeAsWrap::<DateTime, EpochSeconds>::new(t));
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    fn epoch_seconds(t: &DateTime) -> String {
        let mut writer = JsonWriter::new();
        EpochSeconds::to_json_as(t, &mut writer);
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    #[test]
    fn epoch_seconds_are_written_as_serde_writes_them() {
        for (secs, nanos, text) in [
            (1_796_207_011, 906_000_000, "1796207011.906"),
            (1_796_207_011, 0, "1796207011"),
            (1, 500_000_000, "1.5"),
            (0, 0, "0"),
            (0, 1_000, "1e-6"),
            (-1, 500_000_000, "-0.5"),
            (999_999_999_999, 100_000_000, "999999999999.1"),
            (1_796_207_011, 123_456_789, "1796207011.1234567"),
        ] {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(epoch_seconds(&t), text, "{secs} s {nanos} ns");
            assert_eq!(epoch_seconds_through_serde(&t), text, "{secs} s {nanos} ns");
        }
    }

    proptest::proptest! {
        /// The direct epoch-seconds writer gives serde's text for every time, in the range it
        /// writes itself (milliseconds and microseconds of dates within a few thousand years) and
        /// beyond it.
        #[test]
        fn epoch_seconds_match_serde(
            secs in proptest::prop_oneof![0i64..100_000_000_000, -1_000_000i64..1_000_000, proptest::num::i64::ANY],
            nanos in proptest::prop_oneof![proptest::strategy::Strategy::prop_map(0u32..1000, |ms| ms * 1_000_000), proptest::strategy::Strategy::prop_map(0u32..1_000_000, |us| us * 1000), 0u32..1_000_000_000],
        ) {
            let t = DateTime::from_secs_and_nanos(secs, nanos);
            proptest::prop_assert_eq!(epoch_seconds(&t), epoch_seconds_through_serde(&t));
        }

        /// Strings are written byte for byte as serde_json writes them, with or without escapes.
        #[test]
        fn strings_are_written_as_serde_json_writes_them(text in "(\\PC|[\\x00-\\x1f\"\\\\\u{7f}])*") {
            let mut writer = JsonWriter::new();
            writer.string(&text);
            proptest::prop_assert_eq!(writer.finish().unwrap(), serde_json::to_vec(&text).unwrap());
        }
    }
}

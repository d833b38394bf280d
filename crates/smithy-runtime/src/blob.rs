//! Binary values (`blob` shapes): bytes that travel as base64 text in JSON, headers and query
//! strings, and raw in an `@httpPayload` body.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A byte buffer.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob { inner: bytes.into() }
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }

    /// Standard base64 with padding, as Smithy protocols write blobs in text.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.inner)
    }

    /// Decodes standard base64 (padding required).
    pub fn from_base64(text: &str) -> Result<Self, base64::DecodeError> {
        STANDARD.decode(text.trim()).map(Blob::new)
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob::new(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob::new(v)
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.inner.len())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct B64;
        impl Visitor<'_> for B64 {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                Blob::from_base64(v).map_err(|e| E::custom(format!("invalid base64: {e}")))
            }
        }
        d.deserialize_str(B64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_in_json() {
        let b = Blob::new(b"hi there".to_vec());
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGkgdGhlcmU=\"");
        assert_eq!(serde_json::from_str::<Blob>("\"aGkgdGhlcmU=\"").unwrap(), b);
        assert!(serde_json::from_str::<Blob>("\"not base64!\"").is_err());
        assert_eq!(format!("{b:?}"), "Blob(8 bytes)");
    }
}

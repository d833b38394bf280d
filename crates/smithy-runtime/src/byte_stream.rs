//! [`ByteStream`]: the value of a `@streaming` blob payload, bytes that arrive (or are sent)
//! in chunks rather than as one value.
//!
//! It holds either bytes already in memory or a stream of chunks. Its API is the one apps know
//! from the AWS SDK for Rust: `ByteStream::from(vec)`, `from_static`, `next().await`,
//! `collect().await?.into_bytes()`. A stream is read once; in-memory bytes can be read as many
//! times as needed (a retried request sends them again).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::error::BoxError;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send + Sync>>;

/// The bytes of a `@streaming` blob.
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    Memory(Bytes),
    Stream(Chunks),
}

/// A stream that could not be read.
#[derive(Debug)]
pub struct ByteStreamError {
    source: BoxError,
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the byte stream could not be read: {}", self.source)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The bytes of a whole stream, gathered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AggregatedBytes(Bytes);

impl AggregatedBytes {
    /// The bytes.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The bytes, copied into a vector.
    pub fn to_vec(self) -> Vec<u8> {
        self.0.to_vec()
    }
}

impl ByteStream {
    /// In-memory bytes.
    pub fn new(bytes: Bytes) -> Self {
        ByteStream { inner: Inner::Memory(bytes) }
    }

    /// Static bytes.
    pub fn from_static(bytes: &'static [u8]) -> Self {
        Self::new(Bytes::from_static(bytes))
    }

    /// Chunks from a stream, read once.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Sync + 'static,
        E: std::error::Error + Send + Sync + 'static,
    {
        struct Mapped<S>(S);
        impl<S, E> Stream for Mapped<S>
        where
            S: Stream<Item = Result<Bytes, E>> + Unpin,
            E: std::error::Error + Send + Sync + 'static,
        {
            type Item = Result<Bytes, BoxError>;
            fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Pin::new(&mut self.0).poll_next(cx).map(|item| item.map(|r| r.map_err(crate::error::boxed)))
            }
        }
        ByteStream { inner: Inner::Stream(Box::pin(Mapped(Box::pin(stream)))) }
    }

    /// The bytes, when they are already in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Memory(b) => Some(b),
            Inner::Stream(_) => None,
        }
    }

    /// The length, when it is known without reading the stream.
    pub fn content_length(&self) -> Option<u64> {
        self.bytes().map(|b| b.len() as u64)
    }

    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the whole stream.
    pub async fn collect(self) -> Result<AggregatedBytes, ByteStreamError> {
        match self.inner {
            Inner::Memory(b) => Ok(AggregatedBytes(b)),
            Inner::Stream(mut chunks) => {
                let mut out = BytesMut::new();
                while let Some(chunk) = std::future::poll_fn(|cx| chunks.as_mut().poll_next(cx)).await {
                    out.extend_from_slice(&chunk.map_err(|source| ByteStreamError { source })?);
                }
                Ok(AggregatedBytes(out.freeze()))
            }
        }
    }

    /// The same bytes, read into memory (a no-op when they are): for a request that must know
    /// its length or may be sent again.
    pub async fn buffered(self) -> Result<ByteStream, ByteStreamError> {
        Ok(ByteStream::new(self.collect().await?.into_bytes()))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.inner {
            Inner::Memory(b) if b.is_empty() => Poll::Ready(None),
            Inner::Memory(b) => Poll::Ready(Some(Ok(std::mem::take(b)))),
            Inner::Stream(chunks) => {
                chunks.as_mut().poll_next(cx).map(|item| item.map(|r| r.map_err(|source| ByteStreamError { source })))
            }
        }
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        Self::new(Bytes::new())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Memory(b) => write!(f, "ByteStream({} bytes)", b.len()),
            Inner::Stream(_) => f.write_str("ByteStream(streaming)"),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> Self {
        Self::new(b)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> Self {
        Self::new(Bytes::from(v))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(b: &'static [u8]) -> Self {
        Self::from_static(b)
    }
}

impl From<String> for ByteStream {
    fn from(s: String) -> Self {
        Self::new(Bytes::from(s))
    }
}

impl From<&'static str> for ByteStream {
    fn from(s: &'static str) -> Self {
        Self::from_static(s.as_bytes())
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(b: crate::Blob) -> Self {
        Self::from(b.into_inner())
    }
}

/// In-memory bytes serialise as base64, as a blob does (a stream cannot be serialised: read it
/// first with [`ByteStream::buffered`]).
impl serde::Serialize for ByteStream {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.bytes() {
            Some(b) => s.serialize_str(&crate::text::to_base64(b)),
            None => Err(serde::ser::Error::custom("a byte stream that is not in memory cannot be serialised")),
        }
    }
}

impl<'de> serde::Deserialize<'de> for ByteStream {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <crate::json::Base64 as serde_with::DeserializeAs<'de, crate::Blob>>::deserialize_as(d).map(ByteStream::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Chunks(Vec<Result<Bytes, std::io::Error>>);

    impl Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(if self.0.is_empty() { None } else { Some(self.0.remove(0)) })
        }
    }

    #[tokio::test]
    async fn memory_and_streams_collect_the_same() {
        let memory = ByteStream::from("hello world");
        assert_eq!(memory.content_length(), Some(11));
        assert_eq!(format!("{memory:?}"), "ByteStream(11 bytes)");
        assert_eq!(memory.collect().await.unwrap().into_bytes(), "hello world");

        let chunks = Chunks(vec![Ok(Bytes::from("hello ")), Ok(Bytes::from("world"))]);
        let mut stream = ByteStream::from_stream(chunks);
        assert_eq!(stream.content_length(), None);
        assert_eq!(stream.next().await.unwrap().unwrap(), "hello ");
        let rest = stream.buffered().await.unwrap();
        assert_eq!(rest.bytes(), Some(&b"world"[..]));

        let failing = Chunks(vec![Ok(Bytes::from("a")), Err(std::io::Error::other("cut"))]);
        let err = ByteStream::from_stream(failing).collect().await.unwrap_err();
        assert!(err.to_string().contains("cut"), "{err}");
    }

    #[test]
    fn in_memory_bytes_serialise_as_base64() {
        let json = serde_json::to_string(&ByteStream::from("hi")).unwrap();
        assert_eq!(json, "\"aGk=\"");
        let back: ByteStream = serde_json::from_str(&json).unwrap();
        assert_eq!(back.bytes(), Some(&b"hi"[..]));
        let live = ByteStream::from_stream(Chunks(vec![]));
        assert!(serde_json::to_string(&live).is_err());
    }
}

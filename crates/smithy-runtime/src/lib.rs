//! The hand-written runtime behind the crates `cargo xtask codegen` generates.
//!
//! Nothing here depends on a particular model: the text forms of timestamps and blobs (the
//! types are aws-smithy-types', re-exported), the JSON forms of
//! restJson1, label, query and header encoding, error metadata, constraint checks, and (behind
//! features) the reqwest client and the axum server machinery. Generated code is thin glue that
//! calls into this crate, so behaviour is written and unit-tested once, here.
//!
//! Features: `client` (reqwest with rustls, no axum), `server` (axum, no reqwest), `pattern`
//! (`@pattern` checks with the regex crate), `sigv4` (signing and verifying requests; the client
//! enables it, a server that checks signatures can too), `aws-config` (a client configured from
//! an aws-config `SdkConfig`), `checksums` (`Content-MD5` and Glacier's tree hashes),
//! `request-compression` (gzip bodies out and in), `test-util` (a client connector that records
//! requests) and `protocol-test` (the checks behind generated Smithy protocol tests). The
//! generated crates enable what they need.
#![deny(missing_docs)]

pub mod big_number;
pub mod binding;
pub mod byte_stream;
pub mod constraint;
pub mod error;
pub mod json;
mod number_text;
pub mod text;
pub mod timestamp;

#[cfg(feature = "client")]
pub mod client;
pub mod protocol;
#[cfg(feature = "protocol-test")]
pub mod protocol_test;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "sigv4")]
pub mod sigv4;

/// aws-smithy-types itself, for generated code.
pub use aws_smithy_types;
/// The Smithy timestamp formats, as the SDK names them (`primitives::DateTimeFormat`).
pub use aws_smithy_types::date_time::Format as TimestampFormat;
/// The primitives are aws-smithy-types', the AWS SDK's own: the same `DateTime`, `Blob`,
/// `Document`, `Number` and big numbers an app using the SDK has, so that whatever works with
/// the SDK's values (conversions to chrono or time, for one) works with these.
pub use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};
pub use byte_stream::ByteStream;
pub use error::{BuildError, ErrorMetadata, ProvideErrorMetadata, REDACTED, RequestId, Unhandled};
pub use json::UnknownUnionMember;

/// Re-exported so generated crates need no direct dependency on serde.
pub use serde;
/// Re-exported so generated crates need no direct dependency on serde_json.
pub use serde_json;
/// Re-exported for the `As` adapters generated code names.
pub use serde_with;

/// The value of a string enum that this build does not know, kept as received.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        UnknownVariantValue(value.into())
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

//! The client side: building requests from inputs, sending them, reading responses.
//!
//! Generated client code describes the service ([`ServiceInfo`]) and each operation
//! ([`OperationInfo`]), serialises an input with [`RequestBuilder`], and parses the response with
//! the helpers here; [`Handle::call`] does everything in between: endpoint, headers, sending,
//! reading the body, and turning each failure into the right [`SdkError`].

pub mod body;
mod config;
pub mod connector;
pub mod credentials;
pub mod customize;
pub mod endpoint;
pub mod env;
mod error;
mod orchestrator;
pub mod paginator;
pub mod profile;
mod region;
mod request;
mod response;
pub mod retry;
#[cfg(feature = "aws-config")]
pub mod sdk_config;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod test_util;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};
use tracing::Instrument;

pub use crate::error::CreateUnhandledError;
pub use config::{
    BehaviorVersion, Builder as ConfigBuilder, Config, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT, IdempotencyTokenProvider, IntoRegion, Region, StaticTimeSource, SystemTimeSource,
    TimeSource, TimeoutConfig, TimeoutConfigBuilder,
};
pub use connector::{ConnectorError, HttpConnector, SharedHttpConnector};
pub use credentials::{Credentials, ProvideCredentials, SharedCredentialsProvider};
pub use error::{
    ConstructionFailure, DispatchFailure, DisplayErrorContext, ResponseError, SdkError, ServiceError, TimeoutError,
    failure_metadata,
};
pub use orchestrator::{Handle, MAX_RESPONSE_BODY};
pub use request::{HostPrefix, HostPrefixPart, RequestBuilder};
pub use response::{
    ParseFailure, ResponseHeaderError, response_header, response_header_list, response_json, response_prefix_headers,
};
pub use retry::RetryConfig;

use self::connector::ConnectorErrorKind;
use crate::Blob;
use crate::binding::{BindingError, header_list, parse_header_list};
use crate::error::{BoxError, ErrorMetadata, ProvideErrorMetadata, boxed};
use crate::text::{TextError, TextValue};
use crate::timestamp::Format;

/// A request as generated code builds it: method, path and query, headers, body.
pub type HttpRequest = http::Request<Bytes>;
/// A response with its whole body read.
pub type HttpResponse = http::Response<Bytes>;

/// What generated code tells the runtime about the service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// `aws.api#service` sdkId.
    pub sdk_id: &'static str,
    /// The SigV4 signing name.
    pub signing_name: Option<&'static str>,
    /// The endpoint prefix (`connect` in `connect.us-east-1.amazonaws.com`).
    pub endpoint_prefix: Option<&'static str>,
    /// The API version.
    pub api_version: Option<&'static str>,
    /// The generated client crate's name, for the `User-Agent`.
    pub crate_name: &'static str,
    /// The generated client crate's version, for the `User-Agent`.
    pub crate_version: &'static str,
    /// The model's `smithy.rules#endpointRuleSet`, as JSON text.
    pub endpoint_rules: Option<&'static str>,
}

/// What generated code tells the runtime about an operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The operation name. (Its service is the client's: `ServiceInfo`, given to `Handle::new`.)
    pub name: &'static str,
    /// The error codes the model marks `@retryable`, with `true` for throttling.
    pub retryable_errors: &'static [(&'static str, bool)],
    /// `@httpChecksumRequired`: requests carry `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` encodings, in the model's order of preference.
    pub request_compression: &'static [&'static str],
    /// The body's SHA-256 and tree hash go in `X-Amz-Content-Sha256` and
    /// `X-Amz-Sha256-Tree-Hash` (an AWS SDK customisation of Glacier).
    pub tree_hash_checksums: bool,
}

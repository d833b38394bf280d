//! Error taxonomy shared by the generated types: metadata of service errors, errors the model
//! does not know, builder errors, and reading restJson1 error codes off a response.

use std::fmt;
use std::sync::Arc;

/// The request id header AWS services send.
pub const REQUEST_ID_HEADER: &str = "x-amzn-requestid";
/// The header restJson1 services put the error code in.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// [`REQUEST_ID_HEADER`] as a header name: a lookup or insert with it skips parsing the name.
pub const REQUEST_ID: http::HeaderName = http::HeaderName::from_static(REQUEST_ID_HEADER);
/// [`ERROR_TYPE_HEADER`] as a header name.
pub const ERROR_TYPE: http::HeaderName = http::HeaderName::from_static(ERROR_TYPE_HEADER);

/// What is known about a service error beyond its modeled members.
///
/// Boxed inside, so that an error type holding it stays small (a pointer when empty) and
/// `Result`s carrying modeled errors do not trip clippy's `result_large_err` in users' code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    inner: Option<Box<MetaInner>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct MetaInner {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
}

impl ErrorMetadata {
    /// Metadata with every part given.
    pub fn new(code: Option<String>, message: Option<String>, request_id: Option<String>, status: Option<u16>) -> Self {
        let inner = MetaInner { code, message, request_id, status };
        ErrorMetadata { inner: (inner != MetaInner::default()).then(|| Box::new(inner)) }
    }

    /// Metadata with nothing in it, by reference (what an error that is not a service error
    /// reports).
    pub fn empty() -> &'static ErrorMetadata {
        static EMPTY: ErrorMetadata = ErrorMetadata { inner: None };
        &EMPTY
    }

    fn get(&self) -> Option<&MetaInner> {
        self.inner.as_deref()
    }

    /// The error code, e.g. `ResourceNotFoundException`.
    pub fn code(&self) -> Option<&str> {
        self.get()?.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.get()?.message.as_deref()
    }

    /// The request id the service assigned.
    pub fn request_id(&self) -> Option<&str> {
        self.get()?.request_id.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> Option<u16> {
        self.get()?.status
    }

    /// Reads the code, message and request id of an error response the restJson1 way: the
    /// code from `X-Amzn-ErrorType`, else the body's `code`, else its `__type`, each cut down
    /// to the shape name; the message from `message`, `Message` or `errorMessage`; the request
    /// id from `x-amzn-RequestId` (or `x-amz-request-id`). A body that is not JSON (an HTML
    /// page from a proxy, say) just has no code or message.
    pub fn from_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> Self {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let json: Option<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(body).ok();
        let field = |names: &[&str]| {
            json.as_ref().and_then(|j| names.iter().find_map(|n| j.get(*n).and_then(|v| v.as_str()).map(str::to_owned)))
        };
        let code = header(ERROR_TYPE_HEADER).or_else(|| field(&["code", "Code"])).or_else(|| field(&["__type"]));
        let code = code.map(|c| sanitize_error_code(&c).to_owned()).filter(|c| !c.is_empty());
        ErrorMetadata::new(
            code,
            field(&["message", "Message", "errorMessage", "ErrorMessage"]),
            header(REQUEST_ID_HEADER).or_else(|| header("x-amz-request-id")),
            Some(status),
        )
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code(), self.message()) {
            (Some(c), Some(m)) => write!(f, "{c}: {m}")?,
            (Some(c), None) => write!(f, "{c}")?,
            (None, Some(m)) => write!(f, "{m}")?,
            (None, None) => write!(f, "unknown error")?,
        }
        match (self.status(), self.request_id()) {
            (Some(s), Some(id)) => write!(f, " (HTTP {s}, request id {id})"),
            (Some(s), None) => write!(f, " (HTTP {s})"),
            (None, Some(id)) => write!(f, " (request id {id})"),
            (None, None) => Ok(()),
        }
    }
}

/// Cuts an error code down to the shape name: `aws.protocoltests#FooError:http://...` is
/// `FooError`.
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// Implemented by every service error type (the AWS SDK's trait of the same name): bring it
/// into scope (`use connect_client::error::ProvideErrorMetadata;`) for `err.code()` and
/// `err.message()`. The request id is [`RequestId`]'s, as in the SDK.
pub trait ProvideErrorMetadata {
    /// The metadata.
    fn meta(&self) -> &ErrorMetadata;
    /// The error code.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }
    /// The message.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// The request id AWS gave a call (`x-amzn-RequestId`), the AWS SDK's
/// `aws_types::request_id::RequestId`: implemented by outputs, operation errors, modeled errors,
/// `SdkError` and responses. Bring it into scope (`use connect_client::operation::RequestId;`)
/// for `.request_id()`.
pub trait RequestId {
    /// The request id, when the response carried one.
    fn request_id(&self) -> Option<&str>;
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        ErrorMetadata::request_id(self)
    }
}

impl RequestId for Unhandled {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl RequestId for http::HeaderMap {
    fn request_id(&self) -> Option<&str> {
        let header = |name| self.get(name).and_then(|v: &http::HeaderValue| v.to_str().ok());
        header(REQUEST_ID_HEADER).or_else(|| header("x-amz-request-id"))
    }
}

impl<B> RequestId for http::Response<B> {
    fn request_id(&self) -> Option<&str> {
        self.headers().request_id()
    }
}

/// The request id of the response an output was read from, as generated outputs keep it (the
/// AWS SDK's `_request_id`). Where a value came from is not part of it: any two compare equal.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct ResponseRequestId(Option<String>);

impl ResponseRequestId {
    /// A request id, or none.
    pub fn new(request_id: Option<String>) -> Self {
        ResponseRequestId(request_id)
    }

    /// The request id.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl PartialEq for ResponseRequestId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<O: RequestId, E: RequestId> RequestId for Result<O, E> {
    fn request_id(&self) -> Option<&str> {
        match self {
            Ok(ok) => ok.request_id(),
            Err(err) => err.request_id(),
        }
    }
}

/// A variant of a generated operation error enum, seen as one value: a modeled error
/// structure or [`Unhandled`]. Each enum has one match that returns its variant as this trait
/// object, and its `Display`, `Error::source`, `meta`, `code` and `message` call through it,
/// instead of a match each: per operation, one small function is compiled instead of five.
#[doc(hidden)]
pub trait ErrorVariant: std::error::Error + ProvideErrorMetadata + 'static {}

impl<T: std::error::Error + ProvideErrorMetadata + 'static> ErrorVariant for T {}

/// Implemented by generated operation error enums so that failures other than a service error
/// (a timeout, a malformed response) can become their `Unhandled` variant.
pub trait CreateUnhandledError {
    /// An `Unhandled` error with this metadata and source.
    fn create_unhandled_error(meta: ErrorMetadata, source: Option<BoxError>) -> Self;
}

/// How generated error structures display: `Code: message (request id ...)`.
pub fn display_error(
    f: &mut fmt::Formatter<'_>,
    code: &str,
    message: Option<&str>,
    meta: &ErrorMetadata,
) -> fmt::Result {
    f.write_str(code)?;
    if let Some(m) = message {
        write!(f, ": {m}")?;
    }
    if let Some(id) = meta.request_id() {
        write!(f, " (request id {id})")?;
    }
    Ok(())
}

/// A shareable error source.
pub type BoxError = Arc<dyn std::error::Error + Send + Sync>;

/// Wraps an error as a [`BoxError`].
pub fn boxed(e: impl std::error::Error + Send + Sync + 'static) -> BoxError {
    Arc::new(e)
}

/// An error the model does not describe: an unknown code, or a status without one. It keeps
/// code, message, status and request id.
#[derive(Clone, Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<BoxError>,
}

impl Unhandled {
    /// An error with this metadata.
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta, source: None }
    }

    /// An error a server handler returns that the model does not describe, e.g. a
    /// `ThrottlingException` with status 429.
    pub fn from_code(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Unhandled::new(ErrorMetadata::new(Some(code.into()), Some(message.into()), None, Some(status)))
    }

    /// Adds the error that caused this one.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// Adds the error that caused this one, already shared.
    pub fn with_boxed_source(mut self, source: BoxError) -> Self {
        self.source = Some(source);
        self
    }

    /// An error with this metadata and, when there is one, the error that caused it: what a
    /// generated error enum's `create_unhandled_error` makes, written once here.
    pub fn with_optional_source(meta: ErrorMetadata, source: Option<BoxError>) -> Self {
        Unhandled { meta, source }
    }

    /// The metadata.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The HTTP status, when known.
    pub fn status(&self) -> Option<u16> {
        self.meta.status()
    }
}

impl PartialEq for Unhandled {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.meta.code().is_none() && self.meta.message().is_none() {
            write!(f, "unmodeled error")?;
            if let Some(s) = self.meta.status() {
                write!(f, " (HTTP {s}")?;
                if let Some(id) = self.meta.request_id() {
                    write!(f, ", request id {id}")?;
                }
                write!(f, ")")?;
            }
            return Ok(());
        }
        write!(f, "{}", self.meta)
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// A builder was asked to build a value it lacks a required member for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    field: &'static str,
    type_name: &'static str,
}

impl BuildError {
    /// `field` is required to build `type_name`.
    pub fn missing_field(field: &'static str, type_name: &'static str) -> Self {
        BuildError { field, type_name }
    }

    /// The field that was missing.
    pub fn field(&self) -> &'static str {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is required to build `{}` but was not set", self.field, self.type_name)
    }
}

impl std::error::Error for BuildError {}

/// What `Debug` prints instead of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sanitised() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("aws.protocoltests.restjson#FooError"), "FooError");
        assert_eq!(sanitize_error_code("aws.protocoltests.restjson#FooError:http://x/y"), "FooError");
    }

    #[test]
    fn metadata_from_responses() {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amzn-requestid", "req-1".parse().unwrap());
        let body = br#"{"__type": "com.amazonaws.connect#UserNotFoundException", "Message": "no user"}"#;
        let meta = ErrorMetadata::from_response(404, &headers, body);
        assert_eq!(meta.code(), Some("UserNotFoundException"));
        assert_eq!(meta.message(), Some("no user"));
        assert_eq!(meta.request_id(), Some("req-1"));
        assert_eq!(meta.to_string(), "UserNotFoundException: no user (HTTP 404, request id req-1)");

        headers.insert("x-amzn-errortype", "ThrottlingException:http://x".parse().unwrap());
        let meta = ErrorMetadata::from_response(429, &headers, br#"{"code": "Other", "message": "slow down"}"#);
        assert_eq!((meta.code(), meta.message()), (Some("ThrottlingException"), Some("slow down")));

        let html = ErrorMetadata::from_response(502, &http::HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!((html.code(), html.message(), html.status()), (None, None, Some(502)));
        assert_eq!(Unhandled::new(html).to_string(), "unmodeled error (HTTP 502)");
    }
}

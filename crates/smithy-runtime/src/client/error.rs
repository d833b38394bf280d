//! [`SdkError`]: everything that can go wrong with a call, each case saying what happened.
//!
//! The variants match the AWS SDK for Rust, so error handling code moves across, but
//! `Display` is useful on its own: a service error prints its code, message and request id
//! instead of "service error", and the other cases name the phase and the cause.

use std::error::Error as StdError;
use std::fmt;

use crate::error::{BoxError, CreateUnhandledError, ErrorMetadata, ProvideErrorMetadata, RequestId};

use super::HttpResponse;

/// The request could not be built (a missing URI label, say); nothing was sent.
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

/// The call ran out of time.
#[derive(Debug)]
pub struct TimeoutError {
    source: BoxError,
}

/// The request could not be sent or its response not received (connection refused, reset,
/// TLS failure, no connection within the connect timeout).
#[derive(Debug)]
pub struct DispatchFailure {
    source: BoxError,
    timeout: bool,
}

impl DispatchFailure {
    fn reqwest(&self) -> Option<&reqwest::Error> {
        self.source.downcast_ref::<reqwest::Error>()
    }

    /// Whether an I/O error is among the causes.
    fn has_io_cause(&self) -> bool {
        let mut next: Option<&(dyn StdError + 'static)> = Some(&*self.source);
        while let Some(e) = next {
            if e.is::<std::io::Error>() {
                return true;
            }
            next = e.source();
        }
        false
    }

    /// `true` when no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.reqwest().is_some_and(reqwest::Error::is_connect)
    }

    /// `true` when the HTTP client gave up waiting (the connect timeout), as in the AWS SDK,
    /// where the operation's own timeouts are [`SdkError::TimeoutError`] instead.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// `true` for a failure to connect, send or receive that is not a timeout (refused,
    /// reset, TLS).
    pub fn is_io(&self) -> bool {
        !self.timeout && !self.is_user() && (self.is_connect() || self.has_io_cause() || self.reqwest().is_some())
    }

    /// `true` when the request itself could not be made into an HTTP request (a URL or header
    /// the HTTP client refuses).
    pub fn is_user(&self) -> bool {
        self.reqwest().is_some_and(reqwest::Error::is_builder)
    }

    /// `true` for anything else (a custom connector's own error).
    pub fn is_other(&self) -> bool {
        !self.is_timeout() && !self.is_io() && !self.is_user()
    }
}

/// A response arrived but could not be understood (malformed JSON, wrong types, a proxy's
/// HTML page with a success status).
#[derive(Debug)]
pub struct ResponseError<R = HttpResponse> {
    source: BoxError,
    raw: Box<R>,
}

impl<R> ResponseError<R> {
    /// The response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// The response, by value.
    pub fn into_raw(self) -> R {
        *self.raw
    }
}

/// The service answered with an error.
#[derive(Debug)]
pub struct ServiceError<E, R = HttpResponse> {
    source: E,
    // Boxed so that `SdkError` stays small enough for clippy's `result_large_err` in apps.
    raw: Box<R>,
}

impl<E, R> ServiceError<E, R> {
    /// The modeled (or unhandled) error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// The modeled error, by value.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The response.
    pub fn raw(&self) -> &R {
        &self.raw
    }
}

/// Why a call failed.
///
/// `R` is the raw response type, as in the AWS SDK's `SdkError<E, R = HttpResponse>`; this
/// client's responses are always [`HttpResponse`], so `SdkError<E>` is the one in use, and
/// `Display`, `Error`, [`ProvideErrorMetadata`] and [`RequestId`] are implemented for it.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E, R = HttpResponse> {
    /// The request could not be built; nothing was sent.
    ConstructionFailure(ConstructionFailure),
    /// The call timed out.
    TimeoutError(TimeoutError),
    /// The request could not be sent or the response not received.
    DispatchFailure(DispatchFailure),
    /// The response could not be understood.
    ResponseError(ResponseError<R>),
    /// The service returned an error.
    ServiceError(ServiceError<E, R>),
}

impl<E, R> SdkError<E, R> {
    /// A construction failure.
    pub fn construction_failure(source: BoxError) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure { source })
    }

    /// A timeout.
    pub fn timeout_error(source: BoxError) -> Self {
        SdkError::TimeoutError(TimeoutError { source })
    }

    /// A dispatch failure.
    pub fn dispatch_failure(source: BoxError) -> Self {
        SdkError::DispatchFailure(DispatchFailure { source, timeout: false })
    }

    /// A dispatch failure because the HTTP client timed out.
    pub fn dispatch_timeout(source: BoxError) -> Self {
        SdkError::DispatchFailure(DispatchFailure { source, timeout: true })
    }

    /// A response error.
    pub fn response_error(source: BoxError, raw: R) -> Self {
        SdkError::ResponseError(ResponseError { source, raw: Box::new(raw) })
    }

    /// A service error.
    pub fn service_error(source: E, raw: R) -> Self {
        SdkError::ServiceError(ServiceError { source, raw: Box::new(raw) })
    }

    /// The same error with its service error (if it is one) replaced by `f`'s result.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F, R> {
        match self {
            SdkError::ConstructionFailure(e) => SdkError::ConstructionFailure(e),
            SdkError::TimeoutError(e) => SdkError::TimeoutError(e),
            SdkError::DispatchFailure(e) => SdkError::DispatchFailure(e),
            SdkError::ResponseError(e) => SdkError::ResponseError(e),
            SdkError::ServiceError(ServiceError { source, raw }) => {
                SdkError::ServiceError(ServiceError { source: f(source), raw })
            }
        }
    }

    /// The service error, when it is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.source),
            _ => None,
        }
    }

    /// The response, when one arrived.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ServiceError(e) => Some(&e.raw),
            SdkError::ResponseError(e) => Some(&e.raw),
            _ => None,
        }
    }
}

impl<E> RequestId for SdkError<E> {
    /// The request id of the response, when one arrived (`x-amzn-RequestId`, or
    /// `x-amz-request-id`).
    fn request_id(&self) -> Option<&str> {
        self.raw_response()?.request_id()
    }
}

impl<E: CreateUnhandledError> SdkError<E> {
    /// The operation error: the service error itself, or any other failure wrapped in the
    /// operation error's `Unhandled` variant.
    pub fn into_service_error(self) -> E {
        let bare = |source: BoxError| E::create_unhandled_error(ErrorMetadata::default(), Some(source));
        match self {
            SdkError::ServiceError(e) => e.source,
            SdkError::ResponseError(e) => {
                let meta = ErrorMetadata::from_response(e.raw.status().as_u16(), e.raw.headers(), e.raw.body());
                E::create_unhandled_error(meta, Some(e.source))
            }
            SdkError::ConstructionFailure(e) => bare(e.source),
            SdkError::TimeoutError(e) => bare(e.source),
            SdkError::DispatchFailure(e) => bare(e.source),
        }
    }
}

/// What is known of a failure that is not a service error, for an `Unhandled` error made from
/// it: the status and request id of a response that could not be read, else nothing.
#[doc(hidden)]
pub fn failure_metadata<E: ProvideErrorMetadata>(err: &SdkError<E>) -> ErrorMetadata {
    match err {
        SdkError::ServiceError(e) => e.source.meta().clone(),
        SdkError::ResponseError(e) => {
            ErrorMetadata::new(None, None, e.raw.request_id().map(str::to_owned), Some(e.raw.status().as_u16()))
        }
        _ => ErrorMetadata::default(),
    }
}

/// The service error's metadata; empty for the other cases (as in the AWS SDK), so that
/// `err.code()` and `err.message()` are `None` there.
impl<E: ProvideErrorMetadata> ProvideErrorMetadata for SdkError<E> {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            SdkError::ServiceError(e) => e.source.meta(),
            _ => ErrorMetadata::empty(),
        }
    }

    fn code(&self) -> Option<&str> {
        self.as_service_error()?.code()
    }

    fn message(&self) -> Option<&str> {
        self.as_service_error()?.message()
    }
}

/// An error whose `Display` shows its whole chain of sources, for logs and `main`'s report:
/// `eprintln!("{}", DisplayErrorContext(&err))`. (The AWS SDK's name and use; its `SdkError`
/// prints only its variant, where this crate's already names the cause, so here it adds the
/// causes of causes, skipping text already shown.)
#[derive(Debug)]
pub struct DisplayErrorContext<E: StdError>(pub E);

impl<E: StdError> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&chain(&self.0))
    }
}

/// The error and its sources, joined: `error sending request: client error (Connect): ...`.
fn chain(e: &dyn StdError) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = s.source();
    }
    out
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(e) => write!(f, "failed to construct the request: {}", chain(&*e.source)),
            SdkError::TimeoutError(e) => write!(f, "timed out: {}", chain(&*e.source)),
            SdkError::DispatchFailure(e) => write!(f, "failed to send the request: {}", chain(&*e.source)),
            SdkError::ResponseError(e) => {
                write!(f, "could not read the HTTP {} response: {}", e.raw.status().as_u16(), chain(&*e.source))
            }
            SdkError::ServiceError(e) => write!(f, "{}", e.source),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(&*e.source),
            SdkError::TimeoutError(e) => Some(&*e.source),
            SdkError::DispatchFailure(e) => Some(&*e.source),
            SdkError::ResponseError(e) => Some(&*e.source),
            SdkError::ServiceError(e) => Some(&e.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::boxed;

    #[derive(Debug)]
    struct Wrapped(&'static str, BoxError);

    impl fmt::Display for Wrapped {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Wrapped {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&*self.1)
        }
    }

    fn dispatch(err: SdkError<std::io::Error>) -> DispatchFailure {
        match err {
            SdkError::DispatchFailure(f) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dispatch_failures_say_what_kind_they_are() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let io = dispatch(SdkError::dispatch_failure(boxed(Wrapped("connecting", boxed(refused)))));
        assert!(io.is_io() && !io.is_timeout() && !io.is_user() && !io.is_other());

        let slow = std::io::Error::new(std::io::ErrorKind::TimedOut, "slow");
        let timeout = dispatch(SdkError::dispatch_timeout(boxed(slow)));
        assert!(timeout.is_timeout() && !timeout.is_io() && !timeout.is_other());

        let custom = dispatch(SdkError::dispatch_failure(boxed(crate::error::BuildError::missing_field("x", "Y"))));
        assert!(custom.is_other() && !custom.is_io() && !custom.is_timeout() && !custom.is_user());
    }

    #[test]
    fn display_error_context_shows_the_causes_of_causes_once() {
        let root = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection reset by peer");
        let err: SdkError<std::io::Error> = SdkError::dispatch_failure(boxed(Wrapped(
            "error sending request",
            boxed(Wrapped("client error", boxed(root))),
        )));
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            "failed to send the request: error sending request: client error: connection reset by peer"
        );
        let plain = std::io::Error::other("just this");
        assert_eq!(DisplayErrorContext(plain).to_string(), "just this");
    }
}

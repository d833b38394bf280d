//! The server side: routing by the model's URI patterns, reading requests into inputs, and
//! writing outputs, modeled errors and rejections as AWS-shaped responses.
//!
//! Generated server code hands [`router`] a table of [`Route`]s and a dispatch function; the
//! runtime matches each request to an operation (404 and 405 otherwise), reads its body with a
//! size limit, runs the handler catching its panics (a panic becomes a 500, never a dropped
//! connection) and stamps every response with an `x-amzn-RequestId`.

mod context;
mod request;
mod response;
pub(crate) mod routing;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use axum;
pub use context::{RequestContext, access_key_id, access_key_id_of};
pub use request::ServerRequest;
pub use response::ResponseBuilder;
pub use routing::{MediaType, Route, Segment};

use axum::body::Body;

/// A response.
pub type Response = http::Response<Body>;

/// The future a dispatch function returns.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Response> + Send + 'static>>;

/// Runs the operation at `index` of the route table for a request.
pub type Dispatch<S> = fn(Arc<S>, usize, ServerRequest) -> ResponseFuture;

/// What a wire protocol decides on the server side. The router and the generated handlers
/// call it, so each protocol is one implementation (restJson1's is
/// [`crate::protocol::rest_json::RestJson1`]).
pub trait ServerProtocol: Send + Sync + std::fmt::Debug + 'static {
    /// The route a request goes to, with its decoded URI labels.
    fn find_route(
        &self,
        routes: &[Route],
        method: &str,
        path: &str,
        query: &[(String, String)],
    ) -> Result<(usize, Vec<String>), Rejection>;

    /// What the protocol requires of a routed request before its input is read (media types).
    fn check_request(&self, route: &Route, headers: &http::HeaderMap, body_is_empty: bool) -> Result<(), Rejection>;

    /// The answer to a refused request.
    fn rejection(&self, request_id: &str, rejection: &Rejection) -> Response;

    /// The answer to an input that violates the model's constraints.
    fn validation(
        &self,
        request_id: &str,
        error: &crate::constraint::ValidationError,
        shape: ValidationShape,
    ) -> Response;

    /// The answer to an error the model does not describe.
    fn unhandled(&self, request_id: &str, error: &crate::error::Unhandled) -> Response;

    /// The answer to an input that could not be read: a constraint violation found while
    /// reading it ([`Rejection::Invalid`]) as the operation answers violations, anything else
    /// as a rejection.
    fn input_rejection(&self, request_id: &str, rejection: &Rejection, shape: ValidationShape) -> Response {
        match rejection {
            Rejection::Invalid(e) => self.validation(request_id, e, shape),
            other => self.rejection(request_id, other),
        }
    }
}

/// How an operation reports constraint violations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationShape {
    /// `smithy.framework#ValidationException`: `message` and a `fieldList` of paths.
    Framework,
    /// A modeled 400 error of the operation, e.g. `InvalidParameterException`, written with
    /// the message under its JSON key.
    Modeled {
        /// The error code (shape name).
        code: &'static str,
        /// The JSON key of its message member, when it has one.
        message_key: Option<&'static str>,
    },
    /// The operation has no suitable error: an unmodeled 400 `ValidationException`.
    Default,
}

/// The largest request body read by default: 16 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Why a request was refused before (or instead of) reaching a handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No operation has this path.
    UnknownOperation,
    /// An operation has this path, but not for this method.
    MethodNotAllowed,
    /// The request does not parse: a label, query value, header or body of the wrong form.
    Malformed(String),
    /// The body's `Content-Type` is not the operation's.
    UnsupportedMediaType(String),
    /// The `Accept` header does not allow the response's media type.
    NotAcceptable(String),
    /// The body is larger than the limit.
    PayloadTooLarge(usize),
    /// The input violates the model's constraints, found while reading it (a nested
    /// structure without a required member).
    Invalid(crate::constraint::ValidationError),
    /// The handler panicked or failed in a way it did not describe.
    Internal,
}

impl Rejection {
    /// The status, error code and message of the response.
    pub fn parts(&self) -> (u16, &'static str, String) {
        match self {
            Rejection::UnknownOperation => {
                (404, "UnknownOperationException", "no operation matches this request path".into())
            }
            Rejection::MethodNotAllowed => {
                (405, "MethodNotAllowedException", "the operation at this path does not accept this HTTP method".into())
            }
            Rejection::Malformed(m) => (400, "SerializationException", m.clone()),
            Rejection::UnsupportedMediaType(m) => (415, "UnsupportedMediaTypeException", m.clone()),
            Rejection::NotAcceptable(m) => (406, "NotAcceptableException", m.clone()),
            Rejection::PayloadTooLarge(limit) => {
                (413, "RequestEntityTooLargeException", format!("the request body is larger than {limit} bytes"))
            }
            Rejection::Invalid(e) => (400, "ValidationException", e.to_string()),
            Rejection::Internal => (500, "InternalFailure", "the server failed to handle the request".into()),
        }
    }
}

/// The body as it came: without the `request-compression` feature no operation inflates one.
#[cfg(not(feature = "request-compression"))]
fn decode_body(
    _route: &Route,
    _headers: &mut http::HeaderMap,
    body: bytes::Bytes,
    _limit: usize,
) -> Result<bytes::Bytes, Rejection> {
    // The generated crate turns the feature on when an operation has `@requestCompression`.
    Ok(body)
}

/// Decodes a body sent with `Content-Encoding: gzip` to an operation with
/// `@requestCompression`, taking `gzip` off the header (what remains is the caller's own
/// encoding, which a `Content-Encoding` member reads).
#[cfg(feature = "request-compression")]
fn decode_body(
    route: &Route,
    headers: &mut http::HeaderMap,
    body: bytes::Bytes,
    limit: usize,
) -> Result<bytes::Bytes, Rejection> {
    use std::io::Read as _;
    let Some(value) = headers.get(http::header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return Ok(body);
    };
    let mut codings: Vec<&str> = value.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
    if codings.last().is_none_or(|c| !c.eq_ignore_ascii_case("gzip")) || !route.request_compression.contains(&"gzip") {
        return Ok(body);
    }
    codings.pop();
    let mut decoded = Vec::new();
    // An empty body has nothing to inflate (and is not a gzip stream): it stays empty.
    let read = if body.is_empty() {
        Ok(0)
    } else {
        flate2::read::GzDecoder::new(&body[..]).take(limit as u64 + 1).read_to_end(&mut decoded)
    };
    match read {
        Err(e) => return Err(Rejection::Malformed(format!("the gzip body does not decode: {e}"))),
        Ok(n) if n > limit => return Err(Rejection::PayloadTooLarge(limit)),
        Ok(_) => {}
    }
    match http::HeaderValue::from_str(&codings.join(", ")) {
        Ok(v) if !codings.is_empty() => {
            headers.insert(http::header::CONTENT_ENCODING, v);
        }
        _ => {
            headers.remove(http::header::CONTENT_ENCODING);
        }
    }
    Ok(bytes::Bytes::from(decoded))
}

/// A fresh request id: a version-4 UUID from a fast, non-cryptographic generator. Ids must be
/// unique, not secret, and the operating system's generator costs a system call per request.
pub fn new_request_id() -> String {
    fresh_request_id(str::to_owned)
}

/// [`new_request_id`], shared: what [`Service::call_with_request_id`] takes.
pub fn new_shared_request_id() -> Arc<str> {
    fresh_request_id(|id| Arc::from(id))
}

/// A fresh request id, made into `T` from the text in a buffer (one allocation for a `String`
/// or an `Arc<str>`, with no copy between them).
fn fresh_request_id<T>(make: impl FnOnce(&str) -> T) -> T {
    let uuid = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    // Encoded into a buffer rather than through `Display`, which goes through `core::fmt`.
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    make(uuid.hyphenated().encode_lower(&mut text))
}

/// What an operation a service does not implement answers: an error the model does not
/// describe, status 501 and code `NotImplementedException`. The generated service traits'
/// methods return it by default.
pub fn not_implemented<O, E: crate::error::CreateUnhandledError>(operation: &str) -> std::future::Ready<Result<O, E>> {
    let meta = crate::ErrorMetadata::new(
        Some("NotImplementedException".to_owned()),
        Some(format!("{operation} is not implemented by this server")),
        None,
        Some(501),
    );
    std::future::ready(Err(E::create_unhandled_error(meta, None)))
}

/// A service's routes, the function that runs the operation of a route, and the protocol.
pub struct Service<S> {
    /// The service's implementation.
    pub service: Arc<S>,
    /// Where each operation is in the URI space.
    pub routes: &'static [Route],
    /// Runs the operation at an index of `routes`.
    pub dispatch: Dispatch<S>,
    /// The wire protocol.
    pub protocol: &'static dyn ServerProtocol,
}

impl<S> std::fmt::Debug for Service<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service").field("routes", &self.routes.len()).finish_non_exhaustive()
    }
}

impl<S> Clone for Service<S> {
    fn clone(&self) -> Self {
        Service { service: self.service.clone(), routes: self.routes, dispatch: self.dispatch, protocol: self.protocol }
    }
}

impl<S: Send + Sync + 'static> Service<S> {
    /// Answers a request whose body has been read, without an axum router around the service:
    /// routing, parsing, checks, the handler (its panics caught) and the request id, as
    /// [`router`] does. For a server that drives hyper itself and has its own body limit.
    ///
    /// Everything before the handler (routing, reading the input's parts, the checks) runs in
    /// this call, not in the future it returns: an [`Answering`], which holds only the
    /// handler's future and what the response needs afterwards, and is `Unpin`, so that a
    /// server can keep it in a future of its own without boxing it.
    pub fn call(&self, parts: http::request::Parts, body: bytes::Bytes) -> Answering {
        self.call_with_request_id(parts, body, new_shared_request_id())
    }

    /// [`call`](Self::call), answering with this request id (in `x-amzn-RequestId` and the
    /// handler's context) rather than a fresh one: for a server that records or logs the id
    /// before the answer exists, without reading it back from the answer's headers.
    pub fn call_with_request_id(
        &self,
        parts: http::request::Parts,
        body: bytes::Bytes,
        request_id: Arc<str>,
    ) -> Answering {
        let dispatched = match route(self, &parts) {
            Ok(found) => dispatch_routed(self.clone(), DEFAULT_BODY_LIMIT, request_id, parts, body, found),
            Err(rejection) => Dispatched::Refused(self.protocol.rejection(&request_id, &rejection)),
        };
        Answering(Some(dispatched))
    }
}

/// An axum router serving a service; compose it with tower layers as usual.
pub fn router<S: Send + Sync + 'static>(service: Service<S>) -> axum::Router {
    router_with_limit(service, DEFAULT_BODY_LIMIT)
}

/// [`router`] with another body size limit.
pub fn router_with_limit<S: Send + Sync + 'static>(service: Service<S>, body_limit: usize) -> axum::Router {
    axum::Router::new().fallback(move |request: axum::extract::Request| {
        let service = service.clone();
        async move { handle(service, body_limit, request).await }
    })
}

async fn handle<S: Send + Sync + 'static>(
    service: Service<S>,
    body_limit: usize,
    request: axum::extract::Request,
) -> Response {
    let request_id: Arc<str> = new_shared_request_id();
    let (parts, body) = request.into_parts();
    // Refused before its body is read when no route fits.
    let found = match route(&service, &parts) {
        Ok(found) => found,
        Err(rejection) => return service.protocol.rejection(&request_id, &rejection),
    };
    let body = match axum::body::to_bytes(body, body_limit).await {
        Ok(b) => b,
        Err(e) => {
            let too_large = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            let rejection = if too_large {
                Rejection::PayloadTooLarge(body_limit)
            } else {
                Rejection::Malformed(format!("could not read the request body: {e}"))
            };
            return service.protocol.rejection(&request_id, &rejection);
        }
    };
    Answering(Some(dispatch_routed(service, body_limit, request_id, parts, body, found))).await
}

/// A request's route (the index in the table and the labels) and its query.
type Routed = (usize, Vec<String>, Vec<(String, String)>);

/// The route of a request (its index and labels) and its query, or why it has none.
fn route<S>(service: &Service<S>, parts: &http::request::Parts) -> Result<Routed, Rejection> {
    let query = crate::binding::parse_query(parts.uri.query().unwrap_or(""))
        .map_err(|e| Rejection::Malformed(format!("invalid query string: {e}")))?;
    let (index, labels) =
        service.protocol.find_route(service.routes, parts.method.as_str(), parts.uri.path(), &query)?;
    Ok((index, labels, query))
}

/// What became of a request before its handler ran.
enum Dispatched {
    /// Handed to its operation: the handler's future, and what the response needs once it is
    /// done.
    Handler {
        handler: ResponseFuture,
        request_id: Arc<str>,
        operation: &'static str,
        protocol: &'static dyn ServerProtocol,
    },
    /// Refused before the handler: the answer.
    Refused(Response),
}

/// The rest of [`handle`] up to the handler, once the request is routed and its body read:
/// the handler's future, or the answer when the request is refused first.
fn dispatch_routed<S: Send + Sync + 'static>(
    service: Service<S>,
    body_limit: usize,
    request_id: Arc<str>,
    mut parts: http::request::Parts,
    body: bytes::Bytes,
    (index, labels, query): Routed,
) -> Dispatched {
    let Service { service, routes, dispatch, protocol } = service;
    let body = match decode_body(&routes[index], &mut parts.headers, body, body_limit) {
        Ok(b) => b,
        Err(rejection) => return Dispatched::Refused(protocol.rejection(&request_id, &rejection)),
    };
    if let Err(rejection) = protocol.check_request(&routes[index], &parts.headers, body.is_empty()) {
        return Dispatched::Refused(protocol.rejection(&request_id, &rejection));
    }
    let operation = routes[index].operation;
    let request = ServerRequest::new(parts, body, labels, query, request_id.clone(), operation);
    let span = tracing::debug_span!("request", operation, request_id = %request_id);
    let _guard = span.enter();
    tracing::debug!("dispatching");
    Dispatched::Handler { handler: dispatch(service, index, request), request_id, operation, protocol }
}

/// The future of [`Service::call`]: runs the handler (a panic in it becomes a 500, not a
/// dropped connection) and stamps its response with the request id. The handler runs on the
/// caller's task: a task of its own would cost a spawn and a cross-thread wake-up per request.
#[must_use = "a future does nothing unless polled"]
pub struct Answering(Option<Dispatched>);

impl std::fmt::Debug for Answering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.0 {
            Some(Dispatched::Handler { operation, .. }) => operation,
            Some(Dispatched::Refused(_)) => "refused",
            None => "answered",
        };
        f.debug_tuple("Answering").field(&state).finish()
    }
}

impl Future for Answering {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Response> {
        use std::task::Poll;
        let this = self.get_mut();
        let Some(Dispatched::Handler { handler, request_id, operation, protocol }) = &mut this.0 else {
            return Poll::Ready(match this.0.take() {
                Some(Dispatched::Refused(response)) => response,
                // Polled again once answered: a 500 rather than a panic.
                _ => protocol_free_internal_error(),
            });
        };
        let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler.as_mut().poll(cx)));
        let response = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(response)) => response,
            Err(_) => {
                tracing::error!(operation = *operation, request_id = %request_id, panicked = true, "handler failed");
                protocol.rejection(request_id, &Rejection::Internal)
            }
        };
        // Every response a handler gives (its output's, its error's, a rejection's) was built
        // by `ResponseBuilder::build`, with the request id already in it.
        this.0 = None;
        Poll::Ready(response)
    }
}

/// A bare 500, for a future polled after it has answered (which no executor does).
fn protocol_free_internal_error() -> Response {
    let mut response = http::Response::new(Body::empty());
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server keeps an `Answering` inside a future of its own without boxing or pinning it;
    /// polled again once it has answered, it gives a 500 instead of panicking.
    #[test]
    fn answering_is_unpin_and_a_second_poll_is_a_500() {
        fn unpin_and_send<T: Unpin + Send>(_: &T) {}
        let mut refused = http::Response::new(Body::empty());
        *refused.status_mut() = http::StatusCode::NOT_FOUND;
        let mut answering = Answering(Some(Dispatched::Refused(refused)));
        unpin_and_send(&answering);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let first = Pin::new(&mut answering).poll(&mut cx);
        assert!(matches!(&first, std::task::Poll::Ready(r) if r.status() == 404), "{first:?}");
        let second = Pin::new(&mut answering).poll(&mut cx);
        assert!(matches!(&second, std::task::Poll::Ready(r) if r.status() == 500), "{second:?}");
    }
}

//! The seam between the call orchestrator and the network: an [`HttpConnector`] takes a
//! signed request and gives back the whole response.
//!
//! The default connector is reqwest ([`ReqwestConnector`]); a test can put its own in place
//! with `Config::builder().http_connector(..)` and see exactly what the client would send
//! ([`crate::client::test_util::CaptureConnector`]), or script what it receives, without a
//! socket.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

use super::{HttpRequest, HttpResponse, MAX_RESPONSE_BODY};
use crate::error::{BoxError, boxed};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one request and reads its whole response.
pub trait HttpConnector: Send + Sync + fmt::Debug {
    /// Sends `request` (already signed, with its full URL) and reads the response.
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>>;
}

/// A connector shared by the clones of a client.
#[derive(Clone, Debug)]
pub struct SharedHttpConnector(Arc<dyn HttpConnector>);

impl SharedHttpConnector {
    /// Shares `connector`.
    pub fn new(connector: impl HttpConnector + 'static) -> Self {
        SharedHttpConnector(Arc::new(connector))
    }
}

impl HttpConnector for SharedHttpConnector {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.0.call(request)
    }
}

/// What kind of failure a connector met; it decides how the client reports and retries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectorErrorKind {
    /// The request or response took too long.
    Timeout,
    /// The request could not be sent or the response not received (refused, reset, TLS).
    Io,
    /// A response arrived but cannot be used (larger than the client reads).
    Response,
}

/// Why a connector gave no response.
#[derive(Clone, Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    source: BoxError,
    raw: Option<Box<HttpResponse>>,
}

impl ConnectorError {
    /// A timeout.
    pub fn timeout(source: BoxError) -> Self {
        ConnectorError { kind: ConnectorErrorKind::Timeout, source, raw: None }
    }

    /// A failure to send or receive.
    pub fn io(source: BoxError) -> Self {
        ConnectorError { kind: ConnectorErrorKind::Io, source, raw: None }
    }

    /// A response that cannot be used; `raw` is what is known of it (status and headers).
    pub fn response(source: BoxError, raw: HttpResponse) -> Self {
        ConnectorError { kind: ConnectorErrorKind::Response, source, raw: Some(Box::new(raw)) }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }

    /// The cause.
    pub fn source_error(&self) -> &BoxError {
        &self.source
    }

    pub(super) fn into_parts(self) -> (ConnectorErrorKind, BoxError, Option<HttpResponse>) {
        (self.kind, self.source, self.raw.map(|r| *r))
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl std::error::Error for ConnectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The default connector: a reqwest client (rustls on ring), reading at most
/// [`MAX_RESPONSE_BODY`] bytes of a response.
#[derive(Clone, Debug)]
pub struct ReqwestConnector {
    client: reqwest::Client,
}

impl ReqwestConnector {
    /// Sends with `client`.
    pub fn new(client: reqwest::Client) -> Self {
        ReqwestConnector { client }
    }
}

#[derive(Debug)]
struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response body is larger than {MAX_RESPONSE_BODY} bytes")
    }
}

impl std::error::Error for TooLarge {}

fn send_error(e: reqwest::Error) -> ConnectorError {
    if e.is_timeout() { ConnectorError::timeout(boxed(e)) } else { ConnectorError::io(boxed(e)) }
}

impl HttpConnector for ReqwestConnector {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(|e| ConnectorError::io(boxed(e)))?;
            let mut response = self.client.execute(request).await.map_err(send_error)?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let version = response.version();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(send_error)? {
                if body.len() + chunk.len() > MAX_RESPONSE_BODY {
                    let mut raw = http::Response::new(Bytes::new());
                    *raw.status_mut() = status;
                    *raw.headers_mut() = headers;
                    return Err(ConnectorError::response(boxed(TooLarge), raw));
                }
                body.extend_from_slice(&chunk);
            }
            let mut raw = http::Response::new(Bytes::from(body));
            *raw.status_mut() = status;
            *raw.headers_mut() = headers;
            *raw.version_mut() = version;
            Ok(raw)
        })
    }
}

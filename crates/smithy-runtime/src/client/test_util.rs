//! Test doubles for the client's HTTP connector (feature `test-util`).
//!
//! [`CaptureConnector`] stands in for the network: it records every request exactly as the
//! client would send it (endpoint, headers, signature, body) and answers each with one canned
//! response. Put it in a config with `Config::builder().http_connector(connector.clone())`.

use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::connector::{BoxFuture, ConnectorError, HttpConnector};
use super::{HttpRequest, HttpResponse};

#[derive(Debug)]
struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

/// Records requests; answers each with the same response (by default 200 with `{}`).
#[derive(Clone, Debug)]
pub struct CaptureConnector {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    response: Arc<Canned>,
}

impl Default for CaptureConnector {
    fn default() -> Self {
        Self::new()
    }
}

impl CaptureConnector {
    /// Answers 200 with the body `{}`.
    pub fn new() -> Self {
        Self::with_response(200, &[("content-type", "application/json")], "{}")
    }

    /// Answers every request with this status, headers and body.
    pub fn with_response(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        let headers = headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        CaptureConnector { requests: Arc::default(), response: Arc::new(Canned { status, headers, body: body.into() }) }
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).iter().map(clone_request).collect()
    }

    /// The one request received; panics when there were none or several.
    pub fn expect_request(&self) -> HttpRequest {
        let mut requests = self.requests();
        match requests.len() {
            1 => requests.remove(0),
            n => panic!("expected exactly one request, the connector received {n}"),
        }
    }
}

fn clone_request(request: &HttpRequest) -> HttpRequest {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    copy
}

impl HttpConnector for CaptureConnector {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).push(request);
        let canned = &self.response;
        let mut response = http::Response::new(canned.body.clone());
        *response.status_mut() = http::StatusCode::from_u16(canned.status).unwrap_or(http::StatusCode::OK);
        for (k, v) in &canned.headers {
            if let (Ok(k), Ok(v)) = (http::HeaderName::from_bytes(k.as_bytes()), http::HeaderValue::from_str(v)) {
                response.headers_mut().append(k, v);
            }
        }
        Box::pin(async move { Ok(response) })
    }
}

//! The connection layer: accepts connections, serves each with hyper, and wraps the generated
//! router to record every request, log a line per request (never a secret), and drop the
//! connection when a script says so (which an axum server cannot do: its service never fails).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use smithy_runtime::server::axum;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::State;
use crate::record::ReceivedRequest;
use crate::service::DROP_CONNECTION;

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted answer")
    }
}

impl std::error::Error for Dropped {}

#[derive(Clone)]
struct MockService {
    router: axum::Router,
    state: Arc<State>,
}

impl hyper::service::Service<http::Request<Incoming>> for MockService {
    type Response = http::Response<axum::body::Body>;
    type Error = Dropped;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Dropped>> + Send>>;

    fn call(&self, request: http::Request<Incoming>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { this.handle(request).await })
    }
}

impl MockService {
    async fn handle(self, request: http::Request<Incoming>) -> Result<http::Response<axum::body::Body>, Dropped> {
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        let caller = smithy_runtime::server::access_key_id(request.headers()).map(str::to_owned);
        let headers = ReceivedRequest::redact(request.headers());
        let instance_id = path
            .strip_prefix("/user/federate/")
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .and_then(smithy_runtime::http::decode);
        let request = match crate::sigv4_check::check(&self.state, request).await {
            Ok(r) => r,
            Err(response) => {
                let (status, id) = (response.status().as_u16(), request_id(&response));
                log(&method, &path, Some(status), caller.as_deref(), id.as_deref());
                self.record(ReceivedRequest {
                    method,
                    path,
                    instance_id,
                    caller,
                    headers,
                    status: Some(status),
                    request_id: id,
                });
                return Ok(response);
            }
        };
        let response = match self.router.clone().oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let dropped =
            response.headers().get(smithy_runtime::error::ERROR_TYPE_HEADER).is_some_and(|v| v == DROP_CONNECTION);
        let status = (!dropped).then(|| response.status().as_u16());
        let id = request_id(&response);
        log(&method, &path, status, caller.as_deref(), id.as_deref());
        self.record(ReceivedRequest { method, path, instance_id, caller, headers, status, request_id: id });
        if dropped { Err(Dropped) } else { Ok(response) }
    }

    fn record(&self, request: ReceivedRequest) {
        let mut received = self.state.received.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(keep) = self.state.keep_requests {
            while received.len() >= keep.max(1) {
                received.pop_front();
            }
            if keep == 0 {
                return;
            }
        }
        received.push_back(request);
    }
}

/// The log line of a request (never a secret): its status, or that the connection was dropped.
fn log(method: &str, path: &str, status: Option<u16>, caller: Option<&str>, id: Option<&str>) {
    match status {
        Some(s) => tracing::info!(
            target: "connect_mock",
            "{method} {path} -> {s} (caller {}, request {})",
            caller.unwrap_or("unsigned"),
            id.unwrap_or("-")
        ),
        None => tracing::info!(target: "connect_mock", "{method} {path} -> connection dropped (scripted)"),
    }
}

fn request_id<B>(response: &http::Response<B>) -> Option<String> {
    response.headers().get(smithy_runtime::error::REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Serves until `shutdown` fires (or its sender is dropped); then stops accepting and closes
/// every connection.
pub(crate) async fn run(
    listener: TcpListener,
    router: axum::Router,
    state: Arc<State>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let service = MockService { router, state };
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let service = service.clone();
                connections.spawn(async move {
                    let io = TokioIo::new(stream);
                    // A failed connection (a client hanging up, a scripted drop) only ends itself.
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                });
            }
            _ = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}

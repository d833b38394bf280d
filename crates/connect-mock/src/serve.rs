//! The connection layer: accepts connections (at most [`Limits::max_connections`] at once,
//! backing off when accepting fails), serves each with hyper (an idle and header timeout kept by
//! a watchdog per connection, a body timeout and cap, half-closed connections answered), sends
//! the admin API's paths to `admin.rs`, and wraps the generated router to record every request,
//! log a line per request (never a secret, every field bounded), and drop the connection when a
//! script says so (which an axum server cannot do: its service never fails).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use smithy_runtime::Unhandled;
use smithy_runtime::protocol::rest_json::RestJson1;
use smithy_runtime::server::ServerProtocol;
use smithy_runtime::server::axum::body::Body;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::Limits;
use crate::record::{Recorded, RequestLine};
use crate::service::{DROP_CONNECTION, Federation};
use crate::state::{RequestLogging, State};

/// How long requests in progress get to finish once the mock is told to stop.
const GRACE: Duration = Duration::from_secs(1);

/// The longest pause between failed accepts (e.g. out of file descriptors).
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted answer")
    }
}

impl std::error::Error for Dropped {}

/// What a connection's requests share: the mock, and the connection's activity. Each request
/// holds one reference to it.
#[derive(Clone)]
struct MockService {
    connection: Arc<Connection>,
}

struct Connection {
    /// The generated server without axum's router around it: the body is read here already.
    service: smithy_runtime::server::Service<Federation>,
    state: Arc<State>,
    activity: Activity,
}

/// How many requests a connection has started and finished, which its watchdog ([`idle`]) reads.
/// Counting costs a request two uncontended atomic additions, where a timer armed for each
/// request's head (hyper's header-read timeout) costs an allocation and two changes to the
/// runtime's timer wheel.
#[derive(Default)]
struct Activity {
    started: AtomicU64,
    finished: AtomicU64,
}

/// Resolves once a connection has had no request in progress for `timeout`: it has been idle,
/// or sending a request's headers too slowly, for between `timeout` and 1.25 × `timeout`.
///
/// It looks every quarter of `timeout`: a look that finds a request in progress, or one started
/// or finished since the last look, starts the count again; the fourth quiet look in a row ends
/// it, at least four quarters after the connection's last activity and less than five.
async fn idle(activity: &Activity, timeout: Duration) {
    let quarter = (timeout / 4).max(Duration::from_millis(1));
    let mut looks = tokio::time::interval_at(tokio::time::Instant::now() + quarter, quarter);
    looks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seen = (0, 0);
    let mut quiet = 0;
    loop {
        looks.tick().await;
        let now = (activity.started.load(Ordering::Relaxed), activity.finished.load(Ordering::Relaxed));
        if now != seen || now.0 != now.1 {
            seen = now;
            quiet = 0;
            continue;
        }
        quiet += 1;
        if quiet == 4 {
            return;
        }
    }
}

impl hyper::service::Service<http::Request<Incoming>> for MockService {
    type Response = http::Response<Body>;
    type Error = Dropped;
    type Future = Serving;

    fn call(&self, request: http::Request<Incoming>) -> Serving {
        let connection = self.connection.clone();
        connection.activity.started.fetch_add(1, Ordering::Relaxed);
        let (parts, body) = request.into_parts();
        // A body to read (with its timeout), or the admin API: an async fn, boxed.
        if crate::admin::is_admin_path(parts.uri.path()) || !hyper::body::Body::is_end_stream(&body) {
            let answer = Box::pin(connection.clone().answer_with_body(parts, body));
            return Serving { connection, stage: Stage::Boxed(answer) };
        }
        // The rest (GetFederationToken is a GET) is routed and dispatched here, and its future
        // is kept by hyper in the connection's task, not boxed.
        // The request id is made here, so that the record holds it from the start.
        let request_id = smithy_runtime::server::new_shared_request_id();
        let record = Recorded::start(&parts, &request_id);
        let stage = match connection.dispatch(parts, Bytes::new(), request_id) {
            Ok(answer) => Stage::Handler { record, answer },
            Err(response) => Stage::Refused { record, response: *response },
        };
        Serving { connection, stage }
    }
}

/// A request being answered. Not counted as finished when hyper drops it unanswered, which it
/// does only as the connection ends (and its watchdog with it).
pub(crate) struct Serving {
    connection: Arc<Connection>,
    stage: Stage,
}

enum Stage {
    /// Waiting for the handler; then the record is completed, logged and kept.
    Handler { record: Recorded, answer: smithy_runtime::server::Answering },
    /// Answered before any handler (a signature refused); the record is completed likewise.
    Refused { record: Recorded, response: http::Response<Body> },
    /// A request with a body, or to the admin API, answered by an async fn (rare: boxed).
    Boxed(Pin<Box<dyn Future<Output = Result<http::Response<Body>, Dropped>> + Send>>),
    /// Answered.
    Done,
}

impl Future for Serving {
    type Output = Result<http::Response<Body>, Dropped>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        use std::task::Poll;
        let this = self.get_mut();
        let handled = match &mut this.stage {
            Stage::Handler { answer, .. } => match Pin::new(answer).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(response) => Some(response),
            },
            Stage::Boxed(answer) => match answer.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(out) => {
                    this.stage = Stage::Done;
                    this.connection.activity.finished.fetch_add(1, Ordering::Relaxed);
                    return Poll::Ready(out);
                }
            },
            Stage::Refused { .. } | Stage::Done => None,
        };
        let out = match (std::mem::replace(&mut this.stage, Stage::Done), handled) {
            (Stage::Handler { record, .. }, Some(response)) | (Stage::Refused { record, response }, None) => {
                this.connection.finish(record, response)
            }
            // Polled again once answered (no executor does that).
            _ => return Poll::Ready(Err(Dropped)),
        };
        this.connection.activity.finished.fetch_add(1, Ordering::Relaxed);
        Poll::Ready(out)
    }
}

/// Why a request body could not be read.
enum BodyProblem {
    TooLarge(usize),
    TooSlow(Duration),
    Broken(String),
}

impl BodyProblem {
    /// The answer, which also closes the connection (the rest of the body is not read).
    fn answer(&self, request_id: &str) -> http::Response<Body> {
        let e = match self {
            BodyProblem::TooLarge(cap) => Unhandled::from_code(
                413,
                "RequestEntityTooLargeException",
                format!("The request body is larger than the {cap} bytes this server accepts."),
            ),
            BodyProblem::TooSlow(t) => Unhandled::from_code(
                408,
                "RequestTimeoutException",
                format!("The request body did not arrive within {} s.", t.as_secs_f64()),
            ),
            BodyProblem::Broken(why) => Unhandled::from_code(
                400,
                "SerializationException",
                format!("The request body could not be read: {why}"),
            ),
        };
        let mut response = ServerProtocol::unhandled(&RestJson1, request_id, &e);
        response.headers_mut().insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
        response
    }
}

/// Reads a whole body, at most `cap` bytes (a larger declared length is refused before reading)
/// within `timeout`.
///
/// An empty body (an admin API's GET) is read at once, with no timer set.
async fn read_body(
    headers: &http::HeaderMap,
    body: Incoming,
    cap: usize,
    timeout: Duration,
) -> Result<Bytes, BodyProblem> {
    if hyper::body::Body::is_end_stream(&body) {
        return Ok(Bytes::new());
    }
    let declared = headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(BodyProblem::TooLarge(cap));
    }
    match tokio::time::timeout(timeout, Limited::new(body, cap).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Err(BodyProblem::TooLarge(cap)),
        Ok(Err(e)) => Err(BodyProblem::Broken(e.to_string())),
        Err(_) => Err(BodyProblem::TooSlow(timeout)),
    }
}

impl Connection {
    /// A request with a body, or to the admin API (whose requests are not recorded).
    async fn answer_with_body(
        self: Arc<Self>,
        parts: http::request::Parts,
        body: Incoming,
    ) -> Result<http::Response<Body>, Dropped> {
        let limits = self.state.limits;
        if crate::admin::is_admin_path(parts.uri.path()) {
            let cap = usize::try_from(crate::fixtures::MAX_FIXTURES_BYTES).unwrap_or(usize::MAX);
            return Ok(match read_body(&parts.headers, body, cap, limits.body_read_timeout).await {
                Ok(bytes) => crate::admin::handle(
                    &self.state,
                    &parts.method,
                    parts.uri.path(),
                    parts.uri.query().unwrap_or(""),
                    &bytes,
                ),
                Err(problem) => problem.answer(&smithy_runtime::server::new_request_id()),
            });
        }
        let request_id = smithy_runtime::server::new_shared_request_id();
        let record = Recorded::start(&parts, &request_id);
        let response = match read_body(&parts.headers, body, limits.max_body_bytes, limits.body_read_timeout).await {
            Err(problem) => problem.answer(&request_id),
            Ok(bytes) => match self.dispatch(parts, bytes, request_id) {
                Ok(answer) => answer.await,
                Err(response) => *response,
            },
        };
        self.finish(record, response)
    }

    /// The handler's future for a request whose body is read, or the answer when its signature
    /// is refused first; either answers with `request_id`.
    fn dispatch(
        &self,
        parts: http::request::Parts,
        body: Bytes,
        request_id: std::sync::Arc<str>,
    ) -> Result<smithy_runtime::server::Answering, Box<http::Response<Body>>> {
        let (parts, body) = crate::sigv4_check::check(&self.state, parts, body, &request_id)?;
        Ok(self.service.call_with_request_id(parts, body, request_id))
    }

    /// Completes a request's record with its answer, logs it and keeps it; the answer, or
    /// [`Dropped`] when a script said to drop the connection.
    fn finish(&self, mut record: Recorded, answer: http::Response<Body>) -> Result<http::Response<Body>, Dropped> {
        // A drop is scripted as a 500 with a marker for its error type: an answer of another
        // status has none to look for.
        let dropped = answer.status().is_server_error()
            && answer.headers().get(smithy_runtime::error::ERROR_TYPE).is_some_and(|v| v == DROP_CONNECTION);
        record.finish((!dropped).then(|| answer.status().as_u16()));
        log(&self.state.request_logging, &record);
        self.state.record(record);
        if dropped { Err(Dropped) } else { Ok(answer) }
    }
}

/// Logs a request's line as the mock was told to: through `tracing` (`served method=GET
/// path=/user/federate/i-1 status=200 caller=AKID… instance=i-1 request_id=…` with the binary's
/// subscriber), by the user's function, or not at all.
fn log(logging: &RequestLogging, r: &Recorded) {
    if let RequestLogging::Off = logging {
        return;
    }
    let method = crate::record::bounded(r.method());
    let line = RequestLine {
        method: &method,
        path: r.path(),
        status: r.status(),
        caller: r.caller(),
        instance: r.instance_id(),
        request_id: r.request_id(),
        received_at: r.received_at(),
    };
    match logging {
        RequestLogging::Off => {}
        RequestLogging::Tracing => line.trace(),
        RequestLogging::With(f) => f(&line),
    }
}

/// Serves until `stop` says so (or its sender is dropped); then stops accepting, gives requests
/// in progress [`GRACE`] to finish, and closes every connection.
pub(crate) async fn run(
    listener: TcpListener,
    service: smithy_runtime::server::Service<Federation>,
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
) {
    let limits: Limits = state.limits;
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = JoinSet::new();
    let mut backoff = Duration::ZERO;
    let mut http = hyper::server::conn::http1::Builder::new();
    // Half-closed: a client may shut its side after sending a whole request and still wait for
    // the answer. The header-read timeout is the connection's watchdog's, not hyper's.
    http.header_read_timeout(None).half_close(true);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = stop.changed() => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let stream = match accepted {
            Ok((stream, _)) => {
                backoff = Duration::ZERO;
                stream
            }
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // little (longer each time) instead of retrying at once and burning a core.
                backoff = (backoff * 2).clamp(Duration::from_millis(5), MAX_ACCEPT_BACKOFF);
                tracing::warn!(target: "connect_mock", "accepting a connection failed: {e}; retrying in {backoff:?}");
                tokio::select! {
                    () = tokio::time::sleep(backoff) => continue,
                    _ = stop.changed() => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        // A `Federation` of the connection's own: each request holds a reference to it, and a
        // reference count that every serving thread changed on every request would pass its
        // cache line between them.
        let own = smithy_runtime::server::Service {
            service: Arc::new(Federation { state: state.clone() }),
            ..service.clone()
        };
        let shared = Arc::new(Connection { service: own, state: state.clone(), activity: Activity::default() });
        let http = http.clone();
        let mut stop = stop.clone();
        connections.spawn(async move {
            let _permit = permit;
            let connection = http.serve_connection(TokioIo::new(stream), MockService { connection: shared.clone() });
            tokio::pin!(connection);
            // A failed connection (a client hanging up, a scripted drop, a timeout) only ends
            // itself; an idle one is closed by dropping it.
            tokio::select! {
                biased;
                _ = connection.as_mut() => {}
                () = idle(&shared.activity, limits.header_read_timeout) => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(GRACE, connection).await;
                }
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE * 2, async { while connections.join_next().await.is_some() {} }).await;
    connections.abort_all();
}

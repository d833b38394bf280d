//! The `server_request` target: any request through the generated server.
//!
//! The input is the text of a request (see [`crate::message`]), e.g.
//! `GET /user/federate/abc?x=1 HTTP/1.1`, header lines, an empty line, the body. It goes as an
//! `http::Request` through `connect_server::router` (routing, query and label decoding, media
//! type checks, input parsing and validation, the handler, the answer) with `tower`'s
//! `oneshot` on a current-thread tokio runtime, as the benchmarks drive it; hyper's own parsing
//! of the wire is not under test. The handler always succeeds.

use std::sync::LazyLock;

use bytes::Bytes;
use connect_server::operation::get_federation_token::{
    GetFederationTokenError, GetFederationTokenInput, GetFederationTokenOutput,
};
use connect_server::{AmazonConnectService, RequestContext};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::message::{Message, request_target};

/// A handler that always answers, echoing what it was given so that the answer's writing sees
/// the request's strings: the label as the user id, the SigV4 access key id read from the
/// request's `Authorization` (unverified) as the user ARN.
#[derive(Debug)]
pub struct Echo;

impl AmazonConnectService for Echo {
    async fn get_federation_token(
        &self,
        input: GetFederationTokenInput,
        context: RequestContext,
    ) -> Result<GetFederationTokenOutput, GetFederationTokenError> {
        Ok(GetFederationTokenOutput::builder()
            .user_id(input.instance_id().unwrap_or_default())
            .set_user_arn(context.access_key_id().map(str::to_owned))
            .build())
    }
}

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().build().expect("a tokio runtime"));
static ROUTER: LazyLock<connect_server::axum::Router> = LazyLock::new(|| connect_server::router(Echo));

/// The server's answer to the request in `data`: its status and body, or `None` when `data`
/// is not a request `http` can represent (a method that is not a token, a target that is not
/// a URI even once percent-encoded).
///
/// The server must answer every request with a status, an `x-amzn-RequestId` and a body it can
/// send, and never a 500 (its handler never fails). A panic anywhere is a finding, even one
/// the runtime would catch (it turns a panicking handler into a 500): libFuzzer's panic hook
/// aborts before any unwinding.
pub fn answer(data: &[u8]) -> Option<(http::StatusCode, Bytes)> {
    let message = Message::parse(data);
    // `METHOD target [HTTP/x.y]`: the method up to the first space, the target the rest up to
    // a trailing ` HTTP/` version.
    let (method, target) = match message.start.iter().position(|&b| b == b' ') {
        Some(space) => (&message.start[..space], &message.start[space + 1..]),
        None => (message.start, &b"/"[..]),
    };
    let target = match target.windows(6).rposition(|w| w == b" HTTP/") {
        Some(version) => &target[..version],
        None => target,
    };
    let method = http::Method::from_bytes(method).ok()?;
    let uri = http::Uri::try_from(request_target(target)).ok()?;
    let body = connect_server::axum::body::Body::from(Bytes::copy_from_slice(message.body));
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = message.headers;

    let (parts, body) = RUNTIME.block_on(async {
        let response = ROUTER.clone().oneshot(request).await.unwrap_or_else(|never| match never {});
        let (parts, body) = response.into_parts();
        (parts, body.collect().await.expect("the answer's body can be read").to_bytes())
    });
    let status = parts.status;
    assert!((200..600).contains(&status.as_u16()), "status {status} is not an answer");
    assert_ne!(status, http::StatusCode::INTERNAL_SERVER_ERROR, "the server failed on its own: {body:?}");
    assert!(parts.headers.contains_key("x-amzn-requestid"), "no request id on a {status} answer");
    Some((status, body))
}

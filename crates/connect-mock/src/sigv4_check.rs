//! Optional SigV4 checking: with known key pairs the mock verifies each request's signature and
//! answers as AWS does when it is missing, malformed, unknown, wrong or signed too far from the
//! mock's clock (403 with AWS's error code and message). The verification itself is the
//! runtime's `sigv4::verify`, built on the `aws-sigv4` crate.

use http_body_util::BodyExt;
use hyper::body::Incoming;
use smithy_runtime::Unhandled;
use smithy_runtime::protocol::rest_json::RestJson1;
use smithy_runtime::server::ServerProtocol;
use smithy_runtime::server::axum::body::Body;
use smithy_runtime::sigv4::{DEFAULT_MAX_SKEW, verify};

use crate::State;
use crate::service::VerifiedCaller;

/// The largest body read to check its signature.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Passes the request on (with the verified caller attached), or answers it with the 403 AWS
/// would give.
pub(crate) async fn check(
    state: &State,
    request: http::Request<Incoming>,
) -> Result<http::Request<Body>, http::Response<Body>> {
    let keys = {
        let fixtures = state.fixtures.read().unwrap_or_else(|p| p.into_inner());
        if !fixtures.verify_sigv4 {
            return Ok(request.map(Body::new));
        }
        fixtures.key_pairs.clone()
    };
    let (mut parts, body) = request.into_parts();
    let request_id = smithy_runtime::server::new_request_id();
    let bytes = match http_body_util::Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let e = Unhandled::from_code(
                413,
                "RequestEntityTooLargeException",
                format!("the request body is larger than {MAX_BODY} bytes"),
            );
            return Err(ServerProtocol::unhandled(&RestJson1, &request_id, &e));
        }
    };
    let lookup = |key: &str| keys.iter().find(|k| k.access_key_id == key).map(|k| k.secret_access_key.clone());
    match verify(&parts, &bytes, lookup, state.clock.now(), DEFAULT_MAX_SKEW) {
        Ok(identity) => {
            parts.extensions.insert(VerifiedCaller(identity.access_key_id.clone()));
            Ok(http::Request::from_parts(parts, Body::from(bytes)))
        }
        Err(e) => {
            let answer = Unhandled::from_code(e.status(), e.code(), e.message());
            Err(ServerProtocol::unhandled(&RestJson1, &request_id, &answer))
        }
    }
}

//! Optional SigV4 checking: with known key pairs the mock verifies each request's signature and
//! answers as AWS does when it is missing, malformed, unknown, wrong or signed too far from the
//! mock's clock (403 with AWS's error code and message). The verification itself is the
//! runtime's `sigv4::verify`, built on the `aws-sigv4` crate.

use bytes::Bytes;
use smithy_runtime::Unhandled;
use smithy_runtime::protocol::rest_json::RestJson1;
use smithy_runtime::server::ServerProtocol;
use smithy_runtime::server::axum::body::Body;
use smithy_runtime::sigv4::{DEFAULT_MAX_SKEW, verify};

use crate::service::VerifiedCaller;
use crate::state::State;

/// The signing name requests to the mock must be signed for.
const SERVICE: &str = "connect";

/// Passes the request on (with the verified caller attached), or answers it (with `request_id`)
/// with the 403 AWS would give: also when it was signed for another region than the mock's or
/// another service.
pub(crate) fn check(
    state: &State,
    mut parts: http::request::Parts,
    body: Bytes,
    request_id: &str,
) -> Result<(http::request::Parts, Bytes), Box<http::Response<Body>>> {
    let (keys, region) = {
        let world = state.world();
        if !world.fixtures.verify_sigv4 {
            return Ok((parts, body));
        }
        (world.fixtures.key_pairs.clone(), world.fixtures.region().to_owned())
    };
    let refuse = |status: u16, code: &str, message: String| {
        Err(Box::new(ServerProtocol::unhandled(&RestJson1, request_id, &Unhandled::from_code(status, code, message))))
    };
    let lookup = |key: &str| keys.iter().find(|k| k.access_key_id == key).map(|k| k.secret_access_key.clone());
    match verify(&parts, &body, lookup, state.now(), DEFAULT_MAX_SKEW) {
        // AWS's answers to a scope for another service or region.
        Ok(identity) if identity.service != SERVICE => refuse(
            403,
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{SERVICE}'. "),
        ),
        Ok(identity) if identity.region != region => refuse(
            403,
            "InvalidSignatureException",
            format!(
                "Credential should be scoped to a valid region. This endpoint serves '{region}', not '{}'.",
                crate::record::bounded(&identity.region)
            ),
        ),
        Ok(identity) => {
            parts.extensions.insert(VerifiedCaller(identity.access_key_id.clone()));
            Ok((parts, body))
        }
        Err(e) => refuse(e.status(), e.code(), e.message()),
    }
}

//! restJson1 (`aws.protocols#restJson1`): what this protocol decides beyond the shared HTTP
//! machinery (bindings of members to the URI, query, headers and body, in [`crate::binding`],
//! [`crate::client`] and [`crate::server`]).
//!
//! - Error codes travel in `X-Amzn-ErrorType` (else the body's `code` or `__type`), messages
//!   in the JSON body ([`error_metadata`]).
//! - Server side ([`RestJson1`], a [`ServerProtocol`](crate::server::ServerProtocol)): requests are routed by method and
//!   URI pattern; a body's `Content-Type` must be the operation's (415 otherwise) and the
//!   `Accept` header must allow the response's (406); refusals, constraint violations and
//!   unmodeled errors are answered with `X-Amzn-ErrorType` and a JSON `{"message": …}`, the
//!   violations of `smithy.framework#ValidationException` with its `fieldList`.
//!
//! The generated code of a restJson1 service calls this module; the emitter that writes that
//! code is `codegen/src/emit/protocol/rest_json.rs`. A second protocol is a module beside this
//! one and an emitter beside that one.

use crate::error::ErrorMetadata;

/// The header restJson1 puts an error's code in.
pub const ERROR_TYPE_HEADER: &str = crate::error::ERROR_TYPE_HEADER;

/// The media type of JSON bodies.
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// The code, message and request id of an error response, read the restJson1 way: the code
/// from `X-Amzn-ErrorType`, else the body's `code`, else its `__type`, each cut down to the
/// shape name; the message from `message`, `Message` or `errorMessage`.
pub fn error_metadata(status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
    ErrorMetadata::from_response(status, headers, body)
}

#[cfg(feature = "server")]
pub use server::RestJson1;

#[cfg(feature = "server")]
mod server {
    use super::ERROR_TYPE_HEADER;
    use crate::constraint::ValidationError;
    use crate::error::Unhandled;
    use crate::server::{MediaType, Rejection, Response, ResponseBuilder, Route, ServerProtocol, ValidationShape};

    /// The restJson1 server protocol, for the router and generated handlers.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct RestJson1;

    impl ServerProtocol for RestJson1 {
        fn find_route(
            &self,
            routes: &[Route],
            method: &str,
            path: &str,
            query: &[(String, String)],
        ) -> Result<(usize, Vec<String>), Rejection> {
            crate::server::routing::find(routes, method, path, query)
        }

        fn check_request(
            &self,
            route: &Route,
            headers: &http::HeaderMap,
            body_is_empty: bool,
        ) -> Result<(), Rejection> {
            check_media_types(route, headers, body_is_empty)
        }

        fn rejection(&self, request_id: &str, rejection: &Rejection) -> Response {
            rejection_response(request_id, rejection)
        }

        fn validation(&self, request_id: &str, error: &ValidationError, shape: ValidationShape) -> Response {
            validation_response(request_id, error, shape)
        }

        fn unhandled(&self, request_id: &str, error: &Unhandled) -> Response {
            let meta = error.meta();
            let status = meta.status().filter(|s| (400..600).contains(s)).unwrap_or(500);
            let code = meta.code().unwrap_or("InternalFailure");
            let message =
                meta.message().map_or_else(|| "the server failed to handle the request".to_owned(), str::to_owned);
            error_response(request_id, status, code, &serde_json::json!({ "message": message }))
        }
    }

    /// Marks a response as the modeled error `code` (generated error writers call this).
    pub fn error_type(response: &mut ResponseBuilder, code: &str) {
        response.protocol_header(ERROR_TYPE_HEADER, code);
    }

    fn error_response(request_id: &str, status: u16, code: &str, body: &serde_json::Value) -> Response {
        let mut b = ResponseBuilder::new(status);
        error_type(&mut b, code);
        b.json_body(body);
        b.build(request_id)
    }

    fn rejection_response(request_id: &str, rejection: &Rejection) -> Response {
        let (status, code, message) = rejection.parts();
        error_response(request_id, status, code, &serde_json::json!({ "message": message }))
    }

    /// The 400 response for a request whose input violates the model's constraints, or (for a
    /// value the model cannot describe, such as an unknown union member) is malformed.
    fn validation_response(request_id: &str, error: &ValidationError, shape: ValidationShape) -> Response {
        if let Some(malformed) = error.malformed() {
            return rejection_response(request_id, &Rejection::Malformed(malformed.message.clone()));
        }
        let message = error.to_string();
        let field_list = || {
            let list: Vec<serde_json::Value> = error
                .violations()
                .iter()
                .map(|v| serde_json::json!({ "path": v.path, "message": v.message }))
                .collect();
            serde_json::Value::Array(list)
        };
        match shape {
            ValidationShape::Framework | ValidationShape::Default => error_response(
                request_id,
                400,
                "ValidationException",
                &serde_json::json!({ "message": message, "fieldList": field_list() }),
            ),
            ValidationShape::Modeled { code, message_key } => {
                let mut body = serde_json::Map::new();
                body.insert(message_key.unwrap_or("message").to_owned(), serde_json::Value::String(message));
                error_response(request_id, 400, code, &serde_json::Value::Object(body))
            }
        }
    }

    /// A media type without its parameters (`application/json; charset=utf-8` is
    /// `application/json`); compared without regard to case.
    fn essence(value: &str) -> &str {
        value.split(';').next().unwrap_or("").trim()
    }

    /// Checks a request's `Content-Type` and `Accept` headers against its route: 415 for a body of
    /// the wrong media type, 406 when the response's media type is not acceptable. Nothing is
    /// allocated unless the request is refused.
    fn check_media_types(route: &Route, headers: &http::HeaderMap, body_is_empty: bool) -> Result<(), Rejection> {
        let content_type = headers.get(http::header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()));
        match (route.request_media_type, &content_type) {
            (MediaType::None, Some(ct)) if !body_is_empty => {
                return Err(Rejection::UnsupportedMediaType(format!(
                    "`{}` takes no body, so no Content-Type; found `{ct}`",
                    route.operation
                )));
            }
            (MediaType::Exact(expected), Some(ct)) if !essence(ct).eq_ignore_ascii_case(expected) => {
                return Err(Rejection::UnsupportedMediaType(format!(
                    "`{}` takes a body of type `{expected}`, not `{ct}`",
                    route.operation
                )));
            }
            (MediaType::Exact(expected), None) if !body_is_empty => {
                return Err(Rejection::UnsupportedMediaType(format!(
                    "the body of `{}` needs a Content-Type (`{expected}`)",
                    route.operation
                )));
            }
            _ => {}
        }
        if let Some(produced) = route.response_media_type {
            let (kind, _) = produced.split_once('/').unwrap_or((produced, ""));
            // No Accept header, or one naming no media range, accepts anything.
            let mut ranges = 0usize;
            let mut allowed = false;
            for value in headers.get_all(http::header::ACCEPT) {
                let value = String::from_utf8_lossy(value.as_bytes());
                for range in value.split(',').map(essence).filter(|range| !range.is_empty()) {
                    ranges += 1;
                    allowed |= range == "*/*"
                        || range.eq_ignore_ascii_case(produced)
                        || range.strip_suffix("/*").is_some_and(|t| t.eq_ignore_ascii_case(kind));
                }
            }
            if ranges > 0 && !allowed {
                return Err(Rejection::NotAcceptable(format!(
                    "`{}` answers with `{produced}`, which the Accept header does not allow",
                    route.operation
                )));
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::server::routing::tests::route;

        #[test]
        fn media_types_are_checked() {
            let json = Route {
                request_media_type: MediaType::Exact("application/json"),
                response_media_type: Some("application/json"),
                ..route("Op", "POST", &[], &[])
            };
            let headers = |pairs: &[(&'static str, &'static str)]| {
                let mut h = http::HeaderMap::new();
                for (k, v) in pairs {
                    h.append(*k, http::HeaderValue::from_static(v));
                }
                h
            };
            let ok = |h: &[(&'static str, &'static str)], empty| check_media_types(&json, &headers(h), empty).is_ok();
            assert!(ok(&[("content-type", "application/json; charset=utf-8")], false));
            assert!(ok(&[], true));
            assert!(!ok(&[], false));
            assert!(!ok(&[("content-type", "application/hal+json")], false));
            assert!(ok(&[("accept", "text/html, application/*;q=0.5")], true));
            assert!(ok(&[("accept", "*/*")], true));
            // Media types are compared without regard to case; an Accept header naming no range
            // accepts anything; of several Accept headers, one allowing is enough.
            assert!(ok(&[("content-type", "Application/JSON")], false));
            assert!(ok(&[("accept", "APPLICATION/*")], true));
            assert!(ok(&[("accept", " , ;q=1")], true));
            assert!(ok(&[("accept", "image/png"), ("accept", "application/json")], true));
            assert!(!ok(&[("accept", "image/png"), ("accept", "text/*")], true));
            assert!(matches!(
                check_media_types(&json, &headers(&[("accept", "application/hal+json")]), true),
                Err(Rejection::NotAcceptable(_))
            ));
            let none = route("Op", "POST", &[], &[]);
            assert!(check_media_types(&none, &headers(&[("content-type", "application/json")]), false).is_err());
            assert!(check_media_types(&none, &headers(&[("content-type", "application/json")]), true).is_ok());
            assert!(check_media_types(&none, &headers(&[("accept", "image/png")]), true).is_ok());
            let any = Route { request_media_type: MediaType::Any, ..none };
            assert!(check_media_types(&any, &headers(&[("content-type", "image/jpg")]), false).is_ok());
        }
    }
}

#[cfg(feature = "server")]
pub use server::error_type;

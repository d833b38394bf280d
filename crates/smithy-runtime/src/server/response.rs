//! Writing responses: outputs, modeled errors, validation failures and rejections, all
//! AWS-shaped (`X-Amzn-ErrorType`, a JSON body with a message, `x-amzn-RequestId`).

use std::collections::HashMap;

use axum::body::Body;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Serialize;

use super::{Rejection, Response};
use crate::blob::Blob;
use crate::constraint::ValidationError;
use crate::datetime::Format;
use crate::error::{ERROR_TYPE_HEADER, REQUEST_ID_HEADER, Unhandled};
use crate::http::header_list;
use crate::text::TextValue;

/// Builds a response for a generated serialiser. A value that cannot be written (a header
/// with a newline, say) turns the response into a 500 rather than a panic or a bad header.
#[derive(Debug)]
pub struct ResponseBuilder {
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
    /// A streaming payload that is not in memory: sent as it is read.
    stream: Option<crate::ByteStream>,
    failed: Option<String>,
}

impl ResponseBuilder {
    /// A response with this status.
    pub fn new(status: u16) -> Self {
        ResponseBuilder { status, headers: http::HeaderMap::new(), body: Vec::new(), stream: None, failed: None }
    }

    /// Replaces the status (an `@httpResponseCode` member).
    pub fn status(&mut self, status: Option<i32>) {
        if let Some(s) = status.and_then(|s| u16::try_from(s).ok()).filter(|s| (100..600).contains(s)) {
            self.status = s;
        }
    }

    fn insert(&mut self, name: &str, text: &str) {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(text)) {
            (Ok(n), Ok(v)) => {
                self.headers.insert(n, v);
            }
            _ => self.failed = Some(format!("header `{name}` cannot carry its value")),
        }
    }

    /// Marks the response as a modeled error with this code.
    pub fn error_type(&mut self, code: &str) {
        self.insert(ERROR_TYPE_HEADER, code);
    }

    /// An `@httpHeader` member.
    pub fn header<T: TextValue>(&mut self, name: &str, value: Option<&T>, format: Format) {
        if let Some(v) = value {
            self.insert(name, &v.to_text(format));
        }
    }

    /// An `@httpHeader` list member.
    pub fn header_list<T: TextValue>(&mut self, name: &str, values: Option<&[T]>, format: Format) {
        if let Some(values) = values {
            self.insert(name, &header_list(values, format));
        }
    }

    /// An `@httpPrefixHeaders` member.
    pub fn prefix_headers(&mut self, prefix: &str, values: Option<&HashMap<String, String>>) {
        let mut entries: Vec<_> = values.into_iter().flatten().collect();
        entries.sort();
        for (k, v) in entries {
            self.insert(&format!("{prefix}{k}"), v);
        }
    }

    /// A JSON body.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match crate::json::to_body(body) {
            Ok(bytes) => {
                self.body = bytes;
                self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static("application/json"));
            }
            Err(e) => self.failed = Some(format!("the body cannot be written as JSON: {e}")),
        }
    }

    /// A blob `@httpPayload`. Like the other body setters, it keeps a `Content-Type` that an
    /// `@httpHeader("Content-Type")` member has set.
    pub fn blob_body(&mut self, value: Option<&Blob>, content_type: &'static str) {
        if let Some(b) = value {
            self.body = b.as_ref().to_vec();
            self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
        }
    }

    /// A `@streaming` blob `@httpPayload`: in-memory bytes are the body; a stream is sent as
    /// the handler's stream yields it, without a `Content-Length`.
    pub fn stream_body(&mut self, value: Option<crate::ByteStream>, content_type: &'static str) {
        let Some(stream) = value else { return };
        match stream.bytes() {
            Some([]) => return,
            Some(b) => self.body = b.to_vec(),
            None => self.stream = Some(stream),
        }
        self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
    }

    /// A string `@httpPayload`.
    pub fn text_body(&mut self, value: Option<&str>, content_type: &'static str) {
        if let Some(s) = value {
            self.body = s.as_bytes().to_vec();
            self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
        }
    }

    /// The response for the request with this id.
    pub fn build(self, request_id: &str) -> Response {
        if let Some(reason) = self.failed {
            tracing::error!(request_id, reason = %reason, "could not write the response");
            return rejection_response(request_id, &Rejection::Internal);
        }
        let length = HeaderValue::from(self.body.len());
        let (body, length) = match self.stream {
            Some(stream) => (Body::from_stream(stream), None),
            None => (Body::from(self.body), Some(length)),
        };
        let mut response = http::Response::new(body);
        *response.status_mut() =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = self.headers;
        // Said outright, `Content-Length: 0` included, as restJson1 servers do.
        if let Some(length) = length {
            response.headers_mut().insert(http::header::CONTENT_LENGTH, length);
        }
        if let Ok(v) = HeaderValue::from_str(request_id) {
            response.headers_mut().insert(REQUEST_ID_HEADER, v);
        }
        response
    }
}

fn error_response(request_id: &str, status: u16, code: &str, body: &serde_json::Value) -> Response {
    let mut b = ResponseBuilder::new(status);
    b.error_type(code);
    b.json_body(body);
    b.build(request_id)
}

/// The response for a rejected request.
pub fn rejection_response(request_id: &str, rejection: &Rejection) -> Response {
    let (status, code, message) = rejection.parts();
    error_response(request_id, status, code, &serde_json::json!({ "message": message }))
}

/// The response for a request whose input could not be read: a constraint violation found
/// while reading (`Rejection::Invalid`) is answered as the operation answers violations,
/// anything else as [`rejection_response`] does.
pub fn input_rejection_response(request_id: &str, rejection: &Rejection, shape: ValidationShape) -> Response {
    match rejection {
        Rejection::Invalid(e) => validation_response(request_id, e, shape),
        other => rejection_response(request_id, other),
    }
}

/// The response for an error the model does not describe: its own status and code when the
/// handler gave them, else 500 `InternalFailure`.
pub fn unhandled_response(request_id: &str, error: &Unhandled) -> Response {
    let meta = error.meta();
    let status = meta.status().filter(|s| (400..600).contains(s)).unwrap_or(500);
    let code = meta.code().unwrap_or("InternalFailure");
    let message = meta.message().map_or_else(|| "the server failed to handle the request".to_owned(), str::to_owned);
    error_response(request_id, status, code, &serde_json::json!({ "message": message }))
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

/// The 400 response for a request whose input violates the model's constraints, or (for a
/// value the model cannot describe, such as an unknown union member) is malformed.
pub fn validation_response(request_id: &str, error: &ValidationError, shape: ValidationShape) -> Response {
    if let Some(malformed) = error.malformed() {
        return rejection_response(request_id, &Rejection::Malformed(malformed.message.clone()));
    }
    let message = error.to_string();
    let field_list = || {
        let list: Vec<serde_json::Value> =
            error.violations().iter().map(|v| serde_json::json!({ "path": v.path, "message": v.message })).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_type_member_wins_over_the_payload_default() {
        let mut response = ResponseBuilder::new(200);
        response.header("content-type", Some(&"image/jpg".to_owned()), Format::HttpDate);
        response.blob_body(Some(&Blob::new(b"1234".to_vec())), "application/octet-stream");
        assert_eq!(response.build("id").headers()[CONTENT_TYPE], "image/jpg");

        let mut response = ResponseBuilder::new(200);
        response.json_body(&serde_json::json!({}));
        assert_eq!(response.build("id").headers()[CONTENT_TYPE], "application/json");
    }
}

//! Writing responses: outputs, modeled errors, validation failures and rejections, all
//! AWS-shaped (`X-Amzn-ErrorType`, a JSON body with a message, `x-amzn-RequestId`).

use std::collections::HashMap;

use axum::body::Body;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use super::Response;
use crate::Blob;
use crate::binding::header_list;
use crate::error::REQUEST_ID;
use crate::text::TextValue;
use crate::timestamp::Format;

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

    /// A header the protocol writes itself (an error code, say).
    pub fn protocol_header(&mut self, name: &str, value: &str) {
        self.insert(name, value);
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

    /// A JSON body: a payload member's value.
    pub fn json_body<T: crate::json::ToJson + ?Sized>(&mut self, body: &T) {
        let mut writer = crate::json::JsonWriter::new();
        body.to_json(&mut writer);
        self.written_json_body(writer);
    }

    /// A JSON body already written (the members bound to the body, written by generated code).
    pub fn written_json_body(&mut self, body: crate::json::JsonWriter) {
        match body.finish() {
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
            // A bare 500: which protocol's error shape to use is not known here.
            let mut response = http::Response::new(Body::empty());
            *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
            if let Ok(v) = HeaderValue::from_str(request_id) {
                response.headers_mut().insert(REQUEST_ID, v);
            }
            return response;
        }
        let (body, length) = match self.stream {
            Some(stream) => (Body::from_stream(stream), None),
            None => {
                let length = content_length(self.body.len());
                (Body::from(self.body), Some(length))
            }
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
            response.headers_mut().insert(REQUEST_ID, v);
        }
        response
    }
}

/// A `Content-Length` value: `0` without allocating, any other length in one allocation
/// (`HeaderValue::from(usize)` makes two).
fn content_length(len: usize) -> HeaderValue {
    if len == 0 {
        return HeaderValue::from_static("0");
    }
    HeaderValue::from_bytes(itoa::Buffer::new().format(len).as_bytes()).unwrap_or_else(|_| HeaderValue::from(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_lengths_read_as_the_number() {
        for len in [0, 1, 9, 10, 539, 1 << 20, usize::MAX] {
            assert_eq!(content_length(len), HeaderValue::from(len), "{len}");
        }
    }

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

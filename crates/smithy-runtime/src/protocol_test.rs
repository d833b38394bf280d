//! Assertions for Smithy's protocol compliance tests (feature `protocol-test`).
//!
//! Generated tests describe what a case expects as data ([`ExpectedRequest`],
//! [`ExpectedResponse`], [`ExpectedMalformed`]) and call the checks here, so the rules of the
//! `smithy.test` traits are written once: headers by case-insensitive name and exact value,
//! query parameters as sent (still percent-encoded), bodies compared by media type (JSON as
//! values, where `1` and `1.0` are the same number; anything else byte for byte), and modeled
//! values compared through their wire form, where `NaN` equals `NaN` as Smithy's tests expect.
//! Each check reports every mismatch at once.

use std::fmt::Write as _;

use bytes::Bytes;
use serde_json::Value;

/// What a request must look like (`smithy.test#httpRequestTests`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpectedRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, without the query string, as sent.
    pub uri: &'a str,
    /// The host the request must go to, when the case says.
    pub host: Option<&'a str>,
    /// `key=value` (or `key`) pairs that must be in the query string, as sent.
    pub query_params: &'a [&'a str],
    /// Query keys that must be absent.
    pub forbid_query_params: &'a [&'a str],
    /// Query keys that must be present.
    pub require_query_params: &'a [&'a str],
    /// Headers and their exact values.
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present.
    pub require_headers: &'a [&'a str],
    /// The body, when the case says.
    pub body: Option<&'a str>,
    /// The body's media type, which decides how it is compared.
    pub body_media_type: Option<&'a str>,
}

/// What a response must look like (`smithy.test#httpResponseTests`, server side).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpectedResponse<'a> {
    /// The status code.
    pub code: u16,
    /// Headers and their exact values.
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present.
    pub require_headers: &'a [&'a str],
    /// The body, when the case says.
    pub body: Option<&'a str>,
    /// The body's media type, which decides how it is compared.
    pub body_media_type: Option<&'a str>,
}

/// How a malformed request must be answered (`smithy.test#httpMalformedRequestTests`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpectedMalformed<'a> {
    /// The status code.
    pub code: u16,
    /// Headers and their exact values.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body's media type and assertion, when the case has one.
    pub body: Option<(&'a str, BodyAssertion<'a>)>,
}

/// How a malformed request's response body is checked.
#[derive(Clone, Copy, Debug)]
pub enum BodyAssertion<'a> {
    /// The whole body, compared by media type.
    Contents(&'a str),
    /// A regular expression that must match the body's `message` (or `Message`).
    MessageRegex(&'a str),
}

/// Collects mismatches and panics once with all of them.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    fn push(&mut self, text: String) {
        self.0.push(text);
    }

    fn finish(self, what: &str, shown: impl FnOnce() -> String) {
        if self.0.is_empty() {
            return;
        }
        let mut message = format!("the {what} does not match the test case:\n");
        for m in &self.0 {
            let _ = writeln!(message, "  - {m}");
        }
        let _ = write!(message, "the {what} was:\n{}", shown());
        panic!("{message}");
    }
}

fn header_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> =
        headers.get_all(name).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect();
    if values.is_empty() { None } else { Some(values.join(", ")) }
}

fn check_headers(
    m: &mut Mismatches,
    actual: &http::HeaderMap,
    headers: &[(&str, &str)],
    forbid: &[&str],
    require: &[&str],
) {
    for (name, expected) in headers {
        match header_value(actual, name) {
            None => m.push(format!("header `{name}` is missing (expected `{expected}`)")),
            Some(v) if v != *expected => m.push(format!("header `{name}` is `{v}`, expected `{expected}`")),
            Some(_) => {}
        }
    }
    for name in forbid {
        if let Some(v) = header_value(actual, name) {
            m.push(format!("header `{name}` must be absent, found `{v}`"));
        }
    }
    for name in require {
        if header_value(actual, name).is_none() {
            m.push(format!("header `{name}` is required"));
        }
    }
}

fn show_headers(headers: &http::HeaderMap) -> String {
    let mut out = String::new();
    for (k, v) in headers {
        let _ = writeln!(out, "  {k}: {}", String::from_utf8_lossy(v.as_bytes()));
    }
    out
}

fn show_body(body: &[u8]) -> String {
    match std::str::from_utf8(body) {
        Ok(text) => format!("  body: {text:?}"),
        Err(_) => format!("  body: {} bytes, not UTF-8: {body:?}", body.len()),
    }
}

/// Compares a body with the case's, by media type. JSON is compared as values; a case body of
/// `""` means no body at all.
fn check_body(m: &mut Mismatches, actual: &[u8], expected: &str, media_type: Option<&str>) {
    if expected.is_empty() {
        if !actual.is_empty() {
            m.push(format!("the body must be empty, found {}", show_body(actual).trim_start()));
        }
        return;
    }
    let is_json = media_type.is_some_and(|t| t == "application/json" || t.ends_with("+json"));
    if is_json {
        let expected: Value = match serde_json::from_str(expected) {
            Ok(v) => v,
            Err(e) => {
                m.push(format!("the test case's JSON body does not parse: {e}"));
                return;
            }
        };
        match serde_json::from_slice::<Value>(actual) {
            Ok(actual) => {
                if let Some(diff) = json_difference(&expected, &actual, "") {
                    m.push(format!("the JSON body differs: {diff}"));
                }
            }
            Err(e) => m.push(format!("the body is not JSON ({e}); expected {expected}")),
        }
    } else if actual != expected.as_bytes() {
        m.push(format!("the body differs: expected {expected:?}"));
    }
}

/// The first difference between two JSON values (`None` when equal). Numbers are equal when
/// they are the same number (`1` and `1.0`), objects whatever their key order.
pub fn json_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    let at = |p: &str| if p.is_empty() { "the top level".to_owned() } else { format!("`{p}`") };
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), ..) => x == y,
                (.., Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| format!("at {}: expected {a}, found {b}", at(path)))
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                match b.get(k) {
                    None => return Some(format!("`{child}` is missing (expected {v})")),
                    Some(w) => {
                        if let Some(d) = json_difference(v, w, &child) {
                            return Some(d);
                        }
                    }
                }
            }
            b.keys().find(|k| !a.contains_key(*k)).map(|k| {
                format!(
                    "`{}` is not expected (found {})",
                    if path.is_empty() { k.clone() } else { format!("{path}.{k}") },
                    b[k]
                )
            })
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("at {}: expected {} items, found {}", at(path), a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(i, (v, w))| json_difference(v, w, &format!("{path}[{i}]")))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("at {}: expected {a}, found {b}", at(path))),
    }
}

/// Checks a request the client sent against a case.
pub fn assert_request(request: &http::Request<Bytes>, expected: &ExpectedRequest<'_>) {
    let mut m = Mismatches::default();
    if request.method().as_str() != expected.method {
        m.push(format!("the method is `{}`, expected `{}`", request.method(), expected.method));
    }
    if request.uri().path() != expected.uri {
        m.push(format!("the path is `{}`, expected `{}`", request.uri().path(), expected.uri));
    }
    if let Some(host) = expected.host {
        let actual = request.uri().authority().map(|a| a.as_str()).unwrap_or("");
        if actual != host {
            m.push(format!("the host is `{actual}`, expected `{host}`"));
        }
    }
    let query: Vec<&str> = request.uri().query().unwrap_or("").split('&').filter(|p| !p.is_empty()).collect();
    let key_of = |pair: &str| pair.split_once('=').map_or(pair, |(k, _)| k).to_owned();
    for wanted in expected.query_params {
        if !query.contains(wanted) {
            m.push(format!("query parameter `{wanted}` is missing"));
        }
    }
    for key in expected.forbid_query_params {
        if query.iter().any(|p| key_of(p) == *key) {
            m.push(format!("query parameter `{key}` must be absent"));
        }
    }
    for key in expected.require_query_params {
        if !query.iter().any(|p| key_of(p) == *key) {
            m.push(format!("query parameter `{key}` is required"));
        }
    }
    check_headers(&mut m, request.headers(), expected.headers, expected.forbid_headers, expected.require_headers);
    if let Some(body) = expected.body {
        check_body(&mut m, request.body(), body, expected.body_media_type);
    }
    m.finish("request", || {
        format!(
            "  {} {}\n{}{}",
            request.method(),
            request.uri(),
            show_headers(request.headers()),
            show_body(request.body())
        )
    });
}

/// Checks a response the server wrote against a case.
pub fn assert_response(response: &http::Response<Bytes>, expected: &ExpectedResponse<'_>) {
    let mut m = Mismatches::default();
    if response.status().as_u16() != expected.code {
        m.push(format!("the status is {}, expected {}", response.status().as_u16(), expected.code));
    }
    check_headers(&mut m, response.headers(), expected.headers, expected.forbid_headers, expected.require_headers);
    if let Some(body) = expected.body {
        check_body(&mut m, response.body(), body, expected.body_media_type);
    }
    m.finish("response", || show_response(response));
}

fn show_response(response: &http::Response<Bytes>) -> String {
    format!("  {}\n{}{}", response.status(), show_headers(response.headers()), show_body(response.body()))
}

/// Checks the server's answer to a malformed request against a case.
pub fn assert_malformed(response: &http::Response<Bytes>, expected: &ExpectedMalformed<'_>) {
    let mut m = Mismatches::default();
    if response.status().as_u16() != expected.code {
        m.push(format!("the status is {}, expected {}", response.status().as_u16(), expected.code));
    }
    check_headers(&mut m, response.headers(), expected.headers, &[], &[]);
    match expected.body {
        None => {}
        Some((media_type, BodyAssertion::Contents(contents))) => {
            check_body(&mut m, response.body(), contents, Some(media_type));
        }
        Some((_, BodyAssertion::MessageRegex(pattern))) => {
            let message = serde_json::from_slice::<Value>(response.body())
                .ok()
                .and_then(|v| v.get("message").or_else(|| v.get("Message")).and_then(Value::as_str).map(str::to_owned));
            match (message, regex::Regex::new(pattern)) {
                (_, Err(e)) => m.push(format!("the test case's message regex does not compile: {e}")),
                (None, _) => m.push("the body has no `message`".into()),
                (Some(text), Ok(re)) if !re.is_match(&text) => {
                    m.push(format!("the message `{text}` does not match `{pattern}`"))
                }
                _ => {}
            }
        }
    }
    m.finish("response", || show_response(response));
}

/// Asserts that two modeled values are the same, comparing their JSON wire forms: `NaN`
/// equals `NaN`, maps compare whatever their order, and the difference is named by its path.
pub fn assert_same<T: crate::json::ToJson + std::fmt::Debug>(expected: &T, actual: &T) {
    let as_json = |v: &T| {
        crate::json::to_body(v)
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes))
            .unwrap_or_else(|e| panic!("cannot compare {v:?}: {e}"))
    };
    let (e, a) = (as_json(expected), as_json(actual));
    if let Some(diff) = json_difference(&e, &a, "") {
        panic!("the value differs from the test case's: {diff}\nexpected: {expected:#?}\nactual: {actual:#?}");
    }
}

/// A response as a test case describes it.
pub fn http_response(code: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::copy_from_slice(body.as_bytes()));
    *response.status_mut() = http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        match (http::HeaderName::from_bytes(k.as_bytes()), http::HeaderValue::from_str(v)) {
            (Ok(k), Ok(v)) => {
                response.headers_mut().append(k, v);
            }
            _ => panic!("the test case's header `{k}: {v}` is not valid HTTP"),
        }
    }
    response
}

/// The client side: a client config that sends nowhere.
#[cfg(feature = "test-util")]
pub mod client {
    use crate::client::test_util::CaptureConnector;
    use crate::client::{Config, Credentials, retry::RetryConfig};

    /// The idempotency token protocol tests expect when a case leaves a token member unset.
    pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

    /// A config for a request case: `endpoint` (`https://` and the case's host), fixed
    /// credentials and region, the fixed idempotency token, no retries, and `connector`
    /// recording what would be sent.
    pub fn config(endpoint: &str, connector: CaptureConnector) -> Config {
        Config::builder()
            .endpoint_url(endpoint)
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKIDPROTOCOLTEST", "protocol-test-secret", None, None, "test"))
            .http_connector(connector)
            .idempotency_token_provider(IDEMPOTENCY_TOKEN)
            .retry_config(RetryConfig::disabled())
            .build()
    }
}

/// The server side: requests as cases describe them, a router to run them through, and a
/// recorder of what the handler was given.
#[cfg(feature = "server")]
pub mod server {
    use std::any::Any;
    use std::sync::{Arc, Mutex};

    use bytes::Bytes;

    /// A request as a test case describes it: method, path, query parameters (`key=value`, as
    /// sent), headers and body.
    pub fn request(
        method: &str,
        uri: &str,
        query: &[&str],
        headers: &[(&str, &str)],
        body: &str,
    ) -> http::Request<axum::body::Body> {
        let target = if query.is_empty() { uri.to_owned() } else { format!("{uri}?{}", query.join("&")) };
        let mut builder = http::Request::builder().method(method).uri(&target);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap_or_else(|e| panic!("the test case's request `{method} {target}` is not valid HTTP: {e}"))
    }

    /// Runs `request` through `router` and reads the whole response.
    pub async fn serve(router: axum::Router, request: http::Request<axum::body::Body>) -> http::Response<Bytes> {
        use tower::ServiceExt as _;
        let response = match router.oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        read(response).await
    }

    /// Reads a response's whole body.
    pub async fn read(response: http::Response<axum::body::Body>) -> http::Response<Bytes> {
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_else(|e| panic!("the response body could not be read: {e}"));
        http::Response::from_parts(parts, bytes)
    }

    /// An operation's name and the input its handler was called with.
    type Seen = Option<(&'static str, Box<dyn Any + Send>)>;

    /// What a handler was called with: the operation and its input.
    #[derive(Clone, Default)]
    pub struct Recorder {
        seen: Arc<Mutex<Seen>>,
    }

    impl std::fmt::Debug for Recorder {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            f.debug_struct("Recorder").field("operation", &seen.as_ref().map(|(op, _)| *op)).finish()
        }
    }

    impl Recorder {
        /// Records that `operation` was called with `input`.
        pub fn record<T: Any + Send>(&self, operation: &'static str, input: T) {
            *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some((operation, Box::new(input)));
        }

        /// The input `operation` was called with; panics, showing the response, when the
        /// handler was not reached or another operation was.
        pub fn take<T: Any>(&self, operation: &str, response: &http::Response<Bytes>) -> T {
            let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner()).take();
            match seen {
                Some((op, input)) if op == operation => match input.downcast::<T>() {
                    Ok(input) => *input,
                    Err(_) => panic!("the handler of `{operation}` recorded an input of another type"),
                },
                Some((op, _)) => panic!("the request reached `{op}`, not `{operation}`"),
                None => panic!(
                    "the request did not reach the handler of `{operation}`; the server answered:\n{}",
                    super::show_response(response)
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_compare_as_numbers_and_unordered_objects() {
        let a: Value = serde_json::from_str(r#"{"a": 1, "b": [1.0, "x"], "c": {"d": null}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"c": {"d": null}, "b": [1, "x"], "a": 1.0}"#).unwrap();
        assert_eq!(json_difference(&a, &b, ""), None);
        let c: Value = serde_json::from_str(r#"{"a": 1, "b": [1.0, "y"], "c": {"d": null}}"#).unwrap();
        assert!(json_difference(&a, &c, "").unwrap().contains("`b[1]`"));
        let d: Value = serde_json::from_str(r#"{"a": 1, "b": [1.0, "x"], "c": {"d": null}, "e": 2}"#).unwrap();
        assert!(json_difference(&a, &d, "").unwrap().contains("`e` is not expected"));
    }

    fn request() -> http::Request<Bytes> {
        http::Request::builder()
            .method("POST")
            .uri("https://example.com/path/a%2Fb?x=1&flag&y=a%20b")
            .header("X-Foo", "a, b")
            .header("content-type", "application/json")
            .body(Bytes::from_static(br#"{"n": 1.0}"#))
            .unwrap()
    }

    #[test]
    fn a_matching_request_passes() {
        assert_request(
            &request(),
            &ExpectedRequest {
                method: "POST",
                uri: "/path/a%2Fb",
                host: Some("example.com"),
                query_params: &["x=1", "flag", "y=a%20b"],
                forbid_query_params: &["z"],
                require_query_params: &["x"],
                headers: &[("x-foo", "a, b")],
                forbid_headers: &["x-bar"],
                require_headers: &["Content-Type"],
                body: Some(r#"{"n": 1}"#),
                body_media_type: Some("application/json"),
            },
        );
    }

    #[test]
    fn every_mismatch_is_reported() {
        let failure = std::panic::catch_unwind(|| {
            assert_request(
                &request(),
                &ExpectedRequest {
                    method: "PUT",
                    uri: "/path/a/b",
                    query_params: &["x=2"],
                    forbid_query_params: &["flag"],
                    headers: &[("x-foo", "a,b")],
                    body: Some(r#"{"n": 2}"#),
                    body_media_type: Some("application/json"),
                    ..ExpectedRequest::default()
                },
            )
        })
        .unwrap_err();
        let message = failure.downcast_ref::<String>().unwrap();
        for part in [
            "method is `POST`",
            "path is `/path/a%2Fb`",
            "`x=2` is missing",
            "`flag` must be absent",
            "`x-foo` is `a, b`",
            "expected 2, found 1.0",
        ] {
            assert!(message.contains(part), "{part} not in {message}");
        }
    }

    #[test]
    fn nan_equals_nan_in_values() {
        assert_same(&vec![f64::NAN], &vec![f64::NAN]);
        assert!(std::panic::catch_unwind(|| assert_same(&vec![f64::NAN], &vec![1.0])).is_err());
    }

    #[test]
    fn malformed_responses_by_contents_and_regex() {
        let response =
            http_response(400, &[("x-amzn-errortype", "ValidationException")], r#"{"message": "bad value at '/a'"}"#);
        assert_malformed(
            &response,
            &ExpectedMalformed {
                code: 400,
                headers: &[("X-Amzn-Errortype", "ValidationException")],
                body: Some(("application/json", BodyAssertion::Contents(r#"{ "message" : "bad value at '/a'" }"#))),
            },
        );
        assert_malformed(
            &response,
            &ExpectedMalformed {
                code: 400,
                headers: &[],
                body: Some(("application/json", BodyAssertion::MessageRegex("^bad .*'/a'$"))),
            },
        );
        assert!(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| assert_malformed(
                &response,
                &ExpectedMalformed {
                    code: 400,
                    headers: &[],
                    body: Some(("application/json", BodyAssertion::MessageRegex("^good")))
                },
            )))
            .is_err()
        );
    }
}

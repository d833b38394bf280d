//! The client side: building requests from inputs, sending them, reading responses.
//!
//! Generated client code describes the service ([`ServiceInfo`]) and each operation
//! ([`OperationInfo`]), serialises an input with [`RequestBuilder`], and parses the response with
//! the helpers here; [`Handle::call`] does everything in between: endpoint, headers, sending,
//! reading the body, and turning each failure into the right [`SdkError`].

mod config;
mod error;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;

pub use crate::error::CreateUnhandledError;
pub use config::{Builder as ConfigBuilder, Config, DEFAULT_CONNECT_TIMEOUT, Region};
pub use error::{ConstructionFailure, DispatchFailure, ResponseError, SdkError, ServiceError, TimeoutError};

use crate::blob::Blob;
use crate::datetime::Format;
use crate::error::{BoxError, boxed};
use crate::http::{BindingError, header_list, parse_header_list};
use crate::text::{TextError, TextValue};

/// A request as generated code builds it: method, path and query, headers, body.
pub type HttpRequest = http::Request<Bytes>;
/// A response with its whole body read.
pub type HttpResponse = http::Response<Bytes>;

/// What generated code tells the runtime about the service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// `aws.api#service` sdkId.
    pub sdk_id: &'static str,
    /// The SigV4 signing name.
    pub signing_name: Option<&'static str>,
    /// The endpoint prefix (`connect` in `connect.us-east-1.amazonaws.com`).
    pub endpoint_prefix: Option<&'static str>,
    /// The API version.
    pub api_version: Option<&'static str>,
    /// The generated client crate's name, for the `User-Agent`.
    pub crate_name: &'static str,
    /// The generated client crate's version, for the `User-Agent`.
    pub crate_version: &'static str,
}

/// What generated code tells the runtime about an operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The operation name.
    pub name: &'static str,
    /// Its service.
    pub service: &'static ServiceInfo,
}

/// Why a response did not parse: the service said no, or the response made no sense.
#[derive(Debug)]
pub enum ParseFailure<E> {
    /// A service error, modeled or not.
    Service(E),
    /// The response could not be read.
    Response(BoxError),
}

impl<E> From<crate::json::BodyError> for ParseFailure<E> {
    fn from(e: crate::json::BodyError) -> Self {
        ParseFailure::Response(Arc::new(e))
    }
}

impl<E> From<ResponseHeaderError> for ParseFailure<E> {
    fn from(e: ResponseHeaderError) -> Self {
        ParseFailure::Response(Arc::new(e))
    }
}

impl<E> From<crate::error::BuildError> for ParseFailure<E> {
    fn from(e: crate::error::BuildError) -> Self {
        ParseFailure::Response(Arc::new(e))
    }
}

/// Builds an [`HttpRequest`].
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    uri: String,
    headers: http::HeaderMap,
    body: Bytes,
}

fn header_value(member: &'static str, text: &str) -> Result<HeaderValue, BindingError> {
    HeaderValue::from_str(text).map_err(|_| BindingError::new(member, "contains characters a header cannot carry"))
}

fn header_name(member: &'static str, name: &str) -> Result<HeaderName, BindingError> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| BindingError::new(member, format!("cannot be sent as header `{name}`")))
}

impl RequestBuilder {
    /// A request with this method and path (and query).
    pub fn new(method: &'static str, uri: String) -> Self {
        RequestBuilder { method, uri, headers: http::HeaderMap::new(), body: Bytes::new() }
    }

    /// An `@httpHeader` member.
    pub fn header<T: TextValue>(
        &mut self,
        member: &'static str,
        name: &'static str,
        value: Option<&T>,
        format: Format,
    ) -> Result<(), BindingError> {
        if let Some(value) = value {
            let v = header_value(member, &value.to_text(format))?;
            self.headers.insert(header_name(member, name)?, v);
        }
        Ok(())
    }

    /// An `@httpHeader` list member.
    pub fn header_list<T: TextValue>(
        &mut self,
        member: &'static str,
        name: &'static str,
        values: Option<&[T]>,
        format: Format,
    ) -> Result<(), BindingError> {
        if let Some(values) = values {
            let v = header_value(member, &header_list(values, format))?;
            self.headers.insert(header_name(member, name)?, v);
        }
        Ok(())
    }

    /// An `@httpPrefixHeaders` member.
    pub fn prefix_headers(
        &mut self,
        member: &'static str,
        prefix: &'static str,
        values: Option<&HashMap<String, String>>,
    ) -> Result<(), BindingError> {
        let mut entries: Vec<_> = values.into_iter().flatten().collect();
        entries.sort();
        for (k, v) in entries {
            let name = header_name(member, &format!("{prefix}{k}"))?;
            self.headers.insert(name, header_value(member, v)?);
        }
        Ok(())
    }

    /// A JSON body.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, member: &'static str, body: &T) -> Result<(), BindingError> {
        let bytes = crate::json::to_body(body)
            .map_err(|e| BindingError::new(member, format!("cannot be written as JSON: {e}")))?;
        self.body = Bytes::from(bytes);
        self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static("application/json"));
        Ok(())
    }

    /// A blob `@httpPayload`. Like the other body setters, it keeps a `Content-Type` that an
    /// `@httpHeader("Content-Type")` member has set.
    pub fn blob_body(&mut self, value: Option<&Blob>, content_type: &'static str) {
        if let Some(b) = value {
            self.body = Bytes::copy_from_slice(b.as_ref());
            self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
        }
    }

    /// A string `@httpPayload`.
    pub fn text_body(&mut self, value: Option<&str>, content_type: &'static str) {
        if let Some(s) = value {
            self.body = Bytes::copy_from_slice(s.as_bytes());
            self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
        }
    }

    /// The request.
    pub fn build(self) -> Result<HttpRequest, BindingError> {
        let mut req = http::Request::builder()
            .method(self.method)
            .uri(&self.uri)
            .body(self.body)
            .map_err(|e| BindingError::new("uri", format!("is not a valid request target: {e}")))?;
        *req.headers_mut() = self.headers;
        Ok(req)
    }
}

/// A response header that does not parse.
#[derive(Debug)]
pub struct ResponseHeaderError {
    name: String,
    source: TextError,
}

impl fmt::Display for ResponseHeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid header `{}`: {}", self.name, self.source)
    }
}

impl std::error::Error for ResponseHeaderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn header_text<'r>(resp: &'r HttpResponse, name: &str) -> Result<Option<&'r str>, ResponseHeaderError> {
    match resp.headers().get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| ResponseHeaderError {
            name: name.to_owned(),
            source: TextError::new("visible ASCII", "(binary)"),
        }),
    }
}

/// Reads an `@httpHeader` member of a response.
pub fn response_header<T: TextValue>(
    resp: &HttpResponse,
    name: &str,
    format: Format,
) -> Result<Option<T>, ResponseHeaderError> {
    match header_text(resp, name)? {
        None => Ok(None),
        Some(text) => T::from_text(text.trim(), format)
            .map(Some)
            .map_err(|source| ResponseHeaderError { name: name.to_owned(), source }),
    }
}

/// Reads an `@httpHeader` list member of a response (repeated headers are joined).
pub fn response_header_list<T: TextValue>(
    resp: &HttpResponse,
    name: &str,
    format: Format,
) -> Result<Option<Vec<T>>, ResponseHeaderError> {
    let values: Vec<&str> = resp.headers().get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        return Ok(None);
    }
    parse_header_list(&values.join(", "), format)
        .map(Some)
        .map_err(|source| ResponseHeaderError { name: name.to_owned(), source })
}

/// Reads an `@httpPrefixHeaders` member of a response.
pub fn response_prefix_headers(resp: &HttpResponse, prefix: &str) -> Option<HashMap<String, String>> {
    let map: HashMap<String, String> = resp
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().strip_prefix(prefix)?.to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    if map.is_empty() { None } else { Some(map) }
}

/// Reads a JSON body (an empty body is `{}`).
pub fn response_json<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T, crate::json::BodyError> {
    crate::json::from_body(resp.body())
}

/// A fresh idempotency token (a random UUID), for `@idempotencyToken` members left unset.
pub fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A request that could not be turned into a full URL.
#[derive(Debug)]
struct EndpointError(String);

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

/// A client's shared state: its config, its HTTP client and what it calls.
#[derive(Debug)]
pub struct Handle {
    config: Config,
    http: Result<reqwest::Client, Arc<reqwest::Error>>,
    service: &'static ServiceInfo,
}

/// Makes sure rustls has a crypto provider (ring): reqwest is built without one so that no
/// C toolchain beyond a compiler (no cmake, no OpenSSL) is needed. An app that installed its
/// own provider keeps it.
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing the race to another thread installing one is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

impl Handle {
    /// A handle for `service` with `config`.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Self {
        let http = match config.http_client() {
            Some(c) => Ok(c.clone()),
            None => {
                ensure_crypto_provider();
                reqwest::Client::builder().connect_timeout(config.connect_timeout()).build().map_err(Arc::new)
            }
        };
        Handle { config, http, service }
    }

    /// The config.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The base URL requests go to.
    fn endpoint(&self, config: &Config) -> Result<String, EndpointError> {
        if let Some(url) = config.endpoint_url() {
            let url = url.trim_end_matches('/');
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(EndpointError(format!("endpoint_url `{url}` must start with http:// or https://")));
            }
            return Ok(url.to_owned());
        }
        let region = config.region().ok_or_else(|| {
            EndpointError(
                "no region is configured: set `region` (e.g. \"us-east-1\") or `endpoint_url` on the config".into(),
            )
        })?;
        // TODO(issue 3): resolve with the model's endpoint rule set (FIPS, dual-stack, partitions).
        let prefix = self.service.endpoint_prefix.unwrap_or(self.service.sdk_id);
        Ok(format!("https://{prefix}.{region}.amazonaws.com"))
    }

    fn user_agent(&self, config: &Config) -> String {
        let mut ua = format!("{}/{}", self.service.crate_name, self.service.crate_version);
        if let Some(app) = config.app_name() {
            ua.push_str(" app/");
            ua.push_str(app);
        }
        ua
    }

    /// Runs one call: sends the serialised request, reads the whole response and parses it.
    pub async fn call<O, E>(
        &self,
        operation: &'static OperationInfo,
        config_override: Option<&ConfigBuilder>,
        request: Result<HttpRequest, BindingError>,
        parse: fn(&HttpResponse) -> Result<O, ParseFailure<E>>,
    ) -> Result<O, SdkError<E>> {
        let merged;
        let config = match config_override {
            Some(o) => {
                merged = self.config.merged_with(o);
                &merged
            }
            None => &self.config,
        };
        let span = tracing::debug_span!("call", service = operation.service.sdk_id, operation = operation.name);
        self.attempt(config, request, parse).instrument(span).await
    }

    async fn attempt<O, E>(
        &self,
        config: &Config,
        request: Result<HttpRequest, BindingError>,
        parse: fn(&HttpResponse) -> Result<O, ParseFailure<E>>,
    ) -> Result<O, SdkError<E>> {
        let request = request.map_err(|e| SdkError::construction_failure(boxed(e)))?;
        let base = self.endpoint(config).map_err(|e| SdkError::construction_failure(boxed(e)))?;
        let http = self.http.as_ref().map_err(|e| SdkError::construction_failure(e.clone() as BoxError))?;
        let (parts, body) = request.into_parts();
        let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let url = format!("{base}{path_and_query}");
        let mut builder = http.request(parts.method.clone(), &url).headers(parts.headers).body(body);
        builder = builder.header(USER_AGENT, self.user_agent(config));
        tracing::debug!(method = %parts.method, path = %parts.uri.path(), "sending request");
        let response = builder.send().await.map_err(|e| {
            if e.is_timeout() { SdkError::timeout_error(boxed(e)) } else { SdkError::dispatch_failure(boxed(e)) }
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        let version = response.version();
        let bytes = response.bytes().await.map_err(|e| {
            if e.is_timeout() { SdkError::timeout_error(boxed(e)) } else { SdkError::dispatch_failure(boxed(e)) }
        })?;
        let mut raw = http::Response::new(bytes);
        *raw.status_mut() = status;
        *raw.headers_mut() = headers;
        *raw.version_mut() = version;
        tracing::debug!(status = status.as_u16(), "received response");
        match parse(&raw) {
            Ok(output) => Ok(output),
            Err(ParseFailure::Service(e)) => Err(SdkError::service_error(e, raw)),
            Err(ParseFailure::Response(e)) => Err(SdkError::response_error(e, raw)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_type_member_wins_over_the_payload_default() {
        let mut request = RequestBuilder::new("POST", "/blob".into());
        request.header("contentType", "content-type", Some(&"image/jpg".to_owned()), Format::HttpDate).unwrap();
        request.blob_body(Some(&Blob::new(b"1234".to_vec())), "application/octet-stream");
        let built = request.build().unwrap();
        assert_eq!(built.headers()[CONTENT_TYPE], "image/jpg");
        assert_eq!(built.body().as_ref(), b"1234");

        let mut request = RequestBuilder::new("PUT", "/text".into());
        request.text_body(Some("hi"), "text/plain");
        assert_eq!(request.build().unwrap().headers()[CONTENT_TYPE], "text/plain");
    }
}

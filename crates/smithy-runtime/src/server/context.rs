//! [`RequestContext`]: what a handler may know about a request beyond its modeled input — the
//! request id, method, URI, headers, and whatever tower layers put in the request's extensions
//! (a verified caller identity, say). Handlers that only need the input never see it.

use std::fmt;

use http::{HeaderMap, Method, Uri};

/// Headers whose values are secrets: shown as redacted in `Debug`.
const SECRET_HEADERS: &[&str] = &["authorization", "x-amz-security-token", "cookie", "proxy-authorization"];

/// A request as a handler sees it, beside the input.
#[derive(Clone)]
pub struct RequestContext {
    request_id: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    extensions: http::Extensions,
}

impl RequestContext {
    /// A context from a request head.
    pub fn new(request_id: String, parts: &http::request::Parts) -> Self {
        RequestContext {
            request_id,
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
            extensions: parts.extensions.clone(),
        }
    }

    /// The request id the response will carry.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request URI (path and query).
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The request headers, secrets included: do not log them.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// What tower layers attached to the request.
    pub fn extensions(&self) -> &http::Extensions {
        &self.extensions
    }

    /// The access key id of a SigV4 `Authorization` header (`Credential=AKID/date/region/...`),
    /// read without verifying the signature.
    pub fn access_key_id(&self) -> Option<&str> {
        access_key_id(&self.headers)
    }
}

/// The access key id of a SigV4 `Authorization` header, read without verifying the signature.
pub fn access_key_id(headers: &HeaderMap) -> Option<&str> {
    let auth = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256")?;
    let credential = rest.split(',').map(str::trim).find_map(|p| p.strip_prefix("Credential="))?;
    let key = credential.split('/').next()?;
    (!key.is_empty()).then_some(key)
}

impl fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let value = if SECRET_HEADERS.contains(&k.as_str()) {
                    crate::REDACTED.to_owned()
                } else {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                };
                (k.as_str().to_owned(), value)
            })
            .collect();
        f.debug_struct("RequestContext")
            .field("request_id", &self.request_id)
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &headers)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(auth: &str) -> RequestContext {
        let (parts, ()) = http::Request::builder()
            .uri("/user/federate/i")
            .header("authorization", auth)
            .header("x-amz-security-token", "SESSION-SECRET")
            .body(())
            .unwrap()
            .into_parts();
        RequestContext::new("req-1".into(), &parts)
    }

    #[test]
    fn reads_the_access_key_and_hides_secrets() {
        let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/connect/aws4_request, \
                    SignedHeaders=host;x-amz-date, Signature=abcdef0123";
        let ctx = context(auth);
        assert_eq!(ctx.access_key_id(), Some("AKIDEXAMPLE"));
        let debug = format!("{ctx:?}");
        assert!(!debug.contains("abcdef0123") && !debug.contains("SESSION-SECRET"), "{debug}");
        assert!(debug.contains("/user/federate/i"));
        assert_eq!(context("Bearer x").access_key_id(), None);
        assert_eq!(context("AWS4-HMAC-SHA256 Credential=/x").access_key_id(), None);
    }
}

//! [`RequestContext`]: what a handler may know about a request beyond its modeled input — the
//! request id, method, URI, headers, and whatever tower layers put in the request's extensions
//! (a verified caller identity, say). Handlers that only need the input never see it.

use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, Method, Uri};

/// Headers whose values are secrets: shown as redacted in `Debug`.
const SECRET_HEADERS: &[&str] = &["authorization", "x-amz-security-token", "cookie", "proxy-authorization"];

/// A request as a handler sees it, beside the input.
#[derive(Clone)]
pub struct RequestContext {
    /// Shared with the routed request (and the handler's copy), not copied for each.
    request_id: Arc<str>,
    /// The request head, shared with the routed request rather than copied.
    parts: Arc<http::request::Parts>,
}

impl RequestContext {
    /// A context from a request head.
    pub fn new(request_id: String, parts: &http::request::Parts) -> Self {
        let mut copy = http::Request::new(()).into_parts().0;
        copy.method = parts.method.clone();
        copy.uri = parts.uri.clone();
        copy.version = parts.version;
        copy.headers = parts.headers.clone();
        copy.extensions = parts.extensions.clone();
        RequestContext { request_id: request_id.into(), parts: Arc::new(copy) }
    }

    /// A context sharing a routed request's head.
    pub(super) fn shared(request_id: Arc<str>, parts: Arc<http::request::Parts>) -> Self {
        RequestContext { request_id, parts }
    }

    /// The request id the response will carry.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The request URI (path and query).
    pub fn uri(&self) -> &Uri {
        &self.parts.uri
    }

    /// The request headers, secrets included: do not log them.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// What tower layers attached to the request.
    pub fn extensions(&self) -> &http::Extensions {
        &self.parts.extensions
    }

    /// The access key id of a SigV4 `Authorization` header (`Credential=AKID/date/region/...`),
    /// read without verifying the signature.
    pub fn access_key_id(&self) -> Option<&str> {
        access_key_id(&self.parts.headers)
    }
}

/// The access key id of a SigV4 `Authorization` header, read without verifying the signature.
pub fn access_key_id(headers: &HeaderMap) -> Option<&str> {
    access_key_id_of(headers.get(http::header::AUTHORIZATION)?)
}

/// [`access_key_id`] from the value of an `Authorization` header: for a server that meets the
/// header while going through all of them, without looking it up again.
pub fn access_key_id_of(authorization: &http::HeaderValue) -> Option<&str> {
    // On bytes: only the key itself must be text, so the rest of the header (the signature,
    // the signed headers) is not checked byte by byte first.
    let auth = authorization.as_bytes();
    let rest = auth.strip_prefix(b"AWS4-HMAC-SHA256")?;
    // Every SDK writes `Credential=` first: found there, nothing else is split (this runs for
    // every request a mock records); otherwise the components are searched in turn.
    let credential = match rest.trim_ascii_start().strip_prefix(b"Credential=") {
        Some(c) => c,
        None => rest.split(|&b| b == b',').map(<[u8]>::trim_ascii).find_map(|p| p.strip_prefix(b"Credential="))?,
    };
    // The key ends at the scope's first `/`, or with its component (trailing blanks dropped);
    // every byte up to there must be visible ASCII (or a blank), checked in the same pass.
    let mut end = credential.len();
    for (i, &b) in credential.iter().enumerate() {
        if b == b'/' || b == b',' {
            end = i;
            break;
        }
        if !((0x20..0x7f).contains(&b) || b == b'\t') {
            return None;
        }
    }
    let key = match credential.get(end) {
        Some(b'/') => &credential[..end],
        _ => credential[..end].trim_ascii_end(),
    };
    if key.is_empty() {
        return None;
    }
    // The key and all before it read as text in one go when they can be: a check of a few
    // dozen bytes runs a word at a time, one of a key's few bytes runs byte by byte, at about
    // four times the cost.
    let start = key.as_ptr().addr() - auth.as_ptr().addr();
    match std::str::from_utf8(&auth[..start + key.len()]) {
        Ok(text) => text.get(start..),
        Err(_) => std::str::from_utf8(key).ok(),
    }
}

impl fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(String, String)> = self
            .parts
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
            .field("method", &self.parts.method)
            .field("uri", &self.parts.uri)
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
        assert_eq!(context("AWS4-HMAC-SHA256 SignedHeaders=host,  Credential=AK/x").access_key_id(), Some("AK"));
        assert_eq!(context("AWS4-HMAC-SHA256 Credential=AK,Signature=x").access_key_id(), Some("AK"));
        // A key that is not visible ASCII (obs-text) is no key.
        let mut headers = HeaderMap::new();
        let value = http::HeaderValue::from_bytes(b"AWS4-HMAC-SHA256 Credential=A\xe9K/x").unwrap();
        headers.insert(http::header::AUTHORIZATION, value);
        assert_eq!(access_key_id(&headers), None);
        // Blanks before the comma end the component; inside the key they stay.
        assert_eq!(context("AWS4-HMAC-SHA256 Credential=AK ,Signature=x").access_key_id(), Some("AK"));
        assert_eq!(context("AWS4-HMAC-SHA256 Credential=AK /x").access_key_id(), Some("AK "));
    }

    /// The reading before the `Credential=`-first shortcut: every component split and searched.
    fn by_components(auth: &[u8]) -> Option<&str> {
        let rest = auth.strip_prefix(b"AWS4-HMAC-SHA256")?;
        let credential =
            rest.split(|&b| b == b',').map(<[u8]>::trim_ascii).find_map(|p| p.strip_prefix(b"Credential="))?;
        let key = credential.split(|&b| b == b'/').next()?;
        let visible = |b: &u8| (0x20..0x7f).contains(b) || *b == b'\t';
        if key.is_empty() || !key.iter().all(visible) {
            return None;
        }
        std::str::from_utf8(key).ok()
    }

    proptest::proptest! {
        /// The shortcut reads the same key as searching every component, whatever the header.
        #[test]
        fn the_shortcut_reads_what_a_full_search_reads(
            parts in proptest::collection::vec("(Credential=|SignedHeaders=|Signature=| |,|/|\\t|[A-Z]{1,4}|\\PC)", 0..12)
        ) {
            let value = format!("AWS4-HMAC-SHA256 {}", parts.concat());
            if let Ok(header) = http::HeaderValue::from_str(&value) {
                let mut headers = HeaderMap::new();
                headers.insert(http::header::AUTHORIZATION, header);
                proptest::prop_assert_eq!(access_key_id(&headers), by_components(value.as_bytes()));
            }
        }
    }
}

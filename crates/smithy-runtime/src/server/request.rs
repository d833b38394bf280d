//! [`ServerRequest`]: a routed request, with typed access to its bound parts for the generated
//! deserialisers. Every accessor names the member and location in its rejection.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;

use super::Rejection;
use crate::Blob;
use crate::binding::parse_header_list;
use crate::text::TextValue;
use crate::timestamp::Format;

/// A request matched to an operation, its body read.
#[derive(Debug)]
pub struct ServerRequest {
    /// Shared with the handler's [`super::RequestContext`], not copied for it.
    parts: Arc<http::request::Parts>,
    body: Bytes,
    labels: Vec<String>,
    query: Vec<(String, String)>,
    request_id: Arc<str>,
    operation: &'static str,
}

impl ServerRequest {
    pub(super) fn new(
        parts: http::request::Parts,
        body: Bytes,
        labels: Vec<String>,
        query: Vec<(String, String)>,
        request_id: Arc<str>,
        operation: &'static str,
    ) -> Self {
        ServerRequest { parts: Arc::new(parts), body, labels, query, request_id, operation }
    }

    /// The request id the response will carry.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// [`request_id`](Self::request_id), shared rather than copied: a handler keeps it to
    /// write the response once the request is consumed.
    pub fn shared_request_id(&self) -> Arc<str> {
        self.request_id.clone()
    }

    /// The operation the request was routed to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What the handler may know besides the input.
    pub fn context(&self) -> super::RequestContext {
        super::RequestContext::shared(self.request_id.clone(), self.parts.clone())
    }

    /// The request head.
    pub fn parts(&self) -> &http::request::Parts {
        &self.parts
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Reads the operation's input with `parse` (the generated deserialiser), as a server must:
    /// `date-time` values with a UTC offset are refused.
    pub fn parse_input<T>(&self, parse: fn(&ServerRequest) -> Result<T, Rejection>) -> Result<T, Rejection> {
        crate::timestamp::refusing_offsets(|| parse(self))
    }

    /// The value of the `index`th label of the route.
    pub fn label<T: TextValue>(&self, index: usize, member: &str, format: Format) -> Result<T, Rejection> {
        let text =
            self.labels.get(index).ok_or_else(|| Rejection::Malformed(format!("missing URI label `{member}`")))?;
        T::from_text(text, format).map_err(|e| Rejection::Malformed(format!("URI label `{member}`: {e}")))
    }

    /// An `@httpQuery` member: the first value of the parameter.
    pub fn query<T: TextValue>(&self, key: &str, format: Format) -> Result<Option<T>, Rejection> {
        match self.query.iter().find(|(k, _)| k == key) {
            None => Ok(None),
            Some((_, v)) => T::from_text(v, format)
                .map(Some)
                .map_err(|e| Rejection::Malformed(format!("query parameter `{key}`: {e}"))),
        }
    }

    /// An `@httpQuery` list member: every value of the parameter.
    pub fn query_list<T: TextValue>(&self, key: &str, format: Format) -> Result<Option<Vec<T>>, Rejection> {
        let values: Vec<&String> = self.query.iter().filter(|(k, _)| k == key).map(|(_, v)| v).collect();
        if values.is_empty() {
            return Ok(None);
        }
        values
            .into_iter()
            .map(|v| T::from_text(v, format).map_err(|e| Rejection::Malformed(format!("query parameter `{key}`: {e}"))))
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
    }

    /// An `@httpQueryParams` map of strings: the first value of every parameter, those that
    /// `@httpQuery` members are bound to included, as Smithy's protocol tests require of
    /// servers (`RestJsonServersPutAllQueryParamsInMap`).
    pub fn query_params(&self) -> Option<HashMap<String, String>> {
        let mut map = HashMap::new();
        for (k, v) in &self.query {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        if map.is_empty() { None } else { Some(map) }
    }

    /// An `@httpQueryParams` map of string lists: every value of every parameter, as for
    /// [`ServerRequest::query_params`].
    pub fn query_param_lists(&self) -> Option<HashMap<String, Vec<String>>> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in &self.query {
            map.entry(k.clone()).or_default().push(v.clone());
        }
        if map.is_empty() { None } else { Some(map) }
    }

    fn header_text(&self, name: &str) -> Result<Option<String>, Rejection> {
        let values: Vec<&http::HeaderValue> = self.parts.headers.get_all(name).iter().collect();
        if values.is_empty() {
            return Ok(None);
        }
        let mut texts = Vec::new();
        for v in values {
            texts.push(
                v.to_str()
                    .map_err(|_| Rejection::Malformed(format!("header `{name}` is not visible ASCII")))?
                    .trim()
                    .to_owned(),
            );
        }
        Ok(Some(texts.join(", ")))
    }

    /// An `@httpHeader` member.
    pub fn header<T: TextValue>(&self, name: &str, format: Format) -> Result<Option<T>, Rejection> {
        match self.header_text(name)? {
            None => Ok(None),
            Some(text) => {
                T::from_text(&text, format).map(Some).map_err(|e| Rejection::Malformed(format!("header `{name}`: {e}")))
            }
        }
    }

    /// An `@httpHeader` list member.
    pub fn header_list<T: TextValue>(&self, name: &str, format: Format) -> Result<Option<Vec<T>>, Rejection> {
        match self.header_text(name)? {
            None => Ok(None),
            Some(text) => parse_header_list(&text, format)
                .map(Some)
                .map_err(|e| Rejection::Malformed(format!("header `{name}`: {e}"))),
        }
    }

    /// An `@httpPrefixHeaders` member.
    pub fn prefix_headers(&self, prefix: &str) -> Option<HashMap<String, String>> {
        let map: HashMap<String, String> = self
            .parts
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().strip_prefix(prefix)?.to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        if map.is_empty() { None } else { Some(map) }
    }

    /// The JSON body; empty reads as `{}`. (Its `Content-Type` was checked by the router.) A
    /// nested structure that lacks a required member is a constraint violation.
    pub fn json_body<T: crate::json::FromJson>(&self) -> Result<T, Rejection> {
        crate::json::from_body(&self.body).map_err(|e| match e.missing_member() {
            Some(path) => {
                let mut violations = crate::constraint::Violations::new();
                violations.missing_at(path);
                match violations.into_result() {
                    Err(invalid) => Rejection::Invalid(invalid),
                    Ok(()) => Rejection::Malformed(e.to_string()),
                }
            }
            None => Rejection::Malformed(e.to_string()),
        })
    }

    /// A blob `@httpPayload`.
    pub fn blob_body(&self) -> Option<Blob> {
        if self.body.is_empty() { None } else { Some(Blob::new(self.body.to_vec())) }
    }

    /// A `@streaming` blob `@httpPayload` (the body has been read, within the size limit).
    pub fn stream_body(&self) -> crate::ByteStream {
        crate::ByteStream::new(self.body.clone())
    }

    /// A string `@httpPayload`.
    pub fn text_body(&self) -> Result<Option<String>, Rejection> {
        if self.body.is_empty() {
            return Ok(None);
        }
        String::from_utf8(self.body.to_vec())
            .map(Some)
            .map_err(|_| Rejection::Malformed("the body is not UTF-8 text".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_param_maps_hold_every_parameter() {
        let (parts, ()) = http::Request::builder().uri("/Precedence").body(()).unwrap().into_parts();
        let query = [("bar", "named"), ("qux", "fromMap"), ("qux", "again")];
        let query = query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let request = ServerRequest::new(parts, Bytes::new(), Vec::new(), query, "id".into(), "QueryPrecedence");
        // `bar` is also bound to an @httpQuery member; servers put it in the map all the same.
        assert_eq!(request.query::<String>("bar", Format::DateTime).unwrap().as_deref(), Some("named"));
        let map = request.query_params().unwrap();
        assert_eq!((map["bar"].as_str(), map["qux"].as_str()), ("named", "fromMap"));
        let lists = request.query_param_lists().unwrap();
        assert_eq!(lists["qux"], ["fromMap", "again"]);
    }
}

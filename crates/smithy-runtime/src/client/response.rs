//! Reading responses: typed headers (single, lists, prefixed maps), JSON bodies, and
//! [`ParseFailure`], what a generated parser reports when a response is a service error or
//! makes no sense.

use super::*;

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
pub fn response_json<T: crate::json::FromJson>(resp: &HttpResponse) -> Result<T, crate::json::BodyError> {
    crate::json::from_body(resp.body())
}

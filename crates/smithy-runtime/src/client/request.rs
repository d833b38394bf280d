//! Building requests: [`RequestBuilder`] gathers what a generated serialiser binds (URI labels,
//! query parameters, headers, the body, an `@endpoint` host prefix) into an [`HttpRequest`].

use super::*;

/// Builds an [`HttpRequest`].
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    uri: String,
    headers: http::HeaderMap,
    body: Bytes,
    host_prefix: Option<HostPrefix>,
}

/// The text an operation's `@endpoint` trait puts before the endpoint's host name, carried in
/// the request's extensions from the serialiser to the orchestrator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPrefix(pub String);

/// A piece of an `@endpoint` host prefix.
#[derive(Clone, Copy, Debug)]
pub enum HostPrefixPart<'a> {
    /// Literal text from the model.
    Literal(&'static str),
    /// The value of a `@hostLabel` member: its name and value.
    Label(&'static str, Option<&'a str>),
}

/// `true` for a host label of RFC 1123: letters, digits and inner hyphens, 1 to 63 characters.
fn is_host_label(label: &str) -> bool {
    let b = label.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
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
        RequestBuilder { method, uri, headers: http::HeaderMap::new(), body: Bytes::new(), host_prefix: None }
    }

    /// The `@endpoint` host prefix. Each `@hostLabel` value must be set and make valid host
    /// name labels, or the request is not built.
    pub fn host_prefix(&mut self, parts: &[HostPrefixPart<'_>]) -> Result<(), BindingError> {
        let mut prefix = String::new();
        for part in parts {
            match part {
                HostPrefixPart::Literal(text) => prefix.push_str(text),
                HostPrefixPart::Label(member, value) => {
                    let value =
                        value.ok_or_else(|| BindingError::new(member, "is required: it is part of the host name"))?;
                    if !value.split('.').all(is_host_label) {
                        return Err(BindingError::new(
                            member,
                            "must be letters, digits and hyphens (1 to 63, not starting or ending with a hyphen): it is part of the host name",
                        ));
                    }
                    prefix.push_str(value);
                }
            }
        }
        self.host_prefix = Some(HostPrefix(prefix));
        Ok(())
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

    /// A header with a fixed value (an AWS SDK customisation), unless a member has set it.
    pub fn default_header(&mut self, name: &'static str, value: &'static str) -> Result<(), BindingError> {
        let header = header_name(name, name)?;
        if !self.headers.contains_key(&header) {
            self.headers.insert(header, header_value(name, value)?);
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

    /// A JSON body: a payload member's value.
    pub fn json_body<T: crate::json::ToJson + ?Sized>(
        &mut self,
        member: &'static str,
        body: &T,
    ) -> Result<(), BindingError> {
        // Only the encoding is per body type; the rest is compiled once.
        let mut writer = crate::json::JsonWriter::new();
        body.to_json(&mut writer);
        self.written_json_body(member, writer)
    }

    /// A JSON body already written (the members bound to the body, written by generated code).
    pub fn written_json_body(
        &mut self,
        member: &'static str,
        body: crate::json::JsonWriter,
    ) -> Result<(), BindingError> {
        let bytes = body.finish().map_err(|e| BindingError::new(member, format!("cannot be written as JSON: {e}")))?;
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

    /// A `@streaming` blob `@httpPayload`, which the fluent builder has read into memory.
    pub fn stream_body(
        &mut self,
        member: &'static str,
        value: Option<&crate::ByteStream>,
        content_type: &'static str,
    ) -> Result<(), BindingError> {
        let Some(stream) = value else { return Ok(()) };
        let bytes =
            stream.bytes().ok_or_else(|| BindingError::new(member, "must be read into memory before sending"))?;
        if !bytes.is_empty() {
            self.body = Bytes::copy_from_slice(bytes);
            self.headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
        }
        Ok(())
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
        if let Some(prefix) = self.host_prefix {
            req.extensions_mut().insert(prefix);
        }
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_prefixes_check_their_labels() {
        let mut request = RequestBuilder::new("POST", "/x".into());
        request
            .host_prefix(&[
                HostPrefixPart::Literal("foo."),
                HostPrefixPart::Label("label", Some("bar")),
                HostPrefixPart::Literal("."),
            ])
            .unwrap();
        let built = request.build().unwrap();
        assert_eq!(built.extensions().get::<HostPrefix>(), Some(&HostPrefix("foo.bar.".into())));
        for bad in [None, Some(""), Some("a/b"), Some("-a"), Some("a..b"), Some("under_score")] {
            let mut request = RequestBuilder::new("POST", "/x".into());
            assert!(request.host_prefix(&[HostPrefixPart::Label("label", bad)]).is_err(), "{bad:?}");
        }
    }

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

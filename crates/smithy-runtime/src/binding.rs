//! HTTP bindings shared by client and server: URI labels, query strings and header lists.
//!
//! Labels and query values are percent-encoded so that any string (`/`, space, `%`, `é`)
//! reaches the other side intact; greedy labels keep their `/`. Header lists follow restJson1:
//! comma-separated, with strings quoted when they contain a comma or a quote, and HTTP dates
//! (which contain a comma themselves) split on every second comma.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::text::{TextError, TextValue};
use crate::timestamp::Format;

/// Everything but RFC 3986's unreserved characters is encoded.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// Greedy labels keep their path separators.
const GREEDY_LABEL: &AsciiSet = &LABEL.remove(b'/');

/// Percent-encodes a label value (or a query key or value).
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, LABEL).to_string()
}

/// Percent-encodes a greedy label value, keeping `/`.
pub fn encode_greedy(text: &str) -> String {
    utf8_percent_encode(text, GREEDY_LABEL).to_string()
}

/// Percent-decodes; `None` when the result is not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    percent_decode_str(text).decode_utf8().ok().map(|c| c.into_owned())
}

/// A request that cannot be built from its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingError {
    member: &'static str,
    problem: String,
}

impl BindingError {
    /// `member` has a problem.
    pub fn new(member: &'static str, problem: impl Into<String>) -> Self {
        BindingError { member, problem: problem.into() }
    }

    /// The member concerned (its name in the model).
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.member, self.problem)
    }
}

impl std::error::Error for BindingError {}

/// Appends a URI label. A missing or empty value is an error: the URI cannot be built.
pub fn push_label<T: TextValue>(
    uri: &mut String,
    member: &'static str,
    value: Option<&T>,
    greedy: bool,
    format: Format,
) -> Result<(), BindingError> {
    let value = value.ok_or_else(|| BindingError::new(member, "is required: it is part of the request URI"))?;
    let text = value.to_text(format);
    if text.is_empty() {
        return Err(BindingError::new(member, "must not be empty: it is part of the request URI"));
    }
    // URL parsers remove `.` and `..` segments (even percent-encoded, per the WHATWG URL
    // standard), so such a label would silently call another path.
    let dot_segment = |seg: &str| seg == "." || seg == "..";
    if (!greedy && dot_segment(&text)) || (greedy && text.split('/').any(dot_segment)) {
        return Err(BindingError::new(member, "cannot be `.` or `..`: URLs drop such path segments"));
    }
    if greedy {
        if text.split('/').any(str::is_empty) && text != "/" {
            // Leading, trailing or doubled slashes would change the route on the server.
            if text.starts_with('/') || text.ends_with('/') || text.contains("//") {
                return Err(BindingError::new(member, "must not have empty path segments"));
            }
        }
        uri.push_str(&encode_greedy(&text));
    } else {
        uri.push_str(&encode(&text));
    }
    Ok(())
}

/// Builds a query string onto a URI.
#[derive(Debug)]
pub struct QueryWriter<'a> {
    uri: &'a mut String,
    keys: Vec<String>,
}

impl<'a> QueryWriter<'a> {
    /// Starts the query string of `uri`.
    pub fn new(uri: &'a mut String) -> Self {
        QueryWriter { uri, keys: Vec::new() }
    }

    fn push_raw(&mut self, key: &str, value: Option<&str>) {
        self.uri.push(if self.uri.contains('?') { '&' } else { '?' });
        self.uri.push_str(&encode(key));
        if let Some(value) = value {
            self.uri.push('=');
            self.uri.push_str(&encode(value));
        }
        self.keys.push(key.to_owned());
    }

    /// A literal parameter from the URI pattern.
    pub fn literal(&mut self, key: &str, value: Option<&str>) {
        self.push_raw(key, value);
    }

    /// An `@httpQuery` member.
    pub fn push<T: TextValue>(&mut self, key: &str, value: Option<&T>, format: Format) {
        if let Some(value) = value {
            self.push_raw(key, Some(&value.to_text(format)));
        }
    }

    /// An `@httpQuery` list member: the key repeated for each item.
    pub fn push_list<T: TextValue>(&mut self, key: &str, values: Option<&[T]>, format: Format) {
        for value in values.unwrap_or_default() {
            self.push_raw(key, Some(&value.to_text(format)));
        }
    }

    /// An `@httpQueryParams` map of strings; keys already written by `@httpQuery` members win.
    pub fn push_params<'v>(&mut self, params: impl IntoIterator<Item = (&'v String, &'v String)>) {
        let mut params: Vec<_> = params.into_iter().filter(|(k, _)| !self.keys.contains(k)).collect();
        params.sort();
        for (k, v) in params {
            self.push_raw(k, Some(v));
        }
    }

    /// An `@httpQueryParams` map of string lists.
    pub fn push_param_lists<'v>(&mut self, params: impl IntoIterator<Item = (&'v String, &'v Vec<String>)>) {
        let mut params: Vec<_> = params.into_iter().filter(|(k, _)| !self.keys.contains(k)).collect();
        params.sort();
        for (k, values) in params {
            for v in values {
                self.push_raw(k, Some(v));
            }
        }
    }
}

/// Splits a query string into decoded pairs; a key without `=` has an empty value.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, TextError> {
    let mut out = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        // `+` means space in forms, and some clients send it in query strings.
        let k = decode(&k.replace('+', " ")).ok_or_else(|| TextError::new("a UTF-8 query key", k))?;
        let v = decode(&v.replace('+', " ")).ok_or_else(|| TextError::new("a UTF-8 query value", v))?;
        out.push((k, v));
    }
    Ok(out)
}

/// Writes a header list value.
pub fn header_list<T: TextValue>(values: &[T], format: Format) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let text = v.to_text(format);
        if needs_quotes::<T>(&text, format) {
            out.push('"');
            out.push_str(&text.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out
}

fn needs_quotes<T: TextValue>(text: &str, format: Format) -> bool {
    // HTTP dates always contain a comma and are never quoted; the reader knows to pair them.
    let is_http_date = T::IS_TIMESTAMP && format == Format::HttpDate;
    !is_http_date && (text.contains(',') || text.contains('"') || text.starts_with(' ') || text.ends_with(' '))
}

/// Reads a header list value into items.
pub fn parse_header_list<T: TextValue>(value: &str, format: Format) -> Result<Vec<T>, TextError> {
    let items = split_header_list(value);
    let is_http_date_list = format == Format::HttpDate && items.iter().all(|i| !i.quoted);
    if is_http_date_list && T::IS_TIMESTAMP {
        // `Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`: every item spans two comma-separated parts.
        let parts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        if !parts.len().is_multiple_of(2) {
            return Err(TextError::new("a list of HTTP dates", value));
        }
        return parts.chunks(2).map(|pair| T::from_text(&format!("{}, {}", pair[0], pair[1]), format)).collect();
    }
    items.iter().map(|i| T::from_text(&i.text, format)).collect()
}

struct Item {
    text: String,
    quoted: bool,
}

fn split_header_list(value: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut text = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            text.push(n);
                        }
                    }
                    '"' => break,
                    _ => text.push(c),
                }
            }
            // Skip to the next comma.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push(Item { text, quoted });
            if chars.peek().is_none() {
                break;
            }
            continue;
        }
        let mut ended = true;
        for c in chars.by_ref() {
            if c == ',' {
                ended = false;
                break;
            }
            text.push(c);
        }
        let trimmed = text.trim_end().to_owned();
        if !(trimmed.is_empty() && ended && items.is_empty() && value.trim().is_empty()) {
            items.push(Item { text: trimmed, quoted });
        }
        if ended {
            break;
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::DateTime;
    use proptest::prelude::*;

    #[test]
    fn labels_are_encoded() {
        let mut uri = String::from("/user/federate/");
        push_label(&mut uri, "InstanceId", Some(&"a/b c%é".to_owned()), false, Format::DateTime).unwrap();
        assert_eq!(uri, "/user/federate/a%2Fb%20c%25%C3%A9");
        let mut uri = String::from("/");
        push_label(&mut uri, "Key", Some(&"a/b c".to_owned()), true, Format::DateTime).unwrap();
        assert_eq!(uri, "/a/b%20c");
        let err = push_label::<String>(&mut uri, "InstanceId", None, false, Format::DateTime).unwrap_err();
        assert_eq!(err.to_string(), "`InstanceId` is required: it is part of the request URI");
        assert!(push_label(&mut uri, "InstanceId", Some(&String::new()), false, Format::DateTime).is_err());
        assert!(push_label(&mut uri, "Key", Some(&"a//b".to_owned()), true, Format::DateTime).is_err());
        for dots in ["..", "."] {
            assert!(push_label(&mut uri, "L", Some(&dots.to_owned()), false, Format::DateTime).is_err());
            assert!(push_label(&mut uri, "K", Some(&format!("a/{dots}/b")), true, Format::DateTime).is_err());
        }
        assert!(push_label(&mut uri, "L", Some(&"...".to_owned()), false, Format::DateTime).is_ok());
    }

    #[test]
    fn query_strings() {
        let mut uri = String::from("/x");
        let mut q = QueryWriter::new(&mut uri);
        q.literal("flag", None);
        q.push("a b", Some(&"c&d".to_owned()), Format::DateTime);
        q.push_list("n", Some(&[1i32, 2][..]), Format::DateTime);
        q.push::<i32>("absent", None, Format::DateTime);
        let params = [("a b".to_owned(), "ignored".to_owned()), ("z".to_owned(), "1".to_owned())];
        q.push_params(params.iter().map(|(k, v)| (k, v)));
        assert_eq!(uri, "/x?flag&a%20b=c%26d&n=1&n=2&z=1");
        let parsed = parse_query(uri.split_once('?').unwrap().1).unwrap();
        assert_eq!(parsed[1], ("a b".to_owned(), "c&d".to_owned()));
        assert_eq!(parsed[0], ("flag".to_owned(), String::new()));
        assert!(parse_query("a=%FF").is_err());
    }

    #[test]
    fn header_lists() {
        let v = vec!["a".to_owned(), "b,c".to_owned(), "d\"e".to_owned()];
        let text = header_list(&v, Format::HttpDate);
        assert_eq!(text, r#"a, "b,c", "d\"e""#);
        assert_eq!(parse_header_list::<String>(&text, Format::HttpDate).unwrap(), v);
        let dates = vec![DateTime::from_secs(0), DateTime::from_secs(86_400)];
        let text = header_list(&dates, Format::HttpDate);
        assert_eq!(text, "Thu, 01 Jan 1970 00:00:00 GMT, Fri, 02 Jan 1970 00:00:00 GMT");
        assert_eq!(parse_header_list::<DateTime>(&text, Format::HttpDate).unwrap(), dates);
        assert_eq!(parse_header_list::<i32>("1, 2,3", Format::HttpDate).unwrap(), vec![1, 2, 3]);
        assert!(parse_header_list::<i32>("1, x", Format::HttpDate).is_err());
        assert_eq!(parse_header_list::<String>("", Format::HttpDate).unwrap(), Vec::<String>::new());
    }

    proptest! {
        #[test]
        fn labels_decode_to_the_original(s in "\\PC+") {
            // Dot segments are refused (see `push_label`); everything else must survive.
            prop_assume!(s != "." && s != "..");
            let mut uri = String::new();
            push_label(&mut uri, "L", Some(&s), false, Format::DateTime).unwrap();
            prop_assert!(!uri.contains('/'));
            prop_assert_eq!(decode(&uri), Some(s));
        }

        #[test]
        fn string_header_lists_round_trip(items in proptest::collection::vec("[ -~]{0,12}", 1..5)) {
            // Leading and trailing blanks are not significant in HTTP headers, so keep items trimmed.
            let items: Vec<String> = items.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
            prop_assume!(!items.is_empty());
            let text = header_list(&items, Format::HttpDate);
            prop_assert_eq!(parse_header_list::<String>(&text, Format::HttpDate).unwrap(), items);
        }
    }
}

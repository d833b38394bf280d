//! The text form of the HTTP messages that the server and client targets take.
//!
//! Those two targets read their input as an HTTP/1.1 message, loosely: a start line, header
//! lines up to an empty line, and the rest as the body. The seeds are then real requests and
//! responses that a person can read and write, a crash file is readable as is, and libFuzzer's
//! byte mutations and dictionaries work on the same text the parsers under test see. The
//! reading never fails: a line without a colon, a header name or value that `http` refuses, is
//! left out, so that every input reaches the code under test in some form.

use http::{HeaderMap, HeaderName, HeaderValue};

/// One message: its start line, its headers (in order, repeats kept) and its body.
#[derive(Debug)]
pub struct Message<'a> {
    /// The first line, without its line ending.
    pub start: &'a [u8],
    /// The header lines that make a valid name and value.
    pub headers: HeaderMap,
    /// Everything after the first empty line.
    pub body: &'a [u8],
}

impl<'a> Message<'a> {
    /// Reads `data` as a start line, header lines and a body (lines end in `\n` or `\r\n`).
    pub fn parse(data: &'a [u8]) -> Self {
        let (head, body) = split_head(data);
        let mut lines = head.split(|&b| b == b'\n').map(|line| line.strip_suffix(b"\r").unwrap_or(line));
        let start = lines.next().unwrap_or_default();
        let mut headers = HeaderMap::new();
        for line in lines {
            let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
            let name = line[..colon].trim_ascii();
            let value = line[colon + 1..].trim_ascii();
            if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) {
                headers.append(name, value);
            }
        }
        Message { start, headers, body }
    }
}

/// The head (up to the first empty line) and the body.
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    let crlf = find(data, b"\r\n\r\n").map(|i| (i, 4));
    let lf = find(data, b"\n\n").map(|i| (i, 2));
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match end {
        Some((at, len)) => (&data[..at], &data[at + len..]),
        None => (data, &[]),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A request target that `http::Uri` accepts for (nearly) any bytes: bytes that may appear in a
/// URI are kept as they are, `%` included, so that malformed escapes such as `%zz` or `%C3%28`
/// still reach the server's own decoding; the others (space, `#`, control and non-ASCII bytes)
/// are percent-encoded.
pub fn request_target(raw: &[u8]) -> String {
    const KEEP: &[u8] = b"-._~!$&'()*+,;=:@/?%";
    let mut target = String::with_capacity(raw.len());
    for &b in raw {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            target.push(char::from(b));
        } else {
            target.push_str(&format!("%{b:02X}"));
        }
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_request() {
        let m = Message::parse(b"GET /a HTTP/1.1\r\nAccept: x\r\nbad line\r\n\r\n{}\r\n\r\n");
        assert_eq!(m.start, b"GET /a HTTP/1.1");
        assert_eq!(m.headers.len(), 1);
        assert_eq!(m.headers["accept"], "x");
        assert_eq!(m.body, b"{}\r\n\r\n");
        let m = Message::parse(b"200\nx-a: 1\n\nbody");
        assert_eq!((m.start, m.body, m.headers.len()), (&b"200"[..], &b"body"[..], 1));
        assert_eq!(request_target(b"/a b#%zz\xc3"), "/a%20b%23%zz%C3");
    }
}

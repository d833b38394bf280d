//! The rules engine's standard library, as plain functions on Rust values: `substring`,
//! `uriEncode`, `parseURL`, `isValidHostLabel`, `split` and the path walk of `getAttr`.
//!
//! `isSet`, `not`, `booleanEquals`, `stringEquals`, `coalesce` and `ite` are a line each and
//! live in the evaluator, where the value types are.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::tree::{Path, Step};
use super::value::Val;

/// `getAttr`: walks `path` into records and arrays; anything missing is unset.
pub(crate) fn get_attr(value: &Val, path: &Path) -> Val {
    let mut current = value;
    for step in &path.0 {
        current = match (step, current) {
            (Step::Field(name), Val::Object(fields)) => match fields.get(name) {
                Some(v) => v,
                None => return Val::None,
            },
            (Step::Index(i), Val::Array(items)) => match items.get(*i) {
                Some(v) => v,
                None => return Val::None,
            },
            _ => return Val::None,
        };
    }
    current.clone()
}

/// `substring`: the characters `start..stop` of an ASCII string, counted from the end when
/// `reverse`; unset when the string is not ASCII or the range does not fit.
pub(crate) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() {
        return None;
    }
    let len = input.len();
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || stop > len {
        return None;
    }
    let (from, to) = if reverse { (len - stop, len - start) } else { (start, stop) };
    Some(input[from..to].to_owned())
}

/// `uriEncode`: percent-encodes every byte of the UTF-8 text except the unreserved characters
/// of RFC 3986 (letters, digits, `-`, `.`, `_`, `~`), with upper-case hex digits.
pub(crate) fn uri_encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len());
    for b in input.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// What `parseURL` gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// Host and port as written, e.g. `example.com:8443` or `[::1]:80`.
    pub authority: String,
    /// The path as written (empty when there is none).
    pub path: String,
    /// The path with a leading and a trailing `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

impl Url {
    /// The record the rules see.
    pub fn into_val(self) -> Val {
        Val::Object(BTreeMap::from([
            ("scheme".to_owned(), Val::Str(self.scheme)),
            ("authority".to_owned(), Val::Str(self.authority)),
            ("path".to_owned(), Val::Str(self.path)),
            ("normalizedPath".to_owned(), Val::Str(self.normalized_path)),
            ("isIp".to_owned(), Val::Bool(self.is_ip)),
        ]))
    }
}

/// `parseURL`: an `http` or `https` URL with a host, an optional numeric port and an optional
/// path; unset for anything else, including URLs with a query, a fragment or user info.
pub(crate) fn parse_url(input: &str) -> Option<Url> {
    if input.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let (scheme, rest) = input.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#', '@']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host_is_ip, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']')?;
        address.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (true, port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
            return None;
        }
        (host.parse::<Ipv4Addr>().is_ok(), port)
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err())
    {
        return None;
    }
    let normalized_path = match path {
        "" => "/".to_owned(),
        p if p.ends_with('/') => p.to_owned(),
        p => format!("{p}/"),
    };
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip: host_is_ip,
    })
}

/// `isValidHostLabel`: one RFC 1123 label (1 to 63 ASCII letters, digits and hyphens, not
/// starting with a hyphen), or with `allow_sub_domains` several joined by dots.
pub(crate) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    fn label(l: &str) -> bool {
        (1..=63).contains(&l.len()) && !l.starts_with('-') && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_sub_domains { value.split('.').all(label) } else { label(value) }
}

/// `split`: the parts of `value` between occurrences of `delimiter`, left to right; with a
/// `limit` above zero, at most that many parts (the last holds the rest). Unset for an empty
/// delimiter or a negative limit.
pub(crate) fn split(value: &str, delimiter: &str, limit: i64) -> Option<Vec<String>> {
    if delimiter.is_empty() {
        return None;
    }
    let parts: Vec<String> = match usize::try_from(limit).ok()? {
        0 => value.split(delimiter).map(str::to_owned).collect(),
        n => value.splitn(n, delimiter).map(str::to_owned).collect(),
    };
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_attr_walks_records_and_arrays() {
        let v = Val::Object(BTreeMap::from([(
            "a".to_owned(),
            Val::Array(vec![Val::Str("x".into()), Val::Str("y".into())]),
        )]));
        let p = |s: &str| Path::parse(s).unwrap();
        assert_eq!(get_attr(&v, &p("a[1]")), Val::Str("y".into()));
        assert_eq!(get_attr(&v, &p("a[2]")), Val::None);
        assert_eq!(get_attr(&v, &p("b")), Val::None);
        assert_eq!(get_attr(&v, &p("a.b")), Val::None);
        assert_eq!(get_attr(&Val::Str("s".into()), &p("[0]")), Val::None);
    }

    #[test]
    fn substring_counts_from_either_end() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("defg", 1, 3, false).as_deref(), Some("ef"));
        assert_eq!(substring("abcdef", 1, 3, true).as_deref(), Some("de"));
        assert_eq!(substring("abcd", 0, 4, false).as_deref(), Some("abcd"));
    }

    #[test]
    fn substring_is_unset_out_of_range_or_on_non_ascii() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 1, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 2, 1, false), None);
        assert_eq!(substring("abc", -1, 2, false), None);
        assert_eq!(substring("\u{fdfd}bcdef", 1, 3, false), None);
        assert_eq!(substring("\u{7f}abc", 0, 2, false).as_deref(), Some("\u{7f}a"));
    }

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("abc-._~XYZ019"), "abc-._~XYZ019");
        assert_eq!(uri_encode("a b/c:d"), "a%20b%2Fc%3Ad");
        assert_eq!(uri_encode("%+"), "%25%2B");
        assert_eq!(uri_encode("\u{1f639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn parse_url_splits_scheme_authority_and_path() {
        let u = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(
            u,
            Url {
                scheme: "https".into(),
                authority: "example.com:8443".into(),
                path: "/a/b".into(),
                normalized_path: "/a/b/".into(),
                is_ip: false,
            }
        );
        let u = parse_url("http://127.0.0.1:4566").unwrap();
        assert_eq!((u.authority.as_str(), u.path.as_str(), u.normalized_path.as_str()), ("127.0.0.1:4566", "", "/"));
        assert!(u.is_ip);
        let u = parse_url("https://[::1]:443/x/").unwrap();
        assert_eq!((u.authority.as_str(), u.normalized_path.as_str(), u.is_ip), ("[::1]:443", "/x/", true));
        assert_eq!(parse_url("https://h/").unwrap().path, "/");
        assert!(!parse_url("https://999.999.abc.blah").unwrap().is_ip);
        assert!(!parse_url("https://999.1.1.1").unwrap().is_ip);
        assert!(parse_url("http://99_ab-.com").is_some());
    }

    #[test]
    fn parse_url_refuses_what_an_endpoint_cannot_be() {
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "HTTPS://example.com",
            "https://",
            "https:///path",
            "https://example.com/path?query=1",
            "https://example.com#frag",
            "https://user@example.com",
            "http://abc.com:a/foo",
            "http://abc.com:/foo",
            "http://abc.com:99999",
            "https://[::1",
            "https://[not-ip]:80",
            "https://[::1]x",
            "https://exa mple.com",
            "https://ex\u{e9}mple.com",
        ] {
            assert_eq!(parse_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn host_labels_follow_rfc_1123() {
        for good in ["us-east-1", "3aws4", "a", "a-", &"a".repeat(63)] {
            assert!(is_valid_host_label(good, false), "{good}");
        }
        for bad in ["", "-a", "a.b", "a b", "a_b", "\u{e9}", &"a".repeat(64)] {
            assert!(!is_valid_host_label(bad, false), "{bad}");
        }
        assert!(is_valid_host_label("part1.part2", true));
        for bad in ["part1.", ".a", "a..b", "a.-b", ""] {
            assert!(!is_valid_host_label(bad, true), "{bad}");
        }
    }

    #[test]
    fn split_honours_the_limit() {
        let s = |v: &str, d: &str, l: i64| split(v, d, l);
        assert_eq!(s("a--b--c", "--", 0).unwrap(), ["a", "b", "c"]);
        assert_eq!(s("a--b--c", "--", 1).unwrap(), ["a--b--c"]);
        assert_eq!(s("a--b--c", "--", 2).unwrap(), ["a", "b--c"]);
        assert_eq!(s("", "--", 0).unwrap(), [""]);
        assert_eq!(s("aaa", "aa", 0).unwrap(), ["", "a"]);
        assert_eq!(s("--", "--", 0).unwrap(), ["", ""]);
        assert_eq!(s("a", "", 0), None);
        assert_eq!(s("a", "-", -1), None);
    }
}

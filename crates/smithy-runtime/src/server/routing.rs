//! Matching a request to an operation by the model's URI patterns.
//!
//! Smithy patterns are richer than what an ordinary router takes (literal query parameters,
//! greedy labels followed by literals, several operations on one path with different methods),
//! so the generated route table is matched here. When several patterns match, the most specific
//! wins: more literal segments, then more literal query parameters, then no greedy label.

use std::borrow::Cow;

use super::Rejection;

/// One segment of a route's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, compared after percent-decoding.
    Literal(&'static str),
    /// A label: exactly one non-empty segment.
    Label,
    /// A greedy label: one or more segments.
    Greedy,
}

/// An operation's place in the URI space, and the media types of its bodies.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The operation name.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path segments.
    pub path: &'static [Segment],
    /// Literal query parameters that must be present (with this value, when one is given).
    pub query: &'static [(&'static str, Option<&'static str>)],
    /// What the request's `Content-Type` may be.
    pub request_media_type: MediaType,
    /// The `Content-Type` of a successful response, which the request's `Accept` must allow;
    /// `None` when the response has no body.
    pub response_media_type: Option<&'static str>,
    /// `@requestCompression` encodings: a body in one of them is decoded before parsing.
    pub request_compression: &'static [&'static str],
}

/// What a request's `Content-Type` may be, as its operation's input decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    /// No body is modeled: a body with a `Content-Type` is refused.
    None,
    /// A body of this media type (parameters aside); without the header the body must be empty.
    Exact(&'static str),
    /// Any media type (a blob payload with no `@mediaType`, or a `Content-Type` member).
    Any,
}

/// Finds the route for a request: its index and decoded label values, or why none fits.
pub fn find(
    routes: &[Route],
    method: &str,
    path: &str,
    query: &[(String, String)],
) -> Result<(usize, Vec<String>), Rejection> {
    let (segments, count) = path_segments(path);
    // Borrowed unless a segment has a percent escape: most paths cost no copy. A path of up to
    // `INLINE` segments (most are) is decoded into an array on the stack, not a `Vec`.
    const INLINE: usize = 8;
    let mut inline: [Cow<'_, str>; INLINE] = Default::default();
    let mut spilled = Vec::new();
    let decoded: &mut [Cow<'_, str>] = if count <= INLINE {
        &mut inline[..count]
    } else {
        spilled.resize(count, Cow::Borrowed(""));
        &mut spilled
    };
    for (slot, seg) in decoded.iter_mut().zip(segments) {
        if !seg.contains('%') {
            *slot = Cow::Borrowed(seg);
            continue;
        }
        match percent_encoding::percent_decode_str(seg).decode_utf8() {
            Ok(d) => *slot = d,
            Err(_) => {
                return Err(Rejection::Malformed("the request path is not valid UTF-8 after percent-decoding".into()));
            }
        }
    }
    let decoded: &[Cow<'_, str>] = decoded;
    let mut best: Option<(Rank, usize, Vec<String>)> = None;
    let mut path_matched = false;
    for (i, route) in routes.iter().enumerate() {
        let Some(labels) = match_path(route.path, decoded) else { continue };
        if !route.query.iter().all(|(k, v)| query.iter().any(|(qk, qv)| qk == k && v.is_none_or(|v| qv == v))) {
            continue;
        }
        path_matched = true;
        if route.method != method {
            continue;
        }
        let rank = Rank::of(route);
        if best.as_ref().is_none_or(|(r, ..)| rank > *r) {
            best = Some((rank, i, labels));
        }
    }
    match best {
        Some((_, i, labels)) => Ok((i, labels)),
        None if path_matched => Err(Rejection::MethodNotAllowed),
        None => Err(Rejection::UnknownOperation),
    }
}

/// A path's segments (still percent-encoded) and how many there are, split as they are read
/// rather than into a list first; a single trailing slash is not significant, and `/` alone is
/// no segment at all.
fn path_segments(path: &str) -> (std::iter::Take<std::str::Split<'_, char>>, usize) {
    let relative = path.strip_prefix('/').unwrap_or(path);
    let (segments, count) = if relative.is_empty() {
        ("", 0)
    } else {
        let trimmed = relative.strip_suffix('/').unwrap_or(relative);
        (trimmed, trimmed.bytes().filter(|&b| b == b'/').count() + 1)
    };
    (segments.split('/').take(count), count)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    literals: usize,
    query: usize,
    not_greedy: bool,
}

impl Rank {
    fn of(route: &Route) -> Self {
        Rank {
            literals: route.path.iter().filter(|s| matches!(s, Segment::Literal(_))).count(),
            query: route.query.len(),
            not_greedy: !route.path.contains(&Segment::Greedy),
        }
    }
}

fn match_path(pattern: &[Segment], segments: &[Cow<'_, str>]) -> Option<Vec<String>> {
    let mut labels = Vec::new();
    if match_from(pattern, segments, &mut labels) { Some(labels) } else { None }
}

fn match_from(pattern: &[Segment], segments: &[Cow<'_, str>], labels: &mut Vec<String>) -> bool {
    match pattern.split_first() {
        None => segments.is_empty(),
        Some((Segment::Literal(lit), rest)) => {
            segments.first().is_some_and(|s| s == lit) && match_from(rest, &segments[1..], labels)
        }
        Some((Segment::Label, rest)) => match segments.first() {
            Some(s) if !s.is_empty() => {
                labels.push(s.clone().into_owned());
                if match_from(rest, &segments[1..], labels) {
                    return true;
                }
                labels.pop();
                false
            }
            _ => false,
        },
        Some((Segment::Greedy, rest)) => {
            // Take as many segments as possible, leaving enough for what follows.
            for take in (1..=segments.len()).rev() {
                let (greedy, after) = segments.split_at(take);
                if greedy.iter().any(|s| s.is_empty()) {
                    continue;
                }
                labels.push(greedy.join("/"));
                if match_from(rest, after, labels) {
                    return true;
                }
                labels.pop();
            }
            false
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use Segment::*;

    pub(crate) const fn route(
        operation: &'static str,
        method: &'static str,
        path: &'static [Segment],
        query: &'static [(&'static str, Option<&'static str>)],
    ) -> Route {
        Route {
            operation,
            method,
            path,
            query,
            request_media_type: MediaType::None,
            response_media_type: None,
            request_compression: &[],
        }
    }

    const ROUTES: &[Route] = &[
        route("GetFederationToken", "GET", &[Literal("user"), Literal("federate"), Label], &[]),
        route("GetUser", "GET", &[Literal("users"), Label, Label], &[]),
        route("SearchUsers", "POST", &[Literal("users"), Label, Literal("search")], &[]),
        route("GetObject", "GET", &[Literal("objects"), Greedy, Literal("meta")], &[]),
        route("Tagged", "GET", &[Literal("t")], &[("tagging", None)]),
        route("Plain", "GET", &[Literal("t")], &[]),
    ];

    fn find_op(method: &str, path: &str, query: &[(&str, &str)]) -> Result<(&'static str, Vec<String>), Rejection> {
        let q: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        find(ROUTES, method, path, &q).map(|(i, l)| (ROUTES[i].operation, l))
    }

    #[test]
    fn matches_the_most_specific_route() {
        assert_eq!(
            find_op("GET", "/user/federate/abc%2Fd%20%C3%A9", &[]),
            Ok(("GetFederationToken", vec!["abc/d é".to_owned()]))
        );
        assert_eq!(find_op("GET", "/user/federate/abc/", &[]).unwrap().0, "GetFederationToken");
        assert_eq!(find_op("POST", "/users/i/search", &[]).unwrap().0, "SearchUsers");
        assert_eq!(find_op("GET", "/users/i/search", &[]), Ok(("GetUser", vec!["i".to_owned(), "search".to_owned()])));
        assert_eq!(find_op("GET", "/objects/a/b/c/meta", &[]), Ok(("GetObject", vec!["a/b/c".to_owned()])));
        assert_eq!(find_op("GET", "/t", &[("tagging", "")]).unwrap().0, "Tagged");
        assert_eq!(find_op("GET", "/t", &[]).unwrap().0, "Plain");
    }

    /// Paths longer than the segments decoded on the stack are read the same way: at the
    /// boundary, beyond it, escaped or not.
    #[test]
    fn long_paths_route_as_short_ones() {
        for n in 1..=14 {
            let parts: Vec<String> =
                (0..n).map(|i| if i % 3 == 1 { format!("p%2F{i}") } else { format!("p{i}") }).collect();
            let path = format!("/objects/{}/meta", parts.join("/"));
            let label = parts.join("/").replace("%2F", "/");
            assert_eq!(find_op("GET", &path, &[]), Ok(("GetObject", vec![label])), "{path}");
            let bad = format!("/objects/{}/%FF/meta", parts.join("/"));
            assert!(matches!(find_op("GET", &bad, &[]), Err(Rejection::Malformed(_))), "{bad}");
        }
    }

    proptest::proptest! {
        /// The segments are those of splitting the whole path at every `/` and then dropping one
        /// empty last segment (unless it is the only one), as routing has always read them.
        #[test]
        fn paths_split_into_their_segments(path in "/?(a|b%2F|/){0,6}") {
            let all: Vec<&str> = path.strip_prefix('/').unwrap_or(&path).split('/').collect();
            let expected: &[&str] = match all.as_slice() {
                [rest @ .., ""] if !rest.is_empty() => rest,
                [""] => &[],
                all => all,
            };
            let (segments, count) = path_segments(&path);
            proptest::prop_assert_eq!(segments.collect::<Vec<_>>(), expected);
            proptest::prop_assert_eq!(count, expected.len());
        }
    }

    #[test]
    fn rejects_unknown_paths_and_methods() {
        assert_eq!(find_op("GET", "/user/federate", &[]), Err(Rejection::UnknownOperation));
        assert_eq!(find_op("GET", "/user/federate/", &[]), Err(Rejection::UnknownOperation));
        assert_eq!(find_op("GET", "/user/federate//", &[]), Err(Rejection::UnknownOperation));
        assert_eq!(find_op("DELETE", "/user/federate/x", &[]), Err(Rejection::MethodNotAllowed));
        // Method names are case-sensitive (RFC 9110, 9.1): `get` is not GET.
        assert_eq!(find_op("get", "/user/federate/x", &[]), Err(Rejection::MethodNotAllowed));
        assert_eq!(find_op("GET", "/objects/meta", &[]), Err(Rejection::UnknownOperation));
        assert!(matches!(find_op("GET", "/user/federate/%FF", &[]), Err(Rejection::Malformed(_))));
    }
}

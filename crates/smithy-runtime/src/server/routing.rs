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
    // A path of up to `INLINE` segments (most are) is read into an array on the stack, not a
    // `Vec`, in one pass that also says whether it has a percent escape. One without (most
    // are) is matched as borrowed slices: nothing decoded, copied or dropped.
    const INLINE: usize = 8;
    let mut inline = [""; INLINE];
    let mut spilled = Vec::new();
    let (count, escaped) = path_segments(path, &mut inline);
    let segments: &[&str] = if count <= INLINE {
        &inline[..count]
    } else {
        spilled.resize(count, "");
        path_segments(path, &mut spilled);
        &spilled
    };
    if !escaped {
        return best_route(routes, method, query, segments);
    }
    let decoded: Result<Vec<Cow<'_, str>>, _> =
        segments.iter().map(|s| percent_encoding::percent_decode_str(s).decode_utf8()).collect();
    match decoded {
        Ok(decoded) => best_route(routes, method, query, &decoded),
        Err(_) => Err(Rejection::Malformed("the request path is not valid UTF-8 after percent-decoding".into())),
    }
}

/// The most specific of the routes that match these decoded segments, the query and the
/// method (see [`find`]).
fn best_route<S: AsRef<str>>(
    routes: &[Route],
    method: &str,
    query: &[(String, String)],
    decoded: &[S],
) -> Result<(usize, Vec<String>), Rejection> {
    let mut best: Option<(usize, Vec<String>)> = None;
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
        // Ranked only when two routes both fit: most requests have one.
        if best.as_ref().is_none_or(|(b, _)| Rank::of(route) > Rank::of(&routes[*b])) {
            best = Some((i, labels));
        }
    }
    match best {
        Some(found) => Ok(found),
        None if path_matched => Err(Rejection::MethodNotAllowed),
        None => Err(Rejection::UnknownOperation),
    }
}

/// Splits a path into its segments (still percent-encoded): a single trailing slash is not
/// significant, and `/` alone is no segment at all. As many as fit go into `slots`; returns
/// how many there are, and whether any has a `%`.
fn path_segments<'p>(path: &'p str, slots: &mut [&'p str]) -> (usize, bool) {
    let relative = path.strip_prefix('/').unwrap_or(path);
    if relative.is_empty() {
        return (0, false);
    }
    let trimmed = relative.strip_suffix('/').unwrap_or(relative);
    let (mut count, mut escaped, mut start) = (0, false, 0);
    let mut put = |count: usize, start: usize, end: usize| {
        if let Some(slot) = slots.get_mut(count) {
            *slot = trimmed.get(start..end).unwrap_or_default();
        }
    };
    for (i, &b) in trimmed.as_bytes().iter().enumerate() {
        if b == b'/' {
            put(count, start, i);
            count += 1;
            start = i + 1;
        } else if b == b'%' {
            escaped = true;
        }
    }
    put(count, start, trimmed.len());
    (count + 1, escaped)
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

fn match_path<S: AsRef<str>>(pattern: &[Segment], segments: &[S]) -> Option<Vec<String>> {
    let mut labels = Vec::new();
    if match_from(pattern, segments, &mut labels) { Some(labels) } else { None }
}

fn match_from<S: AsRef<str>>(pattern: &[Segment], segments: &[S], labels: &mut Vec<String>) -> bool {
    match pattern.split_first() {
        None => segments.is_empty(),
        Some((Segment::Literal(lit), rest)) => {
            segments.first().is_some_and(|s| s.as_ref() == *lit) && match_from(rest, &segments[1..], labels)
        }
        Some((Segment::Label, rest)) => match segments.first() {
            Some(s) if !s.as_ref().is_empty() => {
                labels.push(s.as_ref().to_owned());
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
                if greedy.iter().any(|s| s.as_ref().is_empty()) {
                    continue;
                }
                labels.push(greedy.iter().map(AsRef::as_ref).collect::<Vec<&str>>().join("/"));
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

    /// Paths longer than the segments read on the stack are read the same way: at the
    /// boundary, beyond it, escaped or not.
    #[test]
    fn long_paths_route_as_short_ones() {
        for n in 1..=14 {
            let parts: Vec<String> =
                (0..n).map(|i| if i % 3 == 1 { format!("p%2F{i}") } else { format!("p{i}") }).collect();
            let path = format!("/objects/{}/meta", parts.join("/"));
            let label = parts.join("/").replace("%2F", "/");
            assert_eq!(find_op("GET", &path, &[]), Ok(("GetObject", vec![label])), "{path}");
            // The same without escapes, which is read without decoding.
            let plain: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
            let path = format!("/objects/{}/meta", plain.join("/"));
            assert_eq!(find_op("GET", &path, &[]), Ok(("GetObject", vec![plain.join("/")])), "{path}");
            let users = format!("/users/{}", plain.join("/"));
            let expected = if n == 2 { Ok(("GetUser", plain.clone())) } else { Err(Rejection::UnknownOperation) };
            assert_eq!(find_op("GET", &users, &[]), expected, "{users}");
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
            let mut slots = vec![""; expected.len()];
            let (count, escaped) = path_segments(&path, &mut slots);
            proptest::prop_assert_eq!(&slots, expected);
            proptest::prop_assert_eq!(escaped, path.contains('%'));
            // Fewer slots than segments: those that fit, and the whole count.
            let mut short = vec![""; expected.len().saturating_sub(1)];
            proptest::prop_assert_eq!(path_segments(&path, &mut short).0, expected.len());
            proptest::prop_assert_eq!(&short[..], &expected[..short.len()]);
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

//! What the mock received, and expectations about it, checked by `verify()` and on drop, with
//! a failure message that lists what was received and why each request did not match.

use std::cell::RefCell;
use std::fmt;

/// Headers whose values are never recorded.
const SECRET_HEADERS: &[&str] = &["authorization", "x-amz-security-token", "cookie"];

/// Whether a header is one of [`SECRET_HEADERS`]: the standard ones compared as known names
/// (no text compared), the rest by their text.
fn is_secret(name: &http::HeaderName) -> bool {
    name == http::header::AUTHORIZATION || name == http::header::COOKIE || name.as_str() == SECRET_HEADERS[1]
}

/// The longest a recorded or logged text field (caller, path, header value) may be; longer
/// ones are cut, saying how long they were.
pub const MAX_FIELD_LEN: usize = 256;

/// One request, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// Its number: 0 for the first request the mock received, counting on across resets.
    pub seq: u64,
    /// When it arrived (the system's clock, not the mock's: a fixed clock does not move).
    pub received_at: std::time::SystemTime,
    /// The HTTP method.
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The instance id of a GetFederationToken request, percent-decoded.
    pub instance_id: Option<String>,
    /// The access key id from the SigV4 `Authorization` header.
    pub caller: Option<String>,
    /// The headers, with `Authorization` and security tokens redacted.
    pub headers: Vec<(String, String)>,
    /// The status the mock answered (`None` when it dropped the connection).
    pub status: Option<u16>,
    /// The request id it answered with.
    pub request_id: Option<String>,
}

impl ReceivedRequest {
    /// As JSON, for the admin API: times in RFC 3339, a dropped connection as `"status": null`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "seq": self.seq,
            "received_at": format_time(self.received_at),
            "method": self.method,
            "path": self.path,
            "instance_id": self.instance_id,
            "caller": self.caller,
            "status": self.status,
            "request_id": self.request_id,
            "headers": self.headers.iter().map(|(k, v)| serde_json::json!([k, v])).collect::<Vec<_>>(),
        })
    }

    /// `true` for a GetFederationToken call (a GET of `/user/federate/{InstanceId}`).
    pub fn is_get_federation_token(&self) -> bool {
        self.method == "GET" && self.instance_id.is_some()
    }
}

impl fmt::Display for ReceivedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(c) = &self.caller {
            write!(f, " (caller {c})")?;
        } else {
            write!(f, " (unsigned)")?;
        }
        match self.status {
            Some(s) => write!(f, " -> {s}"),
            None => write!(f, " -> connection dropped"),
        }
    }
}

/// A request's log line, as the mock logs it once it has answered: every field bounded (see
/// [`MAX_FIELD_LEN`]), never a secret. [`MockBuilder::log_requests_with`](crate::MockBuilder::log_requests_with)
/// hands it to a function of yours instead of `tracing`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path, as sent (percent-encoded).
    pub path: &'a str,
    /// The status answered; `None` when a script dropped the connection.
    pub status: Option<u16>,
    /// The access key id that signed the request.
    pub caller: Option<&'a str>,
    /// The instance id of a GetFederationToken request, percent-decoded.
    pub instance: Option<&'a str>,
    /// The request id answered with.
    pub request_id: Option<&'a str>,
    /// When the request arrived (the system's clock), which the mock's own log line shows.
    pub received_at: std::time::SystemTime,
}

impl RequestLine<'_> {
    /// Logs the line through `tracing` (target `connect_mock`, level INFO, message `served`, or
    /// `dropped` for a dropped connection), as a mock does by default.
    pub fn trace(&self) {
        let caller = self.caller.unwrap_or("unsigned");
        let instance = self.instance.unwrap_or("-");
        let (method, path) = (self.method, self.path);
        match self.status {
            // Plain `&str` values: a subscriber records them without going through `core::fmt`.
            Some(status) => {
                let request_id = self.request_id.unwrap_or("-");
                tracing::info!(target: "connect_mock", method, path, status, caller, instance, request_id, "served")
            }
            None => tracing::info!(target: "connect_mock", method, path, caller, instance, "dropped"),
        }
    }
}

/// A request as the journal keeps it, made cheaply while serving: one allocation holding the
/// path, the caller, the instance, the request id and the headers (secret values already
/// replaced, every value bounded), turned into a [`ReceivedRequest`] only when someone reads the
/// journal.
#[derive(Clone)]
pub(crate) struct Recorded {
    pub(crate) seq: u64,
    received_at: std::time::SystemTime,
    method: http::Method,
    status: Option<u16>,
    /// The fields ([`PATH`], [`CALLER`], [`INSTANCE`], [`REQUEST_ID`]), then each header's name
    /// and value, each text ending in `\0` (which no path, header name or header value holds).
    text: String,
    /// Where each field ends in `text` (just past its `\0`).
    ends: [u32; 4],
    /// Which fields are present (bit `1 << field`); an absent one is empty.
    present: u8,
}

const PATH: usize = 0;
const CALLER: usize = 1;
const INSTANCE: usize = 2;
const REQUEST_ID: usize = 3;

impl fmt::Debug for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_received(), f)
    }
}

impl Recorded {
    /// Starts the record of a request from its head (before it is answered), with the request
    /// id it will be answered with.
    pub(crate) fn start(parts: &http::request::Parts, request_id: &str) -> Recorded {
        let headers = &parts.headers;
        let path = parts.uri.path();
        let instance = instance_of(path);
        let cut = |n: usize| n.min(MAX_FIELD_LEN + 32);
        // The caller is read from the first `Authorization` header as the headers are sized,
        // rather than looked up apart.
        let mut caller = None;
        let mut headers_size = 0;
        for (k, v) in headers {
            headers_size += k.as_str().len() + 2;
            if is_secret(k) {
                headers_size += smithy_runtime::REDACTED.len();
                if caller.is_none() && k == http::header::AUTHORIZATION {
                    caller = Some(smithy_runtime::server::access_key_id_of(v));
                }
            } else {
                headers_size += cut(v.len());
            }
        }
        let caller = caller.flatten();
        let size = cut(path.len())
            + caller.map_or(0, |c| cut(c.len()))
            + instance.as_ref().map_or(0, |i| cut(i.len()))
            + cut(request_id.len())
            + headers_size
            + 4;
        let mut record = Recorded {
            seq: 0,
            received_at: std::time::SystemTime::now(),
            method: parts.method.clone(),
            status: None,
            text: text_with_capacity(size),
            ends: [0; 4],
            present: 0,
        };
        record.push_field(PATH, Some(path));
        record.push_field(CALLER, caller);
        record.push_field(INSTANCE, instance.as_deref());
        record.push_field(REQUEST_ID, Some(request_id));
        let text = &mut record.text;
        for (k, v) in headers {
            text.push_str(k.as_str());
            text.push('\0');
            if is_secret(k) {
                text.push_str(smithy_runtime::REDACTED);
            } else {
                // Most values are visible ASCII, which `to_str` checks in one short loop; the
                // rest are read as UTF-8, invalid bytes replaced.
                match v.to_str() {
                    Ok(v) => text.push_str(&bounded(v)),
                    Err(_) => text.push_str(&bounded(&String::from_utf8_lossy(v.as_bytes()))),
                }
            }
            text.push('\0');
        }
        record
    }

    /// Gives the record's text back for another record to use (see [`SPARE_TEXTS`]).
    pub(crate) fn recycle(self) {
        let mut text = self.text;
        if text.capacity() <= MAX_SPARE_CAPACITY {
            text.clear();
            SPARE_TEXTS.with_borrow_mut(|spares| {
                if spares.len() < MAX_SPARE_TEXTS {
                    spares.push(text);
                }
            });
        }
    }

    fn push_field(&mut self, field: usize, value: Option<&str>) {
        if let Some(v) = value {
            self.text.push_str(&bounded(v));
            self.present |= 1 << field;
        }
        self.text.push('\0');
        self.ends[field] = self.text.len() as u32;
    }

    /// Completes the record with the answer's status (`None` for a dropped connection).
    pub(crate) fn finish(&mut self, status: Option<u16>) {
        self.status = status;
    }

    fn field(&self, field: usize) -> Option<&str> {
        let start = if field == 0 { 0 } else { self.ends[field - 1] as usize };
        (self.present & (1 << field) != 0).then(|| &self.text[start..self.ends[field] as usize - 1])
    }

    pub(crate) fn method(&self) -> &str {
        self.method.as_str()
    }

    /// When it arrived (the system's clock).
    pub(crate) fn received_at(&self) -> std::time::SystemTime {
        self.received_at
    }

    pub(crate) fn path(&self) -> &str {
        self.field(PATH).unwrap_or("")
    }

    pub(crate) fn caller(&self) -> Option<&str> {
        self.field(CALLER)
    }

    /// The instance id of a GetFederationToken request, percent-decoded.
    pub(crate) fn instance_id(&self) -> Option<&str> {
        self.field(INSTANCE)
    }

    pub(crate) fn request_id(&self) -> Option<&str> {
        self.field(REQUEST_ID)
    }

    pub(crate) fn status(&self) -> Option<u16> {
        self.status
    }

    fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut parts = self.text[self.ends[REQUEST_ID] as usize..].split('\0');
        std::iter::from_fn(move || {
            let name = parts.next().filter(|n| !n.is_empty())?;
            Some((name, parts.next().unwrap_or("")))
        })
    }

    /// As the library and the admin API show it.
    pub(crate) fn to_received(&self) -> ReceivedRequest {
        ReceivedRequest {
            seq: self.seq,
            received_at: self.received_at,
            method: bounded(self.method()).into_owned(),
            path: self.path().to_owned(),
            instance_id: self.instance_id().map(str::to_owned),
            caller: self.caller().map(str::to_owned),
            headers: self.headers().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            status: self.status,
            request_id: self.request_id().map(str::to_owned),
        }
    }
}

thread_local! {
    /// The texts of records the journal dropped on this thread, emptied, for the next records
    /// made here: once the journal is full, a record reuses memory instead of allocating, and
    /// the journal, which drops old records a thousand at a time, frees none of them.
    static SPARE_TEXTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The most texts a thread keeps for reuse.
const MAX_SPARE_TEXTS: usize = 1024;

/// The largest text kept for reuse (most records need a few hundred bytes).
const MAX_SPARE_CAPACITY: usize = 1024;

/// An empty text with room for `size` bytes: a spare one when this thread has one no more than
/// twice as large (so that a record never holds much more memory than it needs).
fn text_with_capacity(size: usize) -> String {
    match SPARE_TEXTS.with_borrow_mut(Vec::pop) {
        Some(mut text) if text.capacity() <= 2 * size.max(128) => {
            text.reserve(size);
            text
        }
        _ => String::with_capacity(size),
    }
}

/// The instance id in a GetFederationToken path (`/user/federate/{InstanceId}`),
/// percent-decoded.
fn instance_of(path: &str) -> Option<std::borrow::Cow<'_, str>> {
    let rest = path.strip_prefix("/user/federate/").filter(|rest| !rest.is_empty())?;
    // One pass for both bytes: an id is a few bytes, shorter than a search's set-up.
    let (mut slash, mut escaped) = (false, false);
    for b in rest.bytes() {
        slash |= b == b'/';
        escaped |= b == b'%';
    }
    if slash {
        return None;
    }
    if !escaped {
        return Some(std::borrow::Cow::Borrowed(rest));
    }
    smithy_runtime::binding::decode(rest).map(std::borrow::Cow::Owned)
}

/// An instant as the mock writes it (RFC 3339, UTC, with the fraction of a second when there
/// is one).
pub(crate) fn format_time(t: std::time::SystemTime) -> String {
    smithy_runtime::timestamp::format(&smithy_runtime::DateTime::from(t), smithy_runtime::TimestampFormat::DateTime)
}

/// `text`, or its first [`MAX_FIELD_LEN`] bytes (at a character boundary) and how long it was.
pub(crate) fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    cut_to(text, MAX_FIELD_LEN)
}

/// `text`, or its first `max` bytes (at a character boundary) followed by `...(N bytes)`, its
/// whole length. The binary's log bounds its values with it too.
#[doc(hidden)]
pub fn cut_to(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}...({} bytes)", &text[..end], text.len()))
}

/// How many matching calls an expectation wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Times {
    /// Exactly this many.
    Exactly(usize),
    /// At least this many.
    AtLeast(usize),
}

/// An expectation about GetFederationToken calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    times: Times,
    instance: Option<String>,
    caller: Option<String>,
}

impl Expectation {
    /// Exactly `n` calls.
    pub fn calls(n: usize) -> Self {
        Expectation { times: Times::Exactly(n), instance: None, caller: None }
    }

    /// At least `n` calls.
    pub fn at_least(n: usize) -> Self {
        Expectation { times: Times::AtLeast(n), instance: None, caller: None }
    }

    /// Only calls for this instance count.
    pub fn instance(mut self, instance: impl Into<String>) -> Self {
        self.instance = Some(instance.into());
        self
    }

    /// Only calls signed with this access key id count.
    pub fn caller(mut self, access_key_id: impl Into<String>) -> Self {
        self.caller = Some(access_key_id.into());
        self
    }

    /// Why `request` does not match, or `None` when it does.
    fn mismatch(&self, request: &ReceivedRequest) -> Option<String> {
        if !request.is_get_federation_token() {
            return Some("not a GetFederationToken call".into());
        }
        if let Some(want) = &self.instance
            && request.instance_id.as_deref() != Some(want.as_str())
        {
            return Some(format!("instance is `{}`, not `{want}`", request.instance_id.as_deref().unwrap_or("")));
        }
        if let Some(want) = &self.caller {
            match request.caller.as_deref() {
                Some(c) if c == want => {}
                Some(c) => return Some(format!("caller is `{c}`, not `{want}`")),
                None => return Some(format!("unsigned, not from `{want}`")),
            }
        }
        None
    }

    fn describe(&self) -> String {
        let mut out = match self.times {
            Times::Exactly(n) => format!("exactly {n} GetFederationToken call{}", if n == 1 { "" } else { "s" }),
            Times::AtLeast(n) => format!("at least {n} GetFederationToken call{}", if n == 1 { "" } else { "s" }),
        };
        if let Some(i) = &self.instance {
            out.push_str(&format!(" for instance `{i}`"));
        }
        if let Some(c) = &self.caller {
            out.push_str(&format!(" from `{c}`"));
        }
        out
    }
}

/// Expectations that were not met, with what was received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationError {
    message: String,
}

impl fmt::Display for VerificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VerificationError {}

/// Checks every expectation against the requests.
pub(crate) fn verify(expectations: &[Expectation], received: &[ReceivedRequest]) -> Result<(), VerificationError> {
    let mut failures = Vec::new();
    for e in expectations {
        let matched = received.iter().filter(|r| e.mismatch(r).is_none()).count();
        let ok = match e.times {
            Times::Exactly(n) => matched == n,
            Times::AtLeast(n) => matched >= n,
        };
        if !ok {
            let mut text = format!("expected {}, got {matched}", e.describe());
            let misses: Vec<String> = received
                .iter()
                .enumerate()
                .filter_map(|(i, r)| e.mismatch(r).map(|why| format!("    #{} {r}: {why}", i + 1)))
                .collect();
            if !misses.is_empty() {
                text.push_str("; requests that did not match:\n");
                text.push_str(&misses.join("\n"));
            }
            failures.push(text);
        }
    }
    if failures.is_empty() {
        return Ok(());
    }
    let mut message = String::from("mock expectations not met:\n");
    for f in failures {
        message.push_str("  - ");
        message.push_str(&f);
        message.push('\n');
    }
    message.push_str(&format!("received {} request(s)", received.len()));
    if received.is_empty() {
        message.push_str(" (is the client pointed at the mock's endpoint_url?)");
    } else {
        message.push(':');
        for (i, r) in received.iter().enumerate() {
            message.push_str(&format!("\n  #{} {r}", i + 1));
        }
    }
    Err(VerificationError { message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_recorded_as_text_secrets_redacted() {
        let long = "v".repeat(MAX_FIELD_LEN + 10);
        let request = http::Request::get("/user/federate/i-1")
            .header("x-ascii", "plain value\twith a tab")
            .header("x-utf8", "caf\u{e9}".as_bytes())
            .header("x-bytes", &b"a\xffb"[..])
            .header("x-long", &long)
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDA/20261128/us-east-1/connect/aws4_request")
            .header("Cookie", "session=1")
            .header("X-Amz-Security-Token", "token")
            .body(())
            .unwrap();
        let received = Recorded::start(&request.into_parts().0, "r-1").to_received();
        let header = |name: &str| received.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(header("x-ascii"), Some("plain value\twith a tab"));
        assert_eq!(header("x-utf8"), Some("caf\u{e9}"));
        assert_eq!(header("x-bytes"), Some("a\u{fffd}b"));
        assert_eq!(header("x-long"), Some(&*bounded(&long)));
        for secret in SECRET_HEADERS {
            assert_eq!(header(secret), Some(smithy_runtime::REDACTED), "{secret}");
        }
        assert_eq!(received.caller.as_deref(), Some("AKIDA"));
        assert_eq!(received.instance_id.as_deref(), Some("i-1"));
    }

    /// A record is sized for what it keeps: a secret header's redaction, not its value.
    #[test]
    fn a_record_holds_no_room_for_secrets_it_does_not_keep() {
        let signature = "0".repeat(2000);
        let request = http::Request::get("/user/federate/i-1")
            .header("authorization", format!("AWS4-HMAC-SHA256 Credential=AKIDA/x, Signature={signature}"))
            .body(())
            .unwrap();
        let record = Recorded::start(&request.into_parts().0, "r-1");
        assert!(record.text.capacity() < 200, "{} bytes for {}", record.text.capacity(), record.text.len());
    }

    /// A record dropped by the journal lends its text to the next record made on the thread,
    /// unless it is much larger than that record needs.
    #[test]
    fn texts_are_reused_when_they_fit() {
        let parts = |path: &str| http::Request::get(path).body(()).unwrap().into_parts().0;
        let first = Recorded::start(&parts("/user/federate/i-1"), "r-1");
        let at = first.text.as_ptr();
        first.recycle();
        let second = Recorded::start(&parts("/user/federate/i-2"), "r-2");
        assert_eq!(second.text.as_ptr(), at);
        assert_eq!((second.path(), second.request_id()), ("/user/federate/i-2", Some("r-2")));
        // A large text is not lent to a small record (and is freed rather than kept).
        let long = format!("/{}", "p".repeat(600));
        let large = Recorded::start(&parts(&long), "r-3");
        let large_capacity = large.text.capacity();
        large.recycle();
        let small = Recorded::start(&parts("/x"), "r-4");
        assert!(small.text.capacity() < large_capacity / 2, "{} of {large_capacity}", small.text.capacity());
        assert!(SPARE_TEXTS.with_borrow(Vec::is_empty));
        // Nor is one too large for any record kept at all.
        let mut huge = Recorded::start(&parts("/x"), "r-5");
        huge.text.reserve(MAX_SPARE_CAPACITY + 1);
        huge.recycle();
        assert!(SPARE_TEXTS.with_borrow(Vec::is_empty));
    }

    fn req(instance: Option<&str>, caller: Option<&str>) -> ReceivedRequest {
        ReceivedRequest {
            seq: 0,
            received_at: std::time::SystemTime::UNIX_EPOCH,
            method: "GET".into(),
            path: format!("/user/federate/{}", instance.unwrap_or("")),
            instance_id: instance.map(str::to_owned),
            caller: caller.map(str::to_owned),
            headers: vec![],
            status: Some(200),
            request_id: None,
        }
    }

    #[test]
    fn failures_say_what_was_received_and_why_it_did_not_match() {
        let received = vec![req(Some("i-1"), Some("AKIDA")), req(Some("i-2"), Some("AKIDB")), req(Some("i-1"), None)];
        assert!(verify(&[Expectation::calls(3), Expectation::calls(2).instance("i-1")], &received).is_ok());
        let err = verify(&[Expectation::calls(1).instance("i-1").caller("AKIDB")], &received).unwrap_err().to_string();
        assert!(
            err.contains("expected exactly 1 GetFederationToken call for instance `i-1` from `AKIDB`, got 0"),
            "{err}"
        );
        assert!(
            err.contains("#1 GET /user/federate/i-1 (caller AKIDA) -> 200: caller is `AKIDA`, not `AKIDB`"),
            "{err}"
        );
        assert!(err.contains("#2 GET /user/federate/i-2 (caller AKIDB) -> 200: instance is `i-2`, not `i-1`"), "{err}");
        assert!(err.contains("#3 GET /user/federate/i-1 (unsigned) -> 200: unsigned, not from `AKIDB`"), "{err}");
        let none = verify(&[Expectation::at_least(1)], &[]).unwrap_err().to_string();
        assert!(none.contains("is the client pointed at the mock"), "{none}");
    }

    #[test]
    fn the_instance_is_the_last_segment_decoded() {
        let of = |path| instance_of(path).map(|i| i.into_owned());
        assert_eq!(of("/user/federate/i-1").as_deref(), Some("i-1"));
        assert_eq!(of("/user/federate/a%2Fb").as_deref(), Some("a/b"));
        for path in ["/user/federate/a/b", "/user/federate/a%2F/", "/user/federate/", "/users/federate/i-1", "/x"] {
            assert_eq!(of(path), None, "{path}");
        }
    }

    #[test]
    fn secrets_are_not_recorded() {
        let (parts, ()) = http::Request::get("/user/federate/i-1")
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=deadbeef")
            .header("x-amz-security-token", "TOKEN")
            .header("x-long", "v".repeat(10_000))
            .body(())
            .unwrap()
            .into_parts();
        let recorded = Recorded::start(&parts, "r-1");
        assert!(!recorded.text.contains("deadbeef") && !recorded.text.contains("TOKEN"), "{recorded:?}");
        let shown = format!("{recorded:?}");
        assert!(!shown.contains("deadbeef") && !shown.contains("TOKEN"), "{shown}");
        assert!(shown.contains("...(10000 bytes)"), "{shown}");
    }

    #[test]
    fn records_read_back_as_received() {
        let (parts, ()) = http::Request::get("/user/federate/i%2D1")
            .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDA/20261128/us-east-1/connect/aws4_request")
            .header("x-amz-date", "20261128T000000Z")
            .header("host", "localhost")
            .body(())
            .unwrap()
            .into_parts();
        let mut recorded = Recorded::start(&parts, "r-1");
        assert_eq!((recorded.caller(), recorded.request_id(), recorded.status()), (Some("AKIDA"), Some("r-1"), None));
        recorded.finish(Some(200));
        recorded.seq = 7;
        let r = recorded.to_received();
        assert_eq!((r.seq, r.method.as_str(), r.path.as_str()), (7, "GET", "/user/federate/i%2D1"));
        assert_eq!(r.instance_id.as_deref(), Some("i-1"));
        assert_eq!((r.caller.as_deref(), r.request_id.as_deref(), r.status), (Some("AKIDA"), Some("r-1"), Some(200)));
        let headers: Vec<(&str, &str)> = r.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            headers,
            [("authorization", smithy_runtime::REDACTED), ("x-amz-date", "20261128T000000Z"), ("host", "localhost")]
        );
        let (parts, ()) = http::Request::post("/x").body(()).unwrap().into_parts();
        let mut unsigned = Recorded::start(&parts, "r-2");
        unsigned.finish(None);
        let r = unsigned.to_received();
        assert_eq!((r.caller, r.status, r.instance_id, r.headers), (None, None, None, vec![]));
        assert_eq!(r.request_id.as_deref(), Some("r-2"));
    }
}

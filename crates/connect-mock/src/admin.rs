//! The admin API: the mock's state over HTTP, for tests in any language, under [`PREFIX`] on the
//! mock's own port (no AWS path starts with it). Everything a fixtures file can say can be said
//! here at runtime, and `GET /__mock/fixtures` says the current state as a fixtures document.
//!
//! | Route | Does |
//! |---|---|
//! | `GET /__mock/health` | `{"status": "ok", "version", "requests", "pending_answers"}` |
//! | `GET /__mock/` | the dashboard (one HTML page, no network needed) |
//! | `POST /__mock/reset` | back to the starting fixtures; no requests, scripts or expectations |
//! | `GET`, `PUT /__mock/fixtures` | the whole state as fixtures (secrets redacted); replace it |
//! | `PATCH /__mock/settings` | `region`, `account_id`, token lifetimes, `verify_sigv4` |
//! | `GET`, `POST /__mock/instances`, `DELETE …/instances/{id}` | instances (with their users) |
//! | `POST …/instances/{id}/users`, `DELETE …/instances/{id}/users/{key}` | users |
//! | `GET`, `POST /__mock/root-keys`, `DELETE …/root-keys/{key}` | root access keys |
//! | `GET`, `POST /__mock/key-pairs`, `DELETE …/key-pairs/{key}` | SigV4 key pairs (ids listed) |
//! | `GET`, `POST`, `DELETE /__mock/scripts` | pending scripted answers |
//! | `GET`, `DELETE /__mock/requests` | received requests, `?instance=&caller=&after=`, with `count` |
//! | `POST /__mock/verify` | `{"times": n}` or `{"at_least": n}`, `instance`, `caller`: 200, or 422 with the failure text |
//! | `GET`, `PUT /__mock/clock`, `POST /__mock/clock/advance` | `{"now": RFC 3339 or null}`, `{"seconds": n}` |
//!
//! Errors are JSON too: `{"error": <code>, "message": <text>, "problems": [...]}` with 400 for
//! bad input (every problem listed), 404 for an unknown route or item, 405 for a wrong method.

use std::time::{Duration, SystemTime};

use http::{Method, Response, StatusCode, header};
use serde::Deserialize;
use serde_json::{Value, json};
use smithy_runtime::server::axum::body::Body;

use crate::fixtures::{Fixtures, FixturesError, InstanceFixture, KeyPair, UserFixture};
use crate::record::Expectation;
use crate::record::format_time;
use crate::state::{RequestFilter, State};

/// Where the admin API and the dashboard live.
pub const PREFIX: &str = "/__mock";

/// The dashboard: one self-contained page.
const DASHBOARD: &str = include_str!("dashboard.html");

/// Whether a request path is the admin API's.
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.strip_prefix(PREFIX).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A failed admin call.
struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
    problems: Vec<String>,
}

impl Failure {
    fn bad(message: impl Into<String>) -> Self {
        Failure { status: StatusCode::BAD_REQUEST, code: "BadRequest", message: message.into(), problems: vec![] }
    }

    fn not_found(message: impl Into<String>) -> Self {
        Failure { status: StatusCode::NOT_FOUND, code: "NotFound", message: message.into(), problems: vec![] }
    }
}

impl From<FixturesError> for Failure {
    fn from(e: FixturesError) -> Self {
        Failure {
            status: StatusCode::BAD_REQUEST,
            code: "InvalidFixtures",
            message: e.to_string(),
            problems: e.problems,
        }
    }
}

type Answered = Result<(StatusCode, Value), Failure>;

fn ok(value: Value) -> Answered {
    Ok((StatusCode::OK, value))
}

/// Answers an admin request (its body already read).
pub(crate) fn handle(state: &State, method: &Method, path: &str, query: &str, body: &[u8]) -> Response<Body> {
    let rest = path.strip_prefix(PREFIX).unwrap_or_default();
    if method == Method::GET && (rest.is_empty() || rest == "/" || rest == "/dashboard") {
        return Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::from(DASHBOARD))
            .unwrap_or_default();
    }
    let segments: Option<Vec<String>> =
        rest.trim_start_matches('/').split('/').map(smithy_runtime::binding::decode).collect();
    let answered = match segments {
        Some(segments) => {
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            route(state, method, &segments, query, body)
        }
        None => Err(Failure::bad("the path is not UTF-8 once percent-decoded")),
    };
    let (status, value) = answered
        .unwrap_or_else(|f| (f.status, json!({ "error": f.code, "message": f.message, "problems": f.problems })));
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(value.to_string()))
        .unwrap_or_default()
}

fn route(state: &State, method: &Method, segments: &[&str], query: &str, body: &[u8]) -> Answered {
    let m = method.as_str();
    match (m, segments) {
        ("GET", ["health"]) => ok(json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "requests": state.request_count(),
            "pending_answers": state.pending_answers(),
        })),
        ("POST", ["reset"]) => {
            state.reset();
            ok(json!({ "reset": true }))
        }
        ("GET", ["fixtures"]) => ok(fixtures_json(&state.fixtures())),
        ("PUT", ["fixtures"]) => {
            let mut fixtures = Fixtures::from_json(text(body)?)?;
            keep_redacted_secrets(&mut fixtures, &state.fixtures());
            state.replace(fixtures)?;
            ok(fixtures_json(&state.fixtures()))
        }
        ("PATCH", ["settings"]) => {
            let s: Settings = parse(body)?;
            state.edit(|f| {
                if let Some(v) = s.region {
                    f.region = v;
                }
                if let Some(v) = s.account_id {
                    f.account_id = v;
                }
                if let Some(v) = s.access_token_lifetime_secs {
                    f.access_token_lifetime_secs = v;
                }
                if let Some(v) = s.refresh_token_lifetime_secs {
                    f.refresh_token_lifetime_secs = v;
                }
                if let Some(v) = s.verify_sigv4 {
                    f.verify_sigv4 = v;
                }
                Ok(())
            })?;
            ok(fixtures_json(&state.fixtures()))
        }
        ("GET", ["instances"]) => ok(json!(state.world().fixtures.instances)),
        ("POST", ["instances"]) => {
            let instance: InstanceFixture = parse(body)?;
            let answer = json!(instance);
            state.edit(|f| {
                f.instances.retain(|i| i.id != instance.id);
                f.instances.push(instance);
                Ok(())
            })?;
            Ok((StatusCode::CREATED, answer))
        }
        ("DELETE", ["instances", id]) => removed(state.edit(|f| Ok(remove(&mut f.instances, |i| i.id == *id)))?, id),
        ("POST", ["instances", id, "users"]) => {
            let user: UserFixture = parse(body)?;
            let answer = json!(user);
            match state.edit(|f| add_user(f, id, user)) {
                Err(e) if e.problems.iter().any(|p| p.starts_with("no instance")) => {
                    Err(Failure::not_found(e.problems.join("; ")))
                }
                other => other.map(|()| (StatusCode::CREATED, answer)).map_err(Failure::from),
            }
        }
        ("DELETE", ["instances", id, "users", key]) => {
            let found = state.edit(|f| {
                let instance = f.instances.iter_mut().find(|i| i.id == *id);
                Ok(instance.is_some_and(|i| remove(&mut i.users, |u| u.access_key_id == *key)))
            })?;
            removed(found, key)
        }
        ("GET", ["root-keys"]) => ok(json!(state.world().fixtures.root_keys)),
        ("POST", ["root-keys"]) => {
            let KeyId { access_key_id } = parse(body)?;
            let answer = json!({ "access_key_id": access_key_id });
            state.edit(|f| {
                if !f.root_keys.contains(&access_key_id) {
                    f.root_keys.push(access_key_id);
                }
                Ok(())
            })?;
            Ok((StatusCode::CREATED, answer))
        }
        ("DELETE", ["root-keys", key]) => removed(state.edit(|f| Ok(remove(&mut f.root_keys, |k| k == key)))?, key),
        ("GET", ["key-pairs"]) => {
            let ids: Vec<Value> =
                state.world().fixtures.key_pairs.iter().map(|k| json!({ "access_key_id": k.access_key_id })).collect();
            ok(json!(ids))
        }
        ("POST", ["key-pairs"]) => {
            let pair: KeyPair = parse(body)?;
            let answer = json!({ "access_key_id": pair.access_key_id });
            state.edit(|f| {
                f.key_pairs.retain(|k| k.access_key_id != pair.access_key_id);
                f.key_pairs.push(pair);
                Ok(())
            })?;
            Ok((StatusCode::CREATED, answer))
        }
        ("DELETE", ["key-pairs", key]) => {
            removed(state.edit(|f| Ok(remove(&mut f.key_pairs, |k| k.access_key_id == *key)))?, key)
        }
        ("GET", ["scripts"]) => ok(json!(state.fixtures().scripts)),
        ("POST", ["scripts"]) => {
            let script: crate::script::ScriptFixture = parse(body)?;
            state.push_script(script.instance.as_deref(), script.answers).map_err(Failure::bad)?;
            Ok((StatusCode::CREATED, json!({ "pending_answers": state.pending_answers() })))
        }
        ("DELETE", ["scripts"]) => {
            state.clear_scripts();
            ok(json!({ "pending_answers": 0 }))
        }
        ("GET", ["requests"]) => {
            let filter = request_filter(query)?;
            let requests: Vec<Value> = state.requests(&filter).iter().map(|r| r.to_json()).collect();
            ok(json!({ "count": requests.len(), "requests": requests }))
        }
        ("DELETE", ["requests"]) => {
            state.clear_requests();
            ok(json!({ "count": 0 }))
        }
        ("POST", ["verify"]) => {
            let expectation = parse::<VerifyBody>(body)?.expectation()?;
            let received = state.requests(&RequestFilter::default());
            match crate::record::verify(&[expectation], &received) {
                Ok(()) => ok(json!({ "ok": true })),
                Err(e) => Ok((StatusCode::UNPROCESSABLE_ENTITY, json!({ "ok": false, "message": e.to_string() }))),
            }
        }
        ("GET", ["clock"]) => ok(clock_json(state)),
        ("PUT", ["clock"]) => {
            let ClockBody { now } = parse(body)?;
            let now = match now {
                Some(text) => Some(parse_time(&text)?),
                None => None,
            };
            state.set_now(now);
            ok(clock_json(state))
        }
        ("POST", ["clock", "advance"]) => {
            let Advance { seconds } = parse(body)?;
            let by = Duration::try_from_secs_f64(seconds)
                .map_err(|_| Failure::bad(format!("`seconds` must be a number of seconds from 0 up, not {seconds}")))?;
            state.advance(by);
            ok(clock_json(state))
        }
        _ if known_path(segments) => Err(Failure {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "MethodNotAllowed",
            message: format!("{m} is not a method of {PREFIX}/{}", segments.join("/")),
            problems: vec![],
        }),
        _ => Err(Failure::not_found(format!(
            "no admin route {m} {PREFIX}/{} (see the README's admin API table, or GET {PREFIX}/ for the dashboard)",
            segments.join("/")
        ))),
    }
}

/// Whether some method serves this path (for 405 rather than 404).
fn known_path(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["health" | "reset" | "fixtures" | "settings" | "instances" | "root-keys" | "key-pairs" | "scripts"]
            | ["requests" | "verify" | "clock"]
            | ["instances" | "root-keys" | "key-pairs", _]
            | ["instances", _, "users"]
            | ["instances", _, "users", _]
            | ["clock", "advance"]
    )
}

/// Removes the items that match; whether there was one.
pub(crate) fn remove<T>(items: &mut Vec<T>, hit: impl Fn(&T) -> bool) -> bool {
    let before = items.len();
    items.retain(|i| !hit(i));
    items.len() != before
}

/// Adds (or replaces) a user of an existing instance.
pub(crate) fn add_user(f: &mut Fixtures, instance: &str, user: UserFixture) -> Result<(), String> {
    let Some(i) = f.instances.iter_mut().find(|i| i.id == instance) else {
        return Err(format!("no instance {instance:?} (add it first)"));
    };
    i.users.retain(|u| u.access_key_id != user.access_key_id);
    i.users.push(user);
    Ok(())
}

fn removed(found: bool, what: &str) -> Answered {
    if found { ok(json!({ "removed": what })) } else { Err(Failure::not_found(format!("no {what:?} to remove"))) }
}

/// Fixtures as JSON, secret keys redacted.
fn fixtures_json(fixtures: &Fixtures) -> Value {
    let mut value = json!(fixtures);
    if let Some(pairs) = value.get_mut("key_pairs").and_then(Value::as_array_mut) {
        for pair in pairs {
            pair["secret_access_key"] = json!(smithy_runtime::REDACTED);
        }
    }
    value
}

/// A fixtures document read back from `GET /fixtures` has redacted secrets: those keep the
/// secret the mock has for the same access key id.
fn keep_redacted_secrets(new: &mut Fixtures, current: &Fixtures) {
    for pair in &mut new.key_pairs {
        if pair.secret_access_key == smithy_runtime::REDACTED
            && let Some(old) = current.key_pairs.iter().find(|k| k.access_key_id == pair.access_key_id)
        {
            pair.secret_access_key.clone_from(&old.secret_access_key);
        }
    }
}

fn clock_json(state: &State) -> Value {
    json!({ "now": format_time(state.now()), "fixed": state.clock_is_fixed() })
}

fn parse_time(text: &str) -> Result<SystemTime, Failure> {
    let probe = Fixtures { now: Some(text.to_owned()), ..Fixtures::default() };
    probe.fixed_now().map_err(Failure::bad)?.ok_or_else(|| Failure::bad("no time given"))
}

fn text(body: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(body).map_err(|e| Failure::bad(format!("the body is not UTF-8: {e}")))
}

/// A JSON object body as `T`, unknown fields refused.
fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Failure> {
    let text = text(body)?;
    if !text.trim_start().starts_with('{') {
        return Err(Failure::bad("the body must be a JSON object"));
    }
    serde_json::from_str(text).map_err(|e| Failure::bad(format!("the body does not fit: {e}")))
}

fn request_filter(query: &str) -> Result<RequestFilter, Failure> {
    let pairs = smithy_runtime::binding::parse_query(query).map_err(|e| Failure::bad(format!("invalid query: {e}")))?;
    let mut filter = RequestFilter::default();
    for (key, value) in pairs {
        match key.as_str() {
            "instance" => filter.instance = Some(value),
            "caller" => filter.caller = Some(value),
            "after" => {
                let n = value
                    .parse()
                    .map_err(|_| Failure::bad(format!("`after` must be a sequence number, not {value:?}")))?;
                filter.after = Some(n);
            }
            other => return Err(Failure::bad(format!("unknown filter `{other}` (instance, caller, after)"))),
        }
    }
    Ok(filter)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default, deserialize_with = "present")]
    region: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    account_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    access_token_lifetime_secs: Option<Option<u64>>,
    #[serde(default, deserialize_with = "present")]
    refresh_token_lifetime_secs: Option<Option<u64>>,
    verify_sigv4: Option<bool>,
}

/// A field that is present (`Some`), possibly `null` (`Some(None)`, back to the default).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyId {
    access_key_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    now: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyBody {
    times: Option<usize>,
    at_least: Option<usize>,
    instance: Option<String>,
    caller: Option<String>,
}

impl VerifyBody {
    fn expectation(self) -> Result<Expectation, Failure> {
        let mut e = match (self.times, self.at_least) {
            (Some(n), None) => Expectation::calls(n),
            (None, Some(n)) => Expectation::at_least(n),
            _ => return Err(Failure::bad("give one of `times` (exactly) and `at_least`")),
        };
        if let Some(i) = self.instance {
            e = e.instance(i);
        }
        if let Some(c) = self.caller {
            e = e.caller(c);
        }
        Ok(e)
    }
}

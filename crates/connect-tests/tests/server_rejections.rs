//! What the generated server answers to requests that are not a valid call: unknown routes,
//! wrong methods, malformed input, and arbitrary bytes. Every answer is AWS-shaped
//! (`X-Amzn-ErrorType`, a JSON body with a message, `x-amzn-RequestId`), and the server never
//! panics or drops a connection without answering.

mod common;

use common::{Fake, serve};
use proptest::prelude::*;

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

struct Answer {
    status: u16,
    error_type: Option<String>,
    request_id: Option<String>,
    body: serde_json::Value,
}

async fn send(http: &reqwest::Client, method: &str, url: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = http.request(method, url).body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("the server answers");
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, error_type, request_id) =
        (resp.status().as_u16(), header("x-amzn-errortype"), header("x-amzn-requestid"));
    let bytes = resp.bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Answer { status, error_type, request_id, body }
}

fn assert_aws_shaped(a: &Answer) {
    assert!(a.request_id.as_deref().is_some_and(|id| !id.is_empty()), "every answer has a request id");
    if a.status >= 400 {
        assert!(a.error_type.is_some(), "an error answer names its type");
        let message = a.body.get("message").or_else(|| a.body.get("Message"));
        assert!(message.is_some_and(serde_json::Value::is_string), "an error answer has a JSON message: {}", a.body);
    }
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let url = serve(Fake::default()).await;
    let http = http();
    let a = send(&http, "GET", &format!("{url}/nope"), &[], vec![]).await;
    assert_eq!((a.status, a.error_type.as_deref()), (404, Some("UnknownOperationException")));
    assert_aws_shaped(&a);
    let a = send(&http, "POST", &format!("{url}/user/federate/i-1"), &[], vec![]).await;
    assert_eq!((a.status, a.error_type.as_deref()), (405, Some("MethodNotAllowedException")));
    assert_aws_shaped(&a);
    let a = send(&http, "GET", &format!("{url}/user/federate/"), &[], vec![]).await;
    assert_eq!(a.status, 404, "an empty label matches no route");
}

#[tokio::test]
async fn a_valid_call_answers_json_with_a_request_id() {
    let url = serve(Fake::default()).await;
    let a = send(&http(), "GET", &format!("{url}/user/federate/i-1"), &[], vec![]).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, serde_json::json!({}));
    assert_aws_shaped(&a);
}

#[tokio::test]
async fn labels_that_are_not_utf8_are_malformed() {
    let url = serve(Fake::default()).await;
    let a = send(&http(), "GET", &format!("{url}/user/federate/%FF%FE"), &[], vec![]).await;
    assert_eq!((a.status, a.error_type.as_deref()), (400, Some("SerializationException")));
    assert_aws_shaped(&a);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let router = connect_server::router_with_body_limit(Fake::default(), 1024);
    let url = common::serve_router(router).await;
    let a = send(&http(), "GET", &format!("{url}/user/federate/i"), &[], vec![b'x'; 4096]).await;
    assert_eq!((a.status, a.error_type.as_deref()), (413, Some("RequestEntityTooLargeException")));
    assert_aws_shaped(&a);
}

fn method() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        "/[a-z%0-9/._~+-]{0,24}",
        "/user/federate/[a-zA-Z0-9%._~-]{0,120}",
        Just("/user/federate/%".to_owned()),
        Just("/user/federate/%zz".to_owned()),
        Just("//user//federate//x".to_owned()),
    ]
    .prop_map(|p| p.replace("//", "/"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any method, path, header set and body gets an answer, and the server keeps serving.
    #[test]
    fn random_requests_get_aws_shaped_answers(
        method in method(),
        path in path(),
        query in "[a-z=&%0-9]{0,16}",
        content_type in prop::option::of(prop::sample::select(vec!["application/json", "text/plain", "application/x-amz-json-1.1", "\u{7f}"])),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let url = serve(Fake::default()).await;
            let http = http();
            let mut headers = Vec::new();
            if let Some(ct) = content_type.filter(|c| c.is_ascii() && !c.contains('\u{7f}')) {
                headers.push(("content-type", ct));
            }
            let target = if query.is_empty() { format!("{url}{path}") } else { format!("{url}{path}?{query}") };
            if reqwest::Url::parse(&target).is_err() {
                return;
            }
            let a = send(&http, method, &target, &headers, body).await;
            if method != "HEAD" {
                assert_aws_shaped(&a);
            }
            let again = send(&http, "GET", &format!("{url}/user/federate/still-alive"), &[], vec![]).await;
            assert_eq!(again.status, 200, "the server keeps serving");
        });
    }
}

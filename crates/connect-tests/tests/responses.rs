//! What the generated client makes of responses: the AWS documentation's example parses to the
//! right values and writes back to the same JSON, and malformed answers (a proxy's HTML page,
//! truncated or mistyped JSON, an empty error) are typed errors that say what happened.

mod common;

use connect_client::error::ProvideErrorMetadata;
use connect_client::error::SdkError;
use connect_client::operation::get_federation_token::{GetFederationTokenError, GetFederationTokenOutput};
use connect_client::primitives::DateTime;
use connect_server::axum;
use http::StatusCode;

/// The response of the API reference, with realistic values.
const GOLDEN: &str = r#"{
    "Credentials": {
        "AccessToken": "EXAMPLEACCESSTOKEN",
        "AccessTokenExpiration": 1700000000.5,
        "RefreshToken": "EXAMPLEREFRESHTOKEN",
        "RefreshTokenExpiration": 1700086400
    },
    "SignInUrl": "https://example.awsapps.com/auth/sign-in?token=EXAMPLE",
    "UserArn": "arn:aws:connect:us-west-2:123456789012:instance/aaaa-bbbb/agent/cccc-dddd",
    "UserId": "cccc-dddd"
}"#;

/// The golden response, read by the client's deserialiser.
fn golden() -> GetFederationTokenOutput {
    let response = http::Response::builder().status(200).body(bytes::Bytes::from_static(GOLDEN.as_bytes())).unwrap();
    connect_client::operation::get_federation_token::deserialize(&response).unwrap()
}

#[tokio::test]
async fn golden_json_round_trips_through_client_and_server() {
    let value = golden();
    let creds = value.credentials().unwrap();
    assert_eq!(creds.access_token(), Some("EXAMPLEACCESSTOKEN"));
    assert_eq!(*creds.access_token_expiration().unwrap(), DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000));
    assert_eq!(*creds.refresh_token_expiration().unwrap(), DateTime::from_secs(1_700_086_400));
    assert_eq!(value.user_id(), Some("cccc-dddd"));
    let response = connect_server::handlers::get_federation_token::serialize("req-1", value);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let written: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(written, serde_json::from_str::<serde_json::Value>(GOLDEN).unwrap());
}

/// A server that answers every request with this status, content type and body.
async fn canned(
    status: u16,
    content_type: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static [u8],
) -> String {
    let router = axum::Router::new().fallback(move || async move {
        let mut resp = http::Response::new(axum::body::Body::from(body));
        *resp.status_mut() = StatusCode::from_u16(status).unwrap();
        resp.headers_mut().insert("content-type", content_type.parse().unwrap());
        for (k, v) in headers {
            resp.headers_mut().insert(*k, v.parse().unwrap());
        }
        resp
    });
    common::serve_router(router).await
}

async fn call(url: &str) -> Result<GetFederationTokenOutput, SdkError<GetFederationTokenError>> {
    common::client(url).get_federation_token().instance_id("i").send().await
}

#[tokio::test]
async fn the_golden_response_parses_over_http() {
    let url = canned(200, "application/json", &[("x-amzn-requestid", "req-1")], GOLDEN.as_bytes()).await;
    let out = call(&url).await.unwrap();
    assert_eq!(out, golden());
}

#[tokio::test]
async fn malformed_success_bodies_are_response_errors() {
    let cases: [(&'static [u8], &str); 5] = [
        (b"<html><body>502 Bad Gateway</body></html>", "invalid JSON body"),
        (br#"{"Credentials": {"AccessToken": 5}}"#, "Credentials.AccessToken"),
        (br#"{"Credentials": {"AccessTokenExpiration": "tomorrow"}}"#, "Credentials.AccessTokenExpiration"),
        (br#"{"SignInUrl": "https://x", "UserId": "#, "invalid JSON body"),
        (br#"{"UserId": "a"} {"UserId": "b"}"#, "trailing"),
    ];
    for (body, expected) in cases {
        let url = canned(200, "application/json", &[], body).await;
        let err = call(&url).await.unwrap_err();
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        let text = err.to_string();
        assert!(text.starts_with("could not read the HTTP 200 response"), "{text}");
        assert!(text.contains(expected), "`{text}` should mention `{expected}`");
    }
}

#[tokio::test]
async fn error_statuses_without_a_code_are_unhandled_with_the_status() {
    for (status, body) in [(502u16, &b"<html>Bad Gateway</html>"[..]), (503, b""), (500, b"{}")] {
        let url = canned(status, "text/html", &[], body).await;
        let err = call(&url).await.unwrap_err();
        let SdkError::ServiceError(service) = &err else { panic!("{err:?}") };
        let GetFederationTokenError::Unhandled(u) = service.err() else { panic!("{err:?}") };
        assert_eq!(u.status(), Some(status));
        assert!(err.to_string().contains(&format!("HTTP {status}")), "{err}");
    }
}

#[tokio::test]
async fn error_codes_are_read_the_rest_json_way() {
    // Code from `__type` with a namespace, message in lowercase `message`.
    let body = br#"{"__type": "com.amazonaws.connect#UserNotFoundException", "message": "no such user"}"#;
    let url = canned(404, "application/json", &[], body).await;
    let err = call(&url).await.unwrap_err().into_service_error();
    let GetFederationTokenError::UserNotFoundException(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.message(), Some("no such user"), "the message is taken from `message` when `Message` is absent");

    // The header wins over the body, and its URL suffix is dropped.
    let url = canned(
        404,
        "application/json",
        &[("x-amzn-errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/")],
        br#"{"code": "Other", "Message": "no such instance"}"#,
    )
    .await;
    let err = call(&url).await.unwrap_err().into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert_eq!(err.message(), Some("no such instance"));
}

//! Secrets never show in `Debug` or `Display`: the `@sensitive` `Credentials` and its tokens are
//! redacted in the struct, its builder, everything that contains them, and the errors a call
//! can end with.

mod common;

use connect_client::operation::get_federation_token::{GetFederationTokenInput, GetFederationTokenOutput};
use connect_client::primitives::DateTime;
use connect_client::types::Credentials;

const ACCESS: &str = "SECRET-ACCESS-TOKEN-4f2a";
const REFRESH: &str = "SECRET-REFRESH-TOKEN-9c1b";

fn credentials() -> Credentials {
    Credentials::builder()
        .access_token(ACCESS)
        .refresh_token(REFRESH)
        .access_token_expiration(DateTime::from_secs(1_700_000_000))
        .build()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(ACCESS) && !text.contains(REFRESH), "a token leaked into: {text}");
    assert!(!text.contains("SECRET"), "a token leaked into: {text}");
}

#[test]
fn debug_redacts_credentials_everywhere() {
    let creds = credentials();
    let debug = format!("{creds:?}");
    assert_no_secret(&debug);
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    assert_no_secret(&format!("{:#?}", creds));
    assert_no_secret(&format!("{:?}", Credentials::builder().access_token(ACCESS)));

    let output = GetFederationTokenOutput::builder().credentials(creds.clone()).user_id("visible-user").build();
    let debug = format!("{output:?}");
    assert_no_secret(&debug);
    assert!(debug.contains("visible-user"), "members that are not sensitive stay visible: {debug}");
    assert_no_secret(&format!("{:?}", GetFederationTokenOutput::builder().credentials(creds.clone())));
    assert_no_secret(&format!("{:?}", Some(vec![output])));
}

#[test]
fn the_wire_form_still_carries_the_tokens() {
    // Redaction is for humans; serialisation must not lose the values.
    let json = String::from_utf8(smithy_runtime::json::to_body(&credentials()).unwrap()).unwrap();
    assert!(json.contains(ACCESS) && json.contains(REFRESH));
}

#[tokio::test]
async fn errors_of_a_call_carrying_credentials_do_not_leak_them() {
    // A response whose body holds tokens but does not parse: the error says what went wrong
    // without echoing the body.
    let body: &'static [u8] = br#"{"Credentials": {"AccessToken": "SECRET-ACCESS-TOKEN-4f2a", "RefreshToken": 7}}"#;
    let router = connect_server::axum::Router::new().fallback(move || async move {
        let mut resp = http::Response::new(connect_server::axum::body::Body::from(body));
        resp.headers_mut().insert("content-type", "application/json".parse().unwrap());
        resp
    });
    let url = common::serve_router(router).await;
    let err = common::client(&url).get_federation_token().instance_id("i").send().await.unwrap_err();
    assert_no_secret(&err.to_string());
    let input = GetFederationTokenInput::builder().instance_id("i").build().unwrap();
    assert!(format!("{input:?}").contains("\"i\""), "inputs without secrets print normally");
}

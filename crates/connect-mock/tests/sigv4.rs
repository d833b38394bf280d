//! SigV4 checking: with known key pairs the mock accepts correctly signed requests and answers
//! 403 as AWS does when the signature is missing, the key unknown, the secret wrong, or the
//! signing time too far from the mock's clock.

use std::time::{Duration, SystemTime};

use connect_client::config::retry::RetryConfig;
use connect_client::config::{Credentials, StaticTimeSource};
use connect_client::error::ProvideErrorMetadata;
use connect_client::{Client, Config};
use connect_mock::MockConnect;

fn client(mock: &MockConnect, key: &str, secret: &str, time: Option<SystemTime>) -> Client {
    let mut config = Config::builder()
        .endpoint_url(mock.endpoint_url())
        .region("us-east-1")
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .env(connect_client::config::Env::from_slice(&[]));
    if let Some(t) = time {
        config = config.time_source(StaticTimeSource(t));
    }
    Client::from_conf(config.build())
}

async fn mock() -> MockConnect {
    MockConnect::builder().verify_sigv4([("AKIDGOOD".to_owned(), "good-secret".to_owned())]).start().await
}

async fn code_of(client: &Client) -> (u16, Option<String>, Option<String>) {
    let err = client.get_federation_token().instance_id("i-1").send().await.unwrap_err();
    let status = err.raw_response().map_or(0, |r| r.status().as_u16());
    let e = err.into_service_error();
    (status, e.code().map(str::to_owned), e.message().map(str::to_owned))
}

#[tokio::test]
async fn correctly_signed_requests_pass() {
    let mock = mock().await;
    let out =
        client(&mock, "AKIDGOOD", "good-secret", None).get_federation_token().instance_id("i-1").send().await.unwrap();
    assert!(out.credentials().is_some());
    assert_eq!(mock.received_requests()[0].caller.as_deref(), Some("AKIDGOOD"));
}

#[tokio::test]
async fn bad_signatures_get_the_aws_answer() {
    let mock = mock().await;
    let (status, code, _) = code_of(&client(&mock, "AKIDOTHER", "x", None)).await;
    assert_eq!((status, code.as_deref()), (403, Some("UnrecognizedClientException")));

    let (status, code, message) = code_of(&client(&mock, "AKIDGOOD", "wrong-secret", None)).await;
    assert_eq!((status, code.as_deref()), (403, Some("InvalidSignatureException")));
    assert!(message.unwrap().contains("does not match"));

    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let (status, code, message) = code_of(&client(&mock, "AKIDGOOD", "good-secret", Some(an_hour_ago))).await;
    assert_eq!((status, code.as_deref()), (403, Some("InvalidSignatureException")));
    assert!(message.unwrap().starts_with("Signature expired"));
}

#[tokio::test]
async fn unsigned_requests_are_refused() {
    let mock = mock().await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let resp = reqwest::get(format!("{}/user/federate/i-1", mock.endpoint_url())).await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let kind = resp.headers().get("x-amzn-errortype").unwrap().to_str().unwrap().to_owned();
    assert_eq!(kind, "MissingAuthenticationTokenException");
    assert!(resp.headers().contains_key("x-amzn-requestid"));
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(body["message"], "Missing Authentication Token");
}

/// A signature for another region or another service is refused, as AWS refuses one: the
/// scope is part of what is checked, not only the arithmetic.
#[tokio::test]
async fn a_signature_for_another_region_or_service_is_refused() {
    let mock = mock().await;
    let eu = Client::from_conf(
        Config::builder()
            .endpoint_url(mock.endpoint_url())
            .region("eu-west-1")
            .credentials_provider(Credentials::new("AKIDGOOD", "good-secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .env(connect_client::config::Env::from_slice(&[]))
            .build(),
    );
    let (status, code, message) = code_of(&eu).await;
    assert_eq!((status, code.as_deref()), (403, Some("InvalidSignatureException")));
    assert!(message.unwrap().contains("scoped to a valid region"));

    // Signed correctly, with the right key, for S3.
    let mut request =
        http::Request::get(format!("{}/user/federate/i-1", mock.endpoint_url())).body(bytes::Bytes::new()).unwrap();
    let host = mock.endpoint_url().trim_start_matches("http://").to_owned();
    request.headers_mut().insert("host", host.parse().unwrap());
    let creds = Credentials::new("AKIDGOOD", "good-secret", None, None, "test");
    smithy_runtime::sigv4::sign(&mut request, &creds, "us-east-1", "s3", SystemTime::now()).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let mut call = http.get(request.uri().to_string());
    for (name, value) in request.headers() {
        call = call.header(name.as_str(), value.as_bytes());
    }
    let resp = call.send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(body["message"], "Credential should be scoped to correct service: 'connect'. ");
}

//! The generated client against the generated server over a real socket: what the handler sees
//! is what the client sent, and what the client gets is what the handler returned, for success,
//! every modeled error and an unmodeled one.

mod common;

use common::{Fake, client, serve};
use connect_client::error::ProvideErrorMetadata;
use connect_client::error::SdkError;
use connect_client::operation::RequestId;
use connect_client::operation::get_federation_token::{GetFederationTokenError, GetFederationTokenOutput};
use connect_client::primitives::DateTime;
use connect_client::types::error::{
    DuplicateResourceException, InternalServiceException, InvalidParameterException, InvalidRequestException,
    ResourceNotFoundException, UserNotFoundException,
};
use connect_client::types::{AttachedFileInvalidRequestExceptionReason, Credentials, InvalidRequestExceptionReason};
use smithy_runtime::Unhandled;

fn full_output() -> GetFederationTokenOutput {
    GetFederationTokenOutput::builder()
        .credentials(
            Credentials::builder()
                .access_token("access-token-value")
                .access_token_expiration(DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000))
                .refresh_token("refresh-token-value")
                .refresh_token_expiration(DateTime::from_secs_and_nanos(1_700_003_600, 987_000_000))
                .build(),
        )
        .sign_in_url("https://example.my.connect.aws/auth/sign-in?token=abc")
        .user_arn("arn:aws:connect:us-east-1:123456789012:instance/i-1/agent/u-1")
        .user_id("u-1")
        .build()
}

#[tokio::test]
async fn success_round_trips_every_field() {
    let fake = Fake::replying(Ok(full_output()));
    let url = serve(fake.clone()).await;
    let out = client(&url).get_federation_token().instance_id("instance-1").send().await.unwrap();
    assert_eq!(out, full_output(), "what the client got is what the handler returned");
    let creds = out.credentials().unwrap();
    assert_eq!(creds.access_token_expiration().unwrap().subsec_nanos(), 123_000_000, "fractional seconds survive");
    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].instance_id(), Some("instance-1"));
}

#[tokio::test]
async fn labels_reach_the_handler_intact() {
    let fake = Fake::default();
    let url = serve(fake.clone()).await;
    let client = client(&url);
    let ids = ["a/b", "with space", "100%", "é-ü-中", "a+b=c&d?e#f", "...", "~tilde", "a/../b"];
    for id in ids {
        client.get_federation_token().instance_id(id).send().await.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let seen: Vec<String> = fake.seen().iter().map(|i| i.instance_id().unwrap().to_owned()).collect();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn a_missing_or_empty_label_fails_before_sending() {
    let fake = Fake::default();
    let url = serve(fake.clone()).await;
    let client = client(&url);
    let attempts = [
        client.get_federation_token(),
        client.get_federation_token().instance_id(""),
        client.get_federation_token().instance_id(".."),
    ];
    for builder in attempts {
        let err = builder.send().await.unwrap_err();
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
        assert!(err.to_string().contains("`InstanceId`"), "the error names the member: {err}");
    }
    assert!(fake.seen().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn constraint_violations_are_a_modeled_400_naming_the_member() {
    let fake = Fake::default();
    let url = serve(fake.clone()).await;
    let long = "x".repeat(101);
    let err = client(&url).get_federation_token().instance_id(long.as_str()).send().await.unwrap_err();
    let raw = err.raw_response().unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    assert!(err.request_id().is_some());
    let service = err.into_service_error();
    let GetFederationTokenError::InvalidParameterException(e) = &service else { panic!("{service:?}") };
    let message = e.message().unwrap();
    assert!(message.contains("/InstanceId") && message.contains("length between 1 and 100"), "{message}");
    assert!(!message.contains(&long), "the value itself is not echoed");
    assert!(fake.seen().is_empty(), "the handler is not called with an invalid input");
}

/// Each modeled error, returned by the handler, reaches the client as that variant.
#[tokio::test]
async fn every_modeled_error_round_trips() {
    let reason = InvalidRequestExceptionReason::AttachedFileInvalidRequestExceptionReason(
        AttachedFileInvalidRequestExceptionReason::InvalidFileSize,
    );
    let cases: Vec<(GetFederationTokenError, &str, u16)> = vec![
        (DuplicateResourceException::builder().message("dup").build().into(), "DuplicateResourceException", 409),
        (InternalServiceException::builder().message("boom").build().into(), "InternalServiceException", 500),
        (InvalidParameterException::builder().message("bad param").build().into(), "InvalidParameterException", 400),
        (
            InvalidRequestException::builder().message("bad request").reason(reason).build().into(),
            "InvalidRequestException",
            400,
        ),
        (ResourceNotFoundException::builder().message("no instance").build().into(), "ResourceNotFoundException", 404),
        (UserNotFoundException::builder().message("no user").build().into(), "UserNotFoundException", 404),
    ];
    for (error, code, status) in cases {
        let url = serve(Fake::replying(Err(error.clone()))).await;
        let err = client(&url).get_federation_token().instance_id("i").send().await.unwrap_err();
        assert_eq!(err.raw_response().unwrap().status().as_u16(), status, "{code}");
        assert_eq!(err.code(), Some(code));
        let request_id = err.request_id().map(str::to_owned);
        assert!(request_id.is_some());
        let display = err.to_string();
        assert!(
            display.starts_with(code) && display.contains(error.message().unwrap()),
            "Display says what happened: {display}"
        );
        let received = err.into_service_error();
        assert_eq!(received, error, "{code}: the client got what the handler returned");
        assert_eq!(received.request_id().map(str::to_owned), request_id);
        assert_eq!(received.code(), Some(code));
    }
}

#[tokio::test]
async fn unmodeled_errors_keep_code_message_and_status() {
    let thrown = GetFederationTokenError::Unhandled(Unhandled::from_code(429, "ThrottlingException", "Rate exceeded"));
    let url = serve(Fake::replying(Err(thrown))).await;
    let err = client(&url).get_federation_token().instance_id("i").send().await.unwrap_err();
    assert_eq!(err.to_string().split(" (").next(), Some("ThrottlingException: Rate exceeded"));
    let GetFederationTokenError::Unhandled(u) = err.into_service_error() else { panic!("not unhandled") };
    assert_eq!(
        (u.meta().code(), u.meta().message(), u.status()),
        (Some("ThrottlingException"), Some("Rate exceeded"), Some(429))
    );
    assert!(u.meta().request_id().is_some());
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_server_keeps_serving() {
    let url = serve(Fake::panicking()).await;
    let client = client(&url);
    for _ in 0..2 {
        let err = client.get_federation_token().instance_id("i").send().await.unwrap_err();
        assert_eq!(err.raw_response().unwrap().status().as_u16(), 500);
        assert_eq!(err.code(), Some("InternalFailure"));
    }
}

#[tokio::test]
async fn connection_failures_are_dispatch_failures() {
    // Bind and drop a listener to find a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err =
        client(&format!("http://127.0.0.1:{port}")).get_federation_token().instance_id("i").send().await.unwrap_err();
    let SdkError::DispatchFailure(f) = &err else { panic!("{err:?}") };
    assert!(f.is_connect());
    assert!(f.is_io() && !f.is_timeout() && !f.is_user() && !f.is_other(), "{f:?}");
    assert!(err.to_string().starts_with("failed to send the request"), "{err}");
}

#[tokio::test]
async fn a_missing_region_is_a_clear_error_not_a_panic() {
    let config = connect_client::Config::builder()
        .credentials_provider(common::test_credentials())
        .env(connect_client::config::Env::from_slice(&[]))
        .build();
    let client = connect_client::Client::from_conf(config);
    let err = client.get_federation_token().instance_id("i").send().await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    // The model's endpoint rules say so, and the client says where it looked.
    let text = err.to_string();
    assert!(text.contains("Invalid Configuration: Missing Region"), "{text}");
    for place in ["`region`", "AWS_REGION", "AWS_DEFAULT_REGION", "profile `default`", "HOME is not set"] {
        assert!(text.contains(place), "{place} is not named: {text}");
    }

    // With an endpoint URL the rules need no region, but signing does; the profile looked in
    // is the one AWS_PROFILE names, in the file AWS_CONFIG_FILE names.
    let dir = std::env::temp_dir().join(format!("connect-tests-no-region-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config");
    std::fs::write(&config_file, "[profile dev]\noutput = json\n").unwrap();
    let config_file = config_file.to_str().unwrap().to_owned();
    let config = connect_client::Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(common::test_credentials())
        .env(connect_client::config::Env::from_slice(&[("AWS_PROFILE", "dev"), ("AWS_CONFIG_FILE", &config_file)]))
        .build();
    let err =
        connect_client::Client::from_conf(config).get_federation_token().instance_id("i").send().await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    for place in ["AWS_REGION", "AWS_DEFAULT_REGION", "profile `dev`", config_file.as_str()] {
        assert!(text.contains(place), "{place} is not named: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! aws-sdk-connect, the official AWS SDK for Rust, unmodified, against connect-mock.
//!
//! The SDK is configured as an app configures it for a local endpoint: a behavior version, the
//! mock's URL as `endpoint_url`, a region and dummy static keys, plus an HTTP client on rustls
//! with ring (the SDK's default client would pull aws-lc-sys and cmake). Its retry policy is its
//! default (standard, 3 attempts). Each test checks that the SDK reads the mock's answers as it
//! reads AWS's: every output field, the expirations as exact instants, each modeled error as its
//! `GetFederationTokenError` variant with its message, and throttling retried.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::operation::get_federation_token::GetFederationTokenError;
use aws_sdk_connect::{Client, Config};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_types::DateTime;
use connect_mock::{Answer, Fixtures, InstanceFixture, ManualClock, MockConnect, UserFixture};

const INSTANCE: &str = "11111111-2222-3333-4444-555555555555";
const AGENT_KEY: &str = "AKIDAGENTEXAMPLE";
const AGENT_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const ROOT_KEY: &str = "AKIDROOTEXAMPLE";

/// The HTTP client an app picks when it wants rustls on ring: `aws-smithy-http-client`'s
/// hyper client with `CryptoMode::Ring`.
fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(CryptoMode::Ring)).build_https()
}

/// A client as an app builds it for a local endpoint: nothing but the endpoint, a region and
/// dummy keys (and the HTTP client above).
fn client(mock: &MockConnect, access_key_id: &str) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(mock.endpoint_url())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(access_key_id, "any-secret", None, None, "test"))
        .http_client(http_client())
        .build();
    Client::from_conf(config)
}

/// A mock with one instance and one agent whose user id is known, and a root key.
fn fixtures() -> Fixtures {
    Fixtures {
        access_token_lifetime_secs: Some(3_600),
        refresh_token_lifetime_secs: Some(43_200),
        instances: vec![InstanceFixture {
            id: INSTANCE.to_owned(),
            alias: Some("example-corp".to_owned()),
            users: vec![UserFixture {
                access_key_id: AGENT_KEY.to_owned(),
                user_id: Some(AGENT_ID.to_owned()),
                user_name: Some("agent-1".to_owned()),
            }],
        }],
        root_keys: vec![ROOT_KEY.to_owned()],
        ..Fixtures::default()
    }
}

/// Every request the mock received, as `status` codes.
fn statuses(mock: &MockConnect) -> Vec<Option<u16>> {
    mock.received_requests().iter().map(|r| r.status).collect()
}

#[tokio::test]
async fn success_parses_every_field_and_the_expirations_as_exact_instants() {
    // 2030-01-02T03:04:05.125Z: a fraction that a double holds exactly, as the SDK reads
    // epoch-seconds timestamps through f64 (as every SDK does).
    let now = UNIX_EPOCH + Duration::new(1_893_553_445, 125_000_000);
    let clock = ManualClock::new(now);
    let mock = MockConnect::builder().fixtures(fixtures()).clock(clock.clone()).start().await;
    let client = client(&mock, AGENT_KEY);

    let out = client.get_federation_token().instance_id(INSTANCE).send().await.expect("GetFederationToken");
    let creds = out.credentials().expect("Credentials");
    assert_eq!(creds.access_token_expiration(), Some(&DateTime::from_secs_and_nanos(1_893_557_045, 125_000_000)));
    assert_eq!(creds.refresh_token_expiration(), Some(&DateTime::from_secs_and_nanos(1_893_596_645, 125_000_000)));
    assert_eq!(
        SystemTime::try_from(*creds.access_token_expiration().unwrap()).unwrap(),
        now + Duration::from_secs(3_600)
    );
    assert_eq!(
        creds.refresh_token_expiration().unwrap().fmt(aws_smithy_types::date_time::Format::DateTime).unwrap(),
        "2030-01-02T15:04:05.125Z"
    );
    let access = creds.access_token().expect("AccessToken");
    let refresh = creds.refresh_token().expect("RefreshToken");
    assert_eq!(access.len(), 64, "48 random bytes in base64: {access}");
    assert_eq!(refresh.len(), 64, "{refresh}");
    assert_ne!(access, refresh);
    let url = out.sign_in_url().expect("SignInUrl");
    assert!(url.starts_with("https://example-corp.my.connect.aws/auth/sign-in?token="), "{url}");
    assert_eq!(out.user_id(), Some(AGENT_ID));
    assert_eq!(
        out.user_arn(),
        Some(format!("arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/agent/{AGENT_ID}").as_str())
    );
    // The request id the mock stamped reaches the SDK's output.
    use aws_sdk_connect::operation::RequestId;
    let recorded = mock.received_requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(out.request_id(), recorded[0].request_id.as_deref());
    assert_eq!(recorded[0].caller.as_deref(), Some(AGENT_KEY), "the SDK's SigV4 header names the caller");
    assert_eq!(recorded[0].path, format!("/user/federate/{INSTANCE}"));

    // A later call: later expirations, fresh tokens.
    clock.advance(Duration::from_millis(60_250));
    let again = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap();
    let creds2 = again.credentials().unwrap();
    assert_eq!(creds2.access_token_expiration(), Some(&DateTime::from_secs_and_nanos(1_893_557_105, 375_000_000)));
    assert_ne!(creds2.access_token(), Some(access));

    // `Debug` of the SDK's output redacts the tokens, which the model marks @sensitive.
    assert!(!format!("{out:?}").contains(access));
}

#[tokio::test]
async fn the_system_clock_gives_expirations_an_hour_and_twelve_hours_ahead() {
    let mock = MockConnect::builder().fixtures(fixtures()).start().await;
    let before = DateTime::from(SystemTime::now());
    let out = client(&mock, AGENT_KEY).get_federation_token().instance_id(INSTANCE).send().await.unwrap();
    let after = DateTime::from(SystemTime::now());
    let creds = out.credentials().unwrap();
    let access = creds.access_token_expiration().unwrap();
    let refresh = creds.refresh_token_expiration().unwrap();
    assert!(access.secs() >= before.secs() + 3_600 && access.secs() <= after.secs() + 3_600, "{access}");
    // Both come from one reading of the clock: exactly 11 hours apart, to the microsecond
    // (the SDK reads the epoch seconds as a double, whose 53 bits keep microseconds here).
    let gap = refresh.as_secs_f64() - access.as_secs_f64();
    assert!((gap - 39_600.0).abs() < 1e-6, "{gap}");
}

#[tokio::test]
async fn signed_requests_pass_the_mocks_sigv4_check() {
    let mock = MockConnect::builder()
        .fixtures(fixtures())
        .verify_sigv4([(AGENT_KEY.to_owned(), "any-secret".to_owned())])
        .start()
        .await;
    let out = client(&mock, AGENT_KEY).get_federation_token().instance_id(INSTANCE).send().await;
    assert_eq!(out.expect("a request the SDK signed verifies").user_id(), Some(AGENT_ID));

    // A wrong secret: AWS's 403 InvalidSignatureException, which the SDK does not retry.
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(mock.endpoint_url())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AGENT_KEY, "wrong-secret", None, None, "test"))
        .http_client(http_client())
        .build();
    let err = Client::from_conf(config).get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
    let err = err.into_service_error();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");
    assert!(err.message().unwrap_or_default().contains("signature"), "{err:?}");
    assert_eq!(statuses(&mock), [Some(200), Some(403)]);
}

/// Each modeled error of GetFederationToken, scripted with a message, reaches the SDK as its
/// own variant with that message.
#[tokio::test]
async fn each_modeled_error_is_its_variant_with_its_message() {
    let mock = MockConnect::builder().fixtures(fixtures()).start().await;
    let client = client(&mock, AGENT_KEY);
    let codes = [
        "DuplicateResourceException",
        "InternalServiceException",
        "InvalidParameterException",
        "InvalidRequestException",
        "ResourceNotFoundException",
        "UserNotFoundException",
    ];
    for code in codes {
        let message = format!("scripted {code}: café / ünïcode \"quoted\"");
        // A 500 is retried by the SDK's default policy (3 attempts): script it for each.
        let attempts = if code == "InternalServiceException" { 3 } else { 1 };
        let before = mock.received_requests().len();
        mock.script(std::iter::repeat_n(Answer::error(code, &message), attempts));

        let err = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
        let err = err.into_service_error();
        let (variant, variant_message) = match &err {
            GetFederationTokenError::DuplicateResourceException(e) => ("DuplicateResourceException", e.message()),
            GetFederationTokenError::InternalServiceException(e) => ("InternalServiceException", e.message()),
            GetFederationTokenError::InvalidParameterException(e) => ("InvalidParameterException", e.message()),
            GetFederationTokenError::InvalidRequestException(e) => ("InvalidRequestException", e.message()),
            GetFederationTokenError::ResourceNotFoundException(e) => ("ResourceNotFoundException", e.message()),
            GetFederationTokenError::UserNotFoundException(e) => ("UserNotFoundException", e.message()),
            other => panic!("{code}: not its modeled variant: {other:?}"),
        };
        assert_eq!(variant, code, "{err:?}");
        assert_eq!(variant_message, Some(message.as_str()), "{code}: the modeled member");
        assert_eq!(err.message(), Some(message.as_str()), "{code}: the error metadata");
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.to_string(), format!("{code}: {message}"));
        assert_eq!(mock.received_requests().len() - before, attempts, "{code}");
        assert_eq!(mock.pending_answers(), 0);
    }
    assert!(
        mock.received_requests().iter().all(|r| r.path == format!("/user/federate/{INSTANCE}")),
        "{:?}",
        mock.received_requests()
    );
}

#[tokio::test]
async fn the_mocks_own_errors_are_modeled_variants_too() {
    let mock = MockConnect::builder().fixtures(fixtures()).start().await;

    // An instance the mock does not know.
    let err = client(&mock, AGENT_KEY).get_federation_token().instance_id("no-such-instance").send().await;
    let err = err.unwrap_err().into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert_eq!(err.message(), Some("Instance not found: no-such-instance"));

    // A caller with no user in the instance.
    let err = client(&mock, "AKIDSTRANGER").get_federation_token().instance_id(INSTANCE).send().await;
    let err = err.unwrap_err().into_service_error();
    assert!(err.is_user_not_found_exception(), "{err:?}");
    assert_eq!(
        err.message(),
        Some(format!("No user in instance {INSTANCE} corresponds to the IAM identity AKIDSTRANGER").as_str())
    );

    // The root user cannot federate: AWS's message, as the modeled InvalidRequestException.
    let err = client(&mock, ROOT_KEY).get_federation_token().instance_id(INSTANCE).send().await;
    let err = err.unwrap_err().into_service_error();
    let GetFederationTokenError::InvalidRequestException(e) = &err else { panic!("{err:?}") };
    assert_eq!(
        e.message(),
        Some(
            "Provided identity: Principal: arn:aws:iam::123456789012:root User: AKIDROOTEXAMPLE cannot be used for \
             federation with Amazon Connect"
        )
    );
    assert_eq!(e.reason(), None);
    assert_eq!(statuses(&mock), [Some(404), Some(404), Some(400)]);
}

#[tokio::test]
async fn throttling_twice_then_success_is_retried_by_the_default_policy() {
    let mock = MockConnect::builder().fixtures(fixtures()).start().await;
    mock.script([Answer::throttling(), Answer::throttling()]);
    let out = client(&mock, AGENT_KEY).get_federation_token().instance_id(INSTANCE).send().await;
    assert_eq!(out.expect("the third attempt succeeds").user_id(), Some(AGENT_ID));
    assert_eq!(statuses(&mock), [Some(429), Some(429), Some(200)]);
    let ids: std::collections::HashSet<_> = mock.received_requests().into_iter().map(|r| r.request_id).collect();
    assert_eq!(ids.len(), 3, "a fresh request id per answer");
}

#[tokio::test]
async fn throttling_past_the_attempts_is_the_throttling_error() {
    let mock = MockConnect::builder().fixtures(fixtures()).start().await;
    mock.script(std::iter::repeat_n(Answer::throttling(), 3));
    let err = client(&mock, AGENT_KEY).get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
    let err = err.into_service_error();
    // Recent Connect models list ThrottlingException among the operation's errors.
    let GetFederationTokenError::ThrottlingException(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.message(), Some("Rate exceeded"));
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(statuses(&mock), [Some(429); 3]);
}

/// The app path through aws-config: an `SdkConfig` with the endpoint, region and keys, and a
/// client made from it.
#[tokio::test]
async fn a_client_from_aws_config_works_the_same() {
    let now = UNIX_EPOCH + Duration::new(1_893_553_445, 500_000_000);
    let mock = MockConnect::builder().fixtures(fixtures()).clock(ManualClock::new(now)).start().await;
    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .empty_test_environment()
        .endpoint_url(mock.endpoint_url())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AGENT_KEY, "any-secret", None, None, "test"))
        .http_client(http_client())
        .load()
        .await;
    let client = Client::new(&sdk_config);
    let out = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap();
    assert_eq!(
        out.credentials().unwrap().access_token_expiration(),
        Some(&DateTime::from_secs_and_nanos(1_893_557_045, 500_000_000))
    );
    mock.script([Answer::error("UserNotFoundException", "no such agent")]);
    let err = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
    assert_eq!(err.as_service_error().map(|e| e.is_user_not_found_exception()), Some(true), "{err:?}");
    assert_eq!(err.as_service_error().and_then(ProvideErrorMetadata::message), Some("no such agent"));
}

//! An app written the way the AWS SDK for Rust's documentation writes it, against
//! `aws-sdk-connect`'s API, run against connect-mock. It is built twice: here on the real
//! `aws-sdk-connect` by `crates/aws-sdk-compat/tests/parity.rs`, and by
//! `crates/sdk-parity/tests/parity.rs` on `connect-client`, whose `Cargo.toml` renames the
//! package to `aws-sdk-connect` and changes nothing else. What it asserts is therefore what the
//! SDK does.
//!
//! The including file provides `super::side`: the builders an app starts from
//! (`config_builder()`, `sdk_config_builder()`), where the two builds differ only in what the
//! test set-up needs (the SDK built without its default features is given an HTTP client on
//! rustls with ring, and a behavior version for the `SdkConfig` it is built from).

use std::time::{Duration, Instant, SystemTime};

use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::config::timeout::TimeoutConfig;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region, SharedCredentialsProvider};
use aws_sdk_connect::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_connect::operation::RequestId;
use aws_sdk_connect::operation::get_federation_token::{GetFederationTokenInput, GetFederationTokenOutput};
use aws_sdk_connect::primitives::{Blob, DateTime, DateTimeFormat};
use aws_sdk_connect::{Client, Config};
use connect_mock::{Answer, MockConnect};

use super::side;

const INSTANCE: &str = "parity-instance";
const AGENT_KEY: &str = "AKIDPARITYAGENT";
const OTHER_KEY: &str = "AKIDPARITYOTHER";

async fn mock() -> MockConnect {
    MockConnect::builder().user(INSTANCE, AGENT_KEY, "agent").user(INSTANCE, OTHER_KEY, "other").start().await
}

fn credentials(key: &str) -> Credentials {
    Credentials::new(key, "any-secret", None, None, "parity")
}

/// A client as the SDK's guide builds one for a local endpoint.
fn client(mock: &MockConnect, key: &str) -> Client {
    let config = side::config_builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(mock.endpoint_url())
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials(key))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .build();
    Client::from_conf(config)
}

/// The app's own function: every call's error gathered into the crate's `Error` with `?`.
async fn federate(client: &Client, instance: &str) -> Result<GetFederationTokenOutput, aws_sdk_connect::Error> {
    let output = client.get_federation_token().instance_id(instance).send().await?;
    Ok(output)
}

/// The request id the mock gave its last answer.
fn last_request_id(mock: &MockConnect) -> Option<String> {
    mock.received_requests().last().and_then(|r| r.request_id.clone())
}

#[tokio::test]
async fn the_crate_error_gathers_every_call() {
    let mock = mock().await;
    let client = client(&mock, AGENT_KEY);
    assert!(federate(&client, INSTANCE).await.is_ok());

    mock.script([Answer::error("UserNotFoundException", "no user for this key")]);
    let err = federate(&client, INSTANCE).await.unwrap_err();
    match &err {
        aws_sdk_connect::Error::UserNotFoundException(e) => assert_eq!(e.message(), Some("no user for this key")),
        other => panic!("not UserNotFoundException: {other:?}"),
    }
    assert_eq!(err.code(), Some("UserNotFoundException"));
    assert_eq!(err.message(), Some("no user for this key"));
    assert_eq!(err.meta().code(), Some("UserNotFoundException"));
    assert_eq!(err.request_id().map(str::to_owned), last_request_id(&mock));
    assert!(err.to_string().starts_with("UserNotFoundException: no user for this key"), "{err}");
    assert!(std::error::Error::source(&err).is_none());
    assert!(DisplayErrorContext(&err).to_string().contains("no user for this key"), "{}", DisplayErrorContext(&err));

    // An error the operation does not model (in the SDK's model GetFederationToken lists
    // ThrottlingException, in ours it does not): match with a wildcard and look at the code.
    mock.script([Answer::throttling(), Answer::throttling(), Answer::throttling()]);
    let err = federate(&client, INSTANCE).await.unwrap_err();
    let code = match &err {
        aws_sdk_connect::Error::UserNotFoundException(_) => panic!("{err:?}"),
        err => err.code(),
    };
    assert_eq!(code, Some("ThrottlingException"));

    // A failure that is not a service error becomes the opaque `Unhandled`, with its cause.
    let closed = closed_port_client().await;
    let err = federate(&closed, INSTANCE).await.unwrap_err();
    assert_eq!(err.code(), None);
    assert!(std::error::Error::source(&err).is_some(), "{err:?}");
    let context = DisplayErrorContext(&err).to_string();
    assert!(context.to_lowercase().contains("connection refused"), "{context}");
}

#[tokio::test]
async fn request_ids_from_outputs_operation_errors_and_sdk_errors() {
    let mock = mock().await;
    let client = client(&mock, AGENT_KEY);
    let output = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap();
    let id = last_request_id(&mock);
    assert!(id.is_some());
    assert_eq!(output.request_id().map(str::to_owned), id);

    mock.script([Answer::error("ResourceNotFoundException", "no such instance")]);
    let err = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
    let id = last_request_id(&mock);
    assert!(id.is_some());
    assert_eq!(err.request_id().map(str::to_owned), id);
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.message(), Some("no such instance"));
    let status = mock.received_requests().last().and_then(|r| r.status);
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), status);
    let service_error = err.into_service_error();
    assert!(service_error.is_resource_not_found_exception());
    assert_eq!(service_error.request_id().map(str::to_owned), id);
    assert_eq!(service_error.meta().message(), Some("no such instance"));
}

#[tokio::test]
async fn config_builders_and_input_builders_have_set_methods() {
    let mock = mock().await;
    // Filled in steps, as code that reads settings from elsewhere does.
    let mut builder = Config::builder().region(None);
    builder
        .set_behavior_version(Some(BehaviorVersion::latest()))
        .set_region(Some(Region::new("us-east-1")))
        .set_endpoint_url(Some(mock.endpoint_url().to_owned()))
        .set_credentials_provider(Some(SharedCredentialsProvider::new(credentials(AGENT_KEY))))
        .set_retry_config(Some(RetryConfig::standard().with_max_attempts(2)))
        .set_timeout_config(Some(TimeoutConfig::builder().operation_timeout(Duration::from_secs(20)).build()));
    let config = side::with_test_transport(builder).build();
    assert_eq!(config.region().map(|r| r.as_ref().to_owned()).as_deref(), Some("us-east-1"));
    let client = Client::from_conf(config);

    let mut fluent = client.get_federation_token();
    assert_eq!(fluent.get_instance_id(), &None);
    fluent = fluent.set_instance_id(Some(INSTANCE.to_owned()));
    assert_eq!(fluent.as_input().get_instance_id().as_deref(), Some(INSTANCE));
    let output = fluent.send().await.unwrap();
    assert!(output.credentials().is_some());

    let input = GetFederationTokenInput::builder().set_instance_id(Some("i-2".to_owned())).build().unwrap();
    assert_eq!(input.instance_id(), Some("i-2"));
}

#[tokio::test]
async fn dispatch_failures_say_what_kind_they_are() {
    let client = closed_port_client().await;
    let err = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
    assert!(err.raw_response().is_none());
    match &err {
        SdkError::DispatchFailure(failure) => {
            assert!(failure.is_io(), "{err:?}");
            assert!(!failure.is_timeout() && !failure.is_user() && !failure.is_other(), "{err:?}");
        }
        other => panic!("not a dispatch failure: {other:?}"),
    }
    assert_eq!(err.code(), None);
    assert_eq!(err.request_id(), None);
}

#[tokio::test]
async fn customize_applies_per_call_overrides() {
    let mock = mock().await;
    let agent = client(&mock, AGENT_KEY);
    let other = client(&mock, OTHER_KEY);
    let agent_id = federate(&agent, INSTANCE).await.unwrap().user_id().map(str::to_owned);
    let other_id = federate(&other, INSTANCE).await.unwrap().user_id().map(str::to_owned);
    assert_ne!(agent_id, other_id);

    // Credentials for this call only.
    let output = agent
        .get_federation_token()
        .instance_id(INSTANCE)
        .customize()
        .config_override(Config::builder().credentials_provider(credentials(OTHER_KEY)))
        .send()
        .await
        .unwrap();
    assert_eq!(output.user_id().map(str::to_owned), other_id);
    assert_eq!(federate(&agent, INSTANCE).await.unwrap().user_id().map(str::to_owned), agent_id);

    // No retries for this call: one throttled attempt; the next call retries as configured.
    mock.script([Answer::throttling(), Answer::throttling()]);
    mock.clear_requests();
    let err = agent
        .get_federation_token()
        .instance_id(INSTANCE)
        .customize()
        .config_override(Config::builder().retry_config(RetryConfig::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(mock.received_requests().len(), 1);
    assert!(federate(&agent, INSTANCE).await.is_ok());
    assert_eq!(mock.received_requests().len(), 3);

    // A shorter operation timeout for this call.
    mock.script([Answer::delay(Duration::from_secs(3))]);
    let started = Instant::now();
    let err = agent
        .get_federation_token()
        .instance_id(INSTANCE)
        .customize()
        .config_override(
            Config::builder()
                .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_millis(300)).build()),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

/// aws-config's settings reach a service config built from them, and a service-level timeout
/// config merges with the shared one: the 300 ms operation timeout set in the `SdkConfig`
/// holds although the service sets a connect timeout.
#[tokio::test]
async fn a_service_config_from_an_sdk_config_merges_timeouts() {
    let mock = mock().await;
    let sdk_config = side::sdk_config_builder()
        .region(aws_types::region::Region::new("us-east-1"))
        .endpoint_url(mock.endpoint_url())
        .credentials_provider(SharedCredentialsProvider::new(credentials(AGENT_KEY)))
        .timeout_config(
            aws_types::sdk_config::TimeoutConfig::builder().operation_timeout(Duration::from_millis(300)).build(),
        )
        .build();

    // As the SDK's docs say for a service-specific setting.
    let config = aws_sdk_connect::config::Builder::from(&sdk_config)
        .timeout_config(TimeoutConfig::builder().connect_timeout(Duration::from_secs(5)).build())
        .build();
    let client = Client::from_conf(config);
    assert!(federate(&client, INSTANCE).await.is_ok());
    mock.script([Answer::delay(Duration::from_secs(3))]);
    let started = Instant::now();
    let err = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the shared operation timeout was lost: {:?}",
        started.elapsed()
    );

    // And the clients made straight from the `SdkConfig`.
    let client = Client::new(&sdk_config);
    let output = client.get_federation_token().instance_id(INSTANCE).send().await.unwrap();
    assert!(output.credentials().is_some());
    let client = Client::from_conf(Config::new(&sdk_config));
    assert!(federate(&client, INSTANCE).await.is_ok());
}

/// A client whose endpoint is a port nothing listens on.
async fn closed_port_client() -> Client {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let config = side::config_builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials(AGENT_KEY))
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

/// The primitives are aws-smithy-types' own: `DateTime` with `to_millis()` as a `Result`, `fmt`
/// and `from_str` with a `DateTimeFormat`, `Blob`, and the expirations of GetFederationToken's
/// `Credentials`, which aws-smithy-types-convert turns into chrono's and time's types.
#[tokio::test]
async fn the_primitives_are_aws_smithy_types() {
    let t: aws_smithy_types::DateTime = DateTime::from_secs(1_893_553_445);
    assert_eq!(t.to_millis().unwrap(), 1_893_553_445_000);
    assert!(DateTime::from_secs(i64::MAX).to_millis().is_err());
    assert_eq!(t.fmt(DateTimeFormat::DateTime).unwrap(), "2030-01-02T03:04:05Z");
    assert_eq!(t.fmt(DateTimeFormat::HttpDate).unwrap(), "Wed, 02 Jan 2030 03:04:05 GMT");
    assert_eq!(t.fmt(DateTimeFormat::EpochSeconds).unwrap(), "1893553445");
    assert_eq!(t.to_string(), "2030-01-02T03:04:05Z");
    let parsed = DateTime::from_str("2030-01-02T03:04:05.125Z", DateTimeFormat::DateTime).unwrap();
    assert_eq!(parsed, DateTime::from_millis(1_893_553_445_125));
    assert_eq!((parsed.secs(), parsed.subsec_nanos()), (1_893_553_445, 125_000_000));
    assert_eq!(DateTime::from_str("Wed, 02 Jan 2030 03:04:05 GMT", DateTimeFormat::HttpDate).unwrap(), t);
    assert!(DateTime::from_str("tomorrow", DateTimeFormat::DateTime).is_err());
    assert!(parsed > t);

    let blob = Blob::new(b"bytes".to_vec());
    assert_eq!(blob.as_ref(), b"bytes");
    let same: aws_smithy_types::Blob = blob.clone();
    assert_eq!(same.into_inner(), b"bytes".to_vec());

    let mock = mock().await;
    let client = client(&mock, AGENT_KEY);
    let before = SystemTime::now();
    let output = federate(&client, INSTANCE).await.unwrap();
    let after = SystemTime::now();
    let credentials = output.credentials().expect("credentials");
    let access: &aws_smithy_types::DateTime = credentials.access_token_expiration().expect("access expiration");
    let refresh: &aws_smithy_types::DateTime = credentials.refresh_token_expiration().expect("refresh expiration");
    // An hour and twelve hours ahead (the mock's defaults), give or take the float on the wire.
    let slack = Duration::from_millis(1);
    for (expiration, lifetime) in [(access, 3_600), (refresh, 43_200)] {
        let at = SystemTime::try_from(*expiration).expect("a SystemTime");
        let lifetime = Duration::from_secs(lifetime);
        assert!(at + slack >= before + lifetime && at <= after + lifetime + slack, "{expiration}");
        assert!(expiration.to_millis().is_ok());
        let whole = DateTime::from_secs(expiration.secs());
        let text = whole.fmt(DateTimeFormat::DateTime).unwrap();
        assert_eq!(DateTime::from_str(&text, DateTimeFormat::DateTime).unwrap(), whole);
    }
    assert!(refresh > access);

    // aws-smithy-types-convert, as SDK apps use it, on the values this client returns.
    use aws_smithy_types_convert::date_time::DateTimeExt;
    let chrono_at = access.to_chrono_utc().expect("a chrono time");
    assert_eq!(chrono_at.timestamp_millis(), access.to_millis().unwrap());
    let time_at = access.to_time().expect("a time OffsetDateTime");
    assert_eq!(time_at.unix_timestamp(), access.secs());
    assert_eq!(DateTime::from_chrono_utc(chrono_at).secs(), access.secs());
    assert_eq!(t.to_chrono_utc().unwrap().to_rfc3339(), "2030-01-02T03:04:05+00:00");
}

/// A customized call can be spawned onto another thread: its future is `Send`, which
/// `connect-client`'s `CustomizableSend` leaves to the compiler to see.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customized_call_can_be_spawned() {
    let mock = mock().await;
    let agent = client(&mock, AGENT_KEY);
    let call = agent
        .get_federation_token()
        .instance_id(INSTANCE)
        .customize()
        .config_override(Config::builder().retry_config(RetryConfig::disabled()))
        .send();
    let output = tokio::spawn(call).await.unwrap().unwrap();
    assert!(output.user_id().is_some());
}

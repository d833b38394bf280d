//! SigV4 end to end: the generated client against the generated server behind a layer that runs
//! `smithy_runtime::sigv4::verify` on every request, as AWS (or the mock) does. Correct
//! credentials, from the config, the environment, a profile file or an aws-config `SdkConfig`,
//! are accepted; a wrong secret, an unknown key, a skewed clock and a missing signature get the
//! 403 AWS answers; missing credentials fail at `send()` saying where the client looked, and no
//! credential error shows a secret.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::{Fake, serve_router};
use connect_client::config::{Credentials, Env, StaticTimeSource};
use connect_client::error::ProvideErrorMetadata;
use connect_client::error::SdkError;
use connect_client::operation::get_federation_token::GetFederationTokenOutput;
use connect_client::{Client, Config};
use connect_server::axum::body::Body;
use connect_server::axum::extract::Request;
use connect_server::axum::middleware::{self, Next};
use connect_server::axum::response::Response;
use smithy_runtime::Unhandled;
use smithy_runtime::sigv4::{DEFAULT_MAX_SKEW, VerifiedIdentity, verify};

/// The server's clock: 2024-05-01T00:00:00Z.
fn server_now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_521_600)
}

const KEY: &str = "AKIDTEST";
const SECRET: &str = "test-secret-key";
const PROFILE_KEY: &str = "AKIDPROFILE";
const PROFILE_SECRET: &str = "PROFILE-SECRET-VALUE";

/// A server that checks every request's signature against its known keys, at `server_now()`.
struct Verifying {
    url: String,
    seen: Arc<Mutex<Vec<VerifiedIdentity>>>,
    handled: Arc<AtomicUsize>,
}

async fn verifying_server() -> Verifying {
    let seen: Arc<Mutex<Vec<VerifiedIdentity>>> = Arc::default();
    let handled = Arc::new(AtomicUsize::new(0));
    let (kept, counted) = (seen.clone(), handled.clone());
    let layer = middleware::from_fn(move |request: Request, next: Next| {
        let (kept, counted) = (kept.clone(), counted.clone());
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            let (parts, body) = request.into_parts();
            let bytes = connect_server::axum::body::to_bytes(body, 1 << 20).await.unwrap();
            let keys = [(KEY, SECRET), (PROFILE_KEY, PROFILE_SECRET)];
            let lookup = |id: &str| keys.iter().find(|(k, _)| *k == id).map(|(_, s)| (*s).to_owned());
            match verify(&parts, &bytes, lookup, server_now(), DEFAULT_MAX_SKEW) {
                Ok(identity) => {
                    kept.lock().unwrap().push(identity);
                    next.run(Request::from_parts(parts, Body::from(bytes))).await
                }
                Err(e) => {
                    let answer = Unhandled::from_code(e.status(), e.code(), e.message());
                    let response: Response = smithy_runtime::server::ServerProtocol::unhandled(
                        &smithy_runtime::protocol::rest_json::RestJson1,
                        &smithy_runtime::server::new_request_id(),
                        &answer,
                    );
                    response
                }
            }
        }
    });
    let ok = GetFederationTokenOutput::builder().user_id("u-1").build();
    let url = serve_router(connect_server::router(Fake::replying(Ok(ok))).layer(layer)).await;
    Verifying { url, seen, handled }
}

/// The test config (no retries, an empty environment) with the client's clock at `now`.
fn config_at(url: &str, now: SystemTime) -> connect_client::config::Builder {
    common::config(url).time_source(StaticTimeSource(now))
}

async fn call(
    config: Config,
) -> Result<GetFederationTokenOutput, SdkError<connect_client::operation::get_federation_token::GetFederationTokenError>>
{
    Client::from_conf(config).get_federation_token().instance_id("inst").send().await
}

#[tokio::test]
async fn correct_credentials_are_accepted() {
    let server = verifying_server().await;
    let out = call(config_at(&server.url, server_now()).build()).await.unwrap();
    assert_eq!(out.user_id(), Some("u-1"));
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].access_key_id.as_str(), seen[0].region.as_str(), seen[0].service.as_str()),
        (KEY, "us-east-1", "connect")
    );
    assert_eq!(seen[0].signed_at, server_now());
    assert!(seen[0].signed_headers.contains(&"host".to_owned()));
}

#[tokio::test]
async fn a_clock_within_five_minutes_is_accepted() {
    let server = verifying_server().await;
    call(config_at(&server.url, server_now() - Duration::from_secs(240)).build()).await.unwrap();
    call(config_at(&server.url, server_now() + Duration::from_secs(240)).build()).await.unwrap();
}

#[tokio::test]
async fn session_tokens_are_signed_and_accepted() {
    let server = verifying_server().await;
    let creds = Credentials::new(KEY, SECRET, Some("SESSION-TOKEN".into()), None, "test");
    call(config_at(&server.url, server_now()).credentials_provider(creds).build()).await.unwrap();
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen[0].session_token.as_deref(), Some("SESSION-TOKEN"));
    assert!(seen[0].signed_headers.contains(&"x-amz-security-token".to_owned()));
}

#[tokio::test]
async fn a_wrong_secret_is_rejected() {
    let server = verifying_server().await;
    let creds = Credentials::new(KEY, "not-the-secret", None, None, "test");
    let e = call(config_at(&server.url, server_now()).credentials_provider(creds).build()).await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidSignatureException"), "{e}");
    assert_eq!(e.raw_response().unwrap().status().as_u16(), 403);
    assert!(e.message().unwrap().starts_with("The request signature we calculated does not match"), "{e}");
    assert!(server.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_unknown_key_is_rejected() {
    let server = verifying_server().await;
    let creds = Credentials::new("AKIDNOBODY", SECRET, None, None, "test");
    let e = call(config_at(&server.url, server_now()).credentials_provider(creds).build()).await.unwrap_err();
    assert_eq!(e.code(), Some("UnrecognizedClientException"), "{e}");
}

#[tokio::test]
async fn a_skewed_clock_is_rejected_as_expired() {
    let server = verifying_server().await;
    let e = call(config_at(&server.url, server_now() - Duration::from_secs(600)).build()).await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidSignatureException"), "{e}");
    assert!(e.message().unwrap().starts_with("Signature expired: 20240430T235000Z is now earlier than"), "{e}");
    let e = call(config_at(&server.url, server_now() + Duration::from_secs(600)).build()).await.unwrap_err();
    assert!(e.message().unwrap().starts_with("Signature not yet current"), "{e}");
}

#[tokio::test]
async fn an_unsigned_request_is_missing_authentication() {
    let server = verifying_server().await;
    let response = reqwest_client().get(format!("{}/user/federate/inst", server.url)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(response.headers()["x-amzn-errortype"], "MissingAuthenticationTokenException");
}

fn reqwest_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A directory of its own, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "connect-tests-signing-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A config that names no credentials: the client's default chain reads `vars`.
fn config_without_credentials(url: &str, vars: &[(&str, &str)]) -> Config {
    Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .time_source(StaticTimeSource(server_now()))
        .retry_config(connect_client::config::retry::RetryConfig::disabled())
        .env(Env::from_slice(vars))
        .build()
}

#[tokio::test]
async fn a_profile_selected_by_aws_profile_signs_requests() {
    let server = verifying_server().await;
    let dir = TempDir::new("profile");
    let credentials = dir.write(
        "credentials",
        &format!(
            "[default]\naws_access_key_id = {KEY}\naws_secret_access_key = wrong-default\n\n\
             # the one we want\n[work]\naws_access_key_id = {PROFILE_KEY}\naws_secret_access_key = {PROFILE_SECRET}\n"
        ),
    );
    let config = dir.write("config", "[profile work]\nregion = eu-west-2\n");
    let vars = [
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_PROFILE", "work"),
    ];
    call(config_without_credentials(&server.url, &vars)).await.unwrap();
    assert_eq!(server.seen.lock().unwrap()[0].access_key_id, PROFILE_KEY);
}

#[tokio::test]
async fn the_environment_wins_over_the_profile() {
    let server = verifying_server().await;
    let dir = TempDir::new("env");
    let credentials = dir.write(
        "credentials",
        &format!("[default]\naws_access_key_id = {PROFILE_KEY}\naws_secret_access_key = {PROFILE_SECRET}\n"),
    );
    let vars = [
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_ACCESS_KEY_ID", KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    call(config_without_credentials(&server.url, &vars)).await.unwrap();
    assert_eq!(server.seen.lock().unwrap()[0].access_key_id, KEY);
}

#[tokio::test]
async fn missing_credentials_fail_at_send_saying_where_the_client_looked() {
    let server = verifying_server().await;
    let dir = TempDir::new("missing");
    let home = dir.0.to_str().unwrap().to_owned();
    let e = call(config_without_credentials(&server.url, &[("HOME", &home)])).await.unwrap_err();
    assert!(matches!(e, SdkError::ConstructionFailure(_)), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("could not load credentials: no credentials found"), "{text}");
    assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
    assert!(text.contains("profile `default`"), "{text}");
    assert!(text.contains(&format!("{home}/.aws/credentials (no such file)")), "{text}");
    assert_eq!(server.handled.load(Ordering::SeqCst), 0, "nothing was sent");
}

#[tokio::test]
async fn credential_errors_show_no_secret() {
    let server = verifying_server().await;
    let dir = TempDir::new("secrets");
    let cases = [
        // A secret but no key id.
        format!("[default]\naws_secret_access_key = {PROFILE_SECRET}\naws_session_token = TOKEN-SECRET-VALUE\n"),
        // A malformed line holding the secret.
        format!("[default]\naws_access_key_id = {PROFILE_KEY}\naws_secret_access_key {PROFILE_SECRET}\n"),
        // An unsupported way to get credentials, beside a secret.
        format!(
            "[default]\ncredential_process = /bin/echo {PROFILE_SECRET}\naws_secret_access_key = {PROFILE_SECRET}\n"
        ),
    ];
    for text in cases {
        let credentials = dir.write("credentials", &text);
        let vars = [
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
            ("AWS_SECRET_ACCESS_KEY", "ENV-SECRET-VALUE"),
            ("HOME", "/nonexistent"),
        ];
        let e = call(config_without_credentials(&server.url, &vars)).await.unwrap_err();
        assert!(matches!(e, SdkError::ConstructionFailure(_)), "{e:?}");
        let shown = format!("{e} {e:?}");
        assert!(shown.contains(&credentials), "the file is named: {shown}");
        for secret in [PROFILE_SECRET, "TOKEN-SECRET-VALUE", "ENV-SECRET-VALUE"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}

#[tokio::test]
async fn a_client_from_an_sdk_config_signs_with_its_settings() {
    use aws_types::region::Region;
    use aws_types::sdk_config::{RetryConfig, SdkConfig, SharedCredentialsProvider};

    #[derive(Debug)]
    struct Clock(SystemTime);
    impl aws_types::sdk_config::TimeSource for Clock {
        fn now(&self) -> SystemTime {
            self.0
        }
    }

    let server = verifying_server().await;
    let sdk = SdkConfig::builder()
        .region(Region::new("ap-south-1"))
        .endpoint_url(&server.url)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(KEY, SECRET, None, None, "sdk")))
        .retry_config(RetryConfig::disabled())
        .time_source(Clock(server_now()))
        .build();
    let client = Client::new(&sdk);
    let out = client.get_federation_token().instance_id("inst").send().await.unwrap();
    assert_eq!(out.user_id(), Some("u-1"));
    let seen = server.seen.lock().unwrap();
    assert_eq!((seen[0].access_key_id.as_str(), seen[0].region.as_str()), (KEY, "ap-south-1"));
    assert_eq!(seen[0].signed_at, server_now());
}

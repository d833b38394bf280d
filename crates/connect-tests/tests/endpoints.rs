//! Where the client sends requests: the endpoint the model's rules resolve from the region
//! (and FIPS and dual-stack), or a custom endpoint from the config or the environment.
//!
//! Resolved AWS endpoints are HTTPS, which a local test server cannot answer without a
//! certificate for the AWS host name. So the client gets a reqwest client whose DNS resolves
//! every AWS host name to a local TCP listener, and the test reads the first bytes the client
//! sends there: the TLS ClientHello, which names the host it wants (SNI). Custom endpoints are
//! plain HTTP to the generated server on `127.0.0.1`.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{Fake, serve, test_credentials};
use connect_client::config::endpoint::{Params, rule_set};
use connect_client::config::retry::RetryConfig;
use connect_client::config::{Builder, Env};
use connect_client::error::SdkError;
use connect_client::{Client, Config};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// A config with test credentials, no retries, and exactly these environment variables.
fn config(env: &[(&str, &str)]) -> Builder {
    Config::builder()
        .credentials_provider(test_credentials())
        .retry_config(RetryConfig::disabled())
        .env(Env::from_slice(env))
}

/// Every host name the tests expect the client to resolve.
const AWS_HOSTS: &[&str] = &[
    "connect.us-east-1.amazonaws.com",
    "connect-fips.us-east-1.amazonaws.com",
    "connect.us-east-1.api.aws",
    "connect.cn-north-1.amazonaws.com.cn",
    "connect.eu-west-1.amazonaws.com",
];

/// Sends one call with `config` to a local listener standing in for every AWS host, and
/// returns the host name the client asked for in its TLS ClientHello.
async fn host_the_client_asks_for(config: Builder) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut http = reqwest::Client::builder();
    for host in AWS_HOSTS {
        http = http.resolve(host, addr);
    }
    let client = Client::from_conf(config.http_client(http.build().unwrap()).build());
    let call = tokio::spawn(async move { client.get_federation_token().instance_id("i").send().await });
    let (mut socket, _) = tokio::time::timeout(Duration::from_secs(10), listener.accept())
        .await
        .expect("the client connects to the resolved host")
        .unwrap();
    let mut hello = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut hello)).await.unwrap().unwrap();
    hello.truncate(n);
    drop(socket);
    let err = call.await.unwrap().expect_err("nothing answers TLS here");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    let named: Vec<&str> =
        AWS_HOSTS.iter().copied().filter(|h| hello.windows(h.len()).any(|w| w == h.as_bytes())).collect();
    assert_eq!(named.len(), 1, "the ClientHello names exactly one of the hosts: {named:?}");
    named[0].to_owned()
}

#[tokio::test]
async fn a_region_alone_sends_to_the_regional_endpoint() {
    let host = host_the_client_asks_for(config(&[]).region("us-east-1")).await;
    assert_eq!(host, "connect.us-east-1.amazonaws.com");
}

#[tokio::test]
async fn fips_and_dual_stack_choose_their_endpoints() {
    let host = host_the_client_asks_for(config(&[]).region("us-east-1").use_fips(true)).await;
    assert_eq!(host, "connect-fips.us-east-1.amazonaws.com");
    let host = host_the_client_asks_for(config(&[]).region("us-east-1").use_dual_stack(true)).await;
    assert_eq!(host, "connect.us-east-1.api.aws");
}

#[tokio::test]
async fn the_region_and_fips_can_come_from_the_environment() {
    let host = host_the_client_asks_for(config(&[("AWS_REGION", "cn-north-1")])).await;
    assert_eq!(host, "connect.cn-north-1.amazonaws.com.cn");
    let host =
        host_the_client_asks_for(config(&[("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_USE_FIPS_ENDPOINT", "true")]))
            .await;
    assert_eq!(host, "connect-fips.us-east-1.amazonaws.com");
    // The config wins over the environment.
    let host = host_the_client_asks_for(config(&[("AWS_REGION", "cn-north-1")]).region("eu-west-1")).await;
    assert_eq!(host, "connect.eu-west-1.amazonaws.com");
}

#[test]
fn the_client_resolves_with_the_models_rules() {
    let rules = rule_set().expect("the model has endpoint rules").expect("they parse");
    let url = |p: Params| rules.resolve(&p).map(|e| e.url).map_err(|e| e.to_string());
    let defaults = Params::new().with("UseFIPS", false).with("UseDualStack", false);
    assert_eq!(url(defaults.clone().with("Region", "us-east-1")).unwrap(), "https://connect.us-east-1.amazonaws.com");
    assert_eq!(
        url(defaults.clone().with("Region", "us-gov-west-1").with("UseFIPS", true)).unwrap(),
        "https://connect.us-gov-west-1.amazonaws.com"
    );
    assert_eq!(url(defaults.clone().with("Endpoint", "http://127.0.0.1:4566")).unwrap(), "http://127.0.0.1:4566");
    assert_eq!(url(defaults).unwrap_err(), "Invalid Configuration: Missing Region");
}

/// A call with `config` to the generated server; the inputs the server saw.
async fn call_local(config: Builder, fake: &Fake) -> Result<(), String> {
    let client = Client::from_conf(config.build());
    client.get_federation_token().instance_id("local").send().await.map(|_| ()).map_err(|e| format!("{e}: {e:?}"))?;
    assert_eq!(fake.seen().last().and_then(|i| i.instance_id().map(str::to_owned)).as_deref(), Some("local"));
    Ok(())
}

/// A base URL where nothing listens.
fn dead_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn endpoint_url_in_the_config_overrides_the_rules() {
    let fake = Fake::default();
    let url = serve(fake.clone()).await;
    call_local(config(&[]).region("us-east-1").endpoint_url(&url), &fake).await.unwrap();
    // ... and the environment.
    let env = [("AWS_ENDPOINT_URL_CONNECT", dead_url()), ("AWS_ENDPOINT_URL", dead_url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    call_local(config(&env).region("us-east-1").endpoint_url(&url), &fake).await.unwrap();
    assert_eq!(fake.seen().len(), 2);
}

#[tokio::test]
async fn endpoint_urls_from_the_environment_override_the_rules() {
    let fake = Fake::default();
    let url = serve(fake.clone()).await;
    call_local(config(&[("AWS_ENDPOINT_URL_CONNECT", url.as_str())]).region("us-east-1"), &fake).await.unwrap();
    call_local(config(&[("AWS_ENDPOINT_URL", url.as_str())]).region("us-east-1"), &fake).await.unwrap();
    // The service's own variable wins over the general one.
    let dead = dead_url();
    call_local(
        config(&[("AWS_ENDPOINT_URL_CONNECT", url.as_str()), ("AWS_ENDPOINT_URL", dead.as_str())]).region("us-east-1"),
        &fake,
    )
    .await
    .unwrap();
    assert_eq!(fake.seen().len(), 3);
}

#[tokio::test]
async fn a_custom_endpoint_with_fips_or_dual_stack_is_refused_before_sending() {
    let fake = Fake::default();
    let url = serve(fake.clone()).await;
    let err = call_local(config(&[]).region("us-east-1").endpoint_url(&url).use_fips(true), &fake).await.unwrap_err();
    assert!(err.contains("Invalid Configuration: FIPS and custom endpoint are not supported"), "{err}");
    let err = call_local(
        config(&[("AWS_ENDPOINT_URL", url.as_str()), ("AWS_USE_DUALSTACK_ENDPOINT", "true")]).region("us-east-1"),
        &fake,
    )
    .await
    .unwrap_err();
    assert!(err.contains("Invalid Configuration: Dualstack and custom endpoint are not supported"), "{err}");
    assert!(fake.seen().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_invalid_region_is_refused_before_sending() {
    let client = Client::from_conf(config(&[]).region("us-east-1/../evil").build());
    let err = client.get_federation_token().instance_id("i").send().await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(format!("{err:?}").contains("is not a valid DNS host label"), "{err:?}");
}

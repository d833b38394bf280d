//! A client configured from an aws-config [`SdkConfig`] (feature `aws-config`), for apps that
//! already load one with `aws_config::load_defaults(..)`: the generated `Client::new(&sdk_config)`
//! works as `aws-sdk-connect`'s does.
//!
//! Taken from the `SdkConfig`, where set:
//!
//! - the **region**;
//! - the **credentials provider** (aws-config's default chain: SSO, assumed roles, IMDS and the
//!   rest), wrapped in a [`CachedCredentialsProvider`] so that it is asked again only when its
//!   credentials near expiry, as the AWS SDK's identity cache does;
//! - the **endpoint URL**: the service-specific setting aws-config resolved
//!   (`AWS_ENDPOINT_URL_CONNECT`, or `[services]` in the config file) first, then the
//!   `SdkConfig`'s own, as the AWS SDK does (with `ConfigBuilder::from(&sdk_config)` the service
//!   is known only when the client is made, so the service-specific URL is looked up then,
//!   unless an endpoint URL was set on the builder since);
//! - **FIPS** and **dual-stack** endpoints;
//! - **retries**: the maximum attempts and the backoff bounds (the adaptive mode is run as the
//!   standard one);
//! - **timeouts**: connect, per attempt, per operation (a read timeout has no counterpart here;
//!   a timeout the `SdkConfig` disables keeps this client's default: no call waits forever);
//! - the **time source** (for signing) and the **app name**.
//!
//! Not taken: the HTTP client (this client uses reqwest; set `http_client` on the builder), the
//! sleep implementation, the identity cache, behavior versions, checksums and compression.
//! Without a credentials provider in the `SdkConfig`, the client's own default chain applies.

pub use aws_types::SdkConfig;

use aws_types::service_config::ServiceConfigKey;

use super::credentials::{CachedCredentialsProvider, SharedCredentialsProvider};
use super::retry::RetryConfig;
use super::{Config, ConfigBuilder, Region, ServiceInfo, TimeSource, TimeoutConfig};

/// The `SdkConfig`'s clock, as a [`TimeSource`].
#[derive(Debug)]
struct SdkTimeSource(aws_types::sdk_config::SharedTimeSource);

impl TimeSource for SdkTimeSource {
    fn now(&self) -> std::time::SystemTime {
        self.0.now()
    }
}

fn builder(sdk: &SdkConfig, endpoint_url: Option<String>) -> ConfigBuilder {
    let mut b = ConfigBuilder::default();
    b.set_region(sdk.region().map(|r| Region::new(r.as_ref().to_owned())))
        .set_endpoint_url(endpoint_url)
        .set_use_fips(sdk.use_fips())
        .set_use_dual_stack(sdk.use_dual_stack());
    if let Some(provider) = sdk.credentials_provider() {
        b.set_credentials_provider(Some(SharedCredentialsProvider::new(CachedCredentialsProvider::new(provider))));
    }
    if let Some(retry) = sdk.retry_config() {
        b.set_retry_config(Some(
            RetryConfig::standard()
                .with_max_attempts(retry.max_attempts())
                .with_initial_backoff(retry.initial_backoff())
                .with_max_backoff(retry.max_backoff()),
        ));
    }
    if let Some(t) = sdk.timeout_config() {
        let mut timeouts = TimeoutConfig::builder();
        timeouts
            .set_connect_timeout(t.connect_timeout())
            .set_operation_attempt_timeout(t.operation_attempt_timeout())
            .set_operation_timeout(t.operation_timeout());
        let timeouts = timeouts.build();
        if timeouts.has_timeouts() {
            b.set_timeout_config(Some(timeouts));
        }
    }
    if let Some(clock) = sdk.time_source() {
        b = b.time_source(SdkTimeSource(clock));
    }
    if let Some(app) = sdk.app_name() {
        b = b.app_name(app.as_ref());
    }
    b
}

impl From<&SdkConfig> for ConfigBuilder {
    /// The settings of `sdk` (see the [module docs](self)). The endpoint URL is the
    /// `SdkConfig`'s own until the client is made: then, unless an endpoint URL was set on the
    /// builder since, the service-specific one (`AWS_ENDPOINT_URL_CONNECT`, `[services]` in the
    /// config file, as aws-config resolved them) replaces it where there is one, as with the
    /// AWS SDK's `config::Builder::from(&sdk_config)`.
    fn from(sdk: &SdkConfig) -> Self {
        let mut b = builder(sdk, sdk.endpoint_url().map(str::to_owned));
        if sdk.service_config().is_some() {
            b.inner.endpoint_source = Some(std::sync::Arc::new(sdk.clone()));
        }
        b
    }
}

impl From<&SdkConfig> for Config {
    fn from(sdk: &SdkConfig) -> Self {
        ConfigBuilder::from(sdk).build()
    }
}

impl Config {
    /// A config with the settings of an aws-config `SdkConfig` (see the [module docs](self)).
    pub fn from_sdk_config(sdk: &SdkConfig) -> Config {
        Config::from(sdk)
    }

    /// The AWS SDK's name for [`from_sdk_config`](Self::from_sdk_config).
    pub fn new(sdk: &SdkConfig) -> Config {
        Config::from(sdk)
    }

    /// As [`from_sdk_config`](Self::from_sdk_config), for `service`: its service-specific
    /// endpoint URL (`AWS_ENDPOINT_URL_<SERVICE>`, or the `[services]` section of the config
    /// file, as aws-config resolved them) wins over the `SdkConfig`'s.
    pub fn from_sdk_config_for_service(sdk: &SdkConfig, service: &ServiceInfo) -> Config {
        builder(sdk, service_endpoint(sdk, service).or_else(|| sdk.endpoint_url().map(str::to_owned))).build()
    }

    /// This config for `service`: the service-specific endpoint URL of the `SdkConfig` it was
    /// built from (`ConfigBuilder::from(&sdk_config)`), if it has one and no endpoint URL was
    /// set since.
    pub(super) fn resolved_for(mut self, service: &ServiceInfo) -> Config {
        if let Some(sdk) = self.endpoint_source.take()
            && let Some(url) = service_endpoint(&sdk, service)
        {
            self.endpoint_url = Some(url);
        }
        self
    }
}

/// The service-specific endpoint URL aws-config resolved for `service`, if any.
fn service_endpoint(sdk: &SdkConfig, service: &ServiceInfo) -> Option<String> {
    let loader = sdk.service_config()?;
    let key = ServiceConfigKey::builder()
        .service_id(service.sdk_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    loader.load_config(key)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use aws_types::region::Region as SdkRegion;
    use aws_types::sdk_config::{RetryConfig as SdkRetry, SharedTimeSource, TimeoutConfig as SdkTimeouts};
    use aws_types::service_config::LoadServiceConfig;

    use super::*;
    use crate::client::credentials::{Credentials, ProvideCredentials};

    static SERVICE: ServiceInfo = ServiceInfo {
        sdk_id: "Connect",
        signing_name: Some("connect"),
        endpoint_prefix: Some("connect"),
        api_version: None,
        crate_name: "test",
        crate_version: "0",
        endpoint_rules: None,
    };

    #[derive(Debug)]
    struct Fixed(SystemTime);

    impl aws_types::sdk_config::TimeSource for Fixed {
        fn now(&self) -> SystemTime {
            self.0
        }
    }

    /// What aws-config resolves from `AWS_ENDPOINT_URL_CONNECT`.
    #[derive(Debug)]
    struct ServiceEndpoints;

    impl LoadServiceConfig for ServiceEndpoints {
        fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
            (key.service_id() == "Connect" && key.env() == "AWS_ENDPOINT_URL" && key.profile() == "endpoint_url")
                .then(|| "http://connect.local".to_owned())
        }
    }

    fn full() -> aws_types::sdk_config::Builder {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        SdkConfig::builder()
            .region(SdkRegion::new("eu-west-3"))
            .endpoint_url("http://localhost:4566")
            .use_fips(true)
            .use_dual_stack(false)
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new("AKIDSDK", "s", None, None, "sdk")))
            .retry_config(SdkRetry::standard().with_max_attempts(5).with_max_backoff(Duration::from_secs(7)))
            .timeout_config(
                SdkTimeouts::builder()
                    .connect_timeout(Duration::from_secs(2))
                    .operation_timeout(Duration::from_secs(9))
                    .build(),
            )
            .time_source(SharedTimeSource::new(Fixed(at)))
            .app_name(aws_types::app_name::AppName::new("my-app").unwrap())
    }

    #[test]
    fn every_setting_present_is_taken() {
        let config = Config::from_sdk_config(&full().build());
        assert_eq!(config.region().map(Region::as_str), Some("eu-west-3"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert_eq!((config.use_fips(), config.use_dual_stack()), (Some(true), Some(false)));
        assert_eq!(config.retry_config().max_attempts(), 5);
        assert_eq!(config.retry_config().backoff(10, 0.5), Duration::from_millis(3500));
        let t = config.timeout_config();
        assert_eq!(t.connect_timeout(), Duration::from_secs(2));
        assert_eq!(t.operation_timeout(), Duration::from_secs(9));
        assert_eq!(t.operation_attempt_timeout(), crate::client::DEFAULT_ATTEMPT_TIMEOUT);
        assert_eq!(config.time_source().now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        assert_eq!(config.app_name(), Some("my-app"));
        let provider = config.credentials_provider().expect("a provider");
        let creds = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(provider.provide_credentials())
            .unwrap();
        assert_eq!(creds.access_key_id(), "AKIDSDK");
        assert!(format!("{provider:?}").contains("CachedCredentialsProvider"));
    }

    #[test]
    fn an_empty_sdk_config_leaves_everything_to_the_defaults() {
        let config = Config::from_sdk_config(&SdkConfig::builder().build());
        assert!(config.region().is_none() && config.endpoint_url().is_none());
        assert!(config.credentials_provider().is_none());
        assert_eq!(config.use_fips(), None);
        assert_eq!(config.retry_config(), RetryConfig::standard());
        assert_eq!(config.timeout_config(), TimeoutConfig::default());
        assert_eq!(config.app_name(), None);
    }

    /// An app that set a 20 s operation timeout in aws-config and a connect timeout on the
    /// service keeps its 20 s (the AWS SDK's `take_defaults_from`), instead of the 60 s default.
    #[test]
    fn a_service_timeout_config_merges_with_the_shared_one() {
        let shared = SdkTimeouts::builder().operation_timeout(Duration::from_secs(20)).build();
        let sdk = SdkConfig::builder().timeout_config(shared).build();
        let config = ConfigBuilder::from(&sdk)
            .timeout_config(TimeoutConfig::builder().connect_timeout(Duration::from_secs(1)).build())
            .build();
        let t = config.timeout_config();
        assert_eq!(t.operation_timeout(), Duration::from_secs(20));
        assert_eq!(t.connect_timeout(), Duration::from_secs(1));
        assert_eq!(t.operation_attempt_timeout(), crate::client::DEFAULT_ATTEMPT_TIMEOUT);

        // What the service sets wins where both set it.
        let config = ConfigBuilder::from(&full().build())
            .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(4)).build())
            .build();
        assert_eq!(config.timeout_config().operation_timeout(), Duration::from_secs(4));
        assert_eq!(config.timeout_config().connect_timeout(), Duration::from_secs(2));

        // A retry config says everything, so it replaces the shared one, as in the SDK.
        let config = ConfigBuilder::from(&full().build()).retry_config(RetryConfig::standard()).build();
        assert_eq!(config.retry_config(), RetryConfig::standard());
    }

    /// `config::Builder::from(&sdk_config)`, as the AWS SDK's, reads the service-specific
    /// endpoint URL too, once the client knows its service; one set on the builder afterwards
    /// wins.
    #[test]
    fn a_builder_from_an_sdk_config_reads_the_service_specific_endpoint() {
        let sdk = full().service_config(ServiceEndpoints).build();
        let client = super::super::Handle::new(ConfigBuilder::from(&sdk).build(), &SERVICE);
        assert_eq!(client.config().endpoint_url(), Some("http://connect.local"));

        let explicit = ConfigBuilder::from(&sdk).endpoint_url("http://explicit.local").build();
        let client = super::super::Handle::new(explicit, &SERVICE);
        assert_eq!(client.config().endpoint_url(), Some("http://explicit.local"));

        let plain = super::super::Handle::new(ConfigBuilder::from(&full().build()).build(), &SERVICE);
        assert_eq!(plain.config().endpoint_url(), Some("http://localhost:4566"));
    }

    #[test]
    fn disabled_retries_stay_disabled() {
        let sdk = SdkConfig::builder().retry_config(SdkRetry::disabled()).build();
        assert_eq!(Config::from_sdk_config(&sdk).retry_config().max_attempts(), 1);
    }

    #[test]
    fn the_service_specific_endpoint_wins_for_a_known_service() {
        let sdk = full().service_config(ServiceEndpoints).build();
        assert_eq!(Config::from_sdk_config_for_service(&sdk, &SERVICE).endpoint_url(), Some("http://connect.local"));
        assert_eq!(Config::from_sdk_config(&sdk).endpoint_url(), Some("http://localhost:4566"));
        let plain = full().build();
        assert_eq!(Config::from_sdk_config_for_service(&plain, &SERVICE).endpoint_url(), Some("http://localhost:4566"));
    }
}

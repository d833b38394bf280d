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
//! - the **endpoint URL**: for a known service (`Client::new`), the service-specific setting
//!   aws-config resolved (`AWS_ENDPOINT_URL_CONNECT`, or `[services]` in the config file) first,
//!   then the `SdkConfig`'s own, as the AWS SDK does;
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
    let mut b = ConfigBuilder::default()
        .set_region(sdk.region().map(|r| Region::new(r.as_ref().to_owned())))
        .set_endpoint_url(endpoint_url);
    if let Some(fips) = sdk.use_fips() {
        b = b.use_fips(fips);
    }
    if let Some(dual_stack) = sdk.use_dual_stack() {
        b = b.use_dual_stack(dual_stack);
    }
    if let Some(provider) = sdk.credentials_provider() {
        b = b.set_credentials_provider(Some(SharedCredentialsProvider::new(CachedCredentialsProvider::new(provider))));
    }
    if let Some(retry) = sdk.retry_config() {
        b = b.retry_config(
            RetryConfig::standard()
                .with_max_attempts(retry.max_attempts())
                .with_initial_backoff(retry.initial_backoff())
                .with_max_backoff(retry.max_backoff()),
        );
    }
    if let Some(t) = sdk.timeout_config() {
        let (connect, attempt, operation) = (t.connect_timeout(), t.operation_attempt_timeout(), t.operation_timeout());
        if connect.is_some() || attempt.is_some() || operation.is_some() {
            let mut timeouts = TimeoutConfig::builder();
            if let Some(d) = connect {
                timeouts = timeouts.connect_timeout(d);
            }
            if let Some(d) = attempt {
                timeouts = timeouts.operation_attempt_timeout(d);
            }
            if let Some(d) = operation {
                timeouts = timeouts.operation_timeout(d);
            }
            b = b.timeout_config(timeouts.build());
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
    /// The settings of `sdk` (see the [module docs](self)); the endpoint URL is the
    /// `SdkConfig`'s own, as no service is known here: [`Config::from_sdk_config_for_service`]
    /// (which the generated `Client::new` calls) also reads the service-specific one.
    fn from(sdk: &SdkConfig) -> Self {
        builder(sdk, sdk.endpoint_url().map(str::to_owned))
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

    /// As [`from_sdk_config`](Self::from_sdk_config), for `service`: its service-specific
    /// endpoint URL (`AWS_ENDPOINT_URL_<SERVICE>`, or the `[services]` section of the config
    /// file, as aws-config resolved them) wins over the `SdkConfig`'s.
    pub fn from_sdk_config_for_service(sdk: &SdkConfig, service: &ServiceInfo) -> Config {
        let specific = sdk.service_config().and_then(|loader| {
            let key = ServiceConfigKey::builder()
                .service_id(service.sdk_id)
                .env("AWS_ENDPOINT_URL")
                .profile("endpoint_url")
                .build()
                .ok()?;
            loader.load_config(key)
        });
        builder(sdk, specific.or_else(|| sdk.endpoint_url().map(str::to_owned))).build()
    }
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

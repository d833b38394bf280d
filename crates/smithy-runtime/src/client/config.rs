//! Client configuration: where requests go, who signs them, how long they may take, and how
//! failures are retried.
//!
//! The shape follows the AWS SDK for Rust (`Config::builder().region(..).endpoint_url(..)
//! .build()`) so that moving an app between the two is a matter of crate names. What the builder
//! leaves unset is taken, when a call is made, from the usual places: `AWS_REGION`,
//! `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`, the credentials environment variables and
//! the shared `credentials` and `config` files (see [`super::credentials`]).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::connector::{HttpConnector, ReqwestConnector, SharedHttpConnector};
use super::credentials::{ProvideCredentials, SharedCredentialsProvider};
use super::env::Env;
pub use super::region::{IntoRegion, Region};
use super::retry::RetryConfig;

/// The default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// The default time one attempt (sending the request and reading the whole response) may take.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time a whole call, retries and backoff included, may take.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// The AWS SDK's behavior version, accepted so that `Config::builder().behavior_version(..)`
/// moves across. This client has one behavior, the latest one's: retries on by default
/// (standard mode, 3 attempts) and a 3.1 s connect timeout; a version asks for nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BehaviorVersion {
    /// Year, month and day of the version, in that order so that later versions compare greater.
    date: (u16, u8, u8),
}

impl BehaviorVersion {
    /// The latest version, the one this client behaves as.
    pub fn latest() -> Self {
        BehaviorVersion { date: (2026, 1, 12) }
    }

    /// The AWS SDK's version of 2023-11-09.
    pub fn v2023_11_09() -> Self {
        BehaviorVersion { date: (2023, 11, 9) }
    }

    /// The AWS SDK's version of 2024-03-28.
    pub fn v2024_03_28() -> Self {
        BehaviorVersion { date: (2024, 3, 28) }
    }

    /// The AWS SDK's version of 2025-01-17.
    pub fn v2025_01_17() -> Self {
        BehaviorVersion { date: (2025, 1, 17) }
    }

    /// The AWS SDK's version of 2025-08-07.
    pub fn v2025_08_07() -> Self {
        BehaviorVersion { date: (2025, 8, 7) }
    }

    /// The AWS SDK's version of 2026-01-12.
    pub fn v2026_01_12() -> Self {
        BehaviorVersion { date: (2026, 1, 12) }
    }
}

/// How long a call may take. Every limit has a documented default, so no call hangs forever.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl TimeoutConfig {
    /// A builder with the defaults.
    pub fn builder() -> TimeoutConfigBuilder {
        TimeoutConfigBuilder::default()
    }

    /// Time to establish a connection ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    pub fn connect_timeout(&self) -> Duration {
        self.connect.unwrap_or(DEFAULT_CONNECT_TIMEOUT)
    }

    /// Time for one attempt ([`DEFAULT_ATTEMPT_TIMEOUT`] unless set).
    pub fn operation_attempt_timeout(&self) -> Duration {
        self.attempt.unwrap_or(DEFAULT_ATTEMPT_TIMEOUT)
    }

    /// Time for a whole call, retries included ([`DEFAULT_OPERATION_TIMEOUT`] unless set).
    pub fn operation_timeout(&self) -> Duration {
        self.operation.unwrap_or(DEFAULT_OPERATION_TIMEOUT)
    }

    /// Fills the limits this config leaves unset from `other` (the AWS SDK's name): what a
    /// service-level timeout config does with the shared one it is set over.
    pub fn take_defaults_from(&mut self, other: &TimeoutConfig) -> &mut Self {
        self.connect = self.connect.or(other.connect);
        self.attempt = self.attempt.or(other.attempt);
        self.operation = self.operation.or(other.operation);
        self
    }

    /// `true` when at least one limit is set (the others take their defaults).
    pub fn has_timeouts(&self) -> bool {
        self.connect.is_some() || self.attempt.is_some() || self.operation.is_some()
    }

    /// A builder holding this config's settings.
    pub fn to_builder(&self) -> TimeoutConfigBuilder {
        TimeoutConfigBuilder { inner: self.clone() }
    }

    fn merged_with(&self, o: &TimeoutConfig) -> TimeoutConfig {
        let mut merged = o.clone();
        merged.take_defaults_from(self);
        merged
    }
}

/// Builds a [`TimeoutConfig`].
#[derive(Clone, Debug, Default)]
pub struct TimeoutConfigBuilder {
    inner: TimeoutConfig,
}

impl TimeoutConfigBuilder {
    /// Time to establish a connection. Fixed when the client is created: a per-call override
    /// does not change it.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.inner.connect = Some(t);
        self
    }

    /// Time for one attempt: sending the request and reading the whole response.
    pub fn operation_attempt_timeout(mut self, t: Duration) -> Self {
        self.inner.attempt = Some(t);
        self
    }

    /// Time for a whole call, retries and backoff included.
    pub fn operation_timeout(mut self, t: Duration) -> Self {
        self.inner.operation = Some(t);
        self
    }

    /// Sets or clears the connect timeout (cleared: the default applies).
    pub fn set_connect_timeout(&mut self, t: Option<Duration>) -> &mut Self {
        self.inner.connect = t;
        self
    }

    /// Sets or clears the attempt timeout (cleared: the default applies).
    pub fn set_operation_attempt_timeout(&mut self, t: Option<Duration>) -> &mut Self {
        self.inner.attempt = t;
        self
    }

    /// Sets or clears the operation timeout (cleared: the default applies).
    pub fn set_operation_timeout(&mut self, t: Option<Duration>) -> &mut Self {
        self.inner.operation = t;
        self
    }

    /// The config.
    pub fn build(self) -> TimeoutConfig {
        self.inner
    }
}

/// Where the client gets the current time (for signing); replaceable in tests.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at one instant, for tests.
#[derive(Clone, Copy, Debug)]
pub struct StaticTimeSource(pub SystemTime);

impl TimeSource for StaticTimeSource {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// Makes the values of `@idempotencyToken` members that the caller left unset: a fresh
/// random UUID each time, unless built from a fixed token (for tests).
#[derive(Clone, Debug, Default)]
pub struct IdempotencyTokenProvider {
    fixed: Option<Cow<'static, str>>,
}

impl IdempotencyTokenProvider {
    /// Random version-4 UUIDs.
    pub fn random() -> Self {
        Self::default()
    }

    /// Always `token`.
    pub fn fixed(token: impl Into<Cow<'static, str>>) -> Self {
        IdempotencyTokenProvider { fixed: Some(token.into()) }
    }

    /// The next token.
    pub fn make_idempotency_token(&self) -> String {
        match &self.fixed {
            Some(t) => t.clone().into_owned(),
            None => uuid::Uuid::new_v4().to_string(),
        }
    }
}

impl From<&'static str> for IdempotencyTokenProvider {
    fn from(token: &'static str) -> Self {
        Self::fixed(token)
    }
}

/// A client's configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub(super) endpoint_url: Option<String>,
    region: Option<Region>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    credentials_provider: Option<SharedCredentialsProvider>,
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    time_source: Option<Arc<dyn TimeSource>>,
    http_connector: Option<SharedHttpConnector>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
    disable_host_prefix: Option<bool>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    app_name: Option<String>,
    env: Option<Env>,
    behavior_version: Option<BehaviorVersion>,
    /// The `SdkConfig` this config was built from, while its endpoint URL is the one taken
    /// from it: the client then asks it for the service-specific one (`Handle::new`).
    #[cfg(feature = "aws-config")]
    pub(super) endpoint_source: Option<Arc<aws_types::SdkConfig>>,
}

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The behavior version set, if any (it changes nothing; see [`BehaviorVersion`]).
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }

    /// Turns the config back into a builder, to change some of it.
    pub fn to_builder(&self) -> Builder {
        Builder { inner: self.clone() }
    }

    /// The endpoint every request goes to, overriding endpoint resolution, when one was set.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The region, when one was set.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// Whether FIPS endpoints are used, when set.
    pub fn use_fips(&self) -> Option<bool> {
        self.use_fips
    }

    /// Whether dual-stack (IPv4 and IPv6) endpoints are used, when set.
    pub fn use_dual_stack(&self) -> Option<bool> {
        self.use_dual_stack
    }

    /// The credentials provider, when one was set.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials_provider.as_ref()
    }

    /// How calls are retried (the standard mode unless set).
    pub fn retry_config(&self) -> RetryConfig {
        self.retry_config.clone().unwrap_or_default()
    }

    /// How long calls may take.
    pub fn timeout_config(&self) -> TimeoutConfig {
        self.timeout_config.clone().unwrap_or_default()
    }

    /// The clock used for signing.
    pub fn time_source(&self) -> Arc<dyn TimeSource> {
        self.time_source.clone().unwrap_or_else(|| Arc::new(SystemTimeSource))
    }

    /// The HTTP connector, when one was given (a reqwest client is one).
    pub fn http_connector(&self) -> Option<&SharedHttpConnector> {
        self.http_connector.as_ref()
    }

    /// What fills `@idempotencyToken` members left unset (a random UUID unless set).
    pub fn idempotency_token_provider(&self) -> IdempotencyTokenProvider {
        self.idempotency_token_provider.clone().unwrap_or_default()
    }

    /// `true` when operations' `@endpoint` host prefixes are not put before the endpoint's
    /// host (for an endpoint such as a local mock that has no such names).
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix.unwrap_or(false)
    }

    /// `true` when `@requestCompression` operations send their bodies as they are.
    pub fn disable_request_compression(&self) -> bool {
        self.disable_request_compression.unwrap_or(false)
    }

    /// The smallest body that `@requestCompression` operations compress (10,240 bytes unless
    /// set).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_min_compression_size_bytes.unwrap_or(super::body::DEFAULT_MIN_COMPRESSION_SIZE)
    }

    /// The application name added to the `User-Agent`.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// Where unset settings are looked up (the process environment unless set).
    pub fn env(&self) -> Env {
        self.env.clone().unwrap_or_default()
    }

    /// This config with the settings of `overrides` applied on top.
    pub fn merged_with(&self, overrides: &Builder) -> Config {
        let o = &overrides.inner;
        Config {
            endpoint_url: o.endpoint_url.clone().or_else(|| self.endpoint_url.clone()),
            region: o.region.clone().or_else(|| self.region.clone()),
            use_fips: o.use_fips.or(self.use_fips),
            use_dual_stack: o.use_dual_stack.or(self.use_dual_stack),
            credentials_provider: o.credentials_provider.clone().or_else(|| self.credentials_provider.clone()),
            retry_config: o.retry_config.clone().or_else(|| self.retry_config.clone()),
            timeout_config: match (&self.timeout_config, &o.timeout_config) {
                (Some(base), Some(over)) => Some(base.merged_with(over)),
                (base, over) => over.clone().or_else(|| base.clone()),
            },
            time_source: o.time_source.clone().or_else(|| self.time_source.clone()),
            http_connector: o.http_connector.clone().or_else(|| self.http_connector.clone()),
            idempotency_token_provider: o
                .idempotency_token_provider
                .clone()
                .or_else(|| self.idempotency_token_provider.clone()),
            disable_host_prefix: o.disable_host_prefix.or(self.disable_host_prefix),
            disable_request_compression: o.disable_request_compression.or(self.disable_request_compression),
            request_min_compression_size_bytes: o
                .request_min_compression_size_bytes
                .or(self.request_min_compression_size_bytes),
            app_name: o.app_name.clone().or_else(|| self.app_name.clone()),
            env: o.env.clone().or_else(|| self.env.clone()),
            behavior_version: o.behavior_version.or(self.behavior_version),
            // Resolved once, when the client is made.
            #[cfg(feature = "aws-config")]
            endpoint_source: None,
        }
    }
}

/// Builds a [`Config`].
///
/// As in the AWS SDK for Rust, each setting has a consuming setter for chains
/// (`Config::builder().region(..).build()`) and a `set_` twin that takes `&mut self` and an
/// `Option` (`None` unsets it), for code that fills a builder in steps.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    pub(super) inner: Config,
}

impl Builder {
    /// Sends every request to this URL (e.g. `http://127.0.0.1:4566` for a local mock) instead
    /// of the endpoint the rules give for the region.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.set_endpoint_url(Some(url.into()));
        self
    }

    /// Sets or clears the endpoint URL.
    pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
        self.inner.endpoint_url = url;
        #[cfg(feature = "aws-config")]
        {
            self.inner.endpoint_source = None;
        }
        self
    }

    /// The region to call: a [`Region`], `Some(region)` or `None` (`None` leaves it to
    /// `AWS_REGION` and the profile), or a region name.
    pub fn region(mut self, region: impl IntoRegion) -> Self {
        self.set_region(region.into_region());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.inner.region = region;
        self
    }

    /// Accepted for the AWS SDK's sake; it changes nothing (see [`BehaviorVersion`]).
    pub fn behavior_version(mut self, version: BehaviorVersion) -> Self {
        self.set_behavior_version(Some(version));
        self
    }

    /// Sets or clears the behavior version.
    pub fn set_behavior_version(&mut self, version: Option<BehaviorVersion>) -> &mut Self {
        self.inner.behavior_version = version;
        self
    }

    /// The same as `behavior_version(BehaviorVersion::latest())`.
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }

    /// Uses FIPS 140 endpoints.
    pub fn use_fips(mut self, on: impl Into<bool>) -> Self {
        self.set_use_fips(Some(on.into()));
        self
    }

    /// Sets or clears FIPS endpoints (cleared: `AWS_USE_FIPS_ENDPOINT`, else off).
    pub fn set_use_fips(&mut self, on: Option<bool>) -> &mut Self {
        self.inner.use_fips = on;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, on: impl Into<bool>) -> Self {
        self.set_use_dual_stack(Some(on.into()));
        self
    }

    /// Sets or clears dual-stack endpoints (cleared: `AWS_USE_DUALSTACK_ENDPOINT`, else off).
    pub fn set_use_dual_stack(&mut self, on: Option<bool>) -> &mut Self {
        self.inner.use_dual_stack = on;
        self
    }

    /// Signs requests with credentials from this provider (static `Credentials` are one).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.set_credentials_provider(Some(SharedCredentialsProvider::new(provider)));
        self
    }

    /// Sets or clears the credentials provider (cleared: the default chain).
    pub fn set_credentials_provider(&mut self, provider: Option<SharedCredentialsProvider>) -> &mut Self {
        self.inner.credentials_provider = provider;
        self
    }

    /// How calls are retried; [`RetryConfig::disabled`] turns retries off.
    ///
    /// A [`RetryConfig`] always says everything (mode, attempts, both backoffs), so it replaces
    /// one set before, e.g. the shared one of an `SdkConfig`, as in the AWS SDK.
    pub fn retry_config(mut self, config: RetryConfig) -> Self {
        self.set_retry_config(Some(config));
        self
    }

    /// Sets or clears the retry config (cleared: the standard mode).
    pub fn set_retry_config(&mut self, config: Option<RetryConfig>) -> &mut Self {
        self.inner.retry_config = config;
        self
    }

    /// How long calls may take.
    ///
    /// Merged with a timeout config set before, e.g. the shared one of an `SdkConfig`
    /// (`Builder::from(&sdk_config)`), as in the AWS SDK: the limits `config` leaves unset keep
    /// the earlier values ([`TimeoutConfig::take_defaults_from`]). So a connect timeout set here
    /// does not drop an operation timeout set in aws-config.
    pub fn timeout_config(mut self, config: TimeoutConfig) -> Self {
        self.set_timeout_config(Some(config));
        self
    }

    /// Merges a timeout config into the one set before, as [`timeout_config`](Self::timeout_config)
    /// does; `None` changes nothing (as in the AWS SDK).
    pub fn set_timeout_config(&mut self, config: Option<TimeoutConfig>) -> &mut Self {
        let Some(mut config) = config else { return self };
        if let Some(base) = &self.inner.timeout_config {
            config.take_defaults_from(base);
        }
        self.inner.timeout_config = Some(config);
        self
    }

    /// The time allowed to establish a connection (a shortcut into the timeout config).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        let mut t = self.inner.timeout_config.take().unwrap_or_default();
        t.connect = Some(timeout);
        self.inner.timeout_config = Some(t);
        self
    }

    /// The clock used for signing.
    pub fn time_source(mut self, source: impl TimeSource + 'static) -> Self {
        self.set_time_source(Some(Arc::new(source)));
        self
    }

    /// Sets or clears the clock (cleared: the system clock).
    pub fn set_time_source(&mut self, source: Option<Arc<dyn TimeSource>>) -> &mut Self {
        self.inner.time_source = source;
        self
    }

    /// Sends requests with this reqwest client. Its own TLS and connect timeout apply; the
    /// client's retries, attempt and operation timeouts still do.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.set_http_client(Some(client));
        self
    }

    /// Sets or clears the reqwest client (cleared: one made with the connect timeout).
    pub fn set_http_client(&mut self, client: Option<reqwest::Client>) -> &mut Self {
        self.inner.http_connector = client.map(|c| SharedHttpConnector::new(ReqwestConnector::new(c)));
        self
    }

    /// Sends requests through this connector instead of reqwest: a test double that records
    /// requests ([`crate::client::test_util::CaptureConnector`]) or another HTTP stack. The
    /// client's retries and timeouts still apply.
    pub fn http_connector(mut self, connector: impl HttpConnector + 'static) -> Self {
        self.set_http_connector(Some(SharedHttpConnector::new(connector)));
        self
    }

    /// Sets or clears the connector (cleared: reqwest).
    pub fn set_http_connector(&mut self, connector: Option<SharedHttpConnector>) -> &mut Self {
        self.inner.http_connector = connector;
        self
    }

    /// What fills `@idempotencyToken` members the caller left unset; `"token"` (a `&'static
    /// str`) always gives that token, for tests.
    pub fn idempotency_token_provider(mut self, provider: impl Into<IdempotencyTokenProvider>) -> Self {
        self.set_idempotency_token_provider(Some(provider.into()));
        self
    }

    /// Sets or clears the idempotency token provider (cleared: random UUIDs).
    pub fn set_idempotency_token_provider(&mut self, provider: Option<IdempotencyTokenProvider>) -> &mut Self {
        self.inner.idempotency_token_provider = provider;
        self
    }

    /// Leaves operations' `@endpoint` host prefixes off the endpoint's host, e.g. for a local
    /// server reached by IP address.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.set_disable_host_prefix(Some(disable));
        self
    }

    /// Sets or clears `disable_host_prefix` (cleared: prefixes are used).
    pub fn set_disable_host_prefix(&mut self, disable: Option<bool>) -> &mut Self {
        self.inner.disable_host_prefix = disable;
        self
    }

    /// Sends the bodies of `@requestCompression` operations uncompressed.
    pub fn disable_request_compression(mut self, disable: impl Into<bool>) -> Self {
        self.set_disable_request_compression(Some(disable.into()));
        self
    }

    /// Sets or clears `disable_request_compression` (cleared: bodies are compressed).
    pub fn set_disable_request_compression(&mut self, disable: Option<bool>) -> &mut Self {
        self.inner.disable_request_compression = disable;
        self
    }

    /// The smallest body that `@requestCompression` operations compress; at most 10 MiB
    /// (larger values are taken as 10 MiB).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.set_request_min_compression_size_bytes(Some(bytes));
        self
    }

    /// Sets or clears the smallest body compressed (cleared: 10,240 bytes).
    pub fn set_request_min_compression_size_bytes(&mut self, bytes: Option<u32>) -> &mut Self {
        self.inner.request_min_compression_size_bytes = bytes.map(|b| b.min(super::body::MAX_MIN_COMPRESSION_SIZE));
        self
    }

    /// An application name for the `User-Agent` header.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.set_app_name(Some(name.into()));
        self
    }

    /// Sets or clears the application name.
    pub fn set_app_name(&mut self, name: Option<String>) -> &mut Self {
        self.inner.app_name = name;
        self
    }

    /// Where unset settings are looked up instead of the process environment (for tests).
    pub fn env(mut self, env: Env) -> Self {
        self.set_env(Some(env));
        self
    }

    /// Sets or clears the environment (cleared: the process environment).
    pub fn set_env(&mut self, env: Option<Env>) -> &mut Self {
        self.inner.env = env;
        self
    }

    /// The config.
    pub fn build(self) -> Config {
        self.inner
    }
}

impl From<Config> for Builder {
    fn from(config: Config) -> Self {
        Builder { inner: config }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_takes_the_aws_sdk_forms_and_names() {
        let region = |b: Builder| b.build().region().map(|r| r.as_str().to_owned());
        assert_eq!(region(Config::builder().region(Region::new("eu-west-1"))).as_deref(), Some("eu-west-1"));
        assert_eq!(region(Config::builder().region(Some(Region::new("eu-west-2")))).as_deref(), Some("eu-west-2"));
        assert_eq!(region(Config::builder().region("eu-west-3")).as_deref(), Some("eu-west-3"));
        assert_eq!(region(Config::builder().region(String::from("eu-north-1"))).as_deref(), Some("eu-north-1"));
        assert_eq!(region(Config::builder().region("eu-west-3").region(None)), None);
    }

    #[test]
    fn a_behavior_version_is_kept_and_merged() {
        let base = Config::builder().behavior_version(BehaviorVersion::v2023_11_09()).build();
        assert_eq!(base.behavior_version(), Some(BehaviorVersion::v2023_11_09()));
        assert_eq!(BehaviorVersion::latest(), BehaviorVersion::v2026_01_12());
        let merged = base.merged_with(&Config::builder().behavior_version(BehaviorVersion::latest()));
        assert_eq!(merged.behavior_version(), Some(BehaviorVersion::latest()));
        assert_eq!(base.merged_with(&Config::builder()).behavior_version(), Some(BehaviorVersion::v2023_11_09()));
    }
}

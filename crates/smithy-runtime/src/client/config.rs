//! Client configuration: where requests go and how they are sent.
//!
//! The shape follows the AWS SDK for Rust (`Config::builder().region(..).endpoint_url(..)
//! .build()`) so that moving an app between the two is a matter of crate names. Signing,
//! credentials, endpoint rules and retries slot in here (issue 3).

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// The default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// An AWS region name, e.g. `us-east-1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// A region by name.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Region(name.into())
    }

    /// Its name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&'static str> for Region {
    fn from(s: &'static str) -> Self {
        Region::new(s)
    }
}

impl From<String> for Region {
    fn from(s: String) -> Self {
        Region::new(s)
    }
}

/// How a client reaches the service.
#[derive(Clone, Debug, Default)]
pub struct Config {
    endpoint_url: Option<String>,
    region: Option<Region>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    app_name: Option<String>,
}

impl Config {
    /// A builder with nothing set.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Turns the config back into a builder, to change some of it.
    pub fn to_builder(&self) -> Builder {
        Builder { inner: self.clone() }
    }

    /// The endpoint every request goes to, overriding endpoint resolution.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The region.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The connect timeout ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT)
    }

    /// The HTTP client, when one was given.
    pub fn http_client(&self) -> Option<&reqwest::Client> {
        self.http_client.as_ref()
    }

    /// The application name added to the `User-Agent`.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// This config with the settings of `overrides` applied on top.
    pub fn merged_with(&self, overrides: &Builder) -> Config {
        let o = &overrides.inner;
        Config {
            endpoint_url: o.endpoint_url.clone().or_else(|| self.endpoint_url.clone()),
            region: o.region.clone().or_else(|| self.region.clone()),
            connect_timeout: o.connect_timeout.or(self.connect_timeout),
            http_client: o.http_client.clone().or_else(|| self.http_client.clone()),
            app_name: o.app_name.clone().or_else(|| self.app_name.clone()),
        }
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct Builder {
    inner: Config,
}

impl Builder {
    /// Sends every request to this URL (e.g. `http://127.0.0.1:4566` for a local mock)
    /// instead of the endpoint the region implies.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.inner.endpoint_url = Some(url.into());
        self
    }

    /// Sets or clears the endpoint URL.
    pub fn set_endpoint_url(mut self, url: Option<String>) -> Self {
        self.inner.endpoint_url = url;
        self
    }

    /// The region to call.
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.inner.region = Some(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(mut self, region: Option<Region>) -> Self {
        self.inner.region = region;
        self
    }

    /// The time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.inner.connect_timeout = Some(timeout);
        self
    }

    /// Sends requests with this reqwest client (its own timeouts and TLS settings apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.inner.http_client = Some(client);
        self
    }

    /// An application name for the `User-Agent` header.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.inner.app_name = Some(name.into());
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

//! Per-call settings, the AWS SDK's way: `client.operation().member(..).customize()
//! .config_override(Config::builder().timeout_config(..)).send().await`.
//!
//! What an override may change is what [`Config::merged_with`](super::Config::merged_with)
//! takes: region, endpoint URL, FIPS and dual-stack, credentials, retries, the attempt and
//! operation timeouts (merged limit by limit with the client's), clock, connector, idempotency
//! tokens, compression and host prefixes. The connect timeout belongs to the HTTP client made
//! with the client, so an override of it has no effect.

use std::future::Future;
use std::marker::PhantomData;

use super::{ConfigBuilder, SdkError};

/// An operation's fluent builder, sendable with per-call settings; implemented by the generated
/// fluent builders for [`CustomizableOperation`].
///
/// The future has no `Send` bound here, yet it is `Send` wherever the caller's code needs it
/// (`tokio::spawn`): for a concrete fluent builder, the compiler sees through the returned
/// `impl Future` to the operation's `send()` future, which is `Send`. A bound here made rustc
/// prove it for every operation while compiling the client crate, whether an app customizes
/// that operation or not: about 2 s of the whole Amazon Connect client's 15 s front end.
pub trait CustomizableSend<T, E>: Sized {
    /// Sends the request with `config_override`, when given, in place of the builder's own.
    fn send_with_config_override(
        self,
        config_override: Option<ConfigBuilder>,
    ) -> impl Future<Output = Result<T, SdkError<E>>>;
}

/// An operation about to be sent with per-call settings, from the fluent builder's
/// `customize()`; `T` is its output, `E` its error, `B` the fluent builder.
#[derive(Debug)]
pub struct CustomizableOperation<T, E, B> {
    builder: B,
    config_override: Option<ConfigBuilder>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E, B> CustomizableOperation<T, E, B> {
    /// Wraps a fluent builder (what its `customize()` calls).
    pub fn new(builder: B) -> Self {
        CustomizableOperation { builder, config_override: None, _types: PhantomData }
    }

    /// Settings that apply to this call only, over the client's: a [`ConfigBuilder`] (the
    /// client crate's `config::Builder`) or a `Config`.
    pub fn config_override(mut self, config_override: impl Into<ConfigBuilder>) -> Self {
        self.config_override = Some(config_override.into());
        self
    }

    /// Sends the request and waits for the response.
    pub async fn send(self) -> Result<T, SdkError<E>>
    where
        B: CustomizableSend<T, E>,
    {
        self.builder.send_with_config_override(self.config_override).await
    }
}

//! The app of `crates/sdk-parity/tests/parity/app.rs`, written against aws-sdk-connect's API,
//! built on the real aws-sdk-connect and run against connect-mock: whatever the app asserts,
//! the SDK does (`crates/sdk-parity` runs the same file on connect-client).

#[path = "../../sdk-parity/tests/parity/app.rs"]
mod app;

/// The builders the app starts from, with what this SDK build needs for a test: an HTTP client
/// on rustls with ring (the SDK is built without its default features), and, for a client
/// made from an `SdkConfig`, a behavior version (aws-config's `load_defaults` sets one).
mod side {
    use aws_sdk_connect::config::{BehaviorVersion, SharedHttpClient};
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

    fn http_client() -> SharedHttpClient {
        aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(CryptoMode::Ring)).build_https()
    }

    pub fn config_builder() -> aws_sdk_connect::config::Builder {
        with_test_transport(aws_sdk_connect::Config::builder())
    }

    pub fn with_test_transport(mut builder: aws_sdk_connect::config::Builder) -> aws_sdk_connect::config::Builder {
        builder.set_http_client(Some(http_client()));
        builder
    }

    pub fn sdk_config_builder() -> aws_types::sdk_config::Builder {
        aws_types::SdkConfig::builder().behavior_version(BehaviorVersion::latest()).http_client(http_client())
    }
}

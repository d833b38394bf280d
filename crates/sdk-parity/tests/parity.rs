//! The app of `parity/app.rs`, written against aws-sdk-connect's API, built on connect-client
//! (renamed `aws-sdk-connect` in this crate's `Cargo.toml`) and run against connect-mock.

#[path = "parity/app.rs"]
mod app;

/// The builders the app starts from: connect-client's own, as they are.
mod side {
    pub fn config_builder() -> aws_sdk_connect::config::Builder {
        with_test_transport(aws_sdk_connect::Config::builder())
    }

    pub fn with_test_transport(builder: aws_sdk_connect::config::Builder) -> aws_sdk_connect::config::Builder {
        builder
    }

    pub fn sdk_config_builder() -> aws_types::sdk_config::Builder {
        aws_types::SdkConfig::builder()
    }
}

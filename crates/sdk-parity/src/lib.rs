//! An app written against `aws-sdk-connect`'s documented API, in `tests/parity/app.rs`, and
//! built here on `connect-client` with nothing changed but the dependency line in
//! `Cargo.toml` (`aws-sdk-connect = { package = "connect-client", .. }`). `tests/parity.rs`
//! runs it against connect-mock; `crates/aws-sdk-compat/tests/parity.rs` runs the same file on
//! the real aws-sdk-connect, so that what it asserts is what the SDK does.

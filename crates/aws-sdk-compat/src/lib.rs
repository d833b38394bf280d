//! The official AWS SDK for Rust (`aws-sdk-connect`), unmodified, against `connect-mock`: the
//! tests in `tests/` point it at the mock with only an endpoint override and dummy keys, and
//! check that it parses every answer (success, each modeled error, throttling) correctly.
//!
//! This crate has no code of its own. It is a workspace of its own, outside the main one, so
//! that `cargo test --workspace` does not build the SDK; CI runs it with
//! `cargo test --manifest-path crates/aws-sdk-compat/Cargo.toml`.

//! The official AWS SDK for Rust (`aws-sdk-connect`), unmodified, against `connect-mock`: the
//! tests in `tests/` point it at the mock with only an endpoint override and dummy keys, and
//! check that it parses every answer (success, each modeled error, throttling) correctly.
//!
//! This crate has no code of its own. Its manifest is the root of a workspace outside the main
//! one, so that the main `cargo test --workspace` does not build the SDK; `crates/bench`, which
//! builds the SDK too, is its other member, so the SDK is built once for both. CI runs it with
//! `cargo test --manifest-path crates/aws-sdk-compat/Cargo.toml --workspace`.

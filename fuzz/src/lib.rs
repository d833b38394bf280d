//! The fuzz targets' code, one module per target (the binaries in `fuzz_targets/` only hand
//! libFuzzer's input to it), so that the unit tests below can check that the seeds take the
//! paths they are meant to.
//!
//! Every function here must return normally for any input: a panic (or an abort, a stack
//! overflow, a timeout) is a finding. The assertions are the properties checked beyond "no
//! panic".

pub mod client;
pub mod message;
pub mod model;
pub mod server;

#[cfg(test)]
mod tests;

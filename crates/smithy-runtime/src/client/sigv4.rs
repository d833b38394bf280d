//! SigV4 signing of outgoing requests: the runtime's [`crate::sigv4`] module (with the
//! `aws-sigv4` crate), which the orchestrator calls once per attempt with the config's clock.

pub use crate::sigv4::{SigningError, sign};

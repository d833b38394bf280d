//! Test-only crate: its `tests/` run the generated client against the generated server on
//! `127.0.0.1:0`, and check what the generated types do with the AWS documentation's examples.
//! It has no library code of its own; the README is included below so that its example is
//! compiled and run as a doctest and cannot go stale.
#![doc = include_str!("../../../README.md")]

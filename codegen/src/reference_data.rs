//! Where the read-only reference data lives: the official models and Smithy's own test suites.
//!
//! Tests that compare against it find it through one setting, the `CONNECT_SHARED_DIR`
//! environment variable, which defaults to `../shared` beside the workspace root. When it is
//! absent such tests print that they are skipped; `.ci/run` refuses to run without it, so CI
//! always exercises them.

use std::path::PathBuf;

/// The environment variable that points at the shared reference data.
pub const ENV_VAR: &str = "CONNECT_SHARED_DIR";

/// The shared directory, or `None` (with a note on stderr) when it does not exist.
pub fn dir() -> Option<PathBuf> {
    let dir = match std::env::var_os(ENV_VAR) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("..").join("shared"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: shared reference data not found at {} (set {ENV_VAR})", dir.display());
        None
    }
}

/// A path inside the shared directory, when the directory exists.
pub fn path(relative: &str) -> Option<PathBuf> {
    dir().map(|d| d.join(relative))
}

//! Credentials for signing: the types of `aws-credential-types` (the same the AWS SDK uses, so
//! providers move between the two), and the default chain that finds credentials in the usual
//! places.
//!
//! TODO(issue 3): environment variables, shared `credentials`/`config` files with profiles.

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::error::CredentialsError;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

use super::config::Region;
use super::env::Env;

/// The provider used when the config names none.
pub fn default_provider(env: &Env) -> Option<SharedCredentialsProvider> {
    let key = env.get("AWS_ACCESS_KEY_ID")?;
    let secret = env.get("AWS_SECRET_ACCESS_KEY")?;
    let token = env.get("AWS_SESSION_TOKEN");
    Some(SharedCredentialsProvider::new(Credentials::new(key, secret, token, None, "Environment")))
}

/// The region used when the config names none.
pub fn default_region(env: &Env) -> Option<Region> {
    env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION")).map(Region::new)
}

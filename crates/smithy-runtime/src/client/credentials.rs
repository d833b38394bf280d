//! Credentials for signing: the types of `aws-credential-types` (the same the AWS SDK uses, so
//! providers move between the two), and the providers that find credentials in the usual
//! places.
//!
//! The default chain ([`default_provider`]), as in the AWS SDKs:
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
//! 2. the shared `config` and `credentials` files ([`super::profile`]): the profile `AWS_PROFILE`
//!    names (else `default`), its `aws_access_key_id`, `aws_secret_access_key`,
//!    `aws_session_token`.
//!
//! What it finds is cached ([`CachedCredentialsProvider`]): for the credentials' lifetime, or
//! 15 minutes for credentials that do not expire. When it finds nothing, its error says where it
//! looked. Profiles that get credentials some other way (`credential_process`, SSO, assuming a
//! role, web identity) are not supported: the error names the profile and the setting, and the
//! way out (the `aws-config` feature, or `credentials_provider` on the config).
//!
//! Nothing here shows a secret: the providers' `Debug` has no values, errors name variables,
//! files and profiles, never their contents.

pub use aws_credential_types::Credentials;
pub use aws_credential_types::provider::error::CredentialsError;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::future;

use super::env::Env;
use super::profile::{Profile, ProfileSet};
use super::region::Region;

/// The provider used when the config names none: the default chain, environment then profile,
/// caching what it finds. Nothing is read until credentials are first asked for.
pub fn default_provider(env: &Env) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(DefaultCredentialsChain::new(env.clone()))
}

/// The region used when the config names none: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
/// selected profile's `region`.
pub fn default_region(env: &Env) -> Option<Region> {
    find_region(env).ok()
}

/// As [`default_region`], or, when there is none, a sentence saying everywhere it was looked
/// for: the config, both variables, and the profile with the files read (or why not).
pub fn find_region(env: &Env) -> Result<Region, String> {
    if let Some(region) = env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION")) {
        return Ok(Region::new(region.trim().to_owned()));
    }
    let profile = match ProfileSet::load(env) {
        Ok(set) => match set.selected().and_then(|p| p.get("region")).filter(|r| !r.is_empty()) {
            Some(region) => return Ok(Region::new(region.to_owned())),
            None => format!("nor as `region` in profile `{}` ({})", set.selected_name(), set.looked_in()),
        },
        Err(e) => {
            tracing::debug!(error = %e, "no region from the shared config files");
            format!("and the shared config files could not be read ({e})")
        }
    };
    Err(format!(
        "no region found: it is not set on the config (`region(..)`), nor in the AWS_REGION or \
         AWS_DEFAULT_REGION environment variables, {profile}"
    ))
}

/// A credentials error as a sentence: the cause's own words when it has one (the generic
/// "the credential provider was not enabled" of [`CredentialsError`] says little), then its
/// causes.
pub fn describe_error(error: &CredentialsError) -> String {
    let mut parts = Vec::new();
    let mut next: Option<&(dyn StdError + 'static)> = error.source();
    if next.is_none() {
        parts.push(error.to_string());
    }
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// A reason, as an error.
#[derive(Debug)]
struct Reason(String);

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Reason {}

fn not_loaded(reason: String) -> CredentialsError {
    CredentialsError::not_loaded(Reason(reason))
}

fn invalid(reason: String) -> CredentialsError {
    CredentialsError::invalid_configuration(Reason(reason))
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Clone)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// Reads `env` (the process environment with [`Env::real`]).
    pub fn new(env: Env) -> Self {
        EnvironmentCredentialsProvider { env }
    }

    /// Loads now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let key = self.env.get("AWS_ACCESS_KEY_ID");
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY");
        match (key, secret) {
            (Some(key), Some(secret)) => Ok(Credentials::new(
                key.trim(),
                secret.trim(),
                self.env.get("AWS_SESSION_TOKEN").map(|t| t.trim().to_owned()),
                None,
                "Environment",
            )),
            (None, None) => {
                Err(not_loaded("the environment has neither AWS_ACCESS_KEY_ID nor AWS_SECRET_ACCESS_KEY".into()))
            }
            (Some(_), None) => {
                Err(not_loaded("the environment has AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY".into()))
            }
            (None, Some(_)) => {
                Err(not_loaded("the environment has AWS_SECRET_ACCESS_KEY but not AWS_ACCESS_KEY_ID".into()))
            }
        }
    }
}

impl fmt::Debug for EnvironmentCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvironmentCredentialsProvider").finish_non_exhaustive()
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}

/// Profile settings that get credentials in ways this client does not support.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("role_arn", "assuming a role (`role_arn`)"),
    ("credential_source", "assuming a role (`credential_source`)"),
    ("source_profile", "assuming a role (`source_profile`)"),
    ("web_identity_token_file", "web identity (`web_identity_token_file`)"),
    ("sso_session", "IAM Identity Center / SSO (`sso_session`)"),
    ("sso_start_url", "IAM Identity Center / SSO (`sso_start_url`)"),
    ("sso_account_id", "IAM Identity Center / SSO (`sso_account_id`)"),
    ("credential_process", "an external process (`credential_process`)"),
    ("login_session", "a console login session (`login_session`)"),
];

/// Credentials from a profile of the shared `config` and `credentials` files: static keys
/// (`aws_access_key_id`, `aws_secret_access_key`, and `aws_session_token` for temporary ones).
#[derive(Clone)]
pub struct ProfileCredentialsProvider {
    env: Env,
    profile: Option<String>,
}

impl ProfileCredentialsProvider {
    /// Reads the files and `AWS_PROFILE` as `env` says.
    pub fn new(env: Env) -> Self {
        ProfileCredentialsProvider { env, profile: None }
    }

    /// Uses this profile whatever `AWS_PROFILE` says.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Loads now (the files are read on every call: wrap in [`CachedCredentialsProvider`], as
    /// the default chain does, to read them once).
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut set = ProfileSet::load(&self.env).map_err(|e| invalid(e.to_string()))?;
        if let Some(name) = &self.profile {
            set = set.with_selected(name.clone());
        }
        let name = set.selected_name();
        let Some(profile) = set.selected() else {
            let reason = format!("profile `{name}` is not in {}", set.looked_in());
            return Err(if set.selected_explicitly() { invalid(reason) } else { not_loaded(reason) });
        };
        credentials_of(profile, &set)
    }
}

fn credentials_of(profile: &Profile, set: &ProfileSet) -> Result<Credentials, CredentialsError> {
    let name = profile.name();
    let files = || set.files().iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ");
    if let Some((_, how)) = UNSUPPORTED.iter().find(|(key, _)| profile.get(key).is_some()) {
        return Err(invalid(format!(
            "profile `{name}` (in {}) gets its credentials through {how}, which this client does not support: \
             build the client from an aws-config `SdkConfig` (the `aws-config` feature, `Client::new`), or set \
             `credentials_provider` on the config",
            files()
        )));
    }
    let key = profile.get("aws_access_key_id").filter(|v| !v.is_empty());
    let secret = profile.get("aws_secret_access_key").filter(|v| !v.is_empty());
    match (key, secret) {
        (Some(key), Some(secret)) => Ok(Credentials::new(
            key,
            secret,
            profile.get("aws_session_token").filter(|v| !v.is_empty()).map(str::to_owned),
            None,
            "ProfileFile",
        )),
        (None, None) => {
            let reason = format!("profile `{name}` (in {}) has no `aws_access_key_id`", files());
            Err(if set.selected_explicitly() { invalid(reason) } else { not_loaded(reason) })
        }
        (Some(_), None) => Err(invalid(format!(
            "profile `{name}` (in {}) has `aws_access_key_id` but no `aws_secret_access_key`",
            files()
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "profile `{name}` (in {}) has `aws_secret_access_key` but no `aws_access_key_id`",
            files()
        ))),
    }
}

impl fmt::Debug for ProfileCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileCredentialsProvider").field("profile", &self.profile).finish_non_exhaustive()
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}

/// The default chain: the environment, then the shared files; the first that has credentials
/// wins, and what it gave is cached.
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    cached: CachedCredentialsProvider,
}

/// The chain without its cache.
#[derive(Clone)]
struct Chain {
    environment: EnvironmentCredentialsProvider,
    profile: ProfileCredentialsProvider,
}

impl fmt::Debug for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Chain").field("environment", &self.environment).field("profile", &self.profile).finish()
    }
}

impl Chain {
    fn load(&self) -> Result<Credentials, CredentialsError> {
        let env_reason = match self.environment.load() {
            Ok(c) => return Ok(c),
            Err(e @ CredentialsError::CredentialsNotLoaded(_)) => describe_error(&e),
            Err(e) => return Err(e),
        };
        match self.profile.load() {
            Ok(c) => Ok(c),
            Err(e @ CredentialsError::CredentialsNotLoaded(_)) => Err(not_loaded(format!(
                "no credentials found: {env_reason}; {}. Set `credentials_provider` on the config, or \
                 AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in the shared credentials file",
                describe_error(&e)
            ))),
            Err(e) => Err(e),
        }
    }
}

impl ProvideCredentials for Chain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}

impl DefaultCredentialsChain {
    /// The chain reading `env` (the process environment with [`Env::real`]).
    pub fn new(env: Env) -> Self {
        let chain = Chain {
            environment: EnvironmentCredentialsProvider::new(env.clone()),
            profile: ProfileCredentialsProvider::new(env),
        };
        DefaultCredentialsChain { cached: CachedCredentialsProvider::new(chain) }
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.cached.provide_credentials()
    }
}

/// How long credentials without an expiry are kept.
pub const DEFAULT_CACHE_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// Credentials are refreshed this long before they expire.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(60);

/// Caches what another provider gives: until `REFRESH_BEFORE_EXPIRY` before the credentials
/// expire, or [`DEFAULT_CACHE_LIFETIME`] when they do not. One load at a time: concurrent
/// callers wait for it. Errors are not cached. Clones share the cache.
#[derive(Clone)]
pub struct CachedCredentialsProvider {
    inner: SharedCredentialsProvider,
    lifetime: Duration,
    state: Arc<tokio::sync::Mutex<Option<(Credentials, SystemTime)>>>,
}

impl CachedCredentialsProvider {
    /// Caches `inner`'s credentials.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachedCredentialsProvider {
            inner: SharedCredentialsProvider::new(inner),
            lifetime: DEFAULT_CACHE_LIFETIME,
            state: Arc::default(),
        }
    }

    /// Keeps credentials that do not expire this long.
    pub fn with_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let mut state = self.state.lock().await;
        let now = SystemTime::now();
        if let Some((credentials, valid_until)) = &*state
            && now < *valid_until
        {
            return Ok(credentials.clone());
        }
        let credentials = self.inner.provide_credentials().await?;
        let valid_until = match credentials.expiry() {
            Some(expiry) => expiry.checked_sub(REFRESH_BEFORE_EXPIRY).unwrap_or(expiry),
            None => now + self.lifetime,
        };
        *state = Some((credentials.clone(), valid_until));
        Ok(credentials)
    }
}

impl fmt::Debug for CachedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.state.try_lock().map(|s| s.is_some()).ok();
        f.debug_struct("CachedCredentialsProvider")
            .field("inner", &self.inner)
            .field("lifetime", &self.lifetime)
            .field("cached", &cached)
            .finish()
    }
}

impl ProvideCredentials for CachedCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.get())
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A directory of its own under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "smithy-runtime-creds-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, name: &str, text: &str) -> String {
            let path = self.0.join(name);
            std::fs::write(&path, text).unwrap();
            path.to_str().unwrap().to_owned()
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    fn load(env: &Env) -> Result<Credentials, CredentialsError> {
        block_on(default_provider(env).provide_credentials())
    }

    const SECRETS: &[&str] = &["ENV-SECRET", "FILE-SECRET", "CONFIG-SECRET", "TOKEN-SECRET"];

    fn assert_no_secret(text: &str) {
        for s in SECRETS {
            assert!(!text.contains(s), "{s} leaked into {text}");
        }
    }

    #[test]
    fn the_environment_gives_keys_and_session_token() {
        let env = Env::from_slice(&[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "ENV-SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN-SECRET"),
        ]);
        let c = load(&env).unwrap();
        assert_eq!(c.access_key_id(), "AKIDENV");
        assert_eq!(c.secret_access_key(), "ENV-SECRET");
        assert_eq!(c.session_token(), Some("TOKEN-SECRET"));
    }

    #[test]
    fn the_credentials_file_gives_the_default_profile() {
        let dir = TempDir::new("default");
        let creds = dir.write(
            "credentials",
            "# mine\n[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = FILE-SECRET\n\
             aws_session_token = TOKEN-SECRET\n",
        );
        let env = Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds), ("HOME", "/nonexistent")]);
        let c = load(&env).unwrap();
        assert_eq!((c.access_key_id(), c.secret_access_key()), ("AKIDFILE", "FILE-SECRET"));
        assert_eq!(c.session_token(), Some("TOKEN-SECRET"));
    }

    #[test]
    fn aws_profile_selects_a_profile_from_either_file() {
        let dir = TempDir::new("select");
        let creds = dir.write(
            "credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = FILE-SECRET\n\
             [dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = FILE-SECRET\n",
        );
        let config = dir.write(
            "config",
            "[profile staging]\naws_access_key_id = AKIDSTAGING\naws_secret_access_key = CONFIG-SECRET\n\
             region = eu-central-1\n",
        );
        let env = |profile: &str| {
            Env::from_slice(&[
                ("AWS_SHARED_CREDENTIALS_FILE", &creds),
                ("AWS_CONFIG_FILE", &config),
                ("AWS_PROFILE", profile),
            ])
        };
        assert_eq!(load(&env("dev")).unwrap().access_key_id(), "AKIDDEV");
        assert_eq!(load(&env("staging")).unwrap().access_key_id(), "AKIDSTAGING");
        assert_eq!(default_region(&env("staging")), Some(Region::new("eu-central-1")));
        assert_eq!(default_region(&env("dev")), None);
    }

    #[test]
    fn the_default_files_are_under_home() {
        let dir = TempDir::new("home");
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        dir.write(".aws/credentials", "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = FILE-SECRET\n");
        dir.write(".aws/config", "[default]\nregion = ap-southeast-2\n");
        let env = Env::from_slice(&[("HOME", dir.path().to_str().unwrap())]);
        assert_eq!(load(&env).unwrap().access_key_id(), "AKIDHOME");
        assert_eq!(default_region(&env), Some(Region::new("ap-southeast-2")));
    }

    #[test]
    fn the_credentials_file_wins_over_the_config_file() {
        let dir = TempDir::new("merge");
        let creds = dir.write("credentials", "[default]\naws_secret_access_key = FILE-SECRET\n");
        let config =
            dir.write("config", "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = CONFIG-SECRET\n");
        let env = Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds), ("AWS_CONFIG_FILE", &config)]);
        let c = load(&env).unwrap();
        assert_eq!((c.access_key_id(), c.secret_access_key()), ("AKIDCONFIG", "FILE-SECRET"));
    }

    #[test]
    fn the_environment_wins_over_the_files() {
        let dir = TempDir::new("precedence");
        let creds =
            dir.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = FILE-SECRET\n");
        let env = Env::from_slice(&[
            ("AWS_SHARED_CREDENTIALS_FILE", &creds),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "ENV-SECRET"),
        ]);
        assert_eq!(load(&env).unwrap().access_key_id(), "AKIDENV");
        // Half the environment is not enough: the file is used.
        let env = Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds), ("AWS_ACCESS_KEY_ID", "AKIDENV")]);
        assert_eq!(load(&env).unwrap().access_key_id(), "AKIDFILE");
    }

    #[test]
    fn region_comes_from_the_environment_first() {
        let dir = TempDir::new("region");
        let config = dir.write("config", "[default]\nregion = from-file\n");
        let env = |vars: &[(&str, &str)]| {
            let mut all = vec![("AWS_CONFIG_FILE", config.as_str())];
            all.extend_from_slice(vars);
            Env::from_slice(&all)
        };
        assert_eq!(default_region(&env(&[])), Some(Region::new("from-file")));
        assert_eq!(default_region(&env(&[("AWS_DEFAULT_REGION", "b")])), Some(Region::new("b")));
        assert_eq!(default_region(&env(&[("AWS_DEFAULT_REGION", "b"), ("AWS_REGION", "a")])), Some(Region::new("a")));
    }

    #[test]
    fn nothing_found_is_an_error_saying_where_it_looked() {
        let dir = TempDir::new("missing");
        let home = dir.path().to_str().unwrap();
        let e = load(&Env::from_slice(&[("HOME", home)])).unwrap_err();
        let text = describe_error(&e);
        assert!(matches!(e, CredentialsError::CredentialsNotLoaded(_)), "{e:?}");
        assert!(text.contains("AWS_ACCESS_KEY_ID"), "{text}");
        assert!(text.contains("profile `default`"), "{text}");
        assert!(text.contains(&format!("{home}/.aws/config (no such file)")), "{text}");
        assert!(text.contains(&format!("{home}/.aws/credentials (no such file)")), "{text}");

        let e = load(&Env::from_slice(&[])).unwrap_err();
        assert!(describe_error(&e).contains("HOME is not set"), "{}", describe_error(&e));
    }

    #[test]
    fn a_missing_named_profile_is_named() {
        let dir = TempDir::new("named");
        let config = dir.write("config", "[prod]\naws_access_key_id = A\naws_secret_access_key = CONFIG-SECRET\n");
        let env = Env::from_slice(&[("AWS_CONFIG_FILE", &config), ("AWS_PROFILE", "prod"), ("HOME", "/nonexistent")]);
        let e = load(&env).unwrap_err();
        let text = describe_error(&e);
        assert!(matches!(e, CredentialsError::InvalidConfiguration(_)), "{e:?}");
        assert!(text.contains("profile `prod` is not in"), "{text}");
        assert!(text.contains("[profile prod]"), "the skipped section is pointed at: {text}");
        assert_no_secret(&text);
        assert_no_secret(&format!("{e:?}"));
    }

    #[test]
    fn unsupported_profiles_are_clear_errors_naming_the_profile() {
        let dir = TempDir::new("unsupported");
        for (setting, words) in [
            ("credential_process = /bin/get-creds", "credential_process"),
            ("role_arn = arn:aws:iam::1:role/r\nsource_profile = default", "role_arn"),
            ("sso_session = corp\nsso_account_id = 1", "sso_session"),
        ] {
            let config = dir.write("config", &format!("[profile work]\n{setting}\n"));
            let env =
                Env::from_slice(&[("AWS_CONFIG_FILE", &config), ("AWS_PROFILE", "work"), ("HOME", "/nonexistent")]);
            let text = describe_error(&load(&env).unwrap_err());
            assert!(text.contains("profile `work`") && text.contains(words), "{text}");
            assert!(text.contains("does not support") && text.contains("aws-config"), "{text}");
        }
    }

    #[test]
    fn half_keys_and_malformed_files_are_errors() {
        let dir = TempDir::new("broken");
        let creds = dir.write("credentials", "[default]\naws_access_key_id = AKID\n");
        let text = describe_error(&load(&Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds)])).unwrap_err());
        assert!(text.contains("no `aws_secret_access_key`"), "{text}");

        let creds = dir.write("credentials", "[default]\naws_secret_access_key FILE-SECRET\n");
        let e = load(&Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds)])).unwrap_err();
        let text = describe_error(&e);
        assert!(text.contains(&creds) && text.contains("line 2"), "{text}");
        assert_no_secret(&text);
        assert_no_secret(&format!("{e:?}"));
    }

    #[test]
    fn the_chain_caches_what_it_found() {
        let dir = TempDir::new("cache");
        let creds =
            dir.write("credentials", "[default]\naws_access_key_id = AKIDFIRST\naws_secret_access_key = FILE-SECRET\n");
        let chain = default_provider(&Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds)]));
        assert_eq!(block_on(chain.provide_credentials()).unwrap().access_key_id(), "AKIDFIRST");
        std::fs::remove_file(&creds).unwrap();
        assert_eq!(block_on(chain.provide_credentials()).unwrap().access_key_id(), "AKIDFIRST");
        // A fresh chain reads again.
        let fresh = default_provider(&Env::from_slice(&[("AWS_SHARED_CREDENTIALS_FILE", &creds), ("HOME", "/x")]));
        assert!(block_on(fresh.provide_credentials()).is_err());
    }

    /// Counts loads; gives credentials expiring at `expiry`.
    #[derive(Debug)]
    struct Counting {
        loads: Arc<AtomicUsize>,
        expiry: Option<SystemTime>,
        fail: bool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let n = self.loads.fetch_add(1, Ordering::SeqCst);
            future::ProvideCredentials::ready(if self.fail {
                Err(not_loaded("nothing".into()))
            } else {
                Ok(Credentials::new(format!("AKID{n}"), "s", None, self.expiry, "counting"))
            })
        }
    }

    #[test]
    fn the_cache_refreshes_expiring_credentials_and_does_not_cache_errors() {
        let loads = Arc::new(AtomicUsize::new(0));
        let lasting = CachedCredentialsProvider::new(Counting { loads: loads.clone(), expiry: None, fail: false });
        for _ in 0..3 {
            assert_eq!(block_on(lasting.provide_credentials()).unwrap().access_key_id(), "AKID0");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);

        let loads = Arc::new(AtomicUsize::new(0));
        let soon = SystemTime::now() + Duration::from_secs(30);
        let expiring =
            CachedCredentialsProvider::new(Counting { loads: loads.clone(), expiry: Some(soon), fail: false });
        block_on(expiring.provide_credentials()).unwrap();
        block_on(expiring.provide_credentials()).unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 2, "within a minute of expiry: loaded again");

        let later = SystemTime::now() + Duration::from_secs(3600);
        let loads = Arc::new(AtomicUsize::new(0));
        let hour = CachedCredentialsProvider::new(Counting { loads: loads.clone(), expiry: Some(later), fail: false });
        block_on(hour.provide_credentials()).unwrap();
        block_on(hour.provide_credentials()).unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 1);

        let loads = Arc::new(AtomicUsize::new(0));
        let failing = CachedCredentialsProvider::new(Counting { loads: loads.clone(), expiry: None, fail: true });
        assert!(block_on(failing.provide_credentials()).is_err());
        assert!(block_on(failing.provide_credentials()).is_err());
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn debug_of_every_provider_shows_no_secret() {
        let dir = TempDir::new("debug");
        let creds = dir.write(
            "credentials",
            "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = FILE-SECRET\naws_session_token = TOKEN-SECRET\n",
        );
        let env = Env::from_slice(&[
            ("AWS_SHARED_CREDENTIALS_FILE", &creds),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "ENV-SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN-SECRET"),
        ]);
        let chain = default_provider(&env);
        block_on(chain.provide_credentials()).unwrap();
        let profile = ProfileCredentialsProvider::new(env.clone());
        block_on(profile.provide_credentials()).unwrap();
        let debugs = [
            format!("{chain:?}"),
            format!("{:?}", DefaultCredentialsChain::new(env.clone())),
            format!("{:?}", EnvironmentCredentialsProvider::new(env.clone())),
            format!("{profile:?}"),
            format!("{:?}", ProfileSet::load(&env).unwrap()),
            format!("{:?}", block_on(chain.provide_credentials()).unwrap()),
            format!("{env:?}"),
        ];
        for d in &debugs {
            assert_no_secret(d);
        }
        assert!(debugs[0].contains("CachedCredentialsProvider"), "{}", debugs[0]);
    }

    #[test]
    fn describe_error_uses_the_cause_not_the_generic_words() {
        let e = not_loaded("profile `x` is not in /a".into());
        assert_eq!(describe_error(&e), "profile `x` is not in /a");
        let e = CredentialsError::provider_timed_out(Duration::from_secs(5));
        assert!(describe_error(&e).contains("timed out"));
    }
}

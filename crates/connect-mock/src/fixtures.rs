//! The mock's world, as data: instances and their users, root keys, key pairs for SigV4
//! checking, scripted answers, and token lifetimes. Built in code with [`crate::MockBuilder`] or
//! read from a JSON or TOML file (`--fixtures`).

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use smithy_runtime::DateTime;
use smithy_runtime::datetime::Format;

use crate::script::Answer;

/// Everything the mock knows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fixtures {
    /// The region in ARNs and sign-in URLs (default `us-east-1`).
    pub region: Option<String>,
    /// The account id in ARNs (default `123456789012`).
    pub account_id: Option<String>,
    /// How long access tokens live, in seconds (default 3600).
    pub access_token_lifetime_secs: Option<u64>,
    /// How long refresh tokens live, in seconds (default 43200).
    pub refresh_token_lifetime_secs: Option<u64>,
    /// A fixed clock, in RFC 3339 (e.g. `2030-01-02T03:04:05.125Z`): expirations count from this
    /// instant, so that tests in any language can check them exactly. Default: the system
    /// clock. It also dates SigV4 checks: requests signed more than 5 minutes from it fail.
    pub now: Option<String>,
    /// Known instances. With none, every instance exists.
    pub instances: Vec<InstanceFixture>,
    /// Access key ids of the account's root user: they cannot federate.
    pub root_keys: Vec<String>,
    /// Key pairs whose signatures the mock checks when SigV4 checking is on.
    pub key_pairs: Vec<KeyPair>,
    /// Check SigV4 signatures.
    pub verify_sigv4: bool,
    /// Scripted answers.
    pub scripts: Vec<ScriptFixture>,
}

/// One instance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceFixture {
    /// The instance id.
    pub id: String,
    /// The instance alias in its sign-in URL (default: the id).
    pub alias: Option<String>,
    /// Its users. With none, every caller has a user in this instance.
    pub users: Vec<UserFixture>,
}

/// A Connect user, mapped from the IAM access key id that signs the caller's requests.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UserFixture {
    /// The caller's access key id.
    pub access_key_id: String,
    /// The user's id (default: derived from the access key id).
    pub user_id: Option<String>,
    /// The user's login name, for readability.
    pub user_name: Option<String>,
}

/// An access key pair.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPair {
    /// The access key id.
    pub access_key_id: String,
    /// The secret key.
    pub secret_access_key: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &smithy_runtime::REDACTED)
            .finish()
    }
}

/// A script: answers given in order, then back to normal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScriptFixture {
    /// The instance it applies to; every instance when absent.
    pub instance: Option<String>,
    /// The answers.
    pub answers: Vec<Answer>,
}

impl Fixtures {
    /// Reads a fixtures file: TOML when it ends in `.toml`, else JSON.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        let fixtures: Self = if is_toml {
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        } else {
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        };
        fixtures.fixed_now().map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(fixtures)
    }

    /// The fixed clock's instant, when `now` is set; an error when it is not RFC 3339.
    pub fn fixed_now(&self) -> Result<Option<SystemTime>, String> {
        let Some(text) = &self.now else { return Ok(None) };
        let t = DateTime::parse(text, Format::DateTime)
            .map_err(|e| format!("`now = {text:?}` is not an RFC 3339 date-time: {e}"))?;
        SystemTime::try_from(t).map(Some).map_err(|_| format!("`now = {text:?}` is out of range"))
    }

    pub(crate) fn region(&self) -> &str {
        self.region.as_deref().unwrap_or("us-east-1")
    }

    pub(crate) fn account_id(&self) -> &str {
        self.account_id.as_deref().unwrap_or("123456789012")
    }

    pub(crate) fn access_lifetime(&self) -> Duration {
        Duration::from_secs(self.access_token_lifetime_secs.unwrap_or(3600))
    }

    pub(crate) fn refresh_lifetime(&self) -> Duration {
        Duration::from_secs(self.refresh_token_lifetime_secs.unwrap_or(43_200))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_toml_fixtures_read_the_same() {
        let json = r#"{
            "region": "eu-west-2",
            "instances": [{"id": "i-1", "users": [{"access_key_id": "AKIDAGENT", "user_name": "agent"}]}],
            "root_keys": ["AKIDROOT"],
            "key_pairs": [{"access_key_id": "AKIDAGENT", "secret_access_key": "s3cret"}],
            "verify_sigv4": true,
            "scripts": [{"instance": "i-1", "answers": [{"kind": "throttling"}, {"kind": "delay", "millis": 10}]}]
        }"#;
        let toml = r#"
            region = "eu-west-2"
            root_keys = ["AKIDROOT"]
            verify_sigv4 = true
            [[instances]]
            id = "i-1"
            [[instances.users]]
            access_key_id = "AKIDAGENT"
            user_name = "agent"
            [[key_pairs]]
            access_key_id = "AKIDAGENT"
            secret_access_key = "s3cret"
            [[scripts]]
            instance = "i-1"
            answers = [{ kind = "throttling" }, { kind = "delay", millis = 10 }]
        "#;
        let a: Fixtures = serde_json::from_str(json).unwrap();
        let b: Fixtures = toml::from_str(toml).unwrap();
        assert_eq!(a, b);
        assert!(!format!("{a:?}").contains("s3cret"), "secrets stay out of Debug");
        assert!(serde_json::from_str::<Fixtures>(r#"{"instance": []}"#).is_err(), "typos are errors");
    }

    #[test]
    fn a_fixed_clock_is_rfc_3339() {
        let f: Fixtures = toml::from_str(r#"now = "2030-01-02T03:04:05.125Z""#).unwrap();
        let t = f.fixed_now().unwrap().unwrap();
        assert_eq!(t, SystemTime::UNIX_EPOCH + Duration::new(1_893_553_445, 125_000_000));
        assert_eq!(Fixtures::default().fixed_now(), Ok(None));
        let bad: Fixtures = toml::from_str(r#"now = "tomorrow""#).unwrap();
        assert!(bad.fixed_now().unwrap_err().contains("not an RFC 3339 date-time"));
    }
}

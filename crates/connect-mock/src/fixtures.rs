//! The mock's world, as data: instances and their users, root keys, key pairs for SigV4
//! checking, scripted answers, and token lifetimes. Built in code with [`crate::MockBuilder`] or
//! read from a JSON or TOML file (`--fixtures`).

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use smithy_runtime::timestamp::{self, Format};

pub use crate::script::{MAX_DELAY_MILLIS, ScriptFixture};

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

/// The largest fixtures file read (a fixtures file is a few kilobytes; this keeps
/// `--fixtures /dev/zero`-style mistakes from eating memory).
pub const MAX_FIXTURES_BYTES: u64 = 4 * 1024 * 1024;

/// The longest token lifetime accepted: ten years, far from any overflow of an expiration.
pub const MAX_TOKEN_LIFETIME_SECS: u64 = 10 * 365 * 24 * 3600;

/// Fixtures that cannot be used, with every problem found (not only the first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixturesError {
    /// Where they came from (a file, or the admin API).
    pub source: String,
    /// Each problem, as `where: what` (e.g. `instances[1].id: duplicate of instances[0]`).
    pub problems: Vec<String>,
}

impl std::fmt::Display for FixturesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{}: {one}", self.source),
            many => {
                write!(f, "{}: {} problems:", self.source, many.len())?;
                for p in many {
                    write!(f, "\n  - {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FixturesError {}

impl Fixtures {
    /// Reads a fixtures file: TOML when it ends in `.toml`, else JSON. Only regular files up to
    /// [`MAX_FIXTURES_BYTES`] are read (not a FIFO, a device or a directory), and the fixtures are
    /// validated as a whole ([`Fixtures::validate`]): the error lists every problem.
    pub fn load(path: &Path) -> Result<Self, FixturesError> {
        let source = path.display().to_string();
        let fail = |problem: String| FixturesError { source: source.clone(), problems: vec![problem] };
        // Opening a FIFO for reading blocks until a writer comes: look before opening.
        let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
        if !meta.is_file() {
            return Err(fail("not a regular file (a fixtures file is JSON or TOML text)".into()));
        }
        if meta.len() > MAX_FIXTURES_BYTES {
            return Err(fail(format!(
                "{} bytes, more than the {MAX_FIXTURES_BYTES} a fixtures file may have",
                meta.len()
            )));
        }
        let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
        let mut bytes = Vec::new();
        // The file may grow between the look and the read.
        std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_FIXTURES_BYTES + 1), &mut bytes)
            .map_err(|e| fail(format!("cannot read it: {e}")))?;
        if bytes.len() as u64 > MAX_FIXTURES_BYTES {
            return Err(fail(format!("more than the {MAX_FIXTURES_BYTES} bytes a fixtures file may have")));
        }
        let text = String::from_utf8(bytes).map_err(|e| fail(format!("not UTF-8 text: {e}")))?;
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        let fixtures = if is_toml { Self::from_toml(&text) } else { Self::from_json(&text) };
        fixtures.map_err(|e| FixturesError { source, problems: e.problems })
    }

    /// Reads and validates fixtures written as JSON (an object).
    pub fn from_json(text: &str) -> Result<Self, FixturesError> {
        let fail = |problem: String| FixturesError { source: "fixtures".into(), problems: vec![problem] };
        // serde reads a struct from an array too (its fields in order): only an object is one.
        if !text.trim_start().starts_with('{') {
            return Err(fail("fixtures are a JSON object (`{ \"instances\": [...] }`), not another JSON value".into()));
        }
        let fixtures: Self = serde_json::from_str(text).map_err(|e| fail(e.to_string()))?;
        fixtures.validate().map(|()| fixtures)
    }

    /// Reads and validates fixtures written as TOML.
    pub fn from_toml(text: &str) -> Result<Self, FixturesError> {
        let fixtures: Self = toml::from_str(text)
            .map_err(|e| FixturesError { source: "fixtures".into(), problems: vec![e.to_string()] })?;
        fixtures.validate().map(|()| fixtures)
    }

    /// Checks the fixtures as a whole: every problem is reported, located by its path
    /// (`instances[1].users[0].access_key_id`). Instance ids and aliases must be usable in a
    /// host name and an ARN, as AWS's are; ids, keys and key pairs may not repeat; token
    /// lifetimes must be between 1 s and ten years; scripted errors must be GetFederationToken's.
    pub fn validate(&self) -> Result<(), FixturesError> {
        let mut problems = Vec::new();
        let mut problem = |at: String, what: String| problems.push(format!("{at}: {what}"));
        if let Some(r) = &self.region
            && !is_dns_label(r)
        {
            problem("region".into(), format!("{r:?} is not a region name (lower-case letters, digits and `-`)"));
        }
        if let Some(a) = &self.account_id
            && !(a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        {
            problem("account_id".into(), format!("{a:?} is not 12 digits"));
        }
        for (name, value) in [
            ("access_token_lifetime_secs", self.access_token_lifetime_secs),
            ("refresh_token_lifetime_secs", self.refresh_token_lifetime_secs),
        ] {
            if let Some(v) = value
                && !(1..=MAX_TOKEN_LIFETIME_SECS).contains(&v)
            {
                problem(name.into(), format!("{v} is not between 1 and {MAX_TOKEN_LIFETIME_SECS} (ten years)"));
            }
        }
        if let Err(e) = self.fixed_now() {
            problem("now".into(), e);
        }
        let mut seen_instances: Vec<&str> = Vec::new();
        for (i, instance) in self.instances.iter().enumerate() {
            let at = format!("instances[{i}]");
            if !is_instance_id(&instance.id) {
                problem(
                    format!("{at}.id"),
                    format!("{:?} is not an instance id (1 to 100 letters, digits and `-`)", instance.id),
                );
            }
            if let Some(first) = seen_instances.iter().position(|s| *s == instance.id) {
                problem(format!("{at}.id"), format!("{:?} repeats instances[{first}]", instance.id));
            }
            seen_instances.push(&instance.id);
            if let Some(alias) = &instance.alias
                && !is_dns_label(alias)
            {
                problem(
                    format!("{at}.alias"),
                    format!("{alias:?} is not a host name label (1 to 63 lower-case letters, digits and `-`)"),
                );
            }
            let mut seen_keys: Vec<&str> = Vec::new();
            for (u, user) in instance.users.iter().enumerate() {
                let at = format!("{at}.users[{u}]");
                if user.access_key_id.trim().is_empty() {
                    problem(
                        format!("{at}.access_key_id"),
                        "missing: every user is mapped from an access key id".into(),
                    );
                } else if let Some(first) = seen_keys.iter().position(|k| *k == user.access_key_id) {
                    problem(format!("{at}.access_key_id"), format!("{:?} repeats users[{first}]", user.access_key_id));
                } else if self.root_keys.contains(&user.access_key_id) {
                    problem(
                        format!("{at}.access_key_id"),
                        format!("{:?} is also a root key, which cannot federate", user.access_key_id),
                    );
                }
                seen_keys.push(&user.access_key_id);
                if let Some(id) = &user.user_id
                    && !is_instance_id(id)
                {
                    problem(format!("{at}.user_id"), format!("{id:?} is not a user id (letters, digits and `-`)"));
                }
            }
        }
        for (k, key) in self.root_keys.iter().enumerate() {
            if key.trim().is_empty() {
                problem(format!("root_keys[{k}]"), "empty".into());
            } else if let Some(first) = self.root_keys[..k].iter().position(|r| r == key) {
                problem(format!("root_keys[{k}]"), format!("{key:?} repeats root_keys[{first}]"));
            }
        }
        for (k, pair) in self.key_pairs.iter().enumerate() {
            if pair.access_key_id.trim().is_empty() {
                problem(format!("key_pairs[{k}].access_key_id"), "missing".into());
            } else if let Some(first) = self.key_pairs[..k].iter().position(|p| p.access_key_id == pair.access_key_id) {
                problem(
                    format!("key_pairs[{k}].access_key_id"),
                    format!("{:?} repeats key_pairs[{first}]", pair.access_key_id),
                );
            }
            if pair.secret_access_key.is_empty() {
                problem(format!("key_pairs[{k}].secret_access_key"), "missing".into());
            }
        }
        if self.verify_sigv4 && self.key_pairs.is_empty() {
            problem("verify_sigv4".into(), "on, but no key_pairs: every request would be refused".into());
        }
        for (s, script) in self.scripts.iter().enumerate() {
            if let Some(instance) = &script.instance
                && !is_instance_id(instance)
            {
                problem(format!("scripts[{s}].instance"), format!("{instance:?} is not an instance id"));
            }
            for (a, answer) in script.answers.iter().enumerate() {
                if let Err(e) = answer.check() {
                    problem(format!("scripts[{s}].answers[{a}]"), e);
                }
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(FixturesError { source: "fixtures".into(), problems }) }
    }

    /// The fixed clock's instant, when `now` is set; an error when it is not RFC 3339.
    pub fn fixed_now(&self) -> Result<Option<SystemTime>, String> {
        let Some(text) = &self.now else { return Ok(None) };
        let t = timestamp::parse(text, Format::DateTime)
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

/// An instance (or user) id as AWS makes them: 1 to 100 ASCII letters, digits and `-`. Such an id
/// goes into a host name, a URL and an ARN as it is.
pub(crate) fn is_instance_id(id: &str) -> bool {
    (1..=100).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A host name label: 1 to 63 lower-case letters, digits and `-`, not at either end.
fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
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

    #[test]
    fn only_regular_files_holding_an_object_are_read() {
        let e = Fixtures::load(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.problems, ["not a regular file (a fixtures file is JSON or TOML text)"]);
        let e = Fixtures::load(Path::new("/nonexistent/fixtures.toml")).unwrap_err().to_string();
        assert!(e.starts_with("/nonexistent/fixtures.toml: cannot read it"), "{e}");
        assert!(Fixtures::from_json("[]").unwrap_err().problems[0].contains("a JSON object"));
        assert_eq!(Fixtures::from_json("{}"), Ok(Fixtures::default()));
    }

    #[test]
    fn every_problem_is_reported_where_it_is() {
        let f: Fixtures = toml::from_str(
            r#"
            account_id = "42"
            access_token_lifetime_secs = 18446744073709551615
            verify_sigv4 = true
            root_keys = ["AKIDA", "AKIDA"]
            [[instances]]
            id = "i-1"
            alias = "Not_A_Label"
            users = [{ access_key_id = "" }, { access_key_id = "AKIDA" }]
            [[instances]]
            id = "i-1"
            [[scripts]]
            answers = [{ kind = "error", code = "ThrottlingException" }, { kind = "delay", millis = 99999999 }]
            "#,
        )
        .unwrap();
        let problems = f.validate().unwrap_err().problems;
        let at: Vec<&str> = problems.iter().map(|p| p.split(':').next().unwrap()).collect();
        assert_eq!(
            at,
            [
                "account_id",
                "access_token_lifetime_secs",
                "instances[0].alias",
                "instances[0].users[0].access_key_id",
                "instances[0].users[1].access_key_id",
                "instances[1].id",
                "root_keys[1]",
                "verify_sigv4",
                "scripts[0].answers[0]",
                "scripts[0].answers[1]",
            ],
            "{problems:#?}"
        );
    }
}

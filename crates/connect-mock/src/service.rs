//! The service model: GetFederationToken answered from the fixtures, by the generated server's
//! trait. Callers are Connect users mapped from the access key id that signed the request;
//! scripted answers come first.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use connect_server::AmazonConnectService;
use connect_types::operation::get_federation_token::{
    GetFederationTokenError, GetFederationTokenInput, GetFederationTokenOutput,
};
use connect_types::types::Credentials;
use connect_types::types::error::{InvalidRequestException, ResourceNotFoundException, UserNotFoundException};
use smithy_runtime::server::RequestContext;
use smithy_runtime::{DateTime, Unhandled};

use crate::script::Answer;
use crate::state::State;

/// The error code the handler uses to ask the connection layer to drop the connection. It never
/// reaches a client.
pub(crate) const DROP_CONNECTION: &str = "ConnectMockDropConnection";

/// A caller whose signature the SigV4 check verified.
#[derive(Clone, Debug)]
pub(crate) struct VerifiedCaller(pub String);

#[derive(Clone)]
pub(crate) struct Federation {
    pub(crate) state: Arc<State>,
}

impl AmazonConnectService for Federation {
    async fn get_federation_token(
        &self,
        input: GetFederationTokenInput,
        context: RequestContext,
    ) -> Result<GetFederationTokenOutput, GetFederationTokenError> {
        let instance = input.instance_id().unwrap_or_default().to_owned();
        let caller = context
            .extensions()
            .get::<VerifiedCaller>()
            .map(|v| v.0.clone())
            .or_else(|| context.access_key_id().map(|c| crate::record::bounded(c).into_owned()));
        let scripted = self.state.next_answer(Some(&instance));
        match scripted {
            Some(Answer::Delay { millis }) => tokio::time::sleep(Duration::from_millis(millis)).await,
            Some(Answer::DropConnection) => {
                return Err(GetFederationTokenError::Unhandled(Unhandled::from_code(500, DROP_CONNECTION, "")));
            }
            Some(answer) => match answer.to_error() {
                Some(Ok(error)) => return Err(error),
                Some(Err(problem)) => {
                    return Err(GetFederationTokenError::Unhandled(Unhandled::from_code(
                        500,
                        "MockScriptError",
                        problem,
                    )));
                }
                None => {}
            },
            None => {}
        }
        self.answer(&instance, caller.as_deref())
    }
}

impl Federation {
    fn answer(
        &self,
        instance: &str,
        caller: Option<&str>,
    ) -> Result<GetFederationTokenOutput, GetFederationTokenError> {
        let now = DateTime::from(self.state.now());
        let world = self.state.world();
        let fixtures = &world.fixtures;
        let known = fixtures.instances.iter().find(|i| i.id == instance);
        // An id that AWS could not have made (it would have to be escaped in the sign-in URL's
        // host and the ARN) names no instance.
        if (!fixtures.instances.is_empty() && known.is_none()) || !crate::fixtures::is_instance_id(instance) {
            return Err(ResourceNotFoundException::builder()
                // Shown as it would appear in a URL: percent-encoded, never raw markup or a CR/LF.
                .message(format!(
                    "Instance not found: {}",
                    crate::record::bounded(&smithy_runtime::binding::encode(instance))
                ))
                .build()
                .into());
        }
        if let Some(key) = caller.filter(|c| fixtures.root_keys.iter().any(|r| r == c)) {
            // AWS's documented answer to root credentials; the operation's modeled error for
            // a request that cannot be served as made is InvalidRequestException.
            let account = fixtures.account_id();
            let message = format!(
                "Provided identity: Principal: arn:aws:iam::{account}:root User: {key} cannot be used for federation with Amazon Connect"
            );
            return Err(InvalidRequestException::builder().message(message).build().into());
        }
        let user_id = match known.filter(|i| !i.users.is_empty()) {
            Some(inst) => {
                let user = caller.and_then(|c| inst.users.iter().find(|u| u.access_key_id == c));
                match user {
                    Some(u) => u.user_id.clone().unwrap_or_else(|| derived_id(&u.access_key_id)),
                    None => {
                        let who = caller.unwrap_or("an unsigned caller");
                        let message = format!("No user in instance {instance} corresponds to the IAM identity {who}");
                        return Err(UserNotFoundException::builder().message(message).build().into());
                    }
                }
            }
            None => derived_id(caller.unwrap_or("anonymous")),
        };
        // Connect's expirations carry at most milliseconds.
        let millis = now.subsec_nanos() / 1_000_000 * 1_000_000;
        let later = |d: Duration| DateTime::from_secs_and_nanos(now.secs().saturating_add(d.as_secs() as i64), millis);
        let credentials = Credentials::builder()
            .access_token(token())
            .access_token_expiration(later(fixtures.access_lifetime()))
            .refresh_token(token())
            .refresh_token_expiration(later(fixtures.refresh_lifetime()))
            .build();
        // A host name: the instance's alias, else its id (lower-cased, as DNS names are shown).
        let alias = known.and_then(|i| i.alias.clone()).unwrap_or_else(|| instance.to_ascii_lowercase());
        let region = fixtures.region();
        Ok(GetFederationTokenOutput::builder()
            .credentials(credentials)
            .sign_in_url(format!("https://{alias}.my.connect.aws/auth/sign-in?token={}", token()))
            .user_arn(format!("arn:aws:connect:{region}:{}:instance/{instance}/agent/{user_id}", fixtures.account_id()))
            .user_id(user_id)
            .build())
    }
}

/// A fresh random token: 48 random bytes, in URL-safe base64 (it also goes into the sign-in
/// URL's query, where `+` would read as a space).
fn token() -> String {
    let mut bytes = [0u8; 48];
    fastrand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A stable user id for a caller: the same key gives the same id, a version-4 UUID as Connect's.
fn derived_id(key: &str) -> String {
    // FNV-1a, twice with different seeds, for 128 bits shaped as a UUID (version 4, RFC 4122
    // variant).
    let hash = |seed: u64| key.bytes().fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        0x4000 | (a & 0x0fff),
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        assert_eq!(derived_id("AKIDA"), derived_id("AKIDA"));
        assert_ne!(derived_id("AKIDA"), derived_id("AKIDB"));
        let id = derived_id("x");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "{id}");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert!(token().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(token(), token());
    }
}

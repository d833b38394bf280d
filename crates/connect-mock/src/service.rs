//! The service model: GetFederationToken answered from the fixtures, by the generated server's
//! trait. Callers are Connect users mapped from the access key id that signed the request;
//! scripted answers come first.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

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
        // Borrowed from the input and the request, not copied.
        let instance = input.instance_id().unwrap_or_default();
        let caller = context
            .extensions()
            .get::<VerifiedCaller>()
            .map(|v| Cow::Borrowed(v.0.as_str()))
            .or_else(|| context.access_key_id().map(crate::record::bounded));
        let scripted = self.state.next_answer(Some(instance));
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
        self.answer(instance, caller.as_deref())
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
                    Some(u) => u.user_id.clone().unwrap_or_else(|| user_id_of(&u.access_key_id)),
                    None => {
                        let who = caller.unwrap_or("an unsigned caller");
                        let message = format!("No user in instance {instance} corresponds to the IAM identity {who}");
                        return Err(UserNotFoundException::builder().message(message).build().into());
                    }
                }
            }
            None => user_id_of(caller.unwrap_or("anonymous")),
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
        // Written with push_str rather than format!: this runs for every request.
        let region = fixtures.region();
        let account = fixtures.account_id();
        // A host name: the instance's alias, else its id (lower-cased, as DNS names are shown).
        let mut sign_in_url = String::with_capacity(128 + instance.len());
        sign_in_url.push_str("https://");
        match known.and_then(|i| i.alias.as_deref()) {
            Some(alias) => sign_in_url.push_str(alias),
            None => sign_in_url.extend(instance.chars().map(|c| c.to_ascii_lowercase())),
        }
        sign_in_url.push_str(".my.connect.aws/auth/sign-in?token=");
        push_token(&mut sign_in_url);
        let mut user_arn = String::with_capacity(64 + region.len() + account.len() + instance.len() + user_id.len());
        for part in ["arn:aws:connect:", region, ":", account, ":instance/", instance, "/agent/", &user_id] {
            user_arn.push_str(part);
        }
        Ok(GetFederationTokenOutput::builder()
            .credentials(credentials)
            .sign_in_url(sign_in_url)
            .user_arn(user_arn)
            .user_id(user_id)
            .build())
    }
}

/// A fresh random token: 64 characters of URL-safe base64's alphabet (it also goes into the
/// sign-in URL's query, where `+` would read as a space), each six random bits: 384 bits, the
/// text of 48 random bytes.
fn token() -> String {
    let mut token = String::with_capacity(64);
    push_token(&mut token);
    token
}

/// Appends a fresh [`token`] to `out`. Each random 64-bit word gives ten characters, two at a
/// time from twelve of its bits (four bits go unused), rather than encoding random bytes in
/// groups of three: this runs three times for every request.
fn push_token(out: &mut String) {
    let mut text = [0u8; 64];
    for chunk in text.chunks_mut(10) {
        let mut bits = fastrand::u64(..);
        for pair in chunk.chunks_mut(2) {
            let [a, b] = TOKEN_PAIRS[(bits & 0xfff) as usize];
            pair[0] = a;
            if let Some(second) = pair.get_mut(1) {
                *second = b;
            }
            bits >>= 12;
        }
    }
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
}

/// URL-safe base64's alphabet.
const TOKEN_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The two characters of every twelve bits: the low six bits' first.
static TOKEN_PAIRS: [[u8; 2]; 4096] = {
    let mut pairs = [[0u8; 2]; 4096];
    let mut i = 0;
    while i < 4096 {
        pairs[i] = [TOKEN_ALPHABET[i & 0x3f], TOKEN_ALPHABET[i >> 6]];
        i += 1;
    }
    pairs
};

/// [`derived_id`], kept for the thread's last key: a client calls again and again with one key,
/// and copying the id costs a fraction of deriving it.
fn user_id_of(key: &str) -> String {
    thread_local! {
        static LAST: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
    }
    LAST.with_borrow_mut(|(last_key, id)| {
        if id.is_empty() || last_key != key {
            *id = derived_id(key);
            last_key.clear();
            last_key.push_str(key);
        }
        id.clone()
    })
}

/// A stable user id for a caller: the same key gives the same id, a version-4 UUID as Connect's.
fn derived_id(key: &str) -> String {
    // FNV-1a, twice with different seeds, for 128 bits shaped as a UUID (version 4, RFC 4122
    // variant).
    let hash = |seed: u64| key.bytes().fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
    // 8-4-4-4-12 hex digits, written by hand (format!'s padding costs more than the hashing).
    let groups = [
        (a >> 32, 8),
        ((a >> 16) & 0xffff, 4),
        (0x4000 | (a & 0x0fff), 4),
        (0x8000 | ((b >> 48) & 0x3fff), 4),
        (b & 0xffff_ffff_ffff, 12),
    ];
    let mut id = String::with_capacity(36);
    for (i, (value, digits)) in groups.into_iter().enumerate() {
        if i > 0 {
            id.push('-');
        }
        for d in (0..digits).rev() {
            id.push(char::from(b"0123456789abcdef"[((value >> (4 * d)) & 0xf) as usize]));
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        assert_eq!(derived_id("AKIDA"), derived_id("AKIDA"));
        // The thread's kept id is the one derived, whatever the order of the keys.
        for key in ["AKIDA", "AKIDA", "AKIDB", "AKIDA", "", "AKIDB", "AKIDB"] {
            assert_eq!(user_id_of(key), derived_id(key), "{key}");
        }
        assert_ne!(derived_id("AKIDA"), derived_id("AKIDB"));
        let id = derived_id("x");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4", "{id}");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert!(token().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(token(), token());
        assert_eq!(token().len(), 64);
        // Every token is text the base64 crate's URL-safe engine reads back as 48 bytes.
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token()).unwrap();
        assert_eq!(bytes.len(), 48);
        // Each character position takes every value: none is stuck (as a bit cut from past the
        // end of a word would be).
        let tokens: Vec<String> = (0..2000).map(|_| token()).collect();
        for at in 0..64 {
            let seen: std::collections::HashSet<u8> = tokens.iter().map(|t| t.as_bytes()[at]).collect();
            assert_eq!(seen.len(), 64, "position {at}");
        }
        // The same text as the format! it replaced.
        let key = "AKIDEXAMPLE";
        let hash = |seed: u64| key.bytes().fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x8422_2325_cbf2_9ce4));
        let formatted = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            0x4000 | (a & 0x0fff),
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        );
        assert_eq!(derived_id(key), formatted);
    }
}

//! Scripted answers: what the mock says instead of its normal answer, for the next requests.
//! "Fail twice, then succeed" is `mock.script([Answer::throttling(), Answer::throttling()])`.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use connect_types::operation::get_federation_token::GetFederationTokenError;
use connect_types::types::error::{
    DuplicateResourceException, InternalServiceException, InvalidParameterException, InvalidRequestException,
    ResourceNotFoundException, UserNotFoundException,
};
use serde::{Deserialize, Serialize};
use smithy_runtime::Unhandled;

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answer {
    /// A modeled error of GetFederationToken, by its code, with a message.
    Error {
        /// `DuplicateResourceException`, `InternalServiceException`, `InvalidParameterException`,
        /// `InvalidRequestException`, `ResourceNotFoundException` or `UserNotFoundException`.
        code: String,
        /// The message.
        #[serde(default)]
        message: Option<String>,
    },
    /// 429 `ThrottlingException`, as AWS throttles.
    Throttling {
        /// The message (default "Rate exceeded").
        #[serde(default)]
        message: Option<String>,
    },
    /// A 500 `InternalServiceException`.
    ServerError {
        /// The message.
        #[serde(default)]
        message: Option<String>,
    },
    /// Any status and error code, modeled or not.
    Status {
        /// The HTTP status.
        status: u16,
        /// The error code.
        code: String,
        /// The message.
        #[serde(default)]
        message: Option<String>,
    },
    /// Wait, then answer normally.
    Delay {
        /// How long, in milliseconds.
        millis: u64,
    },
    /// Close the connection without answering.
    DropConnection,
}

impl Answer {
    /// A modeled error.
    pub fn error(code: &str, message: &str) -> Self {
        Answer::Error { code: code.to_owned(), message: Some(message.to_owned()) }
    }

    /// 429 `ThrottlingException`.
    pub fn throttling() -> Self {
        Answer::Throttling { message: None }
    }

    /// 500 `InternalServiceException`.
    pub fn server_error() -> Self {
        Answer::ServerError { message: None }
    }

    /// A delay before the normal answer.
    pub fn delay(duration: Duration) -> Self {
        Answer::Delay { millis: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX) }
    }

    /// A dropped connection.
    pub fn drop_connection() -> Self {
        Answer::DropConnection
    }

    /// Why this answer cannot be given: an error code GetFederationToken does not have (use
    /// `throttling` or `status` for others), a status that is not an error, a delay over ten
    /// minutes.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Answer::Error { code, .. } if modeled_error(code, None).is_none() => {
                let hint = if code == "ThrottlingException" {
                    "use kind = \"throttling\""
                } else {
                    "use kind = \"status\" for an error the model does not list"
                };
                Err(format!("`{code}` is not an error of GetFederationToken ({}); {hint}", MODELED_ERRORS.join(", ")))
            }
            Answer::Status { status, .. } if !(400..=599).contains(status) => {
                Err(format!("status {status} is not an error status (400 to 599)"))
            }
            Answer::Status { code, .. }
                if code.is_empty()
                    || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'#' || b == b'_') =>
            {
                Err(format!("{code:?} is not an error code (letters and digits)"))
            }
            Answer::Delay { millis } if *millis > MAX_DELAY_MILLIS => {
                Err(format!("a delay of {millis} ms is longer than the {} allowed", MAX_DELAY_MILLIS))
            }
            _ => Ok(()),
        }
    }

    /// The error this answer makes the operation return, if it is an error.
    pub(crate) fn to_error(&self) -> Option<Result<GetFederationTokenError, String>> {
        Some(Ok(match self {
            Answer::Error { code, message } => match modeled_error(code, message.clone()) {
                Some(e) => e,
                None => return Some(Err(format!("`{code}` is not an error of GetFederationToken"))),
            },
            Answer::Throttling { message } => GetFederationTokenError::Unhandled(Unhandled::from_code(
                429,
                "ThrottlingException",
                message.clone().unwrap_or_else(|| "Rate exceeded".to_owned()),
            )),
            Answer::ServerError { message } => InternalServiceException::builder()
                .message(message.clone().unwrap_or_else(|| "Internal service error".to_owned()))
                .build()
                .into(),
            Answer::Status { status, code, message } => GetFederationTokenError::Unhandled(Unhandled::from_code(
                *status,
                code.clone(),
                message.clone().unwrap_or_default(),
            )),
            Answer::Delay { .. } | Answer::DropConnection => return None,
        }))
    }
}

/// The longest scripted delay: ten minutes.
pub const MAX_DELAY_MILLIS: u64 = 10 * 60 * 1000;

/// A script: answers given in order, then back to normal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScriptFixture {
    /// The instance it applies to; every instance when absent.
    pub instance: Option<String>,
    /// The answers.
    pub answers: Vec<Answer>,
}

/// The codes of GetFederationToken's modeled errors.
pub(crate) const MODELED_ERRORS: &[&str] = &[
    "DuplicateResourceException",
    "InternalServiceException",
    "InvalidParameterException",
    "InvalidRequestException",
    "ResourceNotFoundException",
    "UserNotFoundException",
];

/// The modeled error with this code.
pub(crate) fn modeled_error(code: &str, message: Option<String>) -> Option<GetFederationTokenError> {
    Some(match code {
        "DuplicateResourceException" => DuplicateResourceException::builder().set_message(message).build().into(),
        "InternalServiceException" => InternalServiceException::builder().set_message(message).build().into(),
        "InvalidParameterException" => InvalidParameterException::builder().set_message(message).build().into(),
        "InvalidRequestException" => InvalidRequestException::builder().set_message(message).build().into(),
        "ResourceNotFoundException" => ResourceNotFoundException::builder().set_message(message).build().into(),
        "UserNotFoundException" => UserNotFoundException::builder().set_message(message).build().into(),
        _ => return None,
    })
}

/// Pending answers: per instance, and for every instance.
#[derive(Debug, Default)]
pub(crate) struct Scripts {
    any: VecDeque<Answer>,
    by_instance: BTreeMap<String, VecDeque<Answer>>,
}

impl Scripts {
    pub(crate) fn push(&mut self, instance: Option<&str>, answers: impl IntoIterator<Item = Answer>) {
        let queue = match instance {
            Some(i) => self.by_instance.entry(i.to_owned()).or_default(),
            None => &mut self.any,
        };
        queue.extend(answers);
    }

    /// The next answer for a request to `instance`: the instance's own script first.
    pub(crate) fn next(&mut self, instance: Option<&str>) -> Option<Answer> {
        if let Some(a) = instance.and_then(|i| self.by_instance.get_mut(i)).and_then(VecDeque::pop_front) {
            return Some(a);
        }
        self.any.pop_front()
    }

    /// The pending answers, as fixtures: the shared script first, then each instance's.
    pub(crate) fn snapshot(&self) -> Vec<ScriptFixture> {
        let shared = (!self.any.is_empty())
            .then(|| ScriptFixture { instance: None, answers: self.any.iter().cloned().collect() });
        let own = self
            .by_instance
            .iter()
            .filter(|(_, q)| !q.is_empty())
            .map(|(i, q)| ScriptFixture { instance: Some(i.clone()), answers: q.iter().cloned().collect() });
        shared.into_iter().chain(own).collect()
    }

    pub(crate) fn pending(&self) -> usize {
        self.any.len() + self.by_instance.values().map(VecDeque::len).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_scripts_come_first_then_the_shared_one() {
        let mut s = Scripts::default();
        s.push(None, [Answer::throttling()]);
        s.push(Some("i-1"), [Answer::server_error()]);
        assert_eq!(s.next(Some("i-1")), Some(Answer::server_error()));
        assert_eq!(s.next(Some("i-1")), Some(Answer::throttling()));
        assert_eq!(s.next(Some("i-1")), None);
        assert_eq!(s.pending(), 0);
    }

    #[test]
    fn answers_become_the_right_errors() {
        use smithy_runtime::ProvideErrorMetadata;
        let e = Answer::error("UserNotFoundException", "nobody").to_error().unwrap().unwrap();
        assert_eq!((e.code(), e.message()), (Some("UserNotFoundException"), Some("nobody")));
        let t = Answer::throttling().to_error().unwrap().unwrap();
        let GetFederationTokenError::Unhandled(u) = &t else { panic!() };
        assert_eq!((u.status(), t.code()), (Some(429), Some("ThrottlingException")));
        assert!(Answer::error("NoSuchThing", "x").to_error().unwrap().is_err());
        assert!(Answer::delay(Duration::from_millis(5)).to_error().is_none());
    }
}

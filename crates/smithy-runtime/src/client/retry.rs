//! Retries, the AWS "standard" way, on by default however the client is built.
//!
//! Up to [`RetryConfig::max_attempts`] attempts (3 by default). Between attempts the client
//! waits a random time up to `initial_backoff * 2^(attempt - 1)`, capped at `max_backoff`
//! ("full jitter"). Each retry spends tokens from a quota shared by every call of a client (500
//! tokens; a retry costs 5, a retry after a timeout 10; a success gives 1 back), so that a
//! struggling service is not hammered. What is retried: connection failures and timeouts,
//! 500/502/503/504, 429, the throttling and transient error codes AWS services use, and errors
//! the model marks `@retryable`.

use std::sync::Mutex;
use std::time::Duration;

/// How a client retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// The AWS standard mode: 3 attempts, backoff from 1 s, capped at 20 s.
    pub fn standard() -> Self {
        RetryConfig { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }

    /// No retries: one attempt.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..RetryConfig::standard() }
    }

    /// At most this many attempts in all (1 means no retries; 0 is taken as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry is random up to this.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// No backoff is longer than this.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The most attempts a call makes.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `attempt + 1`, given a random `jitter` in `[0, 1)`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = 2f64.powi(attempt.saturating_sub(1).min(62) as i32);
        let ceiling = (self.initial_backoff.as_secs_f64() * exp).min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64((ceiling * jitter.clamp(0.0, 1.0)).max(0.0))
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// A connection failure or a 5xx that may go away.
    Transient,
    /// The attempt timed out.
    Timeout,
    /// The service asked the client to slow down.
    Throttling,
    /// Retrying would not help.
    NotRetryable,
}

/// Error codes AWS services use for throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS services use for failures worth another try.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure"];

/// Classifies an error response: by the model's `@retryable` first (`modeled`: `Some(true)` for
/// throttling), then by code, then by status.
pub fn classify_response(status: u16, code: Option<&str>, modeled: Option<bool>) -> RetryKind {
    match modeled {
        Some(true) => return RetryKind::Throttling,
        Some(false) => return RetryKind::Transient,
        None => {}
    }
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return RetryKind::Throttling;
        }
        if TRANSIENT_CODES.contains(&code) {
            return RetryKind::Transient;
        }
    }
    match status {
        429 => RetryKind::Throttling,
        500 | 502 | 503 | 504 => RetryKind::Transient,
        _ => RetryKind::NotRetryable,
    }
}

/// The retry quota shared by the calls of one client.
#[derive(Debug)]
pub struct TokenBucket {
    tokens: Mutex<u32>,
}

/// The tokens a client starts with.
pub const INITIAL_TOKENS: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REFUND: u32 = 1;

impl Default for TokenBucket {
    fn default() -> Self {
        TokenBucket { tokens: Mutex::new(INITIAL_TOKENS) }
    }
}

impl TokenBucket {
    /// Takes the cost of a retry after `kind`; `None` when the quota is spent (no retry).
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout { TIMEOUT_RETRY_COST } else { RETRY_COST };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// Gives tokens back after a success: what its retries took, or one for a first-try success.
    pub fn release(&self, spent: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let refund = if spent == 0 { SUCCESS_REFUND } else { spent };
        *tokens = (*tokens + refund).min(INITIAL_TOKENS);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_exponential_jittered_and_capped() {
        let c = RetryConfig::standard();
        assert_eq!(c.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(c.backoff(2, 1.0), Duration::from_secs(2));
        assert_eq!(c.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(c.backoff(10, 1.0), Duration::from_secs(20), "capped");
        assert_eq!(c.backoff(200, 1.0), Duration::from_secs(20), "no overflow");
        assert_eq!(c.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(RetryConfig::standard().with_max_attempts(0).max_attempts(), 1);
    }

    #[test]
    fn classification() {
        assert_eq!(classify_response(400, Some("ThrottlingException"), None), RetryKind::Throttling);
        assert_eq!(classify_response(400, Some("TooManyRequestsException"), None), RetryKind::Throttling);
        assert_eq!(classify_response(429, None, None), RetryKind::Throttling);
        assert_eq!(classify_response(408, Some("RequestTimeout"), None), RetryKind::Transient);
        assert_eq!(classify_response(503, None, None), RetryKind::Transient);
        assert_eq!(classify_response(500, Some("InternalServiceException"), None), RetryKind::Transient);
        assert_eq!(classify_response(404, Some("ResourceNotFoundException"), None), RetryKind::NotRetryable);
        assert_eq!(classify_response(400, Some("Custom"), Some(false)), RetryKind::Transient, "@retryable");
        assert_eq!(classify_response(400, Some("Custom"), Some(true)), RetryKind::Throttling, "@retryable(throttling)");
        assert_eq!(classify_response(501, None, None), RetryKind::NotRetryable);
    }

    #[test]
    fn the_quota_runs_out_and_refills() {
        let bucket = TokenBucket::default();
        let mut retries = 0;
        while bucket.acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, INITIAL_TOKENS / RETRY_COST);
        bucket.release(5);
        assert_eq!(bucket.available(), 5);
        assert!(bucket.acquire(RetryKind::Timeout).is_none(), "a timeout retry costs 10");
        for _ in 0..1000 {
            bucket.release(0);
        }
        assert_eq!(bucket.available(), INITIAL_TOKENS, "never above the start");
    }
}

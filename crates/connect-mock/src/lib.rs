//! A local mock of Amazon Connect's `GetFederationToken`, for app tests, built on the generated
//! server (`connect-server`): routing, request parsing, validation and AWS-shaped errors are the
//! generated code's; this crate adds a small model of the service, scripting, recording and
//! expectations.
//!
//! ```no_run
//! # async fn example() {
//! let mock = connect_mock::MockConnect::start().await;
//! // Point any client (this project's, aws-sdk-connect, boto3, the AWS CLI) at it:
//! let url = mock.endpoint_url();
//! # let _ = url;
//! # }
//! ```
#![deny(missing_docs)]

pub mod fixtures;
pub mod record;
pub mod script;
mod serve;
mod service;
mod sigv4_check;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

pub use fixtures::{Fixtures, InstanceFixture, KeyPair, UserFixture};
pub use record::{Expectation, ReceivedRequest, Times, VerificationError};
pub use script::Answer;

/// Where the mock gets the current time (token expirations, signature freshness).
pub trait Clock: Send + Sync + std::fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock tests set and advance by hand.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: SystemTime) -> Self {
        ManualClock(Arc::new(Mutex::new(now)))
    }

    /// Moves it forward.
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }

    /// Sets it.
    pub fn set(&self, now: SystemTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = now;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Everything the running mock shares between connections.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) fixtures: RwLock<Fixtures>,
    pub(crate) scripts: Mutex<script::Scripts>,
    pub(crate) received: Mutex<std::collections::VecDeque<ReceivedRequest>>,
    /// With `Some(n)`, only the `n` most recent requests are kept.
    pub(crate) keep_requests: Option<usize>,
    pub(crate) expectations: Mutex<Vec<Expectation>>,
    pub(crate) clock: Arc<dyn Clock>,
}

/// Builds a mock.
#[derive(Debug)]
pub struct MockBuilder {
    fixtures: Fixtures,
    clock: Arc<dyn Clock>,
    addr: SocketAddr,
    keep_requests: Option<usize>,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            fixtures: Fixtures::default(),
            clock: Arc::new(SystemClock),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            keep_requests: None,
        }
    }
}

impl MockBuilder {
    /// Starts from fixtures (e.g. read from a file). Their `now`, when set, becomes the clock
    /// (a [`ManualClock`] showing that instant).
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
        if let Ok(Some(now)) = fixtures.fixed_now() {
            self.clock = Arc::new(ManualClock::new(now));
        }
        self.fixtures = fixtures;
        self
    }

    /// Adds a known instance. Once any instance is known, others answer
    /// `ResourceNotFoundException`.
    pub fn instance(mut self, id: impl Into<String>) -> Self {
        let id = id.into();
        if !self.fixtures.instances.iter().any(|i| i.id == id) {
            self.fixtures.instances.push(InstanceFixture { id, ..InstanceFixture::default() });
        }
        self
    }

    /// Adds a user to an instance (adding the instance if needed), mapped from the access key
    /// id that signs its requests. Once an instance has users, other callers answer
    /// `UserNotFoundException`.
    pub fn user(
        mut self,
        instance: impl Into<String>,
        access_key_id: impl Into<String>,
        user_name: impl Into<String>,
    ) -> Self {
        let instance = instance.into();
        self = self.instance(instance.clone());
        if let Some(i) = self.fixtures.instances.iter_mut().find(|i| i.id == instance) {
            i.users.push(UserFixture {
                access_key_id: access_key_id.into(),
                user_id: None,
                user_name: Some(user_name.into()),
            });
        }
        self
    }

    /// Marks an access key id as the account's root user, which cannot federate.
    pub fn root_key(mut self, access_key_id: impl Into<String>) -> Self {
        self.fixtures.root_keys.push(access_key_id.into());
        self
    }

    /// Checks SigV4 signatures against these key pairs.
    pub fn verify_sigv4(mut self, key_pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        self.fixtures.verify_sigv4 = true;
        self.fixtures.key_pairs.extend(
            key_pairs
                .into_iter()
                .map(|(access_key_id, secret_access_key)| KeyPair { access_key_id, secret_access_key }),
        );
        self
    }

    /// How long issued tokens live.
    pub fn token_lifetimes(mut self, access: Duration, refresh: Duration) -> Self {
        self.fixtures.access_token_lifetime_secs = Some(access.as_secs());
        self.fixtures.refresh_token_lifetime_secs = Some(refresh.as_secs());
        self
    }

    /// The clock for expirations and signature freshness.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Keeps only the `n` most recent requests for [`MockConnect::received_requests`] and the
    /// expectations (default: all of them). A long-running mock, such as the binary, stays small
    /// however many requests it serves.
    pub fn keep_requests(mut self, n: usize) -> Self {
        self.keep_requests = Some(n);
        self
    }

    /// Starts the mock; fails when the address cannot be bound or the fixtures' `now` is not a
    /// date-time.
    pub async fn try_start(self) -> std::io::Result<MockConnect> {
        self.fixtures.fixed_now().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let mut scripts = script::Scripts::default();
        for s in &self.fixtures.scripts {
            scripts.push(s.instance.as_deref(), s.answers.iter().cloned());
        }
        let state = Arc::new(State {
            fixtures: RwLock::new(self.fixtures),
            scripts: Mutex::new(scripts),
            received: Mutex::default(),
            keep_requests: self.keep_requests,
            expectations: Mutex::default(),
            clock: self.clock,
        });
        let router = connect_server::router(service::Federation { state: state.clone() });
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        tokio::spawn(serve::run(listener, router, state.clone(), stop));
        Ok(MockConnect { url: format!("http://{addr}"), addr, state, shutdown: Some(shutdown) })
    }

    /// Starts the mock.
    ///
    /// # Panics
    ///
    /// When the address cannot be bound or the fixtures' `now` is not a date-time (use
    /// [`MockBuilder::try_start`] to handle that).
    pub async fn start(self) -> MockConnect {
        let addr = self.addr;
        match self.try_start().await {
            Ok(m) => m,
            Err(e) => panic!("connect-mock could not start on {addr}: {e}"),
        }
    }
}

/// A running mock. Dropping it shuts it down, and checks its expectations.
#[derive(Debug)]
pub struct MockConnect {
    url: String,
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl MockConnect {
    /// A mock on a free local port where every instance and caller succeeds.
    pub async fn start() -> Self {
        MockBuilder::default().start().await
    }

    /// A builder, to add instances, users, root keys, SigV4 checking, or fixtures.
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The URL to point clients at, e.g. `http://127.0.0.1:40123`.
    pub fn endpoint_url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// Answers the next requests (to any instance) with these, then normally again.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.lock_scripts().push(None, answers);
    }

    /// Answers the next requests to `instance` with these (before any shared script).
    pub fn script_for(&self, instance: &str, answers: impl IntoIterator<Item = Answer>) {
        self.lock_scripts().push(Some(instance), answers);
    }

    /// Scripted answers not yet given.
    pub fn pending_answers(&self) -> usize {
        self.lock_scripts().pending()
    }

    fn lock_scripts(&self) -> std::sync::MutexGuard<'_, script::Scripts> {
        self.state.scripts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every request received so far, in order (headers with secrets redacted).
    pub fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.state.received.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned().collect()
    }

    /// Adds an expectation, checked by [`MockConnect::verify`] and when the mock is dropped.
    pub fn expect(&self, expectation: Expectation) {
        self.state.expectations.lock().unwrap_or_else(|p| p.into_inner()).push(expectation);
    }

    /// Expects exactly `n` GetFederationToken calls.
    pub fn expect_calls(&self, n: usize) {
        self.expect(Expectation::calls(n));
    }

    /// Checks the expectations; the error lists what was received and why it did not match.
    pub fn verify(&self) -> Result<(), VerificationError> {
        let expectations = self.state.expectations.lock().unwrap_or_else(|p| p.into_inner()).clone();
        record::verify(&expectations, &self.received_requests())
    }
}

impl Drop for MockConnect {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if std::thread::panicking() {
            return;
        }
        if let Err(e) = self.verify() {
            panic!("{e}");
        }
    }
}

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

mod admin;
pub mod fixtures;
mod per_thread;
pub mod record;
pub mod script;
mod serve;
mod service;
mod sigv4_check;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

pub use admin::PREFIX as ADMIN_PREFIX;
pub use fixtures::{Fixtures, FixturesError, InstanceFixture, KeyPair, UserFixture};
pub use record::{Expectation, ReceivedRequest, RequestLine, Times, VerificationError};
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

/// Bounds on what one connection or request may hold, so that a misbehaving client cannot hold
/// the mock: every connection ends when the client is silent too long, and a request body is
/// capped in size and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How long a connection may wait for (all of) a request's headers, including an idle
    /// keep-alive connection waiting for its next request; it is closed within a quarter of this
    /// after. Default 30 s.
    pub header_read_timeout: Duration,
    /// How long a request body may take to arrive. Default 30 s.
    pub body_read_timeout: Duration,
    /// The largest request body (413 above it; GetFederationToken has none). Default 1 MiB.
    pub max_body_bytes: usize,
    /// Connections served at once; more wait in the listen queue. Default 1024.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
            max_connections: 1024,
        }
    }
}

/// Builds a mock.
#[derive(Debug)]
pub struct MockBuilder {
    fixtures: Fixtures,
    clock: Arc<dyn Clock>,
    addr: SocketAddr,
    keep_requests: Option<usize>,
    limits: Limits,
    request_logging: state::RequestLogging,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            fixtures: Fixtures::default(),
            clock: Arc::new(SystemClock),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            keep_requests: None,
            limits: Limits::default(),
            request_logging: state::RequestLogging::Tracing,
        }
    }
}

impl MockBuilder {
    /// Starts from fixtures (e.g. read from a file). Their `now`, when set, fixes the clock at
    /// that instant (until the admin API or [`MockConnect::set_now`] moves it).
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
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

    /// The clock for expirations and signature freshness (it replaces a `now` the fixtures
    /// gave before).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self.fixtures.now = None;
        self
    }

    /// Timeouts and caps for connections and requests.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Logs a line per request through `tracing` (target `connect_mock`; default on), as
    /// [`RequestLine::trace`] writes it.
    pub fn log_requests(mut self, on: bool) -> Self {
        self.request_logging = if on { state::RequestLogging::Tracing } else { state::RequestLogging::Off };
        self
    }

    /// Hands each request's line to `log` instead of `tracing`, on the task that serves the
    /// request, before its answer is sent (keep it quick).
    /// The mock's binary writes its lines this way, without `tracing`'s per-field dispatch.
    pub fn log_requests_with(mut self, log: impl Fn(&RequestLine<'_>) + Send + Sync + 'static) -> Self {
        self.request_logging = state::RequestLogging::With(Arc::new(log));
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

    /// Starts the mock; fails when the fixtures are not valid ([`Fixtures::validate`]) or the
    /// address cannot be bound.
    pub async fn try_start(self) -> std::io::Result<MockConnect> {
        let invalid = |e: FixturesError| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
        let state = state::State::new(self.fixtures, self.clock, self.limits, self.keep_requests, self.request_logging)
            .map_err(invalid)?;
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(state);
        let service = connect_server::service(service::Federation { state: state.clone() });
        let (shutdown, stop) = tokio::sync::watch::channel(false);
        let server = tokio::spawn(serve::run(listener, service, state.clone(), stop));
        Ok(MockConnect { url: format!("http://{addr}"), addr, state, shutdown, server: Some(server) })
    }

    /// Starts the mock.
    ///
    /// # Panics
    ///
    /// When the address cannot be bound or the fixtures are not valid (use
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
///
/// Everything it knows can be changed while it runs, here or through its admin API (under
/// [`ADMIN_PREFIX`] on the same port), which say the same things.
#[derive(Debug)]
pub struct MockConnect {
    url: String,
    addr: SocketAddr,
    state: Arc<state::State>,
    shutdown: tokio::sync::watch::Sender<bool>,
    server: Option<tokio::task::JoinHandle<()>>,
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

    /// The admin API's URL, e.g. `http://127.0.0.1:40123/__mock` (its dashboard is there too).
    pub fn admin_url(&self) -> String {
        format!("{}{}", self.url, admin::PREFIX)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// Answers the next requests (to any instance) with these, then normally again.
    ///
    /// # Panics
    ///
    /// When an answer cannot be given ([`Answer::check`]), e.g. an error code that is not
    /// GetFederationToken's.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        if let Err(e) = self.state.push_script(None, answers.into_iter().collect()) {
            panic!("connect-mock: {e}");
        }
    }

    /// Answers the next requests to `instance` with these (before any shared script).
    ///
    /// # Panics
    ///
    /// As [`MockConnect::script`].
    pub fn script_for(&self, instance: &str, answers: impl IntoIterator<Item = Answer>) {
        if let Err(e) = self.state.push_script(Some(instance), answers.into_iter().collect()) {
            panic!("connect-mock: {e}");
        }
    }

    /// Scripted answers not yet given.
    pub fn pending_answers(&self) -> usize {
        self.state.pending_answers()
    }

    /// Every request received so far (or the most recent ones, with
    /// [`MockBuilder::keep_requests`]), in order, headers with secrets redacted.
    pub fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.state.requests(&state::RequestFilter::default())
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Adds an expectation, checked by [`MockConnect::verify`] and when the mock is dropped.
    pub fn expect(&self, expectation: Expectation) {
        self.state.expect(expectation);
    }

    /// Expects exactly `n` GetFederationToken calls.
    pub fn expect_calls(&self, n: usize) {
        self.expect(Expectation::calls(n));
    }

    /// Checks the expectations; the error lists what was received and why it did not match.
    pub fn verify(&self) -> Result<(), VerificationError> {
        // Without expectations there is nothing to check (and no journal to copy on drop).
        if !self.state.has_expectations() {
            return Ok(());
        }
        record::verify(&self.state.expectations(), &self.received_requests())
    }

    /// Back to how it started: its first fixtures (with their scripts and clock), no requests
    /// received, no expectations.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// What it knows now, as fixtures (with the pending scripts, and `now` when the clock is
    /// fixed): starting a mock from them gives one in the same state.
    pub fn fixtures(&self) -> Fixtures {
        self.state.fixtures()
    }

    /// Replaces everything it knows (and the pending scripts) with these fixtures.
    pub fn set_fixtures(&self, fixtures: Fixtures) -> Result<(), FixturesError> {
        self.state.replace(fixtures)
    }

    /// Adds an instance (replacing one with the same id).
    pub fn add_instance(&self, instance: InstanceFixture) -> Result<(), FixturesError> {
        self.state.edit(|f| {
            f.instances.retain(|i| i.id != instance.id);
            f.instances.push(instance);
            Ok(())
        })
    }

    /// Removes an instance; `false` when there was none with this id.
    pub fn remove_instance(&self, id: &str) -> bool {
        self.state.edit(|f| Ok(admin::remove(&mut f.instances, |i| i.id == id))).unwrap_or(false)
    }

    /// Adds a user to an instance (replacing one with the same access key id); the instance must
    /// exist.
    pub fn add_user(&self, instance: &str, user: UserFixture) -> Result<(), FixturesError> {
        self.state.edit(|f| admin::add_user(f, instance, user))
    }

    /// The mock's current time.
    pub fn now(&self) -> SystemTime {
        self.state.now()
    }

    /// Fixes the mock's clock at `now` (expirations count from it, signatures are dated by it).
    pub fn set_now(&self, now: SystemTime) {
        self.state.set_now(Some(now));
    }

    /// Moves the mock's clock forward (fixing it where it was, if it was running).
    pub fn advance_clock(&self, by: Duration) {
        self.state.advance(by);
    }

    /// Stops it: no new connections; requests in progress get up to a second to finish.
    /// Expectations are still checked on drop.
    pub async fn shutdown(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for MockConnect {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if std::thread::panicking() {
            return;
        }
        if let Err(e) = self.verify() {
            panic!("{e}");
        }
    }
}

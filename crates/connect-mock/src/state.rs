//! The running mock's state, shared by its connections: the world (the fixtures, as the admin
//! API and the library's methods have changed them since the start), pending scripts, the
//! journal of received requests, expectations and the clock. The library's `MockConnect`
//! methods and the admin routes (`admin.rs`) both change it through the functions here, so
//! that each can say what the other can.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;

use crate::fixtures::{Fixtures, FixturesError};
use crate::per_thread::PerThread;
use crate::record::{Expectation, ReceivedRequest, Recorded, format_time};
use crate::script::{Answer, Scripts};
use crate::{Clock, Limits};

/// The fixtures in force, with the fixed clock's instant read once.
#[derive(Clone, Debug)]
pub(crate) struct World {
    /// The fixtures; their `now` and `scripts` are empty (the clock is `fixed_now`, pending
    /// answers live in [`Scripts`]).
    pub(crate) fixtures: Fixtures,
    /// The fixed clock (`now` in the fixtures, or set through the admin API).
    fixed_now: Option<SystemTime>,
}

/// Requests a serving thread has recorded and not yet handed to the journal: it hands them over
/// when this many are waiting, or when the journal is read.
const INBOX_LEN: usize = 1024;

/// The requests received, oldest first, each with a sequence number.
#[derive(Debug, Default)]
struct Journal {
    requests: VecDeque<Recorded>,
    /// The sequence number of the next request (never reused, even after a reset).
    next_seq: u64,
}

/// Which recorded requests to return.
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestFilter {
    pub(crate) instance: Option<String>,
    pub(crate) caller: Option<String>,
    /// Only requests with a sequence number above this one.
    pub(crate) after: Option<u64>,
}

impl RequestFilter {
    fn matches(&self, r: &Recorded) -> bool {
        self.after.is_none_or(|a| r.seq > a)
            && self.caller.as_deref().is_none_or(|c| r.caller() == Some(c))
            && self.instance.as_deref().is_none_or(|i| r.instance_id() == Some(i))
    }
}

/// Where a mock's request lines go.
#[derive(Clone)]
pub(crate) enum RequestLogging {
    Off,
    /// Through `tracing`: [`RequestLine::trace`](crate::record::RequestLine::trace).
    Tracing,
    With(Arc<dyn Fn(&crate::record::RequestLine<'_>) + Send + Sync>),
}

impl std::fmt::Debug for RequestLogging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RequestLogging::Off => "Off",
            RequestLogging::Tracing => "Tracing",
            RequestLogging::With(_) => "With(..)",
        })
    }
}

#[derive(Debug)]
pub(crate) struct State {
    /// Read by every request, changed rarely (by the admin API or the library): a request
    /// reads it without writing to memory the serving threads share, as a lock, even a read
    /// lock, would (each read would pass the lock's cache line between the cores). A change
    /// makes a new world and swaps it in.
    world: ArcSwap<World>,
    /// Held by a change of the world from reading it to swapping in the new one, so that two
    /// changes at once do not lose one.
    changing: Mutex<()>,
    /// What the mock started with, for a reset.
    initial: Fixtures,
    scripts: Mutex<Scripts>,
    /// Whether `scripts` holds an answer, kept by every change made through [`State::scripts`]:
    /// a request with nothing scripted (most) reads this instead of taking a lock that the
    /// serving threads would pass between them.
    scripted: AtomicBool,
    journal: Mutex<Journal>,
    /// What each serving thread has recorded since the journal was last read: a request is
    /// recorded under its thread's lock, not the journal's, which the serving threads would pass
    /// between them.
    inboxes: PerThread<Vec<Recorded>>,
    /// With `Some(n)`, only the `n` most recent requests are kept.
    keep_requests: Option<usize>,
    expectations: Mutex<Vec<Expectation>>,
    clock: Arc<dyn Clock>,
    pub(crate) limits: Limits,
    /// Where each request's line goes.
    pub(crate) request_logging: RequestLogging,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    /// The state of a mock started with these (validated) fixtures.
    pub(crate) fn new(
        fixtures: Fixtures,
        clock: Arc<dyn Clock>,
        limits: Limits,
        keep_requests: Option<usize>,
        request_logging: RequestLogging,
    ) -> Result<Self, FixturesError> {
        fixtures.validate()?;
        let state = State {
            world: ArcSwap::from_pointee(World { fixtures: Fixtures::default(), fixed_now: None }),
            changing: Mutex::default(),
            initial: fixtures.clone(),
            scripts: Mutex::default(),
            scripted: AtomicBool::new(false),
            journal: Mutex::default(),
            inboxes: PerThread::default(),
            keep_requests,
            expectations: Mutex::default(),
            clock,
            limits,
            request_logging,
        };
        state.install(fixtures);
        Ok(state)
    }

    /// Puts validated fixtures in force: the world, the fixed clock, and the scripts (replacing
    /// pending ones).
    fn install(&self, mut fixtures: Fixtures) {
        let fixed_now = fixtures.fixed_now().ok().flatten();
        // The instant lives in `fixed_now` from now on; `fixtures()` writes it back.
        fixtures.now = None;
        let mut scripts = Scripts::default();
        for s in std::mem::take(&mut fixtures.scripts) {
            scripts.push(s.instance.as_deref(), s.answers);
        }
        let _changing = lock(&self.changing);
        self.world.store(Arc::new(World { fixtures, fixed_now }));
        self.scripts(|s| *s = scripts);
    }

    /// The world, to read.
    pub(crate) fn world(&self) -> arc_swap::Guard<Arc<World>> {
        self.world.load()
    }

    /// Changes the world with `change` (on a copy, swapped in if `change` succeeds).
    fn change_world<T, E>(&self, change: impl FnOnce(&mut World) -> Result<T, E>) -> Result<T, E> {
        let _changing = lock(&self.changing);
        let mut world = World::clone(&self.world.load());
        let out = change(&mut world)?;
        self.world.store(Arc::new(world));
        Ok(out)
    }

    /// The fixtures in force, with the pending scripts and the fixed clock: what a fixtures file
    /// would say to start a mock in this state.
    pub(crate) fn fixtures(&self) -> Fixtures {
        let world = self.world();
        let mut fixtures = world.fixtures.clone();
        fixtures.now = world.fixed_now.map(format_time);
        fixtures.scripts = self.scripts(|s| s.snapshot());
        fixtures
    }

    /// Replaces the whole world (and the pending scripts) with these fixtures, if they are valid.
    pub(crate) fn replace(&self, fixtures: Fixtures) -> Result<(), FixturesError> {
        fixtures.validate()?;
        self.install(fixtures);
        Ok(())
    }

    /// Changes the fixtures in force with `edit`, if the result is valid; `edit`'s own error
    /// (e.g. "no such instance") comes first. Pending scripts are kept.
    pub(crate) fn edit<T>(&self, edit: impl FnOnce(&mut Fixtures) -> Result<T, String>) -> Result<T, FixturesError> {
        self.change_world(|world| {
            let out =
                edit(&mut world.fixtures).map_err(|p| FixturesError { source: "change".into(), problems: vec![p] })?;
            world.fixtures.validate().map_err(|e| FixturesError { source: "change".into(), problems: e.problems })?;
            Ok(out)
        })
    }

    /// Back to the start: the fixtures the mock started with (and their scripts and clock), no
    /// requests, no expectations.
    pub(crate) fn reset(&self) {
        self.install(self.initial.clone());
        self.journal().requests.clear();
        lock(&self.expectations).clear();
    }

    /// The mock's time: the fixed clock when set, else the clock it was built with.
    pub(crate) fn now(&self) -> SystemTime {
        self.world().fixed_now.unwrap_or_else(|| self.clock.now())
    }

    /// Whether the clock is fixed (by the fixtures' `now` or the admin API).
    pub(crate) fn clock_is_fixed(&self) -> bool {
        self.world().fixed_now.is_some()
    }

    /// Fixes the clock at `now`, or with `None` lets it run again.
    pub(crate) fn set_now(&self, now: Option<SystemTime>) {
        let _ = self.change_world(|world| {
            world.fixed_now = now;
            Ok::<(), std::convert::Infallible>(())
        });
    }

    /// Moves the clock forward (fixing it, if it was running).
    pub(crate) fn advance(&self, by: Duration) {
        let _ = self.change_world(|world| {
            let now = world.fixed_now.unwrap_or_else(|| self.clock.now());
            world.fixed_now = Some(now.checked_add(by).unwrap_or(now));
            Ok::<(), std::convert::Infallible>(())
        });
    }

    /// Adds scripted answers, if each can be given.
    pub(crate) fn push_script(&self, instance: Option<&str>, answers: Vec<Answer>) -> Result<(), String> {
        for (i, a) in answers.iter().enumerate() {
            a.check().map_err(|e| format!("answers[{i}]: {e}"))?;
        }
        if let Some(i) = instance
            && !crate::fixtures::is_instance_id(i)
        {
            return Err(format!("instance: {i:?} is not an instance id"));
        }
        self.scripts(|s| s.push(instance, answers));
        Ok(())
    }

    /// The next scripted answer for a request to `instance`.
    pub(crate) fn next_answer(&self, instance: Option<&str>) -> Option<Answer> {
        if !self.scripted.load(Ordering::Acquire) {
            return None;
        }
        self.scripts(|s| s.next(instance))
    }

    pub(crate) fn pending_answers(&self) -> usize {
        self.scripts(|s| s.pending())
    }

    pub(crate) fn clear_scripts(&self) {
        self.scripts(|s| *s = Scripts::default());
    }

    /// Reads or changes the pending answers, keeping `scripted` true to them.
    fn scripts<R>(&self, f: impl FnOnce(&mut Scripts) -> R) -> R {
        let mut scripts = lock(&self.scripts);
        let out = f(&mut scripts);
        self.scripted.store(scripts.pending() > 0, Ordering::Release);
        out
    }

    /// Records a request, in this thread's inbox; it is numbered when the journal takes it.
    pub(crate) fn record(&self, request: Recorded) {
        if self.keep_requests == Some(0) {
            return;
        }
        let full = self.inboxes.with_mine(|inbox| {
            inbox.push(request);
            inbox.len() >= INBOX_LEN
        });
        if full {
            drop(self.journal());
        }
    }

    /// The journal, with every thread's inbox taken into it first: the requests in the order
    /// they arrived (within what each look gathers), numbered on from the last, the oldest
    /// dropped beyond `keep_requests`.
    fn journal(&self) -> MutexGuard<'_, Journal> {
        let mut journal = lock(&self.journal);
        let mut arrived = Vec::with_capacity(2 * INBOX_LEN);
        self.inboxes.each(|inbox| arrived.append(inbox));
        // Stable: a thread's own requests keep their order.
        arrived.sort_by_key(Recorded::received_at);
        for mut request in arrived {
            request.seq = journal.next_seq;
            journal.next_seq += 1;
            if let Some(keep) = self.keep_requests {
                while journal.requests.len() >= keep {
                    if let Some(old) = journal.requests.pop_front() {
                        old.recycle();
                    }
                }
            }
            journal.requests.push_back(request);
        }
        journal
    }

    /// The recorded requests that pass `filter`, oldest first.
    pub(crate) fn requests(&self, filter: &RequestFilter) -> Vec<ReceivedRequest> {
        // Copied out under the lock (one allocation each), made into `ReceivedRequest`s after.
        let recorded: Vec<Recorded> = self.journal().requests.iter().filter(|r| filter.matches(r)).cloned().collect();
        recorded.iter().map(Recorded::to_received).collect()
    }

    /// How many requests are recorded.
    pub(crate) fn request_count(&self) -> usize {
        self.journal().requests.len()
    }

    /// Whether any expectation was added.
    pub(crate) fn has_expectations(&self) -> bool {
        !lock(&self.expectations).is_empty()
    }

    pub(crate) fn clear_requests(&self) {
        self.journal().requests.clear();
    }

    pub(crate) fn expect(&self, expectation: Expectation) {
        lock(&self.expectations).push(expectation);
    }

    pub(crate) fn expectations(&self) -> Vec<Expectation> {
        lock(&self.expectations).clone()
    }
}

//! The binary's log: a small `tracing` layer that formats each event (logfmt-style text, or one
//! JSON object per line) into a reused per-thread buffer, and a writer thread that sends the
//! lines to stdout in batches.
//!
//! A request never makes a system call, waits on the stdout lock, or takes a lock another
//! serving thread takes to log: its line is copied into a buffer of its thread's own, and the
//! writer thread, woken at most once per batch, takes every thread's lines (swapping buffers,
//! not copying them) and writes them in one vectored `write`. (A lock shared by the serving
//! threads cost more than formatting the line: the two threads took turns on its cache line, and
//! one preempted while holding it stalled the other's requests.) Each thread's lines keep their
//! order; lines of different threads within a batch come thread by thread, and a line pushed as
//! urgent comes after every line pushed before it. Lines reach stdout within [`BATCH_WINDOW`]
//! (so a test reading the log sees them promptly), and [`LogSink::close`] writes what is left
//! before the process exits: no line is lost. If stdout stops draining, a thread waits once
//! [`MAX_PENDING`] bytes of its own are pending instead of growing memory without bound.
//!
//! Only the binary uses this (declared in `main.rs`); the library logs through whatever
//! subscriber its user installs.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

use crate::per_thread::PerThread;

/// How long the writer gathers lines after the first of a batch arrives.
pub(crate) const BATCH_WINDOW: Duration = Duration::from_millis(10);

/// Asks for a 1 MiB pipe when stdout is one (Linux's default is 64 KiB; 1 MiB is the usual
/// `pipe-max-size`). A batch of lines under load is larger than 64 KiB, and the writer would
/// wait for the reader several times a batch, each wait a switch between processes on the cores
/// that serve requests (it halved the writer's context switches at 110,000 requests/s). A file,
/// a terminal, or a refusal (a lower `pipe-max-size`) leaves stdout as it is.
pub(crate) fn widen_stdout_pipe() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::pipe::fcntl_setpipe_size(std::io::stdout(), 1 << 20);
    }
}

/// Pending bytes of one thread beyond which it waits for the writer.
pub(crate) const MAX_PENDING: usize = 4 << 20;

/// The longest a field's value may be in a line; longer ones are cut, saying how long they were.
/// (Request fields are already cut at `connect_mock::record::MAX_FIELD_LEN`; this bounds anything
/// else that is logged.)
pub(crate) const MAX_VALUE_LEN: usize = 1024;

/// How lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `2026-12-01T02:30:45.123456Z  INFO served method=GET path=/user/federate/i-1 …`; values
    /// with spaces, quotes, `=` or control characters quoted and escaped.
    Text,
    /// `{"timestamp":"…","level":"INFO","message":"served","method":"GET",…}`.
    Json,
}

#[derive(Default)]
struct Control {
    /// Lines taken out of the threads' buffers in order by an urgent push, and its line: written
    /// before anything still in those buffers.
    ordered: String,
    /// Write what is pending now, without gathering more.
    urgent: bool,
}

struct Shared {
    /// The lines each thread has pushed and the writer has not taken yet (a thread's stay after
    /// it ends, until the writer has taken them).
    buffers: PerThread<String>,
    control: Mutex<Control>,
    /// The writer is waiting for a first line (and must be woken for one). Read by every push,
    /// written only by the writer and by the push that wakes it, so it costs a push no more than
    /// a read of its own cache.
    writer_waiting: AtomicBool,
    closed: AtomicBool,
    /// The writer waits on this (with `control`) for lines.
    wake: Condvar,
    /// Threads wait on this (with `control`) while too much of theirs is pending.
    drained: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where lines go: a buffer per pushing thread, which the writer thread empties into `out`.
#[derive(Clone)]
pub(crate) struct LogSink {
    shared: Arc<Shared>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl LogSink {
    /// A sink writing to `out` from a thread of its own.
    pub(crate) fn spawn(out: impl std::io::Write + Send + 'static) -> std::io::Result<LogSink> {
        let shared = Arc::new(Shared {
            buffers: PerThread::default(),
            control: Mutex::new(Control::default()),
            writer_waiting: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            wake: Condvar::new(),
            drained: Condvar::new(),
        });
        let thread = std::thread::Builder::new().name("connect-mock-log".into()).spawn({
            let shared = shared.clone();
            move || write_batches(&shared, out)
        })?;
        Ok(LogSink { shared, thread: Arc::new(Mutex::new(Some(thread))) })
    }

    /// Adds a whole line (ending in `\n`); with `urgent`, it is written without waiting for
    /// more, after every line pushed before it.
    pub(crate) fn push(&self, line: &str, urgent: bool) {
        self.push_with(urgent, |buffer| buffer.push_str(line));
    }

    /// Adds the whole line (ending in `\n`) that `write` appends to the buffer it is given: a
    /// line formatted in place, not copied (`write` must not log).
    pub(crate) fn push_with(&self, urgent: bool, write: impl FnOnce(&mut String)) {
        let shared = &*self.shared;
        if urgent {
            let mut control = lock(&shared.control);
            shared.buffers.each(|buffer| {
                control.ordered.push_str(buffer);
                buffer.clear();
            });
            write(&mut control.ordered);
            control.urgent = true;
            drop(control);
            shared.wake.notify_one();
        } else {
            let pending = shared.buffers.with_mine(|buffer| {
                write(buffer);
                buffer.len()
            });
            // Either the writer, announcing that it waits, then finds this line in its last
            // look at the buffers, or this push sees the announcement and wakes it.
            std::sync::atomic::fence(Ordering::SeqCst);
            if shared.writer_waiting.load(Ordering::Relaxed) {
                let _control = lock(&shared.control);
                if shared.writer_waiting.swap(false, Ordering::Relaxed) {
                    shared.wake.notify_one();
                }
            }
            if pending > MAX_PENDING {
                let mut control = lock(&shared.control);
                control.urgent = true;
                shared.wake.notify_one();
                while shared.buffers.with_mine(|buffer| buffer.len()) > MAX_PENDING
                    && !shared.closed.load(Ordering::SeqCst)
                {
                    control = shared.drained.wait(control).unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
        if shared.closed.load(Ordering::SeqCst) {
            // After close (the process is exiting): what the writer did not take is written
            // here rather than lost.
            let mut left = std::mem::take(&mut *lock(&shared.control)).ordered;
            shared.buffers.each(|buffer| {
                left.push_str(buffer);
                buffer.clear();
            });
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(left.as_bytes());
            let _ = out.flush();
        }
    }

    /// Writes what is pending and stops the writer thread; lines pushed afterwards are written
    /// at once.
    pub(crate) fn close(&self) {
        self.shared.closed.store(true, Ordering::SeqCst);
        {
            let _control = lock(&self.shared.control);
            self.shared.wake.notify_one();
            self.shared.drained.notify_all();
        }
        let thread = self.thread.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// Whether any thread has lines pending.
fn any_pending(shared: &Shared) -> bool {
    shared.buffers.any(|buffer| !buffer.is_empty())
}

/// The writer thread: waits for a first line, gathers for [`BATCH_WINDOW`] (unless a line is
/// urgent or the sink is closing), writes the batch in one go.
///
/// A thread's lines are taken by swapping its buffer for an empty one, not copied: the thread's
/// lock is held for that swap alone, so a push never waits for a copy (or for a writer preempted
/// in the middle of one). The buffers taken are written by one vectored write and come back as
/// the next batch's empty ones.
fn write_batches(shared: &Shared, mut out: impl std::io::Write) {
    let mut taken: Vec<String> = Vec::new();
    let mut spares: Vec<String> = Vec::new();
    loop {
        let mut control = lock(&shared.control);
        loop {
            if control.urgent || !control.ordered.is_empty() || shared.closed.load(Ordering::SeqCst) {
                break;
            }
            shared.writer_waiting.store(true, Ordering::SeqCst);
            std::sync::atomic::fence(Ordering::SeqCst);
            if any_pending(shared) {
                break;
            }
            control = shared.wake.wait(control).unwrap_or_else(PoisonError::into_inner);
        }
        shared.writer_waiting.store(false, Ordering::Relaxed);
        if !control.urgent && !shared.closed.load(Ordering::SeqCst) {
            drop(control);
            std::thread::sleep(BATCH_WINDOW);
            control = lock(&shared.control);
        }
        control.urgent = false;
        let mut take = |lines: &mut String| {
            if !lines.is_empty() {
                taken.push(std::mem::replace(lines, spares.pop().unwrap_or_default()));
            }
        };
        take(&mut control.ordered);
        shared.buffers.each(take);
        shared.drained.notify_all();
        drop(control);
        if !taken.is_empty() {
            // Errors (a closed pipe) are ignored: the mock serves on without its log.
            let _ = write_all_vectored(&mut out, &taken);
            let _ = out.flush();
            for mut lines in taken.drain(..) {
                lines.clear();
                // A burst may have grown it; do not keep a large one for ever.
                lines.shrink_to(256 * 1024);
                spares.push(lines);
            }
        }
        if shared.closed.load(Ordering::SeqCst) && !any_pending(shared) && lock(&shared.control).ordered.is_empty() {
            return;
        }
    }
}

/// Writes `parts` one after the other, in as few vectored writes as `out` takes them in.
fn write_all_vectored(out: &mut impl std::io::Write, parts: &[String]) -> std::io::Result<()> {
    let mut slices: Vec<std::io::IoSlice<'_>> =
        parts.iter().map(|part| std::io::IoSlice::new(part.as_bytes())).collect();
    let mut slices = &mut slices[..];
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => std::io::IoSlice::advance_slices(&mut slices, written),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The layer that formats events into lines for a [`LogSink`]; it also formats the mock's
/// request lines handed to it directly ([`LogLayer::request`]), into the same text.
#[derive(Clone)]
pub(crate) struct LogLayer {
    format: Format,
    sink: LogSink,
}

impl LogLayer {
    pub(crate) fn new(format: Format, sink: LogSink) -> Self {
        LogLayer { format, sink }
    }
}

/// A line being formatted: the message and the fields apart (the message comes first in a text
/// line whatever its place among the fields), and a scratch buffer for `Debug` values.
#[derive(Default)]
struct LineBuffers {
    line: String,
    message: String,
    fields: String,
    scratch: String,
}

thread_local! {
    static BUFFERS: RefCell<LineBuffers> = RefCell::new(LineBuffers::default());
    /// The text of the current second (`2026-12-01T02:30:45`), which most lines share.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    /// The fields of this thread's last request line from `method` to `instance`, which most
    /// lines share with the one before (a test calls one path as one caller, many times).
    static LAST_FIELDS: RefCell<LastFields> = RefCell::new(LastFields::default());
}

/// A request line's fields from `method` to `instance` as written, and what they were written
/// from.
#[derive(Default)]
struct LastFields {
    format: Option<Format>,
    method: String,
    path: String,
    status: Option<u16>,
    caller: Option<String>,
    instance: Option<String>,
    text: String,
}

impl LastFields {
    fn holds(&self, format: Format, line: &connect_mock::RequestLine<'_>) -> bool {
        self.format == Some(format)
            && self.status == line.status
            && self.method == line.method
            && self.path == line.path
            && self.caller.as_deref() == line.caller
            && self.instance.as_deref() == line.instance
    }

    /// Keeps `text`, written from `line`'s fields, in the buffers of the last (no allocation
    /// once they are large enough).
    fn keep(&mut self, format: Format, line: &connect_mock::RequestLine<'_>, text: &str) {
        fn set(to: &mut String, from: &str) {
            to.clear();
            to.push_str(from);
        }
        fn set_some(to: &mut Option<String>, from: Option<&str>) {
            match from {
                Some(v) => set(to.get_or_insert_default(), v),
                None => *to = None,
            }
        }
        self.format = Some(format);
        self.status = line.status;
        set(&mut self.method, line.method);
        set(&mut self.path, line.path);
        set_some(&mut self.caller, line.caller);
        set_some(&mut self.instance, line.instance);
        set(&mut self.text, text);
    }
}

impl<S: Subscriber> Layer<S> for LogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        self.emit(*event.metadata().level(), |fields| event.record(fields));
    }
}

impl LogLayer {
    /// Writes a request's line, the text `RequestLine::trace` gives through this layer, without
    /// `tracing`'s dispatch and per-field visitor, straight into the sink's buffer. Its time is
    /// the request's arrival, which the record has read from the clock already.
    pub(crate) fn request(&self, line: &connect_mock::RequestLine<'_>) {
        let format = self.format;
        self.sink.push_with(false, |out| write_request_line(out, format, line.received_at, line));
    }

    /// Formats a line (the thread's buffers, or fresh ones for a nested event, which would find
    /// them in use) and hands it to the sink.
    fn emit(&self, level: Level, record: impl FnOnce(&mut Fields<'_>)) {
        BUFFERS.with(|b| match b.try_borrow_mut() {
            Ok(mut buffers) => self.emit_into(&mut buffers, level, record),
            Err(_) => self.emit_into(&mut LineBuffers::default(), level, record),
        });
    }

    fn emit_into(&self, b: &mut LineBuffers, level: Level, record: impl FnOnce(&mut Fields<'_>)) {
        format_event(b, self.format, SystemTime::now(), level, record);
        self.sink.push(&b.line, false);
    }
}

/// A request's line, in the order and with the placeholders of `RequestLine::trace`, as
/// [`format_event`] writes that event (a test compares the two), but in one pass: a request's
/// fields are known, and its message comes first.
fn write_request_line(out: &mut String, format: Format, now: SystemTime, line: &connect_mock::RequestLine<'_>) {
    let mut digits = itoa::Buffer::new();
    let status = line.status.map(|s| digits.format(s));
    let message = if status.is_some() { "served" } else { "dropped" };
    match format {
        Format::Text => {
            write_timestamp(out, now);
            out.push_str("  INFO ");
            out.push_str(message);
        }
        Format::Json => {
            out.push_str("{\"timestamp\":\"");
            write_timestamp(out, now);
            out.push_str("\",\"level\":\"INFO\",\"message\":\"");
            out.push_str(message);
            out.push('"');
        }
    }
    // A name (written as `push_key` writes it, in one piece: `[text, json]`), then its value:
    // text, or a number when `bare`.
    let field = |out: &mut String, key: [&str; 2], value: &str, bare: bool| {
        out.push_str(match format {
            Format::Text => key[0],
            Format::Json => key[1],
        });
        if bare {
            out.push_str(value);
        } else {
            push_text(out, format, &bound(value));
        }
    };
    // From `method` to `instance`: as in the thread's last line, or written and kept.
    LAST_FIELDS.with_borrow_mut(|last| {
        if last.holds(format, line) {
            out.push_str(&last.text);
            return;
        }
        let start = out.len();
        field(out, [" method=", r#","method":"#], line.method, false);
        field(out, [" path=", r#","path":"#], line.path, false);
        if let Some(status) = status {
            field(out, [" status=", r#","status":"#], status, true);
        }
        field(out, [" caller=", r#","caller":"#], line.caller.unwrap_or("unsigned"), false);
        field(out, [" instance=", r#","instance":"#], line.instance.unwrap_or("-"), false);
        last.keep(format, line, &out[start..]);
    });
    if status.is_some() {
        field(out, [" request_id=", r#","request_id":"#], line.request_id.unwrap_or("-"), false);
    }
    if format == Format::Json {
        out.push('}');
    }
    out.push('\n');
}

/// Formats one event into `b.line` (ending in a newline); `record` feeds it the event's fields.
fn format_event(
    b: &mut LineBuffers,
    format: Format,
    now: SystemTime,
    level: Level,
    record: impl FnOnce(&mut Fields<'_>),
) {
    b.line.clear();
    b.message.clear();
    b.fields.clear();
    let LineBuffers { line, message, fields, scratch } = b;
    record(&mut Fields { format, message, fields, scratch });
    match format {
        Format::Text => {
            write_timestamp(line, now);
            line.push_str(match level {
                Level::ERROR => " ERROR ",
                Level::WARN => "  WARN ",
                Level::INFO => "  INFO ",
                Level::DEBUG => " DEBUG ",
                Level::TRACE => " TRACE ",
            });
            line.push_str(message);
            line.push_str(fields);
        }
        Format::Json => {
            line.push_str("{\"timestamp\":\"");
            write_timestamp(line, now);
            line.push_str("\",\"level\":\"");
            line.push_str(level.as_str());
            line.push('"');
            if !message.is_empty() {
                line.push_str(",\"message\":");
                line.push_str(message);
            }
            line.push_str(fields);
            line.push('}');
        }
    }
    line.push('\n');
}

/// Writes an event's fields as text or JSON.
struct Fields<'a> {
    format: Format,
    message: &'a mut String,
    fields: &'a mut String,
    scratch: &'a mut String,
}

impl Fields<'_> {
    /// A value as text (bounded here).
    fn text(&mut self, name: &str, value: &str) {
        let value = bound(value);
        if name == "message" {
            match self.format {
                Format::Text => escape_message(self.message, &value),
                Format::Json => json_string(self.message, &value),
            }
            return;
        }
        push_key(self.fields, self.format, name);
        push_text(self.fields, self.format, &value);
    }

    /// A number or boolean (written bare in both formats).
    fn bare(&mut self, name: &str, value: impl fmt::Display) {
        push_key(self.fields, self.format, name);
        let _ = write!(self.fields, "{value}");
    }

    /// An unsigned number (written bare in both formats).
    fn unsigned(&mut self, name: &str, value: u64) {
        push_key(self.fields, self.format, name);
        self.fields.push_str(itoa::Buffer::new().format(value));
    }
}

/// A field's name, up to its value: ` name=` in text, `,"name":` in JSON.
fn push_key(out: &mut String, format: Format, name: &str) {
    match format {
        Format::Text => {
            out.push(' ');
            out.push_str(name);
            out.push('=');
        }
        Format::Json => {
            out.push(',');
            json_string(out, name);
            out.push(':');
        }
    }
}

/// A field's text value: a logfmt value in text, a JSON string in JSON.
fn push_text(out: &mut String, format: Format, value: &str) {
    match format {
        Format::Text => logfmt_value(out, value),
        Format::Json => json_string(out, value),
    }
}

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.text(field.name(), value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.unsigned(field.name(), value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.bare(field.name(), value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.bare(field.name(), value);
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        if value.is_finite() {
            self.bare(field.name(), value);
        } else {
            self.text(field.name(), &value.to_string());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let mut scratch = std::mem::take(self.scratch);
        scratch.clear();
        let _ = write!(scratch, "{value:?}");
        self.text(field.name(), &scratch);
        *self.scratch = scratch;
    }
}

/// `value`, or its first [`MAX_VALUE_LEN`] bytes (at a character boundary) and how long it was.
fn bound(value: &str) -> std::borrow::Cow<'_, str> {
    connect_mock::record::cut_to(value, MAX_VALUE_LEN)
}

/// A logfmt value: bare when it is a plain word, else quoted with `"` and `\` escaped and
/// control characters written as escapes, so that a value never ends a line or a field.
fn logfmt_value(out: &mut String, value: &str) {
    if is_logfmt_bare(value) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => push_escaped_char(out, c),
        }
    }
    out.push('"');
}

/// Whether `value` is a bare logfmt word: not empty, and no byte [`BYTES`] says needs quoting
/// (a control character, a space, `"`, `=`, `\\` or DEL). Eight bytes at a time (the check runs
/// on every field of every request's line), the last few by the table.
fn is_logfmt_bare(value: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `x` below `n` (n <= 0x80), exact for the word as a whole (as
    // in the JSON writer's check): bytes of 0x80 and above are UTF-8, always bare.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
    let equal = |x: u64, b: u8| below(x ^ (ONES * u64::from(b)), 1);
    let (words, rest) = value.as_bytes().as_chunks::<8>();
    let flags = words.iter().fold(0, |all, word| {
        let x = u64::from_ne_bytes(*word);
        all | below(x, 0x21) | equal(x, b'"') | equal(x, b'=') | equal(x, b'\\') | equal(x, 0x7f)
    });
    !value.is_empty() && flags & HIGHS == 0 && rest.iter().all(|&c| BYTES[usize::from(c)] & LOGFMT_BARE != 0)
}

/// A text line's message: control characters escaped (a message never ends a line), the rest
/// as it is.
fn escape_message(out: &mut String, value: &str) {
    // Most messages are plain ASCII text; a control character (C1 ones too) is never ASCII
    // printable.
    if value.bytes().all(|c| c.is_ascii() && BYTES[usize::from(c)] & JSON_PLAIN != 0) {
        out.push_str(value);
        return;
    }
    for c in value.chars() {
        push_escaped_char(out, c);
    }
}

fn push_escaped_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// A JSON string.
fn json_string(out: &mut String, value: &str) {
    out.push('"');
    let mut start = 0;
    // Every byte that needs an escape is ASCII, so a byte index is a character boundary.
    for (i, c) in value.bytes().enumerate() {
        if BYTES[usize::from(c)] & JSON_PLAIN != 0 {
            continue;
        }
        let escape = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => "",
        };
        out.push_str(&value[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", c);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
}

/// [`BYTES`]' flag of a byte a logfmt value may hold unquoted: not a space, control character,
/// `"`, `=` or `\\`.
const LOGFMT_BARE: u8 = 1;
/// [`BYTES`]' flag of a byte a JSON string (as this log writes it) holds unescaped: not a
/// control character (DEL included), `"` or `\\`.
const JSON_PLAIN: u8 = 2;

/// The flags of every byte: a table lookup per byte rather than a chain of comparisons (the
/// values of every request line go through these checks).
static BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let special = c < b' ' || c == 0x7f || c == b'"' || c == b'\\';
        if !special {
            table[b] |= JSON_PLAIN;
            if c != b' ' && c != b'=' {
                table[b] |= LOGFMT_BARE;
            }
        }
        b += 1;
    }
    table
};

/// RFC 3339 in UTC with microseconds: `2026-12-01T02:30:45.123456Z`.
fn write_timestamp(out: &mut String, now: SystemTime) {
    let since = now.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs {
            let (days, rest) = (secs / 86_400, secs % 86_400);
            let (y, m, d) = civil_from_days(days as i64);
            cached.1.clear();
            let _ = write!(cached.1, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rest / 3600, rest / 60 % 60, rest % 60);
            cached.0 = secs;
        }
        out.push_str(&cached.1);
    });
    let micros = since.subsec_micros();
    out.push('.');
    for d in [100_000, 10_000, 1000, 100, 10, 1] {
        out.push(char::from(b'0' + (micros / d % 10) as u8));
    }
    out.push('Z');
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt as _;

    /// Collects what the writer thread writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// A writer that takes at most 7 bytes a call (of several slices at once), is interrupted
    /// every third call, and takes nothing once `full`.
    struct Trickle {
        got: Vec<u8>,
        calls: usize,
        full: bool,
    }

    impl std::io::Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.write_vectored(&[std::io::IoSlice::new(buf)])
        }

        fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(3) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            if self.full {
                return Ok(0);
            }
            let before = self.got.len();
            for buf in bufs {
                let room = 7 - (self.got.len() - before);
                self.got.extend_from_slice(&buf[..buf.len().min(room)]);
            }
            Ok(self.got.len() - before)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_batch_is_written_whole_and_in_order_however_the_output_takes_it() {
        let parts: Vec<String> =
            ["a\n", "", "bcdefghij\n", "k\n", "lmnopqrstuvwxyz0123456789\n"].map(String::from).into();
        let mut out = Trickle { got: Vec::new(), calls: 0, full: false };
        write_all_vectored(&mut out, &parts).unwrap();
        assert_eq!(String::from_utf8(out.got).unwrap(), parts.concat());
        // An output that takes nothing is an error, not a loop.
        let mut full = Trickle { got: Vec::new(), calls: 0, full: true };
        let err = write_all_vectored(&mut full, &parts).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::WriteZero);
    }

    /// A served request's line with these values.
    fn served<'a>(caller: &'a str, path: &'a str) -> connect_mock::RequestLine<'a> {
        connect_mock::RequestLine {
            method: "GET",
            path,
            status: Some(200),
            caller: Some(caller),
            instance: Some("i-1"),
            request_id: Some("r-1"),
            received_at: SystemTime::UNIX_EPOCH + Duration::from_micros(1_796_000_000_123_456),
        }
    }

    /// The line written for a request: through `tracing` as the library logs it
    /// (`RequestLine::trace`), or handed to the layer directly as the binary does.
    fn line_of(format: Format, line: &connect_mock::RequestLine<'_>, direct: bool) -> String {
        let out = Captured::default();
        let sink = LogSink::spawn(out.clone()).unwrap();
        let layer = LogLayer::new(format, sink.clone());
        if direct {
            layer.request(line);
        } else {
            let subscriber =
                tracing_subscriber::registry().with(tracing_subscriber::filter::LevelFilter::INFO).with(layer);
            tracing::subscriber::with_default(subscriber, || {
                tracing::debug!(target: "connect_mock", "not logged: below INFO");
                line.trace();
            });
        }
        sink.close();
        out.text()
    }

    fn request_line(format: Format, caller: &str, path: &str) -> String {
        line_of(format, &served(caller, path), false)
    }

    /// A line without its timestamp, which differs between two writings (a JSON line must be
    /// valid JSON; the rest is compared as text, byte for byte).
    fn untimed(format: Format, line: &str) -> String {
        match format {
            Format::Text => line.split_once(' ').unwrap().1.to_owned(),
            Format::Json => {
                serde_json::from_str::<serde_json::Value>(line).unwrap();
                let rest = line.strip_prefix("{\"timestamp\":\"").unwrap();
                rest.split_once('"').unwrap().1.to_owned()
            }
        }
    }

    #[test]
    fn request_lines_written_directly_are_the_traced_ones() {
        let long = "A".repeat(5000);
        let lines = [
            served("AKIDA", "/user/federate/i-1"),
            served("a \"b\"=c\\d\r\nserved forged=1", "/x y"),
            served("", "/"),
            served(&long, &long),
            connect_mock::RequestLine { status: None, request_id: None, ..served("AKIDA", "/user/federate/i-1") },
            connect_mock::RequestLine { caller: None, instance: None, request_id: None, ..served("", "/x") },
        ];
        for format in [Format::Text, Format::Json] {
            for line in &lines {
                let traced = line_of(format, line, false);
                let direct = line_of(format, line, true);
                assert_eq!(traced.lines().count(), 1, "{traced}");
                assert_eq!(untimed(format, &direct), untimed(format, &traced), "{line:?}");
            }
            // Written right after any other line (the thread's last fields are reused only when
            // they are this line's).
            for before in &lines {
                for line in &lines {
                    let _ = line_of(format, before, true);
                    let direct = line_of(format, line, true);
                    let traced = line_of(format, line, false);
                    assert_eq!(untimed(format, &direct), untimed(format, &traced), "{before:?} then {line:?}");
                }
            }
        }
        let dropped = line_of(Format::Text, &lines[4], true);
        assert!(
            dropped.ends_with(" INFO dropped method=GET path=/user/federate/i-1 caller=AKIDA instance=i-1\n"),
            "{dropped}"
        );
        let unsigned = line_of(Format::Text, &lines[5], true);
        assert!(unsigned.ends_with(" caller=unsigned instance=- request_id=-\n"), "{unsigned}");
        // Written directly, a line is dated by the request's arrival.
        for format in [Format::Text, Format::Json] {
            let direct = line_of(format, &lines[0], true);
            assert!(direct.contains("2026-11-30T00:53:20.123456Z"), "{direct}");
        }
    }

    #[test]
    fn text_lines_are_logfmt_with_values_quoted_and_escaped() {
        let line = request_line(Format::Text, "AKIDA", "/user/federate/i-1");
        assert_eq!(line.lines().count(), 1, "{line}");
        let (stamp, rest) = line.split_once(' ').unwrap();
        assert_eq!(stamp.len(), "2026-12-01T02:30:45.123456Z".len(), "{line}");
        assert!(stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T', "{line}");
        assert_eq!(
            rest,
            " INFO served method=GET path=/user/federate/i-1 status=200 caller=AKIDA instance=i-1 request_id=r-1\n"
        );
        let line = request_line(Format::Text, "a \"b\"=c\\d\r\nserved forged=1", "/x");
        assert_eq!(line.lines().count(), 1, "a value never ends a line: {line}");
        assert!(line.contains(r#" caller="a \"b\"=c\\d\r\nserved forged=1" instance=i-1"#), "{line}");
        let line = request_line(Format::Text, "", "/x");
        assert!(line.contains(r#" caller="" "#), "{line}");
    }

    #[test]
    fn json_lines_are_objects_with_every_field() {
        let line = request_line(Format::Json, "a\"b\\\u{1}\n", "/user/federate/i-1");
        assert_eq!(line.lines().count(), 1, "{line}");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["level"], "INFO");
        assert_eq!(v["message"], "served");
        assert_eq!(v["status"], 200);
        assert_eq!(v["caller"], "a\"b\\\u{1}\n");
        assert_eq!(v["path"], "/user/federate/i-1");
        assert_eq!(v["request_id"], "r-1");
        assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn values_are_bounded() {
        let long = "A".repeat(64 * 1024);
        for format in [Format::Text, Format::Json] {
            let line = request_line(format, &long, "/x");
            assert!(line.len() < 2 * MAX_VALUE_LEN, "{} bytes", line.len());
            assert!(line.contains("...(65536 bytes)"), "{line}");
        }
    }

    proptest::proptest! {
        /// Any text, control characters and multi-byte ones included, reads back whole from a
        /// JSON line's string; a text line's value and message never hold a line break, and a
        /// value is bare exactly when it has no byte that logfmt would misread.
        #[test]
        fn values_are_escaped_whole(value in "\\PC*|[\\x00-\\x7f\\u{80}-\\u{9f}\\u{2028}é=\" ]*") {
            let mut json = String::new();
            json_string(&mut json, &value);
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&json).unwrap(), value.clone());
            let mut text = String::new();
            logfmt_value(&mut text, &value);
            escape_message(&mut text, &value);
            proptest::prop_assert!(!text.contains(['\n', '\r']), "{:?}", text);
            let mut bare = String::new();
            logfmt_value(&mut bare, &value);
            let plain = !value.is_empty()
                && value.chars().all(|c| c > ' ' && !matches!(c, '"' | '=' | '\\' | '\u{7f}'));
            proptest::prop_assert_eq!(bare == value, plain);
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let mut out = String::new();
        let t = SystemTime::UNIX_EPOCH + Duration::new(1_795_851_159, 896_092_700);
        write_timestamp(&mut out, t);
        assert_eq!(out, "2026-11-28T07:32:39.896092Z");
        out.clear();
        write_timestamp(&mut out, SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400));
        assert_eq!(out, "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn every_line_is_written_by_close_and_urgent_lines_promptly() {
        let out = Captured::default();
        let sink = LogSink::spawn(out.clone()).unwrap();
        sink.push("listening\n", true);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while out.text().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(out.text(), "listening\n");
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let sink = sink.clone();
                std::thread::spawn(move || {
                    for i in 0..1000 {
                        sink.push(&format!("{t} {i}\n"), false);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // An urgent line comes after every line pushed before it, by any thread, and promptly.
        sink.push("done\n", true);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !out.text().ends_with("done\n") && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(out.text().lines().count(), 4002);
        sink.push("last\n", false);
        sink.close();
        let text = out.text();
        assert_eq!(text.lines().count(), 4003);
        assert!(text.ends_with("done\nlast\n"), "{}", &text[text.len() - 40..]);
        for t in 0..4 {
            let mine: Vec<usize> =
                text.lines().filter_map(|l| l.strip_prefix(&format!("{t} "))?.parse().ok()).collect();
            assert_eq!(mine, (0..1000).collect::<Vec<_>>(), "thread {t}'s lines, in order");
        }
    }
}

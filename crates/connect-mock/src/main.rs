//! `connect-mock`: the mock as a server for any language's SDK.
//!
//! `cargo run -p connect-mock -- --port 4566` prints the URL it listens on and a line per
//! request; SIGINT (Ctrl-C) or SIGTERM stops it cleanly. Its admin API and dashboard are under
//! `/__mock` on the same port.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use connect_mock::{Fixtures, Limits, MockConnect};
use tracing_subscriber::layer::SubscriberExt as _;

mod logging;
// The library's, compiled here too (the library keeps it private).
#[path = "per_thread.rs"]
mod per_thread;

#[derive(Parser)]
#[command(name = "connect-mock", version, about = "A local mock of Amazon Connect GetFederationToken")]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The port (0 picks a free one; see --port-file).
    #[arg(long, default_value_t = 4566)]
    port: u16,
    /// Once listening, write the port number to this file (written whole, then renamed into
    /// place, so a reader never sees half of it).
    #[arg(long, value_name = "PATH")]
    port_file: Option<PathBuf>,
    /// Instances, users, root keys, key pairs and scripts, as JSON or TOML.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Check SigV4 signatures against the fixtures' key pairs.
    #[arg(long)]
    verify_sigv4: bool,
    /// How log lines are written: text for people, json (one object per line) for programs.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Connections served at once (more wait to be accepted).
    #[arg(long, default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a connection may take to send a request's headers, or stay idle between requests.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().header_read_timeout.as_secs())]
    header_timeout: u64,
    /// Seconds a request body may take to arrive.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().body_read_timeout.as_secs())]
    body_timeout: u64,
    /// The largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body_bytes)]
    max_body_bytes: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    // The signal handlers come first: a signal sent at any moment after this stops the mock
    // cleanly instead of killing it.
    let stop = match stop_signal() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen for signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Log lines are formatted on the thread that logs them and written to stdout in batches by a
    // thread of the sink's own: a request never waits on the stdout lock or a write system call.
    // The sink is closed (everything pending written) on every way out of `run` below.
    logging::widen_stdout_pipe();
    let sink = match logging::LogSink::spawn(std::io::stdout()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot start the log writer: {e}");
            return ExitCode::FAILURE;
        }
    };
    let format = match args.log_format {
        LogFormat::Text => logging::Format::Text,
        LogFormat::Json => logging::Format::Json,
    };
    let layer = logging::LogLayer::new(format, sink.clone());
    let subscriber =
        tracing_subscriber::registry().with(tracing_subscriber::filter::LevelFilter::INFO).with(layer.clone());
    if let Err(e) = tracing::subscriber::set_global_default(subscriber) {
        eprintln!("error: cannot install the logger: {e}");
        return ExitCode::FAILURE;
    }
    let code = serve(args, stop, &sink, layer).await;
    sink.close();
    code
}

async fn serve(
    args: Args,
    stop: impl std::future::Future<Output = &'static str>,
    sink: &logging::LogSink,
    layer: logging::LogLayer,
) -> ExitCode {
    // What the mock prints itself goes through the sink too, so that it stays in order with the
    // request lines; urgent, so that a reader waiting for the URL gets it at once.
    let say = |line: String| sink.push(&format!("{line}\n"), true);
    let mut fixtures = match &args.fixtures {
        Some(path) => match Fixtures::load(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Fixtures::default(),
    };
    fixtures.verify_sigv4 |= args.verify_sigv4;
    let addr = SocketAddr::new(args.host, args.port);
    let limits = Limits {
        header_read_timeout: Duration::from_secs(args.header_timeout.max(1)),
        body_read_timeout: Duration::from_secs(args.body_timeout.max(1)),
        max_body_bytes: args.max_body_bytes,
        max_connections: args.max_connections.max(1),
    };
    // The binary's record is read through the admin API: keep the most recent requests, so that
    // a mock serving for days does not grow.
    // Request lines go straight to the layer's formatter (INFO, which the filter above lets
    // through), not through `tracing`'s dispatch: the same text at a third less cost.
    let builder = MockConnect::builder()
        .fixtures(fixtures)
        .bind(addr)
        .limits(limits)
        .keep_requests(10_000)
        .log_requests_with(move |line| layer.request(line));
    let mut mock = match builder.try_start().await {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.port_file
        && let Err(e) = write_port_file(path, mock.address().port())
    {
        eprintln!("error: cannot write the port file {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    say(format!("connect-mock listening on {}", mock.endpoint_url()));
    say(format!("connect-mock admin API and dashboard at {}/", mock.admin_url()));
    let signal = stop.await;
    say(format!("connect-mock shutting down ({signal})"));
    mock.shutdown().await;
    if let Some(path) = &args.port_file {
        let _ = std::fs::remove_file(path);
    }
    ExitCode::SUCCESS
}

/// Resolves with the name of the first of SIGINT and SIGTERM to arrive.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

/// Writes the port beside its final place, then renames it there.
fn write_port_file(path: &Path, port: u16) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, format!("{port}\n"))?;
    std::fs::rename(&partial, path)
}

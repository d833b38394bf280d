//! `connect-mock`: the mock as a server for any language's SDK.
//!
//! `cargo run -p connect-mock -- --port 4566` prints the URL it listens on and a line per
//! request; Ctrl-C stops it.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use connect_mock::{Fixtures, MockConnect};

#[derive(Parser)]
#[command(name = "connect-mock", about = "A local mock of Amazon Connect GetFederationToken")]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 4566)]
    port: u16,
    /// Instances, users, root keys, key pairs and scripts, as JSON or TOML.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Check SigV4 signatures against the fixtures' key pairs.
    #[arg(long)]
    verify_sigv4: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt().with_target(false).with_max_level(tracing::Level::INFO).init();
    let mut fixtures = match &args.fixtures {
        Some(path) => match Fixtures::load(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e:#}");
                return ExitCode::FAILURE;
            }
        },
        None => Fixtures::default(),
    };
    fixtures.verify_sigv4 |= args.verify_sigv4;
    let addr = SocketAddr::new(args.host, args.port);
    // Nothing reads the binary's record but its own expectations (none): keep a little of it,
    // so that a mock serving for days does not grow.
    let builder = MockConnect::builder().fixtures(fixtures).bind(addr).keep_requests(1000);
    let mock = match builder.try_start().await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("connect-mock listening on {}", mock.endpoint_url());
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("error: cannot wait for Ctrl-C");
    }
    println!("connect-mock shutting down");
    drop(mock);
    ExitCode::SUCCESS
}

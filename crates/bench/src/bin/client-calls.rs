//! Calls GetFederationToken in a loop through one client against a local server:
//! `client-calls ours|sdk URL CONCURRENCY SECONDS`.
//!
//! Both clients are configured as an app would for a local endpoint: static keys, a region,
//! the endpoint override, default retries and timeouts; every call is signed (SigV4), sent,
//! and its JSON answer parsed into the output type. Prints one JSON line: calls, errors,
//! calls per second and this process's CPU time per call in microseconds (the server runs in
//! another process).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;

async fn run<F, Fut>(concurrency: usize, duration: Duration, call: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    // Warm up: connections, credentials caches, endpoint resolution.
    for _ in 0..concurrency.max(8) {
        if !call().await {
            bail!("a warm-up call failed");
        }
    }
    let cpu_before = connect_bench::process_cpu_time();
    let start = Instant::now();
    let until = start + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                let (mut ok, mut failed) = (0u64, 0u64);
                while Instant::now() < until {
                    if call().await { ok += 1 } else { failed += 1 }
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut calls, mut errors) = (0u64, 0u64);
    for w in workers {
        let (ok, failed) = w.await?;
        calls += ok;
        errors += failed;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = match (cpu_before, connect_bench::process_cpu_time()) {
        (Some(a), Some(b)) => Some((b - a).as_secs_f64() * 1e6 / calls.max(1) as f64),
        _ => None,
    };
    println!(
        "{}",
        serde_json::json!({ "calls": calls, "errors": errors, "calls_per_s": calls as f64 / elapsed, "cpu_us_per_call": cpu })
    );
    Ok(())
}

fn ours(url: &str) -> connect_client::Client {
    use connect_client::config::Credentials;
    connect_client::Client::from_conf(
        connect_client::Config::builder()
            .endpoint_url(url)
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKIDBENCH", "bench-secret", None, None, "bench"))
            .build(),
    )
}

fn sdk(url: &str) -> aws_sdk_connect::Client {
    use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_sdk_connect::Client::from_conf(
        aws_sdk_connect::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(url)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDBENCH", "bench-secret", None, None, "bench"))
            .http_client(http_client)
            .build(),
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, which, url, concurrency, seconds] = args.as_slice() else {
        bail!("usage: client-calls ours|sdk URL CONCURRENCY SECONDS")
    };
    let concurrency: usize = concurrency.parse()?;
    let duration = Duration::from_secs_f64(seconds.parse()?);
    match which.as_str() {
        "ours" => {
            let client = ours(url);
            run(concurrency, duration, move || {
                let client = client.clone();
                async move {
                    client.get_federation_token().instance_id("i-1").send().await.is_ok_and(|o| o.user_id().is_some())
                }
            })
            .await
        }
        "sdk" => {
            let client = sdk(url);
            run(concurrency, duration, move || {
                let client = client.clone();
                async move {
                    client.get_federation_token().instance_id("i-1").send().await.is_ok_and(|o| o.user_id().is_some())
                }
            })
            .await
        }
        other => bail!("unknown client `{other}` (ours or sdk)"),
    }
}

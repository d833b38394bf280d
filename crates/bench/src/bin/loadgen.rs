//! A closed-loop HTTP/1.1 load generator: `loadgen URL CONCURRENCY SECONDS`.
//!
//! Each of CONCURRENCY workers holds one keep-alive connection and sends the next request as
//! soon as the previous answer is read whole. Requests carry a SigV4-shaped `Authorization`
//! header (the mock reads the caller from it). Prints one JSON line: requests, errors,
//! requests per second, and latency percentiles in microseconds.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261128/us-east-1/connect/aws4_request, \
     SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Default)]
struct Tally {
    latencies: Vec<u32>,
    errors: u64,
}

async fn worker(authority: String, path: String, until: Instant) -> anyhow::Result<Tally> {
    let stream =
        tokio::net::TcpStream::connect(&authority).await.with_context(|| format!("connecting to {authority}"))?;
    stream.set_nodelay(true)?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut tally = Tally { latencies: Vec::with_capacity(1 << 16), errors: 0 };
    while Instant::now() < until {
        let request = Request::get(&path)
            .header("host", &authority)
            .header("x-amz-date", "20261128T000000Z")
            .header("authorization", AUTHORIZATION)
            .body(Empty::<Bytes>::new())?;
        let start = Instant::now();
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let ok = response.status().is_success();
        let body = response.into_body().collect().await?.to_bytes();
        let elapsed = start.elapsed();
        if ok && !body.is_empty() {
            tally.latencies.push(u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX));
        } else {
            tally.errors += 1;
        }
    }
    Ok(tally)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, concurrency, seconds] = args.as_slice() else { bail!("usage: loadgen URL CONCURRENCY SECONDS") };
    let concurrency: usize = concurrency.parse()?;
    let duration = Duration::from_secs_f64(seconds.parse()?);
    let rest = url.strip_prefix("http://").context("the URL must be http://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest[..i].to_owned(), rest[i..].to_owned()),
        None => (rest.to_owned(), "/".to_owned()),
    };
    let start = Instant::now();
    let until = start + duration;
    let workers: Vec<_> =
        (0..concurrency).map(|_| tokio::spawn(worker(authority.clone(), path.clone(), until))).collect();
    let mut all = Tally::default();
    for w in workers {
        let t = w.await??;
        all.latencies.extend(t.latencies);
        all.errors += t.errors;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.latencies.sort_unstable();
    let n = all.latencies.len();
    println!(
        "{}",
        serde_json::json!({
            "requests": n,
            "errors": all.errors,
            "rps": n as f64 / elapsed,
            "p50_us": connect_bench::percentile(&all.latencies, 50.0),
            "p99_us": connect_bench::percentile(&all.latencies, 99.0),
        })
    );
    Ok(())
}

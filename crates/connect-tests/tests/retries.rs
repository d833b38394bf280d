//! Retries and timeouts against a scripted server: each failure kind is retried the right
//! number of times, the client sees the final result, non-retryable errors are tried once, and
//! slow answers end in a timeout that says which limit was hit.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use connect_client::config::retry::RetryConfig;
use connect_client::config::timeout::TimeoutConfig;
use connect_client::error::ProvideErrorMetadata;
use connect_client::error::SdkError;
use connect_client::operation::RequestId;
use connect_client::operation::get_federation_token::GetFederationTokenError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One scripted answer.
#[derive(Clone, Debug)]
enum Step {
    /// Answer with this status, error type (if any) and JSON body.
    Status(u16, Option<&'static str>, &'static str),
    /// Close the connection without answering.
    Reset,
    /// Wait, then answer 200.
    Delay(Duration),
}

const OK_BODY: &str = r#"{"UserId": "u-1"}"#;

/// A raw HTTP/1.1 server that answers the scripted steps in order, then 200 for ever; it
/// counts the requests it received.
async fn scripted(steps: Vec<Step>) -> (String, Arc<AtomicUsize>) {
    let (url, count, _) = scripted_with_heads(steps).await;
    (url, count)
}

/// [`scripted`], also keeping the head of every request.
async fn scripted_with_heads(steps: Vec<Step>) -> (String, Arc<AtomicUsize>, Arc<std::sync::Mutex<Vec<String>>>) {
    let heads: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let kept = heads.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let seen = seen.clone();
            let steps = steps.clone();
            let kept = kept.clone();
            tokio::spawn(async move {
                // Read the request head (GetFederationToken has no body).
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                kept.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                let n = seen.fetch_add(1, Ordering::SeqCst);
                let step = steps.get(n).cloned().unwrap_or(Step::Status(200, None, OK_BODY));
                let (status, error_type, body) = match step {
                    Step::Reset => return,
                    Step::Delay(d) => {
                        tokio::time::sleep(d).await;
                        (200, None, OK_BODY)
                    }
                    Step::Status(s, t, b) => (s, t, b),
                };
                let mut response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nx-amzn-requestid: req-{n}\r\n",
                    body.len()
                );
                if let Some(t) = error_type {
                    response.push_str(&format!("x-amzn-errortype: {t}\r\n"));
                }
                response.push_str("\r\n");
                response.push_str(body);
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, count, heads)
}

fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard().with_max_attempts(max_attempts).with_initial_backoff(Duration::from_millis(5))
}

async fn call(url: &str, retry: RetryConfig) -> Result<String, SdkError<GetFederationTokenError>> {
    let client = connect_client::Client::from_conf(common::config(url).retry_config(retry).build());
    client.get_federation_token().instance_id("i").send().await.map(|o| o.user_id().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn each_retryable_failure_is_retried_until_success() {
    let cases: Vec<(&str, Step)> = vec![
        ("500", Step::Status(500, Some("InternalServiceException"), r#"{"Message": "boom"}"#)),
        ("503 without a body", Step::Status(503, None, "")),
        ("429", Step::Status(429, None, r#"{"message": "Too Many Requests"}"#)),
        ("ThrottlingException", Step::Status(400, Some("ThrottlingException"), r#"{"message": "Rate exceeded"}"#)),
        ("TooManyRequestsException", Step::Status(400, Some("TooManyRequestsException"), "{}")),
        ("connection reset", Step::Reset),
    ];
    for (what, step) in cases {
        let (url, count) = scripted(vec![step.clone(), step]).await;
        let out = call(&url, fast_retries(3)).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(out, "u-1", "{what}");
        assert_eq!(count.load(Ordering::SeqCst), 3, "{what}: two failures, then the success");
    }
}

#[tokio::test]
async fn the_last_failure_is_returned_when_attempts_run_out() {
    let throttled = Step::Status(400, Some("ThrottlingException"), r#"{"message": "Rate exceeded"}"#);
    let (url, count) = scripted(vec![throttled.clone(), throttled.clone(), throttled.clone(), throttled]).await;
    let err = call(&url, fast_retries(3)).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.request_id(), Some("req-2"), "the error is the last attempt's");
}

#[tokio::test]
async fn non_retryable_errors_are_tried_once() {
    let not_found = Step::Status(404, Some("ResourceNotFoundException"), r#"{"Message": "no instance"}"#);
    let (url, count) = scripted(vec![not_found]).await;
    let err = call(&url, fast_retries(3)).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn retries_can_be_disabled_and_are_on_by_default() {
    let boom = Step::Status(500, None, "{}");
    let (url, count) = scripted(vec![boom.clone()]).await;
    assert!(call(&url, RetryConfig::disabled()).await.is_err());
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // A config that says nothing about retries gets the standard mode.
    let (url, count) = scripted(vec![boom]).await;
    let client = connect_client::Client::from_conf(
        connect_client::Config::builder()
            .endpoint_url(&url)
            .region("us-east-1")
            .credentials_provider(common::test_credentials())
            .env(connect_client::config::Env::from_slice(&[]))
            .build(),
    );
    let out = client.get_federation_token().instance_id("i").send().await.unwrap();
    assert_eq!(out.user_id(), Some("u-1"));
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn slow_attempts_time_out_and_are_retried() {
    let (url, count) = scripted(vec![Step::Delay(Duration::from_secs(5))]).await;
    let timeouts = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(200)).build();
    let client = connect_client::Client::from_conf(
        common::config(&url).retry_config(fast_retries(2)).timeout_config(timeouts).build(),
    );
    let started = Instant::now();
    let out = client.get_federation_token().instance_id("i").send().await.unwrap();
    assert_eq!(out.user_id(), Some("u-1"));
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert!(started.elapsed() < Duration::from_secs(4), "the slow attempt was abandoned");
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let slow = Step::Delay(Duration::from_secs(5));
    let (url, _) = scripted(vec![slow.clone(), slow.clone(), slow]).await;
    let timeouts = TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_millis(300))
        .operation_timeout(Duration::from_millis(500))
        .build();
    let client = connect_client::Client::from_conf(
        common::config(&url).retry_config(fast_retries(10)).timeout_config(timeouts).build(),
    );
    let started = Instant::now();
    let err = client.get_federation_token().instance_id("i").send().await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(err.to_string().contains("timeout"), "the error names the limit: {err}");
}

#[tokio::test]
async fn timeouts_can_be_overridden_per_call() {
    let (url, _) = scripted(vec![Step::Delay(Duration::from_secs(5))]).await;
    let client = connect_client::Client::from_conf(common::config(&url).build());
    let short = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(100)).build();
    let err = client
        .get_federation_token()
        .instance_id("i")
        .config_override(connect_client::Config::builder().timeout_config(short))
        .send()
        .await
        .unwrap_err();
    let SdkError::TimeoutError(_) = &err else { panic!("{err:?}") };
    assert!(err.to_string().contains("attempt 1 did not complete within 100ms"), "{err}");
}

#[tokio::test]
async fn requests_name_the_client_crate_in_the_user_agent() {
    let (url, _, heads) = scripted_with_heads(vec![]).await;
    call(&url, RetryConfig::disabled()).await.unwrap();
    let head = heads.lock().unwrap()[0].to_ascii_lowercase();
    let expected = format!("user-agent: connect-client/{}", env!("CARGO_PKG_VERSION"));
    assert!(head.contains(&expected), "{head}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_in_about_the_configured_time() {
    // Accepts connections and reads requests, but never writes a byte.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let timeouts = TimeoutConfig::builder().operation_timeout(Duration::from_millis(400)).build();
    let client = connect_client::Client::from_conf(common::config(&url).timeout_config(timeouts).build());
    let started = Instant::now();
    let err = client.get_federation_token().instance_id("i").send().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(elapsed >= Duration::from_millis(400) && elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert!(err.to_string().contains("within 400ms (operation timeout)"), "{err}");
}

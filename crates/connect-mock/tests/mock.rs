//! The mock through the generated client: its model of the service (instances, users mapped from
//! the signing key, root keys), fresh credentials from an injectable clock, scripting,
//! recording, expectations, and many mocks at once.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use connect_client::config::Credentials;
use connect_client::config::retry::RetryConfig;
use connect_client::error::ProvideErrorMetadata;
use connect_client::error::SdkError;
use connect_client::operation::get_federation_token::{GetFederationTokenError, GetFederationTokenOutput};
use connect_client::{Client, Config};
use connect_mock::{Answer, Expectation, Fixtures, ManualClock, MockConnect};

fn client_as(mock: &MockConnect, access_key_id: &str) -> Client {
    let config = Config::builder()
        .endpoint_url(mock.endpoint_url())
        .region("us-east-1")
        .credentials_provider(Credentials::new(access_key_id, "secret", None, None, "test"))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
        .env(connect_client::config::Env::from_slice(&[]))
        .build();
    Client::from_conf(config)
}

async fn federate(
    client: &Client,
    instance: &str,
) -> Result<GetFederationTokenOutput, SdkError<GetFederationTokenError>> {
    client.get_federation_token().instance_id(instance).send().await
}

#[tokio::test]
async fn with_nothing_configured_every_call_succeeds_with_fresh_credentials() {
    let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let clock = ManualClock::new(start);
    let mock = MockConnect::builder()
        .clock(clock.clone())
        .token_lifetimes(Duration::from_secs(600), Duration::from_secs(3600))
        .start()
        .await;
    let client = client_as(&mock, "AKIDANY");
    let first = federate(&client, "any-instance").await.unwrap();
    let creds = first.credentials().unwrap();
    assert_eq!(
        SystemTime::try_from(*creds.access_token_expiration().unwrap()).unwrap(),
        start + Duration::from_secs(600)
    );
    assert_eq!(
        SystemTime::try_from(*creds.refresh_token_expiration().unwrap()).unwrap(),
        start + Duration::from_secs(3600)
    );
    assert!(creds.access_token().unwrap().len() >= 40);
    let url = first.sign_in_url().unwrap();
    let token = url.strip_prefix("https://any-instance.my.connect.aws/auth/sign-in?token=").unwrap();
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "not URL-safe: {url}");
    let user_id = first.user_id().unwrap();
    assert_eq!(
        first.user_arn().unwrap(),
        format!("arn:aws:connect:us-east-1:123456789012:instance/any-instance/agent/{user_id}")
    );

    clock.advance(Duration::from_secs(60));
    let second = federate(&client, "any-instance").await.unwrap();
    let creds2 = second.credentials().unwrap();
    assert_ne!(creds2.access_token(), creds.access_token(), "tokens are fresh each time");
    assert_eq!(
        SystemTime::try_from(*creds2.access_token_expiration().unwrap()).unwrap(),
        start + Duration::from_secs(660)
    );
    assert_eq!(second.user_id(), Some(user_id), "the same caller is the same user");
}

#[tokio::test]
async fn a_fixtures_fixed_clock_makes_expirations_exact() {
    let fixtures = Fixtures {
        now: Some("2030-01-02T03:04:05.125Z".to_owned()),
        access_token_lifetime_secs: Some(60),
        ..Fixtures::default()
    };
    let mock = MockConnect::builder().fixtures(fixtures).start().await;
    let out = federate(&client_as(&mock, "AKIDANY"), "i-1").await.unwrap();
    let expiration = SystemTime::try_from(*out.credentials().unwrap().access_token_expiration().unwrap()).unwrap();
    assert_eq!(expiration, UNIX_EPOCH + Duration::new(1_893_553_445 + 60, 125_000_000));

    let bad = Fixtures { now: Some("soon".to_owned()), ..Fixtures::default() };
    let err = MockConnect::builder().fixtures(bad).try_start().await.unwrap_err();
    assert!(err.to_string().contains("not an RFC 3339 date-time"), "{err}");
}

#[tokio::test]
async fn a_bounded_record_keeps_the_most_recent_requests() {
    let mock = MockConnect::builder().keep_requests(2).start().await;
    let client = client_as(&mock, "AKIDANY");
    for instance in ["i-1", "i-2", "i-3"] {
        federate(&client, instance).await.unwrap();
    }
    let kept: Vec<_> = mock.received_requests().into_iter().map(|r| r.instance_id).collect();
    assert_eq!(kept, [Some("i-2".to_owned()), Some("i-3".to_owned())]);

    let none = MockConnect::builder().keep_requests(0).start().await;
    federate(&client_as(&none, "AKIDANY"), "i-1").await.unwrap();
    assert!(none.received_requests().is_empty());
}

#[tokio::test]
async fn instances_and_users_decide_the_answer() {
    let mock =
        MockConnect::builder().user("i-1", "AKIDAGENT", "agent").root_key("AKIDROOT").instance("i-2").start().await;
    let agent = federate(&client_as(&mock, "AKIDAGENT"), "i-1").await.unwrap();
    assert!(agent.user_arn().unwrap().contains("instance/i-1/agent/"));

    let err = federate(&client_as(&mock, "AKIDAGENT"), "i-nope").await.unwrap_err().into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert!(err.message().unwrap().contains("i-nope"));

    let err = federate(&client_as(&mock, "AKIDSTRANGER"), "i-1").await.unwrap_err().into_service_error();
    assert!(err.is_user_not_found_exception(), "{err:?}");

    // An instance without users federates anyone.
    assert!(federate(&client_as(&mock, "AKIDSTRANGER"), "i-2").await.is_ok());

    let err = federate(&client_as(&mock, "AKIDROOT"), "i-1").await.unwrap_err().into_service_error();
    assert!(err.is_invalid_request_exception(), "{err:?}");
    let message = err.message().unwrap();
    assert!(
        message.starts_with("Provided identity: Principal: arn:aws:iam::123456789012:root User: AKIDROOT"),
        "{message}"
    );
    assert!(message.ends_with("cannot be used for federation with Amazon Connect"));
}

#[tokio::test]
async fn fail_twice_then_succeed_is_one_line() {
    let mock = MockConnect::start().await;
    mock.script([Answer::throttling(), Answer::throttling()]);
    let out = federate(&client_as(&mock, "AKIDA"), "i-1").await.unwrap();
    assert!(out.credentials().is_some());
    let statuses: Vec<Option<u16>> = mock.received_requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(429), Some(200)], "the client's retries saw the scripted answers");
    assert_eq!(mock.pending_answers(), 0);
}

#[tokio::test]
async fn every_scripted_answer_kind() {
    let mock = MockConnect::start().await;
    let client = client_as(&mock, "AKIDA");
    let no_retry = |c: &Client| {
        c.get_federation_token()
            .instance_id("i-1")
            .config_override(Config::builder().retry_config(RetryConfig::disabled()))
    };
    for code in [
        "DuplicateResourceException",
        "InternalServiceException",
        "InvalidParameterException",
        "InvalidRequestException",
        "ResourceNotFoundException",
        "UserNotFoundException",
    ] {
        mock.script([Answer::error(code, "scripted")]);
        let err = no_retry(&client).send().await.unwrap_err().into_service_error();
        assert_eq!((err.code(), err.message()), (Some(code), Some("scripted")), "{err:?}");
    }
    mock.script([Answer::server_error()]);
    let err = no_retry(&client).send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));

    mock.script([Answer::drop_connection()]);
    let err = no_retry(&client).send().await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "a dropped connection: {err:?}");

    mock.script([Answer::delay(Duration::from_millis(300))]);
    let started = std::time::Instant::now();
    no_retry(&client).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A script for one instance leaves the others alone.
    mock.script_for("i-9", [Answer::error("UserNotFoundException", "only i-9")]);
    assert!(federate(&client, "i-1").await.is_ok());
    assert!(federate(&client, "i-9").await.is_err());
}

#[tokio::test]
async fn requests_are_recorded_without_secrets() {
    let mock = MockConnect::start().await;
    let client = client_as(&mock, "AKIDREC");
    // An id AWS could not have made names no instance, and is recorded as sent (decoded).
    let err = federate(&client, "inst/with space").await.unwrap_err().into_service_error();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.message(), Some("Instance not found: inst%2Fwith%20space"));
    let received = mock.received_requests();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!((r.method.as_str(), r.instance_id.as_deref(), r.status), ("GET", Some("inst/with space"), Some(404)));
    // The id recorded is the one the client was answered with.
    assert_eq!(r.request_id.as_deref(), connect_client::operation::RequestId::request_id(&err));
    assert!(r.request_id.is_some());
    let ok = federate(&client, "i-1").await.unwrap();
    let received = mock.received_requests();
    assert_eq!(received[1].request_id.as_deref(), connect_client::operation::RequestId::request_id(&ok));
    let all = format!("{received:?}");
    assert!(!all.contains("Signature="), "{all}");
}

#[tokio::test]
async fn verify_explains_unmet_expectations() {
    let mock = MockConnect::start().await;
    mock.expect(Expectation::calls(1).instance("i-1"));
    federate(&client_as(&mock, "AKIDA"), "i-2").await.unwrap();
    let err = mock.verify().unwrap_err().to_string();
    assert!(err.contains("expected exactly 1 GetFederationToken call for instance `i-1`, got 0"), "{err}");
    assert!(err.contains("instance is `i-2`, not `i-1`"), "{err}");
    federate(&client_as(&mock, "AKIDA"), "i-1").await.unwrap();
    mock.verify().unwrap();
}

#[tokio::test]
#[should_panic(expected = "mock expectations not met")]
async fn unmet_expectations_fail_the_test_on_drop() {
    let mock = MockConnect::start().await;
    mock.expect_calls(1);
}

#[tokio::test]
async fn many_mocks_run_in_parallel() {
    let mut mocks = Vec::new();
    for _ in 0..16 {
        mocks.push(MockConnect::start().await);
    }
    let calls = mocks.iter().enumerate().map(|(i, m)| async move {
        mock_call(m, i).await;
    });
    for c in calls {
        c.await;
    }
    for m in &mocks {
        assert_eq!(m.received_requests().len(), 1, "each mock saw only its own call");
    }
}

async fn mock_call(mock: &MockConnect, i: usize) {
    federate(&client_as(mock, "AKIDP"), &format!("i-{i}")).await.unwrap();
}

#[tokio::test]
async fn dropping_the_mock_stops_it() {
    let mock = MockConnect::start().await;
    let url = mock.endpoint_url().to_owned();
    drop(mock);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let config = Config::builder()
        .endpoint_url(&url)
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", "s", None, None, "t"))
        .retry_config(RetryConfig::disabled())
        .env(connect_client::config::Env::from_slice(&[]))
        .build();
    let err = Client::from_conf(config).get_federation_token().instance_id("i").send().await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
}

/// The idle watchdog closes a connection that sends nothing for the header timeout (not before
/// it, and within a quarter of it after), but never one whose request is still in progress: a
/// body arriving slowly, within its own timeout, outlasts the header timeout and is answered.
#[tokio::test]
async fn the_idle_timeout_spares_requests_in_progress() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let header = Duration::from_millis(400);
    let limits = connect_mock::Limits {
        header_read_timeout: header,
        body_read_timeout: Duration::from_secs(10),
        ..connect_mock::Limits::default()
    };
    let mock = MockConnect::builder().limits(limits).start().await;
    let mut s = tokio::net::TcpStream::connect(mock.address()).await.unwrap();
    s.write_all(b"GET /user/federate/i-1 HTTP/1.1\r\nHost: mock\r\nContent-Length: 5\r\n\r\n").await.unwrap();
    // Five body bytes over 1.5 s: more than three header timeouts.
    for byte in b"12345" {
        tokio::time::sleep(Duration::from_millis(300)).await;
        s.write_all(&[*byte]).await.unwrap();
    }
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut answer)).await.unwrap().unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer[..n]));
    // Then idle: closed after the header timeout, not before (less the moments between the
    // mock's finishing the answer and this test's reading it).
    let idle_from = std::time::Instant::now();
    let closed = tokio::time::timeout(Duration::from_secs(5), s.read(&mut answer)).await.unwrap();
    assert!(matches!(closed, Ok(0)), "{closed:?}");
    let idle = idle_from.elapsed();
    assert!(idle >= header * 7 / 8, "closed after {idle:?} idle, before the timeout");
}

/// Requests served at once by several threads are all recorded, numbered without gaps in the
/// order they arrived, however the record is read (between bursts, or once at the end), and a
/// bounded record keeps exactly the most recent.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_served_by_many_threads_are_numbered_in_arrival_order() {
    for keep in [None, Some(1500)] {
        let builder = MockConnect::builder();
        let mock = match keep {
            Some(n) => builder.keep_requests(n).start().await,
            None => builder.start().await,
        };
        let client = client_as(&mock, "AKIDMANY");
        let mut sent = 0;
        for burst in 0..4 {
            let calls = (0..500).map(|_| {
                let client = client.clone();
                tokio::spawn(async move { federate(&client, &format!("i-{burst}")).await.unwrap() })
            });
            for call in calls.collect::<Vec<_>>() {
                call.await.unwrap();
            }
            sent += 500;
            if burst % 2 == 0 {
                assert_eq!(mock.received_requests().len(), keep.map_or(sent, |k| sent.min(k)));
            }
        }
        let received = mock.received_requests();
        assert_eq!(received.len(), keep.map_or(sent, |k| sent.min(k)));
        let first = received[0].seq;
        assert_eq!(first as usize, sent - received.len(), "the most recent are kept");
        for (i, pair) in received.windows(2).enumerate() {
            assert_eq!(pair[1].seq, first + i as u64 + 1, "numbered without gaps");
        }
        // Within each burst, in the order they arrived.
        for burst in received.chunk_by(|a, b| a.instance_id == b.instance_id) {
            assert!(burst.windows(2).all(|p| p[0].received_at <= p[1].received_at));
        }
    }
}

/// Every answer says its length on the wire, so that one keep-alive connection carries the
/// next request: an output, a modeled error and a refused route, each read by its
/// `Content-Length` alone.
#[tokio::test]
async fn answers_say_their_length_on_the_wire() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mock = MockConnect::builder().start().await;
    mock.script([Answer::error("UserNotFoundException", "no such user")]);
    let mut s = tokio::net::TcpStream::connect(mock.address()).await.unwrap();
    let auth = "Authorization: AWS4-HMAC-SHA256 Credential=AKIDWIRE/20261202/us-east-1/connect/aws4_request, \
                SignedHeaders=host, Signature=00";
    let mut pending = Vec::new();
    // The scripted error first, then an output, then a path no operation has.
    for (path, status) in [("/user/federate/i-1", 404), ("/user/federate/i-1", 200), ("/nowhere", 404)] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: mock\r\n{auth}\r\n\r\n");
        s.write_all(request.as_bytes()).await.unwrap();
        let head_end = loop {
            if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0; 4096];
            let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut chunk)).await.unwrap().unwrap();
            assert!(n > 0, "closed before an answer to {path}");
            pending.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8(pending[..head_end].to_vec()).unwrap();
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{path}: {head}");
        let lengths: Vec<usize> = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.trim().parse().unwrap())
            .collect();
        assert_eq!(lengths.len(), 1, "{path}: one Content-Length in {head}");
        assert!(!head.to_ascii_lowercase().contains("transfer-encoding"), "{head}");
        while pending.len() < head_end + lengths[0] {
            let mut chunk = [0; 4096];
            let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut chunk)).await.unwrap().unwrap();
            assert!(n > 0, "closed inside the body of {path}");
            pending.extend_from_slice(&chunk[..n]);
        }
        let body: serde_json::Value = serde_json::from_slice(&pending[head_end..head_end + lengths[0]]).unwrap();
        assert!(body.is_object(), "{path}: {body}");
        pending.drain(..head_end + lengths[0]);
    }
    assert!(pending.is_empty(), "bytes past the last answer: {:?}", String::from_utf8_lossy(&pending));
}

/// Changes made at once from many threads are all kept (each is made on the world as the one
/// before left it), and a request served meanwhile sees one whole world or the next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_made_at_once_are_all_kept() {
    let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mock = std::sync::Arc::new(MockConnect::builder().clock(ManualClock::new(start)).start().await);
    mock.set_now(start);
    let client = client_as(&mock, "AKIDANY");
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let mock = mock.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let instance = connect_mock::InstanceFixture { id: format!("i-{t}-{i}"), ..Default::default() };
                    mock.add_instance(instance).unwrap();
                    mock.advance_clock(Duration::from_secs(1));
                }
            })
        })
        .collect();
    // Served while the instances are added: an instance the mock knows, or (before the first
    // is added) any.
    for _ in 0..50 {
        federate(&client, "i-0-0").await.ok();
    }
    for t in threads {
        t.join().unwrap();
    }
    let ids: std::collections::HashSet<String> = mock.fixtures().instances.into_iter().map(|i| i.id).collect();
    assert_eq!(ids.len(), 200, "{ids:?}");
    assert_eq!(mock.now(), start + Duration::from_secs(200));
}

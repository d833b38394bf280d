//! The `connect-mock` binary: reads a fixtures file, prints the URL it listens on, logs a line
//! per request without secrets, and stops cleanly on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use connect_client::config::Credentials;
use connect_client::config::retry::RetryConfig;
use connect_client::error::ProvideErrorMetadata;
use connect_client::{Client, Config};

#[tokio::test]
async fn serves_fixtures_logs_and_stops_on_ctrl_c() {
    let dir = std::env::temp_dir().join(format!("connect-mock-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = dir.join("fixtures.toml");
    std::fs::write(
        &fixtures,
        r#"
        [[instances]]
        id = "i-1"
        [[instances.users]]
        access_key_id = "AKIDAGENT"
        user_name = "agent"
        "#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_connect-mock"))
        .args(["--port", "0", "--fixtures"])
        .arg(&fixtures)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("connect-mock listening on ").unwrap_or_else(|| panic!("{line}")).to_owned();
    // Its log's pipe was widened (to 1 MiB, or as far as the system lets a process).
    #[cfg(target_os = "linux")]
    {
        let max: usize = std::fs::read_to_string("/proc/sys/fs/pipe-max-size").unwrap().trim().parse().unwrap();
        let size = rustix::pipe::fcntl_getpipe_size(stdout.get_ref()).unwrap();
        assert!(size >= max.min(1 << 20), "stdout's pipe holds {size} bytes");
    }

    let client = |key: &str| {
        Client::from_conf(
            Config::builder()
                .endpoint_url(&url)
                .region("us-east-1")
                .credentials_provider(Credentials::new(key, "SECRET-NOT-LOGGED", None, None, "t"))
                .retry_config(RetryConfig::disabled())
                .env(connect_client::config::Env::from_slice(&[]))
                .build(),
        )
    };
    client("AKIDAGENT").get_federation_token().instance_id("i-1").send().await.unwrap();
    let err = client("AKIDOTHER").get_federation_token().instance_id("i-1").send().await.unwrap_err();
    assert_eq!(err.into_service_error().code(), Some("UserNotFoundException"));

    // Ctrl-C.
    let pid = child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let mut waited = 0;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
        assert!(waited < 100, "the mock did not stop on SIGINT");
    };
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("shutting down"), "{rest}");
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let log = log + &rest;
    assert!(log.contains("served method=GET path=/user/federate/i-1 status=200"), "a line per request: {log}");
    assert!(log.contains("status=404"), "{log}");
    assert!(!log.contains("SECRET") && !log.contains("Signature="), "{log}");
}

/// Requests the SigV4 check refuses get their log line too, and a fixtures' `now` dates that
/// check: a request signed now is more than 5 minutes from 2030.
#[tokio::test]
async fn refused_signatures_are_logged_and_the_fixed_clock_dates_them() {
    let dir = std::env::temp_dir().join(format!("connect-mock-bin-sigv4-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = dir.join("fixtures.json");
    std::fs::write(
        &fixtures,
        r#"{"now": "2030-01-02T03:04:05Z", "key_pairs": [{"access_key_id": "AKIDAGENT", "secret_access_key": "s"}]}"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_connect-mock"))
        .args(["--port", "0", "--verify-sigv4", "--fixtures"])
        .arg(&fixtures)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("connect-mock listening on ").unwrap_or_else(|| panic!("{line}")).to_owned();

    let client = Client::from_conf(
        Config::builder()
            .endpoint_url(&url)
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKIDAGENT", "s", None, None, "t"))
            .retry_config(RetryConfig::disabled())
            .env(connect_client::config::Env::from_slice(&[]))
            .build(),
    );
    let err = client.get_federation_token().instance_id("i-1").send().await.unwrap_err().into_service_error();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");

    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut log = String::new();
    stdout.read_to_string(&mut log).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(
        log.contains("served method=GET path=/user/federate/i-1 status=403 caller=AKIDAGENT instance=i-1 request_id="),
        "{log}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! Logs never contain secrets: with every span and event of every crate recorded at TRACE
//! level, a signed call that returns `@sensitive` credentials leaves no secret key, session
//! token, signature or token value in the output.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Fake, serve};
use connect_client::config::Credentials;
use connect_client::operation::get_federation_token::GetFederationTokenOutput;
use connect_client::types::Credentials as FederationCredentials;

const SECRET_KEY: &str = "SECRETKEY-do-not-log-7f3e";
const SESSION_TOKEN: &str = "SESSIONTOKEN-do-not-log-2b9c";
const ACCESS_TOKEN: &str = "FEDERATED-ACCESS-do-not-log-5d1a";

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_traced_call_logs_no_secrets() {
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let output = GetFederationTokenOutput::builder()
        .credentials(FederationCredentials::builder().access_token(ACCESS_TOKEN).refresh_token(ACCESS_TOKEN).build())
        .build();
    let url = serve(Fake::replying(Ok(output))).await;
    let config = common::config(&url).credentials_provider(Credentials::new(
        "AKIDTRACE",
        SECRET_KEY,
        Some(SESSION_TOKEN.to_owned()),
        None,
        "test",
    ));
    let client = connect_client::Client::from_conf(config.build());
    let out = client.get_federation_token().instance_id("i").send().await.unwrap();
    tracing::debug!(?out, "what an app might log");

    let log = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
    assert!(log.contains("GetFederationToken"), "the call was traced: {log}");
    for secret in [SECRET_KEY, SESSION_TOKEN, ACCESS_TOKEN, "Signature="] {
        assert!(!log.contains(secret), "`{secret}` leaked into the log:\n{log}");
    }
}

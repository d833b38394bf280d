//! A scripted implementation of the generated service trait, served on `127.0.0.1:0`, and a
//! client pointed at it.
#![allow(dead_code, reason = "each test file uses a different part of this module")]

use std::sync::{Arc, Mutex};

use connect_client::operation::get_federation_token::{
    GetFederationTokenError, GetFederationTokenInput, GetFederationTokenOutput,
};
use connect_client::{Client, Config};
use connect_server::AmazonConnectService;

/// The handler's reply.
pub type Reply = Result<GetFederationTokenOutput, GetFederationTokenError>;

/// Records every input it is called with and answers with the scripted reply.
#[derive(Clone, Default)]
pub struct Fake {
    seen: Arc<Mutex<Vec<GetFederationTokenInput>>>,
    reply: Arc<Mutex<Option<Reply>>>,
    panic: Arc<Mutex<bool>>,
}

impl Fake {
    /// A fake answering `reply` to every call.
    pub fn replying(reply: Reply) -> Self {
        let fake = Fake::default();
        *fake.reply.lock().unwrap() = Some(reply);
        fake
    }

    /// A fake whose handler panics.
    pub fn panicking() -> Self {
        let fake = Fake::default();
        *fake.panic.lock().unwrap() = true;
        fake
    }

    /// The inputs the handler saw.
    pub fn seen(&self) -> Vec<GetFederationTokenInput> {
        self.seen.lock().unwrap().clone()
    }
}

impl AmazonConnectService for Fake {
    fn get_federation_token(
        &self,
        input: GetFederationTokenInput,
        _context: connect_server::RequestContext,
    ) -> impl Future<Output = Result<GetFederationTokenOutput, GetFederationTokenError>> + Send {
        self.seen.lock().unwrap().push(input);
        let panic = *self.panic.lock().unwrap();
        let reply =
            self.reply.lock().unwrap().clone().unwrap_or_else(|| Ok(GetFederationTokenOutput::builder().build()));
        async move {
            if panic {
                panic!("the handler failed");
            }
            reply
        }
    }
}

/// Serves `service` on a random local port; returns its base URL.
pub async fn serve(service: Fake) -> String {
    serve_router(connect_server::router(service)).await
}

/// Serves any router on a random local port; returns its base URL.
pub async fn serve_router(router: connect_server::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        connect_server::axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

/// Test credentials (never valid for AWS).
pub fn test_credentials() -> connect_client::config::Credentials {
    connect_client::config::Credentials::new("AKIDTEST", "test-secret-key", None, None, "tests")
}

/// A client for `url`, with test credentials and no retries, that reads nothing from the
/// process environment.
pub fn client(url: &str) -> Client {
    Client::from_conf(config(url).build())
}

/// The config `client` uses, to add to.
pub fn config(url: &str) -> connect_client::config::Builder {
    Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(test_credentials())
        .retry_config(connect_client::config::retry::RetryConfig::disabled())
        .env(connect_client::config::Env::from_slice(&[]))
}

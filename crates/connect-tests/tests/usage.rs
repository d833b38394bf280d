//! Usage tests: code written the way an app uses the crates. These functions are compiled, not
//! run, so an ergonomics regression in the generated API breaks the build.
#![allow(dead_code, reason = "compiled to check the API, never called")]

use connect_client::error::ProvideErrorMetadata;
use connect_client::error::SdkError;
use connect_client::operation::get_federation_token::GetFederationTokenError;
use connect_client::{Client, Config, config::Region};
use connect_server::AmazonConnectService;
use connect_server::operation::get_federation_token::{GetFederationTokenInput, GetFederationTokenOutput};

/// An app calling the service, as with aws-sdk-connect.
async fn app() -> Result<String, SdkError<GetFederationTokenError>> {
    let config = Config::builder().region(Region::new("us-east-1")).endpoint_url("http://127.0.0.1:4566").build();
    let client = Client::from_conf(config);
    let output = client.get_federation_token().instance_id("instance-id").send().await?;
    let token = output.credentials().and_then(|c| c.access_token()).unwrap_or_default().to_owned();
    Ok(token)
}

/// An app handling specific errors.
async fn handle_errors(client: &Client) -> &'static str {
    match client.get_federation_token().instance_id("i").send().await {
        Ok(_) => "ok",
        Err(err) => match err.into_service_error() {
            GetFederationTokenError::UserNotFoundException(_) => "no such user",
            GetFederationTokenError::ResourceNotFoundException(_) => "no such instance",
            other if other.code() == Some("ThrottlingException") => "slow down",
            _ => "other",
        },
    }
}

/// A test double of the service.
struct Double;

impl AmazonConnectService for Double {
    async fn get_federation_token(
        &self,
        input: GetFederationTokenInput,
        _context: connect_server::RequestContext,
    ) -> Result<GetFederationTokenOutput, GetFederationTokenError> {
        Ok(GetFederationTokenOutput::builder().user_id(input.instance_id().unwrap_or_default()).build())
    }
}

/// Serving it with axum.
async fn serve() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    connect_server::axum::serve(listener, connect_server::router(Double)).await
}

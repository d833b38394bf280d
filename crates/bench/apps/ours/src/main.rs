//! Calls GetFederationToken for the instance given as argument, with the region and
//! credentials from the environment (or `AWS_ENDPOINT_URL` for a local server).

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let instance = std::env::args().nth(1).ok_or("usage: app-ours INSTANCE_ID")?;
    let client = connect_client::Client::from_conf(connect_client::Config::builder().build());
    let out = client.get_federation_token().instance_id(instance).send().await?;
    println!("{}", out.sign_in_url().unwrap_or_default());
    Ok(())
}

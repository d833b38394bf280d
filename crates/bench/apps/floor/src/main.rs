//! GETs `$AWS_ENDPOINT_URL/user/federate/INSTANCE_ID` and decodes the JSON answer.

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    sign_in_url: Option<String>,
    #[allow(dead_code)]
    credentials: Option<serde_json::Value>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let instance = std::env::args().nth(1).ok_or("usage: app-floor INSTANCE_ID")?;
    let endpoint = std::env::var("AWS_ENDPOINT_URL")?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().build()?;
    let answer: Answer =
        client.get(format!("{endpoint}/user/federate/{instance}")).send().await?.error_for_status()?.json().await?;
    println!("{}", answer.sign_in_url.unwrap_or_default());
    Ok(())
}

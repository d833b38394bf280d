//! The floor of `tests/perf/callgrind.sh`: a bare axum handler on GetFederationToken's route
//! answering a fixed JSON body of the mock's size, as `crates/bench`'s `bare-axum` does, built
//! here so that the per-request instruction counts of the two servers come from one build (the
//! bench crate's workspace also builds aws-sdk-connect).
//!
//! `cargo run --release -p connect-mock --example bare_axum` prints
//! `listening on http://127.0.0.1:PORT` and serves until killed.

use smithy_runtime::server::axum::{self, Router, routing::get};

/// The same 547 bytes as `connect_bench::ANSWER`.
const ANSWER: &str = concat!(
    r#"{"Credentials":{"AccessToken":"Ax3Wbsfhwyx+L3fDOHX0ynX7bME3ysglufcLx99RSRYsl1fH9hndhc1qbef"#,
    r#"MEvVd","AccessTokenExpiration":1795851159.8960927,"RefreshToken":"wcvbKpVgFo5mgUM3nJkz3a43"#,
    r#"nM+GMpVUqT5PDxuxdjn/vix0ulixejec2rbLOLvx","RefreshTokenExpiration":1795890759.8960927},"Si"#,
    r#"gnInUrl":"https://i-1.my.connect.aws/auth/sign-in?token=iMS/KsWz1CSSOtVtVkXIknL0lPq1P4783d"#,
    r#"LUElGTe5S+W5XIjyPUWYCUjyOPWyG+","UserArn":"arn:aws:connect:us-east-1:123456789012:instance"#,
    r#"/i-1/agent/f8f75b48-a38b-125e-3015-696fab2da8c5","UserId":"f8f75b48-a38b-125e-3015-696fab2"#,
    r#"da8c5"}"#,
);

fn main() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let app = Router::new().route(
            "/user/federate/{instance_id}",
            get(|| async {
                let headers = [
                    ("content-type", "application/json"),
                    ("x-amzn-requestid", "4b96b951-d9e9-4600-b01e-007e60fddd44"),
                ];
                (headers, ANSWER)
            }),
        );
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        println!("listening on http://{}", listener.local_addr()?);
        axum::serve(listener, app).await
    })
}

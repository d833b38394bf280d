//! The floor for the server benchmark: a bare axum handler on the operation's route that
//! returns the mock's JSON answer, with no parsing, validation, model or recording.
//!
//! `bare-axum [PORT]` prints `listening on http://127.0.0.1:PORT` and serves until killed.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::args().nth(1).map(|p| p.parse()).transpose()?.unwrap_or(0);
    let app = Router::new().route(
        "/user/federate/{instance_id}",
        get(|| async {
            let headers =
                [("content-type", "application/json"), ("x-amzn-requestid", "4b96b951-d9e9-4600-b01e-007e60fddd44")];
            (headers, connect_bench::ANSWER)
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

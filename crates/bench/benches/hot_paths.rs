//! Micro-benchmarks of the hot paths of one GetFederationToken call: the client serialising
//! the request, signing it, parsing the answer, and the server taking a request through
//! routing, parsing, validation and serialisation of the answer.
//!
//! `cargo bench --manifest-path crates/bench/Cargo.toml --bench hot_paths` (or `cargo xtask bench`).

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use connect_client::config::Credentials;
use connect_client::operation::get_federation_token::{self as op, GetFederationTokenInput};
use connect_server::AmazonConnectService;
use connect_server::operation::get_federation_token::{
    GetFederationTokenError, GetFederationTokenInput as ServerInput, GetFederationTokenOutput,
};
use criterion::{Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

fn client(c: &mut Criterion) {
    let input = GetFederationTokenInput::builder().instance_id("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111").build().unwrap();
    c.bench_function("client/serialize_request", |b| b.iter(|| op::serialize(black_box(&input)).unwrap()));

    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None, None, "bench");
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_851_159);
    let unsigned = http::Request::get("https://connect.us-east-1.amazonaws.com/user/federate/a1b2c3d4")
        .header("user-agent", "connect-client/0.1.0")
        .body(Bytes::new())
        .unwrap();
    c.bench_function("client/sign_sigv4", |b| {
        b.iter(|| {
            let mut request = unsigned.clone();
            smithy_runtime::sigv4::sign(&mut request, black_box(&credentials), "us-east-1", "connect", time).unwrap();
            request
        })
    });

    let ok = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Bytes::from_static(connect_bench::ANSWER.as_bytes()))
        .unwrap();
    c.bench_function("client/parse_response", |b| b.iter(|| op::deserialize(black_box(&ok)).unwrap()));

    let error = http::Response::builder()
        .status(404)
        .header("x-amzn-errortype", "UserNotFoundException:http://internal.amazon.com/coral/com.amazonaws.connect/")
        .header("x-amzn-requestid", "4b96b951-d9e9-4600-b01e-007e60fddd44")
        .body(Bytes::from_static(br#"{"Message":"No user is mapped to this identity."}"#))
        .unwrap();
    c.bench_function("client/parse_error", |b| b.iter(|| op::deserialize(black_box(&error)).unwrap_err()));
}

/// A handler that answers the same output every time, so that the benchmark measures the
/// generated server and its runtime rather than the handler.
struct Fixed(GetFederationTokenOutput);

impl AmazonConnectService for Fixed {
    async fn get_federation_token(
        &self,
        _: ServerInput,
        _: connect_server::RequestContext,
    ) -> Result<GetFederationTokenOutput, GetFederationTokenError> {
        Ok(self.0.clone())
    }
}

fn server(c: &mut Criterion) {
    let output: GetFederationTokenOutput = {
        let response =
            http::Response::builder().status(200).body(Bytes::from_static(connect_bench::ANSWER.as_bytes())).unwrap();
        let parsed = op::deserialize(&response).unwrap();
        // The client's and the server's output are the same connect-types type.
        parsed
    };
    let router = connect_server::router(Fixed(output));
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    c.bench_function("server/request_to_response", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::get("/user/federate/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
                    .header("host", "connect.us-east-1.amazonaws.com")
                    .body(axum::body::Body::empty())
                    .unwrap();
                let response = router.clone().oneshot(request).await.unwrap();
                assert_eq!(response.status(), 200);
                http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes()
            })
        })
    });
}

criterion_group!(benches, client, server);
criterion_main!(benches);

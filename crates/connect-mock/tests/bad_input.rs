//! Any path, method, header set or body gets an AWS-shaped answer from the mock (never a panic
//! or a dropped connection), and the mock keeps serving afterwards.

use std::sync::OnceLock;

use connect_mock::MockConnect;
use proptest::prelude::*;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap())
}

fn mock() -> &'static MockConnect {
    static MOCK: OnceLock<MockConnect> = OnceLock::new();
    MOCK.get_or_init(|| runtime().block_on(MockConnect::builder().user("i-1", "AKIDA", "agent").start()))
}

fn http() -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
    })
}

fn method() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        "/[a-zA-Z0-9%/._~+-]{0,32}",
        "/user/federate/[a-zA-Z0-9%._~-]{0,120}",
        Just("/user/federate/%".to_owned()),
        Just("/user/federate/%C3%28".to_owned()),
    ]
}

fn header() -> impl Strategy<Value = (&'static str, String)> {
    (
        prop::sample::select(vec!["authorization", "x-amz-date", "content-type", "x-amz-security-token", "x-custom"]),
        prop_oneof![
            "[ -~]{0,60}",
            Just("AWS4-HMAC-SHA256 Credential=AKIDA/20261128/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=00".to_owned()),
            Just("AWS4-HMAC-SHA256 Credential=".to_owned()),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_requests_get_aws_shaped_answers(
        method in method(),
        path in path(),
        headers in prop::collection::vec(header(), 0..4),
        body in prop::collection::vec(any::<u8>(), 0..128),
    ) {
        let url = format!("{}{path}", mock().endpoint_url());
        prop_assume!(reqwest::Url::parse(&url).is_ok());
        runtime().block_on(async {
            let mut req = http().request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), &url).body(body);
            for (k, v) in &headers {
                req = req.header(*k, v.as_str());
            }
            let resp = req.send().await.expect("the mock answers every request");
            let status = resp.status().as_u16();
            assert!(resp.headers().contains_key("x-amzn-requestid"), "every answer has a request id");
            if status >= 400 {
                assert!(resp.headers().contains_key("x-amzn-errortype"), "errors name their type");
                let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).expect("a JSON body");
                assert!(body.get("message").or_else(|| body.get("Message")).is_some_and(serde_json::Value::is_string));
            }
            let alive = http().get(format!("{}/user/federate/i-1", mock().endpoint_url())).send().await.unwrap();
            assert!(alive.status().is_client_error() || alive.status().is_success(), "still serving");
        });
    }
}

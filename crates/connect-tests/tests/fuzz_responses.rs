//! Whatever a server answers (any status, odd headers, truncated or mistyped JSON, HTML,
//! binary noise, a body larger than the limit), the client returns a typed result and never
//! panics or hangs.

mod common;

use std::sync::{Arc, Mutex, OnceLock};

use connect_client::error::SdkError;
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The raw bytes the server writes back.
type Canned = Arc<Mutex<Vec<u8>>>;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap())
}

/// One server for all cases, answering each request with the current canned bytes.
fn server() -> &'static (String, Canned) {
    static SERVER: OnceLock<(String, Canned)> = OnceLock::new();
    SERVER.get_or_init(|| {
        runtime().block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let canned: Canned = Arc::default();
            let answer = canned.clone();
            tokio::spawn(async move {
                while let Ok((mut socket, _)) = listener.accept().await {
                    let bytes = answer.lock().unwrap().clone();
                    tokio::spawn(async move {
                        let mut head = Vec::new();
                        let mut buf = [0u8; 1024];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                            match socket.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => head.extend_from_slice(&buf[..n]),
                            }
                        }
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    });
                }
            });
            (url, canned)
        })
    })
}

fn response(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out =
        format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len()).into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

type CallResult = Result<
    connect_client::operation::get_federation_token::GetFederationTokenOutput,
    SdkError<connect_client::operation::get_federation_token::GetFederationTokenError>,
>;

fn call() -> CallResult {
    let (url, _) = server();
    runtime().block_on(async { common::client(url).get_federation_token().instance_id("i").send().await })
}

/// Sets the server's answer and calls it, one test at a time: the tests share the server, and
/// one test's answer must not reach another's call.
fn answer_with(bytes: Vec<u8>) -> CallResult {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_, canned) = server();
    *canned.lock().unwrap() = bytes;
    call()
}

const VALID: &str = r#"{"Credentials": {"AccessToken": "a", "AccessTokenExpiration": 1700000000.25, "RefreshToken": "r", "RefreshTokenExpiration": 1700003600}, "SignInUrl": "https://x", "UserArn": "arn:x", "UserId": "u"}"#;

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (0..VALID.len()).prop_map(|cut| VALID.as_bytes()[..cut].to_vec()),
        Just(b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec()),
        // A valid document with one value replaced by another JSON type.
        (
            prop::sample::select(vec!["\"a\"", "1700000000.25", "\"https://x\"", "\"u\""]),
            prop::sample::select(vec![
                "null",
                "true",
                "[]",
                "{}",
                "-1e400",
                "\"\u{0}\"",
                "18446744073709551616",
                "\"NaN\""
            ])
        )
            .prop_map(|(from, to)| VALID.replacen(from, to, 1).into_bytes()),
        "\\PC{0,64}".prop_map(String::into_bytes),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name =
        prop::sample::select(vec!["x-amzn-errortype", "x-amzn-requestid", "content-type", "x-amzn-ErrorType", "x-foo"]);
    let value = prop_oneof![
        "[ -~]{0,40}",
        prop::sample::select(vec![
            "ThrottlingException",
            "UserNotFoundException:http://x",
            "com.amazonaws.connect#ResourceNotFoundException",
            "application/json",
            "text/html",
            "InvalidRequestException",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec((name.prop_map(str::to_owned), value), 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_response_is_a_typed_result(status in 200u16..600, headers in headers(), body in body()) {
        match answer_with(response(status, &headers, &body)) {
            Ok(_) => prop_assert!((200..300).contains(&status), "success only for 2xx"),
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                if let SdkError::ServiceError(s) = &e {
                    prop_assert!(!(200..300).contains(&s.raw().status().as_u16()));
                }
            }
        }
    }
}

#[test]
fn a_body_over_the_limit_is_a_response_error() {
    let huge = vec![b' '; smithy_runtime::client::MAX_RESPONSE_BODY + 1];
    let err = answer_with(response(200, &[], &huge)).unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(err.to_string().contains("larger than"), "{err}");
}

//! Changing a running mock: the library's methods and the admin API say the same things (the
//! API's JSON is read back through the library and the other way round), a reset restores the
//! start, and bad changes are refused whole.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use connect_mock::{Answer, Fixtures, InstanceFixture, MockConnect, UserFixture};
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn call(mock: &MockConnect, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}{path}", mock.admin_url());
    let mut request = http().request(method.parse().unwrap(), url);
    if let Some(b) = body {
        request = request.body(b.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn federate(mock: &MockConnect, instance: &str) -> (u16, Value) {
    let response = http().get(format!("{}/user/federate/{instance}", mock.endpoint_url())).send().await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_slice(&response.bytes().await.unwrap()).unwrap())
}

#[tokio::test]
async fn what_the_api_changes_the_library_sees_and_the_other_way_round() {
    let mock = MockConnect::builder().instance("i-1").start().await;
    assert_eq!(call(&mock, "POST", "/instances", Some(json!({"id": "i-2", "alias": "two"}))).await.0, 201);
    assert_eq!(mock.fixtures().instances.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["i-1", "i-2"]);
    mock.add_user("i-2", UserFixture { access_key_id: "AKIDX".into(), ..UserFixture::default() }).unwrap();
    let (_, instances) = call(&mock, "GET", "/instances", None).await;
    assert_eq!(instances[1]["users"][0]["access_key_id"], "AKIDX");

    // A whole fixtures document goes out of one and into the other unchanged.
    let (_, document) = call(&mock, "GET", "/fixtures", None).await;
    let read: Fixtures = serde_json::from_value(document.clone()).unwrap();
    assert_eq!(read, mock.fixtures());
    assert_eq!(call(&mock, "PUT", "/fixtures", Some(document.clone())).await, (200, document));

    assert!(mock.remove_instance("i-2"));
    assert_eq!(call(&mock, "DELETE", "/instances/i-2", None).await.0, 404);
    assert_eq!(federate(&mock, "i-2").await.0, 404);
}

#[tokio::test]
async fn a_reset_restores_the_start_and_forgets_requests_scripts_and_expectations() {
    let start = Fixtures { now: Some("2030-01-02T03:04:05Z".into()), ..Fixtures::default() };
    let mock = MockConnect::builder().fixtures(start).instance("i-1").start().await;
    federate(&mock, "i-1").await;
    mock.add_instance(InstanceFixture { id: "i-9".into(), ..InstanceFixture::default() }).unwrap();
    mock.script([Answer::throttling()]);
    mock.expect_calls(5);
    mock.advance_clock(Duration::from_secs(60));
    mock.reset();
    assert!(mock.received_requests().is_empty());
    assert_eq!(mock.pending_answers(), 0);
    assert_eq!(mock.fixtures().instances.len(), 1);
    assert_eq!(mock.now(), UNIX_EPOCH + Duration::from_secs(1_893_553_445));
    mock.verify().unwrap();
    // The API's reset is the same one.
    federate(&mock, "i-1").await;
    assert_eq!(call(&mock, "POST", "/reset", None).await.0, 200);
    assert!(mock.received_requests().is_empty());
}

#[tokio::test]
async fn the_clock_moves_through_the_api_and_expirations_follow() {
    let mock = MockConnect::start().await;
    let (_, clock) = call(&mock, "PUT", "/clock", Some(json!({"now": "2030-01-01T00:00:00Z"}))).await;
    assert_eq!(clock, json!({"now": "2030-01-01T00:00:00Z", "fixed": true}));
    let (_, out) = federate(&mock, "i-1").await;
    assert_eq!(out["Credentials"]["AccessTokenExpiration"], json!(1_893_459_600));
    let (_, clock) = call(&mock, "POST", "/clock/advance", Some(json!({"seconds": 1.5}))).await;
    assert_eq!(clock["now"], "2030-01-01T00:00:01.5Z");
    assert_eq!(mock.now(), UNIX_EPOCH + Duration::from_millis(1_893_456_001_500));
    let (_, clock) = call(&mock, "PUT", "/clock", Some(json!({"now": null}))).await;
    assert_eq!(clock["fixed"], false);
    assert!(mock.now().duration_since(SystemTime::now()).unwrap_or_default() < Duration::from_secs(5));
    assert_eq!(call(&mock, "POST", "/clock/advance", Some(json!({"seconds": -1}))).await.0, 400);
}

#[tokio::test]
async fn requests_are_listed_filtered_and_verified_with_the_libraries_text() {
    let mock = MockConnect::start().await;
    federate(&mock, "i-1").await;
    federate(&mock, "i-2").await;
    let (_, listed) = call(&mock, "GET", "/requests?instance=i-2", None).await;
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["requests"][0]["path"], "/user/federate/i-2");
    assert_eq!(listed["requests"][0]["status"], 200);
    let (_, after) = call(&mock, "GET", "/requests?after=0", None).await;
    assert_eq!(after["requests"][0]["seq"], 1);
    assert_eq!(call(&mock, "GET", "/requests?bogus=1", None).await.0, 400);

    assert_eq!(call(&mock, "POST", "/verify", Some(json!({"times": 2}))).await, (200, json!({"ok": true})));
    let (status, failed) = call(&mock, "POST", "/verify", Some(json!({"times": 1, "instance": "i-3"}))).await;
    assert_eq!(status, 422);
    mock.expect(connect_mock::Expectation::calls(1).instance("i-3"));
    assert_eq!(failed["message"], mock.verify().unwrap_err().to_string());
    mock.reset();
}

#[tokio::test]
async fn bad_changes_are_refused_whole_with_every_problem() {
    let mock = MockConnect::builder().instance("i-1").start().await;
    let before = mock.fixtures();
    let broken = json!({
        "region": "Not A Region",
        "instances": [{"id": "i-1"}, {"id": "i-1"}, {"id": "a/b"}],
        "access_token_lifetime_secs": 0,
        "scripts": [{"answers": [{"kind": "status", "status": 200, "code": "Fine"}]}],
    });
    let (status, answer) = call(&mock, "PUT", "/fixtures", Some(broken)).await;
    assert_eq!(status, 400);
    let problems: Vec<&str> = answer["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(problems.contains(&"instances[1].id: \"i-1\" repeats instances[0]"), "{problems:#?}");
    assert_eq!(mock.fixtures(), before);
    assert_eq!(call(&mock, "PUT", "/fixtures", Some(json!([]))).await.0, 400);
    assert_eq!(call(&mock, "POST", "/instances/nope/users", Some(json!({"access_key_id": "K"}))).await.0, 404);
    assert_eq!(call(&mock, "GET", "/nothing-here", None).await.0, 404);
    assert_eq!(call(&mock, "DELETE", "/health", None).await.0, 405);
    assert!(mock.add_user("nope", UserFixture::default()).is_err());
}

#[tokio::test]
async fn key_pair_secrets_never_leave_and_survive_a_round_trip() {
    let mock = MockConnect::builder().verify_sigv4([("AKIDK".to_owned(), "the-secret".to_owned())]).start().await;
    let (_, document) = call(&mock, "GET", "/fixtures", None).await;
    let (_, pairs) = call(&mock, "GET", "/key-pairs", None).await;
    assert!(!document.to_string().contains("the-secret") && !pairs.to_string().contains("the-secret"));
    assert_eq!(call(&mock, "PUT", "/fixtures", Some(document)).await.0, 200);
    assert_eq!(mock.fixtures().key_pairs[0].secret_access_key, "the-secret");
}

#[tokio::test]
async fn the_dashboard_and_health_are_served_beside_the_api_and_not_recorded() {
    let mock = MockConnect::start().await;
    let page = http().get(format!("{}/", mock.admin_url())).send().await.unwrap();
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert!(page.text().await.unwrap().contains("<title>connect-mock</title>"));
    let (status, health) = call(&mock, "GET", "/health", None).await;
    assert_eq!((status, &health["status"]), (200, &json!("ok")));
    assert!(mock.received_requests().is_empty(), "admin calls are not the service's requests");
}

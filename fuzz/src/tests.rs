//! The seeds take the paths they are meant to: the models load, the requests and responses
//! get the answers their names say. (`cargo test --manifest-path fuzz/Cargo.toml`; `run.sh`
//! does not run these, a seed that stops loading only makes fuzzing start from less.)

use std::path::PathBuf;

use crate::client::Parsed;

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds").join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds for {target}");
    seeds
}

#[test]
fn model_seeds_load() {
    for (target, name) in [("idl", "fuzz.smithy"), ("json_ast", "fuzz.json")] {
        for (file, data) in seeds(target) {
            if let Err(e) = crate::model::load(name, &data) {
                panic!("{target}/{file} does not load:\n{e}");
            }
        }
    }
}

#[test]
fn server_seeds_get_their_answers() {
    for (file, data) in seeds("server_request") {
        let (status, body) = crate::server::answer(&data).unwrap_or_else(|| panic!("{file} is not a request"));
        let body = String::from_utf8_lossy(&body);
        let expected = match file.as_str() {
            "signed_get.http" => {
                assert!(body.contains(r#""UserArn":"AKIDEXAMPLE""#), "{body}");
                200
            }
            "encoded_label.http" => {
                assert!(body.contains(r#""UserId":"✓ id/with/slashes""#), "{body}");
                200
            }
            "too_long_label.http" => 400,
            "wrong_method_body.http" => 405,
            other => panic!("no expectation for server_request/{other}"),
        };
        assert_eq!(status, expected, "{file}: {body}");
    }
}

#[test]
fn client_seeds_parse_as_named() {
    for (file, data) in seeds("client_response") {
        let parsed = crate::client::parse(&data).unwrap_or_else(|| panic!("{file} is not a response"));
        match (file.as_str(), &parsed) {
            ("ok.http", Parsed::Output(output)) => assert_eq!(output.user_id(), Some("u1")),
            ("user_not_found.http", Parsed::Service(e)) => assert!(e.is_user_not_found_exception(), "{e:?}"),
            ("typed_body_error.http", Parsed::Service(e)) => assert!(e.is_invalid_parameter_exception(), "{e:?}"),
            ("unmodeled.http", Parsed::Service(e)) => assert_eq!(e.meta().code(), None, "{e:?}"),
            _ => panic!("client_response/{file}: {parsed:?}"),
        }
    }
}

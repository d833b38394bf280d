//! The generated client's response parsing for GetFederationToken: any response through
//! `get_federation_token::deserialize` and the caller's view of its error; see
//! `connect_fuzz::client`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = connect_fuzz::client::parse(data);
});

//! The generated server's request handling: any request through `connect_server::router`;
//! see `connect_fuzz::server`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = connect_fuzz::server::answer(data);
});

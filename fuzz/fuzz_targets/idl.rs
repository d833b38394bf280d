//! The IDL loader: any text as a `.smithy` file through parsing (lexer, parser, lowering) and
//! resolution into a model; see `connect_fuzz::model`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = connect_fuzz::model::load("fuzz.smithy", data);
});

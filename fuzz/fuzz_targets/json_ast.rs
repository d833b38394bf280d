//! The JSON AST loader: any text as a `.json` model file through serde_json, the loader's
//! structural checks and resolution into a model; see `connect_fuzz::model`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = connect_fuzz::model::load("fuzz.json", data);
});

//! The `idl` and `json_ast` targets: one model file through the generator's loading.

/// Loads `data` as a model file named `name` (`.smithy` goes to the IDL loader, `.json` to the
/// JSON AST loader) as the generator does: `codegen::load_with_warnings`, the file's loader and
/// then resolution with the prelude into one model. Whatever diagnostics come back are
/// rendered against the source with their lines, as the xtask prints them. `Ok` when the model
/// loads.
pub fn load(name: &str, data: &[u8]) -> Result<codegen::Model, codegen::Diagnostics> {
    // The generator reads model files as UTF-8 text; invalid bytes become U+FFFD rather than
    // wasting the input, so that every mutation reaches the lexer.
    let text = String::from_utf8_lossy(data);
    let mut sources = codegen::Sources::new();
    sources.add(name, text);
    let loaded = codegen::load_with_warnings(&sources);
    let diagnostics = match &loaded {
        Ok((_, warnings)) => warnings,
        Err(errors) => {
            assert!(errors.has_errors(), "the load failed without an error:\n{errors}");
            errors
        }
    };
    std::hint::black_box((diagnostics.render(&sources), diagnostics.to_string()));
    loaded.map(|(model, _)| model)
}

//! A Smithy code generator for Rust: model files in, Rust crates out.
//!
//! The passes, one module each, run in this order:
//!
//! 1. [`model::load`]: JSON AST and IDL text into per-file [`model::Fragment`]s, with spans.
//! 2. [`model::resolve`]: fragments plus the [`model::prelude`] into one checked [`model::Model`].
//! 3. [`select`]: optionally, only some operations and the shapes they reach.
//! 4. [`lower`]: the model into the plain [`ir::Ir`] the emitters need; names fixed once.
//! 5. [`emit`]: the IR into token streams for the types, client and server crates.
//! 6. [`render`]: token streams into formatted source files with an `@generated` header.
//!
//! The first two belong to the Smithy model toolkit, [`model`], which knows nothing of Rust;
//! the rest are the generator, built on it.
//!
//! The library never touches the file system: the caller reads the model files into
//! [`Sources`] and writes the returned [`GeneratedFile`]s (see the `xtask` crate).
#![deny(missing_docs)]

pub mod emit;
pub mod ir;
pub mod lower;
pub mod model;
pub mod naming;
mod parallel;
pub mod reference_data;
pub mod render;
pub mod select;
pub mod traits;

pub use emit::{GeneratedFile, OPERATIONS_PER_CRATE, Options, ShapesCrate};
pub use model::Model;
pub use model::diagnostic::{Diagnostic, Diagnostics, Severity};
pub use model::shape_id::ShapeId;
pub use model::source::{FileId, Sources, Span};

/// Loads and resolves every file of `sources` into one model.
pub fn load(sources: &Sources) -> Result<Model, Diagnostics> {
    let fragments = model::load::load_all(sources)?.fragments;
    model::resolve::resolve(fragments)
}

/// Loads and resolves every file of `sources` into one model, keeping the warnings of both
/// passes: the model and the warnings, or every diagnostic (warnings included) when any is an
/// error.
pub fn load_with_warnings(sources: &Sources) -> Result<(Model, Diagnostics), Diagnostics> {
    let loaded = model::load::load_all(sources)?;
    let mut diagnostics = loaded.warnings;
    match model::resolve::resolve_with_warnings(loaded.fragments) {
        Ok((model, warnings)) => {
            diagnostics.extend(warnings);
            Ok((model, diagnostics))
        }
        Err(errors) => {
            diagnostics.extend(errors);
            Err(diagnostics)
        }
    }
}

/// The result of a successful generation: the files, and any warnings met on the way.
#[derive(Debug)]
pub struct Generated {
    /// The files, paths relative to the output root, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Warnings (unknown traits and the like).
    pub warnings: Diagnostics,
}

/// Lowers a model and emits the crates described by `options`.
pub fn generate(model: &Model, options: &Options) -> Result<Generated, Diagnostics> {
    let (ir, warnings) = lower::lower(model, &options.lower)?;
    let files = emit::emit(&ir, options)?;
    Ok(Generated { files, warnings })
}

//! Load pass, IDL half: Smithy IDL 2.0 (and 1.0) text into a [`Fragment`].
//!
//! Consumes the text of one `.smithy` file; produces the fragment that the JSON AST loader
//! produces for the equivalent JSON AST file (absolute shape ids, a span on every shape and
//! member name), or every error found, each with its place. It works in three steps:
//!
//! 1. `lexer`: text into tokens, strings and text blocks decoded;
//! 2. `parser`: tokens into the syntax tree of `ast`, recovering after syntax errors;
//! 3. `desugar`: the syntax tree into the fragment: shape ids resolved, the IDL's sugar (doc
//!    comments, `= value`, inline input and output, elided targets) turned into the plain model.
//!
//! It never panics and never recurses without bound, whatever the input.

mod ast;
mod desugar;
mod lexer;
mod parser;

use crate::model::Fragment;
use crate::model::diagnostic::Diagnostics;
use crate::model::source::FileId;

/// Parses one IDL file.
pub fn parse(file: FileId, text: &str) -> Result<Fragment, Diagnostics> {
    parse_with_warnings(file, text).map(|(fragment, _)| fragment)
}

/// Parses one IDL file, keeping its warnings: the fragment and the warnings, or every
/// diagnostic when any is an error.
pub fn parse_with_warnings(file: FileId, text: &str) -> Result<(Fragment, Diagnostics), Diagnostics> {
    let tokens = lexer::tokenize(text);
    let (syntax, mut diagnostics) = parser::parse(file, text, tokens);
    // Lowering runs even after syntax errors: shapes that parsed can still have semantic
    // errors worth reporting in the same run.
    let fragment = desugar::desugar(&syntax, &mut diagnostics);
    diagnostics.into_result(fragment)
}

#[cfg(test)]
mod tests;

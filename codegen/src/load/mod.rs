//! Load pass: model files into [`Fragment`]s, one per file.
//!
//! Consumes [`Sources`]; produces one fragment per file with absolute shape ids and spans, or
//! every syntax error of every file. JSON AST files (by extension `.json`, else by a leading
//! `{`) go to [`json`], everything else to [`idl`]. Merging the fragments, the prelude, mixins
//! and `apply` is the next pass, [`crate::resolve`].

pub mod idl;
pub mod json;

use crate::diagnostic::Diagnostics;
use crate::model::Fragment;
use crate::source::Sources;

/// Parses every file, collecting the errors of all of them.
pub fn load_all(sources: &Sources) -> Result<Vec<Fragment>, Diagnostics> {
    let mut fragments = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (id, file) in sources.iter() {
        let parsed = if file.is_json() { json::parse(id, &file.text) } else { idl::parse(id, &file.text) };
        match parsed {
            Ok(fragment) => fragments.push(fragment),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok(fragments) }
}

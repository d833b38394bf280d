//! Load pass: model files into [`Fragment`]s, one per file.
//!
//! Consumes [`Sources`]; produces one fragment per file with absolute shape ids and spans, or
//! every syntax error of every file. JSON AST files (by extension `.json`, else by a leading
//! `{`) go to [`json`], everything else to [`idl`]. Merging the fragments, the prelude, mixins
//! and `apply` is the next pass, [`crate::model::resolve`].

pub mod idl;
pub mod json;

use crate::model::Fragment;
use crate::model::diagnostic::Diagnostics;
use crate::model::source::Sources;

/// What loading every file gives: one fragment per file, in file order, and the warnings met.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// The fragments, one per file.
    pub fragments: Vec<Fragment>,
    /// Warnings of every file, in file order.
    pub warnings: Diagnostics,
}

/// Parses every file, collecting the diagnostics of all of them: the fragments and the
/// warnings, or, when any file has an error, every diagnostic (warnings included).
pub fn load_all(sources: &Sources) -> Result<Loaded, Diagnostics> {
    let mut fragments = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (id, file) in sources.iter() {
        let parsed = if file.is_json() {
            json::parse_with_warnings(id, &file.text)
        } else {
            idl::parse_with_warnings(id, &file.text)
        };
        match parsed {
            Ok((fragment, warnings)) => {
                fragments.push(fragment);
                diagnostics.extend(warnings);
            }
            Err(all) => diagnostics.extend(all),
        }
    }
    diagnostics.into_result(fragments).map(|(fragments, warnings)| Loaded { fragments, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_reach_the_caller() {
        let mut sources = Sources::new();
        sources.add("a.json", r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "string", "trait": {}}}}"#);
        sources.add("b.smithy", "$version: \"2\"\nnamespace b\nstring T\n");
        let loaded = load_all(&sources).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.fragments.len(), 2);
        assert_eq!(loaded.warnings.0.len(), 1, "{}", loaded.warnings);
        assert!(loaded.warnings.0[0].message.contains("unknown property `trait`"));

        let (model, warnings) = crate::load_with_warnings(&sources).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(warnings, loaded.warnings);
        assert!(model.shapes.contains_key(&crate::ShapeId::new("b", "T")));
        assert_eq!(crate::load(&sources), Ok(model));

        // With an error anywhere, every diagnostic comes back, the warnings included.
        sources.add("c.smithy", "namespace c\nstring\n");
        let all = load_all(&sources).unwrap_err();
        assert!(all.has_errors());
        assert!(all.iter().any(|d| d.message.contains("unknown property `trait`")), "{all}");
        let all = crate::load_with_warnings(&sources).unwrap_err();
        assert!(all.iter().any(|d| d.message.contains("unknown property `trait`")), "{all}");
    }
}

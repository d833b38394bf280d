//! Reusing the text of generated files whose code did not change since the last run.
//!
//! Parsing and printing the generated code is three quarters of `cargo xtask codegen`'s time,
//! and after a change to the model or the generator most files come out as before. The
//! generator gives every Rust file a fingerprint of what it is rendered from
//! ([`codegen::render::Fingerprint`]); this module keeps, per output directory, an index of the
//! fingerprint and the text's own fingerprint of every file written, in the target directory.
//! On the next run, a file whose fingerprint is in the index and whose text on disk is still
//! the text written then is read back instead of rendered. Nothing else is trusted: without an
//! index, with a damaged one, or for a file edited since, the file is rendered, so the output is
//! the same bytes either way (`--render-all` renders everything, to time it or to be sure).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use codegen::render::{Fingerprint, Reuse};

/// The first line of an index; another first line (an older layout) makes the index empty.
const FORMAT: &str = "cargo xtask codegen: rendered files, v1";

/// What the last run wrote into one output directory.
#[derive(Debug, Default)]
pub struct Index {
    out_root: PathBuf,
    /// Path (relative to `out_root`) to the fingerprint it was rendered from and that of its text.
    entries: HashMap<String, (Fingerprint, Fingerprint)>,
    /// How many files were reread instead of rendered.
    reread: AtomicUsize,
}

/// Where the index of `out_root` lives: below the target directory, named by the output
/// directory's absolute path.
pub fn location(target: &Path, out_root: &Path) -> PathBuf {
    let absolute = std::path::absolute(out_root).unwrap_or_else(|_| out_root.to_path_buf());
    let name = Fingerprint::of_text(&absolute.to_string_lossy());
    target.join("xtask").join("rendered").join(format!("{name}.txt"))
}

impl Index {
    /// An index that knows nothing: every file is rendered.
    pub fn empty(out_root: &Path) -> Index {
        Index { out_root: out_root.to_path_buf(), entries: HashMap::new(), reread: AtomicUsize::new(0) }
    }

    /// How many files this index has handed back so far.
    pub fn reread(&self) -> usize {
        self.reread.load(Ordering::Relaxed)
    }

    /// The index at `location`, for files below `out_root`; empty when there is none or it
    /// cannot be read. Lines that do not parse are skipped (their files are rendered).
    pub fn load(location: &Path, out_root: &Path) -> Index {
        let mut index = Index::empty(out_root);
        let Ok(text) = std::fs::read_to_string(location) else { return index };
        let mut lines = text.lines();
        if lines.next() != Some(FORMAT) {
            return index;
        }
        for line in lines {
            let mut fields = line.splitn(3, ' ');
            let (Some(tokens), Some(contents), Some(path)) = (fields.next(), fields.next(), fields.next()) else {
                continue;
            };
            if let (Ok(tokens), Ok(contents)) = (tokens.parse(), contents.parse()) {
                index.entries.insert(path.to_owned(), (tokens, contents));
            }
        }
        index
    }

    /// Writes the index of what `generated` holds to `location` (replacing it whole, so that a
    /// run that stops half way leaves the old index or the new one). A file rendered from
    /// the same fingerprint as last time has the same text, whose fingerprint is then known.
    pub fn save(&self, location: &Path, generated: &codegen::Generated) -> Result<()> {
        let mut out = format!("{FORMAT}\n");
        for file in &generated.files {
            let Some(tokens) = generated.fingerprints.get(&file.path) else { continue };
            let contents = match self.entries.get(&file.path) {
                Some((before, contents)) if before == tokens => *contents,
                _ => Fingerprint::of_text(&file.contents),
            };
            out.push_str(&format!("{tokens} {contents} {}\n", file.path));
        }
        let dir = location.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let partial = location.with_extension("partial");
        std::fs::write(&partial, out).with_context(|| format!("writing {}", partial.display()))?;
        std::fs::rename(&partial, location).with_context(|| format!("writing {}", location.display()))
    }
}

impl Reuse for Index {
    fn rendered(&self, path: &str, fingerprint: Fingerprint) -> Option<String> {
        let (tokens, contents) = self.entries.get(path)?;
        if *tokens != fingerprint {
            return None;
        }
        let text = std::fs::read_to_string(self.out_root.join(path)).ok()?;
        if Fingerprint::of_text(&text) != *contents {
            return None;
        }
        self.reread.fetch_add(1, Ordering::Relaxed);
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(files: &[(&str, &str, Fingerprint)]) -> codegen::Generated {
        codegen::Generated {
            files: files
                .iter()
                .map(|(path, contents, _)| codegen::GeneratedFile {
                    path: (*path).to_owned(),
                    contents: (*contents).to_owned(),
                })
                .collect(),
            warnings: codegen::Diagnostics::new(),
            fingerprints: files.iter().map(|(path, _, f)| ((*path).to_owned(), *f)).collect(),
        }
    }

    #[test]
    fn a_file_is_reused_only_while_its_fingerprint_and_its_text_are_unchanged() {
        let dir = std::env::temp_dir().join(format!("xtask-reuse-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("out/a")).unwrap();
        let (one, two) = (Fingerprint::of_text("tokens 1"), Fingerprint::of_text("tokens 2"));
        std::fs::write(dir.join("out/a/x.rs"), "fn x() {}\n").unwrap();
        std::fs::write(dir.join("out/a/y.rs"), "fn y() {}\n").unwrap();
        let location = location(&dir.join("target"), &dir.join("out"));
        Index::empty(&dir.join("out"))
            .save(&location, &generated(&[("a/x.rs", "fn x() {}\n", one), ("a/y.rs", "fn y() {}\n", two)]))
            .unwrap();

        let index = Index::load(&location, &dir.join("out"));
        assert_eq!(index.rendered("a/x.rs", one).as_deref(), Some("fn x() {}\n"));
        assert_eq!(index.reread(), 1);
        // Other tokens, another path, or a file edited since: rendered again.
        assert_eq!(index.rendered("a/x.rs", two), None);
        assert_eq!(index.rendered("a/z.rs", one), None);
        std::fs::write(dir.join("out/a/y.rs"), "fn y() { edited() }\n").unwrap();
        assert_eq!(index.rendered("a/y.rs", two), None);
        assert_eq!(index.reread(), 1);

        // A damaged index is no index.
        std::fs::write(&location, "something else\n").unwrap();
        assert_eq!(Index::load(&location, &dir.join("out")).rendered("a/x.rs", one), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_index_is_per_output_directory() {
        let target = Path::new("/tmp/t");
        assert_ne!(location(target, Path::new("/a/crates")), location(target, Path::new("/b/crates")));
        assert!(location(target, Path::new("/a/crates")).starts_with("/tmp/t/xtask/rendered"));
    }
}

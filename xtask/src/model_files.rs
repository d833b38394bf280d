//! Which files make up a model: the paths given on the command line, directories expanded to
//! every `.smithy` and `.json` file below them (sorted, so the model and any message about it
//! never depend on the order the file system lists a directory in).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Expands `paths`: files are kept as given, directories replaced by the model files below
/// them. A path that does not exist, or a directory with no model file, is an error.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            let before = out.len();
            walk(path, &mut out).with_context(|| format!("listing {}", path.display()))?;
            if out.len() == before {
                bail!("{} holds no model file (`.smithy` or `.json`)", path.display());
            }
        } else {
            out.push(path.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    Ok(out)
}

fn is_model_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "smithy" || e == "json")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_model_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_expand_to_sorted_model_files() {
        let dir = std::env::temp_dir().join(format!("xtask-model-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
        for name in ["b.smithy", "a.json", "notes.md", "sub/c.smithy", "sub/deeper/d.json"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        let extra = dir.join("b.smithy");
        let files = expand(&[dir.clone(), extra]).unwrap();
        let names: Vec<String> =
            files.iter().map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/")).collect();
        assert_eq!(names, ["a.json", "b.smithy", "sub/c.smithy", "sub/deeper/d.json"]);
        let err = expand(&[dir.join("empty")]).unwrap_err().to_string();
        assert!(err.contains("holds no model file"), "{err}");
        assert!(expand(&[dir.join("missing.smithy")]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

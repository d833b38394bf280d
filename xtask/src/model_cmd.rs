//! `cargo xtask model to-json` and `cargo xtask model to-smithy`: a model (IDL or JSON AST
//! files, loaded together) written back out in either form.
//!
//! Invalid input fails with every diagnostic rendered with the model source (`file:line:col`
//! and a caret line), and the process exits with status 1. `--timings` prints how long each
//! step took to stderr.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;

use crate::codegen_cmd::{display_path, workspace_root};

/// Options of `cargo xtask model to-json`.
#[derive(Args, Debug, Clone)]
pub struct ToJsonArgs {
    /// Model files (`.smithy` IDL or `.json` AST) and directories of them, loaded together.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print to stderr how long reading, parsing, resolving and writing took.
    #[arg(long)]
    pub timings: bool,
}

/// Options of `cargo xtask model to-smithy`.
#[derive(Args, Debug, Clone)]
pub struct ToSmithyArgs {
    /// Model files (`.smithy` IDL or `.json` AST) and directories of them, loaded together.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Write one `<namespace>.smithy` file per namespace into DIR instead of printing (needed
    /// when the model spans several namespaces: an IDL file holds one).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Print to stderr how long reading, parsing, resolving and writing took.
    #[arg(long)]
    pub timings: bool,
}

/// How long each step took.
#[derive(Debug, Default)]
struct Timings {
    read: Duration,
    parse: Duration,
    resolve: Duration,
    write: Duration,
}

impl Timings {
    fn report(&self, enabled: bool, model: &codegen::Model) {
        if !enabled {
            return;
        }
        let shapes = model.shapes.keys().filter(|id| !id.is_prelude()).count();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "timings: read {:.1} ms, parse {:.1} ms, resolve {:.1} ms, write {:.1} ms ({shapes} shapes)",
            ms(self.read),
            ms(self.parse),
            ms(self.resolve),
            ms(self.write)
        );
    }
}

/// Reads and loads the files as `codegen::load` does, one step at a time so that each can be
/// timed; diagnostics are rendered with the model source.
fn load(paths: &[PathBuf], timings: &mut Timings) -> Result<codegen::Model> {
    let root = workspace_root();
    let started = Instant::now();
    let mut sources = codegen::Sources::new();
    for path in crate::model_files::expand(paths)? {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        sources.add(display_path(&path, &root), text);
    }
    timings.read = started.elapsed();

    let started = Instant::now();
    let loaded = codegen::model::load::load_all(&sources);
    timings.parse = started.elapsed();
    let fragments =
        loaded.map_err(|d| anyhow!("the model does not load:\n{}", d.render(&sources).trim_end()))?.fragments;

    let started = Instant::now();
    let model = codegen::model::resolve::resolve(fragments);
    timings.resolve = started.elapsed();
    model.map_err(|d| anyhow!("the model does not load:\n{}", d.render(&sources).trim_end()))
}

/// `cargo xtask model to-json`: the JSON AST text.
pub fn to_json(args: &ToJsonArgs) -> Result<String> {
    let mut timings = Timings::default();
    let model = load(&args.files, &mut timings)?;
    let started = Instant::now();
    let json = codegen::model::json_ast::to_json(&model);
    timings.write = started.elapsed();
    timings.report(args.timings, &model);
    Ok(json)
}

/// `cargo xtask model to-smithy`: the IDL text to print, or nothing when the files were
/// written to `--out-dir`.
pub fn to_smithy(args: &ToSmithyArgs) -> Result<Option<String>> {
    let mut timings = Timings::default();
    let model = load(&args.files, &mut timings)?;
    let started = Instant::now();
    let files = codegen::model::idl_writer::to_smithy_files(&model);
    timings.write = started.elapsed();
    timings.report(args.timings, &model);

    let Some(dir) = &args.out_dir else {
        return match codegen::model::idl_writer::to_smithy(&model) {
            Ok(text) => Ok(Some(text)),
            Err(d) => bail!("{}", d.to_string().trim_start_matches("error: ").trim_end()),
        };
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (namespace, text) in files {
        let name = if namespace.is_empty() { "model".to_owned() } else { namespace };
        let path = dir.join(format!("{name}.smithy"));
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(None)
}

/// Loads the files and returns the located errors as the commands render them, or `None`
/// when they load (for tests).
#[cfg(test)]
fn rendered_errors(paths: &[PathBuf]) -> Option<String> {
    load(paths, &mut Timings::default()).err().map(|e| format!("{e:#}"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-model-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    #[test]
    fn invalid_input_is_reported_with_its_place() {
        let dir = temp_dir("invalid");
        let bad =
            write(&dir, "bad.smithy", "$version: \"2\"\nnamespace a\n\nstring A B\n\nstructure C {\n    c String\n}\n");
        let message = rendered_errors(std::slice::from_ref(&bad)).unwrap_or_else(|| panic!("loads"));
        for expected in ["bad.smithy:4:10", "bad.smithy:7:7", "expected a line break", "expected `:`", "^"] {
            assert!(message.contains(expected), "missing {expected:?} in:\n{message}");
        }
        let args = ToJsonArgs { files: vec![bad.clone()], timings: false };
        assert!(to_json(&args).is_err());
        let args = ToSmithyArgs { files: vec![bad], out_dir: None, timings: false };
        assert!(to_smithy(&args).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn to_smithy_prints_one_namespace_and_writes_several() {
        let dir = temp_dir("namespaces");
        let a = write(&dir, "a.smithy", "$version: \"2\"\nnamespace a\nstructure A { b: b#B }\n");
        let b = write(&dir, "b.json", r#"{"smithy": "2.0", "shapes": {"b#B": {"type": "string"}}}"#);
        let one = ToSmithyArgs { files: vec![b.clone()], out_dir: None, timings: true };
        let text = to_smithy(&one).unwrap_or_else(|e| panic!("{e:#}")).unwrap_or_default();
        assert!(text.contains("namespace b\n\nstring B\n"), "{text}");

        let both = ToSmithyArgs { files: vec![a.clone(), b.clone()], out_dir: None, timings: false };
        let err = to_smithy(&both).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("2 namespaces") && err.contains("--out-dir"), "{err}");

        let out = dir.join("out");
        let both = ToSmithyArgs { files: vec![a, b], out_dir: Some(out.clone()), timings: false };
        assert!(to_smithy(&both).unwrap_or_else(|e| panic!("{e:#}")).is_none());
        let written = vec![out.join("a.smithy"), out.join("b.smithy")];
        let json = to_json(&ToJsonArgs { files: written, timings: false }).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(json.contains("\"b#B\"") && json.contains("\"a#A\""), "{json}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

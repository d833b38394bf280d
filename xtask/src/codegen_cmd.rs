//! `cargo xtask codegen`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;

use crate::files::{self, GENERATED_MARKER};
use crate::reuse;

/// The model the workspace's crates are generated from.
pub const DEFAULT_MODEL: &str = "model/connect.smithy";
/// Its JSON AST twin, kept fresh by `cargo xtask codegen`.
pub const DEFAULT_MODEL_JSON: &str = "model/connect.json";

/// Options of `cargo xtask codegen`.
#[derive(Args, Debug, Default, Clone)]
pub struct CodegenArgs {
    /// Write nothing; fail listing every file that is out of date.
    #[arg(long)]
    pub check: bool,
    /// The model: `.smithy` IDL and `.json` AST files (official AWS models included) and
    /// directories, whose `.smithy` and `.json` files are all loaded; several paths load together.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub model: Vec<PathBuf>,
    /// The service to generate, by shape id (`ns#Name`) or name, when the model has several.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Generate only these operations (comma-separated) and the shapes they reach.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub operations: Vec<String>,
    /// Write the crates to DIR as a workspace of their own, instead of into `crates/`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The crate name prefix (default: the service's sdkId, e.g. `connect`).
    #[arg(long, value_name = "NAME")]
    pub crate_prefix: Option<String>,
    /// How many operations one crate holds, on average, in a service large enough to have its
    /// shapes in a crate of their own: more are split into groups of crates that compile side by side
    /// (`codegen::Options::operations_per_crate`; default 150). Fewer per crate suit machines
    /// with more cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub operations_per_crate: Option<u16>,
    /// Render every file again, instead of rereading those whose code did not change since the
    /// last run (the output is the same bytes; this is for timing, or for doubt).
    #[arg(long)]
    pub render_all: bool,
}

/// The workspace root (the directory above `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The cargo target directory: `CARGO_TARGET_DIR` (relative to `root` when relative), else
/// `root/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    if target.is_absolute() { target } else { root.join(target) }
}

/// Loads model files (directories expanded), rendering diagnostics with their source on
/// failure. The sources are returned so that later diagnostics can be shown with the model text
/// too.
pub fn load(paths: &[PathBuf], root: &Path) -> Result<(codegen::Model, codegen::Sources)> {
    let mut sources = codegen::Sources::new();
    for path in crate::model_files::expand(paths)? {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        sources.add(display_path(&path, root), text);
    }
    match codegen::load(&sources) {
        Ok(model) => Ok((model, sources)),
        Err(d) => Err(anyhow!("the model does not load:\n{}", d.render(&sources).trim_end())),
    }
}

/// A path relative to the workspace root when it is inside it, for messages and headers.
pub fn display_path(path: &Path, root: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match absolute.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

/// `cargo xtask codegen`.
pub fn run(args: &CodegenArgs) -> Result<()> {
    let started = Instant::now();
    let root = workspace_root();
    let default_model = args.model.is_empty();
    let model_paths = if default_model { vec![root.join(DEFAULT_MODEL)] } else { args.model.clone() };
    let model_display = model_paths.iter().map(|p| display_path(p, &root)).collect::<Vec<_>>().join(" ");
    let (mut model, sources) = load(&model_paths, &root)?;
    let json_twin = default_model.then(|| codegen::model::json_ast::to_json(&model));
    let service = choose_service(&model, args.service.as_deref())?;
    if !args.operations.is_empty() {
        model = codegen::select::select(&model, &service, &args.operations)
            .map_err(|d| anyhow!("{}", d.render(&sources).trim_end()))?;
    }
    let options = codegen::Options {
        model_path: model_display.clone(),
        crate_prefix: args.crate_prefix.clone(),
        lower: codegen::lower::LowerOptions { service: Some(service.clone()) },
        operations_per_crate: args.operations_per_crate.map_or(codegen::OPERATIONS_PER_CRATE, usize::from),
        ..codegen::Options::default()
    };
    let out_root = match &args.out {
        Some(dir) => dir.clone(),
        None => root.join("crates"),
    };
    // What the last run into `out_root` rendered, to reread instead of rendering again.
    let index_path = reuse::location(&target_dir(&root), &out_root);
    let index =
        if args.render_all { reuse::Index::empty(&out_root) } else { reuse::Index::load(&index_path, &out_root) };
    let generated = codegen::generate_reusing(&model, &options, &index)
        .map_err(|d| anyhow!("cannot generate code from {model_display}:\n{}", d.render(&sources).trim_end()))?;
    if !generated.warnings.is_empty() {
        eprint!("{}", generated.warnings.render(&sources));
    }

    let mut files: Vec<(PathBuf, String)> =
        generated.files.iter().map(|f| (out_root.join(&f.path), f.contents.clone())).collect();
    let crate_dirs: Vec<String> = generated
        .files
        .iter()
        .filter(|f| f.path.ends_with("/Cargo.toml"))
        .filter_map(|f| f.path.split('/').next().map(str::to_owned))
        .collect();
    let owned: Vec<PathBuf> = crate_dirs.iter().map(|c| out_root.join(c)).collect();
    if let Some(json) = json_twin {
        files.push((root.join(DEFAULT_MODEL_JSON), json));
    }
    if args.out.is_some() {
        files.push((out_root.join("Cargo.toml"), standalone_manifest(&root, &model_display, &crate_dirs)?));
        if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
            // The same versions as this workspace, so the crates build as they do here.
            files.push((out_root.join("Cargo.lock"), lock));
        }
    }

    let outcome = files::ensure(&files, &owned, args.check)?;
    if !args.check
        && let Err(e) = index.save(&index_path, &generated)
    {
        // The files are written; without the index the next run renders every file.
        eprintln!("warning: {e:#}; the next run will render every file again");
    }
    let rel = |p: &PathBuf| display_path(p, &root);
    if args.check {
        if outcome.changed.is_empty() && outcome.stale.is_empty() {
            return Ok(());
        }
        let mut message = String::from("generated files are out of date:\n");
        for p in &outcome.changed {
            message.push_str(&format!("  stale: {}\n", rel(p)));
        }
        for p in &outcome.stale {
            message.push_str(&format!("  no longer generated: {}\n", rel(p)));
        }
        message.push_str("run `cargo xtask codegen` to update them");
        bail!(message);
    }
    // A line per file while they can be read; past that, how many went where.
    const LIST_AT_MOST: usize = 50;
    if outcome.changed.len() <= LIST_AT_MOST {
        for p in &outcome.changed {
            eprintln!("wrote {}", rel(p));
        }
    } else {
        eprintln!("wrote {} files under {}", outcome.changed.len(), rel(&out_root));
    }
    if outcome.stale.len() <= LIST_AT_MOST {
        for p in &outcome.stale {
            eprintln!("removed {}", rel(p));
        }
    } else {
        eprintln!("removed {} files no longer generated under {}", outcome.stale.len(), rel(&out_root));
    }
    eprintln!(
        "generated {} files for {} operations from {model_display} in {:.2?} ({} changed; {} of {} Rust files reread, \
         their code unchanged)",
        generated.files.len(),
        count_operations(&model, &service),
        started.elapsed(),
        outcome.changed.len() + outcome.stale.len(),
        index.reread(),
        generated.fingerprints.len(),
    );
    Ok(())
}

fn count_operations(model: &codegen::Model, service: &codegen::ShapeId) -> usize {
    model.operations_of(service).len()
}

/// The service to generate: the one `wanted` names (a shape id, or a name that is unique), or
/// the model's only service. Several services and no choice is an error that lists them.
pub fn choose_service(model: &codegen::Model, wanted: Option<&str>) -> Result<codegen::ShapeId> {
    let services: Vec<&codegen::ShapeId> = model.services().into_iter().map(|s| &s.id).collect();
    let list = || services.iter().map(|s| format!("  {s}")).collect::<Vec<_>>().join("\n");
    match wanted {
        Some(wanted) => {
            let found: Vec<&&codegen::ShapeId> =
                services.iter().filter(|s| s.to_string() == wanted || s.name() == wanted).collect();
            match found.as_slice() {
                [one] => Ok((**one).clone()),
                [] => bail!("the model has no service `{wanted}`; its services are:\n{}", list()),
                _ => bail!("`{wanted}` names several services; give the shape id of one:\n{}", list()),
            }
        }
        None => match services.as_slice() {
            [one] => Ok((*one).clone()),
            [] => bail!("the model has no service shape: a service lists the operations to generate"),
            _ => bail!("the model has {} services; choose one with `--service ID`:\n{}", services.len(), list()),
        },
    }
}

/// The `Cargo.toml` of a workspace of generated crates outside this repository: the package
/// settings, lints and dependency versions of this workspace, with the runtime crate as a path
/// dependency back here.
pub fn standalone_manifest(root: &Path, model: &str, members: &[String]) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).context("reading the workspace Cargo.toml")?;
    let manifest: toml::Table = text.parse().context("parsing the workspace Cargo.toml")?;
    let workspace = manifest
        .get("workspace")
        .and_then(toml::Value::as_table)
        .ok_or_else(|| anyhow!("the root Cargo.toml has no [workspace]"))?;
    let mut deps = toml::Table::new();
    let all_deps = workspace.get("dependencies").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    for name in ["smithy-runtime", "proptest", "tokio"] {
        let Some(dep) = all_deps.get(name) else { continue };
        let mut dep = dep.clone();
        if let Some(table) = dep.as_table_mut()
            && let Some(path) = table.get("path").and_then(toml::Value::as_str)
        {
            let absolute = root.join(path).canonicalize().with_context(|| format!("finding {path}"))?;
            table.insert("path".into(), toml::Value::String(absolute.to_string_lossy().into_owned()));
        }
        deps.insert(name.into(), dep);
    }
    let mut ws = toml::Table::new();
    ws.insert("resolver".into(), toml::Value::String("3".into()));
    ws.insert("members".into(), toml::Value::Array(members.iter().map(|m| toml::Value::String(m.clone())).collect()));
    for key in ["package", "lints"] {
        if let Some(v) = workspace.get(key) {
            ws.insert(key.into(), v.clone());
        }
    }
    ws.insert("dependencies".into(), toml::Value::Table(deps));
    let mut out = toml::Table::new();
    out.insert("workspace".into(), toml::Value::Table(ws));
    Ok(format!(
        "# {GENERATED_MARKER} from {model}; do not edit.\n{}\n{}",
        toml::to_string(&out)?,
        built_like_dependencies(members)
    ))
}

/// Profile overrides that compile the generated crates the way cargo compiles a crate from a
/// registry: without incremental compilation. Their sources change only when they are
/// generated again, so the incremental caches that cargo writes for a workspace member cost a
/// fifth of a whole service's debug build (measured on the whole Connect model) and are seldom
/// read. An app that keeps the crates in its own workspace can copy these lines.
pub fn built_like_dependencies(members: &[String]) -> String {
    let mut text = String::from(
        "# Generated crates change only when generated again: built without incremental caches,\n\
         # as cargo builds a crate from a registry (README: \"What a whole service costs to compile\").\n",
    );
    for member in members {
        text.push_str(&format!("[profile.dev.package.{member}]\nincremental = false\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standalone_workspace_builds_its_crates_without_incremental_caches() {
        let members = ["acme-types".to_owned(), "acme-client".to_owned()];
        let text = standalone_manifest(&workspace_root(), "acme.smithy", &members).unwrap();
        let manifest: toml::Table = text.parse().unwrap();
        let packages = &manifest["profile"]["dev"]["package"];
        for member in &members {
            assert_eq!(packages[member.as_str()]["incremental"].as_bool(), Some(false), "{member} in\n{text}");
        }
        assert_eq!(
            manifest["workspace"]["members"].as_array().map(Vec::len),
            Some(2),
            "the members are listed too:\n{text}"
        );
    }
}

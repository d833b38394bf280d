//! `cargo xtask`: the project's automation, a thin front end over the `codegen` library.
//!
//! - `cargo xtask codegen` regenerates `crates/connect-{types,client,server}` (and
//!   `model/connect.json`) from `model/connect.smithy`; `--check` writes nothing and fails
//!   listing every stale file.
//! - `cargo xtask model to-json FILE...` prints a model as Smithy JSON AST, and
//!   `cargo xtask model to-smithy FILE...` as Smithy IDL 2.0 (see `model_cmd`).
//! - `cargo xtask bench [--quick]` measures build, call, server and generator cost against
//!   the peers, side by side (see `bench` and BENCHMARKS.md).
//!
//! The library does the work; this binary reads files, renders diagnostics with the model
//! source, and writes (or checks) the results.

mod bench;
mod codegen_cmd;
mod files;
mod model_cmd;
mod model_files;
mod protocol_tests;
mod reuse;

use std::process::ExitCode;

/// Generation allocates millions of small token and syntax nodes on every core; mimalloc takes
/// about 0.4 s off the whole Connect model's 1.1 s (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project automation for the Smithy code generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the types, client and server crates from a Smithy model.
    Codegen(codegen_cmd::CodegenArgs),
    /// Work with model files.
    Model {
        #[command(subcommand)]
        command: ModelCommand,
    },
    /// Measure build, call, server and generator cost against the peers (BENCHMARKS.md).
    Bench(bench::BenchArgs),
    /// Generate, build and run Smithy's restJson1 protocol compliance tests.
    ProtocolTests(protocol_tests::ProtocolTestsArgs),
}

#[derive(Subcommand)]
enum ModelCommand {
    /// Print the model (IDL or JSON AST files, loaded together) as Smithy JSON AST.
    ToJson(model_cmd::ToJsonArgs),
    /// Print the model (IDL or JSON AST files, loaded together) as Smithy IDL 2.0.
    ToSmithy(model_cmd::ToSmithyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen_cmd::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::ProtocolTests(args) => protocol_tests::run(&args),
        Command::Model { command: ModelCommand::ToJson(args) } => model_cmd::to_json(&args).map(|json| {
            print!("{json}");
        }),
        Command::Model { command: ModelCommand::ToSmithy(args) } => model_cmd::to_smithy(&args).map(|text| {
            if let Some(text) = text {
                print!("{text}");
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::codegen_cmd::{CodegenArgs, run};

    /// Every file below `dir`, by path.
    fn contents(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
        let mut out = std::collections::BTreeMap::new();
        let mut dirs = vec![dir.to_path_buf()];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    out.insert(path.clone(), std::fs::read(&path).unwrap());
                }
            }
        }
        out
    }

    /// Regenerating rereads the files the last run wrote (`reuse.rs`): the output must be the
    /// bytes a full rendering gives, and a file edited by hand must still be found stale and
    /// rewritten.
    #[test]
    fn regenerating_in_place_gives_the_bytes_of_a_full_rendering() {
        let out = std::env::temp_dir().join("xtask-regenerating-in-place");
        let _ = std::fs::remove_dir_all(&out);
        let args = CodegenArgs { out: Some(out.clone()), ..CodegenArgs::default() };
        run(&CodegenArgs { render_all: true, ..args.clone() }).unwrap();
        let rendered = contents(&out);

        run(&args).unwrap();
        assert_eq!(contents(&out), rendered);

        let edited = out.join("connect-types/src/generated/types/_credentials.rs");
        let text = std::fs::read_to_string(&edited).unwrap();
        std::fs::write(&edited, text.replace("pub struct", "pub(crate) struct")).unwrap();
        let check = run(&CodegenArgs { check: true, ..args.clone() }).unwrap_err().to_string();
        assert!(
            check.contains("stale:") && check.contains("connect-types/src/generated/types/_credentials.rs"),
            "{check}"
        );
        run(&args).unwrap();
        assert_eq!(contents(&out), rendered);
        let _ = std::fs::remove_dir_all(&out);
    }

    /// `cargo test` alone catches generated code that is out of date with the model or the
    /// generator.
    #[test]
    fn generated_code_is_fresh() {
        let args = CodegenArgs { check: true, ..CodegenArgs::default() };
        if let Err(e) = run(&args) {
            panic!("{e:#}");
        }
    }
}

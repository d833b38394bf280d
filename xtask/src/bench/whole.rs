//! The `whole` section: the whole official Amazon Connect model (282 operations) generated and
//! compiled, beside `aws-sdk-connect` 1.92.0, the SDK release generated from the same model
//! (the same 282 operations and the same shapes; `crates/bench/apps/sdk-whole`).
//!
//! What is timed is the service's own crates, their dependencies already built: a fresh build of
//! `connect-client` and every generated crate below it (the shapes, the operation groups' types
//! and client crates, `connect-types`) against one of the `aws-sdk-connect` crate, in release and
//! in debug (what `cargo test` pays), interleaved round by round, with the peak memory of the
//! largest process (rustc on the biggest crate). Each side's first build, from an empty target
//! directory, is reported too: the cold build with dependencies, one sample.
//!
//! Our client compiles each operation's request writing and response reading where the
//! operation is called (`compiled_where_called` in the generator), as both clients already do
//! with each operation's `async fn send`. So each round also builds the service crates again
//! with an app that calls every operation (`every-operation`, written here for both sides), from
//! that app's own workspace: what the rare app that uses the whole service pays.
//!
//! Both sides compile the service's crates without incremental caches: cargo never keeps them
//! for a crate from a registry (the SDK), and the generated workspace and the app turn them off
//! for the generated crates (`codegen_cmd::built_like_dependencies`, as the README tells apps).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::{Bench, Stats, cargo_with_peak_rss, count_lines, peak_rss_kib};

/// The two sides of the comparison.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Ours,
    Sdk,
}

/// A cargo profile, as `cargo build` is told it.
#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Release,
    Debug,
}

impl Profile {
    fn args(self) -> &'static [&'static str] {
        match self {
            Profile::Release => &["--release"],
            Profile::Debug => &[],
        }
    }

    fn clean_args(self) -> &'static [&'static str] {
        match self {
            Profile::Release => &["--release"],
            Profile::Debug => &["--profile", "dev"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Debug => "debug",
        }
    }
}

/// One timed build.
struct Build {
    wall: f64,
    peak_rss_mib: Option<f64>,
}

struct Sides {
    /// The generated workspace.
    ours: PathBuf,
    /// Its crates that `connect-client` is built from (all but the server), once generated.
    ours_crates: Vec<String>,
    sdk_manifest: PathBuf,
    targets: PathBuf,
    /// The `every-operation` apps, one directory per side.
    apps: PathBuf,
}

/// What a timed build compiles.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// The service's crates (the SDK crate on its side).
    Service,
    /// The service's crates again and an app that calls every operation, built as that app's
    /// author builds them: from the app's own workspace.
    EveryOperation,
}

impl Sides {
    fn manifest(&self, side: Side, part: Part) -> PathBuf {
        match (side, part) {
            (Side::Ours, Part::Service) => self.ours.join("Cargo.toml"),
            (Side::Sdk, Part::Service) => self.sdk_manifest.clone(),
            (_, Part::EveryOperation) => self.app_dir(side).join("Cargo.toml"),
        }
    }

    fn app_dir(&self, side: Side) -> PathBuf {
        self.apps.join(match side {
            Side::Ours => "ours",
            Side::Sdk => "sdk",
        })
    }

    /// Writes each side's `every-operation` app: a binary whose `main` could start every
    /// operation of the service (it never does: it is only compiled), so that each operation's
    /// `send` and what it calls are compiled in the app. `operations` are the operations'
    /// method names on the client, the same on both sides.
    fn write_apps(&self, operations: &[String]) -> Result<()> {
        let sdk_lock = self.sdk_manifest.with_file_name("Cargo.lock");
        let sides = [
            (
                Side::Ours,
                format!("connect-client = {{ path = {:?} }}", self.ours.join("connect-client")),
                "connect_client::Client::from_conf(connect_client::Config::builder().build())",
                self.ours.join("Cargo.lock"),
            ),
            (
                Side::Sdk,
                // The sdk-whole app's own name and dependency, so that its lock file applies as is.
                "aws-sdk-connect = \"=1.92.0\"".to_owned(),
                "aws_sdk_connect::Client::from_conf(aws_sdk_connect::Config::builder().behavior_version(aws_sdk_connect::config::BehaviorVersion::latest()).build())",
                sdk_lock,
            ),
        ];
        for (side, dependency, client, lock) in sides {
            let dir = self.app_dir(side);
            std::fs::create_dir_all(dir.join("src"))?;
            let name = if side == Side::Sdk { "app-sdk-whole" } else { "every-operation" };
            // The profile lines the README gives an app that keeps our crates as path
            // dependencies (the SDK, from the registry, is built that way already).
            let profile = match side {
                Side::Ours => crate::codegen_cmd::built_like_dependencies(&self.ours_crates),
                Side::Sdk => String::new(),
            };
            std::fs::write(
                dir.join("Cargo.toml"),
                format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                     [workspace]\n\n[dependencies]\n{dependency}\n\n{profile}"
                ),
            )?;
            std::fs::copy(&lock, dir.join("Cargo.lock")).with_context(|| format!("copying {}", lock.display()))?;
            // Each call's future polled once by a generic function: one small future per
            // operation (one `async fn` awaiting them all would be a single coroutine of 282
            // states, which took rustc 83 s where 282 small ones take 10 s).
            let mut main = String::from(
                "/// Polls a call once, so that its future (the operation's code) is compiled here.\n\
                 fn compile<F: std::future::Future>(call: F) {\n    \
                 let mut call = std::pin::pin!(call);\n    \
                 let _ = call.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop()));\n\
                 }\n\n",
            );
            write!(main, "fn main() {{\n    if std::env::args().len() > 99 {{\n        let client = {client};\n")?;
            for op in operations {
                writeln!(main, "        compile(client.{op}().send());")?;
            }
            main.push_str("    }\n}\n");
            std::fs::write(dir.join("src/main.rs"), main)?;
        }
        Ok(())
    }

    fn target(&self, side: Side) -> PathBuf {
        self.targets.join(match side {
            Side::Ours => "ours",
            Side::Sdk => "sdk",
        })
    }

    /// The packages whose build is timed, as `-p` arguments.
    fn packages(&self, side: Side, part: Part) -> Vec<String> {
        let mut names: Vec<&str> = match side {
            // The whole model's shapes and operation groups have crates of their own
            // (`codegen::ShapesCrate`, `codegen::Options::operations_per_crate`).
            Side::Ours => self.ours_crates.iter().map(String::as_str).collect(),
            Side::Sdk => vec!["aws-sdk-connect"],
        };
        if part == Part::EveryOperation {
            names.push(if side == Side::Sdk { "app-sdk-whole" } else { "every-operation" });
        }
        names.iter().flat_map(|n| ["-p".to_owned(), (*n).to_owned()]).collect()
    }

    /// What a side's timed crates are called in the report.
    fn label(&self, side: Side) -> String {
        match side {
            Side::Ours => self.ours_crates.join(" + "),
            Side::Sdk => "aws-sdk-connect 1.92.0".to_owned(),
        }
    }

    /// `cargo build` of one side, timed, with the peak resident set of its largest process.
    fn build(&self, side: Side, profile: Profile, part: Part) -> Result<Build> {
        let time_file = self.targets.join("time.txt");
        let mut cmd = cargo_with_peak_rss(&time_file);
        cmd.arg("build").args(profile.args());
        if part == Part::Service {
            cmd.args(self.packages(side, part));
        }
        cmd.arg("--manifest-path")
            .arg(self.manifest(side, part))
            .env("CARGO_TARGET_DIR", self.target(side))
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if side == Side::Sdk {
            cmd.arg("--locked");
        }
        let start = Instant::now();
        let output = cmd.output().context("running cargo build")?;
        let wall = start.elapsed().as_secs_f64();
        if !output.status.success() {
            bail!(
                "{} build of {} failed:\n{}",
                profile.name(),
                self.label(side),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let peak_rss_mib = peak_rss_kib(&time_file).map(|kib| kib as f64 / 1024.0);
        Ok(Build { wall, peak_rss_mib })
    }

    /// Removes the timed packages' artifacts, so that the next build compiles them (and only
    /// them) again.
    fn clean(&self, side: Side, profile: Profile, part: Part) -> Result<()> {
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .arg("clean")
            .args(profile.clean_args())
            .args(self.packages(side, part))
            .arg("--manifest-path")
            .arg(self.manifest(side, part))
            .env("CARGO_TARGET_DIR", self.target(side))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("cargo clean of {} failed", self.label(side));
        }
        Ok(())
    }
}

impl Bench {
    pub(super) fn whole_cost(&self) -> Result<String> {
        let Some(model) = codegen::reference_data::path("models/connect-2017-08-08.json").filter(|p| p.is_file())
        else {
            bail!("the official Connect model was not found (set CONNECT_SHARED_DIR)");
        };
        let xtask = self.release_xtask()?;
        let base = self.target.join("bench").join("whole");
        let mut sides = Sides {
            ours: base.join("generated"),
            ours_crates: Vec::new(),
            sdk_manifest: self.app_manifest("sdk-whole"),
            targets: base.join("targets"),
            apps: base.join("every-operation"),
        };
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&sides.targets)?;

        // Generation: once into an empty directory, then regenerating in place, timed: as a
        // maintainer's run does (rereading the files whose code did not change), and rendering
        // every file again (`--render-all`).
        let generate = |render_all: bool| -> Result<f64> {
            let start = Instant::now();
            let output = Command::new(&xtask)
                .current_dir(&self.root)
                .args(["codegen", "--model"])
                .arg(&model)
                .arg("--out")
                .arg(&sides.ours)
                .args(render_all.then_some("--render-all"))
                .output()?;
            if !output.status.success() {
                bail!("xtask codegen failed:\n{}", String::from_utf8_lossy(&output.stderr));
            }
            Ok(start.elapsed().as_secs_f64())
        };
        generate(true)?;
        let (mut generation, mut rendering_all) = (Vec::new(), Vec::new());
        for _ in 0..self.rounds(5, 2) {
            generation.push(generate(false)?);
            rendering_all.push(generate(true)?);
        }
        let mut crates: Vec<String> = std::fs::read_dir(&sides.ours)?
            .flatten()
            .filter(|e| e.path().join("Cargo.toml").is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name != "connect-server")
            .collect();
        crates.sort();
        sides.ours_crates = crates;
        let lines = sides.ours_crates.iter().map(|c| count_lines(&sides.ours.join(c))).sum::<usize>();
        let mut operations: Vec<String> = std::fs::read_dir(sides.ours.join("connect-client/src/generated/operation"))?
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".rs").map(str::to_owned))
            .collect();
        operations.sort();
        sides.write_apps(&operations)?;

        let status = self.cargo().args(["fetch", "--locked", "--manifest-path"]).arg(&sides.sdk_manifest).status()?;
        if !status.success() {
            bail!("cargo fetch for the sdk-whole app failed");
        }
        let profiles = [Profile::Release, Profile::Debug];
        let both = [Side::Ours, Side::Sdk];
        // The first build of each side and profile, from an empty target directory: the cold
        // build with dependencies. It also leaves the dependencies built for the timed rounds.
        let mut cold = Vec::new();
        for profile in profiles {
            for side in both {
                eprintln!("whole service, cold {} build with dependencies: {}…", profile.name(), sides.label(side));
                cold.push((profile, side, sides.build(side, profile, Part::Service)?));
            }
        }
        let mut runs: Vec<(Profile, Side, Build)> = Vec::new();
        let mut app_runs: Vec<(Profile, Side, Build)> = Vec::new();
        for round in 1..=self.rounds(3, 1) {
            for profile in profiles {
                for side in both {
                    eprintln!("whole service, round {round}, {} build: {}…", profile.name(), sides.label(side));
                    sides.clean(side, profile, Part::Service)?;
                    runs.push((profile, side, sides.build(side, profile, Part::Service)?));
                    sides.clean(side, profile, Part::EveryOperation)?;
                    app_runs.push((profile, side, sides.build(side, profile, Part::EveryOperation)?));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&sides.targets);

        let mut out =
            String::from("### The whole Amazon Connect service: generated, and compiled beside aws-sdk-connect\n\n");
        writeln!(
            out,
            "The official model (282 operations) generated by the release xtask, and its {} ({lines} lines \
             of Rust) built beside `aws-sdk-connect` 1.92.0, the SDK release \
             generated from the same model (282 operations, the same shapes). Each timed build compiles the \
             service's own crates only, their dependencies already built; {} round(s), interleaved. Peak memory \
             is the largest single process's resident set (rustc on the biggest crate), from `/usr/bin/time`. \
             The cold build with dependencies (an empty target directory) is one sample per side.\n",
            sides.ours_crates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" + "),
            self.rounds(3, 1)
        )?;
        writeln!(
            out,
            "Generation, regenerating in place ({} rounds): {} s; rendering every file again (`--render-all`): {} s.\n",
            generation.len(),
            Stats::of(&generation).fmt(2),
            Stats::of(&rendering_all).fmt(2)
        )?;
        out.push_str("| build | connect (the crates above): wall s (min / median / max) | peak MiB | aws-sdk-connect 1.92.0: wall s | peak MiB | ratio of medians |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        let mut ratios = Vec::new();
        let mut app_ratios = Vec::new();
        for profile in profiles {
            let pick = |runs: &[(Profile, Side, Build)], side: Side| -> (Stats, Stats) {
                let of = |f: fn(&Build) -> Option<f64>| {
                    Stats::of(
                        &runs
                            .iter()
                            .filter(|(p, s, _)| *p == profile && *s == side)
                            .filter_map(|(_, _, b)| f(b))
                            .collect::<Vec<_>>(),
                    )
                };
                (of(|b| Some(b.wall)), of(|b| b.peak_rss_mib))
            };
            let (ours, ours_rss) = pick(&runs, Side::Ours);
            let (sdk, sdk_rss) = pick(&runs, Side::Sdk);
            let ratio = ours.median / sdk.median;
            ratios.push(format!("{:.2}× in {}", ratio, profile.name()));
            writeln!(
                out,
                "| {} (service crates only) | {} | {:.0} | {} | {:.0} | **{ratio:.2}×** |",
                profile.name(),
                ours.fmt(1),
                ours_rss.median,
                sdk.fmt(1),
                sdk_rss.median
            )?;
            let (ours_app, ours_app_rss) = pick(&app_runs, Side::Ours);
            let (sdk_app, sdk_app_rss) = pick(&app_runs, Side::Sdk);
            let app_ratio = ours_app.median / sdk_app.median;
            app_ratios.push(format!("{app_ratio:.2}× in {}", profile.name()));
            writeln!(
                out,
                "| {} (service crates + an app calling all {} operations) | {} | {:.0} | {} | {:.0} | {app_ratio:.2}× |",
                profile.name(),
                operations.len(),
                ours_app.fmt(1),
                ours_app_rss.median,
                sdk_app.fmt(1),
                sdk_app_rss.median
            )?;
        }
        for profile in profiles {
            let find = |side: Side| cold.iter().find(|(p, s, _)| *p == profile && *s == side).map(|(_, _, b)| b);
            if let (Some(ours), Some(sdk)) = (find(Side::Ours), find(Side::Sdk)) {
                writeln!(
                    out,
                    "| {} cold, with dependencies | {:.1} | {:.0} | {:.1} | {:.0} | {:.2}× |",
                    profile.name(),
                    ours.wall,
                    ours.peak_rss_mib.unwrap_or(f64::NAN),
                    sdk.wall,
                    sdk.peak_rss_mib.unwrap_or(f64::NAN),
                    ours.wall / sdk.wall
                )?;
            }
        }
        writeln!(
            out,
            "\nService crates, connect / aws-sdk-connect: {}; with an app calling every operation: {}.",
            ratios.join(", "),
            app_ratios.join(", ")
        )?;
        Ok(out)
    }
}

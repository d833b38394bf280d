//! The `whole` section: the whole official Amazon Connect model (282 operations) generated and
//! compiled, beside `aws-sdk-connect` 1.92.0, the SDK release generated from the same model
//! (the same 282 operations and the same shapes; `crates/bench/apps/sdk-whole`).
//!
//! What is timed is the service's own crates, their dependencies already built: a fresh build of
//! `connect-types` + `connect-client` against one of the `aws-sdk-connect` crate, in release and
//! in debug (what `cargo test` pays), interleaved round by round, with the peak memory of the
//! largest process (rustc on the biggest crate). Each side's first build, from an empty target
//! directory, is reported too: the cold build with dependencies, one sample.

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
    sdk_manifest: PathBuf,
    targets: PathBuf,
}

impl Sides {
    fn manifest(&self, side: Side) -> PathBuf {
        match side {
            Side::Ours => self.ours.join("Cargo.toml"),
            Side::Sdk => self.sdk_manifest.clone(),
        }
    }

    fn target(&self, side: Side) -> PathBuf {
        self.targets.join(match side {
            Side::Ours => "ours",
            Side::Sdk => "sdk",
        })
    }

    /// The packages whose build is timed, as `-p` arguments.
    fn packages(side: Side) -> &'static [&'static str] {
        match side {
            Side::Ours => &["-p", "connect-types", "-p", "connect-client"],
            Side::Sdk => &["-p", "aws-sdk-connect"],
        }
    }

    /// `cargo build` of one side, timed, with the peak resident set of its largest process.
    fn build(&self, side: Side, profile: Profile) -> Result<Build> {
        let time_file = self.targets.join("time.txt");
        let mut cmd = cargo_with_peak_rss(&time_file);
        cmd.arg("build")
            .args(profile.args())
            .args(Self::packages(side))
            .arg("--manifest-path")
            .arg(self.manifest(side))
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
            bail!("{} build of {} failed:\n{}", profile.name(), side.label(), String::from_utf8_lossy(&output.stderr));
        }
        let peak_rss_mib = peak_rss_kib(&time_file).map(|kib| kib as f64 / 1024.0);
        Ok(Build { wall, peak_rss_mib })
    }

    /// Removes the timed packages' artifacts, so that the next build compiles them (and only
    /// them) again.
    fn clean(&self, side: Side, profile: Profile) -> Result<()> {
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .arg("clean")
            .args(profile.clean_args())
            .args(Self::packages(side))
            .arg("--manifest-path")
            .arg(self.manifest(side))
            .env("CARGO_TARGET_DIR", self.target(side))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("cargo clean of {} failed", side.label());
        }
        Ok(())
    }
}

impl Side {
    fn label(self) -> &'static str {
        match self {
            Side::Ours => "connect-types + connect-client",
            Side::Sdk => "aws-sdk-connect 1.92.0",
        }
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
        let sides = Sides {
            ours: base.join("generated"),
            sdk_manifest: self.app_manifest("sdk-whole"),
            targets: base.join("targets"),
        };
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&sides.targets)?;

        // Generation: once into an empty directory, then regenerating in place, timed.
        let generate = || -> Result<f64> {
            let start = Instant::now();
            let output = Command::new(&xtask)
                .current_dir(&self.root)
                .args(["codegen", "--model"])
                .arg(&model)
                .arg("--out")
                .arg(&sides.ours)
                .output()?;
            if !output.status.success() {
                bail!("xtask codegen failed:\n{}", String::from_utf8_lossy(&output.stderr));
            }
            Ok(start.elapsed().as_secs_f64())
        };
        generate()?;
        let mut generation = Vec::new();
        for _ in 0..self.rounds(5, 2) {
            generation.push(generate()?);
        }
        let lines = count_lines(&sides.ours.join("connect-types")) + count_lines(&sides.ours.join("connect-client"));

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
                eprintln!("whole service, cold {} build with dependencies: {}…", profile.name(), side.label());
                cold.push((profile, side, sides.build(side, profile)?));
            }
        }
        let mut runs: Vec<(Profile, Side, Build)> = Vec::new();
        for round in 1..=self.rounds(3, 1) {
            for profile in profiles {
                for side in both {
                    eprintln!("whole service, round {round}, {} build: {}…", profile.name(), side.label());
                    sides.clean(side, profile)?;
                    runs.push((profile, side, sides.build(side, profile)?));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&sides.targets);

        let mut out =
            String::from("### The whole Amazon Connect service: generated, and compiled beside aws-sdk-connect\n\n");
        writeln!(
            out,
            "The official model (282 operations) generated by the release xtask, and its `connect-types` + \
             `connect-client` ({lines} lines of Rust) built beside `aws-sdk-connect` 1.92.0, the SDK release \
             generated from the same model (282 operations, the same shapes). Each timed build compiles the \
             service's own crates only, their dependencies already built; {} round(s), interleaved. Peak memory \
             is the largest single process's resident set (rustc on the biggest crate), from `/usr/bin/time`. \
             The cold build with dependencies (an empty target directory) is one sample per side.\n",
            self.rounds(3, 1)
        )?;
        writeln!(
            out,
            "Generation, regenerating in place ({} rounds): {} s.\n",
            generation.len(),
            Stats::of(&generation).fmt(2)
        )?;
        out.push_str("| build | connect-types + connect-client: wall s (min / median / max) | peak MiB | aws-sdk-connect 1.92.0: wall s | peak MiB | ratio of medians |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        let mut ratios = Vec::new();
        for profile in profiles {
            let pick = |side: Side| -> (Stats, Stats) {
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
            let (ours, ours_rss) = pick(Side::Ours);
            let (sdk, sdk_rss) = pick(Side::Sdk);
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
        writeln!(out, "\nService crates, connect / aws-sdk-connect: {}.", ratios.join(", "))?;
        Ok(out)
    }
}

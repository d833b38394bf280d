//! `cargo xtask bench`: every figure of BENCHMARKS.md, measured side by side in one run.
//!
//! On a shared, noisy machine only ratios measured together mean anything, so each pair runs
//! interleaved (A B A B …, or A B B A … where a pair takes turns going first) and is reported as
//! min / median / max with the ratio of medians.
//! The sections:
//!
//! - `build`: cold `cargo build --release` (a fresh target directory each time, the registry
//!   already downloaded) of the same minimal app on `connect-client`, on `aws-sdk-connect` +
//!   `aws-config`, and on bare reqwest + serde (the floor): wall time, peak memory of the
//!   largest process, crates compiled, stripped binary size. The apps are in
//!   `crates/bench/apps/`.
//! - `client`: calls/s and CPU per call of `connect-client` and `aws-sdk-connect` against the
//!   same local server (the bare axum peer, in its own process), sequential and at
//!   concurrency 32.
//! - `server`: requests/s and p50/p99 latency of the mock binary and of a bare axum handler
//!   returning the same JSON, under the bench crate's load generator, at concurrency 1, 16, 64.
//! - `codegen`: `xtask codegen` (a release build, not counting its compilation) on
//!   `model/connect.smithy` and on the whole official Connect model.
//! - `micro`: the criterion benchmarks in `crates/bench/benches/hot_paths.rs`.
//! - `whole`: the whole official Connect model generated, and its types and client crates
//!   compiled (release and debug, with peak memory) beside the `aws-sdk-connect` release made
//!   from the same model; see [`whole`]. It takes about half an hour; `--only whole` runs it
//!   alone.
//!
//! The report (Markdown) is printed and written to `target/bench/report.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::codegen_cmd::workspace_root;

mod whole;

/// One part of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Section {
    Build,
    Client,
    Server,
    Codegen,
    Micro,
    Whole,
}

#[derive(clap::Args, Debug, Default)]
pub struct BenchArgs {
    /// A short run: fewer rounds and shorter measurements (for trying the command out; the
    /// figures in BENCHMARKS.md come from a full run).
    #[arg(long)]
    pub quick: bool,
    /// Only these sections (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Section>,
    /// Rounds of each interleaved pair (default: 3 for builds, 5 for the rest; 1 and 2 with
    /// --quick).
    #[arg(long)]
    pub rounds: Option<usize>,
}

/// Where things are, and how long to measure.
struct Bench {
    root: PathBuf,
    /// The main workspace's target directory.
    target: PathBuf,
    /// The bench crate's own target directory (its tools and criterion's results).
    tools: PathBuf,
    quick: bool,
    rounds: Option<usize>,
}

pub fn run(args: &BenchArgs) -> Result<()> {
    let root = workspace_root();
    let target = crate::codegen_cmd::target_dir(&root);
    let bench = Bench { tools: target.join("bench-tools"), root, target, quick: args.quick, rounds: args.rounds };
    let sections: Vec<Section> = if args.only.is_empty() {
        vec![Section::Build, Section::Client, Section::Server, Section::Codegen, Section::Micro, Section::Whole]
    } else {
        args.only.clone()
    };

    let mut report = String::new();
    writeln!(report, "## Run of {}\n", shell_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]))?;
    writeln!(report, "{}\n", machine())?;
    let command = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    writeln!(report, "Command: `cargo xtask {command}`\n")?;

    if sections.iter().any(|s| matches!(s, Section::Client | Section::Server)) {
        bench.build_tools()?;
    }
    for section in sections {
        let text = match section {
            Section::Build => bench.build_cost()?,
            Section::Client => bench.client_cost()?,
            Section::Server => bench.server_cost()?,
            Section::Codegen => bench.codegen_cost()?,
            Section::Micro => bench.micro()?,
            Section::Whole => bench.whole_cost()?,
        };
        println!("{text}");
        report.push_str(&text);
        report.push('\n');
    }
    let out = bench.target.join("bench").join("report.md");
    std::fs::create_dir_all(out.parent().unwrap_or(&bench.target))?;
    std::fs::write(&out, &report)?;
    eprintln!("report written to {}", out.display());
    Ok(())
}

impl Bench {
    /// Rounds of a section: `--rounds`, else `full`, or `quick` with --quick.
    fn rounds(&self, full: usize, quick: usize) -> usize {
        self.rounds.unwrap_or(if self.quick { quick } else { full })
    }

    fn seconds(&self) -> &'static str {
        if self.quick { "1" } else { "5" }
    }

    fn cargo(&self) -> Command {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(&self.root).env("CARGO_TERM_COLOR", "never");
        cmd
    }

    /// The bench crate, a member of `crates/aws-sdk-compat`'s workspace: cargo builds this
    /// package alone from it, with that workspace's `Cargo.lock` and release profile, into
    /// `tools` (set explicitly: that workspace's default target directory would be under
    /// `crates/aws-sdk-compat`).
    fn bench_manifest(&self) -> PathBuf {
        self.root.join("crates/bench/Cargo.toml")
    }

    /// Release builds of the load generator, the client driver, the bare axum peer and the
    /// mock binary.
    fn build_tools(&self) -> Result<()> {
        eprintln!("building the benchmark tools (release)…");
        let status = self
            .cargo()
            .args(["build", "--release", "--locked", "--bins", "--manifest-path"])
            .arg(self.bench_manifest())
            .env("CARGO_TARGET_DIR", &self.tools)
            .status()?;
        if !status.success() {
            bail!("building crates/bench failed");
        }
        let status = self
            .cargo()
            .args(["build", "--release", "--locked", "-p", "connect-mock", "--bin", "connect-mock"])
            .status()?;
        if !status.success() {
            bail!("building the mock binary failed");
        }
        Ok(())
    }

    fn tool(&self, name: &str) -> PathBuf {
        self.tools.join("release").join(name)
    }

    fn build_cost(&self) -> Result<String> {
        let apps =
            [("ours", "connect-client"), ("sdk", "aws-sdk-connect + aws-config"), ("floor", "reqwest + serde (floor)")];
        for (app, _) in apps {
            // Downloads are not build time: fetch first.
            let status =
                self.cargo().args(["fetch", "--locked", "--manifest-path"]).arg(self.app_manifest(app)).status()?;
            if !status.success() {
                bail!("cargo fetch for the {app} app failed");
            }
        }
        let mut results: BTreeMap<&str, Vec<BuildRun>> = BTreeMap::new();
        for round in 1..=self.rounds(3, 1) {
            for (app, _) in apps {
                eprintln!("build cost, round {round}: {app}…");
                results.entry(app).or_default().push(self.cold_build(app)?);
            }
        }
        let mut out = String::from("### Build cost: cold `cargo build --release` of a minimal app\n\n");
        writeln!(
            out,
            "{} round(s), interleaved; a fresh target directory each time, the registry already downloaded. \
             Peak memory is the largest single process's resident set (rustc or the linker), from `/usr/bin/time`.\n",
            self.rounds(3, 1)
        )?;
        out.push_str(
            "| app | wall s (min / median / max) | peak RSS MiB (median) | crates compiled | stripped binary KiB |\n",
        );
        out.push_str("| --- | --- | --- | --- | --- |\n");
        for (app, label) in apps {
            let runs = &results[app];
            let wall: Vec<f64> = runs.iter().map(|r| r.wall).collect();
            let rss: Vec<f64> = runs.iter().filter_map(|r| r.peak_rss_kib).map(|k| k as f64 / 1024.0).collect();
            writeln!(
                out,
                "| {label} | {} | {} | {} | {} |",
                Stats::of(&wall).fmt(1),
                if rss.is_empty() { "n/a".to_owned() } else { format!("{:.0}", Stats::of(&rss).median) },
                runs[0].crates,
                runs[0].stripped_bytes / 1024
            )?;
        }
        let median = |app: &str| Stats::of(&results[app].iter().map(|r| r.wall).collect::<Vec<_>>()).median;
        writeln!(
            out,
            "\nMedian wall-time ratio: aws-sdk-connect / connect-client = **{:.1}×**; connect-client / floor = {:.1}×.",
            median("sdk") / median("ours"),
            median("ours") / median("floor")
        )?;
        Ok(out)
    }

    fn app_manifest(&self, app: &str) -> PathBuf {
        self.root.join("crates/bench/apps").join(app).join("Cargo.toml")
    }

    fn cold_build(&self, app: &str) -> Result<BuildRun> {
        let dir = self.target.join("bench-build").join(app);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let time_file = dir.join("time.txt");
        let mut cmd = cargo_with_peak_rss(&time_file);
        cmd.current_dir(&self.root)
            .args(["build", "--release", "--locked", "--manifest-path"])
            .arg(self.app_manifest(app))
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let start = Instant::now();
        let output = cmd.output()?;
        let wall = start.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("cold build of the {app} app failed:\n{stderr}");
        }
        let crates = stderr.lines().filter(|l| l.trim_start().starts_with("Compiling ")).count();
        let peak_rss_kib = peak_rss_kib(&time_file);
        let binary = dir.join("target/release").join(format!("app-{app}"));
        let stripped = dir.join("stripped");
        std::fs::copy(&binary, &stripped).with_context(|| format!("no binary at {}", binary.display()))?;
        let status = Command::new("strip").arg(&stripped).status().context("running strip")?;
        if !status.success() {
            bail!("strip failed on {}", stripped.display());
        }
        let stripped_bytes = std::fs::metadata(&stripped)?.len();
        let _ = std::fs::remove_dir_all(&dir);
        Ok(BuildRun { wall, peak_rss_kib, crates, stripped_bytes })
    }

    fn client_cost(&self) -> Result<String> {
        let server = Server::start(self.tool("bare-axum"), &[])?;
        let mut out = String::from("### Client call cost: a signed call, sent and parsed, against a local server\n\n");
        writeln!(
            out,
            "{} round(s) of {} s each, interleaved (the two take turns going first); the server is the bare axum peer in its own process; CPU is the client process's user + system time.\n",
            self.rounds(5, 2),
            self.seconds()
        )?;
        out.push_str("| concurrency | client | calls/s (min / median / max) | CPU µs per call (median) |\n");
        out.push_str("| --- | --- | --- | --- |\n");
        let mut ratios = Vec::new();
        for concurrency in ["1", "32"] {
            let runs = in_turns(["ours", "sdk"], self.rounds(5, 2), |client, round| {
                eprintln!("client cost, concurrency {concurrency}, round {round}: {client}…");
                let v = run_json(Command::new(self.tool("client-calls")).args([
                    client,
                    &server.url,
                    concurrency,
                    self.seconds(),
                ]))?;
                if v["errors"].as_u64() != Some(0) {
                    bail!("client-calls {client} had errors: {v}");
                }
                Ok(v)
            })?;
            let mut medians = BTreeMap::new();
            for (client, label) in [("ours", "connect-client"), ("sdk", "aws-sdk-connect")] {
                let rate = Stats::of(&field(&runs[client], "calls_per_s"));
                let cpu = Stats::of(&field(&runs[client], "cpu_us_per_call"));
                writeln!(out, "| {concurrency} | {label} | {} | {:.0} |", rate.fmt(0), cpu.median)?;
                medians.insert(client, (rate.median, cpu.median));
            }
            ratios.push(format!(
                "at concurrency {concurrency}, connect-client makes {:.2}× the calls/s of aws-sdk-connect with {:.2}× its CPU per call",
                medians["ours"].0 / medians["sdk"].0,
                medians["ours"].1 / medians["sdk"].1
            ));
        }
        writeln!(out, "\nMedian ratios: {}.", ratios.join("; "))?;
        Ok(out)
    }

    fn server_cost(&self) -> Result<String> {
        let mock = Server::start(self.target.join("release/connect-mock"), &["--port", "0"])?;
        let axum = Server::start(self.tool("bare-axum"), &[])?;
        let mut out = String::from("### Server cost: the mock binary against a bare axum handler\n\n");
        writeln!(
            out,
            "{} round(s) of {} s each, interleaved (the two take turns going first); `GET /user/federate/i-1` with a SigV4-shaped `Authorization` header, \
             one keep-alive connection per worker of the bench crate's load generator, on loopback. \
             The mock runs as shipped: it models users, makes fresh random tokens, records each request and logs a line for it to stdout, a pipe that the bench reads and discards.\n",
            self.rounds(5, 2),
            self.seconds()
        )?;
        out.push_str(
            "| concurrency | server | requests/s (min / median / max) | p50 µs (median) | p99 µs (median) |\n",
        );
        out.push_str("| --- | --- | --- | --- | --- |\n");
        let mut ratios = Vec::new();
        for concurrency in ["1", "16", "64"] {
            let runs = in_turns(["mock", "axum"], self.rounds(5, 2), |name, round| {
                eprintln!("server cost, concurrency {concurrency}, round {round}: {name}…");
                let server = if name == "mock" { &mock } else { &axum };
                let url = format!("{}/user/federate/i-1", server.url);
                let v = run_json(Command::new(self.tool("loadgen")).args([&url, concurrency, self.seconds()]))?;
                if v["errors"].as_u64() != Some(0) {
                    bail!("the load generator saw errors from the {name} server: {v}");
                }
                Ok(v)
            })?;
            let mut medians = BTreeMap::new();
            for (name, label) in [("mock", "connect-mock"), ("axum", "bare axum")] {
                let rps = Stats::of(&field(&runs[name], "rps"));
                let p50 = Stats::of(&field(&runs[name], "p50_us"));
                let p99 = Stats::of(&field(&runs[name], "p99_us"));
                writeln!(out, "| {concurrency} | {label} | {} | {:.0} | {:.0} |", rps.fmt(0), p50.median, p99.median)?;
                medians.insert(name, (rps.median, p99.median));
            }
            ratios.push(format!(
                "{:.2} and {:.2} at concurrency {concurrency}",
                medians["mock"].0 / medians["axum"].0,
                medians["mock"].1 / medians["axum"].1
            ));
        }
        writeln!(out, "\nMedian ratios, mock / bare axum, of requests/s and of p99: {}.", ratios.join("; "))?;
        Ok(out)
    }

    /// Builds the release xtask, the generator the benchmarks time.
    fn release_xtask(&self) -> Result<PathBuf> {
        eprintln!("building xtask (release)…");
        let status = self.cargo().args(["build", "--release", "--locked", "-p", "xtask"]).status()?;
        if !status.success() {
            bail!("building xtask failed");
        }
        Ok(self.target.join("release/xtask"))
    }

    fn codegen_cost(&self) -> Result<String> {
        let xtask = self.release_xtask()?;
        let whole = codegen::reference_data::path("models/connect-2017-08-08.json").filter(|p| p.is_file());
        let out_dir = self.target.join("bench").join("codegen-out");
        let mut models: Vec<(String, Vec<String>)> = vec![("`model/connect.smithy` (1 operation)".to_owned(), vec![])];
        if let Some(whole) = &whole {
            models.push((
                "official `connect-2017-08-08.json`, every operation".to_owned(),
                vec!["--model".to_owned(), whole.display().to_string()],
            ));
        }
        // Each also with every file rendered again, not reread (`--render-all`).
        let rendering_all: Vec<(String, Vec<String>)> = models
            .iter()
            .map(|(name, extra)| {
                (format!("{name}, `--render-all`"), extra.iter().cloned().chain(["--render-all".to_owned()]).collect())
            })
            .collect();
        models.extend(rendering_all);
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); models.len()];
        let mut summaries = vec![String::new(); models.len()];
        // Each model into a directory of its own, written once before the timed rounds: a
        // round is what a maintainer's `cargo xtask codegen` does, generating everything and
        // comparing it with the files on disk. Creating thousands of files afresh measures the
        // file system more than the generator (on this machine it adds 0.1 to 1.5 s, varying
        // with the write-back of earlier runs).
        let _ = std::fs::remove_dir_all(&out_dir);
        let run = |i: usize, extra: &[String]| -> Result<(f64, String)> {
            let dir = out_dir.join(i.to_string());
            let start = Instant::now();
            let output = Command::new(&xtask)
                .current_dir(&self.root)
                .arg("codegen")
                .args(extra)
                .arg("--out")
                .arg(&dir)
                .output()?;
            let elapsed = start.elapsed().as_secs_f64();
            if !output.status.success() {
                bail!("xtask codegen failed:\n{}", String::from_utf8_lossy(&output.stderr));
            }
            // "generated N files for K operations from M in T (C changed)": the counts.
            let stderr = String::from_utf8_lossy(&output.stderr);
            let line = stderr.lines().find(|l| l.starts_with("generated ")).unwrap_or_default();
            let counts = line.split(" from ").next().unwrap_or_default();
            Ok((elapsed, format!("{counts}, {} lines of Rust", count_lines(&dir))))
        };
        for (i, (_, extra)) in models.iter().enumerate() {
            run(i, extra)?;
        }
        for round in 1..=self.rounds(5, 2) {
            for (i, (name, extra)) in models.iter().enumerate() {
                eprintln!("codegen cost, round {round}: {name}…");
                let (elapsed, summary) = run(i, extra)?;
                times[i].push(elapsed);
                summaries[i] = summary;
            }
        }
        let _ = std::fs::remove_dir_all(&out_dir);
        let mut out = String::from(
            "### Generator cost: `xtask codegen` (release build, not counting its compilation)\n\nEach round generates everything and compares it with the output of the previous round on disk, as a maintainer's `cargo xtask codegen` does: rereading the files whose code did not change, or, with `--render-all`, rendering every file again.\n\n",
        );
        out.push_str("| model | wall s (min / median / max) | output |\n| --- | --- | --- |\n");
        for (i, (name, _)) in models.iter().enumerate() {
            writeln!(out, "| {name} | {} | {} |", Stats::of(&times[i]).fmt(2), summaries[i])?;
        }
        if whole.is_none() {
            out.push_str(
                "\nThe official model was not found (set CONNECT_SHARED_DIR): only the small model was measured.\n",
            );
        }
        Ok(out)
    }

    fn micro(&self) -> Result<String> {
        let criterion_dir = self.tools.join("criterion");
        let _ = std::fs::remove_dir_all(&criterion_dir);
        let mut cmd = self.cargo();
        cmd.args(["bench", "--locked", "--bench", "hot_paths", "--manifest-path"])
            .arg(self.bench_manifest())
            .env("CARGO_TARGET_DIR", &self.tools)
            // Criterion's own output goes to stderr with the progress lines; stdout is the report.
            .stdout(std::io::stderr())
            .arg("--");
        if self.quick {
            cmd.args(["--warm-up-time", "1", "--measurement-time", "2"]);
        }
        let status = cmd.status()?;
        if !status.success() {
            bail!("cargo bench failed");
        }
        let mut rows = Vec::new();
        collect_estimates(&criterion_dir, &mut rows)?;
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::from("### Hot paths (criterion, `crates/bench/benches/hot_paths.rs`)\n\n");
        out.push_str(
            "| benchmark | time per iteration (95% confidence interval) | median of samples |\n| --- | --- | --- |\n",
        );
        for (id, estimate, low, high, median) in rows {
            writeln!(out, "| {id} | **{}** ({} – {}) | {} |", nanos(estimate), nanos(low), nanos(high), nanos(median))?;
        }
        Ok(out)
    }
}

struct BuildRun {
    wall: f64,
    peak_rss_kib: Option<u64>,
    crates: usize,
    stripped_bytes: u64,
}

/// A server process for the duration of a section; its output is drained (the mock logs a
/// line per request) and it is killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(binary: PathBuf, args: &[&str]) -> Result<Server> {
        let mut child = Command::new(&binary)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut out = BufReader::new(child.stdout.take().context("no stdout")?);
        let mut first = String::new();
        if out.read_line(&mut first)? == 0 {
            bail!("the server printed nothing");
        }
        let url = first.split_whitespace().last().filter(|u| u.starts_with("http://")).map(str::to_owned);
        let Some(url) = url else {
            let _ = child.kill();
            bail!("{} printed `{}`, not its URL", binary.display(), first.trim_end());
        };
        // The rest (the mock's line per request) is read and thrown away in large reads, as a
        // file or a log collector would take it: splitting it into lines here would cost the
        // machine's two cores more than the mock spends writing it.
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 20];
            while matches!(out.read(&mut buf), Ok(n) if n > 0) {}
        });
        Ok(Server { child, url })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cargo`, run under GNU time (when the machine has it) so that [`peak_rss_kib`] can read the
/// peak resident set of its largest process from `time_file` afterwards.
fn cargo_with_peak_rss(time_file: &Path) -> Command {
    let _ = std::fs::remove_file(time_file);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    if Path::new("/usr/bin/time").exists() {
        let mut cmd = Command::new("/usr/bin/time");
        cmd.arg("-f").arg("%M").arg("-o").arg(time_file).arg(cargo);
        cmd
    } else {
        Command::new(cargo)
    }
}

/// The peak resident set in KiB that [`cargo_with_peak_rss`] recorded, if any.
fn peak_rss_kib(time_file: &Path) -> Option<u64> {
    std::fs::read_to_string(time_file).ok().and_then(|t| t.trim().lines().last()?.parse().ok())
}

fn run_json(cmd: &mut Command) -> Result<serde_json::Value> {
    let output = cmd.stderr(Stdio::inherit()).output()?;
    if !output.status.success() {
        bail!("{cmd:?} failed");
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).with_context(|| format!("{cmd:?} printed `{stdout}`"))
}

/// `rounds` rounds of a measurement of each of a pair, `run(name, round)`, each of the two going
/// first in every other round, so that neither always runs right after the other's load (on a
/// machine still busy with it, or warmed by it); the results by name, in round order.
fn in_turns<'a>(
    pair: [&'a str; 2],
    rounds: usize,
    mut run: impl FnMut(&'a str, usize) -> Result<serde_json::Value>,
) -> Result<BTreeMap<&'a str, Vec<serde_json::Value>>> {
    let mut runs: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    for round in 1..=rounds {
        let mut order = pair;
        if round % 2 == 0 {
            order.reverse();
        }
        for name in order {
            let v = run(name, round)?;
            runs.entry(name).or_default().push(v);
        }
    }
    Ok(runs)
}

fn field(runs: &[serde_json::Value], name: &str) -> Vec<f64> {
    runs.iter().filter_map(|v| v[name].as_f64()).collect()
}

/// Minimum, median and maximum of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stats {
    min: f64,
    median: f64,
    max: f64,
}

impl Stats {
    fn of(values: &[f64]) -> Stats {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return Stats { min: f64::NAN, median: f64::NAN, max: f64::NAN };
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
        Stats { min: v[0], median, max: v[n - 1] }
    }

    fn fmt(&self, decimals: usize) -> String {
        format!("{:.d$} / **{:.d$}** / {:.d$}", self.min, self.median, self.max, d = decimals)
    }
}

/// `(id, estimate, its 95% lower bound, upper bound, median)` in nanoseconds, from criterion's
/// `new/estimates.json` and `new/benchmark.json` files.
fn collect_estimates(dir: &Path, rows: &mut Vec<(String, f64, f64, f64, f64)>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") {
            let read = |name: &str| -> Result<serde_json::Value> {
                Ok(serde_json::from_str(&std::fs::read_to_string(path.join(name))?)?)
            };
            let (Ok(estimates), Ok(benchmark)) = (read("estimates.json"), read("benchmark.json")) else { continue };
            let id = benchmark["full_id"].as_str().unwrap_or("?").to_owned();
            // Criterion's headline figure: the slope of the linear samples, else the mean.
            let headline = if estimates["slope"].is_object() { &estimates["slope"] } else { &estimates["mean"] };
            let number = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
            let ci = &headline["confidence_interval"];
            rows.push((
                id,
                number(&headline["point_estimate"]),
                number(&ci["lower_bound"]),
                number(&ci["upper_bound"]),
                number(&estimates["median"]["point_estimate"]),
            ));
        } else {
            collect_estimates(&path, rows)?;
        }
    }
    Ok(())
}

fn nanos(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn count_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                count_lines(&path)
            } else if path.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&path).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// The machine, as far as a benchmark reader needs it.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| "?".to_owned(), |kib| format!("{:.0}", kib / 1024.0 / 1024.0));
    format!(
        "Machine: {model}, {cores} cores available, {mem_gib} GiB; {}; {}; Linux {}.",
        shell_line("rustc", &["-V"]),
        shell_line("cargo", &["-V"]),
        shell_line("uname", &["-r"])
    )
}

fn shell_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_are_min_median_max() {
        assert_eq!(Stats::of(&[3.0, 1.0, 2.0]), Stats { min: 1.0, median: 2.0, max: 3.0 });
        assert_eq!(Stats::of(&[4.0, 1.0, 2.0, 3.0]).median, 2.5);
        assert!(Stats::of(&[]).median.is_nan());
        assert_eq!(Stats::of(&[1.0, f64::NAN]).max, 1.0);
    }

    #[test]
    fn a_pair_takes_turns_going_first() {
        let mut order = Vec::new();
        let runs = in_turns(["a", "b"], 3, |name, round| {
            order.push(format!("{name}{round}"));
            Ok(serde_json::json!(order.len()))
        })
        .unwrap();
        assert_eq!(order, ["a1", "b1", "b2", "a2", "a3", "b3"]);
        // Each side's results in round order.
        assert_eq!(runs["a"], [1, 4, 5]);
        assert_eq!(runs["b"], [2, 3, 6]);
        let failed = in_turns(["a", "b"], 2, |name, _| if name == "b" { bail!("no") } else { Ok(1.into()) });
        assert!(failed.is_err());
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(nanos(512.0), "512 ns");
        assert_eq!(nanos(1_500.0), "1.50 µs");
        assert_eq!(nanos(2_000_000.0), "2.00 ms");
    }
}

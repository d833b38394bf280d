#!/usr/bin/env bash
# Fuzzing for a bounded time: the IDL and JSON AST loaders of `codegen`, the generated server's
# request handling and the generated client's response parsing (cargo-fuzz and libFuzzer;
# the targets are in fuzz/fuzz_targets/, their code in fuzz/src/).
#
#   bash fuzz/run.sh                      # every target, 60 s each
#   FUZZ_SECONDS=600 bash fuzz/run.sh idl # one target, longer
#
# 1. installs cargo-fuzz (pinned, `cargo install --locked`, into the target directory) unless
#    `cargo fuzz` is already that version;
# 2. builds the targets;
# 3. replays every input under fuzz/regressions/<target>/ (crashes found before: each must
#    now pass);
# 4. fuzzes each target for FUZZ_SECONDS (default 60), starting from fuzz/seeds/<target>/ and a
#    scratch corpus kept under the target directory (minimised after each run).
# It fails if any input crashes (a panic, an abort, a stack overflow, a timeout or running
# out of memory), printing the input's path and the panic. To keep a crash as a regression
# test, copy the printed input to fuzz/regressions/<target>/.
#
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_TIMEOUT (seconds one input may
# take, default 10), FUZZ_SANITIZER (none, the default, or address), FUZZ_TARGET_DIR (default
# the cargo target directory's `fuzz/` subdirectory, where the build, cargo-fuzz, the scratch
# corpora and the crash inputs go).
#
# Stable Rust: cargo-fuzz passes rustc only stable `-C` flags (the SanitizerCoverage pass and
# its LLVM options) and `--cfg fuzzing`, except for `-Zsanitizer=...`, the one nightly flag,
# which stable rustc refuses ("the option `Z` is only accepted on the nightly compiler").
# Hence `--sanitizer none` by default: no nightly flag, no RUSTC_BOOTSTRAP. The project and its
# generated crates forbid `unsafe`, so AddressSanitizer would watch only dependencies, at a
# third (the loaders) to a tenth (server, client) of the executions per second; what is looked
# for here is panics, overflows (`--debug-assertions` turns on overflow checks) and unbounded
# recursion. `FUZZ_SANITIZER=address` still works on stable
# (its runtime ships with the standard library): the script then sets RUSTC_BOOTSTRAP=1,
# which makes stable rustc accept `-Z` flags.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

cargo_fuzz_version=0.13.2
all_targets=(idl json_ast server_request client_response)
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
sanitizer=${FUZZ_SANITIZER:-none}
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

# The fuzz build has its own flags (instrumentation, release with debug assertions): a
# directory of its own, under whatever target directory is in use, so that it neither
# rebuilds nor is rebuilt by the main workspace's builds.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}/fuzz}"
export CARGO_INCREMENTAL=0
work="$CARGO_TARGET_DIR/run"
mkdir -p "$work"

flags=(--fuzz-dir fuzz --sanitizer "$sanitizer" --debug-assertions)
if [ "$sanitizer" != none ]; then
    export RUSTC_BOOTSTRAP=1
fi

step() { echo; echo "=== fuzz: $* ==="; }

step "cargo-fuzz $cargo_fuzz_version"
tools="$CARGO_TARGET_DIR/tools"
export PATH="$tools/bin:$PATH"
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $cargo_fuzz_version" ]; then
    # Built in a temporary directory that cargo removes, installed beside the fuzz build.
    env -u CARGO_TARGET_DIR cargo install cargo-fuzz --locked --version "=$cargo_fuzz_version" --root "$tools"
fi
cargo fuzz --version

step "build (sanitizer: $sanitizer)"
# cargo-fuzz has no `--locked`: check fuzz/Cargo.lock first, as the main workspace's CI does.
if ! cargo fetch --manifest-path fuzz/Cargo.toml --locked; then
    echo "error: fuzz/Cargo.lock is out of date (a crate it builds changed its dependencies);" \
        "update it with: cargo metadata --manifest-path fuzz/Cargo.toml --format-version 1 >/dev/null" >&2
    exit 1
fi
cargo fuzz build "${flags[@]}"

failed=()

# Prints where a failing run left its input and what the panic said, from libFuzzer's log.
report() {
    local target=$1 log=$2 input=$3
    echo
    if grep -q "failed to build fuzz script" "$log"; then
        echo "error: fuzz target $target did not build"
        grep -E -A6 "^error" "$log" | head -40 || true
        return
    fi
    echo "error: fuzz target $target crashed on $input"
    grep -E -A4 "panicked at|has overflowed its stack|ERROR: libFuzzer|ALARM: working|out-of-memory" "$log" \
        | grep -v -E '^ *[0-9]+: |^ +at ' | head -20 || true
    # The backtrace's frames in the repository's own code (paths relative to it).
    if grep -q -E '^ +at \./(codegen|crates|fuzz|xtask)/' "$log"; then
        echo "frames in the repository:"
        grep -B1 -E '^ +at \./(codegen|crates|fuzz|xtask)/' "$log" | grep -v '^--$' | head -16 || true
    fi
    echo "(whole log: $log)"
}

step "replay fuzz/regressions"
shopt -s nullglob
replayed=0
for dir in fuzz/regressions/*/; do
    target=$(basename "$dir")
    for input in "$dir"*; do
        [ -f "$input" ] || continue
        replayed=$((replayed + 1))
        log="$work/replay-$target-$(basename "$input").log"
        if cargo fuzz run "${flags[@]}" "$target" "$input" -- -timeout="$timeout" >"$log" 2>&1; then
            echo "ok: $input"
        else
            report "$target" "$log" "$input"
            failed+=("$input")
        fi
    done
done
echo "$replayed inputs replayed"

for target in "${targets[@]}"; do
    step "$target for ${seconds}s"
    corpus="$work/corpus/$target"
    artifacts="$work/artifacts/$target"
    log="$work/$target.log"
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    # The first directory is the scratch corpus, where libFuzzer writes what it finds; the
    # others are only read: the committed seeds and, as extra seeds, the repository's models.
    dirs=("$corpus" "fuzz/seeds/$target")
    case $target in
        idl) extra=(codegen/tests/fixtures); dict=idl ;;
        json_ast) extra=(model); dict=json_ast ;;
        *) extra=(); dict=http ;;
    esac
    for d in "${extra[@]}"; do
        if [ -d "$d" ]; then dirs+=("$d"); fi
    done
    if cargo fuzz run "${flags[@]}" "$target" "${dirs[@]}" -- \
        -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
        -dict="fuzz/dicts/$dict.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
        >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::new_units_added' "$log" || true
        # Keeps only the inputs that add coverage (seconds), so that the scratch corpus, kept for
        # the next run, does not grow without bound.
        before=$(find "$corpus" -type f | wc -l)
        cargo fuzz cmin "${flags[@]}" "$target" "$corpus" -- -timeout="$timeout" >"$work/$target.cmin.log" 2>&1 \
            || echo "warning: could not minimise $corpus (see $work/$target.cmin.log)"
        echo "corpus: $before inputs, $(find "$corpus" -type f | wc -l) after minimising"
    else
        input=$(find "$artifacts" -type f | head -1)
        report "$target" "$log" "${input:-(no input saved)}"
        failed+=("${input:-$target}")
    fi
done

# `cargo fuzz run` makes fuzz/artifacts/<target>/ even though the artifacts go elsewhere.
rmdir fuzz/artifacts/* fuzz/artifacts 2>/dev/null || true

echo
if [ ${#failed[@]} -gt 0 ]; then
    echo "error: fuzzing failed on:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "=== fuzz: no crashes ==="

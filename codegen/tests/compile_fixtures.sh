#!/usr/bin/env bash
# Generates the crates of the kitchen-sink fixture (every feature the snapshot fixtures cover,
# in one service) as a standalone workspace, then lints them with clippy under -D warnings and
# runs their tests, the generated JSON round-trip property tests included, and the hand-written
# end-to-end tests of `codegen/tests/kitchen_sink_e2e/` (the client against the server).
#
# Usage: codegen/tests/compile_fixtures.sh OUT_DIR
#
# The crates go to OUT_DIR/kitchen-sink. Set CARGO_TARGET_DIR to share a target directory
# with other builds (the generated workspace otherwise builds into OUT_DIR/kitchen-sink/target).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)/kitchen-sink"
fixture="codegen/tests/fixtures/kitchen_sink.smithy"

started=$SECONDS
echo "generating $fixture into $out"
(cd "$repo" && cargo run -q -p xtask -- codegen --model "$fixture" --out "$out")

cd "$out"
echo "cargo clippy --all-targets -- -D warnings (in $out)"
cargo clippy --all-targets -- -D warnings
echo "cargo test (in $out)"
cargo test

# The generated client against the generated server (paginators), with the same dependency
# versions as the workspace.
e2e="$out/kitchen-sink-e2e"
rm -rf "$e2e"
cp -r "$repo/codegen/tests/kitchen_sink_e2e" "$e2e"
cp "$out/Cargo.lock" "$e2e/Cargo.lock"
echo "cargo test (in $e2e)"
(cd "$e2e" && cargo clippy --all-targets -- -D warnings && cargo test)
echo "kitchen sink: generated, linted and tested in $((SECONDS - started))s"

#!/usr/bin/env bash
# Instructions and heap allocations per request of the mock binary (as shipped: recording and
# logging on) and of a bare axum handler (examples/bare_axum.rs), counted by valgrind, which
# counts the same on a busy machine as on a quiet one, unlike requests per second.
#
#   bash crates/connect-mock/tests/perf/callgrind.sh [SMALL LARGE]
#
# Each server runs under callgrind, then under DHAT, twice: once serving SMALL requests (default
# 200) and once LARGE (default 2200), sent one after another on one keep-alive connection by
# client.py; the difference of the totals divided by LARGE - SMALL is the cost of one request
# without start-up and shutdown. The callgrind profiles of the LARGE runs stay in
# $CARGO_TARGET_DIR/perf (or target/perf) for `callgrind_annotate`. SERVERS=mock measures only
# the mock.
set -euo pipefail

small=${1:-200}
large=${2:-2200}
root=$(cd "$(dirname "$0")/../../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out=$target/perf
mkdir -p "$out"
here=$root/crates/connect-mock/tests/perf

# Symbols and line tables for callgrind_annotate; the code is the same as a plain release build.
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -q --manifest-path "$root/Cargo.toml" \
    -p connect-mock --bin connect-mock --example bare_axum
mock_bin=$target/release/connect-mock
axum_bin=$target/release/examples/bare_axum

# run TOOL NAME N BINARY ARGS...: serves N requests under valgrind's TOOL; prints the total
# (instructions for callgrind, blocks allocated for dhat).
run() {
    local tool=$1 name=$2 n=$3
    shift 3
    local log=$out/$name-$tool-$n
    rm -f "$log".*
    local extra=()
    case $tool in
        callgrind) extra=(--callgrind-out-file="$log.callgrind") ;;
        dhat) extra=(--dhat-out-file=/dev/null) ;;
    esac
    valgrind --tool="$tool" "${extra[@]}" --log-file="$log.valgrind" "$@" >"$log.stdout" 2>&1 &
    local pid=$!
    local url=""
    for _ in $(seq 1 600); do
        url=$(grep -o -m1 'http://[0-9.:]*' "$log.stdout" 2>/dev/null || true)
        [ -n "$url" ] && break
        kill -0 "$pid" 2>/dev/null || { echo "$name exited early" >&2; cat "$log.stdout" >&2; exit 1; }
        sleep 0.1
    done
    [ -n "$url" ] || { echo "$name did not print its URL" >&2; kill "$pid"; exit 1; }
    python3 "$here/client.py" "$url" "$n"
    kill -TERM "$pid"
    wait "$pid" || true
    case $tool in
        callgrind) grep -E '^(summary|totals):' "$log.callgrind" | head -1 | awk '{print $2}' ;;
        dhat) grep -E 'Total: ' "$log.valgrind" | head -1 | sed -E 's/.* in ([0-9,]+) blocks.*/\1/' | tr -d , ;;
    esac
}

printf '| server | instructions / request | allocations / request |\n| --- | --- | --- |\n'
for server in ${SERVERS:-mock axum}; do
    if [ $server = mock ]; then cmd=("$mock_bin" --port 0); else cmd=("$axum_bin"); fi
    i1=$(run callgrind $server "$small" "${cmd[@]}")
    i2=$(run callgrind $server "$large" "${cmd[@]}")
    a1=$(run dhat $server "$small" "${cmd[@]}")
    a2=$(run dhat $server "$large" "${cmd[@]}")
    per_i=$(( (i2 - i1) / (large - small) ))
    per_a=$(awk -v a="$a1" -v b="$a2" -v n=$((large - small)) 'BEGIN { printf "%.1f", (b - a) / n }')
    printf '| %s | %s | %s |\n' "$server" "$per_i" "$per_a"
done
echo "profiles: $out/mock-callgrind-$large.callgrind, $out/axum-callgrind-$large.callgrind" >&2

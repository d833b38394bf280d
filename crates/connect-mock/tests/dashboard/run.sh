#!/usr/bin/env bash
# The mock's web dashboard (GET /__mock/) in headless Chromium, driven by playwright-core.
#
# Installs what it needs if missing: Debian's chromium package (/usr/bin/chromium; playwright's
# own browser downloads are not used) and the playwright-core pinned by package.json and
# package-lock.json here, into a directory under the cargo target directory (kept between runs,
# reinstalled when the lock file changes). Then it builds the mock, starts it on a free port,
# runs dashboard.test.mjs against it and stops it, whatever happens; on a failure it prints the
# mock's log. The exit status is the test's.
#
#     bash crates/connect-mock/tests/dashboard/run.sh      # CI runs this; so can anyone
#
# CHROMIUM=/path/to/chromium picks another browser binary (then nothing is installed with apt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

# The browser: Debian's chromium, installed once.
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    if [ -n "${CHROMIUM:-}" ]; then
        echo "error: CHROMIUM=$CHROMIUM is not an executable" >&2
        exit 1
    fi
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "error: $chromium is missing, and installing it needs root (apt-get install chromium)" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "installing chromium with apt-get..." >&2
    apt_log=$(mktemp)
    apt_install() {
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends chromium >>"$apt_log" 2>&1
    }
    if ! apt_install; then
        # Stale package lists are the usual reason: refresh them once and try again.
        "${sudo[@]}" apt-get update -q >>"$apt_log" 2>&1 || true
        if ! apt_install; then
            echo "error: cannot install chromium; apt-get said:" >&2
            tail -n 30 "$apt_log" >&2
            rm -f "$apt_log"
            exit 1
        fi
    fi
    rm -f "$apt_log"
    if [ ! -x "$chromium" ]; then
        echo "error: the chromium package did not provide $chromium" >&2
        exit 1
    fi
fi

# playwright-core, exactly as package-lock.json pins it, outside the source tree.
for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool is missing (the test needs Node.js 20 or later, with npm)" >&2
        exit 1
    fi
done
node_dir="$target/dashboard-node"
if ! cmp -s "$here/package.json" "$node_dir/package.json" \
    || ! cmp -s "$here/package-lock.json" "$node_dir/package-lock.json" \
    || [ ! -f "$node_dir/node_modules/playwright-core/package.json" ]; then
    echo "installing playwright-core into $node_dir..." >&2
    rm -rf "$node_dir"
    mkdir -p "$node_dir"
    cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
    # No lifecycle scripts: nothing may try to download a browser.
    if ! (cd "$node_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
        npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$node_dir/npm.log" 2>&1); then
        echo "error: npm ci failed:" >&2
        cat "$node_dir/npm.log" >&2
        rm -rf "$node_dir"
        exit 1
    fi
fi

CARGO_TARGET_DIR="$target" cargo build --quiet --manifest-path "$root/Cargo.toml" -p connect-mock --bin connect-mock
mock_bin="$target/debug/connect-mock"

work=$(mktemp -d)
mock_pid=
stop_mock() {
    if [ -n "$mock_pid" ]; then
        kill -TERM "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
        mock_pid=
    fi
}
trap 'stop_mock; rm -rf "$work"' EXIT

"$mock_bin" --port 0 --port-file "$work/port" >"$work/mock.log" 2>&1 &
mock_pid=$!
port=
for _ in $(seq 100); do
    if [ -s "$work/port" ]; then
        port=$(tr -d '[:space:]' <"$work/port")
        break
    fi
    if ! kill -0 "$mock_pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "error: connect-mock did not write its port file within 10 s:" >&2
    cat "$work/mock.log" >&2
    exit 1
fi

status=0
# `timeout`: the test bounds its own waits; this bounds everything else (a hung browser).
CONNECT_MOCK_URL="http://127.0.0.1:$port" \
    CHROMIUM="$chromium" \
    DASHBOARD_NODE_DIR="$node_dir" \
    timeout --kill-after=10 180 node "$here/dashboard.test.mjs" || status=$?
stop_mock
if [ "$status" -ne 0 ]; then
    if [ "$status" -eq 124 ]; then
        echo "error: the dashboard test did not finish within 180 s" >&2
    fi
    echo "--- connect-mock log ---" >&2
    cat "$work/mock.log" >&2
fi
exit "$status"

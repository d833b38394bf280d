#!/usr/bin/env bash
# boto3, the official AWS SDK for Python, unmodified, against the connect-mock binary.
#
# Installs a pinned boto3 in a virtualenv under the cargo target directory (kept between runs),
# builds the mock, starts two mocks on free ports (fixtures.toml: a fixed clock and scripted
# scenarios; fixtures-sigv4.toml: SigV4 checking on the system clock), runs test_boto3.py
# against them, and stops them, whatever happens; on a failure it prints the mocks' logs. Then
# pytest runs test_admin.py, whose fixtures start a mock of their own and drive its admin API.
#
#     bash crates/connect-mock/tests/sdk/run-boto3.sh      # CI runs this; so can anyone
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
boto3_version=1.44.8
pytest_version=8.3.4

venv="$target/venv-boto3"
if ! "$venv/bin/python" -c "import sys, boto3, pytest; sys.exit(boto3.__version__ != '$boto3_version' or pytest.__version__ != '$pytest_version')" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "boto3==$boto3_version" "pytest==$pytest_version"
fi

CARGO_TARGET_DIR="$target" cargo build --quiet --manifest-path "$root/Cargo.toml" -p connect-mock --bin connect-mock
mock_bin="$target/debug/connect-mock"

work=$(mktemp -d)
pids=()
stop_mocks() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}
trap 'stop_mocks; rm -rf "$work"' EXIT

# start_mock FIXTURES LOG: starts a mock on a free port, logging to LOG, and prints its URL once
# it says it listens (within 10 s).
start_mock() {
    local fixtures=$1 log=$2 pid url
    # The log exists before the mock does: the loop below may read it before the shell that
    # starts the mock has opened it.
    : >"$log"
    "$mock_bin" --port 0 --fixtures "$fixtures" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
        url=$(sed -n 's/^connect-mock listening on //p' "$log")
        if [ -n "$url" ]; then
            echo "$url"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    echo "error: connect-mock did not start with $fixtures:" >&2
    cat "$log" >&2
    return 1
}

# Not `x=$(start_mock ...)`: a subshell's `pids+=` would be lost, and the mock never stopped.
start_mock "$here/fixtures.toml" "$work/mock.log" >"$work/mock.url"
start_mock "$here/fixtures-sigv4.toml" "$work/mock-sigv4.log" >"$work/mock-sigv4.url"

# The tests give the endpoint, region, keys and retry mode themselves: no AWS configuration of
# the machine (profiles, config files, retry settings) takes part.
status=0
env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_RETRY_MODE -u AWS_MAX_ATTEMPTS \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    CONNECT_MOCK_URL="$(cat "$work/mock.url")" \
    CONNECT_MOCK_SIGV4_URL="$(cat "$work/mock-sigv4.url")" \
    "$venv/bin/python" "$here/test_boto3.py" || status=$?
stop_mocks
# The admin API from pytest: its own mock per session (started by the suite's fixture), reset
# between tests.
env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_RETRY_MODE -u AWS_MAX_ATTEMPTS \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    CONNECT_MOCK_BIN="$mock_bin" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/test_admin.py" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- connect-mock log (fixtures.toml) ---" >&2
    cat "$work/mock.log" >&2
    echo "--- connect-mock log (fixtures-sigv4.toml) ---" >&2
    cat "$work/mock-sigv4.log" >&2
fi
exit "$status"

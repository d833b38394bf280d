#!/usr/bin/env bash
# cargo-deny's licenses, bans and sources checks (configured in deny.toml at the root) for the
# main workspace and the SDK's separate one (crates/aws-sdk-compat and crates/bench, rooted at
# crates/aws-sdk-compat).
#
# Advisories are not checked: the RustSec database lives on GitHub, which this project's
# machines and CI cannot reach (see the note at the top of deny.toml).
#
# cargo-deny is pinned and installed once per machine: into $CARGO_HOME/cargo-deny/VERSION,
# which outlives the fresh clone that CI runs in (a target directory does not), or into
# $CARGO_DENY_ROOT if set. A cold install compiles it from crates.io: about 4 minutes on 2
# cores. A warm run skips that and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.20.2
root="${CARGO_DENY_ROOT:-${CARGO_HOME:-$HOME/.cargo}/cargo-deny/$version}"
deny="$root/bin/cargo-deny"

if [ "$("$deny" --version 2>/dev/null || true)" != "cargo-deny $version" ]; then
    echo "installing cargo-deny $version into $root"
    start=$SECONDS
    # Its own throwaway build directory: the ~300 MB of release artefacts are of no later use.
    build=$(mktemp -d)
    trap 'rm -rf "$build"' EXIT
    CARGO_TARGET_DIR="$build" cargo install cargo-deny --version "=$version" --locked \
        --root "$root" --quiet
    rm -rf "$build"
    echo "installed cargo-deny $version in $((SECONDS - start)) s"
fi

status=0
for manifest in Cargo.toml crates/aws-sdk-compat/Cargo.toml; do
    echo "--- cargo deny check licenses bans sources: $manifest"
    quiet=()
    if [ "$manifest" != Cargo.toml ]; then
        # deny.toml's license list is exact for the main workspace; the smaller graph of the
        # SDK's does not use all of it, which is no news.
        quiet=(-A license-not-encountered -A license-exception-not-encountered)
    fi
    # --workspace: every member is a root of the graph (by default, a manifest that is also a
    # package, as aws-sdk-compat's is, stands for that package alone).
    "$deny" --locked --workspace --manifest-path "$manifest" --config deny.toml \
        check "${quiet[@]}" licenses bans sources || status=1
done
exit "$status"

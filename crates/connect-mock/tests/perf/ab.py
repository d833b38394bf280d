#!/usr/bin/env python3
"""Interleaved A/B runs of HTTP servers under the bench's load generator, with the CPU each
server and the load generator spend per request.

    python3 crates/connect-mock/tests/perf/ab.py ROUNDS SECONDS CONCURRENCIES NAME=COMMAND...

e.g. `ab.py 3 3 16,64 "axum=exec target/bench-tools/release/bare-axum"
"mock=exec target/release/connect-mock --port 0"` (build the tools first with
`cargo xtask bench --only server`). Each COMMAND runs under `sh -c` and must print its
`http://` URL on its first line; the rest of its output is read and discarded in large reads.
For every concurrency, the servers take turns, ROUNDS times, for SECONDS each; the medians are
printed, with ratios to the first server.

Requests/s on a two-core machine shared with the load generator follow the server's CPU time
per request (user and system, from /proc/PID/stat), which varies far less between runs: read
that column first.
"""

import json
import os
import statistics
import subprocess
import sys
import threading

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../.."))
LOADGEN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "bench-tools/release/loadgen")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """(user, system) CPU seconds of a process, all its threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICK, int(fields[12]) / TICK


def server_pid(shell):
    """The server itself: the shell's child when the command did not `exec` it."""
    try:
        with open(f"/proc/{shell.pid}/task/{shell.pid}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else shell.pid
    except OSError:
        return shell.pid


def drain(stream):
    while stream.read1(1 << 20):
        pass


def main():
    rounds, seconds, concurrencies = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
    servers = {}
    for spec in sys.argv[4:]:
        name, command = spec.split("=", 1)
        p = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        first = p.stdout.readline().decode()
        url = next(w for w in first.split() if w.startswith("http://"))
        threading.Thread(target=drain, args=(p.stdout,), daemon=True).start()
        servers[name] = (p, url)
    try:
        runs = {}
        for c in concurrencies:
            for _ in range(rounds):
                for name, (p, url) in servers.items():
                    pid = server_pid(p)
                    before = cpu_seconds(pid)
                    lg = subprocess.Popen([LOADGEN, url + "/user/federate/i-1", c, seconds], stdout=subprocess.PIPE)
                    out = lg.stdout.read()
                    _, status, usage = os.wait4(lg.pid, 0)
                    lg.returncode = status
                    after = cpu_seconds(pid)
                    v = json.loads(out)
                    n = v["requests"]
                    v["server_us"] = (after[0] - before[0] + after[1] - before[1]) * 1e6 / n
                    v["server_sys_us"] = (after[1] - before[1]) * 1e6 / n
                    v["loadgen_us"] = (usage.ru_utime + usage.ru_stime) * 1e6 / n
                    runs.setdefault((c, name), []).append(v)
        for c in concurrencies:
            base = None
            for name in servers:
                vs = runs[(c, name)]
                med = {k: statistics.median(v[k] for v in vs) for k in vs[0] if isinstance(vs[0][k], (int, float))}
                base = base or med
                print(
                    f"c={c:>3} {name:>10}  requests/s {med['rps']:8.0f} ({med['rps'] / base['rps']:.2f})"
                    f"  p50 {med['p50_us']:5.0f} µs  p99 {med['p99_us']:6.0f} µs ({med['p99_us'] / base['p99_us']:.2f})"
                    f"  server CPU {med['server_us']:.2f} µs/request (system {med['server_sys_us']:.2f})"
                    f"  load generator {med['loadgen_us']:.2f}"
                )
    finally:
        for p, _ in servers.values():
            p.kill()


if __name__ == "__main__":
    main()

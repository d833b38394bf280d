"""Malformed and hostile traffic against the connect-mock binary, on loopback.

Each attack is one that a session once saw the mock fail (no answer, a connection held forever,
a core burnt, memory grown, a hostile id echoed into a URL, a fixtures file read forever, a
signal that killed it): each now has to be survived. Python's standard library only, so that
nothing between the socket and the mock hides what is sent.

    python3 crates/connect-mock/tests/attack/attack.py target/debug/connect-mock

With --legacy it passes only the flags the first binary had (--port, --fixtures), to show which
attacks the binary at an older commit fails; the timeouts it is then waited for are the same.
Exit status 0 when every attack is survived; each failure is printed with what was seen.
"""

import argparse
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HEADER_TIMEOUT = 2  # seconds, given to the mock with --header-timeout
BODY_TIMEOUT = 2  # seconds, --body-timeout
MAX_BODY = 65536  # bytes, --max-body-bytes
MAX_CONNECTIONS = 64  # --max-connections
SLACK = 3  # seconds past a timeout before it counts as "held forever"

GET = b"GET /user/federate/i-1 HTTP/1.1\r\nHost: localhost\r\n\r\n"


class Mock:
    def __init__(self, binary, legacy, extra=(), fixtures=None, rlimit_nofile=None):
        self.log = tempfile.NamedTemporaryFile(prefix="connect-mock-attack-", suffix=".log", delete=False)
        args = [binary, "--port", "0"]
        if not legacy:
            args += [
                "--header-timeout", str(HEADER_TIMEOUT), "--body-timeout", str(BODY_TIMEOUT),
                "--max-body-bytes", str(MAX_BODY), "--max-connections", str(MAX_CONNECTIONS),
            ]
        if fixtures:
            args += ["--fixtures", fixtures]
        args += list(extra)

        def limit():
            if rlimit_nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (rlimit_nofile, rlimit_nofile))

        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=limit)
        deadline = time.monotonic() + 15
        while True:
            found = re.search(r"listening on http://([\d.]+):(\d+)", self.text())
            if found:
                self.port = int(found.group(2))
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the mock did not start:\n" + self.text())
            time.sleep(0.05)

    def text(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return s

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.unlink(self.log.name)


def read_all(s, limit):
    """Reads until the peer closes (or `limit` seconds pass); the bytes and whether it closed."""
    s.settimeout(0.2)
    data, deadline = b"", time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def status_of(answer):
    found = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    return int(found.group(1)) if found else None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- the attacks: each returns None when survived, else what went wrong ---------------------


def half_closed_requests_are_answered(mock):
    answers, lock = [], threading.Lock()

    def one():
        try:
            s = mock.connect()
            s.sendall(GET.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
            s.shutdown(socket.SHUT_WR)
            data, _ = read_all(s, 10)
            s.close()
        except OSError as e:
            data = repr(e).encode()
        with lock:
            answers.append(status_of(data))

    threads = [threading.Thread(target=one) for _ in range(300)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    unanswered = sum(1 for a in answers if a != 200)
    if unanswered:
        return f"{unanswered} of 300 half-closed requests got no 200 answer"


def idle_connections_are_closed(mock):
    s = mock.connect()
    _, closed = read_all(s, HEADER_TIMEOUT + SLACK)
    s.close()
    if not closed:
        return f"an idle connection was still open after {HEADER_TIMEOUT + SLACK} s"


def slow_headers_are_cut_off(mock):
    s = mock.connect()
    started = time.monotonic()
    s.sendall(b"GET /user/federate/i-1 HTTP/1.1\r\n")
    s.settimeout(0.2)
    while time.monotonic() - started < HEADER_TIMEOUT + SLACK:
        try:
            s.sendall(b"X")
            if s.recv(1024) == b"":
                s.close()
                return None
        except socket.timeout:
            pass
        except OSError:
            s.close()
            return None
        time.sleep(0.3)
    s.close()
    return f"headers sent a byte at a time held the connection for {HEADER_TIMEOUT + SLACK} s"


def a_body_that_never_arrives_is_timed_out(mock):
    problems = []
    for declared, want in ((100_000_000, 413), (1000, 408)):
        s = mock.connect()
        s.sendall(
            b"GET /user/federate/i-1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
            + str(declared).encode() + b"\r\n\r\n0123456789"
        )
        data, closed = read_all(s, BODY_TIMEOUT + SLACK)
        s.close()
        if status_of(data) != want or not closed:
            problems.append(f"declared {declared} bytes, sent 10: answered {status_of(data)}, closed: {closed}")
    return "; ".join(problems) or None


def big_bodies_do_not_grow_memory(mock):
    before = rss_mib(mock.process.pid)
    chunk = b"x" * 65536

    def one():
        try:
            s = mock.connect()
            s.sendall(b"GET /user/federate/i-1 HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(256):  # 16 MiB in 64 KiB chunks
                s.sendall(b"10000\r\n" + chunk + b"\r\n")
            s.sendall(b"0\r\n\r\n")
            read_all(s, 5)
            s.close()
        except OSError:
            pass  # the mock may close early: that is the point

    threads = [threading.Thread(target=one) for _ in range(16)]
    for t in threads:
        t.start()
    peak = before
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mib(mock.process.pid))
        time.sleep(0.02)
    if peak - before > 48:
        return f"16 bodies of 16 MiB grew memory from {before:.0f} to {peak:.0f} MiB"


def method_names_are_case_sensitive(mock):
    s = mock.connect()
    s.sendall(b"get /user/federate/i-1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    data, _ = read_all(s, 5)
    s.close()
    if status_of(data) == 200:
        return "a lower-case `get` was served as GET"


def hostile_instance_ids_never_reach_urls(mock):
    problems = []
    for raw in ("evil.example%2Fx%3F", "a%0D%0ASet-Cookie:x", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "a%3Fb", "x.y"):
        with _get(mock, "/user/federate/" + raw) as (status, body):
            text = body.decode("utf-8", "replace")
            if status == 200 or "SignInUrl" in text or "<script>" in text:
                problems.append(f"{raw}: {status} {text[:200]}")
    return "; ".join(problems) or None


class _get:
    """GET a path with a raw socket (urllib would re-encode it): (status, body)."""

    def __init__(self, mock, path):
        s = mock.connect()
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data, _ = read_all(s, 5)
        s.close()
        head, _, body = data.partition(b"\r\n\r\n")
        self.answer = (status_of(head), body)

    def __enter__(self):
        return self.answer

    def __exit__(self, *_):
        return False


def log_fields_are_bounded(mock):
    credential = "A" * 65536
    s = mock.connect()
    s.sendall(
        (
            "GET /user/federate/i-1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential={credential}/20300101/us-east-1/connect/aws4_request, "
            "SignedHeaders=host, Signature=00\r\n\r\n"
        ).encode()
    )
    read_all(s, 5)
    s.close()
    time.sleep(0.3)
    longest = max(len(line) for line in mock.text().splitlines())
    if longest > 4096:
        return f"a 64 KiB Credential made a log line of {longest} bytes"


def connections_beyond_the_cap_wait(mock):
    held = [mock.connect() for _ in range(MAX_CONNECTIONS)]
    time.sleep(0.3)
    extra = mock.connect()
    extra.sendall(GET.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    early, _ = read_all(extra, 1)
    held.pop().close()
    late, _ = read_all(extra, 5)
    extra.close()
    for s in held:
        s.close()
    if early:
        return f"a connection past the cap of {MAX_CONNECTIONS} was served at once"
    if status_of(late) != 200:
        return "a connection past the cap was not served once another closed"


# --- attacks on the process ------------------------------------------------------------------


def out_of_file_descriptors_backs_off(binary, legacy):
    mock = Mock(binary, legacy, rlimit_nofile=48)
    held = []
    try:
        for _ in range(80):
            try:
                held.append(mock.connect())
            except OSError:
                break
        time.sleep(0.5)
        before = cpu_seconds(mock.process.pid)
        time.sleep(2)
        used = cpu_seconds(mock.process.pid) - before
        for s in held:
            s.close()
        held = []
        time.sleep(1.2)
        with _get(mock, "/user/federate/i-1") as (status, _):
            served = status
        if used > 0.5:
            return f"out of file descriptors, it used {used:.2f} s of CPU in 2 s"
        if served != 200:
            return f"after the descriptors came back it answered {served}"
    finally:
        for s in held:
            s.close()
        mock.stop()


def signals_stop_it_cleanly(binary, legacy):
    problems = []
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGINT):
        mock = Mock(binary, legacy)
        mock.process.send_signal(sig)  # right after it says it listens
        try:
            code = mock.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = "still running"
        if code != 0:
            problems.append(f"{sig.name}: exit {code}")
        mock.stop()
    return "; ".join(problems) or None


def bad_fixtures_are_refused_whole(binary, legacy):
    problems = []
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "fifo.json")
        os.mkfifo(fifo)
        array = os.path.join(d, "array.json")
        with open(array, "w") as f:
            f.write("[]")
        many = os.path.join(d, "many.json")
        with open(many, "w") as f:
            json.dump(
                {
                    "instances": [
                        {"id": "i-1", "users": [{"user_name": "no key"}]},
                        {"id": "i-1"},
                    ],
                    "key_pairs": [
                        {"access_key_id": "K", "secret_access_key": "a"},
                        {"access_key_id": "K", "secret_access_key": "b"},
                    ],
                    "access_token_lifetime_secs": 18446744073709551615,
                    "scripts": [{"answers": [{"kind": "error", "code": "ThrottlingException"}]}],
                },
                f,
            )
        for path, want in (("/dev/zero", 1), (fifo, 1), (array, 1), (many, 5)):
            try:
                run = subprocess.run(
                    [binary, "--port", "0", "--fixtures", path], capture_output=True, text=True, timeout=5
                )
            except subprocess.TimeoutExpired:
                problems.append(f"{os.path.basename(path)}: still running after 5 s")
                continue
            listed = run.stderr.count("\n  - ") or (1 if run.returncode != 0 else 0)
            if run.returncode == 0 or listed < want:
                problems.append(
                    f"{os.path.basename(path)}: exit {run.returncode}, {listed} problem(s) named: {run.stderr.strip()[:300]}"
                )
    return "; ".join(problems) or None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--legacy", action="store_true")
    args = parser.parse_args()
    failures = 0
    fixtures = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"instances": [{"id": "i-1"}]}, fixtures)
    fixtures.close()
    served = [
        half_closed_requests_are_answered,
        idle_connections_are_closed,
        slow_headers_are_cut_off,
        a_body_that_never_arrives_is_timed_out,
        big_bodies_do_not_grow_memory,
        method_names_are_case_sensitive,
        hostile_instance_ids_never_reach_urls,
        log_fields_are_bounded,
        connections_beyond_the_cap_wait,
    ]
    for attack in served:
        mock = Mock(args.binary, args.legacy, fixtures=fixtures.name)
        started = time.monotonic()
        try:
            problem = attack(mock)
        except Exception as e:  # noqa: BLE001 - an attack that crashes is a failure to report
            problem = f"the attack itself failed: {e!r}"
        if mock.process.poll() is not None and problem is None:
            problem = f"the mock exited ({mock.process.returncode})"
        failures += report(attack.__name__, problem, started)
        mock.stop()
    for attack in (out_of_file_descriptors_backs_off, signals_stop_it_cleanly, bad_fixtures_are_refused_whole):
        started = time.monotonic()
        try:
            problem = attack(args.binary, args.legacy)
        except Exception as e:  # noqa: BLE001
            problem = f"the attack itself failed: {e!r}"
        failures += report(attack.__name__, problem, started)
    os.unlink(fixtures.name)
    total = len(served) + 3
    print(f"attacks: {total - failures} survived, {failures} not")
    return 1 if failures else 0


def report(name, problem, started):
    took = time.monotonic() - started
    if problem:
        print(f"FAIL {name} ({took:.1f} s): {problem}")
        return 1
    print(f"ok   {name} ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The API under load: 50 concurrent clients submitting plaques and polling their status for 60 s against a
server started the way scripts/serve starts it (python -m web.serve: SQLite, a private Redis, gunicorn) with 2
worker processes.

Each client is a thread with its own keep-alive HTTP connection (http.client): it submits a job (POST
/api/jobs, a plaque record), polls GET /api/jobs/{id} every --poll-interval seconds until the job is final,
then submits the next. Prints requests/s, p50/p95/p99 latency of status polls and of submits, jobs finished,
and errors. The issue's target: no errors, p95 of a status poll ≤ 100 ms.

    .venv/bin/python bench/bench_api.py [--clients 50] [--duration 60] [--web-processes 2] [--threads 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FINAL = ("succeeded", "partly failed", "failed", "expired")
MAX_REQUESTS = 500_000  # a bound on the whole run, whatever the timing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Server:
    def __init__(self, args, data_dir: Path):
        self.port = free_port()
        self.env = dict(os.environ, DOCGEN_DATA_DIR=str(data_dir), REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
                        DOCGEN_ALLOWED_HOSTS="localhost,127.0.0.1")
        for name in ("DATABASE_URL", "DOCGEN_STORE_URL", "DOCGEN_ARTIFACTS_URL"):
            self.env.pop(name, None)
        self.proc = subprocess.Popen([sys.executable, "-m", "web.serve", "--port", str(self.port),
                                      "--worker-processes", str(args.worker_processes),
                                      "--web-processes", str(args.web_processes), "--threads", str(args.threads)],
                                     env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=lambda: [self.lines.append(line) for line in self.proc.stdout], daemon=True).start()
        deadline = time.monotonic() + 240
        while not any("docgen 已就绪" in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the server did not start:\n" + "".join(self.lines))
            time.sleep(0.2)
        user = re.search(r"首次登录：用户名 (\S+)", "".join(self.lines)).group(1)
        self.token = subprocess.run([sys.executable, str(ROOT / "web/manage.py"), "create_api_token", user,
                                     "--name", "bench"], env=self.env, capture_output=True, text=True,
                                    check=True).stdout.strip()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(90)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.polls: list[float] = []
        self.submits: list[float] = []
        self.errors: Counter = Counter()
        self.finished: Counter = Counter()
        self.requests = 0
        self.samples: dict[str, str] = {}

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            (self.polls if kind == "poll" else self.submits).append(seconds)
            self.requests += 1


def client(server: Server, stats: Stats, record: dict, args, stop_at: float, n: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}
    body = json.dumps({"kind": "plaque", "name": f"bench-{n}", "record": record}, ensure_ascii=False).encode()

    def call(kind: str, method: str, path: str, payload: bytes | None = None):
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                conn.close()  # the server closed an idle keep-alive connection: reconnect once
                if attempt == 2:
                    with stats.lock:
                        stats.errors[f"{kind}: {type(exc).__name__}"] += 1
                    return None
                continue
            except OSError as exc:
                conn.close()
                with stats.lock:
                    stats.errors[f"{kind}: {type(exc).__name__}"] += 1
                return None
            stats.add(kind, time.perf_counter() - started)
            if response.status >= 400:
                with stats.lock:
                    stats.errors[f"{kind}: HTTP {response.status}"] += 1
                    stats.samples.setdefault(f"{kind}: HTTP {response.status}", data[:300].decode(errors="replace"))
                return None
            return json.loads(data)
        return None

    time.sleep(n * 0.02)  # the clients do not all start on the same millisecond
    while time.monotonic() < stop_at and stats.requests < MAX_REQUESTS:
        job = call("submit", "POST", "/api/jobs", body)
        if job is None:
            time.sleep(args.poll_interval)
            continue
        while time.monotonic() < stop_at:
            time.sleep(args.poll_interval)
            status = call("poll", "GET", f"/api/jobs/{job['id']}")
            if status is not None and status["state"] in FINAL:
                with stats.lock:
                    stats.finished[status["state"]] += 1
                break
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--poll-interval", type=float, default=0.5)
    parser.add_argument("--worker-processes", type=int, default=2)
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    record = yaml.safe_load((ROOT / "samples/plaques/jiaozuo-gaoxin.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="bench-api-") as folder:
        server = Server(args, Path(folder))
        try:
            stats = Stats()
            print(f"server: gunicorn {args.web_processes} processes × {args.threads} threads, "
                  f"{args.worker_processes} worker processes, SQLite; {args.clients} clients polling every "
                  f"{args.poll_interval} s for {args.duration:.0f} s", flush=True)
            started = time.monotonic()
            stop_at = started + args.duration
            threads = [threading.Thread(target=client, args=(server, stats, record, args, stop_at, n))
                       for n in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(args.duration + 30)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    ms = 1000
    print(f"requests: {stats.requests} in {elapsed:.1f} s = {stats.requests / elapsed:.1f} requests/s")
    print(f"status polls: {len(stats.polls)}  p50 {pct(stats.polls, 50) * ms:.1f} ms  p95 {pct(stats.polls, 95) * ms:.1f} ms"
          f"  p99 {pct(stats.polls, 99) * ms:.1f} ms  max {max(stats.polls, default=0) * ms:.1f} ms")
    print(f"submits: {len(stats.submits)}  p50 {pct(stats.submits, 50) * ms:.1f} ms  "
          f"p95 {pct(stats.submits, 95) * ms:.1f} ms  p99 {pct(stats.submits, 99) * ms:.1f} ms")
    print(f"jobs finished: {dict(stats.finished) or 0}")
    print(f"errors: {sum(stats.errors.values())} {dict(stats.errors) if stats.errors else ''}")
    for kind, sample in stats.samples.items():
        print(f"  first {kind}: {sample}")
    met = not stats.errors and pct(stats.polls, 95) <= 0.100
    print(f"target (no errors, p95 of a status poll ≤ 100 ms): {'met' if met else 'MISSED'}")
    if stats.polls:
        print(f"(mean poll {statistics.mean(stats.polls) * ms:.1f} ms)")


if __name__ == "__main__":
    main()

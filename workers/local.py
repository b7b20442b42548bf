"""Running the queue on one machine without Docker: a private Redis and worker processes.

Used by the tests and the queue benchmark; also what `docker-compose.yml` does, started directly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalRedis:
    """redis-server on a free port, with append-only persistence in ``data_dir``."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.data_dir = data_dir
        self.start()

    def start(self) -> None:
        """(Re)starts the server on its port, with the data it persisted."""
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
                                      str(self.data_dir), "--appendonly", "yes", "--save", ""],
                                     stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        for _ in range(200):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """SIGTERM: Redis saves and exits cleanly."""
        self.proc.terminate()
        self.proc.wait(10)

    def kill9(self) -> None:
        """SIGKILL: what the append-only file holds is all that survives."""
        self.proc.kill()
        self.proc.wait(10)


class WorkerProcesses:
    """Celery workers of docgen, each in its own process group (kill -9 takes a worker and its pool)."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.procs = env, log_dir, []

    def start(self, concurrency: int = 1) -> subprocess.Popen:
        n = len(self.procs)
        log = open(self.log_dir / f"worker{n}.log", "w")
        proc = subprocess.Popen([str(CELERY), "-A", "workers.app", "worker", "-Q", "docgen", "--loglevel", "info",
                                 "--concurrency", str(concurrency), "-n", f"local{n}@%h", "--without-gossip",
                                 "--without-mingle", "--without-heartbeat"],
                                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until every worker's log says it is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = [(self.log_dir / f"worker{n}.log").read_text(errors="replace") for n in range(len(self.procs))]
            if all(" ready." in log for log in logs):
                return
            time.sleep(0.1)
        raise RuntimeError("workers did not become ready")

    def kill9(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self.procs = []

"""Real Redis and real Celery worker processes, started by the tests on free ports and cleaned up."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis of the tests' own, with append-only persistence like the compose stack's."""
    port = free_port()
    data = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data),
                             "--appendonly", "yes", "--save", ""], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def queue_env(redis_url):
    env = {
        "REDIS_URL": redis_url,
        "DOCGEN_SOFT_TIME_LIMIT": "3",
        "DOCGEN_HARD_TIME_LIMIT": "6",
        "DOCGEN_VISIBILITY_TIMEOUT": "15",
        "DOCGEN_MAX_DELIVERIES": "2",
        "DOCGEN_PLUGINS": "tests.workers.plugin",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the submitting side (this process) uses the same queue
    yield {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


class Workers:
    """Worker processes of the test's own; each in its own process group so kill -9 takes all of it."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.procs = env, log_dir, []

    def start(self, concurrency: int = 1) -> subprocess.Popen:
        n = len(self.procs)
        log = open(self.log_dir / f"worker{n}.log", "w")
        proc = subprocess.Popen([str(CELERY), "-A", "workers.app", "worker", "-Q", "docgen", "--loglevel", "info",
                                 "--concurrency", str(concurrency), "-n", f"test{n}@%h", "--without-gossip",
                                 "--without-mingle", "--without-heartbeat"],
                                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

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


@pytest.fixture
def workers(queue_env, tmp_path):
    pool = Workers(queue_env, tmp_path)
    yield pool
    pool.stop_all()

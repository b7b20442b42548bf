"""Real Redis and real Celery worker processes, started by the tests on free ports and cleaned up."""

from __future__ import annotations

import os

import pytest

from workers.local import ROOT, LocalRedis, WorkerProcesses


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A Redis of the tests' own, with append-only persistence like the compose stack's (the drills stop,
    kill and restart it on its port)."""
    server = LocalRedis(tmp_path_factory.mktemp("redis"))
    yield server
    if server.proc.poll() is None:
        server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server):
    return redis_server.url


@pytest.fixture(scope="session")
def queue_env(redis_url, tmp_path_factory):
    env = {
        "REDIS_URL": redis_url,
        "DOCGEN_ARTIFACTS_URL": str(tmp_path_factory.mktemp("artifacts")),  # shared by the workers and this process
        # limits no good item comes near, even on a loaded machine; troublesome items sleep far past them
        "DOCGEN_SOFT_TIME_LIMIT": "20",
        "DOCGEN_HARD_TIME_LIMIT": "25",
        "DOCGEN_VISIBILITY_TIMEOUT": "30",  # how long an item held by a killed worker waits to be redelivered
        "DOCGEN_MAX_DELIVERIES": "2",
        "DOCGEN_WATCHDOG_INTERVAL": "1",  # deadlines stay long; the watchdog tests move them
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


@pytest.fixture
def workers(queue_env, tmp_path):
    pool = WorkerProcesses(queue_env, tmp_path)
    yield pool
    pool.stop_all()

"""Real Redis and real Celery worker processes, started by the tests on free ports and cleaned up."""

from __future__ import annotations

import os

import pytest

from workers.local import ROOT, LocalRedis, WorkerProcesses


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis of the tests' own, with append-only persistence like the compose stack's."""
    server = LocalRedis(tmp_path_factory.mktemp("redis"))
    yield server.url
    server.stop()


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


@pytest.fixture
def workers(queue_env, tmp_path):
    pool = WorkerProcesses(queue_env, tmp_path)
    yield pool
    pool.stop_all()

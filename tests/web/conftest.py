"""Shared fixtures of the web layer's tests (kept small: each test file keeps its own)."""

import os
from contextlib import contextmanager

import pytest

from workers.local import ROOT, LocalRedis, WorkerProcesses


@pytest.fixture
def staff_user(django_user_model):
    """A member of staff (may log in to the admin), with a Chinese name."""
    return django_user_model.objects.create_user(username="wangfang", password="docgen-test-1", is_staff=True,
                                                 first_name="芳", last_name="王")


@contextmanager
def private_queue(tmp_path_factory, workers: int = 0, **env: str):
    """A private Redis (and ``workers`` real worker processes) that this process submits to: REDIS_URL and
    ``env`` set for the block, the job store on the same Redis, artifacts in a folder of their own."""
    server = LocalRedis(tmp_path_factory.mktemp("redis"))
    env = {"REDIS_URL": server.url, "DOCGEN_ARTIFACTS_URL": str(tmp_path_factory.mktemp("artifacts")), **env}
    saved = {k: os.environ.get(k) for k in [*env, "DOCGEN_STORE_URL"]}
    os.environ.pop("DOCGEN_STORE_URL", None)
    os.environ.update(env)
    pool = WorkerProcesses({**os.environ, "PYTHONPATH": str(ROOT)}, tmp_path_factory.mktemp("workers"))
    try:
        if workers:
            pool.start(concurrency=workers)
            pool.wait_ready(90)
        yield server
    finally:
        pool.stop_all()
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

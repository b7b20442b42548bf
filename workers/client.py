"""The submitting side: put a record on the queue, follow its job, fetch its artifacts."""

from __future__ import annotations

from pathlib import Path

import redis

from docgen.kinds import get, read_record
from docgen.problems import InvalidRecord, Problem
from workers.config import settings
from workers.store import JobStatus, JobStore


class QueueUnavailable(RuntimeError):
    """Redis cannot be reached: said to staff plainly, with what to check."""


def _reachable(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        raise QueueUnavailable(f"无法连接队列 Redis（{url}）：{exc}。请确认 Redis 已启动，或用 REDIS_URL 指定地址。") from None


def job_store() -> JobStore:
    conf = settings()
    _reachable(conf.store_url)
    return JobStore(conf.store_url, conf.job_ttl_days)


def submit(kind_name: str, record_path: Path) -> str:
    """Validates the record's kind and shape here, queues the job, and returns its id."""
    data = read_record(record_path)
    kind = get(kind_name)
    if not isinstance(data, dict):
        raise InvalidRecord([Problem("记录", str(data)[:40], "应为键值对（字段: 值）")], str(record_path))
    data = {"kind": kind.name, **data}
    if data["kind"] != kind.name:
        raise InvalidRecord([Problem("kind", data["kind"], f"记录的文种与提交的文种 {kind.name} 不一致")], str(record_path))
    conf = settings()
    _reachable(conf.broker_url)
    store = job_store()
    job_id = store.create(kind.name, record_path.stem, data)
    from workers.tasks import start_job

    start_job.delay(job_id)
    return job_id


def status(job_id: str) -> JobStatus:
    try:
        return job_store().status(job_id)
    except KeyError:
        raise InvalidRecord([Problem("任务编号", job_id, "没有这个任务（或已超过保存期限）")]) from None


def fetch(job_id: str, directory: Path) -> list[Path]:
    store = job_store()
    state = status(job_id)
    paths = []
    for described in state.artifacts:
        paths.append(store.artifact(described).write(directory))
    return paths

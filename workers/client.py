"""The submitting side: put a record on the queue, follow its job, fetch its artifacts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import redis

from docgen.kinds import get, read_record
from docgen.problems import ABSENT, InvalidRecord, Problem
from docgen.records.base import printable
from docgen.records.filenames import safe_filename
from workers.artifacts import CorruptArtifact
from workers.config import settings
from workers.store import JobStatus, JobStore


class QueueUnavailable(RuntimeError):
    """Redis cannot be reached: said to staff plainly, with what to check."""


def _reachable(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        raise QueueUnavailable(f"无法连接队列 Redis（{url}）：{exc}。请确认 Redis 已启动，或用 REDIS_URL 指定地址。") from None


_STORES: dict[tuple[str, int], JobStore] = {}


def job_store() -> JobStore:
    """The job store the environment names: one per process and URL (its connections are kept — a web
    server polls it many times a second), checked to answer on every call."""
    conf = settings()
    store = _STORES.get((conf.store_url, conf.job_ttl_days))
    if store is None:
        _reachable(conf.store_url)
        store = _STORES[(conf.store_url, conf.job_ttl_days)] = JobStore(conf.store_url, conf.job_ttl_days)
    try:
        store.redis.ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        raise QueueUnavailable(f"无法连接队列 Redis（{conf.store_url}）：{exc}。请确认 Redis 已启动，"
                               "或用 DOCGEN_STORE_URL 指定地址。") from None
    return store


def _queue(kind: str, name: str, data: dict) -> str:
    """Creates the job and puts its first task on the queue the environment names (a long-lived process may
    have imported the Celery app before its REDIS_URL was set); returns the job id."""
    from workers.app import follow_environment
    from workers.tasks import start_job

    conf = settings()
    _reachable(conf.broker_url)
    job_id = job_store().create(kind, name, data)
    follow_environment()
    start_job.delay(job_id)
    return job_id


def submit(kind_name: str, record_path: Path) -> str:
    """Validates the record's kind and shape here, queues the job, and returns its id."""
    data = read_record(record_path)
    kind = get(kind_name)
    if not isinstance(data, dict):
        raise InvalidRecord([Problem("记录", str(data)[:40], "应为键值对（字段: 值）")], str(record_path))
    data = {"kind": kind.name, **data}
    if data["kind"] != kind.name:
        raise InvalidRecord([Problem("kind", data["kind"], f"记录的文种与提交的文种 {kind.name} 不一致")], str(record_path))
    return _queue(kind.name, record_path.stem, data)


def status(job_id: str) -> JobStatus:
    try:
        return job_store().status(job_id)
    except KeyError:
        raise InvalidRecord([Problem("任务编号", job_id, "没有这个任务（或已超过保存期限）")]) from None


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _listed_problems(artifacts: list) -> list[Problem]:
    """What is wrong with a job's stored artifact list: every file name must be one safe path component
    (as docgen writes them), unique, and every sha256 64 hex digits. The list is data from the store, not
    trusted to name places on this disk."""
    problems, seen = [], set()
    for n, described in enumerate(artifacts, 1):
        where = f"输出文件清单第 {n} 项"
        if not isinstance(described, dict):
            problems.append(Problem(where, ABSENT, "应为文件说明（filename、sha256 …）"))
            continue
        name, digest = described.get("filename"), described.get("sha256")
        if not isinstance(name, str) or not name or safe_filename(name) != name:
            problems.append(Problem(f"{where}的文件名（filename）", printable(str(name))[:80],
                                    "应为一个安全的文件名（不含 / \\ ..、控制字符等），不会写到输出文件夹之外"))
        elif name.casefold() in seen:
            problems.append(Problem(f"{where}的文件名（filename）", name, "与清单中前面的文件重名"))
        else:
            seen.add(name.casefold())
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            problems.append(Problem(f"{where}的校验值（sha256）", printable(str(digest))[:80], "应为 64 位十六进制数字"))
    return problems


def fetch(job_id: str, directory: Path) -> list[Path]:
    """Writes the job's artifacts into ``directory`` and nowhere else. The stored list is checked whole
    before anything touches the disk; an altered list is refused (nothing written), each bad entry named."""
    store = job_store()
    state = status(job_id)
    problems = _listed_problems(state.artifacts)
    if problems:
        raise InvalidRecord(problems, f"任务 {job_id}")
    artifacts = []
    for described in state.artifacts:
        where = f"输出文件 {described['filename']}"
        try:
            artifact = store.artifact(described)
        except KeyError:
            raise InvalidRecord([Problem(where, ABSENT, "已不在文件存储中（超过保存期限或被删除），未写出任何文件")],
                                f"任务 {job_id}") from None
        except CorruptArtifact:
            artifact = None
        if artifact is None or hashlib.sha256(artifact.data).hexdigest() != described["sha256"]:
            raise InvalidRecord([Problem(where, ABSENT, "内容与清单中的校验值（sha256）不符，未写出任何文件")],
                                f"任务 {job_id}")
        artifacts.append(artifact)
    return [artifact.write(Path(directory)) for artifact in artifacts]


def submit_data(kind: str, name: str, data: dict) -> str:
    """Queues a record received over the network (web, API) and returns its job id. The record is checked
    here as ``submit`` checks a file's: its kind, then docgen's own validation (``parse_record``, the same
    Chinese problems as the CLI); a record from the network names no file on the server, so any
    ``*_file`` / ``*_folder`` key, at any depth, is refused before anything else is read."""
    from docgen.kinds import parse_record
    from docgen.records.includes import refuse_file_references

    docgen_kind = get(kind)
    source = printable(str(name))[:80] or docgen_kind.name
    if not isinstance(data, dict):
        raise InvalidRecord([Problem("记录", printable(str(data))[:40], "应为键值对（字段: 值）")], source)
    refuse_file_references(data, source)
    data = {"kind": docgen_kind.name, **data}
    if data["kind"] != docgen_kind.name:
        raise InvalidRecord([Problem("kind", data["kind"], f"记录的文种与提交的文种 {docgen_kind.name} 不一致")], source)
    parse_record(data, source)
    return _queue(docgen_kind.name, safe_filename(str(name)) or docgen_kind.name, data)

"""The queue end to end: a real Redis and real worker processes, started here (never eager mode)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

import tests.workers.plugin  # noqa: F401  (the test kinds, registered in this process as in the workers)
from workers.local import ROOT, free_port

SAMPLES = ROOT / "samples"


def wait(job_id: str, timeout: float = 90.0, seen: list | None = None):
    from workers.client import status

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = status(job_id)
        if seen is not None:
            seen.append(state.finished_items)
        if state.final:
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s: {state}")


def record_file(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def stations(n: int, blank: set[int] = frozenset()) -> list[dict]:
    return [{"serial": i + 1, "name": "" if i in blank else f"知识产权保护工作站测试{i + 1:02d}园区站", "bureau": "山阳区"}
            for i in range(n)]


@pytest.mark.parametrize("kind,record", [("notice", "notices/jiancha-2024-12.yaml"),
                                         ("plaque", "plaques/jiaozuo-gaoxin.yaml"),
                                         ("plaque-batch", "plaques/jiaozuo-contact-points.yaml"),
                                         ("reply-batch", "replies/city-batch-2021-09.yaml")])
def test_a_job_of_each_kind_end_to_end(kind, record, workers, tmp_path):
    from workers.client import fetch, submit

    workers.start(concurrency=2)
    job_id = submit(kind, SAMPLES / record)
    state = wait(job_id)
    assert state.state == "succeeded", state
    paths = fetch(job_id, tmp_path / "out")
    assert paths and all(p.stat().st_size > 0 for p in paths)
    suffixes = {p.suffix for p in paths}
    assert suffixes == {"notice": {".docx", ".pdf"}, "plaque": {".pdf", ".png"}, "plaque-batch": {".zip"},
                        "reply-batch": {".zip"}}[kind]
    if kind == "reply-batch":  # its replies and plaques were items rendered by the workers, merged once
        names = zipfile.ZipFile(paths[0]).namelist()
        assert len([n for n in names if n.startswith("批复/")]) == 8 and len([n for n in names if "印刷文件/" in n]) == 3


def test_batch_of_50_plaques_reports_progress_while_it_runs(workers, tmp_path):
    from workers.client import fetch, submit

    workers.start(concurrency=2)
    path = record_file(tmp_path, "fifty", {"kind": "plaque-batch", "variant": "contact", "stations": stations(50)})
    seen: list[int] = []
    state = wait(submit("plaque-batch", path), seen=seen)
    assert state.state == "succeeded" and state.done == 50 and state.total == 50
    assert any(0 < n < 50 for n in seen), seen  # progress was visible between start and end
    assert seen == sorted(seen)
    [zip_path] = fetch(state.id, tmp_path / "out")
    names = zipfile.ZipFile(zip_path).namelist()
    assert len([n for n in names if n.startswith("印刷文件/") and n.endswith(".pdf")]) == 50


def test_invalid_items_are_reported_and_the_rest_succeed(workers, tmp_path):
    from workers.client import submit

    workers.start(concurrency=2)
    path = record_file(tmp_path, "mixed", {"kind": "plaque-batch", "stations": stations(12, blank={2, 5, 9})})
    state = wait(submit("plaque-batch", path))
    assert state.state == "partly failed" and state.done == 9 and state.failed == 3
    failed = [item for item in state.items if item.error]
    assert [item.index for item in failed] == [2, 5, 9]
    assert all("站名" in item.error and "Traceback" not in item.error for item in failed)
    deliveries = {k.decode(): int(v) for k, v in __import__("redis").Redis.from_url(os.environ["REDIS_URL"])
                  .hgetall(f"docgen:job:{state.id}:deliveries").items()}
    assert all(deliveries[str(item.index)] == 1 for item in failed)  # validation errors are not retried


def test_kill_9_mid_batch_then_a_new_worker_completes_every_item_once(workers, tmp_path):
    from workers.client import status, submit

    first = workers.start(concurrency=1)
    path = record_file(tmp_path, "thirty", {"kind": "plaque-batch", "stations": stations(30)})
    job_id = submit("plaque-batch", path)
    deadline = time.monotonic() + 60
    while status(job_id).finished_items < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers.kill9(first)  # the worker and its pool child, mid-batch
    assert not status(job_id).final
    workers.start(concurrency=2)
    state = wait(job_id, timeout=120)
    assert state.state == "succeeded" and state.done == 30 and state.failed == 0
    assert sorted(item.index for item in state.items) == list(range(30))
    [archive] = state.artifacts
    from workers.client import job_store

    names = zipfile.ZipFile(io.BytesIO(job_store().blob(archive["sha256"]))).namelist()
    pdfs = [n for n in names if n.startswith("印刷文件/")]
    assert len(pdfs) == len(set(pdfs)) == 30


def test_hanging_and_crashing_items_fail_and_the_rest_of_the_batch_completes(workers, tmp_path):
    from workers.client import submit

    workers.start(concurrency=2)
    plaque = {"kind": "plaque", "station": "知识产权保护工作站修武县云台山园区站"}
    path = record_file(tmp_path, "trouble", {"kind": "trouble-batch", "items": [
        plaque, {"kind": "hang", "seconds": 60}, plaque, {"kind": "crash"}, plaque]})
    state = wait(submit("trouble-batch", path), timeout=120)
    assert state.state == "partly failed" and state.done == 3 and state.failed == 2
    errors = {item.index: item.error for item in state.items if item.error}
    assert "超过 3 秒" in errors[1]
    assert "多次导致工作进程崩溃或超时" in errors[3]


def test_submit_when_redis_is_down_says_so_plainly(tmp_path):
    env = {**os.environ, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "DOCGEN_STORE_URL": ""}
    env.pop("DOCGEN_STORE_URL")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "submit", "notice",
                             str(SAMPLES / "notices/jiancha-2024-12.yaml")], capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "无法连接队列 Redis" in result.stderr and "Traceback" not in result.stderr


def test_status_of_an_unknown_job(queue_env):
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "status", "nosuchjob"], capture_output=True,
                            text=True, env=queue_env)
    assert result.returncode == 1 and "没有这个任务" in result.stderr


def test_compose_stack_is_valid():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"redis", "worker", "flower"} <= set(services)
    assert "--appendonly" in " ".join(map(str, services["redis"]["command"])) and services["redis"]["volumes"]
    worker = services["worker"]
    assert "container_name" not in worker  # scalable with --scale worker=N
    assert worker["environment"]["REDIS_URL"].startswith("redis://redis:6379")
    assert "docgen" in " ".join(worker["command"]) and "worker" in worker["command"]
    assert (ROOT / worker["build"]["context"] / worker["build"]["dockerfile"]).exists()
    docker = subprocess.run(["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
                            capture_output=True, text=True) if _has_docker_compose() else None
    if docker is not None:
        assert docker.returncode == 0, docker.stderr


def _has_docker_compose() -> bool:
    try:
        return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def test_an_item_held_by_a_killed_worker_is_redelivered_and_done_once(workers, tmp_path):
    """Slow items (0.4 s each), so that kill -9 surely lands while one is being rendered."""
    from workers.client import job_store, status, submit

    first = workers.start(concurrency=1)
    path = record_file(tmp_path, "slow", {"kind": "trouble-batch",
                                          "items": [{"kind": "hang", "seconds": 0.4} for _ in range(8)]})
    job_id = submit("trouble-batch", path)
    while status(job_id).finished_items < 2:
        time.sleep(0.02)
    time.sleep(0.1)
    workers.kill9(first)
    workers.start(concurrency=1)
    state = wait(job_id, timeout=120)
    assert state.state == "succeeded" and state.done == 8
    deliveries = [int(v) for v in job_store().redis.hgetall(f"docgen:job:{job_id}:deliveries").values()]
    assert sorted(deliveries)[-1] == 2 and sum(deliveries) == 9  # one item delivered twice, recorded once
    [summary] = state.artifacts
    assert job_store().blob(summary["sha256"]).decode().count("完成") == 8


def test_a_worker_reconnects_when_redis_comes_back(queue_env, tmp_path):
    """Redis goes away under a running worker and comes back (with its persisted data): the worker
    carries on, and a job submitted then completes."""
    from workers.local import LocalRedis, WorkerProcesses

    server = LocalRedis(tmp_path)
    env = {**queue_env, "REDIS_URL": server.url}
    pool = WorkerProcesses(env, tmp_path)
    try:
        pool.start(concurrency=1)
        pool.wait_ready()
        server.stop()
        time.sleep(3)
        server.start()
        result = subprocess.run([sys.executable, "-m", "docgen.cli", "submit", "plaque",
                                 str(SAMPLES / "plaques/jiaozuo-gaoxin.yaml"), "--wait"],
                                capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "已完成" in result.stdout
    finally:
        pool.stop_all()
        server.stop()

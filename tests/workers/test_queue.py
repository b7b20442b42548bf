"""The queue end to end: a real Redis and real worker processes, started here (never eager mode)."""

from __future__ import annotations

import os
import re
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


def test_hanging_and_crashing_items_fail_and_the_rest_of_the_batch_completes(workers, tmp_path):
    from workers.client import submit

    workers.start(concurrency=2)
    plaque = {"kind": "plaque", "station": "知识产权保护工作站修武县云台山园区站"}
    path = record_file(tmp_path, "trouble", {"kind": "trouble-batch", "items": [
        plaque, {"kind": "hang", "seconds": 600}, plaque, {"kind": "crash"}, plaque]})
    state = wait(submit("trouble-batch", path), timeout=120)
    assert state.state == "partly failed" and state.done == 3 and state.failed == 2
    errors = {item.index: item.error for item in state.items if item.error}
    assert "超过 20 秒" in errors[1]
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
    assert re.match(r"redis://(:[^@]*@)?redis:6379/", worker["environment"]["REDIS_URL"])  # a password may come first
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
        # the worker said its connection was lost, so that the watchdog re-publishes unfinished jobs' work
        from workers.store import DISRUPTED, JobStore
        assert JobStore(server.url).redis.get(DISRUPTED) is not None
    finally:
        pool.stop_all()
        server.stop()


def test_job_ids_carry_128_random_bits(queue_env):
    from workers.client import job_store

    ids = {job_store().create("notice", "x", {"kind": "notice"}) for _ in range(20)}
    assert len(ids) == 20 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)  # secrets.token_hex(16)


def test_a_batch_is_split_once_and_each_item_travels_alone(workers, tmp_path):
    """The batch record is validated by start_job and by the merge only, split once; each item's data is
    in the job store and its message carries (job id, index)."""
    import redis

    from workers.client import job_store, submit

    workers.start(concurrency=2)
    tag = os.urandom(4).hex()
    items = [{"kind": "hang", "seconds": 0} for _ in range(6)]
    state = wait(submit("trouble-batch", record_file(tmp_path, "counted", {"kind": "trouble-batch", "tag": tag,
                                                                          "items": items})))
    assert state.state == "succeeded" and state.done == 6
    counts = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert int(counts.get(f"test:split:{tag}")) == 1
    assert int(counts.get(f"test:parse:{tag}")) == 2  # start_job, then the merge
    assert job_store().items(state.id) == [(f"第{n}项", item) for n, item in enumerate(items, 1)]


def test_every_job_has_a_deadline_from_its_size(queue_env):
    """Queued: time for its start; running: slack + items × hard limit × deliveries (25 s × 2 here)."""
    from workers.client import job_store
    from workers.store import ACTIVE

    jobs = job_store()
    job_id = jobs.create("trouble-batch", "deadline", {"kind": "trouble-batch", "items": []})
    created = float(jobs.flags(job_id)["created"])
    assert jobs.redis.zscore(ACTIVE, job_id) == pytest.approx(created + jobs.limits.job_slack + 50)
    jobs.start(job_id, [(f"第{n}项", {"kind": "hang"}) for n in range(1, 5)], batch=True)
    started = float(jobs.flags(job_id)["started"])
    assert jobs.redis.zscore(ACTIVE, job_id) == pytest.approx(started + jobs.limits.job_slack + 4 * 50)
    jobs.forget(job_id)


def _lost_items_job(jobs, items: list[dict]) -> str:
    """A running batch whose item messages were all lost (none is on the queue), as after a broker crash.
    An earlier drill's broker disruption, if still unhealed, is forgotten: only the test's own steps count."""
    from workers.store import DISRUPTED, HEALED

    jobs.redis.delete(DISRUPTED, HEALED)
    job_id = jobs.create("trouble-batch", "lost", {"kind": "trouble-batch", "items": items})
    jobs.start(job_id, [(f"第{n}项", item) for n, item in enumerate(items, 1)], batch=True)
    return job_id


def test_the_watchdog_requeues_lost_items_once_and_the_job_completes(workers):
    from workers.client import job_store

    workers.start(concurrency=1)
    workers.start(concurrency=1)  # two watchdogs at once
    jobs = job_store()
    batch = _lost_items_job(jobs, [{"kind": "hang", "seconds": 0}] * 5)
    never_started = jobs.create("trouble-batch", "lost-start", {"kind": "trouble-batch",
                                                                "items": [{"kind": "hang", "seconds": 0}]})
    jobs.set_deadline(batch, 0)
    jobs.set_deadline(never_started, 0)
    for job_id, total in ((batch, 5), (never_started, 1)):
        state = wait(job_id, timeout=60)
        assert state.state == "succeeded" and state.done == total, state
        assert "requeued" in jobs.flags(job_id)
    deliveries = [int(v) for v in jobs.redis.hgetall(f"docgen:job:{batch}:deliveries").values()]
    assert deliveries == [1] * 5  # re-queued once, by one of the two watchdogs


def test_the_watchdog_fails_items_still_lost_after_their_requeue_and_merges_the_rest(workers):
    from workers.client import job_store
    from workers.tasks import render_item

    workers.start(concurrency=1)
    workers.start(concurrency=1)
    jobs = job_store()
    job_id = _lost_items_job(jobs, [{"kind": "hang", "seconds": 0}] * 4)
    jobs.mark(job_id, "requeued")  # its one re-queue was spent, and lost again
    render_item.delay(job_id, 1)
    render_item.delay(job_id, 2)
    deadline = time.monotonic() + 60
    while jobs.status(job_id).done < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    jobs.set_deadline(job_id, 0)
    state = wait(job_id, timeout=60)
    assert state.state == "partly failed" and state.done == 2 and state.failed == 2, state
    errors = {item.index: item.error for item in state.items if item.error}
    assert errors == {0: "第1项：任务项丢失：超过期限仍未完成", 3: "第4项：任务项丢失：超过期限仍未完成"}
    [summary] = state.artifacts
    lines = jobs.blob(summary["sha256"]).decode().splitlines()
    assert lines == ["第1项 失败：第1项：任务项丢失：超过期限仍未完成", "第2项 完成 slept.txt", "第3项 完成 slept.txt",
                     "第4项 失败：第4项：任务项丢失：超过期限仍未完成"]
    assert jobs.redis.zscore("docgen:jobs:active", job_id) is None  # final: off the watchdog's list


def test_after_a_broker_disruption_unfinished_jobs_are_published_again_long_before_their_deadline(workers):
    """Messages in flight when the broker connection dropped are gone (see workers/watchdog.heal): once a
    worker notes the disruption, the watchdog publishes every unfinished job's pending work again — without
    spending the job's one re-queue or touching its deadline."""
    from workers.client import job_store
    from workers.store import ACTIVE

    workers.start(concurrency=1)
    workers.start(concurrency=1)
    workers.wait_ready(timeout=120)
    jobs = job_store()
    batch = _lost_items_job(jobs, [{"kind": "hang", "seconds": 0}] * 5)
    never_started = jobs.create("trouble-batch", "lost-start", {"kind": "trouble-batch",
                                                                "items": [{"kind": "hang", "seconds": 0}]})
    assert jobs.unhealed_disruption() is None
    deadlines = {job_id: jobs.redis.zscore(ACTIVE, job_id) for job_id in (batch, never_started)}
    assert all(d > time.time() + 600 for d in deadlines.values())  # far away: only healing can end them now
    jobs.note_disruption()
    for job_id, total in ((batch, 5), (never_started, 1)):
        state = wait(job_id, timeout=60)
        assert state.state == "succeeded" and state.done == total, state
        assert "requeued" not in jobs.flags(job_id)
    assert jobs.unhealed_disruption() is None
    deliveries = [int(v) for v in jobs.redis.hgetall(f"docgen:job:{batch}:deliveries").values()]
    assert deliveries == [1] * 5  # published again once, by one of the two watchdogs


def test_warm_up_renders_a_plaque_too():
    from docgen.plaques import glyphs
    from docgen.warmup import warm_up

    glyphs._outline.cache_clear()
    warm_up(render=True)
    assert glyphs._outline.cache_info().currsize > 0  # the first plaque item parses no font


def test_artifact_bytes_live_in_the_artifact_store_not_in_redis(workers, queue_env, tmp_path):
    """Redis keeps job state; the bytes go to DOCGEN_ARTIFACTS_URL (here a folder), under their SHA-256."""
    from workers.client import fetch, job_store, submit

    workers.start(concurrency=1)
    state = wait(submit("plaque", SAMPLES / "plaques/jiaozuo-gaoxin.yaml"))
    assert state.state == "succeeded"
    folder = Path(queue_env["DOCGEN_ARTIFACTS_URL"])
    stored = {p.name for p in folder.rglob("*") if p.is_file()}
    assert {a["sha256"] for a in state.artifacts} <= stored
    assert not list(job_store().redis.scan_iter("docgen:blob:*"))
    assert [p.read_bytes()[:4] for p in fetch(state.id, tmp_path) if p.suffix == ".pdf"] == [b"%PDF"]

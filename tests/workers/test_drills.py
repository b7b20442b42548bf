"""Drills on real processes: Redis stopped (SIGTERM) or killed (kill -9) mid-batch and restarted on its
port with its append-only data, a worker killed mid-batch, an item that poisons its process. In each,
every good item's artifact is in the merged result exactly once and every job ends."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

import tests.workers.plugin  # noqa: F401  (the test kinds, registered in this process as in the workers)
from tests.workers.test_queue import record_file, wait

PLAQUES = 60


def plaque_batch(tmp_path, n: int = PLAQUES):
    stations = [{"serial": i + 1, "name": f"知识产权保护工作站演练{i + 1:03d}园区站", "bureau": "山阳区"}
                for i in range(n)]
    return record_file(tmp_path, "drill", {"kind": "plaque-batch", "variant": "contact", "proof_dpi": 30,
                                           "stations": stations})


def finished(job_id: str) -> tuple[int, bool]:
    from workers.client import job_store

    state = job_store().status(job_id, with_items=False)
    return state.finished_items, state.final


def until_mid_way(job_id: str, at_least: int = 3) -> None:
    """Polls until some items are done; the drill then strikes while the rest are still to do."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done, final = finished(job_id)
        assert not final, "the batch ended before the drill could interrupt it"
        if done >= at_least:
            return
        time.sleep(0.01)
    raise AssertionError("the batch did not start")


def assert_each_plaque_once(state, n: int = PLAQUES) -> None:
    from workers.client import job_store

    assert state.state == "succeeded" and state.done == n and state.failed == 0, state
    assert sorted(item.index for item in state.items) == list(range(n))
    [archive] = state.artifacts
    names = zipfile.ZipFile(io.BytesIO(job_store().blob(archive["sha256"]))).namelist()
    pdfs = [name for name in names if name.startswith("印刷文件/")]
    assert len(pdfs) == len(set(pdfs)) == n
    assert "失败清单.txt" not in names


@pytest.mark.parametrize("how", ["sigterm", "kill9"])
def test_redis_goes_down_mid_batch_and_every_item_is_done_once(how, redis_server, workers, tmp_path):
    from workers.client import submit

    workers.start(concurrency=1)
    workers.start(concurrency=1)
    workers.wait_ready(timeout=120)
    job_id = submit("plaque-batch", plaque_batch(tmp_path))
    until_mid_way(job_id)
    if how == "sigterm":
        redis_server.stop()
    else:
        redis_server.kill9()
    time.sleep(2)  # items finishing meanwhile wait for the store
    redis_server.start()
    assert_each_plaque_once(wait(job_id, timeout=180))


def test_a_worker_killed_mid_batch_loses_nothing(workers, tmp_path):
    """kill -9 of one of two workers (and its pool): its item comes back after the visibility timeout."""
    from workers.client import submit

    first = workers.start(concurrency=1)
    workers.start(concurrency=1)
    workers.wait_ready(timeout=120)
    job_id = submit("plaque-batch", plaque_batch(tmp_path))
    until_mid_way(job_id)
    workers.kill9(first)
    assert_each_plaque_once(wait(job_id, timeout=180))


def test_an_interrupted_item_fails_alone(workers, tmp_path):
    """An item stopped by the soft time limit while it builds a module-level cache leaves the cache broken
    (as a half-loaded fontTools font would): its process must not serve another item. One pool process,
    so without that every later `fragile` item would trip on the broken cache (AttributeError: cmap)."""
    from workers.client import job_store, submit

    workers.start(concurrency=1)
    items = [{"kind": "fragile", "rebuild": 600}]
    for n in range(12):
        items.append({"kind": "fragile"} if n % 2 else
                     {"kind": "plaque", "station": f"知识产权保护工作站演练{n:03d}园区站", "proof_dpi": 30})
    items += [{"kind": "fragile"} for _ in range(4)]
    state = wait(submit("trouble-batch", record_file(tmp_path, "poison", {"kind": "trouble-batch", "items": items})),
                 timeout=180)
    assert state.state == "partly failed" and state.failed == 1 and state.done == len(items) - 1, state
    [failed] = [item for item in state.items if item.error]
    assert failed.index == 0 and "超过 20 秒" in failed.error
    [summary] = state.artifacts
    lines = job_store().blob(summary["sha256"]).decode().splitlines()
    good = [line for line in lines if " 完成 " in line]
    assert len(good) == len(set(good)) == len(items) - 1

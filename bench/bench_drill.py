"""Drills: a private Redis and 2 worker processes on this machine, a batch of N plaques, and mid-way
Redis stopped (SIGTERM) or killed (kill -9) and restarted on its port, a worker killed (kill -9), or an
item that poisons its pool process (a soft time limit while it builds a cache).

    .venv/bin/python bench/bench_drill.py [--items 120] [--down 2]

One line per drill: submitted / completed / lost / duplicated / seconds to recover — recover is from
Redis back up (or the worker killed, or the poisoned item stopped) until the job is final.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LIMITS = {"DOCGEN_SOFT_TIME_LIMIT": "20", "DOCGEN_HARD_TIME_LIMIT": "25", "DOCGEN_VISIBILITY_TIMEOUT": "30",
          "DOCGEN_MAX_DELIVERIES": "2", "DOCGEN_WATCHDOG_INTERVAL": "5", "DOCGEN_PLUGINS": "tests.workers.plugin"}


def write(tmp: Path, name: str, data: dict) -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def plaques(tmp: Path, n: int) -> Path:
    stations = [{"serial": i + 1, "name": f"知识产权保护工作站演练{i + 1:03d}园区站", "bureau": "山阳区"} for i in range(n)]
    return write(tmp, "plaques", {"kind": "plaque-batch", "variant": "contact", "proof_dpi": 30, "stations": stations})


def poison(tmp: Path, n: int) -> Path:
    """The poisoned item first, then cache users between slow items, so that many are still to do when
    the poisoned item is stopped."""
    items = [{"kind": "fragile", "rebuild": 600}]
    items += [{"kind": "fragile"} if i % 2 else {"kind": "hang", "seconds": 0.8} for i in range(n - 1)]
    return write(tmp, "poison", {"kind": "trouble-batch", "items": items})


def wait_final(store, job_id: str, timeout: float = 600) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if store.status(job_id, with_items=False).final:
            return time.monotonic()
        time.sleep(0.05)
    raise SystemExit(f"job {job_id} still not final after {timeout} s")


def until(store, job_id: str, test) -> None:
    while not test(store.status(job_id, with_items=False)):
        time.sleep(0.01)


def outcome(store, job_id: str, submitted: int, good: int) -> tuple[int, int, int]:
    """(completed, lost, duplicated): good items' artifacts in the merged result, against those expected."""
    state = store.status(job_id)
    [merged] = state.artifacts
    data = store.blob(merged["sha256"])
    if merged["filename"].endswith(".zip"):
        names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("印刷文件/")]
    else:
        names = [line.split(" ")[0] for line in data.decode().splitlines() if " 完成 " in line]
    return state.done, good - len(set(names)), len(names) - len(set(names))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=120)
    parser.add_argument("--down", type=float, default=2.0, help="seconds Redis stays down")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="docgen-drill-"))
    from workers.local import LocalRedis, WorkerProcesses

    server = LocalRedis(tmp)
    os.environ.update({**LIMITS, "REDIS_URL": server.url})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    import tests.workers.plugin  # noqa: F401
    from workers.client import job_store, submit

    store = job_store()
    n = args.items
    print(f"{n} items, 2 workers × 1 process, soft/hard limit {LIMITS['DOCGEN_SOFT_TIME_LIMIT']}/"
          f"{LIMITS['DOCGEN_HARD_TIME_LIMIT']} s, visibility timeout {LIMITS['DOCGEN_VISIBILITY_TIMEOUT']} s")
    print(f"{'drill':<14} submitted / completed / lost / duplicated / seconds to recover   (logs: {tmp})")
    try:
        for drill in ("redis SIGTERM", "redis kill -9", "worker kill -9", "poison item"):
            logs = tmp / drill.replace(" ", "-")
            logs.mkdir()
            pool = WorkerProcesses(env, logs)
            first = pool.start(concurrency=1)
            pool.start(concurrency=1)
            pool.wait_ready(timeout=120)
            record = poison(tmp, n) if drill == "poison item" else plaques(tmp, n)
            job_id = submit("trouble-batch" if drill == "poison item" else "plaque-batch", record)
            if drill == "poison item":
                until(store, job_id, lambda s: s.failed >= 1)  # the poisoned item was stopped
                good = n - 1
            else:
                until(store, job_id, lambda s: s.finished_items >= n // 4)
                good = n
                if drill == "worker kill -9":
                    pool.kill9(first)
                else:
                    server.stop() if drill == "redis SIGTERM" else server.kill9()
                    time.sleep(args.down)
                    server.start()
            start = time.monotonic()
            end = wait_final(store, job_id)
            completed, lost, duplicated = outcome(store, job_id, n, good)
            print(f"{drill:<14} {n} / {completed} / {lost} / {duplicated} / {end - start:.1f}")
            pool.stop_all()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

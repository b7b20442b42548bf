"""Benchmark: documents through the queue (a private Redis and real Celery workers on this machine),
with 1 and with 2 worker processes, and the queue's own overhead per job.

    .venv/bin/python bench/bench_queue.py [--items 200]

Prints items/s per kind and worker count, the scaling ratio (goal ≥ 1.7× on 2 cores) and the overhead
per job: submit-to-done minus the same record's in-process render time (goal p50 ≤ 50 ms).
Kinds: plaques (one plaque-batch of N stations) and 公文 (N single notice jobs). 批复 are not yet a kind.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


FINAL = ("succeeded", "partly failed", "failed")


def wait_all(job_ids: list[str], store, interval: float = 0.1) -> float:
    """Polls the jobs' states, all in one Redis round trip, until all are final (the poll must not take
    the CPU the workers are being measured on)."""
    pending = list(job_ids)
    while pending:
        pipe = store.redis.pipeline()
        for job_id in pending:
            pipe.hget(f"docgen:job:{job_id}", "state")
        pending = [j for j, state in zip(pending, pipe.execute()) if (state or b"").decode() not in FINAL]
        if pending:
            time.sleep(interval)
    return time.perf_counter()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--overhead-jobs", type=int, default=30)
    args = parser.parse_args()

    from workers.local import LocalRedis, WorkerProcesses

    tmp = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    server = LocalRedis(tmp)
    os.environ["REDIS_URL"] = server.url
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    from docgen.kinds import render_file
    from workers.client import job_store, submit

    store = job_store()

    stations = [{"name": f"知识产权保护工作站测试{i:03d}园区站", "bureau": "山阳区"} for i in range(args.items)]
    batch = tmp / "plaques.yaml"
    batch.write_text(yaml.safe_dump({"kind": "plaque-batch", "variant": "contact", "stations": stations},
                                    allow_unicode=True), encoding="utf-8")
    notice = ROOT / "samples" / "notices" / "jiancha-2024-12.yaml"
    results: dict[tuple[str, int], float] = {}
    try:
        for processes in (1, 2):
            pool = WorkerProcesses(env, tmp)
            for _ in range(processes):
                pool.start(concurrency=1)
            pool.wait_ready()
            start = time.perf_counter()
            end = wait_all([submit("plaque-batch", batch)], store)
            results[("plaques", processes)] = args.items / (end - start)
            start = time.perf_counter()
            end = wait_all([submit("notice", notice) for _ in range(args.items)], store)
            results[("公文", processes)] = args.items / (end - start)
            if processes == 1:
                render_file(notice)
                render = statistics.median(_timed(lambda: render_file(notice)) for _ in range(10))
                overheads = []
                for _ in range(args.overhead_jobs):
                    start = time.perf_counter()
                    wait_all([submit("notice", notice)], store, interval=0.002)
                    overheads.append(time.perf_counter() - start - render)
            pool.stop_all()
    finally:
        server.stop()

    for kind in ("plaques", "公文"):
        one, two = results[(kind, 1)], results[(kind, 2)]
        print(f"{kind:<8} 1 worker {one:6.1f} items/s   2 workers {two:6.1f} items/s   scaling {two / one:.2f}×")
    overheads.sort()
    print(f"in-process render of the same notice: {render * 1000:.0f} ms")
    print(f"queue overhead per job (submit → done − render): p50 {statistics.median(overheads) * 1000:.0f} ms, "
          f"p90 {overheads[int(len(overheads) * 0.9) - 1] * 1000:.0f} ms over {len(overheads)} jobs")
    return 0


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())

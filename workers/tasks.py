"""Tasks: a single document renders in the task that starts its job; a batch is split once, its items stored
and fanned out one message each; every item records its result once, and the item that completes the job
queues its merge. A message is acknowledged only after its result is in the job store: while Redis is away
a task waits for it, and a task that cannot finish its bookkeeping leaves its process without a result, so
the message is delivered again. The watchdog (workers/watchdog.py, run by every worker) gives every job an end."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

import redis
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError

from docgen.kinds import BatchItem, ItemResult, parse_record, render_data
from docgen.problems import InvalidRecord
from docgen.records.includes import refuse_file_references
from workers.app import SETTINGS, app
from workers.store import FAILED, PARTLY_FAILED, QUEUED, SUCCEEDED, JobStore

log = logging.getLogger("docgen.queue")
TRANSIENT = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError, OperationalError)
FINAL = (SUCCEEDED, PARTLY_FAILED, FAILED)


def store() -> JobStore:
    return JobStore(SETTINGS.store_url, SETTINGS.job_ttl_days, SETTINGS)


# ---- waiting for Redis, leaving a process --------------------------------------------------------------

def _leave(reason: str) -> None:
    """Ends this pool process without a result: the message, never acknowledged, is delivered again (at
    once when the broker is up, else after the visibility timeout), and billiard starts a fresh process."""
    log.warning("pool process leaves: %s", reason)
    raise SystemExit(0)


def _patiently(fn: Callable, *args: Any) -> Any:
    """``fn(*args)``, retried with bounded backoff while Redis is away (up to DOCGEN_STORE_WAIT seconds)."""
    delay, give_up = 0.2, time.monotonic() + SETTINGS.store_wait
    while True:
        try:
            return fn(*args)
        except TRANSIENT as exc:
            if time.monotonic() + delay > give_up:
                _leave(f"Redis away for over {SETTINGS.store_wait} s ({exc})")
            log.warning("waiting for Redis: %s", exc)
            try:
                time.sleep(delay)
            except SoftTimeLimitExceeded:
                _leave("soft time limit while waiting for Redis")
            delay = min(delay * 2, 5.0)


def _direct(fn: Callable, *args: Any) -> Any:
    return fn(*args)


def _guarded(task: Callable) -> Callable:
    """An exception must never leave a task: Celery would reject its message for good. A bug in the
    queue's own code, or a soft time limit outside rendering, ends the process instead (redelivery)."""
    def run(*args: Any) -> None:
        try:
            task(*args)
        except SoftTimeLimitExceeded:
            _leave(f"soft time limit in {task.__name__}{args}")
        except Exception:
            log.exception("%s%s failed", task.__name__, args)
            _leave(f"unexpected error in {task.__name__}{args}")
    run.__name__ = task.__name__
    run.__doc__ = task.__doc__
    return run


def _publish(task, *args: Any) -> None:
    task.apply_async(args, retry=False)


# ---- tasks ---------------------------------------------------------------------------------------------

def _plan(job: dict) -> tuple[bool, list[BatchItem]]:
    """(is it a batch, its items): a single document is a batch of one. A record on the queue carries its
    data: one naming a file on the server is refused, never read."""
    refuse_file_references(job["record"], job["name"])
    kind, record = parse_record(job["record"], job["name"])
    if kind.is_batch:
        return True, kind.split(record)
    return False, [BatchItem(job["name"], job["record"])]


@app.task(name="docgen.start_job")
@_guarded
def start_job(job_id: str) -> None:
    """Validates and splits the job's record once and stores its items; renders a single document here,
    or fans a batch's items out, one message each. A redelivery picks up where the last one stopped."""
    jobs = store()
    flags = _patiently(jobs.flags, job_id)
    if not flags or flags["state"] in FINAL:
        return
    if flags["state"] == QUEUED:
        job = _patiently(jobs.record, job_id)
        try:
            batch, items = _plan(job)
        except InvalidRecord as exc:
            _refuse(jobs, job_id, job["name"], exc.report(), _patiently)
            return
        except Exception as exc:  # a bug, not bad data: the job says so instead of waiting forever
            _refuse(jobs, job_id, job["name"], f"内部错误（{type(exc).__name__}：{exc}），请联系管理员", _patiently)
            return
        _patiently(jobs.start, job_id, [(item.label, item.data) for item in items], batch)
    else:
        batch = flags.get("batch") == "1"
    if not batch:
        _run(jobs, job_id, 0, batch=False)
        return
    if "fanned" in flags:
        return
    total = int(_patiently(jobs.flags, job_id)["total"])
    for index in _patiently(jobs.missing, job_id, total):
        _patiently(_publish, render_item, job_id, index)
    _patiently(jobs.mark, job_id, "fanned")


@app.task(name="docgen.render_item")
@_guarded
def render_item(job_id: str, index: int) -> None:
    """One item of a batch: reads only its own data from the job store."""
    _run(store(), job_id, index, batch=True)


def _run(jobs: JobStore, job_id: str, index: int, batch: bool) -> None:
    """Renders one item once: a redelivered item already done changes nothing; one that keeps killing or
    hanging its worker is given up after DOCGEN_MAX_DELIVERIES deliveries. An item interrupted by the soft
    time limit or by an unexpected error fails alone: its process may hold half-built caches (fonts …),
    so it records the failure and then leaves."""
    if _patiently(jobs.has_result, job_id, index):
        _finalise_if_complete(jobs, job_id, batch, _patiently)
        return
    try:
        label, data = _patiently(jobs.item, job_id, index)
    except KeyError:  # the job expired from the store
        return
    if _patiently(jobs.deliveries, job_id, index) > SETTINGS.max_deliveries:
        _record(jobs, job_id, index, [], f"{label}：多次导致工作进程崩溃或超时（已投递 "
                                         f"{SETTINGS.max_deliveries} 次），已放弃", batch, _patiently)
        return
    try:
        artifacts = render_data(data, label)
    except InvalidRecord as exc:  # the staff's data is wrong: retrying cannot help
        _record(jobs, job_id, index, [], exc.report(), batch, _patiently)
        return
    except SoftTimeLimitExceeded:
        error = f"{label}：处理超过 {SETTINGS.soft_time_limit} 秒，已停止"
    except Exception as exc:  # a bug, not bad data: this item fails, the rest of the batch goes on
        error = f"{label}：内部错误（{type(exc).__name__}：{exc}），请联系管理员"
    else:
        _record(jobs, job_id, index, _patiently(jobs.put_artifacts, artifacts), "", batch, _patiently)
        return
    _record(jobs, job_id, index, [], error, batch, _patiently)
    _leave(f"item {job_id}/{index} was interrupted; its process may hold half-built state")


def _refuse(jobs: JobStore, job_id: str, name: str, error: str, call: Callable) -> None:
    call(jobs.start, job_id, [(name, None)], False)
    call(jobs.finish_item, job_id, 0, [], error)
    call(jobs.finish_job, job_id, [], error)


def _record(jobs: JobStore, job_id: str, index: int, artifacts: list[dict], error: str, batch: bool,
            call: Callable) -> None:
    call(jobs.finish_item, job_id, index, artifacts, error)
    _finalise_if_complete(jobs, job_id, batch, call)


def _finalise_if_complete(jobs: JobStore, job_id: str, batch: bool, call: Callable) -> None:
    """Once every item has its result, exactly one caller finalises: a batch's merge is queued, a single
    document's job takes its item's result. Also run on redeliveries, so a lost reply heals itself."""
    if not (call(jobs.complete, job_id) and call(jobs.claim_finalisation, job_id)):
        return
    if batch:
        call(_publish, finish, job_id)
    else:
        _finish_single(jobs, job_id, call)


def _finish_single(jobs: JobStore, job_id: str, call: Callable) -> None:
    [(_, described, error)] = call(jobs.item_artifacts, job_id)
    call(jobs.finish_job, job_id, described, error)


@app.task(name="docgen.finish")
@_guarded
def finish(job_id: str) -> None:
    """A job's end: a batch's merge (ZIP, imposition …) of the stored items and their results."""
    jobs = store()
    flags = _patiently(jobs.flags, job_id)
    if not flags or flags["state"] in FINAL:
        return
    if flags.get("batch") != "1":
        _finish_single(jobs, job_id, _patiently)
        return
    job = _patiently(jobs.record, job_id)
    items = [BatchItem(label, data) for label, data in _patiently(jobs.items, job_id)]
    # read one item's artifacts at a time, as the merge asks for them: a 2,000-plaque batch is never all in memory
    results = (ItemResult(items[i], [_patiently(jobs.artifact, a) for a in described], error)
               for i, described, error in _patiently(jobs.item_artifacts, job_id))
    try:
        kind, record = parse_record(job["record"], job["name"])
        merged = kind.merge(record, results)
    except SoftTimeLimitExceeded:
        _patiently(jobs.finish_job, job_id, [], f"合并超过 {SETTINGS.soft_time_limit} 秒，已停止")
        _leave(f"merge of {job_id} was interrupted")
    except Exception as exc:  # a bug: the job ends, saying so
        log.exception("merge of %s failed", job_id)
        _patiently(jobs.finish_job, job_id, [], f"合并失败：内部错误（{type(exc).__name__}：{exc}），请联系管理员")
        return
    _patiently(jobs.finish_job, job_id, _patiently(jobs.put_artifacts, merged))

"""Tasks: a single document renders in the task that starts its job; a batch fans its items out, each
renders through the docgen registry and records its result once, and the item that completes the batch
queues its merge."""

from __future__ import annotations

import redis
from celery.exceptions import SoftTimeLimitExceeded

from docgen.kinds import BatchItem, ItemResult, parse_record, render_data
from docgen.problems import InvalidRecord
from workers.app import SETTINGS, app
from workers.store import JobStore

TRANSIENT = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": True, "max_retries": 8}


def store() -> JobStore:
    return JobStore(SETTINGS.store_url, SETTINGS.job_ttl_days)


def _plan(job: dict) -> tuple[bool, list[BatchItem]]:
    """(is it a batch, its items): a single document is a batch of one."""
    kind, record = parse_record(job["record"], job["name"])
    if kind.is_batch:
        return True, kind.split(record)
    return False, [BatchItem(job["name"], job["record"])]


@app.task(bind=True, name="docgen.start_job", **RETRY)
def start_job(self, job_id: str) -> None:
    """Validates the job's record; renders a single document here, or fans a batch's items out."""
    jobs = store()
    job = jobs.record(job_id)
    try:
        batch, items = _plan(job)
    except InvalidRecord as exc:
        _refuse(jobs, job_id, job["name"], exc.report())
        return
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug, not bad data: the job says so instead of waiting forever
        _refuse(jobs, job_id, job["name"], f"内部错误（{type(exc).__name__}：{exc}），请联系管理员")
        return
    jobs.start(job_id, [item.label for item in items])
    if not batch:
        _run(jobs, job_id, 0, items[0], batch=False)
        return
    for index in range(len(items)):
        render_item.delay(job_id, index)


@app.task(bind=True, name="docgen.render_item", **RETRY)
def render_item(self, job_id: str, index: int) -> None:
    jobs = store()
    _, items = _plan(jobs.record(job_id))
    _run(jobs, job_id, index, items[index], batch=True)


def _run(jobs: JobStore, job_id: str, index: int, item: BatchItem, batch: bool) -> None:
    """Renders one item once: a redelivered item already done changes nothing; one that keeps killing or
    hanging its worker is given up after DOCGEN_MAX_DELIVERIES deliveries."""
    if jobs.has_result(job_id, index):
        return
    if jobs.deliveries(job_id, index) > SETTINGS.max_deliveries:
        _record(jobs, job_id, index, [], f"{item.label}：多次导致工作进程崩溃或超时（已投递 "
                                         f"{SETTINGS.max_deliveries} 次），已放弃", batch)
        return
    try:
        artifacts = render_data(item.data, item.label)
    except InvalidRecord as exc:  # the staff's data is wrong: retrying cannot help
        _record(jobs, job_id, index, [], exc.report(), batch)
        return
    except SoftTimeLimitExceeded:
        _record(jobs, job_id, index, [], f"{item.label}：处理超过 {SETTINGS.soft_time_limit} 秒，已停止", batch)
        return
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug, not bad data: this item fails, the rest of the batch goes on
        _record(jobs, job_id, index, [], f"{item.label}：内部错误（{type(exc).__name__}：{exc}），请联系管理员",
                batch)
        return
    _record(jobs, job_id, index, jobs.put_artifacts(artifacts), "", batch)


def _refuse(jobs: JobStore, job_id: str, name: str, error: str) -> None:
    jobs.start(job_id, [name])
    jobs.finish_item(job_id, 0, [], error)
    jobs.finish_job(job_id, [], error)


def _record(jobs: JobStore, job_id: str, index: int, artifacts: list[dict], error: str, batch: bool) -> None:
    if not (jobs.finish_item(job_id, index, artifacts, error) and jobs.claim_finalisation(job_id)):
        return
    if batch:
        finish.delay(job_id)
    else:
        jobs.finish_job(job_id, artifacts, error)


@app.task(bind=True, name="docgen.finish", **RETRY)
def finish(self, job_id: str) -> None:
    """A batch's merge (ZIP, imposition …), once all its items have a result."""
    jobs = store()
    job = jobs.record(job_id)
    kind, record = parse_record(job["record"], job["name"])
    _, items = _plan(job)
    results = [ItemResult(items[i], [jobs.artifact(a) for a in described], error)
               for i, described, error in jobs.item_artifacts(job_id)]
    jobs.finish_job(job_id, jobs.put_artifacts(kind.merge(record, results)))

"""Tasks: a job is split into items (one for a single document, many for a batch); each item renders
through the docgen registry and records its result once; the item that completes the job merges."""

from __future__ import annotations

import redis
from celery.exceptions import SoftTimeLimitExceeded

from docgen.kinds import BatchItem, ItemResult, parse_record, render_data
from docgen.problems import InvalidRecord
from workers.app import SETTINGS, app
from workers.store import JobStore

TRANSIENT = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)


def store() -> JobStore:
    return JobStore(SETTINGS.store_url, SETTINGS.job_ttl_days)


def _items(job: dict) -> list[BatchItem]:
    kind, record = parse_record(job["record"], job["name"])
    if kind.is_batch:
        return kind.split(record)
    return [BatchItem(job["name"], job["record"])]


@app.task(bind=True, name="docgen.start_job", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=8)
def start_job(self, job_id: str) -> None:
    """Validates the job's record and fans its items out to the workers."""
    jobs = store()
    job = jobs.record(job_id)
    try:
        items = _items(job)
    except InvalidRecord as exc:
        _refuse(jobs, job_id, job["name"], exc.report())
        return
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug, not bad data: the job says so instead of waiting forever
        _refuse(jobs, job_id, job["name"], f"内部错误（{type(exc).__name__}：{exc}），请联系管理员")
        return
    jobs.start(job_id, [item.label for item in items])
    for index in range(len(items)):
        render_item.delay(job_id, index)


@app.task(bind=True, name="docgen.render_item", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=8)
def render_item(self, job_id: str, index: int) -> None:
    jobs = store()
    if jobs.has_result(job_id, index):
        return  # redelivered after it was done: exactly one result already stands
    if jobs.deliveries(job_id, index) > SETTINGS.max_deliveries:
        error = f"第 {index + 1} 项多次导致工作进程崩溃或超时（已投递 {SETTINGS.max_deliveries} 次），已放弃"
        _record(jobs, job_id, index, [], error)
        return
    job = jobs.record(job_id)
    item = _items(job)[index]
    try:
        artifacts = render_data(item.data, item.label)
    except InvalidRecord as exc:  # the staff's data is wrong: retrying cannot help
        _record(jobs, job_id, index, [], exc.report())
        return
    except SoftTimeLimitExceeded:
        _record(jobs, job_id, index, [], f"{item.label}：处理超过 {SETTINGS.soft_time_limit} 秒，已停止")
        return
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug, not bad data: this item fails, the rest of the batch goes on
        _record(jobs, job_id, index, [], f"{item.label}：内部错误（{type(exc).__name__}：{exc}），请联系管理员")
        return
    _record(jobs, job_id, index, jobs.put_artifacts(artifacts))


def _refuse(jobs: JobStore, job_id: str, name: str, error: str) -> None:
    jobs.start(job_id, [name])
    jobs.finish_item(job_id, 0, [], error)
    jobs.finish_job(job_id, [], error)


def _record(jobs: JobStore, job_id: str, index: int, artifacts: list[dict], error: str = "") -> None:
    if jobs.finish_item(job_id, index, artifacts, error) and jobs.claim_finalisation(job_id):
        finish.delay(job_id)


@app.task(bind=True, name="docgen.finish", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=8)
def finish(self, job_id: str) -> None:
    """A batch's merge (ZIP, imposition …); a single document's artifacts are its item's."""
    jobs = store()
    job = jobs.record(job_id)
    kind, record = parse_record(job["record"], job["name"])
    results = jobs.item_artifacts(job_id)
    if not kind.is_batch:
        [(_, artifacts, error)] = results
        jobs.finish_job(job_id, artifacts, error)
        return
    items = _items(job)
    merged = kind.merge(record, [ItemResult(items[i], [jobs.artifact(a) for a in described], error)
                                 for i, described, error in results])
    jobs.finish_job(job_id, jobs.put_artifacts(merged))

"""The watchdog: every job ends. It runs as a daemon thread in each worker's main process (not Celery beat,
which must run exactly once somewhere); a Redis lock lets one worker sweep per round, and every step is atomic
in Redis, so several workers sweeping at once change a job once. After a worker lost its broker connection it
re-publishes the pending work of every unfinished job (``heal``). It also removes job artifacts older than
DOCGEN_JOB_TTL_DAYS from the artifact store, once an hour."""

from __future__ import annotations

import logging
import time

from workers.app import SETTINGS
from workers.store import QUEUED, JobStore
from workers.tasks import FINAL, _direct, _publish, _record, _refuse, finish, render_item, start_job, store

log = logging.getLogger("docgen.queue")

LOST_ITEM = "任务项丢失：超过期限仍未完成"
LOST_JOB = "任务丢失：超过期限仍未开始处理，请重新提交"
RETENTION_INTERVAL = 3600  # s between sweeps of old job artifacts


def sweep(jobs: JobStore, now: float | None = None) -> list[str]:
    """One pass over the jobs past their deadline; returns what it did. Every step is atomic in Redis
    (HSETNX flags and results), so several workers sweeping at once change a job once.

    A job still queued is re-queued once, then failed. A running job's missing items are re-queued once
    (a duplicate of a live item is harmless: the first result wins) with a new deadline, then failed with
    ``LOST_ITEM`` — the batch merges what succeeded. A job whose items are all done but which never
    ended (its merge was lost) has its merge queued again."""
    now = time.time() if now is None else now
    limits, done = jobs.limits, []
    for job_id in jobs.overdue(now):
        flags = jobs.flags(job_id)
        if not flags or flags["state"] in FINAL:
            jobs.forget(job_id)
            continue
        if flags["state"] == QUEUED:
            if jobs.mark(job_id, "requeued"):
                _publish(start_job, job_id)
                jobs.set_deadline(job_id, now + limits.deadline(1))
                done.append(f"{job_id}: start re-queued")
            else:
                _refuse(jobs, job_id, flags["name"], LOST_JOB, _direct)
                done.append(f"{job_id}: never started, failed")
            continue
        batch = flags.get("batch") == "1"
        missing = jobs.missing(job_id, int(flags["total"]))
        if not missing:
            _publish(finish, job_id)
            jobs.set_deadline(job_id, now + limits.item_budget + limits.job_slack)
            done.append(f"{job_id}: merge re-queued")
        elif jobs.mark(job_id, "requeued"):
            for index in missing:
                _publish(*((render_item, job_id, index) if batch else (start_job, job_id)))
            jobs.set_deadline(job_id, now + limits.deadline(len(missing)))
            done.append(f"{job_id}: items {missing} re-queued")
        else:
            jobs.set_deadline(job_id, now + limits.item_budget + limits.job_slack)  # in case its merge is lost
            for index in missing:
                label = jobs.redis.hget(f"docgen:job:{job_id}:labels", str(index))
                label = label.decode() if label else f"第{index + 1}项"
                _record(jobs, job_id, index, [], f"{label}：{LOST_ITEM}", batch, _direct)
            done.append(f"{job_id}: items {missing} failed as lost")
    return done


def heal(jobs: JobStore) -> list[str]:
    """After a worker found its broker connection lost (Redis restarted, killed, or the network dropped), every
    unfinished job's pending work is published again: a message in flight at that moment is gone for good.
    (kombu's Redis transport takes a message off the queue with BRPOP and records it as unacknowledged in a
    second command; between the two it lives only in the worker, and a lost connection drops it.) A duplicate
    is harmless: an item already done is skipped, and the first result wins. Nothing is marked or failed
    here, so the deadlines keep their meaning."""
    mark = jobs.unhealed_disruption()
    if mark is None:
        return []
    done = []
    for job_id in jobs.active():
        flags = jobs.flags(job_id)
        if not flags or flags["state"] in FINAL:
            continue
        if flags["state"] == QUEUED:
            _publish(start_job, job_id)
            done.append(f"{job_id}: start published again")
            continue
        missing = jobs.missing(job_id, int(flags["total"]))
        if not missing:
            _publish(finish, job_id)
            done.append(f"{job_id}: merge published again")
        elif flags.get("batch") == "1":
            for index in missing:
                _publish(render_item, job_id, index)
            done.append(f"{job_id}: items {missing} published again")
        else:
            _publish(start_job, job_id)
            done.append(f"{job_id}: its document published again")
    jobs.healed(mark)
    return done


def watch(stop=None) -> None:
    """The watchdog loop, run in a thread of each worker's main process: every DOCGEN_WATCHDOG_INTERVAL
    seconds one worker (whichever takes the lock) sweeps. It never dies of an error."""
    jobs = store()
    interval = SETTINGS.watchdog_interval
    while not (stop and stop.is_set()):
        try:
            if jobs.lock("watchdog", interval):
                for line in heal(jobs) + sweep(jobs):
                    log.warning("watchdog: %s", line)
            if jobs.lock("artifact-retention", RETENTION_INTERVAL):
                removed = jobs.blobs.delete_older_than(jobs.ttl)
                if removed:
                    log.info("watchdog: %d job artifacts older than %d days removed", removed, jobs.ttl // 86400)
        except Exception as exc:  # Redis away or a bug: try again next time
            log.warning("watchdog sweep failed: %s", exc)
        if stop:
            stop.wait(interval)
        else:
            time.sleep(interval)

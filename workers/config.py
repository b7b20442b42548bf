"""Queue settings from the environment, with defaults that work on one machine."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class QueueSettings:
    broker_url: str  # REDIS_URL: the Celery broker
    store_url: str  # DOCGEN_STORE_URL: where job status and artifacts live (a persistent Redis)
    soft_time_limit: int  # s: an item over this is stopped and reported failed
    hard_time_limit: int  # s: the worker process running it is killed
    max_deliveries: int  # an item that kills its worker this many times is marked failed
    job_ttl_days: int  # job status and artifacts are kept this long
    max_tasks_per_child: int
    max_memory_per_child_kb: int
    job_slack: int = 600  # s added to every job's deadline (queueing, merge, restarts)
    watchdog_interval: int = 30  # s between two sweeps of the watchdog
    store_wait: int = 600  # s an item waits for the job store (Redis) to come back before giving up its process

    @property
    def visibility_timeout(self) -> int:
        """Must exceed the hard time limit, or Redis would hand a running item to a second worker; it is
        also how long an item held by a worker that died (kill -9) waits before another takes it."""
        wanted = _int("DOCGEN_VISIBILITY_TIMEOUT", 2 * self.hard_time_limit + 30)
        return max(wanted, self.hard_time_limit + 5)

    @property
    def item_budget(self) -> int:
        """The longest one item can legitimately take: every delivery running into the hard limit."""
        return self.hard_time_limit * self.max_deliveries

    def deadline(self, items: int) -> int:
        """Seconds a job of ``items`` items may run before the watchdog steps in (one process doing all)."""
        return self.job_slack + max(items, 1) * self.item_budget


def settings() -> QueueSettings:
    broker = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return QueueSettings(
        broker_url=broker,
        store_url=os.environ.get("DOCGEN_STORE_URL", broker),
        soft_time_limit=_int("DOCGEN_SOFT_TIME_LIMIT", 120),
        hard_time_limit=_int("DOCGEN_HARD_TIME_LIMIT", 150),
        max_deliveries=_int("DOCGEN_MAX_DELIVERIES", 3),
        job_ttl_days=_int("DOCGEN_JOB_TTL_DAYS", 30),
        max_tasks_per_child=_int("DOCGEN_MAX_TASKS_PER_CHILD", 500),
        max_memory_per_child_kb=_int("DOCGEN_MAX_MEMORY_PER_CHILD_KB", 1_500_000),
        job_slack=_int("DOCGEN_JOB_SLACK", 600),
        watchdog_interval=_int("DOCGEN_WATCHDOG_INTERVAL", 30),
        store_wait=_int("DOCGEN_STORE_WAIT", 600),
    )

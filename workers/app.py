"""The Celery app: at-least-once delivery (late acks, requeue on worker loss, prefetch 1), time limits,
self-recycling workers, and the watchdog thread. Start a worker with `docgen worker` or
`celery -A workers.app worker`."""

from __future__ import annotations

import logging
import threading

from celery import Celery, bootsteps, signals
from kombu import pools

from workers.config import settings
from workers.store import JobStore

SETTINGS = settings()

app = Celery("docgen", broker=SETTINGS.broker_url, backend=SETTINGS.broker_url, include=["workers.tasks"])
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    result_expires=86400,  # Celery's own results: a day; job status lives in the job store
    task_acks_late=True,  # a message is acknowledged after its item is done …
    task_reject_on_worker_lost=True,  # … and goes back to the queue if the worker dies meanwhile
    task_acks_on_failure=False,  # a task that raised would lose its message either way: tasks never raise
    task_acks_on_timeout=False,  # a worker killed by the hard limit leaves its item to be redelivered
    task_ignore_result=True,  # job status lives in the job store: no result write can fail a finished item
    worker_prefetch_multiplier=1,
    task_soft_time_limit=SETTINGS.soft_time_limit,
    task_time_limit=SETTINGS.hard_time_limit,
    # an item held by a worker that died goes back to the queue once its visibility timeout has passed;
    # the sweep that finds it runs every few seconds (kombu's default throttle would make it ~100 s)
    broker_transport_options={"visibility_timeout": SETTINGS.visibility_timeout,
                              "unacked_restore_interval": 5, "unacked_restore_throttle": 1},
    result_backend_transport_options={"visibility_timeout": SETTINGS.visibility_timeout},
    broker_connection_retry=True,
    broker_connection_retry_on_startup=True,
    broker_connection_max_retries=None,  # a worker waits for Redis to come back
    worker_max_tasks_per_child=SETTINGS.max_tasks_per_child,
    worker_max_memory_per_child=SETTINGS.max_memory_per_child_kb,
    worker_hijack_root_logger=False,
    task_default_queue="docgen",
    worker_proc_alive_timeout=120,  # a pool process warms up (fonts, jieba) before it takes its first item
)


def follow_environment() -> None:
    """Point the app at the broker REDIS_URL names now, if it is not the one it was created with (the
    submitting side of a long-lived process reads its environment when it submits)."""
    url = settings().broker_url
    if app.conf.broker_url != url:
        app.conf.broker_url = app.conf.result_backend = url
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        pools.reset()  # kombu keeps producer pools by broker: the one closed above must not be found again


class BrokerReconnected(bootsteps.StartStopStep):
    """Started each time the worker's consumer (re)connects to the broker: after a lost connection it tells the
    job store, and the watchdog publishes every unfinished job's pending work again (workers/watchdog.heal)."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c) -> None:
        if c.restart_count < 1:  # the first connection
            return
        try:
            JobStore(SETTINGS.store_url, SETTINGS.job_ttl_days, SETTINGS).note_disruption()
        except Exception as exc:  # the store is away too: the job deadlines still end every job
            logging.getLogger("docgen.queue").warning("could not note the broker disruption: %s", exc)


app.steps["consumer"].add(BrokerReconnected)


@signals.worker_init.connect
def _load_before_forking(**_kwargs) -> None:
    """Every kind's modules, font metrics and jieba's dictionary, loaded once and shared by every pool process."""
    from docgen.warmup import warm_up

    warm_up()


@signals.worker_process_init.connect
def _warm_pool_process(**_kwargs) -> None:
    """Each pool process renders a tiny record of every kind before its first item, so no item pays for
    start-up."""
    from docgen.warmup import warm_up

    warm_up(render=True)


@signals.worker_ready.connect
def _start_watchdog(**_kwargs) -> None:
    """The watchdog runs as a daemon thread of each worker's main process (not Celery beat: beat must run
    exactly once, as its own service or on one chosen worker, while this needs nothing extra and stays safe
    with any number of workers — a Redis lock picks one sweeper a round, and each step is atomic)."""
    from workers.watchdog import watch

    threading.Thread(target=watch, name="docgen-watchdog", daemon=True).start()

"""One output made in a forked helper process while this one makes another: a one-shot `docgen render` on a
machine with two cores or more writes a 公文's DOCX beside its PDF. The helper is forked before the record is
even read and imports the DOCX side (python-docx, docxtpl: a sixth of a cold start) while this process
validates and lays the record out; it then gets the layout and writes the DOCX while this process draws the
PDF. Only the command line turns it on (`ready`): a queue worker's pool is its parallelism, and a web server
must not fork."""

from __future__ import annotations

import os
import pickle
import threading
from typing import Any, Callable, TypeVar

T = TypeVar("T")
_HELPERS: list["_Helper"] = []  # at most one, waiting for its job


class _Helper:
    def __init__(self, pid: int, jobs: int, results: int):
        self.pid, self.jobs, self.results = pid, jobs, results

    def run(self, make: Callable[..., T], *args: Any) -> Callable[[], T]:
        """Sends the job (``make`` by reference, its arguments by value); returns what gives its result. A
        helper that fails or dies leaves the work to this process, which then makes it itself (the same
        value, or the same exception, raised here)."""
        try:
            with os.fdopen(self.jobs, "wb") as out:
                pickle.dump((make, args), out, protocol=pickle.HIGHEST_PROTOCOL)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # the helper reads no job, makes nothing and leaves

        def result() -> T:
            with os.fdopen(self.results, "rb") as given:
                payload = given.read()
            os.waitpid(self.pid, 0)
            return pickle.loads(payload) if payload else make(*args)

        return result

    def dismiss(self) -> None:
        os.close(self.jobs)  # no job: the helper leaves
        os.close(self.results)
        os.waitpid(self.pid, 0)


def ready(setup: Callable[[], Any]) -> None:
    """Forks a helper that runs ``setup`` (its imports) and waits for one job, where the machine has a
    second core, the system can fork and this process runs no other thread; a helper still waiting from
    before is dismissed first."""
    dismiss()
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return  # forking a process with other threads may copy a lock one of them holds
    job_read, job_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(job_write)
        os.close(result_read)
        _serve(setup, job_read, result_write)
    os.close(job_read)
    os.close(result_write)
    _HELPERS.append(_Helper(pid, job_write, result_read))


def _serve(setup: Callable[[], Any], jobs: int, results: int) -> None:
    """The helper's life: set up, read one job, send its result (nothing when it failed), and leave without
    running this process's exit handlers."""
    payload = b""
    try:
        setup()
        with os.fdopen(jobs, "rb") as given:
            job = given.read()
        if job:
            make, args = pickle.loads(job)
            payload = pickle.dumps(make(*args), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        payload = b""
    with os.fdopen(results, "wb") as out:
        out.write(payload)
    os._exit(0)


def started(make: Callable[..., T], *args: Any) -> Callable[[], T]:
    """``make(*args)`` given to the waiting helper, if there is one (else made here, now): returns what
    gives its result."""
    if _HELPERS:
        return _HELPERS.pop().run(make, *args)
    value = make(*args)
    return lambda: value


def dismiss() -> None:
    """Ends a helper no job was given to."""
    while _HELPERS:
        _HELPERS.pop().dismiss()


def abandoned(result: Callable[[], object]) -> None:
    """A result no longer wanted (this process is raising): its helper is waited for, whatever it made."""
    try:
        result()
    except Exception:
        pass

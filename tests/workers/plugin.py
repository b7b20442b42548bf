"""Test-only kinds, loaded into worker processes through DOCGEN_PLUGINS=tests.workers.plugin:
`hang` sleeps (past the time limits when asked); `crash` kills the worker process that renders it;
`fragile` keeps a module-level cache that an interrupted item leaves half-built, as a font cache would."""

from __future__ import annotations

import os
import signal
import time
from typing import Literal

import redis
from pydantic import model_validator

from docgen.kinds import BatchItem, DocumentKind, ItemResult, register
from docgen.records.base import Record
from docgen.render.artifact import Artifact


class Trouble(Record):
    kind: Literal["hang", "crash"]
    seconds: float = 600


def _render(record: Trouble, **_options) -> list[Artifact]:
    if record.kind == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(record.seconds)
    return [Artifact("slept.txt", "text/plain", b"")]


for name in ("hang", "crash"):
    register(DocumentKind(name, "测试用", Trouble, lambda record, _name: record, _render))


class Fragile(Record):
    """``rebuild`` seconds > 0: this item rebuilds the process's cache and takes that long doing it."""

    kind: Literal["fragile"]
    rebuild: float = 0


class _Table:
    """Cached before it is complete, like a lazily loaded fontTools font."""


_CACHE: dict[str, _Table] = {}


def _table(rebuild: float) -> _Table:
    if rebuild or "table" not in _CACHE:
        table = _CACHE["table"] = _Table()
        time.sleep(rebuild)  # an item stopped here leaves a table without its cmap
        table.cmap = {"知": 1}
    return _CACHE["table"]


def _render_fragile(content: tuple[Fragile, str], **_options) -> list[Artifact]:
    record, name = content
    table = _table(record.rebuild)
    return [Artifact(f"{name}.txt", "text/plain", repr(table.cmap).encode())]  # AttributeError: cmap if broken


register(DocumentKind("fragile", "测试用", Fragile, lambda record, name: (record, name), _render_fragile))


def _count(key: str) -> None:
    redis.Redis.from_url(os.environ["REDIS_URL"]).incr(key)


class TroubleBatch(Record):
    """A batch mixing good and troublesome items, to show that the rest of a batch completes."""

    kind: Literal["trouble-batch"]
    items: list[dict]
    tag: str = ""  # a tagged batch counts in Redis how often it is validated and split

    @model_validator(mode="after")
    def _counted(self) -> "TroubleBatch":
        if self.tag:
            _count(f"test:parse:{self.tag}")
        return self


def _split(batch: TroubleBatch) -> list[BatchItem]:
    if batch.tag:
        _count(f"test:split:{batch.tag}")
    return [BatchItem(f"第{n}项", item) for n, item in enumerate(batch.items, 1)]


def _merge(batch: TroubleBatch, results: list[ItemResult]) -> list[Artifact]:
    """One line an item: 第N项 完成 [its artifacts' names], or 第N项 失败：why."""
    lines = [f"{r.item.label} 失败：{r.error}" if r.error else
             f"{r.item.label} 完成 {' '.join(a.filename for a in r.artifacts)}" for r in results]
    return [Artifact("结果.txt", "text/plain", "\n".join(lines).encode())]


register(DocumentKind("trouble-batch", "测试用批量", TroubleBatch, lambda record, _name: record,
                      lambda *a, **k: [], _split, _merge))

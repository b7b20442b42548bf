"""Test-only kinds, loaded into worker processes through DOCGEN_PLUGINS=tests.workers.plugin:
`hang` sleeps past the soft time limit; `crash` kills the worker process that renders it."""

from __future__ import annotations

import os
import signal
import time
from typing import Literal

from docgen.kinds import BatchItem, DocumentKind, ItemResult, register
from docgen.records.base import Record
from docgen.render.artifact import Artifact


class Trouble(Record):
    kind: Literal["hang", "crash"]
    seconds: float = 60


def _render(record: Trouble, **_options) -> list[Artifact]:
    if record.kind == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(record.seconds)
    return [Artifact("never.txt", "text/plain", b"")]


for name in ("hang", "crash"):
    register(DocumentKind(name, "测试用", Trouble, lambda record, _name: record, _render))


class TroubleBatch(Record):
    """A batch mixing good and troublesome items, to show that the rest of a batch completes."""

    kind: Literal["trouble-batch"]
    items: list[dict]


def _split(batch: TroubleBatch) -> list[BatchItem]:
    return [BatchItem(f"第{n}项", item) for n, item in enumerate(batch.items, 1)]


def _merge(batch: TroubleBatch, results: list[ItemResult]) -> list[Artifact]:
    lines = [f"{r.item.label} {'失败：' + r.error if r.error else '完成'}" for r in results]
    return [Artifact("结果.txt", "text/plain", "\n".join(lines).encode())]


register(DocumentKind("trouble-batch", "测试用批量", TroubleBatch, lambda record, _name: record,
                      lambda *a, **k: [], _split, _merge))

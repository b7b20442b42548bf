"""A batch's items and what became of each: what batch kinds split into and merge from (see docgen.kinds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docgen.render.artifact import Artifact


@dataclass(frozen=True)
class BatchItem:
    """One item of a batch: a record of another kind, as plain data, with a label staff recognise."""

    label: str
    data: dict[str, Any]


@dataclass
class ItemResult:
    """What became of one batch item: its artifacts, or the Chinese report of why it failed."""

    item: BatchItem
    artifacts: list[Artifact]
    error: str = ""

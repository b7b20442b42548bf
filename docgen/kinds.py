"""The one registry of document kinds: the CLI, the workers and any API enumerate it.

A kind is a record model, a content builder and a renderer. Adding a kind means registering it here.

A *batch* kind (plaques for a station list, replies for many applications) also has ``split``, which
turns its record into per-item records of other kinds (plain dicts with ``kind:``, so a queue can carry
them), and ``merge``, which collects the items' artifacts into the batch's own (a ZIP, an imposed sheet).
In-process rendering runs split → render each item → merge; the queue fans the items out to workers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from docgen.batches import BatchItem, ItemResult
from docgen.problems import InvalidRecord, Problem
from docgen.progress import Progress
from docgen.records.base import Record, read_yaml
from docgen.render.artifact import Artifact


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the value of ``kind:`` in a record
    label: str  # what staff call it
    record: type[Record]
    build: Callable[[Any, str], Any]  # (record, default name) → content
    render: Callable[..., list[Artifact]]  # (content, **options) → artifacts
    split: Callable[[Any], list[BatchItem]] | None = None  # batch kinds: record → items
    merge: Callable[[Any, list[ItemResult]], list[Artifact]] | None = None  # batch kinds: items → artifacts

    @property
    def is_batch(self) -> bool:
        return self.split is not None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    _KINDS[kind.name] = kind


def kinds() -> dict[str, DocumentKind]:
    _load_builtin()
    return dict(_KINDS)


def get(name: str) -> DocumentKind:
    known = kinds()
    if name not in known:
        raise InvalidRecord([Problem("kind", name, "未知的文种，可用：" + "、".join(known))])
    return known[name]


def parse_record(data: Any, source: str = "") -> tuple[DocumentKind, Record]:
    """Find the kind a record names and validate the record against it."""
    if not isinstance(data, dict):
        raise InvalidRecord([Problem("记录", str(data)[:40], "应为键值对（字段: 值），并以 kind 指明文种")], source)
    if "kind" not in data:
        raise InvalidRecord([Problem("kind", None, "缺少文种字段 kind，可用：" + "、".join(kinds()))], source)
    kind = get(str(data["kind"]))
    return kind, kind.record.parse(data, source)


def render_record(kind: DocumentKind, record: Record, name: str, progress: Progress | None = None,
                  **options: Any) -> list[Artifact]:
    """Render one validated record in-process (no broker); a batch renders its items one by one, reporting
    each to ``progress``."""
    if not kind.is_batch:
        return kind.render(kind.build(record, name), **options)
    items = kind.split(record)
    if progress:
        progress.start(len(items))
    results = []
    for item in items:
        try:
            results.append(ItemResult(item, render_data(item.data, item.label, **options)))
        except InvalidRecord as exc:
            results.append(ItemResult(item, [], exc.report()))
        if progress:
            progress.step(item.label, failed=bool(results[-1].error))
    return kind.merge(record, results)


def render_data(data: Any, name: str, **options: Any) -> list[Artifact]:
    kind, record = parse_record(data, name)
    return render_record(kind, record, name, **options)


def read_record(path: str | Path, include_root: str | Path | None = None) -> Any:
    """A record file's data, with the files it names (``application_file`` …) read in — relative to the
    record, and only inside ``include_root`` (default: the working directory; see docgen.annexes.includes).
    A record received over the network is not read from a path: check it with
    ``docgen.records.includes.refuse_file_references(data)``."""
    from docgen.annexes.includes import expand

    path = Path(path)
    return expand(read_yaml(path), path.parent, include_root, source=str(path))


def render_file(path: str | Path, include_root: str | Path | None = None, **options: Any) -> list[Artifact]:
    """Render one record file in-process (no broker); its includes are read only inside ``include_root``."""
    path = Path(path)
    kind, record = parse_record(read_record(path, include_root), str(path))
    return render_record(kind, record, path.stem, **options)


_LOADED: list[bool] = []
_LOADING = threading.RLock()  # a web server's threads may ask for the kinds at once


def _load_builtin() -> None:
    if _LOADED:
        return
    with _LOADING:
        if not _LOADED:
            _register_builtin()
            _LOADED.append(True)


def _register_builtin() -> None:
    _load_plugins()
    from docgen.content.notice import build_notice
    from docgen.records.notice import NoticeRecord
    from docgen.render.formats import render_official

    register(DocumentKind("notice", "公文（通知等）", NoticeRecord, build_notice, render_official))
    from docgen.plaques.art import build_plaque, render_plaque
    from docgen.records.plaque import Plaque

    register(DocumentKind("plaque", "工作站标牌", Plaque, build_plaque, render_plaque))
    from docgen.plaques.batch import build_batch, merge_batch, render_batch, split_batch
    from docgen.records.plaque import PlaqueBatch

    register(DocumentKind("plaque-batch", "标牌批量制作", PlaqueBatch, build_batch, render_batch, split_batch, merge_batch))
    from docgen.annexes.kind import build_application, build_report, render_application, render_report
    from docgen.records.annexes.annex1 import ContactPointApplication
    from docgen.records.annexes.report import DistrictReport

    register(DocumentKind("district-report", "区局报送（附件2–6）", DistrictReport, build_report, render_report))
    from docgen.content.reply import build_reply
    from docgen.records.reply import ReplyRecord

    register(DocumentKind("reply", "批复", ReplyRecord, build_reply, render_official))
    from docgen.content.bulletin import build_bulletin
    from docgen.records.bulletin import BulletinRecord

    register(DocumentKind("bulletin", "通报", BulletinRecord, build_bulletin, render_official))
    from docgen.records.reply import ReplyBatch
    from docgen.replies.batch import build_replies, merge_replies, render_replies, split_replies

    register(DocumentKind("reply-batch", "批复批量制作（含标牌）", ReplyBatch, build_replies, render_replies,
                          split_replies, merge_replies))
    register(DocumentKind("contact-point-application", "知识产权保护联系点申请表（附件1）", ContactPointApplication,
                          build_application, render_application))
    from docgen.annexes.kind import (build_blank_forms, build_consolidation, render_blank_forms,
                                     render_consolidation)
    from docgen.records.annexes.report import BlankFormsRecord, ConsolidationRecord

    register(DocumentKind("consolidation", "各区局报送汇总（附件2–6汇总）", ConsolidationRecord, build_consolidation,
                          render_consolidation))
    register(DocumentKind("blank-forms", "附件1–6 空白表", BlankFormsRecord, build_blank_forms, render_blank_forms))


def _load_plugins() -> None:
    """Modules named in DOCGEN_PLUGINS (comma-separated) register extra kinds when imported."""
    import importlib
    import os

    for module in filter(None, (m.strip() for m in os.environ.get("DOCGEN_PLUGINS", "").split(","))):
        importlib.import_module(module)

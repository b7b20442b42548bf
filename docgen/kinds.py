"""The one registry of document kinds: the CLI, the workers and any API enumerate it.

A kind is a record model, a content builder and a renderer. Adding a kind means registering it here. The
builtin kinds name their parts as ``"module:attr"``, imported on first use: a process imports only what the
kinds it renders need (a PDF of a notice loads neither the plaque batch nor the workbooks).

A *batch* kind (plaques for a station list, replies for many applications) also has ``split``, which
turns its record into per-item records of other kinds (plain dicts with ``kind:``, so a queue can carry
them), and ``merge``, which collects the items' artifacts into the batch's own (a ZIP, an imposed sheet).
In-process rendering runs split → render each item → merge; the queue fans the items out to workers.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from docgen.batches import BatchItem, ItemResult
from docgen.problems import InvalidRecord, Problem
from docgen.progress import Progress
from docgen.records.base import Record, read_yaml
from docgen.render.artifact import Artifact

__all__ = ["BatchItem", "DocumentKind", "ItemResult", "get", "kinds", "parse_record", "read_record", "register",
           "render_data", "render_file", "render_record"]


def _resolve(ref: Any) -> Any:
    """An object given as ``"module:attr"`` (imported now), or the object itself."""
    if not isinstance(ref, str):
        return ref
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


class _OnFirstUse:
    """A DocumentKind part given as ``"module:attr"``: imported when first read, then kept, so a process
    imports only what the kinds it uses need."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, kind: DocumentKind | None, owner: type | None = None) -> Any:
        if kind is None:
            return self
        value = kind._parts[self.name]
        if isinstance(value, str):
            value = kind._parts[self.name] = _resolve(value)
        return value


class DocumentKind:
    """A kind: its record model, its content builder ``(record, default name) → content``, its renderer
    ``(content, **options) → artifacts`` and, for a batch kind, ``split`` and ``merge``. Each part is the
    object itself or its ``"module:attr"`` name, imported when first used."""

    record = _OnFirstUse()
    build = _OnFirstUse()
    render = _OnFirstUse()
    split = _OnFirstUse()
    merge = _OnFirstUse()

    def __init__(self, name: str, label: str, record: type[Record] | str, build: Callable[[Any, str], Any] | str,
                 render: Callable[..., list[Artifact]] | str, split: Callable[[Any], list[BatchItem]] | str | None = None,
                 merge: Callable[[Any, Iterable[ItemResult]], list[Artifact]] | str | None = None) -> None:
        self.name = name  # the value of ``kind:`` in a record
        self.label = label  # what staff call it
        self._parts = {"record": record, "build": build, "render": render, "split": split, "merge": merge}

    @property
    def is_batch(self) -> bool:
        return self._parts["split"] is not None

    def load(self) -> None:
        """Import every part now (a worker warming up), not on first use."""
        for name in self._parts:
            getattr(self, name)

    def __repr__(self) -> str:
        return f"DocumentKind({self.name!r}, {self.label!r})"


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
    each to ``progress``, and its merge reads each result as it comes (an iterator, read once), so it need
    not hold every item's artifacts at once."""
    if not kind.is_batch:
        return kind.render(kind.build(record, name), **options)
    items = kind.split(record)
    if progress:
        progress.start(len(items))

    def results() -> Iterator[ItemResult]:
        for item in items:
            try:
                result = ItemResult(item, render_data(item.data, item.label, **options))
            except InvalidRecord as exc:
                result = ItemResult(item, [], exc.report())
            if progress:
                progress.step(item.label, failed=bool(result.error))
            yield result

    return kind.merge(record, results())


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


# name, label, record model, content builder, renderer[, split, merge]: imported on first use
_BUILTIN: tuple[tuple[str, ...], ...] = (
    ("notice", "公文（通知等）", "docgen.records.notice:NoticeRecord", "docgen.content.notice:build_notice",
     "docgen.render.formats:render_official"),
    ("plaque", "工作站标牌", "docgen.records.plaque:Plaque", "docgen.plaques.art:build_plaque",
     "docgen.plaques.art:render_plaque"),
    ("plaque-batch", "标牌批量制作", "docgen.records.plaque:PlaqueBatch", "docgen.plaques.batch:build_batch",
     "docgen.plaques.batch:render_batch", "docgen.plaques.batch:split_batch", "docgen.plaques.batch:merge_batch"),
    ("district-report", "区局报送（附件2–6）", "docgen.records.annexes.report:DistrictReport",
     "docgen.annexes.kind:build_report", "docgen.annexes.kind:render_report"),
    ("reply", "批复", "docgen.records.reply:ReplyRecord", "docgen.content.reply:build_reply",
     "docgen.render.formats:render_official"),
    ("bulletin", "通报", "docgen.records.bulletin:BulletinRecord", "docgen.content.bulletin:build_bulletin",
     "docgen.render.formats:render_official"),
    ("reply-batch", "批复批量制作（含标牌）", "docgen.records.reply:ReplyBatch", "docgen.replies.batch:build_replies",
     "docgen.replies.batch:render_replies", "docgen.replies.batch:split_replies", "docgen.replies.batch:merge_replies"),
    ("contact-point-application", "知识产权保护联系点申请表（附件1）", "docgen.records.annexes.annex1:ContactPointApplication",
     "docgen.annexes.kind:build_application", "docgen.annexes.kind:render_application"),
    ("consolidation", "各区局报送汇总（附件2–6汇总）", "docgen.records.annexes.report:ConsolidationRecord",
     "docgen.annexes.kind:build_consolidation", "docgen.annexes.kind:render_consolidation"),
    ("blank-forms", "附件1–6 空白表", "docgen.records.annexes.report:BlankFormsRecord",
     "docgen.annexes.kind:build_blank_forms", "docgen.annexes.kind:render_blank_forms"),
)


def _register_builtin() -> None:
    _load_plugins()
    for spec in _BUILTIN:
        register(DocumentKind(*spec))


def _load_plugins() -> None:
    """Modules named in DOCGEN_PLUGINS (comma-separated) register extra kinds when imported."""
    import importlib
    import os

    for module in filter(None, (m.strip() for m in os.environ.get("DOCGEN_PLUGINS", "").split(","))):
        importlib.import_module(module)

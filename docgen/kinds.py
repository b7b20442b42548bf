"""The one registry of document kinds: the CLI, the workers and any API enumerate it.

A kind is a record model, a content builder and a renderer. Adding a kind means registering it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from docgen.problems import InvalidRecord, Problem
from docgen.records.base import Record, read_yaml
from docgen.render.artifact import Artifact


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the value of ``kind:`` in a record
    label: str  # what staff call it
    record: type[Record]
    build: Callable[[Any, str], Any]  # (record, default name) → content
    render: Callable[..., list[Artifact]]  # (content, **options) → artifacts


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


def render_file(path: str | Path, **options: Any) -> list[Artifact]:
    """Render one record file in-process (no broker)."""
    path = Path(path)
    kind, record = parse_record(read_yaml(path), str(path))
    content = kind.build(record, path.stem)
    return kind.render(content, **options)


def _load_builtin() -> None:
    if _KINDS:
        return
    from docgen.content.notice import build_notice
    from docgen.records.notice import NoticeRecord
    from docgen.render.official import render_official

    register(DocumentKind("notice", "公文（通知等）", NoticeRecord, build_notice, render_official))

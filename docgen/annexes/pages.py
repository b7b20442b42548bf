"""Annex tables as 公文 attachment content: 附件N, its title, its table(s) and the seed's notes."""

from __future__ import annotations

from docgen.annexes.forms import FORMS
from docgen.content.document import Attachment, Block, Paragraph, Table
from docgen.records.base import Record


def _cells(row: Record, fields: list[str]) -> tuple[str, ...]:
    return tuple("、".join(v) if isinstance(v, list) else str(v) for v in (getattr(row, f) for f in fields))


BLANK_DISTRICT = "***"  # as the seed prints 附件4's captions on the blank form
CITY = "各县（市）区"


def district_short(name: str) -> str:
    """山阳区市场监督管理局 → 山阳区: how the city's tables name a district in their 填报单位 column."""
    for suffix in ("市场监督管理局", "市场监管局"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def annex_attachments(rows: dict[str, list[tuple[str, Record]]], with_district: bool,
                      district: str = BLANK_DISTRICT) -> tuple[Attachment, ...]:
    """The attachments 2–6 from rows per table (each with its district); ``with_district`` adds a
    填报单位 column (the city's consolidated tables). 附件4's captions name ``district`` (the city's
    districts when consolidated)."""
    place = CITY if with_district else district_short(district)
    attachments = []
    for form in FORMS.values():
        blocks: list[Block] = []
        for table in form.tables:
            columns = table.columns
            headers = [c.header for c in columns]
            widths = [c.width for c in columns]
            body = [_cells(row, [c.field for c in columns]) for _, row in rows.get(table.key, [])]
            if with_district:
                headers, widths = ["填报单位", *headers], [2.5, *widths]
                body = [(district_short(d), *cells) for (d, _), cells in zip(rows.get(table.key, []), body)]
            if table.numbered:
                headers, widths = ["序号", *headers], [0.8, *widths]
                body = [(str(n), *cells) for n, cells in enumerate(body, 1)]
            caption = f"{form.tables.index(table) + 1}.{place}{table.caption}" if len(form.tables) > 1 else ""
            blocks.append(Table(tuple(headers), tuple(body), tuple(widths), caption))
        blocks += [Paragraph(line) for line in form.note.splitlines() if line]
        attachments.append(Attachment(form.number, form.title, tuple(blocks)))
    return tuple(attachments)

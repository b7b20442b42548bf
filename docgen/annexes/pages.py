"""Annex tables as 公文 attachment content: 附件N, its title, its table(s) and the seed's notes."""

from __future__ import annotations

from docgen.annexes.forms import FORMS
from docgen.content.official import Attachment, Block, Paragraph, Table
from docgen.records.base import Record


def _cells(row: Record, fields: list[str]) -> tuple[str, ...]:
    return tuple("、".join(v) if isinstance(v, list) else str(v) for v in (getattr(row, f) for f in fields))


def annex_attachments(rows: dict[str, list[tuple[str, Record]]], with_district: bool) -> tuple[Attachment, ...]:
    """The attachments 2–6 from rows per table (each with its district); ``with_district`` adds a
    填报单位 column (the city's consolidated tables)."""
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
                body = [(district, *cells) for (district, _), cells in zip(rows.get(table.key, []), body)]
            if table.numbered:
                headers, widths = ["序号", *headers], [0.8, *widths]
                body = [(str(n), *cells) for n, cells in enumerate(body, 1)]
            caption = f"{form.tables.index(table) + 1}.{table.caption}" if len(form.tables) > 1 else ""
            blocks.append(Table(tuple(headers), tuple(body), tuple(widths), caption))
        blocks += [Paragraph(line) for line in form.note.splitlines() if line]
        attachments.append(Attachment(form.number, form.title, tuple(blocks)))
    return tuple(attachments)

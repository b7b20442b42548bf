"""The ``district-report`` kind: a district's YAML report → the annex workbook, filled, as it goes back."""

from __future__ import annotations

from typing import Any

from docgen.annexes.forms import sub_tables
from docgen.annexes.workbook import DistrictTables, write_workbook
from docgen.records.annexes.report import DistrictReport
from docgen.annexes.pages import annex_attachments
from docgen.render.artifact import Artifact
from docgen.render.pdf.official import render_attachments_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_report(record: DistrictReport, name: str) -> tuple[str, DistrictTables]:
    return name, DistrictTables(record.district, {t.key: list(getattr(record, t.key)) for _, t in sub_tables()})


def render_report(built: tuple[str, DistrictTables], **_options: Any) -> list[Artifact]:
    """The filled workbook, and the annexes as printed attachment pages."""
    name, tables = built
    rows = {key: [(tables.district, row) for row in table_rows] for key, table_rows in tables.rows.items()}
    return [Artifact(f"{name}.xlsx", XLSX, write_workbook(tables.district, tables)),
            render_attachments_pdf(annex_attachments(rows, with_district=False), name)]

"""The ``district-report`` kind: a district's YAML report → the annex workbook, filled, as it goes back."""

from __future__ import annotations

from typing import Any

from docgen.annexes.forms import sub_tables
from docgen.annexes.workbook import DistrictTables, write_workbook
from docgen.records.annexes.report import DistrictReport
from docgen.render.artifact import Artifact

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_report(record: DistrictReport, name: str) -> tuple[str, DistrictTables]:
    return name, DistrictTables(record.district, {t.key: list(getattr(record, t.key)) for _, t in sub_tables()})


def render_report(built: tuple[str, DistrictTables], **_options: Any) -> list[Artifact]:
    name, tables = built
    return [Artifact(f"{name}.xlsx", XLSX, write_workbook(tables.district, tables))]

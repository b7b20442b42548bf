"""The annex kinds: ``district-report`` (a district's YAML report on annexes 2–6 → its filled workbook and
the annexes as attachment pages, PDF and DOCX), ``contact-point-application`` (one 附件1 → the filled
form as workbook and attachment page, PDF and DOCX), ``consolidation`` (the districts' reports → the city's
tables) and ``blank-forms`` (the forms 1–6 that go out with the notice)."""

from __future__ import annotations

from typing import Any

from docgen.annexes.application import application_form
from docgen.annexes.application_workbook import write_application_workbook
from docgen.annexes.forms import sub_tables
from docgen.annexes.consolidate import Consolidation, consolidate, submission_tables
from docgen.annexes.outputs import XLSX, attachment_pages, blank_form_artifacts, consolidated_artifacts
from docgen.annexes.pages import annex_attachments
from docgen.annexes.workbook import DistrictTables, write_workbook
from docgen.records.annexes.annex1 import ContactPointApplication, findings
from docgen.records.annexes.report import BlankFormsRecord, ConsolidationRecord, DistrictReport
from docgen.render.artifact import Artifact


def build_report(record: DistrictReport, name: str) -> tuple[str, DistrictTables]:
    return name, DistrictTables(record.district, {t.key: list(getattr(record, t.key)) for _, t in sub_tables()})


def render_report(built: tuple[str, DistrictTables], templates: str | None = None, **_options: Any) -> list[Artifact]:
    """The filled workbook, and the annexes as printed attachment pages."""
    name, tables = built
    rows = {key: [(tables.district, row) for row in table_rows] for key, table_rows in tables.rows.items()}
    return [Artifact(f"{name}.xlsx", XLSX, write_workbook(tables.district, tables)),
            *attachment_pages(annex_attachments(rows, with_district=False, district=tables.district), name,
                              templates=templates)]


def build_application(record: ContactPointApplication, name: str) -> tuple[str, ContactPointApplication]:
    return name, record


def render_application(built: tuple[str, ContactPointApplication], templates: str | None = None,
                       **_options: Any) -> list[Artifact]:
    """The filled form as a workbook and a printed attachment page; the seed's 设立要求 as warnings."""
    name, app = built
    pages = attachment_pages((application_form(app),), name, templates=templates)
    for artifact in pages:
        artifact.warnings += findings(app)
    return [Artifact(f"{name}.xlsx", XLSX, write_application_workbook(app), warnings=findings(app)), *pages]


def build_consolidation(record: ConsolidationRecord, name: str) -> Consolidation:
    """The city's tables from the districts' reports; rows the districts' files could not give are listed."""
    result = consolidate(submission_tables(record.submissions))
    result.problems += [f"{sub.report.district}：{line}" for sub in record.submissions for line in sub.rejected]
    return result


def render_consolidation(result: Consolidation, templates: str | None = None, **_options: Any) -> list[Artifact]:
    """附件2-6汇总 (workbook, PDF, DOCX) and 汇总情况; what a person must act on goes with the workbook: each
    district's findings against the seed's targets, duplicates and rejected rows."""
    artifacts = consolidated_artifacts(result, templates)
    artifacts[0].warnings += [f"{s.district}：" + "；".join(s.findings) for s in result.summaries if s.findings]
    artifacts[0].warnings += result.duplicates + result.problems
    artifacts[0].facts["districts"] = len(result.summaries)
    return artifacts


def build_blank_forms(record: BlankFormsRecord, name: str) -> BlankFormsRecord:
    return record


def render_blank_forms(_record: BlankFormsRecord, templates: str | None = None, **_options: Any) -> list[Artifact]:
    return blank_form_artifacts(templates)

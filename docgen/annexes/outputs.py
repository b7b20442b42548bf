"""What the city office distributes and files: the blank forms that go out with the notice, and the
consolidated tables that come back — each as print-master PDF, editable DOCX and workbook."""

from __future__ import annotations

from docgen.annexes.application_workbook import write_application_workbook
from docgen.annexes.blank import blank_forms
from docgen.annexes.consolidate import Consolidation, consolidated_workbook, summary_attachment
from docgen.annexes.pages import annex_attachments
from docgen.annexes.workbook import write_workbook
from docgen.content.document import Attachment
from docgen.render.artifact import Artifact
from docgen.docx.attachments import render_attachments_docx
from docgen.pdf.document import render_attachments_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK = "附件1-6空白表"
CONSOLIDATED = "附件2-6汇总"
SUMMARY = "汇总情况"


def attachment_pages(attachments: tuple[Attachment, ...], name: str, numbered: bool = True,
                     templates: str | None = None) -> list[Artifact]:
    """Attachment pages alone, as PDF and DOCX (``templates``: the bureau's DOCX template folder)."""
    return [render_attachments_pdf(attachments, name, numbered),
            render_attachments_docx(attachments, name, numbered, templates=templates)]


def blank_form_artifacts(templates: str | None = None) -> list[Artifact]:
    return [*attachment_pages(blank_forms(), BLANK, templates=templates),
            Artifact("附件1-知识产权保护联系点申请表.xlsx", XLSX, write_application_workbook()),
            Artifact("附件2-6-报送表.xlsx", XLSX, write_workbook(""))]


def consolidated_artifacts(result: Consolidation, templates: str | None = None) -> list[Artifact]:
    return [Artifact(f"{CONSOLIDATED}.xlsx", XLSX, consolidated_workbook(result)),
            *attachment_pages(annex_attachments(result.rows, with_district=True), CONSOLIDATED, templates=templates),
            *attachment_pages((summary_attachment(result),), SUMMARY, numbered=False, templates=templates)]

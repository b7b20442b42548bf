"""Render a 公文 (OfficialDocument) to its artifacts: the editable DOCX and the print-master PDF, and beside
them the attachments that are files of their own."""

from __future__ import annotations

from typing import Iterable

from docgen.content.document import OfficialDocument
from docgen.layout.columns import measured, remember
from docgen.layout.compose import Composition, compose
from docgen.render import forked
from docgen.render.artifact import Artifact

FORMATS = ("docx", "pdf")


def render_official(doc: OfficialDocument, formats: Iterable[str] = FORMATS, draft: bool = False,
                    seal_image: bytes | None = None, pdf_engine: str | None = None,
                    templates: str | None = None) -> list[Artifact]:
    """``seal_image``: the bureau's authorised seal (PNG with transparency), placed in the seal area of a
    sealed PDF unless it is a draft. ``pdf_engine``: what draws the PDF — ``"direct"`` (the default: the
    composition written straight to PDF) or ``"weasyprint"`` (the same composition through WeasyPrint,
    the reference). ``templates``: the bureau's DOCX template folder (default: the one DOCGEN_TEMPLATES
    names), whose files win over docgen's."""
    formats = tuple(formats)
    engine = None
    if "pdf" in formats:
        from docgen.pdf.document import engine_of

        engine = engine_of(pdf_engine)  # a bad name fails before anything is rendered
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(f"公文只能输出 docx 或 pdf，得到 {unknown[0]}")
    composition = compose(doc)  # one layout for both: the DOCX takes its pagination from it
    made: dict[str, Artifact] = {}
    docx = forked.started(_docx, doc, templates, composition, measured()) if "docx" in formats else None
    try:
        if "pdf" in formats:  # drawn while a forked DOCX is being written (else after the DOCX)
            from docgen.pdf.document import render_pdf

            made["pdf"] = render_pdf(doc, draft=draft, seal_image=seal_image, pdf_engine=engine,
                                     composition=composition)
    except BaseException:
        if docx is not None:
            forked.abandoned(docx)
        raise
    if docx is not None:
        made["docx"] = docx()
    return [made[fmt] for fmt in formats] + attached_files(doc)


def _docx(doc: OfficialDocument, templates: str | None, composition: Composition,
          widths: dict[tuple, tuple[float, ...]]) -> Artifact:
    """The DOCX (where `forked` lets a helper process write it, this is what it is sent, with the column
    widths the layout searched)."""
    from docgen.docx.document import render_docx

    remember(widths)
    return render_docx(doc, templates=templates, composition=composition)


def attached_files(doc: OfficialDocument) -> list[Artifact]:
    """The attachments that are files, as they came: ``<name>-附件N-<title>.<type>`` (Artifact makes the name
    one safe file name)."""
    return [Artifact(f"{doc.name}-附件{a.number}-{a.title}.{a.file.suffix}", a.file.media_type, a.file.data)
            for a in doc.attachments if a.file is not None]

"""The print master of a 公文: composed by docgen, drawn by WeasyPrint; attachment pages alone are drawn
straight to PDF."""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from docgen.content.official import Attachment, OfficialDocument
from docgen.fonts.report import font_report
from docgen.render.artifact import Artifact
from docgen.render.pdf.back import SEAL_AREA_KEY
from docgen.render.pdf.compose import Composition, compose, compose_attachments
from docgen.render.pdf.direct import draw_pdf
from docgen.render.pdf.flow import Picture
from docgen.render.pdf.html import TEMPLATES, to_html



@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """One font configuration a process: Pango's fonts are loaded once, not for every document (−20 %)."""
    return FontConfiguration()


def _render(html: str):
    return HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_fonts())  # PDF document-info key holding the seal area, for `docgen check` and signing


def _place_seal(composition: Composition, seal_image: bytes) -> None:
    seal = composition.seal
    d = seal.diameter
    src = "data:image/png;base64," + base64.b64encode(seal_image).decode("ascii")
    composition.pages[seal.page - 1].items.append(Picture(seal.x - d / 2, seal.y - d / 2, d, d, src))


def _font_name(name) -> str:
    """"/ABCDEF+FandolFang" → "FandolFang": the face, without the subset tag."""
    text = name.decode() if isinstance(name, bytes) else str(name)
    return text.lstrip("/").split("+", 1)[-1]


def render_attachments_pdf(attachments: tuple[Attachment, ...], name: str, numbered: bool = True) -> Artifact:
    """Attachment pages alone (annex forms and the city's tables, thousands of rows long), laid out as a
    公文's attachments are and drawn straight to PDF (docgen.render.pdf.direct): WeasyPrint draws a
    2,000-row table in a minute, the direct drawer in under half a second, glyph for glyph the same."""
    composition = compose_attachments(attachments, numbered)
    data, embedded = draw_pdf(composition, attachments[0].title)
    report = font_report(composition.text_by_role())
    report.embedded = embedded
    return Artifact(f"{name}.pdf", "application/pdf", data, pages=len(composition.pages), fonts=report)


def render_pdf(doc: OfficialDocument, draft: bool = False, seal_image: bytes | None = None) -> Artifact:
    """Render ``doc`` to its PDF; a draft carries a 草稿 watermark and never the seal image."""
    composition = compose(doc)
    warnings = []
    if seal_image and not draft:
        if composition.seal is None:
            warnings.append("未盖章版式（signature.seal 为 unsealed）不放置印章图片")
        else:
            _place_seal(composition, seal_image)
    html = to_html(composition, doc.title, draft=draft)
    document = _render(html)
    facts: dict = {"pages": len(document.pages),
                   "numbered_pages": [p.number for p in composition.pages if p.number is not None],
                   "tightened_pages": composition.tightened}
    if composition.seal:
        facts["seal_area"] = composition.seal.as_dict()
        document.metadata.custom[SEAL_AREA_KEY] = json.dumps(facts["seal_area"])
    if composition.tightened:
        warnings.append(f"为使落款与正文同页，第 {'、'.join(map(str, composition.tightened))} 页行距已按 "
                        "GB/T 9704 第 7.3.5.5 条适当压缩")
    document.metadata.authors = [doc.signature.organ]
    data = document.write_pdf(custom_metadata=True)
    report = font_report(composition.text_by_role())
    report.embedded = sorted({_font_name(font.name) for font in getattr(document, "fonts", {}).values()})
    return Artifact(f"{doc.name}.pdf", "application/pdf", data, pages=len(document.pages), fonts=report,
                    warnings=warnings, facts=facts)

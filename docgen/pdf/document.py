"""The print master of a 公文: composed by docgen and drawn straight to PDF (docgen.pdf.draw) —
annex 7's plaques as vector forms from their print files, the seal image, the 草稿 watermark — or, with
``pdf_engine="weasyprint"``, by WeasyPrint from the same composition (the reference the direct drawer is
tested against). Attachment pages alone are always drawn directly."""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import TYPE_CHECKING

from docgen.content.document import Attachment, OfficialDocument
from docgen.fonts.report import FontReport, font_report
from docgen.render.artifact import Artifact
from docgen.layout.compose import Composition, collector_paused, compose, compose_attachments
from docgen.pdf.draw import VectorFigure, draw_pdf
from docgen.layout.flow import Picture

if TYPE_CHECKING:
    from docgen.records.plaque import Plaque

ENGINES = ("direct", "weasyprint")
DEFAULT_ENGINE = "direct"

def engine_of(name: str | None) -> str:
    """The drawer a render option names (None: the default, the direct drawer)."""
    if name is None:
        return DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"PDF 绘制引擎应为 {' 或 '.join(ENGINES)}，得到 {name!r}")
    return name


@lru_cache(maxsize=64)
def plaque_art(plaque: Plaque) -> VectorFigure:
    """A plaque's art for a 公文 figure: its print file without crop marks (docgen.pdf.plaque, text as
    outlines, CMYK), framed by the grey edge the SVG draws. Straight from the layout: the plaque kind's
    other outputs (PNG proofs, Pillow) are not loaded for it."""
    from docgen.pdf.plaque import print_pdf
    from docgen.plaques.layout import layout
    from docgen.plaques.svg import FRAME

    return VectorFigure(print_pdf(layout(plaque), marks=False), FRAME, 1 / 300)  # svg.py: a stroke of w/300


def _place_seal(composition: Composition, seal_image: bytes) -> None:
    seal = composition.seal
    d = seal.diameter
    src = "data:image/png;base64," + base64.b64encode(seal_image).decode("ascii")
    composition.pages[seal.page - 1].items.append(Picture(seal.x - d / 2, seal.y - d / 2, d, d, src))


def render_attachments_pdf(attachments: tuple[Attachment, ...], name: str, numbered: bool = True) -> Artifact:
    """Attachment pages alone (annex forms and the city's tables, thousands of rows long), laid out as a
    公文's attachments are and drawn straight to PDF (docgen.pdf.draw): WeasyPrint draws a
    2,000-row table in a minute, the direct drawer in under half a second, glyph for glyph the same."""
    with collector_paused():  # till the composition is gone: resumed earlier, it would walk all its objects
        data, pages, report = _attachment_pages(attachments, numbered)
    return Artifact(f"{name}.pdf", "application/pdf", data, pages=pages, fonts=report)


def _attachment_pages(attachments: tuple[Attachment, ...], numbered: bool) -> tuple[bytes, int, FontReport]:
    """The PDF, its page count and font report."""
    composition = compose_attachments(attachments, numbered)
    data, embedded = draw_pdf(composition, attachments[0].title)
    report = font_report(composition.text_by_role())
    report.embedded = embedded
    return data, len(composition.pages), report


def render_pdf(doc: OfficialDocument, draft: bool = False, seal_image: bytes | None = None,
               pdf_engine: str | None = None, composition: Composition | None = None) -> Artifact:
    """Render ``doc`` to its PDF; a draft carries a 草稿 watermark and never the seal image.

    ``pdf_engine``: ``"direct"`` (the default) draws the composition straight to PDF; ``"weasyprint"``
    draws the same composition through WeasyPrint, as before. ``composition``: docgen's layout of ``doc``
    when it is at hand (it is composed here otherwise); the seal image is placed in it."""
    engine = engine_of(pdf_engine)
    composition = composition or compose(doc)
    warnings = []
    if seal_image and not draft:
        if composition.seal is None:
            warnings.append("未盖章版式（signature.seal 为 unsealed）不放置印章图片")
        elif len(composition.seals) > 1:
            warnings.append("联合行文由各发文机关分别用印：不放置印章图片，只预留各机关的印章区")
        else:
            _place_seal(composition, seal_image)
    facts: dict = {"pages": len(composition.pages),
                   "numbered_pages": [p.number for p in composition.pages if p.number is not None],
                   "tightened_pages": composition.tightened}
    if composition.seal:
        facts["seal_area"] = composition.seal.as_dict()
    if len(composition.seals) > 1:
        facts["seal_areas"] = [seal.as_dict() for seal in composition.seals]
    if composition.tightened:
        warnings.append(f"为使落款与正文同页，第 {'、'.join(map(str, composition.tightened))} 页行距已按 "
                        "GB/T 9704 第 7.3.5.5 条适当压缩")
    if engine == "direct":
        data, embedded = draw_pdf(composition, doc.title, doc.signature.organ, draft=draft,
                                  plaque_art=plaque_art)
        pages = len(composition.pages)
    else:
        from docgen.pdf.reference import draw_reference  # WeasyPrint loads only when asked for

        data, embedded, pages = draw_reference(composition, doc.title, doc.signature.organ, draft)
    report = font_report(composition.text_by_role())
    report.embedded = embedded
    return Artifact(f"{doc.name}.pdf", "application/pdf", data, pages=pages, fonts=report,
                    warnings=warnings, facts=facts)

"""The print master of a 公文: composed by docgen and drawn straight to PDF (docgen.render.pdf.direct) —
annex 7's plaques as vector forms from their print files, the seal image, the 草稿 watermark — or, with
``pdf_engine="weasyprint"``, by WeasyPrint from the same composition (the reference the direct drawer is
tested against). Attachment pages alone are always drawn directly."""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from docgen.content.official import Attachment, OfficialDocument, PlaqueFigure
from docgen.fonts.report import font_report
from docgen.render.artifact import Artifact
from docgen.render.pdf.back import SEAL_AREA_KEY
from docgen.render.pdf.compose import Composition, compose, compose_attachments
from docgen.render.pdf.direct import VectorFigure, draw_pdf
from docgen.render.pdf.flow import Picture
from docgen.render.pdf.html import TEMPLATES, to_html

ENGINES = ("direct", "weasyprint")
DEFAULT_ENGINE = "direct"

@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """One font configuration a process: Pango's fonts are loaded once, not for every document (−20 %)."""
    return FontConfiguration()


def _render(html: str):
    return HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_fonts())


def engine_of(name: str | None) -> str:
    """The drawer a render option names (None: the default, the direct drawer)."""
    if name is None:
        return DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"PDF 绘制引擎应为 {' 或 '.join(ENGINES)}，得到 {name!r}")
    return name


def plaque_figures(doc: OfficialDocument) -> dict[str, VectorFigure]:
    """Annex 7's plaque pictures by the ``src`` the composer gave them (the SVG WeasyPrint draws), each with
    its print file's art (docgen.plaques.pdf, text as outlines, CMYK) and the SVG's grey edge."""
    figures: dict[str, VectorFigure] = {}
    blocks = list(doc.body) + [b for a in doc.attachments for b in a.blocks]
    for block in blocks:
        if isinstance(block, PlaqueFigure):
            src, figure = _plaque_figure(block.plaque)
            figures[src] = figure
    return figures


@lru_cache(maxsize=64)
def _plaque_figure(plaque) -> tuple[str, VectorFigure]:
    """A plaque record's picture ``src`` (as docgen.render.pdf.blocks makes it) and its vector art."""
    from docgen.plaques.art import plaque_pdf, plaque_record, plaque_svg
    from docgen.plaques.svg import FRAME
    from docgen.render.pdf.blocks import _svg_uri

    plaque = plaque_record(plaque)
    return _svg_uri(plaque_svg(plaque, frame=True)), VectorFigure(plaque_pdf(plaque), FRAME, 1 / 300)  # svg.py: w/300


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


def render_pdf(doc: OfficialDocument, draft: bool = False, seal_image: bytes | None = None,
               pdf_engine: str | None = None) -> Artifact:
    """Render ``doc`` to its PDF; a draft carries a 草稿 watermark and never the seal image.

    ``pdf_engine``: ``"direct"`` (the default) draws the composition straight to PDF; ``"weasyprint"``
    draws the same composition through WeasyPrint, as before."""
    engine = engine_of(pdf_engine)
    composition = compose(doc)
    warnings = []
    if seal_image and not draft:
        if composition.seal is None:
            warnings.append("未盖章版式（signature.seal 为 unsealed）不放置印章图片")
        else:
            _place_seal(composition, seal_image)
    facts: dict = {"pages": len(composition.pages),
                   "numbered_pages": [p.number for p in composition.pages if p.number is not None],
                   "tightened_pages": composition.tightened}
    if composition.seal:
        facts["seal_area"] = composition.seal.as_dict()
    if composition.tightened:
        warnings.append(f"为使落款与正文同页，第 {'、'.join(map(str, composition.tightened))} 页行距已按 "
                        "GB/T 9704 第 7.3.5.5 条适当压缩")
    if engine == "direct":
        data, embedded = draw_pdf(composition, doc.title, doc.signature.organ, draft=draft,
                                  figures=plaque_figures(doc))
        pages = len(composition.pages)
    else:
        data, embedded, pages = _weasyprint(composition, doc, draft)
    report = font_report(composition.text_by_role())
    report.embedded = embedded
    return Artifact(f"{doc.name}.pdf", "application/pdf", data, pages=pages, fonts=report,
                    warnings=warnings, facts=facts)


def _weasyprint(composition: Composition, doc: OfficialDocument, draft: bool) -> tuple[bytes, list[str], int]:
    """The reference drawing: the composition as HTML/CSS, laid out and painted by WeasyPrint."""
    document = _render(to_html(composition, doc.title, draft=draft))
    if composition.seal:  # PDF document-info key holding the seal area, for `docgen check` and signing
        document.metadata.custom[SEAL_AREA_KEY] = json.dumps(composition.seal.as_dict())
    document.metadata.authors = [doc.signature.organ]
    data = document.write_pdf(custom_metadata=True)
    embedded = sorted({_font_name(font.name) for font in getattr(document, "fonts", {}).values()})
    return data, embedded, len(document.pages)

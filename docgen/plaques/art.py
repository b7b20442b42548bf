"""The ``plaque`` kind: a Plaque record → its layout → print PDF, PNG proof and small preview.

Also what a 公文 embeds for annex 7 (工作站图样): :func:`annex7_figures` gives the seed's two variants and
:func:`plaque_png` (DOCX), :func:`plaque_svg` (vector, for a WeasyPrint PDF) and :func:`plaque_pdf` their art.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docgen.fonts.report import FontReport, font_report
from docgen.plaques.layout import PlaqueLayout, layout
from docgen.pdf.plaque import MEDIA_MARGIN, embedded_fonts, print_pdf
from docgen.plaques.proof import preview_png, proof_png
from docgen.plaques.svg import plaque_svg_of
from docgen.records.plaque import Plaque
from docgen.render.artifact import Artifact

PROOF_SUFFIX = "-校样.png"
PREVIEW_SUFFIX = "-预览.png"


@dataclass(frozen=True)
class PlaqueArt:
    """A plaque ready to render: its record, its one layout, and the name its files carry."""

    plaque: Plaque
    layout: PlaqueLayout
    name: str


def file_stem(name: str) -> str:
    """A file name staff can read: the given name without characters file systems refuse."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_.") or "标牌"


def build_plaque(record: Plaque, name: str) -> PlaqueArt:
    return PlaqueArt(record, layout(record), file_stem(name))


def fonts_of(art: PlaqueArt) -> FontReport:
    by_role: dict[str, str] = {}
    for line in art.layout.lines:
        by_role[line.face.key] = by_role.get(line.face.key, "") + line.text
    return font_report(by_role)


def facts_of(lay: PlaqueLayout, text_as: str) -> dict:
    return {
        "trim_mm": [lay.width, lay.height], "bleed_mm": lay.bleed, "safe_margin_mm": lay.safe,
        "media_margin_mm": MEDIA_MARGIN, "text_as": text_as, "scheme": lay.scheme.key,
        "lines": [{"role": ln.role, "text": ln.text, "size_mm": round(ln.size, 2),
                   "box_mm": [round(v, 2) for v in ln.box], "ink": ln.ink.label} for ln in lay.lines],
    }


def render_plaque(art: PlaqueArt, **_options: Any) -> list[Artifact]:
    """Print PDF, proof PNG (record's dpi) and preview PNG; ``draft`` and other 公文 options do not apply."""
    p, lay = art.plaque, art.layout
    fonts = fonts_of(art)
    pdf = print_pdf(lay, p.text_as, art.name)
    if p.text_as == "fonts":
        fonts.embedded = [font.name for _, font in embedded_fonts(lay).values()]
    warnings = list(lay.warnings)
    facts = facts_of(lay, p.text_as)
    return [
        Artifact(f"{art.name}.pdf", "application/pdf", pdf, 1, fonts, warnings, facts),
        Artifact(f"{art.name}{PROOF_SUFFIX}", "image/png", proof_png(lay, p.proof_dpi), None, fonts, warnings,
                 {**facts, "dpi": p.proof_dpi}),
        Artifact(f"{art.name}{PREVIEW_SUFFIX}", "image/png", preview_png(lay), None, fonts, warnings, facts),
    ]


def plaque_record(plaque: Plaque | dict) -> Plaque:
    return plaque if isinstance(plaque, Plaque) else Plaque.parse(plaque)


def plaque_png(plaque: Plaque | dict, dpi: float = 150, frame: bool = False) -> bytes:
    """The plaque's art as a PNG at ``dpi`` (finished size, no bleed or marks): for a 公文 figure.

    ``frame`` draws the plaque's edge in grey, so a white plaque shows on a white page."""
    return proof_png(layout(plaque_record(plaque)), dpi, frame)


def plaque_pdf(plaque: Plaque | dict, text_as: str = "outlines", name: str = "") -> bytes:
    """The plaque's print PDF; its TrimBox is the art a PDF 公文 can place as a vector figure."""
    return print_pdf(layout(plaque_record(plaque)), text_as, name)


def plaque_svg(plaque: Plaque | dict, frame: bool = False) -> str:
    """The plaque's art as SVG (vector, finished size): what a WeasyPrint 公文 places with ``<img>``."""
    return plaque_svg_of(layout(plaque_record(plaque)), frame)


def annex7_figures(size: str = "600x400", scheme: str = "red") -> list[tuple[str, Plaque]]:
    """Annex 7 of the seed notice: its two figures, with the notice's own placeholders."""
    base = {"size": size, "scheme": scheme, "station": "****园区站"}
    return [
        ("图一（一般工作站标牌样式）", Plaque.parse(base)),
        ("图二（联系点工作站样式）", Plaque.parse({**base, "variant": "contact", "bureau": "***"})),
    ]

"""A PDF read back into what a GB/T 9704 check needs: text lines, rules, page numbers, in mm.

Positions are mm from the page's top-left. A character's "em top" is its baseline minus 0.88 of its size:
the top of the ideographic em box, the edge GB/T 9704 measures (e.g. of the 发文机关标志).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from docgen import gbt9704 as g

EM_ASCENT = 0.88
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")


def _mm(points: float) -> float:
    return points * g.MM_PER_PT


def is_red(color) -> bool:
    if not isinstance(color, (tuple, list)) or len(color) != 3:
        return False
    r, gr, b = color
    return r > 0.6 and gr < 0.35 and b < 0.35


class EmBox:
    """The ideographic em box of text with a ``baseline`` (mm) and a ``size`` (pt)."""

    baseline: float
    size: float

    @property
    def em_top(self) -> float:
        return self.baseline - EM_ASCENT * _mm(self.size)

    @property
    def em_bottom(self) -> float:
        return self.em_top + _mm(self.size)


@dataclass
class Glyph(EmBox):
    text: str
    x0: float
    x1: float
    baseline: float
    size: float  # pt
    font: str
    red: bool


@dataclass
class TextLine(EmBox):
    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(gl.text for gl in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline

    @property
    def size(self) -> float:
        sizes = [gl.size for gl in self.glyphs if not gl.text.isspace()]
        return max(set(sizes), key=sizes.count) if sizes else self.glyphs[0].size

    @property
    def red(self) -> bool:
        return all(gl.red for gl in self.glyphs if not gl.text.isspace())

    @property
    def fonts(self) -> set[str]:
        return {gl.font for gl in self.glyphs}

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class RuleLine:
    """A filled rectangle (a rule)."""

    x0: float
    x1: float
    top: float
    bottom: float
    red: bool

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def thickness(self) -> float:
        return self.bottom - self.top

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageView:
    number: int  # physical page, from 1
    width: float
    height: float
    lines: list[TextLine]
    rules: list[RuleLine]
    page_number: TextLine | None = None  # the printed `— N —`, if any
    verticals_bottom: float = 0.0  # the lowest end of a vertical rule (table columns), mm

    def text_lines(self) -> list[TextLine]:
        return [ln for ln in self.lines if ln is not self.page_number]


@dataclass
class PdfView:
    path: Path
    pages: list[PageView]
    metadata: dict = field(default_factory=dict)
    fonts: set[str] = field(default_factory=set)

    def seal_area(self) -> dict | None:
        raw = self.metadata.get("DocgenSealArea")
        try:
            return json.loads(raw) if raw else None
        except (TypeError, ValueError):
            return None


def _lines(glyphs: list[Glyph]) -> list[TextLine]:
    glyphs = sorted(glyphs, key=lambda gl: (round(gl.baseline, 1), gl.x0))
    lines: list[TextLine] = []
    for glyph in glyphs:
        if lines and abs(lines[-1].baseline - glyph.baseline) < 0.4 and glyph.x0 >= lines[-1].x1 - 0.4 * _mm(glyph.size):
            lines[-1].glyphs.append(glyph)
        else:
            lines.append(TextLine([glyph]))
    # split a baseline's glyphs into separate lines where a wide gap separates them (e.g. 印发 row)
    out: list[TextLine] = []
    for line in lines:
        current = [line.glyphs[0]]
        for glyph in line.glyphs[1:]:
            if glyph.x0 - current[-1].x1 > 3 * _mm(glyph.size):
                out.append(TextLine(current))
                current = []
            current.append(glyph)
        out.append(TextLine(current))
    return sorted(out, key=lambda ln: (ln.baseline, ln.x0))


def read_pdf(path: Path) -> PdfView:
    pages = []
    fonts: set[str] = set()
    with pdfplumber.open(path) as pdf:
        metadata = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in (pdf.metadata or {}).items()}
        for n, page in enumerate(pdf.pages, 1):
            height_pt = float(page.height)
            glyphs = []
            for ch in page.chars:
                fonts.add(ch["fontname"])
                if not ch.get("upright", True):
                    continue
                baseline = _mm(height_pt - ch["matrix"][5])
                glyphs.append(Glyph(ch["text"], _mm(ch["x0"]), _mm(ch["x1"]), baseline, float(ch["size"]),
                                    ch["fontname"].split("+")[-1], is_red(ch.get("non_stroking_color"))))
            rules = [RuleLine(_mm(r["x0"]), _mm(r["x1"]), _mm(r["top"]), _mm(r["bottom"]),
                              is_red(r.get("non_stroking_color")))
                     for r in page.rects if r.get("fill") and (r["bottom"] - r["top"]) < 3]
            # rules drawn as stroked horizontal lines (Word and LibreOffice borders)
            for ln in page.lines:
                if abs(ln["top"] - ln["bottom"]) < 0.5 and ln.get("linewidth", 0) < 8:
                    half = (ln.get("linewidth") or 0.0) / 2
                    y = (ln["top"] + ln["bottom"]) / 2
                    rules.append(RuleLine(_mm(ln["x0"]), _mm(ln["x1"]), _mm(y - half), _mm(y + half),
                                          is_red(ln.get("stroking_color"))))
            verticals = [_mm(r["bottom"]) for r in page.rects if (r["x1"] - r["x0"]) < 3 < (r["bottom"] - r["top"])]
            verticals += [_mm(max(ln["top"], ln["bottom"])) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.5]
            lines = _lines(glyphs)
            number = next((ln for ln in lines if ln.baseline > g.TYPE_BOTTOM and PAGE_NUMBER.match(ln.text)), None)
            pages.append(PageView(n, _mm(float(page.width)), _mm(height_pt), lines, rules, number,
                                  max(verticals, default=0.0)))
    return PdfView(Path(path), pages, metadata, fonts)

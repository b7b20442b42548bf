"""A PDF read back into what a GB/T 9704 check needs: text lines, rules, page numbers, in mm.

Positions are mm from the page's top-left. A character's "em top" is its baseline minus 0.88 of its size:
the top of the ideographic em box, the edge GB/T 9704 measures (e.g. of the 发文机关标志).

A watermark (a draft's 草稿: big grey glyphs drawn at a slant across the page) is recognised and kept out
of the text lines the rules judge; the view records its text.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from docgen.layout import gbt9704
from docgen.layout.closing import SEAL_AREA_KEY

EM_ASCENT = 0.88
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
WATERMARK_MIN_HEIGHT = 20.0  # mm: a watermark glyph's box (the 草稿 mark's: about 59 mm); body text's is 6 mm


def _mm(points: float) -> float:
    return points * gbt9704.MM_PER_PT


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

    def autospace(self) -> float:
        """Extra space (mm) between Latin letters or digits and Chinese characters: what LibreOffice adds
        ("autospace") and Word does not. Each such gap counts beyond the line's usual glyph gap."""
        pairs = [(a, b, b.x0 - a.x1) for a, b in zip(self.glyphs, self.glyphs[1:])]
        mixed = lambda a, b: _latin(a.text) and _han(b.text) or _han(a.text) and _latin(b.text)
        others = [gap for a, b, gap in pairs if not mixed(a, b) and not a.text.isspace() and not b.text.isspace()]
        usual = statistics.median(others) if others else 0.0
        return sum(gap - usual for a, b, gap in pairs if mixed(a, b) and 0.3 < gap - usual < 0.5 * _mm(a.size))

    def without_autospace(self, anchor: str) -> tuple[float, float]:
        """The line's ends (mm) had it no autospace, kept at its ``anchor``: "left", "right" or "centre"."""
        extra = self.autospace()
        if anchor == "left":
            return self.x0, self.x1 - extra
        if anchor == "right":
            return self.x0 + extra, self.x1
        return self.x0 + extra / 2, self.x1 - extra / 2


def _latin(text: str) -> bool:
    return len(text) == 1 and text.isascii() and text.isalnum()


def _han(text: str) -> bool:
    return len(text) == 1 and ord(text) >= 0x3400 and unicodedata.category(text) == "Lo"


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
    """One page; on a page turned for a wide table (§8) its text and rules are in the landscape frame's
    coordinates (``area`` is then the landscape 版心), its page number in the portrait page's."""

    number: int  # physical page, from 1
    width: float
    height: float
    lines: list[TextLine]
    rules: list[RuleLine]
    page_number: TextLine | None = None  # the printed `— N —`, if any
    verticals_bottom: float = 0.0  # the lowest end of a vertical rule (table columns), mm
    area: gbt9704.TypeArea = gbt9704.PORTRAIT
    backwards: int = 0  # characters running down the page: a table turned the wrong way (head to the right)
    seals: list[tuple[float, float, float, float]] = field(default_factory=list)  # seal marks drawn: x0, top, x1, bottom
    sideways: bool = False  # a landscape media box (Word, LibreOffice): the turned page printed on portrait A4
    watermark: str = ""  # the text of a watermark drawn across the page (a draft's 草稿), not in ``lines``

    def text_lines(self) -> list[TextLine]:
        return [ln for ln in self.lines if ln is not self.page_number]


@dataclass
class PdfView:
    path: Path
    pages: list[PageView]
    metadata: dict = field(default_factory=dict)
    fonts: set[str] = field(default_factory=set)

    def seal_area(self) -> dict | None:
        """The recorded seal area pressing the date (of a joint document, the last organ's)."""
        areas = self.seal_areas()
        return areas[-1] if areas else None

    def seal_areas(self) -> list[dict]:
        """Every recorded seal area: ``DocgenSealArea`` holds one as an object, a joint document's as a list."""
        raw = self.metadata.get(SEAL_AREA_KEY)
        try:
            value = json.loads(raw) if raw else []
        except (TypeError, ValueError):
            return []
        areas = value if isinstance(value, list) else [value]
        good = all(isinstance(a, dict) and {"page", "x", "y", "diameter"} <= set(a) for a in areas)
        return areas if good else []

    @property
    def watermark(self) -> str:
        """The watermark the document carries (a draft's 草稿), "" if none."""
        texts = [page.watermark for page in self.pages if page.watermark]
        return max(set(texts), key=texts.count) if texts else ""

    def watermark_pages(self) -> list[int]:
        return [page.number for page in self.pages if page.watermark]

    @property
    def producer(self) -> str:
        return " ".join(str(self.metadata.get(k, "")) for k in ("Producer", "Creator")).strip()

    @property
    def libreoffice(self) -> bool:
        """Exported by LibreOffice, whose known layout differences are tolerated (and reported)."""
        return "libreoffice" in self.producer.lower()


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


def _glyph(ch: dict, height_pt: float, turned: bool) -> Glyph:
    """A character in mm from the top-left: of the portrait page, or (``turned``, text running up the page)
    of the landscape frame, whose point (X, Y) is the portrait page's (Y, 297 − X)."""
    e, f = ch["matrix"][4:]
    font, red = ch["fontname"].split("+")[-1], is_red(ch.get("non_stroking_color"))
    if turned:  # the size is the glyph box across the line (the em box, in CJK fonts)
        return Glyph(ch["text"], _mm(ch["y0"]), _mm(ch["y1"]), _mm(e), ch["x1"] - ch["x0"], font, red)
    return Glyph(ch["text"], _mm(ch["x0"]), _mm(ch["x1"]), _mm(height_pt - f), float(ch["size"]), font, red)


def _turned(ch: dict) -> bool:
    a, b = ch["matrix"][:2]
    return abs(a) < 1e-6 and b > 0


def _grey(color) -> bool:
    """A mid or light grey (one component, or three nearly equal), neither black nor white."""
    if not isinstance(color, (tuple, list)) or len(color) not in (1, 3):
        return False
    return max(color) - min(color) < 0.05 and 0.25 < color[0] < 0.95


def _watermark(ch: dict) -> bool:
    """A glyph of a watermark: grey, big, and drawn at a slant (neither upright nor turned a quarter) — as
    docgen's drawers (黑体 120 pt, 35°, grey at 18 %) and Word draw a 草稿 mark."""
    a, b = ch["matrix"][:2]
    slanted = abs(a) > 0.05 * abs(b) and abs(b) > 0.05 * abs(a)
    return slanted and _grey(ch.get("non_stroking_color")) and _mm(ch["bottom"] - ch["top"]) > WATERMARK_MIN_HEIGHT


def _rules(page, height_pt: float, turned: bool) -> tuple[list[RuleLine], float]:
    """Filled rules and stroked horizontal lines (Word and LibreOffice borders), and the lowest end of a
    vertical rule (table columns)."""
    boxes = [(_mm(r["x0"]), _mm(r["x1"]), _mm(r["top"]), _mm(r["bottom"]), is_red(r.get("non_stroking_color")))
             for r in page.rects if r.get("fill")]
    for ln in page.lines:
        half = (ln.get("linewidth") or 0.0) / 2
        if abs(ln["top"] - ln["bottom"]) < 0.5 and ln.get("linewidth", 0) < 8:
            y = (ln["top"] + ln["bottom"]) / 2
            boxes.append((_mm(ln["x0"]), _mm(ln["x1"]), _mm(y - half), _mm(y + half), is_red(ln.get("stroking_color"))))
        elif abs(ln["x0"] - ln["x1"]) < 0.5:
            x = (ln["x0"] + ln["x1"]) / 2
            boxes.append((_mm(x - half), _mm(x + half), _mm(ln["top"]), _mm(ln["bottom"]), False))
    if turned:  # into the landscape frame: X = 297 − y, Y = x
        top = _mm(height_pt)
        boxes = [(top - b, top - t, x0, x1, red) for x0, x1, t, b, red in boxes]
    rules = [RuleLine(x0, x1, t, b, red) for x0, x1, t, b, red in boxes if b - t < 3]
    verticals = [b for x0, x1, t, b, _ in boxes if x1 - x0 < 3 < b - t]
    return rules, max(verticals, default=0.0)


def _seals(page) -> list[tuple[float, float, float, float]]:
    """Seal marks drawn on the page: a picture, or a red round shape, 25–60 mm across and about square."""
    boxes = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.images]
    boxes += [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.curves
              if is_red(o.get("stroking_color")) or is_red(o.get("non_stroking_color"))]
    out = []
    for x0, top, x1, bottom in boxes:
        w, h = _mm(x1 - x0), _mm(bottom - top)
        if 25 <= w <= 60 and 25 <= h <= 60 and abs(w - h) < 0.2 * max(w, h):
            out.append((_mm(x0), _mm(top), _mm(x1), _mm(bottom)))
    return out


def _sideways_page(n: int, page, chars: list[dict]) -> PageView:
    """A landscape media box (how Word and LibreOffice write a landscape section): its upright text is
    already in the landscape frame; its page number, turned, is read in the portrait page's frame, where
    (X, Y) of the landscape frame lands at (Y, 297 − X) when the page number reads upright — the table's
    head then faces the left edge. A page number turned the other way puts the head to the right."""
    width_pt, height_pt = float(page.width), float(page.height)
    upright = [ch for ch in chars if ch.get("upright", True)]
    turned = [ch for ch in chars if not ch.get("upright", True)]
    lines = _lines([_glyph(ch, height_pt, False) for ch in upright])
    number = None
    down = [ch for ch in turned if abs(ch["matrix"][0]) < 1e-6 and ch["matrix"][1] < 0]
    if down:  # reads upright once the page is turned a quarter anticlockwise onto portrait A4
        glyphs = [Glyph(ch["text"], _mm(ch["top"]), _mm(ch["bottom"]), _mm(width_pt - ch["matrix"][4]),
                        ch["x1"] - ch["x0"], ch["fontname"].split("+")[-1], is_red(ch.get("non_stroking_color")))
                  for ch in down]
        glyphs = [gl for gl in glyphs if gl.baseline > gbt9704.TYPE_BOTTOM]
        number = next((ln for ln in _lines(glyphs) if PAGE_NUMBER.match(ln.text)), None)
    ink = [ch for ch in upright if not ch["text"].isspace()]
    up = [ch for ch in turned if abs(ch["matrix"][0]) < 1e-6 and ch["matrix"][1] > 0]
    backwards = len(ink) if up and not down else 0  # the page number says the page turns the other way
    rules, verticals = _rules(page, height_pt, False)
    return PageView(n, _mm(width_pt), _mm(height_pt), lines + ([number] if number else []), rules, number, verticals,
                    gbt9704.LANDSCAPE, backwards, _seals(page), sideways=True)


def read_pdf(path: Path) -> PdfView:
    pages = []
    fonts: set[str] = set()
    with pdfplumber.open(path) as pdf:
        metadata = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in (pdf.metadata or {}).items()}
        for n, page in enumerate(pdf.pages, 1):
            height_pt = float(page.height)
            chars = page.chars
            fonts.update(ch["fontname"] for ch in chars)
            marks = [ch for ch in chars if _watermark(ch)]
            if marks:
                chars = [ch for ch in chars if not _watermark(ch)]
            watermark = "".join(ch["text"] for ch in marks)
            if float(page.width) > height_pt:
                pages.append(_sideways_page(n, page, chars))
                pages[-1].watermark = watermark
                continue
            ink = [ch for ch in chars if not ch["text"].isspace()]
            turned = sum(map(_turned, ink)) > len(ink) / 2
            upright = _lines([_glyph(ch, height_pt, False) for ch in chars if ch.get("upright", True)])
            number = next((ln for ln in upright if ln.baseline > gbt9704.TYPE_BOTTOM and PAGE_NUMBER.match(ln.text)), None)
            lines = _lines([_glyph(ch, height_pt, True) for ch in chars if _turned(ch)]) + ([number] if number else []) \
                if turned else upright
            rules, verticals = _rules(page, height_pt, turned)
            width, height = _mm(float(page.width)), _mm(height_pt)
            backwards = sum(1 for ch in ink if abs(ch["matrix"][0]) < 1e-6 and ch["matrix"][1] < 0)
            pages.append(PageView(n, width, height, lines, rules, number, verticals,
                                  gbt9704.LANDSCAPE if turned else gbt9704.PORTRAIT, backwards, _seals(page),
                                  watermark=watermark))
    return PdfView(Path(path), pages, metadata, fonts)

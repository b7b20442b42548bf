"""Glyph outlines of the faces fontconfig resolves, read once per process and kept in 1/1000 em.

Both the print PDF (outlines or an embedded subset) and the PNG proof place the same glyphs, so the layout
asks here for each character's advance and outline, with fontconfig's fallback for characters a face lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fontTools.pens.basePen import BasePen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTCollection, TTFont

from docgen.fonts.faces import hb_font
from docgen.fonts.report import ResolvedFont, covers, fallback_for, resolve
from docgen.fonts.roles import FontRole
from docgen.problems import InvalidRecord, Problem

EM = 1000.0  # every outline and advance here is in 1/1000 em, y up, origin on the baseline


@dataclass(frozen=True)
class Glyph:
    char: str
    font: ResolvedFont  # the font that draws it (the role's face or fontconfig's fallback)
    advance: float
    path: tuple  # ((operator, ((x, y), ...)), ...): "m" move, "l" line, "c" cubic curve, "h" close
    bounds: tuple[float, float, float, float] | None  # ink box (xmin, ymin, xmax, ymax); None for a space


@dataclass(frozen=True)
class FaceMetrics:
    """The ideographic em box of a face: the line box that centres a CJK line."""

    ascent: float
    descent: float  # positive, below the baseline


class _CubicPen(BasePen):
    """Records an outline as PDF path operators; quadratic (TrueType) curves become cubics."""

    def __init__(self):
        super().__init__(None)
        self.value: list = []
        self.start = None

    def _moveTo(self, pt):
        self.value.append(("m", (pt,)))
        self.start = pt

    def _lineTo(self, pt):
        self.value.append(("l", (pt,)))

    def _curveToOne(self, p1, p2, p3):
        self.value.append(("c", (p1, p2, p3)))

    def _closePath(self):
        if self.value and self.value[-1] == ("l", (self.start,)):  # HarfBuzz draws the line back: "h" does
            self.value.pop()
        self.value.append(("h", ()))

    _endPath = _closePath  # an open contour is filled as if closed


@lru_cache(maxsize=None)
def _font(path: str, index: int) -> TTFont:
    if path.lower().endswith((".ttc", ".otc")):
        return TTCollection(path, lazy=True).fonts[index]
    return TTFont(path, lazy=True, fontNumber=index)


@lru_cache(maxsize=None)
def metrics(role: FontRole) -> FaceMetrics:
    face = resolve(role)
    font = _font(face.file, face.index)
    scale = EM / font["head"].unitsPerEm
    os2 = font["OS/2"]
    return FaceMetrics(os2.sTypoAscender * scale, -os2.sTypoDescender * scale)


@lru_cache(maxsize=None)
def _outline(face: ResolvedFont, char: str) -> Glyph:
    font = hb_font(face.file, face.index)  # HarfBuzz: no parse of the whole cmap or CFF charset
    gid = font.get_nominal_glyph(ord(char))
    scale = EM / font.face.upem
    pen = _CubicPen()
    font.draw_glyph_with_pen(gid, TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
    path = tuple((op, tuple((round(x, 2), round(y, 2)) for x, y in pts)) for op, pts in pen.value)
    points = [p for _, pts in path for p in pts]
    bounds = None
    if points:  # control points bound the curve: a safe (slightly generous) ink box
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        bounds = (min(xs), min(ys), max(xs), max(ys))
    return Glyph(char, face, font.get_glyph_h_advance(gid) * scale, path, bounds)


def undrawable(role: FontRole, text: str) -> str:
    """The characters of ``text`` that neither the role's face nor any fallback can draw."""
    face = resolve(role)
    return "".join(c for c in dict.fromkeys(text) if not covers(face, c) and fallback_for(role, c) is None)


def glyph(role: FontRole, char: str) -> Glyph:
    """The glyph a role draws for ``char``; fontconfig's fallback when the role's face lacks it."""
    face = resolve(role)
    if not covers(face, char):
        other = fallback_for(role, char)
        if other is None:
            raise InvalidRecord([Problem("文字", char, f"没有任何已安装字体能绘制字符「{char}」(U+{ord(char):04X})")])
        face = other
    return _outline(face, char)

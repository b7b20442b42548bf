"""The one layout of a plaque, in mm from the top-left corner of the finished (trim) size, y down.

The print PDF and the PNG proof both draw exactly this; nothing is laid out twice.

Design rules (annex 7's figures: a dominant title, the station line, an optional smaller line 3):
- every line is centred; the title is set as large as the design width and height allow;
- the station line's design size is 0.80 of the title's, line 3's is 0.42; gaps are fractions of the title;
- a line too long for the design width shrinks to fit, but not below 60% of its design size (the legible
  minimum); beyond that it wraps onto two lines, broken where the two halves are most nearly equal,
  preferring a word boundary (after 市/县/区/镇/乡/园/会/场…, around brackets, spaces, ·), and each half
  is set at the largest size that fits (never above the design size);
- if the stack is then taller than the design height, every line scales down together.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.fonts.roles import HEITI, XIAOBIAOSONG, FontRole
from docgen.plaques.glyphs import EM, Glyph, glyph, metrics, undrawable
from docgen.problems import InvalidRecord, Problem
from docgen.plaques.inks import SCHEMES, Ink, Scheme
from docgen.records.plaque import Plaque

BLEED = 3.0  # mm of art beyond the trim on every side
SAFE_MARGIN = 5.0  # mm inside the trim that no text may cross
DESIGN_MARGIN = 0.08  # of each side: the design area inside the trim (never less than SAFE_MARGIN)
SIZE_RATIO = {"title": 1.0, "station": 0.80, "bureau": 0.42}
GAP_BEFORE = {"station": 0.55, "bureau": 0.50}  # × title size, between a line and the one above
WRAP_LEADING = 0.22  # × line size, between the two halves of a wrapped line
LEGIBLE_MIN = 0.60  # × design size: shrink no further, wrap instead
ROLE_FACE: dict[str, FontRole] = {"title": XIAOBIAOSONG, "station": HEITI, "bureau": HEITI}
FIELD = {"title": "title", "station": "station", "bureau": "bureau"}
LABEL = {"title": "标题", "station": "站名", "bureau": "辖区局"}
BREAK_AFTER = set("市县区镇乡村园会场街路港城州旗盟）)·・ -—")
BREAK_BEFORE = set("（( ·・")


@dataclass(frozen=True)
class PlacedGlyph:
    glyph: Glyph
    x: float  # left of the advance, mm
    baseline: float  # mm from the trim top
    size: float  # em in mm

    @property
    def ink_box(self) -> tuple[float, float, float, float] | None:
        """(left, top, right, bottom) in mm of the outline's control-point box."""
        if self.glyph.bounds is None:
            return None
        x0, y0, x1, y1 = self.glyph.bounds
        k = self.size / EM
        return (self.x + x0 * k, self.baseline - y1 * k, self.x + x1 * k, self.baseline - y0 * k)


@dataclass(frozen=True)
class Line:
    role: str  # title | station | bureau
    text: str
    size: float  # em, mm
    ink: Ink
    face: FontRole
    glyphs: tuple[PlacedGlyph, ...]
    box: tuple[float, float, float, float]  # em box (left, top, right, bottom), mm


@dataclass(frozen=True)
class PlaqueLayout:
    width: float
    height: float
    scheme: Scheme
    lines: tuple[Line, ...]
    warnings: tuple[str, ...] = ()
    bleed: float = BLEED
    safe: float = SAFE_MARGIN

    @property
    def safe_box(self) -> tuple[float, float, float, float]:
        return (self.safe, self.safe, self.width - self.safe, self.height - self.safe)


def _advance(role: str, text: str) -> float:
    """Width of ``text`` in em."""
    return text_width(ROLE_FACE[role], text, 1.0)


def _fitting(width: float, role: str, text: str) -> float:
    """The size (mm per em) at which ``text`` is ``width`` wide; text of no width (zero-width characters
    only) fits at any size."""
    advance = _advance(role, text)
    return width / advance if advance > 0 else float("inf")


def _break_cost(text: str, i: int, role: str) -> float:
    a, b = text[:i], text[i:]
    imbalance = abs(_advance(role, a) - _advance(role, b))
    boundary = a[-1] in BREAK_AFTER or b[0] in BREAK_BEFORE
    inside_latin = a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()
    penalty = 0.0 if boundary else max(2.0, len(text) / 4)
    return imbalance + penalty + (100.0 if inside_latin else 0.0)


def wrap_point(text: str, role: str) -> int:
    """Where to break a line into two balanced halves (each at least 2 characters)."""
    return min(range(2, len(text) - 1), key=lambda i: (_break_cost(text, i, role), abs(2 * i - len(text))))


def _fit(role: str, text: str, design: float, width: float) -> tuple[float, list[str]]:
    """(size, rows) of one line at most ``design`` mm, wrapped when shrinking would go below the minimum."""
    one = min(design, _fitting(width, role, text))
    if one >= design * LEGIBLE_MIN or len(text) < 4:
        return one, [text]
    i = wrap_point(text, role)
    rows = [row for row in (text[:i].strip(), text[i:].strip()) if row] or [text]
    return min(design, *(_fitting(width, role, r) for r in rows)), rows


def _stack_height(blocks: list[tuple[str, float, list[str]]], title: float) -> float:
    total = 0.0
    for n, (role, size, rows) in enumerate(blocks):
        m = metrics(ROLE_FACE[role])
        em = (m.ascent + m.descent) / EM
        total += len(rows) * em * size + (len(rows) - 1) * WRAP_LEADING * size
        if n:
            total += GAP_BEFORE[role] * title
    return total


def set_text(face: FontRole, text: str, x: float, baseline: float, size: float) -> tuple[PlacedGlyph, ...]:
    """Glyphs of ``text`` set from ``x`` on ``baseline``, at ``size`` mm per em."""
    glyphs = []
    for char in text:
        g = glyph(face, char)
        glyphs.append(PlacedGlyph(g, x, baseline, size))
        x += g.advance / EM * size
    return tuple(glyphs)


def text_width(face: FontRole, text: str, size: float) -> float:
    return sum(glyph(face, c).advance for c in text) / EM * size


def fit_text(face: FontRole, text: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """Small print (job line, captions): shrink ``text`` to ``width`` down to ``min_size``, then cut it with …."""
    size = max(min(size, width / max(text_width(face, text, 1.0), 1e-6)), min(size, min_size))
    while text_width(face, text, size) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text, size


def layout(plaque: Plaque) -> PlaqueLayout:
    width, height = plaque.size
    scheme = SCHEMES[plaque.scheme]
    area_w = width - 2 * max(SAFE_MARGIN, DESIGN_MARGIN * width)
    area_h = height - 2 * max(SAFE_MARGIN, DESIGN_MARGIN * height)
    lines = plaque.lines
    problems = [Problem(FIELD[role], text, f"没有任何已安装字体能绘制字符「{bad}」，请改用常用字或安装含该字的字体",
                        LABEL[role]) for role, text in lines if (bad := undrawable(ROLE_FACE[role], text))]
    if problems:
        raise InvalidRecord(problems)
    title = _fitting(area_w, "title", lines[0][1])
    if title == float("inf"):  # a title of no width: size it as if each character were one em
        title = area_w / len(lines[0][1])
    blocks = [(role, *_fit(role, text, title * SIZE_RATIO[role], area_w)) for role, text in lines]
    stack = _stack_height(blocks, title)
    if stack > area_h:  # a flat plaque: height, not width, limits the title
        scale = area_h / stack
        title *= scale
        blocks = [(role, size * scale, rows) for role, size, rows in blocks]
        stack = area_h
    warnings = []
    placed: list[Line] = []
    y = (height - stack) / 2
    for n, (role, size, rows) in enumerate(blocks):
        if n:
            y += GAP_BEFORE[role] * title
        face, m = ROLE_FACE[role], metrics(ROLE_FACE[role])
        if size < title * SIZE_RATIO[role] * LEGIBLE_MIN - 1e-6:
            warnings.append(f"「{''.join(rows)}」过长，字高已缩至设计字号的 {size / (title * SIZE_RATIO[role]):.0%}")
        for k, row in enumerate(rows):
            if k:
                y += WRAP_LEADING * size
            baseline = y + m.ascent / EM * size
            advance = _advance(role, row) * size
            glyphs = set_text(face, row, (width - advance) / 2, baseline, size)
            left = (width - advance) / 2
            box = (left, y, left + advance, y + (m.ascent + m.descent) / EM * size)
            ink = scheme.title if role == "title" else scheme.text
            placed.append(Line(role, row, size, ink, face, tuple(glyphs), box))
            y = box[3]
    return PlaqueLayout(width, height, scheme, tuple(placed), tuple(warnings))

"""Where the 署名 and 成文日期 stand (GB/T 9704 §7.3.5): one computation for both renderers."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.layout import gbt9704
from docgen.content.document import Signature
from docgen.fonts.metrics import role_metrics

RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
CELL = gbt9704.CHAR_PITCH_MM
GRID_SPACING = gbt9704.pt(gbt9704.CHAR_PITCH_MM) - gbt9704.SIZE_SAN


def text_width_mm(text: str, role: str = "fangsong", size: float = gbt9704.SIZE_SAN, spacing: float = GRID_SPACING) -> float:
    """Ink width of one line of ``text`` on the body grid (letter-spacing between glyphs)."""
    metrics = role_metrics(role)
    return gbt9704.mm(sum(metrics.advance(c) * size for c in text) + spacing * max(len(text) - 1, 0))


@dataclass(frozen=True)
class SignatureGeometry:
    organ_x: float  # mm from the page's left edge
    organ_w: float
    date_x: float
    date_w: float
    sealed: bool

    @property
    def organ_right_indent(self) -> float:
        """mm from the organ's right end to the type area's right edge."""
        return RIGHT - self.organ_x - self.organ_w

    @property
    def date_right_indent(self) -> float:
        return RIGHT - self.date_x - self.date_w

    @property
    def centre(self) -> float:
        return self.date_x + self.date_w / 2


def signature_geometry(signature: Signature) -> SignatureGeometry:
    """Unsealed: 署名 right-indented 2 字, the date starting 2 字 right of the 署名 (when the date is longer,
    the date right-indented 2 字 and the 署名 2 字 left of it). Sealed: the date right-indented 4 字 and the
    署名 centred over it."""
    organ_w = text_width_mm(signature.organ)
    date_w = text_width_mm(signature.date)
    if signature.sealed:
        date_x = RIGHT - 4 * CELL - date_w
        organ_x = date_x + (date_w - organ_w) / 2
    else:
        organ_x = RIGHT - 2 * CELL - organ_w
        date_x = organ_x + 2 * CELL
        if date_x + date_w > RIGHT - 2 * CELL:
            date_x = RIGHT - 2 * CELL - date_w
            organ_x = date_x - 2 * CELL
    return SignatureGeometry(organ_x, organ_w, date_x, date_w, signature.sealed)


SEAL_GAP = 2.0  # mm between two seals side by side: never touching (§7.3.5.1), within 3 mm where the names allow
SEALS_PER_ROW = 3
SEAL_ROW_LINES = 5  # lines from one row of seals to the next: 5 × 10.2 mm clears a 42 mm seal


@dataclass(frozen=True)
class PlacedName:
    """One 署名 of a joint signature: its text, left edge and width (mm), the line of the block it stands on."""

    text: str
    x: float
    w: float
    line: int

    @property
    def centre(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True)
class JointGeometry:
    """A joint signature (联合行文, §7.3.5): every organ's 署名, the date, and (sealed) one seal centre per
    organ, in organ order. Lines count from the block's top: sealed, row r of 署名 stands on line
    2 + 5r, its seals' tops 0.3 line below line 5r; unsealed, the 署名 from line 1, one a line."""

    names: tuple[PlacedName, ...]
    date_x: float
    date_w: float
    date_line: int
    seal_x: tuple[float, ...] = ()  # seal centres, mm; empty when unsealed

    @property
    def seal_rows(self) -> tuple[int, ...]:
        """Each seal's row, counted from the first (top) row."""
        return tuple((name.line - self.names[0].line) // SEAL_ROW_LINES for name in self.names)


def _seal_columns(widths: list[float], date_centre: float) -> tuple[int, float]:
    """How many seals stand in a row and their pitch (mm): as many as fit the type area (at most three),
    rows balanced; seals 2 mm apart unless the names need more room (2 字 between neighbours)."""
    d = gbt9704.SEAL_DIAMETER
    pitch = max(d + SEAL_GAP, max(widths) + 2 * CELL)
    reach = max(d, max(widths)) / 2  # half of what a column needs, seal or name
    per_row = min(SEALS_PER_ROW, len(widths))
    while per_row > 1 and date_centre - (per_row - 1) * pitch - reach < gbt9704.MARGIN_LEFT:
        per_row -= 1
    rows = -(-len(widths) // per_row)
    return -(-len(widths) // rows), pitch


def joint_geometry(signature: Signature) -> JointGeometry:
    """Sealed (§7.3.5.1): the organs' 署名 side by side in the organs' order, rows of at most three right-
    aligned so the last organ stands over the date (right-indented 4 字); one seal centred on each 署名,
    seals never touching, the last pressing its 署名 and the date. Unsealed (§7.3.5.2): the 主办机关's 署名
    first and the others one under another, starting together; the date under them, as for one organ with
    the longest name."""
    widths = [text_width_mm(name) for name in signature.names]
    date_w = text_width_mm(signature.date)
    if not signature.sealed:
        longest = max(range(len(widths)), key=widths.__getitem__)
        g = signature_geometry(Signature(signature.names[longest], signature.date))
        names = tuple(PlacedName(name, g.organ_x, w, 1 + n) for n, (name, w) in enumerate(zip(signature.names, widths)))
        return JointGeometry(names, g.date_x, date_w, 1 + len(names))
    date_x = RIGHT - 4 * CELL - date_w
    centre = date_x + date_w / 2
    per_row, pitch = _seal_columns(widths, centre)
    rows = [list(range(len(widths)))[i:i + per_row] for i in range(0, len(widths), per_row)]
    names, seals = [], []
    for r, row in enumerate(rows):
        for column, n in enumerate(row):
            x = centre - (len(row) - 1 - column) * pitch
            left = min(max(x - widths[n] / 2, gbt9704.MARGIN_LEFT), RIGHT - widths[n])
            names.append(PlacedName(signature.names[n], left, widths[n], 2 + r * SEAL_ROW_LINES))
            seals.append(x)
    return JointGeometry(tuple(names), date_x, date_w, names[-1].line + 1, tuple(seals))

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

"""WordprocessingML units from GB/T 9704 millimetres and points."""

from __future__ import annotations

from docgen.layout import gbt9704


def tw(mm: float) -> int:
    """Twentieths of a point (twips)."""
    return round(mm / 25.4 * 1440)


def half_points(points: float) -> int:
    return round(points * 2)


def eighth_points(mm: float) -> int:
    """Border widths are in eighths of a point."""
    return max(2, round(gbt9704.pt(mm) * 8))


# the document grid: 22 lines of 28 characters on 三号 (16 pt)
LINE_PITCH = int(gbt9704.LINE_PITCH_MM / 25.4 * 1440)  # 579: rounded down, or 22 lines overflow 225 mm
# Word reads a negative charSpace as a squeezed character cell, but LibreOffice then gives each 16 pt glyph
# two cells (measured: 14 characters a line). So the cell stays 16 pt, paragraphs do not snap to it, and the
# body text is condensed by 0.25 pt instead: 28 characters fill 156 mm in Word and in LibreOffice alike.
CHAR_SPACE = 0
GRID_CONDENSE = -5  # twentieths of a point
ONE_CHAR = tw(gbt9704.CHAR_PITCH_MM)

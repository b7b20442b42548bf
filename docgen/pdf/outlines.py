"""Text as outlines: placed plaque glyphs as PDF path operators, the text a sign shop cuts or prints
without fonts (a plaque's print file by default, imposed sheets, contact sheets)."""

from __future__ import annotations

from docgen.pdf.units import PT_PER_MM, number
from docgen.plaques.glyphs import EM
from docgen.plaques.layout import PlacedGlyph


def glyph_path(glyphs: tuple[PlacedGlyph, ...], ox: float, oy: float, scale: float = PT_PER_MM) -> str:
    """Path operators (no paint) drawing ``glyphs``; a layout point (x, y) mm lands at (ox + x·s, oy − y·s).
    Coordinates to 1/100 pt."""
    out = []
    for pg in glyphs:
        k = pg.size / EM
        bx, by = ox + pg.x * scale, oy - pg.baseline * scale
        ks = k * scale
        for op, pts in pg.glyph.path:
            coords = " ".join(f"{number(bx + x * ks, 2)} {number(by + y * ks, 2)}" for x, y in pts)
            out.append(f"{coords} {op}" if coords else op)
    return "\n".join(out)

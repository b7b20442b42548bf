"""Font metrics the PDF composer needs: advance widths and vertical metrics of each role's font.

Read once per process (through HarfBuzz) from the file fontconfig resolves for the role, so the composer
knows exactly how wide a line is and where WeasyPrint (Pango) will put its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from docgen.fonts.faces import hb_font, hhea_extents, unicodes
from docgen.fonts.report import resolve
from docgen.fonts.roles import ROLES

# CJK fonts draw ideographs in an em box from 0.12 em below to 0.88 em above the baseline: its top is the
# "top edge" GB/T 9704 measures (e.g. of the 发文机关标志), and what `docgen check` measures too.
EM_BOX_ASCENT = 0.88


# Only what text can hold besides ideographs (1 em wide): ASCII, Latin-1, general punctuation, CJK
# punctuation and the full-width forms.
_MEASURED = frozenset(range(0x2100)) | frozenset(range(0x3000, 0x3040)) | frozenset(range(0xFF00, 0xFFF0))


@dataclass(frozen=True)
class RoleMetrics:
    ascent: float  # em, as Pango lays out a line (hhea)
    descent: float  # em, positive
    advances: dict[int, float]  # code point → advance in em
    cmap: frozenset[int]

    def advance(self, char: str) -> float:
        """Advance of ``char`` in em; characters the font lacks are drawn by a CJK fallback: 1 em."""
        return self.advances.get(ord(char), 1.0)

    def baseline_offset(self, size: float, line_height: float) -> float:
        """Distance (pt) from the top of a one-line block to its baseline."""
        return (line_height - (self.ascent + self.descent) * size) / 2 + self.ascent * size


@lru_cache(maxsize=None)
def role_metrics(role_key: str) -> RoleMetrics:
    font = resolve(ROLES[role_key])
    hb = hb_font(font.file, font.index)
    upem = hb.face.upem
    ascender, descender = hhea_extents(font.file, font.index)
    cmap = unicodes(font.file, font.index)
    advances = {cp: hb.get_glyph_h_advance(hb.get_nominal_glyph(cp)) / upem for cp in cmap & _MEASURED}
    return RoleMetrics(ascender / upem, abs(descender) / upem, advances, cmap)

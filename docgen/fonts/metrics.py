"""Font metrics the PDF composer needs: advance widths and vertical metrics of each role's font.

Read once per process with fontTools from the file fontconfig resolves for the role, so the composer
knows exactly how wide a line is and where WeasyPrint (Pango) will put its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTCollection, TTFont

from docgen.fonts.report import resolve
from docgen.fonts.roles import ROLES

# CJK fonts draw ideographs in an em box from 0.12 em below to 0.88 em above the baseline: its top is the
# "top edge" GB/T 9704 measures (e.g. of the 发文机关标志), and what `docgen check` measures too.
EM_BOX_ASCENT = 0.88


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
    if font.file.lower().endswith((".ttc", ".otc")):
        tt = TTCollection(font.file, lazy=True).fonts[font.index]
    else:
        tt = TTFont(font.file, lazy=True, fontNumber=font.index)
    upem = tt["head"].unitsPerEm
    hhea = tt["hhea"]
    cmap = tt.getBestCmap()
    hmtx = tt["hmtx"]
    # Only what text can hold besides ideographs: ASCII, Latin-1 and general punctuation.
    wanted = [cp for cp in cmap if cp < 0x2100 or 0xFF00 <= cp <= 0xFFEF or 0x3000 <= cp <= 0x303F]
    advances = {cp: hmtx[cmap[cp]][0] / upem for cp in wanted}
    return RoleMetrics(hhea.ascent / upem, abs(hhea.descent) / upem, advances, frozenset(cmap))

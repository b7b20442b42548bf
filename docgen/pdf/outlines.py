"""Text mode: the glyphs a plaque uses, rebuilt as a small TrueType font embedded as a CID font.

Outlines come from the same cache the outline mode draws (cubic curves turned quadratic by cu2qu, within
1/1000 em), so both modes print the same shapes. Codes are the subset's glyph ids (Identity-H); a ToUnicode
map keeps the text searchable and copyable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

from docgen.fonts.report import ResolvedFont
from docgen.plaques.glyphs import EM, Glyph


@dataclass(frozen=True)
class EmbeddedFont:
    name: str  # the PDF BaseFont: a subset tag + the source's PostScript name
    program: bytes  # the TrueType font file
    codes: dict[str, int]  # char → glyph id (the 2-byte code in the content stream)
    widths: tuple[float, ...]  # advance of glyph 1, 2, … in 1/1000 em
    bbox: tuple[int, int, int, int]
    ascent: float
    descent: float


def _replay(glyph: Glyph, pen) -> None:
    for op, pts in glyph.path:
        if op == "m":
            pen.moveTo(pts[0])
        elif op == "l":
            pen.lineTo(pts[0])
        elif op == "c":
            pen.curveTo(*pts)
        else:
            pen.closePath()


def _postscript_name(font: ResolvedFont) -> str:
    from docgen.plaques.glyphs import _font

    return str(_font(font.file, font.index)["name"].getDebugName(6) or font.family).replace(" ", "")


@lru_cache(maxsize=256)
def embedded_font(glyphs: tuple[Glyph, ...], ascent: float, descent: float) -> EmbeddedFont:
    """A font of ``glyphs`` (one source face, each char once) in their order, after .notdef."""
    order = [".notdef"] + [f"g{i}" for i in range(1, len(glyphs) + 1)]
    outlines, metrics = {".notdef": TTGlyphPen(None).glyph()}, {".notdef": (int(EM), 0)}
    for name, g in zip(order[1:], glyphs):
        pen = TTGlyphPen(None)
        _replay(g, Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        outlines[name] = pen.glyph()
        metrics[name] = (round(g.advance), round(g.bounds[0]) if g.bounds else 0)
    fb = FontBuilder(int(EM), isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(g.char): name for name, g in zip(order[1:], glyphs) if ord(g.char) > 32})
    fb.setupGlyf(outlines)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=round(ascent), descent=-round(descent))
    source = _postscript_name(glyphs[0].font)
    fb.setupNameTable({"familyName": source, "styleName": "Regular", "psName": source})
    fb.setupOS2(sTypoAscender=round(ascent), sTypoDescender=-round(descent), usWinAscent=round(ascent),
                usWinDescent=round(descent))
    fb.setupPost()
    from io import BytesIO

    out = BytesIO()
    fb.save(out)
    program = out.getvalue()
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha1(program).digest()[:6])
    head = fb.font["head"]
    return EmbeddedFont(
        f"{tag}+{source}", program, {g.char: i for i, g in enumerate(glyphs, 1)},
        tuple(g.advance for g in glyphs), (head.xMin, head.yMin, head.xMax, head.yMax), ascent, descent,
    )


def to_unicode(font: EmbeddedFont) -> bytes:
    """The ToUnicode CMap: glyph id → the character it draws (UTF-16BE)."""
    pairs = [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, gid in font.codes.items()]
    blocks = "".join(  # at most 100 entries a block
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
        for chunk in (pairs[i:i + 100] for i in range(0, len(pairs), 100))
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{blocks}"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")

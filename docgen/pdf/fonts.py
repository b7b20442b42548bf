"""Fonts in a PDF: each face a document draws with, embedded once as a HarfBuzz subset of the glyphs drawn,
with a ToUnicode map so the text can be searched and copied.

A face is a ``DocumentFont``: the drawer looks its glyphs up by character (``gid``), records the ones it
draws (``use``), then subsets the face once (``subset``) and writes each glyph by its code in the subset
(``code``: glyph ids renumbered, so a subset of a 65,000-glyph CJK face holds only the glyphs drawn, not
tens of thousands of empty ones; a CFF's CIDs are made its glyph ids), and embeds it (``embed``) as a Type0
font over a CIDFontType0 (CFF, FontFile3 /OpenType) or CIDFontType2 (glyf, FontFile2), Identity-H.
Subsets are made afresh for every document (the last few are kept for a document drawn again); what a
process keeps is each face's HarfBuzz object (docgen.fonts.faces) and the advances looked up.

Faces are named as WeasyPrint names them (Pango's description: family, then weight and style unless
normal, spaces as dashes), so the font report reads the same names whichever drawer ran; the subset tag
comes from the subset's content, so the same glyphs give the same bytes.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import pikepdf
import uharfbuzz as hb
from pikepdf import Array, Dictionary, Name

from docgen.fonts.faces import hb_font
from docgen.fonts.report import ResolvedFont
from docgen.pdf.units import array_number

# Tables no PDF viewer reads from an embedded font program (layout, naming, bitmaps, vertical metrics, hinting).
DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ", "VORG",
               "vhea", "vmtx", "GDEF", "name", "kern", "morx", "hdmx", "VDMX", "MATH", "gasp")

# Pango's names of OpenType weights (pango_font_description_to_string), the normal weight unnamed
_WEIGHTS = {100: "Thin", 200: "Ultra-Light", 300: "Light", 350: "Semi-Light", 380: "Book", 500: "Medium",
            600: "Semi-Bold", 700: "Bold", 800: "Ultra-Bold", 900: "Heavy", 1000: "Ultra-Heavy"}


@lru_cache(maxsize=None)
def face_name(font: ResolvedFont) -> str:
    """The face's name as WeasyPrint writes it: Pango's description of the font (family, then the weight
    and style words unless normal) with its spaces as dashes, e.g. ``Noto-Serif-CJK-SC-Bold``."""
    words = [font.family]
    os2 = hb_font(font.file, font.index).face.reference_table("OS/2").data
    if len(os2) >= 64:
        weight = _WEIGHTS.get(int.from_bytes(os2[4:6], "big"))
        selection = int.from_bytes(os2[62:64], "big")
        if weight:
            words.append(weight)
        if selection & 1:
            words.append("Italic")
        elif selection & 0x200:
            words.append("Oblique")
    return " ".join(words).replace(" ", "-")


def subset_tag(program: bytes) -> str:
    """Six capital letters naming a subset (PDF 9.6.4), taken from the subset's own bytes."""
    return "".join(chr(65 + b % 26) for b in hashlib.sha1(program).digest()[:6])


def to_unicode_cmap(chars: dict[int, str]) -> bytes:
    """The ToUnicode CMap of 2-byte codes: code → the text it draws (UTF-16BE)."""
    pairs = [f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in sorted(chars.items())]
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


@lru_cache(maxsize=16)
def _font_program(file: str, index: int, gids: tuple[int, ...]) -> tuple[bytes, bytes, dict[int, int]]:
    """The HarfBuzz subset of a face keeping ``gids``, that program deflated, and each kept glyph's id in
    the subset, its code (the source's glyph ids → the subset's, in the same order; a composite glyph's
    parts are kept too). A document drawn again (a draft, then the sealed copy; a preview) reuses all
    three."""
    data = hb.SubsetInput()
    data.glyph_set.update(gids)
    data.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    drop = data.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROP_TABLES:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    plan = hb.SubsetPlan(hb_font(file, index).face, data)
    program = plan.execute().blob.data
    if program[:4] == b"OTTO":
        program = _cids_as_glyph_ids(program)
    return program, _deflate(program), dict(plan.old_to_new_glyph_mapping)


def _deflate(program: bytes) -> bytes:
    """A font program deflated with run-length matches only: CFF and glyf data hardly repeat, so the usual
    search for longer matches buys about 5 % of the size (CJK subsets: 80 % of the program, not 84 %) for
    three times the time."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_RLE)
    return deflate.compress(program) + deflate.flush()


def _cids_as_glyph_ids(program: bytes) -> bytes:
    """An OpenType font whose CID-keyed CFF has its charset rewritten in place so that each glyph's CID is
    its glyph id. HarfBuzz's subset renumbers the glyphs but keeps the source's CIDs; a PDF reader should
    find a CIDFontType0's glyph by CID through the charset (ISO 32000-1, 9.7.4.2), poppler takes the code
    as the glyph id: with CID = glyph id both read the same glyph. Identity takes no more bytes than any
    charset of as many glyphs in the same format. (Table checksums are left as they are: readers ignore
    them.)"""
    tables = {program[12 + 16 * i:16 + 16 * i]: int.from_bytes(program[20 + 16 * i:24 + 16 * i], "big")
              for i in range(int.from_bytes(program[4:6], "big"))}
    base = tables[b"CFF "]
    cff = program[base:]
    names = _index_end(cff, cff[2])  # after the header: the Name INDEX, then the Top DICT INDEX
    count, size = int.from_bytes(cff[names:names + 2], "big"), cff[names + 2]
    first = int.from_bytes(cff[names + 3:names + 3 + size], "big")
    second = int.from_bytes(cff[names + 3 + size:names + 3 + 2 * size], "big")
    data = names + 3 + (count + 1) * size - 1
    top = _dict(cff[data + first:data + second])
    if (12, 30) not in top or 15 not in top:  # name-keyed: the CID is the glyph id already
        return program
    glyphs = int.from_bytes(cff[top[17][0]:top[17][0] + 2], "big")  # the CharStrings INDEX's count
    at = top[15][0]
    fmt = cff[at]
    if fmt == 0:
        charset = bytes([0]) + b"".join(cid.to_bytes(2, "big") for cid in range(1, glyphs))
    elif fmt == 1:
        charset = bytes([1]) + b"".join(start.to_bytes(2, "big") + bytes([min(255, glyphs - 1 - start)])
                                        for start in range(1, glyphs, 256))
    else:
        charset = bytes([2]) + (1).to_bytes(2, "big") + (glyphs - 2).to_bytes(2, "big") if glyphs > 1 else b"\x02"
    out = bytearray(program)
    out[base + at:base + at + len(charset)] = charset
    return bytes(out)


def _index_end(cff: bytes, at: int) -> int:
    """Where the CFF INDEX starting at ``at`` ends."""
    count = int.from_bytes(cff[at:at + 2], "big")
    if not count:
        return at + 2
    size = cff[at + 2]
    last = int.from_bytes(cff[at + 3 + count * size:at + 3 + (count + 1) * size], "big")
    return at + 3 + (count + 1) * size - 1 + last


def _dict(data: bytes) -> dict:
    """A CFF DICT: operator (an int, or (12, n) for an escaped one) → its integer operands (reals: None)."""
    out: dict = {}
    operands: list = []
    i = 0
    while i < len(data):
        b = data[i]
        if b <= 21:
            op = (12, data[i + 1]) if b == 12 else b
            i += 2 if b == 12 else 1
            out[op], operands = operands, []
        elif b == 28:
            operands.append(int.from_bytes(data[i + 1:i + 3], "big", signed=True))
            i += 3
        elif b == 29:
            operands.append(int.from_bytes(data[i + 1:i + 5], "big", signed=True))
            i += 5
        elif b == 30:  # a real: nibbles up to an 0xf
            i += 1
            while data[i] & 0x0F != 0x0F and data[i] >> 4 != 0x0F:
                i += 1
            i += 1
            operands.append(None)
        elif b <= 246:
            operands.append(b - 139)
            i += 1
        elif b <= 250:
            operands.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        else:
            operands.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
    return out


def _flags(family: str, widths: list[float]) -> int:
    """FontDescriptor flags as WeasyPrint sets them: symbolic, serif by name, fixed pitch if one width."""
    flags = 4
    if "Serif" in family.split():
        flags += 2
    if len(widths) > 1 and len(set(widths)) == 1:
        flags += 1
    return flags


def _w_array(widths: dict[int, float]) -> Array:
    """[first [w w …] first [w …] …]: widths of runs of consecutive codes."""
    out: list = []
    run: list = []
    previous = None
    for code in sorted(widths):
        if previous is None or code != previous + 1:
            run = []
            out += [code, run]
        run.append(array_number(widths[code]))
        previous = code
    return Array([Array(x) if isinstance(x, list) else x for x in out])


def _head_bbox(face: hb.Face) -> tuple[int, ...]:
    """The face's bounding box from its ``head`` table, in 1/1000 em."""
    head = face.reference_table("head").data
    scale = 1000 / face.upem
    return tuple(round(int.from_bytes(head[o:o + 2], "big", signed=True) * scale) for o in (36, 38, 40, 42))


_ADVANCES: dict[tuple[str, int], dict[int, float]] = {}  # face → glyph id → advance: looked up once a process


def glyph_width(font: ResolvedFont, gid: int) -> float:
    """Advance of glyph ``gid`` of ``font`` in 1/1000 em, as a W array gives it."""
    widths = _ADVANCES.get((font.file, font.index))
    if widths is None:
        widths = _ADVANCES[(font.file, font.index)] = {}
    w = widths.get(gid)
    if w is None:
        face = hb_font(font.file, font.index)
        w = widths[gid] = round(face.get_glyph_h_advance(gid) * 1000 / face.face.upem, 3)
    return w


class DocumentFont:
    """One face a document draws with: its glyphs by character, the glyphs drawn, their codes in the
    subset, and the embedded Type0 font."""

    def __init__(self, font: ResolvedFont, key: str, em_box: tuple[float, float] | None = None):
        self.font = font
        self.key = key  # the resource name, F1 …
        self.em_box = em_box  # (ascent, descent below the baseline) in 1/1000 em for the descriptor, if
        # not the face's own (hhea): a plaque gives every face of a line that line's em box
        self.hb_font = hb_font(font.file, font.index)
        self.upem = self.hb_font.face.upem
        self.drawn: dict[int, str] = {}  # source glyph id → the character it draws
        self._codes: dict[int, int] | None = None  # source glyph id → its id in the subset

    @property
    def name(self) -> str:
        """The face's name without a subset tag, as WeasyPrint names it."""
        return face_name(self.font)

    def gid(self, char: str) -> int | None:
        """The face's glyph for ``char`` (its cmap), or None."""
        return self.hb_font.get_nominal_glyph(ord(char))

    def width(self, gid: int) -> float:
        """Advance of source glyph ``gid`` in 1/1000 em, as the W array gives it."""
        return glyph_width(self.font, gid)

    def use(self, gid: int, char: str) -> None:
        """Record that glyph ``gid`` is drawn, for ``char`` (the first character given keeps it)."""
        if self._codes is not None:
            raise RuntimeError(f"{self.font.family}: a glyph recorded after the face was subset")
        self.drawn.setdefault(gid, char)

    def subset(self) -> None:
        """Subset the face to the glyphs recorded (and .notdef): ``code`` gives their ids from now on."""
        if self._codes is None:
            self._codes = self._program()[2]

    def code(self, gid: int) -> int:
        """The 2-byte code (the glyph's id in the subset) of source glyph ``gid``, once subset."""
        return self._codes[gid]

    def _program(self) -> tuple[bytes, bytes, dict[int, int]]:
        return _font_program(self.font.file, self.font.index, tuple(sorted({0, *self.drawn})))

    def embed(self, pdf: pikepdf.Pdf) -> pikepdf.Object:
        """The Type0 font of the subset, added to ``pdf``."""
        self.subset()
        program, deflated, codes = self._program()
        cff = program[:4] == b"OTTO"
        base = f"{subset_tag(program)}+{self.name}"
        family = self.font.family
        widths = {code: self.width(gid) for gid, code in codes.items() if gid}
        drawn = [widths[codes[gid]] for gid in self.drawn if gid]
        scale = 1000 / self.upem
        if self.em_box is None:
            extents = self.hb_font.get_font_extents("ltr")
            ascent, descent = round(extents.ascender * scale), round(extents.descender * scale)
        else:
            ascent, descent = round(self.em_box[0]), -round(self.em_box[1])
        cap = self.hb_font.get_metric_position(hb.OTMetricsTag.CAP_HEIGHT)
        if cff:
            stream = pdf.make_stream(b"", Subtype=Name("/OpenType"))
        else:
            stream = pdf.make_stream(b"", Length1=len(program))
        stream.write(deflated, filter=Name.FlateDecode)  # deflated once, not again by qpdf
        descriptor = Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/" + base), FontFamily=pikepdf.String(family),
            Flags=_flags(family, drawn), FontBBox=Array(list(_head_bbox(self.hb_font.face))),
            ItalicAngle=0, Ascent=ascent, Descent=descent,
            CapHeight=round(cap * scale) if cap else ascent, StemV=80,
        )
        descriptor[Name.FontFile3 if cff else Name.FontFile2] = stream
        cid = Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType0 if cff else Name.CIDFontType2, BaseFont=Name("/" + base),
            CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                     Supplement=0),
            FontDescriptor=pdf.make_indirect(descriptor), DW=1000, W=_w_array(widths),
        )
        if not cff:
            cid.CIDToGIDMap = Name.Identity
        cmap = to_unicode_cmap({codes[gid]: char for gid, char in self.drawn.items() if gid})
        return pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/" + base), Encoding=Name("/Identity-H"),
            DescendantFonts=Array([pdf.make_indirect(cid)]), ToUnicode=pdf.make_stream(cmap),
        ))

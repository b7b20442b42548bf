"""The print master drawn straight to PDF: a Composition's pages written with pikepdf, no HTML engine.

WeasyPrint (html.py) lays out and paints every glyph through Pango, some 55 µs a glyph: a table of
thousands of rows takes many seconds to draw although the composer has already placed every glyph. Here
the positioned items become PDF operators directly, the same pages WeasyPrint draws:

- each Text is one text run at its pen position: the pen starts at ``x`` and advances by the glyph's
  advance (the composer's: docgen.fonts.metrics) plus the letter-spacing, set once as ``Tc``; glyph widths
  come from the embedded font's W array, and where a glyph's own width differs from the advance the
  composer counted (a character drawn by a fallback font counts 1 em) a TJ adjustment keeps the pen
  where the composer put it;
- every face used (the role's font, fontconfig's fallback for characters it lacks) is subset once per
  document with HarfBuzz, glyph ids kept (codes are GIDs, Identity-H), embedded as a Type0 font over a
  CIDFontType0 (CFF, FontFile3 /OpenType) or CIDFontType2 (glyf, FontFile2) with a ToUnicode map, so the
  text can be searched and copied;
- rules are drawn first, joined as html.py joins them, then text and pictures in order, then the page
  number: the order WeasyPrint paints the template in;
- a landscape page (§8) is drawn in its 297 × 210 mm frame under a ``cm`` that turns it onto the
  portrait page, its head to the left; the page number is drawn upright on the portrait page;
- a picture is a PNG (an image XObject, its alpha as an SMask: the seal) or, when the caller gives its
  art as a PDF page (``VectorFigure``: annex 7's plaques, from docgen.pdf.plaque), that page as a form
  XObject clipped to its TrimBox and scaled into the picture's box, vector as in the print file;
- a draft carries the 草稿 watermark of templates/official.css on every page, last, as WeasyPrint draws it;
- fonts are named as WeasyPrint names them (Pango's description: family, then weight and style unless
  normal, spaces as dashes), so the font report and ``docgen check`` read the same names from either drawer.

Output is deterministic: the same composition gives the same bytes (subset tags from the subset font's
content, no dates, a document id from the content).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable
from io import BytesIO

import pikepdf
import uharfbuzz as hb
from pikepdf import Array, Dictionary, Name

from docgen.layout import gbt9704
from docgen.fonts.metrics import role_metrics
from docgen.fonts.report import ResolvedFont, fallback_for, resolve
from docgen.fonts.roles import ROLES
from docgen.pdf.outlines import EmbeddedFont, to_unicode
from docgen.layout.compose import Composition, collector_paused
from docgen.layout.closing import SEAL_AREA_KEY
from docgen.layout.flow import Frame, Picture, PlaqueArt, Rect, Text, merged_rules

K = 72 / 25.4  # pt per mm
PAGE_W = round(gbt9704.pt(gbt9704.PAGE_WIDTH), 6)  # 595.275591
PAGE_H = round(gbt9704.pt(gbt9704.PAGE_HEIGHT), 6)  # 841.889764
# Tables no PDF viewer reads from an embedded font program (WeasyPrint drops the same ones).
DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ", "VORG",
               "vhea", "vmtx", "GDEF", "name", "kern", "morx", "hdmx", "VDMX")
_IRREGULAR = "!"  # what a role's code table gives for a glyph that cannot go in the run's fast path


def _n(v: float) -> str:
    """A number for the content stream: 3 decimals (1/1000 pt), no trailing zeros."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@lru_cache(maxsize=64)
def _rgb(color: str) -> str:
    """'#E60012' → '0.902 0 0.071' (DeviceRGB components)."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        raise ValueError(f"not a hex colour: {color!r}")
    return " ".join(f"{int(value[i:i + 2], 16) / 255:.6f}".rstrip("0").rstrip(".") for i in (0, 2, 4))


# ---- fonts ----

@lru_cache(maxsize=None)
def _hb_face(path: str, index: int) -> tuple[hb.Face, hb.Font]:
    face = hb.Face(hb.Blob.from_file_path(path), index)
    return face, hb.Font(face)


class _Face:
    """One font face used in the document: its glyphs by code point, and the glyphs drawn."""

    def __init__(self, font: ResolvedFont, key: str):
        self.font = font
        self.key = key  # the page resource name, /F1 …
        self.face, self.hb_font = _hb_face(font.file, font.index)
        self.upem = self.face.upem
        self.to_unicode: dict[int, str] = {}  # glyph id → the character it draws
        self._widths: dict[int, float] = {}

    def gid(self, char: str) -> int | None:
        return self.hb_font.get_nominal_glyph(ord(char))

    def width(self, gid: int) -> float:
        """Advance of glyph ``gid`` in 1/1000 em, as the W array gives it."""
        w = self._widths.get(gid)
        if w is None:
            w = self._widths[gid] = round(self.hb_font.get_glyph_h_advance(gid) * 1000 / self.upem, 3)
        return w


@dataclass
class _Glyph:
    face: _Face
    gid: int
    hex: str  # the 2-byte code, 4 hex digits
    adjust: float  # TJ number after the glyph: its W width minus the composer's advance (1/1000 em)


class _RoleCodes(dict):
    """code point → the glyph's 4 hex digits, for ``str.translate``: filled as characters turn up.

    A character drawn by another face, or whose width is not the advance the composer counted, maps to
    ``_IRREGULAR`` (one character, not four), so a run whose translation is not 4 × its length takes the
    slow path."""

    def __init__(self, drawer: "_Drawer", role: str):
        super().__init__()
        self.drawer, self.role = drawer, role

    def __missing__(self, cp: int) -> str:
        glyph = self.drawer.glyph(self.role, chr(cp))
        value = glyph.hex if glyph.face is self.drawer.role_face(self.role) and not glyph.adjust else _IRREGULAR
        self[cp] = value
        return value


def _flags(family: str, widths: list[float]) -> int:
    """FontDescriptor flags as WeasyPrint sets them: symbolic, serif by name, fixed pitch if one width."""
    flags = 4
    if "Serif" in family.split():
        flags += 2
    if len(widths) > 1 and len(set(widths)) == 1:
        flags += 1
    return flags


def _w_array(widths: dict[int, float]) -> Array:
    """[first [w w …] first [w …] …]: runs of consecutive glyph ids."""
    out: list = []
    run: list | None = None
    previous = None
    for gid in sorted(widths):
        if previous is None or gid != previous + 1:
            run = []
            out += [gid, run]
        run.append(_num(widths[gid]))
        previous = gid
    return Array([Array(x) if isinstance(x, list) else x for x in out])


def _num(v: float):
    return int(v) if float(v).is_integer() else round(v, 3)


def _head_bbox(face: hb.Face) -> tuple[int, int, int, int]:
    head = face.reference_table("head").data
    scale = 1000 / face.upem
    return tuple(round(int.from_bytes(head[o:o + 2], "big", signed=True) * scale) for o in (36, 38, 40, 42))


def _subset(face: _Face) -> bytes:
    return _font_program(face.font.file, face.font.index, tuple(sorted({0, *face.to_unicode})))[0]


@lru_cache(maxsize=16)
def _font_program(file: str, index: int, gids: tuple[int, ...]) -> tuple[bytes, bytes]:
    """The HarfBuzz subset of a face keeping ``gids`` (glyph ids kept), and that program deflated: a
    document drawn again (a draft, then the sealed copy; a preview) reuses both."""
    import zlib

    program = _hb_subset(_hb_face(file, index)[0], gids)
    return program, zlib.compress(program, 6)


def _hb_subset(face: hb.Face, gids: tuple[int, ...]) -> bytes:
    data = hb.SubsetInput()
    for gid in gids:
        data.glyph_set.add(gid)
    flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    data.flags = flags
    drop = data.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROP_TABLES:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    return hb.subset(face, data).blob.data


# Pango's names of OpenType weights (pango_font_description_to_string), the normal weight unnamed
_WEIGHTS = {100: "Thin", 200: "Ultra-Light", 300: "Light", 350: "Semi-Light", 380: "Book", 500: "Medium",
            600: "Semi-Bold", 700: "Bold", 800: "Ultra-Bold", 900: "Heavy", 1000: "Ultra-Heavy"}


def _face_name(face: _Face) -> str:
    """The face's name as WeasyPrint writes it: Pango's description of the font (family, then the weight
    and style words unless normal) with its spaces as dashes, e.g. ``Noto-Serif-CJK-SC-Bold``."""
    words = [face.font.family]
    os2 = face.face.reference_table("OS/2").data
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


def _embed(pdf: pikepdf.Pdf, face: _Face) -> tuple[pikepdf.Object, str]:
    """The Type0 font of ``face``'s subset; and its face name (without the subset tag)."""
    program, deflated = _font_program(face.font.file, face.font.index, tuple(sorted({0, *face.to_unicode})))
    cff = program[:4] == b"OTTO"
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha1(program).digest()[:6])
    name = _face_name(face)
    base = f"{tag}+{name}"
    widths = {gid: face.width(gid) for gid in sorted(face.to_unicode)}
    extents = face.hb_font.get_font_extents("ltr")
    scale = 1000 / face.upem
    ascent, descent = round(extents.ascender * scale), round(extents.descender * scale)
    cap = face.hb_font.get_metric_position(hb.OTMetricsTag.CAP_HEIGHT)
    if cff:
        stream = pdf.make_stream(b"", Subtype=Name("/OpenType"))
    else:
        stream = pdf.make_stream(b"", Length1=len(program))
    stream.write(deflated, filter=Name.FlateDecode)  # deflated once, not again by qpdf
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/" + base), FontFamily=pikepdf.String(face.font.family),
        Flags=_flags(face.font.family, list(widths.values())), FontBBox=Array(list(_head_bbox(face.face))),
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
    codes = {char: gid for gid, char in sorted(face.to_unicode.items())}
    cmap = to_unicode(EmbeddedFont(base, program, codes, tuple(widths.values()), (0, 0, 0, 0), ascent, -descent))
    font = Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/" + base), Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid)]), ToUnicode=pdf.make_stream(cmap),
    )
    return pdf.make_indirect(font), name


# ---- pictures ----

_DATA_URI = re.compile(r"data:([^;,]*)((?:;[^;,]*)*),(.*)", re.S)


def _png_image(pdf: pikepdf.Pdf, src: str) -> pikepdf.Object:
    """An image XObject of a PNG data URI; its alpha, if any, as an SMask."""
    from PIL import Image

    match = _DATA_URI.fullmatch(src)
    mime = match.group(1).strip().lower() if match else src[:40]
    if not match or mime != "image/png":
        raise ValueError(f"picture type not supported by the direct PDF drawer: {mime or 'unknown'} "
                         "(PNG data: URIs only)")
    payload = match.group(3)
    if ";base64" in match.group(2).lower():
        raw = base64.b64decode(payload)
    else:
        from urllib.parse import unquote_to_bytes

        raw = unquote_to_bytes(payload)
    image = Image.open(BytesIO(raw))
    image.load()
    alpha = None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode in ("P", "L", "RGB", "1") and "transparency" in image.info):
        image = image.convert("RGBA")
        alpha = image.getchannel("A")
        image = image.convert("RGB")
    elif image.mode in ("1", "L", "I", "I;16", "I;16B", "F"):
        image = image.convert("L")
    else:
        image = image.convert("RGB")
    space = Name.DeviceGray if image.mode == "L" else Name.DeviceRGB
    xobject = pdf.make_stream(image.tobytes(), Type=Name.XObject, Subtype=Name.Image, Width=image.width,
                              Height=image.height, ColorSpace=space, BitsPerComponent=8, Interpolate=True)
    if alpha is not None and alpha.getextrema() != (255, 255):
        xobject.SMask = pdf.make_stream(alpha.tobytes(), Type=Name.XObject, Subtype=Name.Image, Width=alpha.width,
                                        Height=alpha.height, ColorSpace=Name.DeviceGray, BitsPerComponent=8,
                                        Interpolate=True)
    return xobject


@dataclass(frozen=True)
class VectorFigure:
    """A picture's art as a one-page PDF (its TrimBox, or MediaBox, is the art): drawn as a form XObject
    scaled into the picture's box, with a frame stroked along the box's edge as an SVG ``<img>`` with a
    stroked rectangle shows it (half the stroke, inside)."""

    pdf: bytes
    frame: str | None = None  # the frame's colour
    frame_width: float = 0.0  # the frame's stroke, as a fraction of the picture's width


def _form_xobject(pdf: pikepdf.Pdf, data: bytes) -> tuple[pikepdf.Object, tuple[float, float, float, float], pikepdf.Pdf]:
    """The first page of ``data`` as a form XObject of ``pdf`` whose BBox is the page's TrimBox; its box;
    and the source document (qpdf copies stream data when ``pdf`` is saved: keep it open till then)."""
    content, box = _visible_content(data)
    source = pikepdf.open(BytesIO(data))
    form = source.pages[0].as_form_xobject()
    form.BBox = Array([_num(round(v, 3)) for v in box])
    form.write(content)
    return pdf.copy_foreign(form), box, source


@lru_cache(maxsize=32)
def _visible_content(data: bytes) -> tuple[bytes, tuple[float, float, float, float]]:
    """The page's content without what lies outside its TrimBox (see `_inside`), and that box: worked out
    once for a figure drawn in many documents (annex 7's plaques)."""
    with pikepdf.open(BytesIO(data)) as source:
        page = source.pages[0]
        box = page.obj.get("/TrimBox") or page.obj.get("/MediaBox")
        x0, y0, x1, y1 = (float(v) for v in box)
        return _inside(page.as_form_xobject(), (x0, y0, x1, y1)), (x0, y0, x1, y1)


_PATH_POINTS = {"m": 2, "l": 2, "c": 6, "v": 4, "y": 4, "re": 4, "h": 0}
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}


def _inside(stream: pikepdf.Object, box: tuple[float, float, float, float]) -> bytes:
    """``stream``'s content without the paths painted wholly outside ``box`` (a print file's crop marks
    and job line, which the form's BBox clips anyway): what a PDF reader such as ``docgen check`` would
    otherwise read as rules beside the figure."""
    x0, y0, x1, y1 = box
    ctm = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
    out: list = []
    pending: list = []
    xs: list[float] = []
    ys: list[float] = []
    clips = False
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op in _PATH_POINTS or op in ("W", "W*"):
            pending.append((operands, operator))
            clips = clips or op in ("W", "W*")
            values = [float(v) for v in operands]
            if op == "re":
                x, y, w, h = values
                values = [x, y, x + w, y + h]
            a, b, c, d, e, f = ctm[-1]
            for px, py in zip(values[::2], values[1::2]):
                xs.append(a * px + c * py + e)
                ys.append(b * px + d * py + f)
            continue
        if op in _PAINT:
            outside = xs and (max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1)
            if clips or not outside:
                out += pending + [(operands, operator)]
            pending, xs, ys, clips = [], [], [], False
            continue
        if op == "q":
            ctm.append(ctm[-1])
        elif op == "Q" and len(ctm) > 1:
            ctm.pop()
        elif op == "cm":
            a2, b2, c2, d2, e2, f2 = (float(v) for v in operands)
            a, b, c, d, e, f = ctm[-1]
            ctm[-1] = (a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d,
                       e2 * a + f2 * c + e, e2 * b + f2 * d + f)
        out.append((operands, operator))
    return pikepdf.unparse_content_stream(out)


# ---- the 草稿 watermark: templates/official.css `.draft`, as WeasyPrint draws it ----

DRAFT_TEXT = "草稿"
DRAFT_ROLE = "heiti"  # font-family: "黑体"
DRAFT_SIZE = 120.0  # pt
DRAFT_TOP = 120.0  # mm: the top of its line box, a box as wide as the page, the text centred in it
DRAFT_ANGLE = 35.0  # degrees, anticlockwise (rotate(-35deg)) about the line box's centre
DRAFT_GREY = 128 / 255
DRAFT_ALPHA = 0.18


# ---- rules ----

def _rule_ops(rects: list[Rect], frames: list[Frame], frame_height: float, ops: list[str]) -> None:
    """Filled rules, then stroked frames (the stroke inside the box, as html.py draws it)."""
    color = None
    for x, y, w, h, c in merged_rules(rects):
        if c != color:
            ops.append(_rgb(c) + " rg")
            color = c
        ops.append(f"{x * K:.3f} {(frame_height - y - h) * K:.3f} {w * K:.3f} {h * K:.3f} re f")
    stroke_color = width = None
    for fr in frames:
        if fr.color != stroke_color:
            ops.append(_rgb(fr.color) + " RG")
            stroke_color = fr.color
        if fr.stroke != width:
            ops.append(f"{fr.stroke * K:.3f} w")
            width = fr.stroke
        half = fr.stroke / 2
        ops.append(f"{(fr.x + half) * K:.3f} {(frame_height - fr.y - fr.h + half) * K:.3f} "
                   f"{(fr.w - fr.stroke) * K:.3f} {(fr.h - fr.stroke) * K:.3f} re S")
    if color not in (None, "#000000"):
        ops.append("0 g")


# ---- drawing ----

@dataclass
class _Resources:
    fonts: dict[str, _Face] = field(default_factory=dict)  # key → face
    images: dict[Any, str] = field(default_factory=dict)  # src (or plaque) → key
    alphas: dict[float, str] = field(default_factory=dict)  # opacity → ExtGState key


class _Drawer:
    def __init__(self, pdf: pikepdf.Pdf, plaque_art: Callable[[Any], VectorFigure] | None = None):
        self.pdf = pdf
        self.plaque_art = plaque_art
        self.res = _Resources()
        self._faces: dict[tuple[str, int], _Face] = {}
        self._role_faces: dict[str, _Face] = {}
        self._glyphs: dict[tuple[str, str], _Glyph] = {}
        self._codes: dict[str, _RoleCodes] = {}
        self._used: dict[str, set[str]] = {}  # role → characters drawn in it
        self._images: dict[Any, pikepdf.Object] = {}  # src or plaque → image or form XObject
        self._boxes: dict[Any, tuple[float, float, float, float]] = {}  # plaque → its form's BBox
        self._sources: list[pikepdf.Pdf] = []  # the documents forms were copied from, open till saved
        self._draft: str | None = None

    # -- glyphs --

    def face(self, font: ResolvedFont) -> _Face:
        key = (font.file, font.index)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = _Face(font, f"F{len(self._faces) + 1}")
            self.res.fonts[face.key] = face
        return face

    def role_face(self, role: str) -> _Face:
        face = self._role_faces.get(role)
        if face is None:
            face = self._role_faces[role] = self.face(resolve(ROLES[role]))
        return face

    def glyph(self, role: str, char: str) -> _Glyph:
        """The glyph ``char`` is drawn with in ``role``: the role's face, or fontconfig's fallback for a
        character it lacks (.notdef of the role's face where no font has it)."""
        key = (role, char)
        found = self._glyphs.get(key)
        if found is not None:
            return found
        face = self.role_face(role)
        # the role's font lacks it: html.py's test (the composer's cmap of the role), drawn by fontconfig's fallback
        gid = face.gid(char) if ord(char) in role_metrics(role).cmap else None
        if gid is None:
            other = fallback_for(ROLES[role], char)
            other_face = self.face(other) if other is not None else None
            gid = other_face.gid(char) if other_face is not None else None
            if gid is not None:
                face = other_face
            else:
                face, gid = self.role_face(role), 0
        advance = role_metrics(role).advance(char) * 1000
        adjust = round(face.width(gid) - advance, 3)
        found = self._glyphs[key] = _Glyph(face, gid, f"{gid:04X}", adjust)
        return found

    def codes(self, role: str) -> _RoleCodes:
        table = self._codes.get(role)
        if table is None:
            table = self._codes[role] = _RoleCodes(self, role)
            self._used[role] = set()
        return table

    def text_ops(self, item: Text, frame_height: float, state: list, ops: list[str]) -> None:
        """Append the operators (inside BT … ET) drawing ``item``; ``state`` is [font key, size, Tc, colour].

        Every text-showing operator but the first starts at an explicit ``Tm`` at the pen position: the
        PDF adds ``Tc`` after a string's last glyph too, but pdfminer (pdfplumber, so ``docgen check``) does
        not, and would read the glyphs after a font change one letter-spacing off."""
        if state[3] != item.color:
            ops.append(_rgb(item.color) + " rg")
            state[3] = item.color
        spacing = item.spacing
        if state[2] != spacing:
            ops.append(f"{spacing:.4f} Tc")
            state[2] = spacing
        size = item.size
        x, y = item.x * K, (frame_height - item.baseline) * K
        ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
        runs = item.runs
        last = len(runs) - 1
        for n, run in enumerate(runs):
            text = run.text
            if not text:
                continue
            role = run.role
            table = self._codes.get(role) or self.codes(role)
            self._used[role].update(text)
            hexes = text.translate(table)
            if len(hexes) == 4 * len(text):  # every glyph in the role's face, at the composer's advance
                key = self._role_faces[role].key
                if state[0] != key or state[1] != size:
                    ops.append(f"/{key} {size:.4f} Tf")
                    state[0], state[1] = key, size
                ops.append(f"<{hexes}> Tj")
                if n < last:
                    x = self._advance(x, text, role, size, spacing)
                    ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
            else:
                x = self._slow_run(text, role, size, spacing, x, y, state, ops)
                if n < last:
                    ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")

    @staticmethod
    def _advance(x: float, text: str, role: str, size: float, spacing: float) -> float:
        """The pen (pt) after ``text``: the composer's advances plus the letter-spacing after every glyph."""
        metrics = role_metrics(role)
        return x + sum(metrics.advance(c) for c in text) * size + spacing * len(text)

    def _slow_run(self, text: str, role: str, size: float, spacing: float, x: float, y: float, state: list,
                  ops: list[str]) -> float:
        """A run with glyphs of other faces, or widths to adjust: a TJ array for each face in turn, each
        after the first at its pen position. Returns the pen after the run."""
        parts: list[str] = []
        current = None
        advance = role_metrics(role).advance
        for char in text:
            glyph = self.glyph(role, char)
            if glyph.face.key != current:
                if parts:
                    ops.append("[" + "".join(parts) + "] TJ")
                    ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
                    parts = []
                current = glyph.face.key
                if state[0] != current or state[1] != size:
                    ops.append(f"/{current} {size:.4f} Tf")
                    state[0], state[1] = current, size
            if parts and parts[-1][-1] == ">":
                parts[-1] = parts[-1][:-1] + glyph.hex + ">"
            else:
                parts.append(f"<{glyph.hex}>")
            if glyph.adjust:
                parts.append(_n(glyph.adjust))
            x += advance(char) * size + spacing
        if parts:
            ops.append("[" + "".join(parts) + "] TJ")
        return x

    # -- pictures --

    def picture_ops(self, item: Picture | PlaqueArt, frame_height: float, ops: list[str]) -> None:
        """A picture (a PNG: the seal) or a plaque's vector art, placed in its box."""
        art = type(item) is PlaqueArt
        if art and self.plaque_art is None:
            raise ValueError("draw_pdf: a plaque figure needs plaque_art")
        source = item.plaque if art else item.src
        figure = self.plaque_art(item.plaque) if art else None
        key = self.res.images.get(source)
        if key is None:
            if figure is not None:
                form, self._boxes[source], opened = _form_xobject(self.pdf, figure.pdf)
                self._sources.append(opened)
                self._images[source] = form
                key = f"Fm{len(self.res.images) + 1}"
            else:
                self._images[source] = _png_image(self.pdf, item.src)
                key = f"Im{len(self.res.images) + 1}"
            self.res.images[source] = key
        ops.append("q")
        if not art and item.opacity < 1:
            alpha = round(max(item.opacity, 0.0), 4)
            ops.append(f"/{self._alpha(alpha)} gs")
        x, y, w, h = item.x * K, (frame_height - item.y - item.h) * K, item.w * K, item.h * K
        if figure is None:
            ops.append(f"{w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /{key} Do Q")
            return
        box = f"{x:.3f} {y:.3f} {w:.3f} {h:.3f} re"
        x0, y0, x1, y1 = self._boxes[source]
        sx, sy = w / (x1 - x0), h / (y1 - y0)
        ops.append(f"{box} W n q {sx:.6f} 0 0 {sy:.6f} {x - x0 * sx:.3f} {y - y0 * sy:.3f} cm /{key} Do Q")
        if figure.frame and figure.frame_width > 0:
            ops.append(f"{_rgb(figure.frame)} RG {w * figure.frame_width:.3f} w {box} S")
        ops.append("Q")

    def _alpha(self, alpha: float) -> str:
        gs = self.res.alphas.get(alpha)
        if gs is None:
            gs = self.res.alphas[alpha] = f"GS{len(self.res.alphas) + 1}"
        return gs

    def draft_ops(self) -> str:
        """The 草稿 watermark (the same operators on every page)."""
        if self._draft is None:
            import math

            size = DRAFT_SIZE
            self.codes(DRAFT_ROLE)
            self._used[DRAFT_ROLE].update(DRAFT_TEXT)
            glyphs = [self.glyph(DRAFT_ROLE, char) for char in DRAFT_TEXT]
            face = self.role_face(DRAFT_ROLE)
            extents = face.hb_font.get_font_extents("ltr")
            ascent, descent = extents.ascender / face.upem * size, -extents.descender / face.upem * size
            advances = [gl.face.width(gl.gid) / 1000 * size for gl in glyphs]
            top = DRAFT_TOP * K  # pt from the page's top
            cx, cy = PAGE_W / 2, top + (ascent + descent) / 2
            dx, dy = -sum(advances) / 2, top + ascent - cy  # the first glyph's origin from the box's centre
            cos, sin = math.cos(math.radians(DRAFT_ANGLE)), math.sin(math.radians(DRAFT_ANGLE))
            x, y = cx + dx * cos + dy * sin, PAGE_H - (cy - dx * sin + dy * cos)
            grey = _n(round(DRAFT_GREY, 6))
            ops = [f"q /{self._alpha(DRAFT_ALPHA)} gs {grey} {grey} {grey} rg BT"]
            for glyph, advance in zip(glyphs, advances):
                ops.append(f"/{glyph.face.key} {_n(size)} Tf {cos:.6f} {sin:.6f} {-sin:.6f} {cos:.6f} "
                           f"{x:.3f} {y:.3f} Tm <{glyph.hex}> Tj")
                x, y = x + advance * cos, y + advance * sin
            self._draft = "\n".join(ops + ["ET Q"])
        return self._draft

    # -- pages --

    def page_ops(self, page, draft: bool = False) -> bytes:
        landscape = page.area.landscape
        frame_height = gbt9704.PAGE_WIDTH if landscape else gbt9704.PAGE_HEIGHT
        ops: list[str] = []
        if landscape:  # the frame's (X, Y) lands at (Y, 297 − X): in PDF space x = Y, y = X
            ops.append(f"q 0 1 -1 0 {PAGE_W} 0 cm")
        rects, frames, content = [], [], []
        for item in page.items:
            kind = type(item)
            if kind is Rect:
                rects.append(item)
            elif kind is Text or kind is Picture or kind is PlaqueArt:
                content.append(item)
            elif kind is Frame:
                frames.append(item)
        _rule_ops(rects, frames, frame_height, ops)
        self.content_ops(content, frame_height, ops)
        if landscape:
            ops.append("Q")
        if page.folio is not None:
            self.content_ops([page.folio], gbt9704.PAGE_HEIGHT, ops)
        if draft:
            ops.append(self.draft_ops())
        return "\n".join(ops).encode("ascii")

    def content_ops(self, items: list, frame_height: float, ops: list[str]) -> None:
        state: list = [None, None, 0.0, None]  # font key, size, Tc, colour
        in_text = False
        for item in items:
            if type(item) is Text:
                runs = item.runs
                if not runs or not (runs[0].text.strip() if len(runs) == 1 else any(r.text.strip() for r in runs)):
                    continue  # as WeasyPrint: a line of white space draws nothing
                if not in_text:
                    ops.append("BT")
                    in_text = True
                self.text_ops(item, frame_height, state, ops)
            else:
                if in_text:
                    ops.append("ET")
                    in_text = False
                self.picture_ops(item, frame_height, ops)
        if in_text:
            ops.append("ET")
        if state[2]:
            ops.append("0 Tc")  # the text state outlives ET: leave it as found
        if state[3] not in (None, "#000000"):
            ops.append("0 g")

    # -- the document --

    def finish(self) -> tuple[Dictionary, list[str]]:
        """Embed the fonts (each face's subset of the glyphs drawn) and images; the shared resources."""
        for role in sorted(self._used):
            for char in sorted(self._used[role]):
                glyph = self.glyph(role, char)
                if glyph.gid:
                    glyph.face.to_unicode.setdefault(glyph.gid, char)
        fonts = Dictionary()
        names = []
        for key, face in self.res.fonts.items():
            if not face.to_unicode and not any(
                    gl.face is face for gl in self._glyphs.values()):  # a role face never drawn
                continue
            obj, name = _embed(self.pdf, face)
            fonts[Name("/" + key)] = obj
            names.append(name)
        resources = Dictionary(ProcSet=Array([Name.PDF, Name.Text, Name.ImageB, Name.ImageC]))
        if len(fonts):
            resources.Font = fonts
        if self.res.images:
            resources.XObject = Dictionary({f"/{key}": self._images[src] for src, key in self.res.images.items()})
        if self.res.alphas:
            resources.ExtGState = Dictionary({f"/{key}": Dictionary(Type=Name.ExtGState, ca=alpha, CA=alpha)
                                              for alpha, key in self.res.alphas.items()})
        return resources, sorted(set(names))


def draw_pdf(composition: Composition, title: str, author: str = "", *, draft: bool = False,
             plaque_art: Callable[[Any], VectorFigure] | None = None) -> tuple[bytes, list[str]]:
    """The PDF of ``composition`` (A4 portrait pages, one per composed page) and the embedded font names
    (face names, without subset tags, as WeasyPrint names them).

    ``draft``: the 草稿 watermark on every page. ``plaque_art``: a plaque's art as a PDF page (for annex 7's
    plaque figures), drawn as a vector form XObject."""
    pdf = pikepdf.Pdf.new()
    drawer = _Drawer(pdf, plaque_art)
    with collector_paused():  # as in composition: many small objects, few cycles
        contents = [drawer.page_ops(page, draft) for page in composition.pages]
    shared, names = drawer.finish()
    resources = pdf.make_indirect(shared)
    for data in contents:
        page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, PAGE_W, PAGE_H]), Resources=resources,
                          Contents=pdf.make_stream(data))
        pdf.pages.append(pikepdf.Page(page))
    pdf.Root.Lang = pikepdf.String("zh-CN")
    pdf.docinfo[Name.Title] = pikepdf.String(title)
    if author:
        pdf.docinfo[Name.Author] = pikepdf.String(author)
    pdf.docinfo[Name.Creator] = pikepdf.String("docgen")
    pdf.docinfo[Name.Producer] = pikepdf.String("docgen")
    if composition.seal is not None:
        pdf.docinfo[Name("/" + SEAL_AREA_KEY)] = pikepdf.String(json.dumps(composition.seal.as_dict()))
    out = BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, min_version="1.7",
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in drawer._sources:
        source.close()
    return out.getvalue(), names

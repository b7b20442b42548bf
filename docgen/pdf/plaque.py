"""The print PDF of one plaque at finished size: vector art, CMYK inks, bleed, crop marks, page boxes.

Written straight into a PDF content stream with pikepdf (qpdf), because the art needs what an HTML engine
cannot give: text as filled outlines (the default a sign shop wants: docgen.pdf.outlines) or in the real
faces, embedded as the 公文 drawer embeds them (docgen.pdf.fonts: HarfBuzz subsets with ToUnicode; the
layout only scales a face's own glyphs and places them at their own advances, so the font says it all),
colours as DeviceCMYK or named Separation spots, and a TrimBox/BleedBox inside a larger MediaBox holding
the marks.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name

from docgen.fonts.report import ResolvedFont
from docgen.fonts.roles import HEITI
from docgen.pdf.fonts import DocumentFont
from docgen.pdf.outlines import glyph_path
from docgen.pdf.units import PT_PER_MM as PT
from docgen.pdf.units import number
from docgen.plaques.glyphs import EM, metrics
from docgen.plaques.inks import BLACK, REGISTRATION, Ink
from docgen.records.sheet import MEDIA_MARGIN
from docgen.plaques.layout import Line, PlacedGlyph, PlaqueLayout, fit_text, set_text

MARK_GAP = 2.0  # mm between the bleed edge and a crop mark
MARK_LENGTH = 5.0
MARK_WIDTH = 0.25  # pt
SLUG_SIZE = 2.8  # mm, the job line under the art (station, size, inks) outside the bleed
SLUG_MIN = 1.5
SLUG_INSET = 4.0  # mm from the trim's side edges: clear of the vertical crop marks


def _n(v: float) -> str:
    """A coordinate or colour component of the print file: to 1/100."""
    return number(v, 2)


class Paint:
    """Colour operators and the colour spaces they need as page resources."""

    def __init__(self) -> None:
        self.spaces: dict[str, Ink] = {}

    def fill(self, ink: Ink) -> str:
        if ink.spot:
            self.spaces[ink.spot] = ink
            return f"/{ink.spot} cs 1 scn"
        return " ".join(_n(c) for c in ink.cmyk) + " k"

    def stroke(self, ink: Ink) -> str:
        if ink.spot:
            self.spaces[ink.spot] = ink
            return f"/{ink.spot} CS 1 SCN"
        return " ".join(_n(c) for c in ink.cmyk) + " K"

    def resources(self, pdf: pikepdf.Pdf) -> Dictionary:
        spaces = Dictionary()
        for name, ink in self.spaces.items():
            tint = Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=list(ink.cmyk), N=1)
            spaces[Name("/" + name)] = Array([Name.Separation, Name("/" + name), Name.DeviceCMYK, pdf.make_indirect(tint)])
        return spaces


def crop_marks(paint: Paint, x0: float, y0: float, x1: float, y1: float, bleed: float) -> str:
    """Crop marks (pt box of the trim) outside the bleed, in registration colour."""
    gap, length = (bleed + MARK_GAP) * PT, MARK_LENGTH * PT
    ops = [f"{MARK_WIDTH} w 0 J", paint.stroke(REGISTRATION)]
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            ops.append(f"{_n(x + sx * gap)} {_n(y)} m {_n(x + sx * (gap + length))} {_n(y)} l S")
            ops.append(f"{_n(x)} {_n(y + sy * gap)} m {_n(x)} {_n(y + sy * (gap + length))} l S")
    return "\n".join(ops)


def _text_ops(line: Line, ox: float, oy: float, fonts: dict[ResolvedFont, tuple[str, DocumentFont]]) -> list[str]:
    """Text mode: a line as runs of one face, each at the layout's place of its first glyph (the layout
    advances by the face's own advances, as the text does)."""
    runs: list[list[PlacedGlyph]] = []
    for pg in line.glyphs:
        if runs and runs[-1][0].glyph.font == pg.glyph.font:
            runs[-1].append(pg)
        else:
            runs.append([pg])
    ops = ["BT"]
    for run in runs:
        key, font = fonts[run[0].glyph.font]
        codes = "".join(f"{font.code(font.gid(pg.glyph.char) or 0):04X}" for pg in run)
        x, y = ox + run[0].x * PT, oy - run[0].baseline * PT
        ops.append(f"/{key} {_n(run[0].size * PT)} Tf 1 0 0 1 {_n(x)} {_n(y)} Tm <{codes}> Tj")
    return ops + ["ET"]


def embedded_fonts(lay: PlaqueLayout) -> dict[ResolvedFont, tuple[str, DocumentFont]]:
    """Each face the plaque's lines draw with → (resource key, the face with the glyphs drawn); ``.name``
    is the face's name as the font report gives it. A face's ascent and descent are the em box of the
    first line it draws in (a fallback glyph's box lines up with the line's own)."""
    out: dict[ResolvedFont, tuple[str, DocumentFont]] = {}
    for line in lay.lines:
        for pg in line.glyphs:
            face = pg.glyph.font
            if face not in out:
                key = f"F{len(out) + 1}"
                box = metrics(line.face)
                out[face] = (key, DocumentFont(face, key, (box.ascent, box.descent)))
            font = out[face][1]
            font.use(font.gid(pg.glyph.char) or 0, pg.glyph.char)
    return out


def slug_text(lay: PlaqueLayout, name: str, text_as: str) -> str:
    mode = "文字已转曲" if text_as == "outlines" else "嵌入字体"
    return (f"{name}  成品 {_n(lay.width)}×{_n(lay.height)} mm  出血 {_n(lay.bleed)} mm  "
            f"{lay.scheme.label}  {mode}")


def print_pdf(lay: PlaqueLayout, text_as: str = "outlines", name: str = "", marks: bool = True) -> bytes:
    """The print PDF: one page, MediaBox = trim + 12 mm each side, BleedBox = trim + 3 mm, TrimBox = finished size;
    crop marks and the job line outside the bleed unless ``marks`` is False (the art of a figure in a 公文)."""
    m = MEDIA_MARGIN
    media = ((lay.width + 2 * m) * PT, (lay.height + 2 * m) * PT)
    ox, oy = m * PT, (m + lay.height) * PT  # layout (0, 0), the trim's top-left, in PDF space
    trim = (m * PT, m * PT, (m + lay.width) * PT, (m + lay.height) * PT)
    b = lay.bleed * PT
    bleed = (trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b)
    pdf = pikepdf.Pdf.new()
    paint = Paint()
    ops = []
    if not lay.scheme.background.is_paper:  # the plate colour runs into the bleed
        ops.append(f"{paint.fill(lay.scheme.background)} {_n(bleed[0])} {_n(bleed[1])} "
                   f"{_n(bleed[2] - bleed[0])} {_n(bleed[3] - bleed[1])} re f")
    fonts = {}
    if text_as == "fonts":
        fonts = embedded_fonts(lay)
        for _, font in fonts.values():
            font.subset()
        for line in lay.lines:
            ops += [paint.fill(line.ink), *_text_ops(line, ox, oy, fonts)]
    else:
        for line in lay.lines:  # one compound path per line, filled with the nonzero rule like the font
            ops += [paint.fill(line.ink), glyph_path(line.glyphs, ox, oy), "f"]
    if marks:
        ops.append(crop_marks(paint, *trim, lay.bleed))
    if marks and name:  # between the two bottom crop marks
        room = lay.width - 2 * SLUG_INSET
        text, size = fit_text(HEITI, slug_text(lay, name, text_as), SLUG_SIZE, room, SLUG_MIN)
        baseline = lay.height + lay.bleed + MARK_GAP + metrics(HEITI).ascent / EM * SLUG_SIZE
        ops += [paint.fill(BLACK), glyph_path(set_text(HEITI, text, SLUG_INSET, baseline, size), ox, oy), "f"]
    resources = Dictionary()
    spaces = paint.resources(pdf)
    if len(spaces):
        resources.ColorSpace = spaces
    if fonts:
        resources.Font = Dictionary({f"/{key}": font.embed(pdf) for key, font in fonts.values()})
    page = Dictionary(
        Type=Name.Page, MediaBox=[0, 0, round(media[0], 3), round(media[1], 3)],
        BleedBox=[round(v, 3) for v in bleed], TrimBox=[round(v, 3) for v in trim],
        Resources=resources, Contents=pdf.make_stream("\n".join(ops).encode("ascii")),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.docinfo[Name.Title] = pikepdf.String(f"标牌 {name}".strip())
    pdf.docinfo[Name.Creator] = pikepdf.String("docgen")
    pdf.docinfo[Name.Trapped] = Name.False_
    out = BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()

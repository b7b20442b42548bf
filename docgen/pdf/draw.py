"""The print master drawn straight to PDF: a Composition's pages written with pikepdf, no HTML engine.

WeasyPrint (docgen.pdf.reference) lays out and paints every glyph through Pango, some 55 µs a glyph: a table of
thousands of rows takes many seconds to draw although the composer has already placed every glyph. Here
the positioned items become PDF operators directly, the same pages WeasyPrint draws:

- each Text is one text run at its pen position: the pen starts at ``x`` and advances by the glyph's
  advance (the composer's: docgen.fonts.metrics) plus the letter-spacing, set once as ``Tc``; glyph widths
  come from the embedded font's W array, and where a glyph's own width differs from the advance the
  composer counted (a character drawn by a fallback font counts 1 em) a TJ adjustment keeps the pen
  where the composer put it;
- every face used (the role's font, fontconfig's fallback for characters it lacks) is subset once per
  document (docgen.pdf.fonts): the characters each role draws are gathered first, each face is subset to
  its glyphs, and the runs are then written in the subset's codes;
- rules are drawn first, joined as reference.py joins them, then text and pictures in order, then the page
  number: the order WeasyPrint paints the template in;
- a landscape page (§8) is drawn in its 297 × 210 mm frame under a ``cm`` that turns it onto the
  portrait page, its head to the left; the page number is drawn upright on the portrait page;
- a picture is a PNG (an image XObject, its alpha as an SMask: the seal) or, when the caller gives its
  art as a PDF page (``VectorFigure``: annex 7's plaques, from docgen.pdf.plaque), that page as a form
  XObject clipped to its TrimBox and scaled into the picture's box, vector as in the print file
  (docgen.pdf.pictures);
- a draft carries the 草稿 watermark of templates/official.css on every page, last, as WeasyPrint draws it;
- fonts are named as WeasyPrint names them (docgen.pdf.fonts.face_name), so the font report and
  ``docgen check`` read the same names from either drawer.

Output is deterministic: the same composition gives the same bytes (subset tags from the subset font's
content, no dates, a document id from the content).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any, Callable

import pikepdf
from pikepdf import Array, Dictionary, Name

from docgen.fonts.faces import hb_font
from docgen.fonts.metrics import role_metrics
from docgen.fonts.report import ResolvedFont, fallback_for, resolve
from docgen.fonts.roles import ROLES
from docgen.layout import gbt9704
from docgen.layout.closing import SEAL_AREA_KEY, seal_area_record
from docgen.layout.compose import Composition, collector_paused
from docgen.layout.flow import Frame, Picture, PlaqueArt, Rect, Text, merged_rules
from docgen.pdf.fonts import DocumentFont, glyph_width
from docgen.pdf.pictures import VectorFigure, form_xobject, png_image
from docgen.pdf.units import PT_PER_MM, number, rgb

PAGE_W = round(gbt9704.pt(gbt9704.PAGE_WIDTH), 6)  # 595.275591
PAGE_H = round(gbt9704.pt(gbt9704.PAGE_HEIGHT), 6)  # 841.889764
_IRREGULAR = "!"  # what a role's code table gives for a glyph that cannot go in the run's fast path


@dataclass
class _Glyph:
    face: DocumentFont
    gid: int  # the source face's glyph id
    adjust: float  # TJ number after the glyph: its W width minus the composer's advance (1/1000 em)

    @property
    def hex(self) -> str:
        """The glyph's 2-byte code in the face's subset, 4 hex digits."""
        return f"{self.face.code(self.gid):04X}"


@lru_cache(maxsize=None)
def _source_glyph(role: str, char: str) -> tuple[ResolvedFont | None, int, float]:
    """The face (None: the role's own), glyph id and TJ adjustment ``char`` is drawn with in ``role``: the
    role's face, or fontconfig's fallback for a character it lacks (.notdef of the role's face where no
    font has it). Worked out once a process, as the composer's metrics are."""
    own = resolve(ROLES[role])
    font = None
    # the role's font lacks it: reference.py's test (the composer's cmap of the role), drawn by fontconfig's fallback
    gid = hb_font(own.file, own.index).get_nominal_glyph(ord(char)) if ord(char) in role_metrics(role).cmap else None
    if gid is None:
        font = fallback_for(ROLES[role], char)
        gid = hb_font(font.file, font.index).get_nominal_glyph(ord(char)) if font is not None else None
        if gid is None:
            font, gid = None, 0
    drawn = own if font is None else font
    advance = role_metrics(role).advance(char) * 1000
    return font, gid, round(glyph_width(drawn, gid) - advance, 3)


def _draws(item: Text) -> bool:
    """Whether a line draws anything: as WeasyPrint, a line of white space draws nothing."""
    runs = item.runs
    if len(runs) == 1:
        return bool(runs[0].text.strip())
    return any(run.text.strip() for run in runs)


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
    """Filled rules, then stroked frames (the stroke inside the box, as reference.py draws it)."""
    k = PT_PER_MM
    color = None
    for x, y, w, h, c in merged_rules(rects):
        if c != color:
            ops.append(rgb(c) + " rg")
            color = c
        ops.append(f"{x * k:.3f} {(frame_height - y - h) * k:.3f} {w * k:.3f} {h * k:.3f} re f")
    stroke_color = width = None
    for fr in frames:
        if fr.color != stroke_color:
            ops.append(rgb(fr.color) + " RG")
            stroke_color = fr.color
        if fr.stroke != width:
            ops.append(f"{fr.stroke * k:.3f} w")
            width = fr.stroke
        half = fr.stroke / 2
        ops.append(f"{(fr.x + half) * k:.3f} {(frame_height - fr.y - fr.h + half) * k:.3f} "
                   f"{(fr.w - fr.stroke) * k:.3f} {(fr.h - fr.stroke) * k:.3f} re S")
    if color not in (None, "#000000"):
        ops.append("0 g")


# ---- drawing ----

@dataclass
class _Resources:
    fonts: dict[str, DocumentFont] = field(default_factory=dict)  # key → face
    images: dict[Any, str] = field(default_factory=dict)  # src (or plaque) → key
    alphas: dict[float, str] = field(default_factory=dict)  # opacity → ExtGState key


class _Drawer:
    def __init__(self, pdf: pikepdf.Pdf, plaque_art: Callable[[Any], VectorFigure] | None = None):
        self.pdf = pdf
        self.plaque_art = plaque_art
        self.res = _Resources()
        self._faces: dict[tuple[str, int], DocumentFont] = {}
        self._role_faces: dict[str, DocumentFont] = {}
        self._glyphs: dict[tuple[str, str], _Glyph] = {}
        self._codes: dict[str, dict[int, str]] = {}  # role → its code table (see `prepare`)
        self._drawn: set[DocumentFont] = set()  # the faces a glyph is drawn with
        self._images: dict[Any, pikepdf.Object] = {}  # src or plaque → image or form XObject
        self._boxes: dict[Any, tuple[float, float, float, float]] = {}  # plaque → its form's BBox
        self._sources: list[pikepdf.Pdf] = []  # the documents forms were copied from, open till saved
        self._draft: str | None = None

    # -- glyphs --

    def face(self, font: ResolvedFont) -> DocumentFont:
        key = (font.file, font.index)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = DocumentFont(font, f"F{len(self._faces) + 1}")
            self.res.fonts[face.key] = face
        return face

    def role_face(self, role: str) -> DocumentFont:
        face = self._role_faces.get(role)
        if face is None:
            face = self._role_faces[role] = self.face(resolve(ROLES[role]))
        return face

    def glyph(self, role: str, char: str) -> _Glyph:
        """The glyph ``char`` is drawn with in ``role``: the role's face, or fontconfig's fallback for a
        character it lacks (.notdef of the role's face where no font has it)."""
        key = (role, char)
        found = self._glyphs.get(key)
        if found is None:
            font, gid, adjust = _source_glyph(role, char)
            found = self._glyphs[key] = _Glyph(self.role_face(role) if font is None else self.face(font), gid,
                                               adjust)
        return found

    def prepare(self, composition: Composition, draft: bool) -> None:
        """Gather the characters each role draws, subset every face to the glyphs drawn with it, and make
        each role's code table: code point → the glyph's 4 hex digits, for ``str.translate``. A character
        drawn by another face, or whose width is not the advance the composer counted, maps to
        ``_IRREGULAR`` (one character, not four), so a run whose translation is not 4 × its length takes
        the slow path."""
        texts: dict[str, list[str]] = {}  # role → the text of its runs
        for page in composition.pages:
            for item in page.items if page.folio is None else [*page.items, page.folio]:
                if type(item) is Text:  # a line of white space too: not drawn, its glyphs cost a few bytes
                    for run in item.runs:
                        found = texts.get(run.role)
                        if found is None:
                            found = texts[run.role] = []
                        found.append(run.text)
        if draft:
            texts.setdefault(DRAFT_ROLE, []).append(DRAFT_TEXT)
        chars = {role: set("".join(found)) for role, found in texts.items()}
        for role in sorted(chars):
            for char in sorted(chars[role]):
                glyph = self.glyph(role, char)
                self._drawn.add(glyph.face)
                if glyph.gid:
                    glyph.face.use(glyph.gid, char)
        for face in self._drawn:
            face.subset()
        for role, drawn in chars.items():
            own = self.role_face(role)
            table = self._codes[role] = {}
            for char in drawn:
                glyph = self._glyphs[(role, char)]
                table[ord(char)] = glyph.hex if glyph.face is own and not glyph.adjust else _IRREGULAR

    def text_ops(self, item: Text, frame_height: float, state: list, ops: list[str]) -> None:
        """Append the operators (inside BT … ET) drawing ``item``; ``state`` is [font key, size, Tc, colour].

        Every text-showing operator but the first starts at an explicit ``Tm`` at the pen position: the
        PDF adds ``Tc`` after a string's last glyph too, but pdfminer (pdfplumber, so ``docgen check``) does
        not, and would read the glyphs after a font change one letter-spacing off."""
        if state[3] != item.color:
            ops.append(rgb(item.color) + " rg")
            state[3] = item.color
        spacing = item.spacing
        if state[2] != spacing:
            ops.append(f"{spacing:.4f} Tc")
            state[2] = spacing
        size = item.size
        x, y = item.x * PT_PER_MM, (frame_height - item.baseline) * PT_PER_MM
        ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
        runs = item.runs
        last = len(runs) - 1
        for n, run in enumerate(runs):
            text = run.text
            if not text:
                continue
            role = run.role
            hexes = text.translate(self._codes[role])
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
                parts.append(number(glyph.adjust))
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
                form, self._boxes[source], opened = form_xobject(self.pdf, figure)
                self._sources.append(opened)
                self._images[source] = form
                key = f"Fm{len(self.res.images) + 1}"
            else:
                self._images[source] = png_image(self.pdf, item.src)
                key = f"Im{len(self.res.images) + 1}"
            self.res.images[source] = key
        ops.append("q")
        if not art and item.opacity < 1:
            alpha = round(max(item.opacity, 0.0), 4)
            ops.append(f"/{self._alpha(alpha)} gs")
        k = PT_PER_MM
        x, y, w, h = item.x * k, (frame_height - item.y - item.h) * k, item.w * k, item.h * k
        if figure is None:
            ops.append(f"{w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /{key} Do Q")
            return
        box = f"{x:.3f} {y:.3f} {w:.3f} {h:.3f} re"
        x0, y0, x1, y1 = self._boxes[source]
        sx, sy = w / (x1 - x0), h / (y1 - y0)
        ops.append(f"{box} W n q {sx:.6f} 0 0 {sy:.6f} {x - x0 * sx:.3f} {y - y0 * sy:.3f} cm /{key} Do Q")
        if figure.frame and figure.frame_width > 0:
            ops.append(f"{rgb(figure.frame)} RG {w * figure.frame_width:.3f} w {box} S")
        ops.append("Q")

    def _alpha(self, alpha: float) -> str:
        gs = self.res.alphas.get(alpha)
        if gs is None:
            gs = self.res.alphas[alpha] = f"GS{len(self.res.alphas) + 1}"
        return gs

    def draft_ops(self) -> str:
        """The 草稿 watermark (the same operators on every page)."""
        if self._draft is None:
            size = DRAFT_SIZE
            glyphs = [self.glyph(DRAFT_ROLE, char) for char in DRAFT_TEXT]
            face = self.role_face(DRAFT_ROLE)
            extents = face.hb_font.get_font_extents("ltr")
            ascent, descent = extents.ascender / face.upem * size, -extents.descender / face.upem * size
            advances = [gl.face.width(gl.gid) / 1000 * size for gl in glyphs]
            top = DRAFT_TOP * PT_PER_MM  # pt from the page's top
            cx, cy = PAGE_W / 2, top + (ascent + descent) / 2
            dx, dy = -sum(advances) / 2, top + ascent - cy  # the first glyph's origin from the box's centre
            cos, sin = math.cos(math.radians(DRAFT_ANGLE)), math.sin(math.radians(DRAFT_ANGLE))
            x, y = cx + dx * cos + dy * sin, PAGE_H - (cy - dx * sin + dy * cos)
            grey = number(DRAFT_GREY, 6)
            ops = [f"q /{self._alpha(DRAFT_ALPHA)} gs {grey} {grey} {grey} rg BT"]
            for glyph, advance in zip(glyphs, advances):
                ops.append(f"/{glyph.face.key} {number(size)} Tf {cos:.6f} {sin:.6f} {-sin:.6f} {cos:.6f} "
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
                if not _draws(item):
                    continue
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
        fonts = Dictionary()
        names = []
        for key, face in self.res.fonts.items():
            if face in self._drawn:  # not a role face never drawn
                fonts[Name("/" + key)] = face.embed(self.pdf)
                names.append(face.name)
        resources = Dictionary(ProcSet=Array([Name.PDF, Name.Text, Name.ImageB, Name.ImageC]))
        if len(fonts):
            resources.Font = fonts
        if self.res.images:
            resources.XObject = Dictionary({f"/{key}": self._images[src] for src, key in self.res.images.items()})
        if self.res.alphas:
            resources.ExtGState = Dictionary({f"/{key}": Dictionary(Type=Name.ExtGState, ca=alpha, CA=alpha)
                                              for alpha, key in self.res.alphas.items()})
        return resources, sorted(set(names))


def _page_tree(pdf: pikepdf.Pdf, contents: list[bytes], resources: pikepdf.Object) -> None:
    """One A4 page per content stream, made the page tree's kids at once: pikepdf's ``pages.append`` looks
    each page up among a copy of those already added, quadratic on a table of thousands of pages."""
    tree = pdf.Root.Pages
    kids = [pdf.make_indirect(Dictionary(Type=Name.Page, Parent=tree, MediaBox=Array([0, 0, PAGE_W, PAGE_H]),
                                         Resources=resources, Contents=pdf.make_stream(data)))
            for data in contents]
    tree.Kids = Array(kids)
    tree.Count = len(kids)


def draw_pdf(composition: Composition, title: str, author: str = "", *, draft: bool = False,
             plaque_art: Callable[[Any], VectorFigure] | None = None) -> tuple[bytes, list[str]]:
    """The PDF of ``composition`` (A4 portrait pages, one per composed page) and the embedded font names
    (face names, without subset tags, as WeasyPrint names them).

    ``draft``: the 草稿 watermark on every page. ``plaque_art``: a plaque's art as a PDF page (for annex 7's
    plaque figures), drawn as a vector form XObject."""
    pdf = pikepdf.Pdf.new()
    drawer = _Drawer(pdf, plaque_art)
    drawer.prepare(composition, draft)
    with collector_paused():  # as in composition: many small objects, few cycles
        contents = [drawer.page_ops(page, draft) for page in composition.pages]
    shared, names = drawer.finish()
    _page_tree(pdf, contents, pdf.make_indirect(shared))
    pdf.Root.Lang = pikepdf.String("zh-CN")
    pdf.docinfo[Name.Title] = pikepdf.String(title)
    if author:
        pdf.docinfo[Name.Author] = pikepdf.String(author)
    pdf.docinfo[Name.Creator] = pikepdf.String("docgen")
    pdf.docinfo[Name.Producer] = pikepdf.String("docgen")
    if composition.seal is not None:
        pdf.docinfo[Name("/" + SEAL_AREA_KEY)] = pikepdf.String(seal_area_record(composition.seals))
    for key, value in composition.info.items():
        pdf.docinfo[Name("/" + key)] = pikepdf.String(value)
    out = BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, min_version="1.7",
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in drawer._sources:
        source.close()
    return out.getvalue(), names

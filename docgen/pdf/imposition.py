"""The imposed print file: many plaques on each sheet (or a roll), every plaque with its bleed and crop marks.

Each plaque's print PDF is placed whole (its MediaBox: art, bleed, marks and job line) as a Form XObject,
so what the shop cuts from the sheet is exactly the single-plaque file. Cells are packed in rows (shelf
packing); plaques turn 90° when that puts more on a sheet. Built with pikepdf (qpdf); imposition packages
that are AGPL are deliberately not used.

A batch may hold thousands of plaques: each print PDF is opened only while its page is copied into the
sheets as a form holding its own, still compressed, content (see :func:`page_form`), so memory grows by
the compressed art alone, not by an open PDF (or its decompressed content) per plaque.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from docgen.fonts.roles import HEITI
from docgen.plaques.layout import fit_text, set_text
from docgen.pdf.outlines import glyph_path
from docgen.pdf.units import PT_PER_MM as PT
from docgen.records.sheet import ROLL_PAGE_MAX, SHEET_MARGIN, Sheet, fits, fits_as

SHEET_LABEL = 4.0  # mm, the sheet's job line in its top margin
BLACK_FILL = "0 0 0 1 k"


@dataclass(frozen=True)
class Placement:
    index: int  # which plaque
    x: float  # mm, the cell's bottom-left on the sheet (PDF y up)
    y: float
    turned: bool


@dataclass
class _Shelf:
    pages: list[list[Placement]]
    heights: list[float]  # used length of each page (rolls)


def _pack(cells: list[tuple[float, float]], sheet: Sheet, turn: bool) -> _Shelf:
    """Rows left to right, top to bottom; ``turn`` rotates every plaque 90°."""
    usable_w = sheet.width - 2 * SHEET_MARGIN
    usable_h = (sheet.height or ROLL_PAGE_MAX) - 2 * SHEET_MARGIN
    pages: list[list[Placement]] = [[]]
    heights = [0.0]
    x = y = row_h = 0.0  # y: mm down from the usable top
    for i, (w, h) in enumerate(cells):
        if turn:
            w, h = h, w
        if x and x + w > usable_w + 1e-6:
            x, y, row_h = 0.0, y + row_h, 0.0
        if y and y + h > usable_h + 1e-6:
            pages.append([])
            heights.append(0.0)
            x = y = row_h = 0.0
        pages[-1].append(Placement(i, SHEET_MARGIN + x, y + h, turn))  # y + h: the cell's bottom, from the top
        heights[-1] = max(heights[-1], y + h)
        x += w
        row_h = max(row_h, h)
    return _Shelf(pages, heights)


def _own_streams(obj: pikepdf.Object, seen: set[tuple[int, int]]) -> None:
    """Every stream reachable from ``obj`` (copied from another PDF) takes its encoded bytes now, so the PDF
    it came from can be closed (qpdf would otherwise read them from it when saving)."""
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, Stream):
        obj.write(obj.read_raw_bytes(), filter=obj.get(Name.Filter), decode_parms=obj.get(Name.DecodeParms),
                  type_check=False)
        children = obj.stream_dict.values()
    elif isinstance(obj, Dictionary):
        children = obj.values()
    elif isinstance(obj, Array):
        children = iter(obj)
    else:
        return
    for child in children:
        if isinstance(child, (Dictionary, Array, Stream)):
            _own_streams(child, seen)


def page_form(out: pikepdf.Pdf, data: bytes, box: str = "/MediaBox") -> tuple[Stream, list[float]]:
    """The first page of the PDF ``data`` as a Form XObject of ``out``, clipped to the page's ``box``
    (``/MediaBox``: all of it; ``/TrimBox``: the finished art), and that box in pt. The form keeps the
    page's content as it is encoded (qpdf's own page-to-form would hold it decompressed, clip it to the
    TrimBox and keep the source open): the source is closed on return."""
    with pikepdf.open(BytesIO(data)) as src:
        page = src.pages[0]
        if isinstance(page.obj.Contents, Array):
            page.contents_coalesce()
        contents = page.obj.Contents
        bbox = [float(v) for v in page.obj[box]]
        form = src.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=bbox, Resources=page.obj.Resources)
        form.write(contents.read_raw_bytes(), filter=contents.get(Name.Filter),
                   decode_parms=contents.get(Name.DecodeParms), type_check=False)
        form = out.copy_foreign(form)
        _own_streams(form, set())
    return form, bbox


def impose(pdfs: list[bytes], sheet: Sheet) -> tuple[bytes, dict]:
    """One PDF of sheets holding every plaque PDF in ``pdfs`` (first page of each), with a placement report."""
    out = pikepdf.Pdf.new()
    forms, cells = [], []
    for data in pdfs:
        form, media = page_form(out, data)
        forms.append(form)
        cells.append(((media[2] - media[0]) / PT, (media[3] - media[1]) / PT))
    too_big = [i for i, c in enumerate(cells) if not fits(c, sheet)]
    if too_big:
        raise ValueError(f"有 {len(too_big)} 块标牌（含出血和裁切线）大于拼版幅面 {sheet.label}，请换更大的幅面")
    options = [_pack(cells, sheet, turn) for turn in (False, True)
               if all(fits_as(c[::-1] if turn else c, sheet) for c in cells)]
    shelf = min(options, key=lambda o: (len(o.pages), sum(o.heights)))
    total = len(shelf.pages)
    for number, (placements, used) in enumerate(zip(shelf.pages, shelf.heights), 1):
        height = sheet.height or used + 2 * SHEET_MARGIN
        label = f"标牌拼版  第 {number}/{total} 张  幅面 {sheet.label}  本张 {len(placements)} 块"
        text, size = fit_text(HEITI, label, SHEET_LABEL, sheet.width - 2 * SHEET_MARGIN, SHEET_LABEL / 2)
        glyphs = set_text(HEITI, text, SHEET_MARGIN, SHEET_MARGIN * 0.7, size)  # in the top margin
        ops, xobjects = [BLACK_FILL, glyph_path(glyphs, 0, height * PT), "f"], Dictionary()
        for p in placements:
            w, h = cells[p.index]
            x, y = p.x * PT, (height - SHEET_MARGIN - p.y) * PT  # the cell's bottom-left, PDF space
            matrix = f"0 1 -1 0 {x + h * PT:.3f} {y:.3f}" if p.turned else f"1 0 0 1 {x:.3f} {y:.3f}"
            key = f"/P{p.index + 1}"
            xobjects[key] = forms[p.index]
            ops.append(f"q {matrix} cm {key} Do Q")
        page = Dictionary(Type=Name.Page, MediaBox=[0, 0, round(sheet.width * PT, 3), round(height * PT, 3)],
                          Resources=Dictionary(XObject=xobjects), Contents=out.make_stream("\n".join(ops).encode()))
        out.pages.append(pikepdf.Page(page))
    out.docinfo[Name.Title] = pikepdf.String(f"标牌拼版 {sheet.label}")
    out.docinfo[Name.Creator] = pikepdf.String("docgen")
    buf = BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True)
    facts = {"sheet": sheet.label, "sheets": len(shelf.pages), "per_sheet": [len(p) for p in shelf.pages],
             "turned": bool(shelf.pages[0] and shelf.pages[0][0].turned)}
    return buf.getvalue(), facts

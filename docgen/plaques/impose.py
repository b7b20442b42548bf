"""The imposed print file: many plaques on each sheet (or a roll), every plaque with its bleed and crop marks.

Each plaque's print PDF is placed whole (its MediaBox: art, bleed, marks and job line) as a Form XObject,
so what the shop cuts from the sheet is exactly the single-plaque file. Cells are packed in rows (shelf
packing); plaques turn 90° when that puts more on a sheet. Built with pikepdf (qpdf); imposition packages
that are AGPL are deliberately not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

import pikepdf
from pikepdf import Dictionary, Name

from docgen.fonts.roles import HEITI
from docgen.plaques.layout import fit_text, set_text
from docgen.plaques.pdf import PT, glyph_path

SHEETS = {"A0": (841.0, 1189.0), "A1": (594.0, 841.0), "A2": (420.0, 594.0), "A3": (297.0, 420.0),
          "SRA3": (320.0, 450.0), "SRA2": (450.0, 640.0)}
SHEET_MARGIN = 10.0  # mm the press or plotter cannot print
SHEET_LABEL = 4.0  # mm, the sheet's job line in its top margin
BLACK_FILL = "0 0 0 1 k"
ROLL_PAGE_MAX = 5000.0  # mm: a roll is cut into pages no longer than this (PDF viewers stop near 5080 mm)
_SHEET_RULE = "拼版幅面应为 A0～A3、SRA3、SRA2、「宽x高」（毫米，如 1220x2440）或卷材「roll:宽」（如 roll:1370）"


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float | None  # None: a roll, as long as needed
    label: str


def parse_sheet(value: str) -> Sheet:
    text = str(value).strip().replace("×", "x").replace("X", "x")
    if text.upper() in SHEETS:
        return Sheet(*SHEETS[text.upper()], text.upper())
    roll = re.fullmatch(r"roll:(\d+(?:\.\d+)?)", text, re.I)
    if roll and 200 <= float(roll.group(1)) <= 5000:
        return Sheet(float(roll.group(1)), None, f"卷材{roll.group(1)}")
    size = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(?:mm)?", text)
    if size and all(200 <= float(v) <= 5000 for v in size.groups()):
        return Sheet(float(size.group(1)), float(size.group(2)), f"{size.group(1)}x{size.group(2)}")
    raise ValueError(_SHEET_RULE)


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


def _fits_as(cell: tuple[float, float], sheet: Sheet) -> bool:
    w, h = cell
    return w <= sheet.width - 2 * SHEET_MARGIN + 1e-6 and h <= (sheet.height or ROLL_PAGE_MAX) - 2 * SHEET_MARGIN + 1e-6


def fits(cell: tuple[float, float], sheet: Sheet) -> bool:
    """Whether a cell fits the sheet one way or the other."""
    return _fits_as(cell, sheet) or _fits_as(cell[::-1], sheet)


def check_sheet(value: str, size: tuple[float, float] | None) -> None:
    """Raise ValueError (in Chinese) when ``value`` is no sheet, or a plaque of ``size`` mm with its bleed,
    marks and slug cannot be placed on it either way round."""
    from docgen.plaques.pdf import MEDIA_MARGIN

    sheet = parse_sheet(value)
    if size and not fits((size[0] + 2 * MEDIA_MARGIN, size[1] + 2 * MEDIA_MARGIN), sheet):
        raise ValueError(f"{size[0]:g}×{size[1]:g} 毫米的标牌（含出血和裁切线，每边加 {MEDIA_MARGIN:g} 毫米）"
                         f"放不进拼版幅面 {sheet.label}，请换更大的幅面（如 1220x2440 或 roll:1370）")


def impose(pdfs: list[bytes], sheet: Sheet) -> tuple[bytes, dict]:
    """One PDF of sheets holding every plaque PDF in ``pdfs`` (first page of each), with a placement report."""
    sources = [pikepdf.open(BytesIO(data)) for data in pdfs]
    cells = [tuple(float(v) / PT for v in (s.pages[0].MediaBox[2], s.pages[0].MediaBox[3])) for s in sources]
    too_big = [i for i, c in enumerate(cells) if not fits(c, sheet)]
    if too_big:
        raise ValueError(f"有 {len(too_big)} 块标牌（含出血和裁切线）大于拼版幅面 {sheet.label}，请换更大的幅面")
    options = [_pack(cells, sheet, turn) for turn in (False, True)
               if all(_fits_as(c[::-1] if turn else c, sheet) for c in cells)]
    shelf = min(options, key=lambda o: (len(o.pages), sum(o.heights)))
    out = pikepdf.Pdf.new()
    forms = {}
    total = len(shelf.pages)
    for number, (placements, used) in enumerate(zip(shelf.pages, shelf.heights), 1):
        height = sheet.height or used + 2 * SHEET_MARGIN
        label = f"标牌拼版  第 {number}/{total} 张  幅面 {sheet.label}  本张 {len(placements)} 块"
        text, size = fit_text(HEITI, label, SHEET_LABEL, sheet.width - 2 * SHEET_MARGIN, SHEET_LABEL / 2)
        glyphs = set_text(HEITI, text, SHEET_MARGIN, SHEET_MARGIN * 0.7, size)  # in the top margin
        ops, xobjects = [BLACK_FILL, glyph_path(glyphs, 0, height * PT), "f"], Dictionary()
        for p in placements:
            if p.index not in forms:
                forms[p.index] = out.copy_foreign(sources[p.index].pages[0].as_form_xobject())
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

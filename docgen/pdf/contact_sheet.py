"""The A4 contact sheet (签样): every plaque of a batch as a vector thumbnail with its name, for sign-off.

Thumbnails are the print PDFs themselves, clipped to the trim and scaled down, so what is signed is what
is printed; each is opened only while its page is copied in (docgen.pdf.imposition.page_form). Items that
failed show their Chinese reason in place of the art.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import pikepdf
from pikepdf import Dictionary, Name

from docgen.fonts.roles import HEITI, XIAOBIAOSONG
from docgen.plaques.glyphs import EM, metrics
from docgen.plaques.inks import BLACK, RED
from docgen.pdf.imposition import page_form
from docgen.plaques.layout import fit_text, set_text, text_width
from docgen.pdf.outlines import glyph_path
from docgen.pdf.plaque import Paint
from docgen.pdf.units import PT_PER_MM as PT

A4 = (210.0, 297.0)
MARGIN = 15.0
COLUMNS, ROWS = 3, 5
GUTTER = 6.0
HEADER = 16.0  # mm above the grid: title and page number
FOOTER = 22.0  # mm below the grid: the sign-off lines
LABEL = 3.2  # mm, the name under each thumbnail
LABEL_MIN = 2.0
PER_PAGE = COLUMNS * ROWS


@dataclass(frozen=True)
class ContactItem:
    label: str
    pdf: bytes | None  # None: the item failed
    error: str = ""


def _text(paint: Paint, face, text: str, x: float, top: float, size: float, width: float | None = None,
          ink=BLACK, centre: bool = False) -> str:
    """Outline text whose em box starts at ``top``; shrunk (not below LABEL_MIN) and cut with … to fit ``width``."""
    if width:
        text, size = fit_text(face, text, size, width, LABEL_MIN)
    if centre:
        x -= text_width(face, text, size) / 2
    baseline = top + metrics(face).ascent / EM * size
    return "\n".join([paint.fill(ink), glyph_path(set_text(face, text, x, baseline, size), 0, A4[1] * PT), "f"])


def contact_sheet(items: list[ContactItem], title: str) -> bytes:
    out = pikepdf.Pdf.new()
    pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
    cell_w = (A4[0] - 2 * MARGIN - (COLUMNS - 1) * GUTTER) / COLUMNS
    cell_h = (A4[1] - 2 * MARGIN - HEADER - FOOTER) / ROWS
    thumb_h = cell_h - LABEL * 2.2
    failed = sum(1 for it in items if it.pdf is None)
    sign_top = A4[1] - MARGIN - FOOTER + 8
    heading = _text(Paint(), XIAOBIAOSONG, f"{title}标牌签样", A4[0] / 2, MARGIN, 7.0, A4[0] - 2 * MARGIN, centre=True)
    sign_off = [_text(Paint(), HEITI, "审核意见：□ 同意制作    □ 修改后制作（请在缩略图旁标注）", MARGIN, sign_top, 3.5),
                _text(Paint(), HEITI, "审核人：______________    日期：________年____月____日", MARGIN, sign_top + 7, 3.5)]
    for page_no, page_items in enumerate(pages, 1):  # heading and sign-off: black (no spot), the same on each page
        paint = Paint()
        ops = [heading]
        summary = f"共 {len(items)} 块" + (f"，其中 {failed} 块未生成" if failed else "") + f"    第 {page_no}/{len(pages)} 页"
        ops.append(_text(paint, HEITI, summary, A4[0] / 2, MARGIN + 9, 3.5, centre=True))
        xobjects = Dictionary()
        for n, item in enumerate(page_items):
            col, row = n % COLUMNS, n // COLUMNS
            x0 = MARGIN + col * (cell_w + GUTTER)
            top = MARGIN + HEADER + row * cell_h
            if item.pdf is not None:
                form, trim = page_form(out, item.pdf, "/TrimBox")  # clipped to the finished size
                tw, th = (trim[2] - trim[0]) / PT, (trim[3] - trim[1]) / PT
                s = min(cell_w / tw, thumb_h / th)
                w, h = tw * s, th * s
                x, y_top = x0 + (cell_w - w) / 2, top + (thumb_h - h) / 2
                key = f"/T{n + 1}"
                xobjects[key] = form
                px, py = x * PT, (A4[1] - y_top - h) * PT
                ops.append(f"q {s:.5f} 0 0 {s:.5f} {px - trim[0] * s:.3f} {py - trim[1] * s:.3f} cm {key} Do Q")
                ops.append(f"q 0.3 w 0 0 0 0.4 K {px:.3f} {py:.3f} {w * PT:.3f} {h * PT:.3f} re S Q")
            else:
                ops.append(f"q 0.5 w 0 1 1 0 K {x0 * PT:.3f} {(A4[1] - top - thumb_h) * PT:.3f} "
                           f"{cell_w * PT:.3f} {thumb_h * PT:.3f} re S Q")
                reason = item.error.splitlines()[-1].strip(" -") if item.error else "未生成"
                ops.append(_text(paint, HEITI, "未生成：" + reason, x0 + 2, top + thumb_h / 2 - 2, 2.4, cell_w - 4, RED))
            ops.append(_text(paint, HEITI, item.label, x0 + cell_w / 2, top + thumb_h + 1.2, LABEL, cell_w, centre=True))
        ops += sign_off
        resources = Dictionary(XObject=xobjects)
        spaces = paint.resources(out)
        if len(spaces):
            resources.ColorSpace = spaces
        page = Dictionary(Type=Name.Page, MediaBox=[0, 0, round(A4[0] * PT, 3), round(A4[1] * PT, 3)],
                          Resources=resources, Contents=out.make_stream("\n".join(ops).encode("ascii")))
        out.pages.append(pikepdf.Page(page))
    out.docinfo[Name.Title] = pikepdf.String(f"{title}标牌签样")
    buf = BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True)
    return buf.getvalue()

"""Body blocks and attachment pages of a 公文 as flow elements: paragraphs, numbered headings, tables,
forms, figures and plaque art. Every block is laid out in a type area: the portrait 版心 or, for an
attachment holding a wide table, the landscape one of §8."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from docgen.layout import gbt9704
from docgen.content.document import Attachment, Block, Figure, FormTable, Heading, Paragraph, PlaqueFigure, Table
from docgen.fonts.metrics import EM_BOX_ASCENT
from docgen.layout.flow import Drawn, Element, Frame, Gap, Item, PageBreak, PlaqueArt, Rect, Row, Text, joined
from docgen.layout.masthead import title_rows
from docgen.layout.columns import (FORM_INSET, SMALL, TABLE, CellStyle, column_widths, form_widths, is_wide,
                                   table_style)
from docgen.layout.linebreak import Line, Run, break_lines
from docgen.layout.paragraphs import paragraph
from docgen.layout.titles import break_title, chars_per_line

P = gbt9704.LINE_PITCH_MM
HEADING_FACE = {1: "heiti", 2: "kaiti", 3: "fangsong", 4: "fangsong"}


def block_elements(block: Block, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Element]:
    if isinstance(block, Paragraph):
        if block.align:
            return list(paragraph([Run(block.text, "fangsong")], x=area.left, measure=area.width, first_indent=0.0,
                                  align=block.align, justify=False))
        return list(paragraph([Run(block.text, "fangsong")], x=area.left, measure=area.width))
    if isinstance(block, Heading):
        runs = [Run(block.label + block.text, HEADING_FACE[block.level])]
        if block.run_in:
            runs.append(Run(block.run_in, "fangsong"))
        rows = paragraph(runs, x=area.left, measure=area.width, kind="heading")
        if not block.run_in and block.text[-1:] not in "。；;，,：:":  # a heading (not a list item) standing alone
            # is never the last line of its page
            for row in rows:
                row.keep_with_next = True
        return list(rows)
    if isinstance(block, Table):
        return table_elements(block, area)
    if isinstance(block, FormTable):
        return form_elements(block, area)
    if isinstance(block, PlaqueFigure):
        return plaque_elements(block, area)
    return figure_elements(block, area)


def _caption(text: str, area: gbt9704.TypeArea) -> list[Element]:
    rows = paragraph([Run(text, "fangsong")], x=area.left, measure=area.width, first_indent=0.0, kind="caption",
                     align="center", justify=False)
    for row in rows:
        row.keep_with_next = True
    return list(rows)


# ---- table cells ----

@lru_cache(maxsize=65536)
def cell_lines(text: str, role: str, width: float, style: CellStyle = TABLE) -> tuple[Line, ...]:
    """A cell's text broken to its width (mm, padding included); the same cell text is broken once."""
    if not text:
        return ()
    return tuple(break_lines([Run(text, role)], style.size, gbt9704.pt(width - 2 * style.pad), 0.0, lone=False))


def _cell_items(lines: tuple[Line, ...], x: float, w: float, top: float, align: str, style: CellStyle) -> list[Item]:
    size_mm = gbt9704.mm(style.size)
    first = top + (style.pitch - size_mm) / 2 + EM_BOX_ASCENT * size_mm  # the first line's baseline
    items: list[Item] = []
    for n, line in enumerate(lines):
        if align == "left":
            left = x + style.pad
        else:
            width = line.natural * gbt9704.MM_PER_PT
            left = x + (w - width) / 2 if align == "center" else x + w - style.pad - width
        items.append(Text(left, first + n * style.pitch, tuple(line.runs), style.size, 0.0))
    return items


@dataclass
class GridCell:
    """A cell placed in a row: where it stands, its broken lines, and a foot set flush right at its bottom; its
    text keeps ``inset`` mm clear inside the padding."""

    x: float
    w: float
    lines: tuple[Line, ...]
    align: str = "left"
    foot: tuple[Line, ...] = ()
    inset: float = 0.0


def _grid_row(cells: list[GridCell], left: float, width: float, style: CellStyle = TABLE,
              least_lines: int = 1) -> Drawn:
    """A row of cells, ruled on every side and between cells; text is centred in the row's height, or (in a
    cell with a foot) starts at its top."""
    content = max((len(c.lines) + len(c.foot) for c in cells), default=0)
    height = max(style.least_row, max(content, least_lines) * style.pitch + 2 * style.pad)

    def paint(y: float) -> list[Item]:
        rule = gbt9704.TABLE_RULE
        items: list[Item] = [Rect(left, y - rule / 2, width, rule), Rect(left, y + height - rule / 2, width, rule)]
        for c in cells:
            items.append(Rect(c.x - gbt9704.TABLE_RULE / 2, y, gbt9704.TABLE_RULE, height))
            top = y + style.pad if c.foot else y + (height - len(c.lines) * style.pitch) / 2
            items += _cell_items(c.lines, c.x + c.inset, c.w - 2 * c.inset, top, c.align, style)
            if c.foot:
                foot_top = y + height - style.pad - len(c.foot) * style.pitch
                items += _cell_items(c.foot, c.x + c.inset, c.w - 2 * c.inset, foot_top, "right", style)
        items.append(Rect(left + width - gbt9704.TABLE_RULE / 2, y, gbt9704.TABLE_RULE, height))
        return items

    return Drawn(height, paint, kind="table")


def _table_row(texts: list[str], widths: list[float], left: float, header: bool, style: CellStyle) -> Drawn:
    role = "heiti" if header else "fangsong"
    cells, x = [], left
    for text, w in zip(texts, widths):
        lines = cell_lines(text, role, w, style)
        cells.append(GridCell(x, w, lines, "center" if header or len(lines) == 1 else "left"))
        x += w
    return _grid_row(cells, left, sum(widths), style)


def table_elements(table: Table, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Element]:
    widths, style = column_widths(table, area.width), table_style(table)
    header = _table_row(list(table.columns), widths, area.left, True, style)
    rows = [_table_row(list(r), widths, area.left, False, style) for r in table.rows]
    if not rows:
        rows = [_table_row([""] * len(widths), widths, area.left, False, style) for _ in range(gbt9704.BLANK_FORM_ROWS)]
    for row in rows:
        row.repeat_before = header
    header.keep_with_next = True
    flow: list[Element] = _caption(table.title, area) if table.title else []
    return flow + [header, *rows, Gap(P / 2)]


# ---- forms (附件1) ----

def form_elements(form: FormTable, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Element]:
    """A form's rows: each cell spans its grid columns; labels are centred, values left, feet flush right."""
    grid = form_widths(form, area.width)
    flow: list[Element] = []
    for row in form.rows:
        cells, column, x = [], 0, area.left
        for cell in row.cells:
            w = sum(grid[column:column + cell.span])
            inner = w - 2 * FORM_INSET  # the text keeps clear of the rules
            lines = cell_lines(cell.text, "fangsong", inner, SMALL)
            align = "center" if cell.label and len(lines) == 1 else "left"
            cells.append(GridCell(x, w, lines, align, cell_lines(cell.foot, "fangsong", inner, SMALL), FORM_INSET))
            column += cell.span
            x += w
        flow.append(_grid_row(cells, area.left, area.width, SMALL, row.lines))
    return flow + [Gap(P / 2)]


# ---- figures ----

def plaque_elements(figure: PlaqueFigure, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Element]:
    width_mm, height_mm = figure.plaque.size
    w = gbt9704.FIGURE_WIDTH
    h = w * height_mm / width_mm
    x = area.left + (area.width - w) / 2
    art = Drawn(h + P / 2, lambda y: [PlaqueArt(x, y, w, h, figure.plaque)], kind="figure")
    return [*_caption(figure.caption, area), art]


def figure_pieces(figure: Figure, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[tuple[list[Row], float]]:
    """The figure's lines broken to its frame (centred 黑体), as frames of (rows, height in mm): one frame
    of 3:2 (the plaque proportion), taller when its lines need it; lines a page cannot hold under the
    caption go on in frames of their own (as high as their lines) on the next pages. Both renderers draw
    these frames."""
    w = gbt9704.FIGURE_WIDTH
    x = area.left + (area.width - w) / 2
    rows = [r for line in figure.lines
            for r in paragraph([Run(line, "heiti")], x=x, measure=w, first_indent=0.0, align="center",
                               justify=False, kind="figure")]
    caption = sum(r.height() for r in _caption(figure.caption, area))
    room = area.height - caption - P / 2  # the first frame stands under its caption
    pieces: list[tuple[list[Row], float]] = []
    while True:
        fit = max(1, int(room / P) - 1)  # half a line of white above and below the lines
        piece, rows = rows[:fit], rows[fit:]
        pieces.append((piece, max(0.0 if pieces else w * 2 / 3, (len(piece) + 1) * P)))
        if not rows:
            return pieces
        room = area.height - P / 2


def _frame(rows: list[Row], x: float, w: float, h: float) -> Drawn:
    def paint(y: float) -> list[Item]:
        items: list[Item] = [Frame(x, y, w, h, gbt9704.TABLE_RULE)]
        top = y + (h - len(rows) * P) / 2
        for n, row in enumerate(rows):
            items += row.draw(top + n * P, P)
        return items

    return Drawn(h + P / 2, paint, kind="figure")


def figure_elements(figure: Figure, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Element]:
    """A framed drawing of centred lines under its caption (`figure_pieces`)."""
    w = gbt9704.FIGURE_WIDTH
    x = area.left + (area.width - w) / 2
    return [*_caption(figure.caption, area), *(_frame(rows, x, w, h) for rows, h in figure_pieces(figure, area))]


# ---- attachment pages ----

def attachment_area(attachment: Attachment) -> gbt9704.TypeArea:
    """The landscape 版心 for an attachment holding a wide table (§8), the portrait one otherwise."""
    wide = any(isinstance(b, Table) and is_wide(b) for b in attachment.blocks)
    return gbt9704.LANDSCAPE if wide else gbt9704.PORTRAIT


def attachment_elements(attachment: Attachment, numbered: bool) -> list[Element]:
    """Each attachment starts a page: 附件N (三号黑体) on line 1, its title (二号小标宋) on line 3."""
    area = attachment_area(attachment)
    label = f"附件{attachment.number}" if numbered else "附件"
    flow: list[Element] = [PageBreak(area)]
    flow += paragraph([Run(label, "heiti")], x=area.left, measure=area.width, first_indent=0.0, kind="label",
                      justify=False)
    title = break_title(attachment.title, max_chars=chars_per_line(area.width))
    flow += [Gap(P), *title_rows(title, area), Gap(P)]
    for block in attachment.blocks:
        flow = joined(flow, block_elements(block, area))
    return flow

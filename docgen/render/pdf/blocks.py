"""Body blocks and attachment pages of a 公文 as flow elements: paragraphs, numbered headings, tables,
figures and plaque art."""

from __future__ import annotations

import base64

from docgen import gbt9704 as g
from docgen.content.official import Attachment, Block, Figure, Heading, Paragraph, PlaqueFigure, Table
from docgen.render.pdf.flow import Drawn, Element, Frame, Gap, Item, PageBreak, Picture, Rect, Text
from docgen.render.pdf.front import title_rows
from docgen.render.pdf.linebreak import Run, break_lines
from docgen.fonts.metrics import EM_BOX_ASCENT
from docgen.render.pdf.text import paragraph
from docgen.render.titles import break_title

P = g.LINE_PITCH_MM
HEADING_FACE = {1: "heiti", 2: "kaiti", 3: "fangsong", 4: "fangsong"}
RULE = 0.25  # table and frame lines, mm
FIGURE_WIDTH = 110.0  # plaque art and figures, mm
BLANK_FORM_ROWS = 5  # empty rows drawn under a table that has none, for filling in by hand


def block_elements(block: Block) -> list[Element]:
    if isinstance(block, Paragraph):
        return list(paragraph([Run(block.text, "fangsong")]))
    if isinstance(block, Heading):
        runs = [Run(block.label + block.text, HEADING_FACE[block.level])]
        if block.run_in:
            runs.append(Run(block.run_in, "fangsong"))
        return list(paragraph(runs, kind="heading"))
    if isinstance(block, Table):
        return table_elements(block)
    if isinstance(block, PlaqueFigure):
        return plaque_elements(block)
    return figure_elements(block)


def _caption(text: str) -> list[Element]:
    rows = paragraph([Run(text, "fangsong")], first_indent=0.0, kind="caption", align="center", justify=False)
    for row in rows:
        row.keep_with_next = True
    return list(rows)


# ---- tables ----

def _cell_lines(text: str, role: str, width: float):
    measure = g.pt(width - 2 * g.TABLE_CELL_PADDING_MM)
    return break_lines([Run(text, role)], g.TABLE_TEXT_SIZE, measure, 0.0) if text else []


def _table_row(cells: list[str], widths: list[float], header: bool) -> Drawn:
    role = "heiti" if header else "fangsong"
    wrapped = [_cell_lines(text, role, w) for text, w in zip(cells, widths)]
    pitch = g.TABLE_LINE_PITCH_MM
    height = max(P, max((len(lines) for lines in wrapped), default=0) * pitch + 2 * g.TABLE_CELL_PADDING_MM)
    size = g.TABLE_TEXT_SIZE
    size_mm = g.mm(size)

    def paint(y: float) -> list[Item]:
        items: list[Item] = [Rect(g.MARGIN_LEFT, y - RULE / 2, g.TYPE_WIDTH, RULE),
                             Rect(g.MARGIN_LEFT, y + height - RULE / 2, g.TYPE_WIDTH, RULE)]
        x = g.MARGIN_LEFT
        for lines, w in zip(wrapped, widths):
            items.append(Rect(x - RULE / 2, y, RULE, height))
            top = y + (height - len(lines) * pitch) / 2
            for n, line in enumerate(lines):
                width = g.mm(line.natural)
                centred = header or len(lines) == 1
                left = x + (w - width) / 2 if centred else x + g.TABLE_CELL_PADDING_MM
                spacing = line.spacing(g.pt(w - 2 * g.TABLE_CELL_PADDING_MM), 0.0) if not centred else 0.0
                baseline = top + n * pitch + (pitch - size_mm) / 2 + EM_BOX_ASCENT * size_mm
                items.append(Text(left, baseline, tuple(line.runs), size, spacing))
            x += w
        items.append(Rect(x - RULE / 2, y, RULE, height))
        return items

    return Drawn(height, paint, kind="table")


MIN_COLUMN = 2 * g.mm(g.TABLE_TEXT_SIZE) + 2 * g.TABLE_CELL_PADDING_MM  # two characters and the padding


def column_widths(weights: tuple[float, ...]) -> list[float]:
    """Column widths (mm) filling the type area in proportion to ``weights``, none narrower than two
    characters: the narrow ones are widened and the others share what remains."""
    widths = [g.TYPE_WIDTH * w / sum(weights) for w in weights]
    narrow = [w < MIN_COLUMN for w in widths]
    if any(narrow) and not all(narrow):
        rest = g.TYPE_WIDTH - MIN_COLUMN * sum(narrow)
        wide = sum(w for w, n in zip(weights, narrow) if not n)
        widths = [MIN_COLUMN if n else rest * w / wide for w, n in zip(weights, narrow)]
    return widths


def table_elements(table: Table) -> list[Element]:
    widths = column_widths(table.widths or (1.0,) * len(table.columns))
    header = _table_row(list(table.columns), widths, header=True)
    rows = [_table_row(list(r), widths, header=False) for r in table.rows]
    if not rows:
        rows = [_table_row([""] * len(widths), widths, header=False) for _ in range(BLANK_FORM_ROWS)]
    for row in rows:
        row.repeat_before = header
    header.keep_with_next = True
    flow: list[Element] = _caption(table.title) if table.title else []
    return flow + [header, *rows, Gap(P / 2)]


# ---- figures ----

def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def plaque_elements(figure: PlaqueFigure) -> list[Element]:
    from docgen.plaques.art import plaque_svg

    width_mm, height_mm = figure.plaque.size
    w = FIGURE_WIDTH
    h = w * height_mm / width_mm
    src = _svg_uri(plaque_svg(figure.plaque, frame=True))
    x = g.MARGIN_LEFT + (g.TYPE_WIDTH - w) / 2
    art = Drawn(h + P / 2, lambda y: [Picture(x, y, w, h, src)], kind="figure")
    return [*_caption(figure.caption), art]


def figure_elements(figure: Figure) -> list[Element]:
    """A framed drawing of centred lines (3:2, the plaque proportion) under its caption."""
    w = FIGURE_WIDTH
    h = w * 2 / 3
    x = g.MARGIN_LEFT + (g.TYPE_WIDTH - w) / 2
    rows = [r for line in figure.lines
            for r in paragraph([Run(line, "heiti")], x=x, measure=w, first_indent=0.0, align="center",
                               justify=False, kind="figure")]

    def paint(y: float) -> list[Item]:
        items: list[Item] = [Frame(x, y, w, h, RULE)]
        top = y + (h - len(rows) * P) / 2
        for n, row in enumerate(rows):
            items += row.draw(top + n * P, P)
        return items

    return [*_caption(figure.caption), Drawn(h + P / 2, paint, kind="figure")]


# ---- attachment pages ----

def attachment_elements(attachment: Attachment, numbered: bool) -> list[Element]:
    """Each attachment starts a page: 附件N (三号黑体) on line 1, its title (二号小标宋) on line 3."""
    label = f"附件{attachment.number}" if numbered else "附件"
    flow: list[Element] = [PageBreak()]
    flow += paragraph([Run(label, "heiti")], first_indent=0.0, kind="label", justify=False)
    flow += [Gap(P), *title_rows(break_title(attachment.title)), Gap(P)]
    for block in attachment.blocks:
        flow += block_elements(block)
    return flow

"""Table geometry for both renderers: the type size and line pitch of cells, column widths in mm from what
a table's header and cells need, and whether a table is wide enough to be turned on its page (§8).

Widths follow the automatic table layout browsers use: every column gets at least its least width (two
characters, its longest unbroken word — a telephone number is never split) and, as far as the type area
allows, the width its typical cell needs unbroken; a blank form's columns are shared by their declared
weights instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from docgen.layout import gbt9704
from docgen.content.document import FormTable, Table
from docgen.fonts.metrics import role_metrics
from docgen.layout.linebreak import LATIN_WORD
from docgen.layout.paragraphs import width_pt



@dataclass(frozen=True)
class CellStyle:
    size: float  # pt
    pitch: float  # mm between a cell's lines
    pad: float  # mm above, below and beside a cell's text
    least_row: float  # mm: the lowest a row may be

    def least_column(self) -> float:
        """Two characters and the padding."""
        return 2 * gbt9704.mm(self.size) + 2 * self.pad


TABLE = CellStyle(gbt9704.TABLE_TEXT_SIZE, gbt9704.TABLE_LINE_PITCH_MM, gbt9704.TABLE_CELL_PADDING_MM, gbt9704.LINE_PITCH_MM)  # 四号
SMALL = CellStyle(12.0, 5.6, 1.1, 7.6)  # 小四: a form such as 附件1 fits one page, a turned table's row one or two lines
MIN_COLUMN = TABLE.least_column()
MAX_PORTRAIT_COLUMNS = 6  # a table with more columns is wide (§8)
SAMPLE = 400  # rows measured: enough to know a column, cheap on a table of thousands
SEARCH = 150  # rows the width search weighs
STEP = 2.0  # mm a column widens at each step of the search
TYPICAL = 0.9  # the share of a short column's cells that fit unbroken
HEADER_LINES = 3
SHORT = 1.6  # a column whose typical cell needs at most this many times its least width is given it whole
TIE_BREAK = 0.1  # what a line saved in a cell counts against a line saved in a row
ROWS_A_PAGE = 12  # about how many rows a page holds: the header is repeated that often


def _width(text: str, role: str, style: CellStyle) -> float:
    metrics = role_metrics(role)
    return gbt9704.mm(sum(metrics.advance(c) for c in text) * style.size)


def least_width(texts: list[str], header: str = "", style: CellStyle = TABLE) -> float:
    widest = 0.0
    for text, role in [(header, "heiti"), *((t, "fangsong") for t in texts)]:
        for word in LATIN_WORD.findall(text):
            widest = max(widest, gbt9704.mm(width_pt(word, role, style.size, 0.0)))
    return max(style.least_column(), widest + 2 * style.pad + 0.2)


def _columns(table: Table) -> list[list[str]]:
    rows = table.rows[:SAMPLE]
    return [[r[i] for r in rows] for i in range(len(table.columns))]


@lru_cache(maxsize=64)
def _least_widths(table: Table, style: CellStyle) -> tuple[float, ...]:
    return tuple(least_width(texts, header, style) for texts, header in zip(_columns(table), table.columns))


def is_wide(table: Table) -> bool:
    """More than six columns, or least widths that do not fit the portrait 版心."""
    return len(table.columns) > MAX_PORTRAIT_COLUMNS or sum(_least_widths(table, TABLE)) > gbt9704.TYPE_WIDTH


def shared_widths(weights: tuple[float, ...], total: float, least: list[float]) -> list[float]:
    """``total`` shared in proportion to ``weights``; a column under its least width gets that, and the
    others share what remains."""
    fixed: dict[int, float] = {}
    while len(fixed) < len(weights):
        rest = total - sum(fixed.values())
        free = [i for i in range(len(weights)) if i not in fixed]
        share = sum(weights[i] for i in free)
        widths = [fixed[i] if i in fixed else rest * weights[i] / share for i in range(len(weights))]
        narrow = [i for i in free if widths[i] < least[i] - 1e-9]
        if not narrow:
            return widths
        fixed.update({i: least[i] for i in narrow})
    return [total * w / sum(least) for w in least]  # the least widths alone overflow: share by them


def table_style(table: Table) -> CellStyle:
    """四号 cells; 小四 in a wide table, turned on its page (§8)."""
    return SMALL if is_wide(table) else TABLE


@lru_cache(maxsize=64)
def column_widths(table: Table, total: float = gbt9704.TYPE_WIDTH) -> tuple[float, ...]:
    """Blank: shared by the declared weights. Filled: the widths that make the rows shortest — from the least
    widths, each step gives a few mm to the column that saves the most lines over the measured rows (the
    header counted once a page), then what no column can use is shared by need."""
    style = table_style(table)
    columns = _columns(table)
    least = list(_least_widths(table, style))
    if not table.rows:
        return tuple(shared_widths(table.widths or (1.0,) * len(table.columns), total, least))
    if sum(least) >= total:
        return tuple(total * w / sum(least) for w in least)
    rows = [[_width(t, "fangsong", style) for t in row] for row in list(zip(*columns))[:SEARCH]]
    rows.append([_width(h, "heiti", style) for h in table.columns])
    weight = [1.0] * (len(rows) - 1) + [max(1.0, (len(rows) - 1) / ROWS_A_PAGE)]  # the header, once a page
    widths = list(least)
    header_least = [max(w, h / HEADER_LINES + 2 * style.pad + 0.2) for w, h in zip(widths, rows[-1])]
    if sum(header_least) <= total:  # no header is taller than three lines
        widths = header_least
    for c, texts in enumerate(columns):  # short cells (序号, 填报单位, 使用/所有) are seldom broken
        cells = sorted(_width(t, "fangsong", style) for t in texts)
        unbroken = cells[int(TYPICAL * (len(cells) - 1))] + 2 * style.pad + 0.2
        if unbroken <= SHORT * least[c] and sum(widths) - widths[c] + unbroken <= total:
            widths[c] = max(widths[c], unbroken)

    def lines(text_width: float, column: int, extra: float = 0.0) -> int:
        return max(1, math.ceil(text_width / (widths[column] + extra - 2 * style.pad) - 1e-9))

    while total - sum(widths) >= STEP:
        counts = [[lines(w, c) for c, w in enumerate(row)] for row in rows]
        tallest = [max(row) for row in counts]
        ties = [row.count(top) for row, top in zip(counts, tallest)]
        gains = []
        for c in range(len(widths)):  # a row gets shorter only where this column alone is its tallest;
            # fewer lines in its own cells break the ties (two columns that must both widen)
            # (a table of one column has no other cells: its row is as tall as this column's cell)
            rows_saved = sum(k * (top - max(lines(row[c], c, STEP), max((x for j, x in enumerate(n) if j != c),
                                                                        default=1)))
                             for row, n, top, tie, k in zip(rows, counts, tallest, ties, weight)
                             if n[c] == top and tie == 1)
            cells_saved = sum(k * (n[c] - lines(row[c], c, STEP)) for row, n, k in zip(rows, counts, weight))
            gains.append(rows_saved + TIE_BREAK * cells_saved)
        best = max(range(len(widths)), key=gains.__getitem__)
        if gains[best] <= 0:
            break
        widths[best] += STEP
    needs = [max(row[c] for row in rows) + 2 * style.pad for c in range(len(widths))]  # the widest cell unbroken
    spare = total - sum(widths)
    return tuple(w + spare * n / sum(needs) for w, n in zip(widths, needs))


def form_widths(form: FormTable, total: float = gbt9704.TYPE_WIDTH) -> list[float]:
    """A form's grid columns: shared by its weights, none narrower than what its one-column cells need."""
    texts: list[list[str]] = [[] for _ in form.widths]
    for row in form.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1:
                texts[column].append(cell.text)
            column += cell.span
    return shared_widths(form.widths, total, [least_width(t, style=SMALL) for t in texts])

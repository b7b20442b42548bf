"""Table geometry for both renderers: the type size and line pitch of cells, column widths in mm from what
a table's header and cells need, and whether a table is wide enough to be turned on its page (§8).

Widths follow the automatic table layout browsers use: every column gets at least its least width (two
characters, its longest unbroken word — a telephone number is never split) and, as far as the type area
allows, the width its typical cell needs unbroken; a blank form's columns are shared by their declared
weights instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen import gbt9704 as g
from docgen.content.official import FormTable, Table
from docgen.fonts.metrics import role_metrics
from docgen.render.pdf.linebreak import Run, units_of



@dataclass(frozen=True)
class CellStyle:
    size: float  # pt
    pitch: float  # mm between a cell's lines
    pad: float  # mm above, below and beside a cell's text
    least_row: float  # mm: the lowest a row may be

    def least_column(self) -> float:
        """Two characters and the padding."""
        return 2 * g.mm(self.size) + 2 * self.pad


TABLE = CellStyle(g.TABLE_TEXT_SIZE, g.TABLE_LINE_PITCH_MM, g.TABLE_CELL_PADDING_MM, g.LINE_PITCH_MM)  # 四号
FORM = CellStyle(12.0, 5.6, 1.1, 7.6)  # 小四: a form such as 附件1 fits one page
PAD = TABLE.pad
SIZE = TABLE.size
MIN_COLUMN = TABLE.least_column()
MAX_PORTRAIT_COLUMNS = 6  # a table with more columns is wide (§8)
SAMPLE = 400  # rows measured: enough to know a column, cheap on a table of thousands
TYPICAL = 0.9  # the share of a column's cells that should fit unbroken, where the width allows


def _width(text: str, role: str) -> float:
    metrics = role_metrics(role)
    return g.mm(sum(metrics.advance(c) for c in text) * SIZE)


def least_width(texts: list[str], header: str = "", style: CellStyle = TABLE) -> float:
    widest = 0.0
    for text, role in [(header, "heiti"), *((t, "fangsong") for t in texts)]:
        for unit in units_of([Run(text, role)], style.size, 0.0):
            if len(unit.text) > 1:
                widest = max(widest, g.mm(unit.width))
    return max(style.least_column(), widest + 2 * style.pad + 0.2)


def _wanted_width(texts: list[str], header: str) -> float:
    """What the column's typical cell needs unbroken (its header may wrap onto two lines)."""
    cells = sorted(_width(t, "fangsong") for t in texts)
    typical = cells[min(len(cells) - 1, int(TYPICAL * len(cells)))] if cells else 0.0
    return max(typical, _width(header, "heiti") / 2) + 2 * PAD + 0.2


def _columns(table: Table) -> list[list[str]]:
    rows = table.rows[:SAMPLE]
    return [[r[i] for r in rows] for i in range(len(table.columns))]


def is_wide(table: Table) -> bool:
    """More than six columns, or least widths that do not fit the portrait 版心."""
    columns = _columns(table)
    least = sum(least_width(texts, header) for texts, header in zip(columns, table.columns))
    return len(table.columns) > MAX_PORTRAIT_COLUMNS or least > g.TYPE_WIDTH


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


def column_widths(table: Table, total: float = g.TYPE_WIDTH) -> list[float]:
    columns = _columns(table)
    least = [least_width(texts, header) for texts, header in zip(columns, table.columns)]
    if not table.rows:
        return shared_widths(table.widths or (1.0,) * len(table.columns), total, least)
    wanted = [max(w, m) for w, m in zip((_wanted_width(t, h) for t, h in zip(columns, table.columns)), least)]
    if sum(wanted) <= total:
        return [w + (total - sum(wanted)) * w / sum(wanted) for w in wanted]
    if sum(least) >= total:
        return [total * w / sum(least) for w in least]
    spare = total - sum(least)
    stretch = [w - m for w, m in zip(wanted, least)]
    return [m + spare * s / sum(stretch) for m, s in zip(least, stretch)]


def form_widths(form: FormTable, total: float = g.TYPE_WIDTH) -> list[float]:
    """A form's grid columns: shared by its weights, none narrower than what its one-column cells need."""
    texts: list[list[str]] = [[] for _ in form.widths]
    for row in form.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1:
                texts[column].append(cell.text)
            column += cell.span
    return shared_widths(form.widths, total, [least_width(t, style=FORM) for t in texts])

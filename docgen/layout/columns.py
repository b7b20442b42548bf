"""Table geometry for both renderers: the type size and line pitch of cells, column widths in mm from what
a table's header and cells need, and whether a table is wide enough to be turned on its page (§8).

Every column gets at least its least width (two characters, its longest unbroken word — a telephone number
is never split); a filled table's columns then share the type area so that its rows are shortest and no cell
ends in a lone character (填报单/位, 有限公/司), a header least of all. A blank table's columns are shared by
their declared weights; a form's by its weights, then traded between columns while its rows get shorter.
"""

from __future__ import annotations

import bisect
import functools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from docgen.layout import gbt9704
from docgen.content.document import FormTable, Table
from docgen.fonts.metrics import role_metrics
from docgen.layout.linebreak import LATIN_WORD, NO_LINE_START, Run, units_of
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
SAMPLE = 400  # rows whose cells the widths are shared by: enough to know a column, cheap on thousands of rows
SEARCH = 150  # rows the width search weighs
HEADER_LINES = 3
TIE_BREAK = 0.1  # what a line saved in a cell counts against a line saved in a row
ROWS_A_PAGE = 12  # about how many rows a page holds: the header is repeated that often


def _width(text: str, role: str, style: CellStyle) -> float:
    metrics = role_metrics(role)
    return gbt9704.mm(sum(metrics.advance(c) for c in text) * style.size)


@lru_cache(maxsize=None)
def _alike(role: str) -> dict[int, str]:
    """A ``str.translate`` table putting for each printable ASCII character the first that advances as far in
    ``role``: a Latin word and its translation are exactly as wide."""
    advance = role_metrics(role).advance
    first: dict[float, str] = {}
    return {ord(c): first.setdefault(advance(c), c) for c in map(chr, range(0x21, 0x7F))}  # printable ASCII


def _widest_word(texts: list[str], role: str, size: float) -> float:
    """mm: the widest Latin word in ``texts`` (each word shape measured once: the telephone numbers of
    thousands of rows are a few shapes)."""
    shapes = {word.translate(_alike(role)) for word in LATIN_WORD.findall("\n".join(texts))}
    return max((gbt9704.mm(width_pt(shape, role, size, 0.0)) for shape in shapes), default=0.0)


def least_width(texts: list[str], header: str = "", style: CellStyle = TABLE) -> float:
    widest = max(_widest_word([header], "heiti", style.size), _widest_word(texts, "fangsong", style.size))
    return max(style.least_column(), widest + 2 * style.pad + 0.2)


def _columns(table: Table) -> list[list[str]]:
    rows = table.rows[:SAMPLE]
    return [[r[i] for r in rows] for i in range(len(table.columns))]


@lru_cache(maxsize=64)
def _least_widths(table: Table, style: CellStyle) -> tuple[float, ...]:
    """Every row's words, not a sample's: the serial numbers and telephone numbers of later rows may be longer."""
    columns = zip(*table.rows) if table.rows else [()] * len(table.columns)
    return tuple(least_width(list(texts), header, style) for texts, header in zip(columns, table.columns))


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


# ---- the search for filled tables' widths ----
#
# A cell's line count as its width grows is a staircase: `_staircase` lists where each step begins (the room
# at which greedy breaking first gives that many lines) and whether the last line then holds one character
# alone (a lone character, such as 填报单/位 or 有限公/司). The search widens, a step at a time, the column
# whose next steps save the most per mm: rows (as tall as their tallest cell; a row where several columns are
# tallest is credited to each in share), lone characters, and cells' lines.

LONE = 1.2  # what a cell's lone last character costs, in row lines
LONE_HEADER = 3.0  # … and a header's (once a page): the first thing read, avoided wherever the widths allow
AUTOSPACE = 0.25  # em: the space word processors add between CJK and Latin text, kept free in the widths
LOOK = 3  # steps ahead a column's widening is weighed
CLEAR = 0.6  # mm a column's width keeps below one at which a cell would end in a lone character
FORM_INSET = 1.0  # mm a form cell's text keeps clear of its padding, so a box ☐ never meets the rule
TRADE_MM = (1.0, 2.0, 4.0, 8.0, 12.0, 16.0)  # what a form's trade moves from one column to another


def _pieces(text: str, role: str, size: float) -> tuple[tuple[float, bool], ...]:
    """The unbreakable pieces of ``text`` as (width mm, a single CJK character): a closing mark rides on the
    piece before it; a Latin word beside CJK text carries the space word processors put there."""
    out: list[list] = []
    for unit in units_of([Run(text, role)], size, 0.0):
        width = gbt9704.mm(unit.natural)
        if unit.text[0] in NO_LINE_START and out:
            out[-1][0] += width
            continue
        latin = unit.text[0].isascii() and unit.text.strip()
        if latin and (out or len(text) > len(unit.text)):
            width += gbt9704.mm(AUTOSPACE * size)
        out.append([width, len(unit.text) == 1 and not unit.text.isascii()])
    return tuple((w, lone) for w, lone in out)


def _greedy(pieces: tuple[tuple[float, bool], ...], room: float) -> tuple[int, bool, float]:
    """Lines, whether the last holds one character alone, and the least room that would change the breaks."""
    lines, used, count, grow = 1, 0.0, 0, math.inf
    for width, single in pieces:
        if count and used + width > room + 1e-9:
            grow = min(grow, used + width)
            lines, used, count = lines + 1, 0.0, 0
        used += width
        count += 1
        last_single = single
    return lines, lines > 1 and count == 1 and last_single, grow


@lru_cache(maxsize=16384)
def _staircase(text: str, role: str, size: float) -> tuple[tuple[float, int, bool], ...]:
    """(room from which, lines, lone last character) for a cell's text: rooms rising, lines falling to 1."""
    pieces = _pieces(text, role, size)
    if not pieces:
        return ((0.0, 1, False),)
    room = max(w for w, _ in pieces)
    steps = []
    while True:
        lines, lone, grow = _greedy(pieces, room)
        if not steps or (lines, lone) != steps[-1][1:]:
            steps.append((room, lines, lone))
        if lines == 1:
            return tuple(steps)
        room = grow


def _at(steps: tuple[tuple[float, int, bool], ...], room: float) -> tuple[int, bool]:
    """Lines and lone last character of a cell with ``room`` mm for its text."""
    found = steps[0]
    for step in steps:
        if step[0] > room + 1e-9:
            break
        found = step
    return found[1], found[2]


_MEASURED: dict[tuple, tuple[float, ...]] = {}  # (search, table or form, total) → its column widths


def _kept(search: Callable[[Any, float], tuple[float, ...]]) -> Callable[..., tuple[float, ...]]:
    """A column-width search run once per table or form (both renderers ask for the same one), its result
    kept where `measured` can hand it to a helper process writing the DOCX (docgen.render.forked)."""
    @functools.wraps(search)
    def widths(block: Any, total: float = gbt9704.TYPE_WIDTH) -> tuple[float, ...]:
        key = (search.__name__, block, total)
        found = _MEASURED.get(key)
        if found is None:
            if len(_MEASURED) >= 256:
                _MEASURED.clear()
            found = _MEASURED[key] = search(block, total)
        return found
    return widths


def measured() -> dict[tuple, tuple[float, ...]]:
    """The column widths searched so far in this process."""
    return dict(_MEASURED)


def remember(widths: dict[tuple, tuple[float, ...]]) -> None:
    """Column widths another process searched (`measured` there), taken as found here."""
    _MEASURED.update(widths)


@_kept
def column_widths(table: Table, total: float = gbt9704.TYPE_WIDTH) -> tuple[float, ...]:
    """Blank: shared by the declared weights. Filled: the widths that make the rows shortest — from the least
    widths (no header taller than three lines where that fits), each step widens the column whose next
    steps save the most rows, lone last characters and cell lines per mm over the measured rows (the header
    counted once a page); what no column can use is then shared by need."""
    style = table_style(table)
    columns = _columns(table)
    least = list(_least_widths(table, style))
    if not table.rows:
        return tuple(shared_widths(table.widths or (1.0,) * len(table.columns), total, least))
    if sum(least) >= total:
        return tuple(total * w / sum(least) for w in least)
    pad = 2 * style.pad + 0.2
    body = [[_staircase(t, "fangsong", style.size) for t in row] for row in list(zip(*columns))[:SEARCH]]
    rows = [*body, [_staircase(h, "heiti", style.size) for h in table.columns]]
    weight = [1.0] * len(body) + [max(1.0, len(body) / ROWS_A_PAGE)]  # the header, once a page
    lone_cost = [LONE] * len(body) + [LONE_HEADER]
    widths = list(least)
    header = [_width(h, "heiti", style) for h in table.columns]
    header_least = [max(w, h / HEADER_LINES + pad) for w, h in zip(widths, header)]
    if sum(header_least) <= total:  # no header is taller than three lines
        widths = header_least

    known: dict[tuple[int, float], list[tuple[int, bool]]] = {}

    def state(c: int, width: float) -> list[tuple[int, bool]]:
        if (c, width) not in known:
            known[c, width] = [_at(row[c], width - pad) for row in rows]
        return known[c, width]

    rises = [sorted({s[0] + pad for row in rows for s in row[c]}) for c in range(len(widths))]
    cells = [state(c, w) for c, w in enumerate(widths)]
    while True:
        counts = [sorted((cells[c][r][0] for c in range(len(widths))), reverse=True) for r in range(len(rows))]
        tallest = [n[0] for n in counts]
        ties = [n.count(n[0]) for n in counts]
        second = [n[1] if len(n) > 1 else 1 for n in counts]  # the tallest of the others, where one is tallest
        best, choice = 0.0, None
        for c in range(len(widths)):
            for width in rises[c][bisect.bisect_right(rises[c], widths[c] + 1e-6):][:LOOK]:
                if sum(widths) - widths[c] + width > total + 1e-9:
                    break
                after = state(c, width)
                saved = 0.0
                for r, ((n, lone), (m, lone2)) in enumerate(zip(cells[c], after)):
                    if n != tallest[r]:
                        rows_saved = 0.0
                    elif ties[r] == 1:
                        rows_saved = n - max(m, second[r])
                    else:  # several columns are tallest: each is credited its share
                        rows_saved = (n - m) / ties[r]
                    saved += weight[r] * (rows_saved + lone_cost[r] * (lone - lone2) + TIE_BREAK * (n - m))
                gain = saved / (width - widths[c])
                if gain > best + 1e-9:
                    best, choice = gain, (c, width, after)
        if choice is None:
            break
        c, widths[c], cells[c] = choice
    widths = _trade(widths, least, total, pad, rows, weight, lone_cost)
    needs = [max(_width(t, "fangsong", style) for t in texts) + 2 * style.pad for texts in columns]
    needs = [max(n, h + 2 * style.pad) for n, h in zip(needs, header)]  # the widest cell unbroken
    return tuple(_shared_spare(widths, needs, total, pad, rows))


def _shared_spare(widths: list[float], needs: list[float], total: float, pad: float, rows: list[list]) -> list[float]:
    """What the search left, shared by need — but a column is kept CLEAR of a width at which some cell's last
    line would hold one character alone: Word and LibreOffice measure a hair differently, and must not reach it."""
    spare = total - sum(widths)
    out = [w + spare * n / sum(needs) for w, n in zip(widths, needs)]
    held = set()
    for c in range(len(out)):
        lone = sorted(s[0] + pad for row in rows for s in row[c] if s[2])
        for width in lone:
            if width - CLEAR < out[c] < width + 1e-9 and width - CLEAR >= widths[c]:
                out[c] = width - CLEAR
                held.add(c)
    free = [c for c in range(len(out)) if c not in held]
    if held and free:
        rest = total - sum(out)
        for c in free:
            out[c] += rest * needs[c] / sum(needs[j] for j in free)
    return out


def _trade(widths: list[float], least: list[float], total: float, pad: float, rows: list[list], weight: list[float],
           lone_cost: list[float]) -> list[float]:
    """The search's widths improved by trades: one column narrowed a step and another widened by what that
    frees, while the measured rows' cost falls (the search, a step at a time, cannot see such exchanges)."""
    states: dict[tuple[int, float], list[tuple[int, bool]]] = {}

    def cost(ws: list[float]) -> float:
        cols = []
        for c, w in enumerate(ws):
            key = (c, round(w, 6))
            if key not in states:
                states[key] = [_at(row[c], w - pad) for row in rows]
            cols.append(states[key])
        out = 0.0
        for r, cells in enumerate(zip(*cols)):
            out += weight[r] * (max(n for n, _ in cells) + lone_cost[r] * sum(lone for _, lone in cells)
                                + TIE_BREAK * sum(n for n, _ in cells))
        return out

    def steps(c: int) -> list[float]:
        return sorted({max(s[0] + pad, least[c]) for row in rows for s in row[c]})

    def trades(ws: list[float]):
        for a in range(len(ws)):
            lower = [w for w in steps(a) if w < ws[a] - 1e-6]
            if not lower:
                continue
            free = ws[a] - lower[-1] + total - sum(ws)
            for b in range(len(ws)):
                wider = [w for w in steps(b) if ws[b] + 1e-6 < w <= ws[b] + free + 1e-9]
                if b != a and wider:
                    trial = list(ws)
                    trial[a], trial[b] = lower[-1], wider[-1]
                    yield trial

    return _improved(widths, cost, trades, len(widths) * 4)


@_kept
def form_widths(form: FormTable, total: float = gbt9704.TYPE_WIDTH) -> tuple[float, ...]:
    """A form's grid columns: shared by its weights, none narrower than what its one-column cells need, then
    improved by trades — a column narrowed and another widened by a few mm while the form's rows get
    shorter (a label or an address on three lines while an e-mail column stands half empty)."""
    texts: list[list[str]] = [[] for _ in form.widths]
    for row in form.rows:
        column = 0
        for cell in row.cells:
            if cell.span == 1:
                texts[column].append(cell.text)
            column += cell.span
    least = [least_width(t, style=SMALL) + 2 * FORM_INSET for t in texts]
    widths = shared_widths(form.widths, total, least)
    room = 2 * SMALL.pad + 2 * FORM_INSET
    rows = []
    for row in form.rows:
        cells, column = [], 0
        for cell in row.cells:
            cells.append((column, column + cell.span, _staircase(cell.text, "fangsong", SMALL.size),
                          _staircase(cell.foot, "fangsong", SMALL.size) if cell.foot else None))
            column += cell.span
        rows.append((row.lines, cells))

    def cost(ws: list[float]) -> float:
        out = 0.0
        for least_lines, cells in rows:
            counts = []
            for a, b, steps, foot in cells:
                lines = _at(steps, sum(ws[a:b]) - room)[0]
                feet = _at(foot, sum(ws[a:b]) - room)[0] if foot else 0
                counts.append(lines + feet)
            out += max(least_lines, *counts) + TIE_BREAK * sum(counts)
        return out

    if all(cell.label or not cell.text for row in form.rows for cell in row.cells):
        return tuple(widths)  # a blank form keeps the proportions it is printed with
    def trades(ws: list[float]):
        for a, b in ((a, b) for a in range(len(ws)) for b in range(len(ws)) if a != b):
            for k in TRADE_MM:
                if ws[a] - k < least[a] - 1e-9:
                    break
                trial = list(ws)
                trial[a] -= k
                trial[b] += k
                yield trial

    return tuple(_improved(widths, cost, trades, 100))


def _improved(widths: list[float], cost, trials, rounds: int) -> list[float]:
    """Widths improved a trade at a time: the first of ``trials(widths)`` that lowers ``cost`` is taken, and
    the trials start again from it, until none helps (or ``rounds`` trades were made)."""
    best = cost(widths)
    for _ in range(rounds):
        for trial in trials(widths):
            score = cost(trial)
            if score < best - 1e-9:
                widths, best = trial, score
                break
        else:
            break
    return widths

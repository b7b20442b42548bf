"""版头 and 主体 opening of a 公文: 份号, 密级, 紧急程度, the red organ mark, 发文字号 (with 签发人 for an
上行文), the red separator, then the title and 主送机关 as the first flow rows."""

from __future__ import annotations

from docgen.layout import gbt9704
from docgen.content.document import OfficialDocument
from docgen.layout.flow import Gap, Item, Rect, Row
from docgen.layout.linebreak import Run
from docgen.layout.paragraphs import BODY, CELL, grid_spacing, paragraph, single_line, width_pt
from docgen.layout.titles import break_title

P = gbt9704.LINE_PITCH_MM


def _row(runs: list[Run], size: float, pitch: float, *, align: str = "left", x: float = gbt9704.MARGIN_LEFT,
         measure: float = gbt9704.TYPE_WIDTH, spacing: float | None = None, color: str = "#000000",
         kind: str = "label") -> Row:
    spacing = grid_spacing(size) if spacing is None else spacing
    return Row(single_line(runs, size, spacing), x, measure, size, spacing, pitch, align, kind, color)


def mark_size(mark: str) -> float:
    """The organ mark's size (pt): as large as fits 156 mm, but no larger than MARK_MAX_SIZE."""
    fit = gbt9704.pt(gbt9704.TYPE_WIDTH) / max(width_pt(mark, "xiaobiaosong", 1.0, 0.0), 1e-6)
    return min(gbt9704.MARK_MAX_SIZE, fit)


def _signer_lines(signers: tuple[str, ...]) -> list[list[Run]]:
    """签发人：name　name — two names a line; later lines aligned under the first name."""
    pairs = [signers[i:i + 2] for i in range(0, len(signers), 2)]
    lines = []
    for n, pair in enumerate(pairs):
        label = "签发人：" if n == 0 else "　" * 4
        lines.append([Run(label, "fangsong"), Run("　".join(pair), "kaiti")])
    return lines


def header(doc: OfficialDocument) -> tuple[list[Item], float]:
    """The 版头 items on page 1 and the y (mm) where the flow starts, just under the red separator."""
    h = doc.header
    items: list[Item] = []
    for n, (text, role) in enumerate(((h.copy_number, "fangsong"), (h.secrecy, "heiti"), (h.urgency, "heiti"))):
        if text:
            items += _row([Run(text, role)], BODY, P).draw(gbt9704.MARGIN_TOP + n * P, P)

    size = mark_size(h.mark)
    size_mm = gbt9704.mm(size)
    items += _row([Run(h.mark, "xiaobiaosong")], size, size_mm, align="center", spacing=0.0,
                  color=gbt9704.RED_HEX).draw(gbt9704.MARK_TOP, size_mm)

    number_y = gbt9704.MARK_TOP + size_mm + 2 * P  # two blank lines below the mark
    if h.upward:
        signer_rows = [_row(runs, BODY, P, align="right", x=gbt9704.MARGIN_LEFT, measure=gbt9704.TYPE_WIDTH - CELL)
                       for runs in _signer_lines(h.signers)]
        # the 发文字号 shares the last 签发人 line; earlier 签发人 lines stand above it
        for n, row in enumerate(signer_rows):
            items += row.draw(number_y - (len(signer_rows) - 1 - n) * P, P)
        number = _row([Run(h.doc_number, "fangsong")], BODY, P, x=gbt9704.MARGIN_LEFT + CELL)
    else:
        number = _row([Run(h.doc_number, "fangsong")], BODY, P, align="center")
    items += number.draw(number_y, P)

    number_bottom = number_y + (P + gbt9704.mm(BODY)) / 2
    rule_y = number_bottom + gbt9704.SEPARATOR_BELOW_DOC_NUMBER
    t = gbt9704.SEPARATOR_THICKNESS
    items.append(Rect(gbt9704.MARGIN_LEFT, rule_y - t / 2, gbt9704.TYPE_WIDTH, t, gbt9704.RED_HEX))
    return items, rule_y + t / 2


def title_rows(lines: tuple[str, ...], area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Row]:
    return [_row([Run(line, "xiaobiaosong")], gbt9704.SIZE_ER, gbt9704.TITLE_PITCH_MM, align="center", x=area.left,
                 measure=area.width, spacing=0.0, kind="title") for line in lines]


def opening(doc: OfficialDocument) -> list:
    """Title (two blank lines under the separator) and 主送机关 (one blank line under the title)."""
    lines = doc.title_lines or break_title(doc.title, organ=doc.signature.organ)
    flow: list = [Gap(2 * P, kind="head"), *title_rows(lines)]
    if doc.addressees:
        flow.append(Gap(P, kind="head"))
        flow += paragraph([Run(doc.addressees + "：", "fangsong")], first_indent=0.0, kind="addressee")
    return flow

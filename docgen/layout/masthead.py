"""版头 and 主体 opening of a 公文: 份号, 密级, 紧急程度, the red organ mark, 发文字号 (with 签发人 for an
上行文), the red separator, then the title and 主送机关 as the first flow rows."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.layout import gbt9704
from docgen.content.document import OfficialDocument
from docgen.fonts.metrics import EM_BOX_ASCENT, role_metrics
from docgen.layout.flow import Gap, Item, Rect, Row, Text
from docgen.layout.linebreak import Run
from docgen.layout.paragraphs import BODY, CELL, grid_spacing, paragraph, single_line, width_pt
from docgen.layout.titles import document_title

P = gbt9704.LINE_PITCH_MM
JOINT_MARK_GAP_EM = 0.5  # between a joint mark's names and its 文件
JOINT_MARK_PITCH_EM = 1.2  # a joint mark's names, line to line


def _row(runs: list[Run], size: float, pitch: float, *, align: str = "left", x: float = gbt9704.MARGIN_LEFT,
         measure: float = gbt9704.TYPE_WIDTH, spacing: float | None = None, color: str = "#000000",
         kind: str = "label") -> Row:
    spacing = grid_spacing(size) if spacing is None else spacing
    return Row(single_line(runs, size, spacing), x, measure, size, spacing, pitch, align, kind, color)


def mark_size(mark: str) -> float:
    """The organ mark's size (pt): as large as fits 156 mm, but no larger than MARK_MAX_SIZE."""
    fit = gbt9704.pt(gbt9704.TYPE_WIDTH) / max(width_pt(mark, "xiaobiaosong", 1.0, 0.0), 1e-6)
    return min(gbt9704.MARK_MAX_SIZE, fit)


@dataclass(frozen=True)
class JointMark:
    """A joint mark's geometry (联合行文, §7.2.3): the names stacked and spread to one width, the word (文件)
    to their right, centred on them; the whole centred on the type area, its top at 72 mm."""

    size: float  # pt
    names_x: float  # mm
    names_w: float
    word_x: float
    pitch: float  # mm between the names' lines
    count: int

    @property
    def height(self) -> float:
        return (self.count - 1) * self.pitch + gbt9704.mm(self.size)

    @property
    def word_top(self) -> float:
        return gbt9704.MARK_TOP + (self.height - gbt9704.mm(self.size)) / 2


def joint_mark_geometry(names: tuple[str, ...], word: str) -> JointMark:
    """As large as fits 156 mm (at most MARK_MAX_SIZE), the word half an em right of the names."""
    names_em = max(width_pt(name, "xiaobiaosong", 1.0, 0.0) for name in names)
    total_em = names_em + (JOINT_MARK_GAP_EM + width_pt(word, "xiaobiaosong", 1.0, 0.0) if word else 0.0)
    size = min(gbt9704.MARK_MAX_SIZE, gbt9704.pt(gbt9704.TYPE_WIDTH) / total_em)
    width = gbt9704.mm(total_em * size)
    x = gbt9704.MARGIN_LEFT + (gbt9704.TYPE_WIDTH - width) / 2
    names_w = gbt9704.mm(names_em * size)
    return JointMark(size, x, names_w, x + names_w + gbt9704.mm(JOINT_MARK_GAP_EM * size),
                     JOINT_MARK_PITCH_EM * gbt9704.mm(size), len(names))


def spread(text: str, x: float, baseline: float, size: float, width: float) -> list[Item]:
    """``text`` spread to ``width`` mm from ``x`` (分散对齐): its characters placed one by one, the space
    shared out between them (the spacing is too wide to leave to a drawer's letter-spacing)."""
    advance = role_metrics("xiaobiaosong").advance
    share = (width - gbt9704.mm(width_pt(text, "xiaobiaosong", size, 0.0))) / max(len(text) - 1, 1)
    items: list[Item] = []
    for char in text:
        items.append(Text(x, baseline, (Run(char, "xiaobiaosong"),), size, 0.0, gbt9704.RED_HEX))
        x += gbt9704.mm(advance(char) * size) + share
    return items


def joint_mark(names: tuple[str, ...], word: str) -> tuple[list[Item], float]:
    """The joint mark's items and its height (mm)."""
    g = joint_mark_geometry(names, word)
    size_mm = gbt9704.mm(g.size)
    ascent = EM_BOX_ASCENT * size_mm
    items = [item for n, name in enumerate(names)
             for item in spread(name, g.names_x, gbt9704.MARK_TOP + n * g.pitch + ascent, g.size, g.names_w)]
    if word:
        items.append(Text(g.word_x, g.word_top + ascent, (Run(word, "xiaobiaosong"),), g.size, 0.0, gbt9704.RED_HEX))
    return items, g.height


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

    if h.joint:
        mark_items, mark_height = joint_mark(h.joint, h.mark)
        items += mark_items
    else:
        size = mark_size(h.mark)
        mark_height = gbt9704.mm(size)
        items += _row([Run(h.mark, "xiaobiaosong")], size, mark_height, align="center", spacing=0.0,
                      color=gbt9704.RED_HEX).draw(gbt9704.MARK_TOP, mark_height)

    number_y = gbt9704.MARK_TOP + mark_height + 2 * P  # two blank lines below the mark
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
    lines = document_title(doc)
    flow: list = [Gap(2 * P, kind="head"), *title_rows(lines)]
    if doc.addressees:
        flow.append(Gap(P, kind="head"))
        flow += paragraph([Run(doc.addressees + "：", "fangsong")], first_indent=0.0, kind="addressee")
    return flow

"""The special formats of GB/T 9704 §10 — 信函, 命令（令）, 纪要: their 版头, their openings and their
endings, beside the ordinary 文件 layout (masthead, closing) that ``compose`` uses for everything else.

- 信函 (§10.1): the organ's name in red 30 mm from the page top, a red double line (thick over thin) 4 mm
  under it and another (thin over thick) 20 mm above the page bottom, both 170 mm long; 份号/密级/紧急程度
  flush left and the 发文字号 flush right under the first line; page 1 unnumbered; a 版记 of 抄送 alone, no
  rules, at the foot of the last page.
- 命令（令） (§10.2): name + 命令 or 令, its top 20 mm below the type area's top; the 令号 centred two blank
  lines under it, the body two blank lines under the 令号; signed by the 签发人's signature stamp (签名章)
  with the 职务 to its left and the date under it (§7.3.5.4).
- 纪要 (§10.3): the ordinary 版头 (the mark at 72 mm, the 期号 in place of the 发文字号, the red rule);
  after the body, 出席/请假/列席 lists in place of a signature, no seal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from docgen.content.document import Colophon, OfficialDocument
from docgen.layout import gbt9704
from docgen.layout.closing import SignatureBlock, advance_mm, colophon_rows
from docgen.layout.flow import Drawn, Element, Gap, Item, PagePlan, Rect, Row
from docgen.layout.linebreak import Run
from docgen.layout.masthead import header as file_header, mark_size, opening as file_opening
from docgen.layout.paragraphs import BODY, CELL, GRID_SPACING, paragraph, single_line

P = gbt9704.LINE_PITCH_MM
RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
CENTRE = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH / 2

FORMAT_KEY = "DocgenFormat"  # PDF document-info key naming the format, for `docgen check`
STAMP_AREA_KEY = "DocgenStampArea"  # PDF document-info key holding a 命令's signature-stamp area

LETTER_MARK_TOP = 30.0  # 信函: the mark's top edge, mm from the page top
LETTER_RULE_LENGTH = 170.0
LETTER_RULE_BELOW_MARK = 4.0
LETTER_FOOT_RULE_BOTTOM = gbt9704.PAGE_HEIGHT - 20.0  # the second double line, 20 mm above the page bottom
DOUBLE_THICK, DOUBLE_GAP, DOUBLE_THIN = 1.0, 0.6, 0.3  # mm: a red double line (the standard leaves them free)
DOUBLE_HEIGHT = DOUBLE_THICK + DOUBLE_GAP + DOUBLE_THIN
SEVEN_EIGHTHS = 7 / 8 * gbt9704.mm(gbt9704.SIZE_SAN)  # 7/8 of a 三号 character's height: 4.94 mm
ORDER_MARK_TOP = gbt9704.MARGIN_TOP + 20.0  # 命令: 57 mm
STAMP_WIDTH, STAMP_LINES = 45.0, 2  # the signature stamp's reserved area: 45 mm × two lines


def _row(text: str, role: str, size: float = BODY, *, align: str = "left", pitch: float = P,
         color: str = "#000000", kind: str = "label") -> Row:
    spacing = GRID_SPACING if size == BODY else 0.0
    return Row(single_line([Run(text, role)], size, spacing), gbt9704.MARGIN_LEFT, gbt9704.TYPE_WIDTH, size,
               spacing, pitch, align, kind, color)


def _row_top(em_top: float, size: float = BODY) -> float:
    """The top of a row of pitch P whose text's em box has its top at ``em_top``."""
    return em_top - (P - gbt9704.mm(size)) / 2


def _mark(text: str, top: float) -> tuple[list[Item], float]:
    """The red 小标宋 mark, centred on the type area, its em box's top at ``top``; its items and bottom."""
    size = mark_size(text)
    height = gbt9704.mm(size)
    row = Row(single_line([Run(text, "xiaobiaosong")], size, 0.0), gbt9704.MARGIN_LEFT, gbt9704.TYPE_WIDTH, size, 0.0,
              height, "center", "label", gbt9704.RED_HEX)
    return row.draw(top, height), top + height


def double_line(top: float, thick_first: bool) -> list[Rect]:
    """A red double line 170 mm long, centred on the type area, its top edge at ``top``."""
    x = CENTRE - LETTER_RULE_LENGTH / 2
    first, second = (DOUBLE_THICK, DOUBLE_THIN) if thick_first else (DOUBLE_THIN, DOUBLE_THICK)
    return [Rect(x, top, LETTER_RULE_LENGTH, first, gbt9704.RED_HEX),
            Rect(x, top + first + DOUBLE_GAP, LETTER_RULE_LENGTH, second, gbt9704.RED_HEX)]



def letter_header(doc: OfficialDocument) -> tuple[list[Item], float]:
    """信函 page 1: mark, both double lines (and the line above the second, if any), 份号/密级/紧急程度 left
    and 发文字号 right; the y of the last element's row bottom, where the flow starts."""
    h = doc.header
    items, mark_bottom = _mark(h.mark, LETTER_MARK_TOP)
    rule_top = mark_bottom + LETTER_RULE_BELOW_MARK
    items += double_line(rule_top, thick_first=True)
    items += double_line(LETTER_FOOT_RULE_BOTTOM - DOUBLE_HEIGHT, thick_first=False)
    first = _row_top(rule_top + DOUBLE_HEIGHT + SEVEN_EIGHTHS)
    elements = [(text, role) for text, role in ((h.copy_number, "fangsong"), (h.secrecy, "heiti"), (h.urgency, "heiti"))
                if text]
    for n, (text, role) in enumerate(elements):
        items += _row(text, role).draw(first + n * P, P)
    if h.letter_footer:  # its em box 7/8 of a 三号 height above the second double line
        foot_top = LETTER_FOOT_RULE_BOTTOM - DOUBLE_HEIGHT - SEVEN_EIGHTHS - gbt9704.mm(BODY)
        row = _row(h.letter_footer, "fangsong", align="center")
        row.x, row.measure = CENTRE - LETTER_RULE_LENGTH / 2, LETTER_RULE_LENGTH  # as wide as the double line
        items += row.draw(_row_top(foot_top), P)
    number_top = first + 2 * P if elements else first  # one blank line under the first element
    items += _row(h.doc_number, "fangsong", align="right").draw(number_top, P)
    return items, max(number_top, first + (len(elements) - 1) * P) + P


def order_header(doc: OfficialDocument) -> tuple[list[Item], float]:
    """命令 page 1: 份号/密级/紧急程度 (two at most) on the type area's first lines, the mark 57 mm from the
    page top and the 令号 centred two blank lines under it."""
    h = doc.header
    items: list[Item] = []
    elements = [(text, role) for text, role in ((h.copy_number, "fangsong"), (h.secrecy, "heiti"), (h.urgency, "heiti"))
                if text]
    for n, (text, role) in enumerate(elements):
        items += _row(text, role).draw(gbt9704.MARGIN_TOP + n * P, P)
    mark_items, mark_bottom = _mark(h.mark, ORDER_MARK_TOP)
    items += mark_items
    number_top = mark_bottom + 2 * P
    items += _row(h.doc_number, "fangsong", align="center").draw(number_top, P)
    return items, number_top + P


def header(doc: OfficialDocument) -> tuple[list[Item], float]:
    """The 版头 of the document's format and the y (mm) where its flow starts."""
    fmt = doc.header.format
    if fmt == "信函":
        return letter_header(doc)
    if fmt == "命令":
        return order_header(doc)
    return file_header(doc)  # 文件, and 纪要 (its 期号 where the 发文字号 stands)


def _grid_gap(y: float, blank: float) -> Gap:
    """``blank`` mm of space under ``y``, resized (by less than a line) so what follows sits on the grid."""
    top = gbt9704.MARGIN_TOP
    target = top + round((y + blank - top) / P) * P
    return Gap(target - y if target > y + 1e-6 else target + P - y, "head")


def opening(doc: OfficialDocument, flow_top: float) -> list[Element]:
    """The flow's opening: a 命令 has no title, its body (and 主送, if any) two blank lines under the 令号;
    the others open as a 文件 does (title two lines under the last 版头 element, then 主送)."""
    if doc.header.format != "命令":
        return file_opening(doc)
    flow: list[Element] = [_grid_gap(flow_top, 2 * P)]
    if doc.addressees:
        flow += paragraph([Run(doc.addressees + "：", "fangsong")], first_indent=0.0, kind="addressee")
    return flow


# ---- 纪要: attendance ----

def attendance_rows(doc: OfficialDocument) -> list[Element]:
    """纪要: one blank line under the body (or 附件说明), then each list on a new line, indented 2 字:
    "出席：" in 三号黑体, the units and names in 三号仿宋, continuation lines under the first name."""
    if not doc.attendance:
        return []
    flow: list[Element] = [Gap(P)]
    for entry in doc.attendance:
        label = entry.label + "："
        runs = [Run(label, "heiti"), Run("、".join(entry.names), "fangsong")]
        flow += paragraph(runs, first_indent=2 * CELL, rest_indent=2 * CELL + advance_mm(label, "heiti"),
                          kind="attendance")
    return flow


# ---- 命令: the signature stamp ----

@dataclass
class StampArea:
    """Where the 签发人's signature stamp (签名章) goes on a 命令, reserved like a seal area (mm)."""

    page: int
    x: float  # centre
    y: float  # centre
    width: float
    height: float
    signer: str

    def as_dict(self) -> dict:
        return {"page": self.page, "x": round(self.x, 2), "y": round(self.y, 2), "width": self.width,
                "height": round(self.height, 2), "signer": self.signer}


class SignerStamp(Drawn):
    """命令's 落款 (§7.3.5.4): two blank lines under the body the stamp's area, right-indented 4 字; the
    签发人's 职务 2 字 left of it, centred on it vertically; the date one blank line under it, right-indented
    4 字."""

    def __init__(self, title: str, name: str, date: str):
        self.name = name
        self.stamp_top = 2 * P
        self.stamp_height = STAMP_LINES * P
        self.stamp_right = RIGHT - 4 * CELL
        self.title = Row(single_line([Run(title, "fangsong")], BODY, GRID_SPACING), gbt9704.MARGIN_LEFT,
                         self.stamp_right - STAMP_WIDTH - 2 * CELL - gbt9704.MARGIN_LEFT, BODY, GRID_SPACING, P,
                         "right", "sign")
        self.date_top = self.stamp_top + self.stamp_height + P
        self.date = Row(single_line([Run(date, "fangsong")], BODY, GRID_SPACING), gbt9704.MARGIN_LEFT,
                        self.stamp_right - gbt9704.MARGIN_LEFT, BODY, GRID_SPACING, P, "right", "sign")
        super().__init__(self.date_top + P, self._paint, kind="signature")

    def _paint(self, y: float) -> list[Item]:
        title_top = y + self.stamp_top + (self.stamp_height - P) / 2
        return self.title.draw(title_top, P) + self.date.draw(y + self.date_top, P)

    def area(self, page: int, y: float) -> StampArea:
        return StampArea(page, self.stamp_right - STAMP_WIDTH / 2, y + self.stamp_top + self.stamp_height / 2,
                         STAMP_WIDTH, self.stamp_height, self.name)


def signature_block(doc: OfficialDocument) -> Drawn | None:
    """The 落款 of the document's format: a 文件's or 信函's signature, a 命令's stamp, a 纪要's none."""
    fmt = doc.header.format
    if fmt == "纪要":
        return None
    if fmt == "命令":
        s = doc.signature
        return SignerStamp(s.signer_title, s.signer_name, s.date)
    return SignatureBlock(doc.signature)


# ---- 信函: page 1 unnumbered, the 版记 of 抄送 alone ----

def letter_pages(pages: list[PagePlan], colophon: Colophon | None) -> None:
    """信函: page 1 carries no page number; the 版记 (抄送 only, no rules, no 印发 row) stands at the foot of
    the last page's type area, or of a page of its own when it does not fit under the text."""
    pages[0].numbered = False
    if colophon is None or not colophon.cc:
        return
    rows = colophon_rows(colophon)[0]
    height = len(rows) * P
    last = pages[-1]
    if last.area.landscape or last.bottom() + P / 2 + height > gbt9704.TYPE_BOTTOM + 1e-6:
        last = PagePlan(gbt9704.MARGIN_TOP)
        pages.append(last)
    y = gbt9704.TYPE_BOTTOM - height
    for row in rows:
        last.fixed += row.draw(y, P)
        y += P


def document_info(doc: OfficialDocument, stamp: StampArea | None) -> dict[str, str]:
    """What a special format records in the PDF's document info: the format, a 命令's stamp area."""
    if doc.header.format == "文件":
        return {}
    info = {FORMAT_KEY: doc.header.format}
    if stamp is not None:
        info[STAMP_AREA_KEY] = json.dumps(stamp.as_dict(), ensure_ascii=False)
    return info

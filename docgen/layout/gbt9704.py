"""The numbers of GB/T 9704-2012 that both renderers and the checker use (one place, in mm and pt).

Coordinates are mm from the top-left corner of an A4 portrait page.
"""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_PT = 25.4 / 72

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARGIN_TOP = 37.0  # 天头
MARGIN_LEFT = 28.0  # 订口
TYPE_WIDTH = 156.0  # 版心
TYPE_HEIGHT = 225.0
MARGIN_RIGHT = PAGE_WIDTH - MARGIN_LEFT - TYPE_WIDTH  # 26
MARGIN_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TYPE_HEIGHT  # 35
TYPE_BOTTOM = MARGIN_TOP + TYPE_HEIGHT  # 262

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_MM = TYPE_HEIGHT / LINES_PER_PAGE  # 10.227 mm ≈ 28.99 pt
CHAR_PITCH_MM = TYPE_WIDTH / CHARS_PER_LINE  # 5.571 mm = 15.79 pt

SIZE_ER = 22.0  # 二号, titles
SIZE_SAN = 16.0  # 三号, body
SIZE_SI = 14.0  # 四号, 版记 and page numbers

MARK_TOP = 72.0  # 发文机关标志 top edge: 35 mm below the type-area top
SEPARATOR_BELOW_DOC_NUMBER = 4.0  # red 版头 rule, 4 mm under the 发文字号
PAGE_NUMBER_DASH_Y = TYPE_BOTTOM + 7.0  # 一字线 7 mm below the type area
SEAL_DIAMETER = 42.0
COLOPHON_THICK_RULE = 0.35
COLOPHON_THIN_RULE = 0.25

RED = (230, 0, 18)  # #E60012, the red of organ marks and the 版头 rule
RED_HEX = "#E60012"


@dataclass(frozen=True)
class TypeArea:
    """The 版心 a page's flow fills, in the coordinates (mm from the top-left) its items are drawn in."""

    left: float
    top: float
    width: float
    height: float
    landscape: bool = False

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


PORTRAIT = TypeArea(MARGIN_LEFT, MARGIN_TOP, TYPE_WIDTH, TYPE_HEIGHT)
# §8: a wide table is turned on the portrait page, its head toward the left edge (the binding edge of an
# odd page, the outer edge of an even one). Its items are drawn on a 297 × 210 mm landscape frame whose
# point (X, Y) lands on the portrait page at (Y, 297 − X): the same 版心, 225 mm across and 156 mm down.
LANDSCAPE = TypeArea(PAGE_HEIGHT - TYPE_BOTTOM, MARGIN_LEFT, TYPE_HEIGHT, TYPE_WIDTH, landscape=True)


def pt(mm: float) -> float:
    return mm / MM_PER_PT


def mm(points: float) -> float:
    return points * MM_PER_PT

# Composition choices within the standard's freedom (used by both renderers)
TITLE_PITCH_MM = 11.64  # 二号 title lines: 1.5 × 22 pt
SEPARATOR_THICKNESS = 0.8  # the red 版头 rule (the standard leaves its weight free)
MARK_MAX_SIZE = 42.0  # pt; a short organ name's mark is not set larger than this
TABLE_TEXT_SIZE = 14.0  # 四号 in tables
TABLE_LINE_PITCH_MM = 7.4  # 21 pt
TABLE_CELL_PADDING_MM = 1.5
TABLE_RULE = 0.25  # mm: table and frame lines
BLANK_FORM_ROWS = 5  # empty rows under a table that has none, for filling in by hand
FIGURE_WIDTH = 110.0  # mm: plaque art and figures
MIN_TIGHTENED_PITCH = 0.85  # §7.3.5.5: body lines may be tightened to this share of the pitch

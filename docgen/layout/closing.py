"""The end of a 公文: 附件说明, the signature (unsealed, or stamped-ready with its seal area), 附注,
the 版记 at the foot of the last even page, and page numbers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from docgen.layout import gbt9704
from docgen.content.document import Attachment, Colophon, Signature
from docgen.fonts.report import resolve
from docgen.fonts.roles import SONGTI
from docgen.layout.flow import Drawn, Element, Gap, Item, PagePlan, Rect, Row, Text
from docgen.layout.linebreak import Run
from docgen.fonts.metrics import role_metrics
from docgen.layout.paragraphs import BODY, CELL, GRID_SPACING, paragraph, single_line
from docgen.layout.signature import signature_geometry

P = gbt9704.LINE_PITCH_MM
RIGHT = gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH
SEAL_TOP_BELOW_TEXT = 0.3 * P  # the seal's top, below the last line of text: within one line (§7.3.5.1)


def advance_mm(text: str, role: str = "fangsong", size: float = BODY, spacing: float = GRID_SPACING) -> float:
    """How far ``text`` moves the pen, letter-spacing after every glyph included."""
    return gbt9704.mm(sum(role_metrics(role).advance(c) * size + spacing for c in text))


def annex_list(attachments: tuple[Attachment, ...]) -> list[Element]:
    """附件说明: "附件：1.名称", further items aligned under "1.", wrapped names under the name's start."""
    if not attachments:
        return []
    label = "附件："
    label_w = advance_mm(label)
    flow: list[Element] = [Gap(P)]
    for n, attachment in enumerate(attachments, 1):
        prefix = f"{n}." if len(attachments) > 1 else ""
        lead = (label if n == 1 else "") + prefix
        first = 2 * CELL + (0.0 if n == 1 else label_w)
        rest = 2 * CELL + label_w + advance_mm(prefix)
        flow += paragraph([Run(lead + attachment.title, "fangsong")], first_indent=first, rest_indent=rest,
                          kind="annex-list")
    return flow


SEAL_AREA_KEY = "DocgenSealArea"  # PDF document-info key holding the seal area, for `docgen check` and signing


@dataclass
class SealArea:
    """Where the seal goes (a circle, mm): reserved on the stamped-ready PDF for the seal or a digital one."""

    page: int
    x: float  # centre
    y: float  # centre
    diameter: float = gbt9704.SEAL_DIAMETER

    @property
    def top(self) -> float:
        return self.y - self.diameter / 2

    def as_dict(self) -> dict:
        return {"page": self.page, "x": round(self.x, 2), "y": round(self.y, 2), "diameter": self.diameter}


def _line_row(text: str, x: float) -> Row:
    line = single_line([Run(text, "fangsong")], BODY, GRID_SPACING)
    return Row(line, x, gbt9704.TYPE_WIDTH, BODY, GRID_SPACING, P, kind="sign")


class SignatureBlock(Drawn):
    """署名 and 成文日期, laid out for an unsealed or a sealed (stamped-ready) document."""

    def __init__(self, signature: Signature):
        self.signature = signature
        geometry = signature_geometry(signature)
        if signature.sealed:
            # the seal presses on both, with them a little below its centre, and its top within one
            # line of the text above
            self.organ_y, self.date_y = 2 * P, 3 * P
            height = max(4 * P, SEAL_TOP_BELOW_TEXT + gbt9704.SEAL_DIAMETER)
        else:
            self.organ_y, self.date_y = P, 2 * P  # one blank line
            height = 3 * P
        self.organ_row = _line_row(signature.organ, geometry.organ_x)
        self.date_row = _line_row(signature.date, geometry.date_x)
        self.centre_x = geometry.centre
        super().__init__(height, self._paint, kind="signature")

    def _paint(self, y: float) -> list[Item]:
        return self.organ_row.draw(y + self.organ_y, P) + self.date_row.draw(y + self.date_y, P)

    def seal_area(self, page: int, y: float) -> SealArea:
        return SealArea(page, self.centre_x, y + SEAL_TOP_BELOW_TEXT + gbt9704.SEAL_DIAMETER / 2)


def note_rows(note: str) -> list[Element]:
    """附注: on the line after the date, indented 2 字, in full-width brackets."""
    if not note:
        return []
    text = note if note.startswith("（") else f"（{note}）"
    return list(paragraph([Run(text, "fangsong")], kind="note"))


# ---- 版记 ----

def colophon_rows(colophon: Colophon) -> list[list[Row]]:
    """The 版记's rows: the 抄送 lines (when there are any), then the 印发 row."""
    size = gbt9704.SIZE_SI
    rows: list[list[Row]] = []
    if colophon.cc:
        label = "抄送："
        label_w = advance_mm(label, size=size, spacing=0.0)
        text = label + "，".join(colophon.cc) + "。"
        rows.append(paragraph([Run(text, "fangsong")], x=gbt9704.MARGIN_LEFT + CELL, measure=gbt9704.TYPE_WIDTH - 2 * CELL,
                              size=size, first_indent=0.0, rest_indent=label_w, kind="colophon"))
    printer = single_line([Run(colophon.printer, "fangsong")], size, 0.0)
    date = single_line([Run(colophon.print_date + "印发", "fangsong")], size, 0.0)
    rows.append([Row(printer, gbt9704.MARGIN_LEFT + CELL, gbt9704.TYPE_WIDTH - 2 * CELL, size, 0.0, P, kind="colophon"),
                 Row(date, gbt9704.MARGIN_LEFT + CELL, gbt9704.TYPE_WIDTH - 2 * CELL, size, 0.0, P, align="right",
                     kind="colophon")])
    return rows


def colophon_items(colophon: Colophon, bottom: float = gbt9704.TYPE_BOTTOM) -> tuple[list[Item], float]:
    """The 版记 whose last rule lies on ``bottom``; returns its items and its height (mm)."""
    rows = colophon_rows(colophon)
    height = P * (len(rows[0]) if colophon.cc else 0) + P
    top = bottom - height
    items: list[Item] = []
    thick, thin = gbt9704.COLOPHON_THICK_RULE, gbt9704.COLOPHON_THIN_RULE
    items.append(Rect(gbt9704.MARGIN_LEFT, top - thick / 2, gbt9704.TYPE_WIDTH, thick))
    y = top
    if colophon.cc:
        for row in rows[0]:
            items += row.draw(y, P)
            y += P
        items.append(Rect(gbt9704.MARGIN_LEFT, y - thin / 2, gbt9704.TYPE_WIDTH, thin))
    for row in rows[-1]:
        items += row.draw(y, P)
    items.append(Rect(gbt9704.MARGIN_LEFT, bottom - thick / 2, gbt9704.TYPE_WIDTH, thick))
    return items, height


def place_colophon(pages: list[PagePlan], colophon: Colophon) -> None:
    """The 版记 goes at the foot of the last page, which must be even (printed on both sides).

    A 版记 that fits under the last page's text there stays; after an odd last page it takes the next
    (even) page; after a full even page a blank page comes first, and neither of those two pages is
    numbered (§7.5).
    """
    items, height = colophon_items(colophon)
    last = pages[-1]
    fits = not last.area.landscape and last.bottom() + P / 2 + height <= gbt9704.TYPE_BOTTOM + 1e-6
    if len(pages) % 2 == 0 and fits:
        last.fixed += items
        return
    if len(pages) % 2 == 0:
        pages.append(PagePlan(gbt9704.MARGIN_TOP, numbered=False))
        pages.append(PagePlan(gbt9704.MARGIN_TOP, fixed=items, numbered=False))
    else:
        pages.append(PagePlan(gbt9704.MARGIN_TOP, fixed=items))


# ---- 页码 ----

@lru_cache(maxsize=1)
def _dash_centre() -> float:
    """Height (em) of the middle of the 一字线 (U+2014) stroke above the baseline, in the 宋体 font."""
    font = resolve(SONGTI)
    tt = TTFont(font.file, lazy=True, fontNumber=font.index)
    glyph = tt.getBestCmap()[0x2014]
    pen = BoundsPen(tt.getGlyphSet())
    tt.getGlyphSet()[glyph].draw(pen)
    _, y_min, _, y_max = pen.bounds
    return (y_min + y_max) / 2 / tt["head"].unitsPerEm


def page_number(number: int) -> Text:
    """`— N —`, 四号 宋体: the dash 7 mm below the type area; odd pages right, even pages left, 1 字 in."""
    text = f"— {number} —"
    size = gbt9704.SIZE_SI
    width = advance_mm(text, "songti", size, 0.0)
    x = RIGHT - CELL - width if number % 2 else gbt9704.MARGIN_LEFT + CELL
    baseline = gbt9704.PAGE_NUMBER_DASH_Y + _dash_centre() * gbt9704.mm(size)
    return Text(x, baseline, (Run(text, "songti"),), size, 0.0)

"""The end of a 公文: 附件说明, the signature (unsealed, or stamped-ready with its seal area), 附注,
the 版记 at the foot of the last even page, and page numbers."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

from docgen.layout import gbt9704
from docgen.content.document import Attachment, Colophon, Signature
from docgen.fonts.faces import hb_font
from docgen.fonts.report import resolve
from docgen.fonts.roles import SONGTI
from docgen.layout.flow import Drawn, Element, Gap, Item, PagePlan, Rect, Row, Text
from docgen.layout.linebreak import Run
from docgen.fonts.metrics import role_metrics
from docgen.layout.paragraphs import BODY, CELL, GRID_SPACING, paragraph, single_line
from docgen.layout.signature import SEAL_ROW_LINES, joint_geometry, signature_geometry

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
                          kind="annex-list", lone=False)
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
    """署名 and 成文日期, laid out for an unsealed or a sealed (stamped-ready) document, of one organ or of
    several issuing jointly (联合行文)."""

    def __init__(self, signature: Signature):
        self.signature = signature
        self.seals: list[tuple[float, float]] = []  # (centre x, top below the block's top), mm, in organ order
        if signature.organs:
            joint = joint_geometry(signature)
            self.rows = [(name.line * P, _line_row(name.text, name.x)) for name in joint.names]
            self.rows.append((joint.date_line * P, _line_row(signature.date, joint.date_x)))
            self.seals = [(x, SEAL_TOP_BELOW_TEXT + row * SEAL_ROW_LINES * P)
                          for x, row in zip(joint.seal_x, joint.seal_rows)]
        else:
            geometry = signature_geometry(signature)
            # sealed: the seal presses on both, with them a little below its centre, and its top within one
            # line of the text above; unsealed: one blank line above the 署名
            organ_y = 2 * P if signature.sealed else P
            self.rows = [(organ_y, _line_row(signature.organ, geometry.organ_x)),
                         (organ_y + P, _line_row(signature.date, geometry.date_x))]
            if signature.sealed:
                self.seals = [(geometry.centre, SEAL_TOP_BELOW_TEXT)]
        height = self.rows[-1][0] + P
        if self.seals:
            height = max(height, self.seals[-1][1] + gbt9704.SEAL_DIAMETER)
        super().__init__(height, self._paint, kind="signature")

    def _paint(self, y: float) -> list[Item]:
        return [item for offset, row in self.rows for item in row.draw(y + offset, P)]

    def seal_areas(self, page: int, y: float) -> list[SealArea]:
        """The seal areas of the block placed at ``y`` on ``page``: one per organ, the last pressing the date."""
        return [SealArea(page, x, y + top + gbt9704.SEAL_DIAMETER / 2) for x, top in self.seals]


def seal_area_record(seals: list[SealArea]) -> str:
    """The value of the PDF's ``DocgenSealArea``: one seal area as an object (as ever), a joint document's
    seal areas as a list of them in organ order."""
    return json.dumps(seals[0].as_dict() if len(seals) == 1 else [seal.as_dict() for seal in seals])


def _to_grid_line(height: float) -> float:
    """mm from the bottom of a block ``height`` mm high, started on a grid line, down to the next grid line."""
    return math.ceil(height / P - 1e-6) * P - height


def note_lines(note: tuple[str, ...]) -> tuple[str, ...]:
    """附注's lines as printed: the whole 附注 in one pair of full-width brackets (§7.3.6), unless its author
    bracketed it already."""
    if not note or (note[0].startswith("（") and note[-1].endswith("）")):
        return note
    return ("（" + note[0], *note[1:-1], note[-1] + "）") if len(note) > 1 else (f"（{note[0]}）",)


def note_rows(note: tuple[str, ...], signature: Drawn | None = None) -> list[Element]:
    """附注: on the line after the date — under a sealed signature, whose block ends at the seal's bottom, on
    the first grid line clear of the seal area; each of its lines (联系人, 电话, 电子邮箱 …) starts a line of
    its own, indented 2 字, and wraps flush left like body text."""
    rows: list[Element] = []
    clearance = _to_grid_line(signature.height()) if note and signature is not None else 0.0
    if clearance > 1e-6:
        rows.append(Gap(clearance))
    for line in note_lines(note):
        rows += paragraph([Run(line, "fangsong")], kind="note")
    return rows


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
    hb = hb_font(font.file, font.index)
    ink = hb.get_glyph_extents(hb.get_nominal_glyph(0x2014))  # y_bearing: the top; height: negative, down
    return (ink.y_bearing + ink.height / 2) / hb.face.upem


def page_number(number: int) -> Text:
    """`— N —`, 四号 宋体: the dash 7 mm below the type area; odd pages right, even pages left, 1 字 in."""
    text = f"— {number} —"
    size = gbt9704.SIZE_SI
    width = advance_mm(text, "songti", size, 0.0)
    x = RIGHT - CELL - width if number % 2 else gbt9704.MARGIN_LEFT + CELL
    baseline = gbt9704.PAGE_NUMBER_DASH_Y + _dash_centre() * gbt9704.mm(size)
    return Text(x, baseline, (Run(text, "songti"),), size, 0.0)

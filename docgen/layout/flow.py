"""The page model of the PDF composer: flow elements, positioned items, and the paginator.

Lines are broken by the composer (see linebreak), so every element has a known height and the composer
paginates by itself: the GB/T 9704 rules that depend on where things fall (版记 at the foot of an even
last page, the signature never alone on a page, seal area position) are decided here, exactly, in one
pass, and WeasyPrint only draws the positioned items.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from docgen.layout import gbt9704
from docgen.layout.linebreak import Line, Run
from docgen.fonts.metrics import EM_BOX_ASCENT
from docgen.records.plaque import Plaque

BLACK = "#000000"
LINE_PITCH = gbt9704.LINE_PITCH_MM


# ---- positioned items (mm from the page's top-left) ----
#
# Text and Rect are made by the hundred thousand (a table's cells and rules): plain dataclasses, three times
# quicker to make than frozen ones.

@dataclass
class Text:
    x: float
    baseline: float
    runs: tuple[Run, ...]
    size: float  # pt
    spacing: float  # letter-spacing, pt
    color: str = BLACK


@dataclass
class Rect:
    """A filled rectangle: rules and lines."""

    x: float
    y: float
    w: float
    h: float
    color: str = BLACK


@dataclass(frozen=True)
class Frame:
    """A stroked rectangle."""

    x: float
    y: float
    w: float
    h: float
    stroke: float
    color: str = BLACK


@dataclass(frozen=True)
class Picture:
    x: float
    y: float
    w: float
    h: float
    src: str  # a data: URI
    opacity: float = 1.0


@dataclass(frozen=True)
class PlaqueArt:
    """Annex 7's art of one station plaque, placed in its box: each drawer draws the plaque itself (the PDF
    core as vector art, the reference drawer as SVG), framed by a thin grey edge."""

    x: float
    y: float
    w: float
    h: float
    plaque: Plaque


Item = Text | Rect | Frame | Picture | PlaqueArt


def merged_rules(rects: list[Rect]) -> list[list]:
    """Rules drawn once, as [x, y, w, h, color]: duplicates dropped, a table's column lines joined from row
    to row (tuples: far cheaper to hash and sort than the dataclasses)."""
    out: list[list] = []
    for x, y, w, h, color in sorted({(r.x, r.y, r.w, r.h, r.color) for r in rects},
                                    key=lambda r: (r[3] <= r[2], r[0], r[1], r[2], r[3], r[4])):
        if out:
            last = out[-1]
            if (h > w and last[3] > last[2] and last[0] == x and last[2] == w and last[4] == color
                    and abs(last[1] + last[3] - y) < 1e-6):
                last[3] += h
                continue
        out.append([x, y, w, h, color])
    return out


# ---- flow elements ----

@dataclass
class Row:
    """One line of text in the flow, in a cell ``pitch`` mm high with its em box centred."""

    line: Line
    x: float  # left edge of the measure, mm
    measure: float  # mm
    size: float  # pt
    spacing: float  # pt
    pitch: float  # mm
    align: str = "left"
    kind: str = "body"  # body | heading | addressee | annex-list | title | label | caption | …
    color: str = BLACK
    keep_with_next: bool = False

    def height(self) -> float:
        return self.pitch

    def draw(self, y: float, height: float) -> list[Item]:
        width = gbt9704.mm(self.line.width(self.spacing))
        if self.align == "center":
            x = self.x + (self.measure - width) / 2
        elif self.align == "right":
            x = self.x + self.measure - width
        else:
            x = self.x + gbt9704.mm(self.line.indent)
        size_mm = gbt9704.mm(self.size)
        baseline = y + (height - size_mm) / 2 + EM_BOX_ASCENT * size_mm
        return [Text(x, baseline, tuple(self.line.runs), self.size, self.spacing, self.color)]


@dataclass
class Gap:
    """Blank lines; dropped at the top of a page."""

    size: float  # mm
    kind: str = "body"  # "head": the spaces of the 版头 and title, never tightened

    def height(self) -> float:
        return self.size

    def draw(self, y: float, height: float) -> list[Item]:
        return []


@dataclass
class Drawn:
    """A drawn element of fixed height (a table row, a figure, the signature block)."""

    size: float
    paint: Callable[[float], list[Item]]
    kind: str = "block"
    repeat_before: "Drawn | None" = None  # a table's header row, repeated on a new page
    keep_with_next: bool = False

    def height(self) -> float:
        return self.size

    def draw(self, y: float, height: float) -> list[Item]:
        return self.paint(y)


@dataclass
class PageBreak:
    """The next element starts a new page: on ``area`` (landscape for a §8 wide table), or on the same
    kind of page as the last one."""

    area: gbt9704.TypeArea | None = None


Element = Row | Gap | Drawn | PageBreak
BODY_KINDS = ("body", "heading", "annex-list", "addressee")


def joined(flow: list[Element], more: list[Element]) -> list[Element]:
    """``flow`` then ``more``; where blank space ends one and starts the other, the larger of the two stands
    (one blank line between a table and the 附件说明, not a line and a half)."""
    if flow and more and isinstance(flow[-1], Gap) and isinstance(more[0], Gap):
        return [*flow[:-1], max(flow[-1], more[0], key=Gap.height), *more[1:]]
    return [*flow, *more]


def on_grid(flow: list[Element], top: float, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[Element]:
    """``flow`` (placed from ``top``) with the blank line under its title widened so that what follows sits on
    the type area's 22-line grid, as on every later page (title lines have a pitch of their own): the next
    grid line at least the blank line's size below the title."""
    y, last_title = top, None
    for n, element in enumerate(flow):
        y += element.height()
        if isinstance(element, Row) and element.kind == "title":
            last_title, title_bottom = n, y
    if last_title is None:
        return flow
    after = flow[last_title + 1] if last_title + 1 < len(flow) else None
    size = after.size if isinstance(after, Gap) else 0.0
    target = area.top + math.ceil((title_bottom + size - area.top) / LINE_PITCH - 1e-6) * LINE_PITCH
    gap = Gap(target - title_bottom, after.kind if isinstance(after, Gap) else "head")
    rest = flow[last_title + 2:] if isinstance(after, Gap) else flow[last_title + 1:]
    return [*flow[:last_title + 1], gap, *rest]


def compressible(element: Element) -> bool:
    """Body lines and the blank lines among them may be tightened (§7.3.5.5); the 版头 and title may not."""
    return isinstance(element, (Row, Gap)) and element.kind in BODY_KINDS


@dataclass
class PagePlan:
    top: float  # where the flow starts, mm
    fixed: list[Item] = field(default_factory=list)  # items placed outside the flow (版头, 版记, seal)
    placed: list[Element] = field(default_factory=list)
    scale: float = 1.0  # < 1 when body lines were tightened to keep the signature with them
    numbered: bool = True
    area: gbt9704.TypeArea = gbt9704.PORTRAIT

    def step(self, element: Element) -> float:
        return element.height() * (self.scale if compressible(element) else 1.0)

    def bottom(self) -> float:
        return self.top + sum(self.step(e) for e in self.placed)

    def compressible(self) -> float:
        return sum(e.height() for e in self.placed if compressible(e))

    def has_body_text(self) -> bool:
        """Body lines (the 主送 alone is not body) or a table's rows: what the signature may stand under."""
        return any(isinstance(e, Row) and e.kind in BODY_KINDS and e.kind != "addressee"
                   or isinstance(e, Drawn) and e.kind == "table" for e in self.placed)

    def items(self) -> list[Item]:
        out = list(self.fixed)
        y = self.top
        for element in self.placed:
            step = self.step(element)
            out += element.draw(y, step)
            y += step
        return out


class Paginator:
    """Places flow elements on pages of the type area (portrait: y from 37 to 262 mm)."""

    def __init__(self, first_top: float, area: gbt9704.TypeArea = gbt9704.PORTRAIT):
        self.pages = [PagePlan(first_top, area=area)]

    @property
    def page(self) -> PagePlan:
        return self.pages[-1]

    def new_page(self, area: gbt9704.TypeArea | None = None) -> PagePlan:
        area = area or self.page.area
        self.pages.append(PagePlan(area.top, area=area))
        return self.page

    def room(self) -> float:
        return self.page.area.bottom - self.page.bottom()

    def add(self, element: Element) -> None:
        if isinstance(element, PageBreak):
            self.new_page(element.area)
            return
        if isinstance(element, Gap) and not self.page.placed and self.page.top == self.page.area.top:
            return
        if element.height() > self.room() + 1e-6:
            if isinstance(element, Gap):
                self.new_page()
                return
            self.new_page()
            if isinstance(element, Drawn) and element.repeat_before is not None:
                self.page.placed.append(element.repeat_before)
        self.page.placed.append(element)

    def add_all(self, elements: list[Element]) -> None:
        """Add in order; a run of keep_with_next elements starts a new page rather than end one (a run longer
        than a page, such as hundreds of headings in a row, cannot be kept together: it just flows on)."""
        for n, element in enumerate(elements):
            if getattr(element, "keep_with_next", False) and self.page.placed:
                chain = element.height()
                for following in elements[n + 1:]:
                    if isinstance(following, (PageBreak, Gap)):
                        break
                    chain += following.height()
                    if not getattr(following, "keep_with_next", False):
                        break
                if self.room() + 1e-6 < chain <= self.page.area.height + 1e-6:
                    self.new_page()
            self.add(element)

    def keep_with_body(self, block: Drawn, carry: int = 2) -> None:
        """Place ``block`` (the signature) on a page that also holds body text (or a table's rows).

        If it does not fit after the body, first tighten the body lines of the page (§7.3.5.5, down to
        MIN_TIGHTENED_PITCH of their pitch); failing that, carry the last ``carry`` body lines over with it —
        or a table's last row, under its repeated header — never leaving the page empty (a blank page) nor
        ending it with a heading or a table's header.
        """
        page = self.page
        need = block.height() - self.room()
        if need <= 1e-6 and page.has_body_text():
            page.placed.append(block)
            return
        if need > 0 and page.has_body_text():
            squeezable = page.compressible()
            scale = 1 - need / squeezable if squeezable else 0
            if scale >= gbt9704.MIN_TIGHTENED_PITCH:
                page.scale = scale
                page.placed.append(block)
                return
        moved: list[Element] = []
        while page.placed and sum(isinstance(e, Row) for e in moved) < carry \
                and not any(isinstance(e, Drawn) and e.kind == "table" for e in moved):
            moved.insert(0, page.placed.pop())
        while page.placed and getattr(page.placed[-1], "keep_with_next", False):
            moved.insert(0, page.placed.pop())
        if not any(isinstance(e, (Row, Drawn)) for e in page.placed):  # nothing would stay: carry nothing
            page.placed.extend(moved)
            moved = []
        while moved and isinstance(moved[0], Gap):
            moved.pop(0)
        self.new_page()
        first = moved[0] if moved else None
        if isinstance(first, Drawn) and first.repeat_before is not None:
            self.page.placed.append(first.repeat_before)
        self.page.placed.extend(moved)
        self.page.placed.append(block)

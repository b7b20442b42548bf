"""Blocks of a 公文 body and of its attachment pages, as the context of the templates' `blocks` macro:
paragraphs, headings, captions, tables and forms (rows of cells for `{%tr for %}` / `{%tc for %}` loops),
and the attachment pages with the sections §8's landscape pages need.

Layout numbers come from where the PDF renderer takes them: column widths from docgen.layout.columns
(`column_widths`, `form_widths`, the cell styles TABLE and SMALL, `table_style`), the type area of an attachment from
docgen.layout.body.attachment_area, a cell's line breaks from its `cell_lines` (written out where a word
processor would break it otherwise, `cell_text`); words the PDF keeps whole stay whole (`kept_whole`). Every
string stays data: the template escapes it (autoescape); only markup built here is Markup.
"""

from __future__ import annotations

import io
import math
import re
from functools import lru_cache
from itertools import repeat
from typing import Iterable, NamedTuple

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from markupsafe import Markup

from docgen.layout import gbt9704
from docgen.content.document import Attachment, Block, Figure, FormTable, Heading, Paragraph, PlaqueFigure, Table
from docgen.fonts.metrics import role_metrics
from docgen.layout.columns import (AUTOSPACE, FORM_INSET, SMALL, TABLE, CellStyle, column_widths, form_widths,
                                   table_style)
from docgen.docx.template import section_xml
from docgen.docx.units import GRID_CONDENSE, LINE_PITCH, eighth_points, tw
from docgen.layout.body import attachment_area, cell_lines, figure_pieces
from docgen.layout.linebreak import BOXED, CITED_NUMBER, LATIN_WORD, NO_LINE_END, NO_LINE_START, SPACES, Line
from docgen.layout.titles import break_title, chars_per_line

_PHONE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
# words the PDF never breaks: a cited document number 〔2021〕57号 (with its 机关代字 where set off), a form's
# choice with its box 新材料☐
_WHOLE_WORD = re.compile(f"{CITED_NUMBER.pattern}|{BOXED}")
# U+2060 WORD JOINER: no line break on either side of it (it has no width, and LibreOffice writes none of it
# into its PDF). LibreOffice's Chinese line breaking ignores it, breaking anywhere but at punctuation; text of
# no language (zxx) it breaks by Unicode's rules, which keep it. The body faces have no variants by language.
WORD_JOINER = "\u2060"
_WHOLE_RUN = Markup('</w:t></w:r><w:r><w:rPr><w:lang w:eastAsia="zxx"/></w:rPr><w:t xml:space="preserve">')
_END_RUN = Markup('</w:t></w:r><w:r><w:t xml:space="preserve">')
_NO_AUTOSPACE = Markup('<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
# where Chinese text meets Latin letters or digits, LibreOffice adds about AUTOSPACE em (it ignores autoSpaceDE)
_CJK = r"[\u3000-\u9fff\uff00-\uffef]"
_SCRIPT_CHANGE = re.compile(rf"(?<=[A-Za-z0-9])(?={_CJK})|(?<={_CJK})(?=[A-Za-z0-9])")
# what LibreOffice may take of a cell's room beside its margins: its rules' width (measured between 0 and both)
_RULES = 2 * eighth_points(gbt9704.TABLE_RULE) / 8
_TIGHT_RUN = '</w:t></w:r><w:r><w:rPr><w:spacing w:val="{}"/></w:rPr><w:t xml:space="preserve">'
_LINE_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')
# Word's non-breaking hyphen, within the cell's run: a telephone number is never split at its hyphen
_NO_BREAK_HYPHEN = Markup('</w:t><w:noBreakHyphen/><w:t xml:space="preserve">')
KEEP = Markup("<w:keepNext/>")
FLUSH_RIGHT = Markup('<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>')
NO_PAGE_BREAK = Markup('<w:pageBreakBefore w:val="0"/>')  # the label opens a new section: it is on a new page


class GridCell(NamedTuple):
    """One cell for the template (a tuple the `{%tc for pr, ppr, text, foot, foot_ppr in row.cells %}` loop
    unpacks): its properties (``pr``: width in twips, grid columns spanned, vertical alignment; ``ppr``:
    paragraph style and alignment — shared by the cells of a column), its text, and a foot set flush right
    at the cell's bottom."""

    pr: Markup
    ppr: Markup
    text: str
    foot: str = ""
    foot_ppr: Markup = Markup("")


_NO_FOOT = Markup("")
# the paragraph styles (text, header) of each cell style, in the templates' styles part
CELL_STYLES = {TABLE: ("TableText", "TableHead"), SMALL: ("TableTextSmall", "TableHeadSmall")}


@lru_cache(maxsize=1024)
def cell_pr(width: int, span: int = 1, v: str = "center") -> Markup:
    return Markup(f'<w:tcW w:w="{width}" w:type="dxa"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
                  + f'<w:vAlign w:val="{v}"/>')


@lru_cache(maxsize=64)
def para_pr(style: str, jc: str, before: int = 0) -> Markup:
    """A cell paragraph's properties: no space added between Chinese and Latin text or digits, as in the
    PDF, whose line breaks (`cell_lines`) the cell keeps."""
    spacing = f'<w:spacing w:before="{before}"/>' if before else ""
    return Markup(f'<w:pStyle w:val="{style}"/>{_NO_AUTOSPACE}{spacing}<w:jc w:val="{jc}"/>')


class GridRow:
    __slots__ = ("cells", "height", "head")

    def __init__(self, cells: Iterable[tuple], height: int, head: bool = False):
        self.cells, self.height, self.head = cells, height, "1" if head else "0"


def kept_whole(text: str) -> str:
    """Text of a run without properties (a body paragraph's, a heading's run-in text), each word the PDF keeps
    whole (`CITED_NUMBER`, `BOXED`) set in a run of its own, its characters joined by word joiners: Word and
    LibreOffice break before or after 〔2021〕57号, never inside it. The text stays escaped data."""
    if "〔" not in text and "☐" not in text and "☑" not in text:
        return text
    parts, start = [], 0
    for word in _WHOLE_WORD.finditer(text):
        parts += [text[start:word.start()], _WHOLE_RUN, WORD_JOINER.join(word.group(0)), _END_RUN]
        start = word.end()
    return Markup("").join([*parts, text[start:]])


def unbroken(text: str) -> str:
    """A cell's text with the hyphens between digits (0391-3568888) made non-breaking: LibreOffice would
    otherwise break a telephone number there, which the column widths never need. The text's parts stay
    escaped data."""
    if "-" not in text:
        return text
    parts = _PHONE_HYPHEN.split(text)
    return text if len(parts) == 1 else _NO_BREAK_HYPHEN.join(parts)


def cell_text(text: str, lines: tuple[Line, ...] = (), room: float = 0.0, size: float = 0.0,
              role: str = "fangsong") -> str:
    """A cell's text as the word processor gets it, its telephone numbers unbroken. A cell that wraps
    (``lines``: its `cell_lines`, in ``role`` at ``size`` pt in ``room`` pt) is broken where the PDF breaks it
    wherever Word and LibreOffice might break it otherwise: they break greedily, leaving a last character
    alone (填报单/位, 有限公/司) where the PDF moves the one before it down too, they break a cited number or
    a box from its word (新材料/☐), and they set a line a little wider (`_spacing`). Elsewhere the text stays
    whole (a name is found by searching for it)."""
    if len(lines) < 2:
        return unbroken(text)
    spacings = [_spacing(line, room - _RULES, size) for line in lines]
    if min(spacings) >= GRID_CONDENSE and not _WHOLE_WORD.search(text) and _greedy(lines, room, size, role):
        return unbroken(text)
    return _LINE_BREAK.join(_tight(part, spacing) for part, spacing in zip(_cut(text, lines), spacings))


def _greedy(lines: tuple[Line, ...], room: float, size: float, role: str) -> bool:
    """Whether breaking greedily in ``room`` pt (or in that less `_RULES`) breaks where the PDF broke ``lines``:
    no 禁则 at a break, and the next line's first word would not have fitted even the wider room."""
    advance = _advances(role).advance
    for line, after in zip(lines, lines[1:]):
        word = LATIN_WORD.match(after.text)
        first = word.group(0) if word else after.text[:1]
        if first[:1] in NO_LINE_START or line.text[-1:] in NO_LINE_END:
            return False
        wider = line.natural + sum(advance(c, 1.0) for c in first) * size
        if wider + (len(line.text) + len(first)) * GRID_CONDENSE / 20 <= room:
            return False
    return True


def _cut(text: str, lines: tuple[Line, ...]) -> list[str]:
    """``text`` cut where the PDF breaks its ``lines``: a space the PDF drops at a break ends the line before
    it, so that the cell still holds the whole text."""
    parts, start = [], 0
    for line in lines[:-1]:
        end = text.index(line.text, start) + len(line.text)
        while end < len(text) and text[end] in SPACES:
            end += 1
        parts.append(text[start:end])
        start = end
    return [*parts, text[start:]]


def _spacing(line: Line, room: float, size: float) -> int:
    """The letter-spacing (twentieths of a point, a hair less) a word processor needs to fit ``line`` in
    ``room`` pt: less than the document's where the PDF squeezed a closing mark into it, or where LibreOffice
    spaces Chinese text from digits (`AUTOSPACE`)."""
    spare = room - line.natural - AUTOSPACE * size * len(_SCRIPT_CHANGE.findall(line.text))
    return min(GRID_CONDENSE, math.floor(20 * spare / max(1, len(line.text))) - 1)


def _tight(text: str, spacing: int) -> str:
    """A line of a cell, condensed to ``spacing`` where the document's letter-spacing would not fit it."""
    if spacing >= GRID_CONDENSE:
        return unbroken(text)
    return Markup(_TIGHT_RUN.format(spacing)) + unbroken(text) + _END_RUN


def twips(widths_mm: list[float], total_mm: float) -> list[int]:
    """Column widths in twips that add up to exactly the type area's width (rounded at the column edges)."""
    scale = total_mm / sum(widths_mm)
    edges, x = [0], 0.0
    for w in widths_mm:
        x += w * scale
        edges.append(tw(x))
    edges[-1] = tw(total_mm)
    return [b - a for a, b in zip(edges, edges[1:])]


def _margins(style: CellStyle, inset: float = 0.0) -> dict:
    """Cell margins: the padding (and a form's ``inset``) beside the text and, above and below it, the padding
    less half a rule (LibreOffice adds the rule's width to a row's content; rows then stand as high as in the
    PDF)."""
    return {"pad": tw(style.pad + inset), "vpad": tw(style.pad - gbt9704.TABLE_RULE / 2)}


def _row_height(style: CellStyle, lines: int = 1) -> int:
    """The least row height, as the PDF composer sets it: a table line, or ``lines`` lines of the cell style."""
    return tw(max(style.least_row, lines * style.pitch + 2 * style.pad))


def _room(width: int, margin: int) -> float:
    """The room (pt) for a cell's text between its margins (twips)."""
    return (width - 2 * margin) / 20


def _wraps(text: str, room: float, fit: _Advances) -> bool:
    """Whether ``text`` is wider than ``room`` em (its advances summed in C: a character the font lacks is 1 em)."""
    return sum(map(fit.advance, text, repeat(1.0))) > room


class _Advances(NamedTuple):
    advance: object  # char, default → advance in em (a character the font lacks: the default, 1 em)
    widest: float  # the widest advance: len(text) * widest bounds any text's width


@lru_cache(maxsize=4)
def _advances(role: str) -> _Advances:
    metrics = role_metrics(role)
    return _Advances({chr(cp): a for cp, a in metrics.advances.items()}.get,
                     max(1.0, max(metrics.advances.values(), default=1.0)))


def table_item(table: Table, area: gbt9704.TypeArea) -> dict:
    """A table: column widths from `column_widths` in the type area, cells in `table_style` (小四 in a wide
    table), the header row repeated on every page, value cells centred when their text fits one line and
    set left when it wraps (as in the PDF)."""
    style = table_style(table)
    text_style, head_style = CELL_STYLES[style]
    widths_mm = column_widths(table, area.width)
    widths = twips(widths_mm, area.width)
    n = len(widths)
    rooms = [_room(w, tw(style.pad)) for w in widths]
    height = _row_height(style)
    prs = [cell_pr(w) for w in widths]
    empty, no_feet = ("",) * n, (_NO_FOOT,) * n

    def wrapped(text: str, role: str, w: float, room: float) -> str:
        return cell_text(text, cell_lines(text, role, w, style), room, style.size, role)

    heiti = _advances("heiti")
    heads = [wrapped(text, "heiti", w, room) if _wraps(text, room / style.size, heiti) else unbroken(text)
             for text, w, room in zip(table.columns, widths_mm, rooms)]
    rows = [GridRow(list(zip(prs, (para_pr(head_style, "center"),) * n, heads, empty, no_feet)), height, head=True)]
    body = table.rows or ((empty,) * gbt9704.BLANK_FORM_ROWS)
    if not all(len(texts) == n for texts in body):  # as the PDF draws them: a cell for each column
        body = [tuple(texts[:n]) + empty[len(texts):] for texts in body]
    # a column at a time: centred where the text fits one line, left where it wraps (a column whose
    # longest text fits even in the widest characters needs no measuring)
    centred, left = para_pr(text_style, "center"), para_pr(text_style, "left")
    fit = _advances("fangsong")
    alignments, columns = [], []
    for room, w, texts in zip(rooms, widths_mm, zip(*body)):
        if fit.widest * max(map(len, texts), default=0) <= room / style.size:
            alignments.append((centred,) * len(texts))
            columns.append(list(map(unbroken, texts)))
        else:
            wraps = [_wraps(text, room / style.size, fit) for text in texts]
            alignments.append([left if wrap else centred for wrap in wraps])
            columns.append([wrapped(text, "fangsong", w, room) if wrap else unbroken(text)
                            for text, wrap in zip(texts, wraps)])
    # each row's cells are zipped lazily, for the template's one pass over them
    rows += [GridRow(zip(prs, pprs, texts, empty, no_feet), height)
             for pprs, texts in zip(zip(*alignments), zip(*columns))]
    return {"kind": "table", "width": sum(widths), "grid": widths, **_margins(style), "rows": rows,
            "after": tw(gbt9704.LINE_PITCH_MM / 2)}


def grids_match(*item_lists: list[dict]) -> bool:
    """Whether every row of every table in these items spans its table's grid (the template builds each
    table's grid and cells from the same widths): docxtpl's `fix_tables` has nothing to do then."""
    return all(item.get("regular", True) for items in item_lists for item in items if item["kind"] == "table")


def form_item(form: FormTable, area: gbt9704.TypeArea) -> dict:
    """A form on its grid (`form_widths`): cells spanning grid columns, labels centred (when on one line),
    values left, a cell's foot flush right on the cell's last lines; each row at least its ``lines``."""
    grid_mm = form_widths(form, area.width)
    grid = twips(grid_mm, area.width)
    text_style = CELL_STYLES[SMALL][0]
    rows, regular = [], True  # regular: every row spans the whole grid
    for row in form.rows:
        cells, column = [], 0
        for cell in row.cells:
            inner = sum(grid_mm[column:column + cell.span]) - 2 * FORM_INSET  # as the PDF: clear of the rules
            w = sum(grid[column:column + cell.span])
            room = _room(w, tw(SMALL.pad + FORM_INSET))
            lines = cell_lines(cell.text, "fangsong", inner, SMALL)
            ppr = para_pr(text_style, "center" if cell.label and len(lines) == 1 else "left")
            text = cell_text(cell.text, lines, room, SMALL.size)
            if cell.foot:
                foot = cell_lines(cell.foot, "fangsong", inner, SMALL)
                # the foot stands on the row's last lines: what the text leaves of the row's least height
                rest = max(0, row.lines - max(1, len(lines)) - len(foot))
                cells.append(GridCell(cell_pr(w, cell.span, "top"), ppr, text,
                                      cell_text(cell.foot, foot, room, SMALL.size),
                                      para_pr(text_style, "right", tw(rest * SMALL.pitch))))
            else:
                cells.append(GridCell(cell_pr(w, cell.span), ppr, text))
            column += cell.span
        regular = regular and column == len(grid)
        rows.append(GridRow(cells, _row_height(SMALL, row.lines)))
    return {"kind": "table", "width": sum(grid), "grid": grid, **_margins(SMALL, FORM_INSET), "rows": rows,
            "after": tw(gbt9704.LINE_PITCH_MM / 2), "regular": regular}


@lru_cache(maxsize=8)
class FlatImage(InlineImage):
    """docxtpl's inline picture, its XML without the indentation lxml writes: a newline anywhere in the
    rendered body makes docxtpl's line-break pass run over the whole document (`FastTemplate.resolve_listing`)."""

    def _insert_image(self) -> str:
        return _INDENT.sub("><", super()._insert_image())


_INDENT = re.compile(r">\s+<")


@lru_cache(maxsize=32)  # annex 7's two figures recur in every notice that carries them
def _plaque_png(plaque) -> bytes:
    """A plaque figure's picture for the DOCX: 300 dpi across the figure's width, framed."""
    from docgen.plaques.art import plaque_png

    return plaque_png(plaque, dpi=300 * gbt9704.FIGURE_WIDTH / plaque.size[0], frame=True)


def _ppr(*, keep: bool = False, before: int = 0, right: bool = False) -> Markup:
    """Paragraph properties in schema order: keepNext, spacing, ind, jc."""
    return Markup((KEEP if keep else "") + (f'<w:spacing w:before="{before}"/>' if before else "")
                  + (FLUSH_RIGHT if right else ""))


def block_items(tpl: DocxTemplate, block: Block, area: gbt9704.TypeArea = gbt9704.PORTRAIT) -> list[dict]:
    if isinstance(block, Paragraph):
        return [{"kind": "p", "text": kept_whole(block.text), "ppr": _ppr(right=block.align == "right"),
                 "right": block.align == "right"}]
    if isinstance(block, Heading):
        return [{"kind": "h", "level": block.level, "label": block.label,
                 "text": block.text, "run_in": kept_whole(block.run_in), "ppr": _ppr()}]
    if isinstance(block, Table):
        caption = [{"kind": "caption", "text": block.title, "ppr": ""}] if block.title else []
        return caption + [table_item(block, area)]
    if isinstance(block, FormTable):
        return [form_item(block, area)]
    if isinstance(block, PlaqueFigure):
        image = FlatImage(tpl, io.BytesIO(_plaque_png(block.plaque)), width=Mm(gbt9704.FIGURE_WIDTH))
        # the picture's line as high as the picture (the grid's exact pitch would clip it to one line), then
        # half a line, as the PDF places it (layout.body)
        whole = Markup(f'<w:spacing w:after="{tw(gbt9704.LINE_PITCH_MM / 2)}" w:line="240" w:lineRule="auto"/>')
        return [{"kind": "caption", "text": block.caption, "ppr": ""},
                {"kind": "caption", "text": image, "ppr": whole}]
    assert isinstance(block, Figure)
    return [{"kind": "caption", "text": block.caption, "ppr": ""}, figure_item(block, area)]


_HEI_RUN = Markup('</w:t></w:r><w:r><w:rPr><w:rStyle w:val="HeiChar"/></w:rPr><w:t xml:space="preserve">')


def figure_item(figure: Figure, area: gbt9704.TypeArea) -> dict:
    """A figure as the PDF draws it (`figure_pieces`): a framed cell of the figure's width, its lines
    centred in 黑体 as the PDF breaks them; a frame a row of its own (a row never splits)."""
    width = tw(gbt9704.FIGURE_WIDTH)
    ppr = para_pr("Caption", "center")
    rows = [GridRow([GridCell(cell_pr(width), ppr, _HEI_RUN + _LINE_BREAK.join(r.line.text for r in lines))],
                    tw(height))
            for lines, height in figure_pieces(figure, area)]
    return {"kind": "table", "width": width, "grid": [width], **_margins(TABLE), "rows": rows,
            "after": tw(gbt9704.LINE_PITCH_MM / 2)}


def keep_with_next(items: list[dict]) -> None:
    """Keep the body's last paragraph with what follows (the 署名, or the 附件说明 that leads to it): the
    signature then never stands alone on a page (§7.3.5.5). Only that one: a chain of kept paragraphs would
    move as a block, leaving a page half empty. Word and LibreOffice keep (at least) the paragraph's last
    lines with the next paragraph; a heading keeps with its paragraph by its style."""
    if items and items[-1]["kind"] in ("p", "h"):
        items[-1]["ppr"] = _ppr(keep=True, right=items[-1].get("right", False))


def _title(title: str, area: gbt9704.TypeArea) -> dict:
    """The title on line 3 (one blank line under 附件N) and one blank line under it, broken as the PDF
    breaks it (`break_title`)."""
    return {"lines": break_title(title, max_chars=chars_per_line(area.width)), "before": LINE_PITCH, "after": LINE_PITCH}


def attachment_pages(tpl: DocxTemplate, attachments: tuple[Attachment, ...], numbered: bool,
                     after_body: bool) -> tuple[list[dict], bool]:
    """The attachments with blocks, each opening a new page; where the page setup changes (an attachment
    holding a wide table is set landscape, §8) the section before it ends just before its label. Returns
    the pages and whether the last section is landscape. ``after_body``: a 公文's (portrait) body precedes."""
    pages: list[dict] = []
    landscape = False  # the page setup of what precedes
    first = True
    for attachment in attachments:
        if not attachment.blocks:
            continue
        area = attachment_area(attachment)
        turned = area.landscape
        new_section = turned != landscape and (after_body or not first)
        blocks = [item for block in attachment.blocks for item in block_items(tpl, block, area)]
        pages.append({
            "label": f"附件{attachment.number}" if numbered else "附件",
            "title": _title(attachment.title, area),
            "blocks": blocks,
            "section_before": Markup(section_xml(landscape=landscape)) if new_section else "",
            "page_break": NO_PAGE_BREAK if new_section or (first and not after_body) else "",
            "landscape": turned,
        })
        landscape = turned
        first = False
    return pages, landscape

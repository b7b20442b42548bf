"""The special formats of GB/T 9704 §10 in the DOCX, through the 文件 template's context: what each format
prints and where the template lets it go. A 命令's mark 20 mm below the type area's top, no title, no rule
under the 令号, its 签发人's 职务 left of the signature stamp's room and the date under it; a 纪要's
出席/请假/列席 after the body and no signature; a 信函's letterhead (the mark 30 mm from the page top between red
double lines, page 1 unnumbered) and its 版记 of 抄送 alone, without rules, at the foot of the last page.
What stands at a fixed place of the page (the letterhead, outside the type area; the 抄送 at its foot) is
anchored to the page where docgen.layout.special draws it."""

from __future__ import annotations

from xml.sax.saxutils import escape

from markupsafe import Markup

from docgen.content.document import Colophon, OfficialDocument
from docgen.docx.tables import cc_lines
from docgen.docx.units import LINE_PITCH, ONE_CHAR, tw
from docgen.layout import gbt9704
from docgen.layout.compose import Composition, compose
from docgen.layout.closing import advance_mm
from docgen.layout.flow import Rect
from docgen.layout.masthead import mark_size
from docgen.layout.special import (DOUBLE_HEIGHT, LETTER_FOOT_RULE_BOTTOM, LETTER_MARK_TOP, LETTER_RULE_BELOW_MARK,
                                   LETTER_RULE_LENGTH, ORDER_MARK_TOP, SEVEN_EIGHTHS, STAMP_LINES, STAMP_WIDTH,
                                   double_line)

C = gbt9704.CHAR_PITCH_MM
P = gbt9704.LINE_PITCH_MM
EMU = 36000  # DrawingML units a millimetre
CLOSE = "</w:t></w:r></w:p>"  # what closes a paragraph's text, here or in the template
# LibreOffice sets a line's text about 1 mm lower in its exact line than docgen centres it, and a mark in a
# text box 1.2 mm higher than its em box's top (both measured): where the letterhead's text is placed for that
TEXT_DROP, MARK_RISE = 1.0, 1.2
STRUT = 20  # twips: the exact line of the paragraph that anchors the letterhead's shapes
DOC_PR_BASE = 9000  # the letterhead shapes' drawing ids, clear of those the template's pictures take
NS = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')


def _right(indent_mm: float) -> str:
    return f'<w:ind w:left="0" w:right="{tw(indent_mm)}"/><w:jc w:val="right"/>'


def attendance_xml(doc: OfficialDocument) -> list[dict]:
    """纪要: each list a paragraph of the body's `blocks` (raw items): the label in 黑体 indented 2 字, the names
    after it, continuation lines under the first name; one blank line above the first."""
    items = []
    for n, entry in enumerate(doc.attendance):
        label = entry.label + "："
        label_w = advance_mm(label, "heiti")
        before = f'<w:spacing w:before="{LINE_PITCH}"/>' if n == 0 else ""
        items.append({"kind": "xml", "xml": Markup(
            f'<w:p><w:pPr><w:pStyle w:val="GongwenBody"/>{before}<w:ind w:left="{tw(2 * C + label_w)}" '
            f'w:hanging="{tw(label_w)}" w:firstLineChars="0"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="HeiChar"/></w:rPr><w:t xml:space="preserve">{escape(label)}</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve">{escape("、".join(entry.names))}</w:t></w:r></w:p>')})
    return items


def _anchored(n: int, x: float, y: float, w: float, h: float, text: str = "") -> str:
    """A run holding a shape anchored to the page, its top-left ``x``, ``y`` mm from the page's: a text box
    without insets holding the paragraphs ``text``."""
    return _shape(n, x, y, w, h, "rect", "<a:noFill/><a:ln><a:noFill/></a:ln>",
                  f"<wps:txbx><w:txbxContent>{text}</w:txbxContent></wps:txbx>")


def _rule(n: int, rect: Rect) -> str:
    """A red rule where ``rect`` is: a line shape as thick as the rectangle, along its middle (a stroked line,
    as Word and LibreOffice draw borders; a filled shape comes out as a path no checker reads as a rule)."""
    line = (f'<a:noFill/><a:ln w="{round(rect.h * EMU)}" cap="flat"><a:solidFill><a:srgbClr val="{rect.color.lstrip("#")}"/>'
            '</a:solidFill></a:ln>')
    return _shape(n, rect.x, rect.y + rect.h / 2, rect.w, 0.0, "line", line)


def _shape(n: int, x: float, y: float, w: float, h: float, geometry: str, paint: str, box: str = "") -> str:
    cx, cy = round(w * EMU), round(h * EMU)
    return (f'<w:r><w:drawing><wp:anchor {NS} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="{n}" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(x * EMU)}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(y * EMU)}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{DOC_PR_BASE + n}" name="docgen {n}"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>'
            f'{paint}</wps:spPr>{box}<wps:bodyPr lIns="0" tIns="0" rIns="0" bIns="0" anchor="t">'
            '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')


def _line(text: str, *, style: str = "GongwenBody", jc: str = "left", size: float = 0.0, pitch: int = LINE_PITCH,
          before: int = 0, indent: int = 0, frame: str = "") -> str:
    """One paragraph of one line, of exact height ``pitch``: no indent but ``indent`` (twips, left); in the
    ``frame`` (a w:framePr) if one is given."""
    rpr = f'<w:rPr><w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>' if size else ""
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{frame}<w:spacing w:before="{before}" w:after="0" w:line="{pitch}" '
            f'w:lineRule="exact"/><w:ind w:left="{indent}" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'
            f'<w:jc w:val="{jc}"/></w:pPr><w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def _row_top(em_top: float, size: float = gbt9704.SIZE_SAN) -> float:
    """The top of a row of pitch P whose text's em box has its top at ``em_top`` (mm)."""
    return em_top - (P - gbt9704.mm(size)) / 2


def letter_header(doc: OfficialDocument) -> tuple[dict, dict]:
    """信函 page 1 (§10.1) as the template's mark and 发文字号 paragraphs: the mark paragraph, a strut, anchors
    the mark, the double lines and the line above the second one to the page where docgen.layout.special
    draws them, and is followed by the 份号/密级/紧急程度 lines flush left; the 发文字号 flush right, one
    blank line under the first of them, without the red rule."""
    h = doc.header
    size = mark_size(h.mark)
    rule_top = LETTER_MARK_TOP + gbt9704.mm(size) + LETTER_RULE_BELOW_MARK
    rules: list[Rect] = double_line(rule_top, thick_first=True) \
        + double_line(LETTER_FOOT_RULE_BOTTOM - DOUBLE_HEIGHT, thick_first=False)
    shapes = [_anchored(1, gbt9704.MARGIN_LEFT, LETTER_MARK_TOP + MARK_RISE, gbt9704.TYPE_WIDTH, gbt9704.mm(size) + 1,
                        text=_line(h.mark, style="OrganMark", jc="center", size=size, pitch=round(size * 20)))]
    shapes += [_rule(2 + n, rule) for n, rule in enumerate(rules)]
    if h.letter_footer:  # its em box 7/8 of a 三号 height above the second double line
        foot = _row_top(LETTER_FOOT_RULE_BOTTOM - DOUBLE_HEIGHT - SEVEN_EIGHTHS - gbt9704.mm(gbt9704.SIZE_SAN))
        shapes.append(_anchored(6, rules[-1].x, foot - TEXT_DROP, LETTER_RULE_LENGTH, P,
                                text=_line(h.letter_footer, jc="center")))
    first = _row_top(rule_top + DOUBLE_HEIGHT + SEVEN_EIGHTHS) - TEXT_DROP
    mark = {"text": Markup("</w:t></w:r>" + "".join(shapes) + _letter_elements(doc, first)), "size": 2, "line": STRUT,
            "before": 0}
    return mark, _letter_number(doc, first)


def _elements(doc: OfficialDocument) -> list[str]:
    h = doc.header
    return [text for text in (h.copy_number, h.secrecy, h.urgency) if text]


def _letter_elements(doc: OfficialDocument, first: float) -> str:
    """What follows the strut's shapes: the 份号/密级/紧急程度 lines above the 发文字号's, flush left, the last
    left open for the template to close (or the strut's own text run, when there are none)."""
    lines = _elements(doc)[:2]
    if not lines:
        return "<w:r><w:t>"
    before = tw(first - gbt9704.MARGIN_TOP) - STRUT
    return "</w:p>" + "".join(_line(text, style="HeaderLine", before=before if n == 0 else 0)
                              for n, text in enumerate(lines))[:-len(CLOSE)]


def _letter_number(doc: OfficialDocument, first: float) -> dict:
    """The 发文字号 flush right (at a right tab stop), one blank line under the first element (beside a third
    one), or on the first line when there is none; no red rule under it."""
    elements = _elements(doc)
    tabs = Markup(f'<w:tabs><w:tab w:val="right" w:pos="{tw(gbt9704.TYPE_WIDTH)}"/></w:tabs>'
                  '<w:ind w:left="0" w:right="0"/><w:jc w:val="left"/>')
    before = {0: tw(first - gbt9704.MARGIN_TOP) - STRUT, 1: LINE_PITCH}.get(len(elements), 0)
    text = "\t" + escape(doc.header.doc_number)
    if elements[2:]:
        text = (f'</w:t></w:r><w:r><w:rPr><w:rStyle w:val="HeiChar"/></w:rPr><w:t xml:space="preserve">{escape(elements[2])}'
                '</w:t></w:r><w:r><w:t xml:space="preserve">' + text)
    return {"style": "DocNumber", "before": before, "text": Markup(text), "signers": "", "signer_label": "",
            "rule": False, "ppr": tabs}


def letter_colophon_xml(colophon: Colophon, own_page: bool = False) -> Markup:
    """信函's 版记: the 抄送 lines alone, no rules, at the foot of the last page's type area: paragraphs in a
    frame fixed to the page (``own_page``: the page after the text's, where the lines do not fit under it)."""
    rows = cc_lines(colophon) if colophon.cc else []
    label_w = 3 * tw(gbt9704.mm(gbt9704.SIZE_SI))
    top = gbt9704.TYPE_BOTTOM - len(rows) * P - TEXT_DROP
    frame = (f'<w:framePr w:w="{tw(gbt9704.TYPE_WIDTH)}" w:h="{tw(len(rows) * P)}" w:hRule="exact" w:wrap="around" '
             f'w:hAnchor="page" w:vAnchor="page" w:x="{tw(gbt9704.MARGIN_LEFT)}" w:y="{tw(top)}"/>')
    cc = "".join(_line(row.line.text, style="Colophon", indent=ONE_CHAR + (label_w if n else 0), frame=frame)
                 for n, row in enumerate(rows))
    page_break = (f'<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="{STRUT}" '
                  'w:lineRule="exact"/></w:pPr></w:p>') if own_page else ""
    return Markup(page_break + cc)


def special_context(values: dict, doc: OfficialDocument, composition: Composition | None = None) -> None:
    """The 文件 template's context ``values`` changed for the document's special format (in place);
    ``composition``: docgen's layout of ``doc``, if at hand (a 信函's tells where its 抄送 goes)."""
    fmt = doc.header.format
    if fmt == "纪要":
        values["body"] = values["body"] + attendance_xml(doc)
        values["signature"].update(organ="", date="", before=0, organ_ppr="", date_ppr="")
    elif fmt == "命令":
        values["mark"]["before"] -= tw(gbt9704.MARK_TOP - ORDER_MARK_TOP)
        values["number"]["rule"] = False
        values["title"].update(lines=[], before=LINE_PITCH)  # no title: the body two blank lines under the 令号
        stamp_mid = 2 * LINE_PITCH + (STAMP_LINES - 1) * LINE_PITCH // 2  # the 职务, centred on the stamp
        values["signature"].update(
            organ=doc.signature.signer_title, before=stamp_mid,
            organ_ppr=Markup(_right(4 * C + STAMP_WIDTH + 2 * C)),
            date_ppr=Markup(f'<w:spacing w:before="{(2 + STAMP_LINES) * LINE_PITCH - stamp_mid}"/>' + _right(4 * C)))
    elif fmt == "信函":
        values["header_lines"] = []
        values["mark"], values["number"] = letter_header(doc)
        if doc.colophon and doc.colophon.cc:
            composition = composition or compose(doc)
            values["colophon"] = letter_colophon_xml(doc.colophon, len(composition.pages) > composition.flow_pages)

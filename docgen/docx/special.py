"""The special formats of GB/T 9704 §10 in the DOCX, through the 文件 template's context: what each format
prints and where the template lets it go. A 命令's mark 20 mm below the type area's top, no title, its
签发人's 职务 left of the signature stamp's room and the date under it; a 纪要's 出席/请假/列席 after the body
and no signature; a 信函's 版记 of 抄送 alone, without rules. (The template still draws a 文件's 版头 rule
under the 令号, and a 信函's mark and double lines as a 文件's 版头: the PDF is the print master.)"""

from __future__ import annotations

from xml.sax.saxutils import escape

from markupsafe import Markup

from docgen.content.document import Colophon, OfficialDocument
from docgen.docx.tables import SPACER_SLACK, cc_lines
from docgen.docx.units import LINE_PITCH, ONE_CHAR, tw
from docgen.layout import gbt9704
from docgen.layout.closing import advance_mm
from docgen.layout.special import ORDER_MARK_TOP, STAMP_LINES, STAMP_WIDTH

C = gbt9704.CHAR_PITCH_MM


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


def letter_colophon_xml(colophon: Colophon, page_break: bool = False) -> Markup:
    """信函's 版记: the 抄送 lines alone, no rules, at the foot of the type area (a spacer above them)."""
    rows = cc_lines(colophon) if colophon.cc else []
    label_w = 3 * tw(gbt9704.mm(gbt9704.SIZE_SI))
    cc = "".join(f'<w:p><w:pPr><w:pStyle w:val="Colophon"/><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" '
                 f'w:lineRule="exact"/><w:ind w:left="{ONE_CHAR + (label_w if n else 0)}" w:right="{ONE_CHAR}"/></w:pPr>'
                 f'<w:r><w:t xml:space="preserve">{escape(row.line.text)}</w:t></w:r></w:p>' for n, row in enumerate(rows))
    spacer = tw(gbt9704.TYPE_HEIGHT) - LINE_PITCH * len(rows) - SPACER_SLACK
    return Markup(f'<w:p><w:pPr>{"<w:pageBreakBefore/>" if page_break else ""}'
                  f'<w:spacing w:before="0" w:after="0" w:line="{spacer}" w:lineRule="exact"/>'
                  f'<w:snapToGrid w:val="0"/></w:pPr></w:p>{cc}')


def special_context(values: dict, doc: OfficialDocument) -> None:
    """The 文件 template's context ``values`` changed for the document's special format (in place)."""
    fmt = doc.header.format
    if fmt == "纪要":
        values["body"] = values["body"] + attendance_xml(doc)
        values["signature"].update(organ="", date="", before=0, organ_ppr="", date_ppr="")
    elif fmt == "命令":
        values["mark"]["before"] -= tw(gbt9704.MARK_TOP - ORDER_MARK_TOP)
        values["title"].update(lines=[], before=LINE_PITCH)  # no title: the body two blank lines under the 令号
        stamp_mid = 2 * LINE_PITCH + (STAMP_LINES - 1) * LINE_PITCH // 2  # the 职务, centred on the stamp
        values["signature"].update(
            organ=doc.signature.signer_title, before=stamp_mid,
            organ_ppr=Markup(_right(4 * C + STAMP_WIDTH + 2 * C)),
            date_ppr=Markup(f'<w:spacing w:before="{(2 + STAMP_LINES) * LINE_PITCH - stamp_mid}"/>' + _right(4 * C)))
    elif fmt == "信函" and values["colophon"]:
        values["colophon"] = letter_colophon_xml(doc.colophon, page_break=values["colophon_blank_page"])

"""The 版记 as WordprocessingML, anchored to the foot of its page (body and attachment tables are the
templates' `blocks` macro, docgen.docx.body). Text is escaped here: data only."""

from __future__ import annotations

from html import escape  # xml.sax.saxutils' escape would load urllib and http.client with it

from markupsafe import Markup

from docgen.layout import gbt9704
from docgen.content.document import Colophon
from docgen.docx.units import LINE_PITCH, ONE_CHAR, eighth_points, tw

# twips the spacer leaves out: what the layout engine adds to the rows' exact heights (their borders; measured
# via LibreOffice on a page of its own, in the 版记's section, see template.section_xml)
SPACER_SLACK = 20
# twips a 抄送 row is right-indented: none (the PDF's rows end 1 字 in). LibreOffice sets digits and Latin
# letters among Chinese wider than docgen measures them; a row it wrapped would lose its last line to the
# row's exact height, so the row may run into that 1 字.
CC_RIGHT = 0


def _text_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r>'


def cc_lines(colophon: Colophon) -> list:
    """The 抄送 line as the PDF composer breaks it: how many rows the 版记 takes."""
    from docgen.layout.closing import colophon_rows

    return colophon_rows(colophon)[0]


def colophon_xml(colophon: Colophon, page_break: bool = False) -> Markup:
    """版记 on its own page: a spacer paragraph of exact height (``page_break``: starting a new page) pushes
    its table down so that the last rule lies on the type area's bottom edge; thick first and last rules, a
    thin one between the 抄送 and the 印发 rows; the 印发日期 right-indented 1 字 at a right tab stop (tab
    stops count from the cell's left edge, not from the paragraph's indent)."""
    width = tw(gbt9704.TYPE_WIDTH)
    thick, thin = eighth_points(gbt9704.COLOPHON_THICK_RULE), eighth_points(gbt9704.COLOPHON_THIN_RULE)
    label_w = 3 * tw(gbt9704.mm(gbt9704.SIZE_SI))
    cc = [f'<w:p><w:pPr><w:pStyle w:val="Colophon"/><w:ind w:left="{ONE_CHAR + (label_w if n else 0)}" '
          f'w:right="{CC_RIGHT}"/></w:pPr>{_text_run(row.line.text)}</w:p>'
          for n, row in enumerate(cc_lines(colophon) if colophon.cc else [])]
    printed = [f'<w:p><w:pPr><w:pStyle w:val="Colophon"/><w:tabs><w:tab w:val="right" w:pos="{width - ONE_CHAR}"/>'
               f'</w:tabs></w:pPr>{_text_run(colophon.printer)}<w:r><w:tab/></w:r>'
               f'{_text_run(colophon.print_date + "印发")}</w:p>']
    table_rows = "".join(
        f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{LINE_PITCH * len(group)}" w:hRule="exact"/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{"".join(group)}</w:tc></w:tr>'
        for group in (cc, printed) if group)
    spacer = tw(gbt9704.TYPE_HEIGHT) - LINE_PITCH * (len(cc) + 1) - SPACER_SLACK
    return Markup(
        f'<w:p><w:pPr>{"<w:pageBreakBefore/>" if page_break else ""}'
        f'<w:spacing w:before="0" w:after="0" w:line="{spacer}" w:lineRule="exact"/>'
        '<w:snapToGrid w:val="0"/></w:pPr></w:p>'
        f'<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblBorders><w:top w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
        f'<w:bottom w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
        f'<w:insideH w:val="single" w:sz="{thin}" w:space="0" w:color="000000"/></w:tblBorders>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>{table_rows}</w:tbl>'
        # Word and LibreOffice need a paragraph after a table: 1 pt high, in the room left under the 版记
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:snapToGrid w:val="0"/>'
        '</w:pPr></w:p>')

"""Tables as WordprocessingML: body and attachment tables (fixed widths in the type area, header row
repeated on every page) and the 版记 anchored to the foot of its page. Text is escaped here: data only."""

from __future__ import annotations

from xml.sax.saxutils import escape

from markupsafe import Markup

from docgen import gbt9704 as g
from docgen.content.official import Colophon, Table
from docgen.render.docx.units import LINE_PITCH, ONE_CHAR, eighth_points, tw

BLANK_FORM_ROWS = 5
FRAME_BORDER_OFFSET = 1.9  # mm the framed paragraphs' borders add below their lines (measured via LibreOffice)  # empty rows under a table that has none, for filling in by hand


def _text_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _cell(text: str, width: int, style: str) -> str:
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{_text_run(text) if text else ""}</w:p></w:tc>')


def _row(cells: list[str], widths: list[int], header: bool) -> str:
    head = "<w:tblHeader/>" if header else ""
    style = "TableHead" if header else "TableText"
    return (f'<w:tr><w:trPr>{head}<w:cantSplit/><w:trHeight w:val="{LINE_PITCH}" w:hRule="atLeast"/></w:trPr>'
            + "".join(_cell(text, w, style) for text, w in zip(cells, widths)) + "</w:tr>")


def table_xml(table: Table) -> Markup:
    weights = table.widths or (1.0,) * len(table.columns)
    total = tw(g.TYPE_WIDTH)
    widths = [round(total * w / sum(weights)) for w in weights]
    line = f'w:val="single" w:sz="{eighth_points(0.25)}" w:space="0" w:color="000000"'
    borders = "".join(f"<w:{side} {line}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = [list(r) for r in table.rows] or [[""] * len(widths) for _ in range(BLANK_FORM_ROWS)]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return Markup(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid>'
        + _row(list(table.columns), widths, header=True)
        + "".join(_row(r, widths, header=False) for r in rows)
        + "</w:tbl>")


def cc_lines(colophon: Colophon) -> list:
    """The 抄送 line as the PDF composer breaks it: how many rows the 版记 takes."""
    from docgen.render.pdf.back import colophon_rows

    return colophon_rows(colophon)[0]


def colophon_xml(colophon: Colophon) -> Markup:
    """版记: paragraphs in a frame anchored to the foot of the type area; the rules are paragraph borders,
    thick above the first element and under the last, thin between."""
    thick, thin = eighth_points(g.COLOPHON_THICK_RULE), eighth_points(g.COLOPHON_THIN_RULE)
    rows = (len(cc_lines(colophon)) if colophon.cc else 0) + 1
    top = g.TYPE_BOTTOM - rows * g.LINE_PITCH_MM - FRAME_BORDER_OFFSET  # last rule on the type area's bottom
    frame = (f'<w:framePr w:w="{tw(g.TYPE_WIDTH)}" w:wrap="around" w:vAnchor="page" w:hAnchor="margin" '
             f'w:xAlign="center" w:y="{tw(top)}"/>')

    def rule(side: str, size: int) -> str:
        return f'<w:{side} w:val="single" w:sz="{size}" w:space="1" w:color="000000"/>'

    paragraphs = []
    if colophon.cc:
        label_w = 3 * tw(g.mm(g.SIZE_SI))
        paragraphs.append((f'<w:ind w:left="{ONE_CHAR + label_w}" w:right="{ONE_CHAR}" w:hanging="{label_w}"/>',
                           rule("top", thick) + rule("bottom", thin), _text_run("抄送：" + "，".join(colophon.cc) + "。")))
    top = "" if colophon.cc else rule("top", thick)
    paragraphs.append((f'<w:tabs><w:tab w:val="right" w:pos="{tw(g.TYPE_WIDTH) - ONE_CHAR}"/></w:tabs>',
                       top + rule("bottom", thick),
                       _text_run(colophon.printer) + "<w:r><w:tab/></w:r>" + _text_run(colophon.print_date + "印发")))
    return Markup("".join(
        f'<w:p><w:pPr><w:pStyle w:val="Colophon"/>{frame}<w:pBdr>{borders}</w:pBdr>{extra}</w:pPr>{runs}</w:p>'
        for extra, borders, runs in paragraphs))

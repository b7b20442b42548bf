"""The editable DOCX of a 公文, rendered from templates/official.docx with docxtpl.

Every string from the record reaches the template as data (docxtpl autoescape); XML built here escapes
its text. Where the two renderers share a layout decision (title breaks, signature positions) they call
the same function.
"""

from __future__ import annotations

import io

from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from docgen.layout import gbt9704
from docgen.content.document import Attachment, Heading, OfficialDocument
from docgen.fonts.report import font_report
from docgen.render.artifact import Artifact
from docgen.docx.body import KEEP, attachment_pages, block_items, grids_match, keep_with_next
from docgen.docx.tables import colophon_xml
from docgen.docx.template import open_template, render_template, section_xml
from docgen.docx.units import LINE_PITCH, half_points, tw
from docgen.layout.closing import note_lines
from docgen.layout.compose import Composition, compose
from docgen.layout.linebreak import LATIN_WORD
from docgen.docx.special import special_context
from docgen.layout.masthead import joint_mark_geometry, mark_size
from docgen.layout.signature import RIGHT, joint_geometry, signature_geometry, text_width_mm
from docgen.layout.titles import document_title

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _header_lines(doc: OfficialDocument) -> list[str]:
    h = doc.header
    return [text for text in (h.copy_number, h.secrecy, h.urgency) if text]


def _mark(doc: OfficialDocument, lines_above: int) -> dict:
    # the mark's em box top at 72 mm: space before it, less the lines 份号/密级/紧急程度 took
    before = gbt9704.MARK_TOP - gbt9704.MARGIN_TOP - lines_above * gbt9704.LINE_PITCH_MM
    if doc.header.joint:
        return _joint_mark(doc.header.joint, doc.header.mark, before)
    size = mark_size(doc.header.mark)
    return {"text": doc.header.mark, "size": half_points(size), "line": round(size * 20), "before": tw(before)}


JOINT_MARK_STRUT = 1.0  # pt: the exact height of the mark paragraph's empty lines around a joint mark's table


def _joint_mark(names: tuple[str, ...], word: str, before: float) -> dict:
    """A joint mark (联合行文, §7.2.3) where `joint_mark_geometry` puts it: a borderless table of two cells,
    the names one a line spread to one width (分散对齐), the word (文件) centred on them. The template's
    mark paragraph shrinks to a 1 pt line above the table; the table's text is escaped here."""
    g = joint_mark_geometry(names, word)
    size, strut = half_points(g.size), round(JOINT_MARK_STRUT * 20)
    rpr = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'

    def line(text: str, jc: str, space: float, indent: float = 0.0) -> str:
        return (f'<w:p><w:pPr><w:pStyle w:val="OrganMark"/><w:spacing w:before="{tw(space)}" w:after="0" '
                f'w:line="{round(g.size * 20)}" w:lineRule="exact"/><w:ind w:left="{tw(indent)}" w:right="0"/>'
                f'<w:jc w:val="{jc}"/></w:pPr><w:r>{rpr}<w:t>{escape(text)}</w:t></w:r></w:p>')

    leading = g.pitch - gbt9704.mm(g.size)
    cells = [(g.names_w, "".join(line(name, "distribute", leading if n else 0.0) for n, name in enumerate(names)))]
    if word:  # the word's cell starts where the names end: the gap is its indent
        cells.append((gbt9704.MARGIN_LEFT + gbt9704.TYPE_WIDTH - g.names_x - g.names_w,
                      line(word, "left", 0.0, g.word_x - g.names_x - g.names_w)))
    zero = "".join(f'<w:{side} w:w="0" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
    table = (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(tw(w) for w, _ in cells)}" w:type="dxa"/>'
             f'<w:tblInd w:w="{tw(g.names_x - gbt9704.MARGIN_LEFT)}" w:type="dxa"/><w:tblBorders/>'
             f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{zero}</w:tblCellMar></w:tblPr><w:tblGrid>'
             + "".join(f'<w:gridCol w:w="{tw(w)}"/>' for w, _ in cells) + "</w:tblGrid><w:tr>"
             + "".join(f'<w:tc><w:tcPr><w:tcW w:w="{tw(w)}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{xml}</w:tc>'
                       for w, xml in cells) + "</w:tr></w:tbl>")
    after = (f'<w:p><w:pPr><w:pStyle w:val="OrganMark"/><w:spacing w:before="0" w:after="0" w:line="{strut}" '
             f'w:lineRule="exact"/></w:pPr><w:r><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr><w:t>')
    text = Markup(f"</w:t></w:r></w:p>{table}{after}")
    return {"text": text, "size": 2, "line": strut, "before": tw(before - gbt9704.mm(JOINT_MARK_STRUT))}


# twips the 发文字号 line is raised: LibreOffice sets the mark's exact line ~1.9 mm deeper than docgen does, so
# without it every line after the 版头 falls that much lower and page 1 holds one body line fewer than the
# PDF's (then docgen's pagination, which places the 版记, no longer holds). Measured via LibreOffice.
HEADER_NUDGE = tw(1.9)


def _number(doc: OfficialDocument) -> tuple[list[dict], dict]:
    h = doc.header
    before = 2 * LINE_PITCH - HEADER_NUDGE
    if not h.upward:
        return [], {"style": "DocNumber", "before": before, "text": h.doc_number, "signers": "", "signer_label": "",
                    "rule": True, "ppr": ""}
    pairs = ["　".join(h.signers[i:i + 2]) for i in range(0, len(h.signers), 2)]
    above = [{"label": "签发人：" if n == 0 else "　" * 4, "names": names} for n, names in enumerate(pairs[:-1])]
    label = "签发人：" if len(pairs) == 1 else "　" * 4
    # the 发文字号 (on the last 签发人 line) stays about two lines under the mark, as the PDF sets it: the
    # 签发人 lines above it take the place of those blank lines
    for n, line in enumerate(above):
        line["before"] = max(0, 2 - len(above)) * LINE_PITCH if n == 0 else 0
    return above, {"style": "DocNumberUp", "before": 0 if above else before, "text": h.doc_number,
                   "signers": pairs[-1], "signer_label": label}


# a heading with its paragraph's text run in (一、标题。正文……) is a paragraph: it keeps with nothing, or a body of
# such headings (a 纪要's) moves as one block and leaves page 1 half empty
RUN_IN_UNKEPT = Markup('<w:keepNext w:val="0"/>')


def _body(tpl: DocxTemplate, doc: OfficialDocument) -> list[dict]:
    body = [item for block in doc.body for item in block_items(tpl, block)]
    for item in body:
        if item["kind"] == "h" and item["run_in"]:
            item["ppr"] = RUN_IN_UNKEPT + item["ppr"]
    if not doc.attachments:  # the body's last paragraph stays with the signature (else the 附件说明's last item)
        keep_with_next(body)
    return body


def _annex_list(attachments: tuple[Attachment, ...]) -> list[dict]:
    label = "附件："
    label_w = text_width_mm(label)
    items = []
    for n, attachment in enumerate(attachments, 1):
        prefix = f"{n}." if len(attachments) > 1 else ""
        prefix_w = text_width_mm(prefix) if prefix else 0.0
        left = 2 * gbt9704.CHAR_PITCH_MM + label_w + prefix_w
        hanging = label_w + prefix_w if n == 1 else prefix_w
        items.append({"text": (label if n == 1 else "") + prefix + attachment.title, "left": tw(left),
                      "hanging": tw(hanging), "before": LINE_PITCH if n == 1 else 0, "keep": ""})
    if items:  # the last item keeps with the signature
        items[-1]["keep"] = KEEP
    return items


def _right(indent_mm: float) -> Markup:
    """Flush right, ``indent_mm`` from the type area's right edge."""
    return Markup(f'<w:ind w:left="0" w:right="{tw(indent_mm)}"/><w:jc w:val="right"/>')


def _left(x_mm: float) -> Markup:
    """Flush left, starting at ``x_mm`` from the page's left edge."""
    return Markup(f'<w:ind w:left="{tw(x_mm - gbt9704.MARGIN_LEFT)}" w:right="0"/><w:jc w:val="left"/>')


def _signature(doc: OfficialDocument) -> dict:
    """Where `signature_geometry` puts them. Unsealed: the 署名 right-indented 2 字 and the date set from
    where it starts (2 字 right of the 署名), so it holds where the layout engine sets the date a little
    wider than docgen measures (LibreOffice spaces digits from Chinese); a date longer than the 署名 is
    right-indented 2 字 and the 署名 set from where it starts. Sealed: the date right-indented 4 字 and the
    署名 centred over it."""
    if doc.signature.organs:
        return _joint_signature(doc)
    geometry = signature_geometry(doc.signature)
    lines_before = 2 if doc.signature.sealed else 1
    if doc.signature.sealed:
        organ, date = _right(geometry.organ_right_indent), _right(geometry.date_right_indent)
    elif geometry.date_x > geometry.organ_x:
        organ, date = _right(geometry.organ_right_indent), _left(geometry.date_x)
    else:
        organ, date = _left(geometry.organ_x), _right(geometry.date_right_indent)
    return {"organ": doc.signature.organ, "date": doc.signature.date, "before": lines_before * LINE_PITCH,
            "organ_ppr": organ, "date_ppr": date, "sect": ""}


def _joint_signature(doc: OfficialDocument) -> dict:
    """Where `joint_geometry` puts them, in the template's two signature paragraphs. Sealed: the 署名 side
    by side at centred tab stops over the seal areas' centres, rows of seals five lines apart (line breaks),
    the date right-indented 4 字. Unsealed: the 署名 one a line (line breaks), starting together, and the
    date 2 字 right of them (a longer date right-indented 2 字)."""
    g = joint_geometry(doc.signature)
    if not doc.signature.sealed:
        start = g.names[0].x
        date = _left(g.date_x) if g.date_x > start else _right(RIGHT - g.date_x - g.date_w)
        return {"organ": "\n".join(name.text for name in g.names), "date": doc.signature.date, "before": LINE_PITCH,
                "organ_ppr": _left(start), "date_ppr": date, "sect": ""}
    columns = sorted(set(g.seal_x))
    stops = "".join(f'<w:tab w:val="center" w:pos="{tw(x - gbt9704.MARGIN_LEFT)}"/>' for x in columns)
    lines, line, column = [], None, -1
    for name, x in zip(g.names, g.seal_x):
        if name.line != line:
            if line is not None:
                lines.append("\n" * (name.line - line))
            line, column = name.line, -1
        lines.append("\t" * (columns.index(x) - column) + name.text)
        column = columns.index(x)
    organ = Markup(f'<w:tabs>{stops}</w:tabs><w:ind w:left="0" w:right="0"/><w:jc w:val="left"/>')
    return {"organ": "".join(lines), "date": doc.signature.date, "before": 2 * LINE_PITCH, "organ_ppr": organ,
            "date_ppr": _right(RIGHT - g.date_x - g.date_w), "sect": ""}


def flow_pages(doc: OfficialDocument, composition: Composition | None = None) -> int:
    """Pages before the 版记, as docgen paginates the 公文 (its composition, given or made). Where the PDF
    tightens the signature's page (§7.3.5.5), Word and LibreOffice carry the last lines over with the
    signature instead (keep with next): one page more."""
    composition = composition or compose(doc)
    return composition.flow_pages + (1 if composition.tightened else 0)


def _end_of_flow(values: dict, section: Markup) -> None:
    """Put the section's properties into the flow's last paragraph (the date, the 附注, or the last
    attachment's last block), so no paragraph of its own ends the section: on a full last page it would
    start one more."""
    pages = [page for page in values["attachments"] if page["blocks"]]
    if pages:
        pages[-1]["blocks"][-1]["sect"] = section
    elif values["note"]:
        values["note_sect"] = section
    else:
        values["signature"]["sect"] = section


def context(tpl: DocxTemplate, doc: OfficialDocument, composition: Composition | None = None) -> dict:
    header_lines = _header_lines(doc)
    signers_above, number = _number(doc)
    title = document_title(doc)  # the PDF's lines
    attachments, landscape = attachment_pages(tpl, doc.attachments, len(doc.attachments) > 1, after_body=True)
    values = {
        "header_lines": header_lines,
        "mark": _mark(doc, len(header_lines)),
        "signer_lines_above": signers_above,
        "number": number,
        "title": {"lines": title, "before": 2 * LINE_PITCH, "after": 0},
        "addressees": doc.addressees + "：" if doc.addressees else "",
        "body": _body(tpl, doc),
        "annex_list": _annex_list(doc.attachments),
        "signature": _signature(doc),
        "note": bool(doc.note),  # the 附注's paragraphs once the flow's end is known (_note)
        "note_sect": "",
        "attachments": attachments,
        "colophon": "",
        "colophon_blank_page": False,
        # a 信函's page 1 has no page number (§10.1): its first page is the section's, unless attachments turned
        # on their pages start sections of their own
        "section_last": Markup(section_xml(landscape=landscape, first_unnumbered=doc.header.format == "信函")),
    }
    if doc.colophon and doc.header.format != "信函":  # a 信函's 抄送 stands under its text (special_context)
        # the 版记 on the page after the flow's last, an even one: after an odd last page that is the next
        # page, numbered; after an even one a blank page comes first, and neither is numbered (§7.5)
        blank = flow_pages(doc, composition) % 2 == 0
        _end_of_flow(values, Markup(f"<w:sectPr>{section_xml(landscape=landscape)}</w:sectPr>"))
        values.update(colophon=colophon_xml(doc.colophon, page_break=blank), colophon_blank_page=blank,
                      section_last=Markup(section_xml(numbered=not blank, colophon=True)))
    values["note"], values["note_sect"] = _note(doc.note, values["note_sect"], doc.signature.sealed)
    special_context(values, doc, composition)  # 信函, 命令, 纪要 (GB/T 9704 §10)
    return values


def _note(note: tuple[str, ...], section: str, sealed: bool = False) -> tuple[Markup, Markup]:
    """The 附注 bracketed as the PDF prints it (note_lines), one Note paragraph a line: the template's
    paragraph holds the first line (its extra properties are the second value), the others follow it, and
    the last carries the section's end when the flow ends there. A line holding a Latin word (an e-mail or
    web address) is set flush left: justified, Word and LibreOffice letter-space the line it wraps from.
    Under a sealed signature the 附注 starts a line lower, clear of the seal area (layout.closing.note_rows)."""
    lines = note_lines(note)
    if not lines:
        return Markup(""), Markup("")
    pprs = [Markup('<w:jc w:val="left"/>' if LATIN_WORD.search(line) else "") for line in lines]
    if sealed:
        pprs[0] = Markup(f'<w:spacing w:before="{LINE_PITCH}"/>') + pprs[0]
    pprs[-1] += Markup(section)
    text = escape(lines[0])
    for line, ppr in zip(lines[1:], pprs[1:]):
        text += Markup('</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Note"/>{}</w:pPr>'
                       '<w:r><w:t xml:space="preserve">').format(ppr) + line
    return text, pprs[0]


def render_docx(doc: OfficialDocument, templates: str | None = None, composition: Composition | None = None
                ) -> Artifact:
    """``templates``: the bureau's template folder (default: DOCGEN_TEMPLATES's), whose official.docx wins.
    ``composition``: docgen's layout of ``doc``, when the PDF's is at hand (else it is composed here)."""
    tpl, source = open_template("official.docx", templates)
    values = context(tpl, doc, composition)
    tpl.grids_match = grids_match(values["body"], *(page["blocks"] for page in values["attachments"]))
    render_template(tpl, source, values)
    out = io.BytesIO()
    tpl.save(out)
    roles = {"fangsong": "".join(doc.text_runs()), "xiaobiaosong": "".join(doc.header.joint) + doc.header.mark + doc.title,
             "songti": "— 0123456789 —"}
    if any(isinstance(b, Heading) and b.level == 1 for b in doc.body):
        roles["heiti"] = "".join(b.label + b.text for b in doc.body if isinstance(b, Heading) and b.level == 1)
    if any(isinstance(b, Heading) and b.level == 2 for b in doc.body) or doc.header.signers:
        roles["kaiti"] = "".join(b.label + b.text for b in doc.body if isinstance(b, Heading) and b.level == 2) \
            + "".join(doc.header.signers)
    return Artifact(f"{doc.name}.docx", MEDIA_TYPE, out.getvalue(), fonts=font_report(roles))

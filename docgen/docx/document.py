"""The editable DOCX of a 公文, rendered from templates/official.docx with docxtpl.

Every string from the record reaches the template as data (docxtpl autoescape); XML built here escapes
its text. Where the two renderers share a layout decision (title breaks, signature positions) they call
the same function.
"""

from __future__ import annotations

import dataclasses
import io
from functools import lru_cache

from docxtpl import DocxTemplate
from markupsafe import Markup

from docgen.layout import gbt9704
from docgen.content.document import Attachment, Heading, OfficialDocument
from docgen.fonts.report import font_report
from docgen.render.artifact import Artifact
from docgen.docx.body import KEEP, attachment_pages, block_items, grids_match, keep_with_next
from docgen.docx.engine import FastTemplate
from docgen.docx.tables import colophon_xml
from docgen.docx.template import TEMPLATE, section_xml
from docgen.docx.units import LINE_PITCH, half_points, tw
from docgen.layout.compose import compose
from docgen.layout.masthead import mark_size
from docgen.layout.signature import signature_geometry, text_width_mm
from docgen.layout.titles import break_title

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def _header_lines(doc: OfficialDocument) -> list[str]:
    h = doc.header
    return [text for text in (h.copy_number, h.secrecy, h.urgency) if text]


def _mark(doc: OfficialDocument, lines_above: int) -> dict:
    size = mark_size(doc.header.mark)
    # the mark's em box top at 72 mm: space before it, less the lines 份号/密级/紧急程度 took
    before = gbt9704.MARK_TOP - gbt9704.MARGIN_TOP - lines_above * gbt9704.LINE_PITCH_MM
    return {"text": doc.header.mark, "size": half_points(size), "line": round(size * 20), "before": tw(before)}


# twips the 发文字号 line is raised: LibreOffice sets the mark's exact line ~1.9 mm deeper than docgen does, so
# without it every line after the 版头 falls that much lower and page 1 holds one body line fewer than the
# PDF's (then docgen's pagination, which places the 版记, no longer holds). Measured via LibreOffice.
HEADER_NUDGE = tw(1.9)


def _number(doc: OfficialDocument) -> tuple[list[dict], dict]:
    h = doc.header
    before = 2 * LINE_PITCH - HEADER_NUDGE
    if not h.upward:
        return [], {"style": "DocNumber", "before": before, "text": h.doc_number, "signers": "", "signer_label": ""}
    pairs = ["　".join(h.signers[i:i + 2]) for i in range(0, len(h.signers), 2)]
    above = [{"label": "签发人：" if n == 0 else "　" * 4, "names": names} for n, names in enumerate(pairs[:-1])]
    label = "签发人：" if len(pairs) == 1 else "　" * 4
    # the 发文字号 (on the last 签发人 line) stays about two lines under the mark, as the PDF sets it: the
    # 签发人 lines above it take the place of those blank lines
    for n, line in enumerate(above):
        line["before"] = max(0, 2 - len(above)) * LINE_PITCH if n == 0 else 0
    return above, {"style": "DocNumberUp", "before": 0 if above else before, "text": h.doc_number,
                   "signers": pairs[-1], "signer_label": label}


def _body(tpl: DocxTemplate, doc: OfficialDocument) -> list[dict]:
    body = [item for block in doc.body for item in block_items(tpl, block)]
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


def flow_pages(doc: OfficialDocument) -> int:
    """Pages before the 版记, as docgen paginates the 公文 (its own composition, without the 版记). Where
    the PDF tightens the signature's page (§7.3.5.5), Word and LibreOffice carry the last lines over with
    the signature instead (keep with next): one page more."""
    composition = compose(dataclasses.replace(doc, colophon=None))
    return len(composition.pages) + (1 if composition.tightened else 0)


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


def context(tpl: DocxTemplate, doc: OfficialDocument) -> dict:
    header_lines = _header_lines(doc)
    signers_above, number = _number(doc)
    title = doc.title_lines or break_title(doc.title, organ=doc.signature.organ)  # the PDF's lines
    note = doc.note if not doc.note or doc.note.startswith("（") else f"（{doc.note}）"
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
        "note": note,
        "note_sect": "",
        "attachments": attachments,
        "colophon": "",
        "colophon_blank_page": False,
        "section_last": Markup(section_xml(landscape=landscape)),
    }
    if doc.colophon:
        # the 版记 on the page after the flow's last, an even one: after an odd last page that is the next
        # page, numbered; after an even one a blank page comes first, and neither is numbered (§7.5)
        blank = flow_pages(doc) % 2 == 0
        _end_of_flow(values, Markup(f"<w:sectPr>{section_xml(landscape=landscape)}</w:sectPr>"))
        values.update(colophon=colophon_xml(doc.colophon, page_break=blank), colophon_blank_page=blank,
                      section_last=Markup(section_xml(numbered=not blank, colophon=True)))
    return values


def render_docx(doc: OfficialDocument) -> Artifact:
    tpl = FastTemplate(io.BytesIO(_template_bytes()))
    values = context(tpl, doc)
    tpl.grids_match = grids_match(values["body"], *(page["blocks"] for page in values["attachments"]))
    tpl.render(values)
    out = io.BytesIO()
    tpl.save(out)
    roles = {"fangsong": "".join(doc.text_runs()), "xiaobiaosong": doc.header.mark + doc.title,
             "songti": "— 0123456789 —"}
    if any(isinstance(b, Heading) and b.level == 1 for b in doc.body):
        roles["heiti"] = "".join(b.label + b.text for b in doc.body if isinstance(b, Heading) and b.level == 1)
    if any(isinstance(b, Heading) and b.level == 2 for b in doc.body) or doc.header.signers:
        roles["kaiti"] = "".join(b.label + b.text for b in doc.body if isinstance(b, Heading) and b.level == 2) \
            + "".join(doc.header.signers)
    return Artifact(f"{doc.name}.docx", MEDIA_TYPE, out.getvalue(), fonts=font_report(roles))

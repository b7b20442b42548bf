"""The editable DOCX of a 公文, rendered from templates/official.docx with docxtpl.

Every string from the record reaches the template as data (docxtpl autoescape); XML built here escapes
its text. Where the two renderers share a layout decision (title breaks, signature positions) they call
the same function.
"""

from __future__ import annotations

import io
from functools import lru_cache

from docxtpl import DocxTemplate
from markupsafe import Markup

from docgen import gbt9704 as g
from docgen.content.official import Attachment, Heading, OfficialDocument
from docgen.fonts.report import font_report
from docgen.render.artifact import Artifact
from docgen.render.docx.blocks import attachment_pages, block_items, grids_match, keep_with_next
from docgen.render.docx.engine import FastTemplate
from docgen.render.docx.tables import colophon_xml
from docgen.render.docx.template import TEMPLATE, section_xml
from docgen.render.docx.units import LINE_PITCH, half_points, tw
from docgen.render.pdf.front import mark_size
from docgen.render.signature import signature_geometry, text_width_mm
from docgen.render.titles import break_title

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
    before = g.MARK_TOP - g.MARGIN_TOP - lines_above * g.LINE_PITCH_MM
    return {"text": doc.header.mark, "size": half_points(size), "line": round(size * 20), "before": tw(before)}


def _number(doc: OfficialDocument) -> tuple[list[dict], dict]:
    h = doc.header
    before = 2 * LINE_PITCH
    if not h.upward:
        return [], {"style": "DocNumber", "before": before, "text": h.doc_number, "signers": "", "signer_label": ""}
    pairs = ["　".join(h.signers[i:i + 2]) for i in range(0, len(h.signers), 2)]
    above = [{"label": "签发人：" if n == 0 else "　" * 4, "names": names} for n, names in enumerate(pairs[:-1])]
    label = "签发人：" if len(pairs) == 1 else "　" * 4
    first_before = before if above else 0
    for line in above:
        line["before"] = first_before
    return above, {"style": "DocNumberUp", "before": 0 if above else before, "text": h.doc_number,
                   "signers": pairs[-1], "signer_label": label}


def _title_lines(lines: tuple[str, ...], first_before: int) -> list[dict]:
    return [{"text": line, "before": first_before if n == 0 else 0} for n, line in enumerate(lines)]


def _body(tpl: DocxTemplate, doc: OfficialDocument) -> list[dict]:
    body = [item for block in doc.body for item in block_items(tpl, block)]
    keep_with_next(body)  # the last body paragraphs stay with the signature (or the 附件说明 that leads to it)
    return body


def _annex_list(attachments: tuple[Attachment, ...]) -> list[dict]:
    label = "附件："
    label_w = text_width_mm(label)
    items = []
    for n, attachment in enumerate(attachments, 1):
        prefix = f"{n}." if len(attachments) > 1 else ""
        prefix_w = text_width_mm(prefix) if prefix else 0.0
        left = 2 * g.CHAR_PITCH_MM + label_w + prefix_w
        hanging = label_w + prefix_w if n == 1 else prefix_w
        items.append({"text": (label if n == 1 else "") + prefix + attachment.title, "left": tw(left),
                      "hanging": tw(hanging), "before": LINE_PITCH if n == 1 else 0})
    return items


def _signature(doc: OfficialDocument) -> dict:
    geometry = signature_geometry(doc.signature)
    lines_before = 2 if doc.signature.sealed else 1
    return {"organ": doc.signature.organ, "date": doc.signature.date, "before": lines_before * LINE_PITCH,
            "organ_right": tw(geometry.organ_right_indent), "date_right": tw(geometry.date_right_indent)}


def context(tpl: DocxTemplate, doc: OfficialDocument) -> dict:
    header_lines = _header_lines(doc)
    signers_above, number = _number(doc)
    title = doc.title_lines or break_title(doc.title, organ=doc.signature.organ)
    note = doc.note if not doc.note or doc.note.startswith("（") else f"（{doc.note}）"
    attachments, landscape = attachment_pages(tpl, doc.attachments, len(doc.attachments) > 1, after_body=True)
    return {
        "header_lines": header_lines,
        "mark": _mark(doc, len(header_lines)),
        "signer_lines_above": signers_above,
        "number": number,
        "title_lines": _title_lines(title, 2 * LINE_PITCH),
        "addressees": doc.addressees + "：" if doc.addressees else "",
        "body": _body(tpl, doc),
        "annex_list": _annex_list(doc.attachments),
        "signature": _signature(doc),
        "note": note,
        "attachments": attachments,
        "colophon": colophon_xml(doc.colophon) if doc.colophon else "",
        # the section the 版记's section break ends: the body's, or a last landscape attachment's (§8)
        "section_main": Markup(section_xml(landscape=landscape)),
        "section_last": Markup(section_xml("evenPage", numbered=False) if doc.colophon
                               else section_xml(landscape=landscape)),
    }


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

"""Attachment pages alone as an editable DOCX (what districts print and fill in, what the city files),
rendered from templates/attachments.docx: each attachment on a new page, 附件N (三号黑体) on line 1, its title
(二号小标宋) on line 3, then its tables and forms; an attachment holding a wide table in a landscape section
(§8) with its page numbers turned to where the portrait pages have them."""

from __future__ import annotations

import io

from markupsafe import Markup

from docgen.content.document import Attachment, FormTable, Heading, Table
from docgen.fonts.report import font_report
from docgen.render.artifact import Artifact
from docgen.docx.body import attachment_pages, grids_match
from docgen.docx.template import open_template, render_template, section_xml

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment_roles(attachments: tuple[Attachment, ...], numbered: bool) -> dict[str, str]:
    """The text each face draws on attachment pages, for the font report."""
    fangsong, heiti = [], []
    for attachment in attachments:
        heiti.append(f"附件{attachment.number}" if numbered else "附件")
        for block in attachment.blocks:
            if isinstance(block, Table):
                heiti += block.columns
                fangsong.append(block.title)
                fangsong += [cell for row in block.rows for cell in row]
            elif isinstance(block, FormTable):
                fangsong += [t for row in block.rows for cell in row.cells for t in (cell.text, cell.foot)]
            elif isinstance(block, Heading):
                (heiti if block.level == 1 else fangsong).append(block.label + block.text)
                fangsong.append(block.run_in)
            else:
                fangsong += [getattr(block, name, "") for name in ("text", "caption")]
                fangsong += list(getattr(block, "lines", ()))
    roles = {"fangsong": "".join(fangsong), "heiti": "".join(heiti),
             "xiaobiaosong": "".join(a.title for a in attachments), "songti": "— 0123456789 —"}
    kaiti = "".join(b.label + b.text for a in attachments for b in a.blocks if isinstance(b, Heading) and b.level == 2)
    if kaiti:
        roles["kaiti"] = kaiti
    return roles


def render_attachments_docx(attachments: tuple[Attachment, ...], name: str, numbered: bool = True,
                            templates: str | None = None) -> Artifact:
    """Attachment pages on their own, laid out as a 公文's attachments are; pages numbered from 1.
    ``templates``: the bureau's template folder (default: DOCGEN_TEMPLATES's), whose attachments.docx wins."""
    tpl, source = open_template("attachments.docx", templates)
    pages, landscape = attachment_pages(tpl, attachments, numbered, after_body=False)
    tpl.grids_match = grids_match(*(page["blocks"] for page in pages))
    render_template(tpl, source, {"attachments": pages, "section_last": Markup(section_xml(landscape=landscape))})
    out = io.BytesIO()
    tpl.save(out)
    return Artifact(f"{name}.docx", MEDIA_TYPE, out.getvalue(), fonts=font_report(attachment_roles(attachments, numbered)))

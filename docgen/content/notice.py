"""A hand-written 公文 record → its layout-free content."""

from __future__ import annotations

from docgen.content.numbering import HeadingCounter
from docgen.content.document import (AttachedFile, Attachment, Attendance, Block, Colophon, Figure, Header, Heading,
                                     OfficialDocument, Paragraph, PlaqueFigure, Signature, Table)
from docgen.records import notice as rec
from docgen.records.fields import format_date


def blank_form(number: int) -> Attachment:
    from docgen.annexes.blank import blank_forms

    return blank_forms()[number - 1]


def build_blocks(blocks: list) -> tuple[Block, ...]:
    counter = HeadingCounter()
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(Paragraph(block))
        elif isinstance(block, rec.HeadingBlock):
            label = counter.next(block.level, restart=block.restart)
            out.append(Heading(block.level, label, block.heading, block.text))
        elif isinstance(block, rec.TableBlock):
            t = block.table
            out.append(Table(tuple(t.columns), tuple(tuple(r) for r in t.rows),
                             tuple(t.widths) if t.widths else None, t.title))
        elif isinstance(block, rec.PlaqueBlock):
            out.append(_plaque_figure(block.plaque))
        elif isinstance(block, rec.FormBlock):
            out += blank_form(block.form).blocks
        else:
            out.append(Figure(block.figure.caption, tuple(block.figure.lines)))
    return tuple(out)


def _plaque_figure(spec: rec.PlaqueFigureSpec) -> PlaqueFigure:
    from docgen.records.plaque import Plaque

    data = {"station": spec.station}
    if spec.bureau:
        data.update(variant="contact", bureau=spec.bureau)
    return PlaqueFigure(spec.caption, Plaque.parse(data))


def build_notice(record: rec.NoticeRecord, name: str = "") -> OfficialDocument:
    issuer = record.issuer
    stacked = issuer.joint and issuer.joint_mark == "joint"
    header = Header(
        mark="文件" if stacked else issuer.mark,
        joint=tuple(issuer.organs) if stacked else (),
        doc_number=_printed_number(record),
        format=record.format,
        letter_footer=record.letter_footer,
        copy_number=record.copy_number,
        secrecy=record.secrecy,
        urgency=record.urgency,
        signers=tuple(record.signers),
    )
    colophon = None
    if record.colophon:
        c = record.colophon
        colophon = Colophon(printer=c.printer, print_date=format_date(c.print_date) if c.print_date else "", cc=tuple(c.cc))
    return OfficialDocument(
        name=record.name or name or "notice",
        header=header,
        title=record.title,
        title_lines=tuple(record.title_lines),
        addressees=record.addressees,
        body=build_blocks(record.body),
        attachments=tuple(Attachment(i, a.title, build_blocks(a.blocks), _attached(a.content))
                          for i, a in enumerate(record.attachments, 1)),
        signature=_signature(record),
        note=tuple(record.note),
        colophon=colophon,
        attendance=tuple(Attendance(label, tuple(names)) for label, names in record.attendance.lists())
        if record.attendance else (),
    )


def _attached(content: rec.AttachmentFile | None) -> AttachedFile | None:
    if content is None:
        return None
    return AttachedFile(content.suffix, rec.ATTACHMENT_TYPES[content.suffix], content.data)


def _printed_number(record: rec.NoticeRecord) -> str:
    """The number the 版头 prints: the 发文字号, or a 命令's 令号, or a 纪要's 期号 (GB/T 9704 §10)."""
    return {"命令": record.order_number, "纪要": record.issue_number}.get(record.format, str(record.doc_number))


def _signature(record: rec.NoticeRecord) -> Signature:
    """署名 and 成文日期; a 命令 is signed by its 签发人's stamp, a 纪要 not at all (no date, no seal)."""
    if record.signer is not None:
        return Signature(record.issuer.organ, format_date(record.signer.date), signer_title=record.signer.title,
                         signer_name=record.signer.name)
    if record.signature is None:
        return Signature(record.issuer.organ, "")
    return Signature(record.signature.names[0], format_date(record.signature.date),
                     sealed=record.signature.seal == "sealed", organs=tuple(record.signature.organs))

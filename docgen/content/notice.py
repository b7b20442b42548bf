"""A hand-written 公文 record → its layout-free content."""

from __future__ import annotations

from docgen.content.numbering import HeadingCounter
from docgen.content.document import (Attachment, Block, Colophon, Figure, Header, Heading,
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
    header = Header(
        mark=record.issuer.mark,
        doc_number=str(record.doc_number),
        copy_number=record.copy_number,
        secrecy=record.secrecy,
        urgency=record.urgency,
        signers=tuple(record.signers),
    )
    colophon = None
    if record.colophon:
        c = record.colophon
        colophon = Colophon(printer=c.printer, print_date=format_date(c.print_date), cc=tuple(c.cc))
    return OfficialDocument(
        name=record.name or name or "notice",
        header=header,
        title=record.title,
        title_lines=tuple(record.title_lines),
        addressees=record.addressees,
        body=build_blocks(record.body),
        attachments=tuple(Attachment(i, a.title, build_blocks(a.blocks))
                          for i, a in enumerate(record.attachments, 1)),
        signature=Signature(record.signature.organ, format_date(record.signature.date),
                            sealed=record.signature.seal == "sealed"),
        note=record.note,
        colophon=colophon,
    )

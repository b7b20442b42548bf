"""A 批复 record → its 公文 content: the wording from its text template, the header, the stamped-ready
signature and the 版记."""

from __future__ import annotations

from docgen.content.official import Colophon, Header, OfficialDocument, Signature
from docgen.content.wording import render_wording
from docgen.records.fields import format_date
from docgen.records.reply import ReplyRecord


def template_name(record: ReplyRecord) -> str:
    return f"reply-{record.subject}-{record.decision}.txt"


def wording_values(record: ReplyRecord) -> dict:
    """What a 批复's text template may use."""
    return {
        "applicant": record.applicant, "station": record.station, "bureau": record.issuer.organ,
        "request_title": record.request.title, "request_number": record.request.number,
        "instructor": record.instructor, "date": format_date(record.date),
        "grounds": [g.rstrip("。；;.，,") for g in record.grounds] if record.decision == "decline" else [],
        "service": record.proposal.service if record.proposal else "",
    }


def build_reply(record: ReplyRecord, name: str = "") -> OfficialDocument:
    wording = render_wording(template_name(record), wording_values(record))
    date = format_date(record.date)
    return OfficialDocument(
        name=record.name or name or "reply",
        header=Header(mark=record.issuer.mark, doc_number=str(record.doc_number)),
        title=wording.title,
        addressees=wording.addressees,
        body=wording.body,
        signature=Signature(record.issuer.organ, date, sealed=record.seal == "sealed"),
        colophon=Colophon(printer=record.printer or record.issuer.organ, print_date=date, cc=tuple(record.cc)),
    )

"""A 批复 record → its 公文 content: the wording from its text template, the header, the stamped-ready
signature and the 版记."""

from __future__ import annotations

from docgen.content.document import OfficialDocument
from docgen.content.wording import issued_document, render_wording
from docgen.records.fields import format_date
from docgen.records.plaque import TITLE
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
    # a station's 规范名称 知识产权保护工作站XXX站 is two words of the title; the applicant is one
    names = (TITLE, record.station.removeprefix(TITLE), record.applicant, record.request.number)
    return issued_document(record, render_wording(template_name(record), wording_values(record)), name or "reply",
                           names=names)

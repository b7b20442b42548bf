"""A 通报 record → its 公文 content. Every number is computed here from the districts' reports and the
inspection notes; the wording around them is the text template ``templates/text/bulletin.txt``; the
consolidated tables go with it as attachments (1 the summary, 2–6 the city's annex tables)."""

from __future__ import annotations

from docgen.annexes.consolidate import (CASE_OFFICER_TARGET, Consolidation, consolidate, submission_tables,
                                       summary_attachment)
from docgen.annexes.pages import annex_attachments, district_short
from docgen.content.document import OfficialDocument
from docgen.content.wording import issued_document, render_wording
from docgen.problems import InvalidRecord, Problem
from docgen.records.bulletin import BulletinRecord, Inspection
from docgen.records.fields import format_date

TEMPLATE = "bulletin.txt"
SUMMARY_NUMBER = 1


def _inspections(record: BulletinRecord, result: Consolidation) -> dict[str, Inspection]:
    """Inspection notes by district (matched by its short name); each named contact point must be one of
    the district's reported stations."""
    districts = {district_short(s.district): s.district for s in result.summaries}
    stations = {d: {row.station for dist, row in result.rows["stations"] if dist == d} for d in districts.values()}
    found: dict[str, Inspection] = {}
    problems = []
    for n, inspection in enumerate(record.inspections, 1):
        district = districts.get(district_short(inspection.district))
        if district is None:
            problems.append(Problem(f"inspections[{n}].district", inspection.district,
                                    "没有这个区局的报送；已报送的有：" + "、".join(districts)))
            continue
        for station in inspection.contact_points:
            if station not in stations[district]:
                problems.append(Problem(f"inspections[{n}].contact_points", station,
                                        f"联系点须是{district_short(district)}报送的工作站统计表（附件2）中的工作站"))
        found[district] = inspection
    if problems:
        raise InvalidRecord(problems)
    return found


def wording_values(record: BulletinRecord) -> tuple[dict, Consolidation]:
    result = consolidate(submission_tables(record.submissions))
    notes = _inspections(record, result)
    districts = []
    for s in result.summaries:
        note = notes.get(s.district, Inspection(district=s.district))
        headless = [row.station for d, row in result.rows["stations"] if d == s.district and not row.head]
        districts.append({
            "name": s.district, "short": district_short(s.district), "counts": s.counts,
            "case_officers": s.case_officers, "volunteers": s.volunteers, "contact_points": len(note.contact_points),
            "met_officer_target": s.case_officers >= CASE_OFFICER_TARGET, "stations_without_head": headless,
            "commendations": list(note.commendations), "corrections": list(note.corrections),
        })
    totals = {key: sum(d["counts"].get(key, 0) for d in districts)
              for key in ("stations", "enterprises", "supervision_offices", "institutions", "volunteer_teams")}
    totals.update(districts=len(districts), case_officers=sum(d["case_officers"] for d in districts),
                  volunteers=sum(d["volunteers"] for d in districts),
                  contact_points=sum(d["contact_points"] for d in districts))
    values = {
        "notice": record.notice, "addressees": record.addressees,
        "as_of": format_date(record.as_of or record.date), "date": format_date(record.date),
        "deadline": format_date(record.deadline) if record.deadline else "",
        "target": CASE_OFFICER_TARGET, "totals": totals, "districts": districts,
        "met_officers": [d["short"] for d in districts if d["met_officer_target"]],
        "missed_officers": [d for d in districts if not d["met_officer_target"]],
        "without_station": [d["short"] for d in districts if not d["counts"].get("stations")],
        "duplicates": len(result.duplicates),
        "rejected": sum(len(sub.rejected) for sub in record.submissions),
    }
    return values, result


def build_bulletin(record: BulletinRecord, name: str = "") -> OfficialDocument:
    values, result = wording_values(record)
    attachments = (summary_attachment(result, SUMMARY_NUMBER), *annex_attachments(result.rows, with_district=True))
    return issued_document(record, render_wording(TEMPLATE, values), name or "bulletin", attachments)

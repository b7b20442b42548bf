"""Records from the registry: the plain dicts docgen already renders (validated by ``docgen.kinds.parse_record``),
so the renderers stay as they are — the consolidated annexes 2–6 at a date (``consolidation``), a 通报 at a
date with the inspection notes (``bulletin``), a reply batch for the applications a person picks
(``reply-batch``), and a plaque batch for approved stations not yet printed (``plaque-batch``)."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.db import transaction
from django.utils import timezone

from docgen.annexes.forms import sub_tables
from docgen.kinds import parse_record
from docgen.records.fields import format_date
from web.registry.history import end_of_day, rows_at
from web.registry.models import (REPORTED_MODELS, Change, ContactPointApplication, District, ImportRun,
                                 InspectionNote, PlaqueOrder, ReportedRow, Station)

MODELS = {model.table: model for model in REPORTED_MODELS}


def row_record(obj: ReportedRow) -> dict:
    """A registry row as its annex row record (field names of docgen's row model)."""
    return {field: getattr(obj, attribute) for field, attribute in obj.row_fields.items()}


def _bureaus_at(at: dt.datetime | None) -> dict[int, str]:
    """Each district's bureau name as reported at ``at`` (later renames undone)."""
    names = {d.pk: d.bureau for d in District.objects.all()}
    if at is not None:
        for change in Change.objects.filter(model="district", at__gt=at).order_by("-at", "-id"):
            if "bureau" in change.old:
                names[change.object_id] = change.old["bureau"]
    return names


def submissions_at(at: dt.date | dt.datetime | None = None) -> list[dict]:
    """Every district's report as it stood at ``at`` (now when None): ``[{"report": …, "rejected": […]}]`` in
    the city's order. A district counts once it has reported (an import, or a row entered by hand); the rows
    rejected are those of its latest import of each table up to ``at``."""
    moment = end_of_day(at) if at is not None else None
    tables = [t.key for _, t in sub_tables()]
    rows = {key: rows_at(MODELS[key], moment) for key in tables}
    runs = ImportRun.objects.filter(kind=ImportRun.REPORT).select_related("district").order_by("-at", "-id")
    if moment is not None:
        runs = runs.filter(at__lte=moment)
    latest: dict[int, dict[str, ImportRun]] = {}
    for run in runs:
        for key in run.tables:
            latest.setdefault(run.district_id, {}).setdefault(key, run)
    districts = {d.pk: d for d in District.objects.all()}
    reporting = set(latest) | {row.district_id for key in tables for row in rows[key]}
    bureaus = _bureaus_at(moment)
    out = []
    for district in sorted((districts[pk] for pk in reporting), key=lambda d: (d.order, d.pk)):
        report = {"kind": "district-report", "district": bureaus[district.pk]}
        for key in tables:
            report[key] = [row_record(row) for row in rows[key] if row.district_id == district.pk]
        rejected: list[str] = []
        for run in sorted(set(latest.get(district.pk, {}).values()), key=lambda r: (r.at, r.pk)):
            rejected += [line for line in run.rejected if line not in rejected]
        out.append({"report": report, "rejected": rejected})
    return out


def consolidation_record(at: dt.date | dt.datetime | None = None) -> dict:
    """The consolidated annexes 2–6 (kind ``consolidation``) from the registry at ``at``."""
    record = {"kind": "consolidation", "submissions": submissions_at(at)}
    parse_record(record, "登记簿汇总")
    return record


def inspections(since: dt.date | None, until: dt.date) -> list[dict]:
    """The inspection notes from ``since`` to ``until`` (inclusive), per district as a 通报 takes them."""
    notes = InspectionNote.objects.filter(noted_on__lte=until).select_related("district", "station")
    if since is not None:
        notes = notes.filter(noted_on__gte=since)
    by_district: dict[int, dict] = {}
    for note in sorted(notes, key=lambda n: (n.district.order, n.district_id, n.noted_on, n.pk)):
        entry = by_district.setdefault(note.district_id, {"district": note.district.name, "contact_points": [],
                                                          "commendations": [], "corrections": []})
        if note.category == InspectionNote.CONTACT_POINT:
            name = note.station.name if note.station else note.text
            if name not in entry["contact_points"]:
                entry["contact_points"].append(name)
        elif note.category == InspectionNote.COMMENDATION:
            entry["commendations"].append(note.text)
        else:
            entry["corrections"].append(note.text)
    return list(by_district.values())


def bulletin_record(*, issuer: dict, doc_number: str, date: dt.date, as_of: dt.date | None = None,
                    since: dt.date | None = None, **fields) -> dict:
    """A 通报 (kind ``bulletin``) from the registry's state at ``as_of`` (default the 成文日期) and the
    inspection notes from ``since`` up to the 成文日期; ``fields`` are the bulletin's other fields
    (deadline, cc, printer, addressees, notice, seal, name)."""
    record = {"kind": "bulletin", "issuer": issuer, "doc_number": doc_number, "date": format_date(date),
              "submissions": submissions_at(as_of or date), "inspections": inspections(since, date)}
    if as_of is not None:
        record["as_of"] = format_date(as_of)
    for key, value in fields.items():
        if value not in (None, "", []):
            record[key] = format_date(value) if isinstance(value, dt.date) else value
    parse_record(record, "登记簿通报")
    return record


# ---- 批复 ------------------------------------------------------------------------------------------------

def reply_decision(application: ContactPointApplication, decision: str, instructor: str = "") -> dict:
    """One reply of a batch for a pending application: its 附件1, the 请示 it answers, approve or decline."""
    reply = {"subject": "contact-point", "decision": decision,
             "application": {"kind": "contact-point-application", **application.form},
             "request": {"title": application.request_title, "number": application.request_number}}
    if decision == ContactPointApplication.DECLINE and application.reasons:
        reply["reasons"] = list(application.reasons)
    instructor = instructor or application.form.get("instructor", "")
    if instructor:
        reply["instructor"] = instructor.split()[0]
    return reply


def reply_batch_data(picks: Iterable[tuple[ContactPointApplication, str]], *, issuer: dict, date: dt.date,
                     **fields) -> dict:
    """A reply batch (kind ``reply-batch``) for the applications picked, each with its decision — without its
    ``first_number``, which the document register gives at sign-off."""
    record = {"kind": "reply-batch", "issuer": issuer, "date": format_date(date),
              "replies": [reply_decision(app, decision) for app, decision in picks]}
    record.update({k: v for k, v in fields.items() if v not in (None, "", [])})
    return record


def issue_reply_batch(picks: list[tuple[ContactPointApplication, str]], *, issuer: dict, issuer_code: str,
                      date: dt.date, user, **fields) -> dict:
    """The reply batch numbered by the document register: every reply drafted there, all signed off at once
    (consecutive 发文字号, the first is the batch's ``first_number``); the applications are then marked
    answered and approved stations made 联系点. Returns the batch record, validated."""
    from web.documents import register  # the document register (发文登记簿)

    data = reply_batch_data(picks, issuer=issuer, date=date, **fields)
    with transaction.atomic():
        entries = register.draft_reply_batch(data, issuer_code=issuer_code, user=user)
        numbers = register.sign_off(entries, user)
        record = register.reply_batch_record(data, entries)
        mark_replied(picks, numbers, date, user)
    parse_record(record, "登记簿批复")
    return record


def pending_applications(ids: Iterable[int]) -> list[ContactPointApplication]:
    """The pending applications named, in the order given; an unknown or decided one is refused."""
    ids = list(ids)
    found = {a.pk: a for a in ContactPointApplication.objects.filter(pk__in=ids).select_related("station", "district")}
    problems = [f"联系点申请 {pk} 不存在" for pk in ids if pk not in found]
    problems += [f"联系点申请 {pk}（{found[pk].organisation}）已{found[pk].get_status_display()}，不能再批复"
                 for pk in ids if pk in found and found[pk].status != ContactPointApplication.PENDING]
    if problems:
        raise ValueError("；".join(problems))
    return [found[pk] for pk in ids]


def mark_replied(picks: list[tuple[ContactPointApplication, str]], numbers: list[str], date: dt.date, user,
                 at: dt.datetime | None = None) -> None:
    """After a batch is issued: each application is answered, an approved station becomes a 联系点, and every
    change is logged."""
    at = at or timezone.now()
    with transaction.atomic():
        for (app, decision), number in zip(picks, numbers):
            status = ContactPointApplication.APPROVED if decision == "approve" else ContactPointApplication.DECLINED
            _change(app, user, at, status=status, reply_number=number, replied_on=date)
            if decision == "approve":
                station = Station.objects.get(pk=app.station_id)
                _change(station, user, at, status=Station.CONTACT_POINT, reply_number=number, approved_on=date)


def _change(obj, user, at: dt.datetime, **values) -> None:
    from web.registry.history import label_of, values as current

    old = current(obj, list(values))
    for field, value in values.items():
        setattr(obj, field, value)
    new = current(obj, list(values))
    if old == new:
        return
    obj.save(update_fields=list(values))
    Change.objects.create(at=at, user=user, district_id=obj.district_id, model=label_of(type(obj)), object_id=obj.pk,
                          label=str(getattr(obj, "key", obj))[:255], action=Change.EDITED,
                          old={k: v for k, v in old.items() if v != new[k]},
                          new={k: v for k, v in new.items() if v != old[k]})


# ---- 标牌 ------------------------------------------------------------------------------------------------

def plaque_candidates() -> list[Station]:
    """Approved stations (a 批复 on record) whose plaque has not been made and is not on an open order."""
    ordered = PlaqueOrder.objects.filter(confirmed_at__isnull=True).values("stations")
    return list(Station.objects.filter(status__in=[Station.APPROVED, Station.CONTACT_POINT], approved_on__isnull=False,
                                       plaque_printed_at__isnull=True).exclude(pk__in=ordered)
                .select_related("district").order_by("district__order", "approved_on", "id"))


def plaque_batch_record(stations: list[Station], title: str = "", **options) -> dict:
    """A plaque batch (kind ``plaque-batch``): a contact point's plaque names its district bureau."""
    rows = []
    for n, station in enumerate(stations, 1):
        row = {"serial": n, "name": station.name}
        if station.status == Station.CONTACT_POINT:
            row.update(variant="contact", bureau=station.bureau or station.district.bureau)
        else:
            row["variant"] = "general"
        rows.append(row)
    record = {"kind": "plaque-batch", "title": title, "stations": rows,
              **{k: v for k, v in options.items() if v not in (None, "")}}
    parse_record(record, "登记簿标牌")
    return record


def order_plaques(stations: list[Station], title: str, user, at: dt.datetime | None = None) -> PlaqueOrder:
    order = PlaqueOrder.objects.create(title=title, created_at=at or timezone.now(), user=user)
    order.stations.set(stations)
    return order


def confirm_plaques(order: PlaqueOrder, user, at: dt.datetime | None = None) -> int:
    """The sign shop has made the order's plaques: each station's plaque is marked printed (logged)."""
    at = at or timezone.now()
    with transaction.atomic():
        order.confirmed_at = at
        order.save(update_fields=["confirmed_at"])
        stations = list(order.stations.all())
        for station in stations:
            _change(station, user, at, plaque_printed_at=at)
    return len(stations)

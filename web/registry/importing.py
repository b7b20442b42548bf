"""Imports what districts and stations send today, through docgen's own readers: a district's workbook, one
table as CSV (UTF-8 or GB18030) or a YAML ``district-report`` (``docgen.annexes.submissions.read_submission``),
and a filled 附件1 (``docgen.annexes.application_workbook`` or its YAML record).

Good rows upsert by their natural key; bad rows are reported by sheet, row and column, as docgen reports them;
a row missing from a district's re-imported full table is retired, not deleted; every change is a ``Change``
(who, when, which file and row, old and new values). Re-importing the same file changes nothing. Each table is
read once per import (one query), and written with bulk statements, whatever its length.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from docgen.annexes.forms import sub_tables
from docgen.annexes.submissions import read_submission
from docgen.annexes.workbook import sheet_name
from docgen.problems import InvalidRecord
from docgen.records.annexes.annex1 import ContactPointApplication as ApplicationRecord
from docgen.records.base import read_csv, read_yaml
from docgen.annexes.includes import SUBMISSION_SUFFIXES, read_application_file, rejected_rows
from web.registry.history import label_of, values
from web.registry.models import (REPORTED_MODELS, Change, ContactPointApplication, District, ImportRun,
                                 ReportedRow, Station)

MODELS = {model.table: model for model in REPORTED_MODELS}
BATCH = 500  # rows a bulk statement carries (SQLite's bound-parameter limit stays far away)


class ImportRefused(Exception):
    """A file that cannot be imported at all (unknown district, unreadable file): the reason in Chinese."""


@dataclass
class ImportResult:
    """What one file did to the registry."""

    file: str
    district: str = ""
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)  # one line per bad row: sheet, row, column, rule
    notes: list[str] = field(default_factory=list)
    run: ImportRun | None = None

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.retired

    def summary(self) -> str:
        text = (f"{self.file}（{self.district}）：新增 {self.created}，修改 {self.updated}，停用 {self.retired}，"
                f"未变 {self.unchanged}，未能接受 {len(self.rejected)} 行")
        return "\n".join([text, *("  - " + line for line in self.rejected), *("  * " + n for n in self.notes)])


def submission_files(paths: list[str | Path]) -> list[Path]:
    """The district files named, a folder standing for the files in it (sorted)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in SUBMISSION_SUFFIXES)
        else:
            files.append(path)
    return files


def find_district(name: str, districts: list[District] | None = None) -> District | None:
    """The district a bureau's name names: 山阳区市场监督管理局, 山阳区局, 山阳区 → 山阳区 (the longest match)."""
    name = name.strip()
    candidates = [d for d in (districts or District.objects.all()) if d.name and (d.name in name or d.bureau == name)]
    return max(candidates, key=lambda d: len(d.name)) if candidates else None


def natural_key(model: type[ReportedRow], data: dict) -> str:
    return " / ".join(str(data[f]).strip() for f in model.natural_key)


def _csv_table(path: Path) -> str | None:
    """The table a CSV file holds, found by its headers as docgen's reader finds it."""
    rows = read_csv(path)
    header = [h.strip() for h in rows[0]] if rows else []
    return next((t.key for _, t in sub_tables() if all(c.header in header for c in t.columns)), None)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_report(path: str | Path, user=None, district: str = "", at: dt.datetime | None = None) -> ImportResult:
    """One district file (XLSX, CSV or YAML) into the registry, in one transaction."""
    path = Path(path)
    at = at or timezone.now()
    try:
        tables = read_submission(path)
    except InvalidRecord as exc:
        raise ImportRefused(exc.report()) from None
    districts = list(District.objects.all())
    named = tables.district if path.suffix.lower() != ".csv" else ""
    target = find_district(district, districts) if district else None
    if district and target is None:
        raise ImportRefused(f"{path.name}：没有区县「{district}」；可用：" + "、".join(d.name for d in districts))
    from_file = find_district(named, districts) if named else None
    if named and target and from_file != target:
        raise ImportRefused(f"{path.name}：文件的填报单位是「{named}」，与指定的区县「{target.name}」不一致")
    target = target or from_file or (find_district(path.stem, districts) if path.suffix.lower() == ".csv" else None)
    if target is None:
        raise ImportRefused(f"{path.name}：填报单位「{named or path.stem}」不是本市的区县，请用 --district 指明；"
                            "可用：" + "、".join(d.name for d in districts))
    if path.suffix.lower() == ".csv":
        keys = [_csv_table(path)]
    else:
        keys = [t.key for _, t in sub_tables() if t.key in tables.rows]
    rejected = rejected_rows(path, tables.problems)
    result = ImportResult(path.name, target.name, rejected=rejected)
    with transaction.atomic():
        run = ImportRun.objects.create(at=at, user=user, kind=ImportRun.REPORT, file_name=path.name,
                                       sha256=_digest(path), district=target, tables=keys, rejected=rejected)
        if named and named != target.bureau and find_district(named, [target]):
            _rename_bureau(target, named, run, at, user)
            result.notes.append(f"辖区局名称改为「{named}」")
        for form, table in sub_tables():
            if table.key not in keys:
                continue
            where = path.name if path.suffix.lower() == ".csv" else sheet_name(form, table)
            # a table with rows that could not be accepted is not taken as complete: nothing in it is retired
            complete = not any(p.field.startswith(where + " ") for p in tables.problems)
            _upsert(MODELS[table.key], target, tables.rows.get(table.key, []), where, complete, run, at, user, result)
        run.created, run.updated, run.retired, run.unchanged = (result.created, result.updated, result.retired,
                                                                 result.unchanged)
        run.notes = result.notes
        run.save(update_fields=["created", "updated", "retired", "unchanged", "notes"])
    result.run = run
    return result


def _rename_bureau(district: District, bureau: str, run: ImportRun, at, user) -> None:
    Change.objects.create(at=at, user=user, source=run, district=district, model=label_of(District),
                          object_id=district.pk, label=district.name, action=Change.UPDATED,
                          old={"bureau": district.bureau}, new={"bureau": bureau})
    district.bureau = bureau
    district.save(update_fields=["bureau"])


def _upsert(model: type[ReportedRow], district: District, rows: list, where: str, complete: bool, run: ImportRun,
            at: dt.datetime, user, result: ImportResult) -> None:
    """One table of one district: read once, then bulk creates, bulk updates and the changes logged."""
    fields = list(model.row_fields.values())
    existing = {obj.key: obj for obj in model.objects.filter(district=district)}
    seen: dict[str, tuple[int, dict]] = {}
    for n, row in enumerate(rows, 1):  # a key twice in one file: the later line is the one kept
        data = row.model_dump(mode="json")
        key = natural_key(model, data)
        if key in seen:
            result.notes.append(f"{where}：「{key}」在第 {seen[key][0]} 条和第 {n} 条有效行重复，以后者为准")
            del seen[key]
        seen[key] = (n, data)
    creates: list[ReportedRow] = []
    updates: list[ReportedRow] = []
    moved: list[tuple[ReportedRow, int]] = []  # rows that only changed place, by how much
    log: list[tuple[ReportedRow, Change]] = []
    for key, (n, data) in seen.items():
        origin = f"{where} 第 {n} 条有效行"
        new = {model.row_fields[f]: data[f] for f in model.row_fields}
        obj = existing.get(key)
        if obj is None:
            obj = model(district=district, key=key, position=n, valid_from=at, source=run, source_row=origin, **new)
            creates.append(obj)
            log.append((obj, Change(action=Change.CREATED, old={}, new=new, row=origin)))
            continue
        old = values(obj, fields)
        diff_old = {f: old[f] for f in fields if old[f] != new[f]}
        action = Change.UPDATED
        if obj.valid_from is None or obj.retired_at is not None:  # (back) in the district's report
            action = Change.CREATED if obj.valid_from is None else Change.REVIVED
            diff_old.update(values(obj, ("valid_from", "retired_at")))
            obj.valid_from = obj.valid_from or at
            obj.retired_at = None
        if diff_old:
            diff_new = {f: new[f] for f in diff_old if f in new}
            diff_new.update(values(obj, [f for f in ("valid_from", "retired_at") if f in diff_old]))
            for f in fields:
                setattr(obj, f, new[f])
            obj.position, obj.source, obj.source_row = n, run, origin
            updates.append(obj)
            log.append((obj, Change(action=action, old=diff_old, new=diff_new, row=origin)))
            if action == Change.CREATED:
                result.created += 1
            else:
                result.updated += 1
        else:
            result.unchanged += 1
            if obj.position != n:
                moved.append((obj, n - obj.position))
                obj.position = n
    retire: list[ReportedRow] = []
    if complete:
        for key, obj in existing.items():
            if key not in seen and obj.valid_from is not None and obj.retired_at is None:
                obj.retired_at = at
                retire.append(obj)
                log.append((obj, Change(action=Change.RETIRED, old={"retired_at": None},
                                        new={"retired_at": at.isoformat()}, row="")))
    elif any(key not in seen and obj.current for key, obj in existing.items()):
        result.notes.append(f"{where} 有未能接受的行，本次不停用未出现的记录")
    model.objects.bulk_create(creates, batch_size=BATCH)
    if updates:
        model.objects.bulk_update(updates, [*fields, "valid_from", "retired_at", "position", "source", "source_row"],
                                  batch_size=BATCH)
    _move(model, moved)
    if retire:
        model.objects.bulk_update(retire, ["retired_at"], batch_size=BATCH)
    for obj, change in log:
        change.at, change.user, change.source, change.district = at, user, run, district
        change.model, change.object_id, change.label = label_of(model), obj.pk, obj.key[:255]
    Change.objects.bulk_create([change for _, change in log], batch_size=BATCH)
    result.created += len(creates)
    result.retired += len(retire)


def _move(model: type[ReportedRow], moved: list[tuple[ReportedRow, int]]) -> None:
    """New places of rows otherwise unchanged. A row added or dropped shifts every row after it by the same
    amount, so one ``position = position + shift`` statement per shift (and per 500 rows) does; a file in a
    new order altogether falls back to one bulk update."""
    shifts: dict[int, list[int]] = {}
    for obj, shift in moved:
        shifts.setdefault(shift, []).append(obj.pk)
    if len(shifts) > 20:
        model.objects.bulk_update([obj for obj, _ in moved], ["position"], batch_size=BATCH)
        return
    for shift, pks in shifts.items():
        for start in range(0, len(pks), BATCH):
            model.objects.filter(pk__in=pks[start:start + BATCH]).update(position=F("position") + shift)


def import_reports(paths: list[str | Path], user=None, district: str = "", at: dt.datetime | None = None
                   ) -> list[ImportResult]:
    return [import_report(path, user, district, at) for path in submission_files(paths)]


# ---- 附件1 ----------------------------------------------------------------------------------------------

def read_application(path: Path) -> ApplicationRecord:
    """A filled 附件1 (the workbook, or its YAML record) through docgen's readers; every bad box reported."""
    data = read_application_file(path) if path.suffix.lower() == ".xlsx" else read_yaml(path)
    return ApplicationRecord.parse(data, str(path))


def application_key(app: ApplicationRecord) -> str:
    return f"{app.station} / {app.organisation} / {app.filled_on.isoformat() if app.filled_on else ''}"


def import_application(path: str | Path, user=None, at: dt.datetime | None = None,
                       request_number: str = "") -> ImportResult:
    """One 附件1 into the registry: its station (created as 申请中 when the registry does not know it yet) and
    the application itself, pending a 批复. The same file again changes nothing."""
    path = Path(path)
    at = at or timezone.now()
    try:
        app = read_application(path)
    except InvalidRecord as exc:
        raise ImportRefused(exc.report()) from None
    district = find_district(app.bureau) or find_district(app.station) or find_district(app.address)
    if district is None:
        raise ImportRefused(f"{path.name}：从辖区市场监管局「{app.bureau}」和单位地址看不出是哪个区县")
    form = app.model_dump(mode="json", exclude={"kind"})
    key = application_key(app)
    result = ImportResult(path.name, district.name)
    with transaction.atomic():
        station = (Station.objects.filter(district=district, key=app.station).first()
                   or Station.objects.filter(key=app.station).first())
        existing = ContactPointApplication.objects.filter(key=key).first()
        if existing is not None and existing.form == form and existing.station_id == getattr(station, "pk", None):
            result.unchanged = 1
            return result
        run = ImportRun.objects.create(at=at, user=user, kind=ImportRun.APPLICATION, file_name=path.name,
                                       sha256=_digest(path), district=district, tables=["application"])
        if station is None:
            station = Station.objects.create(district=district, key=app.station, name=app.station,
                                             organisation=app.organisation, status=Station.APPLYING,
                                             source=run, source_row="附件1")
            Change.objects.create(at=at, user=user, source=run, row="附件1", district=district,
                                  model=label_of(Station), object_id=station.pk, label=station.key,
                                  action=Change.CREATED, new={"name": station.name, "organisation": app.organisation,
                                                              "status": Station.APPLYING})
            result.created += 1
        elif not station.organisation:
            Change.objects.create(at=at, user=user, source=run, row="附件1", district=district,
                                  model=label_of(Station), object_id=station.pk, label=station.key,
                                  action=Change.UPDATED, old={"organisation": ""},
                                  new={"organisation": app.organisation})
            station.organisation = app.organisation
            station.save(update_fields=["organisation"])
        if existing is None:
            existing = ContactPointApplication.objects.create(
                key=key, district=district, station=station, form=form, organisation=app.organisation,
                filled_on=app.filled_on, request_number=request_number, source=run)
            Change.objects.create(at=at, user=user, source=run, row="附件1", district=district,
                                  model=label_of(ContactPointApplication), object_id=existing.pk, label=key[:255],
                                  action=Change.CREATED, new={"form": form})
            result.created += 1
        else:
            old = {k: v for k, v in existing.form.items() if form.get(k) != v}
            Change.objects.create(at=at, user=user, source=run, row="附件1", district=district,
                                  model=label_of(ContactPointApplication), object_id=existing.pk, label=key[:255],
                                  action=Change.UPDATED, old={"form": old},
                                  new={"form": {k: form.get(k) for k in old}})
            existing.form, existing.station, existing.source = form, station, run
            existing.save(update_fields=["form", "station", "source"])
            result.updated += 1
        run.created, run.updated = result.created, result.updated
        run.save(update_fields=["created", "updated"])
    result.run = run
    return result


def application_record(application: ContactPointApplication) -> dict:
    """The 附件1 record of an application, as docgen reads it."""
    return {"kind": "contact-point-application", **application.form}


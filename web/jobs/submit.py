"""Submitting from data: a record as JSON, or the files a district or a station filled in (read with docgen's
own readers from the uploaded bytes), checked against the user's role and district, then queued through
``workers.client.submit_data``. Nothing is rendered here."""

from __future__ import annotations

import tempfile
from pathlib import Path

from docgen.kinds import get as get_kind
from docgen.kinds import parse_record
from docgen.problems import ABSENT, InvalidRecord, Problem
from docgen.records import limits
from docgen.records.filenames import safe_filename
from docgen.records.includes import refuse_file_references
from web.accounts import permissions

from .models import Job

UPLOAD_KINDS = ("district-report", "consolidation", "contact-point-application")
REPORT_SUFFIXES = (".xlsx", ".csv", ".yaml", ".yml")
APPLICATION_SUFFIXES = (".xlsx", ".yaml", ".yml")
# what one request may carry in all (each file is also bounded by its own kind's limit)
UPLOAD_TOTAL_BYTES = limits.Limit("一次上传的文件总大小", 200 * limits.MB, "字节")
_UNREADABLE = (OSError, ValueError, KeyError, IndexError, EOFError, RecursionError, TypeError)


def district_of(kind: str, record):
    """The district whose data a validated record carries (None: a city-level record)."""
    from web.registry.importing import find_district

    if kind == "district-report":
        return find_district(record.district)
    if kind == "contact-point-application":
        for text in (record.bureau, getattr(record, "station", ""), getattr(record, "address", "")):
            district = find_district(text) if text else None
            if district is not None:
                return district
    return None


def submit_record(user, data, name: str = "", rejected: list[str] | None = None) -> Job:
    """Checks ``data`` (kind, role, no file references, docgen's validation, the clerk's district) and queues
    it. Raises ``permissions.Refused`` or ``InvalidRecord``; ``workers.client.QueueUnavailable`` when Redis
    is down."""
    from workers.client import submit_data

    if not isinstance(data, dict):
        raise InvalidRecord([Problem("record", ABSENT, "应为键值对（字段: 值），并以 kind 指明文种")])
    if "kind" not in data:
        raise InvalidRecord([Problem("kind", ABSENT, "缺少文种字段 kind")])
    kind = get_kind(str(data["kind"]))
    permissions.check_submit_kind(user, kind.name)
    name = safe_filename((name or "").strip() or str(data.get("name") or "") or kind.name)[:120]
    refuse_file_references(data, name)
    _, record = parse_record(data, name)
    district = district_of(kind.name, record)
    permissions.check_submit_district(user, kind.name, district)
    job_id = submit_data(kind.name, name, data)
    return Job.objects.create(job_id=job_id, kind=kind.name, name=name, owner=user, district=district,
                              rejected=list(rejected or []))


# ---------------------------------------------------------------------------------------------- uploads
def _bounded(upload, limit: limits.Limit) -> bytes:
    if upload.size is not None and upload.size > limit.maximum:
        raise limit.error(upload.size, upload.name)
    data = upload.read(limit.maximum + 1)
    if len(data) > limit.maximum:
        raise limit.error(len(data), upload.name)
    return data


def _file_problem(name: str, exc: BaseException) -> InvalidRecord:
    return InvalidRecord([Problem(name, ABSENT, f"无法读取（{type(exc).__name__}）：应为填好的 .xlsx 工作簿、CSV 或 YAML")])


def _read_report(upload, district: str) -> tuple[dict, list[str]]:
    """One district's report file → (district-report data, its rejected rows, one line each)."""
    from docgen.annexes.submissions import read_csv_table, read_yaml_submission
    from docgen.annexes.workbook import read_workbook

    name = safe_filename(upload.name or "报送")
    suffix = Path(name).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise InvalidRecord([Problem(name, ABSENT, "只能上传 .xlsx、.csv 或 .yaml 区局报送文件")])
    try:
        if suffix == ".xlsx":
            tables = read_workbook(_bounded(upload, limits.WORKBOOK_BYTES), name)
        else:
            data = _bounded(upload, limits.CSV_BYTES if suffix == ".csv" else limits.RECORD_BYTES)
            with tempfile.TemporaryDirectory(prefix="docgen-upload-") as folder:
                path = Path(folder) / name
                path.write_bytes(data)
                tables = read_csv_table(path, district or path.stem) if suffix == ".csv" \
                    else read_yaml_submission(path)
    except InvalidRecord:
        raise
    except _UNREADABLE as exc:
        raise _file_problem(name, exc) from None
    report = {"kind": "district-report", "district": tables.district,
              **{key: [row.model_dump(mode="json") for row in rows] for key, rows in tables.rows.items()}}
    return report, [f"{name}：{p.message()}" for p in tables.problems]


def _read_application(upload) -> dict:
    from docgen.annexes.application_workbook import read_application_workbook
    from docgen.records.base import parse_yaml_text

    name = safe_filename(upload.name or "申请表")
    suffix = Path(name).suffix.lower()
    if suffix not in APPLICATION_SUFFIXES:
        raise InvalidRecord([Problem(name, ABSENT, "附件1 申请表只能上传 .xlsx 工作簿或 .yaml 记录")])
    try:
        if suffix == ".xlsx":
            return read_application_workbook(_bounded(upload, limits.WORKBOOK_BYTES), name).model_dump(mode="json")
        text = _bounded(upload, limits.RECORD_BYTES).decode("utf-8")
        data = parse_yaml_text(text, name)
    except InvalidRecord:
        raise
    except _UNREADABLE as exc:
        raise _file_problem(name, exc) from None
    if not isinstance(data, dict):
        raise InvalidRecord([Problem(name, ABSENT, "应为附件1 申请表记录（kind: contact-point-application）")])
    return {"kind": "contact-point-application", **data}


def record_from_uploads(user, kind: str, uploads: list, district: str = "") -> tuple[dict, list[str]]:
    """The record the uploaded files make for ``kind``, and the rows that could not be accepted. A clerk's
    CSV table is their own district's."""
    if kind not in UPLOAD_KINDS:
        raise InvalidRecord([Problem("kind", kind, "上传文件只用于 " + "、".join(UPLOAD_KINDS) + "；其他文种请提交 JSON 记录")])
    kind_obj = get_kind(kind)
    permissions.check_submit_kind(user, kind_obj.name)
    if not uploads:
        raise InvalidRecord([Problem("files", ABSENT, "没有上传文件")])
    most = limits.FOLDER_FILES.maximum if kind == "consolidation" else 1
    if len(uploads) > most:
        raise InvalidRecord([Problem("files", f"{len(uploads):,} 个",
                                     f"超过上限：{kind_obj.label}一次最多上传 {most:,} 个文件")])
    total = sum(u.size or 0 for u in uploads)
    UPLOAD_TOTAL_BYTES.check(total, "files")
    own = permissions.clerk_district(user)
    if own is not None:
        district = own.bureau or own.name
    if kind == "contact-point-application":
        return _read_application(uploads[0]), []
    if kind == "district-report":
        return _read_report(uploads[0], district)
    submissions, problems, rejected = [], [], []
    for upload in uploads:
        try:
            report, refused = _read_report(upload, district)
        except InvalidRecord as exc:
            problems += exc.problems
            continue
        submissions.append({"report": report, "rejected": refused})
        rejected += refused
    if problems:
        raise InvalidRecord(problems)
    return {"kind": "consolidation", "submissions": submissions}, rejected

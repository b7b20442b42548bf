"""发文登记簿的办理步骤: draft → sign_off (the 发文字号 is allocated here) → seal → issue (archived), or void;
a document whose record asks for no seal (不加盖印章, `needs_seal`) goes from sign_off straight to issue.

Numbers are allocated per 机关代字 and year, consecutively, at sign-off, from a `NumberSequence` row locked
with SELECT … FOR UPDATE (PostgreSQL); on SQLite the IMMEDIATE transactions of the settings serialise the
writers. A number once handed out stays with its entry, voided or not, and the counter only goes up.

The record of an entry is a docgen record (a plain dict, validated by `docgen.kinds.parse_record`) without its
number; `DocumentEntry.numbered_record()` adds it and `render()` turns it into docgen's artifacts. A reply batch
from the system of record is drafted as one entry a reply (`draft_reply_batch`), signed off in one call, and
`reply_batch_record` gives the batch record whose `first_number` is the register's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from docgen.kinds import get as get_kind
from docgen.kinds import parse_record, render_data
from docgen.problems import InvalidRecord, Problem
from docgen.records.fields import DocNumber
from workers.artifacts import ARCHIVE, CorruptArtifact, default_url, open_store

from .models import (ArchivedFile, DocumentEntry, DocumentEvent, NumberSequence, RegisterGuardError, Status,
                     needs_seal, next_statuses, status_label)

__all__ = ["ArchiveError", "RegisterError", "TransitionError", "archive_store", "archived_bytes", "check_record",
           "draft", "draft_reply_batch", "issue", "needs_seal", "next_statuses", "render", "reply_batch_record", "seal",
           "sign_off", "void"]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ARCHIVED_TYPES = {PDF: "PDF", DOCX: "DOCX"}  # what every issued entry keeps
Action = DocumentEvent.Action


class RegisterError(RegisterGuardError, ValueError):
    """A step the register refuses (the message, in Chinese, names the entry and the rule)."""


class TransitionError(RegisterError):
    """A step not allowed from the entry's status."""


class ArchiveError(RegisterError):
    """An archived file that cannot be read back whole."""


class CorruptArchive(ArchiveError, CorruptArtifact):
    """An archived file whose bytes no longer hash to the SHA-256 recorded at issue."""


# ---------------------------------------------------------------------------------------------- records
def _placeholder(issuer_code: str, year: int) -> str:
    try:
        return str(DocNumber.parse(f"{issuer_code}〔{year}〕1号"))
    except ValueError as exc:
        raise RegisterError(f"机关代字 {issuer_code!r} 无效：{exc}") from None


def _plain(record: Any) -> dict:
    """The record as JSON data (dates as ISO text), exactly what the database keeps."""
    if not isinstance(record, dict):
        raise InvalidRecord([Problem("记录", str(record)[:40], "应为键值对（字段: 值）")])
    return json.loads(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))


def check_record(kind: str, issuer_code: str, record: dict):
    """Validates a draft's record with docgen (InvalidRecord lists every problem, in Chinese) and returns
    (the record as stored, the validated docgen record). The number is the register's: a record naming one
    is refused."""
    docgen_kind = get_kind(kind)
    if "doc_number" not in docgen_kind.record.model_fields:
        hint = "；批复批量制作请用 draft_reply_batch 逐件登记" if docgen_kind.is_batch else ""
        raise RegisterError(f"文种 {kind}（{docgen_kind.label}）没有发文字号，不进入发文登记簿{hint}")
    data = _plain(record)
    if data.get("kind", kind) != kind:
        raise InvalidRecord([Problem("kind", data["kind"], f"与登记的文种 {kind} 不一致")])
    if "doc_number" in data:
        raise InvalidRecord([Problem("doc_number", data["doc_number"], "发文字号由发文登记簿在签发时编定，草稿中不填")])
    data["kind"] = kind
    _, validated = parse_record({**data, "doc_number": _placeholder(issuer_code, timezone.localdate().year)})
    return data, validated


def _record_date(validated) -> dt.date | None:
    """成文日期: the record's date, its signature's, or (命令) its 签发人's."""
    date = getattr(validated, "date", None)
    for holder in ("signature", "signer"):
        if date is None and getattr(validated, holder, None) is not None:
            date = getattr(getattr(validated, holder), "date", None)
    return date if isinstance(date, dt.date) else None


# ---------------------------------------------------------------------------------------------- steps
def _event(entry: DocumentEntry, action: str, before: str, user, note: str = "", at=None) -> None:
    DocumentEvent.objects.create(entry=entry, action=action, from_status=before, to_status=entry.status,
                                 user=user, at=at or timezone.now(), note=note[:500])


def _refuse(entry: DocumentEntry, wanted: str) -> TransitionError:
    allowed = "、".join(status_label(s) for s in next_statuses(entry)) or "无（已是最终状态）"
    return TransitionError(f"{entry}：状态为{entry.get_status_display()}，不能{wanted}；"
                           f"此状态下可办理的下一步：{allowed}")


def _locked(entry: DocumentEntry) -> DocumentEntry:
    return DocumentEntry.objects.select_for_update().get(pk=entry.pk)


def _user(user):
    return user if getattr(user, "pk", None) is not None else None


def draft(*, kind: str, issuer_code: str, title: str, doc_type: str, record: dict, user,
          corrects: DocumentEntry | None = None) -> DocumentEntry:
    """起草: a new entry in 草稿, without a number. `record` is the docgen record without `doc_number`;
    `corrects` names the issued document this one corrects. `title` may be empty for a generated
    公文 (批复, 通报): it is then taken from docgen's content."""
    issuer_code = (issuer_code or "").strip()
    data, validated = check_record(kind, issuer_code, record)
    title = (title or "").strip() or get_kind(kind).build(validated, "draft").title
    doc_type = getattr(validated, "doc_type", None) or doc_type  # a record that says its 文种 is believed
    if len(title) > DocumentEntry._meta.get_field("title").max_length:
        raise RegisterError(f"《{title[:40]}……》：标题过长（至多 300 个字符）")
    if not (doc_type or "").strip():
        raise RegisterError(f"《{title}》：文种（通知、批复、通报等）不能为空")
    with transaction.atomic():
        note = ""
        if corrects is not None:
            corrects = DocumentEntry.objects.get(pk=corrects.pk)
            if corrects.status != Status.ISSUED:
                raise RegisterError(f"{corrects}：状态为{corrects.get_status_display()}，只能更正已印发的公文"
                                    "（未印发的可修改草稿或作废）")
            note = f"更正{corrects}"
        entry = DocumentEntry.objects.create(kind=kind, issuer_code=issuer_code, doc_type=doc_type.strip(),
                                             title=title, date=_record_date(validated), record=data,
                                             corrects=corrects, status=Status.DRAFT, drafted_by=_user(user),
                                             drafted_at=timezone.now())
        _event(entry, Action.DRAFT, "", _user(user), note, at=entry.drafted_at)
    return entry


def sign_off(entries: list[DocumentEntry], user, *, year: int | None = None) -> list[str]:
    """签发: allocates consecutive 发文字号 to `entries`, in one transaction, per 机关代字 and year (an entry's
    year is its 成文日期's; `year` is for entries without a date, and must agree with those that have one);
    returns them in the entries' order. Every entry must be a 草稿; the entries passed are refreshed."""
    entries = list(entries)
    if not entries:
        return []
    ids = [e.pk for e in entries]
    if len(set(ids)) != len(ids):
        raise RegisterError("同一件公文在一次签发中出现了两次")
    now = timezone.now()
    with transaction.atomic():
        fresh = {e.pk: e for e in DocumentEntry.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        groups: dict[tuple[str, int], list[DocumentEntry]] = {}
        for pk in ids:
            entry = fresh.get(pk)
            if entry is None:
                raise RegisterError(f"发文登记 #{pk} 不存在")
            if entry.status != Status.DRAFT:
                raise _refuse(entry, "签发（只有草稿可以签发编号）")
            entry_year = _entry_year(entry, year)
            groups.setdefault((entry.issuer_code, entry_year), []).append(entry)
        for (code, entry_year) in sorted(groups):  # always the same lock order: no deadlock between sign-offs
            group = groups[(code, entry_year)]
            first = _take_numbers(code, entry_year, len(group))
            for n, entry in enumerate(group):
                entry.year, entry.number = entry_year, first + n
                entry.doc_number = str(DocNumber(code, entry_year, first + n))
        for pk in ids:
            entry = fresh[pk]
            entry.status, entry.signed_by, entry.signed_at = Status.SIGNED, _user(user), now
            entry.save()
            _event(entry, Action.SIGN_OFF, Status.DRAFT, _user(user), f"编号 {entry.doc_number}", at=now)
    for entry in entries:
        entry.refresh_from_db()
    return [fresh[pk].doc_number for pk in ids]


def _entry_year(entry: DocumentEntry, year: int | None) -> int:
    if entry.date is not None:
        if year is not None and year != entry.date.year:
            raise RegisterError(f"{entry}：成文日期为 {entry.date.year} 年，不能编入 {year} 年的发文字号")
        return entry.date.year
    return year or timezone.localdate().year


def _take_numbers(issuer_code: str, year: int, count: int) -> int:
    """The first of `count` consecutive numbers for (issuer_code, year), taken from the locked counter."""
    NumberSequence.objects.bulk_create([NumberSequence(issuer_code=issuer_code, year=year)], ignore_conflicts=True)
    counter = NumberSequence.objects.select_for_update().get(issuer_code=issuer_code, year=year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return first


def seal(entry: DocumentEntry, user) -> None:
    """用印: 已签发 → 已用印. A document without a seal (不加盖印章) is refused: it is issued as signed off."""
    if not needs_seal(DocumentEntry.objects.get(pk=entry.pk)):
        raise TransitionError(f"{entry}：此件为不加盖印章的公文（其记录未要求用印，GB/T 9704 §7.3.5.2），"
                              "不能用印；签发后直接印发")
    _step(entry, user, Status.SIGNED, Status.SEALED, Action.SEAL, "用印（须先签发）")


def _step(entry: DocumentEntry, user, before: str | None, after: str, action: str, wanted: str, note: str = "",
          more: dict | None = None, inside=None) -> None:
    """Moves the entry, locked, from `before` (None: any status that allows the step) to `after`, recording
    who and when, in the entry and in its event log; `inside(locked, now)` runs in the same transaction."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(entry)
        if (before is not None and locked.status != before) or after not in next_statuses(locked):
            raise _refuse(locked, wanted)
        before = locked.status
        if inside is not None:
            inside(locked, now)
        locked.status = after
        prefix = {Status.SEALED: "sealed", Status.ISSUED: "issued", Status.VOID: "voided"}[after]
        setattr(locked, f"{prefix}_by", _user(user))
        setattr(locked, f"{prefix}_at", now)
        for name, value in (more or {}).items():
            setattr(locked, name, value)
        locked.save()
        _event(locked, action, before, _user(user), note, at=now)
    entry.refresh_from_db()


def void(entry: DocumentEntry, user, reason: str) -> None:
    """作废: a draft, or a signed or sealed entry whose number then stays recorded as voided (never reused).
    An issued document is not voided: a correction is a new document that names it (`corrects`)."""
    reason = (reason or "").strip()
    if not reason:
        raise RegisterError(f"{entry}：作废须写明原因")
    entry.refresh_from_db(fields=["status"])
    if entry.status == Status.ISSUED:
        raise TransitionError(f"{entry}：已印发，不能作废；如需更正或废止，请起草一件新公文并注明所更正的公文")
    _step(entry, user, None, Status.VOID, Action.VOID, "作废", note=reason[:300], more={"void_reason": reason[:300]})


# ---------------------------------------------------------------------------------------------- archive
def archive_store():
    """The document archive: the artifact store's `archive` namespace (DOCGEN_ARTIFACTS_URL, or the local
    folder default)."""
    return open_store(default_url(), namespace=ARCHIVE)


def _check_artifacts(entry: DocumentEntry, artifacts: list) -> list:
    artifacts = list(artifacts or [])
    names = [getattr(a, "filename", "") for a in artifacts]
    for a, name in zip(artifacts, names):
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or len(name) > 255:
            raise RegisterError(f"{entry}：归档文件名 {name!r} 无效（不含路径，至多 255 个字符）")
        if not isinstance(getattr(a, "data", None), (bytes, bytearray)) or not a.data:
            raise RegisterError(f"{entry}：归档文件 {name} 没有内容")
    if len(set(names)) != len(names):
        raise RegisterError(f"{entry}：归档文件名重复（{'、'.join(names)}）")
    kinds = {getattr(a, "media_type", "") for a in artifacts}
    missing = [label for media, label in ARCHIVED_TYPES.items() if media not in kinds]
    if missing:
        raise RegisterError(f"{entry}：印发须归档 PDF 和 DOCX 两种文件，缺少 {'、'.join(missing)}")
    return artifacts


def issue(entry: DocumentEntry, user, artifacts: list) -> None:
    """印发: 已用印 → 已印发 (or, for a document without a seal, 已签发 → 已印发), archiving `artifacts`
    (docgen Artifacts: the issued PDF and DOCX) in the artifact store with their SHA-256. From then on the
    entry and its files never change."""
    artifacts = _check_artifacts(entry, artifacts)
    entry.refresh_from_db()
    unsealed = entry.status == Status.SIGNED and not needs_seal(entry)
    before = Status.SIGNED if unsealed else Status.SEALED
    if entry.status != before:
        raise _refuse(entry, "印发（须先签发、用印）" if needs_seal(entry) else "印发（须先签发）")
    store = archive_store()
    try:
        digests = [store.put(bytes(a.data)) for a in artifacts]  # content-addressed: a rolled-back issue leaves
    finally:                                                      # only bytes nobody names
        store.close()

    def archive(locked: DocumentEntry, now) -> None:
        for a, digest in zip(artifacts, digests):
            ArchivedFile.objects.create(entry=locked, filename=a.filename, media_type=a.media_type, sha256=digest,
                                        size=len(a.data), archived_at=now)

    note = ("不加盖印章；" if unsealed else "") + "归档 " + "、".join(a.filename for a in artifacts)
    _step(entry, user, before, Status.ISSUED, Action.ISSUE, "印发（须先签发、用印）", note=note, inside=archive)


def archived_bytes(archived_file: ArchivedFile) -> bytes:
    """An archived file's bytes, read back from the artifact store and verified against its SHA-256."""
    store = archive_store()
    try:
        data = store.get(archived_file.sha256)
    except KeyError:
        raise ArchiveError(f"{archived_file.entry} 的归档文件 {archived_file.filename} 在文件存储中缺失"
                           f"（SHA-256 {archived_file.sha256}）") from None
    except CorruptArtifact as exc:
        raise CorruptArchive(f"{archived_file.entry} 的归档文件 {archived_file.filename} 已损坏：{exc}") from exc
    finally:
        store.close()
    if len(data) != archived_file.size:
        raise CorruptArchive(f"{archived_file.entry} 的归档文件 {archived_file.filename} 大小与登记不符")
    return data


# ---------------------------------------------------------------------------------------------- docgen
def render(entry: DocumentEntry, **options: Any) -> list:
    """docgen's artifacts (DOCX and PDF) of a numbered entry, rendered in-process from its record."""
    name = entry.record.get("name") or f"{entry.issuer_code}-{entry.year}-{entry.number}"
    return render_data(entry.numbered_record(), name, **options)


def draft_reply_batch(batch: dict, *, issuer_code: str, user) -> list[DocumentEntry]:
    """A reply batch from the system of record: one draft entry per 批复, in the batch's order (docgen's own
    split gives each reply's record). Sign them off in one `sign_off` call so their numbers are consecutive;
    `reply_batch_record` then gives the batch record numbered from the register."""
    data = _plain(batch)
    if data.get("kind", "reply-batch") != "reply-batch":
        raise InvalidRecord([Problem("kind", data["kind"], "应为 reply-batch")])
    if "first_number" in data:
        raise InvalidRecord([Problem("first_number", data["first_number"],
                                     "由发文登记簿在签发时编号的批次不填第一件的发文字号")])
    kind, validated = parse_record({**data, "kind": "reply-batch",
                                    "first_number": _placeholder(issuer_code, timezone.localdate().year)})
    entries = []
    with transaction.atomic():
        for item in kind.split(validated):
            if item.data.get("kind") != "reply":
                continue
            record = {k: v for k, v in item.data.items() if k != "doc_number"}
            entries.append(draft(kind="reply", issuer_code=issuer_code, title="", doc_type="批复", record=record,
                                 user=user))
    return entries


def reply_batch_record(batch: dict, entries: Iterable[DocumentEntry]) -> dict:
    """The reply-batch record with `first_number` from the register: `entries` (from `draft_reply_batch`,
    signed off) must be the batch's replies in order, with consecutive numbers of one 机关代字 and year."""
    entries = list(entries)
    data = _plain(batch)
    count = len(data.get("replies") or [])
    if len(entries) != count:
        raise RegisterError(f"批次有 {count} 件批复，登记簿给出 {len(entries)} 件")
    for entry in entries:
        entry.refresh_from_db()
        if entry.number is None or entry.status == Status.VOID:
            raise RegisterError(f"{entry}：状态为{entry.get_status_display()}，批次中的每件批复都须签发编号")
    first = entries[0]
    for n, entry in enumerate(entries):
        if (entry.issuer_code, entry.year, entry.number) != (first.issuer_code, first.year, first.number + n):
            raise RegisterError(f"{entry}：批次的发文字号须连续（应为 "
                                f"{DocNumber(first.issuer_code, first.year, first.number + n)}），请在一次签发中编号")
    data = {**data, "kind": "reply-batch", "first_number": first.doc_number}
    parse_record(data)
    return data

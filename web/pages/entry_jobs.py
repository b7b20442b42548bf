"""An entry's jobs on the queue and the 签发 flow's steps that use them: a draft's preview; 签发, which numbers
the entry, answers a 批复's application and queues the numbered files (PDF and DOCX); the entry's current job
and its state; and 印发 (用印 first for a sealed document) with the files the queue made. The pages and the API
both call these; nothing here answers a request."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from docgen.problems import InvalidRecord
from web.accounts import permissions as perm
from web.accounts.models import AuditEntry, audit
from web.documents import register
from web.documents.models import DocumentEntry, Status
from web.jobs.models import Job
from workers.store import FAILED
from web.pages import queue
from web.pages.models import EntryJob, ReplyDraft
from web.registry.records import mark_replied


def queue_preview(entry: DocumentEntry, user) -> EntryJob | None:
    """A draft's preview on the queue: its record with a stand-in number (the register numbers it at
    sign-off). A queue that is down leaves the draft without a preview, which the page can ask for again."""
    placeholder = f"{entry.issuer_code}〔{(entry.date or timezone.localdate()).year}〕1号"
    record = {**entry.record, "kind": entry.kind, "doc_number": placeholder}
    try:
        job = queue.submit_for(user, entry.kind, f"草稿预览-{entry.pk}", record)
    except (queue.QueueUnavailable, InvalidRecord):
        return None
    return EntryJob.objects.create(entry=entry, purpose=EntryJob.PREVIEW, job_id=job.job_id)


def queue_issue(entry: DocumentEntry, user) -> EntryJob | None:
    """A numbered entry's files (PDF and DOCX) on the queue: what is sealed and archived at 印发."""
    name = entry.doc_number.replace("〔", "-").replace("〕", "-").removesuffix("号")
    try:
        job = queue.submit_for(user, entry.kind, name, entry.numbered_record())
    except (queue.QueueUnavailable, InvalidRecord):
        return None
    return EntryJob.objects.create(entry=entry, purpose=EntryJob.ISSUE, job_id=job.job_id)


def sign_off(entry: DocumentEntry, user, request=None) -> tuple[str, EntryJob | None]:
    """签发 (the caller has checked that ``user`` may): the register numbers the entry, the sign-off is
    audited and a 批复's application answered, in one transaction; then the numbered files are queued.
    Returns (the 发文字号, the files' job or None when the queue is down: the sign-off stands)."""
    with transaction.atomic():
        number = register.sign_off([entry], user)[0]
        audit(AuditEntry.SIGN_OFF, actor=user, obj=entry, detail=f"签发 {number}《{entry.title}》", request=request)
        reply = ReplyDraft.objects.filter(entry=entry).select_related("application").first()
        if reply is not None:
            mark_replied([(reply.application, reply.decision)], [number], entry.date or timezone.localdate(), user)
    entry.refresh_from_db()
    return number, queue_issue(entry, user)


def requeue(entry: DocumentEntry, user) -> EntryJob | None:
    """The entry's current job queued again — a draft's preview, a numbered entry's files — when there is
    none, it failed or it expired; by city staff or a 签发人. ``register.RegisterError`` when there is nothing
    to make again (the job is under way or done, or the entry is issued or void); None when the queue is down."""
    if not (perm.is_city_staff(user) or perm.is_signer(user)):
        raise perm.Denied("只有市局经办人或签发人可以重新生成")
    if entry.status not in (Status.DRAFT, Status.SIGNED, Status.SEALED):
        raise register.RegisterError(f"{entry}：状态为{entry.get_status_display()}，不再生成文件")
    _, state = job_state(entry_job(entry))
    if state is not None and state.state != FAILED:
        raise register.RegisterError(f"{entry}：生成任务{'已完成' if state.final else '正在进行'}，无需重新生成")
    return queue_preview(entry, user) if entry.status == Status.DRAFT else queue_issue(entry, user)


def purpose(entry: DocumentEntry) -> str:
    """What the entry's current job is for: its preview as a draft, its files once numbered."""
    return EntryJob.PREVIEW if entry.status == Status.DRAFT else EntryJob.ISSUE


def entry_job(entry: DocumentEntry) -> EntryJob | None:
    """The entry's current job: the latest of the purpose its status calls for (None: never queued)."""
    return entry.page_jobs.filter(purpose=purpose(entry)).order_by("-created_at", "-id").first()


def current_jobs(entries) -> dict[int, str]:
    """`entry_job` for many entries at once: {entry pk: job id} (entries never queued are left out)."""
    wanted = {e.pk: purpose(e) for e in entries}
    current: dict[int, str] = {}
    for link in EntryJob.objects.filter(entry_id__in=wanted).order_by("-created_at", "-id"):
        if wanted[link.entry_id] == link.purpose:
            current.setdefault(link.entry_id, link.job_id)
    return current


def job_state(link: EntryJob | None):
    """(the ``web.jobs`` Job, its status in the store) of an entry's job; (None, None) without one, and the
    status None once the job has expired."""
    if link is None:
        return None, None
    job = Job.objects.filter(job_id=link.job_id).first()
    return job, (queue.status(job) if job is not None else None)


def issue_entry(entry: DocumentEntry, user, request=None) -> bool:
    """印发 with the files the queue made for the numbered entry: a sealed document is 用印 first (unless it
    already is) and the seal audited; one without a seal (不加盖印章) is issued as signed off. ``Denied`` for
    a user who may not, ``register.RegisterError`` when the files are not made yet or the status does not
    allow it. Returns whether the document is sealed."""
    sealed = register.needs_seal(entry)
    perm.check_seal(user, entry, "用印" if sealed else "印发")
    _, state = job_state(entry_job(entry))
    if state is None or state.state != "succeeded":
        raise register.RegisterError("正式文件尚未生成完成，不能" + ("用印印发" if sealed else "印发"))
    store = queue.client.job_store()
    artifacts = [store.artifact(a) for a in state.artifacts]
    with transaction.atomic():  # 用印 and 印发 are one step: an issue refused leaves the entry as signed off
        if sealed and entry.status != Status.SEALED:
            register.seal(entry, user)
            audit(AuditEntry.SEAL, actor=user, obj=entry, detail=f"用印 {entry.doc_number}", request=request)
        register.issue(entry, user, artifacts)
    return sealed

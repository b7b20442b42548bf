"""The pages' side of the queue: submit a record as a job (a ``web.jobs.Job`` row ties it to its owner and
district), read its status and artifacts from the job store. Nothing renders here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from web.accounts import permissions as perm
from web.jobs.models import Job
from workers import client
from workers.client import QueueUnavailable  # noqa: F401  (re-exported for the views)
from workers.store import FAILED, PARTLY_FAILED, QUEUED, RUNNING, STATE_LABELS, SUCCEEDED, JobStatus

STATE_CLASS = {QUEUED: "queued", RUNNING: "running", SUCCEEDED: "succeeded", PARTLY_FAILED: "partly", FAILED: "failed",
               "expired": "void"}


def submit(user, record: dict, name: str, rejected: list[str] | None = None) -> Job:
    """Queues what a person submitted: ``web.jobs.submit`` checks the kind against their role, the record
    with docgen, and a clerk's district (``permissions.Refused`` / ``InvalidRecord`` otherwise)."""
    from web.jobs.submit import submit_record

    return submit_record(user, record, name, rejected)


def submit_for(user, kind: str, name: str, record: dict, district=None) -> Job:
    """Queues a record the system made for a step the user was allowed to take (a signed-off entry's files,
    a plaque order's print files): owned by that user, checked by docgen."""
    job_id = client.submit_data(kind, name, record)
    return Job.objects.create(job_id=job_id, kind=kind, name=name[:255], owner=user if user.is_authenticated else None,
                              district=district)


def job_for(user, job_id: str) -> Job:
    """The job, if this user may see it (404 otherwise: another district's job is not even confirmed)."""
    return perm.job_for(user, job_id)  # NotFound for a job this user may not see


def status(job: Job) -> JobStatus | None:
    """The job's status from the store (None once it has expired); the row's state follows it."""
    try:
        state = client.job_store().status(job.job_id)
    except KeyError:
        if job.state != "expired":
            Job.objects.filter(pk=job.pk).update(state="expired")
            job.state = "expired"
        return None
    if state.state != job.state:
        Job.objects.filter(pk=job.pk).update(state=state.state)
        job.state = state.state
    return state


def label(state: str) -> str:
    return STATE_LABELS.get(state, "已过期" if state == "expired" else state)


@dataclass
class File:
    filename: str
    media_type: str
    sha256: str
    size: int
    pages: int | None
    item: str = ""  # the batch item it belongs to ("" for the job's own files)

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"

    @property
    def type_label(self) -> str:
        """What a person calls the file's type."""
        labels = {"application/pdf": "PDF", "application/zip": "ZIP 压缩包", "image/png": "PNG 图片",
                  "text/csv": "CSV 表格", "text/plain": "文本",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word（DOCX）",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel（XLSX）"}
        return labels.get(self.media_type.split(";")[0], self.media_type)

    @property
    def page_numbers(self) -> range:
        return range(1, (self.pages or 0) + 1)

    @property
    def is_png(self) -> bool:
        return self.media_type == "image/png"


def files(state: JobStatus | None) -> tuple[list[File], list[File]]:
    """(the job's own files, the batch items' files not among them) as the store lists them. A lone item's
    files are the job's own once the job has ended: they are stored a moment before the job is marked done,
    and a page that showed them then would stop following the job."""
    if state is None:
        return [], []
    own = [_file(a) for a in state.artifacts]
    if not own and len(state.items) == 1 and state.final:
        own = [_file(a) for a in state.items[0].artifacts]
    listed = {f.sha256 for f in own}
    items = [_file(a, item.label) for item in state.items for a in item.artifacts if a.get("sha256") not in listed]
    return own, items


def _file(described: dict, item: str = "") -> File:
    return File(described.get("filename", ""), described.get("media_type", ""), described.get("sha256", ""),
                int(described.get("size") or 0), described.get("pages"), item)


def find_file(state: JobStatus | None, sha256: str) -> File:
    """A file the job lists (a digest not listed by this job is never served)."""
    own, items = files(state)
    for f in own + items:
        if f.sha256 == sha256:
            return f
    raise Http404("没有这个文件")


def count_pages(f: File) -> File:
    """A PDF the store lists without its page count gets one (read from its bytes)."""
    if f.is_pdf and not f.pages:
        from web.pages.previews import pdf_page_count

        try:
            f.pages = pdf_page_count(blob(f))
        except Exception:  # an unreadable PDF: no preview, the download still works
            f.pages = 0
    return f


def blob(f: File) -> bytes:
    """A listed file's bytes from the artifact store (verified against its SHA-256 there)."""
    try:
        data = client.job_store().blob(f.sha256)
    except KeyError:
        raise Http404(f"文件 {f.filename} 已不在文件存储中（可能已超过保存期限），请重新运行任务") from None
    if hashlib.sha256(data).hexdigest() != f.sha256:
        raise PermissionDenied("文件内容与校验值不符")
    return data


def progress(job: Job, state: JobStatus | None) -> dict:
    """The small JSON the job page polls every second."""
    if state is None:
        return {"state": "expired", "state_label": label("expired"), "state_class": "void", "total": 0, "done": 0,
                "failed": 0, "final": True, "error": "任务已超过保存期限", "items": []}
    return {"state": state.state, "state_label": label(state.state), "state_class": STATE_CLASS.get(state.state, ""),
            "total": state.total, "done": state.done, "failed": state.failed, "final": state.final,
            "error": state.error, "items": [{"index": i.index, "label": i.label, "state": i.state, "error": i.error}
                                            for i in state.items]}


def record(job: Job) -> dict:
    """The job's submission as stored (for 重新运行)."""
    return client.job_store().record(job.job_id)

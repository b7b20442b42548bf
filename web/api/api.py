"""docgen's HTTP API (django-ninja, under /api/, OpenAPI docs at /api/docs): the same permissions as the
pages (``web.accounts.permissions``), the same records and Chinese problems as the CLI, the same queue.

Refusals: 401 without a valid token or session; 403 when the role may not (the message says why); 404 when
the thing is not the caller's to see (another district's job, data or document) — never the data itself.
Invalid records: 422 with every problem as {field, value, rule, message}."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import JSONRenderer

try:
    from ninja import Status  # django-ninja ≥ 1.5: (status, body) tuples are deprecated
except ImportError:  # pragma: no cover
    def Status(status_code: int, body: Any) -> tuple:  # noqa: N802
        return status_code, body

from docgen.problems import ABSENT, InvalidRecord, Problem
from docgen.records.base import printable
from web.accounts import permissions
from web.accounts.models import ApiToken, AuditEntry, audit
from web.accounts.permissions import NotFound, Refused
from web.jobs.models import EXPIRED, Job

from .auth import Session, TokenAuth



class ChineseJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title="docgen API", version="1", urls_namespace="api", docs_url="/docs", auth=[TokenAuth(), Session()],
               renderer=ChineseJSON(),
               description="公文、附件表格与标牌生成服务的接口。认证：Authorization: Bearer <API 令牌>，或已登录的会话。")


# ---------------------------------------------------------------------------------------------- errors
def _problem(p: Problem) -> dict:
    value = None if p.value is ABSENT else p.value
    if value is not None and not isinstance(value, (str, int, float, bool)):
        value = printable(str(value))[:200]
    return {"field": p.field, "value": value, "rule": p.rule, "message": p.message()}


@api.exception_handler(InvalidRecord)
def invalid_record(request, exc: InvalidRecord):
    return api.create_response(request, {"detail": f"记录有 {len(exc.problems)} 处错误",
                                         "problems": [_problem(p) for p in exc.problems]}, status=422)


@api.exception_handler(Refused)
def refused(request, exc: Refused):
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(request, {"detail": "需要登录，或在请求头中提供 API 令牌（Authorization: Bearer …）"},
                                   status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def _queue_down(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=503)


def _register_refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


from web.documents.register import RegisterError  # noqa: E402  (after the handlers above, for readability)
from workers.client import QueueUnavailable  # noqa: E402

api.add_exception_handler(QueueUnavailable, _queue_down)
api.add_exception_handler(RegisterError, _register_refused)


# ---------------------------------------------------------------------------------------------- schemas
class ProblemOut(Schema):
    field: str
    value: Any = None
    rule: str
    message: str


class Refusal(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    problems: list[ProblemOut]


class RecordIn(Schema):
    kind: str | None = None
    name: str = ""
    record: dict


class JobFilter(Schema):
    kind: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 100


class RegisterFilter(Schema):
    status: str | None = None
    kind: str | None = None


class TokenIn(Schema):
    name: str = ""


# ---------------------------------------------------------------------------------------------- kinds
@api.get("/kinds", response=list[dict], summary="可提交的文种", tags=["文种"])
def list_kinds(request):
    """The kinds the caller may submit: name, Chinese label and the JSON Schema of its record."""
    from docgen.kinds import kinds

    from web.jobs.submit import UPLOAD_KINDS

    known = kinds()
    return [{"name": name, "label": known[name].label, "batch": known[name].is_batch, "uploads": name in UPLOAD_KINDS,
             "schema": known[name].record.model_json_schema()} for name in permissions.submittable_kinds(request.auth)]


# ---------------------------------------------------------------------------------------------- jobs
def _store():
    from workers.client import job_store

    return job_store()


def _described(job: Job, status) -> dict:
    items = [{"index": i.index, "label": i.label, "state": i.state, "reason": i.error} for i in status.items]
    return {
        "progress": {"done": status.done, "failed": status.failed, "total": status.total,
                     "finished": status.finished_items},
        "error": status.error,
        "finished_at": dt.datetime.fromtimestamp(status.finished, dt.timezone.utc).isoformat()
        if status.finished else None,
        "items": items,
        "artifacts": [{"filename": a.get("filename"), "media_type": a.get("media_type"), "size": a.get("size"),
                       "pages": a.get("pages"), "warnings": a.get("warnings", []),
                       "url": f"/api/jobs/{job.job_id}/artifacts/{a.get('filename')}"} for a in status.artifacts],
    }


def _job_out(job: Job) -> dict:
    from workers.store import STATE_LABELS

    return {"id": job.job_id, "kind": job.kind, "name": job.name, "state": job.state,
            "state_label": STATE_LABELS.get(job.state, "已过期" if job.state == EXPIRED else job.state),
            "owner": job.owner.get_username() if job.owner_id else None,
            "district": job.district.name if job.district_id else None,
            "created_at": job.created_at.isoformat(), "rejected": job.rejected,
            "url": f"/api/jobs/{job.job_id}"}


def _refresh(jobs: list[Job], store=None) -> None:
    """Brings the cached state of unfinished jobs up to date from the job store."""
    pending = [j for j in jobs if not j.final]
    if not pending:
        return
    store = store or _store()
    for job in pending:
        try:
            state = store.status(job.job_id, with_items=False).state
        except KeyError:
            state = EXPIRED
        if state != job.state:
            job.state = state
            Job.objects.filter(pk=job.pk).update(state=state)


@api.post("/jobs", response={201: dict, 403: Refusal, 422: InvalidOut, 503: Refusal}, summary="提交生成任务",
          tags=["任务"], openapi_extra={"requestBody": {"content": {
              "application/json": {"schema": RecordIn.model_json_schema()},
              "multipart/form-data": {"schema": {"type": "object", "required": ["kind", "files"], "properties": {
                  "kind": {"type": "string", "enum": ["district-report", "consolidation", "contact-point-application"]},
                  "name": {"type": "string"}, "district": {"type": "string", "description": "CSV 表格所属的辖区局"},
                  "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
def create_job(request):
    """A record as JSON (``{"kind": …, "name": …, "record": {…}}``), or multipart files: a district's
    workbook, CSV or YAML (``district-report``; several for ``consolidation``) or a filled 附件1 workbook
    (``contact-point-application``), read with docgen's readers. A record names no file on the server."""
    from web.jobs.submit import UPLOAD_TOTAL_BYTES, record_from_uploads, submit_record

    user = request.auth
    if request.content_type == "multipart/form-data":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > UPLOAD_TOTAL_BYTES.maximum:
            UPLOAD_TOTAL_BYTES.check(length, "files")
        kind = (request.POST.get("kind") or "").strip()
        data, rejected = record_from_uploads(user, kind, request.FILES.getlist("files"),
                                             (request.POST.get("district") or "").strip())
        name = request.POST.get("name") or (request.FILES.getlist("files")[0].name.rsplit(".", 1)[0]
                                             if request.FILES.getlist("files") else "")
    else:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidRecord([Problem("请求正文", ABSENT, f"不是有效的 JSON（{type(exc).__name__}）")]) from None
        if not isinstance(body, dict) or not isinstance(body.get("record"), dict):
            raise InvalidRecord([Problem("record", ABSENT, "请求正文应为 {\"kind\": …, \"name\": …, \"record\": {…}}")])
        data, rejected, name = dict(body["record"]), [], str(body.get("name") or "")
        if body.get("kind") is not None:
            if data.setdefault("kind", body["kind"]) != body["kind"]:
                raise InvalidRecord([Problem("kind", data["kind"], f"记录的文种与提交的文种 {body['kind']} 不一致")])
    job = submit_record(user, data, name, rejected)
    return Status(201, _job_out(job))


@api.get("/jobs", response=list[dict], summary="任务列表", tags=["任务"])
def list_jobs(request, filters: Query[JobFilter]):
    """The caller's jobs (city staff: every job; a district clerk: their district's), newest first."""
    jobs = permissions.jobs_visible_to(request.auth)
    if filters.kind:
        jobs = jobs.filter(kind=filters.kind)
    if filters.since:
        jobs = jobs.filter(created_at__date__gte=filters.since)
    if filters.until:
        jobs = jobs.filter(created_at__date__lte=filters.until)
    limit = max(1, min(filters.limit, 500))
    if filters.status:
        _refresh(list(jobs.exclude(state__in=(EXPIRED, "succeeded", "partly failed", "failed"))[:limit]))
        jobs = jobs.filter(state=filters.status)
    listed = list(jobs[:limit])
    if not filters.status:
        _refresh(listed)
    return [_job_out(j) for j in listed]


@api.get("/jobs/{job_id}", response={200: dict, 404: Refusal}, summary="任务状态", tags=["任务"])
def get_job(request, job_id: str):
    """Status with per-item progress: done/total, each item's state and its reason when it failed."""
    job = permissions.job_for(request.auth, job_id)
    store = _store()
    try:
        status = store.status(job.job_id)
    except KeyError:
        Job.objects.filter(pk=job.pk).update(state=EXPIRED)
        job.state = EXPIRED
        return {**_job_out(job), "progress": None, "items": [], "artifacts": [],
                "error": "任务已超过保存期限，状态和输出文件已清除"}
    if status.state != job.state:
        job.state = status.state
        Job.objects.filter(pk=job.pk).update(state=status.state)
    return {**_job_out(job), **_described(job, status)}


@api.get("/jobs/{job_id}/artifacts/{filename}", response={200: None, 404: Refusal}, summary="下载输出文件",
         tags=["任务"])
def get_artifact(request, job_id: str, filename: str):
    job = permissions.job_for(request.auth, job_id)
    store = _store()
    try:
        status = store.status(job.job_id, with_items=False)
    except KeyError:
        raise NotFound("任务已超过保存期限，输出文件已清除") from None
    described = next((a for a in status.artifacts if a.get("filename") == filename), None)
    if described is None:
        raise NotFound("这个任务没有这个输出文件")
    try:
        artifact = store.artifact(described)
    except KeyError:
        raise NotFound("输出文件已超过保存期限") from None
    if hashlib.sha256(artifact.data).hexdigest() != described.get("sha256"):
        raise HttpError(500, "输出文件内容与登记的校验值（SHA-256）不符，未提供下载")
    return _attachment(artifact.data, artifact.media_type, artifact.filename)


def _attachment(data: bytes, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=media_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------- register
def _entry_out(entry, user, jobs: dict[int, str] | None = None) -> dict:
    """One entry as JSON; `sealed_document` says whether the document is sealed at all (False: 不加盖印章,
    issued as signed off, never 已用印); `job` is the entry's current queue job (its preview as a draft, its
    files once signed off), to follow at /api/jobs/{job} — null when there is none or `user` may not see it
    (`jobs`: `_visible_jobs` of a whole list, looked up once)."""
    from web.documents import register

    job = (jobs if jobs is not None else _visible_jobs([entry], user)).get(entry.pk)
    files = []
    if entry.status == "issued" and permissions.seal_image_released(entry):
        files = [{"filename": f.filename, "media_type": f.media_type, "size": f.size, "sha256": f.sha256,
                  "url": f"/api/register/{entry.pk}/files/{f.filename}"} for f in entry.files.all()]
    return {"id": entry.pk, "kind": entry.kind, "doc_type": entry.doc_type, "title": entry.title,
            "doc_number": entry.doc_number or None, "status": entry.status, "status_label": entry.get_status_display(),
            "date": entry.date.isoformat() if entry.date else None,
            "signed_by": entry.signed_by.get_username() if entry.signed_by_id else None,
            "signed_at": entry.signed_at.isoformat() if entry.signed_at else None,
            "sealed_at": entry.sealed_at.isoformat() if entry.sealed_at else None,
            "issued_at": entry.issued_at.isoformat() if entry.issued_at else None,
            "sealed_document": register.needs_seal(entry),
            "seal_released": permissions.seal_image_released(entry), "files": files, "job": job}


def _visible_jobs(entries, user) -> dict[int, str]:
    """{entry pk: its current job id} for the jobs `user` may follow through /api/jobs (the jobs' own rules:
    city staff every job, anyone else as ``permissions.jobs_visible_to`` says)."""
    from web.pages.entry_jobs import current_jobs

    current = current_jobs(entries)
    visible = set(permissions.jobs_visible_to(user).filter(job_id__in=current.values())
                  .values_list("job_id", flat=True))
    return {pk: job_id for pk, job_id in current.items() if job_id in visible}


@api.get("/register", response=list[dict], summary="发文登记簿", tags=["发文登记"])
def list_register(request, filters: Query[RegisterFilter]):
    """The register, filtered by what the caller may see (a district clerk: issued documents concerning their
    district; the sign shop: nothing)."""
    entries = permissions.register_visible_to(request.auth).select_related("signed_by")
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    listed = list(entries[:500])
    jobs = _visible_jobs(listed, request.auth)
    return [_entry_out(e, request.auth, jobs) for e in listed]


@api.get("/register/{entry_id}", response={200: dict, 404: Refusal}, summary="一件发文登记", tags=["发文登记"])
def get_entry(request, entry_id: int):
    return _entry_out(permissions.entry_for(request.auth, entry_id), request.auth)


@api.post("/register/{entry_id}/sign-off", response={200: dict, 403: Refusal, 404: Refusal, 409: Refusal},
          summary="签发（编发文字号）", tags=["发文登记"])
def sign_off_entry(request, entry_id: int):
    """签发: only the signing leader; the 发文字号 is allocated now, the seal image released, a 批复's
    application answered, and the numbered document's files (PDF and DOCX) queued — `job` names that job; with the queue down the sign-off still
    stands, `files_queued` is false and the files are queued again from the entry's page."""
    from web.pages.entry_jobs import sign_off

    entry = permissions.entry_for(request.auth, entry_id)
    permissions.check_sign_off(request.auth, entry)
    number, files_job = sign_off(entry, request.auth, request)
    queued = files_job is not None
    detail = (f"已签发，发文字号 {number}；正式文件正在生成" if queued else
              f"已签发：{number}；正式文件暂未能提交生成（队列不可用），可在发文登记页面重新提交")
    return {**_entry_out(entry, request.auth), "files_queued": queued, "detail": detail}


@api.post("/register/{entry_id}/seal", response={200: dict, 403: Refusal, 404: Refusal, 409: Refusal},
          summary="用印", tags=["发文登记"])
def seal_entry(request, entry_id: int):
    """用印: only after a signing leader's sign-off; a document without a seal (不加盖印章) is refused (409)."""
    from web.documents import register

    entry = permissions.entry_for(request.auth, entry_id)
    permissions.check_seal(request.auth, entry)
    register.seal(entry, request.auth)
    audit(AuditEntry.SEAL, actor=request.auth, obj=entry, request=request, detail=f"用印 {entry.doc_number}《{entry.title}》")
    return _entry_out(entry, request.auth)


@api.post("/register/{entry_id}/issue", response={200: dict, 403: Refusal, 404: Refusal, 409: Refusal},
          summary="印发（用印并归档）", tags=["发文登记"])
def issue_entry(request, entry_id: int):
    """印发 with the files the queue made at sign-off (its `job` must have succeeded, else 409): a sealed
    document is 用印 in the same step (city staff or the signing leader), one without a seal (不加盖印章) is
    issued as signed off; the PDF and DOCX are archived and listed under `files`."""
    from web.pages.entry_jobs import issue_entry as issue

    entry = permissions.entry_for(request.auth, entry_id)
    issue(entry, request.auth, request)
    return _entry_out(entry, request.auth)


@api.post("/register/{entry_id}/requeue", response={200: dict, 403: Refusal, 404: Refusal, 409: Refusal, 503: Refusal},
          summary="重新生成（草稿预览或正式文件）", tags=["发文登记"])
def requeue_entry(request, entry_id: int):
    """The entry's job queued again when there is none (the queue was down), it failed or it expired: a
    draft's preview, a numbered entry's files; 409 while it is under way or done, 503 with the queue down."""
    from web.pages.entry_jobs import requeue

    entry = permissions.entry_for(request.auth, entry_id)
    if requeue(entry, request.auth) is None:
        raise QueueUnavailable("队列不可用，未能提交生成任务，请稍后重试")
    return _entry_out(entry, request.auth)


@api.get("/register/{entry_id}/files/{filename}", response={200: None, 404: Refusal}, summary="下载盖章归档文件",
         tags=["发文登记"])
def get_sealed_file(request, entry_id: int, filename: str):
    """An issued document's archived (sealed) PDF or DOCX, verified against its SHA-256; every download is
    in the audit log. A document not signed off, sealed and issued has none."""
    from web.documents import register

    entry = permissions.entry_for(request.auth, entry_id)
    permissions.check_download_sealed(request.auth, entry)
    archived = entry.files.filter(filename=filename).first()
    if archived is None:
        raise NotFound("这件公文没有这个归档文件")
    data = register.archived_bytes(archived)
    audit(AuditEntry.DOWNLOAD_SEALED, actor=request.auth, obj=entry, request=request,
          detail=f"下载 {entry.doc_number} {archived.filename}")
    return _attachment(data, archived.media_type, archived.filename)


# ---------------------------------------------------------------------------------------------- plaques
@api.get("/plaque-orders", response={200: list[dict], 403: Refusal}, summary="标牌制作批次", tags=["标牌"])
def list_plaque_orders(request):
    from web.registry.models import PlaqueOrder

    permissions.check_plaque_orders(request.auth)
    return [{"id": o.pk, "title": o.title, "created_at": o.created_at.isoformat(),
             "confirmed_at": o.confirmed_at.isoformat() if o.confirmed_at else None,
             "stations": [s.name for s in o.stations.all()]} for o in PlaqueOrder.objects.prefetch_related("stations")]


@api.post("/plaque-orders/{order_id}/confirm", response={200: dict, 403: Refusal, 404: Refusal, 409: Refusal},
          summary="确认标牌制作完成", tags=["标牌"])
def confirm_plaque_order(request, order_id: int):
    from web.registry.models import PlaqueOrder
    from web.registry.records import confirm_plaques

    permissions.check_plaque_orders(request.auth)
    order = PlaqueOrder.objects.filter(pk=order_id).first()
    if order is None:
        raise NotFound("没有这个标牌制作批次")
    if order.confirmed_at is not None:
        return Status(409, {"detail": f"批次「{order.title}」已于 {timezone.localtime(order.confirmed_at):%Y-%m-%d} 确认"})
    count = confirm_plaques(order, request.auth)
    audit(AuditEntry.PLAQUES_PRINTED, actor=request.auth, obj=order, request=request,
          detail=f"批次「{order.title}」{count} 块标牌已制作")
    return {"id": order.pk, "confirmed": count}


# ---------------------------------------------------------------------------------------------- tokens
@api.post("/tokens", response={201: dict}, summary="创建自己的 API 令牌（只显示这一次）", tags=["令牌"])
def create_token(request, body: TokenIn):
    token, clear = ApiToken.issue(request.auth, body.name)
    return Status(201, {"id": token.pk, "token": clear, "prefix": token.prefix,
                        "detail": "请立即保存令牌：系统只保存其 SHA-256，之后无法再次查看"})


@api.delete("/tokens/{token_id}", response={200: dict, 404: Refusal}, summary="吊销 API 令牌", tags=["令牌"])
def revoke_token(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None or (token.user_id != request.auth.pk and not permissions.is_city_staff(request.auth)):
        raise NotFound("没有这个令牌")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit(AuditEntry.TOKEN_REVOKED, actor=request.auth, target_user=token.user, obj=token, request=request,
          detail=f"令牌 {token.prefix}…")
    return {"id": token.pk, "revoked": True}

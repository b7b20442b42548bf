"""批复, 签发 and 登记簿: staff draft a 批复 from a pending 联系点申请 (a draft in the document register); the
signing leader sees the drafts waiting, previews them and signs off (the register allocates the number) or
returns one with a comment; staff seal and issue a signed-off document with the files the queue made for
it; the register is searchable and its archived files downloadable by whoever may."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from docgen.kinds import kinds
from docgen.problems import InvalidRecord
from docgen.records.fields import format_date
from web.accounts import permissions as perm
from web.accounts.models import AuditEntry, audit
from web.documents import register
from web.documents.models import ArchivedFile, DocumentEntry, Status
from web.pages import previews, queue
from web.pages import entry_jobs
from web.pages.entry_jobs import entry_job, issue_entry, job_state, queue_preview
from web.pages.models import ReplyDraft
from web.registry.models import ContactPointApplication
from web.registry.records import reply_decision

from .common import Page, issuer, issuer_code, needs, page_context, parse_day, today
from .jobs import download, png


# ---------------------------------------------------------------------------------------------- files of entries
def _entry_file(entry: DocumentEntry, sha256: str) -> queue.File:
    """A file of one of the entry's queue jobs (no other digest is served from an entry's page)."""
    for link in entry.page_jobs.all():
        _, state = job_state(link)
        try:
            return queue.find_file(state, sha256)
        except Http404:
            continue
    raise Http404("没有这个文件")


# ---------------------------------------------------------------------------------------------- 批复
@needs(Page.staff)
def replies(request):
    user = request.user
    perm.check_submit_kind(user, "reply")
    if request.method == "POST":
        return _draft_reply(request)
    waiting = ReplyDraft.objects.exclude(entry__status=Status.VOID).values("application_id")
    pending = (ContactPointApplication.objects.filter(status=ContactPointApplication.PENDING)
               .exclude(pk__in=waiting).select_related("district", "station"))
    drafted = (ReplyDraft.objects.select_related("entry", "application", "application__district")
               .order_by("-entry__drafted_at")[:20])
    context = page_context(request, "replies", pending=pending, drafted=drafted, issuer_code=issuer_code(),
                           issuer_organ=issuer()["organ"], today=today())
    return render(request, "pages/replies.html", context)


def _draft_reply(request):
    user = request.user
    try:
        application = ContactPointApplication.objects.select_related("district").get(
            pk=int(request.POST.get("application", "0")), status=ContactPointApplication.PENDING)
    except (ContactPointApplication.DoesNotExist, ValueError):
        messages.error(request, "这份联系点申请不存在或已批复")
        return redirect("pages:replies")
    decision = request.POST.get("decision", "approve")
    if decision not in (ContactPointApplication.APPROVE, ContactPointApplication.DECLINE):
        decision = ContactPointApplication.APPROVE
    date = parse_day(request.POST.get("date")) or today()
    code = (request.POST.get("issuer_code") or issuer_code()).strip()
    organ = (request.POST.get("issuer_organ") or issuer()["organ"]).strip()
    record = {"kind": "reply", **reply_decision(application, decision), "issuer": {"organ": organ},
              "date": format_date(date)}
    reasons = [r.strip() for r in request.POST.get("reasons", "").splitlines() if r.strip()]
    if decision == ContactPointApplication.DECLINE and reasons:
        record["reasons"] = reasons
    try:
        with transaction.atomic():
            entry = register.draft(kind="reply", issuer_code=code, title="", doc_type="批复", record=record, user=user)
            ReplyDraft.objects.create(entry=entry, application=application, decision=decision)
    except InvalidRecord as exc:
        messages.error(request, exc.report())
        return redirect("pages:replies")
    except register.RegisterError as exc:
        messages.error(request, str(exc))
        return redirect("pages:replies")
    queue_preview(entry, user)
    messages.success(request, f"已起草批复并提交签发：{entry}")
    return redirect("pages:entry", entry.pk)


# ---------------------------------------------------------------------------------------------- 签发
@needs(Page.sign)
def sign_list(request):
    entries = perm.register_visible_to(request.user)
    waiting = entries.filter(status=Status.DRAFT).select_related("drafted_by").order_by("drafted_at", "pk")
    signed = entries.filter(signed_by=request.user).order_by("-signed_at")[:10]
    return render(request, "pages/sign.html", page_context(request, "sign", waiting=waiting, signed=signed))


@require_POST
@needs(Page.sign)
def sign_off(request, pk: int):
    entry = perm.entry_for(request.user, pk)
    perm.check_sign_off(request.user, entry)
    try:
        number, files_job = entry_jobs.sign_off(entry, request.user, request)
    except register.RegisterError as exc:
        messages.error(request, str(exc))
        return redirect("pages:entry", entry.pk)
    if files_job is None:
        messages.warning(request, f"已签发：{number}；正式文件暂未能提交生成（队列不可用），可在本页重新提交")
    else:
        messages.success(request, f"已签发，发文字号 {number}；正式文件正在生成")
    return redirect("pages:entry", entry.pk)


@require_POST
@needs(Page.sign)
def send_back(request, pk: int):
    entry = perm.entry_for(request.user, pk)
    perm.check_sign_off(request.user, entry)
    comment = request.POST.get("comment", "").strip()
    if not comment:
        messages.error(request, "退回须写明意见，起草人据此修改")
        return redirect("pages:entry", entry.pk)
    if entry.status != Status.DRAFT:
        messages.error(request, f"{entry}：状态为{entry.get_status_display()}，只有待签发的草稿可以退回")
        return redirect("pages:entry", entry.pk)
    register.void(entry, request.user, f"签发人退回：{comment}")
    messages.success(request, f"已退回：{entry}（意见：{comment}）")
    return redirect("pages:sign")


# ---------------------------------------------------------------------------------------------- an entry
@needs(Page.register)
def entry_detail(request, pk: int):
    user = request.user
    entry = perm.entry_for(user, pk)
    link = entry_job(entry)
    job, state = job_state(link)
    own, _ = queue.files(state)
    pdf = next((queue.count_pages(f) for f in own if f.is_pdf), None)
    sealed = entry.status != Status.SIGNED or register.needs_seal(entry)  # 不加盖印章: issued as signed off
    # an entry sealed already (through the API or the admin) is issued from here too
    can_seal = (entry.status in (Status.SIGNED, Status.SEALED)
                and _allowed(lambda u, e: perm.check_seal(u, e, "用印" if sealed else "印发"), user, entry))
    context = page_context(
        request, "sign" if perm.is_signer(user) else "register", entry=entry,
        events=entry.events.select_related("user").order_by("at", "pk"), files=entry.files.all(),
        reply=ReplyDraft.objects.filter(entry=entry).select_related("application").first(),
        link=link, job=job, state=state, progress=queue.progress(job, state) if job else None, pdf=pdf,
        own=own, pages=range(1, (pdf.pages or 0) + 1) if pdf else range(0),
        can_sign=entry.status == Status.DRAFT and _allowed(perm.check_sign_off, user, entry),
        can_seal=can_seal and state is not None and state.state == "succeeded", unsealed=not sealed,
        can_requeue=(entry.status in (Status.DRAFT, Status.SIGNED, Status.SEALED) and (perm.is_city_staff(user) or perm.is_signer(user))
                     and (state is None or state.state == "failed")),
        can_download=_allowed(perm.check_download_sealed, user, entry),
        can_files=perm.is_city_staff(user) or perm.is_signer(user))
    return render(request, "pages/entry.html", context)


def _allowed(check, user, entry) -> bool:
    try:
        check(user, entry)
    except perm.Refused:
        return False
    return True


@needs(Page.register)
def entry_progress(request, pk: int):
    entry = perm.entry_for(request.user, pk)
    job, state = job_state(entry_job(entry))
    if job is None:
        raise Http404("没有生成任务")
    return JsonResponse(queue.progress(job, state))


@needs(Page.register)
def entry_page(request, pk: int, sha256: str, page: int):
    entry = perm.entry_for(request.user, pk)
    f = _entry_file(entry, sha256)
    try:
        return png(previews.pdf_page_png(f.sha256, page, lambda: queue.blob(f)))
    except previews.PreviewError as exc:
        raise Http404(str(exc)) from None


@needs(Page.register)
def entry_file(request, pk: int, sha256: str):
    """A file the queue made for an entry (a draft's preview PDF, a signed-off document before issue)."""
    entry = perm.entry_for(request.user, pk)
    if not (perm.is_city_staff(request.user) or perm.is_signer(request.user)):
        raise perm.NotFound()
    f = _entry_file(entry, sha256)
    return download(queue.blob(f), f.filename, f.media_type)


@require_POST
@needs(Page.register)
def requeue(request, pk: int):
    entry = perm.entry_for(request.user, pk)
    try:
        made = entry_jobs.requeue(entry, request.user)
    except register.RegisterError as exc:
        messages.error(request, str(exc))
        return redirect("pages:entry", entry.pk)
    if made is None:
        messages.error(request, "未能提交生成任务（队列不可用），请稍后重试")
    else:
        messages.success(request, "已重新提交生成")
    return redirect("pages:entry", entry.pk)


@require_POST
@needs(Page.register)
def seal_and_issue(request, pk: int):
    """用印 and 印发: the files the queue made for the numbered entry are sealed and archived; a document
    without a seal (不加盖印章) is issued as signed off (no 用印, so no seal in the audit log: the register's
    event log records who issued it)."""
    entry = perm.entry_for(request.user, pk)
    try:
        sealed = issue_entry(entry, request.user, request)
    except register.RegisterError as exc:
        messages.error(request, str(exc))
        return redirect("pages:entry", entry.pk)
    if sealed:
        messages.success(request, f"已用印并印发：{entry}，文件已归档")
    else:
        messages.success(request, f"已印发（不加盖印章）：{entry}，文件已归档")
    return redirect("pages:entry", entry.pk)


@needs(Page.register)
def archived_file(request, pk: int, file_id: int):
    entry = perm.entry_for(request.user, pk)
    perm.check_download_sealed(request.user, entry)
    archived = ArchivedFile.objects.filter(entry=entry, pk=file_id).first()
    if archived is None:
        raise Http404("没有这个归档文件")
    try:
        data = register.archived_bytes(archived)
    except register.ArchiveError as exc:
        return render(request, "pages/refused.html", page_context(request, "register", message=str(exc)), status=500)
    audit(AuditEntry.DOWNLOAD_SEALED, obj=entry, detail=f"下载 {entry.doc_number} {archived.filename}", request=request)
    return download(data, archived.filename, archived.media_type)


# ---------------------------------------------------------------------------------------------- 登记簿
@needs(Page.register)
def register_list(request):
    entries = perm.register_visible_to(request.user).select_related("drafted_by", "signed_by")
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(Q(title__icontains=q) | Q(doc_number__icontains=q))
    status = request.GET.get("status", "")
    if status in Status.values:
        entries = entries.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind:
        entries = entries.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        entries = entries.filter(Q(year=int(year)) | Q(year__isnull=True, date__year=int(year)))
    page = Paginator(entries.prefetch_related("files"), 25).get_page(request.GET.get("page"))
    for entry in page:
        entry.downloadable = _allowed(perm.check_download_sealed, request.user, entry)
        entry.file_links = [(f, "PDF" if f.media_type == register.PDF else "DOCX" if f.media_type == register.DOCX
                             else f.filename) for f in entry.files.all()]
    labels = {name: k.label for name, k in kinds().items() if "doc_number" in k.record.model_fields}
    context = page_context(request, "register", page=page, q=q, status=status, kind=kind, year=year,
                           statuses=Status.choices, kinds=sorted(labels.items()))
    return render(request, "pages/register.html", context)

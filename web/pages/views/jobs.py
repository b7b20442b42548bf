"""任务: my jobs (and, for staff, every job), filtered by kind, status and date; one job's live progress,
its downloads and page previews, and 重新运行."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from docgen.kinds import kinds
from docgen.plaques.art import PROOF_SUFFIX
from web.accounts import permissions as perm
from web.pages import previews, queue
from workers.store import FAILED, PARTLY_FAILED, QUEUED, RUNNING, SUCCEEDED

from .common import Page, needs, page_context, parse_day

STATES = [(s, queue.label(s)) for s in (QUEUED, RUNNING, SUCCEEDED, PARTLY_FAILED, FAILED, "expired")]


def download(data: bytes, filename: str, media_type: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=media_type or "application/octet-stream")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def png(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400, immutable"  # the same digest is the same picture
    return response


def can_rerun(user, job) -> bool:
    """The same person rights as submitting it now: the kind, and for a clerk the district."""
    try:
        perm.check_submit_kind(user, job.kind)
        perm.check_submit_district(user, job.kind, job.district)
    except perm.Refused:
        return False
    return True


@needs(Page.jobs)
def job_list(request):
    user = request.user
    jobs = perm.jobs_visible_to(user)
    everyone = perm.is_city_staff(user)
    scope = request.GET.get("scope", "all" if everyone else "mine")
    if scope == "mine" and everyone:
        jobs = jobs.filter(owner=user)
        scope = "mine"
    kind = request.GET.get("kind", "")
    if kind:
        jobs = jobs.filter(kind=kind)
    state = request.GET.get("state", "")
    if state:
        jobs = jobs.filter(state=state)
    since, until = parse_day(request.GET.get("since")), parse_day(request.GET.get("until"))
    if since:
        jobs = jobs.filter(created_at__date__gte=since)
    if until:
        jobs = jobs.filter(created_at__date__lte=until)
    page = Paginator(jobs.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    for job in page:
        if not job.final:
            queue.status(job)  # a list never shows a state the store has moved past
        job.state_label = queue.label(job.state)
        job.state_class = queue.STATE_CLASS.get(job.state, "")
    labels = {name: k.label for name, k in kinds().items()}
    for job in page:
        job.kind_label = labels.get(job.kind, job.kind)
    context = page_context(request, "jobs", page=page, scope=scope, all_allowed=everyone,
                           kinds=sorted(labels.items()), states=STATES, kind=kind, state=state,
                           since=request.GET.get("since", ""), until=request.GET.get("until", ""))
    return render(request, "pages/jobs.html", context)


@needs(Page.jobs)
def job_detail(request, job_id: str):
    job = queue.job_for(request.user, job_id)
    state = queue.status(job)
    own, items = queue.files(state)
    pdfs = [queue.count_pages(f) for f in ([f for f in own if f.is_pdf] or [f for f in items if f.is_pdf][:1])]
    proofs = [f for f in own + items if f.is_png and f.filename.endswith(PROOF_SUFFIX)]
    context = page_context(request, "jobs", job=job, state=state, progress=queue.progress(job, state), own=own,
                           items=items, pdfs=pdfs, proofs=proofs, kind_label=kinds().get(job.kind).label
                           if job.kind in kinds() else job.kind, can_rerun=can_rerun(request.user, job))
    return render(request, "pages/job.html", context)


@needs(Page.jobs)
def job_progress(request, job_id: str):
    job = queue.job_for(request.user, job_id)
    return JsonResponse(queue.progress(job, queue.status(job)))


@needs(Page.jobs)
def job_file(request, job_id: str, sha256: str):
    job = queue.job_for(request.user, job_id)
    f = queue.find_file(queue.status(job), sha256)
    return download(queue.blob(f), f.filename, f.media_type, inline=request.GET.get("inline") == "1")


@needs(Page.jobs)
def job_page_preview(request, job_id: str, sha256: str, page: int):
    job = queue.job_for(request.user, job_id)
    f = queue.find_file(queue.status(job), sha256)
    try:
        if not f.is_pdf:
            raise previews.PreviewError("不是 PDF 文件")
        return png(previews.pdf_page_png(f.sha256, page, lambda: queue.blob(f)))
    except previews.PreviewError as exc:
        raise Http404(str(exc)) from None


@needs(Page.jobs)
def job_proof_preview(request, job_id: str, sha256: str):
    job = queue.job_for(request.user, job_id)
    f = queue.find_file(queue.status(job), sha256)
    try:
        return png(previews.proof_png(f.sha256, lambda: queue.blob(f)))
    except previews.PreviewError as exc:
        raise Http404(str(exc)) from None


@require_POST
@needs(Page.jobs)
def job_rerun(request, job_id: str):
    job = queue.job_for(request.user, job_id)
    if not can_rerun(request.user, job):
        messages.error(request, "您不能重新运行这个任务")
        return redirect("pages:job", job.job_id)
    try:
        submitted = queue.record(job)
    except KeyError:
        messages.error(request, "任务已超过保存期限，无法重新运行，请重新提交")
        return redirect("pages:job", job.job_id)
    again = queue.submit(request.user, job.kind, job.name, submitted["record"], district=job.district)
    messages.success(request, "已重新提交任务")
    return redirect("pages:job", again.job_id)

"""标牌: city staff send the approved stations' plaques to the sign shop as one order (its print files made
on the queue); the sign shop downloads them, looks at the proofs and confirms when the plaques are made."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from docgen.plaques.art import PROOF_SUFFIX
from docgen.problems import InvalidRecord
from docgen.records.fields import format_date
from web.accounts import permissions as perm
from web.accounts.models import AuditEntry, audit
from web.jobs.models import Job
from web.pages import previews, queue
from web.pages.models import PlaqueJob
from web.registry.models import PlaqueOrder
from web.registry.records import confirm_plaques, order_plaques, plaque_batch_record, plaque_candidates

from .common import Page, needs, page_context, today
from .jobs import download, png


def _order_job(order: PlaqueOrder):
    link = order.page_jobs.order_by("-created_at", "-id").first()
    job = Job.objects.filter(job_id=link.job_id).first() if link else None
    return job, (queue.status(job) if job is not None else None)


@needs(Page.plaques)
def plaques(request):
    perm.check_plaque_orders(request.user)
    staff = perm.is_city_staff(request.user)
    orders = []
    for order in PlaqueOrder.objects.prefetch_related("stations").select_related("user")[:30]:
        job, state = _order_job(order)
        own, items = queue.files(state)
        orders.append({"order": order, "job": job, "state": state, "files": own,
                       "proofs": [f for f in items if f.is_png and f.filename.endswith(PROOF_SUFFIX)],
                       "progress": queue.progress(job, state) if job else None})
    context = page_context(request, "plaques", orders=orders, staff=staff,
                           candidates=plaque_candidates() if staff else [], today=today())
    return render(request, "pages/plaques.html", context)


@require_POST
@needs(Page.staff)
def order(request):
    perm.check_submit_kind(request.user, "plaque-batch")
    ids = [int(i) for i in request.POST.getlist("station") if i.isdigit()]
    chosen = {s.pk: s for s in plaque_candidates() if s.pk in ids}
    stations = [chosen[i] for i in ids if i in chosen]
    if not stations:
        messages.error(request, "请至少选择一个待制作标牌的工作站")
        return redirect("pages:plaques")
    title = request.POST.get("title", "").strip() or f"{format_date(today())}制作批次"
    try:
        record = plaque_batch_record(stations, title)
        with transaction.atomic():
            made = order_plaques(stations, title, request.user)
            job = queue.submit_for(request.user, "plaque-batch", title, record)
            PlaqueJob.objects.create(order=made, job_id=job.job_id)
    except (InvalidRecord, queue.QueueUnavailable) as exc:
        messages.error(request, str(exc))
        return redirect("pages:plaques")
    messages.success(request, f"已生成标牌制作批次「{title}」（{len(stations)} 块），印刷文件正在生成")
    return redirect("pages:plaques")


def _order_file(request, pk: int, sha256: str):
    perm.check_plaque_orders(request.user)
    found = PlaqueOrder.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("没有这个标牌制作批次")
    _, state = _order_job(found)
    return queue.find_file(state, sha256)


@needs(Page.plaques)
def order_file(request, pk: int, sha256: str):
    f = _order_file(request, pk, sha256)
    return download(queue.blob(f), f.filename, f.media_type)


@needs(Page.plaques)
def order_proof(request, pk: int, sha256: str):
    f = _order_file(request, pk, sha256)
    try:
        return png(previews.proof_png(f.sha256, lambda: queue.blob(f)))
    except previews.PreviewError as exc:
        raise Http404(str(exc)) from None


@require_POST
@needs(Page.plaques)
def confirm(request, pk: int):
    perm.check_plaque_orders(request.user)
    found = PlaqueOrder.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("没有这个标牌制作批次")
    if found.confirmed_at is not None:
        messages.info(request, f"「{found.title}」已确认过")
        return redirect("pages:plaques")
    count = confirm_plaques(found, request.user)
    audit(AuditEntry.PLAQUES_PRINTED, obj=found, detail=f"「{found.title}」{count} 块标牌制作完成", request=request)
    messages.success(request, f"已确认「{found.title}」{count} 块标牌制作完成")
    return redirect("pages:plaques")


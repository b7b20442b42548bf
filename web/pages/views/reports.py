"""区局报送: a district clerk uploads the district's workbook (or a table as CSV, or a YAML district-report)
and sees every bad row in a table (sheet, row, column, message) — the good rows are kept, the bad ones fixed
and uploaded again; city staff see which districts have reported in a period, and from there queue the
consolidated annexes and draft the 通报 in the register."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from docgen.annexes.submissions import read_submission
from docgen.problems import ABSENT, InvalidRecord
from docgen.records.fields import format_date
from web.accounts import permissions as perm
from web.documents import register
from web.registry.importing import ImportRefused, import_report
from web.registry.models import District, ImportRun
from web.registry.records import bulletin_record, consolidation_record
from web.pages import queue

from .common import Page, issuer, issuer_code, needs, page_context, parse_day, save_upload, temp_folder, today

SUFFIXES = (".xlsx", ".csv", ".yaml", ".yml")
_WHERE = re.compile(r"^(?P<sheet>.+?)\s*第\s*(?P<row>\d+)\s*行\s*(?:「(?P<column>[^」]*)」)?(?P<rest>.*)$")


def row_errors(problems) -> list[dict]:
    """docgen's problems of a district file as table rows: sheet, row, column, message."""
    out = []
    for p in problems:
        match = _WHERE.match(p.field)
        rule = p.rule if p.value is ABSENT or p.value in (None, "") else f"「{p.value}」{p.rule}"
        if match:
            out.append({"sheet": match["sheet"], "row": int(match["row"]),
                        "column": match["column"] or match["rest"].strip(" .：:"), "message": rule})
        else:
            out.append({"sheet": p.field, "row": "", "column": "", "message": rule})
    return out


def _period(request) -> tuple[dt.date, dt.date]:
    until = parse_day(request.GET.get("until") or request.POST.get("until")) or today()
    since = parse_day(request.GET.get("since") or request.POST.get("since")) or dt.date(until.year, 1, 1)
    return since, until


def _district_status(since: dt.date, until: dt.date) -> list[dict]:
    runs = (ImportRun.objects.filter(kind=ImportRun.REPORT, at__date__gte=since, at__date__lte=until)
            .select_related("district", "user").order_by("-at", "-id"))
    latest: dict[int, ImportRun] = {}
    counts: dict[int, int] = {}
    for run in runs:
        latest.setdefault(run.district_id, run)
        counts[run.district_id] = counts.get(run.district_id, 0) + 1
    rows = []
    for district in District.objects.all():
        run = latest.get(district.pk)
        rows.append({"district": district, "run": run, "uploads": counts.get(district.pk, 0),
                     "rejected": len(run.rejected) if run else 0})
    return rows


@needs(Page.reports)
def reports(request):
    user = request.user
    context = page_context(request, "reports")
    if Page.clerk_reports(user):
        district = perm.clerk_district(user)
        runs = ImportRun.objects.filter(kind=ImportRun.REPORT, district=district).select_related("user")[:10]
        context.update(clerk=True, runs=runs, errors=None, result=None)
        if request.method == "POST":
            upload = request.FILES.get("workbook")
            if upload is None:
                messages.error(request, "请选择要上传的文件（工作簿 .xlsx、CSV 或 YAML）")
            elif not upload.name.lower().endswith(SUFFIXES):
                messages.error(request, f"文件 {upload.name} 的类型不能导入：请上传工作簿（.xlsx）、CSV 或 YAML")
            else:
                with temp_folder() as folder:
                    try:
                        path = save_upload(upload, Path(folder))
                        try:
                            problems = read_submission(path).problems
                        except InvalidRecord as exc:
                            problems = exc.problems
                        result = import_report(path, user=user, district=district.name)
                    except (ImportRefused, ValueError) as exc:  # the file named as uploaded, never its temp folder
                        messages.error(request, str(exc).replace(f"{folder}/", ""))
                        result = None
                if result is not None:
                    context.update(result=result, errors=row_errors(problems), upload_name=upload.name)
                    if problems:
                        messages.error(request, f"{upload.name}：{len(problems)} 处错误，涉及 {len(result.rejected)} 行，"
                                                "这些行未被接受，请改正后重新上传；其余各行已保存")
                    else:
                        messages.success(request, f"{upload.name}：已全部接受（新增 {result.created}，修改 {result.updated}，"
                                                  f"停用 {result.retired}，未变 {result.unchanged}）")
    if perm.is_city_staff(user):
        since, until = _period(request)
        districts = _district_status(since, until)
        reported = sum(1 for d in districts if d["run"])
        context.update(staff=True, since=since, until=until, districts=districts, reported=reported,
                       missing=len(districts) - reported,
                       issuer_code=issuer_code(), issuer_organ=issuer()["organ"])
    return render(request, "pages/reports.html", context)


@require_POST
@needs(Page.staff)
def consolidate(request):
    since, until = _period(request)
    try:
        record = consolidation_record(until)
        job = queue.submit(request.user, record, f"附件2-6汇总（截至{format_date(until)}）")
    except (InvalidRecord, queue.QueueUnavailable) as exc:
        messages.error(request, str(exc))
        return redirect(f"{_reports_url()}?since={since}&until={until}")
    messages.success(request, "已提交汇总任务")
    return redirect("pages:job", job.job_id)


@require_POST
@needs(Page.staff)
def draft_bulletin(request):
    perm.check_submit_kind(request.user, "bulletin")
    since, until = _period(request)
    date = parse_day(request.POST.get("date")) or today()
    code = (request.POST.get("issuer_code") or issuer_code()).strip()
    placeholder = f"{code}〔{date.year}〕1号"  # validated with a number; the register numbers it at sign-off
    try:
        record = bulletin_record(issuer=issuer(), doc_number=placeholder, date=date, as_of=until, since=since)
        record.pop("doc_number")
        entry = register.draft(kind="bulletin", issuer_code=code, title="", doc_type="通报", record=record,
                               user=request.user)
    except (InvalidRecord, register.RegisterError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect(f"{_reports_url()}?since={since}&until={until}")
    messages.success(request, f"已起草通报：{entry}，等待签发")
    return redirect("pages:entry", entry.pk)


def _reports_url() -> str:
    from django.urls import reverse

    return reverse("pages:reports")

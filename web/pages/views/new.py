"""新建: pick a kind, fill the form made from its record's schema (or upload a record file or an 附件1
workbook); docgen validates, its Chinese messages stand next to the fields. A 公文 kind is saved as a draft
in the document register; any other kind goes to the queue as a job."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from docgen.kinds import get as get_kind
from docgen.kinds import kinds, parse_record
from docgen.problems import InvalidRecord, Problem
from docgen.records.base import parse_yaml_text
from docgen.records.includes import refuse_file_references
from web.accounts import permissions as perm
from web.documents import register
from web.jobs.submit import UPLOAD_KINDS, record_from_uploads
from web.pages import queue
from web.pages.schema import attach, fill, form_fields, record_from_post, top_field

from .common import Page, issuer, issuer_code, needs, page_context

DOC_TYPES = {"notice": "通知", "reply": "批复", "bulletin": "通报"}  # default 文种 of the register's kinds


def in_register(kind) -> bool:
    """A 公文 kind (it has a 发文字号) is drafted in the register, which numbers it at sign-off."""
    return "doc_number" in kind.record.model_fields


def _kind_list(user) -> list[dict]:
    out = []
    allowed = perm.submittable_kinds(user)
    for name, kind in kinds().items():
        if name not in allowed:
            continue
        out.append({"name": name, "label": kind.label, "register": in_register(kind), "batch": kind.is_batch})
    return out


def _read_upload(upload, kind) -> dict:
    """An uploaded record file (YAML or JSON) or a filled 附件1 workbook, as record data. A record that
    arrives over the network names no files (``*_file:``); it carries what they hold."""
    from .common import MAX_UPLOAD

    if upload.size > MAX_UPLOAD:
        raise InvalidRecord([Problem("文件", upload.name, "文件过大")])
    name = upload.name or "上传文件"
    data = upload.read()
    if name.lower().endswith((".xlsx", ".csv")):
        raise InvalidRecord([Problem("文件", name, "这个文种不能上传工作簿或 CSV，请上传 YAML/JSON 记录文件或填写表单")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRecord([Problem("文件", name, "不是 UTF-8 编码的 YAML/JSON 文本文件")]) from None
    record = parse_yaml_text(text, name)
    if not isinstance(record, dict):
        raise InvalidRecord([Problem("文件", name, "应为键值对（字段: 值）")])
    refuse_file_references(record, name)
    if record.get("kind", kind.name) != kind.name:
        raise InvalidRecord([Problem("kind", record["kind"], f"文件的文种与所选的文种 {kind.name}（{kind.label}）不一致")])
    return {**record, "kind": kind.name}


def _other_problems(kind, registered: bool, code: str, record: dict, problems: list[Problem]) -> list[Problem]:
    unreadable = {p.field for p in problems}
    try:
        if registered:
            register.check_record(kind.name, code, record)
        else:
            parse_record(record, kind.label)
    except InvalidRecord as exc:
        return [p for p in exc.problems if top_field(p) not in unreadable]
    except (register.RegisterError, ValueError):
        return []
    return []


@needs(Page.new)
def new(request, kind_name: str = ""):
    available = _kind_list(request.user)
    if not kind_name:
        return render(request, "pages/new.html", page_context(request, "new", kinds=available, kind=None))
    if not any(k["name"] == kind_name for k in available):
        raise Http404("没有这个文种")
    kind = get_kind(kind_name)
    registered = in_register(kind)
    fields = form_fields(kind, numbered_by_register=registered)
    general: list[str] = []
    extra = {"issuer_code": issuer_code(), "doc_type": DOC_TYPES.get(kind.name, ""), "name": ""}
    if registered and "issuer" in {f.name for f in fields}:
        fill(fields, {"issuer": issuer()})
    if request.method == "POST":
        extra = {k: request.POST.get(k, v).strip() for k, v in extra.items()}
        problems: list[Problem] = []
        upload = request.FILES.get("record_file")
        rejected: list[str] = []
        if upload is not None:
            try:
                if kind.name in UPLOAD_KINDS and upload.name.lower().endswith((".xlsx", ".csv")):
                    record, rejected = record_from_uploads(request.user, kind.name, [upload])
                else:
                    record = _read_upload(upload, kind)
                if registered:
                    record.pop("doc_number", None)
                fill(fields, record)
            except InvalidRecord as exc:
                problems = exc.problems
                record = None
            if rejected:
                general += rejected
        else:
            record, problems = record_from_post(kind, fields, request.POST)
            if problems:  # a text area that is not YAML: docgen still reports on the rest of the form
                problems += _other_problems(kind, registered, extra["issuer_code"], record, problems)
        if record is not None and not problems:
            try:
                if registered:
                    entry = register.draft(kind=kind.name, issuer_code=extra["issuer_code"],
                                           title=str(record.get("title", "")), doc_type=extra["doc_type"],
                                           record=record, user=request.user)
                    messages.success(request, f"已保存为草稿：{entry}，等待签发人签发")
                    return redirect("pages:entry", entry.pk)
                parse_record(record, kind.label)
                name = extra["name"] or kind.label
                job = queue.submit(request.user, record, name, rejected)
                messages.success(request, f"已提交任务：{name}" + (f"（{len(rejected)} 行未能接受，见任务页）" if rejected else ""))
                return redirect("pages:job", job.job_id)
            except InvalidRecord as exc:
                problems = exc.problems
            except register.RegisterError as exc:
                general.append(str(exc))
            except queue.QueueUnavailable as exc:
                general.append(str(exc))
            except perm.Refused as exc:
                general.append(exc.message)
        general += attach(fields, problems)
        if problems or general:
            messages.error(request, f"记录未能保存：{len(problems) or len(general)} 处问题，请按字段旁的提示修改")
    context = page_context(request, "new", kinds=available, kind=kind, kind_name=kind.name, fields=fields,
                           registered=registered, general=general, extra=extra)
    return render(request, "pages/new.html", context)

"""What every page shares: the role checks (always through ``web.accounts.permissions``), the menu, and
small helpers for uploads and Chinese messages."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.utils import timezone

from docgen.records.filenames import safe_filename
from web.accounts import permissions as perm

MAX_UPLOAD = 20 * 1024 * 1024  # an upload larger than this is refused before it is read


def issuer() -> dict:
    """The bureau drafting (发文机关), from the settings."""
    return {"organ": getattr(settings, "DOCGEN_ISSUER_ORGAN", "焦作市市场监督管理局")}


def issuer_code() -> str:
    return getattr(settings, "DOCGEN_ISSUER_CODE", "焦市监")


class Page:
    """Which pages a user may open, each answer decided by ``web.accounts.permissions``."""

    @staticmethod
    def new(user) -> bool:
        return bool(perm.submittable_kinds(user))

    @staticmethod
    def clerk_reports(user) -> bool:
        return perm.is_clerk(user) and perm.clerk_district(user) is not None \
            and "district-report" in perm.submittable_kinds(user)

    @staticmethod
    def staff(user) -> bool:
        return perm.is_city_staff(user)

    @staticmethod
    def reports(user) -> bool:
        return Page.clerk_reports(user) or perm.is_city_staff(user)

    @staticmethod
    def sign(user) -> bool:
        return perm.is_signer(user)

    @staticmethod
    def register(user) -> bool:
        return perm.is_city_staff(user) or perm.is_signer(user) or perm.clerk_district(user) is not None

    @staticmethod
    def plaques(user) -> bool:
        try:
            perm.check_plaque_orders(user)
        except perm.Refused:
            return False
        return True

    @staticmethod
    def jobs(user) -> bool:
        return bool(perm.roles(user)) or perm.is_city_staff(user)


def refused(request, exc: "perm.Refused"):
    """A refusal from the permissions module as a page: 403 with its reason, or 404."""
    from django.shortcuts import render

    context = page_context(request, "") if request.user.is_authenticated else {}
    context["message"] = exc.message
    return render(request, "pages/refused.html", context, status=exc.status)


def needs(check):
    """A view for logged-in users whom ``check(user)`` (a ``Page`` rule) allows (403 for others); a refusal
    raised by the permissions module inside the view becomes its page (403 or 404)."""

    def wrap(view):
        @login_required
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            if not check(request.user):
                return refused(request, perm.Denied("您的角色不能使用此页面"))
            try:
                return view(request, *args, **kwargs)
            except perm.Refused as exc:
                return refused(request, exc)

        return inner

    return wrap


def menu(user) -> list[tuple[str, str, str]]:
    """(url name, label, section) of the pages this user may open, in the order of the work."""
    items = []
    if Page.new(user):
        items.append(("pages:new", "新建", "new"))
    if Page.reports(user):
        items.append(("pages:reports", "区局报送", "reports"))
    if Page.staff(user):
        items.append(("pages:replies", "批复", "replies"))
    if Page.sign(user):
        items.append(("pages:sign", "签发", "sign"))
    if Page.register(user):
        items.append(("pages:register", "登记簿", "register"))
    if Page.plaques(user):
        items.append(("pages:plaques", "标牌", "plaques"))
    if Page.jobs(user):
        items.append(("pages:jobs", "任务", "jobs"))
    return items


def role_names(user) -> str:
    return "、".join(sorted(perm.roles(user))) or ("管理员" if user.is_superuser else "未分配角色")


def page_context(request, section: str, **more) -> dict:
    user = request.user
    return {"menu": menu(user), "section": section, "roles": role_names(user), "district": perm.clerk_district(user),
            **more}


def save_upload(upload, folder: Path) -> Path:
    """Writes an uploaded file into ``folder`` under its own (made safe) name, refusing one too large."""
    if upload.size > MAX_UPLOAD:
        raise ValueError(f"文件 {upload.name} 超过 {MAX_UPLOAD // (1024 * 1024)} MB，请拆分后再上传")
    name = safe_filename(Path(upload.name or "上传文件").name) or "上传文件"
    path = folder / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def temp_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="docgen-upload-")


def parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def today() -> dt.date:
    return timezone.localdate()

"""Who may do what: the one module the pages and the API both call. Every rule is decided here, on the server.

Refusals are exceptions the callers turn into responses: ``Denied`` (403, the message says why, in Chinese)
when the user may know the thing exists, ``NotFound`` (404) when they may not — a district clerk asking for
another district's job or data learns nothing, not even that it exists.
"""

from __future__ import annotations

import json

from django.db.models import QuerySet

from .roles import CITY_STAFF, DISTRICT_CLERK, SIGN_SHOP, SIGNER

PLAQUE_KINDS = ("plaque", "plaque-batch")  # the sign shop's print files
CLERK_KINDS = ("district-report", "contact-point-application")  # a district's workbooks and 附件1 applications


class Refused(Exception):
    status = 403

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Denied(Refused):
    """403: the user may not do this (and may know that it exists)."""


class NotFound(Refused):
    """404: nothing the user may see is here."""

    status = 404

    def __init__(self, message: str = "未找到（不存在，或您无权查看）"):
        super().__init__(message)


# ---------------------------------------------------------------------------------------------- roles
def roles(user) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_docgen_roles", None)  # one query a request: the user object lives that long
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._docgen_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles(user)


def is_city_staff(user) -> bool:
    """市局经办人 (a superuser counts as city staff — never as the signing leader)."""
    return has_role(user, CITY_STAFF) or bool(getattr(user, "is_superuser", False) and user.is_active)


def is_signer(user) -> bool:
    return has_role(user, SIGNER)


def is_sign_shop(user) -> bool:
    return has_role(user, SIGN_SHOP)


def clerk_district(user):
    """The one district a 区局填报员 works for (None: not a clerk, or no district set — then they see nothing)."""
    if not has_role(user, DISTRICT_CLERK) or is_city_staff(user):
        return None
    from .models import Profile

    profile = Profile.objects.select_related("district").filter(user=user).first()
    return profile.district if profile else None


def is_clerk(user) -> bool:
    return has_role(user, DISTRICT_CLERK) and not is_city_staff(user)


# ---------------------------------------------------------------------------------------------- submitting
def submittable_kinds(user) -> list[str]:
    """The kinds the user may submit: city staff every kind; a clerk with a district the district's reports
    and 附件1 applications; the signing leader and the sign shop none."""
    from docgen.kinds import kinds

    if is_city_staff(user):
        return list(kinds())
    if is_clerk(user) and clerk_district(user) is not None:
        return [k for k in CLERK_KINDS if k in kinds()]
    return []


def check_submit_kind(user, kind: str) -> None:
    if kind not in submittable_kinds(user):
        from docgen.kinds import kinds

        label = kinds()[kind].label if kind in kinds() else kind
        raise Denied(f"您的角色不能提交「{label}」（{kind}）")


def check_submit_district(user, kind: str, district) -> None:
    """A clerk submits their own district's data only: the record must name their district."""
    if is_city_staff(user):
        return
    own = clerk_district(user)
    if own is None or district is None or district.pk != own.pk:
        named = f"「{district.name}」" if district is not None else "看不出所属区县"
        raise Denied(f"只能提交本区县（{own.name if own else '未设置区县'}）的数据，这份记录{named}")


# ---------------------------------------------------------------------------------------------- jobs
def jobs_visible_to(user) -> QuerySet:
    """Jobs the user may see: city staff every job; a clerk their district's; the sign shop plaque jobs;
    anyone else the jobs they submitted themselves."""
    from web.jobs.models import Job

    jobs = Job.objects.select_related("owner", "district")
    if not roles(user) and not is_city_staff(user):
        return jobs.none()
    if is_city_staff(user):
        return jobs.all()
    if is_clerk(user):
        district = clerk_district(user)
        return jobs.filter(district=district) if district is not None else jobs.none()
    if is_sign_shop(user):
        return jobs.filter(kind__in=PLAQUE_KINDS)
    return jobs.filter(owner=user)


def job_for(user, job_id: str):
    job = jobs_visible_to(user).filter(job_id=str(job_id)[:64]).first()
    if job is None:
        raise NotFound("没有这个任务（或您无权查看）")
    return job


# ---------------------------------------------------------------------------------------------- register
def _names_district(entry, district) -> bool:
    text = json.dumps(entry.record, ensure_ascii=False)
    return district.name in text or (district.bureau and district.bureau in text)


def register_visible_to(user) -> QuerySet:
    """发文登记: city staff and the signing leader see every entry; a clerk the issued documents that concern
    their district (its name in the record); the sign shop none."""
    from web.documents.models import DocumentEntry, Status

    entries = DocumentEntry.objects.all()
    if is_city_staff(user) or is_signer(user):
        return entries
    district = clerk_district(user)
    if district is None:
        return entries.none()
    issued = [e.pk for e in entries.filter(status=Status.ISSUED).only("pk", "record") if _names_district(e, district)]
    return entries.filter(pk__in=issued)


def entry_for(user, pk: int):
    entry = register_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise NotFound("没有这件发文登记（或您无权查看）")
    return entry


def check_sign_off(user, entry=None) -> None:
    if not is_signer(user):
        raise Denied("只有签发人可以签发公文")


def seal_image_released(entry) -> bool:
    """The bureau's seal image is released for an entry only by a 签发人's sign-off."""
    from web.documents.models import NUMBERED

    return (entry.status in NUMBERED and entry.signed_by_id is not None
            and entry.signed_by.groups.filter(name=SIGNER).exists())


def check_seal(user, entry, step: str = "用印") -> None:
    """用印 — or ``step`` 印发 of a document without a seal (不加盖印章): city staff or a 签发人, and only after a
    签发人's sign-off."""
    if not (is_city_staff(user) or is_signer(user)):
        raise Denied(f"只有市局经办人或签发人可以{step}")
    if not seal_image_released(entry):
        raise Denied(f"这件公文未经签发人签发，不能{step}")


def check_download_sealed(user, entry) -> None:
    """An issued file exists only for an entry signed off by a 签发人, sealed (unless it is issued without a
    seal) and issued; for any other entry there is none to give (404), whoever asks."""
    from web.documents.models import Status

    if not (is_city_staff(user) or is_signer(user) or entry_visible(user, entry)):
        raise NotFound()
    if entry.status != Status.ISSUED or not seal_image_released(entry):
        raise NotFound("这件公文尚未签发、用印和印发，没有盖章文件")


def entry_visible(user, entry) -> bool:
    return register_visible_to(user).filter(pk=entry.pk).exists()


# ---------------------------------------------------------------------------------------------- plaques
def check_plaque_orders(user) -> None:
    if not (is_sign_shop(user) or is_city_staff(user)):
        raise Denied("只有标牌制作单位和市局经办人可以查看和确认标牌制作批次")


def check_manage_tokens(user, owner) -> None:
    if user.pk != owner.pk and not is_city_staff(user):
        raise Denied("只能管理自己的 API 令牌")

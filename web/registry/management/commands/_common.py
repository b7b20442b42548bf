"""What the registry's commands share: the user they act as, dates as staff write them."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from docgen.records.fields import parse_date


def user_named(name: str | None):
    if not name:
        return None
    try:
        return get_user_model().objects.get(username=name)
    except get_user_model().DoesNotExist:
        raise CommandError(f"没有用户「{name}」（先用 createsuperuser 或在管理后台建立）") from None


def date_arg(text: str) -> dt.date:
    """2021年9月30日 or 2021-09-30."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CommandError(f"日期「{text}」无法识别：{exc}") from None


def end_of_day_arg(text: str) -> dt.datetime:
    from web.registry.history import end_of_day

    return end_of_day(date_arg(text))

"""Login throttling: after ``DOCGEN_LOGIN_FAILURES`` (5) failed logins for one user name from one IP address
within ``DOCGEN_LOGIN_WINDOW`` seconds (15 minutes), further attempts are refused — the right password
included — until the window has passed. Counted in the database (``LoginFailures``, one row per user name and
address, incremented atomically), so every server process and every machine sees the same count."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from web.accounts.models import LoginFailures

LIMIT = int(os.environ.get("DOCGEN_LOGIN_FAILURES", 5))
WINDOW = int(os.environ.get("DOCGEN_LOGIN_WINDOW", 15 * 60))


def locked_message() -> str:
    return f"登录失败次数过多（{WINDOW // 60} 分钟内 {LIMIT} 次），该账号已在本地址暂时锁定，请 {WINDOW // 60} 分钟后再试"


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def _key(username: str, ip: str) -> str:
    return hashlib.sha256(f"{(username or '').strip().casefold()}\0{ip}".encode()).hexdigest()


def _window_start():
    return timezone.now() - timedelta(seconds=WINDOW)


def failures(username: str, ip: str) -> int:
    row = LoginFailures.objects.filter(key=_key(username, ip), since__gt=_window_start()).only("count").first()
    return row.count if row else 0


def locked(username: str, ip: str) -> bool:
    return failures(username, ip) >= LIMIT


def record_failure(username: str, ip: str) -> int:
    """Counts one failure; returns the count (the window runs from the first failure)."""
    key = _key(username, ip)
    with transaction.atomic():
        LoginFailures.objects.filter(key=key, since__lte=_window_start()).delete()
        LoginFailures.objects.get_or_create(key=key, defaults={"since": timezone.now()})
        LoginFailures.objects.filter(key=key).update(count=F("count") + 1)
        return LoginFailures.objects.get(key=key).count


def reset(username: str, ip: str) -> None:
    LoginFailures.objects.filter(key=_key(username, ip)).delete()

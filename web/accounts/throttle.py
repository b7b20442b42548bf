"""Login throttling: after ``DOCGEN_LOGIN_FAILURES`` (5) failed logins for one user name from one IP address
within ``DOCGEN_LOGIN_WINDOW`` seconds (15 minutes), further attempts are refused — the right password
included — until the window has passed. Counted in Django's cache (per process with the default local-memory
cache; configure a shared cache for several server processes)."""

from __future__ import annotations

import hashlib
import os

from django.core.cache import cache

LIMIT = int(os.environ.get("DOCGEN_LOGIN_FAILURES", 5))
WINDOW = int(os.environ.get("DOCGEN_LOGIN_WINDOW", 15 * 60))


def locked_message() -> str:
    return f"登录失败次数过多（{WINDOW // 60} 分钟内 {LIMIT} 次），该账号已在本地址暂时锁定，请 {WINDOW // 60} 分钟后再试"


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{(username or '').strip().casefold()}\0{ip}".encode()).hexdigest()
    return f"docgen:login-failures:{digest}"


def failures(username: str, ip: str) -> int:
    return int(cache.get(_key(username, ip)) or 0)


def locked(username: str, ip: str) -> bool:
    return failures(username, ip) >= LIMIT


def record_failure(username: str, ip: str) -> int:
    """Counts one failure; returns the count (the window runs from the first failure)."""
    key = _key(username, ip)
    cache.add(key, 0, WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return 1


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))

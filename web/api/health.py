"""GET /health: is everything docgen needs up? Gotenberg's convention —
``{"status": "up"|"down", "details": {"database": {"status": …}, "redis": …, "workers": …, "fonts": …}}``,
200 when all are up, 503 naming what is down. No authentication; no secrets in the answer."""

from __future__ import annotations

import os

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

WORKER_PING_TIMEOUT = float(os.environ.get("DOCGEN_HEALTH_PING_TIMEOUT", 1.5))


def _database() -> dict:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "up", "vendor": connection.vendor}
    except Exception as exc:  # any failure is "down", named
        return {"status": "down", "error": f"数据库不可用（{type(exc).__name__}）"}


def _redis(url: str) -> dict:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return {"status": "up"}
    except Exception as exc:
        return {"status": "down", "error": f"无法连接 Redis（{type(exc).__name__}）"}


def _workers(broker_url: str) -> dict:
    """At least one worker answers a ping (Celery remote control over the broker) within the timeout."""
    from celery import Celery

    app = Celery("docgen-health", broker=broker_url, set_as_current=False)
    app.conf.update(broker_connection_retry=False, broker_connection_retry_on_startup=False,
                    broker_connection_timeout=2, broker_transport_options={"socket_timeout": 2,
                                                                            "socket_connect_timeout": 2})
    try:
        replies = app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1) or []  # the first answer will do
    except Exception as exc:
        return {"status": "down", "error": f"无法询问队列工作进程（{type(exc).__name__}）"}
    finally:
        app.close()
    if not replies:
        return {"status": "down", "error": "没有正在运行的工作进程（docgen worker）"}
    return {"status": "up"}


def _fonts() -> dict:
    """Every font role of docgen (仿宋, 小标宋, 黑体, 楷体, 宋体) resolves to an installed font file that draws
    Chinese."""
    try:
        from docgen.fonts.report import covers, resolve
        from docgen.fonts.roles import ROLES

        missing = []
        for role in ROLES.values():
            font = resolve(role)
            if not (os.path.isfile(font.file) and covers(font, "国")):  # a CJK face, not a Latin fallback
                missing.append(f"{role.label}（{role.official}）")
    except Exception as exc:
        return {"status": "down", "error": f"无法解析字体（{type(exc).__name__}）"}
    if missing:
        return {"status": "down", "error": "找不到字体：" + "、".join(missing)}
    return {"status": "up"}


def checks() -> dict[str, dict]:
    from workers.config import settings

    conf = settings()
    details = {"database": _database(), "redis": _redis(conf.broker_url)}
    if conf.store_url != conf.broker_url:
        details["job_store"] = _redis(conf.store_url)
    if details["redis"]["status"] == "up":
        details["workers"] = _workers(conf.broker_url)
    else:
        details["workers"] = {"status": "down", "error": "Redis 不可用，无法询问工作进程"}
    details["fonts"] = _fonts()
    return details


@never_cache
@require_GET
def health(request):
    details = checks()
    up = all(d["status"] == "up" for d in details.values())
    return JsonResponse({"status": "up" if up else "down", "details": details}, status=200 if up else 503,
                        json_dumps_params={"ensure_ascii": False})

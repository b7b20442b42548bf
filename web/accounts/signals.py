"""What is recorded without a view asking: role changes (a user's groups changed, from either side of the
relation, by anyone — admin, shell, API) and failed logins (for throttling)."""

from __future__ import annotations

import contextvars

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from . import throttle

current_actor: contextvars.ContextVar = contextvars.ContextVar("docgen_actor", default=None)
current_ip: contextvars.ContextVar = contextvars.ContextVar("docgen_ip", default=None)


class AuditContextMiddleware:
    """Makes the request's user and address known to audit rows written by signals during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = current_actor.set(getattr(request, "user", None))
        ip = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(actor)
            current_ip.reset(ip)


User = get_user_model()


def _role_change(action: str, users, groups) -> None:
    from .models import AuditEntry, audit

    label = "授予" if action == AuditEntry.ROLE_ADDED else "撤销"
    for user in users:
        for group in groups:
            audit(action, target_user=user, obj=group, detail=f"{label}用户 {user.get_username()} 角色「{group.name}」")


@receiver(m2m_changed, sender=User.groups.through)
def record_role_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    from .models import AuditEntry

    if action == "pre_clear":  # the groups cleared are not passed to post_clear: remember them
        instance._docgen_cleared = list(instance.user_set.all() if reverse else instance.groups.all())
        return
    if action == "post_clear":
        cleared, change = getattr(instance, "_docgen_cleared", []), AuditEntry.ROLE_REMOVED
    elif action in ("post_add", "post_remove"):
        cleared = list(model.objects.filter(pk__in=pk_set or ()))
        change = AuditEntry.ROLE_ADDED if action == "post_add" else AuditEntry.ROLE_REMOVED
    else:
        return
    if not cleared:
        return
    if reverse:  # group.user_set.add(user…): instance is the group
        _role_change(change, cleared, [instance])
    else:
        _role_change(change, [instance], cleared)


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    from .models import AuditEntry, audit

    username = credentials.get("username") or credentials.get(User.USERNAME_FIELD) or ""
    ip = throttle.client_ip(request)
    if throttle.locked(username, ip):
        return  # refused while locked: the lock is not extended
    if throttle.record_failure(username, ip) == throttle.LIMIT:
        target = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        audit(AuditEntry.LOGIN_LOCKED, actor=None, target_user=target, request=request,
              detail=f"用户名「{username[:60]}」在 {ip or '未知地址'} 登录失败 {throttle.LIMIT} 次，暂时锁定")


@receiver(user_logged_in)
def clear_failed_logins(sender, request, user, **kwargs):
    throttle.reset(user.get_username(), throttle.client_ip(request))

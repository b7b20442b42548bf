"""Who a user is in the programme (their district), their API tokens (stored as SHA-256 only) and the audit
log (审计日志): every sign-off, seal, download of a sealed file and role change, append-only."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "dg_"


class Profile(models.Model):
    """用户资料: the district a 区局填报员 works for (one district; city roles leave it empty)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="docgen_profile",
                                verbose_name="用户")
    district = models.ForeignKey("registry.District", models.PROTECT, null=True, blank=True, verbose_name="所属区县",
                                 help_text="区局填报员只能提交和查看本区县的数据；市局角色留空")

    class Meta:
        verbose_name = verbose_name_plural = "用户资料"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.district or '市局'}）"


def token_digest(clear: str) -> str:
    return hashlib.sha256(clear.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """API 令牌: shown once when created; the database keeps its SHA-256 and its first characters (to tell
    tokens apart), never the token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100, blank=True, default="")
    digest = models.CharField("SHA-256", max_length=64, unique=True, editable=False)
    prefix = models.CharField("开头字符", max_length=12, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.user.get_username()}）"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """A new token for ``user``: (the stored row, the clear token — to be shown once and never again)."""
        clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name[:100], digest=token_digest(clear), prefix=clear[:10])
        audit(AuditEntry.TOKEN_CREATED, actor=user, target_user=user, obj=token, detail=f"令牌 {token.prefix}…")
        return token, clear

    @classmethod
    def user_for(cls, clear: str):
        """The active user the clear token belongs to, or None (unknown, revoked, or user inactive)."""
        if not clear or not clear.startswith(TOKEN_PREFIX) or len(clear) > 200:
            return None
        token = cls.objects.select_related("user").filter(digest=token_digest(clear), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能新增，不能修改")

    def delete(self):
        raise PermissionError("审计日志永久保存，不能删除")


class AuditEntry(models.Model):
    """审计日志: who did what to which object, when, from where."""

    SIGN_OFF, SEAL, DOWNLOAD_SEALED = "sign_off", "seal", "download_sealed"
    ROLE_ADDED, ROLE_REMOVED = "role_added", "role_removed"
    TOKEN_CREATED, TOKEN_REVOKED = "token_created", "token_revoked"
    PLAQUES_PRINTED, LOGIN_LOCKED = "plaques_printed", "login_locked"
    ACTIONS = [(SIGN_OFF, "签发"), (SEAL, "用印"), (DOWNLOAD_SEALED, "下载盖章文件"), (ROLE_ADDED, "授予角色"),
               (ROLE_REMOVED, "撤销角色"), (TOKEN_CREATED, "创建 API 令牌"), (TOKEN_REVOKED, "吊销 API 令牌"),
               (PLAQUES_PRINTED, "确认标牌制作完成"), (LOGIN_LOCKED, "登录失败次数过多被锁定")]

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="操作人")
    actor_name = models.CharField("操作人用户名", max_length=150, blank=True, default="",
                                  help_text="用户被删除后仍可知是谁")
    action = models.CharField("操作", max_length=20, choices=ACTIONS, db_index=True)
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="涉及用户")
    object_type = models.CharField("对象类型", max_length=60, blank=True, default="")
    object_id = models.CharField("对象编号", max_length=64, blank=True, default="")
    detail = models.CharField("说明", max_length=500, blank=True, default="")
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '系统'} {self.get_action_display()} {self.detail}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志永久保存，不能删除")


def audit(action: str, *, actor=None, target_user=None, obj=None, detail: str = "", request=None) -> AuditEntry:
    """Records one audited action. ``actor`` defaults to the user of the request being served (see
    ``web.accounts.signals.current_actor``)."""
    from .signals import current_actor, current_ip

    if actor is None:
        actor = getattr(request, "user", None) if request is not None else current_actor.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    ip = (request.META.get("REMOTE_ADDR") if request is not None else current_ip.get()) or None
    return AuditEntry.objects.create(
        action=action, actor=actor, actor_name=actor.get_username() if actor is not None else "",
        target_user=target_user, object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "", detail=detail[:500], ip=ip)


class LoginFailures(models.Model):
    """Failed logins of one user name from one address within the throttle's window (web.accounts.throttle),
    kept in the database so that every server process counts the same failures."""

    key = models.CharField(max_length=64, unique=True)  # SHA-256 of the user name and the address, never either
    count = models.PositiveIntegerField(default=0)
    since = models.DateTimeField()  # the window's first failure

    class Meta:
        verbose_name = verbose_name_plural = "登录失败计数"

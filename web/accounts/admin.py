"""The accounts admin: a user's district (on the user page), API tokens (revocable, never shown) and the audit
log (read-only: nobody, not even a superuser, can add, change or delete a row)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone

from .models import ApiToken, AuditEntry, Profile

User = get_user_model()


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    max_num = 1
    verbose_name_plural = "所属区县（区局填报员必填）"


class DocgenUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ProfileInline]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, DocgenUserAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False  # a token is shown once: create it with `create_api_token USER` or POST /api/tokens

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
            from .models import audit

            audit(AuditEntry.TOKEN_REVOKED, actor=request.user, target_user=token.user, obj=token, request=request,
                  detail=f"令牌 {token.prefix}…")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "target_user", "detail", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "detail", "object_id")
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

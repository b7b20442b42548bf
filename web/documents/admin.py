"""The Chinese admin of the 发文登记簿: entries (drafts editable, everything else read-only), their 办理记录 and
归档文件 (read-only, downloadable after the SHA-256 is verified), and the 发文字号 counters."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from docgen.problems import InvalidRecord
from web.accounts import permissions
from web.accounts.models import AuditEntry, audit

from . import register
from .models import ArchivedFile, DocumentEntry, DocumentEvent, NumberSequence, Status


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentEventInline(ReadOnlyInline):
    model = DocumentEvent
    fields = readonly_fields = ("at", "action", "from_status", "to_status", "user", "note")
    ordering = ("at", "pk")


class ArchivedFileInline(ReadOnlyInline):
    model = ArchivedFile
    fields = readonly_fields = ("filename", "media_type", "size", "sha256", "archived_at", "download")

    @admin.display(description="下载")
    def download(self, obj):
        return _download_link(obj)


def _download_link(obj: ArchivedFile):
    if obj.pk is None:
        return "-"
    return format_html('<a href="{}">下载（校验 SHA-256）</a>', reverse("admin:documents_archivedfile_download",
                                                                    args=[obj.pk]))


class DraftForm(forms.ModelForm):
    """A draft's text may be changed here; its record is validated by docgen as when it was drafted."""

    class Meta:
        model = DocumentEntry
        fields = ("title", "doc_type", "record")

    def clean(self):
        cleaned = super().clean()
        entry = self.instance
        try:
            cleaned["record"], validated = register.check_record(entry.kind, entry.issuer_code,
                                                                 cleaned.get("record") or {})
        except InvalidRecord as exc:
            raise ValidationError(exc.report()) from None
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        self.instance.date = register._record_date(validated)
        return cleaned


@admin.register(DocumentEntry)
class DocumentEntryAdmin(admin.ModelAdmin):
    list_display = ("number_display", "title", "doc_type", "status", "date", "signed_by", "signed_at", "issued_at")
    list_display_links = ("number_display", "title")
    list_filter = ("status", "year", "issuer_code", "doc_type")
    search_fields = ("doc_number", "title", "issuer_code")
    date_hierarchy = "drafted_at"
    inlines = (DocumentEventInline, ArchivedFileInline)
    actions = ("sign_off_selected", "seal_selected")
    form = DraftForm
    fieldsets = (
        (None, {"fields": ("doc_number", "issuer_code", "year", "number", "kind", "doc_type", "title", "date",
                           "status", "corrects", "record")}),
        ("办理", {"fields": ("drafted_by", "drafted_at", "signed_by", "signed_at", "sealed_by", "sealed_at",
                           "issued_by", "issued_at", "voided_by", "voided_at", "void_reason")}),
    )
    ALWAYS_READ_ONLY = ("doc_number", "issuer_code", "year", "number", "kind", "date", "status", "corrects",
                        "drafted_by", "drafted_at", "signed_by", "signed_at", "sealed_by", "sealed_at", "issued_by",
                        "issued_at", "voided_by", "voided_at", "void_reason")

    @admin.display(description="发文字号", ordering="number")
    def number_display(self, obj):
        return obj.doc_number or f"（草稿#{obj.pk}，未编号）"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Status.DRAFT:
            return self.ALWAYS_READ_ONLY
        return self.ALWAYS_READ_ONLY + ("doc_type", "title", "record")

    def has_add_permission(self, request):
        return False  # drafts come from the pages and the API, through register.draft

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Status.DRAFT:
            return False  # signed-off, issued or void: read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="签发所选草稿（编发文字号）", permissions=["change"])
    def sign_off_selected(self, request, queryset):
        entries = list(queryset.order_by("pk"))
        try:
            permissions.check_sign_off(request.user)  # the same rule as the pages and the API: 签发人 only
            numbers = register.sign_off(entries, request.user)
        except (ValueError, permissions.Refused) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        for entry in entries:
            audit(AuditEntry.SIGN_OFF, obj=entry, request=request, detail=f"签发 {entry.doc_number}《{entry.title}》（管理后台）")
        self.message_user(request, "已签发：" + "、".join(numbers), messages.SUCCESS)

    @admin.action(description="所选公文已用印", permissions=["change"])
    def seal_selected(self, request, queryset):
        done = []
        for entry in queryset.order_by("pk"):
            try:
                permissions.check_seal(request.user, entry)
                register.seal(entry, request.user)
                audit(AuditEntry.SEAL, obj=entry, request=request, detail=f"用印 {entry.doc_number}《{entry.title}》（管理后台）")
                done.append(entry.doc_number)
            except (ValueError, permissions.Refused) as exc:
                self.message_user(request, str(exc), messages.ERROR)
        if done:
            self.message_user(request, "已用印：" + "、".join(done), messages.SUCCESS)


@admin.register(DocumentEvent)
class DocumentEventAdmin(admin.ModelAdmin):
    list_display = ("at", "entry", "action", "from_status", "to_status", "user", "note")
    list_filter = ("action", "to_status", "entry__year", "entry__issuer_code")
    search_fields = ("entry__doc_number", "entry__title", "note")
    list_select_related = ("entry", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchivedFile)
class ArchivedFileAdmin(admin.ModelAdmin):
    list_display = ("entry", "filename", "media_type", "size", "sha256", "archived_at", "download")
    list_filter = ("media_type", "entry__year", "entry__issuer_code")
    search_fields = ("entry__doc_number", "entry__title", "filename", "sha256")
    list_select_related = ("entry",)

    @admin.display(description="下载")
    def download(self, obj):
        return _download_link(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:pk>/download/", view, name="documents_archivedfile_download"), *super().get_urls()]

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        archived = get_object_or_404(ArchivedFile.objects.select_related("entry"), pk=pk)
        try:
            data = register.archived_bytes(archived)
        except register.ArchiveError as exc:
            return HttpResponse(str(exc), status=500, content_type="text/plain; charset=utf-8")
        response = HttpResponse(data, content_type=archived.media_type)
        response["Content-Disposition"] = _attachment(archived.filename)
        return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"


class SequenceForm(forms.ModelForm):
    class Meta:
        model = NumberSequence
        fields = ("issuer_code", "year", "last_number")

    def clean(self):
        cleaned = super().clean()
        code, year, last = cleaned.get("issuer_code"), cleaned.get("year"), cleaned.get("last_number")
        if code is None or year is None or last is None:
            return cleaned
        try:
            register._placeholder(code, year)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if self.instance.pk is not None and last < self.instance.last_number:
            raise ValidationError(f"已编至 {self.instance.last_number} 号，计数只能调大（已用的字号不再重复使用）")
        used = DocumentEntry.objects.filter(issuer_code=code, year=year).aggregate(m=Max("number"))["m"] or 0
        if last < used:
            raise ValidationError(f"{code}〔{year}〕已编到 {used} 号，计数不能小于它")
        return cleaned


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    form = SequenceForm
    list_display = ("issuer_code", "year", "last_number")
    list_filter = ("year", "issuer_code")
    search_fields = ("issuer_code",)

    def get_readonly_fields(self, request, obj=None):
        return ("issuer_code", "year") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        with transaction.atomic():  # under the lock sign-off takes: never behind a number handed out meanwhile
            locked = NumberSequence.objects.select_for_update().get(pk=obj.pk)
            locked.last_number = obj.last_number
            locked.save(update_fields=["last_number"])

    def has_delete_permission(self, request, obj=None):
        return False

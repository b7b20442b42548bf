"""The registry's admin, in Chinese: every model, the history of each row, and imports from the browser
(a district's files or a filled 附件1) through the same importer as the management command."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from docgen.records.filenames import safe_filename
from web.registry import models
from web.registry.history import label_of, values
from web.registry.importing import ImportRefused, import_application, import_report


class ImportForm(forms.Form):
    files = forms.FileField(label="文件", widget=forms.ClearableFileInput(attrs={"multiple": False}),
                            help_text="区局报送的工作簿（.xlsx）、单表 CSV（UTF-8 或 GB18030）、YAML；或填好的附件1")
    district = forms.ModelChoiceField(models.District.objects.all(), label="区县", required=False,
                                      help_text="CSV 文件须指明；工作簿和 YAML 以文件中的填报单位为准")
    kind = forms.ChoiceField(label="类别", choices=[("report", "区局报送（附件2–6）"), ("application", "联系点申请表（附件1）")])


def import_view(request):
    """导入: one file a time, reported back as the command line reports it."""
    if not request.user.has_perm("registry.add_importrun"):
        messages.error(request, "没有导入权限")
        return redirect("admin:index")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["files"]
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / safe_filename(upload.name)
            with open(target, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                if form.cleaned_data["kind"] == "application":
                    result = import_application(target, user=request.user)
                else:
                    district = form.cleaned_data["district"]
                    result = import_report(target, user=request.user, district=district.name if district else "")
            except ImportRefused as exc:
                messages.error(request, str(exc))
            else:
                level = messages.WARNING if result.rejected else messages.SUCCESS
                for line in result.summary().splitlines():
                    messages.add_message(request, level, line)
                return redirect("admin:registry_importrun_changelist")
    context = {**admin.site.each_context(request), "form": form, "title": "导入区局报送或联系点申请表"}
    return render(request, "admin/registry/import.html", context)


class HistoryMixin:
    """Every save from the admin is a change of its own (who, when, old and new values)."""

    def save_model(self, request, obj, form, change):
        fields = [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "key")]
        old = values(type(obj).objects.get(pk=obj.pk), fields) if change else {}
        if isinstance(obj, models.ReportedRow):
            obj.key = " / ".join(str(getattr(obj, obj.row_fields[f])).strip() for f in obj.natural_key)
            if not change and obj.valid_from is None and not isinstance(obj, models.Station):
                obj.valid_from = timezone.now()
        super().save_model(request, obj, form, change)
        new = values(obj, fields)
        diff = [f for f in fields if old.get(f) != new[f]]
        if diff:
            models.Change.objects.create(
                at=timezone.now(), user=request.user, row="管理后台", district_id=getattr(obj, "district_id", None),
                model=label_of(type(obj)), object_id=obj.pk, label=str(obj)[:255],
                action=models.Change.EDITED if change else models.Change.CREATED,
                old={f: old[f] for f in diff if f in old}, new={f: new[f] for f in diff})

    def history(self, obj):
        changes = models.Change.objects.filter(model=label_of(type(obj)), object_id=obj.pk).order_by("at", "id")
        return format_html("<table>{}</table>", format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((timezone.localtime(c.at).strftime("%Y-%m-%d %H:%M"), c.get_action_display(), c.user or "",
              c.source.file_name if c.source_id else "", c.row, _diff(c)) for c in changes)))

    history.short_description = "变更历史"


def _diff(change) -> str:
    keys = list(dict.fromkeys([*change.old, *change.new]))
    return "；".join(f"{k}：{change.old.get(k, '')} → {change.new.get(k, '')}" for k in keys)


class CurrentFilter(admin.SimpleListFilter):
    title = "是否在报"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "在报"), ("retired", "已停用"), ("never", "未报送")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_from__isnull=False, retired_at__isnull=True)
        if self.value() == "retired":
            return queryset.filter(retired_at__isnull=False)
        if self.value() == "never":
            return queryset.filter(valid_from__isnull=True)
        return queryset


class ReportedAdmin(HistoryMixin, admin.ModelAdmin):
    list_filter = ("district", CurrentFilter)
    readonly_fields = ("key", "valid_from", "retired_at", "source", "source_row", "history")
    list_select_related = ("district",)
    list_per_page = 100

    def has_delete_permission(self, request, obj=None):
        return False  # a row leaves the registry by being retired (停用), never deleted: its history stays

    @admin.action(description="停用所选记录（保留历史）")
    def retire(self, request, queryset):
        now = timezone.now()
        count = 0
        for obj in queryset.filter(retired_at__isnull=True, valid_from__isnull=False):
            obj.retired_at = now
            obj.save(update_fields=["retired_at"])
            models.Change.objects.create(at=now, user=request.user, row="管理后台", district_id=obj.district_id,
                                         model=label_of(type(obj)), object_id=obj.pk, label=obj.key[:255],
                                         action=models.Change.RETIRED, old={"retired_at": None},
                                         new={"retired_at": now.isoformat()})
            count += 1
        self.message_user(request, f"已停用 {count} 条记录")

    actions = ["retire"]

    def in_report(self, obj):
        return obj.current

    in_report.boolean = True
    in_report.short_description = "在报"


@admin.register(models.District)
class DistrictAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ("name", "bureau", "order")
    readonly_fields = ("history",)


@admin.register(models.Station)
class StationAdmin(ReportedAdmin):
    list_display = ("name", "district", "organisation", "status", "reply_number", "plaque_printed_at", "in_report")
    list_filter = ("district", "status", CurrentFilter)
    search_fields = ("name", "organisation")


@admin.register(models.KeyEnterprise)
class KeyEnterpriseAdmin(ReportedAdmin):
    list_display = ("name", "district", "category", "use", "head", "liaison", "in_report")
    list_filter = ("district", "category", CurrentFilter)
    search_fields = ("name",)


@admin.register(models.ProtectionUnitMember)
class ProtectionUnitMemberAdmin(ReportedAdmin):
    list_display = ("person", "unit", "post", "contact", "district", "in_report")
    search_fields = ("person", "unit")


@admin.register(models.CaseBackbone)
class CaseBackboneAdmin(ReportedAdmin):
    list_display = ("person", "post", "unit", "contact", "district", "in_report")
    search_fields = ("person",)


class OfficeOfficerInline(admin.TabularInline):
    model = models.OfficeOfficer
    extra = 0


@admin.register(models.Office)
class OfficeAdmin(ReportedAdmin):
    list_display = ("name", "head", "phone", "district", "in_report")
    search_fields = ("name",)
    inlines = [OfficeOfficerInline]


@admin.register(models.OfficeOfficer)
class OfficeOfficerAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ("name", "phone", "office")
    search_fields = ("name", "office__name")
    readonly_fields = ("history",)


@admin.register(models.ServiceInstitution)
class ServiceInstitutionAdmin(ReportedAdmin):
    list_display = ("name", "category", "contact_person", "contact", "district", "in_report")
    list_filter = ("district", "category", CurrentFilter)
    search_fields = ("name",)


class VolunteerInline(admin.TabularInline):
    model = models.Volunteer
    extra = 0


@admin.register(models.VolunteerTeam)
class VolunteerTeamAdmin(ReportedAdmin):
    list_display = ("name", "category", "members", "contact_person", "district", "in_report")
    search_fields = ("name",)
    inlines = [VolunteerInline]


@admin.register(models.Volunteer)
class VolunteerAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ("name", "phone", "team")
    search_fields = ("name", "team__name")
    readonly_fields = ("history",)


@admin.register(models.ContactPointApplication)
class ContactPointApplicationAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ("organisation", "station", "district", "filled_on", "status", "reply_number")
    list_filter = ("status", "district")
    search_fields = ("organisation", "station__name")
    readonly_fields = ("key", "source", "history")
    list_select_related = ("station", "district")


@admin.register(models.InspectionNote)
class InspectionNoteAdmin(HistoryMixin, admin.ModelAdmin):
    list_display = ("district", "noted_on", "category", "station", "text")
    list_filter = ("district", "category")
    readonly_fields = ("history",)

    def save_model(self, request, obj, form, change):
        obj.user = obj.user or request.user
        super().save_model(request, obj, form, change)


@admin.register(models.PlaqueOrder)
class PlaqueOrderAdmin(admin.ModelAdmin):
    list_display = ("title", "created_at", "user", "confirmed_at")
    readonly_fields = ("created_at", "user", "confirmed_at")
    actions = ["confirm"]

    @admin.action(description="标牌厂已制作完成：标记为已制作")
    def confirm(self, request, queryset):
        from web.registry.records import confirm_plaques

        count = sum(confirm_plaques(order, request.user) for order in queryset.filter(confirmed_at__isnull=True))
        self.message_user(request, f"已标记 {count} 个工作站的标牌为已制作")


@admin.register(models.ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind", "district", "at", "user", "created", "updated", "retired", "unchanged",
                    "rejected_count")
    list_filter = ("kind", "district")
    readonly_fields = [f.name for f in models.ImportRun._meta.fields]
    change_list_template = "admin/registry/importrun/change_list.html"

    def rejected_count(self, obj):
        return len(obj.rejected)

    rejected_count.short_description = "未能接受"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(import_view), name="registry_import"), *super().get_urls()]


@admin.register(models.Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "model", "label", "district", "user", "source", "row", "difference")
    list_filter = ("action", "model", "district")
    search_fields = ("label",)
    list_select_related = ("district", "user", "source")
    readonly_fields = [f.name for f in models.Change._meta.fields]

    def difference(self, obj):
        return _diff(obj)

    difference.short_description = "原值 → 新值"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

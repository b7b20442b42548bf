"""The registry (登记簿): what the districts report — stations, key enterprises, teams, case 骨干 — kept with
its history, so the paperwork is generated from it and the state at any past date can be rebuilt.

Every row a district reports (附件2–6) is a ``ReportedRow``: it belongs to a district, is found again by its
natural key (so a re-import updates it instead of duplicating it), and carries ``valid_from`` / ``retired_at``:
a row missing from a district's re-imported full table is retired, never deleted. Every change — created,
updated, retired, revived, edited in the admin — is a ``Change`` (who, when, from which file and row, old and
new values); the state at a past date is today's rows with the later changes undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from docgen.annexes.consolidate import DISTRICT_ORDER


class District(models.Model):
    """区县: one of the city's districts, each with its market-supervision bureau (辖区局)."""

    name = models.CharField("区县", max_length=40, unique=True)
    bureau = models.CharField("辖区市场监督管理局", max_length=60,
                              help_text="区局报送时写的填报单位，如 山阳区市场监督管理局")
    order = models.PositiveSmallIntegerField("排序", default=len(DISTRICT_ORDER))

    class Meta:
        verbose_name = verbose_name_plural = "区县"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """导入记录: one file imported (a district's workbook, CSV or YAML, or a filled 附件1), by whom, when, and
    what became of it."""

    REPORT, APPLICATION = "report", "application"
    at = models.DateTimeField("导入时间")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                             verbose_name="导入人", related_name="registry_imports")
    kind = models.CharField("类别", max_length=20, choices=[(REPORT, "区局报送（附件2–6）"), (APPLICATION, "联系点申请表（附件1）")])
    file_name = models.CharField("文件", max_length=255)
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    district = models.ForeignKey(District, models.PROTECT, null=True, blank=True, verbose_name="区县")
    tables = models.JSONField("涉及的表", default=list, blank=True)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("修改", default=0)
    retired = models.PositiveIntegerField("停用", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    rejected = models.JSONField("未能接受的行", default=list, blank=True)
    notes = models.JSONField("说明", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.at:%Y-%m-%d %H:%M}）"


class Change(models.Model):
    """变更记录: one change to one registry row — who, when, from which file and row, old and new values
    (by field name; a creation has every value as new, a retirement ``retired_at``)."""

    CREATED, UPDATED, RETIRED, REVIVED, EDITED = "created", "updated", "retired", "revived", "edited"
    ACTIONS = [(CREATED, "新增"), (UPDATED, "修改"), (RETIRED, "停用（未再报送）"), (REVIVED, "恢复（重新报送）"),
               (EDITED, "手工修改")]
    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="操作人",
                             related_name="registry_changes")
    source = models.ForeignKey(ImportRun, models.PROTECT, null=True, blank=True, verbose_name="来源文件")
    row = models.CharField("来源行", max_length=80, blank=True)
    district = models.ForeignKey(District, models.PROTECT, null=True, blank=True, verbose_name="区县")
    model = models.CharField("登记表", max_length=40)
    object_id = models.BigIntegerField("记录编号")
    label = models.CharField("记录", max_length=255)
    action = models.CharField("变更", max_length=10, choices=ACTIONS)
    old = models.JSONField("原值", default=dict, blank=True)
    new = models.JSONField("新值", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "at"])]

    def __str__(self) -> str:
        return f"{self.label} {self.get_action_display()}"


class ReportedRow(models.Model):
    """A row of a district's report (附件2–6) with its place in history."""

    district = models.ForeignKey(District, models.PROTECT, verbose_name="区县")
    key = models.CharField("识别键", max_length=255, editable=False,
                           help_text="同一区县内识别同一条记录的名称；再次导入时按它更新，不重复新增")
    position = models.PositiveIntegerField("表内顺序", default=0)
    valid_from = models.DateTimeField("报送起始", null=True, blank=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True,
                                      help_text="区局重新报送的完整表格中不再有这一行时停用（保留，不删除）")
    source = models.ForeignKey(ImportRun, models.SET_NULL, null=True, blank=True, verbose_name="最近来源文件",
                               related_name="+")
    source_row = models.CharField("最近来源行", max_length=80, blank=True)

    # the 附件 table (docgen.annexes.forms key) and the row record's fields → this model's fields
    table: str = ""
    row_fields: dict[str, str] = {}
    natural_key: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["district__order", "position", "id"]

    def __str__(self) -> str:
        return self.key

    @property
    def current(self) -> bool:
        return self.valid_from is not None and self.retired_at is None


class Station(ReportedRow):
    """工作站: an intellectual-property protection station (规范名称 知识产权保护工作站XXX站), set up by its 设立单位
    in a district; it applies, is approved by a 批复 (as a station or as the bureau's 联系点), gets a plaque."""

    APPLYING, APPROVED, CONTACT_POINT, REVOKED = "applying", "approved", "contact-point", "revoked"
    STATUSES = [(APPLYING, "申请中"), (APPROVED, "已批准"), (CONTACT_POINT, "联系点"), (REVOKED, "撤销")]
    name = models.CharField("站名（规范名称）", max_length=100)
    organisation = models.CharField("设立单位", max_length=100, blank=True)
    head = models.CharField("负责人及联系方式", max_length=100, blank=True)
    bureau = models.CharField("所属辖区局", max_length=60, blank=True)
    instructor = models.CharField("工作站指导员姓名及联系方式", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=STATUSES, default=APPROVED)
    reply_number = models.CharField("批复文号", max_length=60, blank=True)
    approved_on = models.DateField("批复日期", null=True, blank=True)
    plaque_printed_at = models.DateTimeField("标牌制作完成", null=True, blank=True)

    table = "stations"
    row_fields = {"station": "name", "head": "head", "bureau": "bureau", "instructor": "instructor"}
    natural_key = ("station",)

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "工作站"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="station_key")]


class KeyEnterprise(ReportedRow):
    """重点企业: an enterprise on the district's 知识产权重点保护企业名录 (附件3)."""

    name = models.CharField("企业名称", max_length=100)
    category = models.CharField("企业类别", max_length=30)
    protection = models.JSONField("知识产权重点保护种类", default=list)
    use = models.CharField("知识产权运用方式", max_length=10)
    head = models.CharField("企业负责人及联系方式", max_length=100)
    liaison = models.CharField("联络员及联系方式", max_length=100)

    table = "enterprises"
    row_fields = {"enterprise": "name", "category": "category", "protection": "protection", "use": "use",
                  "head": "head", "liaison": "liaison"}
    natural_key = ("enterprise",)

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "重点企业"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="enterprise_key")]


class ProtectionUnitMember(ReportedRow):
    """局机关知识产权保护机构人员: a person of the district bureau's IP protection office (附件4 表1)."""

    unit = models.CharField("局机关知识产权保护机构名称", max_length=100)
    person = models.CharField("人员姓名", max_length=40)
    post = models.CharField("职务", max_length=40)
    contact = models.CharField("联系方式", max_length=40)

    table = "offices"
    row_fields = {"office": "unit", "person": "person", "post": "post", "contact": "contact"}
    natural_key = ("office", "person")

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "局机关知识产权保护机构人员"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="unit_member_key")]


class CaseBackbone(ReportedRow):
    """办案骨干: an IP case 骨干 of the district's enforcement team (附件4 表2; the target is 3 a district)."""

    person = models.CharField("姓名", max_length=40)
    post = models.CharField("职务", max_length=40)
    unit = models.CharField("所属执法机构", max_length=100)
    contact = models.CharField("联系方式", max_length=40)

    table = "case_officers"
    row_fields = {"person": "person", "post": "post", "unit": "unit", "contact": "contact"}
    natural_key = ("person",)

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "办案骨干"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="case_backbone_key")]


class Office(ReportedRow):
    """市场监管所: a grass-roots market-supervision office (附件4 表3), with its 专管员 for IP protection."""

    name = models.CharField("市场监管所名称", max_length=100)
    head = models.CharField("负责人", max_length=40)
    phone = models.CharField("电话", max_length=40)

    table = "supervision_offices"
    row_fields = {"office": "name", "head": "head", "phone": "phone"}
    natural_key = ("office",)

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "市场监管所"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="office_key")]


class OfficeOfficer(models.Model):
    """专管员: the person a 市场监管所 names for IP protection."""

    office = models.ForeignKey(Office, models.CASCADE, related_name="officers", verbose_name="市场监管所")
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专管员"

    def __str__(self) -> str:
        return self.name


class ServiceInstitution(ReportedRow):
    """服务机构: a social service institution for IP protection (附件5: 协会、律所、调解委员会 …)."""

    name = models.CharField("知识产权保护社会服务机构名称", max_length=100)
    category = models.CharField("类别", max_length=20)
    contact_person = models.CharField("联系人", max_length=40)
    contact = models.CharField("联系方式", max_length=40)
    remarks = models.CharField("备注", max_length=200, blank=True)

    table = "institutions"
    row_fields = {"institution": "name", "category": "category", "contact_person": "contact_person",
                  "contact": "contact", "remarks": "remarks"}
    natural_key = ("institution",)

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "服务机构"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="institution_key")]


class VolunteerTeam(ReportedRow):
    """志愿者服务队: a volunteer team (附件6), full- or part-time, with its number of volunteers."""

    name = models.CharField("志愿者服务队名称", max_length=100)
    category = models.CharField("类别", max_length=10)
    members = models.PositiveIntegerField("人数")
    contact_person = models.CharField("联系人", max_length=40)
    contact = models.CharField("联系方式", max_length=40)

    table = "volunteer_teams"
    row_fields = {"team": "name", "category": "category", "members": "members", "contact_person": "contact_person",
                  "contact": "contact"}
    natural_key = ("team",)

    class Meta(ReportedRow.Meta):
        verbose_name = verbose_name_plural = "志愿者服务队"
        constraints = [models.UniqueConstraint(fields=["district", "key"], name="volunteer_team_key")]


class Volunteer(models.Model):
    """志愿者: a named member of a volunteer team."""

    team = models.ForeignKey(VolunteerTeam, models.CASCADE, related_name="volunteers", verbose_name="志愿者服务队")
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    speciality = models.CharField("专长", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "志愿者"

    def __str__(self) -> str:
        return self.name


REPORTED_MODELS: tuple[type[ReportedRow], ...] = (Station, KeyEnterprise, ProtectionUnitMember, CaseBackbone,
                                                  Office, ServiceInstitution, VolunteerTeam)


class ContactPointApplication(models.Model):
    """联系点申请: a station's 附件1 application to become its district bureau's contact point (联系点) — the
    whole form as the station filled it in — and the 批复 that answered it."""

    PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
    STATUSES = [(PENDING, "待批复"), (APPROVED, "已同意"), (DECLINED, "不同意")]
    APPROVE, DECLINE = "approve", "decline"
    key = models.CharField("识别键", max_length=255, unique=True, editable=False)
    district = models.ForeignKey(District, models.PROTECT, verbose_name="区县")
    station = models.ForeignKey(Station, models.PROTECT, verbose_name="工作站", related_name="applications")
    form = models.JSONField("申请表内容（附件1）", help_text="申请表的全部栏目，与附件1 一一对应")
    organisation = models.CharField("单位名称", max_length=100)
    filled_on = models.DateField("填报时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=PENDING)
    request_title = models.CharField("请示标题", max_length=100, default="关于申请确定为知识产权保护联系点的请示")
    request_number = models.CharField("请示文号", max_length=60, blank=True)
    reasons = models.JSONField("不同意的理由", default=list, blank=True)
    reply_number = models.CharField("批复文号", max_length=60, blank=True)
    replied_on = models.DateField("批复日期", null=True, blank=True)
    source = models.ForeignKey(ImportRun, models.SET_NULL, null=True, blank=True, verbose_name="来源文件",
                               related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "联系点申请"
        ordering = ["district__order", "filled_on", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}：{self.station.name}"


class InspectionNote(models.Model):
    """检查记录: what the city's inspection found in a district — a contact point confirmed, a commendation
    (工作亮点) or a correction required (存在问题) — for the 通报."""

    CONTACT_POINT, COMMENDATION, CORRECTION = "contact-point", "commendation", "correction"
    CATEGORIES = [(CONTACT_POINT, "已确定的联系点"), (COMMENDATION, "工作亮点"), (CORRECTION, "存在问题（须整改）")]
    district = models.ForeignKey(District, models.PROTECT, verbose_name="区县")
    noted_on = models.DateField("检查日期")
    category = models.CharField("类别", max_length=20, choices=CATEGORIES)
    station = models.ForeignKey(Station, models.PROTECT, null=True, blank=True, verbose_name="工作站（联系点）")
    text = models.CharField("内容", max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="记录人",
                             related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "检查记录"
        ordering = ["noted_on", "id"]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.category == self.CONTACT_POINT:
            if self.station_id is None:
                raise ValidationError({"station": "已确定的联系点须选择工作站"})
            if self.district_id is not None and self.station.district_id != self.district_id:
                raise ValidationError({"station": "联系点须是本区县的工作站"})
        elif not self.text.strip():
            raise ValidationError({"text": "请填写内容"})

    def __str__(self) -> str:
        return f"{self.district} {self.get_category_display()}：{self.station.name if self.station else self.text}"


class PlaqueOrder(models.Model):
    """标牌制作批次: the plaques sent to the sign shop in one batch; confirmed when the shop has made them."""

    title = models.CharField("批次名称", max_length=100)
    created_at = models.DateTimeField("生成时间")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name="经办人",
                             related_name="+")
    stations = models.ManyToManyField(Station, verbose_name="工作站", related_name="plaque_orders")
    confirmed_at = models.DateTimeField("制作完成确认", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "标牌制作批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

"""发文登记簿: every 公文 docgen issues, its 发文字号, who signed it off, sealed and issued it, and its archive.

The register's rules live in `web.documents.register` (draft → sign_off → seal → issue, or void); the models
guard what must never change whatever path a write takes (model `save`/`delete`, queryset `update`/`delete`):
an entry's text once signed off, anything of an issued or voided entry, the event log and the archived files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import sealing


class RegisterGuardError(Exception):
    """A write the register never allows (the message, in Chinese, says what and why)."""


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SIGNED = "signed", "已签发"
    SEALED = "sealed", "已用印"
    ISSUED = "issued", "已印发"
    VOID = "void", "作废"


# The only steps an entry may take; 已印发 and 作废 are final. 已签发 → 已印发 only for a document without a
# seal (不加盖印章, `needs_seal`), which is never 已用印.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.SIGNED, Status.VOID),
    Status.SIGNED: (Status.SEALED, Status.ISSUED, Status.VOID),
    Status.SEALED: (Status.ISSUED, Status.VOID),
    Status.ISSUED: (),
    Status.VOID: (),
}
FINAL = (Status.ISSUED, Status.VOID)
NUMBERED = (Status.SIGNED, Status.SEALED, Status.ISSUED)

# What the signing leader approved: fixed from sign-off on.
CONTENT_FIELDS = ("kind", "issuer_code", "doc_type", "title", "date", "record", "corrects_id")
NUMBER_FIELDS = ("year", "number", "doc_number")


def person_name(user) -> str:
    """A person as Chinese writes a name: family name first, no space (the user name when none is given)."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip() if hasattr(user, "last_name") else ""
    return name or user.get_username()


def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else str(value)


class NumberSequence(models.Model):
    """发文字号计数: the last number handed out for one 机关代字 and year. Numbers are taken from it with the row
    locked (sign-off), consecutively; it only ever goes up, so a voided number is never handed out again."""

    issuer_code = models.CharField("机关代字", max_length=40)
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveIntegerField("已编至（最后一个序号）", default=0,
                                              help_text="下一件签发的公文编为此数加 1；只能调大（如纸质登记已用到的号）")

    class Meta:
        verbose_name = "发文字号计数"
        verbose_name_plural = "发文字号计数"
        ordering = ["-year", "issuer_code"]
        constraints = [models.UniqueConstraint(fields=["issuer_code", "year"], name="documents_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.issuer_code}〔{self.year}〕已编至 {self.last_number} 号"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("last_number", flat=True).first()
            if stored is not None and self.last_number < stored:
                raise RegisterGuardError(f"{self.issuer_code}〔{self.year}〕已编至 {stored} 号，计数只能调大"
                                         "（已用的字号不再重复使用）")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RegisterGuardError(f"{self}：发文字号计数不能删除（删除后字号会从 1 重新编起）")


class DocumentEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Only drafts' text may be bulk-updated; statuses and numbers change through the register's steps."""
        fields = {name.removesuffix("_id") for name in kwargs}
        steps = fields - {f.removesuffix("_id") for f in CONTENT_FIELDS}
        if steps:
            raise RegisterGuardError("发文登记的状态、字号和办理人只能通过签发、用印、印发、作废等步骤修改，"
                                     f"不能批量改写（{'、'.join(sorted(steps))}）")
        locked = self.exclude(status=Status.DRAFT)
        if locked.exists():
            first = locked.order_by("pk").first()
            raise RegisterGuardError(f"{first}：状态为{first.get_status_display()}，其内容已固定，不能修改"
                                     "（只有草稿可以修改；已印发的公文如需更正，请起草一件新公文并注明所更正的公文）")
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        raise RegisterGuardError("发文登记不能删除：不再需要的草稿或已编号的公文请作废，字号保留在登记簿中")

    delete.queryset_only = True


class DocumentEntry(models.Model):
    """发文登记: one 公文 from its draft to its issue (or its voiding), with its 发文字号 once signed off.

    `record` is the docgen record (a plain dict) without its number; `numbered_record()` adds it."""

    kind = models.CharField("记录类型", max_length=40, help_text="docgen 的文种记录类型，如 notice、reply、bulletin")
    issuer_code = models.CharField("机关代字", max_length=40)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    number = models.PositiveIntegerField("序号", null=True, blank=True)
    doc_number = models.CharField("发文字号", max_length=80, blank=True, default="")
    doc_type = models.CharField("文种", max_length=20)
    title = models.CharField("标题", max_length=300)
    date = models.DateField("成文日期", null=True, blank=True)
    record = models.JSONField("记录内容", default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    corrects = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name="所更正的公文")

    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="起草人")
    drafted_at = models.DateTimeField("起草时间", default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="签发人")
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="用印人")
    sealed_at = models.DateTimeField("用印时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="印发人")
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="作废人")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=300, blank=True, default="")

    objects = DocumentEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "发文登记"
        verbose_name_plural = "发文登记"
        ordering = ["-year", "issuer_code", "-number", "-pk"]
        indexes = [models.Index(fields=["status"], name="documents_entry_status"),
                   models.Index(fields=["doc_number"], name="documents_entry_doc_number")]
        constraints = [
            # One number, one document — also for a voided number, which stays taken.
            models.UniqueConstraint(fields=["issuer_code", "year", "number"], condition=Q(number__isnull=False),
                                    name="documents_entry_number_unique"),
            models.CheckConstraint(condition=Q(status=Status.DRAFT, number__isnull=True)
                                   | Q(status__in=NUMBERED, number__isnull=False, year__isnull=False)
                                   | Q(status=Status.VOID),
                                   name="documents_entry_number_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number or '草稿#' + str(self.pk or '新')}《{self.title}》"

    @property
    def label(self) -> str:
        """The entry as staff name it: its 发文字号 or 草稿#id, and its title."""
        return str(self)

    # ---- guards ----
    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            self._check_change()
        super().save(*args, **kwargs)

    def _check_change(self) -> None:
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None:
            return
        if stored.status in FINAL:
            changed = [f for f in _all_fields(self) if getattr(stored, f) != getattr(self, f)]
            if changed:
                tail = ("；如需更正，请起草一件新公文并注明所更正的公文" if stored.status == Status.ISSUED else "")
                raise RegisterGuardError(f"{stored}：状态为{stored.get_status_display()}，不能再修改{tail}")
            return
        if self.status != stored.status and self.status not in next_statuses(stored):
            raise RegisterGuardError(f"{stored}：状态为{stored.get_status_display()}，不能改为{status_label(self.status)}")
        if stored.status != Status.DRAFT:
            changed = [self._meta.get_field(f.removesuffix("_id")).verbose_name
                       for f in CONTENT_FIELDS if getattr(stored, f) != getattr(self, f)]
            if changed:
                raise RegisterGuardError(f"{stored}：已签发，{'、'.join(changed)}不能再修改（签发后内容即固定）")
        for f in NUMBER_FIELDS:
            if getattr(stored, f) not in (None, "") and getattr(stored, f) != getattr(self, f):
                raise RegisterGuardError(f"{stored}：发文字号一经编定不能更改")

    def delete(self, *args, **kwargs):
        raise RegisterGuardError(f"{self}：发文登记不能删除；不再需要的请作废，字号保留在登记簿中")

    # ---- what others read ----
    def numbered_record(self) -> dict:
        """The docgen record with its 发文字号 (for rendering); a draft has none yet."""
        if not self.doc_number:
            raise RegisterGuardError(f"{self}：尚未签发编号，不能生成正式文件")
        return {**self.record, "kind": self.kind, "doc_number": self.doc_number}


def needs_seal(entry: DocumentEntry) -> bool:
    """Whether the entry's document is sealed (用印): see `sealing`."""
    return sealing.needs_seal(entry.kind, entry.record)


def next_statuses(entry: DocumentEntry) -> tuple[str, ...]:
    """TRANSITIONS as the entry's record has them: from 已签发, 用印 — or, for a document without a seal
    (不加盖印章), 印发 — never both."""
    steps = TRANSITIONS[entry.status]
    if entry.status == Status.SIGNED:
        skipped = Status.ISSUED if needs_seal(entry) else Status.SEALED
        steps = tuple(s for s in steps if s != skipped)
    return steps


def _all_fields(obj: models.Model) -> list[str]:
    return [f.attname for f in obj._meta.concrete_fields]


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are written once and kept: the event log and the archive."""

    def update(self, **kwargs):
        raise RegisterGuardError(f"{self.model._meta.verbose_name}只能新增，不能修改")

    update.queryset_only = True

    def delete(self):
        raise RegisterGuardError(f"{self.model._meta.verbose_name}永久保存，不能删除")

    delete.queryset_only = True


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RegisterGuardError(f"{self._meta.verbose_name}只能新增，不能修改：{self}")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RegisterGuardError(f"{self._meta.verbose_name}永久保存，不能删除：{self}")


class DocumentEvent(AppendOnly):
    """办理记录: one step of an entry (起草, 签发, 用印, 印发, 作废), who took it and when — the audit log."""

    class Action(models.TextChoices):
        DRAFT = "draft", "起草"
        SIGN_OFF = "sign_off", "签发"
        SEAL = "seal", "用印"
        ISSUE = "issue", "印发"
        VOID = "void", "作废"

    entry = models.ForeignKey(DocumentEntry, models.PROTECT, related_name="events", verbose_name="发文登记")
    action = models.CharField("办理步骤", max_length=10, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=Status.choices, blank=True, default="")
    to_status = models.CharField("新状态", max_length=10, choices=Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="办理人")
    at = models.DateTimeField("办理时间", default=timezone.now)
    note = models.CharField("说明", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_action_display()}"


class ArchivedFile(AppendOnly):
    """归档文件: an issued entry's PDF or DOCX, its bytes in the artifact store under their SHA-256."""

    entry = models.ForeignKey(DocumentEntry, models.PROTECT, related_name="files", verbose_name="发文登记")
    filename = models.CharField("文件名", max_length=255)
    media_type = models.CharField("文件类型", max_length=120)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    archived_at = models.DateTimeField("归档时间", default=timezone.now)

    class Meta:
        verbose_name = "归档文件"
        verbose_name_plural = "归档文件"
        ordering = ["entry", "filename"]
        constraints = [models.UniqueConstraint(fields=["entry", "filename"], name="documents_archived_file_unique")]

    def __str__(self) -> str:
        return f"{self.entry.doc_number or self.entry_id} {self.filename}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            status = DocumentEntry._base_manager.filter(pk=self.entry_id).values_list("status", flat=True).first()
            if status != Status.SEALED and not (status == Status.SIGNED and Status.ISSUED in next_statuses(
                    DocumentEntry._base_manager.get(pk=self.entry_id))):
                raise RegisterGuardError(f"{self.entry}：状态为{status_label(status or '')}，"
                                         "只有印发时才能归档文件，已归档的文件不能增改")
        super().save(*args, **kwargs)

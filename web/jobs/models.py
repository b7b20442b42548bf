"""A queue job (its status and artifacts live in the job store, Redis) tied to the user who submitted it and
the district whose data it carries — what the permission helpers decide on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from workers.store import FAILED, PARTLY_FAILED, QUEUED, RUNNING, STATE_LABELS, SUCCEEDED

FINAL_STATES = (SUCCEEDED, PARTLY_FAILED, FAILED)
EXPIRED = "expired"  # gone from the job store (past DOCGEN_JOB_TTL_DAYS)


class Job(models.Model):
    """生成任务: one job on the queue."""

    STATES = [(s, STATE_LABELS[s]) for s in (QUEUED, RUNNING, SUCCEEDED, PARTLY_FAILED, FAILED)] + [(EXPIRED, "已过期")]

    job_id = models.CharField("任务编号", max_length=64, unique=True)
    kind = models.CharField("文种", max_length=40, db_index=True)
    name = models.CharField("名称", max_length=255)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="docgen_jobs",
                              verbose_name="提交人")
    district = models.ForeignKey("registry.District", models.PROTECT, null=True, blank=True, verbose_name="区县",
                                 help_text="任务数据所属的区县；市局汇总等不属于某一区县的任务留空")
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    state = models.CharField("状态（最近一次查询）", max_length=20, choices=STATES, default=QUEUED, db_index=True)
    rejected = models.JSONField("上传时未能接受的行", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "生成任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.kind}，{self.job_id[:8]}）"

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES or self.state == EXPIRED

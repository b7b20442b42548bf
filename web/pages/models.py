"""What the pages remember beside the register and the registry: which application a drafted 批复 answers,
which queue job renders an entry (its preview as a draft, its issued files once numbered), and which job
makes a plaque order's print files. Jobs are named by their queue id (``web.jobs`` keeps who owns them)."""

from __future__ import annotations

from django.db import models


class ReplyDraft(models.Model):
    """批复草稿: a 批复 in the register drafted from a pending 联系点申请, with the decision it carries; at
    sign-off the application is marked answered (and an approved station made a 联系点)."""

    entry = models.OneToOneField("documents.DocumentEntry", models.PROTECT, related_name="reply_draft",
                                 verbose_name="发文登记")
    application = models.ForeignKey("registry.ContactPointApplication", models.PROTECT, related_name="reply_drafts",
                                     verbose_name="联系点申请")
    decision = models.CharField("批复意见", max_length=10, choices=[("approve", "同意"), ("decline", "不同意")])

    class Meta:
        verbose_name = verbose_name_plural = "批复草稿"

    def __str__(self) -> str:
        return f"{self.entry}（{self.application}）"


class EntryJob(models.Model):
    """An entry's rendering on the queue: ``preview`` (a draft, with a placeholder number and no seal) or
    ``issue`` (the numbered record: the files that are sealed and archived)."""

    PREVIEW, ISSUE = "preview", "issue"
    entry = models.ForeignKey("documents.DocumentEntry", models.PROTECT, related_name="page_jobs",
                              verbose_name="发文登记")
    purpose = models.CharField("用途", max_length=10, choices=[(PREVIEW, "草稿预览"), (ISSUE, "正式文件")])
    job_id = models.CharField("任务编号", max_length=64)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公文生成任务"
        ordering = ["-created_at", "-id"]


class PlaqueJob(models.Model):
    """A plaque order's print files on the queue (kind ``plaque-batch``)."""

    order = models.ForeignKey("registry.PlaqueOrder", models.PROTECT, related_name="page_jobs",
                              verbose_name="标牌制作批次")
    job_id = models.CharField("任务编号", max_length=64)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "标牌生成任务"
        ordering = ["-created_at", "-id"]

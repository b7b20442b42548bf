from django.apps import AppConfig


class JobsConfig(AppConfig):
    """生成任务: each queue job with its owner and district, so who may see it is decided on the server."""

    name = "web.jobs"
    label = "jobs"
    verbose_name = "生成任务"

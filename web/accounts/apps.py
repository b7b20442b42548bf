from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """用户与权限: roles (Django groups), each user's district, API tokens, the audit log, login throttling."""

    name = "web.accounts"
    label = "accounts"
    verbose_name = "用户、角色与审计"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (role changes and login failures are recorded)

"""python web/manage.py create_api_token USER [--name 用途]: a new API token for USER, printed once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from web.accounts.models import ApiToken


class Command(BaseCommand):
    help = "为用户创建 API 令牌（只显示这一次；数据库只保存其 SHA-256）。"

    def add_arguments(self, parser):
        parser.add_argument("user", metavar="USER", help="用户名")
        parser.add_argument("--name", default="", help="令牌用途，如 报送系统对接")

    def handle(self, *args, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: options["user"]}).first()
        if user is None:
            raise CommandError(f"没有用户 {options['user']}")
        if not user.is_active:
            raise CommandError(f"用户 {options['user']} 已停用")
        token, clear = ApiToken.issue(user, options["name"])
        self.stderr.write(f"已为 {user.get_username()} 创建 API 令牌 {token.prefix}…，请立即保存，之后无法再次查看：")
        self.stdout.write(clear)

"""python web/manage.py import_application FILE… --user clerk"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from web.registry.importing import ImportRefused, import_application
from web.registry.management.commands._common import user_named


class Command(BaseCommand):
    help = "导入填好的附件1 联系点申请表（工作簿 .xlsx 或 YAML）：申请进入待批复，工作站不在登记簿中时以“申请中”登记。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE")
        parser.add_argument("--user", default=None, help="导入人（用户名）")
        parser.add_argument("--request-number", default="", help="请示文号（如 焦汽协〔2021〕8号）")

    def handle(self, *args, **options):
        user = user_named(options["user"])
        refused = 0
        for path in options["paths"]:
            try:
                result = import_application(path, user=user, request_number=options["request_number"])
            except ImportRefused as exc:
                refused += 1
                self.stderr.write(str(exc))
                continue
            self.stdout.write(result.summary())
        if refused:
            raise CommandError(f"{refused} 个文件未能导入")

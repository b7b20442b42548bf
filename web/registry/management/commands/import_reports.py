"""python web/manage.py import_reports FILE_OR_FOLDER… --district 山阳区 --user clerk"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from web.registry.importing import ImportRefused, import_report, submission_files
from web.registry.management.commands._common import end_of_day_arg, user_named


class Command(BaseCommand):
    help = ("导入区局报送的附件2–6：工作簿（.xlsx）、单表 CSV（UTF-8 或 GB18030）或 YAML，文件夹即其中全部文件。"
            "好的行按名称更新或新增，坏的行按工作表、行、列报告；完整报送的表中不再出现的记录停用。")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
        parser.add_argument("--district", default="", help="区县（CSV 文件须指明；工作簿和 YAML 以填报单位为准）")
        parser.add_argument("--user", default=None, help="导入人（用户名）")
        parser.add_argument("--at", default=None, help="报送生效日期（补录旧报送时用，默认为现在）")

    def handle(self, *args, **options):
        user = user_named(options["user"])
        at = end_of_day_arg(options["at"]) if options["at"] else None
        refused = []
        files = submission_files(options["paths"])
        if not files:
            raise CommandError("没有找到 .xlsx、.csv 或 .yaml 报送文件")
        for path in files:
            try:
                result = import_report(path, user=user, district=options["district"], at=at)
            except ImportRefused as exc:
                refused.append(str(exc))
                self.stderr.write(str(exc))
                continue
            self.stdout.write(result.summary())
        if refused:
            raise CommandError(f"{len(refused)} 个文件未能导入")



"""python web/manage.py generate consolidation|bulletin|reply-batch|plaque-batch … -o OUT

Builds the record from the registry and renders it through docgen's kinds, in-process."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from docgen.kinds import parse_record, render_record
from docgen.problems import InvalidRecord
from web.registry import records
from web.registry.management.commands._common import date_arg, user_named

WHAT = ("consolidation", "bulletin", "reply-batch", "plaque-batch")


class Command(BaseCommand):
    help = ("由登记簿生成公文和表格并用 docgen 排版：consolidation 附件2–6汇总（--at 某日的状态）、bulletin 通报、"
            "reply-batch 所选联系点申请的批复（发文字号由发文登记簿签发时编定）、plaque-batch 已批准未制作的标牌。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=WHAT)
        parser.add_argument("-o", "--output", required=True, help="输出文件夹")
        parser.add_argument("--user", default=None, help="经办人（用户名）")
        parser.add_argument("--draft", action="store_true", help="草稿：加“草稿”水印，不用印")
        parser.add_argument("--name", default="", help="输出文件名")
        parser.add_argument("--at", default=None, help="consolidation：统计日期（默认为现在）")
        parser.add_argument("--issuer", default="", help="发文机关，如 焦作市市场监督管理局")
        parser.add_argument("--issuer-code", default="", help="reply-batch：机关代字，如 焦市监")
        parser.add_argument("--doc-number", default="", help="bulletin：发文字号")
        parser.add_argument("--date", default=None, help="成文日期（默认为今天）")
        parser.add_argument("--as-of", default=None, help="bulletin：统计截止日期（默认为成文日期）")
        parser.add_argument("--since", default=None, help="bulletin：检查记录起始日期")
        parser.add_argument("--deadline", default=None, help="bulletin：整改期限")
        parser.add_argument("--cc", action="append", default=[], help="抄送机关（可多次）")
        parser.add_argument("--printer", default="", help="印发机关")
        parser.add_argument("--approve", type=int, nargs="*", default=[], metavar="ID", help="reply-batch：同意的申请编号")
        parser.add_argument("--decline", type=int, nargs="*", default=[], metavar="ID", help="reply-batch：不同意的申请编号")
        parser.add_argument("--title", default="", help="批次名称")
        parser.add_argument("--size", default=None, help="标牌尺寸，如 600x400")
        parser.add_argument("--scheme", default=None, help="标牌配色：red、black、gold")
        parser.add_argument("--sheet", default=None, help="标牌拼版幅面")

    def handle(self, *args, **o):
        user = user_named(o["user"])
        date = date_arg(o["date"]) if o["date"] else timezone.localdate()
        what = o["what"]
        try:
            if what == "consolidation":
                record = records.consolidation_record(date_arg(o["at"]) if o["at"] else None)
            elif what == "bulletin":
                self._need(o, "issuer", "doc_number")
                record = records.bulletin_record(
                    issuer={"organ": o["issuer"]}, doc_number=o["doc_number"], date=date,
                    as_of=date_arg(o["as_of"]) if o["as_of"] else None,
                    since=date_arg(o["since"]) if o["since"] else None,
                    deadline=date_arg(o["deadline"]) if o["deadline"] else None, cc=o["cc"], printer=o["printer"],
                    name=o["name"])
            elif what == "reply-batch":
                self._need(o, "issuer", "issuer_code")
                picks = [(app, "approve") for app in records.pending_applications(o["approve"])]
                picks += [(app, "decline") for app in records.pending_applications(o["decline"])]
                if not picks:
                    raise CommandError("请用 --approve / --decline 指明要批复的联系点申请编号")
                options = {"title": o["title"], "cc": o["cc"], "printer": o["printer"], "size": o["size"],
                           "scheme": o["scheme"], "sheet": o["sheet"]}
                record = records.issue_reply_batch(picks, issuer={"organ": o["issuer"]}, issuer_code=o["issuer_code"],
                                                   date=date, user=user, **options)
            else:
                stations = records.plaque_candidates()
                if not stations:
                    self.stdout.write("没有已批准、尚未制作标牌的工作站")
                    return
                title = o["title"] or f"{date.year}年{date.month}月标牌批次"
                record = records.plaque_batch_record(stations, title, size=o["size"], scheme=o["scheme"],
                                                     sheet=o["sheet"])
                order = records.order_plaques(stations, title, user)
                self.stdout.write(f"标牌制作批次 {order.pk}：{len(stations)} 块（制作完成后运行 plaques_printed {order.pk}）")
            kind, validated = parse_record(record, f"登记簿 {what}")
            name = o["name"] or validated.model_dump().get("name") or f"{what}-{date.isoformat()}"
            artifacts = render_record(kind, validated, name, draft=o["draft"])
        except InvalidRecord as exc:
            raise CommandError(exc.report()) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        out = Path(o["output"])
        for artifact in artifacts:
            self.stdout.write(f"写出 {artifact.write(out)}")
            for warning in artifact.warnings:
                self.stdout.write(f"  警告：{warning}")

    @staticmethod
    def _need(o, *names):
        missing = ["--" + n.replace("_", "-") for n in names if not o[n]]
        if missing:
            raise CommandError("请给出 " + "、".join(missing))

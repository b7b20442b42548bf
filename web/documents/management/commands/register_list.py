"""register_list: print the 发文登记簿, filtered by year, 机关代字 and status."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from web.documents.models import DocumentEntry, Status, person_name

COLUMNS = ("发文字号", "文种", "标题", "成文日期", "状态", "签发", "用印", "印发", "作废")


def _status(value: str) -> str:
    for choice in Status:
        if value in (choice.value, choice.label):
            return choice.value
    raise CommandError(f"状态 {value!r} 无效，可用：" + "、".join(f"{c.label}（{c.value}）" for c in Status))


def _step(user, at) -> str:
    if at is None:
        return ""
    who = person_name(user) or "（命令行）"
    return f"{who} {timezone.localtime(at):%Y-%m-%d %H:%M}"


class Command(BaseCommand):
    help = "列出发文登记簿：每件公文的发文字号、文种、标题、成文日期、状态及签发、用印、印发、作废的办理人和时间；可按年份、机关代字、状态筛选。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="年份（发文字号的年份；未编号的草稿按成文日期的年份）")
        parser.add_argument("--issuer", help="机关代字，如 焦市监办")
        parser.add_argument("--status", help="状态：草稿、已签发、已用印、已印发、作废（或 draft、signed、sealed、issued、void）")

    def handle(self, *args, year=None, issuer=None, status=None, **options):
        entries = DocumentEntry.objects.select_related("signed_by", "sealed_by", "issued_by", "voided_by")
        if year is not None:
            entries = entries.filter(year=year) | entries.filter(year__isnull=True, date__year=year)
        if issuer:
            entries = entries.filter(issuer_code=issuer.strip())
        if status:
            entries = entries.filter(status=_status(status.strip()))
        entries = entries.order_by("issuer_code", "year", "number", "pk")
        self.stdout.write("\t".join(COLUMNS))
        count = 0
        for e in entries:
            count += 1
            number = e.doc_number or f"（草稿#{e.pk}，未编号）"
            void = _step(e.voided_by, e.voided_at) + (f"：{e.void_reason}" if e.void_reason else "")
            self.stdout.write("\t".join([number, e.doc_type, e.title, e.date.isoformat() if e.date else "",
                                         e.get_status_display(), _step(e.signed_by, e.signed_at),
                                         _step(e.sealed_by, e.sealed_at), _step(e.issued_by, e.issued_at), void]))
        self.stderr.write(f"共 {count} 件")

"""register_void: void a document of the register by its 发文字号 (or a draft by #id); the number stays recorded."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from docgen.records.fields import DocNumber
from web.documents import register
from web.documents.models import DocumentEntry


class Command(BaseCommand):
    help = "作废一件公文：按发文字号（如 焦市监办〔2021〕135号）或草稿编号（如 #12）；作废的字号保留在登记簿中，不再使用。已印发的公文不能作废，更正请起草新公文。"

    def add_arguments(self, parser):
        parser.add_argument("number", help="发文字号，如 焦市监办〔2021〕135号；未编号的草稿写 #编号")
        parser.add_argument("--reason", required=True, help="作废原因（必填）")
        parser.add_argument("--user", help="办理人的用户名（记入办理记录）")

    def handle(self, *args, number, reason, user=None, **options):
        entry = self._entry(number.strip())
        person = None
        if user:
            try:
                person = get_user_model().objects.get(**{get_user_model().USERNAME_FIELD: user})
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户 {user} 不存在") from None
        try:
            register.void(entry, person, reason)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已作废：{entry}（原因：{entry.void_reason}）")

    @staticmethod
    def _entry(number: str) -> DocumentEntry:
        if number.startswith("#"):
            try:
                return DocumentEntry.objects.get(pk=int(number[1:]))
            except (ValueError, DocumentEntry.DoesNotExist):
                raise CommandError(f"登记簿中没有草稿 {number}") from None
        try:
            parsed = DocNumber.parse(number)
        except ValueError as exc:
            raise CommandError(f"发文字号 {number} 无效：{exc}") from None
        try:
            return DocumentEntry.objects.get(issuer_code=parsed.code, year=parsed.year, number=parsed.seq)
        except DocumentEntry.DoesNotExist:
            raise CommandError(f"登记簿中没有 {parsed}") from None

"""python web/manage.py plaques_printed ORDER… --user clerk: the sign shop has made the order's plaques."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from web.registry.management.commands._common import user_named
from web.registry.models import PlaqueOrder
from web.registry.records import confirm_plaques


class Command(BaseCommand):
    help = "标牌厂确认制作完成：批次中每个工作站的标牌标记为已制作（记入变更记录）。"

    def add_arguments(self, parser):
        parser.add_argument("orders", nargs="+", type=int, metavar="ORDER")
        parser.add_argument("--user", default=None, help="经办人（用户名）")

    def handle(self, *args, **options):
        user = user_named(options["user"])
        for pk in options["orders"]:
            order = PlaqueOrder.objects.filter(pk=pk).first()
            if order is None:
                raise CommandError(f"没有标牌制作批次 {pk}")
            if order.confirmed_at is not None:
                self.stdout.write(f"批次 {pk}「{order.title}」已于 {order.confirmed_at:%Y-%m-%d} 确认")
                continue
            self.stdout.write(f"批次 {pk}「{order.title}」：{confirm_plaques(order, user)} 块标牌已制作")

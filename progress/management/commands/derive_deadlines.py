"""Derive deadlines and milestones from the stored plans' texts (ingesting does this by itself)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans.models import Plan
from progress.writing.deadlines import derive_plan


class Command(BaseCommand):
    help = (
        "按方案原文推定各任务的完成时限和年度节点。导入方案时会自动推定；本命令用于安装督办功能之前已导入的方案。"
        "人工设定的完成时限不会被改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, action="append", help="只处理这个方案（id，可重复）")

    def handle(self, *args, plan=None, **options):
        plans = Plan.objects.order_by("pk")
        if plan:
            plans = plans.filter(pk__in=plan)
            missing = set(plan) - set(plans.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"没有这些方案：{sorted(missing)}")
        for item in plans:
            with transaction.atomic():
                result = derive_plan(item)
            self.stdout.write(f"{item}：新建 {result.created}，按原文更新 {result.changed}，人工设定保留 {result.kept}")

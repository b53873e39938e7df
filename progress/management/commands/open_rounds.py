"""Open the rounds that plans' schedules make due: run daily from cron or a systemd timer, with send_reminders."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate

from progress.writing import rounds


class Command(BaseCommand):
    help = (
        "按各方案的报送计划开启报送轮次：每个启用的计划，在一个周期（月、季度、半年）结束后开启该周期的轮次，"
        "截止日为周期结束后设定的天数；已有同名轮次的不再开启，可放心每天运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要开启的轮次")
        parser.add_argument("--today", default=None, help="按这一天计算（YYYY-MM-DD），默认今天（北京时间）")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else localdate()
        except ValueError:
            raise CommandError(f"--today={today!r} 不是 YYYY-MM-DD 格式的日期。") from None
        due = rounds.open_scheduled(day, dry_run=dry_run)
        for plan, spec, opened in due:
            if dry_run:
                self.stdout.write(f"将开启 {plan}：{spec.name}（截止 {spec.due_on:%Y-%m-%d}）")
            elif opened is None:
                self.stdout.write(f"未能开启 {plan}：{spec.name}（没有需要报送的任务）")
            else:
                self.stdout.write(
                    f"已开启 {plan}：{spec.name}（截止 {spec.due_on:%Y-%m-%d}，{opened.reports.count()} 份报告）"
                )
        if not due:
            self.stdout.write("没有需要开启的报送轮次。")

"""E-mail each agency's staff what their agency owes, and each coordinator the reports missing in his plans."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate

from progress.reminding import digests as reminders


class Command(BaseCommand):
    help = (
        "发送督办提醒：各单位用户收到本单位的待办汇总（N 天内到期的进展报告、逾期未报送的报告、已过完成时限的任务），"
        "方案管理员收到所负责方案逾期未报送的报告汇总。"
        "同一提醒在同一周期（PROGRESS_REMINDER_PERIOD：day、week 或 month）内不会重复发给同一人。"
        "--dry-run 只列出将要发送的内容，不发送也不记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不记录")
        parser.add_argument(
            "--days", type=int, default=None, help="提醒多少天内到期的报告（默认 PROGRESS_DUE_SOON_DAYS）"
        )
        parser.add_argument("--today", default=None, help="按这一天计算（YYYY-MM-DD），默认今天（北京时间）")
        parser.add_argument("--period", choices=["day", "week", "month"], default=None, help="不重复发送的周期")

    def handle(self, *args, dry_run=False, days=None, today=None, period=None, **options):
        try:
            day = date.fromisoformat(today) if today else localdate()
        except ValueError:
            raise CommandError(f"--today={today!r} 不是 YYYY-MM-DD 格式的日期。") from None
        days = settings.PROGRESS_DUE_SOON_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days 不能为负数。")
        key = reminders.period_key(day, period or settings.PROGRESS_REMINDER_PERIOD)
        collected = reminders.collect(day, days)
        digests = reminders.unsent(collected.digests, key)
        verb = "将发送" if dry_run else "发送"
        for digest in digests:
            who = digest.recipient.get_full_name() or digest.recipient.get_username()
            where = f"<{digest.recipient.email}>" if digest.recipient.email else "（只在站内待办，没有邮箱）"
            self.stdout.write(f"{verb}「{digest.subject}」→ {who} {where}")
            if dry_run or options["verbosity"] > 1:
                for section, notices in digest.sections():
                    for notice in notices:
                        self.stdout.write(f"  {section}：{notice.text}")
        for agency, notices in collected.unreachable:
            self.stdout.write(f"无法提醒 {agency.full_name}（没有单位用户）：{len(notices)} 项")
            if dry_run or options["verbosity"] > 1:
                for notice in notices:
                    self.stdout.write(f"  {notice.section}：{notice.text}")
        if dry_run:
            emails = sum(1 for d in digests if d.recipient.email)
            self.stdout.write(
                f"试运行（{key}）：将发出 {len(digests)} 条站内待办、{emails} 封提醒邮件，未发送、未记录。"
            )
            return
        sent = reminders.send(digests, key)
        items = sum(len(d.notices) for d in digests)
        self.stdout.write(f"{key}：已发出 {len(digests)} 条站内待办、{sent} 封提醒邮件，共 {items} 项提醒。")

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from plans.models import DivisionImport, PlanUpload


class Command(BaseCommand):
    help = (
        "删除过期的上传记录：previews nobody confirmed or cancelled (pending) and cancelled uploads of plans and of "
        "分工表, older than --days (default 30). Their files are kept in the database until then. Applied uploads "
        "are never deleted: they say which file and which person changed a plan. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="保留最近多少天的记录（默认 30）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将删除的记录")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days 至少为 1。")
        before = timezone.now() - timedelta(days=days)
        stale = [PlanUpload, DivisionImport]
        with transaction.atomic():
            for model in stale:
                old = model.objects.filter(created_at__lt=before).exclude(status=model.Status.APPLIED)
                count = old.count()
                label = model._meta.verbose_name
                if dry_run:
                    self.stdout.write(f"[dry-run] {label}：将删除 {count} 条（{days} 天前未确认或已取消）")
                else:
                    old.delete()
                    self.stdout.write(f"{label}：已删除 {count} 条（{days} 天前未确认或已取消）")

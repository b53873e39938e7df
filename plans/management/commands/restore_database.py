from datetime import datetime
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from plans.backups import BackupError, back_up, restore


class Command(BaseCommand):
    help = (
        "从 backup_database 的备份文件恢复数据库和存储的文件（进展报告的附件）。"
        " Stop the application first. Unless --no-safety-backup, the database and files as they are now are backed up"
        " beside the backup file first (<file>.before-restore-<time>), so a restore loses nothing. The database is"
        " replaced by the backup's (SQLite: in place through the backup API; PostgreSQL: pg_restore --clean);"
        " the backup's files are written into MEDIA_ROOT, other files there are left alone; then the kept page"
        " fragments are cleared (clear_fragments)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup_database 生成的备份文件")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="不询问确认")
        parser.add_argument(
            "--no-safety-backup",
            action="store_true",
            help="恢复前不备份现有数据（现有数据库已损坏、无法备份时使用）",
        )

    def handle(self, *args, path, interactive, no_safety_backup, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} 不存在或不是文件。")
        if interactive:
            answer = input(f"将用 {source.name} 覆盖现有数据库和附件文件。请先停止应用。确定恢复吗？输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，没有改动。")
        try:
            if not no_safety_backup:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                safety = source.with_name(f"{source.name}.before-restore-{stamp}")
                back_up(safety)
                self.stdout.write(f"恢复前的数据已备份到 {safety}")
            manifest = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # The restore wrote behind every connection's back: no kept page may outlive it.
        call_command("clear_fragments", stdout=self.stdout)
        self.stdout.write(
            f"已从 {source.name}（{manifest['created']} 备份）恢复 {manifest['database']} 数据库和文件 "
            f"{manifest['files']} 个。请重新启动应用。"
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.backups import BackupError, back_up


class Command(BaseCommand):
    help = (
        "备份整个网站到一个文件：数据库和所有存储的文件（进展报告的附件；上传的方案原文件在数据库中），应用运行时也可以备份。"
        " The file is a tar archive: manifest.json, the database (SQLite: a consistent copy through its online"
        " backup API; PostgreSQL: pg_dump's custom format) and media/ (every file under MEDIA_ROOT)."
        " Restore with manage.py restore_database <file>. The README's Backup and restore section has the whole"
        " procedure."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件的路径（已存在则报错）")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} 已存在：请换一个文件名，以免覆盖已有的备份。")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} 不是一个文件夹。")
        try:
            manifest = back_up(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已备份到 {target}（{target.stat().st_size / 1024 / 1024:.1f} MB）：{manifest['database']} 数据库，"
            f"文件 {manifest['files']} 个"
        )

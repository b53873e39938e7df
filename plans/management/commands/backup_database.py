import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "备份整个数据库到一个文件，应用运行时也可以备份。SQLite: SQLite's online backup API, a consistent copy of "
        "the database file (restore: stop the app and put the file in place of db.sqlite3). PostgreSQL: pg_dump "
        "in its custom format (restore: pg_restore --clean --if-exists --no-owner -d <database> <file>, or into "
        "a new database). The README's Backup and restore section has the whole procedure."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件的路径（已存在则报错）")

    def handle(self, *args, path, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} 已存在：请换一个文件名，以免覆盖已有的备份。")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} 不是一个文件夹。")
        if connection.vendor == "sqlite":
            self._sqlite(target)
        elif connection.vendor == "postgresql":
            self._postgresql(target)
        else:
            raise CommandError(f"不支持备份 {connection.vendor} 数据库：请用该数据库自带的备份工具。")
        self.stdout.write(f"已备份到 {target}（{target.stat().st_size / 1024 / 1024:.1f} MB）")

    def _sqlite(self, target: Path) -> None:
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # Page by page, while others keep reading and writing: the copy is of one consistent moment.
            connection.connection.backup(destination)
        finally:
            destination.close()

    def _postgresql(self, target: Path) -> None:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError(
                "找不到 pg_dump：请安装 PostgreSQL 客户端（Debian: apt-get install postgresql-client）。"
            )
        db = connection.settings_dict
        command = [pg_dump, "--format=custom", "--no-owner", f"--file={target}", "--dbname", db["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command += [option, str(db[key])]
        env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise CommandError(f"pg_dump 失败：{result.stderr.strip()}")

"""Backups of the whole site: the database and every stored file (MEDIA_ROOT: report attachments), in one tar
archive, and restoring both from it. Used by `manage.py backup_database` and `manage.py restore_database`.

Uploaded plan files, converted copies and imported workbooks are kept in the database, so they travel with it.
The database is copied first and the files after it: a file is written before the row that names it commits, so
every file a row in the copy names is already on disk when the files are read (a file newer than the copy may come
along too, harmlessly). A restore writes the backup's files into MEDIA_ROOT and leaves any other file there alone.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = "plans-backup/1"
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


def back_up(target: Path) -> dict:
    """Write the archive to `target` (never over an existing file); what it holds, as the manifest says."""
    vendor = _vendor()
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        dump = Path(work) / DUMPS[vendor]
        _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgresql(dump)
        files = _media_files()
        manifest = {
            "format": FORMAT,
            "database": vendor,
            "created": timezone.now().isoformat(),
            "files": len(files),
            "file_bytes": sum(path.stat().st_size for path, _ in files),
        }
        try:
            with tarfile.open(partial, "w") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
                archive.add(dump, DUMPS[vendor])
                for path, name in files:
                    archive.add(path, f"{MEDIA}/{name}")
            # Under its own name only once complete: a backup interrupted half way never passes for a whole one.
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def restore(source: Path) -> dict:
    """Put the archive's database in place of this one and its files into MEDIA_ROOT; its manifest."""
    vendor = _vendor()
    with tarfile.open(source, "r") as archive:
        manifest = _manifest(archive, source)
        if manifest["database"] != vendor:
            raise BackupError(
                f"{source.name} 是 {manifest['database']} 数据库的备份，不能恢复到 {vendor} 数据库；"
                "在两种数据库之间迁移请用 dumpdata / loaddata（见 README）。"
            )
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMPS[vendor]
            _extract(archive, DUMPS[vendor], dump)
            connection.close()  # nothing of ours holds the database while it is replaced
            _load_sqlite(dump) if vendor == "sqlite" else _load_postgresql(dump)
        media = Path(settings.MEDIA_ROOT)
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(f"{MEDIA}/"):
                _extract(archive, member.name, media / _safe_relative(member.name[len(MEDIA) + 1 :], source))
    return manifest


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库：请用该数据库自带的备份工具。")
    return connection.vendor


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    files = [path for path in root.rglob("*") if path.is_file() and not path.is_symlink()]
    return sorted((path, path.relative_to(root).as_posix()) for path in files)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _manifest(archive: tarfile.TarFile, source: Path) -> dict:
    try:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"{source.name} 不是本系统的备份文件（没有 {MANIFEST}）。") from error
    if manifest.get("format") != FORMAT or manifest.get("database") not in DUMPS:
        raise BackupError(f"{source.name} 不是本系统能恢复的备份（格式 {manifest.get('format')}）。")
    return manifest


def _safe_relative(name: str, source: Path) -> Path:
    """A member's path inside MEDIA_ROOT; one that would leave it (absolute, ..) means the archive is not ours."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"{source.name} 中的文件名“{name}”不安全，未恢复。")
    return Path(*path.parts)


def _extract(archive: tarfile.TarFile, name: str, target: Path) -> None:
    source = archive.extractfile(name)
    if source is None:
        raise BackupError(f"备份中的 {name} 不是文件。")
    target.parent.mkdir(parents=True, exist_ok=True)
    with source, target.open("wb") as out:
        shutil.copyfileobj(source, out)


def _dump_sqlite(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # Page by page, while others keep reading and writing: the copy is of one consistent moment.
        connection.connection.backup(destination)
    finally:
        destination.close()


def _load_sqlite(dump: Path) -> None:
    source, destination = sqlite3.connect(dump), sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        source.backup(destination)  # in place, so the file keeps its owner, mode and WAL setting
    finally:
        source.close()
        destination.close()


def _pg_command(program: str) -> list[str]:
    found = shutil.which(program)
    if found is None:
        raise BackupError(f"找不到 {program}：请安装 PostgreSQL 客户端（Debian: apt-get install postgresql-client）。")
    db = connection.settings_dict
    command = [found]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    return command


def _pg_run(command: list[str], what: str) -> None:
    db = connection.settings_dict
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(f"{what} 失败：{result.stderr.strip()}")


def _dump_postgresql(target: Path) -> None:
    name = connection.settings_dict["NAME"]
    _pg_run([*_pg_command("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", "--dbname", name], "pg_dump")


def _load_postgresql(dump: Path) -> None:
    name = connection.settings_dict["NAME"]
    command = [*_pg_command("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _pg_run([*command, "--dbname", name, str(dump)], "pg_restore")

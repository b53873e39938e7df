"""Backup and restore: one tested path for each database, and JSON dumps that survive agency merges."""

import io
import json
import shutil
import subprocess
import tarfile
import uuid

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agencies import merging
from agencies.models import Agency
from plans.models import Duty, Plan, Task
from tests.factories import TIANXIN_PLAN, region
from tests.processes import manage, project_env

pytestmark = pytest.mark.reliability

TABLES = {"plans_plan": Plan, "plans_task": Task, "plans_duty": Duty, "agencies_agency": Agency}


@pytest.mark.django_db
def test_a_json_dump_with_natural_keys_works_after_a_merge_and_loads_back(administrator):
    shifeng = region("株洲市石峰区")
    target = Agency.objects.get(region=shifeng, name="区发展和改革局")
    source = Agency.objects.filter(region=shifeng, duties__isnull=False).exclude(pk=target.pk).distinct().first()
    merging.merge_agencies(source, target, user=administrator)
    out = io.StringIO()
    call_command("dumpdata", "agencies", "plans", "--natural-foreign", "--natural-primary", stdout=out)
    rows = json.loads(out.getvalue())
    gone = [r for r in rows if r["model"] == "plans.historicalduty" and r["fields"]["agency"] == source.pk]
    assert gone, "the merged agency's duty history is dumped, naming it by its id"
    assert len(list(serializers.deserialize("json", out.getvalue()))) == len(rows)


PDF = b"%PDF-1.7\n" + "进展材料".encode() * 64

# In the site backed up: a plan, a round, a report with an attachment stored under MEDIA_ROOT.
MAKE_ATTACHMENT = f"""
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from plans import lifecycle
from plans.models import Plan
from progress.writing import reports as reporting
from tests.progress.support import open_round
admin = get_user_model().objects.create_superuser("backup-admin", "admin@example.com", "x")
plan = Plan.objects.get()
lifecycle.change(plan, "active", admin, "纳入督办")  # its targets end in 2025: stored as 已完成
report = open_round(plan, admin).reports.first()
reporting.attach(report, admin, SimpleUploadedFile("进展材料.pdf", {PDF!r}), 10**6)
"""
# In the site restored: the attachment as its download answers it, and what the database holds.
READ_BACK = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from plans.models import Plan, Task
from progress.models import Attachment, Report
client = Client()
client.force_login(get_user_model().objects.get(username="backup-admin"))
attachment = Attachment.objects.get()
response = client.get(f"/progress/attachments/{attachment.pk}/")
print(json.dumps({
    "status": response.status_code,
    "bytes": b"".join(response.streaming_content).hex() if response.status_code == 200 else "",
    "name": attachment.name,
    "counts": [Plan.objects.count(), Task.objects.count(), Report.objects.count()],
}))
"""


def last_line(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def two_databases(tmp_path):
    """Two empty databases of the kind the tests run on: the site backed up, and the one restored into."""
    if connection.vendor == "sqlite":
        yield [f"sqlite:///{tmp_path / name}.sqlite3" for name in ("site", "restored")]
        return
    if not shutil.which("pg_restore"):
        pytest.skip("the PostgreSQL client is not installed")
    db = connection.settings_dict
    admin = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    names = [f"backup_{name}_{uuid.uuid4().hex[:8]}" for name in ("site", "restored")]
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
    for name in names:
        subprocess.run(["createdb", *admin, name], check=True)
    try:
        yield [f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}" for name in names]
    finally:
        for name in names:
            subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)


def test_a_backup_restores_the_database_and_every_stored_file(tmp_path, two_databases):
    """Backed up on one site, restored into an empty database and an empty MEDIA_ROOT: the attachment downloads
    with its bytes, and every table holds what it held."""
    site_db, restored_db = two_databases
    site = project_env(DEBUG="1", DATABASE_URL=site_db, MEDIA_ROOT=str(tmp_path / "media"))
    restored = project_env(DEBUG="1", DATABASE_URL=restored_db, MEDIA_ROOT=str(tmp_path / "restored-media"))
    plan_file = tmp_path / "天心区碳达峰实施方案.txt"
    plan_file.write_text(TIANXIN_PLAN, encoding="utf-8")
    manage(site, "migrate", "-v0")
    manage(site, "ingest_plans", str(plan_file))
    manage(site, "shell", "-c", MAKE_ATTACHMENT)
    before = last_line(manage(site, "shell", "-c", READ_BACK))
    assert before["status"] == 200 and bytes.fromhex(before["bytes"]) == PDF
    backup = tmp_path / "plans-backup.tar"
    assert "文件 1 个" in manage(site, "backup_database", str(backup))
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    assert "manifest.json" in names and any(n.startswith("media/progress/") for n in names)

    if connection.vendor == "postgresql":
        manage(restored, "migrate", "-v0")  # something to restore over, as on a real server
    out = manage(restored, "restore_database", str(backup), "--noinput")
    assert "已从 plans-backup.tar" in out and "已清除保存的页面片段" in out
    after = last_line(manage(restored, "shell", "-c", READ_BACK))
    assert after == before
    assert list(tmp_path.glob("plans-backup.tar.before-restore-*")), "the data before the restore is kept"


def test_a_backup_is_never_written_over_an_existing_file(tmp_path):
    existing = tmp_path / "backup.tar"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup_database", str(existing))
    assert existing.read_bytes() == b"an earlier backup"


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_is_restored(tmp_path):
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as archive:
        archive.add(__file__, "media/../../escape.py")
    with pytest.raises(CommandError, match="不是本系统的备份文件"):
        call_command("restore_database", str(other), "--noinput", "--no-safety-backup", stdout=io.StringIO())

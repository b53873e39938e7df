"""Backup and restore: one tested path for each database, and JSON dumps that survive agency merges."""

import io
import json
import shutil
import sqlite3
import subprocess
import uuid

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agencies import merging
from agencies.models import Agency
from plans.models import Duty, Plan, Task
from tests.factories import region

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


def test_sqlite_backs_up_through_its_online_backup_api(tmp_path, django_db_setup, django_db_blocker):
    # Outside a test transaction: the backup reads the database as committed, as it does for a running site.
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            pytest.skip("SQLite only")
        backup = tmp_path / "backup.sqlite3"
        call_command("backup_database", str(backup), stdout=io.StringIO())
        copy = sqlite3.connect(backup)
        try:
            for table, model in TABLES.items():
                assert copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == model.objects.count()
        finally:
            copy.close()
        with pytest.raises(CommandError, match="已存在"):
            call_command("backup_database", str(backup))


@pytest.mark.django_db
def test_postgresql_backs_up_with_pg_dump_and_restores_with_pg_restore(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    if not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not installed")
    backup = tmp_path / "backup.dump"
    call_command("backup_database", str(backup), stdout=io.StringIO())
    db = connection.settings_dict
    restored = f"restore_{uuid.uuid4().hex[:8]}"
    admin = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    subprocess.run(["createdb", *admin, restored], check=True)
    try:
        subprocess.run(["pg_restore", *admin, "--no-owner", "--dbname", restored, str(backup)], check=True)
        for table, model in TABLES.items():
            counted = subprocess.run(
                ["psql", *admin, "-Atqc", f"SELECT count(*) FROM {table}", restored], check=True, capture_output=True
            )
            # The seeds are committed; what this test's transaction holds is not, as pg_dump sees it.
            assert int(counted.stdout) == model.objects.count()
    finally:
        subprocess.run(["dropdb", *admin, restored], check=True)

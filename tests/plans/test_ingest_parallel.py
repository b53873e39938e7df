"""`ingest_plans --jobs`: several processes load a folder and store exactly what one process stores.

The command runs in its own processes against its own database (a SQLite file, and a scratch PostgreSQL
database when the tests run on PostgreSQL): its workers commit, which the test database's rolled-back
transaction could neither see nor undo.
"""

import json
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import TIANXIN_PLAN
from tests.processes import ROOT, manage, project_env

# Districts of 长沙市: each plan makes its own 区… bureaus, and all of them name the city's 市发展和改革委员会,
# which the first to store it creates: on PostgreSQL two workers try at once, and one loads its plan again.
DISTRICTS = ("天心区", "岳麓区", "开福区", "雨花区", "芙蓉区", "望城区")
COUNTS = (
    "import json; from plans.models import Plan, Task, Duty; from agencies.models import Agency; "
    "print(json.dumps([Plan.objects.count(), Task.objects.count(), Duty.objects.count(), "
    "sorted(Agency.objects.filter(duties__isnull=False).distinct().values_list('full_name', flat=True))]))"
)


def write_plans(folder: Path) -> None:
    folder.mkdir()
    text = TIANXIN_PLAN.replace("（区发展和改革局牵头，", "（区发展和改革局牵头，市发展和改革委员会、")
    for district in DISTRICTS:
        (folder / f"{district}.txt").write_text(text.replace("天心区", district), encoding="utf-8")


def load(database_url: str, folder: Path, jobs: int) -> tuple[str, str]:
    env = project_env(DEBUG="1", DATABASE_URL=database_url)
    manage(env, "migrate", "-v0")
    output = manage(env, "ingest_plans", "--jobs", str(jobs), str(folder))
    return output, json.loads(manage(env, "shell", "--no-imports", "-c", COUNTS))


def databases(tmp_path: Path):
    """A pair of empty databases like the tests' own: two SQLite files, or two scratch PostgreSQL databases."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'one.sqlite3'}", f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    names = [f"ingest_jobs_{uuid.uuid4().hex[:8]}_{n}" for n in (1, 2)]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield tuple(f"{server}/{name}" for name in names)
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_several_workers_store_what_one_process_stores(tmp_path):
    write_plans(tmp_path / "plans")
    for one, jobs in databases(tmp_path):
        alone, stored_alone = load(one, tmp_path / "plans", 1)
        together, stored_together = load(jobs, tmp_path / "plans", 3)
    assert stored_together == stored_alone
    plans, tasks, duties, agencies = stored_alone
    assert (plans, tasks) == (6, 18)
    assert "长沙市发展和改革委员会" in agencies
    # Every file is reported once, whichever worker loaded it: in the folder's order, but for those loaded again
    # at the end (on PostgreSQL, where two workers created the city's agency at once).
    reported = [line.split(":")[0] for line in together.splitlines() if "新建" in line]
    assert sorted(reported) == sorted(f"{district}.txt" for district in DISTRICTS)
    assert [line.split(":")[0] for line in alone.splitlines() if "新建" in line] == sorted(reported)


def test_no_fewer_than_one_job():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="进程数至少为 1"):
        call_command("ingest_plans", "--jobs", "0", str(ROOT / "fixtures" / "plans"))


@pytest.mark.django_db
def test_a_long_run_refreshes_the_planner_statistics_after_every_so_many_plans_stored():
    from plans.ingestion.statistics import StatisticsKeeper

    keeper = StatisticsKeeper(every=2)
    for status in ("created", "unchanged", "updated", "created", "unchanged", "created"):
        keeper.plan_stored(status)
    assert (keeper.stored, keeper.refreshed) == (4, 2)  # an unchanged file stored nothing

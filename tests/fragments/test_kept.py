"""Kept fragments: a second visit reads them instead of the data, and no page shows data older than the last commit.

Tests here run inside a transaction that is rolled back (tests/conftest.py), so a write made by a test is never
committed: such a test checks that a transaction with uncommitted writes reads the data, not the cache. Commits
across processes are checked against a real server at the end.
"""

import contextlib
import io
import re
import sqlite3
import subprocess
import sys
import urllib.request

import pytest
from bs4 import BeautifulSoup
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection, transaction

from agencies.models import Agency
from fragments import versions
from fragments.models import DataVersion
from plans.models import Duty, Task
from tests.factories import TIANXIN_PLAN, seed_plan
from tests.plans.test_agency_pages import DUTY_LIST_QUERIES
from tests.plans.test_views import MATRIX_QUERIES, PLAN_QUERIES, TASK_QUERIES
from tests.processes import ROOT, free_port, manage, project_env, wait_until_answering

pytestmark = pytest.mark.django_db

PLAN_KEPT_QUERIES = 2  # the plan, the data version (the matrix page too)
TASK_KEPT_QUERIES = 2  # the task with its plan and sections, the data version
DUTY_LIST_KEPT_QUERIES = 3  # the agency, its aliases, the data version


def first_task(plan) -> Task:
    return Task.objects.filter(plan=plan, duties__isnull=False).order_by("position").first()


def duty_list(query: str = "") -> str:
    return f"/agencies/{first_task(seed_plan('002')).duties.first().agency_id}/{query}"


@pytest.mark.parametrize(
    ("url", "queries", "kept_queries"),
    [
        (lambda: f"/plans/{seed_plan('000').pk}/", PLAN_QUERIES, PLAN_KEPT_QUERIES),
        (lambda: f"/plans/{seed_plan('003').pk}/matrix/", MATRIX_QUERIES, PLAN_KEPT_QUERIES),
        (lambda: f"/tasks/{first_task(seed_plan('001')).pk}/", TASK_QUERIES, TASK_KEPT_QUERIES),
        (
            lambda: f"/agencies/{first_task(seed_plan('002')).duties.first().agency_id}/",
            DUTY_LIST_QUERIES,
            DUTY_LIST_KEPT_QUERIES,
        ),
        (
            lambda: f"/agencies/{first_task(seed_plan('002')).duties.first().agency_id}/?role=lead&sort=-task",
            DUTY_LIST_QUERIES,
            DUTY_LIST_KEPT_QUERIES,
        ),
    ],
    ids=["plan", "matrix", "task", "duty-list", "duty-list-filtered"],
)
def test_a_second_visit_reads_the_kept_fragments_and_gets_the_same_page(
    client, django_assert_num_queries, url, queries, kept_queries
):
    url = url()
    with django_assert_num_queries(queries):
        first = client.get(url)
    with django_assert_num_queries(kept_queries):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_each_query_string_keeps_its_own_page(client):
    plan = seed_plan("000")
    agency = Duty.objects.filter(task__plan=plan).values_list("agency", flat=True).first()
    everything = client.get(f"/agencies/{agency}/").content
    leads = client.get(f"/agencies/{agency}/?role=lead").content
    assert leads != everything
    assert client.get(f"/agencies/{agency}/?role=lead").content == leads
    assert client.get(f"/agencies/{agency}/").content == everything


def test_the_edit_link_is_the_users_own_though_the_units_are_kept_for_all(client, cast):
    task = first_task(seed_plan("000"))
    url = f"/tasks/{task.pk}/"
    editor = client.__class__()
    editor.force_login(cast.coordinator)
    session_writes = connection.run_on_commit[:]  # signing in is not a change of the data (below)
    assert 'id="edit-duties"' not in client.get(url).content.decode()
    assert 'id="edit-duties"' in editor.get(url).content.decode()
    assert 'id="edit-duties"' not in client.get(url).content.decode()
    assert connection.run_on_commit == session_writes


def test_a_transaction_that_has_written_reads_its_own_writes_not_the_kept_page(client, django_assert_num_queries):
    plan = seed_plan("000")
    duty = Duty.objects.filter(task__plan=plan).select_related("agency").first()
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "重命名后的单位" not in page
    Agency.objects.filter(pk=duty.agency_id).update(full_name="重命名后的单位")
    assert versions.has_uncommitted_writes(connection)
    with django_assert_num_queries(PLAN_QUERIES):  # built again, from the data this transaction sees
        page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "重命名后的单位" in page


def test_a_committed_transaction_moves_the_version_once_however_much_it_wrote(django_capture_on_commit_callbacks):
    before = DataVersion.objects.get().value
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Agency.objects.filter(pk=Agency.objects.first().pk).update(contact_person="张三")
        Duty.objects.filter(pk=Duty.objects.first().pk).update(position=99)
        Task.objects.filter(pk=Task.objects.first().pk).delete()
    assert [callback.__name__ for callback in callbacks] == ["bump_data_version"]
    assert DataVersion.objects.get().value == before + 1


def test_sessions_and_sign_in_attempts_are_not_changes_of_the_data(client):
    SessionStore().save()
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})  # django-axes records it
    assert not versions.has_uncommitted_writes(connection)
    assert versions.current()[0] == DataVersion.objects.get().value


def test_a_new_version_starts_above_every_version_before_it_when_the_row_is_gone(django_capture_on_commit_callbacks):
    before = DataVersion.objects.get().value
    DataVersion.objects.all().delete()
    assert versions.current() is None  # no row: nothing is kept
    versions.bump()
    assert DataVersion.objects.get().value > before


# --- Across processes: a real server, and writes committed by another process ----------------------------------


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (our own server)
        return response.read().decode()


@contextlib.contextmanager
def _two_workers(env: dict, plan_file, tmp_path):
    """A fresh database holding `plan_file`, served by gunicorn with two workers: yields the plan's and its first
    task's URLs, and stops the server however the test ends."""
    manage(env, "migrate", "-v0")
    manage(env, "ingest_plans", str(plan_file))
    port = free_port()
    log_path = tmp_path / "server.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/healthz", server, log_path)
        plan_url = base + re.search(r'href="(/plans/\d+/)"', _get(base + "/")).group(1)
        task_url = base + re.search(r'href="(/tasks/\d+/)"', _get(plan_url)).group(1)
        yield plan_url, task_url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_every_worker_of_a_real_server_shows_what_another_process_committed(tmp_path):
    """gunicorn with two workers, each keeping its own fragments; `ingest_plans` re-ingests a changed plan in a
    third process. Every page asked for after the command has finished shows the change."""
    env = project_env(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'kept.sqlite3'}", FRAGMENTS_KEPT="1")
    plan_file = tmp_path / "plan" / "天心区碳达峰实施方案.txt"
    plan_file.parent.mkdir()
    plan_file.write_text(TIANXIN_PLAN, encoding="utf-8")
    with _two_workers(env, plan_file, tmp_path) as (plan_url, task_url):
        for _ in range(6):  # both workers keep both pages
            assert "区财政局" not in BeautifulSoup(_get(task_url), "html.parser").select_one("#duties").text
            _get(plan_url)
        plan_file.write_text(TIANXIN_PLAN.replace("区住房和城乡建设局、区自然资源局", "区财政局"), encoding="utf-8")
        manage(env, "ingest_plans", str(plan_file))
        for _ in range(6):
            assert "区财政局" in BeautifulSoup(_get(task_url), "html.parser").select_one("#duties").text
            assert "区自然资源局" not in BeautifulSoup(_get(plan_url), "html.parser").select_one("#outline").text


# --- Every statement that is not a read moves the version; operators clear what no connection of ours saw ----------

ALIAS_COLUMNS = "agencies_agencyalias (agency_id, region_id, name, initials, created_at)"
WRITES = {
    "comment": "/* 运维手工修正 */ UPDATE agencies_agency SET contact_person = '外部' WHERE id = %s",
    "line comment": "-- 运维手工修正\nUPDATE agencies_agency SET contact_person = '外部' WHERE id = %s",
    "with-insert": (
        "WITH src AS (SELECT id, region_id FROM agencies_agency WHERE id = %s) "
        f"INSERT INTO {ALIAS_COLUMNS} SELECT id, region_id, '外部别名', 'wbbm', CURRENT_TIMESTAMP FROM src"
    ),
    "replace": (  # SQLite's
        f"REPLACE INTO {ALIAS_COLUMNS} "
        "SELECT id, region_id, '外部别名', 'wbbm', CURRENT_TIMESTAMP FROM agencies_agency WHERE id = %s"
    ),
    "merge": (  # PostgreSQL's
        "MERGE INTO agencies_agency AS a USING (SELECT %s AS id) AS s ON a.id = s.id "
        "WHEN MATCHED THEN UPDATE SET contact_person = '外部'"
    ),
}
READS = {
    "select": "SELECT contact_person FROM agencies_agency WHERE id = %s",
    "comment": "/* 报表 */ SELECT contact_person FROM agencies_agency WHERE id = %s",
    "with": "WITH a AS (SELECT id FROM agencies_agency WHERE id = %s) SELECT count(*) FROM a",
    "explain": "EXPLAIN SELECT contact_person FROM agencies_agency WHERE id = %s",
}


@pytest.mark.parametrize("kind", WRITES)
def test_a_write_however_it_begins_moves_the_version(kind, django_capture_on_commit_callbacks):
    if (kind, connection.vendor) in {("replace", "postgresql"), ("merge", "sqlite")}:
        pytest.skip(f"{kind.upper()} is not {connection.vendor}'s")
    agency = Agency.objects.first()
    before = DataVersion.objects.get().value
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(WRITES[kind], [agency.pk])
        assert versions.has_uncommitted_writes(connection)  # no kept page for this transaction
    assert DataVersion.objects.get().value == before + 1


@pytest.mark.parametrize("kind", READS)
def test_a_read_however_it_begins_leaves_the_version(kind, django_capture_on_commit_callbacks):
    agency = Agency.objects.first()
    before = DataVersion.objects.get().value
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic(), connection.cursor() as c:
        c.execute(READS[kind], [agency.pk])
    assert callbacks == [] and DataVersion.objects.get().value == before


def test_clearing_the_kept_fragments_builds_every_page_afresh(client, django_assert_num_queries):
    plan = seed_plan("000")
    client.get(f"/plans/{plan.pk}/")
    before = DataVersion.objects.get().value
    out = io.StringIO()
    call_command("clear_fragments", stdout=out)
    assert "已清除保存的页面片段" in out.getvalue()
    assert DataVersion.objects.get().value > max(before, versions.fresh_start() - 60_000_000)
    with django_assert_num_queries(PLAN_QUERIES):  # built in full: nothing kept is reachable
        client.get(f"/plans/{plan.pk}/")


def test_after_a_write_outside_django_the_clear_command_brings_every_worker_up_to_date(tmp_path):
    """gunicorn with two workers keeping a task page; sqlite3 renames a unit behind Django's back, which no
    connection of ours sees; `manage.py clear_fragments` in another process makes every worker show it."""
    database = tmp_path / "outside.sqlite3"
    env = project_env(DEBUG="1", DATABASE_URL=f"sqlite:///{database}", FRAGMENTS_KEPT="1")
    plan_file = tmp_path / "天心区碳达峰实施方案.txt"
    plan_file.write_text(TIANXIN_PLAN, encoding="utf-8")
    with _two_workers(env, plan_file, tmp_path) as (plan_url, task_url):
        duties = lambda: BeautifulSoup(_get(task_url), "html.parser").select_one("#duties").text  # noqa: E731
        for _ in range(6):  # both workers keep the page
            assert "区自然资源局" in duties()
        outside = sqlite3.connect(database)
        with outside:
            outside.execute(
                "UPDATE agencies_agency SET name = '区自然资源和规划局', "
                "full_name = replace(full_name, '区自然资源局', '区自然资源和规划局') WHERE name = '区自然资源局'"
            )
        outside.close()
        assert "区自然资源局" in duties()  # kept: nothing told the workers
        assert "已清除" in manage(env, "clear_fragments")
        for _ in range(6):
            assert "区自然资源和规划局" in duties()


_TABLES = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def _tables_read(client, url: str) -> set[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {table for query in captured.captured_queries for table in _TABLES.findall(query["sql"])}


def test_no_kept_fragment_reads_a_table_whose_writes_leave_the_version(client, settings):
    # What a cold visit reads and a warm one does not is what building the fragments read.
    settings.FRAGMENTS_KEPT = True
    plan = seed_plan("003")
    task = first_task(plan)
    urls = [
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/matrix/",
        f"/tasks/{task.pk}/",
        f"/api/plans/{plan.pk}/",
        f"/agencies/{task.duties.first().agency_id}/",
    ]
    built = set()
    for url in urls:
        cold = _tables_read(client, url)
        built |= cold - _tables_read(client, url)
    assert {"plans_task", "plans_duty", "agencies_agency"} <= built  # the fragments were built, then kept
    assert [table for table in built if table.startswith(versions.UNSHOWN)] == []


def test_a_note_a_report_and_a_sign_in_leave_the_kept_pages_alone(cast, django_capture_on_commit_callbacks):
    from plans import notes
    from tests.progress.support import fill, open_round

    with django_capture_on_commit_callbacks() as callbacks:
        values = dict.fromkeys(notes.NOTE_FIELDS, "") | {"note": "已与施工单位对接"}
        notes.save_note(cast.task, cast.lead, cast.lead_staff, values, version="")
        round = open_round(cast.plan, cast.coordinator)
        fill(round.reports.get(task=cast.task, agency=cast.lead), cast.lead_staff)
        cast.lead_staff.last_login = cast.lead_staff.date_joined
        cast.lead_staff.save(update_fields=["last_login"])
    assert [c.__name__ for c in callbacks if c.__name__ == "bump_data_version"] == []


def test_the_health_check_shows_this_workers_hit_rate(client, settings):
    from fragments import kept

    settings.FRAGMENTS_KEPT = True
    kept.STATS.update(hits=0, misses=0)
    url = f"/plans/{seed_plan('000').pk}/"
    client.get(url)
    client.get(url)
    client.get(url)
    assert client.get("/healthz").json()["fragments"] == {"hits": 2, "misses": 1, "hit_rate": 66.7}


def _redis_answers() -> bool:
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
        return True
    return False


@pytest.fixture
def start_up_settings(monkeypatch):
    """config/settings.py run afresh with the environment given, as a worker starts; its names."""
    import runpy

    def run(**env) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "config" / "settings.py"))

    return run


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_with_a_redis_server_every_worker_shares_one_cache(client, settings, start_up_settings):
    from django.core.cache import caches

    names = start_up_settings(FRAGMENTS_REDIS_URL="redis://127.0.0.1:6379/15")
    fragments = names["CACHES"][names["FRAGMENTS_CACHE"]]
    assert fragments["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {**settings.CACHES, "fragments": fragments}
    settings.FRAGMENTS_KEPT = True
    shared = caches["fragments"]
    shared.clear()
    url = f"/plans/{seed_plan('000').pk}/"
    first = client.get(url).content
    # What this worker kept is in Redis, where another process's connection finds it.
    from django.core.cache.backends.redis import RedisCache

    other = RedisCache(fragments["LOCATION"], {"KEY_PREFIX": fragments["KEY_PREFIX"]})
    keys = [k for k in other._cache.get_client().keys("plans:*fragment:plan-outline:*")]
    assert keys
    assert client.get(url).content == first
    shared.clear()

"""What keeps the pages fast at national scale (README, Speed): no page reads a plan's source text, the lists
navigate instead of growing, and on PostgreSQL the searches have trigram indexes to use."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from plans.models import Duty, Task
from tests.factories import grow, seed_plan
from tests.workbooks import content_of

pytestmark = pytest.mark.django_db


def urls(cast) -> list[str]:
    plan, task, agency = cast.plan, cast.task, cast.lead
    return [
        "/",
        f"/?region={plan.region.code}",
        "/search/?q=fgj",
        "/search/?q=光伏",
        f"/agencies/?region={plan.region.code}",
        "/agencies/?q=发改",
        f"/agencies/{agency.pk}/",
        f"/agencies/{agency.pk}/?role=lead&sort=-task",
        f"/agencies/{agency.pk}/export.xlsx",
        f"/agencies/{agency.pk}/history/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/matrix/",
        f"/plans/{plan.pk}/division.xlsx",
        f"/plans/{plan.pk}/matrix.xlsx",
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/edit/",
        f"/agencies/autocomplete/?q=fgj&plan={plan.pk}",
        "/api/plans/",
        f"/api/plans/{plan.pk}/",
        f"/api/agencies/{agency.pk}/duties/",
        "/plans/upload/",
    ]


def test_no_page_reads_a_plans_source_text(cast):
    client = Client()
    client.force_login(cast.administrator)
    for url in urls(cast):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            content_of(response)
        assert response.status_code == 200, url
        reading = [q["sql"] for q in captured if "source_text" in q["sql"]]
        assert reading == [], url


def test_a_re_ingest_still_reads_the_stored_text(cast):
    plan = type(cast.plan).objects.get(pk=cast.plan.pk)
    assert "source_text" in plan.get_deferred_fields()
    assert "株洲市石峰区碳达峰实施方案" in plan.source_text[:50]  # loaded on first use


def test_home_and_the_agency_index_stay_the_same_size_as_plans_and_agencies_grow(client):
    pages = ("/", "/agencies/?region=430000")
    grow(60)  # more than a page of each
    before = {url: len(client.get(url).content) for url in pages}
    grow(65, agencies_per_plan=12)
    assert Agency.objects.count() > 1000
    after = {url: len(client.get(url).content) for url in pages}
    for url in pages:
        # A page of plans or agencies whatever there are: a longer page count or a few more regions at most.
        assert after[url] <= before[url] * 1.05, (url, before[url], after[url])
        assert after[url] < 80_000, url


def test_the_duty_list_pages_by_id_so_a_late_page_shows_its_own_rows(client):
    collective = Agency.objects.get(region__full_name="湘潭市", name="各县市区")  # 52 duties
    first = client.get(f"/agencies/{collective.pk}/?per_page=20").content.decode()
    third = client.get(f"/agencies/{collective.pk}/?per_page=20&page=3").content.decode()
    tasks = Duty.objects.filter(agency=collective).values_list("task_id", flat=True)
    shown = {pk for pk in tasks if f'href="/tasks/{pk}/"' in first or f'href="/tasks/{pk}/"' in third}
    assert len(shown) == 32  # 20 on the first page, the last 12 on the third


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search indexes exist on PostgreSQL only")
@pytest.mark.parametrize(
    ("query", "index"),
    [
        (lambda: Agency.objects.search("发展和改革"), "agency_name_grams"),  # names: characters and pieces
        (lambda: Agency.objects.search("发改"), "alias_name_grams"),
        (lambda: Agency.objects.search("住建"), "agency_full_name_grams"),
        (lambda: Agency.objects.search("fgj"), "agency_initials_chars"),  # initials in order
        (lambda: Task.objects.search("可再生能源"), "task_body_grams"),  # task text: characters and pieces
        (lambda: Task.objects.search("碳"), "task_body_grams"),
        (lambda: Task.objects.search("光伏"), "task_body_grams"),
    ],
)
def test_on_postgresql_each_search_can_use_its_index(query, index):
    sql, params = query().order_by().values("pk").query.sql_with_params()  # unordered, as the pages ask
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test data is small enough to be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


def test_searching_tasks_finds_words_of_any_length_in_titles_and_text(client):
    plan = seed_plan("000")
    for word in ("光伏", "可再生能源", "碳"):
        expected = Task.objects.filter(body__contains=word) | Task.objects.filter(title__contains=word)
        assert Task.objects.search(word).count() == expected.count() > 0, word
    assert Task.objects.search(plan.tasks.order_by("position").first().number).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_on_postgresql_the_app_runs_without_jit_compilation():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

"""Per plan: a write that touches one plan's rows moves that plan's kept pages and the agencies' 任务清单, and leaves
every other plan's kept pages kept; a write of anything else moves them all (fragments.versions).

Tests run inside a transaction that is rolled back (tests/conftest.py): `committed()` runs what a commit runs (the
on_commit callbacks) and then forgets them, as a commit does, so that the next request reads kept pages again.
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agencies import merging
from agencies.models import Agency
from fragments import versions
from plans import editing, history
from plans.models import Duty, Task
from tests.factories import TIANXIN_PLAN, seed_plan
from tests.plans.test_agency_pages import DUTY_LIST_QUERIES
from tests.plans.test_views import MATRIX_QUERIES, PLAN_QUERIES, TASK_QUERIES

from .test_kept import PLAN_KEPT_QUERIES, TASK_KEPT_QUERIES, first_task

pytestmark = pytest.mark.django_db


def settle() -> None:
    """Run what the writes so far would run on commit, and forget it, as a commit does."""
    pending, connection.run_on_commit = connection.run_on_commit, []
    for _, callback, _ in pending:
        callback()
    assert not versions.has_uncommitted_writes(connection)


@contextlib.contextmanager
def committed():
    settle()  # the fixtures' writes: committed before the test's own
    with transaction.atomic():
        yield
    settle()


def pages(plan) -> dict[str, tuple[int, int]]:
    """A plan's kept pages: url → (queries built, for seed 000; queries kept)."""
    return {
        f"/plans/{plan.pk}/": (PLAN_QUERIES, PLAN_KEPT_QUERIES),
        f"/plans/{plan.pk}/matrix/": (MATRIX_QUERIES, PLAN_KEPT_QUERIES),
        f"/tasks/{first_task(plan).pk}/": (TASK_QUERIES, TASK_KEPT_QUERIES),
    }


def visit_all(client, *plans) -> None:
    for plan in plans:
        for url in pages(plan):
            assert client.get(url).status_code == 200


def assert_kept(client, django_assert_num_queries, plan) -> None:
    for url, (_, kept) in pages(plan).items():
        with django_assert_num_queries(kept):
            client.get(url)


def assert_built(client, plan) -> None:
    for url, (_, kept) in pages(plan).items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) > kept, url


def test_a_duty_edit_moves_its_own_plans_pages_and_the_duty_lists_and_leaves_other_plans_kept(
    client, cast, django_assert_num_queries
):
    other = seed_plan("003")
    duty_list = f"/agencies/{cast.cooperating.pk}/"
    settle()
    visit_all(client, cast.plan, other)
    client.get(duty_list)
    duties = history.current_duties(cast.task)
    units = [
        editing.UnitEdit(d.pk, d.role, d.inferred, i + 1, remove=d.agency_id == cast.cooperating.pk)
        for i, d in enumerate(duties)
    ]
    with committed():
        editing.apply_task_edit(cast.task, cast.administrator, units, [], "调整", history.version_of(duties))
    assert_kept(client, django_assert_num_queries, other)
    with django_assert_num_queries(TASK_QUERIES):  # built again, without the removed unit
        page = client.get(f"/tasks/{cast.task.pk}/").content.decode()
    assert cast.lead.name in page and f">{cast.cooperating.name}<" not in page
    with django_assert_num_queries(DUTY_LIST_QUERIES):
        client.get(duty_list)


def test_renaming_an_agency_moves_the_pages_of_the_plans_that_name_it_only(client, cast, django_assert_num_queries):
    other = seed_plan("003")
    assert not Duty.objects.filter(task__plan=other, agency=cast.lead).exists()
    settle()
    visit_all(client, cast.plan, other)
    with committed():
        merging.rename_agency(cast.lead, "改名后的牵头单位", user=cast.administrator, reason="机构改革")
    assert_kept(client, django_assert_num_queries, other)
    with django_assert_num_queries(TASK_QUERIES):
        page = client.get(f"/tasks/{cast.task.pk}/").content.decode()
    assert "改名后的牵头单位" in page


def test_ingesting_a_new_plan_leaves_the_plans_stored_before_it_kept(client, ingest_text, django_assert_num_queries):
    stored = [seed_plan("000"), seed_plan("003")]
    settle()
    visit_all(client, *stored)
    with committed():
        result = ingest_text(TIANXIN_PLAN, name="天心区碳达峰实施方案.txt")
    assert result.status == "created"
    for plan in stored:
        assert_kept(client, django_assert_num_queries, plan)
    assert_built(client, result.plan)


def test_a_write_beside_a_plans_own_rows_moves_every_kept_page(client, cast, django_assert_num_queries):
    # Fail safe: a plan locked, its task written, and one agency's contact written without the agency's lock: the
    # contact could show anywhere this module does not know of, so every kept page goes.
    other = seed_plan("003")
    settle()
    visit_all(client, cast.plan, other)
    with committed():
        from plans.assignments import lock_plan

        lock_plan(cast.plan.pk)
        Task.objects.filter(pk=cast.task.pk).update(clause_note="已核对")
        Agency.objects.filter(pk=cast.lead.pk).update(contact_person="李四")
    assert_built(client, other)


def test_a_plans_row_written_with_no_plan_touched_moves_every_kept_page(client, cast, django_assert_num_queries):
    other = seed_plan("003")
    settle()
    visit_all(client, cast.plan, other)
    with committed():
        Task.objects.filter(pk=cast.task.pk).update(clause_note="已核对")  # no writer's lock: which plan is unknown
    assert_built(client, other)


def test_a_reader_not_signed_in_who_has_the_page_gets_304_until_a_write_moves_it(
    client, cast, django_assert_num_queries
):
    settle()
    url = f"/tasks/{cast.task.pk}/"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag and "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(1):  # the versions alone
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    duties = history.current_duties(cast.task)
    units = [editing.UnitEdit(d.pk, d.role, d.inferred, len(duties) - i) for i, d in enumerate(duties)]
    with committed():
        editing.apply_task_edit(cast.task, cast.administrator, units, [], "调整顺序", history.version_of(duties))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    client.force_login(cast.outsider)  # a signed-in user's page shows notes and 督办, which move no version
    assert client.get(url).get("ETag") is None

"""Collectives in 督办 (progress.reading.tracking.reporting): 各街道 or 领导小组各成员单位 is many bodies no one account
answers for. It owes no report of its own and is never chased or counted; the task's other reporting units report
for it, and a task that only a collective leads goes by its deadline and closure."""

from datetime import date, timedelta

import pytest

from agencies.models import Agency
from plans.models import Task
from progress.models import Deadline, Report
from progress.reading import dashboard as boards
from progress.reminding import digests as reminders
from tests.pages import get_page

from .support import open_round

pytestmark = pytest.mark.django_db

PLAN = """长沙市天心区城市更新行动方案（2025—2027年）

一、重点任务
（一）推进老旧小区改造
1.完成老旧小区改造。2027年底前全面完成。（区住房和城乡建设局、各街道按职责分工负责）
2.开展社区环境整治。（各街道负责）
3.建设口袋公园。（区城市管理局牵头，区领导小组各成员单位配合）
"""


@pytest.fixture
def plan(ingest_text):
    return ingest_text(PLAN, name="renewal.txt").plan


def test_a_collective_is_a_collective(plan):
    streets = Agency.objects.get(region=plan.region, name="各街道")
    assert streets.kind == Agency.Kind.COLLECTIVE


def test_only_single_bodies_get_report_slots(plan, cast):
    round = open_round(plan, cast.administrator)
    slots = sorted(Report.objects.filter(round=round).values_list("task__number", "agency__name"))
    assert slots == [("1", "区住房和城乡建设局"), ("3", "区城市管理局")]


def test_a_collective_is_neither_counted_nor_chased_when_its_task_is_late(plan):
    Deadline.objects.filter(task__plan=plan).update(due_on=date.today() - timedelta(days=30), ongoing=False)
    streets = Agency.objects.get(region=plan.region, name="各街道")
    assert not any(row.agency.pk == streets.pk for row in boards.overview(date.today()))
    collected = reminders.collect(date.today(), 14)
    assert all(agency.pk != streets.pk for agency, _ in collected.unreachable)
    assert all(d.agency.pk != streets.pk for d in collected.digests)
    # On the dashboard the tasks are still late, by their deadline, and the units listed are single bodies.
    board = boards.plan_dashboard(plan, date.today(), 14)
    assert board.overdue_total == 3
    assert "各街道" not in [group.label for group in board.agencies]
    # The collective's own page lists its tasks with the tasks' status.
    record = boards.agency_board(streets, date.today(), 14)
    assert record.row_total == 2 and {row.status for row in record.rows} == {"overdue"}


def test_the_task_page_says_who_reports_for_the_collective(plan, cast, client):
    client.force_login(cast.administrator)
    shared = Task.objects.get(plan=plan, number="1")
    page = get_page(client, f"/progress/tasks/{shared.pk}/")
    assert "区住房和城乡建设局" in page.select_one("#reporters").text
    note = page.select_one("#collectives").text
    assert "“各街道”（共同负责）不单独报送进展、不单独催办，由上列报送单位汇总报送" in note
    alone = Task.objects.get(plan=plan, number="2")
    page = get_page(client, f"/progress/tasks/{alone.pk}/")
    assert "只由集合主体负责，没有单独报送的单位" in page.select_one("#reporters").text

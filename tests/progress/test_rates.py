"""督办考核 (progress.reading.rates): 按时报送率, 按时完成率 and 逾期 per agency and per region, from a hand-made
history of reports on time, late and missing, and tasks closed early, late and not at all."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from agencies.models import Agency, Region
from plans.models import Task
from progress.models import Closure, Report
from progress.reading import rates as rating
from progress.writing import rounds
from tests.pages import get_page
from tests.workbooks import get_workbook

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 7)
FIRST_HALF = rating.Window(date(2026, 1, 1), date(2026, 6, 30), TODAY)

PLAN = """长沙市天心区城市更新工作方案（2026—2027年）

一、重点任务
（一）更新改造
1.实施老旧小区改造。2026年3月底前完成。（区住房和城乡建设局牵头，区财政局配合）
2.推进背街小巷整治。2026年5月底前完成。（区住房和城乡建设局、区城市管理局按职责分工负责）
3.建设口袋公园。2026年6月底前完成。（区城市管理局牵头）
4.完善公共停车设施。2026年10月底前完成。（区城市管理局牵头）
"""


def submitted(reports, *, on_time: bool) -> None:
    moment = datetime(2026, 4, 9 if on_time else 20, 10, 0, tzinfo=CHINA)
    reports.update(
        state="submitted", status="in_progress", on_time=on_time, submitted_at=moment, first_submitted_at=moment
    )


@pytest.fixture
def history(ingest_text):
    """Round A (due 2026-04-10): 住建局 on time twice; 城管局 on time once, late once, never once. Round B (due
    2026-07-10, after the half year) all on time. Task 1 closed before its deadline, task 2 after, task 3 not."""
    plan = ingest_text(PLAN, name="renewal.txt").plan
    tasks = {t.number: t for t in Task.objects.filter(plan=plan)}
    first = rounds.open_round(
        plan, None, rounds.RoundSpec("2026年第1季度", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 10))
    )
    later = rounds.open_round(
        plan, None, rounds.RoundSpec("2026年第2季度", date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 10))
    )
    submitted(Report.objects.filter(round=later), on_time=True)
    housing = Agency.objects.get(region=plan.region, name="区住房和城乡建设局")
    city = Agency.objects.get(region=plan.region, name="区城市管理局")
    submitted(Report.objects.filter(round=first, agency=housing), on_time=True)
    submitted(Report.objects.filter(round=first, agency=city, task=tasks["2"]), on_time=True)
    submitted(Report.objects.filter(round=first, agency=city, task=tasks["3"]), on_time=False)
    Closure.objects.create(task=tasks["1"], closed_at=datetime(2026, 3, 31, 23, 30, tzinfo=CHINA))
    Closure.objects.create(task=tasks["2"], closed_at=datetime(2026, 6, 10, 9, 0, tzinfo=CHINA))
    return plan, housing, city


def test_each_agencys_rates_count_what_fell_due_in_the_period(history):
    plan, housing, city = history
    rows = {row.key: row for row in rating.agency_rates(FIRST_HALF, plan.region)}
    assert set(rows) == {housing.pk, city.pk}  # 区财政局 only cooperates
    h, c = rows[housing.pk], rows[city.pk]
    assert (h.reports_due, h.reports_on_time, h.report_rate) == (2, 2, 100.0)
    assert (c.reports_due, c.reports_on_time, c.report_rate) == (3, 1, 33.3)
    # 住建局: task 1 closed on its last day, task 2 (shared) closed late; 城管局: task 2 late, task 3 still open.
    assert (h.tasks_due, h.tasks_on_time, h.task_rate, h.overdue) == (2, 1, 50.0, 1)
    assert (c.tasks_due, c.tasks_on_time, c.task_rate, c.overdue) == (2, 0, 0.0, 2)
    assert [(r.label, r.rank) for r in rating.agency_rates(FIRST_HALF, plan.region)] == [
        ("区住房和城乡建设局", 1),
        ("区城市管理局", 2),
    ]


def test_the_whole_year_counts_the_later_round_and_task(history):
    plan, housing, city = history
    year = rating.Window(date(2026, 1, 1), date(2026, 12, 31), TODAY)
    c = next(row for row in rating.agency_rates(year, plan.region) if row.key == city.pk)
    assert (c.reports_due, c.reports_on_time) == (6, 4)  # round B's three, on time
    assert (c.tasks_due, c.tasks_on_time, c.overdue) == (3, 0, 3)  # task 4, due in October, still open


def test_what_is_not_due_yet_is_not_counted(history):
    plan, _, _ = history
    before_deadlines = rating.Window(date(2026, 1, 1), date(2026, 6, 30), date(2026, 3, 15))
    assert rating.agency_rates(before_deadlines, plan.region) == []


def test_a_region_sums_the_agencies_below_it(history):
    plan, _, _ = history
    changsha = Region.objects.get(pk=plan.region.parent_id)
    rows = {row.label: row for row in rating.region_rates(FIRST_HALF, changsha)}
    tianxin = rows[plan.region.full_name]
    assert (tianxin.reports_due, tianxin.reports_on_time, tianxin.report_rate) == (5, 3, 60.0)
    assert (tianxin.tasks_due, tianxin.tasks_on_time, tianxin.task_rate, tianxin.overdue) == (4, 1, 25.0, 3)


def test_a_plan_not_under_supervision_counts_for_nothing(history):
    from plans import lifecycle

    plan, _, _ = history
    lifecycle.change(plan, "reference", None, "测试")
    assert rating.agency_rates(FIRST_HALF, plan.region) == []


def test_equal_values_share_a_rank_and_nothing_due_is_unranked():
    rows = [
        rating.RateRow(1, "乙", tasks_due=2, tasks_on_time=1),
        rating.RateRow(2, "甲", tasks_due=2, tasks_on_time=1),
        rating.RateRow(3, "丙", tasks_due=1, tasks_on_time=1),
        rating.RateRow(4, "丁"),
        rating.RateRow(5, "戊", tasks_due=4, tasks_on_time=1),
    ]
    names = {1: "yi", 2: "jia", 3: "bing", 4: "ding", 5: "wu"}  # pinyin sort keys: ties in pinyin order
    ranks = [(r.label, r.rank) for r in rating.ranked(rows, names=names)]
    assert ranks == [("丙", 1), ("甲", 2), ("乙", 2), ("戊", 4), ("丁", 0)]
    by_overdue = rating.ranked(rows, "overdue", names=names)
    assert [(r.label, r.rank) for r in by_overdue] == [("丙", 1), ("甲", 2), ("乙", 2), ("戊", 4), ("丁", 0)]


def test_the_page_and_its_workbook(history, administrator_client, django_assert_max_num_queries):
    plan, housing, _ = history
    url = f"/progress/rates/?period=&start=2026-01-01&end=2026-06-30&region={plan.region.code}"
    with django_assert_max_num_queries(8):
        page = get_page(administrator_client, url)
    first = page.select_one("#rates-table tbody tr")
    assert "区住房和城乡建设局" in first.text and "100.0%" in first.text and "50.0%" in first.text
    workbook, _ = get_workbook(administrator_client, url.replace("/rates/", "/rates.xlsx"))
    ws = workbook.active
    assert [c.value for c in ws[3]][:3] == ["排名", "单位", "所属行政区"]
    assert [c.value for c in ws[4]] == [1, "区住房和城乡建设局", plan.region.full_name, 2, 2, 100, 2, 1, 50, 1]
    page = get_page(administrator_client, url + "&by=region")
    assert plan.region.full_name in page.select_one("#rates-table").text


def test_only_administrators_see_the_rates(cast, client):
    client.force_login(cast.coordinator)
    assert client.get("/progress/rates/").status_code == 403

"""The 督办 status rules, the reporting periods and the chart's geometry: pure Python."""

from datetime import date, timedelta

import pytest

from progress.reading import periods
from progress.reading.charts import stacked_bars
from progress.reading.status import ORDER, Facts, Status, counts, status_of, worst

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(), Status.NORMAL),
        (Facts(closed=True, due_on=TODAY - timedelta(days=100), missing=True), Status.COMPLETED),
        (Facts(due_on=TODAY - timedelta(days=1), missing=True, lagging=True), Status.OVERDUE),
        (Facts(due_on=TODAY, missing=True, lagging=True), Status.MISSING),
        (Facts(lagging=True, report_due_on=TODAY), Status.LAGGING),
        (Facts(due_on=TODAY + timedelta(days=14)), Status.DUE_SOON),
        (Facts(due_on=TODAY + timedelta(days=15)), Status.NORMAL),
        (Facts(report_due_on=TODAY + timedelta(days=3)), Status.DUE_SOON),
        (Facts(due_on=date(2030, 12, 31), report_due_on=TODAY + timedelta(days=30)), Status.NORMAL),
    ],
)
def test_the_first_rule_that_applies_gives_the_status(facts, expected):
    assert status_of(facts, TODAY, soon_days=14) == expected


def test_a_tasks_status_is_its_worst_units():
    assert worst([Status.NORMAL, Status.LAGGING, Status.DUE_SOON]) == Status.LAGGING
    assert worst([Status.COMPLETED, Status.NORMAL]) == Status.NORMAL
    assert worst([]) is None


def test_every_status_has_its_own_word_mark_and_one_of_three_colours():
    assert len({s.label for s in ORDER}) == len({s.mark for s in ORDER}) == len(ORDER) == 6
    assert {s.colour for s in ORDER} == {"red", "yellow", "green"}
    assert [s.label for s in ORDER] == ["逾期", "未报送", "滞后", "临期", "正常", "已完成"]


def test_counts_list_every_status_in_order():
    assert list(counts([Status.NORMAL, Status.NORMAL, Status.OVERDUE]).items()) == [
        (Status.OVERDUE, 1),
        (Status.MISSING, 0),
        (Status.LAGGING, 0),
        (Status.DUE_SOON, 0),
        (Status.NORMAL, 2),
        (Status.COMPLETED, 0),
    ]


@pytest.mark.parametrize(
    ("today", "months", "name", "start", "end"),
    [
        (date(2026, 4, 3), 3, "2026年第1季度", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 1, 5), 3, "2025年第4季度", date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 3, 1), 1, "2026年2月", date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 7, 1), 6, "2026年上半年", date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), 6, "2025年下半年", date(2025, 7, 1), date(2025, 12, 31)),
    ],
)
def test_the_last_whole_period_before_a_day_and_its_name(today, months, name, start, end):
    period = periods.last_complete(today, months)
    assert (period.name, period.start, period.end) == (name, start, end)


def test_the_chart_stacks_each_rounds_series_on_one_scale():
    chart = stacked_bars([("一季度", {"completed": 2, "missing": 8}), ("二季度", {"in_progress": 5})])
    first, second = chart.bars
    assert [s.key for s in first.segments] == ["completed", "missing"]
    assert first.total == 10 and second.total == 5
    # Heights are proportional, and the bars stand on the same baseline.
    heights = {s.key: s.height for s in first.segments}
    assert heights["missing"] == pytest.approx(4 * heights["completed"], rel=0.01)
    assert first.segments[0].y + first.segments[0].height == pytest.approx(chart.plot_bottom, abs=0.2)
    assert second.segments[0].height == pytest.approx(first.segments[0].height * 2.5, rel=0.01)
    assert [t.value for t in chart.ticks] == [0, 5, 10]
    assert stacked_bars([]).empty

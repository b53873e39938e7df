"""Deadlines and milestones read from a task's text: pure Python, no database."""

from datetime import date

import pytest

from progress.reading.deadlines import DerivedDeadline, date_of, read_deadline


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2024年底前", date(2024, 12, 31)),
        ("完成时限：2025年6月底前", date(2025, 6, 30)),
        ("2025年6月15日前", date(2025, 6, 15)),
        ("2025年2月30日前", date(2025, 2, 28)),  # no such day: the month's last
        ("2024年2月底前", date(2024, 2, 29)),
        ("到2025年", date(2025, 12, 31)),
        ("到 2025 年", date(2025, 12, 31)),
        ("2030年前", date(2030, 12, 31)),
        ("2026年上半年", date(2026, 6, 30)),
        ("2026年第一季度", date(2026, 3, 31)),
        ("2026年3季度", date(2026, 9, 30)),
        ("“十四五”期间", date(2025, 12, 31)),
        ("十五五时期", date(2030, 12, 31)),
        ("长期坚持", None),
    ],
)
def test_a_time_phrase_means_the_last_day_it_allows(phrase, expected):
    assert date_of(phrase) == expected


def test_an_explicit_time_limit_wins_over_dated_targets():
    reading = read_deadline(
        "推进屋顶光伏建设，到2030年覆盖率达到50%。完成时限：2024年底前。", [("到2030年", 2030, "覆盖率达到50%")]
    )
    assert reading.deadline == DerivedDeadline(date(2024, 12, 31), basis="完成时限：2024年底前")


def test_an_explicit_time_limit_can_say_the_task_never_ends():
    assert read_deadline("完成时限：长期坚持").deadline == DerivedDeadline(ongoing=True, basis="完成时限：长期坚持")
    assert read_deadline("时间节点：持续推进。").deadline.ongoing


def test_without_a_time_limit_the_latest_dated_target_is_the_deadline():
    targets = [("到2025年", 2025, "装机达到70万千瓦"), ("2030年前", 2030, "碳排放达到峰值")]
    reading = read_deadline("……", targets)
    assert reading.deadline == DerivedDeadline(date(2030, 12, 31), basis="2030年前")


def test_deadlines_written_to_the_month_are_read_from_the_text():
    body = "制定实施方案，2017年9月底前出台；2018年6月底前完成试点。"
    assert read_deadline(body).deadline == DerivedDeadline(date(2018, 6, 30), basis="2018年6月底前")


def test_a_year_after_a_comparison_is_a_baseline_not_a_deadline():
    assert not read_deadline("单位产值能耗比2020年前下降14%").deadline.stated


def test_dates_before_the_plan_was_issued_describe_the_past():
    body = "对2020年前建成的老旧小区实施改造。"
    assert read_deadline(body).deadline.due_on == date(2020, 12, 31)
    assert not read_deadline(body, earliest_year=2023).deadline.stated


def test_ongoing_work_without_a_date_is_ongoing():
    reading = read_deadline("持续推进工业炉窑综合整治，严格控制新增产能。")
    assert reading.deadline == DerivedDeadline(ongoing=True, basis="持续推进")
    # A date wins over the words: the work goes on, but this task has an end.
    assert read_deadline(
        "持续推进光伏建设，到2025年装机10万千瓦。", [("到2025年", 2025, "装机10万千瓦")]
    ).deadline.due_on


def test_a_task_that_states_no_time_has_no_deadline():
    reading = read_deadline("加强组织领导，压实各方责任。")
    assert reading.deadline == DerivedDeadline() and not reading.deadline.stated and reading.milestones == []


def test_targets_in_several_years_make_a_milestone_per_year():
    body = "到2023年底前完成集中式光伏发电项目建设，到2024年底前完成风电项目建设，到2025年全市装机达70万千瓦以上。"
    reading = read_deadline(body, [("到2025年", 2025, "到2025年全市装机达70万千瓦以上")])
    assert reading.deadline.due_on == date(2025, 12, 31)
    assert [(m.year, m.due_on, m.text) for m in reading.milestones] == [
        (2023, date(2023, 12, 31), "到2023年底前完成集中式光伏发电项目建设"),
        (2024, date(2024, 12, 31), "到2024年底前完成风电项目建设"),
        (2025, date(2025, 12, 31), "到2025年全市装机达70万千瓦以上"),
    ]


def test_targets_in_one_year_make_no_milestones():
    targets = [("到2025年", 2025, "比重达到20%"), ("到2025年", 2025, "能耗下降14%")]
    assert read_deadline("……", targets).milestones == []


def test_a_target_year_whose_own_text_gives_the_month_is_that_month():
    # The target reader labels 2026年3月底前完成 by its year; the deadline is the month's end, not the year's.
    body = "实施老旧小区改造。2026年3月底前完成。"
    assert read_deadline(body, [("2026年", 2026, "2026年3月底前完成")]).deadline.due_on == date(2026, 3, 31)
    # A year stated on its own for another part of the task still counts.
    body = "2026年完成改造，2026年3月底前完成方案。"
    targets = [("2026年", 2026, "2026年完成改造，2026年3月底前完成方案")]
    assert read_deadline(body, targets).deadline.due_on == date(2026, 12, 31)

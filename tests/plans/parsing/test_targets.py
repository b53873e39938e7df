"""Dated targets: a year, usually a number and a unit, read from goals and tasks."""

from __future__ import annotations

from decimal import Decimal

from plans.parsing.targets import extract_targets

from .support import seed, task


def _read(text):
    return [(t.label, t.year, t.value, t.unit) for t in extract_targets(text)]


def test_dao_2025_nian_gives_the_year_value_and_unit():
    assert _read("到2025年，非化石能源消费比重达到22%左右") == [("到2025年", 2025, Decimal("22"), "%")]


def test_a_target_keeps_the_clause_it_was_read_from():
    [target] = extract_targets("到2025年，非化石能源消费比重达到22%左右。")
    assert target.text == "非化石能源消费比重达到22%左右"


def test_before_2030_with_no_number_is_a_dated_target_without_value():
    assert _read("2030年前碳排放达到峰值") == [("2030年前", 2030, None, "")]


def test_the_fourteenth_five_year_period_keeps_its_label_and_ends_in_2025():
    assert _read("“十四五”期间，全市新增浅层地热能建筑规模化应用面积逐年提升。") == [("“十四五”期间", 2025, None, "")]
    assert _read("力争“十五五”期间，钢铁企业能效达到标杆水平。") == [("“十五五”期间", 2030, None, "")]


def test_a_baseline_year_after_jiao_is_not_a_deadline():
    assert _read("到2025年，全区单位GDP能耗较2020年下降15%以上。") == [("到2025年", 2025, Decimal("15"), "%")]
    assert _read("单位GDP能耗较2020年下降15%。") == []
    assert _read("单位地区生产总值能耗比2020年下降16%。") == []


def test_each_figure_in_a_sentence_is_its_own_target_under_the_nearest_date():
    assert _read("到2025年，力争新能源装机突破5万千瓦，2030年新能源装机力争达到10万千瓦。") == [
        ("到2025年", 2025, Decimal("5"), "万千瓦"),
        ("2030年", 2030, Decimal("10"), "万千瓦"),
    ]


def test_figures_in_the_sentence_after_a_dated_one_belong_to_that_date():
    text = (
        "到2025年，全市单位生产总值能耗下降完成省下达目标任务。"
        "非化石能源消费比重提高至20%左右，森林覆盖率稳定在53.87%左右。"
    )
    assert _read(text) == [
        ("到2025年", 2025, None, ""),
        ("到2025年", 2025, Decimal("20"), "%"),
        ("到2025年", 2025, Decimal("53.87"), "%"),
    ]


def test_a_date_carries_forward_only_through_sentences_with_figures():
    text = "到2025年，新增光伏10万千瓦。鼓励企业开展技术改造。建设茶油生产线500吨。"
    assert _read(text) == [("到2025年", 2025, Decimal("10"), "万千瓦")]


def test_a_date_does_not_carry_into_the_next_paragraph():
    assert _read("到2025年，新增光伏10万千瓦。\n建设储能电站5万千瓦。") == [("到2025年", 2025, Decimal("10"), "万千瓦")]


def test_years_inside_a_document_title_are_not_deadlines():
    assert _read("按照国家《产业结构调整指导目录（2019年本）》加速落后产能淘汰出清。") == []
    assert _read("全面落实《鹤中一体化发展规划(2023—2027年)》,完成42个村庄规划。") == []


def test_numbers_that_are_years_or_spans_are_not_quantities():
    assert _read("1-2年内，将5G+工业互联网场景用于设计。") == []


def test_several_units_of_measure_are_recognised():
    assert _read("到2025年，新增光伏1.2MW，储气能力4.5亿立方米，建设小微湿地65处，面积520公顷。") == [
        ("到2025年", 2025, Decimal("1.2"), "MW"),
        ("到2025年", 2025, Decimal("4.5"), "亿立方米"),
        ("到2025年", 2025, Decimal("65"), "处"),
        ("到2025年", 2025, Decimal("520"), "公顷"),
    ]


def test_undated_prose_gives_no_target():
    assert _read("积极推进光伏建设，装机规模6.24万千瓦。") == []


def test_001s_main_goals_are_read_from_its_goals_part():
    goals = [(t.label, t.year, t.value, t.unit) for t in seed("001").goal_targets]
    assert ("到2025年", 2025, Decimal("22"), "%") in goals
    assert ("到2030年", 2030, Decimal("25"), "%") in goals
    assert ("“十四五”期间", 2025, None, "") in goals
    assert all(year != 2020 for _, year, _, _ in goals)


def test_002s_goals_after_a_full_stop_keep_their_year():
    figures = [(t.year, t.value, t.unit) for t in seed("002").goal_targets if t.value is not None]
    assert figures == [
        (2025, Decimal("20"), "%"),
        (2025, Decimal("185"), "万千瓦"),
        (2025, Decimal("53.87"), "%"),
        (2025, Decimal("3446"), "万立方米"),
        (2030, Decimal("25"), "%"),
        (2030, Decimal("300"), "万千瓦"),
        (2030, Decimal("56.12"), "%"),
        (2030, Decimal("4018"), "万立方米"),
    ]


def test_a_task_can_hold_several_dated_targets():
    targets = [(t.label, t.year, t.value, t.unit) for t in task(seed("000"), "3.1.2").targets]
    assert targets == [
        ("到 2025 年", 2025, Decimal("80"), "%"),
        ("到 2025 年", 2025, Decimal("3"), "%"),
        ("2030 年前", 2030, None, ""),
        ("2030 年前", 2030, Decimal("90"), "%"),
    ]


def test_a_baseline_in_a_seed_task_does_not_become_a_deadline():
    targets = [(t.year, t.value, t.unit) for t in task(seed("000"), "3.2.2").targets]
    assert targets == [(2025, Decimal("15"), "%")]


def test_the_duty_clause_is_not_read_for_targets():
    for t in seed("004").tasks:
        for target in t.targets:
            assert "按职责分工负责" not in target.text

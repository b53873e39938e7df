"""003's appendix tables, flattened to tab-led lines: 附件1 重点事项清单 and 附件2 重点项目清单."""

from __future__ import annotations

from decimal import Decimal

from plans.parsing import WarningCode
from plans.parsing.tables import parse_amount, parse_years, read_rows

from .support import COOP, JOINT, LEAD, parse_text, plan_text, seed, task


def _rows():
    return seed("003").appendix_rows


def _goal_rows():
    return [r for r in _rows() if r.task_ref and r.task_ref.startswith("附件1.目标")]


def test_appendix_1_gives_38_rows_six_goals_and_32_tasks():
    rows = _rows()
    assert len(rows) == 38
    assert len(_goal_rows()) == 6
    assert len([r for r in rows if r.section]) == 32
    assert {r.appendix for r in rows} == {"附件1"}


def test_goal_rows_keep_their_own_text_and_units():
    goals = _goal_rows()
    assert [g.number for g in goals] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    third = goals[2]
    assert third.title == "2025年森林覆盖率和蓄积量指标"
    assert third.text == "森林覆盖率1稳定在15.38%左右，森林蓄积量达51万立方米。"
    assert [(u.name, u.role) for u in third.units] == [("区农业农村局", LEAD), ("市自然资源和规划局开福区分局", COOP)]
    assert {g.group for g in goals} == {"一、总体目标"}


def test_goal_rows_also_appear_as_goal_tasks_with_their_targets():
    goals = [t for t in seed("003").tasks if t.is_goal]
    assert [t.ref for t in goals] == [f"附件1.目标.{n}" for n in range(1, 7)]
    figures = [(t.year, t.value, t.unit) for t in goals[2].targets if t.value is not None]
    assert figures == [(2025, Decimal("15.38"), "%"), (2025, Decimal("51"), "万立方米")]
    assert all(t.clause is None for t in goals)


def test_task_rows_point_at_the_body_task_they_repeat():
    plan = seed("003")
    task_rows = [r for r in _rows() if r.section]
    assert all(r.group == "二、重点任务" for r in task_rows)
    body_refs = [t.ref for t in plan.tasks if t.clause is not None]
    assert [r.task_ref for r in task_rows] == body_refs


def test_the_section_heading_glued_to_a_first_row_names_the_section_of_the_rows_below():
    rows = [r for r in _rows() if r.section]
    assert (rows[0].section, rows[0].number, rows[0].title) == (
        "（一）推动产业绿色低碳发展",
        "1",
        "培育绿色低碳新兴产业",
    )
    assert rows[1].section == "（一）推动产业绿色低碳发展"
    assert rows[3].section == "（二）构建低碳安全高效的能源体系"


def test_a_slash_in_the_lead_column_means_no_lead():
    row = next(r for r in _rows() if r.title == "培育绿色低碳新兴产业")
    assert row.lead_text == "/"
    assert {u.role for u in row.units} == {JOINT}
    assert row.units[0].name == "马栏山(长沙)视频文创管理委员会"


def test_a_stated_lead_in_the_table_leads_and_the_rest_cooperate():
    row = next(r for r in _rows() if r.title == "推动制造业绿色高质量发展")
    assert [(u.name, u.role) for u in row.units][:2] == [
        ("区工业和信息化局", LEAD),
        ("马栏山（长沙）视频文创园管理委员会", COOP),
    ]


def test_table_and_body_disagreeing_on_a_title_keeps_both_readings_visible():
    plan = seed("003")
    row = next(r for r in _rows() if r.title == "推动产业园区循环发展")
    assert task(plan, row.task_ref).title == "推进产业园区循环发展"
    warnings = [w for w in plan.warnings if w.code is WarningCode.TABLE_DISAGREEMENT]
    assert [w.line for w in warnings] == [281]
    assert "推动产业园区循环发展" in warnings[0].message and "推进产业园区循环发展" in warnings[0].message


def test_appendix_2_gives_20_projects_numbered_in_order():
    projects = seed("003").projects
    assert [p.number for p in projects] == list(range(1, 21))


def test_a_category_written_once_carries_down_its_group():
    categories = [p.category for p in seed("003").projects]
    assert categories == (
        ["环境保护工程", "资源循环利用工程"]
        + ["重点行业绿色提升工程"] * 7
        + ["新能源建设工程"] * 2
        + ["城市居民生活降碳工程"] * 4
        + ["基础设施提质工程"] * 5
    )


def test_row_16_finds_its_category_written_below_blank_lines():
    project = seed("003").projects[15]
    assert (project.number, project.category) == (16, "基础设施提质工程")
    assert project.unit == "市水业集团（长沙供水有限公司）"
    assert project.name == "新河水厂提标改造工程"
    assert (project.start_year, project.end_year, project.investment) == (2023, 2024, Decimal("32698"))


def test_project_cells_keep_their_columns():
    first = seed("003").projects[0]
    assert first.unit == "区农业农村局"
    assert first.name == "捞刀河流域开福区段生态环境修复工程"
    assert first.content.startswith("对楚家湖进行清淤")
    assert (first.start_year, first.end_year, first.investment, first.line) == (2023, 2024, Decimal("7214"), 327)


def test_a_dash_investment_is_unknown_not_zero():
    project = seed("003").projects[14]
    assert project.name == "2023年绿色完整居住社区创建"
    assert project.investment is None
    assert (project.start_year, project.end_year) == (2023, 2026)


def test_years_written_with_an_em_dash_give_start_and_end():
    project = seed("003").projects[9]
    assert project.name == "加油气站（特许经营权项目）"
    assert (project.start_year, project.end_year) == (2021, 2023)


def test_an_empty_content_cell_stays_empty():
    project = seed("003").projects[12]
    assert (project.name, project.content) == ("建湘新村城市更新单元（旧城改建）项目", "")


def test_table_cells_never_become_body_tasks():
    for t in seed("003").tasks:
        assert "\t" not in t.body and "\t" not in t.title


def test_read_rows_groups_tab_cells_into_rows_and_drops_all_empty_rows():
    lines = list(enumerate(["\t序号", "\t名称", "", "\t1", "\t甲", "", "\t", "\t", "", "注：说明"], start=1))
    rows, notes = read_rows(lines)
    assert [(r.cells, r.line) for r in rows] == [(["序号", "名称"], 1), (["1", "甲"], 4)]
    assert notes == [(10, "注：说明")]


def test_parse_years_and_parse_amount_read_table_cells():
    assert parse_years("2021—2023") == (2021, 2023)
    assert parse_years("2023-2024") == (2023, 2024)
    assert parse_years("2024") == (2024, 2024)
    assert parse_years("——") == (None, None)
    assert parse_amount("32,698") == Decimal("32698")
    assert parse_amount("——") is None
    assert parse_amount("") is None


def test_a_synthetic_project_table_is_read_by_header_names():
    text = plan_text(
        "一、重点任务",
        "（一）能源转型",
        "1.推进光伏。推进光伏建设。（市发改委负责）",
        "附件2 重点项目清单",
        "\t项目名称",
        "\t序号",
        "\t起止年限",
        "\t项目总投资（万元）",
        "\t类别",
        "",
        "\t甲光伏项目",
        "\t1",
        "\t2024—2025",
        "\t1,200",
        "\t新能源",
        "",
        "\t乙储能项目",
        "\t2",
        "\t2025",
        "\t——",
        "\t",
    )
    plan = parse_text(text)
    assert [(p.number, p.name, p.category, p.start_year, p.end_year, p.investment) for p in plan.projects] == [
        (1, "甲光伏项目", "新能源", 2024, 2025, Decimal("1200")),
        (2, "乙储能项目", "新能源", 2025, 2025, None),
    ]


# --- A 分工表 that holds the plan's duties ------------------------------------------------------------------------


def _table(*rows: list[str]) -> list[str]:
    """A table flattened as a Word export writes it: a cell per tab-led line, a blank line between rows."""
    lines: list[str] = []
    for row in rows:
        lines += [f"\t{cell}" for cell in row] + [""]
    return lines


DIVISION_BODY = [
    "一、总体要求",
    "坚持绿色发展。",
    "二、重点任务",
    "（一）能源转型",
    "1.推进光伏。推进光伏建设。",
    "2.控制煤炭。压减燃煤消费。",
    "附件1",
    "重点任务分工表",
]


def test_a_plan_whose_duties_are_only_in_its_division_table_takes_them_from_the_table():
    plan = parse_text(
        plan_text(
            *DIVISION_BODY,
            *_table(
                ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
                ["1", "推进光伏。推进光伏建设。", "县发改局", "县住建局、县自然资源局", "2025年"],
                ["2", "发展储能。建设储能电站。", "县发改局", "/", "2026年"],
            ),
            title="某县碳达峰实施方案",
        )
    )
    refs = {t.ref: t for t in plan.tasks}
    assert [(u.name, u.role) for u in refs["2.1.1"].clause.units] == [
        ("县发改局", LEAD),
        ("县住建局", COOP),
        ("县自然资源局", COOP),
    ]
    assert refs["2.1.1"].clause.text == "牵头单位：县发改局；配合单位：县住建局、县自然资源局"
    assert refs["2.1.2"].clause is None  # the table does not list it
    added = refs["附件1.1"]
    assert (added.number, added.title, added.line) == ("2", "发展储能", 22)
    assert [(u.name, u.role) for u in added.clause.units] == [("县发改局", LEAD)]
    assert plan.outline[added.outline_index].title == "重点任务分工表"


def test_responsible_and_guiding_columns_without_a_lead_are_joint_and_group_rows_make_sections():
    plan = parse_text(
        plan_text(
            "一、总体要求",
            "坚持绿色发展。",
            "附件",
            *_table(
                ["序号", "工作任务", "指导部门", "责任单位"],
                ["一、能源领域"],
                ["1", "推进光伏建设，扩大装机规模", "县发改局", "各乡镇人民政府，县供电公司"],
            ),
            title="某县碳达峰实施方案",
        )
    )
    [found] = plan.tasks
    assert found.title == "推进光伏建设，扩大装机规模"
    assert [(u.name, u.role) for u in found.clause.units] == [
        ("各乡镇人民政府", JOINT),
        ("县供电公司", JOINT),
        ("县发改局", JOINT),
    ]
    assert plan.outline[found.outline_index].title == "一、能源领域"


def test_a_division_table_beside_a_body_with_clauses_only_repeats_the_body():
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.推进光伏。推进光伏建设。（县发改局负责）",
            "附件1",
            *_table(["重点任务", "牵头单位", "责任单位"], ["1.推进光伏", "县发改局", "县住建局"]),
            title="某县碳达峰实施方案",
        )
    )
    assert [t.ref for t in plan.tasks] == ["1.1.1"]
    assert [(u.name, u.role) for u in plan.tasks[0].clause.units] == [("县发改局", JOINT)]
    assert [(r.task_ref, r.units_text) for r in plan.appendix_rows] == [("1.1.1", "县住建局")]

"""Clause forms beyond 牵头/按职责分工负责: other verbs, unit lines, lists split by structure, and remarks."""

from __future__ import annotations

import pytest

from plans.parsing.clauses import is_duty_clause, parse_clause
from plans.parsing.units import read_units

from .support import COOP, JOINT, LEAD, one_task_plan, parse_text, task, units

# --- Roles written with other verbs ---------------------------------------------------------------------------------

ROLE_FORMS = {
    "lead then cooperate with a dun": ("市发改委牵头、市工信局配合", [("市发改委", LEAD), ("市工信局", COOP)]),
    "responsible then cooperating": (
        "市发改委负责，市工信局、市财政局配合",
        [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)],
    ),
    "several responsible then cooperating": (
        "市发改委、市能源局负责，各县级政府配合",
        [("市发改委", LEAD), ("市能源局", LEAD), ("各县级政府", COOP)],
    ),
    "guide then take part": ("生态环境部指导，供销合作总社参与", [("生态环境部", LEAD), ("供销合作总社", COOP)]),
    "lead then take part": (
        "生态环境部牵头，国家统计局、商务部参与",
        [("生态环境部", LEAD), ("国家统计局", COOP), ("商务部", COOP)],
    ),
    "guide alone names no lead": ("财政部、税务总局指导", [("财政部", JOINT), ("税务总局", JOINT)]),
    "guide and carry out name no lead": (
        "生态环境部指导，试点城市政府负责落实",
        [("生态环境部", JOINT), ("试点城市政府", JOINT)],
    ),
    "assist": ("市发改委负责，市统计局协助", [("市发改委", LEAD), ("市统计局", COOP)]),
    "share the work": ("市发改委、市工信局分工负责", [("市发改委", JOINT), ("市工信局", JOINT)]),
    "each by its functions": ("市发改委、市工信局按职能分别负责", [("市发改委", JOINT), ("市工信局", JOINT)]),
    "deng bu men pei he": (
        "各县级政府负责，市住建局、市自然资源局等部门配合",
        [("各县级政府", LEAD), ("市住建局", COOP), ("市自然资源局", COOP)],
    ),
    "lead label then responsible label": (
        "牵头单位：市科创局；责任单位：市发改委、市财政局，相关区人民政府",
        [("市科创局", LEAD), ("市发改委", COOP), ("市财政局", COOP), ("相关区人民政府", COOP)],
    ),
    "main responsible label": (
        "主责单位：市发改委，市工信局，市财政局",
        [("市发改委", JOINT), ("市工信局", JOINT), ("市财政局", JOINT)],
    ),
    "taking part label": ("牵头单位：市发改委；参与单位：市工信局", [("市发改委", LEAD), ("市工信局", COOP)]),
    "lead label lists only leads": ("牵头单位：区科技局、区委组织部", [("区科技局", LEAD), ("区委组织部", LEAD)]),
    "lead marked after the unit": (
        "责任单位：市发改委（牵头）、市工信局、市财政局",
        [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)],
    ),
}


@pytest.mark.parametrize("form", ROLE_FORMS)
def test_each_verb_form_gives_its_roles_as_written(form):
    inner, expected = ROLE_FORMS[form]
    assert is_duty_clause(inner)
    assert units(parse_clause(inner, 1)) == expected


@pytest.mark.parametrize("form", ROLE_FORMS)
def test_each_verb_form_closes_a_task_inside_a_plan(form):
    inner, expected = ROLE_FORMS[form]
    [found] = parse_text(one_task_plan(f"1.推进光伏。推进光伏建设。（{inner}）")).tasks
    assert units(found.clause) == expected


# --- Lists split by structure ---------------------------------------------------------------------------------------


def test_he_joins_the_last_unit_to_a_list_but_stays_inside_names():
    assert [n for n, _ in read_units("交通运输部、海关总署和各地方人民政府")] == [
        "交通运输部",
        "海关总署",
        "各地方人民政府",
    ]
    assert [n for n, _ in read_units("工业和信息化部、文化和旅游部")] == ["工业和信息化部", "文化和旅游部"]


def test_ji_joins_a_group_to_a_list():
    assert [n for n, _ in read_units("省住建厅、省民政厅及其他相关部门")] == ["省住建厅", "省民政厅", "其他相关部门"]


def test_a_level_written_alone_joins_the_next_item_into_one_collective():
    assert [n for n, _ in read_units("各市、县级政府")] == ["各市、县级政府"]
    assert [n for n, _ in read_units("各市州、县市区人民政府、市发改委")] == ["各市州、县市区人民政府", "市发改委"]
    # A generic noun that names no government stays a unit of its own.
    assert [n for n, _ in read_units("各县市区、园区")] == ["各县市区", "园区"]


def test_a_bare_level_after_a_collective_of_governments_is_part_of_it():
    # 县级市 alone names no body: 各区、县级市 is every district and county-level city (set P).
    assert [n for n, _ in read_units("市人社局、各区、县级市")] == ["市人社局", "各区、县级市"]
    assert [n for n, _ in read_units("各有关区、县级市、市科协")] == ["各有关区、县级市", "市科协"]
    # A district named with its bureau is a unit of its own.
    assert [n for n, _ in read_units("各区、区财政局")] == ["各区", "区财政局"]


def test_a_bureaus_divisions_as_a_group_are_a_unit():
    plan = parse_text(one_task_plan("1.强化长效治本措施。（食品相关处室按职责分工负责）"))
    assert units(task(plan, "1.1.1").clause) == [("食品相关处室", JOINT)]


def test_a_dun_inside_angle_or_round_brackets_does_not_split_the_list():
    found = read_units("市财政局、相关区人民政府〈含开发区、长江新区管委会，下同〉、有关州（市、县）人民政府")
    assert [written for _, written in found] == [
        "市财政局",
        "相关区人民政府〈含开发区、长江新区管委会，下同〉",
        "有关州（市、县）人民政府",
    ]


def test_a_bracket_that_explains_a_unit_stays_in_the_written_name_but_not_in_the_name_resolved():
    [(name, written)] = read_units("相关区人民政府〈含开发区、长江新区管委会，下同〉")
    assert (name, written) == ("相关区人民政府", "相关区人民政府〈含开发区、长江新区管委会，下同〉")


def test_deng_closes_the_list_even_when_a_category_follows_it():
    assert [n for n, _ in read_units("区科技局、区投资促进局等各产业、招商主管部门")] == ["区科技局", "区投资促进局"]


def test_a_comma_inside_a_labelled_list_separates_groups_of_units():
    clause = parse_clause("责任部门：区生态环境局、区法院，各街镇，苏河水岸办、城市副中心等", 1)
    assert units(clause) == [
        ("区生态环境局", JOINT),
        ("区法院", JOINT),
        ("各街镇", JOINT),
        ("苏河水岸办", JOINT),
        ("城市副中心", JOINT),
    ]


def test_units_inside_square_brackets_are_a_clause():
    [found] = parse_text(
        one_task_plan("1.推进物流。建设通道。〔省交通运输厅、省发展改革委，有关州（市）人民政府〕")
    ).tasks
    assert units(found.clause) == [
        ("省交通运输厅", JOINT),
        ("省发展改革委", JOINT),
        ("有关州（市）人民政府", JOINT),
    ]


def test_a_second_bracket_right_after_a_clause_is_its_note_and_may_be_a_blanket():
    plan = parse_text(
        one_task_plan(
            "1.甲任务。推进甲。〔省交通运输厅、有关州（市）人民政府〕〔以下分工均涉及有关州（市）人民政府，不再列出〕",
            "2.乙任务。推进乙。（省发展改革委）",
        )
    )
    first, second = plan.tasks
    assert units(first.clause) == [("省交通运输厅", JOINT), ("有关州（市）人民政府", JOINT)]
    assert first.clause.note == "以下分工均涉及有关州（市）人民政府，不再列出"
    assert [u.name for u in second.note_units] == ["有关州（市）人民政府"]


@pytest.mark.parametrize(
    ("note", "group"),
    [
        ("以下均需试点城市政府落实，不再列出", "试点城市政府"),
        ("以下均需各市州、县市区人民政府落实,不再列出", "各市州、县市区人民政府"),
        ("以下分工均涉及有关州（市）人民政府，不再列出", "有关州（市）人民政府"),
    ],
)
def test_a_blanket_for_the_tasks_below_names_its_group_once(note, group):
    plan = parse_text(one_task_plan(f"1.甲。推进甲。（市发改委负责。{note}）", "2.乙。推进乙。（市财政局负责）"))
    assert [u.as_written for u in plan.tasks[0].clause.blanket_units] == [group]
    assert [u.as_written for u in plan.tasks[1].note_units] == [group]
    assert units(plan.tasks[0].clause) == [("市发改委", JOINT)]


def test_a_blanket_group_the_clause_already_names_with_ge_is_not_added_twice():
    plan = parse_text(
        one_task_plan("1.甲。推进甲。（海关总署和各地方人民政府按职责分工负责。以下均需地方人民政府负责，不再列出）")
    )
    assert plan.tasks[0].note_units == []


def test_the_prefix_of_the_first_unit_is_not_carried_to_a_unit_that_names_its_own_place():
    [found] = parse_text(
        one_task_plan("1.推进治污。推进治理。（区发展和改革局牵头，湘潭市生态环境局、财政局按职责分工负责）")
    ).tasks
    assert [u.name for u in found.clause.units] == ["区发展和改革局", "湘潭市生态环境局", "区财政局"]


@pytest.mark.parametrize("unit", ["山西银监局", "团区委", "太原铁路局"])
def test_a_unit_that_says_where_it_is_takes_no_carried_prefix(unit):
    [found] = parse_text(one_task_plan(f"1.推进。推进。（省发改委、{unit}、财政厅）")).tasks
    assert [u.name for u in found.clause.units] == ["省发改委", unit, "省财政厅"]


@pytest.mark.parametrize(
    ("inner", "expected", "note"),
    [
        ("责任单位：市发改委；完成时限：2025年底", [("市发改委", JOINT)], "完成时限：2025年底"),
        ("市发改委负责，2025年底前完成", [("市发改委", JOINT)], "2025年底前完成"),
        ("牵头单位：市发改委　配合单位：市工信局", [("市发改委", LEAD), ("市工信局", COOP)], ""),
    ],
    ids=["another-field", "deadline", "labels-apart-by-a-space"],
)
def test_fields_and_deadlines_beside_the_units_are_kept_as_notes_not_units(inner, expected, note):
    clause = parse_clause(inner, 1)
    assert (units(clause), clause.note) == (expected, note)

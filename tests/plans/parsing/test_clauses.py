"""Duty clauses in every form the plans write them, read directly and inside small plans."""

from __future__ import annotations

import pytest

from plans.parsing import WarningCode
from plans.parsing.brackets import trailing_parenthetical
from plans.parsing.clauses import carry_prefix, is_duty_clause, parse_clause

from .support import COOP, JOINT, LEAD, codes, one_task_plan, parse_text, units

# --- parse_clause: one clause, as written inside its brackets -------------------------


def test_lead_units_are_the_ones_before_qian_tou():
    clause = parse_clause("区发展和改革局牵头，生态环境石峰分局、区住房和城乡建设局按职责分工负责", 7)
    assert units(clause) == [("区发展和改革局", LEAD), ("生态环境石峰分局", COOP), ("区住房和城乡建设局", COOP)]
    assert clause.line == 7
    assert clause.has_stated_lead


def test_half_width_commas_separate_leads_from_cooperating_units():
    clause = parse_clause("市发展改革委牵头,市生态环境局、各县市区人民政府、各园区管委会按职责分工负责", 1)
    assert units(clause) == [
        ("市发展改革委", LEAD),
        ("市生态环境局", COOP),
        ("各县市区人民政府", COOP),
        ("各园区管委会", COOP),
    ]


def test_several_units_can_lead_together():
    clause = parse_clause(
        "区发展和改革局、区科技和工业信息化局牵头，高新区田心片区管委会、经开区管委会按职责分工负责", 1
    )
    assert units(clause) == [
        ("区发展和改革局", LEAD),
        ("区科技和工业信息化局", LEAD),
        ("高新区田心片区管委会", COOP),
        ("经开区管委会", COOP),
    ]


def test_a_trailing_deng_ends_the_list_and_is_not_a_unit():
    clause = parse_clause("区工业和信息化局牵头，长沙金霞经济开发区管理委员会、区发展和改革局等按照职能分工负责", 1)
    assert units(clause) == [
        ("区工业和信息化局", LEAD),
        ("长沙金霞经济开发区管理委员会", COOP),
        ("区发展和改革局", COOP),
    ]


@pytest.mark.parametrize("tail", ["等单位按职责分工负责", "等部门按职责分工负责", "等按职责分工落实"])
def test_deng_with_a_noun_or_another_verb_still_ends_the_list(tail):
    clause = parse_clause(f"市发改委牵头，市工信局、市财政局{tail}", 1)
    assert units(clause) == [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)]


def test_without_qian_tou_the_listed_units_are_jointly_responsible():
    clause = parse_clause("区发展和改革局、区自然资源局、鹤城生态环境分局按职责分工负责", 1)
    assert units(clause) == [("区发展和改革局", JOINT), ("区自然资源局", JOINT), ("鹤城生态环境分局", JOINT)]
    assert not clause.has_stated_lead


def test_a_single_unit_that_is_responsible_is_joint_not_lead():
    assert units(parse_clause("韶山市人民政府负责", 1)) == [("韶山市人民政府", JOINT)]


def test_qian_tou_fu_ze_makes_a_lead():
    assert units(parse_clause("市发改委牵头负责", 1)) == [("市发改委", LEAD)]


@pytest.mark.parametrize("label", ["责任单位", "主要责任单位", "责任部门"])
def test_a_responsible_units_label_lists_joint_units(label):
    for colon in "：:":
        clause = parse_clause(f"{label}{colon}市发改委、市工信局", 1)
        assert units(clause) == [("市发改委", JOINT), ("市工信局", JOINT)]


@pytest.mark.parametrize("separator", ["，", "；", ",", ";"])
def test_lead_and_cooperating_labels_give_their_roles(separator):
    clause = parse_clause(f"牵头单位：市发改委{separator}配合单位：市工信局、市财政局", 1)
    assert units(clause) == [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)]


def test_a_bare_list_of_units_is_a_joint_clause():
    text = "市发改委、市工信局"
    assert is_duty_clause(text)
    assert units(parse_clause(text, 1)) == [("市发改委", JOINT), ("市工信局", JOINT)]


def test_fu_ze_then_pei_he_tells_the_responsible_unit_from_the_helpers():
    clause = parse_clause("市发改委负责，市工信局配合", 1)
    assert units(clause) == [("市发改委", LEAD), ("市工信局", COOP)]


def test_you_before_the_lead_is_not_part_of_its_name():
    clause = parse_clause("由市发改委牵头，市工信局按职责分工负责", 1)
    assert units(clause) == [("市发改委", LEAD), ("市工信局", COOP)]


@pytest.mark.parametrize(
    "ending",
    [
        "按职责分工负责",
        "按职责分工落实",
        "按职责分工抓好落实",
        "依职责负责",
        "按职能职责分工负责",
        "分别负责",
        "负责落实",
    ],
)
def test_the_closing_verb_phrase_never_sticks_to_the_last_unit(ending):
    inner = f"市发改委、市工信局{ending}"
    assert is_duty_clause(inner)
    assert units(parse_clause(inner, 1)) == [("市发改委", JOINT), ("市工信局", JOINT)]


def test_deng_xiang_guan_bu_men_pei_he_closes_the_cooperating_list():
    clause = parse_clause("市发改委牵头，市工信局等相关部门配合", 1)
    assert units(clause) == [("市发改委", LEAD), ("市工信局", COOP)]


def test_hui_tong_makes_the_unit_before_it_lead_the_units_after_it():
    assert units(parse_clause("市发改委会同市工信局、市财政局负责", 1)) == [
        ("市发改委", LEAD),
        ("市工信局", COOP),
        ("市财政局", COOP),
    ]
    assert is_duty_clause("由市发改委会同市工信局负责")


def test_parentheses_inside_unit_names_stay_in_the_name():
    clause = parse_clause("马栏山(长沙)视频文创管理委员会、区发展和改革局等按照职能分工负责", 1)
    assert units(clause) == [("马栏山(长沙)视频文创管理委员会", JOINT), ("区发展和改革局", JOINT)]


def test_ge_distributes_over_a_generic_noun_after_it():
    clause = parse_clause("区发展和改革局、各街道、社区（村）等按照职能分工负责", 1)
    assert [(u.name, u.as_written) for u in clause.units] == [
        ("区发展和改革局", "区发展和改革局"),
        ("各街道", "各街道"),
        ("各社区（村）", "社区（村）"),
    ]


def test_a_note_after_the_full_stop_is_kept_apart_from_the_units():
    clause = parse_clause("市发改委负责。各县市区参照执行", 1)
    assert units(clause) == [("市发改委", JOINT)]
    assert clause.note == "各县市区参照执行"
    assert clause.blanket_units == []


def test_a_blanket_note_names_units_for_this_and_later_tasks():
    clause = parse_clause(
        "市发改委、市工信局、市生态环境局按职责分工负责。本项及以下各项工作均需各县市区、园区落实地方主体责任，不再逐项列出",
        1,
    )
    assert units(clause) == [("市发改委", JOINT), ("市工信局", JOINT), ("市生态环境局", JOINT)]
    assert [(u.name, u.as_written) for u in clause.blanket_units] == [("各县市区", "各县市区"), ("各园区", "园区")]


def test_a_unit_written_twice_is_listed_once():
    clause = parse_clause("市发改委牵头，市发改委、市工信局按职责分工负责", 1)
    assert units(clause) == [("市发改委", LEAD), ("市工信局", COOP)]


@pytest.mark.parametrize("inner", ["2023—2025年", "试点", "市、区", "B型", "含回收网点和中转站", "2019年本", "无"])
def test_brackets_that_assign_nobody_are_not_duty_clauses(inner):
    assert not is_duty_clause(inner)


def test_trailing_parenthetical_matches_nested_and_mixed_brackets():
    text = "推进视频文创。（马栏山(长沙)视频文创管理委员会、各街道、社区（村）按职责分工负责）。"
    start, inner = trailing_parenthetical(text)
    assert text[start] == "（"
    assert inner == "马栏山(长沙)视频文创管理委员会、各街道、社区（村）按职责分工负责"
    assert trailing_parenthetical("没有括号的句子。") is None


# --- clauses inside plans ----------------------------------------------------------------


def _only_clause(text, **kwargs):
    plan = parse_text(text, **kwargs)
    [found] = plan.tasks
    return plan, found


def test_a_full_width_clause_closes_a_task_paragraph():
    plan, found = _only_clause(
        one_task_plan("1.推进光伏。推进光伏建设。（市发改委牵头，市住建局、市财政局按职责分工负责）")
    )
    assert units(found.clause) == [("市发改委", LEAD), ("市住建局", COOP), ("市财政局", COOP)]
    assert found.clause.line == 4
    assert found.body.startswith("推进光伏建设。")


def test_a_half_width_clause_closes_a_task_paragraph():
    _, found = _only_clause(
        one_task_plan("1.推进光伏。推进光伏建设。(市发展改革委牵头,市生态环境局、各县市区人民政府按职责分工负责)")
    )
    assert units(found.clause) == [("市发展改革委", LEAD), ("市生态环境局", COOP), ("各县市区人民政府", COOP)]


def test_a_clause_may_end_with_a_full_stop_after_the_bracket():
    _, found = _only_clause(one_task_plan("1.推进光伏。推进光伏建设。（市发改委负责）。"))
    assert units(found.clause) == [("市发改委", JOINT)]


def test_a_lower_government_can_be_the_only_unit():
    _, found = _only_clause(one_task_plan("1.建设低碳景区。推进景区近零碳建设。（韶山市人民政府负责）"))
    assert units(found.clause) == [("韶山市人民政府", JOINT)]


def test_a_bare_unit_list_in_brackets_closes_a_task():
    _, found = _only_clause(one_task_plan("1.推进光伏。推进光伏建设。（市发改委、市工信局）"))
    assert units(found.clause) == [("市发改委", JOINT), ("市工信局", JOINT)]


def test_shi_written_only_on_the_first_unit_is_carried_to_the_bare_bureaus():
    plan, found = _only_clause(
        one_task_plan("1.推进氢能。推进氢能产业。（市发改委、工信局、生态环境局按职责分工负责）")
    )
    assert [(u.name, u.as_written, u.role) for u in found.clause.units] == [
        ("市发改委", "市发改委", JOINT),
        ("市工信局", "工信局", JOINT),
        ("市生态环境局", "生态环境局", JOINT),
    ]
    carried = [w for w in plan.warnings if w.code is WarningCode.PREFIX_CARRIED]
    assert [w.line for w in carried] == [4, 4]
    assert "市工信局" in carried[0].message


def test_no_prefix_is_carried_when_other_units_write_their_own():
    plan, found = _only_clause(
        one_task_plan("1.推进氢能。推进氢能产业。（区发改局、区工信局、鹤城生态环境分局按职责分工负责）")
    )
    assert [u.name for u in found.clause.units] == ["区发改局", "区工信局", "鹤城生态环境分局"]
    assert WarningCode.PREFIX_CARRIED not in codes(plan)


def test_a_note_after_the_full_stop_inside_the_clause_is_kept():
    _, found = _only_clause(one_task_plan("1.推进光伏。推进光伏建设。（市发改委负责。各县市区参照执行）"))
    assert units(found.clause) == [("市发改委", JOINT)]
    assert found.clause.note == "各县市区参照执行"
    assert found.note_units == []


def test_a_blanket_note_applies_to_its_own_task_and_every_later_task_only():
    text = one_task_plan(
        "1.甲任务。推进甲。（市财政局负责）",
        "2.乙任务。推进乙。（市发改委、市工信局按职责分工负责。本项及以下各项工作均需各县市区、园区落实地方主体责任）",
        "3.丙任务。推进丙。（市发改委牵头，各县市区按职责分工负责）",
        "4.丁任务。推进丁。",
    )
    plan = parse_text(text)
    first, second, third, fourth = plan.tasks
    assert first.note_units == [] and first.note_source_line is None
    assert [(u.name, u.role) for u in second.note_units] == [("各县市区", JOINT), ("各园区", JOINT)]
    # 各县市区 is already written in the third clause; the note adds only what is missing, cooperating with the lead.
    assert [(u.name, u.role) for u in third.note_units] == [("各园区", COOP)]
    assert [(u.name, u.role) for u in fourth.note_units] == [("各县市区", JOINT), ("各园区", JOINT)]
    assert {second.note_source_line, third.note_source_line, fourth.note_source_line} == {5}
    assert codes(plan).count(WarningCode.BLANKET_NOTE) == 1


def test_a_heading_that_ends_in_brackets_is_not_a_duty_clause():
    text = (
        "一、重点任务\n（三）整县（市、区）屋顶分布式光伏试点工程\n"
        "推进整县屋顶分布式光伏开发。（市发改委、市财政局按职责分工负责）"
    )
    plan = parse_text("某市碳达峰实施方案\n" + text)
    [found] = plan.tasks
    assert found.is_section
    assert found.title == "整县（市、区）屋顶分布式光伏试点工程"
    assert units(found.clause) == [("市发改委", JOINT), ("市财政局", JOINT)]
    assert found.clause.line == 4


def test_an_inline_heading_that_ends_in_brackets_keeps_its_brackets_in_the_title():
    _, found = _only_clause(
        one_task_plan("1.推进屋顶光伏开发（试点）。积极推进屋顶光伏开发。（市发改委牵头，市住建局按职责分工负责）")
    )
    assert found.title == "推进屋顶光伏开发（试点）"
    assert units(found.clause) == [("市发改委", LEAD), ("市住建局", COOP)]


def test_a_heading_on_its_own_line_that_ends_in_brackets_keeps_its_title():
    plan = parse_text(
        "某市碳达峰实施方案\n一、重点任务\n（一）推进碳普惠（试点）\n"
        "1.建设碳账户。建设碳账户体系。（市发改委牵头，市生态环境局按职责分工负责）\n"
    )
    assert [n.title for n in plan.outline] == ["重点任务", "推进碳普惠（试点）"]
    [found] = plan.tasks
    assert (found.title, found.outline_index) == ("建设碳账户", 1)


def test_a_task_body_ending_in_a_span_of_years_has_no_clause():
    _, found = _only_clause(one_task_plan("1.推进储能。积极推进储能项目建设（2023—2025年）"))
    assert found.clause is None
    assert found.body.endswith("（2023—2025年）")


def test_a_body_ending_in_a_parenthetical_remark_has_no_clause():
    _, found = _only_clause(one_task_plan("1.推进物流。激活保税物流中心（B型）"))
    assert found.clause is None


def test_only_the_closing_parenthetical_is_read_not_brackets_mid_body():
    _, found = _only_clause(
        one_task_plan("1.推进光伏。推进整县（市、区）屋顶光伏（含公共机构）建设，成效明显。（市发改委负责）")
    )
    assert units(found.clause) == [("市发改委", JOINT)]


def test_a_clause_on_the_last_body_line_of_a_multiline_task_is_read():
    _, found = _only_clause(
        one_task_plan(
            "1.培育新兴产业",
            "聚焦新一代信息技术。",
            "加快文创旅游产业的发展。（区工信局牵头，区发改局等按照职能分工负责）",
        )
    )
    assert found.title == "培育新兴产业"
    assert units(found.clause) == [("区工信局", LEAD), ("区发改局", COOP)]
    assert (found.line, found.clause.line) == (4, 6)


# Every clause form, closing a task inside a small plan: (clause as written, units with roles).
CLAUSE_FORMS = {
    "lead then cooperating": (
        "（市发改委牵头，市工信局、市财政局按职责分工负责）",
        [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)],
    ),
    "half-width brackets and commas": (
        "(市发改委牵头,市工信局、市财政局按职责分工负责)",
        [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)],
    ),
    "two leads": (
        "（市发改委、市工信局牵头，市财政局按职责分工负责）",
        [("市发改委", LEAD), ("市工信局", LEAD), ("市财政局", COOP)],
    ),
    "trailing deng": (
        "（市发改委牵头，市工信局、市财政局等按照职能分工负责）",
        [("市发改委", LEAD), ("市工信局", COOP), ("市财政局", COOP)],
    ),
    "joint": ("（市发改委、市工信局按职责分工负责）", [("市发改委", JOINT), ("市工信局", JOINT)]),
    "lower government": ("（韶山市人民政府负责）", [("韶山市人民政府", JOINT)]),
    "responsible units label": ("（责任单位：市发改委、市工信局）", [("市发改委", JOINT), ("市工信局", JOINT)]),
    "main responsible units label": (
        "（主要责任单位：市发改委、市工信局）",
        [("市发改委", JOINT), ("市工信局", JOINT)],
    ),
    "lead and cooperating labels with a comma": (
        "（牵头单位：市发改委，配合单位：市工信局）",
        [("市发改委", LEAD), ("市工信局", COOP)],
    ),
    "lead and cooperating labels with a semicolon": (
        "（牵头单位：市发改委；配合单位：市工信局）",
        [("市发改委", LEAD), ("市工信局", COOP)],
    ),
    "bare unit list": ("（市发改委、市工信局）", [("市发改委", JOINT), ("市工信局", JOINT)]),
    "qian tou fu ze": ("（市发改委牵头负责）", [("市发改委", LEAD)]),
    "shi on the first unit only": (
        "（市发改委、工信局、生态环境局按职责分工负责）",
        [("市发改委", JOINT), ("市工信局", JOINT), ("市生态环境局", JOINT)],
    ),
    "brackets inside a unit name": (
        "（马栏山(长沙)视频文创管理委员会、区发改局等按照职能分工负责）",
        [("马栏山(长沙)视频文创管理委员会", JOINT), ("区发改局", JOINT)],
    ),
    "ge over a village in brackets": (
        "（区发改局、各街道、社区（村）等按照职能分工负责）",
        [("区发改局", JOINT), ("各街道", JOINT), ("各社区（村）", JOINT)],
    ),
    "note after the full stop": (
        "（市发改委、市工信局按职责分工负责。各县市区参照执行）",
        [("市发改委", JOINT), ("市工信局", JOINT)],
    ),
}


@pytest.mark.parametrize("form", CLAUSE_FORMS)
def test_each_clause_form_closing_a_task_in_a_plan_gives_its_units_and_roles(form):
    written, expected = CLAUSE_FORMS[form]
    plan = parse_text(one_task_plan(f"1.推进光伏。推进光伏建设。{written}"))
    [found] = plan.tasks
    assert found.title == "推进光伏"
    assert units(found.clause) == expected
    assert found.clause.line == 4
    assert found.targets == []


@pytest.mark.parametrize("form", CLAUSE_FORMS)
def test_each_clause_form_is_read_directly_too(form):
    written, expected = CLAUSE_FORMS[form]
    inner = written[1:-1]
    assert is_duty_clause(inner)
    clause = parse_clause(inner, 1)
    carry_prefix(clause.units)
    assert units(clause) == expected


def test_carry_prefix_reports_the_units_it_changed_with_their_old_names():
    clause = parse_clause("市发改委、工信局、国网湘潭供电公司按职责分工负责", 1)
    changed = carry_prefix(clause.units)
    assert [(unit.name, old) for unit, old in changed] == [("市工信局", "工信局")]
    assert clause.units[2].name == "国网湘潭供电公司"

"""Tasks inside tasks: several clauses in one item, unnumbered paragraphs with clauses, sub-measures (1)…, titles
for text without a short title, numbers past 99, and the lead rules a plan states for itself."""

from __future__ import annotations

from plans.parsing import WarningCode

from .support import COOP, JOINT, LEAD, codes, one_task_plan, parse_text, plan_text, units


def _tasks(plan):
    return [(t.ref, t.number, t.title, t.parent_ref) for t in plan.tasks]


# --- Several clauses in one item -------------------------------------------------------------------------------------


def test_each_clause_in_a_paragraph_closes_its_own_measure_under_the_item():
    plan = parse_text(
        one_task_plan(
            "1.建设充电网络。推进城际充电站建设。（省交通运输厅负责）加快配套电网建设。"
            "确保接入条件。（省电力公司负责，各市政府配合）推广共享模式。（各市政府负责）"
        )
    )
    assert _tasks(plan) == [
        ("1.1.1", "1", "建设充电网络", None),
        ("1.1.1.2", "1.2", "加快配套电网建设", "1.1.1"),
        ("1.1.1.3", "1.3", "推广共享模式", "1.1.1"),
    ]
    own, second, third = plan.tasks
    assert units(own.clause) == [("省交通运输厅", JOINT)]
    assert units(second.clause) == [("省电力公司", LEAD), ("各市政府", COOP)]
    assert units(third.clause) == [("各市政府", JOINT)]
    assert own.body == "推进城际充电站建设。（省交通运输厅负责）"
    assert second.body == "加快配套电网建设。确保接入条件。（省电力公司负责，各市政府配合）"


def test_a_later_paragraph_with_a_clause_of_its_own_is_a_measure_titled_by_its_first_sentence():
    plan = parse_text(
        one_task_plan(
            "1.人才资助。给予最高50万元资助。（牵头单位：区人社局）",
            "对新入户本区的人才，给予5万元奖励。奖励分两年发放。（牵头单位：区人社局、区教育局）",
        )
    )
    assert _tasks(plan) == [
        ("1.1.1", "1", "人才资助", None),
        ("1.1.1.2", "1.2", "对新入户本区的人才，给予5万元奖励", "1.1.1"),
    ]
    assert units(plan.tasks[1].clause) == [("区人社局", LEAD), ("区教育局", LEAD)]
    assert plan.tasks[1].line == 5


def test_a_clause_set_before_its_sentences_full_stop_closes_its_measure():
    plan = parse_text(
        one_task_plan(
            "16.支持标准制修订。对重点标准给予资金补助（市经济和信息化局、市市场监管局）。"
            "推动乡镇（社区）。对新发布的中关村标准给予资金支持。（市科委、中关村管委会）。"
        )
    )
    assert [(t.number, t.title, [u.name for u in t.clause.units]) for t in plan.tasks] == [
        ("16", "支持标准制修订", ["市经济和信息化局", "市市场监管局"]),
        ("16.2", "推动乡镇（社区）", ["市科委", "中关村管委会"]),
    ]


def test_a_heading_on_its_own_line_titles_the_first_of_its_clause_paragraphs():
    plan = parse_text(
        "某市产品碳足迹行动方案\n一、主要任务\n（一）建立产品碳足迹标准计量体系\n"
        "统筹推进碳足迹标准工作。（责任单位：市发展改革委、市生态环境局）\n"
        "制定重点产品计量规范。（责任单位：市市场监管局）\n"
        "（二）建立碳足迹数据库\n建设数据库。（责任单位：市统计局）\n"
        "二、保障措施\n（一）强化组织领导。加强统筹。（责任单位：市发展改革委）建立机制。（责任单位：市财政局）\n"
    )
    titles = [t.title for t in plan.tasks]
    assert titles[:3] == ["建立产品碳足迹标准计量体系", "制定重点产品计量规范", "建立碳足迹数据库"]
    # A heading that runs on into its text titles its item; the measures after it keep their own sentences.
    assert titles[3:] == ["强化组织领导", "建立机制"]


def test_text_after_the_last_clause_stays_with_the_measure_before_it():
    plan = parse_text(one_task_plan("1.推进光伏。推进建设。（市发改委负责）", "加强宣传引导。"))
    [found] = plan.tasks
    assert found.body == "推进建设。（市发改委负责）\n加强宣传引导。"


def test_a_bracket_in_mid_sentence_is_no_clause_even_when_it_lists_bodies():
    [found] = parse_text(
        one_task_plan("1.布局网络。以“三中心”（商业中心、工业中心）为重点布局。（市发改委负责）")
    ).tasks
    assert units(found.clause) == [("市发改委", JOINT)]


# --- Sub-measures numbered under an item -----------------------------------------------------------------------------


def test_sub_measures_numbered_under_an_item_are_tasks_of_their_own_under_it():
    text = plan_text(
        "一、主要任务",
        "（一）推进能源革命",
        "1.全力推进能源革命，率先突破。",
        "推进举措：",
        "（1）研究制定行动方案，进一步明确主要任务。2017年9月出台。（省发改委）",
        "（2）推动建立园区示范基地。（省经信委、省科技厅）",
        "2.优化能源结构。",
        "推进举措：",
        "（1）修编能源规划。（省能源局）",
        title="某省行动计划",
    )
    plan = parse_text(text)
    assert _tasks(plan) == [
        ("1.1.1", "1", "全力推进能源革命，率先突破", None),
        ("1.1.1.1", "（1）", "研究制定行动方案，进一步明确主要任务", "1.1.1"),
        ("1.1.1.2", "（2）", "推动建立园区示范基地", "1.1.1"),
        ("1.1.2", "2", "优化能源结构", None),
        ("1.1.2.1", "（1）", "修编能源规划", "1.1.2"),
    ]
    assert plan.tasks[0].clause is None
    assert units(plan.tasks[2].clause) == [("省经信委", JOINT), ("省科技厅", JOINT)]
    assert [(t.year, t.text) for t in plan.tasks[1].targets] == [(2017, "2017年9月出台")]


def test_a_single_unnumbered_measure_after_a_measures_label_is_a_task_under_its_item():
    plan = parse_text(
        plan_text(
            "一、主要任务",
            "（一）推进合作",
            "1.主动对接东部省市，探索建立合作机制。",
            "推进举措：",
            "与东部省市签署战略协议，建立对口合作机制。2017年底完成。（省委组织部）",
            title="某省行动计划",
        )
    )
    assert _tasks(plan) == [
        ("1.1.1", "1", "主动对接东部省市，探索建立合作机制", None),
        ("1.1.1.2", "1.2", "与东部省市签署战略协议，建立对口合作机制", "1.1.1"),
    ]
    assert units(plan.tasks[1].clause) == [("省委组织部", JOINT)]


def test_without_a_measures_label_a_clause_in_a_later_paragraph_closes_the_item_itself():
    plan = parse_text(one_task_plan("1.培育新兴产业。聚焦信息技术。", "加快产业发展。（区工信局负责）"))
    [found] = plan.tasks
    assert units(found.clause) == [("区工信局", JOINT)]


# --- Unnumbered paragraphs under a heading ---------------------------------------------------------------------------


def test_paragraphs_under_a_heading_that_each_carry_a_clause_are_unnumbered_tasks_of_that_section():
    plan = parse_text(
        plan_text(
            "一、主要任务",
            "（一）强化顶层设计，发挥指导作用。建立指标体系，发挥导向作用。研究建立指标。（生态环境部牵头，统计局参与）",
            "优化管理体制，强化分工协作。建立责任清单。（生态环境部指导）推动部门协同。（商务部指导）",
            title="某某试点工作方案",
        )
    )
    assert plan.outline[1].title == "强化顶层设计，发挥指导作用"
    assert _tasks(plan) == [
        ("1.1.1", "", "建立指标体系，发挥导向作用", None),
        ("1.1.2", "", "优化管理体制，强化分工协作", None),
        ("1.1.2.2", "", "推动部门协同", "1.1.2"),
    ]
    assert units(plan.tasks[0].clause) == [("生态环境部", LEAD), ("统计局", COOP)]


def test_a_numbered_item_with_clauses_in_two_paragraphs_keeps_its_title_and_gains_a_measure():
    plan = parse_text(
        plan_text(
            "一、实施企业家行动",
            "1.遴选企业家。每年遴选20名。（牵头单位：区工信局）",
            "依托载体建设企业家寓所。（牵头单位：区住建局）",
            title="某区促进人才发展的政策措施",
        )
    )
    assert [(t.number, t.title) for t in plan.tasks] == [("1", "遴选企业家"), ("1.2", "依托载体建设企业家寓所")]


def test_a_heading_with_one_clause_paragraph_is_itself_the_task():
    plan = parse_text(
        plan_text("一、主要任务", "（一）强化通关保障。", "优化通关制度。（海关总署负责）", title="关于若干措施的通知")
    )
    [found] = plan.tasks
    assert (found.title, found.is_section) == ("强化通关保障", True)
    assert units(found.clause) == [("海关总署", JOINT)]


# --- Titles and numbers ---------------------------------------------------------------------------------------------


def test_an_item_without_a_short_title_is_titled_by_its_whole_first_sentence():
    sentence = "推动建立以能源综合应用模式实现绿色低碳发展的园区示范基地，推动能源新型装备产业在示范区落地发展"
    [found] = parse_text(one_task_plan(f"1.{sentence}。进一步推进。（省发改委负责）")).tasks
    assert found.title == sentence


def test_a_very_long_first_sentence_is_cut_at_a_comma_and_marked():
    clause = "推进工作，" * 60
    [found] = parse_text(one_task_plan(f"1.{clause}完成。（省发改委负责）")).tasks
    assert found.title.endswith("推进工作…")
    assert len(found.title) <= 251


def test_a_long_first_sentence_that_is_the_whole_measure_is_its_title_uncut():
    sentence = "对" + "推进工作成效明显，" * 20 + "予以支持"
    [found] = parse_text(one_task_plan(f"一、{sentence}。（省发改委负责）")).tasks
    assert found.title == sentence


def test_items_numbered_past_99_are_tasks():
    items = [f"{n}.任务{n}。推进任务{n}。（市发改委负责）" for n in range(98, 103)]
    plan = parse_text(one_task_plan(*items))
    assert [t.number for t in plan.tasks] == ["98", "99", "100", "101", "102"]


# --- Lead rules the plan states for itself ------------------------------------------------------------------------


def test_the_first_listed_leads_from_the_clause_that_states_it_and_in_every_later_clause():
    plan = parse_text(
        one_task_plan(
            "1.甲。推进甲。（税务总局、财政部负责，排在第一位的部门为牵头部门，下同）",
            "2.乙。推进乙。（海关总署负责）",
            "3.丙。推进丙。（商务部、海关总署等有关部门负责）",
            "4.丁。推进丁。（市场监管总局牵头，海关总署配合）",
        )
    )
    assert [units(t.clause) for t in plan.tasks] == [
        [("税务总局", LEAD), ("财政部", COOP)],
        [("海关总署", LEAD)],
        [("商务部", LEAD), ("海关总署", COOP)],
        [("市场监管总局", LEAD), ("海关总署", COOP)],
    ]
    # Stated by the plan, so not inferred; each task keeps where the rule is written.
    assert not any(u.inferred for t in plan.tasks for u in t.clause.units)
    assert [t.clause.rule.label if t.clause.rule else None for t in plan.tasks] == [
        "第4行“排在第一位的部门为牵头部门，下同”",
        "第4行“排在第一位的部门为牵头部门，下同”",
        "第4行“排在第一位的部门为牵头部门，下同”",
        None,  # its lead is written
    ]
    [warning] = [w for w in plan.warnings if w.code is WarningCode.STATED_RULE]
    assert (warning.line, "3 条条款" in warning.message) == (4, True)


def test_all_listed_units_lead_under_a_rule_that_says_so():
    plan = parse_text(
        one_task_plan(
            "1.甲。推进甲。（省发改委。按职能分工负责。所列部门为主要牵头单位，参加单位不一一列出，下同）",
            "2.乙。推进乙。（省财政厅、省税务局，各市政府）",
        )
    )
    assert [units(t.clause) for t in plan.tasks] == [
        [("省发改委", LEAD)],
        [("省财政厅", LEAD), ("省税务局", LEAD), ("各市政府", LEAD)],
    ]


def test_a_rule_stated_outside_the_clauses_holds_from_its_line_on():
    plan = parse_text(
        one_task_plan(
            "1.甲。推进甲。（市发改委、市财政局负责）",
            "注：以下各项任务中列第一位者为牵头单位。",
            "2.乙。推进乙。（市工信局、市财政局负责）",
        )
    )
    assert [units(t.clause) for t in plan.tasks] == [
        [("市发改委", JOINT), ("市财政局", JOINT)],
        [("市工信局", LEAD), ("市财政局", COOP)],
    ]


def test_a_rule_without_xia_tong_holds_for_its_own_clause_only():
    plan = parse_text(
        one_task_plan(
            "1.甲。推进甲。（市发改委、市财政局负责，排在第一位的部门为牵头部门）",
            "2.乙。推进乙。（市工信局、市财政局负责）",
        )
    )
    assert [units(t.clause) for t in plan.tasks] == [
        [("市发改委", LEAD), ("市财政局", COOP)],
        [("市工信局", JOINT), ("市财政局", JOINT)],
    ]
    assert WarningCode.INFERRED_LEAD not in codes(plan)


# --- Unit lines of their own ---------------------------------------------------------------------------------------


def test_a_unit_line_after_each_item_is_its_clause():
    plan = parse_text(
        one_task_plan(
            "1.推进光伏。推进光伏建设。",
            "主责单位：市发改委，市住建局，市财政局",
            "2.控制煤炭。压减燃煤。",
            "牵头单位：市工信局；配合单位：市生态环境局",
        )
    )
    assert [units(t.clause) for t in plan.tasks] == [
        [("市发改委", JOINT), ("市住建局", JOINT), ("市财政局", JOINT)],
        [("市工信局", LEAD), ("市生态环境局", COOP)],
    ]
    assert [t.clause.line for t in plan.tasks] == [5, 7]


def test_a_unit_line_before_the_items_text_is_its_clause_and_the_text_stays_its_body():
    plan = parse_text(one_task_plan("1.推进光伏。", "责任单位：市发改委、市住建局", "推进光伏建设，扩大装机。"))
    [found] = plan.tasks
    assert units(found.clause) == [("市发改委", JOINT), ("市住建局", JOINT)]
    assert found.body.endswith("推进光伏建设，扩大装机。")


def test_a_blanket_for_every_county_level_government_applies_to_later_tasks_with_a_warning():
    plan = parse_text(
        one_task_plan(
            "1.甲。推进甲。（市发改委负责。本项及以下各项均需各县级市（区）人民政府落实，不再列出）",
            "2.乙。推进乙。（市财政局负责）",
        )
    )
    assert [[u.as_written for u in t.note_units] for t in plan.tasks] == [["各县级市（区）人民政府"]] * 2
    assert WarningCode.BLANKET_NOTE in codes(plan)


def test_points_numbered_under_an_item_that_only_the_last_closes_are_the_items_text():
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.推进光伏建设。具体包括：",
            "（1）屋顶光伏。推广分布式光伏。",
            "（2）地面光伏。建设集中式电站。（市发改委牵头，市自然资源局配合）",
            "2.控制煤炭。压减燃煤。（市工信局负责）",
            title="某市碳达峰实施方案",
        )
    )
    assert [(t.ref, t.title, t.parent_ref) for t in plan.tasks] == [
        ("1.1.1", "推进光伏建设", None),
        ("1.1.2", "控制煤炭", None),
    ]
    assert units(plan.tasks[0].clause) == [("市发改委", LEAD), ("市自然资源局", COOP)]
    assert "（1）屋顶光伏。推广分布式光伏。" in plan.tasks[0].body

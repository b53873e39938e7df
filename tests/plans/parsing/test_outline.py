"""Parts, sections and tasks found by structure, in every numbering style the plans use."""

from __future__ import annotations

import pytest

from .support import JOINT, SEEDS, parse_text, plan_text, seed, task, units


def _outline(plan, level):
    return [(n.number, n.title) for n in plan.outline if n.level == level]


def test_000_numbers_its_parts_1_dun_and_switches_to_wu_dun_midway():
    assert _outline(seed("000"), 1) == [
        ("1", "总体要求"),
        ("2", "主要目标"),
        ("3", "重点任务"),
        ("4", "重大项目"),
        ("五", "保障措施"),
    ]


def test_000_sections_in_arabic_brackets_and_later_chinese_brackets_are_both_sections():
    plan = seed("000")
    sections = _outline(plan, 2)
    assert sections[2:4] == [("（1）", "推进能源结构低碳转型"), ("（2）", "开展节能降碳增效行动")]
    assert sections[-5:] == [
        ("（一）", "加强组织领导"),
        ("（二）", "强化责任目标考核"),
        ("（三）", "落实财税、价格支持政策"),
        ("（四）", "开展能力建设"),
        ("（五）", "加强风险防控"),
    ]
    assert plan.outline[task(plan, "5.1").outline_index].title == "加强组织领导"


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("001", ["总体要求", "主要目标", "重点任务", "开展碳达峰试点示范", "政策保障", "组织实施"]),
        ("002", ["总体要求", "主要目标", "重点任务", "重大项目", "保障措施"]),
        ("003", ["总体要求", "主要目标", "重点任务", "政策保障", "组织实施"]),
        ("004", ["总体要求", "主要目标", "重点任务", "政策保障", "组织实施"]),
    ],
)
def test_parts_numbered_yi_dun_are_found_in_every_seed(key, parts):
    assert [title for _, title in _outline(seed(key), 1)] == parts


def test_half_width_bracket_sections_are_sections():
    assert _outline(seed("002"), 2)[:3] == [("(一)", "指导思想"), ("(二)", "基本原则"), ("(一)", "能源结构低碳转型")]


def test_an_inline_section_title_ends_at_the_first_full_stop():
    plan = seed("001")
    node = next(n for n in plan.outline if n.title == "指导思想")
    assert node.body.startswith("以习近平新时代中国特色社会主义思想为指导")
    pilot = task(plan, "4.1")
    assert pilot.title == "湘潭市气候投融资试点示范"
    assert pilot.body.startswith("以引导和促进更多资金投向应对气候变化领域")
    assert pilot.is_section


def test_003_task_titles_stand_on_their_own_line_with_the_body_on_the_next():
    found = task(seed("003"), "3.2.3")
    assert found.title == "大力拓展天然气消费"
    assert found.body.startswith("积极发展工业用气")
    assert (found.line, found.clause.line) == (27, 28)


def test_a_section_with_a_clause_and_no_numbered_tasks_is_itself_a_task():
    found = task(seed("000"), "3.10")
    assert (found.number, found.title, found.is_section, found.line) == ("（10）", "开展低碳试点示范建设", True, 58)
    assert found.body.startswith("结合两型创建经验模式")
    assert units(found.clause)[0] == ("区发展和改革局", "lead")


def test_numbered_items_without_a_clause_are_tasks_with_no_assignment():
    plan = seed("002")
    projects = [t for t in plan.tasks if t.ref.startswith("4.")]
    assert all(t.clause is None for t in projects)
    assert (task(plan, "4.1.1").title, task(plan, "4.10.5").title) == ("“千万屋顶”光伏发电工程", "建立奖励机制")
    assert len(projects) == 32


def test_000_major_project_sections_without_numbered_items_are_tasks_with_no_clause():
    plan = seed("000")
    projects = [t for t in plan.tasks if t.ref.startswith("4.")]
    assert [t.ref for t in projects] == [f"4.{n}" for n in range(1, 11)]
    assert all(t.is_section and t.clause is None for t in projects)
    assert task(plan, "4.7").title == "“5G+工业互联网”示范工程"


def test_002_basic_principles_are_numbered_but_are_not_tasks():
    plan = seed("002")
    titles = {t.title for t in plan.tasks}
    assert "总体部署、联动发力" not in titles
    principles = next(n for n in plan.outline if n.title == "基本原则")
    assert principles.body.startswith("1. 总体部署、联动发力。以全国碳达峰行动顶层设计为指引")
    assert "4. 科学稳妥、安全降碳。" in principles.body


@pytest.mark.parametrize("key", SEEDS)
def test_task_refs_are_unique_within_a_plan(key):
    refs = [t.ref for t in seed(key).tasks]
    assert len(refs) == len(set(refs))


@pytest.mark.parametrize("key", SEEDS)
def test_every_task_sits_under_a_node_of_the_outline(key):
    plan = seed(key)
    for t in plan.tasks:
        assert 0 <= t.outline_index < len(plan.outline)


def test_tasks_use_full_width_dots_and_dun_commas_too():
    plan = parse_text(
        plan_text(
            "一、总体要求",
            "坚持绿色发展。",
            "二、重点任务",
            "（一）能源转型",
            "1、推进光伏。推进光伏建设。（县发改局牵头，县住建局按职责分工负责）",
            "2、推进风电。推进风电建设。（县发改局负责）",
            "（二）节能降碳",
            "1．推进节能。推进节能改造。（县工信局负责）",
            title="某县碳达峰实施方案",
        )
    )
    assert [(t.ref, t.number, t.title) for t in plan.tasks] == [
        ("2.1.1", "1", "推进光伏"),
        ("2.1.2", "2", "推进风电"),
        ("2.2.1", "1", "推进节能"),
    ]
    assert plan.region_name == "某县"


def test_arabic_bracket_sections_under_arabic_dun_parts_parse_like_chinese_numbering():
    plan = parse_text(
        plan_text(
            "1、总体要求",
            "（1）指导思想",
            "坚持绿色发展。",
            "2、重点任务",
            "（1）能源转型",
            "1.推进光伏。推进光伏建设。（区发改局牵头，区住建局按职责分工负责）",
            "三、保障措施",
            "（一）加强组织领导",
            "成立领导小组。（区发改局负责）",
            title="某区碳达峰实施方案",
        )
    )
    assert _outline(plan, 1) == [("1", "总体要求"), ("2", "重点任务"), ("三", "保障措施")]
    assert [(t.ref, t.title, t.is_section) for t in plan.tasks] == [
        ("2.1.1", "推进光伏", False),
        ("3.1", "加强组织领导", True),
    ]


def test_numbered_goals_before_the_tasks_stay_in_the_outline_and_give_goal_targets():
    plan = parse_text(
        plan_text(
            "一、主要目标",
            "1.到2025年，非化石能源消费比重达到22%左右。",
            "2.到2030年，非化石能源消费比重达到25%左右。",
            "二、重点任务",
            "（一）能源转型",
            "1.推进光伏。推进光伏建设。（市发改委负责）",
        )
    )
    assert [t.title for t in plan.tasks] == ["推进光伏"]
    assert "非化石能源消费比重达到22%左右" in plan.outline[0].body
    assert [(t.year, t.value) for t in plan.goal_targets] == [(2025, 22), (2030, 25)]


def test_the_closing_sentence_ends_the_body():
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.推进光伏。推进光伏建设。（市发改委负责）",
            "本方案自发布之日起施行。",
            "2.这不是任务。（市财政局负责）",
        )
    )
    assert [t.title for t in plan.tasks] == ["推进光伏"]


def test_a_draft_marker_on_the_line_after_the_title_marks_a_draft():
    plan = parse_text(
        plan_text("（征求意见稿）", "一、重点任务", "（一）能源转型", "1.推进光伏。推进。（市发改委负责）")
    )
    assert (plan.title, plan.is_draft) == ("某市碳达峰实施方案", True)
    written_in_title = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.推进光伏。推进。（市发改委负责）",
            title="某市碳达峰实施方案（征求意见稿）",
        )
    )
    assert (written_in_title.title, written_in_title.is_draft) == ("某市碳达峰实施方案", True)


def test_a_part_with_its_own_clause_is_a_task_but_a_part_ending_in_other_brackets_is_not():
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.推进光伏。推进光伏建设。（市发改委负责）",
            "二、组织实施",
            "加强组织领导，确保任务落实。（市发改委负责）",
            "三、附则",
            "本方案由市发改委负责解释（2023年版）",
        )
    )
    assert [(t.ref, t.title, t.is_section) for t in plan.tasks] == [
        ("1.1.1", "推进光伏", False),
        ("2", "组织实施", True),
    ]


ARTICLES = plan_text(
    "一、推进文旅融合发展",
    "第一条 【强化用地保障】保障重点项目用地。（责任单位：区规划和自然资源局、区文化广电旅游局）",
    "第二条 【鼓励项目投资】打造一批文化旅游项目。（责任单位：区文化广电旅游局）",
    "二、支持版权经济发展",
    "第三条 【鼓励影视创作】鼓励原创电影创作。（责任单位：区版权局）",
    "鼓励精品电视剧创作，提升供给能力。",
    "电视剧获得重大奖项的，给予奖励。（责任单位：区文化广电旅游局）",
    title="某区促进文旅产业发展的若干措施",
)


def test_articles_numbered_di_tiao_are_tasks_titled_by_their_bracketed_heading():
    plan = parse_text(ARTICLES)
    assert [(t.ref, t.number, t.title) for t in plan.tasks] == [
        ("1.1", "第一条", "强化用地保障"),
        ("1.2", "第二条", "鼓励项目投资"),
        ("2.1", "第三条", "鼓励影视创作"),
        ("2.1.2", "第三条.2", "鼓励精品电视剧创作，提升供给能力"),
    ]
    assert units(task(plan, "2.1").clause) == [("区版权局", JOINT)]
    assert units(task(plan, "2.1.2").clause) == [("区文化广电旅游局", JOINT)]


def test_a_plan_that_names_no_one_is_read_as_its_measures_with_a_warning():
    # Its measures are numbered （一） under 一、 and no clause or table assigns them: still a plan, never refused.
    plan = parse_text(
        plan_text(
            "为加强城市管理精细化，制定本方案。",
            "一、提升交通设施环境品质",
            "（一）改善城市道路环境。结合城市更新等行动，建设精品道路。",
            "（二）改善农村道路环境。推进“四好农村路”高质量发展。",
            "二、保障措施",
            "成立工作专班，加强统筹协调。",
            title="某市交通领域精细化管理工作方案（2024-2026年）",
        )
    )
    assert [(t.ref, t.title, t.clause) for t in plan.tasks] == [
        ("1.1", "改善城市道路环境", None),
        ("1.2", "改善农村道路环境", None),
    ]
    assert [w.code for w in plan.warnings] == ["no_duties"]
    assert "已按编号读出 2 项任务，均未分配责任单位" in plan.warnings[0].message

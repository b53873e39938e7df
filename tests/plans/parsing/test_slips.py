"""Typing slips that used to drop duties silently: unpaired brackets, slipped task numbers, and clauses no task took.

Each is read as meant where the structure shows it, with a typing_slip (疑似笔误) warning naming the repair and its
line; a duty clause that still lands on no task is reported as unplaced text with its line.
"""

from __future__ import annotations

import pytest

from plans.parsing import WarningCode

from .support import COOP, JOINT, LEAD, SEEDS, codes, one_task_plan, parse_text, plan_text, seed, units

SLIP, UNPLACED = WarningCode.TYPING_SLIP, WarningCode.UNPLACED_TEXT


def _warnings(plan, code=None):
    return [(w.code, w.line, w.message) for w in plan.warnings if code is None or w.code is code]


def _duties(plan):
    return sum(len(t.clause.units) for t in plan.tasks if t.clause)


# --- Brackets -------------------------------------------------------------------------------------------------------


def test_a_clause_left_open_is_closed_at_the_end_of_its_paragraph_and_does_not_swallow_the_next_task():
    plan = parse_text(
        one_task_plan(
            "1.推进光伏。建设屋顶光伏。（市发改委牵头，市工信局、市住建局配合",
            "2.推进风电。建设风电场。（市能源局负责）",
        )
    )
    first, second = plan.tasks
    assert units(first.clause) == [("市发改委", LEAD), ("市工信局", COOP), ("市住建局", COOP)]
    assert units(second.clause) == [("市能源局", JOINT)]
    assert first.body == "建设屋顶光伏。（市发改委牵头，市工信局、市住建局配合）"
    assert _warnings(plan) == [(SLIP, 4, "括号“（”未闭合，已按段末闭合处理：（市发改委牵头，市工信局、市住建局配合")]


def test_a_clause_left_open_keeps_the_bracketed_part_of_a_unit_name_inside_it():
    plan = parse_text(one_task_plan("1.推进乡村建设。建设示范村。（区农业农村局、各街道、社区（村）等按照职能分工负责"))
    assert units(plan.tasks[0].clause) == [("区农业农村局", JOINT), ("各街道", JOINT), ("各社区（村）", JOINT)]
    assert [(c, line) for c, line, _ in _warnings(plan)] == [(SLIP, 4)]


def test_a_labelled_clause_left_open_is_closed_at_the_end_of_its_paragraph():
    plan = parse_text(one_task_plan("1.推进人才安居。提供免费居住权。（牵头单位：区工信局、区科技局"))
    assert units(plan.tasks[0].clause) == [("区工信局", LEAD), ("区科技局", LEAD)]
    assert _warnings(plan) == [(SLIP, 4, "括号“（”未闭合，已按段末闭合处理：（牵头单位：区工信局、区科技局")]


def test_a_clause_closed_in_the_next_paragraph_is_read_as_two_clauses_of_the_same_task():
    plan = parse_text(one_task_plan("1.推进光伏。建设屋顶光伏。（市发改委牵头，", "市工信局配合）"))
    [task] = plan.tasks
    assert units(task.clause) == [("市发改委", LEAD), ("市工信局", COOP)]
    assert _warnings(plan) == [
        (SLIP, 4, "括号“（”未闭合，已按段末闭合处理：（市发改委牵头"),
        (SLIP, 5, "括号“）”前缺少“（”，已按句首开启处理：市工信局配合）"),
    ]


def test_a_clause_that_lost_its_opening_bracket_is_opened_where_its_sentence_starts():
    plan = parse_text(one_task_plan("1.推进光伏。建设屋顶光伏。市发改委牵头，市工信局配合）"))
    [task] = plan.tasks
    assert units(task.clause) == [("市发改委", LEAD), ("市工信局", COOP)]
    assert task.body == "建设屋顶光伏。（市发改委牵头，市工信局配合）"
    assert _warnings(plan) == [(SLIP, 4, "括号“）”前缺少“（”，已按句首开启处理：市发改委牵头，市工信局配合）")]


def test_a_lost_opening_bracket_takes_in_the_notes_of_its_clause():
    plan = parse_text(
        one_task_plan(
            "1.推进光伏。建设屋顶光伏。市发改委、市工信局按职责分工负责。本项及以下各项工作均需各区县落实，不再逐项列出）",
            "2.推进风电。建设风电场。（市能源局负责）",
        )
    )
    first, second = plan.tasks
    assert units(first.clause) == [("市发改委", JOINT), ("市工信局", JOINT)]
    assert [u.name for u in second.note_units] == ["各区县"]
    assert [code for code, _, _ in _warnings(plan)] == [SLIP, WarningCode.BLANKET_NOTE]


def test_a_stray_opening_bracket_in_the_text_is_closed_at_its_sentence_end_so_the_clause_after_it_counts():
    plan = parse_text(
        one_task_plan("1.推进光伏。建设屋顶（分布式光伏。推广光伏建筑一体化。（市发改委牵头，市工信局配合）")
    )
    [task] = plan.tasks
    assert units(task.clause) == [("市发改委", LEAD), ("市工信局", COOP)]
    assert task.body == "建设屋顶（分布式光伏）。推广光伏建筑一体化。（市发改委牵头，市工信局配合）"
    assert _warnings(plan) == [(SLIP, 4, "括号“（”未闭合，已在句末闭合处理：（分布式光伏")]


def test_a_unit_name_that_lost_one_bracket_no_longer_cuts_its_clause_short():
    # 马栏山（长沙）视频文创园 written 马栏山长沙）视频文创园: the ） used to close the clause after 马栏山长沙.
    plan = parse_text(
        one_task_plan("1.推进文创。建设园区。（市发改委牵头，马栏山长沙）视频文创园管理委员会、市工信局配合）")
    )
    [task] = plan.tasks
    assert units(task.clause) == [("市发改委", LEAD), ("马栏山长沙视频文创园管理委员会", COOP), ("市工信局", COOP)]
    assert _warnings(plan, SLIP) == [(SLIP, 4, "括号“）”不配对，已略去，条款按段末闭合处理：马栏山长沙）")]


def test_full_and_half_width_brackets_pair_with_each_other_without_a_warning():
    plan = parse_text(one_task_plan("1.推进光伏。建设屋顶光伏。(市发改委牵头，市工信局配合）"))
    assert units(plan.tasks[0].clause) == [("市发改委", LEAD), ("市工信局", COOP)]
    assert plan.warnings == []


def test_an_unpaired_bracket_that_hides_no_clause_is_left_as_written_without_a_warning():
    plan = parse_text(one_task_plan("1.推进光伏。建设屋顶光伏。（市发改委负责）其中屋顶光伏（含分布式"))
    [task] = plan.tasks
    assert units(task.clause) == [("市发改委", JOINT)]
    assert task.body.endswith("其中屋顶光伏（含分布式")
    assert plan.warnings == []


# --- Task numbers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["1.1.", "1.1、", "1．1．"])
def test_a_first_task_numbered_like_a_sub_point_is_read_as_the_first_task(written):
    plan = parse_text(
        one_task_plan(f"{written}推进光伏。建设屋顶光伏。（市发改委负责）", "2.推进风电。建设风电场。（市能源局负责）")
    )
    assert [(t.number, t.title) for t in plan.tasks] == [("1", "推进光伏"), ("2", "推进风电")]
    assert units(plan.tasks[0].clause) == [("市发改委", JOINT)]
    assert _warnings(plan) == [(SLIP, 4, f"编号“{written}”不合顺序，已按第1项读取")]


def test_a_later_task_numbered_like_a_sub_point_is_its_own_task_not_a_measure_of_the_one_before():
    plan = parse_text(
        one_task_plan(
            "1.推进光伏。建设屋顶光伏。（市发改委负责）",
            "2.1.推进风电。建设风电场。（市能源局负责）",
            "3.推进储能。建设储能电站。（市工信局负责）",
        )
    )
    assert [(t.ref, t.number, t.parent_ref) for t in plan.tasks] == [
        ("1.1.1", "1", None),
        ("1.1.2", "2", None),
        ("1.1.3", "3", None),
    ]
    assert _warnings(plan) == [(SLIP, 5, "编号“2.1.”不合顺序，已按第2项读取")]


def test_a_slipped_first_number_still_opens_tasks_numbered_straight_through_their_sections():
    # Tasks 1.–3. run through two sections; their measures are numbered （1）. Without its first 1., the style
    # of the tasks used to rank below the measures', and every measure became a task of its own.
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.1.推进光伏",
            "（1）建设屋顶光伏。（市发改委负责）",
            "（2）建设地面光伏。（市能源局负责）",
            "（二）交通转型",
            "2.推广新能源汽车",
            "（1）更新公交车辆。（市交通运输局负责）",
            "3.建设充电设施",
            "（1）建设公共充电桩。（市住建局负责）",
        )
    )
    assert [(t.ref, t.number, t.parent_ref) for t in plan.tasks] == [
        ("1.1.1", "1", None),
        ("1.1.1.1", "（1）", "1.1.1"),
        ("1.1.1.2", "（2）", "1.1.1"),
        ("1.2.1", "2", None),
        ("1.2.1.1", "（1）", "1.2.1"),
        ("1.2.2", "3", None),
        ("1.2.2.1", "（1）", "1.2.2"),
    ]
    assert _warnings(plan) == [(SLIP, 4, "编号“1.1.”不合顺序，已按第1项读取")]


def test_a_doubled_dot_after_a_task_number_is_read_as_one():
    plan = parse_text(
        one_task_plan("1.推进光伏。建设屋顶光伏。（市发改委负责）", "2..推进风电。建设风电场。（市能源局负责）")
    )
    assert [(t.number, t.title) for t in plan.tasks] == [("1", "推进光伏"), ("2", "推进风电")]
    assert _warnings(plan) == [(SLIP, 5, "编号“2..”多写了“.”，已按第2项读取")]


def test_points_numbered_1_1_1_2_under_a_task_are_a_numbering_of_their_own_not_slips():
    plan = parse_text(
        one_task_plan(
            "1.推进光伏。建设屋顶光伏。（市发改委负责）",
            "1.1.屋顶光伏。推广分布式光伏。",
            "1.2.地面光伏。建设集中式电站。",
            "2.推进风电。建设风电场。（市能源局负责）",
        )
    )
    assert [t.number for t in plan.tasks] == ["1", "2"]
    assert "1.2.地面光伏" in plan.tasks[0].body
    assert SLIP not in codes(plan)


def test_a_full_width_dot_among_half_width_ones_is_read_as_written_without_a_warning():
    plan = parse_text(
        one_task_plan("1.推进光伏。建设屋顶光伏。（市发改委负责）", "2．推进风电。建设风电场。（市能源局负责）")
    )
    assert [t.number for t in plan.tasks] == ["1", "2"]
    assert plan.warnings == []


@pytest.mark.parametrize(("written", "meant"), [("（二", "（二）"), ("二）", "（二）")])
def test_a_section_number_that_lost_one_bracket_still_opens_its_section(written, meant):
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "1.推进光伏。建设屋顶光伏。（市发改委负责）",
            f"{written}交通转型",
            "1.推广新能源汽车。更新公交车辆。（市交通运输局负责）",
        )
    )
    assert [(n.number, n.title) for n in plan.outline if n.level == 2] == [("（一）", "能源转型"), (meant, "交通转型")]
    assert [t.ref for t in plan.tasks] == ["1.1.1", "1.2.1"]
    assert _warnings(plan) == [(SLIP, 5, f"编号“{written}”缺少括号，已按“{meant}”读取")]


# --- Clauses no task took -------------------------------------------------------------------------------------------


def test_a_clause_in_a_sections_own_text_is_reported_as_unplaced_with_its_line():
    plan = parse_text(
        plan_text(
            "一、重点任务",
            "（一）能源转型",
            "统筹推进能源转型。（市发改委牵头，市工信局配合）",
            "1.推进光伏。建设屋顶光伏。（市能源局负责）",
        )
    )
    assert [units(t.clause) for t in plan.tasks] == [[("市能源局", JOINT)]]
    assert _warnings(plan) == [(UNPLACED, 4, "责任条款未能归入任何任务：（市发改委牵头，市工信局配合）")]


def test_a_labelled_unit_list_in_running_text_that_no_task_took_is_reported():
    plan = parse_text(one_task_plan("1.推进光伏。建设屋顶光伏。责任单位：市发改委、市工信局"))
    assert plan.tasks[0].clause is None
    assert _warnings(plan) == [(UNPLACED, 4, "责任条款未能归入任何任务：责任单位：市发改委、市工信局")]


def test_a_clause_in_mid_sentence_that_closes_no_measure_is_reported():
    plan = parse_text(one_task_plan("1.推进光伏。由（市发改委牵头）推进屋顶光伏建设。（市工信局负责）"))
    assert units(plan.tasks[0].clause) == [("市工信局", JOINT)]
    assert _warnings(plan) == [(UNPLACED, 4, "责任条款未能归入任何任务：（市发改委牵头）")]


# --- Seed 000 with each slip ----------------------------------------------------------------------------------------


def _seed_000(old: str, new: str, line: int) -> str:
    lines = seed("000").text.split("\n")
    assert old in lines[line - 1], (line, old)
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def _parse_000(text: str):
    return parse_text(text.encode("utf-8"))


def test_seed_000_as_it_is_holds_47_tasks_and_170_duties_with_no_slip():
    plan = seed("000")
    assert (len(plan.tasks), _duties(plan)) == (47, 170)


def test_seed_000_with_its_first_clause_left_open_keeps_all_170_duties_and_says_where():
    plan = _parse_000(_seed_000("经开区管委会按职责分工负责）", "经开区管委会按职责分工负责", 19))
    assert (len(plan.tasks), _duties(plan)) == (47, 170)
    [(code, line, message)] = _warnings(plan, SLIP)
    assert (code, line) == (SLIP, 19)
    assert message.startswith("括号“（”未闭合，已按段末闭合处理：（区发展和改革局牵头，")


@pytest.mark.parametrize("written", ["1.1.", "1.1、"])
def test_seed_000_with_its_first_task_numbered_like_a_sub_point_keeps_the_task_and_its_8_duties(written):
    plan = _parse_000(_seed_000("1.大力发展可再生能源", f"{written}大力发展可再生能源", 19))
    assert (len(plan.tasks), _duties(plan)) == (47, 170)
    assert plan.tasks[0].title == "大力发展可再生能源"
    assert len(plan.tasks[0].clause.units) == 8
    assert _warnings(plan, SLIP) == [(SLIP, 19, f"编号“{written}”不合顺序，已按第1项读取")]


def test_seed_000_with_a_stray_bracket_before_its_first_clause_keeps_all_170_duties():
    plan = _parse_000(_seed_000("积极利用太阳能", "积极利用（太阳能", 19))
    assert (len(plan.tasks), _duties(plan)) == (47, 170)
    assert [(c, line) for c, line, _ in _warnings(plan)] == [(SLIP, 19)]


def test_seed_000_with_a_clause_opened_half_width_and_closed_full_width_is_read_silently():
    plan = _parse_000(_seed_000("（区发展和改革局牵头", "(区发展和改革局牵头", 19))
    assert (len(plan.tasks), _duties(plan)) == (47, 170)
    assert plan.warnings == []


@pytest.mark.parametrize("key", SEEDS)
def test_no_seed_has_a_typing_slip(key):
    assert SLIP not in codes(seed(key))

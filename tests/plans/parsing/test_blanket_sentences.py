"""A sentence of the body, outside any clause, that puts units on every task
(各县级市（区）人民政府负责本地区各项任务的落实, in 保障措施) or on every task after it
(以下任务各县级市（区）人民政府均为责任单位): the units are added to the tasks it covers, as a blanket
note's are, with one warning naming the sentence and its line."""

from plans.parsing import parse_plan
from plans.parsing.structures import Role, WarningCode

COUNTIES = "各县级市（区）人民政府"

CITY_PLAN = """\
苏州市碳达峰实施方案

一、重点任务
（一）推进能源绿色低碳转型
1.大力发展新能源。加快分布式光伏建设。（市发改委牵头，市工信局按职责分工负责）
2.严格控制煤炭消费。推动煤电节能降碳改造。（市发改委、市财政局按职责分工负责）

二、保障措施
（一）加强组织领导。{sentence}
"""


def assigned(plan):
    """The tasks a clause assigns (the 保障措施 measure the sentence stands in is a task of no one's)."""
    return [t for t in plan.tasks if t.clause]


def blanket_warnings(plan) -> list[tuple[str, int]]:
    return [(w.message, w.line) for w in plan.warnings if w.code is WarningCode.BLANKET_NOTE]


def test_a_sentence_that_gives_every_task_to_the_counties_puts_them_on_every_task():
    sentence = f"{COUNTIES}负责本地区各项任务的落实"
    plan = parse_plan(CITY_PLAN.format(sentence=sentence + "。"), "suzhou.txt")
    assert [[(u.as_written, u.role) for u in t.note_units] for t in assigned(plan)] == [
        [(COUNTIES, Role.COOPERATING)],  # beside a stated lead the counties cooperate
        [(COUNTIES, Role.JOINT)],  # with no lead they share the task
    ]
    assert all(t.note_source_line == 9 for t in assigned(plan))
    assert [t.note_units for t in plan.tasks if not t.clause] == [[]]
    assert blanket_warnings(plan) == [(f"“{sentence}”将“{COUNTIES}”列为全部 2 项任务的责任单位", 9)]


def test_a_sentence_before_the_tasks_covers_only_the_tasks_after_it_and_not_twice():
    text = CITY_PLAN.format(sentence="").replace(
        "（一）推进能源绿色低碳转型\n", f"以下任务{COUNTIES}均为责任单位，不再列出。\n（一）推进能源绿色低碳转型\n"
    )
    text = text.replace("市发改委、市财政局", f"市发改委、{COUNTIES}")
    plan = parse_plan(text, "suzhou.txt")
    assert [[u.as_written for u in t.note_units] for t in assigned(plan)] == [[COUNTIES], []]
    ((message, line),) = blanket_warnings(plan)
    assert line == 4 and "列为其后 2 项任务的责任单位" in message


def test_a_sentence_that_names_no_body_or_no_scope_adds_nothing():
    for sentence in ("各项任务要抓好落实", "各地区各部门要结合实际，认真落实各项任务", f"{COUNTIES}要加强领导"):
        plan = parse_plan(CITY_PLAN.format(sentence=sentence + "。"), "suzhou.txt")
        assert all(t.note_units == [] for t in plan.tasks), sentence
        assert blanket_warnings(plan) == []


def test_a_sentence_for_the_tasks_below_with_none_below_is_one_warning_that_says_so():
    plan = parse_plan(CITY_PLAN.format(sentence=f"以下任务{COUNTIES}均为责任单位。"), "suzhou.txt")
    assert all(t.note_units == [] for t in plan.tasks)
    ((message, line),) = blanket_warnings(plan)
    assert line == 9 and "其后没有任务，未能应用" in message

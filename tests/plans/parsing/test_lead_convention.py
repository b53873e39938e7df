"""The per-plan first-listed-leads reading: inferred, never stated as fact."""

from __future__ import annotations

from plans.parsing import WarningCode
from plans.parsing.clauses import apply_lead_convention, parse_clause

from .support import COOP, JOINT, LEAD, codes, one_task_plan, parse_text, seed, task


def _inferred(clause):
    return [(u.name, u.role, u.inferred) for u in clause.units]


def test_first_listed_leads_makes_the_first_unit_of_a_joint_clause_an_inferred_lead():
    text = one_task_plan("1.推进光伏。推进光伏建设。（市发改委、市工信局、市财政局按职责分工负责）")
    plan = parse_text(text, first_listed_leads=True)
    [found] = plan.tasks
    assert _inferred(found.clause) == [
        ("市发改委", LEAD, True),
        ("市工信局", COOP, True),
        ("市财政局", COOP, True),
    ]
    assert not found.clause.has_stated_lead
    inferred = [w for w in plan.warnings if w.code is WarningCode.INFERRED_LEAD]
    assert [(w.line, "市发改委" in w.message) for w in inferred] == [(4, True)]


def test_by_default_a_joint_clause_stays_joint():
    plan = parse_text(one_task_plan("1.推进光伏。推进光伏建设。（市发改委、市工信局按职责分工负责）"))
    assert _inferred(plan.tasks[0].clause) == [("市发改委", JOINT, False), ("市工信局", JOINT, False)]
    assert WarningCode.INFERRED_LEAD not in codes(plan)


def test_stated_leads_are_never_changed_by_the_convention():
    text = one_task_plan("1.推进光伏。推进光伏建设。（市工信局牵头，市发改委、市财政局按职责分工负责）")
    plan = parse_text(text, first_listed_leads=True)
    assert _inferred(plan.tasks[0].clause) == [
        ("市工信局", LEAD, False),
        ("市发改委", COOP, False),
        ("市财政局", COOP, False),
    ]
    assert WarningCode.INFERRED_LEAD not in codes(plan)


def test_a_collective_listed_first_is_never_read_as_lead():
    text = one_task_plan("1.推进光伏。推进光伏建设。（各县市区人民政府、市发改委按职责分工负责）")
    plan = parse_text(text, first_listed_leads=True)
    assert _inferred(plan.tasks[0].clause) == [("各县市区人民政府", COOP, True), ("市发改委", LEAD, True)]


def test_a_clause_of_collectives_only_stays_joint_under_the_convention():
    clause = parse_clause("各县市区人民政府、各园区管委会按职责分工负责", 1)
    apply_lead_convention(clause.units, first_listed_leads=True)
    assert _inferred(clause) == [("各县市区人民政府", JOINT, False), ("各园区管委会", JOINT, False)]


def test_the_convention_on_a_seed_infers_leads_only_where_none_is_written():
    plan = seed("002", first_listed_leads=True)
    assert _inferred(task(plan, "3.4.2").clause)[:2] == [("市交通运输局", LEAD, False), ("市口岸办", LEAD, False)]
    assert _inferred(task(plan, "3.9.1").clause) == [
        ("市委宣传部", LEAD, True),
        ("市发展改革委", COOP, True),
        ("市生态环境局", COOP, True),
        ("各县市区人民政府", COOP, True),
    ]
    joint_clauses = [c for c in seed("002").clauses if not c.has_stated_lead]
    assert codes(plan).count(WarningCode.INFERRED_LEAD) == len(joint_clauses) == 8


def test_the_convention_does_not_change_the_default_reading_of_the_same_seed():
    assert _inferred(task(seed("002"), "3.9.1").clause)[0] == ("市委宣传部", JOINT, False)


def test_blanket_note_units_cooperate_with_an_inferred_lead_and_are_marked_inferred():
    plan = seed("001", first_listed_leads=True)
    first = task(plan, "3.1.1")
    assert _inferred(first.clause)[0] == ("市发改委", LEAD, True)
    assert [(u.name, u.role, u.inferred) for u in first.note_units] == [
        ("各县市区", COOP, True),
        ("各园区", COOP, True),
    ]

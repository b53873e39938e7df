"""Duties and targets read as rows (plans/duty_rows.py) say what the models say, for every seed plan."""

import pytest

from plans import duty_rows
from plans.models import Duty, Plan, Task
from plans.models.task import targets_in_order

pytestmark = pytest.mark.django_db


def seed_plans():
    return list(Plan.objects.order_by("source_name"))


def test_the_rows_are_each_tasks_duties_in_their_order():
    for plan in seed_plans():
        tasks = list(plan.tasks.order_by("position"))
        duty_rows.attach(tasks)
        for task in tasks:
            expected = [
                (d.agency_id, d.role, d.inferred, d.agency.name, d.agency.full_name, d.agency.sort_key)
                for d in task.duties.select_related("agency").order_by("position")
            ]
            got = [(r.agency_id, r.role, r.inferred, r.name, r.full_name, r.sort_key) for r in task.duty_rows]
            assert got == expected, task
            assert [r.mark for r in task.duty_rows] == [d.mark for d in task.duties.order_by("position")]


def test_the_target_rows_are_the_tasks_target_lines():
    checked = 0
    for plan in seed_plans():
        tasks = list(plan.tasks.order_by("position"))
        duty_rows.attach(tasks, targets=True)
        models = {t.pk: t for t in Task.objects.filter(plan=plan).prefetch_related(targets_in_order())}
        for task in tasks:
            expected = [(t.label, t.statement) for t in models[task.pk].target_lines()]
            assert [(t.label, t.statement) for t in task.target_rows] == expected, task
            checked += len(expected)
    assert checked > 20  # the seeds state dated targets


def test_a_plans_goals_are_read_with_its_tasks_targets():
    checked = 0
    for plan in seed_plans():
        goals = duty_rows.attach(list(plan.tasks.all()[:3]), targets=True, goals_of=plan.pk)
        expected = []
        for target in plan.targets.filter(task__isnull=True).order_by("position"):
            if (target.label, target.statement) not in expected:
                expected.append((target.label, target.statement))
        assert [(g.label, g.statement) for g in goals] == expected, plan
        checked += len(expected)
    assert checked  # the seeds state goals


def test_the_summary_of_the_rows_is_the_databases():
    for plan in seed_plans():
        tasks = list(plan.tasks.all())
        duty_rows.attach(tasks)
        assert duty_rows.summary(r for t in tasks for r in t.duty_rows) == Duty.objects.in_plan(plan).summary()


def test_a_task_without_duties_or_targets_gets_empty_lists(ingest_text):
    plan = ingest_text("株洲市荷塘区测试方案\n一、重点任务\n（一）开展调查研究。\n").plan
    tasks = list(plan.tasks.all())
    assert duty_rows.attach(tasks, targets=True, goals_of=plan.pk) == []
    assert tasks and all(t.duty_rows == [] and t.target_rows == [] for t in tasks)

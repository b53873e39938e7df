"""Deadlines follow the plan's text at every ingest; a deadline a person set never does."""

from datetime import date

import pytest
from django.core.management import call_command

from plans.models import Task
from progress.models import Deadline, Milestone
from progress.writing import deadlines as timelines
from tests.factories import TIANXIN_PLAN, seed_plan

pytestmark = pytest.mark.django_db


def deadline(plan, ref) -> Deadline:
    return Deadline.objects.get(task__plan=plan, task__ref=ref)


def test_every_seed_task_has_a_deadline_and_those_whose_text_states_a_year_have_a_date():
    for prefix in ("000", "001", "002", "003", "004"):
        plan = seed_plan(prefix)
        assert Deadline.objects.filter(task__plan=plan).count() == plan.tasks.count()
        dated = set(Task.objects.filter(plan=plan, targets__year__isnull=False).values_list("pk", flat=True))
        with_date = set(
            Deadline.objects.filter(task__plan=plan, due_on__isnull=False).values_list("task_id", flat=True)
        )
        assert dated <= with_date, prefix


@pytest.mark.parametrize(
    ("prefix", "ref", "due_on", "basis"),
    [
        # 000 3.5.3: 推进农村建设和用能低碳转型 … 到2025年，力争创建2个省级美丽乡村建设示范村
        ("000", "3.5.3", date(2025, 12, 31), "到2025年"),
        # 001 3.1.2: 到2023年底前完成集中式光伏 … 到2024年底前完成风电 … 到2025年全市风电装机70万千瓦以上
        ("001", "3.1.2", date(2025, 12, 31), "到2025年"),
        # 004 3.1.1: 到2025年,65蒸吨/小时及以上燃煤锅炉全面实现超低排放和节能改造
        ("004", "3.1.1", date(2025, 12, 31), "到2025年"),
    ],
)
def test_a_sample_of_seed_deadlines(prefix, ref, due_on, basis):
    found = deadline(seed_plan(prefix), ref)
    assert (found.due_on, found.ongoing, found.source, found.basis) == (due_on, False, "derived", basis)


def test_a_seed_task_with_targets_in_several_years_has_its_milestones():
    task = Task.objects.get(plan=seed_plan("001"), ref="3.1.2")
    assert [(m.year, m.due_on) for m in Milestone.objects.filter(task=task)] == [
        (2023, date(2023, 12, 31)),
        (2024, date(2024, 12, 31)),
        (2025, date(2025, 12, 31)),
    ]
    assert "风电项目建设" in Milestone.objects.get(task=task, year=2024).text


def test_a_seed_task_that_says_its_work_goes_on_is_ongoing():
    ongoing = Deadline.objects.filter(task__plan=seed_plan("000"), ongoing=True).select_related("task")
    assert [(d.task.ref, d.basis) for d in ongoing] == [("3.2.5", "持续推进")]


def test_a_derived_deadline_follows_a_changed_text(ingest_text):
    plan = ingest_text(TIANXIN_PLAN).plan
    assert deadline(plan, "3.1.1").label == "未定"
    changed = TIANXIN_PLAN.replace("加快分布式光伏建设。", "加快分布式光伏建设，到2027年装机5万千瓦。")
    ingest_text(changed, name="plan2.txt")
    found = deadline(plan, "3.1.1")
    assert (found.due_on, found.basis) == (date(2027, 12, 31), "到2027年")
    rows = list(found.history.order_by("history_id").values_list("due_on", "history_change_reason"))
    assert rows == [(None, timelines.BASELINE_REASON), (date(2027, 12, 31), "按原文更新：plan2.txt")]


def test_a_reingest_never_changes_a_deadline_a_person_set(ingest_text, administrator):
    plan = ingest_text(TIANXIN_PLAN).plan
    task = Task.objects.get(plan=plan, ref="3.1.1")
    current = timelines.deadline_of(task)
    timelines.set_deadline(
        task,
        administrator,
        due_on=date(2026, 6, 30),
        ongoing=False,
        reason="会议纪要",
        version=timelines.version_of(current),
    )
    ingest_text(TIANXIN_PLAN.replace("加快分布式光伏建设。", "到2027年装机5万千瓦。"), name="plan2.txt")
    found = deadline(plan, "3.1.1")
    assert (found.due_on, found.source) == (date(2026, 6, 30), "manual")
    last = found.history.latest()
    assert (last.history_user, last.history_change_reason) == (administrator, "会议纪要")


def test_giving_a_deadline_back_to_the_text_derives_it_again(ingest_text, administrator):
    plan = ingest_text(TIANXIN_PLAN.replace("加快分布式光伏建设。", "到2027年装机5万千瓦。")).plan
    task = Task.objects.get(plan=plan, ref="3.1.1")
    version = timelines.version_of(timelines.deadline_of(task))
    timelines.set_deadline(task, administrator, due_on=None, ongoing=True, reason="", version=version)
    assert deadline(plan, "3.1.1").label == "长期坚持"
    version = timelines.version_of(deadline(plan, "3.1.1"))
    assert timelines.restore_text(task, administrator, reason="", version=version)
    assert (deadline(plan, "3.1.1").due_on, deadline(plan, "3.1.1").source) == (date(2027, 12, 31), "derived")


def test_a_stale_form_does_not_overwrite_a_newer_deadline(ingest_text, administrator, outsider):
    plan = ingest_text(TIANXIN_PLAN).plan
    task = Task.objects.get(plan=plan, ref="3.1.1")
    opened = timelines.version_of(timelines.deadline_of(task))
    timelines.set_deadline(task, administrator, due_on=date(2026, 1, 31), ongoing=False, reason="", version=opened)
    with pytest.raises(timelines.StaleDeadline, match="administrator"):
        timelines.set_deadline(task, outsider, due_on=date(2027, 1, 31), ongoing=False, reason="", version=opened)
    assert deadline(plan, "3.1.1").due_on == date(2026, 1, 31)


def test_a_dry_run_ingest_stores_no_deadline(ingest_text):
    before = Deadline.objects.count()
    ingest_text(TIANXIN_PLAN, dry_run=True)
    assert Deadline.objects.count() == before


def test_the_command_derives_deadlines_for_plans_stored_before_progress(capsys):
    plan = seed_plan("002")
    Deadline.objects.filter(task__plan=plan).delete()
    call_command("derive_deadlines", "--plan", str(plan.pk))
    assert Deadline.objects.filter(task__plan=plan).count() == plan.tasks.count()
    assert f"{plan}：新建 {plan.tasks.count()}" in capsys.readouterr().out

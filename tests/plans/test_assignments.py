"""The one writer of what people decide (plans.assignments): the contract re-ingesting relies on."""

import pytest

from lib.history import Change
from plans.assignments import BASELINE_REASON, Assignments
from plans.models import Duty, RemovedDuty
from tests.factories import seed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    """A seed task with at least three units, as the ingester left them (no history)."""
    return next(t for t in seed_plan("000").tasks.order_by("position") if t.duties.count() >= 3)


def writer(user=None, reason="测试") -> Assignments:
    return Assignments(Change(user, reason))


def history(duty_id: int) -> list[tuple[str, str | None]]:
    return list(
        Duty.history.filter(id=duty_id).order_by("history_id").values_list("history_type", "history_change_reason")
    )


def test_a_role_changed_by_hand_makes_the_duty_manual_with_a_baseline_before_it(task, administrator):
    duty = task.duties.order_by("position").last()
    assert duty.source == Duty.Source.TEXT and history(duty.pk) == []
    assert writer(administrator, "会议决定").update(duty, role=Duty.Role.LEAD, inferred=False)
    duty.refresh_from_db()
    assert (duty.role, duty.source) == (Duty.Role.LEAD, Duty.Source.MANUAL)
    assert history(duty.pk) == [("+", BASELINE_REASON), ("~", "会议决定")]
    assert Duty.history.filter(id=duty.pk).latest("history_id").history_user == administrator


def test_a_new_position_marks_the_task_ordered_by_hand_and_keeps_the_source(task):
    duty = task.duties.order_by("position").last()
    writer().update(duty, position=0)
    duty.refresh_from_db()
    task.refresh_from_db()
    assert duty.source == Duty.Source.TEXT and task.duties_ordered_by_hand


def test_nothing_changed_writes_nothing(task):
    duty = task.duties.first()
    assert not writer().update(duty, role=duty.role, inferred=duty.inferred, position=duty.position)
    assert history(duty.pk) == []


def test_a_removal_is_remembered_and_adding_the_unit_again_forgets_it(task):
    duty = task.duties.order_by("position").last()
    agency_id, role = duty.agency_id, duty.role
    writer().remove(duty)
    assert RemovedDuty.objects.filter(task=task, agency_id=agency_id, role=role).exists()
    added = writer().add(task.pk, agency_id, Duty.Role.COOPERATING, position=9)
    assert added.source == Duty.Source.MANUAL
    assert not RemovedDuty.objects.filter(task=task, agency_id=agency_id).exists()


def test_dropping_a_duty_remembers_no_removal(task):
    duty = task.duties.first()
    duty_id = duty.pk
    writer().drop(duty)
    assert not Duty.objects.filter(pk=duty_id).exists()
    assert not RemovedDuty.objects.filter(task=task).exists()
    assert history(duty_id) == [("+", BASELINE_REASON), ("-", "测试")]


def test_moving_an_agencys_duty_keeps_its_source(task, cast):
    duty = task.duties.exclude(agency=cast.lead).first()
    other = type(duty.agency).objects.create(region=duty.agency.region, name="区测试局")
    writer().update(duty, agency=other)
    duty.refresh_from_db()
    assert duty.agency == other and duty.source == Duty.Source.TEXT

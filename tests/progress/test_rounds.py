"""Opening reporting rounds, by hand and on a schedule."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils.timezone import localdate

from lib.history import Change
from plans.models import Duty
from progress.models import Report, ReportingRound, RoundSchedule
from progress.writing import reports as reporting
from progress.writing import rounds

from .support import open_round

pytestmark = pytest.mark.django_db


def reporting_pairs(plan, task_ids=None):
    """Every lead and joint unit that is one body: a collective (各园区, 各县市区) reports through them."""
    duties = Duty.objects.filter(task__plan=plan, role__in=["lead", "joint"]).exclude(agency__kind="collective")
    if task_ids is not None:
        duties = duties.filter(task_id__in=task_ids)
    return set(duties.values_list("task_id", "agency_id"))


def test_a_round_for_all_tasks_gives_every_lead_and_joint_unit_a_pending_report(cast):
    round = open_round(cast.plan, cast.coordinator)
    reports = Report.objects.filter(round=round)
    assert set(reports.values_list("task_id", "agency_id")) == reporting_pairs(cast.plan)
    # The seed's collectives that lead or share a task get none.
    collective = Duty.objects.filter(task__plan=cast.plan, role__in=["lead", "joint"], agency__kind="collective")
    assert collective.exists() and not reports.filter(agency__in=collective.values("agency")).exists()
    assert set(reports.values_list("state", flat=True)) == {"pending"}
    # Cooperating units do not report; they add to the lead's report.
    assert not reports.filter(agency=cast.cooperating, task=cast.task).exists()
    assert round.opened_by == cast.coordinator


def test_a_round_for_some_tasks_covers_only_those(cast):
    round = open_round(cast.plan, cast.coordinator, task_ids=[cast.task.pk])
    assert set(Report.objects.filter(round=round).values_list("task_id", "agency_id")) == reporting_pairs(
        cast.plan, [cast.task.pk]
    )


def test_closed_tasks_are_left_out_of_new_rounds(cast):
    reporting.close_task(cast.task, cast.coordinator, note="已完成")
    round = open_round(cast.plan, cast.coordinator)
    assert not Report.objects.filter(round=round, task=cast.task).exists()


def test_a_plan_has_one_round_of_a_name(cast):
    open_round(cast.plan, cast.coordinator, name="2026年第1季度")
    with pytest.raises(rounds.RoundError, match="已有名为“2026年第1季度”"):
        open_round(cast.plan, cast.coordinator, name="2026年第1季度")
    assert ReportingRound.objects.filter(plan=cast.plan).count() == 1


def test_the_database_refuses_a_round_ending_before_it_starts(cast):
    with pytest.raises(IntegrityError):
        ReportingRound.objects.create(
            plan=cast.plan,
            name="x",
            period_start=date(2026, 3, 1),
            period_end=date(2026, 1, 1),
            due_on=date(2026, 4, 1),
        )


def test_syncing_a_round_adds_a_unit_that_became_lead_after_it_opened(cast, administrator):
    round = open_round(cast.plan, cast.coordinator, task_ids=[cast.task.pk])
    duty = Duty.objects.get(task=cast.task, agency=cast.cooperating)
    duty.role = Duty.Role.JOINT
    Change(administrator, "测试").save(duty)
    assert rounds.sync_round(round) == 1
    assert Report.objects.filter(round=round, task=cast.task, agency=cast.cooperating, state="pending").exists()
    assert rounds.sync_round(round) == 0


def test_a_schedule_opens_the_round_of_the_last_whole_period_once(cast, capsys):
    rounds.set_schedule(cast.plan, cast.coordinator, frequency="quarterly", due_after_days=10)
    call_command("open_rounds", "--today", "2026-04-02")
    round = ReportingRound.objects.get(plan=cast.plan)
    assert (round.name, round.period_start, round.period_end, round.due_on, round.scheduled) == (
        "2026年第1季度",
        date(2026, 1, 1),
        date(2026, 3, 31),
        date(2026, 4, 10),
        True,
    )
    assert set(round.reports.values_list("task_id", "agency_id")) == reporting_pairs(cast.plan)
    call_command("open_rounds", "--today", "2026-04-20")
    assert ReportingRound.objects.filter(plan=cast.plan).count() == 1
    assert "已开启" in capsys.readouterr().out


def test_a_dry_run_of_the_schedule_opens_nothing(cast, capsys):
    rounds.set_schedule(cast.plan, cast.coordinator, frequency="monthly", due_after_days=5)
    call_command("open_rounds", "--today", "2026-04-02", "--dry-run")
    assert "将开启 " in capsys.readouterr().out
    assert not ReportingRound.objects.filter(plan=cast.plan).exists()


def test_stopping_a_schedule_keeps_its_history(cast):
    rounds.set_schedule(cast.plan, cast.coordinator, frequency="half_yearly", due_after_days=15)
    rounds.set_schedule(cast.plan, cast.coordinator, frequency=None, due_after_days=15)
    schedule = RoundSchedule.objects.get(plan=cast.plan)
    assert not schedule.active
    assert list(schedule.history.order_by("history_id").values_list("history_change_reason", flat=True)) == [
        "设置定期报送",
        "停止定期报送",
    ]


def test_the_suggested_round_is_the_last_quarter_due_ten_days_after_while_that_can_still_be_met(cast):
    spec = rounds.suggested(date(2026, 4, 5))
    assert (spec.name, spec.due_on) == ("2026年第1季度", date(2026, 4, 10))
    spec = rounds.suggested(date(2026, 4, 10))
    assert (spec.name, spec.due_on) == ("2026年第1季度", date(2026, 4, 10))


def test_once_the_last_quarters_due_date_has_passed_the_suggested_round_is_the_current_quarter(cast):
    # Issue 22: opened on 2026-12-07 the form offered 2026年第3季度, due 2026-10-10, late the moment it opened.
    spec = rounds.suggested(date(2026, 12, 7))
    assert (spec.name, spec.period_start, spec.due_on) == ("2026年第4季度", date(2026, 10, 1), date(2027, 1, 10))
    spec = rounds.suggested(date(2026, 5, 20), months=1, due_after_days=5)
    assert (spec.name, spec.due_on) == ("2026年5月", date(2026, 6, 5))


def test_a_report_starts_from_the_units_last_filled_in_report(cast, report, round):
    from .support import fill, report_of

    fill(report, cast.lead_staff, progress="一季度完成调研")
    later = open_round(cast.plan, cast.coordinator, name="第二轮", due_in=100)
    assert report_of(later, cast.task, cast.lead).previous() == Report.objects.get(pk=report.pk)
    assert report.previous() is None
    assert localdate() + timedelta(days=10) == round.due_on

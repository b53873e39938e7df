"""Opening reporting rounds, by hand or on a plan's schedule: a round gets a pending report for every reporting
unit (lead or joint) of each task it covers. Closed tasks (办结) are left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from lib.history import Change
from plans.models import Duty, Plan
from progress.models import Closure, Report, ReportingRound, RoundSchedule
from progress.reading import periods
from progress.reading.tracking import reporting
from progress.writing import inbox


class RoundError(Exception):
    """A round that cannot be opened; the message says why."""


@dataclass(frozen=True)
class RoundSpec:
    name: str
    period_start: date
    period_end: date
    due_on: date
    note: str = ""


def suggested(today: date, months: int = 3, due_after_days: int = 10) -> RoundSpec:
    """The round a coordinator most likely opens today: the last whole period, due `due_after_days` after it, while
    that can still be met; once its due date has passed, the current period (a round opened late in December is
    for the fourth quarter, not a third quarter already overdue)."""
    from datetime import timedelta

    period = periods.last_complete(today, months)
    if period.end + timedelta(days=due_after_days) < today:
        period = periods.containing(today, months)
    return RoundSpec(period.name, period.start, period.end, period.end + timedelta(days=due_after_days))


def open_round(
    plan: Plan, user, spec: RoundSpec, *, task_ids: list[int] | None = None, scheduled: bool = False
) -> ReportingRound:
    """Open a round for all the plan's tasks (task_ids None) or some. Raises RoundError, writing nothing."""
    if not plan.is_supervised:
        raise RoundError(
            f"本方案状态为“{plan.get_state_display()}”，未纳入督办，不能开启报送轮次；如需督办，请先把方案状态改为“执行中”。"
        )
    if spec.period_start > spec.period_end:
        raise RoundError("周期开始日期不能晚于结束日期。")
    if spec.due_on < spec.period_start:
        raise RoundError("报送截止日不能早于周期开始日期。")
    try:
        with transaction.atomic():
            round = ReportingRound.objects.create(
                plan=plan,
                name=spec.name,
                period_start=spec.period_start,
                period_end=spec.period_end,
                due_on=spec.due_on,
                note=spec.note,
                opened_by=user,
                scheduled=scheduled,
            )
            if not add_reports(round, task_ids):
                raise RoundError(
                    "所选任务都没有单独报送的牵头或共同负责单位（集合主体不单独报送），或已办结，无需报送。"
                )
            inbox.round_opened(round)  # each unit's staff are told in the app, with or without e-mail
    except IntegrityError:
        raise RoundError(f"本方案已有名为“{spec.name}”的报送轮次。") from None
    return round


def add_reports(round: ReportingRound, task_ids: list[int] | None = None) -> int:
    """A pending report for every reporting unit of the tasks (all the plan's when None) that has none in the
    round yet; closed tasks are left out. Returns how many were added. Four queries."""
    duties = reporting(Duty.objects.filter(task__plan_id=round.plan_id)).exclude(
        task__in=Closure.objects.values("task")
    )
    if task_ids is not None:
        duties = duties.filter(task_id__in=task_ids)
    have = set(Report.objects.filter(round=round).values_list("task_id", "agency_id"))
    new = [
        Report(round=round, task_id=task_id, agency_id=agency_id, due_on=round.due_on)
        for task_id, agency_id in duties.order_by("task__position", "position").values_list("task_id", "agency_id")
        if (task_id, agency_id) not in have
    ]
    Report.objects.bulk_create(new)
    return len(new)


def sync_round(round: ReportingRound) -> int:
    """Units that became reporting units of the round's tasks since it opened get their report too."""
    task_ids = list(Report.objects.filter(round=round).values_list("task_id", flat=True).distinct())
    return add_reports(round, task_ids)


def set_schedule(plan: Plan, user, *, frequency: str | None, due_after_days: int, reason: str = "") -> None:
    """Rounds repeat on `frequency` (None: they stop)."""
    schedule = RoundSchedule.objects.filter(plan=plan).first()
    if frequency is None:
        if schedule is not None and schedule.active:
            schedule.active = False
            schedule.updated_by = user
            Change(user, reason or "停止定期报送").save(schedule)
        return
    schedule = schedule or RoundSchedule(plan=plan)
    schedule.frequency, schedule.due_after_days, schedule.active = frequency, due_after_days, True
    schedule.updated_by = user
    Change(user, reason or "设置定期报送").save(schedule)


def open_scheduled(today: date, *, dry_run: bool = False) -> list[tuple[Plan, RoundSpec, ReportingRound | None]]:
    """For every active schedule of a plan under 督办, the round of the last whole period, opened unless the plan
    has one of that name.

    Returns (plan, spec, round) for each round due; round is None in a dry run or when it could not be opened.
    """
    opened = []
    schedules = RoundSchedule.objects.filter(active=True, plan__state=Plan.State.ACTIVE)
    for schedule in schedules.select_related("plan__region"):
        period = schedule.last_period(today)
        spec = RoundSpec(period.name, period.start, period.end, schedule.due_on(period))
        if ReportingRound.objects.filter(plan=schedule.plan, name=spec.name).exists():
            continue
        round = None
        if not dry_run:
            try:
                round = open_round(schedule.plan, None, spec, scheduled=True)
            except RoundError:
                round = None
        opened.append((schedule.plan, spec, round))
    return opened

"""The facts progress.reading.status rules on, read from the database: annotations, one query however many tasks.

A reporting unit is a task's lead or joint unit that is one body: it owes a report in every round that covers the
task. A collective (各县市区, 领导小组各成员单位, 各有关部门) is many bodies that no one account answers for, so it
owes no report of its own and is never chased: the task's other reporting units report for it, and where it is the
only one, the task goes by its deadline and closure. A cooperating unit's status on a task is the task's, and so is
a collective's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, Subquery

from agencies.models import Agency
from plans.models import Duty
from progress.models import OPEN_STATES, SUBMITTED_STATES, Closure, Report
from progress.reading.status import Facts, Status, status_of, worst

REPORTING_ROLES = (Duty.Role.LEAD, Duty.Role.JOINT)


def reporting(duties):
    """The duties whose unit owes reports: lead or joint, and one body, not a collective. The one rule every report
    slot, status, reminder and count of 督办 follows."""
    return duties.filter(role__in=REPORTING_ROLES).exclude(agency__kind=Agency.Kind.COLLECTIVE)


def not_reporting(duties):
    """The others: cooperating units, and collectives whatever their role; each takes the task's status."""
    return duties.filter(~Q(role__in=REPORTING_ROLES) | Q(agency__kind=Agency.Kind.COLLECTIVE))


def collectives(duties):
    """Collectives that lead or share a task: shown beside its reporting units, as reporting through them."""
    return duties.filter(role__in=REPORTING_ROLES, agency__kind=Agency.Kind.COLLECTIVE)


def _closed():
    return Exists(Closure.objects.filter(task=OuterRef("task")))


def with_facts(duties, today: date):
    """Reporting duties (see `reporting`), each annotated with its unit's facts on its task:
    closed, due_on, last_due_state (its report in the last round past due), latest_status (of its latest
    submitted report) and report_due_on (the soonest round not yet past due it still owes a report in)."""
    reports = Report.objects.filter(task=OuterRef("task"), agency=OuterRef("agency")).order_by()
    newest = ("-due_on", "-round_id")
    return reporting(duties).annotate(
        closed=_closed(),
        due_on=F("task__deadline__due_on"),
        last_due_state=Subquery(reports.filter(due_on__lt=today).order_by(*newest).values("state")[:1]),
        latest_status=Subquery(reports.filter(state__in=SUBMITTED_STATES).order_by(*newest).values("status")[:1]),
        report_due_on=Subquery(
            reports.filter(state__in=OPEN_STATES, due_on__gte=today).order_by("due_on").values("due_on")[:1]
        ),
    )


def tasks_with_facts(tasks):
    """Tasks annotated closed and due_on (their deadline), for tasks no unit reports on."""
    return tasks.annotate(closed=Exists(Closure.objects.filter(task=OuterRef("pk"))), due_on=F("deadline__due_on"))


def facts_of(duty) -> Facts:
    """The facts of a duty annotated by with_facts."""
    return Facts(
        closed=duty.closed,
        due_on=duty.due_on,
        missing=duty.last_due_state in OPEN_STATES,
        lagging=duty.latest_status == Report.Status.LAGGING,
        report_due_on=duty.report_due_on,
    )


@dataclass
class Board:
    """Statuses of tasks and of their reporting units, computed once for a page."""

    task_status: dict[int, Status]
    duty_status: dict[int, Status]


def board(tasks, duties, today: date, soon_days: int) -> Board:
    """`tasks` annotated by tasks_with_facts, `duties` by with_facts. A task's status is its worst unit's;
    a task no unit reports on goes by its deadline and closure alone."""
    duty_status = {d.pk: status_of(facts_of(d), today, soon_days) for d in duties}
    by_task: dict[int, list[Status]] = {}
    for duty in duties:
        by_task.setdefault(duty.task_id, []).append(duty_status[duty.pk])
    task_status = {}
    for task in tasks:
        own = status_of(Facts(closed=task.closed, due_on=task.due_on), today, soon_days)
        task_status[task.pk] = worst([own, *by_task.get(task.pk, [])])
    return Board(task_status, duty_status)

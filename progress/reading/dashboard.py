"""What the 督办 pages show, assembled from a fixed number of queries however many tasks, rounds and reports:
a plan's dashboard, an agency's record, and the administrators' overview across plans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from agencies.models import Agency
from plans.models import Duty, Plan, Task
from progress.models import OPEN_STATES, SUBMITTED_STATES, Report, ReportingRound
from progress.reading import charts
from progress.reading.status import ORDER, Status, counts
from progress.reading.tracking import board, not_reporting, reporting, tasks_with_facts, with_facts

# Lists of duties need their task's heading and plan's title, never the task's text or the plan's whole source.
LIGHT_TASK = ("task__body", "task__clause_text", "task__clause_note", "task__plan__source_text")
# Bounded lists: a page never grows without limit.
LIST_LIMIT = 100
CHART_ROUNDS = 24
RECORD_ROUNDS = 24
OVERVIEW_AGENCIES = 50


@dataclass
class TaskRow:
    task: Task
    status: Status
    reporters: list[tuple[Agency, Status]]


@dataclass
class Group:
    """Counts by status for a section or an agency."""

    label: str
    url: str
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def trouble(self) -> int:
        return sum(self.counts[s] for s in (Status.OVERDUE, Status.MISSING, Status.LAGGING))


@dataclass
class RoundRecord:
    """How a round's reports stand: on time, late, not yet submitted, and what they say."""

    round: ReportingRound
    total: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def chart_counts(self) -> dict[str, int]:
        return {**self.by_status, "missing": self.open}


def round_records(reports, rounds: list[ReportingRound]) -> list[RoundRecord]:
    """Per round (in the order given): reports on time (first submitted by the due date), late, still open, and
    the statuses of those submitted. One query."""
    submitted = Q(state__in=SUBMITTED_STATES)
    rows = (
        reports.filter(round__in=rounds)
        .values("round_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            on_time=Count("pk", filter=submitted & Q(on_time=True)),
            completed=Count("pk", filter=submitted & Q(status=Report.Status.COMPLETED)),
            in_progress=Count("pk", filter=submitted & Q(status=Report.Status.IN_PROGRESS)),
            not_started=Count("pk", filter=submitted & Q(status=Report.Status.NOT_STARTED)),
            lagging=Count("pk", filter=submitted & Q(status=Report.Status.LAGGING)),
        )
        .order_by()
    )
    by_round = {row["round_id"]: row for row in rows}
    records = []
    for round in rounds:
        row = by_round.get(round.pk)
        record = RoundRecord(round)
        if row:
            record.total, record.open, record.on_time = row["total"], row["open"], row["on_time"]
            record.late = record.total - record.open - record.on_time
            record.by_status = {key: row[key] for key in ("completed", "in_progress", "not_started", "lagging")}
        records.append(record)
    return records


@dataclass
class PlanDashboard:
    plan: Plan
    today: date
    counts: dict[Status, int]
    sections: list[Group]
    agencies: list[Group]
    overdue: list[TaskRow]
    overdue_total: int
    rounds: list[ReportingRound]
    current: ReportingRound | None
    missing: list[Report]
    missing_total: int
    records: list[RoundRecord]
    chart: charts.Chart
    task_total: int


def plan_dashboard(plan: Plan, today: date, soon_days: int, round_id: int | None = None) -> PlanDashboard:
    """Five queries: tasks, reporting duties, rounds, the chosen round's open reports, reports per round."""
    tasks = list(
        tasks_with_facts(Task.objects.filter(plan=plan))
        .select_related("section", "deadline")
        .defer("body", "clause_text", "clause_note")
        .order_by("position")
    )
    duties = list(
        with_facts(Duty.objects.filter(task__plan=plan), today).select_related("agency").order_by("task_id", "position")
    )
    statuses = board(tasks, duties, today, soon_days)
    reporters: dict[int, list[tuple[Agency, Status]]] = {}
    agency_statuses: dict[int, list[Status]] = {}
    agencies: dict[int, Agency] = {}
    for duty in duties:
        status = statuses.duty_status[duty.pk]
        reporters.setdefault(duty.task_id, []).append((duty.agency, status))
        agency_statuses.setdefault(duty.agency_id, []).append(status)
        agencies[duty.agency_id] = duty.agency

    sections: dict[int, Group] = {}
    overdue = []
    for task in tasks:
        status = statuses.task_status[task.pk]
        group = sections.setdefault(task.section_id, Group(task.section.heading, "", dict.fromkeys(ORDER, 0)))
        group.counts[status] += 1
        if status == Status.OVERDUE:
            overdue.append(TaskRow(task, status, reporters.get(task.pk, [])))
    by_agency = [
        Group(agencies[pk].name, reverse("progress:agency", args=[pk]), counts(found))
        for pk, found in agency_statuses.items()
    ]
    by_agency.sort(key=lambda g: (-g.trouble, -g.total, g.label))

    rounds = list(ReportingRound.objects.filter(plan=plan).newest_first()[:CHART_ROUNDS])
    current = next((r for r in rounds if r.pk == round_id), rounds[0] if rounds else None)
    missing, missing_total = [], 0
    records = round_records(Report.objects.all(), list(reversed(rounds)))
    if current is not None:
        missing = list(
            Report.objects.filter(round=current)
            .open()
            .select_related("task", "agency")
            .defer("task__body", "task__clause_text", "task__clause_note")
            .in_outline_order()[:LIST_LIMIT]
        )
        missing_total = next(r.open for r in records if r.round.pk == current.pk)
    chart = charts.stacked_bars([(r.round.name, r.chart_counts()) for r in records])
    return PlanDashboard(
        plan=plan,
        today=today,
        counts=counts(statuses.task_status.values()),
        sections=list(sections.values()),
        agencies=by_agency,
        overdue=overdue[:LIST_LIMIT],
        overdue_total=len(overdue),
        rounds=rounds,
        current=current,
        missing=missing,
        missing_total=missing_total,
        records=list(reversed(records)),
        chart=chart,
        task_total=len(tasks),
    )


@dataclass
class DutyRow:
    duty: Duty
    status: Status


@dataclass
class AgencyBoard:
    agency: Agency
    counts: dict[Status, int]
    rows: list[DutyRow]
    row_total: int
    records: list[RoundRecord]


def agency_board(agency: Agency, today: date, soon_days: int) -> AgencyBoard:
    """The agency's tasks across the plans under 督办 by status, and its reporting record. Five queries.

    Its status on a task it leads or shares is its own; on a task it cooperates on, the task's.
    """
    supervised = Duty.objects.filter(agency=agency, task__plan__state=Plan.State.ACTIVE)
    own = list(
        with_facts(supervised, today)
        .select_related("task__plan", "task__deadline")
        .defer(*LIGHT_TASK)
        .order_by("task__plan_id", "task__position")
    )
    cooperating = list(
        not_reporting(supervised)
        .select_related("task__plan", "task__deadline")
        .defer(*LIGHT_TASK)
        .order_by("task__plan_id", "task__position")
    )
    task_ids = [d.task_id for d in cooperating]
    others = list(with_facts(Duty.objects.filter(task_id__in=task_ids), today)) if task_ids else []
    task_rows = list(tasks_with_facts(Task.objects.filter(pk__in=task_ids))) if task_ids else []
    statuses = board(task_rows, others, today, soon_days)
    own_statuses = board([], own, today, soon_days).duty_status
    rows = [DutyRow(d, own_statuses[d.pk]) for d in own]
    rows += [DutyRow(d, statuses.task_status[d.task_id]) for d in cooperating]
    rows.sort(key=lambda r: (ORDER.index(r.status), r.duty.task.plan_id, r.duty.task.position))

    agency_reports = Report.objects.filter(agency=agency)
    rounds = list(
        ReportingRound.objects.filter(reports__agency=agency)
        .distinct()
        .select_related("plan")
        .defer("plan__source_text")
        .newest_first()[:RECORD_ROUNDS]
    )
    return AgencyBoard(
        agency=agency,
        counts=counts(r.status for r in rows),
        rows=rows[:LIST_LIMIT],
        row_total=len(rows),
        records=round_records(agency_reports, rounds),
    )


@dataclass
class OverviewRow:
    agency: Agency
    missing: int
    overdue: int

    @property
    def total(self) -> int:
        return self.missing + self.overdue


def overview(today: date) -> list[OverviewRow]:
    """Agencies with the most reports missing (rounds past due) and tasks overdue, across the plans under 督办.
    Three queries."""
    missing = Counter(
        {
            row["agency_id"]: row["n"]
            for row in Report.objects.overdue(today).values("agency_id").annotate(n=Count("pk")).order_by()
        }
    )
    overdue = Counter(
        {
            row["agency_id"]: row["n"]
            for row in reporting(Duty.objects.filter(task__deadline__due_on__lt=today))
            .filter(task__closure__isnull=True, task__plan__state=Plan.State.ACTIVE)
            .values("agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    ranked = sorted(set(missing) | set(overdue), key=lambda pk: (-(missing[pk] + overdue[pk]), pk))
    top = ranked[:OVERVIEW_AGENCIES]
    agencies = Agency.objects.select_related("region").in_bulk(top)
    return [OverviewRow(agencies[pk], missing[pk], overdue[pk]) for pk in top if pk in agencies]

"""Rates and rankings (督查考核): for a period, per agency or per region below one, what was due and what was done
on time, in the plans under 督办. A fixed number of queries however many agencies.

按时报送率  reports due in the period (their round's due date within it and passed) first submitted by that date
按时完成率  tasks due in the period (their deadline within it and passed) that were closed (办结) by the deadline,
           counted for each of their reporting units (progress.reading.tracking.reporting)
逾期        of those tasks, the ones not closed by their deadline: closed late or still open

A rate is None when nothing was due. Ranks (排名) follow the chosen order; equal values share a rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q

from agencies.models import Agency, Region
from agencies.navigation import places_under
from plans.models import Duty, Plan
from progress.models import Report
from progress.reading.tracking import reporting

# The orders a list can be ranked by: (label, key for sorted, best first).
ORDERS = {
    "task": "按时完成率",
    "report": "按时报送率",
    "overdue": "逾期任务",
}
DEFAULT_ORDER = "task"


@dataclass
class RateRow:
    key: int  # an agency's or a region's id
    label: str
    region: str = ""  # the agency's region, for an agency row
    reports_due: int = 0
    reports_on_time: int = 0
    tasks_due: int = 0
    tasks_on_time: int = 0
    rank: int = 0

    @property
    def report_rate(self) -> float | None:
        return _rate(self.reports_on_time, self.reports_due)

    @property
    def task_rate(self) -> float | None:
        return _rate(self.tasks_on_time, self.tasks_due)

    @property
    def overdue(self) -> int:
        return self.tasks_due - self.tasks_on_time

    @property
    def reports_late(self) -> int:
        return self.reports_due - self.reports_on_time

    def add(self, other: RateRow) -> None:
        self.reports_due += other.reports_due
        self.reports_on_time += other.reports_on_time
        self.tasks_due += other.tasks_due
        self.tasks_on_time += other.tasks_on_time


def _rate(done: int, due: int) -> float | None:
    return round(100 * done / due, 1) if due else None


@dataclass(frozen=True)
class Window:
    """The period rated: what fell due from `start` to `end`, and had fallen due by `today`."""

    start: date
    end: date
    today: date

    @property
    def last_due(self) -> date:
        """The last due date counted: a report or task due today is not late yet."""
        return min(self.end, self.today - timedelta(days=1))


def _counts(window: Window, region_ids: list[int] | None) -> dict[int, RateRow]:
    """Per agency: reports and tasks due and done on time. Two queries."""
    rows: dict[int, RateRow] = {}
    reports = Report.objects.supervised().filter(due_on__gte=window.start, due_on__lte=window.last_due)
    duties = reporting(
        Duty.objects.filter(
            task__plan__state=Plan.State.ACTIVE,
            task__deadline__due_on__gte=window.start,
            task__deadline__due_on__lte=window.last_due,
        )
    )
    if region_ids is not None:
        reports = reports.filter(agency__region_id__in=region_ids)
        duties = duties.filter(agency__region_id__in=region_ids)
    for row in (
        reports.values("agency_id").annotate(due=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))).order_by()
    ):
        rate = rows.setdefault(row["agency_id"], RateRow(row["agency_id"], ""))
        rate.reports_due, rate.reports_on_time = row["due"], row["on_time"]
    closed_in_time = Q(task__closure__closed_at__date__lte=F("task__deadline__due_on"))
    for row in (
        duties.values("agency_id").annotate(due=Count("pk"), on_time=Count("pk", filter=closed_in_time)).order_by()
    ):
        rate = rows.setdefault(row["agency_id"], RateRow(row["agency_id"], ""))
        rate.tasks_due, rate.tasks_on_time = row["due"], row["on_time"]
    return rows


def agency_rates(window: Window, region: Region | None = None, order: str = DEFAULT_ORDER) -> list[RateRow]:
    """Every agency of the region and below (all for None) that had anything due, ranked. Four queries."""
    region_ids = list(places_under(region)) if region is not None else None
    rows = _counts(window, region_ids)
    agencies = Agency.objects.select_related("region").in_bulk(list(rows))
    for pk, row in rows.items():
        agency = agencies[pk]
        row.label, row.region = agency.name, agency.region.full_name
    return ranked(list(rows.values()), order, names={pk: a.sort_key for pk, a in agencies.items()})


def region_rates(window: Window, region: Region | None = None, order: str = DEFAULT_ORDER) -> list[RateRow]:
    """Per region directly under `region` (the provinces for the country; its own agencies as a row of their own),
    what the agencies of it and below it had due and did on time, ranked. Four queries."""
    places = places_under(region)
    rows = _counts(window, list(places) if region is not None else None)
    agency_regions = dict(Agency.objects.filter(pk__in=list(rows)).values_list("pk", "region_id"))
    top = region.pk if region is not None else None
    totals: dict[int, RateRow] = {}
    for agency_id, row in rows.items():
        place = agency_regions.get(agency_id)
        if place not in places:
            continue
        while place != top and places[place].parent_id != top and places[place].parent_id in places:
            place = places[place].parent_id
        label = places[place].full_name + ("（本级）" if place == top else "")
        totals.setdefault(place, RateRow(place, label)).add(row)
    return ranked(list(totals.values()), order, names={pk: places[pk].code for pk in totals})


def ranked(rows: list[RateRow], order: str = DEFAULT_ORDER, names: dict[int, str] | None = None) -> list[RateRow]:
    """Rows sorted best first by `order` (ORDERS), each given its rank; rows with nothing due come last, unranked."""
    names = names or {}

    def value(row: RateRow):
        if order == "overdue":
            return (row.overdue, -(row.task_rate or 0))
        first, second = (row.report_rate, row.task_rate) if order == "report" else (row.task_rate, row.report_rate)
        return (-(first if first is not None else -1), -(second if second is not None else -1), row.overdue)

    def rated(row: RateRow) -> bool:
        return (row.reports_due if order == "report" else row.tasks_due) > 0

    ordered = sorted(rows, key=lambda r: (not rated(r), value(r), names.get(r.key, r.label)))
    previous, rank = None, 0
    for position, row in enumerate(ordered, start=1):
        if not rated(row):
            row.rank = 0
            continue
        if value(row) != previous:
            rank, previous = position, value(row)
        row.rank = rank
    return ordered

"""Duties as the busy pages show them, read as plain rows rather than model instances.

A page of the plan outline, its matrix or an agency's 任务清单 draws some three hundred duties. Read as Duty and
Agency instances through prefetch_related they took about 10 ms of a typical plan page's 36 ms at national scale;
read as tuples, under 3 ms. The rows carry what a chip, a matrix cell or an export cell shows, nothing else;
pages that change duties read the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from . import labels
from .models import Duty, Target

# The row's fields, in the order the query reads them.
_FIELDS = ("task_id", "agency_id", "role", "inferred", "agency__name", "agency__full_name", "agency__sort_key")


@dataclass(frozen=True, slots=True)
class DutyRow(labels.ShowsRole):
    """A duty with its agency's names: what a chip (plans.templatetags.chips) and a matrix cell show."""

    task_id: int
    agency_id: int
    role: str
    inferred: bool
    name: str
    full_name: str
    sort_key: str


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A task's dated target as its lists show it: label and statement (Target.statement)."""

    label: str
    statement: str


def duties_by_task(task_ids: Iterable[int]) -> dict[int, list[DutyRow]]:
    """{task id: its duties in their order}, in one query; a task without duties is missing."""
    found: dict[int, list[DutyRow]] = {}
    rows = Duty.objects.filter(task_id__in=list(task_ids)).order_by("task_id", "position").values_list(*_FIELDS)
    for row in rows:
        found.setdefault(row[0], []).append(DutyRow(*row))
    return found


def targets_by_task(task_ids: Iterable[int], goals_of: int | None = None) -> dict[int | None, list[TargetLine]]:
    """{task id: its target lines} as Task.target_lines gives them (a sentence stating two values once), in one
    query; a task without targets is missing. With `goals_of` (a plan id), that plan's goals (the targets no task
    holds) too, under None."""
    found: dict[int | None, list[TargetLine]] = {}
    seen: set[tuple[int | None, str, str]] = set()
    wanted = Q(task_id__in=list(task_ids))
    if goals_of is not None:
        wanted |= Q(plan_id=goals_of, task__isnull=True)
    rows = Target.objects.filter(wanted).order_by("task_id", "position").values_list("task_id", "label", "text")
    for task_id, label, text in rows:
        if (task_id, label, text) not in seen:
            seen.add((task_id, label, text))
            found.setdefault(task_id, []).append(TargetLine(label, labels.target_statement(label, text)))
    return found


def summary(rows: Iterable[DutyRow]) -> dict[str, int]:
    """DutyQuerySet.summary of duties already read: agencies (distinct), duties per role and inferred ones."""
    counts = dict.fromkeys(Duty.Role.values, 0)
    agencies, inferred = set(), 0
    for row in rows:
        counts[row.role] += 1
        agencies.add(row.agency_id)
        inferred += row.inferred
    return {"agencies": len(agencies), **counts, "inferred": inferred}


def attach(tasks: list, *, targets: bool = False, goals_of: int | None = None) -> list[TargetLine]:
    """Each task with `duty_rows` (and with `targets`, `target_rows`) set, in two queries (one without targets).
    Returns, with `goals_of` (a plan id), that plan's goals, read with the targets."""
    ids = [task.pk for task in tasks]
    duties = duties_by_task(ids)
    found = targets_by_task(ids, goals_of) if targets else {}
    for task in tasks:
        task.duty_rows = duties.get(task.pk, [])
        if targets:
            task.target_rows = found.get(task.pk, [])
    return found.get(None, [])

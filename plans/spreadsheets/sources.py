"""Rows for the 任务清单 export, read from the database as plain values in three queries however many rows.

A 50,000-row list would be 50,000 duties, their tasks, plans and sections, and 300,000 other duties as model
instances; read as tuples instead, the duties stream from a server-side cursor in chunks while the units and
targets of all their tasks are held as short tuples, each name and role once however often it recurs (the
database driver makes a new string for every value it reads).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .. import labels
from ..models import Duty, Plan, Section, Target, Task
from .export import cells
from .export.task_list import TaskListRow

CHUNK = 2_000  # rows per fetch from the server-side cursor: few round trips, little memory (task texts are long)


def task_list_rows(duties) -> Iterator[TaskListRow]:
    """A row per duty of the ordered queryset `duties`, in its order.

    Queries: the units of every task in the list (by task, in the plan's order), their targets, then the
    duties themselves with their plan, section and task text, streamed in chunks of CHUNK.
    """
    tasks = duties.order_by().values("task_id")
    units: dict[int, list[tuple[str, bool, str]]] = defaultdict(list)
    once: dict[str, str] = {}
    for task_id, role, inferred, name in (
        Duty.objects.filter(task_id__in=tasks)
        .order_by("task_id", "position", "pk")
        .values_list("task_id", "role", "inferred", "agency__name")
        .iterator(chunk_size=CHUNK)
    ):
        units[task_id].append((once.setdefault(role, role), inferred, once.setdefault(name, name)))
    targets: dict[int, dict[tuple[str, str], None]] = defaultdict(dict)
    for task_id, label, text in (
        Target.objects.filter(task_id__in=tasks)
        .order_by("task_id", "position")
        .values_list("task_id", "label", "text")
        .iterator(chunk_size=CHUNK)
    ):
        # One line per target sentence, as Task.target_lines.
        targets[task_id][(once.setdefault(label, label), once.setdefault(text, text))] = None
    rows = duties.values_list(
        "task_id",
        "role",
        "inferred",
        "task__plan__title",
        "task__plan__is_draft",
        "task__section__number",
        "task__section__title",
        "task__number",
        "task__title",
        "task__ref",
        "task__body",
    )
    for task_id, role, inferred, plan, draft, section_number, section, number, title, ref, body in rows.iterator(
        chunk_size=CHUNK
    ):
        by_role = cells.group_units(units.get(task_id, ()))
        yield TaskListRow(
            plan=Plan.label(plan, draft),
            section=Section.heading_of(section_number, section),
            task=Task.heading_of(number, title, ref),
            body=body,
            role=labels.role_label(role, inferred),
            leads=by_role["lead"],
            cooperating=by_role["cooperating"],
            joint=by_role["joint"],
            targets=tuple(labels.target_line(label, text) for label, text in targets.get(task_id, {})),
        )

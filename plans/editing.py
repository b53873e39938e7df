"""One submit of a task's edit form: units removed, roles changed, units reordered and added, with one reason.

The rules for what a change is stored as are the writer's (plans.assignments); this module
turns what the form says into those changes, under a lock on the task, and refuses a form
built for units that have changed since it was opened (plans.history.version_of).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from agencies.models import Agency
from lib.history import Change

from .assignments import Assignments, lock_task
from .history import DutyState, EditError, StaleEdit, current_duties, describe, stale_message, version_of
from .models import Duty, Task

__all__ = ["EditError", "StaleEdit", "UnitAddition", "UnitEdit", "apply_task_edit"]


@dataclass(frozen=True)
class UnitEdit:
    """What the form says about one existing duty."""

    duty_id: int
    role: str
    inferred: bool
    order: int
    remove: bool = False


@dataclass(frozen=True)
class UnitAddition:
    agency: Agency
    role: str


def _new_positions(duties: list[Duty], units: list[UnitEdit]) -> tuple[dict[int, int], int]:
    """Where each kept unit goes, and the position for the first added one.

    The form numbers the units 1..n. On a tie the unit whose number the user changed goes first
    (typing 1 moves a unit to the top), then the current order. A hand-made order is stored as
    0..n-1; removing units alone leaves the others where they are.
    """
    index = {d.pk: i for i, d in enumerate(duties)}
    kept = sorted(
        (u for u in units if not u.remove),
        key=lambda u: (u.order, u.order == index[u.duty_id] + 1, index[u.duty_id]),
    )
    if [u.duty_id for u in kept] != sorted((u.duty_id for u in kept), key=index.get):
        return {u.duty_id: i for i, u in enumerate(kept)}, len(kept)
    return {d.pk: d.position for d in duties}, max((d.position for d in duties), default=-1) + 1


def apply_task_edit(
    task: Task, user, units: list[UnitEdit], additions: list[UnitAddition], reason: str, version: str
) -> list[str]:
    """Apply one submit of the edit form in one transaction; returns what changed, empty when nothing did.

    Raises StaleEdit, writing nothing, when the task's units are no longer those the form showed.
    """
    with transaction.atomic():
        try:
            task = lock_task(task)
        except Task.DoesNotExist:
            raise EditError("此任务已在重新导入方案时删除，修改没有保存。") from None
        duties = current_duties(task)
        if version_of(duties) != version or {u.duty_id for u in units} != {d.pk for d in duties}:
            raise StaleEdit(stale_message(task))
        on_task = {d.agency_id for d in duties}
        added = [a.agency.pk for a in additions]
        if on_task & set(added) or len(set(added)) < len(added):
            raise EditError("要新增的单位已在本任务中或重复填写。")
        by_id = {d.pk: d for d in duties}
        positions, next_position = _new_positions(duties, units)

        removed = [by_id[u.duty_id] for u in units if u.remove]
        changed = []
        for unit in (u for u in units if not u.remove):
            duty = by_id[unit.duty_id]
            # Only the plan's own inference can be kept: a person confirms or changes a role, never infers one.
            inferred = unit.inferred and duty.inferred and unit.role == duty.role
            new = (unit.role, inferred, positions[duty.pk])
            if new != (duty.role, duty.inferred, duty.position):
                changed.append((duty, *new))
        if not (removed or changed or additions):
            return []

        writer = Assignments(Change(user, reason.strip() or None))
        writer.prepare(removed + [row[0] for row in changed])
        done = []
        for duty in removed:
            before = DutyState.of(duty, duty.agency.name)
            writer.remove(duty)
            done.append(describe(before, None))
        for duty, role, inferred, position in changed:
            before = DutyState.of(duty, duty.agency.name)
            writer.update(duty, role=role, inferred=inferred, position=position)
            done.append(describe(before, DutyState.of(duty, duty.agency.name)))
        for addition in additions:
            duty = writer.add(task.pk, addition.agency.pk, addition.role, position=next_position)
            next_position += 1
            done.append(describe(None, DutyState.of(duty, addition.agency.name)))
    return done

"""The one writer of deadlines and milestones: derived from the text each time a plan is stored, set by a person.

The contract, which a re-ingest keeps:
- every task has a Deadline; while its source is `derived` it follows the text (progress.reading.deadlines);
- a deadline a person set is `manual`, and the text never changes it again, until a person gives it back
  to the text (恢复按原文推定);
- milestones are always the text's;
- every change a person makes, and every change the text makes to a deadline that already existed, gets a
  history row (a `Change`); a deadline first written in bulk gets a baseline row before its first change.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone

from lib.history import Change
from plans.assignments import lock_task
from plans.models import Plan, Target, Task
from progress.models import Deadline, Milestone
from progress.reading.deadlines import DerivedDeadline, read_deadline

# The reason on a baseline row: the deadline as the text gave it, just before its first change.
BASELINE_REASON = "（修改前的原状）"
TEXT_REASON = "按原文更新"


class StaleDeadline(Exception):
    """Someone changed the deadline after the form was opened."""


def _targets() -> Prefetch:
    return Prefetch("targets", queryset=Target.objects.order_by("position"))


def reading_of(task: Task, plan: Plan):
    """What the task's text says (uses the task's prefetched targets when there are)."""
    targets = [(t.label, t.year, t.text) for t in task.targets.all()]
    earliest = plan.issued_on.year if plan.issued_on else None
    return read_deadline(task.body, targets, earliest_year=earliest)


def _values(derived: DerivedDeadline) -> dict:
    return {"due_on": derived.due_on, "ongoing": derived.ongoing, "basis": derived.basis[:200]}


@dataclass
class Derivation:
    created: int = 0
    changed: int = 0
    kept: int = 0  # set by a person, left alone


def derive_on_ingest(sender, plan: Plan, **kwargs) -> None:
    """plans.signals.plan_stored: the plan's rows are stored; bring its deadlines and milestones up to date."""
    derive_plan(plan, reason=f"{TEXT_REASON}：{plan.source_name}")


def derive_plan(plan: Plan, reason: str = TEXT_REASON) -> Derivation:
    """Deadlines and milestones of every task of the plan, from its text. Six queries, plus a save per deadline
    the text changed."""
    tasks = list(Task.objects.filter(plan=plan).prefetch_related(_targets()))
    existing = {d.task_id: d for d in Deadline.objects.filter(task__plan=plan)}
    result = Derivation()
    new, changed, milestones = [], [], []
    for task in tasks:
        reading = reading_of(task, plan)
        values = _values(reading.deadline)
        deadline = existing.get(task.pk)
        if deadline is None:
            new.append(Deadline(task=task, source=Deadline.Source.DERIVED, **values))
        elif deadline.source == Deadline.Source.MANUAL:
            result.kept += 1
        elif any(getattr(deadline, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(deadline, name, value)
            changed.append(deadline)
        milestones += [
            Milestone(task=task, year=m.year, due_on=m.due_on, basis=m.basis[:100], text=m.text)
            for m in reading.milestones
        ]
    Deadline.objects.bulk_create(new)
    _baseline([existing[d.task_id] for d in changed], before=True)
    change = Change(None, reason)
    for deadline in changed:
        change.save(deadline)
    Milestone.objects.filter(task__plan=plan).delete()
    Milestone.objects.bulk_create(milestones)
    result.created, result.changed = len(new), len(changed)
    return result


def _baseline(deadlines: list[Deadline], before: bool = False) -> None:
    """A history row for each deadline that has none yet (written in bulk), as it stood before this change.

    `before`: the deadlines already hold their new values in memory; the baseline is read from the database.
    """
    if not deadlines:
        return
    recorded = set(Deadline.history.filter(id__in=[d.pk for d in deadlines]).values_list("id", flat=True))
    missing = [d for d in deadlines if d.pk not in recorded]
    if not missing:
        return
    if before:
        missing = list(Deadline.objects.filter(pk__in=[d.pk for d in missing]))
    snapshots = []
    for deadline in missing:
        snapshot = copy.copy(deadline)
        Change(None, BASELINE_REASON).stamp(snapshot)
        snapshot._history_date = deadline.updated_at
        snapshots.append(snapshot)
    Deadline.history.bulk_history_create(snapshots)


def version_of(deadline: Deadline) -> str:
    """A fingerprint of the deadline as a form shows it: a save from a form opened before another is refused."""
    state = (deadline.pk, deadline.due_on, deadline.ongoing, deadline.source, deadline.basis)
    return hashlib.sha1(repr(state).encode()).hexdigest()


def deadline_of(task: Task) -> Deadline:
    """The task's deadline, derived now if it has none yet (a task stored before progress was installed)."""
    deadline = Deadline.objects.filter(task=task).first()
    if deadline is None:
        task = Task.objects.select_related("plan").prefetch_related(_targets()).get(pk=task.pk)
        deadline = Deadline.objects.create(
            task=task, source=Deadline.Source.DERIVED, **_values(reading_of(task, task.plan).deadline)
        )
    return deadline


def set_deadline(task: Task, user, *, due_on, ongoing: bool, reason: str, version: str) -> bool:
    """A person sets the deadline: a date or ongoing. From now on the text never changes it. False when nothing
    changed. Raises StaleDeadline, writing nothing, when the deadline changed since the form was opened."""
    with transaction.atomic():
        deadline = _locked(task)
        if version_of(deadline) != version:
            raise StaleDeadline(stale_message(deadline))
        values = {"due_on": None if ongoing else due_on, "ongoing": ongoing, "source": Deadline.Source.MANUAL}
        if all(getattr(deadline, name) == value for name, value in values.items()):
            return False
        _baseline([deadline])
        for name, value in values.items():
            setattr(deadline, name, value)
        deadline.basis = ""
        Change(user, reason or None).save(deadline)
    return True


def restore_text(task: Task, user, *, reason: str, version: str) -> bool:
    """Give the deadline back to the text: derived again, and following the text from now on."""
    with transaction.atomic():
        deadline = _locked(task)
        if version_of(deadline) != version:
            raise StaleDeadline(stale_message(deadline))
        if deadline.source == Deadline.Source.DERIVED:
            return False
        task = Task.objects.select_related("plan").prefetch_related(_targets()).get(pk=task.pk)
        _baseline([deadline])
        for name, value in _values(reading_of(task, task.plan).deadline).items():
            setattr(deadline, name, value)
        deadline.source = Deadline.Source.DERIVED
        Change(user, reason or "恢复按原文推定").save(deadline)
    return True


def _locked(task: Task) -> Deadline:
    # The plan first, as every writer of a plan (plans.assignments.lock_plan): a re-ingest deriving deadlines
    # then never overwrites one a person set while it ran. Before deadline_of, which may insert the task's row.
    lock_task(task)
    deadline_of(task)
    return Deadline.objects.select_for_update().get(task_id=task.pk)


def stale_message(deadline: Deadline) -> str:
    last = deadline.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    who = "其他用户"
    if last is not None and last.history_user is not None:
        who = last.history_user.get_full_name() or last.history_user.get_username()
    when = formats.date_format(timezone.localtime(deadline.updated_at), "DATETIME_FORMAT")
    return f"完成时限已被{who}于{when}修改为“{deadline.label}”，您的修改未保存。请核对后重新提交。"

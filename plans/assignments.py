"""The one writer of what people decide about a task's units. Re-ingesting a plan relies on it.

The contract, which the ingester reads back (plans.ingestion):
- a duty a person adds, or whose role or inference he changes, has source `manual`, and the
  text never changes it again;
- a unit a person takes off a task is remembered as a RemovedDuty, so the text does not bring
  it back; adding the unit again forgets the removal;
- an order a person sets marks the task `duties_ordered_by_hand`, so the text keeps it;
- every row written gets a history row with the user and the reason (a `Change`); a duty the
  ingester wrote in bulk first gets a baseline row, so that the change has a "before".

Editing (plans.editing), reverting (plans.history), the 分工表 import, agency splits and merges
(plans.agency_records) and the administrator's choices on re-ingest all write through here;
nothing else writes a manual duty or a RemovedDuty.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from fragments import versions
from lib.history import Change

from .models import Duty, Plan, RemovedDuty, Task

HistoricalDuty = Duty.history.model

# The reason on baseline rows: the state the ingester left, saved just before a person's first change.
BASELINE_REASON = "（修改前的原状）"

# What `restore` puts back: a duty's whole state as a history row holds it.
RESTORABLE = ("agency_id", "role", "inferred", "position", "source", "as_written")


def lock_plan(plan_id: int) -> Plan:
    """The plan re-read under a row lock, inside a transaction.

    Everything that writes a plan's duties takes this lock first and reads what it changes only after it:
    edits, reverts and 分工表 imports of the plan, agency merges and splits touching it, and re-ingesting its
    text. So they serialise on the plan, and none deletes or overwrites what another committed while it ran.
    Locks are taken plans first (by id), then tasks, then agencies, so two writers never wait on each other.
    """
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    versions.touch_plan(plan.pk)  # its writes move this plan's kept pages only (fragments.versions)
    return plan


def lock_plans(plan_ids) -> None:
    """Lock several plans, in id order (see lock_plan)."""
    for plan_id in Plan.objects.select_for_update().filter(pk__in=plan_ids).order_by("pk").values_list("pk", flat=True):
        versions.touch_plan(plan_id)


def lock_task(task: Task | int) -> Task:
    """The task re-read under a row lock, its plan locked first (see lock_plan): edits of one task queue here."""
    task_id = getattr(task, "pk", task)
    lock_plan(Task.objects.values_list("plan_id", flat=True).get(pk=task_id))
    return Task.objects.select_for_update().get(pk=task_id)


class Assignments:
    """Writes duties and removals for one `Change` (who and why), keeping the contract above."""

    def __init__(self, change: Change):
        self.change = change
        self._baselined: set[int] = set()

    # --- Before a change --------------------------------------------------------------------------------------------

    def prepare(self, duties: Iterable[Duty]) -> None:
        """Save a baseline for every duty that has no history yet (the ingester's), in one query.

        Each writing method does this for the duty it touches; calling it first with all the
        duties a step will touch saves a query per duty.
        """
        duties = [d for d in {d.pk: d for d in duties}.values() if d.pk not in self._baselined]
        if not duties:
            return
        latest: dict[tuple[int, int], str] = {}
        rows = HistoricalDuty.objects.filter(id__in=[d.pk for d in duties]).order_by("history_id")
        for duty_id, task_id, kind in rows.values_list("id", "task_id", "history_type"):
            latest[duty_id, task_id] = kind
        snapshots = []
        for duty in duties:
            self._baselined.add(duty.pk)
            if latest.get((duty.pk, duty.task_id), "-") == "-":
                # A copy, so that the attributes set here do not carry over to the duty's own next save.
                snapshot = copy.copy(duty)
                Change(None, BASELINE_REASON).stamp(snapshot)
                snapshot._history_date = duty.updated_at
                snapshots.append(snapshot)
        if snapshots:
            Duty.history.bulk_history_create(snapshots)

    # --- A person's decisions ---------------------------------------------------------------------------------------

    def add(self, task_id: int, agency_id: int, role: str, *, position: int, as_written: str = "") -> Duty:
        """A unit a person puts on a task: a manual duty. An earlier removal of it from the task is forgotten."""
        RemovedDuty.objects.filter(task_id=task_id, agency_id=agency_id).delete()
        duty = Duty(
            task_id=task_id,
            agency_id=agency_id,
            role=role,
            source=Duty.Source.MANUAL,
            position=position,
            as_written=as_written[:200],
        )
        return self.change.save(duty)

    def update(self, duty: Duty, *, role=None, inferred=None, position=None, agency=None) -> bool:
        """Change what is given, in one save (one history row); False when nothing differs.

        A new role or inference makes the duty manual; a new position marks its task as ordered
        by hand; a new agency (a split or a merge) keeps the source, since the text still names it.
        """
        new = {
            "role": duty.role if role is None else role,
            "inferred": duty.inferred if inferred is None else inferred,
            "position": duty.position if position is None else position,
            "agency_id": duty.agency_id if agency is None else agency.pk,
        }
        if all(getattr(duty, name) == value for name, value in new.items()):
            return False
        self.prepare([duty])
        if (new["role"], new["inferred"]) != (duty.role, duty.inferred):
            duty.source = Duty.Source.MANUAL
        if new["position"] != duty.position:
            self._ordered_by_hand(duty.task_id)
        duty.role, duty.inferred, duty.position = new["role"], new["inferred"], new["position"]
        if agency is not None:
            duty.agency = agency
        self.change.save(duty)
        return True

    def remove(self, duty: Duty, *, by_import=None) -> None:
        """A unit a person takes off a task: deleted, and remembered so the text does not bring it back."""
        self.prepare([duty])
        RemovedDuty.objects.update_or_create(
            task_id=duty.task_id, agency_id=duty.agency_id, defaults={"role": duty.role, "removed_by_import": by_import}
        )
        self.change.delete(duty)

    def _ordered_by_hand(self, task_id: int) -> None:
        Task.objects.filter(pk=task_id, duties_ordered_by_hand=False).update(duties_ordered_by_hand=True)

    # --- Undoing a change (plans.history) ---------------------------------------------------------------------------

    def restore(self, duty: Duty, state: dict) -> None:
        """Put a duty back as a history row recorded it, source included: undoing a role change on a text
        duty makes it a text duty again."""
        self.prepare([duty])
        for name in RESTORABLE:
            setattr(duty, name, state[name])
        self.change.save(duty)

    def restore_removed(self, task_id: int, state: dict, *, duty_id: int | None = None) -> Duty:
        """Put back a unit a person removed, as it was; its removal is forgotten. Under `duty_id` when given."""
        RemovedDuty.objects.filter(task_id=task_id, agency_id=state["agency_id"]).delete()
        duty = Duty(task_id=task_id, **{name: state[name] for name in RESTORABLE})
        if duty_id is not None:
            duty.pk = duty_id  # keeps the duty's history in one line
        self.change.save(duty, force_insert=True)
        return duty

    # --- Agencies merged, re-ingest choices -------------------------------------------------------------------------

    def drop(self, duty: Duty) -> None:
        """Delete a duty without remembering a removal: its agency is merged into one that stays on the task,
        or the administrator let it go with the text."""
        self.prepare([duty])
        self.change.delete(duty)

    def move_removals(self, source_agency_id: int, target_agency_id: int) -> None:
        """Removals follow a merged agency, but never beside a duty that now stands on the same task."""
        duty_tasks = set(Duty.objects.filter(agency_id=target_agency_id).values_list("task_id", flat=True))
        RemovedDuty.objects.filter(agency_id=target_agency_id, task_id__in=duty_tasks).delete()
        taken = duty_tasks | set(
            RemovedDuty.objects.filter(agency_id=target_agency_id).values_list("task_id", flat=True)
        )
        RemovedDuty.objects.filter(agency_id=source_agency_id, task_id__in=taken).delete()
        RemovedDuty.objects.filter(agency_id=source_agency_id).update(agency_id=target_agency_id)

    def take_text(self, task: Task, agency_id: int, duty: Duty | None, values: dict) -> Duty:
        """The administrator takes the new text's side for a unit a person had decided: the duty becomes what
        the text says (its source the text's), and a removal of the unit is forgotten."""
        RemovedDuty.objects.filter(task_id=task.pk, agency_id=agency_id).delete()
        if duty is not None:
            self.prepare([duty])
        duty = duty or Duty(task=task, agency_id=agency_id)
        for name, value in values.items():
            setattr(duty, name, value)
        return self.change.save(duty)

    def delete_task(self, task: Task) -> None:
        """Delete a task the administrator let go with the text; its duties' and notes' history stays."""
        duties = list(task.duties.all())
        self.prepare(duties)
        self.change.delete_all(duties)
        self.change.delete_all(task.notes.all())
        task.delete()

"""Changing a task's units by hand, the history of those changes, and reverting one of them.

Every change follows the contract the ingester relies on (plans/ingest.py): what a person adds
or changes becomes a manual duty, what he removes is remembered as a RemovedDuty, and an order
he sets marks the task `duties_ordered_by_hand`. Each changed duty gets one history row with
the user and the reason.

The ingester writes duties in bulk, so they have no history. Before a person first changes such
a duty, its state is saved as a baseline row (hidden from the list), so that every change shown
has a "before" to describe and to revert to.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from agencies.models import Agency
from lib import naming

from .models import Duty, RemovedDuty, Task

HistoricalDuty = Duty.history.model

# The reason on baseline rows: the state the ingester left, saved just before a person's first change.
BASELINE_REASON = "（修改前的原状）"
DATE_FORMAT = "Y年n月j日 H:i"


class EditError(Exception):
    """A change that cannot be made; the message says why, in words for the user."""


class StaleEdit(EditError):
    """Someone changed the task's units after the form was opened."""


class UnknownChange(LookupError):
    """No change of that id in this task's history."""


# --- States and descriptions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyState:
    """A duty as it stood at one point: from the duty itself or from a history row."""

    agency_id: int
    agency_name: str
    role: str
    inferred: bool
    position: int
    source: str
    as_written: str

    @classmethod
    def of(cls, duty, agency_name: str) -> DutyState:
        return cls(duty.agency_id, agency_name, duty.role, duty.inferred, duty.position, duty.source, duty.as_written)

    @property
    def role_label(self) -> str:
        return Duty.Role(self.role).label + ("（推定）" if self.inferred else "")

    def restorable_fields(self) -> dict:
        return {
            "agency_id": self.agency_id,
            "role": self.role,
            "inferred": self.inferred,
            "position": self.position,
            "source": self.source,
            "as_written": self.as_written,
        }


def describe(before: DutyState | None, after: DutyState | None) -> str:
    """What a change did, as a person would say it: 新增 区财政局（配合）, 区财政局 配合→牵头 …"""
    if before is None:
        return f"新增 {after.agency_name}（{after.role_label}）"
    if after is None:
        return f"删除 {before.agency_name}（{before.role_label}）"
    name, parts = after.agency_name, []
    if before.agency_id != after.agency_id:
        parts.append(f"单位 {before.agency_name}→{after.agency_name}")
    if before.role == after.role and before.inferred and not after.inferred:
        parts.append(f"确认推定{after.role_label} {name}")
    elif (before.role, before.inferred) != (after.role, after.inferred):
        parts.append(f"{name} {before.role_label}→{after.role_label}")
    if before.position != after.position:
        parts.append(f"调整顺序 {name}（第{before.position + 1}位→第{after.position + 1}位）")
    return "；".join(parts) or f"修改 {name}（来源或原文写法）"


def version_of(duties) -> str:
    """A fingerprint of a task's units (ids, agencies, roles, inferred, positions): the edit form's version."""
    rows = sorted((d.position, d.pk, d.agency_id, d.role, d.inferred) for d in duties)
    return hashlib.sha1(repr(rows).encode()).hexdigest()


def current_duties(task: Task) -> list[Duty]:
    return list(Duty.objects.filter(task=task).select_related("agency").order_by("position", "pk"))


def _stamp(duty: Duty, user, reason: str | None) -> None:
    duty._history_user = user
    duty._change_reason = reason


# --- Which agency a typed name means --------------------------------------------------------------------------------


class PlanAgencies:
    """The agencies a plan's units may be: those of its region's lineage and of their child regions.

    The same places ingestion reads unit names against (agencies.resolution.AgencyResolver).
    """

    def __init__(self, plan):
        self.lineage = plan.region.lineage()
        self.lineage_ids = [r.pk for r in self.lineage]

    def queryset(self):
        return Agency.objects.filter(Q(region_id__in=self.lineage_ids) | Q(region__parent_id__in=self.lineage_ids))

    def resolve(self, text: str) -> Agency:
        """The one agency a typed full name, name or alias means; EditError when none or several."""
        name = naming.normalise(text)
        if not name:
            raise EditError("请填写单位名称。")
        found = list(self.queryset().search(name).filter(match_rank=0).select_related("region"))
        if not found:
            raise EditError(f"找不到单位“{text}”：请填写本方案所在地区已有单位的全称、名称或别名。")
        nearness = {region_id: i for i, region_id in enumerate(self.lineage_ids)}

        # A full name is unambiguous; otherwise the plan's own region wins, then its city, then the rest.
        def rank(agency):
            return (agency.full_name != name, nearness.get(agency.region_id, len(nearness)))

        found.sort(key=rank)
        best = [a for a in found if rank(a) == rank(found[0])]
        if len(best) > 1:
            names = "、".join(a.full_name for a in best[:5])
            raise EditError(f"“{text}”可指多个单位（{names}），请填写全称。")
        return best[0]


# --- Editing --------------------------------------------------------------------------------------------------------


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


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def record_baseline(duties: list[Duty]) -> None:
    """Save the state of duties that have no history yet (the ingester's), dated when it wrote them.

    Call it, inside the transaction, before changing or deleting duties, so the change has a
    "before" in the history to describe and to revert to.
    """
    latest: dict[tuple[int, int], str] = {}
    rows = HistoricalDuty.objects.filter(id__in=[d.pk for d in duties]).order_by("history_id")
    for duty_id, task_id, kind in rows.values_list("id", "task_id", "history_type"):
        latest[duty_id, task_id] = kind
    snapshots = []
    for duty in {d.pk: d for d in duties}.values():
        if latest.get((duty.pk, duty.task_id), "-") == "-":
            # A copy, so that the attributes set here do not carry over to the duty's own next save.
            snapshot = copy.copy(duty)
            snapshot._history_user = None
            snapshot._change_reason = BASELINE_REASON
            snapshot._history_date = duty.updated_at
            snapshots.append(snapshot)
    if snapshots:
        Duty.history.bulk_history_create(snapshots)


def _new_positions(duties: list[Duty], units: list[UnitEdit]) -> tuple[dict[int, int], int, bool]:
    """Where each kept unit goes, the position for the first added one, and whether the order changed.

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
        return {u.duty_id: i for i, u in enumerate(kept)}, len(kept), True
    return {d.pk: d.position for d in duties}, max((d.position for d in duties), default=-1) + 1, False


def apply_task_edit(
    task: Task, user, units: list[UnitEdit], additions: list[UnitAddition], reason: str, version: str
) -> list[str]:
    """Apply one submit of the edit form in one transaction; returns what changed, empty when nothing did.

    Raises StaleEdit, writing nothing, when the task's units are no longer those the form showed.
    """
    reason = reason.strip() or None
    with transaction.atomic():
        task = _lock(task)
        duties = current_duties(task)
        if version_of(duties) != version or {u.duty_id for u in units} != {d.pk for d in duties}:
            raise StaleEdit(stale_message(task))
        on_task = {d.agency_id for d in duties}
        added = [a.agency.pk for a in additions]
        if on_task & set(added) or len(set(added)) < len(added):
            raise EditError("要新增的单位已在本任务中或重复填写。")
        by_id = {d.pk: d for d in duties}
        positions, next_position, reordered = _new_positions(duties, units)

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

        record_baseline(removed + [row[0] for row in changed])
        done = []
        for duty in removed:
            before = DutyState.of(duty, duty.agency.name)
            RemovedDuty.objects.update_or_create(
                task=task, agency_id=duty.agency_id, defaults={"role": duty.role, "removed_by_import": None}
            )
            _stamp(duty, user, reason)
            duty.delete()
            done.append(describe(before, None))
        for duty, role, inferred, position in changed:
            before = DutyState.of(duty, duty.agency.name)
            if (role, inferred) != (duty.role, duty.inferred):
                duty.source = Duty.Source.MANUAL
            duty.role, duty.inferred, duty.position = role, inferred, position
            _stamp(duty, user, reason)
            duty.save()
            done.append(describe(before, DutyState.of(duty, duty.agency.name)))
        for addition in additions:
            RemovedDuty.objects.filter(task=task, agency=addition.agency).delete()
            duty = Duty(
                task=task, agency=addition.agency, role=addition.role, source=Duty.Source.MANUAL, position=next_position
            )
            next_position += 1
            _stamp(duty, user, reason)
            duty.save()
            done.append(describe(None, DutyState.of(duty, addition.agency.name)))
        if reordered and not task.duties_ordered_by_hand:
            task.duties_ordered_by_hand = True
            task.save(update_fields=["duties_ordered_by_hand"])
    return done


# --- History --------------------------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    """One change to one of a task's duties, as the 变更记录 shows it."""

    id: int
    kind: str  # "+" added, "~" changed, "-" removed
    when: datetime
    user: object
    reason: str
    duty_id: int
    before: DutyState | None
    after: DutyState | None
    description: str

    @property
    def revertible(self) -> bool:
        # A change with no earlier state on record (made outside this app's edits) has nothing to go back to.
        return self.kind != "~" or self.before is not None

    @property
    def user_name(self) -> str:
        if self.user is None:
            return "系统"
        return self.user.get_full_name() or self.user.get_username()

    @property
    def when_text(self) -> str:
        return dateformat.format(timezone.localtime(self.when), DATE_FORMAT)


def _agency_names(records) -> dict[int, str]:
    """Agency names for history rows; an agency since merged away is named as it last stood."""
    ids = {r.agency_id for r in records}
    names = {r.agency_id: r.agency.name for r in records if r.agency is not None}
    if missing := ids - set(names):
        for agency_id, name in Agency.history.filter(id__in=missing).order_by("history_id").values_list("id", "name"):
            names[agency_id] = name
    return {agency_id: names.get(agency_id, "（已删除的单位）") for agency_id in ids}


def _entries(task: Task) -> list[HistoryEntry]:
    """Every change to the task's duties, oldest first: one query, two if an agency has been merged away."""
    records = list(
        HistoricalDuty.objects.filter(task_id=task.pk).select_related("agency", "history_user").order_by("history_id")
    )
    names = _agency_names(records)
    last_state: dict[int, DutyState] = {}
    entries = []
    for record in records:
        state = DutyState.of(record, names[record.agency_id])
        if record.history_type == "+":
            before, after = None, state
        elif record.history_type == "-":
            before, after = state, None
        else:
            before, after = last_state.get(record.id), state
        if after is None:
            last_state.pop(record.id, None)
        else:
            last_state[record.id] = after
        if record.history_change_reason == BASELINE_REASON and record.history_user_id is None:
            continue
        if before is None and record.history_type == "~":
            # No earlier state on record (changed outside these edits): say what it became.
            description = f"修改为 {state.agency_name}（{state.role_label}）"
        else:
            description = describe(before, after)
        entries.append(
            HistoryEntry(
                id=record.history_id,
                kind=record.history_type,
                when=record.history_date,
                user=record.history_user,
                reason=record.history_change_reason or "",
                duty_id=record.id,
                before=before,
                after=after,
                description=description,
            )
        )
    return entries


def task_history(task: Task) -> list[HistoryEntry]:
    """The task's 变更记录, newest first."""
    return _entries(task)[::-1]


def stale_message(task: Task) -> str:
    entries = _entries(task)
    if entries:
        last = entries[-1]
        who = f"（最近一次由 {last.user_name} 于 {last.when_text} 修改）"
    else:
        who = ""
    return f"此任务的分工已被他人修改{who}，你的修改没有保存。下面是当前的分工，请核对后重新修改。"


def revert_change(task: Task, user, history_id: int) -> str:
    """Put the duty a change touched back as it was before; returns the change's description.

    Raises UnknownChange for an id not in this task's history, EditError when it cannot be reverted now.
    """
    with transaction.atomic():
        task = _lock(task)
        entries = _entries(task)
        entry = next((e for e in entries if e.id == history_id), None)
        if entry is None:
            raise UnknownChange(history_id)
        if not entry.revertible:
            raise EditError("这次变更之前的状态没有记录，无法撤销。")
        reason = f"撤销：{entry.description}"
        if entry.kind == "+":
            _revert_add(task, user, entry, entries, reason)
        elif entry.kind == "-":
            _revert_remove(task, user, entry, reason)
        else:
            _revert_change(task, user, entry, reason)
    return entry.description


def _revert_add(task, user, entry: HistoryEntry, entries: list[HistoryEntry], reason: str) -> None:
    duty = Duty.objects.filter(pk=entry.duty_id, task=task).first()
    if duty is None:
        raise EditError(f"{entry.after.agency_name}已不在本任务中，无需撤销。")
    # Only a unit taken off the task before it was added is kept off when the plan is re-ingested.
    removed_before = any(e.kind == "-" and e.id < entry.id and e.before.agency_id == duty.agency_id for e in entries)
    if removed_before:
        RemovedDuty.objects.update_or_create(
            task=task, agency_id=duty.agency_id, defaults={"role": duty.role, "removed_by_import": None}
        )
    _stamp(duty, user, reason)
    duty.delete()


def _revert_remove(task, user, entry: HistoryEntry, reason: str) -> None:
    state = entry.before
    if Duty.objects.filter(task=task, agency_id=state.agency_id).exists():
        raise EditError(f"{state.agency_name}已在本任务中，无需撤销。")
    if not Agency.objects.filter(pk=state.agency_id).exists():
        raise EditError(f"{state.agency_name}已被合并或删除，无法恢复。")
    duty = Duty(task=task, **state.restorable_fields())
    # The old id, when free, keeps the duty's history in one line.
    if not Duty.objects.filter(pk=entry.duty_id).exists():
        duty.pk = entry.duty_id
    RemovedDuty.objects.filter(task=task, agency_id=state.agency_id).delete()
    _stamp(duty, user, reason)
    duty.save(force_insert=True)


def _revert_change(task, user, entry: HistoryEntry, reason: str) -> None:
    duty = Duty.objects.filter(pk=entry.duty_id, task=task).first()
    if duty is None:
        raise EditError(f"{entry.after.agency_name}已不在本任务中，无法撤销。")
    state = entry.before
    if state.agency_id != duty.agency_id:
        if not Agency.objects.filter(pk=state.agency_id).exists():
            raise EditError(f"{state.agency_name}已被合并或删除，无法恢复。")
        if Duty.objects.filter(task=task, agency_id=state.agency_id).exists():
            raise EditError(f"{state.agency_name}已在本任务中，无法撤销。")
    fields = state.restorable_fields()
    if all(getattr(duty, name) == value for name, value in fields.items()):
        raise EditError("当前分工与这次变更之前相同，无需撤销。")
    for name, value in fields.items():
        setattr(duty, name, value)
    _stamp(duty, user, reason)
    duty.save()

"""A task's 变更记录 (every change to its units, read back from the duties' history) and 撤销 (revert).

One save (of the edit form, an import, a merge …) is one change, however many units it touched:
its history rows share the change's id (lib.history.Change), are listed as one line with their
parts, and are undone together. A single part can still be undone on its own.

The ingester writes duties in bulk, without history; the writer (plans.assignments) saves a
baseline row before a person's first change, hidden here, so every change shown has a "before"
to describe and to revert to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone

from agencies.models import Agency
from lib.history import Change

from . import labels
from .assignments import BASELINE_REASON, RESTORABLE, Assignments, HistoricalDuty, lock_task
from .models import Duty, Task


class EditError(Exception):
    """A change that cannot be made; the message says why, in words for the user."""


class StaleEdit(EditError):
    """Someone changed the task's units after the form was opened."""


class UnknownChange(LookupError):
    """No change of that id in this task's history."""


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
        return labels.role_label(self.role, self.inferred)

    def restorable_fields(self) -> dict:
        return {name: getattr(self, name) for name in RESTORABLE}


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
    change_id: object = None  # the save it belongs to (uuid), None for a row written outside a Change

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
        return formats.date_format(timezone.localtime(self.when), "DATETIME_FORMAT")


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
                change_id=record.history_change_id,
            )
        )
    return entries


def _of_first(name: str) -> property:
    return property(lambda group: getattr(group.parts[0], name))


@dataclass
class ChangeGroup:
    """One save as the 变更记录 lists it: its parts (a unit each), who, when and why."""

    key: str  # the change's id, or row-<history id> for a row written outside a Change
    parts: list[HistoryEntry]

    @property
    def first(self) -> HistoryEntry:
        return self.parts[0]

    # Who saved, when and why are one for the whole save: its first part says them.
    when = _of_first("when")
    when_text = _of_first("when_text")
    user_name = _of_first("user_name")
    reason = _of_first("reason")

    @property
    def description(self) -> str:
        return "；".join(part.description for part in self.parts)

    @property
    def revertible(self) -> bool:
        return all(part.revertible for part in self.parts)


def _groups(entries: list[HistoryEntry]) -> list[ChangeGroup]:
    """Entries in history order, gathered by the change that wrote them; oldest first."""
    groups: list[ChangeGroup] = []
    for entry in entries:
        if entry.change_id is not None and groups and groups[-1].first.change_id == entry.change_id:
            groups[-1].parts.append(entry)
        else:
            key = str(entry.change_id) if entry.change_id is not None else f"row-{entry.id}"
            groups.append(ChangeGroup(key, [entry]))
    return groups


def task_history(task: Task) -> list[ChangeGroup]:
    """The task's 变更记录, one line a save, newest first."""
    return _groups(_entries(task))[::-1]


def change_group(task: Task, key: str) -> ChangeGroup:
    """One change of the task's record; UnknownChange when it has none of that key."""
    group = next((g for g in _groups(_entries(task)) if g.key == key), None)
    if group is None:
        raise UnknownChange(key)
    return group


def stale_message(task: Task) -> str:
    entries = _entries(task)
    if entries:
        last = entries[-1]
        who = f"（最近一次由 {last.user_name} 于 {last.when_text} 修改）"
    else:
        who = ""
    return f"此任务的分工已被他人修改{who}，你的修改没有保存。下面是当前的分工，请核对后重新修改。"


def revert_group(task: Task, user, key: str) -> str:
    """Undo one save as a whole, its parts newest first, in one transaction; returns what it undid.

    All or nothing: when a part cannot be undone now, nothing is, and EditError says which part and why.
    """
    with transaction.atomic():
        task = _locked(task)
        entries = _entries(task)
        group = next((g for g in _groups(entries) if g.key == key), None)
        if group is None:
            raise UnknownChange(key)
        if not group.revertible:
            raise EditError("这次变更之前的状态没有记录，无法撤销。")
        writer = Assignments(Change(user, f"撤销：{group.description}"))
        for entry in reversed(group.parts):
            try:
                _revert_entry(task, writer, entry, entries)
            except EditError as problem:
                raise EditError(f"{entry.description}：{problem}") from None
    return group.description


def _locked(task: Task) -> Task:
    try:
        return lock_task(task)
    except Task.DoesNotExist:
        raise EditError("此任务已在重新导入方案时删除。") from None


def _revert_entry(task, writer: Assignments, entry: HistoryEntry, entries: list[HistoryEntry]) -> None:
    if entry.kind == "+":
        _revert_add(task, writer, entry, entries)
    elif entry.kind == "-":
        _revert_remove(task, writer, entry)
    else:
        _revert_change(task, writer, entry)


def revert_change(task: Task, user, history_id: int) -> str:
    """Put the duty a change touched back as it was before; returns the change's description.

    Raises UnknownChange for an id not in this task's history, EditError when it cannot be reverted now.
    """
    with transaction.atomic():
        task = _locked(task)
        entries = _entries(task)
        entry = next((e for e in entries if e.id == history_id), None)
        if entry is None:
            raise UnknownChange(history_id)
        if not entry.revertible:
            raise EditError("这次变更之前的状态没有记录，无法撤销。")
        writer = Assignments(Change(user, f"撤销：{entry.description}"))
        _revert_entry(task, writer, entry, entries)
    return entry.description


def _revert_add(task, writer: Assignments, entry: HistoryEntry, entries: list[HistoryEntry]) -> None:
    duty = Duty.objects.filter(pk=entry.duty_id, task=task).first()
    if duty is None:
        raise EditError(f"{entry.after.agency_name}已不在本任务中，无需撤销。")
    # Only a unit taken off the task before it was added is kept off when the plan is re-ingested.
    removed_before = any(e.kind == "-" and e.id < entry.id and e.before.agency_id == duty.agency_id for e in entries)
    if removed_before:
        writer.remove(duty)
    else:
        writer.drop(duty)


def _revert_remove(task, writer: Assignments, entry: HistoryEntry) -> None:
    state = entry.before
    if Duty.objects.filter(task=task, agency_id=state.agency_id).exists():
        raise EditError(f"{state.agency_name}已在本任务中，无需撤销。")
    if not Agency.objects.filter(pk=state.agency_id).exists():
        raise EditError(f"{state.agency_name}已被合并或删除，无法恢复。")
    free = not Duty.objects.filter(pk=entry.duty_id).exists()
    writer.restore_removed(task.pk, state.restorable_fields(), duty_id=entry.duty_id if free else None)


def _revert_change(task, writer: Assignments, entry: HistoryEntry) -> None:
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
    writer.restore(duty, fields)

"""Matching a read 分工表 to a plan's tasks and agencies, proposing the changes, and applying them.

Nothing is written until `apply` runs, in one transaction, on an import the
user confirmed; it re-reads the stored workbook and refuses if the plan has
changed since the preview.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Max

from agencies.models import Agency
from lib import naming
from lib.history import Change as HistoryChange

from ... import labels
from ...assignments import Assignments, lock_plan
from ...models import DivisionImport, Duty, Plan, Task
from .workbook import Cell, Division, Problem, read_division

ROLE_LABELS = labels.ROLES


@dataclass(frozen=True)
class Change:
    task_id: int
    task_ref: str
    task_title: str
    agency_id: int
    agency_name: str
    before: str  # a role, or "" when the agency had no duty on the task
    after: str  # a role, or "" when the duty is removed
    as_written: str = ""

    @property
    def kind(self) -> str:
        if not self.before:
            return "add"
        return "remove" if not self.after else "change"


@dataclass(frozen=True)
class Edit:
    """What a person changed in one cell, as they think of it: a unit replaced, added, removed or moved."""

    task_id: int
    task_title: str
    kind: str  # replace, add, remove, change
    description: str


def edits(changes: list[Change]) -> list[Edit]:
    """Group duty changes as edits: a lead removed and another added on the same task is one replacement."""
    result = []
    by_task: dict[int, list[Change]] = {}
    for change in changes:
        by_task.setdefault(change.task_id, []).append(change)
    for task_changes in by_task.values():
        first = task_changes[0]
        for role, label in Duty.Role.choices:
            gone = [c for c in task_changes if c.kind == "remove" and c.before == role]
            new = [c for c in task_changes if c.kind == "add" and c.after == role]
            for old, added in zip(gone, new, strict=False):
                text = f"{label}单位：{old.agency_name} → {added.agency_name}"
                result.append(Edit(first.task_id, first.task_title, "replace", text))
            for c in gone[len(new) :]:
                result.append(Edit(c.task_id, c.task_title, "remove", f"删除{label}单位：{c.agency_name}"))
            for c in new[len(gone) :]:
                result.append(Edit(c.task_id, c.task_title, "add", f"新增{label}单位：{c.agency_name}"))
        for c in task_changes:
            if c.kind == "change":
                text = f"{c.agency_name}：{ROLE_LABELS[c.before]} → {ROLE_LABELS[c.after]}"
                result.append(Edit(c.task_id, c.task_title, "change", text))
    return result


@dataclass
class Proposal:
    changes: list[Change]
    problems: list[Problem]
    tasks_in_sheet: int
    sheet: str


def _match_task(row, by_ref: dict[str, Task], by_title: dict[str, list[Task]]) -> Task | str:
    if row.ref and row.ref in by_ref:
        return by_ref[row.ref]
    found = by_title.get(naming.normalise(row.title), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return f"方案中有 {len(found)} 项任务名为“{row.title}”，请填写任务代码以区分。"
    return f"方案中没有名为“{row.title}”的任务（任务名称须与方案一致）。"


def propose(plan: Plan, division: Division) -> Proposal:
    """The duty changes the sheet asks for, and every problem that stops it from being applied."""
    tasks = list(Task.objects.filter(plan=plan).prefetch_related("duties__agency"))
    by_ref = {t.ref: t for t in tasks}
    by_title: dict[str, list[Task]] = {}
    for task in tasks:
        by_title.setdefault(naming.normalise(task.title), []).append(task)
    # The names the sheet writes, looked up at once among the agencies the plan may name (agencies.scope).
    written = {_without_mark(n) for row in division.rows for cell in row.units for n in cell.names}
    found = plan.agency_scope().lookup(written)
    problems = list(division.problems)
    changes: list[Change] = []
    seen: dict[int, int] = {}
    for row in division.rows:
        task = _match_task(row, by_ref, by_title)
        if isinstance(task, str):
            problems.append(Problem(row.title_cell, task))
            continue
        if task.pk in seen:
            problems.append(Problem(row.title_cell, f"与第 {seen[task.pk]} 行是同一项任务。"))
            continue
        seen[task.pk] = row.row
        wanted: dict[int, tuple[str, str, Agency]] = {}
        where: dict[int, Cell] = {}
        row_ok = True
        for unit_cell in row.units:
            for as_written in unit_cell.names:
                name = _without_mark(as_written)
                matches = found.get(naming.normalise(name), [])
                agency = matches[0] if len(matches) == 1 else None
                if not matches:
                    problems.append(Problem(unit_cell.cell, f"“{name}”不是本方案所在地区已知的单位或别名。"))
                    row_ok = False
                elif agency is None:
                    names = "、".join(a.full_name for a in matches[:5])
                    problems.append(Problem(unit_cell.cell, f"“{name}”可指多个单位（{names}），请填写全称。"))
                    row_ok = False
                elif agency.pk in wanted:
                    problems.append(
                        Problem(unit_cell.cell, f"“{name}”在本行出现了两次（另见 {where[agency.pk].coordinate}）。")
                    )
                    row_ok = False
                else:
                    wanted[agency.pk] = (unit_cell.role, name, agency)
                    where[agency.pk] = unit_cell.cell
        if row_ok:
            changes.extend(_task_changes(task, wanted))
    return Proposal(changes, problems, len(seen), division.sheet)


def _without_mark(written: str) -> str:
    """The name without the mark the 分工表 export puts after an inferred lead, so a round trip changes nothing."""
    return written.removesuffix(labels.INFERRED).removesuffix("(推定)")


def _task_changes(task: Task, wanted: dict[int, tuple[str, str, Agency]]) -> list[Change]:
    current = {d.agency_id: d for d in task.duties.all()}
    changes = []
    for duty in sorted(current.values(), key=lambda d: d.position):
        role = wanted[duty.agency_id][0] if duty.agency_id in wanted else ""
        if role != duty.role:
            changes.append(Change(task.pk, task.ref, task.title, duty.agency_id, duty.agency.name, duty.role, role))
    for pk, (role, written, agency) in wanted.items():
        if pk not in current:
            changes.append(Change(task.pk, task.ref, task.title, pk, agency.name, "", role, written))
    return changes


def read_and_propose(plan: Plan, data: bytes) -> Proposal:
    return propose(plan, read_division(data))


class StaleImport(Exception):
    """The plan changed between the preview and the confirmation."""


@transaction.atomic
def apply(record: DivisionImport, user) -> list[Change]:
    """Apply a confirmed import in one transaction; the duties it writes become manual entries.

    Raises StaleImport when the changes it would make now differ from those the user saw.
    """
    lock_plan(record.plan_id)
    if record.locked_status() != DivisionImport.Status.PENDING:
        raise StaleImport("这次导入已经处理过了。")
    proposal = read_and_propose(record.plan, bytes(record.workbook))
    if proposal.problems or [asdict(c) for c in proposal.changes] != record.changes:
        raise StaleImport("方案的分工在预览之后已有改动，为免覆盖，请重新上传该文件。")
    duties = {(d.task_id, d.agency_id): d for d in Duty.objects.filter(task__plan=record.plan)}
    next_position = {
        row["task_id"]: row["last"] + 1
        for row in Duty.objects.filter(task__plan=record.plan).values("task_id").annotate(last=Max("position"))
    }
    # Each duty's history row names the person who confirmed the import and the file.
    writer = Assignments(HistoryChange(user, f"导入分工表“{record.file_name}”"))
    writer.prepare(duties[(c.task_id, c.agency_id)] for c in proposal.changes if c.kind != "add")
    for change in proposal.changes:
        duty = duties.get((change.task_id, change.agency_id))
        if change.kind == "remove":
            writer.remove(duty, by_import=record)
        elif change.kind == "change":
            writer.update(duty, role=change.after, inferred=False)
        else:
            position = next_position.get(change.task_id, 0)
            next_position[change.task_id] = position + 1
            writer.add(change.task_id, change.agency_id, change.after, position=position, as_written=change.as_written)
    record.mark_applied(user)
    return proposal.changes

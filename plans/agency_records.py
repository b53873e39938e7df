"""What plans keep about agencies, and what becomes of it when an agency is split or merged.

Duties, appendix units, key projects, task notes and removed duties point at
agencies. This is the plans app's `AgencyDependant` (agencies.dependants),
registered in PlansConfig.ready(): agency splits and merges move these rows
through it, duties through the one writer (plans.assignments), and an
agency's 变更记录 lists the duty changes it reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from agencies.dependants import AgencyDependant, HistorySource, MergePart
from agencies.history import HistoryEntry, moved_between, pairs
from agencies.merging import MERGE, SPLIT, step_of
from agencies.models import Agency
from lib.history import Change
from lib.naming import normalise

from . import labels
from .assignments import BASELINE_REASON, Assignments, lock_plans
from .models import AppendixUnit, Duty, KeyProject, RemovedDuty, Task

# Which role survives when both agencies of a merge have a duty on one task.
ROLE_STRENGTH = {Duty.Role.LEAD: 2, Duty.Role.JOINT: 1, Duty.Role.COOPERATING: 0}


class Clash:
    """A task on which both agencies have a duty: the target's stays, with the stronger role.

    The roles are read when the clash is found, so it still describes itself after the merge.
    """

    def __init__(self, task: Task, source_duty: Duty, target_duty: Duty):
        self.task, self.source_duty, self.target_duty = task, source_duty, target_duty
        self.source_role, self.target_role = source_duty.role, target_duty.role
        self.changes_role = ROLE_STRENGTH[self.source_role] > ROLE_STRENGTH[self.target_role]
        self.role = self.source_role if self.changes_role else self.target_role
        self.inferred = source_duty.inferred if self.changes_role else target_duty.inferred

    def describe(self, source: Agency, target: Agency) -> str:
        dropped = f"删除{source.name}的“{labels.role_label(self.source_role)}”"
        if self.changes_role:
            return (
                f"{self.task.heading}：两单位均有职责，{target.name}的职责由“{labels.role_label(self.target_role)}”"
                f"改为“{labels.role_label(self.role)}”（取较强者），{dropped}"
            )
        return f"{self.task.heading}：两单位均有职责，保留{target.name}的“{labels.role_label(self.role)}”，{dropped}"


@dataclass
class DutyMerge:
    """What a merge does to the plans' rows of `source`, worked out before anything changes."""

    source: Agency
    target: Agency
    moves: list[Duty] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    appendix_units: int = 0
    appendix_clashes: int = 0
    projects: int = 0
    notes_moved: int = 0
    notes_joined: int = 0
    removals_moved: int = 0
    removals_dropped: int = 0

    def clash_lines(self) -> list[str]:
        return [clash.describe(self.source, self.target) for clash in self.clashes]


def plan_duty_merge(source: Agency, target: Agency) -> DutyMerge:
    merge = DutyMerge(source, target)
    # order_by() everywhere: the models' default orderings would join tables only to sort.
    target_duties = {d.task_id: d for d in target.duties.order_by()}
    for duty in source.duties.select_related("task").order_by("task__plan_id", "task__position"):
        if duty.task_id in target_duties:
            merge.clashes.append(Clash(duty.task, duty, target_duties[duty.task_id]))
        else:
            merge.moves.append(duty)
    target_rows = set(target.appendix_units.order_by().values_list("row_id", flat=True))
    for row_id in source.appendix_units.order_by().values_list("row_id", flat=True):
        if row_id in target_rows:
            merge.appendix_clashes += 1
        else:
            merge.appendix_units += 1
    merge.projects = source.projects.count()
    target_notes = set(target.task_notes.order_by().values_list("task_id", flat=True))
    for task_id in source.task_notes.order_by().values_list("task_id", flat=True):
        if task_id in target_notes:
            merge.notes_joined += 1
        else:
            merge.notes_moved += 1
    taken = set(target.removed_duties.order_by().values_list("task_id", flat=True)) | set(target_duties)
    taken |= {d.task_id for d in merge.moves}
    for task_id in source.removed_duties.order_by().values_list("task_id", flat=True):
        if task_id in taken:
            merge.removals_dropped += 1
        else:
            merge.removals_moved += 1
    return merge


def _merge_notes(source: Agency, target: Agency, change: Change) -> None:
    """Notes follow the agency; where both kept one on a task, the source's text is appended to the target's."""
    target_notes = {n.task_id: n for n in target.task_notes.all()}
    for note in source.task_notes.all():
        kept = target_notes.get(note.task_id)
        if kept is None:
            note.agency = target
            change.save(note)
            continue
        if note.note:
            kept.note = f"{kept.note}\n{note.note}" if kept.note else note.note
        kept.contact_person = kept.contact_person or note.contact_person
        kept.contact_phone = kept.contact_phone or note.contact_phone
        change.save(kept)
        change.delete(note)


def _task_label(task: Task | None) -> str:
    if task is None:
        return "任务（已删除）"
    heading = task.heading
    return f"任务 {heading[:40]}…" if len(heading) > 41 else f"任务 {heading}"


def _role(row) -> str:
    return labels.role_label(row.role, row.inferred) if row.role in labels.ROLES else row.role


class PlanRecords(AgencyDependant):
    key = "plans"
    usage_label = "职责"

    def lock(self, agencies: list[Agency]) -> None:
        """The plans whose duties a split or merge moves (plans.assignments.lock_plans): re-ingests wait for it."""
        lock_plans(Duty.objects.filter(agency__in=agencies).values("task__plan_id"))

    def usage(self, agency_ids: Iterable[int]) -> Counter:
        rows = Duty.objects.filter(agency_id__in=list(agency_ids)).values("agency_id").annotate(n=Count("pk"))
        return Counter({row["agency_id"]: row["n"] for row in rows.order_by()})

    def plans_naming(self, agency_ids: Iterable[int]) -> set[int]:
        ids = list(agency_ids)
        found = set(Duty.objects.filter(agency_id__in=ids).values_list("task__plan_id", flat=True).distinct())
        found |= set(RemovedDuty.objects.filter(agency_id__in=ids).values_list("task__plan_id", flat=True).distinct())
        found |= set(AppendixUnit.objects.filter(agency_id__in=ids).values_list("row__plan_id", flat=True).distinct())
        return found | set(KeyProject.objects.filter(agency_id__in=ids).values_list("plan_id", flat=True).distinct())

    def written_forms(self, agency: Agency) -> Counter:
        return Counter(normalise(w) for w in agency.duties.values_list("as_written", flat=True))

    def split(self, source: Agency, agency: Agency, name: str, change: Change) -> dict[str, int]:
        """Duties, appendix units and key projects of `source` written `name` move to `agency`.

        Moved duties keep their source: the text still says `name`, which is now the new agency's name.
        """
        duties = [d for d in source.duties.all() if normalise(d.as_written) == name]
        writer = Assignments(change)
        writer.prepare(duties)
        for duty in duties:
            writer.update(duty, agency=agency)
        # Appendix units and projects keep no history: re-ingesting rebuilds them from the text.
        units = [u.pk for u in source.appendix_units.all() if normalise(u.as_written) == name]
        AppendixUnit.objects.filter(pk__in=units).update(agency=agency)
        projects = [p.pk for p in source.projects.all() if normalise(p.unit_as_written) == name]
        KeyProject.objects.filter(pk__in=projects).update(agency=agency)
        return {"职责": len(duties), "附件清单单位": len(units), "重点项目": len(projects)}

    def preview_merge(self, source: Agency, target: Agency) -> MergePart:
        merge = plan_duty_merge(source, target)
        rows = [
            ("count-moves", "移入的职责", f"{len(merge.moves)} 项"),
            (
                "count-clashes",
                "两单位均有职责的任务",
                f"{len(merge.clashes)} 项（保留较强的职责，删除“{source.name}”的一项）",
            ),
            (
                "",
                "附件清单单位",
                f"移入 {merge.appendix_units} 项"
                + (f"，重复 {merge.appendix_clashes} 项删除" if merge.appendix_clashes else ""),
            ),
            ("", "重点项目", f"{merge.projects} 项"),
            (
                "",
                "工作备注",
                f"移入 {merge.notes_moved} 项"
                + (f"，与已有备注合并 {merge.notes_joined} 项" if merge.notes_joined else ""),
            ),
            (
                "",
                "已删除的职责记录",
                f"移入 {merge.removals_moved} 项"
                + (f"，不再需要 {merge.removals_dropped} 项" if merge.removals_dropped else ""),
            ),
        ]
        summary = f"移入职责 {len(merge.moves)} 项"
        if merge.clashes:
            summary += (
                f"，{len(merge.clashes)} 项任务两单位均有职责，已保留较强的一项（{'；'.join(merge.clash_lines())}）"
            )
        return MergePart(
            self.key,
            rows,
            merge.clash_lines(),
            summary,
            merge,
            details_title="两单位均有职责的任务",
            details_id="clash-list",
        )

    def merge(self, part: MergePart, source: Agency, target: Agency, change: Change) -> None:
        """Duties move (the target's stays on a clash, with the stronger role, which makes it a person's
        choice: manual); appendix units, projects, notes and removals follow."""
        merge: DutyMerge = part.data
        writer = Assignments(change)
        writer.prepare(
            [
                *merge.moves,
                *(c.source_duty for c in merge.clashes),
                *(c.target_duty for c in merge.clashes if c.changes_role),
            ]
        )
        for clash in merge.clashes:
            if clash.changes_role:
                writer.update(clash.target_duty, role=clash.role, inferred=clash.inferred)
            writer.drop(clash.source_duty)
        for duty in merge.moves:
            writer.update(duty, agency=target)
        target_rows = set(target.appendix_units.values_list("row_id", flat=True))
        source.appendix_units.filter(row_id__in=target_rows).delete()
        source.appendix_units.update(agency=target)
        source.projects.update(agency=target)
        writer.move_removals(source.pk, target.pk)
        _merge_notes(source, target, change)

    def history(self, agency_id: int) -> HistorySource:
        """The duties that are or were the agency's, where a person made the change (a user or a reason)."""
        rows = list(
            Duty.history.filter(id__in=Duty.history.filter(agency_id=agency_id).values("id"))
            .select_related("history_user", "task")
            .order_by("id", "history_date", "history_id")
        )

        def describe(name) -> list[HistoryEntry]:
            return _duty_entries(agency_id, rows, name)

        return HistorySource(moved_between(rows), describe)


def _duty_entries(agency_id: int, rows: list, name) -> list[HistoryEntry]:
    entries = []
    for previous, row in pairs(rows):
        if row.history_change_reason == BASELINE_REASON or not (row.history_user_id or row.history_change_reason):
            continue  # how an import left it, kept only as the "before" of the next row
        here = row.agency_id == agency_id
        before = previous is not None and previous.agency_id == agency_id
        if not (here or before):
            continue
        task = _task_label(row.task)
        if row.history_type == "+":
            description = f"{task} 新增职责（{_role(row)}）"
        elif row.history_type == "-":
            description = f"{task} 删除职责（{_role(row)}）"
        elif here and previous is not None and not before:
            description = f"{task} 的职责移入（自 {name(previous.agency_id)[0]}）"
        elif here and previous is None and step_of(row.history_change_reason) in (SPLIT, MERGE):
            description = f"{task} 的职责移入"
        elif before and not here:
            description = f"{task} 的职责移出（至 {name(row.agency_id)[0]}）"
        elif previous is not None and _role(previous) != _role(row):
            description = f"{task} 的职责 {_role(previous)}→{_role(row)}"
        else:
            description = f"{task} 的职责修改（{_role(row)}）"
        entries.append(HistoryEntry.of(row, description, row.task.get_absolute_url() if row.task else ""))
    return entries

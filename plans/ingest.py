"""Storing a parsed plan: upserts on natural keys, one transaction per plan.

Re-ingesting the same file (same checksum and lead convention) changes nothing, not even the
plan's updated_at. Re-ingesting a changed file updates what came from the text and keeps what
people entered: a duty whose source is `manual` is not touched, a unit a person removed
(RemovedDuty) is not brought back, a task whose units a person ordered by hand keeps their
positions (new units go after them), and a task gone from the text that a person touched
(manual duties, notes, removals, ...) is kept. Where the text changed for something a person
decided, the difference is reported as a conflict; see `plans.reingest` for the three-way
comparison and for what the administrator's choices do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Region
from agencies.resolution import AgencyResolver, PlanRegionNotFound, region_for_title
from lib.naming import normalise

from . import reingest
from .models import (
    AppendixRow,
    AppendixUnit,
    Duty,
    IngestWarning,
    KeyProject,
    Plan,
    PlanUpload,
    RemovedDuty,
    Section,
    Target,
    Task,
)
from .parsing import ParsedPlan, PlanFormatError, parse_plan
from .parsing.structures import ParseWarning, WarningCode
from .reingest import Conflict, Decisions, KeptTask, TextDuty

PLAN_SUFFIXES = {".txt", ".text"}


@dataclass
class Changes:
    """What an update did to the plan's tasks and duties, by count."""

    tasks_added: int = 0
    tasks_changed: int = 0
    tasks_removed: int = 0
    duties_added: int = 0
    duties_changed: int = 0
    duties_removed: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())


@dataclass
class UnitPreview:
    """A duty as a dry run would store it, kept as plain data since the rows are rolled back."""

    name: str
    role: str
    inferred: bool
    source: str

    @property
    def mark(self) -> str:
        return Duty.MARKS[self.role]

    @property
    def role_label(self) -> str:
        return Duty.Role(self.role).label + ("（推定）" if self.inferred else "")

    @property
    def manual(self) -> bool:
        return self.source == Duty.Source.MANUAL


@dataclass
class TaskPreview:
    ref: str
    heading: str
    line: int
    kept: bool
    units: list[UnitPreview]


@dataclass
class IngestResult:
    source_name: str
    status: str  # created | updated | unchanged
    plan: Plan | None = None
    tasks: int = 0
    duties: int = 0
    agencies_created: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept_tasks: list[KeptTask] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    # Conflicts settled for the text and kept tasks deleted with it, by the administrator's choice.
    taken: int = 0
    deleted_tasks: int = 0
    # The stored tasks with their units; filled by dry runs only, for the upload preview.
    preview: list[TaskPreview] = field(default_factory=list)

    @property
    def kept_manual(self) -> int:
        """Conflicts where the manual side stays."""
        return len(self.conflicts) - self.taken

    @property
    def decision_keys(self) -> set[str]:
        return {c.key for c in self.conflicts} | {t.key for t in self.kept_tasks}


class _DryRun(Exception):
    def __init__(self, result: IngestResult):
        self.result = result


class StaleChoices(Exception):
    """The conflicts changed since the administrator chose; nothing was stored."""


def plan_files(paths: list[str | Path]) -> list[Path]:
    """The plan files named, folders expanded to their .txt files in name order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise PlanFormatError(str(path), "文件不存在（no such file or folder）")
    return files


def ingest_file(path: Path, *, dry_run: bool = False, lead_convention: str | None = None) -> IngestResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(path.name, f"无法读取文件（cannot read the file: {exc.strerror}）") from exc
    return ingest_bytes(data, path.name, dry_run=dry_run, lead_convention=lead_convention)


def read_plan(data: bytes, source_name: str, lead_convention: str) -> tuple[ParsedPlan, Region]:
    """Parse a plan and find its region, or raise PlanFormatError naming the file and line. Writes nothing."""
    parsed = parse_plan(data, source_name, first_listed_leads=lead_convention == Plan.LeadConvention.FIRST_LISTED)
    try:
        region = region_for_title(parsed.region_name, parsed.title)
    except PlanRegionNotFound as exc:
        raise PlanFormatError(source_name, str(exc), _line_of(parsed.text, parsed.title)) from exc
    return parsed, region


def ingest_bytes(
    data: bytes,
    source_name: str,
    *,
    dry_run: bool = False,
    lead_convention: str | None = None,
    choices: dict[str, str] | None = None,
    user=None,
) -> IngestResult:
    """Parse and store one plan. Raises PlanFormatError and leaves the database as it was.

    `choices` settles conflicts and kept tasks by key (see plans.reingest); without them every
    manual change stays. `user` is recorded in the history of what the choices change.
    """
    checksum = hashlib.sha256(data).hexdigest()
    convention = lead_convention or Plan.LeadConvention.STATED
    if convention not in Plan.LeadConvention.values:
        raise ValueError(f"unknown lead convention {convention!r}; use one of {Plan.LeadConvention.values}")
    # The same bytes parse the same way: skip parsing when this exact file is already stored.
    same_file = Plan.objects.filter(checksum=checksum, lead_convention=convention).first()
    if same_file:
        return _unchanged(same_file, source_name)
    parsed, region = read_plan(data, source_name, convention)
    existing = Plan.objects.filter(region=region, title=parsed.title, is_draft=parsed.is_draft).first()
    decisions = Decisions(choices or {}, user, source_name)
    try:
        with transaction.atomic():
            result = _store(parsed, region, existing, checksum, convention, decisions, preview=dry_run)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as rolled_back:
        return rolled_back.result
    return result


def preview_upload(upload: PlanUpload) -> IngestResult:
    """What confirming the upload would do, with every manual change kept; the database is left as it was."""
    return ingest_bytes(bytes(upload.data), upload.file_name, dry_run=True, lead_convention=upload.lead_convention)


def apply_upload(upload: PlanUpload, user, choices: dict[str, str]) -> IngestResult:
    """Store an uploaded plan with the administrator's choices, all or nothing.

    Raises StaleChoices, storing nothing, when a conflict or kept task needs a choice the form did
    not carry (the plan changed since the preview).
    """
    with transaction.atomic():
        # Locked, so two confirmations of one upload cannot both store it.
        status = PlanUpload.objects.select_for_update().values_list("status", flat=True).get(pk=upload.pk)
        if status != PlanUpload.Status.PENDING:
            raise StaleChoices(f"“{upload.file_name}”{PlanUpload.Status(status).label}，没有再次导入。")
        result = ingest_bytes(
            bytes(upload.data), upload.file_name, lead_convention=upload.lead_convention, choices=choices, user=user
        )
        if result.decision_keys - set(choices):
            raise StaleChoices("方案在预览之后有改动，需要处理的冲突已不同。请重新核对后再确认。")
        upload.resolutions = _resolutions(result, choices)
        upload.status = PlanUpload.Status.APPLIED
        upload.plan = result.plan
        upload.applied_by = user
        upload.applied_at = timezone.now()
        upload.save(update_fields=["resolutions", "status", "plan", "applied_by", "applied_at"])
    return result


def _resolutions(result: IngestResult, choices: dict[str, str]) -> dict:
    """The choices as stored on the upload, each with what it was about, so the record reads on its own."""
    stored = {}
    for c in result.conflicts:
        stored[c.key] = {
            "choice": choices[c.key],
            "task": c.task_ref,
            "agency": c.agency_name,
            "text": c.text_label,
            "manual": c.manual_label,
        }
    for t in result.kept_tasks:
        stored[t.key] = {"choice": choices[t.key], "task": t.ref, "heading": t.heading}
    return stored


def _unchanged(plan: Plan, source_name: str) -> IngestResult:
    stored = [ParseWarning(WarningCode(w.code), w.message, w.line) for w in plan.warnings.order_by("position")]
    tasks, duties = plan.tasks.count(), Duty.objects.in_plan(plan).count()
    return IngestResult(source_name, "unchanged", plan, tasks, duties, warnings=stored)


def _store(
    parsed: ParsedPlan,
    region,
    plan: Plan | None,
    checksum: str,
    convention: str,
    decisions: Decisions,
    preview: bool = False,
) -> IngestResult:
    status = "updated" if plan else "created"
    # Read before the plan's fields take the new file's values.
    base = reingest.parse_stored_text(plan) if plan else None
    plan = plan or Plan(region=region, title=parsed.title, is_draft=parsed.is_draft)
    plan.issuer = parsed.issuer
    plan.doc_number = parsed.doc_number
    plan.issued_on = parsed.issued_on
    plan.lead_convention = convention
    plan.source_name = parsed.source_name
    plan.checksum = checksum
    plan.source_text = parsed.text
    plan.save()

    resolver = AgencyResolver(region)
    resolution = resolver.resolve([u.name for u in reingest.all_units(parsed)])
    agencies = resolution.agencies
    warnings = list(parsed.warnings)
    for variant, agency in resolution.aliased:
        warnings.append(
            ParseWarning(
                WarningCode.ALIAS_MATCHED, f"“{variant}”按别名归入“{agency.name}”", _line_of(parsed.text, variant)
            )
        )
    for name in resolution.unknown:
        warnings.append(
            ParseWarning(WarningCode.UNKNOWN_UNIT, f"“{name}”不像单位名称，请核对", _line_of(parsed.text, name))
        )

    desired = reingest.text_duties(parsed, agencies)
    existing_tasks = list(plan.tasks.all())
    matched = reingest.match_tasks(existing_tasks, parsed)
    duties_before = set(Duty.objects.filter(task__plan=plan).values_list("id", flat=True))
    conflicts, kept = [], []
    if existing_tasks:
        base_reading = reingest.base_assignments(base, resolver, agencies)
        conflicts = reingest.find_conflicts(plan, parsed, matched, base_reading, reingest.assignments(desired))
        continued = {t.id for t in matched.values()}
        kept = reingest.find_kept_tasks([t for t in existing_tasks if t.id not in continued])

    changes = Changes()
    sections = _store_outline(plan, parsed)
    tasks, deleted_tasks = _store_tasks(plan, parsed, sections, existing_tasks, matched, kept, decisions, changes)
    taken = _store_duties(plan, tasks, desired, conflicts, decisions, changes)
    warnings += _store_appendix(plan, parsed, tasks, agencies, desired)
    _store_targets(plan, parsed, tasks)
    _store_projects(plan, parsed, agencies)

    IngestWarning.objects.filter(plan=plan).delete()
    IngestWarning.objects.bulk_create(
        IngestWarning(plan=plan, code=w.code.value, message=w.message, line=w.line, position=i)
        for i, w in enumerate(warnings)
    )
    duties_after = set(Duty.objects.filter(task__plan=plan).values_list("id", flat=True))
    changes.duties_added = len(duties_after - duties_before)
    changes.duties_removed = len(duties_before - duties_after)
    return IngestResult(
        parsed.source_name,
        status,
        plan,
        tasks=plan.tasks.count(),
        duties=len(duties_after),
        agencies_created=[a.full_name for a in resolution.created],
        warnings=warnings,
        conflicts=conflicts,
        kept_tasks=kept,
        changes=changes,
        taken=taken,
        deleted_tasks=deleted_tasks,
        preview=_preview(plan, set(desired)) if preview else [],
    )


def _store_outline(plan: Plan, parsed: ParsedPlan) -> list[Section]:
    """Sections by position: updated in place so tasks keep pointing at them."""
    existing = {s.position: s for s in plan.sections.all()}
    sections: list[Section] = []
    for position, node in enumerate(parsed.outline):
        section = existing.pop(position, None) or Section(plan=plan, position=position)
        section.parent = sections[node.parent] if node.parent is not None else None
        section.level = node.level
        section.number = node.number
        section.title = node.title
        section.body = node.body
        section.line = node.line
        section.save()
        sections.append(section)
    stale = list(existing.values())
    if stale:
        # Tasks kept for what people entered move to the last section rather than vanish.
        Task.objects.filter(section__in=stale).update(section=sections[-1])
        Section.objects.filter(id__in=[s.id for s in stale]).delete()
    return sections


# What makes a task or a duty count as changed in the summary; positions and line numbers follow edits elsewhere.
TASK_CONTENT = ("kind", "title", "body", "is_section", "clause_text", "clause_note")
DUTY_CONTENT = ("role", "inferred", "as_written", "source")
TASK_FIELDS = [
    "ref",
    "section",
    "kind",
    "number",
    "title",
    "body",
    "is_section",
    "clause_text",
    "clause_note",
    "position",
    "line",
]


def _store_tasks(
    plan: Plan,
    parsed: ParsedPlan,
    sections: list[Section],
    existing: list[Task],
    matched: dict[str, Task],
    kept: list[KeptTask],
    decisions: Decisions,
    changes: Changes,
) -> tuple[dict[str, Task], int]:
    """The text's tasks by ref, and how many kept tasks the administrator deleted with the text."""
    continued = {t.id for t in matched.values()}
    gone = [t for t in existing if t.id not in continued]
    kept_by_id = {k.task_id: k for k in kept}
    stays = [t for t in gone if t.id in kept_by_id and not decisions.deletes(kept_by_id[t.id])]
    chosen = [t for t in gone if t.id in kept_by_id and decisions.deletes(kept_by_id[t.id])]
    # A task gone from the text goes, unless a person touched it.
    for task in chosen:
        reingest.delete_task(task, decisions)
    Task.objects.filter(id__in=[t.id for t in gone if t.id not in kept_by_id]).delete()
    # Free the refs the text's tasks take: a kept task yields its ref to whatever the text now numbers so,
    # and renumbered tasks pass through a temporary ref, since refs are unique within a plan.
    refs = {p.ref for p in parsed.tasks}
    freed = [t for t in stays if t.ref in refs]
    for task in freed:
        task.ref = f"{task.ref}#{task.id}"
    renumbered = [t for ref, t in matched.items() if t.ref != ref]
    for task in renumbered:
        task.ref = f"#{task.id}"
    Task.objects.bulk_update(freed + renumbered, ["ref"])

    tasks: dict[str, Task] = {}
    new: list[Task] = []
    changed: list[Task] = []
    rewritten = 0
    for position, parsed_task in enumerate(parsed.tasks):
        task = matched.get(parsed_task.ref) or Task(plan=plan)
        values = {
            "ref": parsed_task.ref,
            # By id: comparing the related objects would load each task's section.
            "section_id": sections[parsed_task.outline_index].id,
            "kind": Task.Kind.GOAL if parsed_task.is_goal else Task.Kind.TASK,
            "number": parsed_task.number,
            "title": parsed_task.title[:300],
            "body": parsed_task.body,
            "is_section": parsed_task.is_section,
            "clause_text": parsed_task.clause.text if parsed_task.clause else "",
            "clause_note": parsed_task.clause.note if parsed_task.clause else "",
            "position": position,
            "line": parsed_task.line,
        }
        dirty = task.pk is None or any(getattr(task, k) != v for k, v in values.items())
        if task.pk is not None and any(getattr(task, k) != values[k] for k in TASK_CONTENT):
            rewritten += 1
        for key, value in values.items():
            setattr(task, key, value)
        if task.pk is None:
            new.append(task)
        elif dirty:
            changed.append(task)
        tasks[parsed_task.ref] = task
    Task.objects.bulk_update(changed, TASK_FIELDS)
    Task.objects.bulk_create(new)
    for offset, task in enumerate(stays):
        task.position = len(parsed.tasks) + offset  # behind the text's tasks
    Task.objects.bulk_update(stays, ["position"])
    changes.tasks_added = len(new)
    changes.tasks_changed = rewritten
    changes.tasks_removed = len(gone) - len(stays)
    return tasks, len(chosen)


def _store_duties(
    plan: Plan,
    tasks: dict[str, Task],
    desired: dict[str, list[TextDuty]],
    conflicts: list[Conflict],
    decisions: Decisions,
    changes: Changes,
) -> int:
    """Duties as the text has them, except where a person decided; returns the conflicts settled for the text."""
    existing: dict[tuple[int, int], Duty] = {(d.task_id, d.agency_id): d for d in Duty.objects.filter(task__plan=plan)}
    removed = {(r.task_id, r.agency_id): r for r in RemovedDuty.objects.filter(task__plan=plan)}
    taken = {(c.task_id, c.agency_id) for c in conflicts if decisions.takes(c)}
    # A task ordered by hand keeps its duties' positions; the text's new units go after them.
    last: dict[int, int] = {}
    for duty in existing.values():
        last[duty.task_id] = max(last.get(duty.task_id, -1), duty.position)
    new: list[Duty] = []
    changed: list[Duty] = []
    keep: set[int] = set()
    for ref, rows in desired.items():
        task = tasks[ref]
        for row in rows:
            pair = (task.id, row.agency.id)
            duty = existing.get(pair)
            position = row.position
            if task.duties_ordered_by_hand:
                if duty is not None:
                    position = duty.position
                else:
                    position = last[task.id] = last.get(task.id, -1) + 1
            values = {
                "role": row.unit.role.value,
                "inferred": row.unit.inferred,
                "as_written": row.unit.as_written[:200],
                "source": row.source,
                "position": position,
            }
            if pair in taken:
                keep.add(_take_text(task, row.agency, duty, removed.get(pair), values, decisions).id)
                if duty is not None:
                    changes.duties_changed += 1
                continue
            if pair in removed:
                continue  # a person took this unit off the task
            if duty is not None and duty.source == Duty.Source.MANUAL:
                keep.add(duty.id)  # what a person entered wins over the text
                continue
            if duty is None:
                new.append(Duty(task=task, agency=row.agency, **values))
                continue
            keep.add(duty.id)
            if any(getattr(duty, k) != v for k, v in values.items()):
                if any(getattr(duty, k) != values[k] for k in DUTY_CONTENT):
                    changes.duties_changed += 1
                for key, value in values.items():
                    setattr(duty, key, value)
                changed.append(duty)
    Duty.objects.bulk_create(new)
    Duty.objects.bulk_update(changed, ["role", "inferred", "as_written", "source", "position"])
    for pair in taken:
        duty = existing.get(pair)
        if duty is not None and duty.id not in keep:
            decisions.stamp(duty).delete()  # the administrator let it go with the text
    # Only the text's tasks follow the text; a kept task keeps all its duties.
    text_tasks = {t.id for t in tasks.values()}
    stale = [
        d.id
        for d in existing.values()
        if d.task_id in text_tasks and d.id not in keep and d.source != Duty.Source.MANUAL
    ]
    Duty.objects.filter(id__in=stale).delete()
    return len(taken)


def _take_text(
    task: Task, agency: Agency, duty: Duty | None, removal: RemovedDuty | None, values: dict, decisions: Decisions
) -> Duty:
    """The duty as the text has it, saved on its own so its history names the choice."""
    if removal is not None:
        removal.delete()
    duty = duty or Duty(task=task, agency=agency)
    for key, value in values.items():
        setattr(duty, key, value)
    decisions.stamp(duty).save()
    return duty


def _preview(plan: Plan, text_refs: set[str]) -> list[TaskPreview]:
    """The plan's tasks and units as stored, as plain data that outlives the rolled-back rows."""
    tasks = Task.objects.filter(plan=plan).order_by("position").with_duties()
    return [
        TaskPreview(
            task.ref,
            task.heading,
            task.line,
            task.ref not in text_refs,
            [UnitPreview(d.agency.name, d.role, d.inferred, d.source) for d in task.duties.all()],
        )
        for task in tasks
    ]


def _store_appendix(
    plan: Plan, parsed: ParsedPlan, tasks: dict[str, Task], agencies: dict[str, Agency], desired
) -> list[ParseWarning]:
    """Appendix rows keep their own reading; where they differ from the body, say so.

    The table's units the body does not name are duties already (see reingest.text_duties), so
    the agency sees the task in its list.
    """
    plan.appendix_rows.all().delete()
    warnings: list[ParseWarning] = []
    by_id = {a.id: a for a in agencies.values()}
    for position, parsed_row in enumerate(parsed.appendix_rows):
        task = tasks.get(parsed_row.task_ref) if parsed_row.task_ref else None
        row = AppendixRow.objects.create(
            plan=plan,
            task=task,
            appendix=parsed_row.appendix,
            kind=AppendixRow.Kind.GOAL if task and task.kind == Task.Kind.GOAL else AppendixRow.Kind.TASK,
            group=parsed_row.group[:100],
            section=parsed_row.section[:200],
            number=parsed_row.number[:20],
            title=parsed_row.title[:300],
            text=parsed_row.text,
            lead_text=parsed_row.lead_text,
            units_text=parsed_row.units_text,
            position=position,
            line=parsed_row.line,
        )
        table: dict[int, str] = {}
        units = []
        for order, unit in enumerate(parsed_row.units):
            agency = agencies[normalise(unit.name)]
            if agency.id in table:
                continue
            table[agency.id] = unit.role.value
            units.append(
                AppendixUnit(row=row, agency=agency, role=unit.role.value, as_written=unit.as_written, position=order)
            )
        AppendixUnit.objects.bulk_create(units)
        if task is None or task.kind == Task.Kind.GOAL:
            continue
        # The body as the text writes it: what people changed is not the text's disagreement.
        body = {d.agency.id: d.unit.role.value for d in desired[task.ref] if d.source != Duty.Source.TABLE}
        differences = _differences(body, table, by_id)
        if differences:
            row.disagrees = True
            row.save(update_fields=["disagrees"])
            warnings.append(
                ParseWarning(
                    WarningCode.TABLE_DISAGREEMENT,
                    f"{parsed_row.appendix}“{parsed_row.title}”与正文第{task.line}行不一致：" + "；".join(differences),
                    parsed_row.line,
                )
            )
    return warnings


def _differences(body: dict[int, str], table: dict[int, str], agencies: dict[int, Agency]) -> list[str]:
    labels = dict(Duty.Role.choices)
    out = []
    for agency_id, role in table.items():
        name = agencies[agency_id].name
        if agency_id not in body:
            out.append(f"附件列有“{name}”（{labels[role]}），正文未列")
        elif body[agency_id] != role:
            out.append(f"“{name}”附件为{labels[role]}，正文为{labels[body[agency_id]]}")
    for agency_id, role in body.items():
        if agency_id not in table:
            out.append(f"正文列有“{agencies[agency_id].name}”（{labels[role]}），附件未列")
    return out


def _store_targets(plan: Plan, parsed: ParsedPlan, tasks: dict[str, Task]) -> None:
    plan.targets.all().delete()
    rows = [(None, t) for t in parsed.goal_targets]
    rows += [(tasks[task.ref], t) for task in parsed.tasks for t in task.targets]
    Target.objects.bulk_create(
        Target(
            plan=plan,
            task=task,
            label=t.label[:40],
            year=t.year,
            text=t.text,
            value=t.value,
            unit=t.unit[:20],
            position=i,
        )
        for i, (task, t) in enumerate(rows)
    )


def _store_projects(plan: Plan, parsed: ParsedPlan, agencies: dict[str, Agency]) -> None:
    plan.projects.all().delete()
    KeyProject.objects.bulk_create(
        KeyProject(
            plan=plan,
            # Only a unit the plan's clauses also name is linked; companies stay as written.
            agency=agencies.get(normalise(p.unit)) if p.unit else None,
            number=p.number,
            category=p.category[:100],
            unit_as_written=p.unit[:200],
            name=p.name[:300],
            content=p.content,
            start_year=p.start_year,
            end_year=p.end_year,
            investment=p.investment,
            position=i,
            line=p.line,
        )
        for i, p in enumerate(parsed.projects)
    )


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None

"""Storing a parsed plan: upserts on natural keys, one transaction per plan.

Re-ingesting the same file (same checksum and lead convention) changes nothing, not even the
plan's updated_at. Re-ingesting a changed file updates what came from the text and keeps what
people entered: a duty whose source is `manual` is not touched, a unit a person removed
(RemovedDuty) is not brought back, a task whose units a person ordered by hand keeps their
positions (new units go after them), and a task gone from the text that a person touched
(manual duties, notes, removals, ...) is kept. Where the text changed for something a person
decided, the difference is reported as a conflict; see `plans.ingestion.reconcile` for the three-way
comparison and for what the administrator's choices do, which plans.assignments writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from django.db import transaction

from agencies.models import Region
from agencies.resolution import AgencyResolver
from fragments import versions

from .. import lifecycle
from ..assignments import lock_plan
from ..models import Duty, IngestWarning, Plan, RemovedDuty, Section, Target, Task
from ..parsing import ParsedPlan
from ..parsing.structures import ParseWarning, WarningCode
from ..signals import plan_stored
from . import reconcile
from .appendices import store_appendix, store_projects
from .reading import line_of, read_plan
from .reconcile import Conflict, Decisions, TextDuty
from .regions import settle_region
from .results import Changes, IngestResult, NewAgency, TaskPreview, UnitPreview
from .tasks import store_tasks


class _DryRun(Exception):
    def __init__(self, result: IngestResult):
        self.result = result


def ingest_bytes(
    data: bytes,
    source_name: str,
    *,
    dry_run: bool = False,
    lead_convention: str | None = None,
    choices: dict[str, str] | None = None,
    user=None,
    readable: bytes | None = None,
    region: Region | None = None,
    region_chosen_by: str = "人工指定",
    title: str = "",
    agency_mapping: Mapping[str, int] | None = None,
    state: str = "",
) -> IngestResult:
    """Parse and store one plan. Raises PlanFormatError and leaves the database as it was.

    `choices` settles conflicts and kept tasks by key (see plans.reingest); without them every
    manual change stays. `user` is recorded in the history of what the choices change. `readable`
    is the file as the readers take it when that differs from `data` (a .doc already converted to
    .docx); the plan's checksum stays the original file's. `region`, a person's choice, wins over the
    region the text implies; without either, RegionQuestion (a PlanFormatError) names the candidates.
    `title`, a person's correction, replaces the title the text has, also in finding the plan it updates.
    `agency_mapping` (written name → agency id) maps names that would make new agencies onto existing ones
    (agencies.resolution), recorded under `user`. `state`, a person's choice of the plan's state (plans.lifecycle),
    blank to keep the stored one or, for a new plan, to judge it from the dates.
    """
    checksum = hashlib.sha256(data).hexdigest()
    convention = lead_convention or Plan.LeadConvention.STATED
    if convention not in Plan.LeadConvention.values:
        raise ValueError(f"unknown lead convention {convention!r}; use one of {Plan.LeadConvention.values}")
    # The same bytes parse the same way: skip parsing when this exact file is already stored as a person wants it.
    same_file = Plan.objects.filter(checksum=checksum, lead_convention=convention)
    if title:
        same_file = same_file.filter(title=title)
    if region is not None:
        same_file = same_file.filter(region=region)
    same_file = same_file.first()
    if same_file:
        return _unchanged(same_file, source_name)
    parsed = read_plan(readable if readable is not None else data, source_name, convention)
    parsed_title = parsed.title
    parsed.title = title or parsed.title
    finding = settle_region(parsed, region, region_chosen_by)
    decisions = Decisions(choices or {}, user, source_name, agency_mapping or {}, state)
    try:
        with transaction.atomic():
            # Locked before anything is read: an edit, an import or a merge of this plan waits until the new text
            # is stored, and a re-ingest waits for them, so none works from what the other is about to change.
            existing = Plan.objects.filter(region=finding.region, title=parsed.title, is_draft=parsed.is_draft).first()
            if existing is not None:
                existing = lock_plan(existing.pk)
            result = _store(parsed, finding, existing, checksum, convention, decisions, preview=dry_run)
            result.parsed_title = parsed_title
            if dry_run:
                raise _DryRun(result)
    except _DryRun as rolled_back:
        return rolled_back.result
    return result


def _unchanged(plan: Plan, source_name: str) -> IngestResult:
    stored = [
        ParseWarning(WarningCode(w.code), w.message, w.line, w.location) for w in plan.warnings.order_by("position")
    ]
    tasks, duties = plan.tasks.count(), Duty.objects.in_plan(plan).count()
    return IngestResult(
        source_name,
        "unchanged",
        plan,
        tasks,
        duties,
        warnings=stored,
        region_source=plan.region_clue,
        parsed_title=plan.title,
        default_state=plan.state,
    )


def _store(
    parsed: ParsedPlan,
    finding,
    plan: Plan | None,
    checksum: str,
    convention: str,
    decisions: Decisions,
    preview: bool = False,
) -> IngestResult:
    region = finding.region
    status = "updated" if plan else "created"
    # Read before the plan's fields take the new file's values.
    base = reconcile.parse_stored_text(plan) if plan else None
    plan = plan or Plan(region=region, title=parsed.title, is_draft=parsed.is_draft)
    plan.issuer = parsed.issuer[:100]
    plan.doc_number = parsed.doc_number[:50]
    plan.issued_on = parsed.issued_on
    plan.copied_to = parsed.copied_to[:300]
    plan.region_clue = finding.source[:200]
    plan.lead_convention = convention
    plan.source_name = parsed.source_name
    plan.checksum = checksum
    plan.source_text = parsed.text
    plan.save()
    versions.touch_plan(plan.pk)  # a new plan's rows move its own pages only (fragments.versions)
    years = [t.year for t in parsed.goal_targets] + [t.year for task in parsed.tasks for t in task.targets]
    default_state, state_basis = lifecycle.on_store(
        plan,
        years,
        created=status == "created",
        chosen=decisions.state,
        user=decisions.user,
        source=decisions.source_name,
    )

    resolver = AgencyResolver(region)
    resolution = resolver.resolve(
        [u.name for u in reconcile.all_units(parsed)],
        decisions.agency_mapping,
        user=decisions.user,
        reason=decisions.mapping_reason,
    )
    agencies = resolution.agencies
    warnings = list(parsed.warnings)
    for variant, agency in resolution.aliased:
        line = line_of(parsed.text, variant)
        message = f"“{variant}”按别名归入“{agency.name}”"
        warnings.append(ParseWarning(WarningCode.ALIAS_MATCHED, message, line, parsed.locate(line)))
    for name in resolution.unknown:
        line = line_of(parsed.text, name)
        message = f"“{name}”不像单位名称，请核对"
        warnings.append(ParseWarning(WarningCode.UNKNOWN_UNIT, message, line, parsed.locate(line)))

    desired = reconcile.text_duties(parsed, agencies)
    existing_tasks = list(plan.tasks.all())
    matched = reconcile.match_tasks(existing_tasks, parsed)
    duties_before = set(Duty.objects.filter(task__plan=plan).values_list("id", flat=True))
    conflicts, kept = [], []
    if existing_tasks:
        base_reading = reconcile.base_assignments(base, resolver, agencies)
        conflicts = reconcile.find_conflicts(plan, parsed, matched, base_reading, reconcile.assignments(desired))
        continued = {t.id for t in matched.values()}
        kept = reconcile.find_kept_tasks([t for t in existing_tasks if t.id not in continued])

    changes = Changes()
    sections = _store_outline(plan, parsed)
    tasks, deleted_tasks = store_tasks(plan, parsed, sections, existing_tasks, matched, kept, decisions, changes)
    taken = _store_duties(plan, tasks, desired, conflicts, decisions, changes)
    warnings += store_appendix(plan, parsed, tasks, agencies, desired)
    _store_targets(plan, parsed, tasks)
    store_projects(plan, parsed, agencies)

    _store_warnings(plan, warnings)
    duties_after = set(Duty.objects.filter(task__plan=plan).values_list("id", flat=True))
    # Apps built on plans (progress: deadlines from the text) update what they derive, in this transaction.
    plan_stored.send(sender=Plan, plan=plan, created=status == "created")
    changes.duties_added = len(duties_after - duties_before)
    changes.duties_removed = len(duties_before - duties_after)
    return IngestResult(
        parsed.source_name,
        status,
        plan,
        tasks=plan.tasks.count(),
        duties=len(duties_after),
        agencies_created=[a.full_name for a in resolution.created],
        new_agencies=[NewAgency(a.name, a.region, a, created=True) for a in resolution.created]
        + [NewAgency(name, a.region, a, created=False) for name, a in resolution.mapped],
        unmapped=resolution.unmapped,
        warnings=warnings,
        conflicts=conflicts,
        kept_tasks=kept,
        changes=changes,
        taken=taken,
        default_state=default_state,
        state_basis=state_basis,
        deleted_tasks=deleted_tasks,
        preview=_preview(plan, set(desired)) if preview else [],
        region_source=finding.source,
        region_doubt=finding.doubt,
        region_candidates=finding.candidates,
    )


def _store_warnings(plan: Plan, warnings: list[ParseWarning]) -> None:
    """The text's warnings replace the stored ones; one a person marked 已核对 stays checked when the new text
    gives the same warning (same code and message: the line may move as text is added above it)."""
    checked = {
        (w.code, w.message): (w.checked_at, w.checked_by_id)
        for w in IngestWarning.objects.filter(plan=plan, checked_at__isnull=False)
    }
    IngestWarning.objects.filter(plan=plan).delete()
    rows = []
    for i, w in enumerate(warnings):
        checked_at, checked_by = checked.get((w.code.value, w.message), (None, None))
        rows.append(
            IngestWarning(
                plan=plan,
                code=w.code.value,
                message=w.message,
                line=w.line,
                location=w.where,
                position=i,
                checked_at=checked_at,
                checked_by_id=checked_by,
            )
        )
    IngestWarning.objects.bulk_create(rows)


SECTION_FIELDS = ["parent", "level", "number", "title", "body", "line"]


def _store_outline(plan: Plan, parsed: ParsedPlan) -> list[Section]:
    """Sections by position: updated in place so tasks keep pointing at them.

    Written in bulk, one statement per depth for the new ones (a section's parent must have its id first) and
    one for those updated.
    """
    existing = {s.position: s for s in plan.sections.all()}
    sections: list[Section] = []
    depths: list[int] = []
    for position, node in enumerate(parsed.outline):
        section = existing.pop(position, None) or Section(plan=plan, position=position)
        section.parent = sections[node.parent] if node.parent is not None else None
        section.level = node.level
        section.number = node.number
        section.title = node.title
        section.body = node.body
        section.line = node.line
        sections.append(section)
        depths.append(depths[node.parent] + 1 if node.parent is not None else 0)
    updated = [s for s in sections if s.pk is not None]
    for depth in sorted(set(depths)):
        Section.objects.bulk_create([s for s, d in zip(sections, depths, strict=True) if d == depth and s.pk is None])
    Section.objects.bulk_update(updated, SECTION_FIELDS)
    stale = list(existing.values())
    if stale:
        # Tasks kept for what people entered move to the last section rather than vanish.
        Task.objects.filter(section__in=stale).update(section=sections[-1])
        Section.objects.filter(id__in=[s.id for s in stale]).delete()
    return sections


# What makes a duty count as changed in the summary; positions follow edits elsewhere.
DUTY_CONTENT = ("role", "inferred", "as_written", "source")


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
    removed = set(RemovedDuty.objects.filter(task__plan=plan).values_list("task_id", "agency_id"))
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
                keep.add(decisions.writer.take_text(task, row.agency.id, duty, values).id)
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
            decisions.writer.drop(duty)  # the administrator let it go with the text
    # Only the text's tasks follow the text; a kept task keeps all its duties.
    text_tasks = {t.id for t in tasks.values()}
    stale = [
        d.id
        for d in existing.values()
        if d.task_id in text_tasks and d.id not in keep and d.source != Duty.Source.MANUAL
    ]
    Duty.objects.filter(id__in=stale).delete()
    return len(taken)


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
